package astrasql_test

import (
	"database/sql"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// TestCloseClosesIdleConnections: db.Close while statements run leaves no
// kept-alive connection open once they end. Each statement here is a scan
// of three pages whose first request is in flight at Close: the requests
// after Close undo net/http's closing of newly idle connections, so
// before, the connections stayed open for the transport's 90 s idle
// timeout. The server counts open connections.
func TestCloseClosesIdleConnections(t *testing.T) {
	h := dataapitest.NewHandler()
	var hold atomic.Bool
	release := make(chan struct{})
	var arrived sync.WaitGroup
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hold.Load() {
			arrived.Done()
			<-release
		}
		h.ServeHTTP(w, r)
	}))
	var open atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	defer srv.Close()

	db, err := sql.Open("astra", srv.URL+"?token=t")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE c (id int PRIMARY KEY, pad text)`); err != nil {
		t.Fatal(err)
	}
	e2eInsertRows(t, db, "c", 120) // three pages of 50
	if got := countRows(t, db); got != 120 {
		t.Fatalf("%d rows", got)
	}
	const n = 4
	hold.Store(true)
	arrived.Add(n)
	var done sync.WaitGroup
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			if got := countRows(t, db); got != 120 {
				t.Errorf("scan %d: %d rows", i, got)
			}
		}()
	}
	waitOrFail(t, &arrived) // n requests in flight, on n connections
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	hold.Store(false)
	close(release)
	done.Wait()
	// The connections close as the requests end; the server sees it a
	// moment later.
	deadline := time.Now().Add(10 * time.Second)
	for open.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if k := open.Load(); k > 0 {
		t.Errorf("%d connections still open after db.Close and the statements' end", k)
	}
}

func waitOrFail(t *testing.T, wg *sync.WaitGroup) {
	t.Helper()
	ch := make(chan struct{})
	go func() { wg.Wait(); close(ch) }()
	select {
	case <-ch:
	case <-time.After(20 * time.Second):
		t.Fatal("the statements' requests did not all reach the server")
	}
}

func countRows(t *testing.T, db *sql.DB) int {
	rows, err := db.Query(`SELECT id FROM c`)
	if err != nil {
		t.Error(err)
		return -1
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		t.Error(err)
	}
	return n
}
