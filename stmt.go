package astrasql

import (
	"context"
	"database/sql/driver"

	"github.com/astrasql/astrasql/planner"
)

// stmt is a prepared statement: parsed and planned once. Its plan is made
// again only if the schema changed since (DDL, or the server said so).
type stmt struct {
	c  *conn
	st *planner.Statement
}

func (s *stmt) Close() error { return nil }

// NumInput is the true number of arguments: one per ?, one per distinct
// :name / @name.
func (s *stmt) NumInput() int { return s.st.NumInput() }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if s.c.closed {
		return nil, driver.ErrBadConn
	}
	return s.c.exec(ctx, s.st, args)
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if s.c.closed {
		return nil, driver.ErrBadConn
	}
	return s.c.query(ctx, s.st, args)
}

// CheckNamedValue accepts every value (see conn.CheckNamedValue).
func (s *stmt) CheckNamedValue(*driver.NamedValue) error { return nil }

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return out
}

// DescribeResult says, from the plan and before the statement runs,
// whether it returns rows, and the name and CQL type of each result column
// ("int", "list<text>", "vector<float, 3>"; "" for a value computed by the
// driver whose type is not known). database/sql cannot ask this before
// running a query; a front end that must (the PostgreSQL protocol's
// Describe, package pgwire) reaches it through sql.Conn.Raw and the
// driver.Stmt returned by PrepareContext.
func (s *stmt) DescribeResult(ctx context.Context) (query bool, names, types []string, err error) {
	if s.c.closed {
		return false, nil, nil, driver.ErrBadConn
	}
	p, err := s.c.k.plan(ctx, s.st)
	if err != nil {
		return false, nil, nil, err
	}
	cols := p.Columns
	if s.st.Explain {
		cols = planner.ExplainColumns
	}
	for _, c := range cols {
		names = append(names, c.Name)
		if c.Type.Kind == "" {
			types = append(types, "")
		} else {
			types = append(types, c.Type.String())
		}
	}
	return p.Query || s.st.Explain, names, types, nil
}
