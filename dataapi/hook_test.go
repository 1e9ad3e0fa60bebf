package dataapi_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/astrasql/astrasql/dataapi"
)

type ctxKey struct{}

func TestHook(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
		if fr.N == 1 {
			w.WriteHeader(503)
			return
		}
		writeJSON(w, 200, `{"data":{"documents":[{"id":1},{"id":2}],"nextPageState":null},"status":{"projectionSchema":{"id":{"type":"int"}},`+
			`"warnings":[{"errorCode":"MISSING_INDEX","scope":"WARNING","message":"m"}]}}`)
	})
	var mu sync.Mutex
	var log []string
	var ctxOK = true
	hook := hookCtx{
		start: func(ctx context.Context, ev *dataapi.StartEvent) context.Context {
			mu.Lock()
			defer mu.Unlock()
			log = append(log, fmt.Sprintf("start %s %s %s %d", ev.Command, ev.Keyspace, ev.Table, ev.Attempt))
			return context.WithValue(ctx, ctxKey{}, ev.Attempt) // like a span
		},
		end: func(ctx context.Context, ev *dataapi.EndEvent) {
			mu.Lock()
			defer mu.Unlock()
			ctxOK = ctxOK && ctx.Value(ctxKey{}) == ev.Attempt
			log = append(log, fmt.Sprintf("end %s %d status=%d err=%v retry=%v rows=%d warnings=%d dur>0=%v",
				ev.Command, ev.Attempt, ev.HTTPStatus, ev.Err != nil, ev.Retry, ev.Rows, len(ev.Warnings), ev.Duration > 0))
			if strings.Contains(fmt.Sprintf("%+v %#v", ev, ev), "SECRET") {
				t.Error("token in hook event")
			}
		},
	}
	c := newClient(t, f.URL, func(o *dataapi.Options) { o.Hook = hook })
	cur, err := c.Find(context.Background(), dataapi.FindRequest{Table: "t"})
	if err != nil {
		t.Fatal(err)
	}
	cur.Close()
	want := []string{
		"start find ks t 1",
		"end find 1 status=503 err=true retry=true rows=0 warnings=0 dur>0=true",
		"start find ks t 2",
		"end find 2 status=200 err=false retry=false rows=2 warnings=1 dur>0=true",
	}
	if fmt.Sprint(log) != fmt.Sprint(want) || !ctxOK {
		t.Fatalf("hook saw\n%s\nwant\n%s (ctx passed: %v)", strings.Join(log, "\n"), strings.Join(want, "\n"), ctxOK)
	}
}

func TestSlogHook(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
		writeJSON(w, 200, `{"errors":[{"errorCode":"CANNOT_DROP_UNKNOWN_TABLE","message":"no table t"}]}`)
	})
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, f.URL, func(o *dataapi.Options) { o.Hook = dataapi.SlogHook(l) })
	c.DropTable(context.Background(), dataapi.DropTableRequest{Name: "t"})
	out := buf.String()
	if !contains(out, "level=ERROR", "command=dropTable", "keyspace=ks", "CANNOT_DROP_UNKNOWN_TABLE", "attempt=1") || strings.Contains(out, "SECRET") {
		t.Fatalf("%s", out)
	}
}

type hookCtx struct {
	start func(ctx context.Context, ev *dataapi.StartEvent) context.Context
	end   func(ctx context.Context, ev *dataapi.EndEvent)
}

func (h hookCtx) CommandStart(ctx context.Context, ev *dataapi.StartEvent) context.Context {
	return h.start(ctx, ev)
}
func (h hookCtx) CommandEnd(ctx context.Context, ev *dataapi.EndEvent) { h.end(ctx, ev) }
