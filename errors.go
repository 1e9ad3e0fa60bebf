package astrasql

import (
	"errors"
	"fmt"
	"strings"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/planner"
)

// APIError is an error object of a Data API response: errors.As(err, &e)
// with e *astrasql.APIError gives the server's ErrorCode, Scope, Message.
type APIError = dataapi.APIError

// Errors of the SQL layer, for errors.As.
type (
	// SyntaxError locates a statement that could not be read (line, column).
	SyntaxError = planner.SyntaxError
	// UnsupportedError names a construct the driver cannot run.
	UnsupportedError = planner.UnsupportedError
	// ArgumentError names the placeholder (and column) of a bad argument.
	ArgumentError = planner.ArgumentError
	// ArgumentCountError is a call with the wrong number of arguments.
	ArgumentCountError = planner.ArgumentCountError
	// LiteralError is a constant in the statement that does not fit its
	// column (the value, the column and type, the line and column).
	LiteralError = planner.LiteralError
	// MemoryBudgetError says a client-side sort, DISTINCT or GROUP BY
	// needed more memory than its budget.
	MemoryBudgetError = planner.MemoryBudgetError
	// UnknownTableError says a table does not exist.
	UnknownTableError = planner.UnknownTableError
	// UnknownColumnError says a table has no such column.
	UnknownColumnError = planner.UnknownColumnError
	// PartialWriteError reports a per-row UPDATE/DELETE that stopped after
	// Done rows.
	PartialWriteError = planner.PartialWriteError
)

// SafeUpdatesError is an UPDATE or DELETE refused by the safe_updates
// option (Config.SafeUpdates) before anything was sent.
type SafeUpdatesError struct {
	// Kind is UPDATE or DELETE; Table the table it writes.
	Kind, Table string
	// Reason says what the WHERE lacks.
	Reason string
}

func (e *SafeUpdatesError) Error() string {
	return fmt.Sprintf("astrasql: safe_updates refuses this %s of %s: %s; "+
		"give every primary key column in WHERE (by = or IN), or turn safe_updates off "+
		"(safe_updates=false in the DSN, Config.SafeUpdates = false) to run it",
		e.Kind, e.Table, e.Reason)
}

// ErrRowsAffectedUnknown is returned by Result.RowsAffected for statements
// after which the server does not say how many rows changed: DELETE of a
// whole partition, a clustering range or the whole table, and TRUNCATE.
var ErrRowsAffectedUnknown = errors.New("astrasql: rows affected unknown: the Data API does not count rows deleted by deleteMany")

// ErrNoLastInsertID is returned by Result.LastInsertId: tables have no
// generated keys.
var ErrNoLastInsertID = errors.New("astrasql: LastInsertId is not supported: Data API tables have no generated keys")

// InsertRow is the outcome of one row of a multi-row INSERT.
type InsertRow struct {
	// Row is the 1-based position of the row in the VALUES list.
	Row int
	// Status is "inserted", "failed" (not written), "unknown" (may or may
	// not be written: the request failed in flight) or "not attempted".
	Status string
	// Err says why for rows not inserted.
	Err error
}

// InsertError is returned when some rows of an INSERT were not confirmed
// written. Rows lists every row of the statement in order; Written counts
// those inserted. errors.As(err, &*APIError) finds the server's errors.
type InsertError struct {
	Keyspace, Table string
	Written         int64
	Rows            []InsertRow
	Err             error
}

func (e *InsertError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "astrasql: INSERT into %s.%s wrote %d of %d rows", e.Keyspace, e.Table, e.Written, len(e.Rows))
	counts := map[string]int{}
	for _, r := range e.Rows {
		counts[r.Status]++
	}
	var parts []string
	for _, st := range []string{"failed", "unknown", "not attempted"} {
		if n := counts[st]; n > 0 {
			part := fmt.Sprintf("%d %s", n, st)
			if st == "unknown" {
				part += " (may be written)"
			}
			parts = append(parts, part)
		}
	}
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	shown := 0
	for _, r := range e.Rows {
		if r.Status == "inserted" {
			continue
		}
		if shown == 10 {
			b.WriteString("; ...")
			break
		}
		if shown == 0 {
			b.WriteString("; not confirmed:")
		}
		fmt.Fprintf(&b, " row %d (%s", r.Row, r.Status)
		if r.Err != nil {
			fmt.Fprintf(&b, ": %v", r.Err)
		}
		b.WriteString(")")
		shown++
	}
	return b.String()
}

func (e *InsertError) Unwrap() error { return e.Err }

// unknown counts the rows that may or may not be written.
func (e *InsertError) unknown() int {
	n := 0
	for _, r := range e.Rows {
		if r.Status == "unknown" {
			n++
		}
	}
	return n
}

func insertError(ks, table string, res *dataapi.InsertManyResult, err error) error {
	e := &InsertError{Keyspace: ks, Table: table, Err: err}
	for i, r := range res.Rows {
		e.Rows = append(e.Rows, InsertRow{Row: i + 1, Status: r.Status.String(), Err: r.Err})
		if r.Status == dataapi.RowInserted {
			e.Written++
		}
	}
	return e
}

// ErrTxNotSupported was returned by BeginTx before transactions became
// write buffers (see BeginTx); it is kept for code that tests for it and
// is no longer returned.
var ErrTxNotSupported = errors.New("astrasql: transactions are not supported")
