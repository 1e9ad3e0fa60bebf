package astrasql_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// sampleHeap samples the live heap until the returned function is called,
// which gives the peak and the heap at the start (after a GC).
func sampleHeap() func() (peak, base uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	peak := base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tk := time.NewTicker(5 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-done:
				return
			case <-tk.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
		}
	}()
	return func() (uint64, uint64) {
		close(done)
		wg.Wait()
		return peak, base
	}
}

// settleGoroutines waits (up to 10 s) for the goroutine count to come back
// to base, and fails with the stacks of the extra ones if it does not.
func settleGoroutines(t testing.TB, base int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("goroutines: %d, baseline %d; stacks:\n%s", n, base, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// heapNow is the live heap after a GC.
func heapNow() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestLoadMixed runs 64 goroutines mixing reads and writes for a bounded
// time against the local server: no errors, every read consistent with the
// goroutine's own writes, and goroutines and heap back to their baseline
// after db.Close().
func TestLoadMixed(t *testing.T) {
	const workers = 64
	dur := 2 * time.Second
	if testing.Short() {
		dur = 500 * time.Millisecond
	}
	baseG := runtime.NumGoroutine()
	baseHeap := heapNow()

	srv := dataapitest.NewServer(dataapitest.WithPageSize(20))
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token="+relToken)
	if err != nil {
		t.Fatal(err)
	}
	e2eExec(t, db, `CREATE TABLE load (w int, k int, v text, n bigint, PRIMARY KEY ((w), k))`)
	e2eExec(t, db, `CREATE TABLE shared (id int PRIMARY KEY, pad text)`)
	e2eInsertRows(t, db, "shared", 300)

	var ops, reads, writes atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 8))
			mine := map[int]string{} // this worker's partition: k -> v
			fail := func(format string, args ...any) {
				errs <- fmt.Errorf("worker %d: "+format, append([]any{w}, args...)...)
			}
			for i := 0; ctx.Err() == nil; i++ {
				ops.Add(1)
				switch op := rng.IntN(10); {
				case op < 3: // multi-row insert in the worker's partition
					var b strings.Builder
					b.WriteString(`INSERT INTO load (w, k, v, n) VALUES `)
					var args []any
					for j := 0; j < 5; j++ {
						k := rng.IntN(50)
						v := fmt.Sprintf("w%d-i%d-j%d", w, i, j)
						if j > 0 {
							b.WriteString(", ")
						}
						b.WriteString("(?, ?, ?, ?)")
						args = append(args, w, k, v, int64(i))
						mine[k] = v
					}
					if _, err := db.Exec(b.String(), args...); err != nil {
						fail("insert: %v", err)
						return
					}
					writes.Add(1)
				case op < 4: // update one row
					k := rng.IntN(50)
					v := fmt.Sprintf("u%d-%d", w, i)
					if _, err := db.Exec(`UPDATE load SET v = ? WHERE w = ? AND k = ?`, v, w, k); err != nil {
						fail("update: %v", err)
						return
					}
					mine[k] = v
					writes.Add(1)
				case op < 5: // delete one row
					k := rng.IntN(50)
					if _, err := db.Exec(`DELETE FROM load WHERE w = ? AND k = ?`, w, k); err != nil {
						fail("delete: %v", err)
						return
					}
					delete(mine, k)
					writes.Add(1)
				case op < 8: // read the partition back: exactly this worker's writes
					rows, err := db.Query(`SELECT k, v FROM load WHERE w = ?`, w)
					if err != nil {
						fail("read: %v", err)
						return
					}
					got := map[int]string{}
					for rows.Next() {
						var k int
						var v string
						if err := rows.Scan(&k, &v); err != nil {
							fail("scan: %v", err)
							rows.Close()
							return
						}
						if _, dup := got[k]; dup {
							fail("row k=%d twice", k)
						}
						got[k] = v
					}
					if err := rows.Close(); err != nil {
						fail("read close: %v", err)
					}
					if err := rows.Err(); err != nil {
						fail("read: %v", err)
						return
					}
					if len(got) != len(mine) {
						fail("partition has %d rows, wrote %d", len(got), len(mine))
						return
					}
					for k, v := range mine {
						if got[k] != v {
							fail("k=%d: read %q, wrote %q", k, got[k], v)
							return
						}
					}
					reads.Add(1)
				default: // scan the shared table (15 pages), stop early sometimes
					rows, err := db.Query(`SELECT id, pad FROM shared`)
					if err != nil {
						fail("scan shared: %v", err)
						return
					}
					stopAt := 1000
					if rng.IntN(2) == 0 {
						stopAt = rng.IntN(300)
					}
					seen := 0
					for rows.Next() && seen < stopAt {
						seen++
					}
					rows.Close()
					if err := rows.Err(); err != nil {
						fail("scan shared: %v", err)
						return
					}
					if stopAt >= 300 && seen != 300 {
						fail("scan shared: %d rows, want 300", seen)
						return
					}
					reads.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("load: %d workers, %v: %d operations (%d reads, %d writes)", workers, dur, ops.Load(), reads.Load(), writes.Load())

	if err := db.Close(); err != nil {
		t.Error(err)
	}
	srv.Close()
	db, srv = nil, nil
	settleGoroutines(t, baseG)
	after := heapNow()
	t.Logf("goroutines back to %d (baseline %d); heap %d KiB -> %d KiB", runtime.NumGoroutine(), baseG, baseHeap>>10, after>>10)
	if after > baseHeap+16<<20 {
		t.Errorf("heap after Close %d MiB, baseline %d MiB", after>>20, baseHeap>>20)
	}
}
