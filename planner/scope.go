package planner

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xwb1989/sqlparser"
)

// Name binding: how the names, aliases and positions of a SELECT resolve.
// The rules, as PostgreSQL's (and pinned one case each in
// e2e_clauseorder_test.go):
//
//   - WHERE sees the table's columns only (a select alias is not visible).
//   - GROUP BY tries a table column, then a select alias, then a 1-based
//     position in the select list (fetchRefsOrAliases here; the aggregate's
//     aliasExpr and positions in aggregate.go).
//   - HAVING and ORDER BY try a select alias, then a group key or an
//     aggregate, then a column; ORDER BY also takes a position or an
//     expression written as in the select list (orderItem, orderOnOutput,
//     outputIndex). Other ORDER BY expressions become hidden keys.
//   - Placeholders are never names: they are bind nodes (paramExpr).
//
// Names are resolved once, at plan time, into row positions; operators
// never look names up.

// fetchRefs adds every table column referenced in e.
func (sp *selectPlanner) fetchRefs(e sqlparser.SQLNode) error {
	if e == nil {
		return nil
	}
	return sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		switch x := n.(type) {
		case *sqlparser.ColName:
			c, _, err := sp.colRef(x)
			if err != nil {
				return false, err
			}
			sp.fetch(c)
		case *sqlparser.Subquery:
			return false, unsupported("subqueries")
		}
		return true, nil
	}, e)
}

// fetchRefsOrAliases is fetchRefs for GROUP BY and HAVING: an unqualified
// name that is not a table column but is a select alias is left to the
// aggregate's binding rules (a column first, then an alias).
func (sp *selectPlanner) fetchRefsOrAliases(e sqlparser.SQLNode) error {
	if e == nil {
		return nil
	}
	aliases := map[string]bool{}
	for _, se := range sp.sel.SelectExprs {
		if ae, ok := se.(*sqlparser.AliasedExpr); ok && !ae.As.IsEmpty() {
			aliases[strings.ToLower(ae.As.String())] = true
		}
	}
	return sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		switch x := n.(type) {
		case *sqlparser.ColName:
			c, _, err := sp.colRef(x)
			if err != nil {
				if x.Qualifier.IsEmpty() && aliases[strings.ToLower(x.Name.String())] {
					return false, nil
				}
				return false, err
			}
			sp.fetch(c)
		case *sqlparser.Subquery:
			return false, unsupported("subqueries")
		}
		return true, nil
	}, e)
}

// orderItem resolves an ORDER BY key to an output column index, adding a
// hidden output column when the key is a table column not in the list.
func (sp *selectPlanner) orderItem(o *sqlparser.Order, items *[]projItem, hidden *int) (int, string, error) {
	switch x := o.Expr.(type) {
	case *sqlparser.SQLVal:
		if x.Type == sqlparser.IntVal {
			n, err := strconv.Atoi(string(x.Val))
			visible := len(*items) - *hidden
			if err != nil || n < 1 || n > visible {
				return 0, "", fmt.Errorf("astrasql: ORDER BY %s: there are %d result columns", x.Val, visible)
			}
			return n - 1, (*items)[n-1].column, nil
		}
	case *sqlparser.ColName:
		if x.Qualifier.IsEmpty() {
			for i, it := range (*items)[:len(*items)-*hidden] {
				if it.name == x.Name.String() {
					return i, it.column, nil
				}
			}
		}
		c, _, err := sp.colRef(x)
		if err != nil {
			return 0, "", err
		}
		for i, it := range *items {
			if it.column == c.Name && it.src >= 0 {
				return i, c.Name, nil
			}
		}
		*items = append(*items, projItem{name: c.Name, src: sp.fetch(c), column: c.Name, typ: c.Type, nullable: true})
		*hidden++
		return len(*items) - 1, c.Name, nil
	}
	// An expression written as in the select list (ORDER BY price * qty).
	key := canon(o.Expr)
	for i, se := range sp.sel.SelectExprs {
		if ae, ok := se.(*sqlparser.AliasedExpr); ok && canon(ae.Expr) == key && i < len(*items)-*hidden && len(*items)-*hidden == len(sp.sel.SelectExprs) {
			return i, (*items)[i].column, nil
		}
	}
	// Any other expression of the table's columns: a hidden computed key.
	if exprHasAggregate(o.Expr) {
		return 0, "", unsupported("ORDER BY %s: an aggregate without GROUP BY or aggregates in the select list", sp.st.render(o.Expr))
	}
	if err := sp.fetchRefs(o.Expr); err != nil {
		return 0, "", err
	}
	e, err := compileTypedExpr(o.Expr, sp.fetched)
	if err != nil {
		return 0, "", err
	}
	*items = append(*items, projItem{name: sp.st.render(o.Expr), src: -1, expr: e, typ: typeOfKind(kindOf(e)), nullable: true})
	*hidden++
	return len(*items) - 1, "", nil
}

// orderOnOutput resolves an ORDER BY key after GROUP BY / aggregates on
// the aggregate's output columns: a 1-based position, a result column name
// or alias, or an expression written as in the select list (count(*)).
func orderOnOutput(o *sqlparser.Order, sel *sqlparser.Select, cols []ResultColumn) (SortKey, error) {
	desc := o.Direction == sqlparser.DescScr
	if x, ok := o.Expr.(*sqlparser.SQLVal); ok && x.Type == sqlparser.IntVal {
		n, err := strconv.Atoi(string(x.Val))
		if err != nil || n < 1 || n > len(cols) {
			return SortKey{}, fmt.Errorf("astrasql: ORDER BY %s: there are %d result columns", x.Val, len(cols))
		}
		return SortKey{Col: n - 1, Desc: desc}, nil
	}
	if i, ok := outputIndex(o.Expr, sel, cols); ok {
		return SortKey{Col: i, Desc: desc}, nil
	}
	s := sqlparser.String(o.Expr)
	for i, c := range cols {
		if strings.EqualFold(c.Name, s) {
			return SortKey{Col: i, Desc: desc}, nil
		}
	}
	if hasAggregate(sqlparser.SelectExprs{&sqlparser.AliasedExpr{Expr: o.Expr}}) {
		return SortKey{}, unsupported("ORDER BY %s: an aggregate that is not in the select list (add it to the select list, with an alias if you like, and order by that)", s)
	}
	return SortKey{}, unsupported("ORDER BY %s after GROUP BY (order by a result column, its alias, its position, or an expression of the select list)", s)
}

// outputIndex resolves an ORDER BY item on the output columns: a 1-based
// position, an output name, or the text of a select item.
func outputIndex(e sqlparser.Expr, sel *sqlparser.Select, cols []ResultColumn) (int, bool) {
	if v, ok := e.(*sqlparser.SQLVal); ok && v.Type == sqlparser.IntVal {
		n, err := strconv.Atoi(string(v.Val))
		if err == nil && n >= 1 && n <= len(cols) {
			return n - 1, true
		}
		return 0, false
	}
	if cn, ok := e.(*sqlparser.ColName); ok {
		for i, c := range cols {
			if strings.EqualFold(c.Name, cn.Name.String()) {
				return i, true
			}
		}
	}
	key := canon(e)
	for i, se := range sel.SelectExprs {
		if ae, ok := se.(*sqlparser.AliasedExpr); ok && canon(ae.Expr) == key && i < len(cols) {
			return i, true
		}
	}
	return 0, false
}

// isPosition reports whether an ORDER BY or GROUP BY item is a 1-based
// position (an integer literal).
func isPosition(e sqlparser.Expr) bool {
	v, ok := e.(*sqlparser.SQLVal)
	return ok && v.Type == sqlparser.IntVal
}

func findName(names []string, n string) (int, bool) {
	for i, x := range names {
		if strings.EqualFold(x, n) {
			return i, true
		}
	}
	return -1, false
}

// canon is an expression's text for matching (case of names folded).
func canon(e sqlparser.SQLNode) string { return strings.ToLower(sqlparser.String(e)) }

func exprHasAggregate(e sqlparser.Expr) bool {
	found := false
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		if f, ok := n.(*sqlparser.FuncExpr); ok && aggregateFuncs[f.Name.Lowered()] {
			found = true
			return false, nil
		}
		return true, nil
	}, e)
	return found
}
