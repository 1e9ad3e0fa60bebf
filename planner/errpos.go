package planner

import (
	"fmt"
	"strings"

	"github.com/xwb1989/sqlparser"
)

// posCursor computes line and column of offsets met in increasing order in
// time linear in the text: each call goes on from the previous offset
// (recomputing from the start of the text, as lineCol does, made the
// pre-lexing of large literals quadratic: 97% of the time of a 40-row
// INSERT of 1536-dimension vectors).
type posCursor struct {
	off, line, col int
}

func (p *posCursor) lineCol(s string, off int) (int, int) {
	off = min(max(off, 0), len(s))
	if p.line == 0 || off < p.off {
		p.off, p.line, p.col = 0, 1, 1
	}
	for _, r := range s[p.off:off] {
		if r == '\n' {
			p.line++
			p.col = 1
		} else {
			p.col++
		}
	}
	p.off = off
	return p.line, p.col
}

// Typed errors for wrong argument counts and wrong literal values, with
// where in the statement they are when the text tells.

// ArgumentCountError is a call with the wrong number of arguments.
type ArgumentCountError struct {
	Want int // placeholders in the statement
	Got  int // arguments given; -1 when "more" (named arguments)
}

func (e *ArgumentCountError) Error() string {
	if e.Got < 0 {
		return fmt.Sprintf("astrasql: statement takes %d argument(s), got more", e.Want)
	}
	return fmt.Sprintf("astrasql: statement takes %d argument(s), got %d", e.Want, e.Got)
}

// LiteralError is a constant written in the statement that does not fit
// its column: the value as written, the column and its type, the INSERT
// row (1-based, 0 when not a multi-row INSERT) and the line and column of
// the value in the statement (0 when they cannot be told).
type LiteralError struct {
	Value        string
	Column, Type string
	Row          int
	Line, Col    int
	Err          error
}

func (e *LiteralError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "astrasql: value %s for column %q (%s)", e.Value, e.Column, e.Type)
	if e.Row > 0 {
		fmt.Fprintf(&b, " in row %d", e.Row)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " at line %d, column %d", e.Line, e.Col)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *LiteralError) Unwrap() error { return e.Err }

// locateLiteral finds l in the statement's text: its own position when the
// lexer took it out, else the one string or number token with its text
// (0, 0 when there is none or several).
func (st *Statement) locateLiteral(l *Literal) (int, int) {
	if l.Line > 0 {
		return l.Line, l.Col
	}
	if st == nil || (l.Kind != litString && l.Kind != litNumber) {
		return 0, 0
	}
	toks, err := tokenize(st.SQL)
	if err != nil {
		return 0, 0
	}
	at := -1
	for _, t := range toks {
		match := false
		switch t.typ {
		case sqlparser.STRING:
			match = l.Kind == litString && t.val == l.Text
		case sqlparser.INTEGRAL, sqlparser.FLOAT:
			match = l.Kind == litNumber && (t.val == l.Text || "-"+t.val == l.Text)
		}
		if match {
			if at >= 0 {
				return 0, 0 // ambiguous
			}
			at = t.start
		}
	}
	if at < 0 {
		return 0, 0
	}
	return lineCol(st.SQL, at)
}

// valuesPos locates, in an INSERT ... VALUES, value col (0-based) of row
// (0-based), or the row's "(" when col < 0. ok is false when not found.
func (st *Statement) valuesPos(row, col int) (line, c int, ok bool) {
	if st == nil {
		return 0, 0, false
	}
	toks, err := tokenize(st.SQL)
	if err != nil {
		return 0, 0, false
	}
	i := 0
	for ; i < len(toks); i++ {
		if toks[i].typ != sqlparser.COMMENT && strings.EqualFold(toks[i].val, "values") {
			break
		}
	}
	depth, r, k := 0, -1, 0
	for i++; i < len(toks); i++ {
		t := toks[i]
		if t.typ == sqlparser.COMMENT {
			continue
		}
		open := t.typ == '(' || t.val == "[" || t.val == "{" || t.typ == '[' || t.typ == '{'
		cls := t.typ == ')' || t.val == "]" || t.val == "}" || t.typ == ']' || t.typ == '}'
		switch {
		case open:
			if depth == 0 {
				r, k = r+1, 0
				if r == row && col < 0 {
					l, cc := lineCol(st.SQL, t.start)
					return l, cc, true
				}
				depth++
				if r == row && col == 0 && i+1 < len(toks) {
					l, cc := lineCol(st.SQL, toks[i+1].start)
					return l, cc, true
				}
				continue
			}
			depth++
		case cls:
			depth--
		case t.typ == ',' && depth == 1:
			k++
			if r == row && k == col && i+1 < len(toks) {
				l, cc := lineCol(st.SQL, toks[i+1].start)
				return l, cc, true
			}
		}
	}
	return 0, 0, false
}
