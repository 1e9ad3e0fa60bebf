package planner

import (
	"context"
	"fmt"
	"io"
)

// IN lists past the server's 100 values. A top-level AND conjunct
// c IN (...) with more values is not sent as one filter with an $or of
// $in chunks: on the server an $or over a partition key is a filtered
// scan, not partition lookups. A SELECT sends one find per chunk of at
// most 100 distinct values instead and concatenates the rows (each row
// matches exactly one chunk); DELETE ... WHERE k IN (...) on a one-column
// partition key sends one deleteMany per chunk. Elsewhere (under OR or
// NOT, with a vector or pushed-down sort) the $or form stays.

// bigIn returns the top-level conjunct of f that is an $in with more than
// maxInValues values for this binding, or nil.
func (b *Binding) bigIn(f *fnode) *fnode {
	for _, k := range f.conjuncts() {
		if k.op != "cmp" || k.cmp != "$in" || k.wrap != "" || k.elem {
			continue
		}
		lits, xs := b.inValues(k)
		if len(lits)+len(xs) > maxInValues {
			return k
		}
	}
	return nil
}

// inChunks splits the values of n (an $in) into nodes of at most
// maxInValues distinct values each (duplicates dropped, so that no row is
// read twice). Values are compared by their wire JSON.
func (b *Binding) inChunks(n *fnode) ([]*fnode, error) {
	lits, xs := b.inValues(n)
	seen := map[string]bool{}
	var chunks []*fnode
	var cur *fnode
	size := 0
	add := func(enc []byte, l *Literal, x any) {
		if seen[string(enc)] {
			return
		}
		seen[string(enc)] = true
		if cur == nil || size == maxInValues {
			c := *n
			if l != nil {
				c.vals = nil
			} // else keep vals: the argument's placeholder names errors
			c.xs = nil
			cur, size = &c, 0
			chunks = append(chunks, cur)
		}
		size++
		if l != nil {
			cur.vals = append(cur.vals, l)
		} else {
			cur.xs = append(cur.xs, x)
		}
	}
	for _, l := range lits {
		enc, err := b.encodeOperand(nil, n, l)
		if err != nil {
			return nil, err
		}
		add(enc, l, nil)
	}
	if len(xs) > 0 {
		t := b.operandType(n)
		for i, x := range xs {
			if x == nil {
				return nil, &ArgumentError{Param: b.param(n.vals[0].Param), Column: n.col.Name, Type: t.String(), Err: fmt.Errorf("element %d is NULL", i+1)}
			}
			enc, err := appendValue(nil, t, x)
			if err != nil {
				return nil, &ArgumentError{Param: b.param(n.vals[0].Param), Column: n.col.Name, Type: t.String(), Err: fmt.Errorf("element %d: %v", i+1, stripValueErr(err))}
			}
			add(enc, nil, x)
		}
	}
	return chunks, nil
}

// replaceNode returns f with old replaced by repl (a shallow copy of the
// path to it).
func replaceNode(f, old, repl *fnode) *fnode {
	if f == old {
		return repl
	}
	if f == nil || len(f.kids) == 0 {
		return f
	}
	c := *f
	c.kids = make([]*fnode, len(f.kids))
	for i, k := range f.kids {
		c.kids[i] = replaceNode(k, old, repl)
	}
	return &c
}

// chunkedFilters returns the filters of the finds a big top-level IN
// splits f into, or nil when f needs one filter.
func (b *Binding) chunkedFilters(f *fnode) ([]*fnode, error) {
	n := b.bigIn(f)
	if n == nil {
		return nil, nil
	}
	chunks, err := b.inChunks(n)
	if err != nil {
		return nil, err
	}
	out := make([]*fnode, len(chunks))
	for i, c := range chunks {
		out[i] = replaceNode(f, n, c)
	}
	return out, nil
}

// concatReadAhead is how many of a chunked IN's finds are open at once.
// Each find costs a round trip per page; opening the next ones while the
// caller reads the first overlaps those round trips (each open cursor holds
// at most two pages, so memory stays bounded).
const concatReadAhead = 8

// concatIter reads the finds of cmds in order, their rows one find after
// the other, while up to concatReadAhead of them are being fetched.
type concatIter struct {
	ctx    context.Context
	ex     Executor
	cmds   []*Command
	cur    RowIter
	next   int                // the next command to open
	opened []chan openedIter  // in command order: the finds started and not yet read
	cancel context.CancelFunc // stops the finds started ahead, at Close
}

type openedIter struct {
	it  RowIter
	err error
}

// fill starts finds until concatReadAhead are open or none is left.
func (it *concatIter) fill() {
	if it.cancel == nil {
		it.ctx, it.cancel = context.WithCancel(it.ctx)
	}
	for len(it.opened) < concatReadAhead && it.next < len(it.cmds) {
		ch := make(chan openedIter, 1)
		c := it.cmds[it.next]
		it.next++
		it.opened = append(it.opened, ch)
		go func() {
			r, err := it.ex.Read(it.ctx, c)
			ch <- openedIter{r, err}
		}()
	}
}

func (it *concatIter) Next() (Row, error) {
	for {
		if it.cur == nil {
			it.fill()
			if len(it.opened) == 0 {
				return nil, io.EOF
			}
			o := <-it.opened[0]
			it.opened = it.opened[1:]
			if o.err != nil {
				return nil, o.err
			}
			it.cur = o.it
			it.fill()
		}
		row, err := it.cur.Next()
		if err == io.EOF {
			it.cur.Close()
			it.cur = nil
			continue
		}
		return row, err
	}
}

// Close closes the find being read and every find opened ahead (waiting
// for those still opening, so that no request outlives Close).
func (it *concatIter) Close() error {
	it.next = len(it.cmds)
	if it.cancel != nil {
		it.cancel()
	}
	var err error
	if it.cur != nil {
		err = it.cur.Close()
		it.cur = nil
	}
	for _, ch := range it.opened {
		if o := <-ch; o.err == nil {
			o.it.Close()
		}
	}
	it.opened = nil
	return err
}
