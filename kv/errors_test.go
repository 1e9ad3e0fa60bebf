package kv

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestJSONStringLen(t *testing.T) {
	for _, s := range []string{"", "abc", `a"b\c`, "\x00\x1f", "<a&b>", "é日\U0001F600", "\xff\xfe", "\u2028"} {
		b, _ := json.Marshal(s) // escapes HTML characters, as generously as we count
		if got := jsonStringLen(s); got < len(b) {
			t.Errorf("jsonStringLen(%+q) = %d, less than its encoding %s (%d)", s, got, b, len(b))
		}
	}
}

func TestCheckKey(t *testing.T) {
	tests := []struct {
		key  string
		want error
	}{
		{"a", nil},
		{"%_*", nil},
		{"日本\U0010FFFF", nil},
		{strings.Repeat("k", MaxKeyLen), nil},
		{"", ErrEmptyKey},
		{strings.Repeat("k", MaxKeyLen+1), ErrKeyTooLong},
		{"a\xffb", ErrKeyNotUTF8},
	}
	for _, tt := range tests {
		err := checkKey(tt.key)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("checkKey(%.20q) = %v, want %v", tt.key, err, tt.want)
		}
		var ke *KeyError
		if err != nil && (!errors.As(err, &ke) || ke.Key != tt.key) {
			t.Errorf("checkKey(%.20q) = %#v, want a *KeyError naming the key", tt.key, err)
		}
	}
	long := (&KeyError{Key: strings.Repeat("é", 1000), Err: ErrKeyTooLong}).Error()
	if len(long) > 200 || !utf8.ValidString(long) {
		t.Errorf("error for a long key is %d bytes (valid UTF-8: %v): %s", len(long), utf8.ValidString(long), long)
	}
}

func TestWriteErrorMessage(t *testing.T) {
	cause := errors.New("cause")
	tests := []struct {
		err  *WriteError
		want string
	}{
		{&WriteError{Op: "MSet", Written: []string{"a"}, Unknown: []string{"b"}, NotWritten: []string{"c"}, Err: cause},
			`kv: MSet failed: 1 of 3 keys written, 1 not written, 1 unknown (first unknown: "b"): cause`},
		{&WriteError{Op: "MDelete", NotWritten: []string{"x", "y"}, Err: cause},
			`kv: MDelete failed: 0 of 2 keys written, 2 not written (first not written: "x"): cause`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %s\nwant      %s", got, tt.want)
		}
		if !errors.Is(tt.err, cause) {
			t.Errorf("%v does not unwrap to its cause", tt.err)
		}
	}
}
