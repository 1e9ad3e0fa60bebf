package planner

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/xwb1989/sqlparser"

	"github.com/astrasql/astrasql/typesmap"
)

func selectOf(t testing.TB, sql string) *sqlparser.Select {
	st, err := sqlparser.Parse(sql)
	if err != nil {
		if t == nil {
			panic(err)
		}
		t.Fatalf("parse %q: %v", sql, err)
	}
	return st.(*sqlparser.Select)
}

var aggInput = []typesmap.Column{
	{Name: "id", Type: typesmap.Of("bigint")},
	{Name: "g", Type: typesmap.Of("int")},
	{Name: "score", Type: typesmap.Of("int")},
	{Name: "name", Type: typesmap.Of("text")},
}

func runAgg(t *testing.T, sql string, cols []typesmap.Column, rows []Row) ([]Row, []ResultColumn) {
	t.Helper()
	op, rc, err := newAggregateOpTyped(selectOf(t, sql), cols)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	it, err := op.Open(NewSliceIter(rows), nil)
	if err != nil {
		t.Fatal(err)
	}
	return drain(t, it), rc
}

func TestGroupByAgainstReference(t *testing.T) {
	rows := randomRows(3000, 9)
	got, cols := runAgg(t, `select g, count(*), count(score) as c, count(distinct name), sum(score), avg(score),
		min(name), max(score), sum(distinct score) from t group by g having count(*) > 400`, aggInput, rows)

	type acc struct {
		n, nScore, sum, sumD int64
		names                map[string]bool
		scores               map[int64]bool
		minName              string
		maxScore             any
	}
	ref := map[int64]*acc{}
	var order []int64
	for _, r := range rows {
		g := r[1].(int64)
		a := ref[g]
		if a == nil {
			a = &acc{names: map[string]bool{}, scores: map[int64]bool{}, minName: "\xff"}
			ref[g] = a
			order = append(order, g)
		}
		a.n++
		a.names[r[3].(string)] = true
		if r[3].(string) < a.minName {
			a.minName = r[3].(string)
		}
		if s, ok := r[2].(int64); ok {
			a.nScore++
			a.sum += s
			if !a.scores[s] {
				a.scores[s] = true
				a.sumD += s
			}
			if a.maxScore == nil || s > a.maxScore.(int64) {
				a.maxScore = s
			}
		}
	}
	var want []Row
	for _, g := range order {
		a := ref[g]
		if a.n <= 400 {
			continue
		}
		want = append(want, Row{g, a.n, a.nScore, int64(len(a.names)), a.sum, float64(a.sum) / float64(a.nScore), a.minName, a.maxScore, a.sumD})
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%v\nwant\n%v", got, want)
	}
	names := []string{}
	for _, c := range cols {
		names = append(names, c.Name)
	}
	if strings.Join(names, "|") != "g|count(*)|c|count(distinct name)|sum(score)|avg(score)|min(name)|max(score)|sum(distinct score)" {
		t.Errorf("column names %v", names)
	}
	if cols[1].Type.Kind != "bigint" || cols[1].Nullable || cols[5].Type.Kind != "double" || cols[0].Type.Kind != "int" {
		t.Errorf("column types %+v", cols)
	}
}

func TestAggregateGlobalAndEmpty(t *testing.T) {
	got, _ := runAgg(t, "select count(*), count(score), sum(score), avg(score), min(score) from t", aggInput, nil)
	want := []Row{{int64(0), int64(0), nil, nil, nil}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("empty input: %v, want %v", got, want)
	}
	got, _ = runAgg(t, "select g, count(*) from t group by g", aggInput, nil)
	if len(got) != 0 {
		t.Fatalf("empty GROUP BY input: %v", got)
	}
}

func TestSumExact(t *testing.T) {
	cols := []typesmap.Column{{Name: "i", Type: typesmap.Of("bigint")}, {Name: "d", Type: typesmap.Of("decimal")},
		{Name: "f", Type: typesmap.Of("double")}, {Name: "v", Type: typesmap.Of("varint")}}
	var rows []Row
	for i := 0; i < 10; i++ {
		rows = append(rows, Row{int64(i), "0.1", 0.1, new(big.Int).Sub(big.NewInt(math.MaxInt64), big.NewInt(int64(i)))})
	}
	got, rc := runAgg(t, "select sum(i), sum(d), avg(d), sum(v), min(d), max(d), sum(i) - sum(i), avg(i) from t", cols, rows)
	// One Go type per column: sum of bigint is int64, of varint *big.Int.
	wantSum := new(big.Int).Mul(big.NewInt(math.MaxInt64), big.NewInt(10))
	wantSum.Sub(wantSum, big.NewInt(45))
	if s, ok := got[0][3].(*big.Int); !ok || s.Cmp(wantSum) != 0 {
		t.Errorf("sum(v) = %v (%T), want %v", got[0][3], got[0][3], wantSum)
	}
	if got[0][0] != int64(45) || got[0][1] != "1.0" || got[0][2] != "0.1" || got[0][4] != "0.1" {
		t.Errorf("sums: %v", got[0])
	}
	if got[0][6] != int64(0) {
		t.Errorf("sum(i) - sum(i) = %v", got[0][6])
	}
	if rc[0].Type.Kind != "bigint" || rc[3].Type.Kind != "varint" {
		t.Errorf("sum types: %v, %v", rc[0].Type, rc[3].Type)
	}
	// A bigint sum past int64 is refused, not changed into another type.
	big1 := []Row{{int64(math.MaxInt64), "0", 0.0, big.NewInt(0)}, {int64(1), "0", 0.0, big.NewInt(0)}}
	op, _, err := newAggregateOpTyped(selectOf(t, "select sum(i) from t"), cols)
	if err != nil {
		t.Fatal(err)
	}
	it, _ := op.Open(NewSliceIter(big1), nil)
	if _, err := it.Next(); err == nil || !strings.Contains(err.Error(), "overflows bigint") {
		t.Errorf("sum past int64: %v", err)
	}
}

func TestMinMaxDecimalTyped(t *testing.T) {
	cols := []typesmap.Column{{Name: "d", Type: typesmap.Of("decimal")}}
	got, _ := runAgg(t, "select min(d), max(d) from t", cols, []Row{{"9"}, {"10.5"}, {"-2"}, {nil}})
	if got[0][0] != "-2" || got[0][1] != "10.5" {
		t.Fatalf("min/max decimal = %v", got[0])
	}
}

func TestHavingAliasAndPositions(t *testing.T) {
	rows := []Row{{int64(1), int64(1), int64(5), "a"}, {int64(2), int64(1), int64(7), "b"}, {int64(3), int64(2), int64(1), "c"}}
	got, _ := runAgg(t, "select g as grp, sum(score) as total from t group by 1 having total > 3 and grp = 1", aggInput, rows)
	if fmt.Sprint(got) != "[[1 12]]" {
		t.Fatalf("got %v", got)
	}
	got, _ = runAgg(t, "select g * 10, count(*) from t group by g * 10", aggInput, rows)
	if fmt.Sprint(got) != "[[10 2] [20 1]]" {
		t.Fatalf("got %v", got)
	}
}

func TestAggregateErrors(t *testing.T) {
	for sql, want := range map[string]string{
		"select name, count(*) from t group by g": "must appear in GROUP BY",
		"select * from t group by g":              "SELECT * cannot be used",
		"select sum(count(*)) from t":             "cannot be nested",
		"select g from t group by count(*)":       "GROUP BY cannot use an aggregate",
		"select max(*) from t":                    "only COUNT(*)",
		"select g from t group by 3":              "GROUP BY position 3",
	} {
		_, _, err := newAggregateOpTyped(selectOf(t, sql), aggInput)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", sql, err, want)
		}
	}
	// SUM of text is an error at run time.
	op, _, err := newAggregateOpTyped(selectOf(t, "select sum(name) from t"), aggInput)
	if err != nil {
		t.Fatal(err)
	}
	it, _ := op.Open(NewSliceIter([]Row{{int64(1), int64(1), int64(1), "x"}}), nil)
	if _, err := it.Next(); err == nil || !strings.Contains(err.Error(), "needs numbers") {
		t.Fatalf("sum(text) error = %v", err)
	}
}

func TestGroupByOrderOfFirstAppearance(t *testing.T) {
	rows := randomRows(200, 3)
	got, _ := runAgg(t, "select g from t group by g", aggInput, rows)
	var firsts []int64
	seen := map[int64]bool{}
	for _, r := range rows {
		if g := r[1].(int64); !seen[g] {
			seen[g] = true
			firsts = append(firsts, g)
		}
	}
	var gs []int64
	for _, r := range got {
		gs = append(gs, r[0].(int64))
	}
	if !reflect.DeepEqual(gs, firsts) {
		t.Fatalf("groups %v, want %v", gs, firsts)
	}
	_ = sort.Ints
}

func TestBudgets(t *testing.T) {
	rows := randomRows(2000, 11)
	op, _, err := newAggregateOpTyped(selectOf(t, "select id, count(*) from t group by id"), aggInput)
	if err != nil {
		t.Fatal(err)
	}
	op.(*aggregateOp).budget = 20_000
	it, _ := op.Open(NewSliceIter(rows), nil)
	var mb *MemoryBudgetError
	if _, err := it.Next(); !errors.As(err, &mb) || mb.Step != "GROUP BY" {
		t.Fatalf("GROUP BY past its budget: %v", err)
	}
	d := newDistinctOp(nil)
	d.budget = 5_000
	it, _ = d.Open(NewSliceIter(rows), nil)
	for err == nil {
		_, err = it.Next()
	}
	if !errors.As(err, &mb) || mb.Step != "DISTINCT" {
		t.Fatalf("DISTINCT past its budget: %v", err)
	}
}
