package astrasql_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/dataapi/dataapitest/faultproxy"
)

// TestCancel cancels a context during a query, a page fetch, a retry wait
// and a bulk insert held up by the fault proxy: each call returns promptly
// with context.Canceled in its chain, and no goroutine is left behind.
// Latencies are logged, and only a generous bound (5 s) is asserted, to
// catch hangs.
func TestCancel(t *testing.T) {
	const bound = 5 * time.Second
	base := runtime.NumGoroutine()
	cases := []struct {
		name  string
		fault faultproxy.Fault
		// run runs the work with ctx, calling armed just before the call
		// that should block; it returns the error to check.
		run func(t *testing.T, e *relEnv, ctx context.Context, armed func()) error
	}{
		{
			name:  "query",
			fault: faultproxy.Fault{Match: faultproxy.Match{Command: "find", Table: "c", Times: -1}, Kind: faultproxy.Slow, Delay: time.Minute},
			run: func(t *testing.T, e *relEnv, ctx context.Context, armed func()) error {
				armed()
				_, err := e.db.QueryContext(ctx, `SELECT id, v FROM c`)
				return err
			},
		},
		{
			name:  "page fetch",
			fault: faultproxy.Fault{Match: faultproxy.Match{Command: "find", Table: "c", PageState: true, Times: -1}, Kind: faultproxy.Slow, Delay: time.Minute},
			run: func(t *testing.T, e *relEnv, ctx context.Context, armed func()) error {
				rows, err := e.db.QueryContext(ctx, `SELECT id, v FROM c`)
				if err != nil {
					t.Fatalf("first page: %v", err)
				}
				defer rows.Close()
				n := 0
				for ; n < 20; n++ { // the first page
					if !rows.Next() {
						t.Fatalf("first page ended after %d rows: %v", n, rows.Err())
					}
				}
				armed()
				for rows.Next() {
					n++
				}
				if n != 20 {
					t.Errorf("%d rows read, want the 20 of the first page", n)
				}
				return rows.Err()
			},
		},
		{
			name:  "retry wait",
			fault: faultproxy.Fault{Match: faultproxy.Match{Command: "find", Table: "c", Times: -1}, Kind: faultproxy.Status429, RetryAfter: 30 * time.Second},
			run: func(t *testing.T, e *relEnv, ctx context.Context, armed func()) error {
				armed()
				_, err := e.db.QueryContext(ctx, `SELECT id, v FROM c WHERE v = 'x'`)
				if n := countCommands(e.proxy, "find"); n != 1 {
					t.Errorf("find sent %d times, want 1 (then waiting out the Retry-After)", n)
				}
				return err
			},
		},
		{
			name:  "bulk insert",
			fault: faultproxy.Fault{Match: faultproxy.Match{Command: "insertMany", Table: "c", Times: -1}, Kind: faultproxy.Slow, Delay: time.Minute},
			run: func(t *testing.T, e *relEnv, ctx context.Context, armed func()) error {
				var b strings.Builder
				b.WriteString(`INSERT INTO c (id, v) VALUES `)
				var args []any
				const n = 2000
				for i := 0; i < n; i++ {
					if i > 0 {
						b.WriteString(", ")
					}
					b.WriteString("(?, ?)")
					args = append(args, 1000+i, "bulk")
				}
				armed()
				_, err := e.db.ExecContext(ctx, b.String(), args...)
				var ie *astrasql.InsertError
				if !errors.As(err, &ie) {
					t.Fatalf("cancelled INSERT: %v (%T), want *astrasql.InsertError", err, err)
				}
				if ie.Written != 0 || len(ie.Rows) != n {
					t.Errorf("cancelled INSERT: written %d, %d rows listed", ie.Written, len(ie.Rows))
				}
				status := map[string]int{}
				for _, r := range ie.Rows {
					status[r.Status]++
					if r.Status != "unknown" && r.Status != "not attempted" {
						t.Errorf("row %d: %s after cancel, want unknown or not attempted", r.Row, r.Status)
					}
				}
				t.Logf("bulk insert rows after cancel: %v", status)
				// The slow proxy forwards nothing once the client left:
				// the server has none of them, which "unknown" allows.
				e.proxy.Clear()
				for id := range e.serverRows(t, "c") {
					if id >= 1000 {
						t.Errorf("row %d of the cancelled INSERT is on the server", id)
					}
				}
				return err
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := relOpen(t, "", dataapitest.WithPageSize(20))
			e2eExec(t, e.db, `CREATE TABLE c (id int PRIMARY KEY, v text)`)
			var b strings.Builder
			b.WriteString(`INSERT INTO c (id, v) VALUES `)
			for i := 0; i < 100; i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "(%d, 'v%d')", i, i)
			}
			e2eExec(t, e.db, b.String())
			e.proxy.Set(tc.fault)
			e.proxy.ResetRequests()

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var cancelled time.Time
			armed := func() {
				time.AfterFunc(200*time.Millisecond, func() {
					cancelled = time.Now()
					cancel()
				})
			}
			done := make(chan error, 1)
			go func() { done <- tc.run(t, e, ctx, armed) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(bound + time.Second):
				t.Fatalf("still running %v after the cancel", bound)
			}
			if cancelled.IsZero() {
				t.Fatalf("returned before the cancel: %v", err)
			}
			took := time.Since(cancelled)
			t.Logf("%s: returned %v after cancel: %.160v", tc.name, took.Round(time.Microsecond), err)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error %v: want context.Canceled in the chain", err)
			}
			if took > bound {
				t.Errorf("took %v to return after the cancel", took)
			}
			// The database still works once the fault is gone.
			e.proxy.Clear()
			if got := e2eQuery(t, e.db, `SELECT v FROM c WHERE id = 7`); len(got) != 1 || got[0] != "v7" {
				t.Errorf("after the cancel: %v", got)
			}
		})
	}
	settleGoroutines(t, base)
}
