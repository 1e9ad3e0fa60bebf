package pgwire

import (
	"context"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
)

// PostgreSQL clients (pgx, JDBC) ask for parameter types before binding
// and encode their arguments by them; the driver checks arguments against
// columns only when it runs. So pgwire finds, for each $n, the column it
// meets in the common shapes: c op $n, $n op c, c IN ($n, ...),
// c CONTAINS [KEY] $n, ORDER BY c ANN OF $n, SET c = $n, INSERT INTO t
// (cols) VALUES ($n, ...), LIMIT/OFFSET $n. A parameter in another place is
// described as text and passed to the driver as the string it is.

// tableOf finds the keyspace and table a statement addresses.
func tableOf(toks []token) (string, string) {
	for i, t := range toks {
		if !(t.is("FROM") || t.is("INTO") || t.is("UPDATE")) || i+1 >= len(toks) {
			continue
		}
		n := toks[i+1]
		if n.kind != tkWord && n.kind != tkQuoted {
			continue
		}
		if i+3 < len(toks) && toks[i+2].kind == tkOp && toks[i+2].text == "." && (toks[i+3].kind == tkWord || toks[i+3].kind == tkQuoted) {
			return n.text, toks[i+3].text
		}
		return "", n.text
	}
	return "", ""
}

var comparisons = map[string]bool{"=": true, "<": true, ">": true, "<=": true, ">=": true, "<>": true, "!=": true}

func isIdent(t token) bool {
	if t.kind == tkQuoted {
		return true
	}
	if t.kind != tkWord {
		return false
	}
	switch strings.ToUpper(t.text) {
	case "AND", "OR", "NOT", "WHERE", "SET", "IN", "LIMIT", "OFFSET", "BY", "ON", "VALUES", "SELECT", "NULL", "IS":
		return false
	}
	return true
}

// paramColumns maps each parameter number to the column (or role) it
// meets: a column name, or "" with elem set for CONTAINS, or the special
// "#limit".
type paramUse struct {
	column string
	elem   bool // CONTAINS: the element (or value) type
	key    bool // CONTAINS KEY
	limit  bool
}

func paramUses(toks []token) map[int]paramUse {
	uses := map[int]paramUse{}
	set := func(n int, u paramUse) {
		if _, ok := uses[n]; !ok {
			uses[n] = u
		}
	}
	at := func(i int) token {
		if i < 0 || i >= len(toks) {
			return token{kind: tkOp}
		}
		return toks[i]
	}
	for i, t := range toks {
		if t.kind != tkParam {
			continue
		}
		p, pp := at(i-1), at(i-2)
		switch {
		case p.kind == tkOp && comparisons[p.text] && isIdent(pp):
			set(t.num, paramUse{column: pp.text})
		case at(i+1).kind == tkOp && comparisons[at(i+1).text] && isIdent(at(i+2)) && !at(i+3).is("OF"):
			set(t.num, paramUse{column: at(i + 2).text})
		case p.is("CONTAINS") && isIdent(pp):
			set(t.num, paramUse{column: pp.text, elem: true})
		case p.is("KEY") && pp.is("CONTAINS") && isIdent(at(i-3)):
			set(t.num, paramUse{column: at(i - 3).text, key: true})
		case p.is("OF") && pp.is("ANN") && isIdent(at(i-3)):
			set(t.num, paramUse{column: at(i - 3).text})
		case p.is("BETWEEN") && isIdent(pp):
			set(t.num, paramUse{column: pp.text})
		case p.is("AND") && at(i-3).is("BETWEEN") && isIdent(at(i-4)):
			set(t.num, paramUse{column: at(i - 4).text})
		case p.is("LIMIT") || p.is("OFFSET"):
			set(t.num, paramUse{limit: true})
		default:
			// An element of a parenthesized list: c IN (..., $n, ...).
			j := i - 1
			for j >= 0 && (toks[j].kind == tkParam || toks[j].kind == tkString || toks[j].kind == tkNumber || toks[j].kind == tkOp && toks[j].text == ",") {
				j--
			}
			if at(j).kind == tkOp && at(j).text == "(" && at(j-1).is("IN") && isIdent(at(j-2)) {
				set(t.num, paramUse{column: at(j - 2).text})
			}
		}
	}
	insertUses(toks, set)
	return uses
}

// insertUses maps INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4).
func insertUses(toks []token, set func(int, paramUse)) {
	if len(toks) == 0 || !toks[0].is("INSERT") {
		return
	}
	i := 0
	for i < len(toks) && !(toks[i].kind == tkOp && toks[i].text == "(") {
		i++
	}
	var cols []string
	for i++; i < len(toks) && !(toks[i].kind == tkOp && toks[i].text == ")"); i++ {
		if toks[i].kind == tkWord || toks[i].kind == tkQuoted {
			cols = append(cols, toks[i].text)
		}
	}
	for i < len(toks) && !toks[i].is("VALUES") {
		i++
	}
	pos, depth := 0, 0
	for ; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tkOp && (t.text == "(" || t.text == "[" || t.text == "{"):
			depth++
			if depth == 1 {
				pos = 0
			}
		case t.kind == tkOp && (t.text == ")" || t.text == "]" || t.text == "}"):
			depth--
		case t.kind == tkOp && t.text == "," && depth == 1:
			pos++
		case t.kind == tkParam && depth == 1 && pos < len(cols):
			// Only a parameter that is the whole value.
			prev, next := toks[i-1], token{kind: tkOp}
			if i+1 < len(toks) {
				next = toks[i+1]
			}
			if (prev.text == "(" || prev.text == ",") && (next.text == ")" || next.text == ",") {
				set(t.num, paramUse{column: cols[pos]})
			}
		}
	}
}

// paramTypes gives the column type each parameter meets (Kind "" where
// not found). columns reads a table's column types.
func paramTypes(ctx context.Context, toks []token, n int, columns func(ctx context.Context, keyspace, table string) map[string]typesmap.Type) []typesmap.Type {
	types := make([]typesmap.Type, n)
	if n == 0 {
		return types
	}
	uses := paramUses(toks)
	if len(uses) == 0 {
		return types
	}
	ks, table := tableOf(toks)
	var cols map[string]typesmap.Type
	if table != "" {
		cols = columns(ctx, ks, table)
	}
	for num, u := range uses {
		if num < 1 || num > n {
			continue
		}
		if u.limit {
			types[num-1] = typesmap.Of(typesmap.BigInt)
			continue
		}
		t, ok := cols[u.column]
		if !ok {
			t, ok = cols[strings.ToLower(u.column)]
		}
		if !ok {
			continue
		}
		switch {
		case u.key && t.Key != nil:
			t = *t.Key
		case u.key:
			continue
		case u.elem && t.Value != nil:
			t = *t.Value
		case u.elem:
			continue
		}
		types[num-1] = t
	}
	return types
}
