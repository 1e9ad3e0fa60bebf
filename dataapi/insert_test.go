package dataapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/astrasql/astrasql/dataapi"
)

// insertServer acts as insertMany with returnDocumentResponses: rows with
// "bad" fail validation, a chunk holding a row with "http503" fails at HTTP
// level. It records the largest number of requests in flight.
type insertServer struct {
	inFlight, maxInFlight atomic.Int64
	mu                    sync.Mutex
	chunks                []int // sizes
	gate                  chan struct{}
}

func (s *insertServer) serve(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	if s.gate != nil {
		<-s.gate
	}
	var body struct {
		Documents []map[string]any `json:"documents"`
		Options   struct {
			Ordered                 bool `json:"ordered"`
			ReturnDocumentResponses bool `json:"returnDocumentResponses"`
		} `json:"options"`
	}
	if err := json.Unmarshal(fr.Body, &body); err != nil || fr.Command != "insertMany" || !body.Options.ReturnDocumentResponses {
		writeJSON(w, 200, `{"errors":[{"errorCode":"REQUEST_NOT_JSON","message":"bad"}]}`)
		return
	}
	s.mu.Lock()
	s.chunks = append(s.chunks, len(body.Documents))
	s.mu.Unlock()
	for _, d := range body.Documents {
		if d["http503"] != nil {
			w.WriteHeader(503)
			return
		}
	}
	var resps []string
	failed := false
	for _, d := range body.Documents {
		switch {
		case d["bad"] != nil:
			resps = append(resps, `{"_id":[],"status":"ERROR","errorsIdx":0}`)
			failed = true
		case d["dbfail"] != nil:
			resps = append(resps, fmt.Sprintf(`{"_id":[%v],"status":"ERROR","errorsIdx":1}`, d["id"]))
			failed = true
		case failed && body.Options.Ordered:
			resps = append(resps, fmt.Sprintf(`{"_id":[%v],"status":"SKIPPED"}`, d["id"]))
		default:
			resps = append(resps, fmt.Sprintf(`{"_id":[%v],"status":"OK"}`, d["id"]))
		}
	}
	errs := ""
	if failed {
		errs = `,"errors":[{"id":"x","family":"REQUEST","scope":"DOCUMENT","errorCode":"UNKNOWN_TABLE_COLUMNS","title":"t","message":"Only columns defined in the table schema can be inserted: bad"},` +
			`{"family":"SERVER","scope":"DATABASE","errorCode":"TIMEOUT_WRITING_DATA","message":"write timeout"}]`
	}
	writeJSON(w, 200, `{"status":{"primaryKeySchema":{"id":{"type":"int"}},"documentResponses":[`+strings.Join(resps, ",")+`]}`+errs+`}`)
}

func makeRows(n int, mark map[int]string) []json.RawMessage {
	rows := make([]json.RawMessage, n)
	for i := range rows {
		extra := ""
		if m := mark[i]; m != "" {
			extra = fmt.Sprintf(`,%q:true`, m)
		}
		rows[i] = json.RawMessage(fmt.Sprintf(`{"id":%d,"v":"x"%s}`, i, extra))
	}
	return rows
}

func TestInsertMany(t *testing.T) {
	type span struct {
		from, to int // [from, to)
		status   dataapi.RowStatus
	}
	tests := []struct {
		name       string
		n          int
		mark       map[int]string
		ordered    bool
		chunk      int
		want       []span
		wantChunks int
	}{
		{"all good", 250, nil, false, 0, []span{{0, 250, dataapi.RowInserted}}, 3},
		{"all good ordered", 250, nil, true, 0, []span{{0, 250, dataapi.RowInserted}}, 3},
		{"bad row unordered", 250, map[int]string{120: "bad"}, false, 0, []span{
			{0, 120, dataapi.RowInserted}, {120, 121, dataapi.RowFailed}, {121, 250, dataapi.RowInserted}}, 3},
		{"bad row ordered", 250, map[int]string{120: "bad"}, true, 0, []span{
			{0, 120, dataapi.RowInserted}, {120, 121, dataapi.RowFailed}, {121, 250, dataapi.RowNotAttempted}}, 2},
		{"two bad rows ordered, small chunks", 50, map[int]string{12: "bad", 14: "bad"}, true, 10, []span{
			{0, 12, dataapi.RowInserted}, {12, 13, dataapi.RowFailed}, {13, 14, dataapi.RowNotAttempted},
			{14, 15, dataapi.RowFailed}, {15, 50, dataapi.RowNotAttempted}}, 2},
		{"database failure is unknown", 30, map[int]string{5: "dbfail"}, false, 0, []span{
			{0, 5, dataapi.RowInserted}, {5, 6, dataapi.RowUnknown}, {6, 30, dataapi.RowInserted}}, 1},
		{"chunk fails at HTTP level", 250, map[int]string{150: "http503"}, false, 0, []span{
			{0, 100, dataapi.RowInserted}, {100, 200, dataapi.RowUnknown}, {200, 250, dataapi.RowInserted}}, 3},
		{"chunk fails at HTTP level ordered", 250, map[int]string{150: "http503"}, true, 0, []span{
			{0, 100, dataapi.RowInserted}, {100, 200, dataapi.RowUnknown}, {200, 250, dataapi.RowNotAttempted}}, 2},
		{"one row", 1, nil, false, 0, []span{{0, 1, dataapi.RowInserted}}, 1},
		{"no rows", 0, nil, false, 0, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &insertServer{}
			f := newFake(t, s.serve)
			c := newClient(t, f.URL, func(o *dataapi.Options) { o.Retries = -1 })
			res, err := c.InsertMany(context.Background(), dataapi.InsertManyRequest{Table: "t",
				Rows: makeRows(tt.n, tt.mark), Ordered: tt.ordered, ChunkSize: tt.chunk})
			if res == nil || len(res.Rows) != tt.n {
				t.Fatalf("result %v, err %v", res, err)
			}
			if len(s.chunks) != tt.wantChunks {
				t.Errorf("%d chunks sent, want %d", len(s.chunks), tt.wantChunks)
			}
			for _, sp := range tt.want {
				for i := sp.from; i < sp.to; i++ {
					row := res.Rows[i]
					if row.Status != sp.status {
						t.Fatalf("row %d: %v (%v), want %v", i, row.Status, row.Err, sp.status)
					}
					switch row.Status {
					case dataapi.RowInserted:
						if len(row.PrimaryKey) != 1 || fmt.Sprint(row.PrimaryKey[0]) != fmt.Sprint(i) || row.Err != nil {
							t.Fatalf("row %d: key %v err %v", i, row.PrimaryKey, row.Err)
						}
					case dataapi.RowFailed:
						var ae *dataapi.APIError
						if !errors.As(row.Err, &ae) || ae.ErrorCode != "UNKNOWN_TABLE_COLUMNS" {
							t.Fatalf("row %d: %v", i, row.Err)
						}
					case dataapi.RowUnknown:
						if row.Err == nil {
							t.Fatalf("row %d: unknown without error", i)
						}
					}
				}
			}
			failures := len(res.Failures())
			if failures != res.Failed+res.Unknown+res.NotAttempted || res.Inserted+failures != tt.n {
				t.Fatalf("counts %+v, failures %d", res, failures)
			}
			if failures == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ie *dataapi.InsertManyError
			if !errors.As(err, &ie) || ie.Result != res || !strings.Contains(err.Error(), "rows not inserted") {
				t.Fatalf("%T %v", err, err)
			}
			if tt.mark[120] == "bad" {
				var ae *dataapi.APIError
				if !errors.As(err, &ae) || !strings.Contains(err.Error(), "row 120 failed") {
					t.Fatalf("errors.As APIError through InsertManyError: %v", err)
				}
			}
			if strings.Contains(tt.name, "HTTP") && !errors.Is(err, dataapi.ErrServer) {
				t.Fatalf("want ErrServer in %v", err)
			}
		})
	}
}

func TestInsertManyConcurrency(t *testing.T) {
	for _, conc := range []int{1, 3, 8} {
		t.Run(fmt.Sprint(conc), func(t *testing.T) {
			s := &insertServer{}
			f := newFake(t, s.serve)
			c := newClient(t, f.URL, func(o *dataapi.Options) { o.InsertConcurrency = conc })
			res, err := c.InsertMany(context.Background(), dataapi.InsertManyRequest{Table: "t", Rows: makeRows(2000, nil), ChunkSize: 20})
			if err != nil || res.Inserted != 2000 {
				t.Fatalf("%v %+v", err, res)
			}
			if m := s.maxInFlight.Load(); m > int64(conc) {
				t.Fatalf("%d requests in flight, limit %d", m, conc)
			}
			if len(s.chunks) != 100 {
				t.Fatalf("%d chunks", len(s.chunks))
			}
		})
	}
}

func TestInsertManyCancel(t *testing.T) {
	s := &insertServer{gate: make(chan struct{})}
	f := newFake(t, s.serve)
	c := newClient(t, f.URL, func(o *dataapi.Options) { o.InsertConcurrency = 2 })
	base := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var res *dataapi.InsertManyResult
	var err error
	go func() {
		defer close(done)
		res, err = c.InsertMany(ctx, dataapi.InsertManyRequest{Table: "t", Rows: makeRows(1000, nil)})
	}()
	waitFor(t, func() bool { return s.inFlight.Load() == 2 })
	cancel()
	<-done
	close(s.gate)
	if !errors.Is(err, context.Canceled) || res.Inserted != 0 || res.Unknown != 200 || res.NotAttempted != 800 {
		t.Fatalf("%v %+v", err, res)
	}
	c.Close()
	settleGoroutines(t, base)
}

func TestInsertOne(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
		if fr.Command != "insertOne" || string(fr.Body) != `{"document":{"id":"a","b":2}}` {
			t.Errorf("%s %s", fr.Command, fr.Body)
		}
		writeJSON(w, 200, `{"status":{"primaryKeySchema":{"id":{"type":"text"}},"insertedIds":[["a"]]}}`)
	})
	c := newClient(t, f.URL)
	res, err := c.InsertOne(context.Background(), dataapi.InsertOneRequest{Table: "t", Row: json.RawMessage(`{"id":"a","b":2}`)})
	if err != nil || fmt.Sprint(res.PrimaryKey) != "[a]" || len(res.PrimaryKeySchema) != 1 {
		t.Fatalf("%v %+v", err, res)
	}
}

func TestInsertManySplitsTooLargeChunks(t *testing.T) {
	for _, ordered := range []bool{false, true} {
		t.Run(fmt.Sprint("ordered=", ordered), func(t *testing.T) {
			s := &insertServer{}
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
				if len(fr.Body) > 1500 { // 100 rows are about 2000 bytes, 50 about 1000
					w.WriteHeader(http.StatusRequestEntityTooLarge)
					return
				}
				s.serve(w, r, fr)
			})
			c := newClient(t, f.URL)
			res, err := c.InsertMany(context.Background(), dataapi.InsertManyRequest{Table: "t", Rows: makeRows(100, nil), Ordered: ordered})
			if err != nil || res.Inserted != 100 {
				t.Fatalf("%v %+v", err, res)
			}
			if fmt.Sprint(s.chunks) != "[50 50]" || f.requests() != 3 {
				t.Fatalf("chunks %v after %d requests", s.chunks, f.requests())
			}
			for i, row := range res.Rows {
				if fmt.Sprint(row.PrimaryKey) != fmt.Sprintf("[%d]", i) {
					t.Fatalf("row %d key %v", i, row.PrimaryKey)
				}
			}
		})
	}
}

// TestInsertKeyDecoding: keys decoded with primaryKeySchema wherever it sits
// in status; a value the decoder refuses is kept as raw JSON.
func TestInsertKeyDecoding(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
		writeJSON(w, 200, `{"status":{"documentResponses":[{"_id":["a",12],"status":"OK"},{"_id":["b","6f1a8e5c-1b2a-4c3d-9e8f-000000000001"],"status":"OK"}],`+
			`"primaryKeySchema":{"k":{"type":"text"},"u":{"type":"uuid"}}}}`)
	})
	c := newClient(t, f.URL)
	res, err := c.InsertMany(context.Background(), dataapi.InsertManyRequest{Table: "t", Rows: makeRows(2, nil)})
	if err != nil {
		t.Fatal(err)
	}
	k0, k1 := res.Rows[0].PrimaryKey, res.Rows[1].PrimaryKey
	if raw, ok := k0[1].(json.RawMessage); !ok || string(raw) != "12" || k0[0] != "a" {
		t.Fatalf("row 0 key %#v", k0)
	}
	if fmt.Sprint(k1[1]) != "6f1a8e5c-1b2a-4c3d-9e8f-000000000001" || len(res.PrimaryKeySchema) != 2 {
		t.Fatalf("row 1 key %#v, schema %v", k1, res.PrimaryKeySchema)
	}
}
