package planner

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xwb1989/sqlparser"
)

// OFFSET/LIMIT (constants or placeholders) and the trim of hidden sort keys.

// limitPlan is LIMIT [offset,] n / LIMIT n OFFSET m; values may be placeholders.
type limitPlan struct {
	limit, offset *Literal
}

// newLimitOp is the limit step for constant values: skip offset rows, then
// pass at most limit rows (limit < 0: all).
func newLimitOp(offset, limit int64) *limitOp {
	lp := &limitPlan{}
	if limit >= 0 {
		lp.limit = &Literal{Kind: litNumber, Text: strconv.FormatInt(limit, 10)}
	}
	if offset > 0 {
		lp.offset = &Literal{Kind: litNumber, Text: strconv.FormatInt(offset, 10)}
	}
	return &limitOp{lim: lp}
}

func (sp *selectPlanner) limit(l *sqlparser.Limit) (*limitPlan, error) {
	lp := &limitPlan{}
	for _, part := range []struct {
		e   sqlparser.Expr
		dst **Literal
	}{{l.Rowcount, &lp.limit}, {l.Offset, &lp.offset}} {
		if part.e == nil {
			continue
		}
		lit, ok := sp.st.exprLit(part.e)
		if !ok || (lit.Kind != litNumber && lit.Kind != litParam) {
			return nil, fmt.Errorf("astrasql: LIMIT and OFFSET take a number or a placeholder, not %s", sp.st.render(part.e))
		}
		if lit.Kind == litNumber {
			if n, err := strconv.ParseInt(lit.Text, 10, 64); err != nil || n < 0 {
				return nil, fmt.Errorf("astrasql: LIMIT and OFFSET take a non-negative integer, not %s", lit.Text)
			}
		}
		*part.dst = lit
	}
	return lp, nil
}

// staticTotal is offset+limit when both are constants, else 0.
func (lp *limitPlan) staticTotal() int {
	if lp.limit == nil || lp.limit.Kind != litNumber || (lp.offset != nil && lp.offset.Kind != litNumber) {
		return 0
	}
	n, _ := strconv.ParseInt(lp.limit.Text, 10, 64)
	if lp.offset != nil {
		m, _ := strconv.ParseInt(lp.offset.Text, 10, 64)
		n = addSat(n, m)
	}
	return int(min(n, math.MaxInt32))
}

// addSat adds two non-negative counts, saturating at MaxInt64 (a LIMIT
// and OFFSET near it must not wrap to a negative limit).
func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// values returns limit (-1: none) and offset for a binding.
func (lp *limitPlan) values(b *Binding) (limit, offset int64, err error) {
	limit = -1
	get := func(l *Literal, what string) (int64, error) {
		if l.Kind == litNumber {
			return strconv.ParseInt(l.Text, 10, 64)
		}
		v := b.Arg(l.Param)
		if _, ok := v.(unboundArg); ok {
			return -1, nil
		}
		n, ok := toInt64(v)
		if !ok {
			return 0, &ArgumentError{Param: b.param(l.Param), Err: fmt.Errorf("%s takes a non-negative integer, not %T", what, v)}
		}
		if n < 0 {
			return 0, &ArgumentError{Param: b.param(l.Param), Err: fmt.Errorf("%s takes a non-negative integer, not %d", what, n)}
		}
		return n, nil
	}
	if lp.limit != nil {
		if limit, err = get(lp.limit, "LIMIT"); err != nil {
			return
		}
	}
	if lp.offset != nil {
		if offset, err = get(lp.offset, "OFFSET"); err != nil {
			return
		}
		if offset < 0 {
			offset = 0
		}
	}
	return
}

func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint:
		return int64(x), x <= math.MaxInt64
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		return int64(x), x <= math.MaxInt64
	case float64:
		return int64(x), x == math.Trunc(x) && math.Abs(x) < 1<<53
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// limitOp skips OFFSET rows and stops after LIMIT rows (closing the input
// early, so no further pages are read).
type limitOp struct{ lim *limitPlan }

func (l *limitOp) Explain() (string, string) {
	var parts []string
	if l.lim.offset != nil {
		parts = append(parts, "skip "+l.lim.offset.String())
	}
	if l.lim.limit != nil {
		parts = append(parts, "stop after "+l.lim.limit.String())
	}
	return "limit", "client-side: " + strings.Join(parts, ", ")
}

func (l *limitOp) Open(in RowIter, b *Binding) (RowIter, error) {
	limit, offset, err := l.lim.values(b)
	if err != nil {
		return nil, err
	}
	return &limitIter{in: in, limit: limit, skip: offset}, nil
}

type limitIter struct {
	in          RowIter
	limit, skip int64
	done        bool
}

func (it *limitIter) Next() (Row, error) {
	if it.done || it.limit == 0 {
		if !it.done {
			it.done = true
			it.in.Close()
		}
		return nil, io.EOF
	}
	for ; it.skip > 0; it.skip-- {
		if _, err := it.in.Next(); err != nil {
			return nil, err
		}
	}
	r, err := it.in.Next()
	if err != nil {
		return nil, err
	}
	if it.limit > 0 {
		it.limit--
	}
	return r, nil
}

func (it *limitIter) Close() error { return it.in.Close() }

// trimOp drops hidden sort columns at the end of each row.
type trimOp struct{ n int }

func (t *trimOp) Explain() (string, string) {
	return "trim", fmt.Sprintf("keep the first %d columns", t.n)
}

func (t *trimOp) Open(in RowIter, _ *Binding) (RowIter, error) { return &trimIter{in, t.n}, nil }

type trimIter struct {
	in RowIter
	n  int
}

func (it *trimIter) Next() (Row, error) {
	r, err := it.in.Next()
	if err != nil {
		return nil, err
	}
	return r[:it.n], nil
}

func (it *trimIter) Close() error { return it.in.Close() }
