package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The scenarios whose speed is decided by round trips rather than by CPU:
// a lookup of more keys than one filter may hold, and UPDATE and DELETE
// with a WHERE that is not a primary key (read the keys, then write each
// row). Run them with -rtt to see a network's cost.

const (
	inKeys    = 500  // keys of the IN lookup: five times the server's 100 values per $in
	inQueries = 5    // IN lookups per client and run
	wrMatch   = 1000 // rows one UPDATE or DELETE matches
	wrTable   = "wr" // 16 groups of wrMatch rows: grp = g00..g15
	updGroup  = "g03"
	delGroup  = "g05"
)

// inKeysOf is the key list of IN query q: spread over the scan table.
func inKeysOf(q, rows int) []int {
	keys := make([]int, inKeys)
	step := max(1, rows/inKeys)
	for j := range keys {
		keys[j] = (j*step + q) % rows
	}
	return keys
}

func inSQL(n int) string {
	return "SELECT * FROM scan WHERE id IN (" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
}

// groupIDs are the ids of group g (grp = g%02d) in the wr table.
func groupIDs(grp string) func(int) int {
	var g int
	fmt.Sscanf(grp, "g%d", &g)
	return func(k int) int { return k*16 + g }
}

func (e *env) setupWrites(ctx context.Context, load *bare) error {
	if _, err := e.db.ExecContext(ctx, "CREATE TABLE "+wrTable+" ("+tableCols+", PRIMARY KEY (id))"); err != nil {
		return err
	}
	return load.insert(ctx, wrTable, 16*wrMatch, 100, 4, nil)
}

func (e *env) benchIn(ctx context.Context) error {
	st, err := e.db.PrepareContext(ctx, inSQL(inKeys))
	if err != nil {
		return err
	}
	defer st.Close()
	timeQueries := func(client string, fn func(keys []int) (int, error)) func() error {
		return func() error {
			t0 := time.Now()
			for q := 0; q < inQueries; q++ {
				n, err := fn(inKeysOf(q, e.cfg.rows))
				if err != nil {
					return fmt.Errorf("%s: %w", client, err)
				}
				if n != inKeys {
					return fmt.Errorf("%s: IN lookup of %d keys gave %d rows", client, inKeys, n)
				}
			}
			e.res.add("in", client, float64(time.Since(t0).Microseconds())/1000/inQueries)
			return nil
		}
	}
	for r := 0; r < e.cfg.runs; r++ {
		fns := []func() error{
			timeQueries("astrasql", func(keys []int) (int, error) {
				args := make([]any, len(keys))
				for i, k := range keys {
					args[i] = k
				}
				return countRows(st.QueryContext(ctx, args...))
			}),
			timeQueries("bare-map", func(keys []int) (int, error) { return e.bare.inLookup(ctx, "scan", keys) }),
		}
		if e.cfg.node {
			fns = append(fns, func() error {
				nr, err := e.runNode(ctx, e.base, map[string]any{"op": "in", "table": "scan", "rows": e.cfg.rows, "keys": inKeys, "queries": inQueries})
				if err != nil {
					return err
				}
				if nr.Rows != inKeys*inQueries {
					return fmt.Errorf("ts-default: IN lookups gave %d rows, want %d", nr.Rows, inKeys*inQueries)
				}
				e.res.add("in", "ts-default", nr.Secs*1000/inQueries)
				return nil
			})
		}
		if err := rotate(r, fns); err != nil {
			return err
		}
	}
	return nil
}

func countRows(rows *sql.Rows, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// benchWrites times UPDATE and DELETE of wrMatch rows chosen by a non-key
// column. Before each DELETE the group's rows are written back (untimed,
// straight to the server).
func (e *env) benchWrites(ctx context.Context) error {
	load := newBare(e.server.URL)
	restore := func() error {
		return load.insertRows(ctx, wrTable, wrMatch, groupIDs(delGroup), 100, 4, nil)
	}
	upd, err := e.db.PrepareContext(ctx, "UPDATE "+wrTable+" SET note = ? WHERE grp = ?")
	if err != nil {
		return err
	}
	defer upd.Close()
	del, err := e.db.PrepareContext(ctx, "DELETE FROM "+wrTable+" WHERE grp = ?")
	if err != nil {
		return err
	}
	defer del.Close()
	one := func(key, client string, fn func() (int, error)) func() error {
		return func() error {
			if key == "delete" {
				if err := restore(); err != nil {
					return err
				}
			}
			t0 := time.Now()
			n, err := fn()
			if err != nil {
				return fmt.Errorf("%s %s: %w", client, key, err)
			}
			if n != wrMatch && n != -1 {
				return fmt.Errorf("%s %s: %d rows, want %d", client, key, n, wrMatch)
			}
			e.res.add(key, client, float64(time.Since(t0).Microseconds())/1000)
			return nil
		}
	}
	affected := func(res sql.Result, err error) (int, error) {
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return -1, nil // unknown: DELETE may not count (README); checked below
		}
		return int(n), nil
	}
	for r := 0; r < e.cfg.runs; r++ {
		note := fmt.Sprintf("run %d", r)
		fns := []func() error{
			one("update", "astrasql", func() (int, error) { return affected(upd.ExecContext(ctx, note, updGroup)) }),
			one("delete", "astrasql", func() (int, error) { return affected(del.ExecContext(ctx, delGroup)) }),
			one("update", "bare-map", func() (int, error) { return e.bare.writeWhere(ctx, wrTable, updGroup, note) }),
			one("delete", "bare-map", func() (int, error) { return e.bare.writeWhere(ctx, wrTable, delGroup, "") }),
		}
		if e.cfg.node {
			for _, op := range []string{"update", "delete"} {
				grp := map[string]string{"update": updGroup, "delete": delGroup}[op]
				fns = append(fns, one(op, "ts-default", func() (int, error) {
					nr, err := e.runNode(ctx, e.base, map[string]any{"op": op, "table": wrTable, "grp": grp, "note": note})
					if err != nil {
						return 0, err
					}
					return nr.Rows, nil
				}))
			}
		}
		if err := rotate(r, fns); err != nil {
			return err
		}
		// Every client's DELETE must have removed the whole group.
		n, err := countRows(e.db.QueryContext(ctx, "SELECT id FROM "+wrTable+" WHERE grp = ?", delGroup))
		if err != nil {
			return err
		}
		if n != 0 {
			return fmt.Errorf("after the DELETE runs %d rows of %s remain", n, delGroup)
		}
	}
	return nil
}

// inLookup is what a hand-written client does for a key list longer than
// one $in may hold: a find per 100 keys, one after the other, each
// followed through its pages.
func (b *bare) inLookup(ctx context.Context, table string, keys []int) (int, error) {
	total := 0
	for lo := 0; lo < len(keys); lo += 100 {
		ids, _ := json.Marshal(keys[lo:min(lo+100, len(keys))])
		var sink int
		n, err := scan(ctx, b, table, func(ps string) []byte {
			return findBody(`"filter":{"id":{"$in":`+string(ids)+`}}`, ps)
		}, func(m *map[string]any) { sink += len(*m) })
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// writeWhere reads the keys of the rows of group grp, then updates each
// (note = note) or, with note empty, deletes each: one command per row, one
// after the other, as a hand-written loop does.
func (b *bare) writeWhere(ctx context.Context, table, grp, note string) (int, error) {
	var ids []int64
	filter := fmt.Sprintf(`"filter":{"grp":%q},"projection":{"id":1}`, grp)
	if _, err := scan(ctx, b, table, func(ps string) []byte { return findBody(filter, ps) }, func(r *struct {
		ID int64 `json:"id"`
	}) {
		ids = append(ids, r.ID)
	}); err != nil {
		return 0, err
	}
	for _, id := range ids {
		body := fmt.Appendf(nil, `{"deleteOne":{"filter":{"id":%d}}}`, id)
		if note != "" {
			body = fmt.Appendf(nil, `{"updateOne":{"filter":{"id":%d},"update":{"$set":{"note":%q}}}}`, id, note)
		}
		var out struct {
			Errors []apiErr `json:"errors"`
		}
		if err := b.post(ctx, table, body, &out); err != nil {
			return 0, err
		}
		if len(out.Errors) > 0 {
			return 0, fmt.Errorf("row %d: %v", id, out.Errors)
		}
	}
	return len(ids), nil
}
