package astrasql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/astrasql/astrasql/planner"
)

// Transactions
//
// Astra DB has no transactions: every Data API command is applied on its
// own. astrasql does not pretend otherwise. What BeginTx gives you is a
// write buffer:
//
//   - INSERT, UPDATE, DELETE and TRUNCATE inside the transaction are
//     parsed, planned and checked (tables, columns, the arguments' number
//     and types, as outside a transaction) when you call Exec, but nothing
//     is sent. The arguments are copied at Exec (slices, maps, *big.Int,
//     what a driver.Valuer returns, ...): the caller may reuse them. Exec reports RowsAffected for an
//     INSERT (its number of rows); for the others it is unknown
//     (ErrRowsAffectedUnknown) until they run.
//   - Rollback drops the buffer: nothing was sent, nothing is written. This
//     rollback is real.
//   - Commit sends the buffered statements in order, each as it would run
//     outside a transaction. Commit is NOT atomic across rows or
//     statements: if a statement fails, the ones before it stay written,
//     it may be partly written, and the ones after it are not sent. The
//     error is a *TxCommitError that says which statements were applied,
//     which failed (with the row-level detail of *InsertError or
//     *PartialWriteError) and which were not sent.
//   - Reads (SELECT, SHOW, DESCRIBE, EXPLAIN) inside the transaction go to
//     the server at once and do not see the transaction's buffered writes.
//   - Schema changes (CREATE, DROP, ALTER) are refused inside a
//     transaction: the Data API applies them at once and they could not be
//     rolled back. Run them outside.
//   - sql.TxOptions: ReadOnly gives a transaction that refuses writes;
//     any isolation level other than sql.LevelDefault is refused (none can
//     be honoured).
//
// This is what ORMs need: GORM, for one, wraps every Create/Save/Delete in
// a transaction and commits it at once, which works as if there were no
// transaction; db.Transaction(func(tx) ...) with several writes sends them
// together at the end, or nothing if the function returns an error.

// maxTxStatements bounds a transaction's buffer.
const maxTxStatements = 100_000

// Errors of transactions.
var (
	// ErrTxDDL is returned for CREATE, DROP and ALTER inside a transaction.
	ErrTxDDL = errors.New("astrasql: schema changes (CREATE, DROP, ALTER) cannot run inside a transaction: the Data API applies them at once and they could not be rolled back; run them outside the transaction")
	// ErrTxReadOnly is returned for a write in a read-only transaction.
	ErrTxReadOnly = errors.New("astrasql: write in a read-only transaction")
	// ErrTxDone is returned when a transaction is used after Commit or Rollback.
	ErrTxDone = errors.New("astrasql: transaction has already been committed or rolled back")
)

// TxStatement is one buffered statement of a transaction and what became of it.
type TxStatement struct {
	// Index is the 1-based position of the statement in the transaction.
	Index int
	SQL   string
	// RowsAffected after it ran (-1 when the server does not say).
	RowsAffected int64
	// Err is why the statement failed (for TxCommitError.Failed).
	Err error
}

// TxCommitError is returned by Commit when a buffered statement fails.
// Commit is not atomic: Applied were written, Failed may be partly written
// (errors.As on the error finds *InsertError or *PartialWriteError with
// the rows), NotSent were not sent.
type TxCommitError struct {
	Applied []TxStatement
	Failed  TxStatement
	NotSent []TxStatement
}

func (e *TxCommitError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "astrasql: commit is not atomic: %d statement(s) applied, statement %d failed, %d not sent: %s: %v",
		len(e.Applied), e.Failed.Index, len(e.NotSent), shortSQL(e.Failed.SQL), e.Failed.Err)
	return b.String()
}

// Unwrap gives the failed statement's error.
func (e *TxCommitError) Unwrap() error { return e.Failed.Err }

func shortSQL(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}

// bufferedTx is the driver.Tx of a conn.
type bufferedTx struct {
	c        *conn
	ctx      context.Context
	readOnly bool

	mu     sync.Mutex
	writes []bufferedWrite
	done   bool
}

type bufferedWrite struct {
	st   *planner.Statement
	args []planner.Arg
}

var _ driver.Tx = (*bufferedTx)(nil)

// openTxs maps a *conn to its open *bufferedTx. database/sql uses a conn
// from one goroutine at a time, and a conn has at most one transaction.
var openTxs sync.Map

func (c *conn) openTx() *bufferedTx {
	if v, ok := openTxs.Load(c); ok {
		return v.(*bufferedTx)
	}
	return nil
}

// beginTx starts a buffered transaction on c (conn.BeginTx calls it).
func (c *conn) beginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if c.closed {
		return nil, driver.ErrBadConn
	}
	if lvl := sql.IsolationLevel(opts.Isolation); lvl != sql.LevelDefault {
		return nil, fmt.Errorf("astrasql: isolation level %s is not supported: Astra DB has no transactions (astrasql buffers a transaction's writes until Commit, which is not atomic); use sql.LevelDefault", lvl)
	}
	if c.openTx() != nil {
		return nil, errors.New("astrasql: a transaction is already open on this connection")
	}
	tx := &bufferedTx{c: c, ctx: ctx, readOnly: opts.ReadOnly}
	openTxs.Store(c, tx)
	return tx, nil
}

// endTx forgets c's transaction, if any (conn.Close may call it).
func (c *conn) endTx() {
	if tx := c.openTx(); tx != nil {
		tx.finish()
	}
}

// execInTx buffers st when a transaction is open on c. handled is false
// when there is none, or when st is a read that runs at once.
// conn.exec calls it first.
func (c *conn) execInTx(ctx context.Context, st *planner.Statement, args []driver.NamedValue) (res driver.Result, handled bool, err error) {
	tx := c.openTx()
	if tx == nil || st.Explain {
		return nil, false, nil
	}
	switch st.Kind {
	case "INSERT", "UPDATE", "DELETE", "TRUNCATE":
	case "SELECT", "SHOW TABLES", "DESCRIBE", "SHOW INDEXES", "SHOW KEYSPACES", "SHOW CREATE TABLE":
		return nil, false, nil
	default:
		if strings.HasPrefix(st.Kind, "CREATE") || strings.HasPrefix(st.Kind, "DROP") || strings.HasPrefix(st.Kind, "ALTER") {
			return nil, true, ErrTxDDL
		}
		return nil, false, nil
	}
	if tx.readOnly {
		return nil, true, ErrTxReadOnly
	}
	// Check now what can be checked without writing: the statement plans
	// against the schema (and safe_updates), and its arguments are the
	// values its columns take, checked as outside a transaction. They are
	// copied first: the caller may reuse its buffers once Exec returns.
	p, err := c.k.plan(ctx, st)
	if err != nil {
		return nil, true, err
	}
	if len(args) != st.NumInput() {
		return nil, true, &planner.ArgumentCountError{Want: st.NumInput(), Got: len(args)}
	}
	pa := plannerArgs(args)
	for i := range pa {
		if pa[i].Value, err = copyArg(pa[i].Value); err != nil {
			return nil, true, err
		}
	}
	if err := p.CheckArgs(pa); err != nil {
		return nil, true, err
	}
	tx.mu.Lock()
	defer tx.mu.Unlock()
	if tx.done {
		return nil, true, ErrTxDone
	}
	if len(tx.writes) >= maxTxStatements {
		return nil, true, fmt.Errorf("astrasql: a transaction buffers at most %d statements; commit more often", maxTxStatements)
	}
	tx.writes = append(tx.writes, bufferedWrite{st: st, args: pa})
	if n, ok := planner.InsertRowCount(st); ok {
		return result{n: int64(n)}, true, nil
	}
	return result{unknown: true}, true, nil
}

func (tx *bufferedTx) finish() []bufferedWrite {
	tx.mu.Lock()
	defer tx.mu.Unlock()
	w := tx.writes
	tx.writes, tx.done = nil, true
	openTxs.CompareAndDelete(tx.c, tx)
	return w
}

// Commit sends the buffered statements in order; see TxCommitError.
func (tx *bufferedTx) Commit() error {
	tx.mu.Lock()
	done := tx.done
	tx.mu.Unlock()
	if done {
		return ErrTxDone
	}
	writes := tx.finish()
	ctx := tx.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	var applied []TxStatement
	for i, w := range writes {
		s := TxStatement{Index: i + 1, SQL: w.st.SQL}
		err := ctx.Err()
		var res *planner.Result
		if err == nil {
			_, res, err = tx.c.k.run(ctx, w.st, w.args)
		}
		if err != nil {
			s.Err, s.RowsAffected = err, -1
			ce := &TxCommitError{Applied: applied, Failed: s}
			for j, rest := range writes[i+1:] {
				ce.NotSent = append(ce.NotSent, TxStatement{Index: i + 2 + j, SQL: rest.st.SQL, RowsAffected: -1})
			}
			return ce
		}
		if res.Rows != nil {
			res.Rows.Close()
		}
		s.RowsAffected = res.RowsAffected
		if res.Unknown {
			s.RowsAffected = -1
		}
		applied = append(applied, s)
	}
	return nil
}

// Rollback drops the buffered statements: nothing was sent.
func (tx *bufferedTx) Rollback() error {
	tx.mu.Lock()
	done := tx.done
	tx.mu.Unlock()
	if done {
		return ErrTxDone
	}
	tx.finish()
	return nil
}
