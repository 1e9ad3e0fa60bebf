package planner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"

	"github.com/xwb1989/sqlparser"

	"github.com/astrasql/astrasql/typesmap"
)

// WriteConcurrency bounds the per-row commands of UPDATE/DELETE with a
// WHERE that is not a primary key (one updateOne/deleteOne per row), unless
// the Executor has a method WriteConcurrency() int saying otherwise.
var WriteConcurrency = 16

// setOp is one SET assignment.
type setOp struct {
	col typesmap.Column
	op  string // $set, $unset, $push, $pullAll
	lit *Literal
}

func planUpdate(st *Statement, upd *sqlparser.Update, schema Schema) (*Plan, error) {
	if len(upd.OrderBy) > 0 || upd.Limit != nil {
		return nil, unsupported("ORDER BY and LIMIT in UPDATE")
	}
	fp, err := planTable(st, upd.TableExprs, schema)
	if err != nil {
		return nil, err
	}
	ti := fp.ti
	var ops []setOp
	seen := map[string]bool{}
	for _, ue := range upd.Exprs {
		c, _, err := fp.colRef(ue.Name)
		if err != nil {
			return nil, err
		}
		if ti.def.IsPrimaryKey(c.Name) {
			return nil, fmt.Errorf("astrasql: UPDATE cannot change primary key column %q", c.Name)
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("astrasql: column %q set twice in UPDATE", c.Name)
		}
		seen[c.Name] = true
		op, err := fp.assignment(c, ue.Expr)
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	var pushed *fnode
	var residual sqlparser.Expr
	if upd.Where != nil {
		if pushed, residual, err = fp.split(upd.Where.Expr); err != nil {
			return nil, err
		}
	}
	p := &Plan{Statement: st, Keyspace: ti.keyspace, Table: ti.def.Name}
	if residual == nil && isExactKey(ti, pushed) {
		p.Steps = []Step{&writeOneStep{name: "updateOne", keyspace: ti.keyspace, table: ti.def.Name, filter: pushed, ops: ops}}
		return p, nil
	}
	s, err := perRow(st, fp, pushed, residual, "updateOne")
	if err != nil {
		return nil, err
	}
	s.ops = ops
	p.Steps = []Step{s}
	p.unkeyed = unkeyedReason(ti, s)
	return p, nil
}

// assignment plans c = value, c = NULL, c = c + x, c = c - x.
func (fp *filterPlanner) assignment(c typesmap.Column, e sqlparser.Expr) (setOp, error) {
	if l, ok := fp.st.exprLit(e); ok {
		if l.Kind == litNull {
			return setOp{col: c, op: "$unset"}, nil
		}
		return setOp{col: c, op: "$set", lit: l}, nil
	}
	be, ok := e.(*sqlparser.BinaryExpr)
	if ok && (be.Operator == sqlparser.PlusStr || be.Operator == sqlparser.MinusStr) {
		left, lok, err := fp.colRef(be.Left)
		if err != nil {
			return setOp{}, err
		}
		right, ok := fp.st.exprLit(be.Right)
		if !lok && be.Operator == sqlparser.PlusStr && c.Type.Kind != typesmap.KindList {
			// x + c on a set or map: order does not matter.
			if r, rok, _ := fp.colRef(be.Right); rok {
				left, lok = r, true
				right, ok = fp.st.exprLit(be.Left)
			}
		}
		if lok && ok && left.Name == c.Name && c.Type.Kind.IsCollection() && right.Kind != litNull {
			if be.Operator == sqlparser.PlusStr {
				return setOp{col: c, op: "$push", lit: right}, nil
			}
			return setOp{col: c, op: "$pullAll", lit: right}, nil
		}
		if lok && left.Name == c.Name && !c.Type.Kind.IsCollection() {
			return setOp{}, unsupported("arithmetic in SET (%s): the Data API has no increments", fp.st.render(e))
		}
	}
	return setOp{}, unsupported("SET %s = %s (give a value, NULL, or %s + / - a collection)", c.Name, fp.st.render(e), c.Name)
}

// isExactKey says whether the filter is exactly equality on every primary
// key column and nothing else (what updateOne/deleteOne accept).
func isExactKey(ti *tableInfo, f *fnode) bool {
	if f == nil {
		return false
	}
	pk := ti.def.PrimaryKey()
	conj := f.conjuncts()
	if len(conj) != len(pk) {
		return false
	}
	pinned := f.pinned()
	for _, k := range pk {
		if !pinned[k] {
			return false
		}
	}
	return true
}

// encodeUpdate writes the update document of ops. A placeholder bound to
// nil in SET c = ? unsets c.
func (b *Binding) encodeUpdate(ops []setOp) ([]byte, error) {
	groups := map[string][]byte{}
	order := []string{"$set", "$unset", "$push", "$pullAll"}
	var err error
	for _, o := range ops {
		op := o.op
		if op == "$set" && o.lit.Kind == litParam && b.Arg(o.lit.Param) == nil {
			op = "$unset"
		}
		g := groups[op]
		if len(g) > 0 {
			g = append(g, ',')
		}
		g = appendJSONString(g, o.col.Name)
		g = append(g, ':')
		switch op {
		case "$unset":
			g = append(g, `""`...)
		case "$set":
			g, err = b.encodeLit(g, o.col.Name, o.col.Type, o.lit)
		case "$push":
			g = append(g, `{"$each":`...)
			if o.col.Type.Kind == typesmap.KindMap {
				g, err = b.encodePairs(g, o.col, o.lit)
			} else {
				g, err = b.encodeElems(g, o.col, o.lit)
			}
			g = append(g, '}')
		case "$pullAll":
			if o.col.Type.Kind == typesmap.KindMap {
				// m - {k1, k2}: remove keys.
				keys := o.col
				keys.Type = typesmap.ListOf(elemKey(o.col.Type))
				g, err = b.encodeElems(g, keys, o.lit)
			} else {
				g, err = b.encodeElems(g, o.col, o.lit)
			}
		}
		if err != nil {
			return nil, err
		}
		groups[op] = g
	}
	out := []byte{'{'}
	first := true
	for _, op := range order {
		g, ok := groups[op]
		if !ok {
			continue
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(out, '"')
		out = append(out, op...)
		out = append(out, `":{`...)
		out = append(out, g...)
		out = append(out, '}')
	}
	return append(out, '}'), nil
}

// encodeElems writes a JSON array of collection elements: a list/set
// literal, a placeholder bound to a slice, or one element.
func (b *Binding) encodeElems(dst []byte, c typesmap.Column, l *Literal) ([]byte, error) {
	lt := c.Type
	if lt.Kind == typesmap.KindSet {
		lt = typesmap.ListOf(elemValue(c.Type))
	}
	switch l.Kind {
	case litList, litBrace:
		if l.IsMap {
			return dst, fmt.Errorf("astrasql: %q is %s: give a list or set of elements", c.Name, c.Type)
		}
		return b.encodeLit(dst, c.Name, lt, &Literal{Kind: litList, Elems: l.Elems})
	case litParam:
		if _, ok := b.Arg(l.Param).(unboundArg); ok {
			return b.encodeLit(dst, c.Name, lt, l)
		}
		if _, ok := sliceArg(b.Arg(l.Param)); ok {
			return b.encodeLit(dst, c.Name, lt, l)
		}
	}
	// A single element.
	return b.encodeLit(dst, c.Name, lt, &Literal{Kind: litList, Elems: []*Literal{l}})
}

// encodePairs writes map entries as [[k, v], ...] (the form every key type takes).
func (b *Binding) encodePairs(dst []byte, c typesmap.Column, l *Literal) ([]byte, error) {
	kt, vt := elemKey(c.Type), elemValue(c.Type)
	var err error
	dst = append(dst, '[')
	switch l.Kind {
	case litBrace, litList:
		if !l.IsMap && len(l.Elems) > 0 {
			return dst, fmt.Errorf("astrasql: %q is %s: give a map literal {k: v}", c.Name, c.Type)
		}
		for i := range l.Elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '[')
			if dst, err = b.encodeLit(dst, c.Name, kt, l.Keys[i]); err != nil {
				return dst, err
			}
			dst = append(dst, ',')
			if dst, err = b.encodeLit(dst, c.Name, vt, l.Elems[i]); err != nil {
				return dst, err
			}
			dst = append(dst, ']')
		}
	case litParam:
		v := b.Arg(l.Param)
		if _, ok := v.(unboundArg); ok {
			dst, _ = b.encodeLit(dst, c.Name, c.Type, l)
			break
		}
		entries, ok := mapEntries(v)
		if !ok {
			return dst, &ArgumentError{Param: b.param(l.Param), Column: c.Name, Type: c.Type.String(), Err: fmt.Errorf("want a map, got %T", v)}
		}
		for i, e := range entries {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '[')
			if dst, err = appendValue(dst, kt, e.Key); err == nil {
				dst = append(dst, ',')
				dst, err = appendValue(dst, vt, e.Value)
			}
			if err != nil {
				return dst, &ArgumentError{Param: b.param(l.Param), Column: c.Name, Type: c.Type.String(), Err: stripValueErr(err)}
			}
			dst = append(dst, ']')
		}
	default:
		return dst, fmt.Errorf("astrasql: %q is %s: give a map literal {k: v} or a placeholder", c.Name, c.Type)
	}
	return append(dst, ']'), nil
}

func mapEntries(v any) (typesmap.Map, bool) {
	if m, ok := v.(typesmap.Map); ok {
		return m, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map {
		return nil, false
	}
	var out typesmap.Map
	it := rv.MapRange()
	for it.Next() {
		out = append(out, typesmap.MapEntry{Key: it.Key().Interface(), Value: it.Value().Interface()})
	}
	return out, true
}

// writeOneStep is updateOne or deleteOne by full primary key.
type writeOneStep struct {
	name            string // updateOne, deleteOne
	keyspace, table string
	filter          *fnode
	ops             []setOp
	// probe, for deleteOne, reads the key first so RowsAffected is 0 or 1.
	probe *findStep
}

func (s *writeOneStep) command(b *Binding) (*Command, error) {
	c := &Command{Name: s.name, Keyspace: s.keyspace, Table: s.table}
	var err error
	if c.Filter, err = b.encodeFilter(nil, s.filter); err != nil {
		return nil, err
	}
	if s.name == "updateOne" {
		if c.Update, err = b.encodeUpdate(s.ops); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (s *writeOneStep) Run(ctx context.Context, ex Executor, b *Binding) (*Result, error) {
	c, err := s.command(b)
	if err != nil {
		return nil, err
	}
	skipRead := false
	if sk, ok := ex.(interface{ SkipDeleteRead() bool }); ok {
		skipRead = sk.SkipDeleteRead()
	}
	if s.probe != nil && !skipRead {
		pc, err := s.probe.command(b)
		if err != nil {
			return nil, err
		}
		it, err := ex.Read(ctx, pc)
		if err != nil {
			return nil, err
		}
		_, err = it.Next()
		it.Close()
		if err == io.EOF {
			return &Result{RowsAffected: 0}, nil
		}
		if err != nil {
			return nil, err
		}
	}
	if _, err := ex.Do(ctx, c); err != nil {
		return nil, err
	}
	if s.probe != nil && skipRead {
		return &Result{Unknown: true}, nil // deleteOne does not say whether the row was there
	}
	return &Result{RowsAffected: 1}, nil
}

func (s *writeOneStep) Explain() (string, string) {
	b, _ := (&Statement{}).bind(nil, true)
	rows := s.explainSteps(b)
	return rows[len(rows)-1][0], rows[len(rows)-1][1]
}

func (s *writeOneStep) explainSteps(b *Binding) [][2]string {
	var rows [][2]string
	if s.probe != nil {
		k, d := s.probe.explainBound(b)
		rows = append(rows, [2]string{k, d + " (does the row exist? RowsAffected is 0 or 1; skip_delete_read=true skips it)"})
	}
	c, err := s.command(b)
	if err != nil {
		return append(rows, [2]string{s.name, "error: " + err.Error()})
	}
	return append(rows, [2]string{s.name, c.JSON(true)})
}

// perRowStep reads the primary keys of matching rows, then sends one
// updateOne/deleteOne per row with bounded concurrency. RowsAffected is
// the number of rows written.
type perRowStep struct {
	name            string
	keyspace, table string
	find            *findStep
	residual        *filterOp
	keys            []typesmap.Column // fetched first, in this order
	ops             []setOp
}

func perRow(st *Statement, fp *filterPlanner, pushed *fnode, residual sqlparser.Expr, name string) (*perRowStep, error) {
	sp := &selectPlanner{filterPlanner: *fp, index: map[string]int{}}
	for _, k := range fp.ti.def.PrimaryKey() {
		c, _ := fp.ti.column(k)
		sp.fetch(c)
	}
	s := &perRowStep{name: name, keyspace: fp.ti.keyspace, table: fp.ti.def.Name, keys: append([]typesmap.Column(nil), sp.fetched...)}
	if residual != nil {
		if err := sp.fetchRefs(residual); err != nil {
			return nil, err
		}
		f, err := sp.residualOp(residual)
		if err != nil {
			return nil, err
		}
		s.residual = f
	}
	s.find = &findStep{cmd: Command{Name: "find", Keyspace: fp.ti.keyspace, Table: fp.ti.def.Name}, filter: pushed}
	sp.setProjection(s.find, nil)
	return s, nil
}

func (s *perRowStep) template(b *Binding) (*Command, error) {
	c := &Command{Name: s.name, Keyspace: s.keyspace, Table: s.table}
	if s.name == "updateOne" {
		var err error
		if c.Update, err = b.encodeUpdate(s.ops); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (s *perRowStep) keyFilter(row Row) ([]byte, error) {
	f := []byte{'{'}
	for i, k := range s.keys {
		if i > 0 {
			f = append(f, ',')
		}
		f = appendJSONString(f, k.Name)
		f = append(f, ':')
		var err error
		if f, err = appendValue(f, k.Type, row[i]); err != nil {
			return nil, fmt.Errorf("astrasql: key column %q: %v", k.Name, err)
		}
	}
	return append(f, '}'), nil
}

func (s *perRowStep) Run(ctx context.Context, ex Executor, b *Binding) (*Result, error) {
	tmpl, err := s.template(b) // arguments are checked before anything is sent
	if err != nil {
		return nil, err
	}
	fcs, err := s.find.commands(b) // one per chunk of a big IN (inchunk.go)
	if err != nil {
		return nil, err
	}
	var rows RowIter
	if len(fcs) > 1 {
		rows = &concatIter{ctx: ctx, ex: ex, cmds: fcs}
	} else if rows, err = ex.Read(ctx, fcs[0]); err != nil {
		return nil, err
	}
	if s.residual != nil {
		if rows, err = s.residual.Open(rows, b); err != nil {
			return nil, err
		}
	}
	defer rows.Close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan []byte)
	var (
		mu            sync.Mutex
		done, unknown int64
		firstErr      error
		wg            sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
		mu.Unlock()
	}
	workers := writeWorkers(ex)
	for w := 0; w < max(1, workers); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				if ctx.Err() != nil {
					continue // stopped: not sent
				}
				c := *tmpl
				c.Filter = f
				_, err := ex.Do(ctx, &c)
				mu.Lock()
				switch {
				case err == nil:
					done++
				case !NotApplied(err):
					unknown++ // in flight: the server may have written it
				}
				mu.Unlock()
				if err != nil {
					fail(err)
				}
			}
		}()
	}
	var readErr error
loop:
	for {
		r, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		f, err := s.keyFilter(r)
		if err != nil {
			readErr = err
			break
		}
		select {
		case work <- f:
		case <-ctx.Done():
			break loop
		}
	}
	close(work)
	wg.Wait()
	if firstErr == nil {
		firstErr = readErr
	}
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return nil, &PartialWriteError{Command: s.name, Done: done, Unknown: unknown, Err: firstErr}
	}
	return &Result{RowsAffected: done}, nil
}

// PartialWriteError reports a per-row UPDATE/DELETE that stopped: Done rows
// were confirmed written before Err; Unknown more were in flight (or
// failed in a way that may follow a write, such as a timeout): the server
// may or may not have written them. Rows refused by the server, and rows
// not sent, are in neither count.
type PartialWriteError struct {
	Command string
	Done    int64
	Unknown int64
	Err     error
}

func (e *PartialWriteError) Error() string {
	if e.Unknown > 0 {
		return fmt.Sprintf("astrasql: %s stopped after %d row(s) were written and %d more may have been (in flight, outcome unknown): %v",
			e.Command, e.Done, e.Unknown, e.Err)
	}
	return fmt.Sprintf("astrasql: %s stopped after %d row(s) were written: %v", e.Command, e.Done, e.Err)
}

// NotApplied says whether err means the server did not apply the command:
// the executor's errors say so with a NotApplied() bool method (dataapi's
// API and HTTP errors do). Any other error (a timeout, a lost connection,
// a context ended while the command was in flight) leaves it unknown.
func NotApplied(err error) bool {
	var na interface{ NotApplied() bool }
	return errors.As(err, &na) && na.NotApplied()
}

func (e *PartialWriteError) Unwrap() error { return e.Err }

func (s *perRowStep) Explain() (string, string) {
	b, _ := (&Statement{}).bind(nil, true)
	rows := s.explainSteps(b)
	return rows[0][0], rows[0][1]
}

func (s *perRowStep) explainSteps(b *Binding) [][2]string {
	k, d := s.find.explainBound(b)
	rows := [][2]string{{k, d + " (primary keys of the rows to change)"}}
	if s.residual != nil {
		k, d := s.residual.Explain()
		rows = append(rows, [2]string{k, d})
	}
	c, err := s.template(b)
	if err != nil {
		return append(rows, [2]string{s.name, "error: " + err.Error()})
	}
	var keyNames []byte
	keyNames = append(keyNames, '{')
	for i, k := range s.keys {
		if i > 0 {
			keyNames = append(keyNames, ',')
		}
		keyNames = appendJSONString(keyNames, k.Name)
		keyNames = append(keyNames, `:"<key>"`...)
	}
	c.Filter = append(keyNames, '}')
	workers := b.workers
	if workers <= 0 {
		workers = WriteConcurrency
	}
	return append(rows, [2]string{s.name, fmt.Sprintf("%s (one per row, %d at a time; %s)", c.JSON(true), workers, s.race())})
}

// writeWorkers is how many per-row commands run at once on ex: its
// WriteConcurrency() when it has one, else WriteConcurrency.
func writeWorkers(ex Executor) int {
	if wc, ok := ex.(interface{ WriteConcurrency() int }); ok && wc.WriteConcurrency() > 0 {
		return wc.WriteConcurrency()
	}
	return WriteConcurrency
}

// race says plainly what reading keys and then writing each row means
// with other writers: the Data API has no conditional writes.
func (s *perRowStep) race() string {
	if s.name == "deleteOne" {
		return "unconditional: WHERE is checked when the keys are read, not when each row is deleted, so a row changed meanwhile by another writer to no longer match is deleted anyway"
	}
	return "unconditional: WHERE is checked when the keys are read, not when each row is written, so a row deleted meanwhile by another writer is re-created (holding its key and the SET columns) and one changed meanwhile to no longer match is updated anyway"
}
