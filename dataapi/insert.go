package dataapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/astrasql/astrasql/typesmap"
)

// InsertManyRequest is an insert of any number of rows. Rows are JSON
// objects (wire-encoded by typesmap). They are sent in chunks of at most
// ChunkSize rows (default: the client's, at most 100, the server's limit).
//
// Ordered: chunks go one after another, the server writes rows in order, and
// the first failure stops everything: later rows are RowNotAttempted.
// Unordered: up to Concurrency chunks are in flight at once and every row is
// attempted.
//
// A chunk the server refuses as too large (HTTP 413) is split in halves and
// sent again.
//
// Retrying a whole INSERT after an error is safe: Cassandra inserts are
// upserts, so rows written by the first try are just written again.
type InsertManyRequest struct {
	Keyspace    string
	Table       string
	Rows        []json.RawMessage
	Ordered     bool
	ChunkSize   int
	Concurrency int
}

// RowStatus is the outcome of one row of an InsertMany.
type RowStatus uint8

const (
	// RowNotAttempted: the row was not sent, or the server skipped it
	// (ordered insert after a failure, or context cancelled first).
	RowNotAttempted RowStatus = iota
	// RowInserted: the server confirmed the write.
	RowInserted
	// RowFailed: the server refused the row (or the whole request) and did
	// not write it, a refusal made before the write (APIError.NotApplied);
	// Err says why.
	RowFailed
	// RowUnknown: the outcome is not confirmed either way: the request
	// failed at HTTP level (timeout, reset, 5xx after retries), the context
	// ended while it was in flight, or the database reported a failure that
	// may follow a write, such as a write timeout. The row may or may not
	// be written.
	RowUnknown
)

func (s RowStatus) String() string {
	switch s {
	case RowNotAttempted:
		return "not attempted"
	case RowInserted:
		return "inserted"
	case RowFailed:
		return "failed"
	case RowUnknown:
		return "unknown"
	}
	return fmt.Sprintf("RowStatus(%d)", uint8(s))
}

// RowResult is what happened to one input row.
type RowResult struct {
	Status RowStatus
	// PrimaryKey of an inserted row, in primary key order (see InsertOneResult).
	PrimaryKey []any
	// Err is the row's *APIError (RowFailed, or RowUnknown for server-side
	// failures) or the chunk's error (RowUnknown, RowFailed for refused requests).
	Err error
}

// InsertManyResult reports row by row; Rows[i] is about the caller's Rows[i].
type InsertManyResult struct {
	Rows             []RowResult
	PrimaryKeySchema []typesmap.Column
	Warnings         []Warning
	// Counts of Rows by status.
	Inserted, Failed, Unknown, NotAttempted int
}

// InsertManyError is returned when any row was not confirmed inserted. It
// lists the outcomes (Result) and unwraps to the distinct underlying errors
// (*APIError, *HTTPError, context errors ...).
type InsertManyError struct {
	Keyspace string
	Table    string
	Result   *InsertManyResult
}

func (e *InsertManyError) Error() string {
	r := e.Result
	var b strings.Builder
	fmt.Fprintf(&b, "dataapi: insertMany %s.%s: %d of %d rows not inserted (%d failed, %d unknown, %d not attempted)",
		e.Keyspace, e.Table, len(r.Rows)-r.Inserted, len(r.Rows), r.Failed, r.Unknown, r.NotAttempted)
	for i, row := range r.Rows {
		if row.Err != nil {
			fmt.Fprintf(&b, "; first: row %d %s: %v", i, row.Status, row.Err)
			break
		}
	}
	return b.String()
}

// Unwrap returns the distinct errors of the rows (at most 20).
func (e *InsertManyError) Unwrap() []error {
	var errs []error
	seen := map[error]bool{}
	for _, row := range e.Result.Rows {
		if row.Err != nil && !seen[row.Err] {
			seen[row.Err] = true
			errs = append(errs, row.Err)
			if len(errs) == 20 {
				break
			}
		}
	}
	return errs
}

// Failures returns the indexes of the rows that were not inserted.
func (r *InsertManyResult) Failures() []int {
	var idx []int
	for i, row := range r.Rows {
		if row.Status != RowInserted {
			idx = append(idx, i)
		}
	}
	return idx
}

// InsertMany inserts (upserts) rows in chunks, concurrently unless Ordered.
// The result is always returned (unless the request itself is invalid); the
// error is an *InsertManyError when any row is not RowInserted.
func (c *Client) InsertMany(ctx context.Context, r InsertManyRequest) (*InsertManyResult, error) {
	if r.Keyspace == "" {
		r.Keyspace = c.keyspace
	}
	for i, row := range r.Rows {
		row = bytes.TrimSpace(row)
		if len(row) == 0 || row[0] != '{' {
			return nil, fmt.Errorf("dataapi: insertMany %s.%s: row %d is not a JSON object", r.Keyspace, r.Table, i)
		}
	}
	size := r.ChunkSize
	if size <= 0 || size > c.chunkSize {
		size = c.chunkSize
	}
	conc := r.Concurrency
	if conc <= 0 {
		conc = c.concurrency // 0: adaptive (limit.go)
	}
	res := &InsertManyResult{Rows: make([]RowResult, len(r.Rows))}
	var mu sync.Mutex // guards res fields other than Rows (chunks own disjoint Rows)
	run := func(start int) bool {
		end := min(start+size, len(r.Rows))
		return c.insertChunk(ctx, &r, start, end, res, &mu)
	}
	if r.Ordered {
		for start := 0; start < len(r.Rows); start += size {
			if ctx.Err() != nil {
				break // the remaining rows stay RowNotAttempted
			}
			if !run(start) {
				break
			}
		}
	} else {
		lim := c.newInsertLimiter(conc)
		var wg sync.WaitGroup
		for start := 0; start < len(r.Rows); start += size {
			overloads, ok := lim.acquire(ctx)
			if !ok {
				break // the remaining rows stay RowNotAttempted
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				t := time.Now()
				ok := run(start)
				lim.release(time.Since(t), overloads, ok)
			}()
		}
		wg.Wait()
		lim.done()
	}
	for i := range res.Rows {
		switch res.Rows[i].Status {
		case RowInserted:
			res.Inserted++
		case RowFailed:
			res.Failed++
		case RowUnknown:
			res.Unknown++
		default:
			res.NotAttempted++
		}
	}
	if res.Inserted == len(res.Rows) {
		return res, nil
	}
	if res.NotAttempted > 0 && ctx.Err() != nil {
		// Say why rows were not attempted.
		cerr := fmt.Errorf("dataapi: insertMany %s.%s: %w", r.Keyspace, r.Table, ctx.Err())
		for i := range res.Rows {
			if res.Rows[i].Status == RowNotAttempted && res.Rows[i].Err == nil {
				res.Rows[i].Err = cerr
			}
		}
	}
	return res, &InsertManyError{Keyspace: r.Keyspace, Table: r.Table, Result: res}
}

// insertChunk sends rows [start, end) and records their outcomes. It
// reports whether every row was inserted.
func (c *Client) insertChunk(ctx context.Context, r *InsertManyRequest, start, end int, res *InsertManyResult, mu *sync.Mutex) bool {
	if ctx.Err() != nil {
		return false // not sent: the rows stay RowNotAttempted
	}
	rows := r.Rows[start:end]
	n := 0
	for _, row := range rows {
		n += len(row) + 1
	}
	body := make([]byte, 0, n+80)
	body = append(body, `{"documents":[`...)
	for i, row := range rows {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, bytes.TrimSpace(row)...)
	}
	if r.Ordered {
		body = append(body, `],"options":{"ordered":true,"returnDocumentResponses":true}}`...)
	} else {
		body = append(body, `],"options":{"ordered":false,"returnDocumentResponses":true}}`...)
	}
	cl := c.newCall("insertMany", r.Keyspace, r.Table, body)
	cl.rows = func(*envelope) int { return len(rows) }
	env, err := c.exec(ctx, cl)
	out := res.Rows[start:end]

	var rerr *ResponseError
	var he *HTTPError
	if errors.As(err, &he) && he.StatusCode == http.StatusRequestEntityTooLarge && end-start > 1 {
		// Over the server's body limit (large rows): halve the chunk.
		mid := start + (end-start)/2
		ok := c.insertChunk(ctx, r, start, mid, res, mu)
		if !ok && r.Ordered {
			return false
		}
		return c.insertChunk(ctx, r, mid, end, res, mu) && ok
	}
	if err != nil && !errors.As(err, &rerr) {
		// No usable response: HTTP failure, transport, timeout, context.
		status := RowUnknown
		if errors.As(err, &he) && he.StatusCode >= 400 && he.StatusCode < 500 {
			status = RowFailed // refused before execution
		}
		for i := range out {
			out[i] = RowResult{Status: status, Err: err}
		}
		if env != nil {
			mu.Lock()
			res.Warnings = append(res.Warnings, env.warnings...)
			mu.Unlock()
		}
		return false
	}
	st, perr := parseInsertStatus(env.status)
	mu.Lock()
	res.Warnings = append(res.Warnings, env.warnings...)
	if perr == nil && res.PrimaryKeySchema == nil {
		res.PrimaryKeySchema = st.PrimaryKeySchema
	}
	mu.Unlock()
	if perr != nil {
		perr = badStatus(cl.Command, cl.Keyspace, cl.Table, perr)
		for i := range out {
			out[i] = RowResult{Status: RowUnknown, Err: perr}
		}
		return false
	}

	rowErr := func(idx int) (RowStatus, error) {
		if len(env.errors) == 0 {
			return RowUnknown, badStatus(cl.Command, cl.Keyspace, cl.Table, errors.New("row reported as ERROR without errors"))
		}
		e := env.errors[0]
		if idx >= 0 && idx < len(env.errors) {
			e = env.errors[idx]
		}
		if !e.NotApplied() {
			return RowUnknown, e // e.g. a write timeout: maybe written
		}
		return RowFailed, e // refused: not written (insertoutcome.go)
	}
	all := true
	switch {
	case len(st.DocumentResponses) == len(rows):
		for i, dr := range st.DocumentResponses {
			switch dr.Status {
			case "OK":
				out[i] = RowResult{Status: RowInserted, PrimaryKey: dr.Key}
			case "ERROR":
				s, e := rowErr(dr.ErrorsIdx)
				out[i] = RowResult{Status: s, Err: e}
				all = false
			case "SKIPPED":
				out[i] = RowResult{Status: RowNotAttempted}
				all = false
			default:
				out[i] = RowResult{Status: RowUnknown, Err: badStatus(cl.Command, cl.Keyspace, cl.Table,
					fmt.Errorf("documentResponses[%d].status %q", i, dr.Status))}
				all = false
			}
		}
	case len(env.errors) == 0 && len(st.InsertedIDs) == len(rows):
		// A server that ignored returnDocumentResponses, all rows written.
		for i, id := range st.InsertedIDs {
			out[i] = RowResult{Status: RowInserted, PrimaryKey: id}
		}
	case len(env.errors) > 0 && len(st.InsertedIDs) == 0 && len(st.DocumentResponses) == 0:
		// The request as a whole was refused (unknown table, bad options...).
		s, e := rowErr(-1)
		for i := range out {
			out[i] = RowResult{Status: s, Err: e}
		}
		all = false
	default:
		// Per-row outcome not reported: do not guess.
		var e error
		if rerr != nil {
			e = rerr
		} else {
			e = badStatus(cl.Command, cl.Keyspace, cl.Table, fmt.Errorf("%d documentResponses and %d insertedIds for %d rows",
				len(st.DocumentResponses), len(st.InsertedIDs), len(rows)))
		}
		for i := range out {
			out[i] = RowResult{Status: RowUnknown, Err: e}
		}
		all = false
	}
	return all
}
