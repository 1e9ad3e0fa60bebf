package dataapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/typesmap"
)

// BenchmarkInsertMany inserts 1000 rows per op into the local server over
// HTTP, with 1 and 8 chunks in flight.
func BenchmarkInsertMany(b *testing.B) {
	for _, conc := range []int{1, 8} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			srv := dataapitest.NewServer()
			defer srv.Close()
			b.ReportAllocs()
			benchInsertMany(b, srv.URL, conc)
		})
	}
}

// BenchmarkFindLocal scans 5000 rows (100 pages of 50) from the local server
// over HTTP. Allocations include the in-process server's.
func BenchmarkFindLocal(b *testing.B) {
	srv := dataapitest.NewServer()
	defer srv.Close()
	c, err := dataapi.New(dataapi.Options{Endpoint: srv.URL, Token: "t"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	def := createPeople(b, c)
	const total = 5000
	if _, err := c.InsertMany(context.Background(), dataapi.InsertManyRequest{Table: "people", Rows: peopleRows(total)}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		scan(b, c, dataapi.FindRequest{Table: "people", Columns: def.Columns}, total)
	}
	b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func scan(b *testing.B, c *dataapi.Client, r dataapi.FindRequest, want int) {
	cur, err := c.Find(context.Background(), r)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for cur.Next() {
		n++
	}
	cur.Close()
	if cur.Err() != nil || n != want {
		b.Fatalf("%v, %d rows", cur.Err(), n)
	}
}

// memTransport answers every find with the same page from memory, so that
// only the client's own work (request building, envelope and row decoding,
// paging) is measured.
type memTransport struct {
	pages [][]byte // page i's body; the last has nextPageState null
}

func (m *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(req.Body)
	req.Body.Close()
	i := 0
	if j := bytes.Index(body, []byte(`"pageState":"`)); j >= 0 {
		rest := body[j+len(`"pageState":"`):]
		i, _ = strconv.Atoi(string(rest[:bytes.IndexByte(rest, '"')]))
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(m.pages[i])), ContentLength: int64(len(m.pages[i])), Request: req}, nil
}

const tenColumns = `{"id":{"type":"int"},"name":{"type":"text"},"email":{"type":"text"},"age":{"type":"int"},` +
	`"score":{"type":"double"},"active":{"type":"boolean"},"created":{"type":"timestamp"},"uid":{"type":"uuid"},` +
	`"city":{"type":"text"},"balance":{"type":"bigint"}}`

func tenColumnPages(pages, perPage int) [][]byte {
	out := make([][]byte, pages)
	for p := range out {
		var b strings.Builder
		b.WriteString(`{"data":{"documents":[`)
		for r := range perPage {
			if r > 0 {
				b.WriteByte(',')
			}
			id := p*perPage + r
			fmt.Fprintf(&b, `{"id":%d,"name":"name %d","email":"user%d@example.com","age":%d,"score":%d.25,"active":true,`+
				`"created":"2024-09-24T14:06:59.123Z","uid":"6f1a8e5c-1b2a-4c3d-9e8f-%012d","city":"Lyon","balance":%d}`,
				id, id, id, id%90, id, id, int64(id)*1000003)
		}
		next := "null"
		if p < pages-1 {
			next = strconv.Quote(strconv.Itoa(p + 1))
		}
		b.WriteString(`],"nextPageState":` + next + `},"status":{"projectionSchema":` + tenColumns + `}}`)
		out[p] = []byte(b.String())
	}
	return out
}

// BenchmarkFindDecode scans 100 pages of 50 ten-column rows served from
// memory: the client's cost per row, allocations included.
func BenchmarkFindDecode(b *testing.B) {
	const pages, per = 100, 50
	mt := &memTransport{pages: tenColumnPages(pages, per)}
	c, err := dataapi.New(dataapi.Options{Endpoint: "http://mem", Token: "t", HTTPClient: &http.Client{Transport: mt}})
	if err != nil {
		b.Fatal(err)
	}
	cols, err := typesmap.DecodeColumns([]byte(tenColumns))
	if err != nil {
		b.Fatal(err)
	}
	for _, withCols := range []bool{true, false} {
		b.Run(fmt.Sprintf("columns=%v", withCols), func(b *testing.B) {
			r := dataapi.FindRequest{Table: "t"}
			if withCols {
				r.Columns = cols
			}
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				scan(b, c, r, pages*per)
			}
			b.StopTimer()
			runtime.ReadMemStats(&ms1)
			rows := float64(pages * per * b.N)
			b.ReportMetric(rows/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/rows, "allocs/row")
			b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/rows, "B/row")
		})
	}
}

// BenchmarkBaselineStdJSON decodes the same pages with encoding/json into
// map[string]any, for comparison with BenchmarkFindDecode.
func BenchmarkBaselineStdJSON(b *testing.B) {
	pages := tenColumnPages(100, 50)
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			var env struct {
				Data struct {
					Documents []map[string]any `json:"documents"`
				} `json:"data"`
			}
			if err := json.Unmarshal(p, &env); err != nil || len(env.Data.Documents) != 50 {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	rows := float64(100 * 50 * b.N)
	b.ReportMetric(rows/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/rows, "allocs/row")
}

// latencyHandler delays each request, as a network round trip would.
type latencyHandler struct {
	h     http.Handler
	delay time.Duration
}

func (l latencyHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	time.Sleep(l.delay)
	l.h.ServeHTTP(w, r)
}

// benchInsertMany times inserting 1000 people rows per op at endpoint with
// conc chunks in flight.
func benchInsertMany(b *testing.B, endpoint string, conc int) {
	c, err := dataapi.New(dataapi.Options{Endpoint: endpoint, Token: "t", InsertConcurrency: conc})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	createPeople(b, c)
	rows := peopleRows(1000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := c.InsertMany(context.Background(), dataapi.InsertManyRequest{Table: "people", Rows: rows})
		if err != nil || res.Inserted != len(rows) {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkInsertManyLatency is BenchmarkInsertMany with 5ms added to each
// request (the local server's handler behind a delay), closer to a remote
// database, where concurrency pays.
func BenchmarkInsertManyLatency(b *testing.B) {
	for _, conc := range []int{1, 8} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			srv := httptest.NewServer(latencyHandler{dataapitest.NewHandler(), 5 * time.Millisecond})
			defer srv.Close()
			benchInsertMany(b, srv.URL, conc)
		})
	}
}

// insertTransport answers insertMany from memory with every row OK.
type insertTransport struct{}

func (insertTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(req.Body)
	req.Body.Close()
	n := bytes.Count(body, []byte(`"id":`))
	var b bytes.Buffer
	b.WriteString(`{"status":{"primaryKeySchema":{"team":{"type":"text"},"id":{"type":"int"}},"documentResponses":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"_id":["t%d",%d],"status":"OK"}`, i%3, i)
	}
	b.WriteString(`]}}`)
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(&b), ContentLength: int64(b.Len()), Request: req}, nil
}

// BenchmarkInsertManyClient measures the client's own cost per inserted row
// (body building, response decoding, key decoding), the server answering
// from memory.
func BenchmarkInsertManyClient(b *testing.B) {
	c, err := dataapi.New(dataapi.Options{Endpoint: "http://mem", Token: "t", HTTPClient: &http.Client{Transport: insertTransport{}}})
	if err != nil {
		b.Fatal(err)
	}
	rows := peopleRows(1000)
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := c.InsertMany(context.Background(), dataapi.InsertManyRequest{Table: "people", Rows: rows})
		if err != nil || res.Inserted != len(rows) {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	n := float64(len(rows) * b.N)
	b.ReportMetric(n/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/n, "allocs/row")
}
