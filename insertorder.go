package astrasql

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/planner"
)

// A multi-row INSERT is sent in chunks, concurrently, and the server runs
// an unordered insertMany's rows concurrently too: two rows with the same
// primary key would land in any order. Running the rows in order gives the
// last one's values (every row of an INSERT names the same columns, so the
// last overwrites all of the earlier ones). So a repeated key is sent once,
// with its last row; the earlier rows share its outcome. Only when that
// last row is refused by the server (failed: not written) does the row
// before it decide the result, as it would in order: it is sent in a
// further round, and so on.

// insertInOrder runs c, whose c.Keys repeat, with the result of running its
// documents in order. It reports like InsertMany: the rows written (every
// input row whose value was written or overwritten by a later row of the
// same key) and an *InsertError accounting for every input row.
func (e *executor) insertInOrder(ctx context.Context, c *planner.Command) (int64, error) {
	groups := map[string][]int{} // key: its rows, in input order
	for i, k := range c.Keys {
		groups[k] = append(groups[k], i)
	}
	rows := make([]dataapi.RowResult, len(c.Documents))
	next := map[string]int{} // key: position in its group of the row to send now
	for k, g := range groups {
		next[k] = len(g) - 1
	}
	var lastErr error
	for round := 0; len(next) > 0; round++ {
		send := make([]int, 0, len(next))
		for k, p := range next {
			send = append(send, groups[k][p])
		}
		sort.Ints(send) // keep the statement's order for the chunks
		docs := make([]json.RawMessage, len(send))
		for j, i := range send {
			docs[j] = c.Documents[i]
		}
		res, err := e.client.InsertMany(ctx, dataapi.InsertManyRequest{Keyspace: c.Keyspace, Table: c.Table, Rows: docs})
		if err != nil && (res == nil || len(res.Rows) != len(send)) {
			if round == 0 {
				return 0, err // refused before anything was sent
			}
			for _, i := range send {
				rows[i] = dataapi.RowResult{Status: dataapi.RowNotAttempted, Err: err}
			}
			lastErr = err
			break
		}
		if err != nil {
			lastErr = err
		}
		inserted := 0
		for j, i := range send {
			r := res.Rows[j]
			rows[i] = r
			k := c.Keys[i]
			p := next[k]
			if r.Status == dataapi.RowFailed && p > 0 {
				next[k] = p - 1 // in order, the row before it would stand
				continue
			}
			if r.Status == dataapi.RowInserted {
				inserted++
			}
			for _, earlier := range groups[k][:p] {
				rows[earlier] = supersededBy(r, i)
			}
			delete(next, k)
		}
		if inserted == 0 && len(next) > 0 {
			// Nothing was written this round (the table is gone, the
			// server refuses everything): do not go on row by row.
			for k, p := range next {
				for _, i := range groups[k][:p+1] {
					rows[i] = dataapi.RowResult{Status: dataapi.RowNotAttempted,
						Err: fmt.Errorf("astrasql: not sent: a later row of the INSERT with the same primary key was refused, and so was every row sent with it: %w", lastErr)}
				}
			}
			break
		}
	}
	return insertOutcome(c, rows)
}

// supersededBy is the outcome of a row that a later row (index later, 0-based)
// with the same key replaced: written if that one was (overwritten in
// order), unknown or not attempted with it.
func supersededBy(r dataapi.RowResult, later int) dataapi.RowResult {
	switch r.Status {
	case dataapi.RowInserted:
		return dataapi.RowResult{Status: dataapi.RowInserted, PrimaryKey: r.PrimaryKey}
	case dataapi.RowUnknown, dataapi.RowNotAttempted:
		err := r.Err
		if err == nil {
			err = errors.New("not sent")
		}
		return dataapi.RowResult{Status: r.Status, Err: fmt.Errorf("astrasql: sent as row %d, which repeats its primary key: %w", later+1, err)}
	}
	return r
}

// insertOutcome counts rows and builds the error of an insert whose rows'
// outcomes are known.
func insertOutcome(c *planner.Command, rows []dataapi.RowResult) (int64, error) {
	res := &dataapi.InsertManyResult{Rows: rows}
	for _, r := range rows {
		switch r.Status {
		case dataapi.RowInserted:
			res.Inserted++
		case dataapi.RowFailed:
			res.Failed++
		case dataapi.RowUnknown:
			res.Unknown++
		default:
			res.NotAttempted++
		}
	}
	if res.Inserted == len(rows) {
		return int64(res.Inserted), nil
	}
	err := &dataapi.InsertManyError{Keyspace: c.Keyspace, Table: c.Table, Result: res}
	return int64(res.Inserted), insertError(c.Keyspace, c.Table, res, err)
}

// repeatsKey says whether any key occurs twice.
func repeatsKey(keys []string) bool {
	if len(keys) < 2 {
		return false
	}
	seen := make(map[string]struct{}, len(keys))
	for _, k := range keys {
		if _, ok := seen[k]; ok {
			return true
		}
		seen[k] = struct{}{}
	}
	return false
}
