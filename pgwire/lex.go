package pgwire

import (
	"strconv"
	"strings"
)

// A small lexer for what pgwire must see in a statement before the driver
// does: statement boundaries (';'), $n parameters, the first keywords, the
// table and the column each parameter meets. Strings, quoted identifiers
// and comments are skipped as the driver's lexer skips them.

type tokKind int

const (
	tkWord   tokKind = iota // identifier or keyword (text as written)
	tkQuoted                // "identifier" or `identifier` (text unquoted)
	tkString                // '...'
	tkNumber
	tkParam // $n (num set)
	tkOp    // punctuation and operators
)

type token struct {
	kind       tokKind
	text       string
	num        int
	start, end int // byte offsets in the statement
}

func (t token) is(word string) bool {
	return t.kind == tkWord && strings.EqualFold(t.text, word)
}

// lex splits sql into tokens; it never fails (an unterminated string or
// comment runs to the end, and the driver reports it).
func lex(sql string) []token {
	var toks []token
	i := 0
	for i < len(sql) {
		c := sql[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
			continue
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			j := strings.Index(sql[i+2:], "*/")
			if j < 0 {
				i = len(sql)
			} else {
				i += j + 4
			}
			continue
		case c == '\'':
			i = skipQuoted(sql, i, '\'', true)
			toks = append(toks, token{kind: tkString, text: sql[start:i], start: start, end: i})
		case c == '"' || c == '`':
			i = skipQuoted(sql, i, c, false)
			body := sql[start+1 : max(start+1, i-1)]
			toks = append(toks, token{kind: tkQuoted, text: strings.ReplaceAll(body, string([]byte{c, c}), string(c)), start: start, end: i})
		case c == '$' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			i++
			for i < len(sql) && sql[i] >= '0' && sql[i] <= '9' {
				i++
			}
			n, err := strconv.Atoi(sql[start+1 : i])
			if err != nil {
				n = -1
			}
			toks = append(toks, token{kind: tkParam, num: n, text: sql[start:i], start: start, end: i})
		case isWordStart(c):
			for i < len(sql) && isWordChar(sql[i]) {
				i++
			}
			toks = append(toks, token{kind: tkWord, text: sql[start:i], start: start, end: i})
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			for i < len(sql) && (isWordChar(sql[i]) || sql[i] == '.') {
				i++
			}
			toks = append(toks, token{kind: tkNumber, text: sql[start:i], start: start, end: i})
		default:
			i++
			if i < len(sql) {
				two := sql[start : i+1]
				switch two {
				case "<=", ">=", "<>", "!=", "::":
					i++
				}
			}
			toks = append(toks, token{kind: tkOp, text: sql[start:i], start: start, end: i})
		}
	}
	return toks
}

func isWordStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isWordChar(c byte) bool { return isWordStart(c) || c >= '0' && c <= '9' || c == '$' }

// skipQuoted returns the offset after the quoted text starting at i (a
// doubled quote is part of it; with backslash, \x escapes too).
func skipQuoted(s string, i int, q byte, backslash bool) int {
	i++
	for i < len(s) {
		switch {
		case backslash && s[i] == '\\':
			i += 2
			continue
		case s[i] == q:
			if i+1 < len(s) && s[i+1] == q {
				i += 2
				continue
			}
			return i + 1
		}
		i++
	}
	return len(s)
}

// splitStatements splits a simple Query message's text at top-level ';'.
// Empty statements are dropped (an all-empty text gives none).
func splitStatements(sql string) []string {
	var out []string
	start := 0
	for _, t := range lex(sql) {
		if t.kind == tkOp && t.text == ";" {
			if s := strings.TrimSpace(sql[start:t.start]); s != "" && len(lex(s)) > 0 {
				out = append(out, s)
			}
			start = t.end
		}
	}
	if s := strings.TrimSpace(sql[start:]); s != "" && len(lex(s)) > 0 {
		out = append(out, s)
	}
	return out
}

// rewriteParams replaces PostgreSQL's $n by the driver's placeholders: ?
// when $1, $2, ... appear once each in order (arguments then bind by
// position), else :pN, bound by name. It returns the new text, the number
// of parameters (the largest n) and whether they are named.
func rewriteParams(sql string, toks []token) (string, int, bool, error) {
	n, inOrder := 0, true
	for _, t := range toks {
		if t.kind != tkParam {
			continue
		}
		if t.num < 1 || t.num > 65535 {
			return "", 0, false, newErr(codeSyntax, "bad parameter "+t.text)
		}
		if t.num != n+1 {
			inOrder = false
		}
		n = max(n, t.num)
	}
	if n == 0 {
		return sql, 0, false, nil
	}
	var b strings.Builder
	last := 0
	for _, t := range toks {
		if t.kind != tkParam {
			continue
		}
		b.WriteString(sql[last:t.start])
		if inOrder {
			b.WriteByte('?')
		} else {
			b.WriteString(":p" + strconv.Itoa(t.num))
		}
		last = t.end
	}
	b.WriteString(sql[last:])
	return b.String(), n, !inOrder, nil
}
