package astrasql_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/dataapi/dataapitest/faultproxy"
)

// relEnv is a local server, a fault proxy in front of it, a database
// opened through the proxy, and a client that reads the server directly
// (the truth, bypassing the proxy and the driver's SQL layer).
type relEnv struct {
	srv    *dataapitest.Server
	proxy  *faultproxy.Proxy
	db     *sql.DB
	direct *dataapi.Client
}

// relToken is the token of the reliability tests; the secrets test looks
// for it in everything they produce.
const relToken = "AstraCS:relSecretToken:9f8e7d6c5b4a3210"

// relOpen starts the server, the proxy and the database; dsnOpts are
// extra DSN options ("timeout=300ms&retries=2").
func relOpen(t testing.TB, dsnOpts string, opts ...dataapitest.Option) *relEnv {
	t.Helper()
	e := &relEnv{srv: dataapitest.NewServer(opts...)}
	t.Cleanup(e.srv.Close)
	p, err := faultproxy.New(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	e.proxy = p
	t.Cleanup(p.Close)
	dsn := p.URL + "?keyspace=default_keyspace&token=" + relToken
	if dsnOpts != "" {
		dsn += "&" + dsnOpts
	}
	cfg, err := astrasql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cn, err := astrasql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.db = sql.OpenDB(cn)
	t.Cleanup(func() { e.db.Close() })
	e.direct, err = dataapi.New(dataapi.Options{Endpoint: e.srv.URL, Token: relToken, Keyspace: "default_keyspace"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.direct.Close() })
	return e
}

// serverRows reads table (id int, v text) from the server directly: id -> v.
func (e *relEnv) serverRows(t testing.TB, table string) map[int64]string {
	t.Helper()
	cur, err := e.direct.Find(context.Background(), dataapi.FindRequest{Table: table})
	if err != nil {
		t.Fatalf("direct read of %s: %v", table, err)
	}
	defer cur.Close()
	idx := map[string]int{}
	for i, c := range cur.Columns() {
		idx[c.Name] = i
	}
	out := map[int64]string{}
	for cur.Next() {
		row := cur.Row()
		id, ok := row[idx["id"]].(int64)
		if !ok {
			t.Fatalf("direct read of %s: id %T", table, row[idx["id"]])
		}
		if _, dup := out[id]; dup {
			t.Fatalf("direct read of %s: id %d twice", table, id)
		}
		v, _ := row[idx["v"]].(string)
		out[id] = v
	}
	if err := cur.Err(); err != nil {
		t.Fatalf("direct read of %s: %v", table, err)
	}
	return out
}

// typedErr reports which typed error of dataapi err carries ("" if none).
func typedErr(err error) string {
	var (
		be *dataapi.BadResponseError
		to *dataapi.TimeoutError
		he *dataapi.HTTPError
		te *dataapi.TransportError
		re *dataapi.ResponseError
	)
	switch {
	case errors.As(err, &to):
		return "TimeoutError"
	case errors.As(err, &be):
		return "BadResponseError"
	case errors.As(err, &he):
		return "HTTPError"
	case errors.As(err, &te):
		return "TransportError"
	case errors.As(err, &re):
		return "ResponseError"
	}
	return ""
}

// relTally collects what the fault tests checked, for the log.
type relTally struct {
	mu                      sync.Mutex
	faults                  map[string]int
	rowsChecked, lost, dups int
	unknownPresent, unknown int
}

func (r *relTally) add(p *faultproxy.Proxy) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.faults == nil {
		r.faults = map[string]int{}
	}
	for k, v := range p.Counts() {
		r.faults[k] += v
	}
}

func (r *relTally) log(t *testing.T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	keys := make([]string, 0, len(r.faults))
	for k := range r.faults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%d", k, r.faults[k])
	}
	t.Logf("faults injected:%s; rows checked %d; lost %d; duplicated %d; unknown rows %d (%d found written)",
		b.String(), r.rowsChecked, r.lost, r.dups, r.unknown, r.unknownPresent)
}

// TestFaultScan scans 200 rows (10 pages of 20) through each fault on a
// page after the first (and on the first): what is safe to retry is
// retried and the scan gives exactly the rows on the server; otherwise a
// typed error, and the rows returned before it are right and not repeated.
func TestFaultScan(t *testing.T) {
	const n = 200
	pageFind := faultproxy.Match{Command: "find", Table: "s", PageState: true}
	cases := []struct {
		name  string
		dsn   string
		fault faultproxy.Fault
		want  string // "" success, else the typed error expected
	}{
		{name: "429 once", fault: faultproxy.Fault{Match: withNth(pageFind, 3, 1), Kind: faultproxy.Status429, RetryAfter: time.Second}},
		{name: "503 twice", fault: faultproxy.Fault{Match: withNth(pageFind, 2, 2), Kind: faultproxy.Status503}},
		{name: "503 on first page", fault: faultproxy.Fault{Match: faultproxy.Match{Command: "find", Table: "s"}, Kind: faultproxy.Status503}},
		{name: "reset before response", fault: faultproxy.Fault{Match: withNth(pageFind, 4, 1), Kind: faultproxy.ResetBeforeResponse}},
		{name: "reset mid body", fault: faultproxy.Fault{Match: withNth(pageFind, 5, 2), Kind: faultproxy.ResetMidBody, AfterBytes: 300}},
		{name: "truncated json", fault: faultproxy.Fault{Match: withNth(pageFind, 6, 1), Kind: faultproxy.TruncatedJSON, AfterBytes: -7}},
		{name: "malformed json", fault: faultproxy.Fault{Match: withNth(pageFind, 3, 1), Kind: faultproxy.MalformedJSON}, want: "BadResponseError"},
		{name: "slow past timeout", dsn: "timeout=300ms&retries=1", fault: faultproxy.Fault{Match: withNth(pageFind, 2, -1), Kind: faultproxy.Slow, Delay: 3 * time.Second}, want: "TimeoutError"},
		{name: "503 always", fault: faultproxy.Fault{Match: withNth(pageFind, 2, -1), Kind: faultproxy.Status503}, want: "HTTPError"},
		{name: "reset mid body always", fault: faultproxy.Fault{Match: withNth(pageFind, 7, -1), Kind: faultproxy.ResetMidBody, AfterBytes: 100}, want: "TransportError"},
		{name: "truncated always", fault: faultproxy.Fault{Match: withNth(pageFind, 1, -1), Kind: faultproxy.TruncatedJSON}, want: "BadResponseError"},
	}
	var tally relTally
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := relOpen(t, tc.dsn+"&plan_cache_size=0", dataapitest.WithPageSize(20))
			e2eExec(t, e.db, `CREATE TABLE s (id int PRIMARY KEY, v text)`)
			truth := map[int64]string{}
			var b strings.Builder
			b.WriteString(`INSERT INTO s (id, v) VALUES `)
			for i := 0; i < n; i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				v := fmt.Sprintf("s-%d-%s", i, tc.name)
				fmt.Fprintf(&b, "(%d, '%s')", i, v)
				truth[int64(i)] = v
			}
			e2eExec(t, e.db, b.String())
			e.proxy.Set(tc.fault)
			got, err := scanIDs(e.db, `SELECT id, v FROM s`)
			tally.add(e.proxy)
			if e.proxy.Injected() == 0 {
				t.Fatalf("no fault injected")
			}
			// Every row returned is a true row, returned once.
			seen := map[int64]bool{}
			for _, r := range got {
				tally.rowsChecked++
				if seen[r.id] {
					tally.dups++
					t.Errorf("row %d returned twice", r.id)
				}
				seen[r.id] = true
				if want, ok := truth[r.id]; !ok || want != r.v {
					t.Errorf("row %d: got %q, want %q", r.id, r.v, want)
				}
			}
			if tc.want == "" {
				if err != nil {
					t.Fatalf("scan: %v (the fault should have been retried)", err)
				}
				if len(got) != n {
					tally.lost += n - len(got)
					t.Fatalf("scan returned %d rows, want %d", len(got), n)
				}
				return
			}
			if err == nil {
				t.Fatalf("scan succeeded with %d rows; want a %s", len(got), tc.want)
			}
			if kind := typedErr(err); kind != tc.want {
				t.Errorf("error %v: typed %q, want %q", err, kind, tc.want)
			}
			if strings.Contains(err.Error(), relToken) {
				t.Errorf("token in error: %v", err)
			}
			t.Logf("%s: %d rows before: %v", tc.name, len(got), err)
			// After the fault clears the same query gives every row.
			e.proxy.Clear()
			again, err := scanIDs(e.db, `SELECT id, v FROM s`)
			if err != nil || len(again) != n {
				t.Fatalf("after the fault cleared: %d rows, %v", len(again), err)
			}
		})
	}
	tally.log(t)
}

func withNth(m faultproxy.Match, nth, times int) faultproxy.Match {
	m.Nth, m.Times = nth, times
	return m
}

type idv struct {
	id int64
	v  string
}

// scanIDs runs q (selecting id, v) and returns the rows read before the
// end or the error.
func scanIDs(db *sql.DB, q string, args ...any) ([]idv, error) {
	rows, err := db.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []idv
	for rows.Next() {
		var r idv
		if err := rows.Scan(&r.id, &r.v); err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// TestFaultInsert sends a 250-row INSERT (chunks of 100) with a fault on
// the chunk holding rows 100..199 (ids 100..199). Every row is reported
// inserted, failed (not written) or unknown; the server then holds every
// row reported inserted, none reported failed, and either for unknown;
// running the INSERT again writes every row.
func TestFaultInsert(t *testing.T) {
	const n = 250
	chunk := func(table string, times int) faultproxy.Match {
		return faultproxy.Match{Command: "insertMany", Table: table, BodyContains: `{"id":150,`, Times: times}
	}
	cases := []struct {
		name  string
		dsn   string
		fault func(table string) faultproxy.Fault
		// want: "" no error; else the typed error in the chain, and the
		// status of rows 101..200 (1-based).
		want, status string
		written      bool // for "unknown": whether the server has them
	}{
		{name: "429 once", fault: func(tb string) faultproxy.Fault {
			return faultproxy.Fault{Match: chunk(tb, 1), Kind: faultproxy.Status429, RetryAfter: time.Second}
		}},
		{name: "reset mid body once", fault: func(tb string) faultproxy.Fault {
			return faultproxy.Fault{Match: chunk(tb, 1), Kind: faultproxy.ResetMidBody}
		}},
		{name: "reset after forwarding once", fault: func(tb string) faultproxy.Fault {
			return faultproxy.Fault{Match: chunk(tb, 1), Kind: faultproxy.ResetBeforeResponse, Forward: true}
		}},
		{name: "429 always", fault: func(tb string) faultproxy.Fault {
			return faultproxy.Fault{Match: chunk(tb, -1), Kind: faultproxy.Status429}
		}, dsn: "retries=1", want: "HTTPError", status: "failed"},
		{name: "503 always", fault: func(tb string) faultproxy.Fault {
			return faultproxy.Fault{Match: chunk(tb, -1), Kind: faultproxy.Status503}
		}, want: "HTTPError", status: "unknown", written: false},
		{name: "reset before forwarding always", fault: func(tb string) faultproxy.Fault {
			return faultproxy.Fault{Match: chunk(tb, -1), Kind: faultproxy.ResetBeforeResponse}
		}, want: "TransportError", status: "unknown", written: false},
		{name: "reset after forwarding always", fault: func(tb string) faultproxy.Fault {
			return faultproxy.Fault{Match: chunk(tb, -1), Kind: faultproxy.ResetBeforeResponse, Forward: true}
		}, want: "TransportError", status: "unknown", written: true},
		{name: "malformed answer after forwarding", fault: func(tb string) faultproxy.Fault {
			return faultproxy.Fault{Match: chunk(tb, 1), Kind: faultproxy.MalformedJSON, Forward: true}
		}, want: "BadResponseError", status: "unknown", written: true},
		{name: "truncated answer always", fault: func(tb string) faultproxy.Fault {
			return faultproxy.Fault{Match: chunk(tb, -1), Kind: faultproxy.TruncatedJSON}
		}, want: "BadResponseError", status: "unknown", written: true},
		{name: "slow answer past timeout", dsn: "timeout=300ms&retries=1", fault: func(tb string) faultproxy.Fault {
			return faultproxy.Fault{Match: chunk(tb, -1), Kind: faultproxy.Slow, Delay: 2 * time.Second, Forward: true}
		}, want: "TimeoutError", status: "unknown", written: true},
	}
	var tally relTally
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := relOpen(t, tc.dsn+"&insert_chunk_size=100")
			table := fmt.Sprintf("ins%d", i)
			e2eExec(t, e.db, fmt.Sprintf(`CREATE TABLE %s (id int PRIMARY KEY, v text)`, table))
			var b strings.Builder
			fmt.Fprintf(&b, `INSERT INTO %s (id, v) VALUES `, table)
			var args []any
			for i := 0; i < n; i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("(?, ?)")
				args = append(args, i, fmt.Sprintf("v%d", i))
			}
			insert := b.String()
			e.proxy.Set(tc.fault(table))
			_, err := e.db.Exec(insert, args...)
			tally.add(e.proxy)
			if e.proxy.Injected() == 0 {
				t.Fatal("no fault injected")
			}
			e.proxy.Clear()
			onServer := e.serverRows(t, table)
			for id, v := range onServer {
				if id < 0 || id >= n || v != fmt.Sprintf("v%d", id) {
					t.Errorf("server row %d = %q: not a row of the INSERT", id, v)
				}
			}
			if tc.want == "" {
				if err != nil {
					t.Fatalf("INSERT: %v (the fault should have been retried)", err)
				}
				tally.rowsChecked += n
				if len(onServer) != n {
					tally.lost += n - len(onServer)
					t.Fatalf("server holds %d rows after a successful INSERT of %d", len(onServer), n)
				}
				return
			}
			var ie *astrasql.InsertError
			if !errors.As(err, &ie) {
				t.Fatalf("INSERT error %v (%T): want *astrasql.InsertError", err, err)
			}
			if kind := typedErr(err); kind != tc.want {
				t.Errorf("error %v: typed %q, want %q", err, kind, tc.want)
			}
			if len(ie.Rows) != n {
				t.Fatalf("InsertError lists %d rows, want %d", len(ie.Rows), n)
			}
			written := int64(0)
			for i, r := range ie.Rows {
				tally.rowsChecked++
				id := int64(i)
				if r.Row != i+1 {
					t.Fatalf("Rows[%d].Row = %d", i, r.Row)
				}
				want := "inserted"
				if id >= 100 && id < 200 {
					want = tc.status
				}
				if r.Status != want {
					t.Errorf("row %d: status %q, want %q (%v)", r.Row, r.Status, want, r.Err)
				}
				_, there := onServer[id]
				switch r.Status {
				case "inserted":
					written++
					if !there {
						tally.lost++
						t.Errorf("row %d reported inserted is not on the server", r.Row)
					}
				case "failed", "not attempted":
					if r.Err == nil {
						t.Errorf("row %d %s without a cause", r.Row, r.Status)
					}
					if there {
						t.Errorf("row %d reported %s is on the server", r.Row, r.Status)
					}
				case "unknown":
					tally.unknown++
					if there {
						tally.unknownPresent++
					}
					if there != tc.written {
						t.Errorf("row %d (unknown): on the server %v, want %v for this fault", r.Row, there, tc.written)
					}
				default:
					t.Errorf("row %d: status %q", r.Row, r.Status)
				}
			}
			if written != ie.Written {
				t.Errorf("Written = %d, rows say %d", ie.Written, written)
			}
			if strings.Contains(err.Error(), relToken) {
				t.Errorf("token in error: %v", err)
			}
			t.Logf("%s: %.200s", tc.name, err)
			// Running the INSERT again once the fault cleared fixes it.
			res, err := e.db.Exec(insert, args...)
			if err != nil {
				t.Fatalf("INSERT again: %v", err)
			}
			if got, _ := res.RowsAffected(); got != n {
				t.Errorf("INSERT again: RowsAffected %d", got)
			}
			if after := e.serverRows(t, table); len(after) != n {
				t.Errorf("after the INSERT again the server holds %d rows, want %d", len(after), n)
			}
		})
	}
	tally.log(t)
}

// TestFaultSingleWrites: an UPDATE with absolute values is retried after a
// 503; one appending to a list is not (a repeat would append twice), and
// reports a typed error. Malformed and endless answers to a findOne are
// typed errors too.
func TestFaultSingleWrites(t *testing.T) {
	e := relOpen(t, "")
	e2eExec(t, e.db, `CREATE TABLE w (id int PRIMARY KEY, v text, l list<int>)`)
	e2eExec(t, e.db, `INSERT INTO w (id, v, l) VALUES (1, 'a', [1])`)

	e.proxy.Set(faultproxy.Fault{Match: faultproxy.Match{Command: "updateOne", Table: "w", Times: 2}, Kind: faultproxy.Status503})
	if _, err := e.db.Exec(`UPDATE w SET v = 'b' WHERE id = 1`); err != nil {
		t.Errorf("UPDATE $set after two 503s: %v (should be retried)", err)
	}
	e.proxy.Set(faultproxy.Fault{Match: faultproxy.Match{Command: "updateOne", Table: "w"}, Kind: faultproxy.Status503})
	_, err := e.db.Exec(`UPDATE w SET l = l + [2] WHERE id = 1`)
	var he *dataapi.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 503 || !errors.Is(err, dataapi.ErrServer) {
		t.Errorf("UPDATE $push after a 503: %v, want the HTTP 503 unretried", err)
	}
	if n := countCommands(e.proxy, "updateOne"); n != 3+1 {
		t.Errorf("updateOne sent %d times, want 3 (two faults, then success) + 1 (not retried)", n)
	}
	e.proxy.Set(faultproxy.Fault{Match: faultproxy.Match{Command: "updateOne", Table: "w"}, Kind: faultproxy.ResetBeforeResponse, Forward: true})
	_, err = e.db.Exec(`UPDATE w SET l = l + [3] WHERE id = 1`)
	var te *dataapi.TransportError
	if !errors.As(err, &te) {
		t.Errorf("UPDATE $push with its answer lost: %v, want *dataapi.TransportError", err)
	}
	e.proxy.Set(faultproxy.Fault{Match: faultproxy.Match{Command: "findOne", Table: "w"}, Kind: faultproxy.MalformedJSON})
	var v string
	err = e.db.QueryRow(`SELECT v FROM w WHERE id = 1`).Scan(&v)
	var be *dataapi.BadResponseError
	if !errors.As(err, &be) {
		t.Errorf("findOne with a malformed answer: %v, want *dataapi.BadResponseError", err)
	}
	e.proxy.Clear()
	// The server holds exactly what the statements that succeeded wrote,
	// plus the append whose answer was lost (it was forwarded).
	if err := e.db.QueryRow(`SELECT v FROM w WHERE id = 1`).Scan(&v); err != nil || v != "b" {
		t.Errorf("v = %q, %v; want b", v, err)
	}
	rows := e2eQuery(t, e.db, `SELECT l FROM w WHERE id = 1`)
	if len(rows) != 1 || rows[0] != "[1, 3]" {
		t.Errorf("l = %v, want [[1 3]] (2 refused, 3 written with its answer lost)", rows)
	}
	t.Logf("faults injected: %v", e.proxy.Counts())
}

func countCommands(p *faultproxy.Proxy, cmd string) int {
	n := 0
	for _, r := range p.Requests() {
		if r.Command == cmd {
			n++
		}
	}
	return n
}

// TestFaultTimeoutNotRetried: dataapi's documentation says a client
// timeout (Options.Timeout) is not retried, as the server may still be
// executing the command; the request must reach the server once.
func TestFaultTimeoutNotRetried(t *testing.T) {
	e := relOpen(t, "timeout=300ms")
	e2eExec(t, e.db, `CREATE TABLE tn (id int PRIMARY KEY, v text)`)
	e.proxy.Set(faultproxy.Fault{Match: faultproxy.Match{Command: "insertMany", Table: "tn"}, Kind: faultproxy.Slow, Delay: 2 * time.Second, Forward: true})
	_, err := e.db.Exec(`INSERT INTO tn (id, v) VALUES (1, 'a'), (2, 'b')`)
	var to *dataapi.TimeoutError
	if !errors.As(err, &to) {
		t.Errorf("INSERT past the client timeout: %v, want *dataapi.TimeoutError", err)
	}
	if n := countCommands(e.proxy, "insertMany"); n != 1 {
		t.Errorf("insertMany sent %d times after a client timeout, want 1", n)
	}
}

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" {
				return s.Value == "true"
			}
		}
	}
	return false
}

// TestFaultEndlessBody: a response that never ends is cut at the client's
// size limit (max_response_size, 64 MiB here: the default, 1 GiB, holds the
// largest page the server can send and takes long to reach) with a typed
// error, and memory stays bounded. An error status with an endless body
// reads at most 64 KiB of it.
func TestFaultEndlessBody(t *testing.T) {
	const limit = 64 << 20
	e := relOpen(t, "retries=1&max_response_size=67108864")
	e2eExec(t, e.db, `CREATE TABLE big (id int PRIMARY KEY, v text)`)

	e.proxy.Set(faultproxy.Fault{Match: faultproxy.Match{Command: "find", Table: "big", Times: -1}, Kind: faultproxy.EndlessBody, Status: 503})
	stop := sampleHeap()
	start := time.Now()
	_, err := scanIDs(e.db, `SELECT id, v FROM big`)
	peak, base := stop()
	t.Logf("endless 503 body: stopped after %v, heap peak +%d KiB: %v", time.Since(start).Round(time.Millisecond), (peak-base)>>10, err)
	var he *dataapi.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 503 {
		t.Errorf("endless 503 body: %v, want *dataapi.HTTPError 503", err)
	}
	if peak-base > 16<<20 {
		t.Errorf("heap grew by %d MiB reading an endless 503 body", (peak-base)>>20)
	}

	if raceEnabled() || testing.Short() {
		t.Log("endless 200 body (64 MiB read) skipped under -race and -short: over 30 s with the race detector")
		return
	}
	e.proxy.Set(faultproxy.Fault{Match: faultproxy.Match{Command: "find", Table: "big"}, Kind: faultproxy.EndlessBody})
	stop = sampleHeap()
	start = time.Now()
	_, err = scanIDs(e.db, `SELECT id, v FROM big`)
	peak, base = stop()
	t.Logf("endless 200 body: stopped after %v, heap peak +%d MiB: %v", time.Since(start).Round(time.Millisecond), (peak-base)>>20, err)
	var be *dataapi.BadResponseError
	if !errors.As(err, &be) || !errors.Is(err, dataapi.ErrResponseTooLarge) {
		t.Fatalf("endless body: %v, want *dataapi.BadResponseError wrapping ErrResponseTooLarge", err)
	}
	// The JSON decoder buffers what it reads, so allow a few times the limit.
	if peak-base > 5*limit {
		t.Errorf("heap grew by %d MiB reading an endless body", (peak-base)>>20)
	}
}
