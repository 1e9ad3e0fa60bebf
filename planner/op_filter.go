package planner

import (
	"strings"

	"github.com/astrasql/astrasql/typesmap"
	"github.com/xwb1989/sqlparser"
)

// The residual filter operator (filterOp), of queries and of
// information_schema alike, and why a predicate is evaluated by the driver.

// newResidualFilter compiles a predicate the driver evaluates over rows
// with the given columns into the one filter operator (filterOp, of
// queries and of introspection alike). Bind variables are resolved from
// the Binding at Open. reason says why the server cannot do it ("" to
// derive it from the expression).
func newResidualFilter(where sqlparser.Expr, input []typesmap.Column, reason string) (*filterOp, error) {
	e, err := compileTypedExpr(where, input)
	if err != nil {
		return nil, err
	}
	if reason == "" {
		reason = residualReason(where)
	}
	return &filterOp{expr: e, text: sqlparser.String(where), reason: reason}, nil
}

// filterIter passes on the rows for which pred is TRUE (NULL and FALSE drop
// the row). Both residual filters, of queries and of introspection, use it.
type filterIter struct {
	in   RowIter
	pred Expr
}

func (f *filterIter) Next() (Row, error) {
	for {
		r, err := f.in.Next()
		if err != nil {
			return nil, err
		}
		ok, err := Truth(f.pred, r)
		if err != nil {
			return nil, err
		}
		if ok {
			return r, nil
		}
	}
}

func (f *filterIter) Close() error { return f.in.Close() }

// residualReason explains why a predicate is evaluated by the driver,
// naming the first construct the Data API filter language lacks.
func residualReason(e sqlparser.Expr) string {
	reason := ""
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		if reason != "" {
			return false, nil
		}
		switch x := n.(type) {
		case *sqlparser.ComparisonExpr:
			switch x.Operator {
			case sqlparser.LikeStr, sqlparser.NotLikeStr:
				reason = "LIKE cannot be expressed as a Data API filter"
				return false, nil
			case sqlparser.NullSafeEqualStr:
				reason = "<=> cannot be expressed as a Data API filter"
				return false, nil
			}
			_, lc := x.Left.(*sqlparser.ColName)
			_, rc := x.Right.(*sqlparser.ColName)
			if lc && rc {
				reason = "the Data API compares columns only with values, not with other columns"
				return false, nil
			}
		case *sqlparser.IsExpr:
			reason = "the Data API cannot filter on NULL (" + strings.ToUpper(x.Operator) + ")"
			return false, nil
		case *sqlparser.FuncExpr:
			if n := x.Name.Lowered(); n == containsFunc || n == containsKeyFunc {
				return false, nil // CONTAINS itself is a filter; the reason is elsewhere
			}
			reason = "functions (" + strings.ToUpper(x.Name.String()) + ") are evaluated by the driver"
			return false, nil
		case *sqlparser.SubstrExpr:
			reason = "functions (SUBSTRING) are evaluated by the driver"
			return false, nil
		case *sqlparser.BinaryExpr, *sqlparser.UnaryExpr:
			reason = "arithmetic is evaluated by the driver"
			return false, nil
		case *sqlparser.CaseExpr:
			reason = "CASE is evaluated by the driver"
			return false, nil
		}
		return true, nil
	}, e)
	if reason == "" {
		reason = "the Data API filter language cannot express this predicate"
	}
	return reason
}

// filterOp drops rows for which a residual predicate is not true.
type filterOp struct {
	expr   Expr
	text   string
	reason string // why the driver evaluates it (residualReason)
}

func (sp *selectPlanner) residualOp(e sqlparser.Expr) (*filterOp, error) {
	// Typed by the fetched columns, so literals compare as the column's
	// type; placeholders are bound at Open.
	f, err := newResidualFilter(e, sp.fetched, "")
	if err != nil {
		return nil, err
	}
	f.text = sp.st.render(e)
	return f, nil
}

func (f *filterOp) Explain() (string, string) {
	d := "client-side: " + f.text
	if f.reason != "" {
		d += " (" + f.reason + ")"
	}
	return "filter", d
}

func (f *filterOp) Open(in RowIter, b *Binding) (RowIter, error) {
	p, err := bindBinding(f.expr, b)
	if err != nil {
		return nil, err
	}
	return &filterIter{in: in, pred: p}, nil
}
