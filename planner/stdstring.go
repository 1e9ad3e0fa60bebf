package planner

import "strings"

// Standard strings. sqlparser's tokenizer reads strings as MySQL does
// (backslash escapes: '\n' is a newline, '\_' is '_'), which is not what
// CQL and PostgreSQL users write: in standard SQL a backslash in a string is
// a backslash and the only escape is '' for a quote. So before tokenizing,
// maskStrings finds each 'string' and "identifier" with the standard rules,
// records its value by start offset and hands the tokenizer a copy of the
// text where the inside of each is replaced by as many 'x' bytes: offsets
// do not move, and the tokenizer sees nothing it would unescape.
// LIKE keeps backslash as its escape character: 'a\_b' is the pattern a\_b,
// which matches the text a_b only.

// maskStrings returns src with the body of every quoted string and
// double-quoted identifier blanked, and the values by start offset. An
// unterminated quote is left as it is (the tokenizer reports it).
func maskStrings(src string) (string, map[int]string) {
	if strings.IndexByte(src, '\'') < 0 && strings.IndexByte(src, '"') < 0 {
		return src, nil
	}
	var b []byte
	vals := map[int]string{}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '-' && i+1 < len(src) && src[i+1] == '-', c == '#':
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				i = len(src)
			} else {
				i += j + 1
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				i = len(src)
			} else {
				i += j + 4
			}
		case c == '`':
			j := i + 1
			for j < len(src) {
				if src[j] == '`' {
					if j+1 < len(src) && src[j+1] == '`' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			i = j + 1
		case c == '\'' || c == '"':
			// X'0A' and B'01' (hex and bit literals) have no escapes.
			if c == '\'' && i > 0 && isWordByte(src[i-1]) {
				j := strings.IndexByte(src[i+1:], '\'')
				if j < 0 {
					i = len(src)
				} else {
					i += j + 2
				}
				continue
			}
			val, end, ok := scanQuoted(src, i, c)
			if !ok {
				return maskedOrSrc(b, src), vals
			}
			if b == nil {
				b = []byte(src)
			}
			for k := i + 1; k < end-1; k++ {
				b[k] = 'x'
			}
			vals[i] = val
			i = end
		default:
			i++
		}
	}
	return maskedOrSrc(b, src), vals
}

func maskedOrSrc(b []byte, src string) string {
	if b == nil {
		return src
	}
	return string(b)
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// scanQuoted reads the quoted text at src[i] (delimiter q, doubled inside
// for itself) and returns its value and the offset after the closing quote.
func scanQuoted(src string, i int, q byte) (string, int, bool) {
	var sb strings.Builder
	j := i + 1
	for {
		k := strings.IndexByte(src[j:], q)
		if k < 0 {
			return "", 0, false
		}
		sb.WriteString(src[j : j+k])
		j += k + 1
		if j < len(src) && src[j] == q {
			sb.WriteByte(q)
			j++
			continue
		}
		return sb.String(), j, true
	}
}

// mysqlQuote writes s as a string literal that sqlparser reads back as s.
func mysqlQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `''`)
	return "'" + r.Replace(s) + "'"
}
