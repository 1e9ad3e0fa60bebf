package planner

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/astrasql/astrasql/typesmap"
)

// Benchmarks of the client-side steps over 100k rows, and of decoding the
// same rows from Data API pages (the rate at which rows arrive), to
// compare: the steps must keep up with paging.
//
//	go test -run '^$' -bench 'GroupBy100k|DecodePages100k|Filter100k|TopK100k|Sort100k' -benchmem ./planner/

const benchN = 100_000

var benchCols = []typesmap.Column{
	{Name: "id", Type: typesmap.Of("bigint")}, {Name: "g", Type: typesmap.Of("int")},
	{Name: "x", Type: typesmap.Of("bigint")}, {Name: "y", Type: typesmap.Of("double")},
	{Name: "s", Type: typesmap.Of("text")}, {Name: "d", Type: typesmap.Of("decimal")},
}

func benchRowsData() []Row {
	rows := make([]Row, benchN)
	for i := range rows {
		rows[i] = Row{int64(i), int64(i % 100), int64(i * 7 % 1000), float64(i%997) / 3,
			fmt.Sprintf("name-%05d", i*31%benchN), fmt.Sprintf("%d.%02d", i%500, i%100)}
	}
	return rows
}

// benchPages renders the rows as find pages of 50 rows.
func benchPages(rows []Row) [][]byte {
	var pages [][]byte
	var b bytes.Buffer
	for i, r := range rows {
		if i%50 == 0 {
			b.Reset()
			b.WriteByte('[')
		} else {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"g":%d,"x":%d,"y":%v,"s":%q,"d":%s}`, r[0], r[1], r[2], r[3], r[4], r[5])
		if i%50 == 49 || i == len(rows)-1 {
			b.WriteByte(']')
			pages = append(pages, append([]byte(nil), b.Bytes()...))
		}
	}
	return pages
}

func reportRowRate(b *testing.B, mallocs uint64) {
	rows := float64(b.N) * benchN
	b.ReportMetric(rows/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(mallocs)/rows, "allocs/row")
}

func runOp(b *testing.B, op RowOp, rows []Row) {
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it, err := op.Open(NewSliceIter(rows), nil)
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := it.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		it.Close()
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	reportRowRate(b, ms1.Mallocs-ms0.Mallocs)
}

const benchGroupSQL = `select g, count(*), sum(x), avg(y), min(s), max(x), sum(d), count(distinct x) from t group by g`

func BenchmarkGroupBy100k(b *testing.B) {
	op, _, err := newAggregateOpTyped(selectOf(nil, benchGroupSQL), benchCols)
	if err != nil {
		b.Fatal(err)
	}
	runOp(b, op, benchRowsData())
}

// peakIter samples the heap while the operator reads its input.
type peakIter struct {
	in   RowIter
	n    int
	peak uint64
	base uint64
}

func (p *peakIter) Next() (Row, error) {
	p.n++
	if p.n%5000 == 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > p.peak {
			p.peak = ms.HeapAlloc
		}
	}
	return p.in.Next()
}

func (p *peakIter) Close() error { return p.in.Close() }

// BenchmarkGroupBy100kPeakHeap reports the heap the aggregation holds on
// top of its (already decoded) input rows.
func BenchmarkGroupBy100kPeakHeap(b *testing.B) {
	op, _, err := newAggregateOpTyped(selectOf(nil, benchGroupSQL), benchCols)
	if err != nil {
		b.Fatal(err)
	}
	rows := benchRowsData()
	var extra uint64
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		pi := &peakIter{in: NewSliceIter(rows), base: ms.HeapAlloc}
		it, _ := op.Open(pi, nil)
		for {
			if _, err := it.Next(); err != nil {
				break
			}
		}
		if pi.peak > pi.base && pi.peak-pi.base > extra {
			extra = pi.peak - pi.base
		}
	}
	b.ReportMetric(float64(extra)/(1<<20), "peak-extra-MiB")
}

// BenchmarkDecodePages100k is the rate rows arrive at: decoding find
// pages of 50 rows with typesmap's row decoder (no network).
func BenchmarkDecodePages100k(b *testing.B) {
	pages := benchPages(benchRowsData())
	dec := typesmap.NewRowDecoder(benchCols)
	rd := bytes.NewReader(nil)
	jd := jsontext.NewDecoder(rd)
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			rd.Reset(p)
			jd.Reset(rd)
			if _, err := jd.ReadToken(); err != nil {
				b.Fatal(err)
			}
			for jd.PeekKind() != ']' {
				dst := make([]any, len(benchCols)) // rows are kept downstream
				if err := dec.DecodeRow(jd, dst); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	reportRowRate(b, ms1.Mallocs-ms0.Mallocs)
}

func BenchmarkFilter100k(b *testing.B) {
	sel := selectOf(nil, "select * from t where s like '%-0%1' and x * 2 > y and lower(s) <> 'x'")
	op, err := newResidualFilter(sel.Where.Expr, benchCols, "")
	if err != nil {
		b.Fatal(err)
	}
	runOp(b, op, benchRowsData())
}

func BenchmarkTopK100k(b *testing.B) {
	op, _ := newSortOpTyped([]SortKey{{Col: 4, Desc: true}, {Col: 0}}, nil, 100)
	runOp(b, op, benchRowsData())
}

func BenchmarkSort100k(b *testing.B) {
	op, _ := newSortOpTyped([]SortKey{{Col: 5}, {Col: 0}}, []typesmap.Type{typesmap.Of("decimal"), typesmap.Of("bigint")}, 0)
	runOp(b, op, benchRowsData())
}

func BenchmarkDistinct100k(b *testing.B) {
	rows := benchRowsData()
	proj := make([]Row, len(rows))
	for i, r := range rows {
		proj[i] = Row{r[1], r[2]}
	}
	op := newDistinctOp(nil)
	runOp(b, op, proj)
}
