package dataapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/typesmap"
)

const schemaIDName = `{"id":{"type":"int"},"name":{"type":"text"}}`

func cols(t testing.TB, schema string) []typesmap.Column {
	t.Helper()
	c, err := typesmap.DecodeColumns([]byte(schema))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pagedServer serves rows {"id":i,"name":"n<i>"} for i < total, pageSize per
// page, status before data if statusFirst. hook may replace a response.
type pagedServer struct {
	total, pageSize int
	statusFirst     bool
	schema          string
	extra           func(i int) string // extra fields of row i
	intercept       func(w http.ResponseWriter, r *http.Request, page int) bool
}

func (p *pagedServer) serve(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
	var body struct {
		Options struct {
			PageState string `json:"pageState"`
		} `json:"options"`
	}
	json.Unmarshal(fr.Body, &body)
	start, _ := strconv.Atoi(body.Options.PageState)
	if p.intercept != nil && p.intercept(w, r, start/p.pageSize) {
		return
	}
	var docs strings.Builder
	end := min(start+p.pageSize, p.total)
	for i := start; i < end; i++ {
		if i > start {
			docs.WriteByte(',')
		}
		x := ""
		if p.extra != nil {
			x = p.extra(i)
		}
		fmt.Fprintf(&docs, `{"id":%d,"name":"n%d"%s}`, i, i, x)
	}
	next := "null"
	if end < p.total {
		next = strconv.Quote(strconv.Itoa(end))
	}
	schema := p.schema
	if schema == "" {
		schema = schemaIDName
	}
	data := `"data":{"documents":[` + docs.String() + `],"nextPageState":` + next + `}`
	status := `"status":{"projectionSchema":` + schema + `}`
	if p.statusFirst {
		writeJSON(w, 200, "{"+status+","+data+"}")
	} else {
		writeJSON(w, 200, "{"+data+","+status+"}")
	}
}

func TestFindPaging(t *testing.T) {
	tests := []struct {
		name        string
		total, size int
		statusFirst bool
		noColumns   bool
	}{
		{"empty", 0, 50, false, false},
		{"one page", 7, 50, false, false},
		{"exact pages", 100, 50, true, false},
		{"many pages, data first", 230, 50, false, false},
		{"many pages, status first, no columns", 230, 50, true, true},
		{"data first, no columns", 120, 50, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := &pagedServer{total: tt.total, pageSize: tt.size, statusFirst: tt.statusFirst}
			f := newFake(t, ps.serve)
			c := newClient(t, f.URL)
			req := dataapi.FindRequest{Table: "t", Columns: cols(t, schemaIDName)}
			if tt.noColumns {
				req.Columns = nil
			}
			cur, err := c.Find(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			defer cur.Close()
			if got := cur.Columns(); len(got) != 2 || got[0].Name != "id" || got[1].Name != "name" {
				t.Fatalf("columns %v", got)
			}
			n := 0
			var kept [][]any
			for cur.Next() {
				row := cur.Row()
				if fmt.Sprint(row[0]) != strconv.Itoa(n) || row[1] != "n"+strconv.Itoa(n) {
					t.Fatalf("row %d = %v", n, row)
				}
				kept = append(kept, row)
				n++
			}
			if err := cur.Err(); err != nil {
				t.Fatal(err)
			}
			for i, row := range kept { // rows are never reused
				if row[1] != "n"+strconv.Itoa(i) || len(row) != 2 || cap(row) != 2 {
					t.Fatalf("kept row %d changed: %v", i, row)
				}
			}
			wantPages := max(1, (tt.total+tt.size-1)/tt.size)
			if n != tt.total || cur.Pages() != wantPages || f.requests() != int64(wantPages) {
				t.Fatalf("rows %d pages %d requests %d", n, cur.Pages(), f.requests())
			}
		})
	}
}

// TestFindPrefetchBound checks the cursor fetches the next page while the
// current one is read, and never more than one page ahead.
func TestFindPrefetchBound(t *testing.T) {
	ps := &pagedServer{total: 500, pageSize: 50}
	f := newFake(t, ps.serve)
	c := newClient(t, f.URL)
	cur, err := c.Find(context.Background(), dataapi.FindRequest{Table: "t", Columns: cols(t, schemaIDName)})
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	cur.Next() // reading page 1: page 2 is being fetched
	waitFor(t, func() bool { return f.requests() == 2 })
	time.Sleep(50 * time.Millisecond) // give a wrongly eager cursor the chance to fetch page 3
	if got := f.requests(); got != 2 {
		t.Fatalf("%d requests while reading page 1, want 2", got)
	}
	for range 50 { // into page 2: page 3 is fetched
		cur.Next()
	}
	waitFor(t, func() bool { return f.requests() == 3 })
	time.Sleep(50 * time.Millisecond)
	if got := f.requests(); got != 3 {
		t.Fatalf("%d requests while reading page 2, want 3", got)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

// settleGoroutines waits for the goroutine count to fall to at most base.
func settleGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("goroutines: %d > baseline %d\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestFindCancelMidScan(t *testing.T) {
	tests := []struct {
		name string
		stop func(cancel context.CancelFunc, cur *dataapi.Cursor)
	}{
		{"cancel context", func(cancel context.CancelFunc, cur *dataapi.Cursor) { cancel() }},
		{"close cursor", func(cancel context.CancelFunc, cur *dataapi.Cursor) { cur.Close() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocked := make(chan struct{}, 1)
			ps := &pagedServer{total: 1000, pageSize: 50}
			ps.intercept = func(w http.ResponseWriter, r *http.Request, page int) bool {
				if page < 2 {
					return false
				}
				blocked <- struct{}{}
				<-r.Context().Done() // page 3 hangs until the client gives up
				return true
			}
			f := newFake(t, ps.serve)
			c := newClient(t, f.URL)
			base := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cur, err := c.Find(ctx, dataapi.FindRequest{Table: "t", Columns: cols(t, schemaIDName)})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for n < 60 && cur.Next() { // into page 2; page 3 is now being fetched
				n++
			}
			<-blocked
			tt.stop(cancel, cur)
			for cur.Next() {
				n++
			}
			if n > 100 {
				t.Fatalf("read %d rows", n)
			}
			if tt.name == "cancel context" && !errors.Is(cur.Err(), context.Canceled) {
				t.Fatalf("err = %v", cur.Err())
			}
			cur.Close()
			c.Close() // idle keep-alive connections have goroutines of their own
			settleGoroutines(t, base)
		})
	}
}

func TestFindPageFailsMidScan(t *testing.T) {
	ps := &pagedServer{total: 300, pageSize: 50}
	ps.intercept = func(w http.ResponseWriter, r *http.Request, page int) bool {
		if page == 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	}
	f := newFake(t, ps.serve)
	c := newClient(t, f.URL, func(o *dataapi.Options) { o.Retries = 2 })
	cur, err := c.Find(context.Background(), dataapi.FindRequest{Table: "t", Columns: cols(t, schemaIDName)})
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	n := 0
	for cur.Next() {
		n++
	}
	var he *dataapi.HTTPError
	if n != 150 || !errors.As(cur.Err(), &he) || he.StatusCode != 503 || he.Attempts != 3 {
		t.Fatalf("rows %d, err %v", n, cur.Err())
	}
	if f.requests() != 3+3 {
		t.Fatalf("%d requests", f.requests())
	}
}

func TestFindSchemaChanged(t *testing.T) {
	expected := `{"id":{"type":"int"},"name":{"type":"text"}}`
	tests := []struct {
		name        string
		schema      string
		extra       func(int) string
		statusFirst bool
		unknown     string
		page        int // page on which the change shows (0 first)
	}{
		{"new column in rows, data first", `{"id":{"type":"int"},"name":{"type":"text"},"x":{"type":"int"}}`,
			func(i int) string { return `,"x":1` }, false, "x", 0},
		{"new column in rows, status first", `{"id":{"type":"int"},"name":{"type":"text"},"x":{"type":"int"}}`,
			func(i int) string { return `,"x":1` }, true, "", 0},
		{"type changed", `{"id":{"type":"int"},"name":{"type":"ascii"}}`, nil, false, "", 0},
		{"column dropped", `{"id":{"type":"int"}}`, nil, true, "", 0},
		{"change on page 2", `{"id":{"type":"int"},"name":{"type":"text"},"x":{"type":"int"}}`,
			func(i int) string {
				if i >= 50 {
					return `,"x":1`
				}
				return ""
			}, false, "x", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := &pagedServer{total: 120, pageSize: 50, schema: tt.schema, extra: tt.extra, statusFirst: tt.statusFirst}
			if tt.page > 0 {
				inner := ps.schema
				ps.schema = ""
				ps.intercept = func(w http.ResponseWriter, r *http.Request, page int) bool {
					if page >= tt.page {
						ps.schema = inner
					}
					return false
				}
			}
			f := newFake(t, ps.serve)
			c := newClient(t, f.URL)
			cur, err := c.Find(context.Background(), dataapi.FindRequest{Table: "t", Columns: cols(t, expected)})
			if tt.page > 0 {
				if err != nil {
					t.Fatal(err)
				}
				for cur.Next() {
				}
				err = cur.Err()
				cur.Close()
			}
			var sc *dataapi.SchemaChangedError
			if !errors.As(err, &sc) {
				t.Fatalf("%T %v", err, err)
			}
			if sc.UnknownColumn != tt.unknown || len(sc.Server) == 0 || len(sc.Expected) != 2 || sc.Table != "t" || sc.Keyspace != "ks" {
				t.Fatalf("%+v", sc)
			}
			want := cols(t, tt.schema)
			if len(sc.Server) != len(want) || sc.Server[len(want)-1].Name != want[len(want)-1].Name {
				t.Fatalf("server schema %v, want %v", sc.Server, want)
			}
		})
	}
}

func TestFindOptionsAndStatus(t *testing.T) {
	var got json.RawMessage
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
		got = fr.Body
		writeJSON(w, 200, `{"data":{"documents":[{"id":1,"$similarity":0.5},{"id":2,"$similarity":0.25}],"nextPageState":null},`+
			`"status":{"projectionSchema":{"id":{"type":"int"}},"sortVector":[0.5,1],"sortedRowCount":2,`+
			`"warnings":[{"errorCode":"ZERO_FILTER_OPERATIONS","scope":"WARNING","message":"w"}]}}`)
	})
	c := newClient(t, f.URL)
	cur, err := c.Find(context.Background(), dataapi.FindRequest{Table: "t", Filter: json.RawMessage(`{"a":1}`),
		Sort: json.RawMessage(`{"v":[0.5,1]}`), Projection: json.RawMessage(`{"id":1}`), Limit: 10,
		IncludeSimilarity: true, IncludeSortVector: true, Columns: cols(t, `{"id":{"type":"int"}}`)})
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	want := `{"filter":{"a":1},"sort":{"v":[0.5,1]},"projection":{"id":1},"options":{"limit":10,"includeSimilarity":true,"includeSortVector":true}}`
	if string(got) != want {
		t.Fatalf("body\n%s\nwant\n%s", got, want)
	}
	if c := cur.Columns(); len(c) != 2 || c[1].Name != dataapi.SimilarityColumn {
		t.Fatalf("columns %v", c)
	}
	var sims []float64
	for cur.Next() {
		sims = append(sims, cur.Row()[1].(float64))
	}
	if fmt.Sprint(sims) != "[0.5 0.25]" || fmt.Sprint(cur.SortVector()) != "[0.5 1]" || cur.SortedRowCount() != 2 ||
		len(cur.Warnings()) != 1 || cur.Warnings()[0].ErrorCode != "ZERO_FILTER_OPERATIONS" {
		t.Fatalf("sims %v vector %v count %d warnings %v", sims, cur.SortVector(), cur.SortedRowCount(), cur.Warnings())
	}
}

func TestFindOne(t *testing.T) {
	tests := []struct {
		name, resp string
		want       string
	}{
		{"found", `{"data":{"document":{"id":3,"name":"c"}},"status":{"projectionSchema":` + schemaIDName + `}}`, "[3 c]"},
		{"status first", `{"status":{"projectionSchema":` + schemaIDName + `},"data":{"document":{"name":"c"}}}`, "[<nil> c]"},
		{"not found", `{"data":{"document":null},"status":{"projectionSchema":` + schemaIDName + `}}`, "[]"},
	}
	for _, tt := range tests {
		for _, withCols := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/columns=%v", tt.name, withCols), func(t *testing.T) {
				f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
					if fr.Command != "findOne" || fr.Path != "/v1/ks/t" {
						t.Errorf("%s %s", fr.Command, fr.Path)
					}
					writeJSON(w, 200, tt.resp)
				})
				c := newClient(t, f.URL)
				req := dataapi.FindOneRequest{Table: "t", Filter: json.RawMessage(`{"id":3}`)}
				if withCols {
					req.Columns = cols(t, schemaIDName)
				}
				res, err := c.FindOne(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				if got := fmt.Sprint(res.Row); got != tt.want || len(res.Columns) != 2 {
					t.Fatalf("row %s, want %s; columns %v", got, tt.want, res.Columns)
				}
			})
		}
	}
}

// TestFindRetryMidBody checks rows of a failed attempt are not kept.
func TestFindRetryMidBody(t *testing.T) {
	for _, withCols := range []bool{true, false} {
		t.Run(fmt.Sprint("columns=", withCols), func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
				if fr.N == 1 {
					hijackWrite(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n"+
						`{"status":{"projectionSchema":`+schemaIDName+`},"data":{"documents":[{"id":100,"name":"x"},{"id":101,"name":"y"},`, true)
					return
				}
				writeJSON(w, 200, `{"data":{"documents":[{"id":1,"name":"a"}],"nextPageState":null},"status":{"projectionSchema":`+schemaIDName+`}}`)
			})
			c := newClient(t, f.URL)
			req := dataapi.FindRequest{Table: "t"}
			if withCols {
				req.Columns = cols(t, schemaIDName)
			}
			p, err := c.FindPage(context.Background(), req)
			if err != nil || len(p.Rows) != 1 || fmt.Sprint(p.Rows[0]) != "[1 a]" || f.requests() != 2 {
				t.Fatalf("%v %v after %d requests", err, p, f.requests())
			}
		})
	}
}
