package kv

import "unicode/utf8"

// prefixEnd returns the least string greater than every string that starts
// with prefix, so that those strings are exactly the ones in
// [prefix, end). Text compares by UTF-8 bytes, the same order as code
// points, so the work is done on runes and the result is valid UTF-8: drop
// trailing U+10FFFF runes and increment the last remaining rune, stepping
// over the surrogates, which UTF-8 cannot encode. ok is false when no such
// string exists: prefix is empty or only U+10FFFF runes.
// prefix must be valid UTF-8.
func prefixEnd(prefix string) (end string, ok bool) {
	r := []rune(prefix)
	for len(r) > 0 {
		last := r[len(r)-1]
		if last < utf8.MaxRune {
			next := last + 1
			if next == 0xD800 { // first surrogate
				next = 0xE000
			}
			r[len(r)-1] = next
			return string(r), true
		}
		r = r[:len(r)-1]
	}
	return "", false
}
