package planner

import (
	"context"
	"fmt"
	"io"

	"github.com/xwb1989/sqlparser"

	"github.com/astrasql/astrasql/typesmap"
)

func planDelete(st *Statement, del *sqlparser.Delete, schema Schema) (*Plan, error) {
	if len(del.Targets) > 0 {
		return nil, unsupported("multi-table DELETE")
	}
	if len(del.OrderBy) > 0 || del.Limit != nil {
		return nil, unsupported("ORDER BY and LIMIT in DELETE")
	}
	if len(del.Partitions) > 0 {
		return nil, unsupported("PARTITION in DELETE")
	}
	fp, err := planTable(st, del.TableExprs, schema)
	if err != nil {
		return nil, err
	}
	ti := fp.ti
	s, err := deleteStep(st, fp, del.Where)
	if err != nil {
		return nil, err
	}
	return &Plan{Statement: st, Keyspace: ti.keyspace, Table: ti.def.Name, Steps: []Step{s}, unkeyed: unkeyedReason(ti, s)}, nil
}

// deleteStep picks how DELETE ... WHERE where runs (nil: no WHERE).
func deleteStep(st *Statement, fp *filterPlanner, where *sqlparser.Where) (Step, error) {
	ti := fp.ti
	if where == nil {
		return &deleteManyStep{keyspace: ti.keyspace, table: ti.def.Name}, nil
	}
	pushed, residual, err := fp.split(where.Expr)
	if err != nil {
		return nil, err
	}
	if residual == nil && isExactKey(ti, pushed) {
		// Read the key first so that RowsAffected is exact (0 or 1): a
		// Cassandra delete is blind and the server cannot say.
		sp := &selectPlanner{filterPlanner: *fp, index: map[string]int{}}
		c, _ := ti.column(ti.def.PrimaryKey()[0])
		sp.fetch(c)
		probe := &findStep{cmd: Command{Name: "findOne", Keyspace: ti.keyspace, Table: ti.def.Name}, filter: pushed}
		sp.setProjection(probe, nil)
		return &writeOneStep{name: "deleteOne", keyspace: ti.keyspace, table: ti.def.Name, filter: pushed, probe: probe}, nil
	}
	if residual == nil && isPartitionRange(ti, pushed) {
		return &deleteManyStep{keyspace: ti.keyspace, table: ti.def.Name, filter: pushed}, nil
	}
	if residual == nil && isPartitionIn(ti, pushed) {
		return &deleteInStep{keyspace: ti.keyspace, table: ti.def.Name, in: pushed,
			count: len(ti.def.PartitionSort) == 0}, nil
	}
	return perRow(st, fp, pushed, residual, "deleteOne")
}

func planTruncate(st *Statement, schema Schema) (*Plan, error) {
	ti, err := lookupTable(schema, *st.truncate)
	if err != nil {
		return nil, err
	}
	return &Plan{Statement: st, Keyspace: ti.keyspace, Table: ti.def.Name,
		Steps: []Step{&deleteManyStep{keyspace: ti.keyspace, table: ti.def.Name}}}, nil
}

// isPartitionRange says whether deleteMany takes the filter: only primary
// key columns, the whole partition key by equality, then a clustering
// prefix by equality and optionally a range on the next clustering column.
func isPartitionRange(ti *tableInfo, f *fnode) bool {
	if f == nil {
		return false
	}
	byCol := map[string][]*fnode{}
	for _, k := range f.conjuncts() {
		if k.op != "cmp" || k.wrap != "" || k.elem || !ti.def.IsPrimaryKey(k.col.Name) {
			return false
		}
		byCol[k.col.Name] = append(byCol[k.col.Name], k)
	}
	isEq := func(ns []*fnode) bool { return len(ns) == 1 && ns[0].cmp == "$eq" }
	for _, p := range ti.def.PartitionBy {
		if !isEq(byCol[p]) {
			return false
		}
	}
	rangeSeen := false
	for _, c := range ti.def.PartitionSort {
		ns := byCol[c.Column]
		if len(ns) == 0 {
			rangeSeen = true // nothing may follow a gap
			continue
		}
		if rangeSeen {
			return false
		}
		if isEq(ns) {
			continue
		}
		for _, n := range ns {
			switch n.cmp {
			case "$gt", "$gte", "$lt", "$lte":
			default:
				return false
			}
		}
		rangeSeen = true
	}
	return true
}

// deleteManyStep deletes a partition or a range of it (or truncates the
// table with no filter). The server reports no count.
type deleteManyStep struct {
	keyspace, table string
	filter          *fnode
}

func (s *deleteManyStep) command(b *Binding) (*Command, error) {
	c := &Command{Name: "deleteMany", Keyspace: s.keyspace, Table: s.table}
	var err error
	if c.Filter, err = b.encodeFilter(nil, s.filter); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *deleteManyStep) Run(ctx context.Context, ex Executor, b *Binding) (*Result, error) {
	c, err := s.command(b)
	if err != nil {
		return nil, err
	}
	if _, err := ex.Do(ctx, c); err != nil {
		return nil, err
	}
	return &Result{Unknown: true}, nil
}

func (s *deleteManyStep) Explain() (string, string) {
	b, _ := (&Statement{}).bind(nil, true)
	return s.explainBound(b)
}

func (s *deleteManyStep) explainBound(b *Binding) (string, string) {
	c, err := s.command(b)
	if err != nil {
		return "deleteMany", "error: " + err.Error()
	}
	note := " (the server reports no count)"
	if s.filter == nil {
		note = " (empty filter: truncates the table; the server reports no count)"
	}
	return "deleteMany", c.JSON(true) + note
}

// isPartitionIn says whether f is exactly k IN (...) on a one-column
// partition key: deleteMany takes $in on partition keys (one request per
// chunk of 100 values) instead of reading the keys and deleting row by row.
func isPartitionIn(ti *tableInfo, f *fnode) bool {
	return f != nil && len(ti.def.PartitionBy) == 1 && f.op == "cmp" && f.cmp == "$in" &&
		f.wrap == "" && !f.elem && f.col.Name == ti.def.PartitionBy[0]
}

// deleteInStep is DELETE ... WHERE k IN (...) on the partition key: per
// chunk of at most 100 distinct values, a deleteMany with $in. When the
// table has no clustering columns (one row per key), a find of the keys
// first makes RowsAffected exact; with clustering columns a partition may
// hold any number of rows and RowsAffected is unknown, as for any
// partition delete.
type deleteInStep struct {
	keyspace, table string
	in              *fnode
	count           bool
}

func (s *deleteInStep) commands(b *Binding) (probes, deletes []*Command, err error) {
	chunks := []*fnode{s.in}
	if b.bigIn(s.in) != nil {
		if chunks, err = b.inChunks(s.in); err != nil {
			return nil, nil, err
		}
	}
	for _, c := range chunks {
		f, err := b.encodeFilter(nil, c)
		if err != nil {
			return nil, nil, err
		}
		if s.count {
			key := appendJSONString(nil, s.in.col.Name)
			probes = append(probes, &Command{Name: "find", Keyspace: s.keyspace, Table: s.table, Filter: f,
				Projection: append(append([]byte{'{'}, key...), ":1}"...), Columns: []typesmap.Column{s.in.col}})
		}
		deletes = append(deletes, &Command{Name: "deleteMany", Keyspace: s.keyspace, Table: s.table, Filter: f})
	}
	return probes, deletes, nil
}

func (s *deleteInStep) Run(ctx context.Context, ex Executor, b *Binding) (*Result, error) {
	probes, deletes, err := s.commands(b)
	if err != nil {
		return nil, err
	}
	var n, done int64 // rows found so far; rows of the chunks deleted
	// fail reports chunk i failing; sent says whether its deleteMany was
	// sent (it may then be applied, unless the server says it was not).
	fail := func(i int, sent bool, err error) (*Result, error) {
		maybe := sent && !NotApplied(err)
		if i == 0 && !maybe {
			return nil, err // nothing deleted
		}
		if !s.count {
			if maybe {
				return nil, fmt.Errorf("astrasql: deleteMany %d of %d failed and may have been applied; the first %d were applied: %w", i+1, len(deletes), i, err)
			}
			return nil, fmt.Errorf("astrasql: deleteMany %d of %d failed; the first %d were applied: %w", i+1, len(deletes), i, err)
		}
		pw := &PartialWriteError{Command: "deleteMany", Done: done, Err: err}
		if maybe {
			pw.Unknown = n - done // the rows of chunk i found by its probe
		}
		return nil, pw
	}
	for i, d := range deletes {
		if s.count {
			rows, err := ex.Read(ctx, probes[i])
			if err != nil {
				return fail(i, false, err)
			}
			for {
				if _, err = rows.Next(); err != nil {
					break
				}
				n++
			}
			rows.Close()
			if err != io.EOF {
				return fail(i, false, err)
			}
		}
		if _, err := ex.Do(ctx, d); err != nil {
			return fail(i, true, err)
		}
		done = n
	}
	if !s.count {
		return &Result{Unknown: true}, nil
	}
	return &Result{RowsAffected: n}, nil
}

func (s *deleteInStep) Explain() (string, string) {
	b, _ := (&Statement{}).bind(nil, true)
	return s.explainBound(b)
}

func (s *deleteInStep) explainSteps(b *Binding) [][2]string {
	probes, deletes, err := s.commands(b)
	if err != nil {
		return [][2]string{{"deleteMany", "error: " + err.Error()}}
	}
	var out [][2]string
	if len(probes) > 0 {
		out = append(out, [2]string{"find", probes[0].JSON(true) + " (the keys that exist, so that RowsAffected is exact)"})
	}
	note := " (partition keys by $in; the server reports no count)"
	if len(deletes) > 1 {
		note = fmt.Sprintf(" (one per chunk of at most %d IN values: %d in all)", maxInValues, len(deletes))
	}
	return append(out, [2]string{"deleteMany", deletes[0].JSON(true) + note})
}

func (s *deleteInStep) explainBound(b *Binding) (string, string) {
	steps := s.explainSteps(b)
	last := steps[len(steps)-1]
	return last[0], last[1]
}
