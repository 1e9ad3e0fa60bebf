package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// cellText renders a value for the table and expanded formats: NULL as
// o.Null, vectors abbreviated when cells are capped, blobs in hex, and
// control characters escaped so that a value can neither break the layout
// nor drive the terminal.
func cellText(v any, dbType string, o outputOptions) string {
	if v == nil {
		return o.nullText()
	}
	abbrev := 0
	if o.MaxWidth > 0 {
		abbrev = 5
	}
	return escapeControl(formatText(v, dbType, textOptions{AbbrevVector: abbrev, BlobHex: true}))
}

// escapeControl makes control characters visible, as psql does: \n, \r and
// \t by name, other C0 and C1 controls and DEL as \x1B, bidirectional
// controls and Unicode line separators as \u202E, and bytes that
// are not UTF-8 as \xFF. Text without any of them is returned as is.
func escapeControl(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	changed := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02X`, s[i])
			changed = true
		case r == '\n':
			b.WriteString(`\n`)
			changed = true
		case r == '\r':
			b.WriteString(`\r`)
			changed = true
		case r == '\t':
			b.WriteString(`\t`)
			changed = true
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\x%02X`, r)
			changed = true
		case isBidiOrBreak(r):
			// Bidirectional controls make a value read as another one;
			// line and paragraph separators break the row.
			fmt.Fprintf(&b, `\u%04X`, r)
			changed = true
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	if !changed {
		return s
	}
	return b.String()
}

// fixedWidth says whether a column type's values are never cut or wrapped:
// a cut number, date or uuid reads as another value.
func fixedWidth(dbType string) bool {
	switch dbType {
	case "TINYINT", "SMALLINT", "INT", "BIGINT", "VARINT", "COUNTER", "FLOAT", "DOUBLE", "DECIMAL",
		"DATE", "TIMESTAMP", "TIME", "UUID", "TIMEUUID", "INET", "BOOLEAN", "DURATION":
		return true
	}
	return false
}

func isBidiOrBreak(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069,
		r == 0x2028, r == 0x2029:
		return true
	}
	return false
}
