// Command bench runs astrasql's benchmarks side by side with the official
// TypeScript client (@datastax/astra-db-ts, driven by node/peer.mjs) and a
// bare net/http + encoding/json baseline, against one freshly started
// local server (`astrasql serve`), and prints a table of medians.
//
//	cd bench && go run . -rows 100000        # full run (BENCHMARKS.md)
//	cd bench && go run . -quick              # CI-sized run, under 2 minutes
//
// Every address is on loopback.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/astrasql/astrasql/dataapi"
)

type config struct {
	rows, vectors, runs, batch int
	memRows                    []int
	lookupOps                  map[int]int
	queries                    int
	node                       bool
	profileDir                 string
	only                       map[string]bool
	out                        string
	root                       string
	rtt                        time.Duration
}

func main() {
	var (
		rows     = flag.Int("rows", 100000, "rows for the insert, scan and GROUP BY scenarios")
		vectors  = flag.Int("vectors", 50000, "rows of the vector-search table")
		runs     = flag.Int("runs", 5, "runs of each scenario (the table shows the median and min–max)")
		batch    = flag.Int("batch", 1000, "rows per multi-row INSERT statement (astrasql)")
		memRows  = flag.String("memrows", "250000,500000,1000000", "row counts of the peak-RSS scans")
		quick    = flag.Bool("quick", false, "CI-sized run: small tables, 3 runs")
		noNode   = flag.Bool("nonode", false, "skip the TypeScript client")
		profile  = flag.String("profile", "", "write CPU profiles of the astrasql scan and insert into this `dir`")
		out      = flag.String("out", "", "also write the result table (markdown) to this `file`")
		root     = flag.String("root", "..", "the astrasql module's directory (cmd/astrasql is built from it)")
		child    = flag.String("child", "", "internal: run as a child process (memscan, replay)")
		base     = flag.String("base", "", "internal: server URL for -child")
		table    = flag.String("table", "", "internal: table for -child memscan")
		childRow = flag.Int("n", 0, "internal: rows for -child memscan")
		only     = flag.String("only", "", "run only these `steps` (comma-separated: insert,scan,lookups,in,writes,vector,groupby,replay,memory)")
		heapProf = flag.String("heapprofile", "", "internal: heap profile file for -child memscan")
		rtt      = flag.Duration("rtt", 0, "round-trip `delay` added in front of the server for every client (e.g. 2ms, 20ms): a network between the clients and Astra")
	)
	flag.Parse()
	switch *child {
	case "memscan":
		if err := memScan(*base, *table, *childRow, *heapProf); err != nil {
			fmt.Fprintln(os.Stderr, "memscan:", err)
			os.Exit(1)
		}
		return
	case "replay":
		if err := runReplay(*base); err != nil {
			fmt.Fprintln(os.Stderr, "replay:", err)
			os.Exit(1)
		}
		return
	case "":
	default:
		fmt.Fprintln(os.Stderr, "unknown -child", *child)
		os.Exit(2)
	}
	cfg := config{rows: *rows, vectors: *vectors, runs: *runs, batch: *batch, queries: 20,
		node: !*noNode, profileDir: *profile, out: *out, root: *root, rtt: *rtt,
		lookupOps: map[int]int{1: 2000, 8: 4000, 64: 8000}}
	if *only != "" {
		cfg.only = map[string]bool{}
		for _, s := range strings.Split(*only, ",") {
			cfg.only[strings.TrimSpace(s)] = true
		}
	}
	for _, f := range strings.Split(*memRows, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad -memrows:", err)
			os.Exit(2)
		}
		cfg.memRows = append(cfg.memRows, n)
	}
	if *quick {
		cfg.rows, cfg.vectors, cfg.runs, cfg.queries = 5000, 2000, 3, 20
		cfg.memRows = []int{10000, 20000, 40000}
		cfg.lookupOps = map[int]int{1: 300, 8: 800, 64: 1600}
	}
	if cfg.rtt > 0 {
		// Over a network a lookup costs a round trip: fewer lookups keep the
		// run short and still give a stable median.
		for c := range cfg.lookupOps {
			cfg.lookupOps[c] = min(cfg.lookupOps[c], 100*c)
		}
	}
	if err := run(cfg, strings.Join(os.Args[1:], " ")); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().UTC().Format("15:04:05")}, args...)...)
}

// env is everything the scenarios share.
type env struct {
	cfg    config
	server *proc
	base   string // the URL every client uses: the server's, or the RTT proxy's
	replay *proc
	db     *sql.DB // on the server
	bare   *bare
	vecs   [][]float32
	res    *results
	nodeJS string
}

func run(cfg config, args string) error {
	ctx := context.Background()
	start := time.Now()
	tmp, err := os.MkdirTemp("", "astrasql-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	logf("building astrasql serve from %s", cfg.root)
	bin, err := buildServer(cfg.root, tmp)
	if err != nil {
		return err
	}
	srv, err := startProc(bin, "serve", "-addr", "127.0.0.1:0", "-token", benchToken)
	if err != nil {
		return err
	}
	defer srv.Stop()
	logf("server %s", srv.URL)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	rep, err := startProc(self, "-child", "replay", "-base", srv.URL)
	if err != nil {
		return err
	}
	defer rep.Stop()
	base := srv.URL
	if cfg.rtt > 0 {
		px, err := startRTTProxy(srv.URL, cfg.rtt)
		if err != nil {
			return err
		}
		defer px.Close()
		base = px.URL()
		logf("every client goes through %s, which adds a round trip of %s", base, cfg.rtt)
	}
	db, err := openDB(base)
	if err != nil {
		return err
	}
	defer db.Close()
	e := &env{cfg: cfg, server: srv, base: base, replay: rep, db: db, bare: newBare(base), res: newResults()}
	e.nodeJS, _ = filepath.Abs(filepath.Join("node", "peer.mjs"))
	if e.cfg.node {
		if _, err := os.Stat(filepath.Join("node", "node_modules", "@datastax", "astra-db-ts")); err != nil {
			logf("installing the TypeScript client (npm ci in bench/node)")
			c := exec.Command("npm", "ci", "--no-audit", "--no-fund")
			c.Dir = "node"
			c.Stdout, c.Stderr = os.Stderr, os.Stderr
			if err := c.Run(); err != nil {
				return fmt.Errorf("npm ci: %w", err)
			}
		}
	}
	if err := e.setup(ctx); err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"insert", e.benchInsert},
		{"scan", e.benchScan},
		{"lookups", e.benchLookups},
		{"in", e.benchIn},
		{"writes", e.benchWrites},
		{"vector", e.benchVector},
		{"groupby", e.benchGroupBy},
		{"replay", e.benchReplay},
		{"memory", e.benchMemory},
	}
	for _, s := range steps {
		if cfg.only != nil && !cfg.only[s.name] {
			continue
		}
		t := time.Now()
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		logf("%s done in %s", s.name, time.Since(t).Round(time.Millisecond))
	}
	if cfg.profileDir != "" {
		if err := e.profiles(ctx); err != nil {
			return fmt.Errorf("profiles: %w", err)
		}
	}
	report := e.report(args, time.Since(start))
	fmt.Print(report)
	if cfg.out != "" {
		return os.WriteFile(cfg.out, []byte(report), 0o644)
	}
	return nil
}

const vecCols = ", v vector<float, 384>"

func (e *env) setup(ctx context.Context) error {
	t := time.Now()
	ddl := []string{
		"CREATE TABLE ins (" + tableCols + vecCols + ", PRIMARY KEY (id))",
		"CREATE TABLE vec (" + tableCols + vecCols + ", PRIMARY KEY (id))",
		"CREATE VECTOR INDEX vec_v ON vec (v) WITH metric = 'cosine'",
		"CREATE TABLE scan (" + tableCols + ", PRIMARY KEY (id))",
		"CREATE TABLE mem (" + tableCols + ", PRIMARY KEY (id))",
	}
	for _, q := range ddl {
		if _, err := e.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	nv := max(e.cfg.rows, e.cfg.vectors)
	e.vecs = make([][]float32, nv)
	for i := range e.vecs {
		e.vecs[i] = vecOf(i)
	}
	// The fastest load path of the local server: insertMany of 100 rows,
	// a few in flight, straight to the server (not through -rtt's proxy).
	load := newBare(e.server.URL)
	if err := load.insert(ctx, "scan", e.cfg.rows, 100, 4, nil); err != nil {
		return err
	}
	if err := load.insert(ctx, "vec", e.cfg.vectors, 100, 4, e.vecs); err != nil {
		return err
	}
	if err := e.setupWrites(ctx, load); err != nil {
		return err
	}
	memMax := slices.Max(e.cfg.memRows)
	tm := time.Now()
	if err := load.insert(ctx, "mem", memMax, 100, 4, nil); err != nil {
		return err
	}
	logf("loaded %d + %d vectors + %d rows in %s (the %d-row table in %s)", e.cfg.rows, e.cfg.vectors, memMax,
		time.Since(t).Round(time.Millisecond), memMax, time.Since(tm).Round(time.Millisecond))
	return nil
}

// measure runs fn and returns its wall time and this process's CPU time.
func measure(fn func() error) (wall, cpu time.Duration, err error) {
	runtime.GC()
	c0, t0 := cpuTime(), time.Now()
	err = fn()
	return time.Since(t0), cpuTime() - c0, err
}

// nodeResult is what peer.mjs prints.
type nodeResult struct {
	Rows     int     `json:"rows"`
	Secs     float64 `json:"secs"`
	CPUSecs  float64 `json:"cpuSecs"`
	P50us    float64 `json:"p50us"`
	P99us    float64 `json:"p99us"`
	OpsPerS  float64 `json:"opsPerSec"`
	MaxRSSMB float64 `json:"maxRssMiB"`
}

// runNode runs the TypeScript peer for one scenario run.
func (e *env) runNode(ctx context.Context, base string, spec map[string]any) (*nodeResult, error) {
	spec["endpoint"] = base
	spec["token"] = benchToken
	b, _ := json.Marshal(spec)
	c := exec.CommandContext(ctx, "node", e.nodeJS, string(b))
	c.Stderr = os.Stderr
	out, err := c.Output()
	if err != nil {
		return nil, fmt.Errorf("node peer %s: %w", spec["op"], err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var r nodeResult
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &r); err != nil {
		return nil, fmt.Errorf("node peer %s: %w (output %q)", spec["op"], err, out)
	}
	return &r, nil
}

// rotate runs the clients of one run, starting with a different one each
// run so that no client always follows the same neighbour (a node process
// exiting, the server collecting garbage after a heavy client).
func rotate(run int, fns []func() error) error {
	for i := range fns {
		if err := fns[(i+run)%len(fns)](); err != nil {
			return err
		}
	}
	return nil
}

func (e *env) benchInsert(ctx context.Context) error {
	n := e.cfg.rows
	for r := 0; r < e.cfg.runs; r++ {
		fns := []func() error{func() error {
			wall, cpu, err := measure(func() error { return sqlInsert(ctx, e.db, "ins", n, e.cfg.batch, e.vecs) })
			if err != nil {
				return fmt.Errorf("astrasql: %w", err)
			}
			e.res.add("insert", "astrasql", float64(n)/wall.Seconds())
			e.res.add("insert-cpu", "astrasql", float64(cpu.Nanoseconds())/1e3/float64(n))
			return nil
		}, func() error {
			wall, cpu, err := measure(func() error { return e.bare.insert(ctx, "ins", n, 100, 8, e.vecs) })
			if err != nil {
				return fmt.Errorf("bare: %w", err)
			}
			e.res.add("insert", "bare-typed", float64(n)/wall.Seconds())
			e.res.add("insert-cpu", "bare-typed", float64(cpu.Nanoseconds())/1e3/float64(n))
			return nil
		}}
		if e.cfg.node {
			for _, v := range []struct {
				client string
				chunk  int
			}{{"ts-default", 0}, {"ts-tuned", 100}} {
				fns = append(fns, func() error {
					spec := map[string]any{"op": "insert", "table": "ins", "rows": n}
					if v.chunk != 0 {
						spec["chunkSize"], spec["concurrency"] = v.chunk, 8
					}
					nr, err := e.runNode(ctx, e.base, spec)
					if err != nil {
						return err
					}
					e.res.add("insert", v.client, float64(nr.Rows)/nr.Secs)
					e.res.add("insert-cpu", v.client, nr.CPUSecs*1e6/float64(nr.Rows))
					return nil
				})
			}
		}
		if err := rotate(r, fns); err != nil {
			return err
		}
	}
	return nil
}

// scanRun runs one run of the scan scenario against base, adding rows/s
// under key and client CPU µs/row under key+"-cpu".
func (e *env) scanRun(ctx context.Context, run int, db *sql.DB, cl *dataapi.Client, b *bare, base, key string) error {
	n := e.cfg.rows
	check := func(client string, got int, wall, cpu time.Duration) error {
		if got != n {
			return fmt.Errorf("%s scanned %d rows, want %d", client, got, n)
		}
		e.res.add(key, client, float64(n)/wall.Seconds())
		e.res.add(key+"-cpu", client, float64(cpu.Nanoseconds())/1e3/float64(n))
		return nil
	}
	goClient := func(client string, fn func() (int, error)) func() error {
		return func() error {
			var got int
			wall, cpu, err := measure(func() (err error) { got, err = fn(); return })
			if err != nil {
				return fmt.Errorf("%s: %w", client, err)
			}
			return check(client, got, wall, cpu)
		}
	}
	fns := []func() error{
		goClient("astrasql", func() (int, error) { return sqlScan(ctx, db, "SELECT * FROM scan") }),
		goClient("bare-map", func() (int, error) { return b.scanMap(ctx, "scan") }),
		goClient("bare-typed", func() (int, error) { return b.scanTyped(ctx, "scan") }),
	}
	if cl != nil {
		fns = append(fns, goClient("dataapi", func() (int, error) { return dataapiScan(ctx, cl, "scan") }))
	}
	if e.cfg.node {
		fns = append(fns, func() error {
			nr, err := e.runNode(ctx, base, map[string]any{"op": "scan", "table": "scan"})
			if err != nil {
				return err
			}
			return check("ts-default", nr.Rows, time.Duration(nr.Secs*1e9), time.Duration(nr.CPUSecs*1e9))
		})
	}
	return rotate(run, fns)
}

func (e *env) benchScan(ctx context.Context) error {
	for r := 0; r < e.cfg.runs; r++ {
		if err := e.scanRun(ctx, r, e.db, nil, e.bare, e.base, "scan"); err != nil {
			return err
		}
	}
	return nil
}

// benchReplay records each client's scan once through the replay server,
// then measures the scans answered from memory.
func (e *env) benchReplay(ctx context.Context) error {
	db, err := openDB(e.replay.URL)
	if err != nil {
		return err
	}
	defer db.Close()
	cl, err := newDataapi(e.replay.URL)
	if err != nil {
		return err
	}
	defer cl.Close()
	b := newBare(e.replay.URL)
	saved := e.cfg.runs
	if err := e.scanRun(ctx, 0, db, cl, b, e.replay.URL, "record"); err != nil {
		return fmt.Errorf("recording: %w", err)
	}
	delete(e.res.vals, "record")
	delete(e.res.vals, "record-cpu")
	stats, err := switchToReplay(e.replay.URL)
	if err != nil {
		return err
	}
	logf("replay server recorded: %s", stats)
	for r := 0; r < saved; r++ {
		if err := e.scanRun(ctx, r, db, cl, b, e.replay.URL, "replay"); err != nil {
			return err
		}
	}
	logf("replay server after the runs: %s", replayStats(e.replay.URL))
	return nil
}

// lookupRun does ops point lookups at concurrency conc and returns the
// sorted latencies and the wall time.
func lookupRun(conc, ops, rows int, fn func(id int) error) ([]time.Duration, time.Duration, error) {
	lat := make([]time.Duration, ops)
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr atomic.Value
	t0 := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= ops {
					return
				}
				id := int(uint32(i)*2654435761) % rows
				s := time.Now()
				if err := fn(id); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				lat[i] = time.Since(s)
			}
		}()
	}
	wg.Wait()
	wall := time.Since(t0)
	if err, _ := firstErr.Load().(error); err != nil {
		return nil, 0, err
	}
	slices.Sort(lat)
	return lat, wall, nil
}

func (e *env) benchLookups(ctx context.Context) error {
	cols, err := lookupCols(ctx, e.db, "scan")
	if err != nil {
		return err
	}
	st, err := e.db.PrepareContext(ctx, "SELECT * FROM scan WHERE id = ?")
	if err != nil {
		return err
	}
	defer st.Close()
	add := func(conc int, client string, p50, p99 time.Duration, opsPerSec, cpuPerOp float64) {
		k := fmt.Sprintf("lookup-c%d", conc)
		e.res.add(k+"-p50", client, float64(p50.Microseconds()))
		e.res.add(k+"-p99", client, float64(p99.Microseconds()))
		e.res.add(k+"-ops", client, opsPerSec)
		e.res.add(k+"-cpu", client, cpuPerOp)
	}
	cl, err := newDataapi(e.base)
	if err != nil {
		return err
	}
	defer cl.Close()
	for r := 0; r < e.cfg.runs; r++ {
		for _, conc := range []int{1, 8, 64} {
			ops := e.cfg.lookupOps[conc]
			goClient := func(client string, fn func(id int) error) func() error {
				return func() error {
					runtime.GC()
					c0 := cpuTime()
					lat, wall, err := lookupRun(conc, ops, e.cfg.rows, fn)
					if err != nil {
						return fmt.Errorf("%s: %w", client, err)
					}
					cpu := cpuTime() - c0
					add(conc, client, percentile(lat, .5), percentile(lat, .99), float64(ops)/wall.Seconds(), float64(cpu.Nanoseconds())/1e3/float64(ops))
					return nil
				}
			}
			fns := []func() error{
				goClient("astrasql", func(id int) error { return sqlLookup(ctx, st, cols, id) }),
				goClient("dataapi", func(id int) error { return dataapiLookup(ctx, cl, "scan", id) }),
				goClient("bare-map", func(id int) error { return e.bare.lookup(ctx, "scan", id) }),
			}
			if e.cfg.node {
				fns = append(fns, func() error {
					nr, err := e.runNode(ctx, e.base, map[string]any{"op": "lookup", "table": "scan", "rows": e.cfg.rows, "concurrency": conc, "ops": ops})
					if err != nil {
						return err
					}
					add(conc, "ts-default", time.Duration(nr.P50us*1e3), time.Duration(nr.P99us*1e3), nr.OpsPerS, nr.CPUSecs*1e6/float64(ops))
					return nil
				})
			}
			if err := rotate(r, fns); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *env) benchVector(ctx context.Context) error {
	qs := queryVectors(e.cfg.queries)
	st, err := e.db.PrepareContext(ctx, "SELECT id, name FROM vec ORDER BY v ANN OF ? LIMIT 10")
	if err != nil {
		return err
	}
	defer st.Close()
	one := func(client string, fn func(q []float32) (int, error)) error {
		lat := make([]time.Duration, len(qs))
		t0 := time.Now()
		for i, q := range qs {
			s := time.Now()
			n, err := fn(q)
			if err != nil {
				return fmt.Errorf("%s: %w", client, err)
			}
			if n != 10 {
				return fmt.Errorf("%s: %d rows, want 10", client, n)
			}
			lat[i] = time.Since(s)
		}
		wall := time.Since(t0)
		slices.Sort(lat)
		e.res.add("vector-qps", client, float64(len(qs))/wall.Seconds())
		e.res.add("vector-p50", client, float64(percentile(lat, .5).Microseconds())/1000)
		return nil
	}
	for r := 0; r < e.cfg.runs; r++ {
		fns := []func() error{
			func() error {
				return one("astrasql", func(q []float32) (int, error) { return sqlVectorSearch(ctx, st, q) })
			},
			func() error {
				return one("bare-map", func(q []float32) (int, error) { return e.bare.vectorSearch(ctx, "vec", q) })
			},
		}
		if e.cfg.node {
			fns = append(fns, func() error {
				nr, err := e.runNode(ctx, e.base, map[string]any{"op": "vector", "table": "vec", "queries": len(qs)})
				if err != nil {
					return err
				}
				e.res.add("vector-qps", "ts-default", nr.OpsPerS)
				e.res.add("vector-p50", "ts-default", nr.P50us/1000)
				return nil
			})
		}
		if err := rotate(r, fns); err != nil {
			return err
		}
	}
	return nil
}

func (e *env) benchGroupBy(ctx context.Context) error {
	n := e.cfg.rows
	for r := 0; r < e.cfg.runs; r++ {
		var total int64
		var groups int
		wall, _, err := measure(func() (err error) { total, groups, err = sqlGroupBy(ctx, e.db, "scan"); return })
		if err != nil {
			return fmt.Errorf("astrasql: %w", err)
		}
		if total != int64(n) || groups != min(16, n) {
			return fmt.Errorf("astrasql GROUP BY: %d rows in %d groups, want %d in %d", total, groups, n, min(16, n))
		}
		e.res.add("groupby", "astrasql", float64(n)/wall.Seconds())
		var got int
		wall, _, err = measure(func() (err error) { _, got, err = e.bare.groupBy(ctx, "scan"); return })
		if err != nil {
			return fmt.Errorf("bare: %w", err)
		}
		if got != n {
			return fmt.Errorf("bare GROUP BY scanned %d rows, want %d", got, n)
		}
		e.res.add("groupby", "bare-typed", float64(n)/wall.Seconds())
	}
	return nil
}

// benchMemory scans memRows rows in a fresh child process each and reads
// its peak RSS.
func (e *env) benchMemory(ctx context.Context) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	for _, n := range e.cfg.memRows {
		args := []string{"-child", "memscan", "-base", e.base, "-table", "mem", "-n", strconv.Itoa(n)}
		if e.cfg.profileDir != "" && n == slices.Max(e.cfg.memRows) {
			if err := os.MkdirAll(e.cfg.profileDir, 0o755); err != nil {
				return err
			}
			args = append(args, "-heapprofile", filepath.Join(e.cfg.profileDir, "memscan-heap.prof"))
		}
		c := exec.CommandContext(ctx, self, args...)
		c.Stderr = os.Stderr
		out, err := c.Output()
		if err != nil {
			return fmt.Errorf("memscan %d: %w", n, err)
		}
		var r struct {
			Rows     int     `json:"rows"`
			VmHWMKiB int64   `json:"vmhwm_kib"`
			Secs     float64 `json:"secs"`
		}
		if err := json.Unmarshal(out, &r); err != nil {
			return fmt.Errorf("memscan %d: %w (%q)", n, err, out)
		}
		k := fmt.Sprintf("mem-%d", n)
		e.res.add(k, "astrasql", float64(r.VmHWMKiB)/1024)
		e.res.add(k+"-rate", "astrasql", float64(r.Rows)/r.Secs)
	}
	return nil
}

// profiles writes CPU profiles of one astrasql scan (against the replay
// server: client CPU only) and one astrasql insert (against the server).
func (e *env) profiles(ctx context.Context) error {
	if err := os.MkdirAll(e.cfg.profileDir, 0o755); err != nil {
		return err
	}
	prof := func(name string, fn func() error) error {
		f, err := os.Create(filepath.Join(e.cfg.profileDir, name))
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		err = fn()
		pprof.StopCPUProfile()
		return err
	}
	db, err := openDB(e.replay.URL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := prof("scan.prof", func() error {
		for i := 0; i < 3; i++ {
			if _, err := sqlScan(ctx, db, "SELECT * FROM scan"); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := prof("scan-bare.prof", func() error {
		b := newBare(e.replay.URL)
		for i := 0; i < 3; i++ {
			if _, err := b.scanTyped(ctx, "scan"); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	cols, err := lookupCols(ctx, e.db, "scan")
	if err != nil {
		return err
	}
	st, err := e.db.PrepareContext(ctx, "SELECT * FROM scan WHERE id = ?")
	if err != nil {
		return err
	}
	defer st.Close()
	if err := prof("lookup.prof", func() error {
		_, _, err := lookupRun(1, 4*e.cfg.lookupOps[1], e.cfg.rows, func(id int) error { return sqlLookup(ctx, st, cols, id) })
		return err
	}); err != nil {
		return err
	}
	return prof("insert.prof", func() error { return sqlInsert(ctx, e.db, "ins", e.cfg.rows, e.cfg.batch, e.vecs) })
}

// ---- report -------------------------------------------------------------

func machine() string {
	var b strings.Builder
	model := "unknown"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	nodeV := "none"
	if out, err := exec.Command("node", "--version").Output(); err == nil {
		nodeV = strings.TrimSpace(string(out))
	}
	fmt.Fprintf(&b, "machine: %d CPUs (nproc), %s; %s %s/%s; node %s; @datastax/astra-db-ts %s\n",
		runtime.NumCPU(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH, nodeV, tsVersion())
	return b.String()
}

func tsVersion() string {
	f, err := os.Open(filepath.Join("node", "node_modules", "@datastax", "astra-db-ts", "package.json"))
	if err != nil {
		return "not installed"
	}
	defer f.Close()
	var p struct {
		Version string `json:"version"`
	}
	b, _ := io.ReadAll(f)
	json.Unmarshal(b, &p)
	return p.Version
}

type line struct {
	key, label, unit string
	lowerBetter      bool
	goal             string
}

func (e *env) report(args string, took time.Duration) string {
	n := e.cfg.rows
	lines := []line{
		{"insert", fmt.Sprintf("bulk insert %d rows (10 cols + vector<384>)", n), "rows/s", false, fmt.Sprintf("≥%gx TS default", e.insertGoal())},
		{"insert-cpu", "  client CPU per row", "µs/row", true, ""},
		{"scan", fmt.Sprintf("full scan %d rows, local server", n), "rows/s", false, e.scanGoal()},
		{"scan-cpu", "  client CPU per row, local server", "µs/row", true, ""},
		{"replay", fmt.Sprintf("full scan %d rows, replay server", n), "rows/s", false, ""},
		{"replay-cpu", "  client CPU per row, replay server", "µs/row", true, "≤1.2x bare typed"},
	}
	for _, c := range []int{1, 8, 64} {
		k := fmt.Sprintf("lookup-c%d", c)
		lines = append(lines,
			line{k + "-p50", fmt.Sprintf("point lookup, concurrency %d: p50", c), "µs", true, "<1.10x bare"},
			line{k + "-p99", "  p99", "µs", true, ""},
			line{k + "-ops", "  throughput", "ops/s", false, ""},
			line{k + "-cpu", "  client CPU per lookup", "µs", true, ""})
	}
	lines = append(lines,
		line{"in", fmt.Sprintf("WHERE id IN (%d keys), per query", inKeys), "ms", true, "≥2x TS default"},
		line{"update", fmt.Sprintf("UPDATE ... WHERE <non-key> (%d rows)", wrMatch), "ms", true, "<1/4 sequential round trips"},
		line{"delete", fmt.Sprintf("DELETE ... WHERE <non-key> (%d rows)", wrMatch), "ms", true, "<1/4 sequential round trips"},
		line{"vector-qps", fmt.Sprintf("vector top-10 over %d vectors", e.cfg.vectors), "queries/s", false, ""},
		line{"vector-p50", "  p50", "ms", true, ""},
		line{"groupby", fmt.Sprintf("GROUP BY over %d rows (5 aggregates, 16 groups)", n), "rows/s", false, ""})
	for _, m := range e.cfg.memRows {
		k := fmt.Sprintf("mem-%d", m)
		lines = append(lines,
			line{k, fmt.Sprintf("peak RSS (VmHWM) of a %d-row scan", m), "MiB", true, "<64 MiB, flat"},
			line{k + "-rate", "  its scan rate", "rows/s", false, ""})
	}
	clients := []struct{ key, name string }{
		{"astrasql", "astrasql"}, {"ts-default", "TS client (defaults)"}, {"ts-tuned", "TS client (tuned)"},
		{"dataapi", "astrasql's dataapi (no SQL)"}, {"bare-map", "bare Go (map)"}, {"bare-typed", "bare Go (typed)"},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\ncommand: cd bench && go run . %s\n", args)
	b.WriteString(machine())
	fmt.Fprintf(&b, "runs: %d per scenario (median, min–max); total time %s; %s\n\n", e.cfg.runs, took.Round(time.Second), time.Now().UTC().Format(time.RFC3339))
	if e.cfg.rtt > 0 {
		fmt.Fprintf(&b, "network: every client reaches the server through a proxy that adds a round trip of %s (-rtt)\n\n", e.cfg.rtt)
	}
	b.WriteString("| scenario | unit |")
	for _, c := range clients {
		b.WriteString(" " + c.name + " |")
	}
	b.WriteString(" astrasql ÷ TS default | astrasql ÷ bare | goal |\n|---|---|")
	for range clients {
		b.WriteString("---|")
	}
	b.WriteString("---|---|---|\n")
	ratio := func(l line, other []float64) string {
		a := e.res.get(l.key, "astrasql")
		if len(a) == 0 || len(other) == 0 || median(other) == 0 {
			return "—"
		}
		return fmt.Sprintf("%.2fx", median(a)/median(other))
	}
	for _, l := range lines {
		if e.res.vals[l.key] == nil {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s |", l.label, l.unit)
		for _, c := range clients {
			b.WriteString(" " + cell(e.res.get(l.key, c.key)) + " |")
		}
		bareV := e.res.get(l.key, "bare-typed")
		if bareV == nil {
			bareV = e.res.get(l.key, "bare-map")
		}
		fmt.Fprintf(&b, " %s | %s | %s |\n", ratio(l, e.res.get(l.key, "ts-default")), ratio(l, bareV), e.goal(l))
	}
	b.WriteString(e.boundsReport(clients))
	return b.String()
}

// goal says whether a line's goal is met.
func (e *env) goal(l line) string {
	if l.goal == "" {
		return ""
	}
	a := median(e.res.get(l.key, "astrasql"))
	verdict := func(ok bool) string {
		if ok {
			return l.goal + ": met"
		}
		return l.goal + ": **missed**"
	}
	t := median(e.res.get(l.key, "ts-default"))
	switch {
	case l.key == "insert" && t != 0:
		return verdict(a >= e.insertGoal()*t)
	case l.key == "scan" && e.cfg.rtt > 0:
		return verdict(a >= 0.9*scanBound(e.cfg.rtt))
	case l.key == "scan" && t != 0:
		return verdict(a >= 2*t)
	case l.key == "in" && t != 0:
		return verdict(a <= t/2)
	case l.key == "update" || l.key == "delete":
		if e.cfg.rtt == 0 {
			return l.goal + " (run with -rtt)"
		}
		return verdict(a < float64(writeSeqTrips())*ms(e.cfg.rtt)/4)
	case l.key == "replay-cpu":
		return verdict(a <= 1.2*median(e.res.get(l.key, "bare-typed")))
	case strings.HasSuffix(l.key, "-p50"):
		return verdict(a < 1.1*median(e.res.get(l.key, "bare-map")))
	case strings.HasPrefix(l.key, "mem-"):
		first := median(e.res.get(fmt.Sprintf("mem-%d", e.cfg.memRows[0]), "astrasql"))
		return verdict(a < 64 && a < first*1.25+4)
	}
	return l.goal
}
