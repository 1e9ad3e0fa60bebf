package planner

import (
	"fmt"
	"strconv"

	"github.com/astrasql/astrasql/typesmap"
	"github.com/xwb1989/sqlparser"
)

// clientSelect: a whole SELECT planned client-side over rows the driver
// builds itself (information_schema). It emits the same steps as a table
// query, in the same clause order: filter, aggregate or project, then the
// shared selectTail (clauses.go).

// clientSelect plans a whole SELECT over rows with the given columns, all
// client-side: WHERE, aggregates or projection, ORDER BY, DISTINCT,
// OFFSET/LIMIT. It returns the steps and the result columns.
func clientSelect(sel *sqlparser.Select, input []typesmap.Column) ([]Step, []ResultColumn, error) {
	var steps []Step
	if sel.Where != nil {
		f, err := newResidualFilter(sel.Where.Expr, input, "the rows are built by the driver from the schema")
		if err != nil {
			return nil, nil, err
		}
		steps = append(steps, f)
	}
	var cols []ResultColumn
	var outTypes []typesmap.Type
	var tail selectTail
	if len(sel.GroupBy) > 0 || sel.Having != nil || hasAggregate(sel.SelectExprs) {
		op, ac, err := newAggregateOpTyped(sel, input)
		if err != nil {
			return nil, nil, err
		}
		// ORDER BY keys that are not result columns (a group key, an
		// aggregate): hidden columns of the aggregate, in ORDER BY order,
		// as clientOrder numbers them.
		var extra []sqlparser.Expr
		for _, o := range sel.OrderBy {
			if _, ok := outputIndex(o.Expr, sel, ac); !ok && !isPosition(o.Expr) {
				extra = append(extra, o.Expr)
			}
		}
		visible := len(ac)
		if len(extra) > 0 {
			if op, ac, err = newAggregateOp(sel, input, extra); err != nil {
				return nil, nil, err
			}
			if sel.Distinct != "" {
				return nil, nil, fmt.Errorf("astrasql: with SELECT DISTINCT, ORDER BY keys must be in the select list")
			}
			tail.visible = visible
		}
		steps = append(steps, op)
		cols = ac[:visible]
		for _, c := range ac {
			outTypes = append(outTypes, c.Type)
		}
	} else {
		var items []sqlparser.Expr
		for _, se := range sel.SelectExprs {
			switch x := se.(type) {
			case *sqlparser.StarExpr:
				for _, c := range input {
					items = append(items, &sqlparser.ColName{Name: sqlparser.NewColIdent(c.Name)})
					cols = append(cols, ResultColumn{Name: c.Name, Type: c.Type, Nullable: true})
				}
			case *sqlparser.AliasedExpr:
				items = append(items, x.Expr)
				name := x.As.String()
				rc := ResultColumn{Nullable: true}
				if cn, ok := x.Expr.(*sqlparser.ColName); ok {
					if i, ok := findName(columnNames(input), cn.Name.String()); ok {
						rc.Type = input[i].Type
						if name == "" {
							name = input[i].Name
						}
					}
				}
				if name == "" {
					name = sqlparser.String(x.Expr)
				}
				rc.Name = name
				cols = append(cols, rc)
			default:
				return nil, nil, fmt.Errorf("astrasql: unsupported select item %s", sqlparser.String(se))
			}
		}
		// Sort keys not in the select list are carried as hidden columns.
		hidden := 0
		for _, o := range sel.OrderBy {
			if _, ok := outputIndex(o.Expr, sel, cols); !ok {
				items = append(items, o.Expr)
				hidden++
			}
		}
		op := &projectOp{}
		for i, it := range items {
			e, err := compileTypedExpr(it, input)
			if err != nil {
				return nil, nil, err
			}
			pi := projItem{name: sqlparser.String(it), src: -1, expr: e, typ: typeOfKind(kindOf(e)), nullable: true}
			if c, ok := e.(*colExpr); ok {
				pi.src, pi.expr = c.idx, nil // a column as it is
			}
			if i < len(cols) {
				pi.name = cols[i].Name
				if cols[i].Type.Kind == "" {
					cols[i].Type = pi.typ
				}
			}
			op.items = append(op.items, pi)
		}
		steps = append(steps, op)
		for _, c := range cols {
			outTypes = append(outTypes, c.Type)
		}
		if hidden > 0 && sel.Distinct != "" {
			return nil, nil, fmt.Errorf("astrasql: with SELECT DISTINCT, ORDER BY keys must be in the select list")
		}
		tail.visible = len(cols)
		if hidden == 0 {
			tail.visible = 0
		}
	}
	// DISTINCT, ORDER BY, OFFSET/LIMIT, trim: in clause order (clauses.go).
	tail.distinct, tail.types = sel.Distinct != "", outTypes
	var err error
	if tail.sort, err = clientOrder(sel, cols, outTypes); err != nil {
		return nil, nil, err
	}
	if sel.Limit != nil {
		off, lim, err := literalLimit(sel.Limit)
		if err != nil {
			return nil, nil, err
		}
		tail.limit = newLimitOp(off, lim)
	}
	return append(steps, tail.steps()...), cols, nil
}

func columnNames(cols []typesmap.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// clientOrder makes the sort step of ORDER BY over output rows; keys not
// among the output columns follow them, hidden, in ORDER BY order.
func clientOrder(sel *sqlparser.Select, cols []ResultColumn, types []typesmap.Type) (*sortOp, error) {
	if len(sel.OrderBy) == 0 {
		return nil, nil
	}
	var keys []SortKey
	var ktypes []typesmap.Type
	var names []string
	next := len(cols)
	for _, o := range sel.OrderBy {
		i, ok := outputIndex(o.Expr, sel, cols)
		if !ok && isPosition(o.Expr) {
			return nil, fmt.Errorf("astrasql: ORDER BY %s: there are %d result columns", sqlparser.String(o.Expr), len(cols))
		}
		if !ok {
			i = next
			next++
		}
		keys = append(keys, SortKey{Col: i, Desc: o.Direction == sqlparser.DescScr})
		if i < len(types) {
			ktypes = append(ktypes, types[i])
		} else {
			ktypes = append(ktypes, typesmap.Type{})
		}
		names = append(names, sqlparser.String(o.Expr))
	}
	op, err := newSortOpTyped(keys, ktypes, 0)
	if err != nil {
		return nil, err
	}
	op.names = names
	op.reason = "the rows are built by the driver from the schema"
	return op, nil
}

// literalLimit reads LIMIT/OFFSET given as integer literals.
func literalLimit(l *sqlparser.Limit) (offset, limit int64, err error) {
	limit = -1
	read := func(e sqlparser.Expr, what string) (int64, error) {
		v, ok := e.(*sqlparser.SQLVal)
		if !ok || v.Type != sqlparser.IntVal {
			return 0, fmt.Errorf("astrasql: %s must be an integer literal here", what)
		}
		return strconv.ParseInt(string(v.Val), 10, 64)
	}
	if l.Offset != nil {
		if offset, err = read(l.Offset, "OFFSET"); err != nil {
			return 0, 0, err
		}
	}
	if l.Rowcount != nil {
		if limit, err = read(l.Rowcount, "LIMIT"); err != nil {
			return 0, 0, err
		}
	}
	return offset, limit, nil
}
