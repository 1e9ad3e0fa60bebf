package planner

import (
	"container/heap"
	"fmt"
	"io"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/astrasql/astrasql/typesmap"
)

// Client-side row operators: sort (full, or top-k with a heap when a LIMIT
// bounds the result), DISTINCT, OFFSET/LIMIT. They stream where they can
// and hold rows only where they must, within a memory budget.
//
// Budget policy (README material): a full client-side sort, DISTINCT and
// GROUP BY keep rows (or groups) in memory. Past DefaultMemoryBudget bytes
// (estimated) the query fails with a *MemoryBudgetError that says to add a
// LIMIT (a sort then keeps only LIMIT+OFFSET rows), narrow the WHERE, or
// sort by clustering columns within one partition so that the server
// sorts. We chose an error over spilling to disk: a driver writing
// temporary files surprises people, and the server's own in-memory sort
// stops at 10,000 rows anyway.

// DefaultMemoryBudget is the default limit, in estimated bytes, of what
// one client-side sort, DISTINCT or GROUP BY may hold. The driver may set
// a per-connector value (MemoryBudget on the operators).
var DefaultMemoryBudget int64 = 256 << 20

// MemoryBudgetError says a client-side step needed more memory than allowed.
type MemoryBudgetError struct {
	Step   string // "ORDER BY", "DISTINCT", "GROUP BY"
	Budget int64
	Rows   int64
	Hint   string
}

func (e *MemoryBudgetError) Error() string {
	return fmt.Sprintf("astrasql: client-side %s went past its memory budget of %d MiB after %d rows; %s",
		e.Step, e.Budget>>20, e.Rows, e.Hint)
}

// approxSize estimates the memory a value holds, for budgets.
func approxSize(v any) int64 {
	switch x := v.(type) {
	case nil, bool, int64, float64:
		return 16
	case string:
		return 16 + int64(len(x))
	case []byte:
		return 24 + int64(len(x))
	case *big.Int:
		return 40 + int64(len(x.Bits())*8)
	case time.Time:
		return 24
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice {
		n := int64(24)
		for i := 0; i < rv.Len() && i < 64; i++ {
			n += approxSize(rv.Index(i).Interface())
		}
		if rv.Len() > 64 {
			n = n * int64(rv.Len()) / 64
		}
		return n
	}
	return 32
}

func approxRowSize(r Row) int64 {
	n := int64(24 + 16*len(r))
	for _, v := range r {
		n += approxSize(v)
	}
	return n
}

// ---- sort ----

// sortOp sorts its input rows by keys. With topK > 0 it keeps only the
// first topK rows of the order in a heap (ORDER BY ... LIMIT n keeps n+offset
// rows, however many it reads).
type sortOp struct {
	keys   []SortKey
	kinds  []vkind
	names  []string // key names, for EXPLAIN
	topK   int
	budget int64
	reason string
}

// newSortOp returns a client-side sort by keys (column indexes of the input
// row). topK > 0 keeps only the first topK rows (a heap). NULL sorts first
// ascending, last descending, as the Data API does. Ties keep input order.
func newSortOp(keys []SortKey, topK int) (RowOp, error) {
	return newSortOpTyped(keys, nil, topK)
}

// newSortOpTyped is newSortOp with the key columns' types (types[i] for
// keys[i]; nil or Kind "" when unknown) so that decimal columns, which rows
// hold as strings, sort as numbers.
func newSortOpTyped(keys []SortKey, types []typesmap.Type, topK int) (*sortOp, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("astrasql: sort without keys")
	}
	op := &sortOp{keys: keys, topK: topK, budget: DefaultMemoryBudget}
	for i := range keys {
		k := kAny
		if i < len(types) {
			k = kindOfType(types[i])
		}
		op.kinds = append(op.kinds, k)
	}
	return op, nil
}

func (o *sortOp) Explain() (string, string) {
	var parts []string
	for i, k := range o.keys {
		name := "#" + strconv.Itoa(k.Col+1)
		if i < len(o.names) && o.names[i] != "" {
			name = o.names[i]
		}
		if k.Desc {
			name += " DESC"
		}
		parts = append(parts, name)
	}
	d := "ORDER BY " + strings.Join(parts, ", ")
	if o.topK > 0 {
		d += fmt.Sprintf(" (top %d rows kept in a heap)", o.topK)
	} else {
		d += fmt.Sprintf(" (all rows held in memory, budget %d MiB)", o.budget>>20)
	}
	reason := o.reason
	if reason == "" {
		reason = "the Data API sorts only by clustering columns within one partition (its in-memory sort stops at 10,000 rows and returns one page)"
	}
	return "sort", d + "; client-side: " + reason
}

// keyOf returns the row's sort keys converted once for comparing (decimal
// text to exact numbers), or nil when the row's own values serve.
func (o *sortOp) keyOf(r Row) []any {
	conv := false
	for _, k := range o.kinds {
		if k == kDecimal || k == kVarint {
			conv = true
		}
	}
	if !conv {
		return nil
	}
	ks := make([]any, len(o.keys))
	for i, k := range o.keys {
		v := r[k.Col]
		if s, ok := v.(string); ok && (o.kinds[i] == kDecimal || o.kinds[i] == kVarint) {
			if m, sc, ok := parseShortDecimal(s); ok {
				v = shortDec{m: m, sc: sc}
			} else if x, ok := new(big.Rat).SetString(s); ok {
				v = x
			}
		}
		ks[i] = v
	}
	return ks
}

// lessK orders two rows, using their converted keys when given.
func (o *sortOp) lessK(a Row, ak []any, b Row, bk []any) (bool, error) {
	c, err := o.cmpK(a, ak, b, bk)
	return c < 0, err
}

// cmpK compares two rows in output order: <0, 0, >0.
func (o *sortOp) cmpK(a Row, ak []any, b Row, bk []any) (int, error) {
	for i, k := range o.keys {
		av, bv := a[k.Col], b[k.Col]
		if ak != nil {
			av = ak[i]
		}
		if bk != nil {
			bv = bk[i]
		}
		c, err := compareForSort(av, bv, o.kinds[i])
		if err != nil {
			return 0, err
		}
		if c != 0 {
			if k.Desc {
				return -c, nil
			}
			return c, nil
		}
	}
	return 0, nil
}

func (o *sortOp) Open(in RowIter, _ *Binding) (RowIter, error) {
	return &sortIter{op: o, in: in}, nil
}

type sortIter struct {
	op     *sortOp
	in     RowIter
	rows   []Row
	pos    int
	done   bool
	err    error
	closed bool
}

func (s *sortIter) Next() (Row, error) {
	if s.err != nil {
		return nil, s.err
	}
	if !s.done {
		s.done = true
		if err := s.fill(); err != nil {
			s.err = err
			s.rows = nil
			return nil, err
		}
	}
	if s.pos >= len(s.rows) {
		return nil, io.EOF
	}
	s.pos++
	return s.rows[s.pos-1], nil
}

func (s *sortIter) fill() error {
	defer s.in.Close()
	var cmpErr error
	if s.op.topK > 0 {
		h := &rowHeap{op: s.op, err: &cmpErr}
		var n int64
		for {
			r, err := s.in.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			it := heapItem{r: r, seq: n, k: s.op.keyOf(r)}
			if h.Len() < s.op.topK {
				heap.Push(h, it)
			} else if worse, _ := s.worse(h.items[0], it); worse {
				h.items[0] = it
				heap.Fix(h, 0)
			}
			n++
			if cmpErr != nil {
				return cmpErr
			}
		}
		// Pop worst-first, fill from the back.
		s.rows = make([]Row, h.Len())
		for i := len(s.rows) - 1; i >= 0; i-- {
			s.rows[i] = heap.Pop(h).(heapItem).r
		}
		return cmpErr
	}
	var used, n int64
	for {
		r, err := s.in.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		n++
		used += approxRowSize(r)
		if used > s.op.budget {
			return &MemoryBudgetError{Step: "ORDER BY", Budget: s.op.budget, Rows: n,
				Hint: "add LIMIT (a sort with LIMIT keeps only the first rows), narrow the WHERE clause, or order by clustering columns within one partition so that the server sorts"}
		}
		s.rows = append(s.rows, r)
	}
	var keys [][]any
	if s.op.keyOf(Row(make([]any, maxCol(s.op.keys)+1))) != nil {
		keys = make([][]any, len(s.rows))
		for i, r := range s.rows {
			keys[i] = s.op.keyOf(r)
		}
	}
	idx := make([]int, len(s.rows))
	for i := range idx {
		idx[i] = i
	}
	// An unstable sort of indices with the input position as the last key
	// is stable, and O(n log n) where SliceStable is O(n log² n).
	sort.Slice(idx, func(i, j int) bool {
		if cmpErr != nil {
			return false
		}
		a, b := idx[i], idx[j]
		var ak, bk []any
		if keys != nil {
			ak, bk = keys[a], keys[b]
		}
		c, err := s.op.cmpK(s.rows[a], ak, s.rows[b], bk)
		if err != nil {
			cmpErr = err
			return false
		}
		return c < 0 || c == 0 && a < b
	})
	sorted := make([]Row, len(idx))
	for i, j := range idx {
		sorted[i] = s.rows[j]
	}
	s.rows = sorted
	return cmpErr
}

// worse reports whether a comes after b in the output order (ties: the
// later input row is worse, so the sort is stable).
func (s *sortIter) worse(a, b heapItem) (bool, error) {
	l, err := s.op.lessK(b.r, b.k, a.r, a.k)
	if err != nil || l {
		return l, err
	}
	g, err := s.op.lessK(a.r, a.k, b.r, b.k)
	if err != nil || g {
		return false, err
	}
	return a.seq > b.seq, nil
}

func (s *sortIter) Close() error {
	s.rows = nil
	s.done, s.pos = true, 0
	if s.closed {
		return nil
	}
	s.closed = true
	return s.in.Close()
}

type heapItem struct {
	r   Row
	seq int64
	k   []any
}

// rowHeap is a max-heap by output order: the root is the worst row kept.
type rowHeap struct {
	op    *sortOp
	items []heapItem
	err   *error
}

func (h *rowHeap) Len() int { return len(h.items) }
func (h *rowHeap) Less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	l, err := h.op.lessK(b.r, b.k, a.r, a.k)
	if err != nil {
		*h.err = err
		return false
	}
	if l {
		return true
	}
	g, err := h.op.lessK(a.r, a.k, b.r, b.k)
	if err != nil {
		*h.err = err
		return false
	}
	if g {
		return false
	}
	return a.seq > b.seq
}
func (h *rowHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *rowHeap) Push(x any)    { h.items = append(h.items, x.(heapItem)) }
func (h *rowHeap) Pop() any {
	n := len(h.items) - 1
	it := h.items[n]
	h.items = h.items[:n]
	return it
}

// ---- distinct ----

type distinctOp struct {
	budget int64
	kinds  []vkind // per column: decimals compare by value
}

// newDistinctOp returns an operator that drops repeated rows (SELECT
// DISTINCT), keeping the first occurrence and the input order. It holds
// one key per distinct row, within the memory budget. types are the
// columns' types (decimal 1.0 and 1 are the same value); nil when unknown.
func newDistinctOp(types []typesmap.Type) *distinctOp {
	o := &distinctOp{budget: DefaultMemoryBudget}
	for _, t := range types {
		o.kinds = append(o.kinds, kindOfType(t))
	}
	return o
}

func (o *distinctOp) Explain() (string, string) {
	return "distinct", fmt.Sprintf("drop repeated rows (keys held in memory, budget %d MiB); client-side: the Data API has no DISTINCT", o.budget>>20)
}

func (o *distinctOp) Open(in RowIter, _ *Binding) (RowIter, error) {
	return &distinctIter{in: in, budget: o.budget, kinds: o.kinds, seen: map[string]struct{}{}}, nil
}

type distinctIter struct {
	in     RowIter
	seen   map[string]struct{}
	used   int64
	budget int64
	kinds  []vkind
	buf    []byte
}

func (d *distinctIter) Next() (Row, error) {
	for {
		r, err := d.in.Next()
		if err != nil {
			return nil, err
		}
		d.buf = appendRowKey(d.buf[:0], r, d.kinds)
		if _, ok := d.seen[string(d.buf)]; ok {
			continue
		}
		d.used += int64(len(d.buf)) + 48
		if d.used > d.budget {
			return nil, &MemoryBudgetError{Step: "DISTINCT", Budget: d.budget, Rows: int64(len(d.seen)),
				Hint: "add LIMIT or narrow the WHERE clause"}
		}
		d.seen[string(d.buf)] = struct{}{}
		return r, nil
	}
}

func (d *distinctIter) Close() error { d.seen = nil; return d.in.Close() }

// appendRowKey appends an encoding of the row's values under which equal
// rows (as DISTINCT and GROUP BY see them) have equal keys.
func appendRowKey(dst []byte, r Row, kinds []vkind) []byte {
	for i, v := range r {
		k := kAny
		if i < len(kinds) {
			k = kinds[i]
		}
		dst = appendValueKey(dst, v, k)
		dst = append(dst, 0)
	}
	return dst
}

// appendValueKey appends v's grouping key: values that compare equal get
// the same key (1 and 1.0, 1 and the decimal 1.00) and values that do not
// get different keys (-0.0 and 0.0, as the server's Double.compare). k is
// the value's static kind: decimals are held as strings and keyed by value
// only when k says they are decimals.
func appendValueKey(dst []byte, v any, k vkind) []byte {
	v = normalizeParam(v)
	if s, ok := v.(string); ok && (k == kDecimal || k == kVarint) {
		if r, ok := new(big.Rat).SetString(s); ok {
			if r.IsInt() {
				dst = append(dst, 'n')
				return r.Num().Append(dst, 10)
			}
			dst = append(dst, 'r')
			return append(dst, r.RatString()...)
		}
	}
	switch x := v.(type) {
	case nil:
		return append(dst, 'N')
	case int64:
		dst = append(dst, 'n')
		return strconv.AppendInt(dst, x, 10)
	case *big.Int:
		dst = append(dst, 'n')
		return x.Append(dst, 10)
	case float64:
		// Integral floats share the integers' key so 1 and 1.0 group together.
		if x == float64(int64(x)) && (x != 0 || !math.Signbit(x)) {
			dst = append(dst, 'n')
			return strconv.AppendInt(dst, int64(x), 10)
		}
		dst = append(dst, 'f')
		return strconv.AppendFloat(dst, x, 'g', -1, 64)
	case string:
		dst = append(dst, 's')
		return append(dst, strings.ReplaceAll(x, "\x00", "\x00\x01")...)
	case []byte:
		dst = append(dst, 'b')
		return append(dst, strings.ReplaceAll(string(x), "\x00", "\x00\x01")...)
	case bool:
		if x {
			return append(dst, 'T')
		}
		return append(dst, 'F')
	case time.Time:
		dst = append(dst, 't')
		return strconv.AppendInt(dst, x.UnixNano(), 10)
	}
	dst = append(dst, 'o')
	dst = append(dst, fmt.Sprintf("%T:%v", v, v)...)
	return dst
}

func maxCol(keys []SortKey) int {
	m := 0
	for _, k := range keys {
		if k.Col > m {
			m = k.Col
		}
	}
	return m
}

// shortDec is a decimal of at most 18 digits as mantissa and scale: a sort
// key compared without allocating.
type shortDec struct {
	m  int64
	sc int
}

var pow10 = func() [19]int64 {
	var p [19]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// cmpShortDec compares two short decimals exactly.
func cmpShortDec(a, b shortDec) int {
	am, bm := a.m, b.m
	switch d := a.sc - b.sc; {
	case d > 0: // scale b up
		if d > 18 || bm > math.MaxInt64/pow10[d] || bm < math.MinInt64/pow10[d] {
			return a.rat().Cmp(b.rat())
		}
		bm *= pow10[d]
	case d < 0:
		d = -d
		if d > 18 || am > math.MaxInt64/pow10[d] || am < math.MinInt64/pow10[d] {
			return a.rat().Cmp(b.rat())
		}
		am *= pow10[d]
	}
	return cmpOrdered(am, bm)
}

func (d shortDec) rat() *big.Rat {
	return new(big.Rat).SetFrac(big.NewInt(d.m), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.sc)), nil))
}
