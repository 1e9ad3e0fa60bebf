package typesmap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// benchCols is a typical 10-column table.
var benchCols = []Column{
	{"id", Of(UUID)}, {"name", Of(Text)}, {"age", Of(Int)}, {"score", Of(Double)}, {"active", Of(Boolean)},
	{"created", Of(Timestamp)}, {"tags", SetOf(Of(Text))}, {"balance", Of(Decimal)}, {"visits", Of(BigInt)}, {"note", Of(Text)},
}

const benchRows = 50

// benchPage renders a page of rows as the server sends data.documents.
func benchPage() []byte {
	r := rand.New(rand.NewPCG(3, 4))
	var b bytes.Buffer
	b.WriteByte('[')
	for i := 0; i < benchRows; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"%08x-58cc-4372-a567-0e02b2c3d479","name":"user number %d","age":%d,"score":%v,"active":%v,`+
			`"created":"2024-09-24T14:06:%02d.%03dZ","tags":["alpha","beta","gamma"],"balance":%d.%02d,"visits":%d,`+
			`"note":"a longer free-text note with an escaped \"quote\" in row %d"}`,
			r.Uint32(), i, r.IntN(100), r.Float64()*100, i%2 == 0, i%60, r.IntN(1000), r.IntN(100000), r.IntN(100), r.Int64(), i)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// vectorPage renders rows of an id and a 768-dimension vector, as JSON
// arrays of numbers (the server's read form).
func vectorPage() []byte {
	r := rand.New(rand.NewPCG(5, 6))
	var b bytes.Buffer
	b.WriteByte('[')
	for i := 0; i < benchRows; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"row%d","v":[`, i)
		for j := 0; j < 768; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatFloat(float64(r.Float32()*2-1), 'g', -1, 32))
		}
		b.WriteString("]}")
	}
	b.WriteByte(']')
	return b.Bytes()
}

var benchSink Vector

var vectorCols = []Column{{"id", Of(Text)}, {"v", VectorOf(768)}}

func benchDecodeRows(b *testing.B, page []byte, cols []Column, opts ...jsontext.Options) {
	b.SetBytes(int64(len(page)))
	r := NewRowDecoder(cols)
	dst := make([]any, len(cols))
	rd := bytes.NewReader(page)
	dec := jsontext.NewDecoder(rd, opts...)
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rd.Reset(page)
		dec.Reset(rd, opts...)
		if _, err := dec.ReadToken(); err != nil {
			b.Fatal(err)
		}
		for dec.PeekKind() != ']' {
			if err := r.DecodeRow(dec, dst); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	reportRows(b, ms1.Mallocs-ms0.Mallocs)
}

func reportRows(b *testing.B, mallocs uint64) {
	rows := float64(b.N * benchRows)
	b.ReportMetric(rows/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(mallocs)/rows, "allocs/row")
}

func benchBaseline(b *testing.B, page []byte) {
	b.SetBytes(int64(len(page)))
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var rows []map[string]any
		if err := json.Unmarshal(page, &rows); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	reportRows(b, ms1.Mallocs-ms0.Mallocs)
}

// BenchmarkDecodePage decodes 50 rows of 10 typed columns into []any.
func BenchmarkDecodePage(b *testing.B) { benchDecodeRows(b, benchPage(), benchCols) }

// BenchmarkDecodePageAllowDup is BenchmarkDecodePage with the decoder
// not checking for duplicate names (what dataapi should use).
func BenchmarkDecodePageAllowDup(b *testing.B) {
	benchDecodeRows(b, benchPage(), benchCols, jsontext.AllowDuplicateNames(true))
}

// BenchmarkDecodePageBaseline is encoding/json into []map[string]any, with
// no type conversion at all (timestamps stay strings, numbers float64).
func BenchmarkDecodePageBaseline(b *testing.B) { benchBaseline(b, benchPage()) }

// BenchmarkDecodeVector decodes 50 rows of a 768-dimension vector.
func BenchmarkDecodeVector(b *testing.B) { benchDecodeRows(b, vectorPage(), vectorCols) }

func BenchmarkDecodeVectorBaseline(b *testing.B) { benchBaseline(b, vectorPage()) }

// BenchmarkDecodeVectorTokens decodes the vectors with one jsontext token
// per element instead of the scanner over the raw array, to justify it.
func BenchmarkDecodeVectorTokens(b *testing.B) {
	page := vectorPage()
	b.SetBytes(int64(len(page)))
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dec := jsontext.NewDecoder(bytes.NewReader(page))
		dec.ReadToken()
		for dec.PeekKind() != ']' {
			dec.ReadToken()
			for dec.PeekKind() != '}' {
				name, _ := dec.ReadToken()
				if name.String() != "v" {
					dec.SkipValue()
					continue
				}
				dec.ReadToken()
				v := make(Vector, 0, 768)
				for dec.PeekKind() != ']' {
					tok, err := dec.ReadToken()
					if err != nil {
						b.Fatal(err)
					}
					f, _ := tok.Float()
					v = append(v, float32(f))
				}
				dec.ReadToken()
				benchSink = v
			}
			dec.ReadToken()
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	reportRows(b, ms1.Mallocs-ms0.Mallocs)
}

// BenchmarkAppendRow encodes one 10-column row of parameters.
func BenchmarkAppendRow(b *testing.B) {
	page := benchPage()
	dec := jsontext.NewDecoder(bytes.NewReader(page))
	dec.ReadToken()
	row := make([]any, len(benchCols))
	if err := NewRowDecoder(benchCols).DecodeRow(dec, row); err != nil {
		b.Fatal(err)
	}
	var buf []byte
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf = buf[:0]
		for j, c := range benchCols {
			var err error
			if buf, err = AppendColumnValue(buf, c, row[j]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkAppendVector(b *testing.B) {
	v := make(Vector, 768)
	for i := range v {
		v[i] = float32(i) / 768
	}
	var buf []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf, _ = AppendValue(buf[:0], VectorOf(768), v)
	}
}
