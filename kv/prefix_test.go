package kv

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPrefixEnd(t *testing.T) {
	tests := []struct {
		prefix string
		end    string
		ok     bool
	}{
		{"", "", false},
		{"a", "b", true},
		{"abc", "abd", true},
		{"a%", "a&", true},
		{"a_", "a`", true},
		{"z", "{", true},
		{"\x7f", "\u0080", true},             // one byte to two
		{"é", "ê", true},                     // two bytes
		{"\u07ff", "\u0800", true},           // two bytes to three
		{"日本", "日\u672d", true},              // three bytes
		{"\uD7FF", "\uE000", true},           // steps over the surrogates
		{"\uffff", "\U00010000", true},       // three bytes to four
		{"a\U0010FFFF", "b", true},           // trailing max runes dropped
		{"a\U0010FFFF\U0010FFFF", "b", true}, //
		{"\U0010FFFF", "", false},            // no successor
		{"\U0010FFFF\U0010FFFF", "", false},  //
		{"\U0010FFFFa", "\U0010FFFFb", true}, //
	}
	for _, tt := range tests {
		end, ok := prefixEnd(tt.prefix)
		if end != tt.end || ok != tt.ok {
			t.Errorf("prefixEnd(%+q) = %+q, %v; want %+q, %v", tt.prefix, end, ok, tt.end, tt.ok)
		}
		if ok && !utf8.ValidString(end) {
			t.Errorf("prefixEnd(%+q) = %+q: not valid UTF-8", tt.prefix, end)
		}
	}
}

// TestPrefixEndBounds checks the defining property on strings around the
// bounds: s has the prefix exactly when prefix <= s < end (byte order).
func TestPrefixEndBounds(t *testing.T) {
	prefixes := []string{"a", "a%", "a_", "ab", "é", "日本", "\uD7FF", "\uFFFF", "x\U0010FFFF", "\U0010FFFF", "\U0010FFFF\U0010FFFF"}
	tails := []string{"", "\x00", "a", "\x7f", "é", "\uD7FF", "\uE000", "\uFFFF", "\U00010000", "\U0010FFFF", "\U0010FFFF\U0010FFFF"}
	for _, p := range prefixes {
		end, ok := prefixEnd(p)
		var cands []string
		for _, base := range []string{p, p[:len(p)-1], p[:len(p)-utf8RuneLenLast(p)], end} {
			for _, tail := range tails {
				if utf8.ValidString(base + tail) {
					cands = append(cands, base+tail)
				}
			}
		}
		for _, s := range cands {
			in := s >= p && (!ok || s < end)
			if in != strings.HasPrefix(s, p) {
				t.Errorf("prefix %+q, end %+q (ok=%v): %+q in range = %v, has prefix = %v", p, end, ok, s, in, !in)
			}
		}
	}
}

func utf8RuneLenLast(s string) int {
	_, n := utf8.DecodeLastRuneInString(s)
	return n
}
