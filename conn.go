package astrasql

import (
	"context"
	"database/sql/driver"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/planner"
)

// conn is a database/sql connection. The Data API is stateless HTTP, so a
// conn is light: every conn of a connector shares its client, schema cache
// and plan cache.
type conn struct {
	k      *core
	closed bool
}

var (
	_ driver.Conn                           = (*conn)(nil)
	_ driver.ConnPrepareContext             = (*conn)(nil)
	_ driver.ConnBeginTx                    = (*conn)(nil)
	_ driver.QueryerContext                 = (*conn)(nil)
	_ driver.ExecerContext                  = (*conn)(nil)
	_ driver.NamedValueChecker              = (*conn)(nil)
	_ driver.SessionResetter                = (*conn)(nil)
	_ driver.Validator                      = (*conn)(nil)
	_ driver.Pinger                         = (*conn)(nil)
	_ driver.Connector                      = (*connector)(nil)
	_ driver.Driver                         = (*Driver)(nil)
	_ driver.DriverContext                  = (*Driver)(nil)
	_ driver.Stmt                           = (*stmt)(nil)
	_ driver.StmtExecContext                = (*stmt)(nil)
	_ driver.StmtQueryContext               = (*stmt)(nil)
	_ driver.NamedValueChecker              = (*stmt)(nil)
	_ driver.Rows                           = (*rows)(nil)
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ driver.RowsColumnTypeScanType         = (*rows)(nil)
	_ driver.RowsColumnTypeNullable         = (*rows)(nil)
	_ driver.RowsColumnTypeLength           = (*rows)(nil)
	_ driver.RowsColumnTypePrecisionScale   = (*rows)(nil)
	_ driver.Result                         = result{}
)

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext parses and plans the statement once (errors in the SQL or
// unknown tables and columns show here).
func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if c.closed {
		return nil, driver.ErrBadConn
	}
	st, err := c.k.statement(query)
	if err != nil {
		return nil, err
	}
	if _, err := c.k.plan(ctx, st); err != nil {
		if !c.k.staleSchema(err) {
			return nil, err
		}
		if _, err := c.k.plan(ctx, st); err != nil {
			return nil, err
		}
	}
	return &stmt{c: c, st: st}, nil
}

func (c *conn) Close() error {
	c.endTx()
	c.closed = true
	return nil
}

// Begin starts a write-buffer transaction (see tx.go: rollback is real,
// commit is not atomic).
func (c *conn) Begin() (driver.Tx, error) {
	return c.beginTx(context.Background(), driver.TxOptions{})
}

// BeginTx starts a write-buffer transaction (see tx.go).
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.beginTx(ctx, opts)
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.closed {
		return nil, driver.ErrBadConn
	}
	st, err := c.k.statement(query)
	if err != nil {
		return nil, err
	}
	return c.query(ctx, st, args)
}

func (c *conn) query(ctx context.Context, st *planner.Statement, args []driver.NamedValue) (driver.Rows, error) {
	if _, ok, err := c.execInTx(ctx, st, args); ok {
		// A write inside a transaction is buffered, even through Query.
		if err != nil {
			return nil, err
		}
		return &rows{it: planner.NewSliceIter(nil)}, nil
	}
	p, res, err := c.k.run(ctx, st, plannerArgs(args))
	if err != nil {
		return nil, err
	}
	cols := p.Columns
	if st.Explain {
		cols = planner.ExplainColumns
	}
	if res.Rows == nil {
		return &rows{it: planner.NewSliceIter(nil)}, nil
	}
	return newRows(cols, res.Rows)
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if c.closed {
		return nil, driver.ErrBadConn
	}
	st, err := c.k.statement(query)
	if err != nil {
		return nil, err
	}
	return c.exec(ctx, st, args)
}

func (c *conn) exec(ctx context.Context, st *planner.Statement, args []driver.NamedValue) (driver.Result, error) {
	if res, ok, err := c.execInTx(ctx, st, args); ok {
		return res, err
	}
	_, res, err := c.k.run(ctx, st, plannerArgs(args))
	if err != nil {
		return nil, err
	}
	if res.Rows != nil {
		// A query run for its effects: read nothing more.
		res.Rows.Close()
		return result{}, nil
	}
	return result{n: res.RowsAffected, unknown: res.Unknown}, nil
}

// CheckNamedValue accepts every value as is: the planner checks it against
// the column's type (typesmap.AppendValue) with better errors than
// database/sql's default conversion, and keeps types such as uuid.UUID,
// netip.Addr, *big.Int, slices, maps and typesmap values intact.
func (c *conn) CheckNamedValue(*driver.NamedValue) error { return nil }

// ResetSession is called before a pooled conn is reused: there is no
// session state to reset.
func (c *conn) ResetSession(context.Context) error {
	if c.closed {
		return driver.ErrBadConn
	}
	return nil
}

// IsValid reports whether the conn may be reused.
func (c *conn) IsValid() bool { return !c.closed && !c.k.closed() }

// DataAPIClient returns the Data API client this connection sends its
// commands with, for code that needs commands SQL does not express (the kv
// package's LangChain collection stores reach it through sql.Conn.Raw and
// an interface assertion). It is shared by every connection of the
// *sql.DB and stays usable until the *sql.DB is closed.
func (c *conn) DataAPIClient() *dataapi.Client { return c.k.client }

// Ping asks the server for the keyspace's table names: it checks the
// endpoint, the token and the keyspace.
func (c *conn) Ping(ctx context.Context) error {
	if c.closed {
		return driver.ErrBadConn
	}
	_, err := c.k.client.ListTables(ctx, dataapi.ListTablesRequest{Keyspace: c.k.cfg.keyspace()})
	return err
}

func plannerArgs(args []driver.NamedValue) []planner.Arg {
	out := make([]planner.Arg, len(args))
	for i, a := range args {
		out[i] = planner.Arg{Name: a.Name, Value: a.Value}
	}
	return out
}

// result is a statement's outcome.
type result struct {
	n       int64
	unknown bool
}

func (r result) LastInsertId() (int64, error) { return 0, ErrNoLastInsertID }

// RowsAffected is exact, or -1 and ErrRowsAffectedUnknown after a deleteMany
// (the server does not count).
func (r result) RowsAffected() (int64, error) {
	if r.unknown {
		return -1, ErrRowsAffectedUnknown
	}
	return r.n, nil
}
