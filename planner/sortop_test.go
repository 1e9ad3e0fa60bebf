package planner

import (
	"errors"
	"io"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"github.com/astrasql/astrasql/typesmap"
)

func drain(t *testing.T, it RowIter) []Row {
	t.Helper()
	var out []Row
	for {
		r, err := it.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// randomRows makes rows (id, group, score-with-nulls, name) with ties.
func randomRows(n int, seed uint64) []Row {
	r := rand.New(rand.NewPCG(seed, 1))
	rows := make([]Row, n)
	for i := range rows {
		var score any
		if r.IntN(10) > 0 {
			score = int64(r.IntN(50))
		}
		rows[i] = Row{int64(i), int64(r.IntN(7)), score, string(rune('a' + r.IntN(26)))}
	}
	return rows
}

// refLess is the expected order: score ascending NULL first, then name desc, ties by input.
func refSorted(rows []Row) []Row {
	out := append([]Row(nil), rows...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i][2], out[j][2]
		if (a == nil) != (b == nil) {
			return a == nil
		}
		if a != nil && a.(int64) != b.(int64) {
			return a.(int64) < b.(int64)
		}
		return out[i][3].(string) > out[j][3].(string)
	})
	return out
}

func TestSortFullAndTopK(t *testing.T) {
	rows := randomRows(2000, 42)
	want := refSorted(rows)
	keys := []SortKey{{Col: 2}, {Col: 3, Desc: true}}
	for _, k := range []int{0, 1, 10, 1999, 2000, 5000} {
		op, err := newSortOp(keys, k)
		if err != nil {
			t.Fatal(err)
		}
		it, _ := op.Open(NewSliceIter(rows), nil)
		got := drain(t, it)
		exp := want
		if k > 0 && k < len(want) {
			exp = want[:k]
		}
		if !reflect.DeepEqual(got, exp) {
			t.Fatalf("topK=%d: order differs from the reference sort (first got %v, want %v)", k, got[0], exp[0])
		}
	}
}

func TestSortDecimalTyped(t *testing.T) {
	rows := []Row{{"10.5"}, {"9"}, {"-1E+2"}, {nil}, {"100"}}
	op, err := newSortOpTyped([]SortKey{{Col: 0, Desc: true}}, []typesmap.Type{typesmap.Of("decimal")}, 0)
	if err != nil {
		t.Fatal(err)
	}
	it, _ := op.Open(NewSliceIter(rows), nil)
	got := drain(t, it)
	want := []Row{{"100"}, {"10.5"}, {"9"}, {"-1E+2"}, {nil}} // NULL last descending
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestSortBudget(t *testing.T) {
	op, _ := newSortOpTyped([]SortKey{{Col: 0}}, nil, 0)
	op.budget = 10_000
	it, _ := op.Open(NewSliceIter(randomRows(1000, 1)), nil)
	_, err := it.Next()
	var mb *MemoryBudgetError
	if !errors.As(err, &mb) || mb.Step != "ORDER BY" {
		t.Fatalf("error = %v, want a MemoryBudgetError", err)
	}
	// With a LIMIT the heap holds only k rows: no budget problem.
	op.topK = 5
	it, _ = op.Open(NewSliceIter(randomRows(1000, 1)), nil)
	if got := drain(t, it); len(got) != 5 {
		t.Fatalf("topK rows = %d", len(got))
	}
}

func TestSortIncomparable(t *testing.T) {
	op, _ := newSortOp([]SortKey{{Col: 0}}, 0)
	it, _ := op.Open(NewSliceIter([]Row{{int64(1)}, {"x"}}), nil)
	if _, err := it.Next(); err == nil {
		t.Fatal("sorting an integer and a string: no error")
	}
}

func TestDistinctAndLimit(t *testing.T) {
	rows := randomRows(500, 7)
	proj := make([]Row, len(rows))
	for i, r := range rows {
		proj[i] = Row{r[1], r[3]}
	}
	seen := map[[2]any]bool{}
	var want []Row
	for _, r := range proj {
		k := [2]any{r[0], r[1]}
		if !seen[k] {
			seen[k] = true
			want = append(want, r)
		}
	}
	op := newDistinctOp(nil)
	it, _ := op.Open(NewSliceIter(proj), nil)
	lim, _ := newLimitOp(3, 10).Open(it, nil)
	got := drain(t, lim)
	if !reflect.DeepEqual(got, want[3:13]) {
		t.Fatalf("distinct+offset 3 limit 10 = %v, want %v", got, want[3:13])
	}
	// NULL equals NULL for DISTINCT; 1 and 1.0 are one value.
	it, _ = op.Open(NewSliceIter([]Row{{nil}, {nil}, {int64(1)}, {1.0}}), nil)
	if got := drain(t, it); len(got) != 2 {
		t.Fatalf("distinct of NULL,NULL,1,1.0 = %v", got)
	}
}

func TestLimitStopsReading(t *testing.T) {
	src := &countingIter{n: 1000}
	it, _ := newLimitOp(0, 5).Open(src, nil)
	if got := drain(t, it); len(got) != 5 {
		t.Fatalf("rows = %d", len(got))
	}
	if src.read > 6 || !src.closed {
		t.Fatalf("read %d rows, closed %v: the limit should stop the input", src.read, src.closed)
	}
}

type countingIter struct {
	n, read int
	closed  bool
}

func (c *countingIter) Next() (Row, error) {
	if c.read >= c.n || c.closed {
		return nil, io.EOF
	}
	c.read++
	return Row{int64(c.read)}, nil
}

func (c *countingIter) Close() error { c.closed = true; return nil }
