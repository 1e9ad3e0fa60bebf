package planner

import (
	"context"
	"strings"

	"github.com/xwb1989/sqlparser"
)

// SELECT without a table: the queries ORMs, pools and SQL tools send on
// connect (`SELECT 1`, `SELECT DATABASE()`, `SELECT current_schema()`,
// `SELECT version()`, `SELECT @@version`) and constant expressions. The
// select list is evaluated by the driver over one empty row; the session
// functions become the connection's values at plan time (the keyspace is
// fixed per connector, so a cached plan stays right).

// ServerVersion is what version() and @@version return.
const ServerVersion = "astrasql (Astra Data API)"

// planNoTable plans a SELECT whose FROM is absent (the parser's dual).
// ok is false when sel reads a table.
func planNoTable(st *Statement, sel *sqlparser.Select, schema Schema) (*Plan, bool, error) {
	if len(sel.From) != 1 {
		return nil, false, nil
	}
	at, ok := sel.From[0].(*sqlparser.AliasedTableExpr)
	if !ok {
		return nil, false, nil
	}
	tn, ok := at.Expr.(sqlparser.TableName)
	if !ok || tn.Name.String() != "dual" || !tn.Qualifier.IsEmpty() {
		return nil, false, nil
	}
	if sel.Lock != "" {
		return nil, true, unsupported("locking reads (%s)", strings.TrimSpace(sel.Lock))
	}
	replaceSessionFuncs(sel, schema.DefaultKeyspace())
	steps, cols, err := clientSelect(sel, nil)
	if err != nil {
		return nil, true, err
	}
	p := &Plan{Statement: st, Keyspace: schema.DefaultKeyspace(), Query: true, Steps: append([]Step{oneRowStep{}}, steps...)}
	p.Columns = cols
	return p, true, nil
}

// replaceSessionFuncs puts the values of the session functions in sel's
// select list and WHERE; a replaced column keeps the name written.
func replaceSessionFuncs(sel *sqlparser.Select, ks string) {
	for _, se := range sel.SelectExprs {
		if ae, ok := se.(*sqlparser.AliasedExpr); ok {
			if ae.As.IsEmpty() {
				if _, ok := sessionValue(ae.Expr, ks); ok {
					// The column keeps the name written: DATABASE() is "database()".
					ae.As = sqlparser.NewColIdent(sqlparser.String(ae.Expr))
				}
			}
			ae.Expr = replaceSession(ae.Expr, ks)
		}
	}
	if sel.Where != nil {
		sel.Where.Expr = replaceSession(sel.Where.Expr, ks)
	}
}

// sessionValue is the value of a session function or variable.
func sessionValue(e sqlparser.Expr, keyspace string) (string, bool) {
	var name string
	switch x := e.(type) {
	case *sqlparser.FuncExpr:
		if !x.Qualifier.IsEmpty() || len(x.Exprs) != 0 {
			return "", false
		}
		name = x.Name.Lowered()
	case *sqlparser.ColName:
		// PostgreSQL writes current_schema without parentheses; MySQL @@version.
		if !x.Qualifier.IsEmpty() {
			return "", false
		}
		name = x.Name.Lowered()
		if name != "current_schema" && name != "current_database" && !strings.HasPrefix(name, "@@") {
			return "", false
		}
	default:
		return "", false
	}
	switch name {
	case "database", "current_schema", "current_database", "@@database":
		return keyspace, true
	case "version", "@@version":
		return ServerVersion, true
	case "@@version_comment":
		return "Astra DB Data API through astrasql", true
	}
	return "", false
}

// replaceSession replaces the session functions in e by their values.
func replaceSession(e sqlparser.Expr, keyspace string) sqlparser.Expr {
	var found []sqlparser.Expr
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		if x, ok := n.(sqlparser.Expr); ok {
			if _, ok := sessionValue(x, keyspace); ok {
				found = append(found, x)
				return false, nil
			}
		}
		return true, nil
	}, e)
	for _, f := range found {
		v, _ := sessionValue(f, keyspace)
		e = sqlparser.ReplaceExpr(e, f, sqlparser.NewStrVal([]byte(v)))
	}
	return e
}

// oneRowStep yields the one empty row a SELECT without a table reads.
type oneRowStep struct{}

func (oneRowStep) Explain() (string, string) {
	return "row", "no command: one row built by the driver (SELECT without a table)"
}

func (oneRowStep) Run(context.Context, Executor, *Binding) (*Result, error) {
	return &Result{Rows: NewSliceIter([]Row{{}})}, nil
}
