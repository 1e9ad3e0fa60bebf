package dataapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/typesmap"
)

// commands exercises each typed command once.
var commands = []struct {
	name       string
	repeatable bool
	run        func(c *dataapi.Client) error
}{
	{"find", true, func(c *dataapi.Client) error {
		cur, err := c.Find(context.Background(), dataapi.FindRequest{Table: "t"})
		if err == nil {
			cur.Close()
		}
		return err
	}},
	{"findOne", true, func(c *dataapi.Client) error {
		_, err := c.FindOne(context.Background(), dataapi.FindOneRequest{Table: "t"})
		return err
	}},
	{"listTables", true, func(c *dataapi.Client) error {
		_, err := c.ListTables(context.Background(), dataapi.ListTablesRequest{Explain: true})
		return err
	}},
	{"listIndexes", true, func(c *dataapi.Client) error {
		_, err := c.ListIndexes(context.Background(), dataapi.ListIndexesRequest{Table: "t"})
		return err
	}},
	{"listTypes", true, func(c *dataapi.Client) error {
		_, err := c.ListTypes(context.Background(), dataapi.ListTypesRequest{})
		return err
	}},
	{"findKeyspaces", true, func(c *dataapi.Client) error {
		_, err := c.FindKeyspaces(context.Background())
		return err
	}},
	{"insertOne", true, func(c *dataapi.Client) error {
		_, err := c.InsertOne(context.Background(), dataapi.InsertOneRequest{Table: "t", Row: json.RawMessage(`{"id":1}`)})
		return err
	}},
	{"insertMany", true, func(c *dataapi.Client) error {
		_, err := c.InsertMany(context.Background(), dataapi.InsertManyRequest{Table: "t", Rows: makeRows(3, nil)})
		return err
	}},
	{"updateOne $set/$unset", true, func(c *dataapi.Client) error {
		_, err := c.UpdateOne(context.Background(), dataapi.UpdateOneRequest{Table: "t", Filter: json.RawMessage(`{"id":1}`),
			Update: json.RawMessage(`{"$set":{"a":1},"$unset":{"b":""}}`)})
		return err
	}},
	{"updateOne $push", false, func(c *dataapi.Client) error {
		_, err := c.UpdateOne(context.Background(), dataapi.UpdateOneRequest{Table: "t", Filter: json.RawMessage(`{"id":1}`),
			Update: json.RawMessage(`{"$set":{"a":1},"$push":{"l":"x"}}`)})
		return err
	}},
	{"deleteOne", true, func(c *dataapi.Client) error {
		_, err := c.DeleteOne(context.Background(), dataapi.DeleteRequest{Table: "t", Filter: json.RawMessage(`{"id":1}`)})
		return err
	}},
	{"deleteMany", true, func(c *dataapi.Client) error {
		_, err := c.DeleteMany(context.Background(), dataapi.DeleteRequest{Table: "t"})
		return err
	}},
	{"createTable ifNotExists", true, func(c *dataapi.Client) error {
		_, err := c.CreateTable(context.Background(), dataapi.CreateTableRequest{Name: "t", IfNotExists: true, Definition: tableDef()})
		return err
	}},
	{"createTable", false, func(c *dataapi.Client) error {
		_, err := c.CreateTable(context.Background(), dataapi.CreateTableRequest{Name: "t", Definition: tableDef()})
		return err
	}},
	{"dropTable ifExists", true, func(c *dataapi.Client) error {
		_, err := c.DropTable(context.Background(), dataapi.DropTableRequest{Name: "t", IfExists: true})
		return err
	}},
	{"dropTable", false, func(c *dataapi.Client) error {
		_, err := c.DropTable(context.Background(), dataapi.DropTableRequest{Name: "t"})
		return err
	}},
	{"alterTable", false, func(c *dataapi.Client) error {
		_, err := c.AlterTable(context.Background(), dataapi.AlterTableRequest{Table: "t", DropColumns: []string{"a"}})
		return err
	}},
	{"createIndex ifNotExists", true, func(c *dataapi.Client) error {
		_, err := c.CreateIndex(context.Background(), dataapi.CreateIndexRequest{Table: "t", Name: "i", Column: "a", IfNotExists: true})
		return err
	}},
	{"createVectorIndex", false, func(c *dataapi.Client) error {
		_, err := c.CreateVectorIndex(context.Background(), dataapi.CreateVectorIndexRequest{Table: "t", Name: "i", Column: "v"})
		return err
	}},
	{"dropIndex ifExists", true, func(c *dataapi.Client) error {
		_, err := c.DropIndex(context.Background(), dataapi.DropIndexRequest{Name: "i", IfExists: true})
		return err
	}},
	{"createType", false, func(c *dataapi.Client) error {
		_, err := c.CreateType(context.Background(), dataapi.CreateTypeRequest{Name: "u", Fields: tableDef().Columns})
		return err
	}},
	{"dropType ifExists", true, func(c *dataapi.Client) error {
		_, err := c.DropType(context.Background(), dataapi.DropTypeRequest{Name: "u", IfExists: true})
		return err
	}},
	{"createKeyspace", false, func(c *dataapi.Client) error {
		_, err := c.CreateKeyspace(context.Background(), dataapi.CreateKeyspaceRequest{Name: "k"})
		return err
	}},
	{"dropKeyspace", false, func(c *dataapi.Client) error {
		_, err := c.DropKeyspace(context.Background(), "k")
		return err
	}},
}

func tableDef() typesmap.TableDef {
	id, _ := typesmap.ParseCQL("int")
	return typesmap.TableDef{Columns: []typesmap.Column{{Name: "id", Type: id}}, PartitionBy: []string{"id"}}
}

// okBody answers each command with a minimal success.
func okBody(command string) string {
	switch command {
	case "find":
		return `{"data":{"documents":[],"nextPageState":null},"status":{"projectionSchema":{}}}`
	case "findOne":
		return `{"data":{"document":null},"status":{"projectionSchema":{}}}`
	case "insertMany":
		return `{"status":{"primaryKeySchema":{"id":{"type":"int"}},"documentResponses":[{"_id":[0],"status":"OK"},{"_id":[1],"status":"OK"},{"_id":[2],"status":"OK"}]}}`
	case "insertOne":
		return `{"status":{"primaryKeySchema":{"id":{"type":"int"}},"insertedIds":[[1]]}}`
	}
	return `{"status":{"ok":1}}`
}

func TestRetries(t *testing.T) {
	faults := []struct {
		name     string
		fail     func(w http.ResponseWriter)
		anyCmd   bool // retried even for commands that are not repeatable
		parallel bool
	}{
		{"503", func(w http.ResponseWriter) { w.WriteHeader(503) }, false, true},
		{"502", func(w http.ResponseWriter) { w.WriteHeader(502) }, false, true},
		{"504", func(w http.ResponseWriter) { w.WriteHeader(504) }, false, true},
		{"429", func(w http.ResponseWriter) { w.WriteHeader(429) }, false, true},
		{"reset before response", func(w http.ResponseWriter) { hijackClose(w) }, false, true},
		{"reset mid-body", func(w http.ResponseWriter) {
			hijackWrite(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"status\":", true)
		}, false, true},
		{"transient database error", func(w http.ResponseWriter) {
			writeJSON(w, 200, `{"errors":[{"family":"SERVER","scope":"DATABASE","errorCode":"UNAVAILABLE_DATABASE","message":"down"}]}`)
		}, false, true},
	}
	for _, fault := range faults {
		for _, cmd := range commands {
			t.Run(fault.name+"/"+cmd.name, func(t *testing.T) {
				t.Parallel()
				f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
					if fr.N <= 2 {
						fault.fail(w)
						return
					}
					writeJSON(w, 200, okBody(fr.Command))
				})
				c := newClient(t, f.URL, func(o *dataapi.Options) { o.Retries = 3 })
				err := cmd.run(c)
				if cmd.repeatable || fault.anyCmd {
					if err != nil || f.requests() != 3 {
						t.Fatalf("err %v after %d requests; want success on the 3rd", err, f.requests())
					}
					return
				}
				if err == nil || f.requests() != 1 {
					t.Fatalf("err %v after %d requests; want failure after 1", err, f.requests())
				}
			})
		}
	}
}

func TestRetriesExhausted(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) { w.WriteHeader(503) })
	c := newClient(t, f.URL, func(o *dataapi.Options) { o.Retries = 2 })
	_, err := c.FindOne(context.Background(), dataapi.FindOneRequest{Table: "t"})
	var he *dataapi.HTTPError
	if !errors.As(err, &he) || he.Attempts != 3 || f.requests() != 3 {
		t.Fatalf("%v after %d", err, f.requests())
	}
}

func TestRetryRefusedConnection(t *testing.T) {
	// A dial failure means nothing was sent: even a non-repeatable command is retried.
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {})
	url := f.URL
	f.Close()
	var attempts []int
	var mu sync.Mutex
	c := newClient(t, url, func(o *dataapi.Options) {
		o.Retries = 2
		o.Hook = hookFuncs{end: func(ev *dataapi.EndEvent) { mu.Lock(); attempts = append(attempts, ev.Attempt); mu.Unlock() }}
	})
	_, err := c.AlterTable(context.Background(), dataapi.AlterTableRequest{Table: "t", DropColumns: []string{"a"}})
	var te *dataapi.TransportError
	if !errors.As(err, &te) || te.Attempts != 3 || len(attempts) != 3 {
		t.Fatalf("%v, attempts %v", err, attempts)
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	var first time.Time
	var gap time.Duration
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
		if fr.N == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			return
		}
		gap = time.Since(first)
		writeJSON(w, 200, okBody("findOne"))
	})
	c := newClient(t, f.URL)
	if _, err := c.FindOne(context.Background(), dataapi.FindOneRequest{Table: "t"}); err != nil {
		t.Fatal(err)
	}
	// Not a timing assertion on speed: a lower bound set by the server.
	if gap < 900*time.Millisecond {
		t.Fatalf("retried after %v, Retry-After was 1s", gap)
	}
}

func TestRetryBackoffHonoursContext(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(503)
	})
	c := newClient(t, f.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.FindOne(ctx, dataapi.FindOneRequest{Table: "t"})
	if !errors.Is(err, context.DeadlineExceeded) || !contains(err.Error(), "HTTP 503", "waiting to retry") {
		t.Fatalf("%v", err)
	}
	if f.requests() != 1 {
		t.Fatalf("%d requests", f.requests())
	}
}

func TestRepeatable(t *testing.T) {
	tests := []struct {
		command, body string
		want          bool
	}{
		{"find", `{}`, true},
		{"insertMany", `{"documents":[]}`, true},
		{"updateOne", `{"filter":{"a":1},"update":{"$set":{"b":1}}}`, true},
		{"updateOne", `{"filter":{"a":1},"update":{"$unset":{"b":1}}}`, true},
		{"updateOne", `{"filter":{"a":1},"update":{"$push":{"l":1}}}`, false},
		{"updateOne", `{"filter":{"a":1},"update":{"$pullAll":{"l":[1]}}}`, false},
		{"updateOne", `{"filter":{"a":1}}`, false},
		{"createTable", `{"name":"t","options":{"ifNotExists":true}}`, true},
		{"createTable", `{"name":"t","options":{"ifNotExists":false}}`, false},
		{"createTable", `{"name":"t"}`, false},
		{"dropIndex", `{"name":"i","options":{"ifExists":true}}`, true},
		{"alterTable", `{}`, false},
		{"createKeyspace", `{"name":"k"}`, false},
		{"somethingNew", `{}`, false},
	}
	for _, tt := range tests {
		if got := dataapi.Repeatable(tt.command, json.RawMessage(tt.body)); got != tt.want {
			t.Errorf("Repeatable(%s, %s) = %v", tt.command, tt.body, got)
		}
	}
}

type hookFuncs struct {
	start func(ev *dataapi.StartEvent)
	end   func(ev *dataapi.EndEvent)
}

func (h hookFuncs) CommandStart(ctx context.Context, ev *dataapi.StartEvent) context.Context {
	if h.start != nil {
		h.start(ev)
	}
	return ctx
}

func (h hookFuncs) CommandEnd(ctx context.Context, ev *dataapi.EndEvent) {
	if h.end != nil {
		h.end(ev)
	}
}

// A caller that cancels mid-request gets context.Canceled at once, with no
// back-off before it: the cancellation is not a transient fault.
func TestCancelIsNotRetried(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		// The server notices the client's hang-up only once the body is read.
		_, _ = io.Copy(io.Discard, r.Body)
		// Cancel in the middle of the body, where a broken read looks
		// like a connection reset.
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":{"documents":[`)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	c, err := dataapi.New(dataapi.Options{Endpoint: srv.URL, Token: "t", Environment: dataapi.EnvOther, RetryBaseDelay: time.Hour, RetryMaxDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err = c.FindPage(ctx, dataapi.FindRequest{Table: "t"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if strings.Contains(err.Error(), "waiting to retry") {
		t.Errorf("a cancelled call went into back-off: %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}
