package astrasql

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/planner"
)

// executor runs the planner's commands with the dataapi client.
type executor struct {
	client           *dataapi.Client
	cfg              Config
	writeConcurrency int
}

var _ planner.Executor = (*executor)(nil)

func (e *executor) Read(ctx context.Context, c *planner.Command) (planner.RowIter, error) {
	if c.Name == "findOne" {
		res, err := e.client.FindOne(ctx, dataapi.FindOneRequest{Keyspace: c.Keyspace, Table: c.Table,
			Filter: c.Filter, Sort: c.Sort, Projection: c.Projection, IncludeSimilarity: c.IncludeSimilarity, Columns: c.Columns})
		if err != nil {
			return nil, err
		}
		if res.Row == nil {
			return planner.NewSliceIter(nil), nil
		}
		return planner.NewSliceIter([]planner.Row{res.Row}), nil
	}
	cur, err := e.client.Find(ctx, dataapi.FindRequest{Keyspace: c.Keyspace, Table: c.Table,
		Filter: c.Filter, Sort: c.Sort, Projection: c.Projection, Limit: c.Limit,
		IncludeSimilarity: c.IncludeSimilarity, Columns: c.Columns})
	if err != nil {
		return nil, err
	}
	return &cursorIter{cur: cur}, nil
}

// cursorIter streams a dataapi cursor; the next page is prefetched while
// the caller reads the current one.
type cursorIter struct {
	cur *dataapi.Cursor
}

func (it *cursorIter) Next() (planner.Row, error) {
	if it.cur.Next() {
		// Client-side steps (sort, distinct) keep rows: dataapi never reuses
		// a row slice (dataapi's find_test checks kept rows stay intact).
		return it.cur.Row(), nil
	}
	if err := it.cur.Err(); err != nil {
		return nil, err
	}
	return nil, io.EOF
}

func (it *cursorIter) Close() error { return it.cur.Close() }

func (e *executor) InsertMany(ctx context.Context, c *planner.Command) (int64, error) {
	if repeatsKey(c.Keys) {
		return e.insertInOrder(ctx, c) // insertorder.go
	}
	res, err := e.client.InsertMany(ctx, dataapi.InsertManyRequest{Keyspace: c.Keyspace, Table: c.Table,
		Rows: c.Documents, Ordered: false})
	if err != nil {
		if res != nil && len(res.Rows) == len(c.Documents) {
			return int64(res.Inserted), insertError(c.Keyspace, c.Table, res, err)
		}
		return 0, err
	}
	return int64(res.Inserted), nil
}

func (e *executor) Do(ctx context.Context, c *planner.Command) (json.RawMessage, error) {
	switch c.Name {
	case "updateOne":
		_, err := e.client.UpdateOne(ctx, dataapi.UpdateOneRequest{Keyspace: c.Keyspace, Table: c.Table, Filter: c.Filter, Update: c.Update})
		return nil, err
	case "deleteOne":
		_, err := e.client.DeleteOne(ctx, dataapi.DeleteRequest{Keyspace: c.Keyspace, Table: c.Table, Filter: c.Filter})
		return nil, err
	case "deleteMany":
		f := c.Filter
		if string(f) == "{}" {
			f = nil
		}
		_, err := e.client.DeleteMany(ctx, dataapi.DeleteRequest{Keyspace: c.Keyspace, Table: c.Table, Filter: f})
		return nil, err
	}
	if c.Body == nil {
		return nil, errors.New("astrasql: command " + c.Name + " has no body")
	}
	resp, err := e.client.Do(ctx, c.Keyspace, c.Table, c.Name, c.Body)
	if err != nil {
		return nil, err
	}
	return resp.Status, nil
}

// SkipDeleteRead says whether a DELETE by full key may skip reading the
// row first (RowsAffected unknown).
func (e *executor) SkipDeleteRead() bool { return e.cfg.SkipDeleteRead }

// WriteConcurrency bounds per-row UPDATE/DELETE commands in flight.
func (e *executor) WriteConcurrency() int { return e.writeConcurrency }
