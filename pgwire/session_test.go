package pgwire_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/pgwire"
)

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// TestTransactions: BEGIN ... ROLLBACK discards, COMMIT applies, an error
// fails the block until ROLLBACK (25P02).
func TestTransactions(t *testing.T) {
	c := connect(t, startServer(t, pgwire.Config{}))
	ctx := context.Background()
	mustExec(t, c, `CREATE TABLE acct (id int PRIMARY KEY, bal int)`)
	count := func() int64 {
		t.Helper()
		var n int64
		if err := c.QueryRow(ctx, `SELECT count(*) FROM acct`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO acct (id, bal) VALUES ($1, $2)`, 1, 10); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 0 {
		t.Errorf("after ROLLBACK: %d rows, want 0", n)
	}
	tx, _ = c.Begin(ctx)
	for i := 1; i <= 3; i++ {
		if _, err := tx.Exec(ctx, `INSERT INTO acct (id, bal) VALUES ($1, $2)`, i, i*10); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(); n != 0 {
		t.Errorf("before COMMIT: %d rows visible, want 0 (writes are buffered)", n)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 3 {
		t.Errorf("after COMMIT: %d rows, want 3", n)
	}
	// An error inside the block fails it.
	mustExec(t, c, `BEGIN`)
	if _, err := c.Exec(ctx, `SELECT nope FROM acct`); pgCode(err) != "42703" {
		t.Errorf("error in block: %v", err)
	}
	if _, err := c.Exec(ctx, `SELECT * FROM acct`); pgCode(err) != "25P02" {
		t.Errorf("after an error in the block: %v, want 25P02", err)
	}
	if tag := mustExec(t, c, `COMMIT`); tag.String() != "ROLLBACK" {
		t.Errorf("COMMIT of a failed block: tag %q, want ROLLBACK", tag)
	}
	if n := count(); n != 3 {
		t.Errorf("after the failed block: %d rows, want 3", n)
	}
}

// blockingAPI is the local Data API behind a handler that holds every
// request for table "slow" until the client gives up, and counts the find
// commands per table.
type blockingAPI struct {
	*httptest.Server
	held     chan struct{} // a request is being held
	released chan struct{} // a held request's client went away
	finds    sync.Map      // table -> *atomic.Int64
}

func newBlockingAPI(t testing.TB, opts ...dataapitest.Option) *blockingAPI {
	h := dataapitest.NewHandler(opts...)
	b := &blockingAPI{held: make(chan struct{}, 16), released: make(chan struct{}, 16)}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		table := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		if bytes.Contains(body, []byte(`"find"`)) {
			n, _ := b.finds.LoadOrStore(table, new(atomic.Int64))
			n.(*atomic.Int64).Add(1)
		}
		if table == "slow" && bytes.Contains(body, []byte(`"find"`)) {
			b.held <- struct{}{}
			<-r.Context().Done()
			b.released <- struct{}{}
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(b.Close)
	return b
}

func (b *blockingAPI) findCount(table string) int64 {
	n, ok := b.finds.Load(table)
	if !ok {
		return 0
	}
	return n.(*atomic.Int64).Load()
}

// TestCancel: a CancelRequest stops the running statement (57014), its
// Data API request is abandoned, and the session goes on.
func TestCancel(t *testing.T) {
	api := newBlockingAPI(t)
	c := connect(t, startFront(t, pgwire.Config{}, api.URL, nil))
	ctx := context.Background()
	mustExec(t, c, `CREATE TABLE slow (id int PRIMARY KEY)`)
	go func() {
		<-api.held
		if err := c.PgConn().CancelRequest(ctx); err != nil {
			t.Errorf("CancelRequest: %v", err)
		}
	}()
	_, err := c.Exec(ctx, `SELECT * FROM slow WHERE id > 0`)
	if pgCode(err) != "57014" {
		t.Fatalf("cancelled query: %v, want SQLSTATE 57014", err)
	}
	select {
	case <-api.released:
	case <-time.After(10 * time.Second):
		t.Fatal("the Data API request was not abandoned")
	}
	var n int64
	if err := c.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables`).Scan(&n); err != nil {
		t.Errorf("after cancel: %v", err)
	}

	// statement_timeout ends a statement the same way.
	mustExec(t, c, `SET statement_timeout = '50ms'`)
	_, err = c.Exec(ctx, `SELECT * FROM slow WHERE id > 0`)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57014" || !strings.Contains(pe.Message, "statement timeout") {
		t.Errorf("statement_timeout: %v, want 57014 statement timeout", err)
	}
	<-api.held
	<-api.released
}

// TestDropWhileRunning: a client that goes away before the first row
// cancels its statement (the Data API request is abandoned). The client
// is raw protocol, since pgx would send a CancelRequest itself.
func TestDropWhileRunning(t *testing.T) {
	api := newBlockingAPI(t)
	addr := startFront(t, pgwire.Config{}, api.URL, nil)
	mustExec(t, connect(t, addr), `CREATE TABLE slow (id int PRIMARY KEY)`)
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "raw", "database": "default_keyspace"}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := msg.(*pgproto3.AuthenticationCleartextPassword); ok {
			fe.Send(&pgproto3.PasswordMessage{Password: "local-token"})
			if err := fe.Flush(); err != nil {
				t.Fatal(err)
			}
		}
		if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
			break
		}
	}
	fe.Send(&pgproto3.Query{String: `SELECT * FROM slow WHERE id > 0`})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	<-api.held
	nc.Close()
	select {
	case <-api.released:
	case <-time.After(10 * time.Second):
		t.Fatal("the Data API request of a dropped client was not abandoned")
	}
}

// smallBuffers makes the server's socket buffers small, so that a result
// cannot hide in them.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4096)
	}
	return c, err
}

// TestDroppedConnection: a client that goes away mid-result stops the
// scan (no more pages are read) and its session ends.
func TestDroppedConnection(t *testing.T) {
	api := newBlockingAPI(t, dataapitest.WithPageSize(20))
	addr := startFront(t, pgwire.Config{}, api.URL, func(l net.Listener) net.Listener { return smallBuffers{l} })
	ctx := context.Background()
	c := connect(t, addr)
	mustExec(t, c, `CREATE TABLE big (id int PRIMARY KEY, pad text)`)
	pad := strings.Repeat("x", 1000)
	const rows = 2000
	var b strings.Builder
	for i := 0; i < rows; i += 100 {
		b.Reset()
		b.WriteString("INSERT INTO big (id, pad) VALUES ")
		for j := i; j < i+100; j++ {
			if j > i {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "(%d, '%s')", j, pad)
		}
		mustExec(t, c, b.String())
	}
	cfg, _ := pgx.ParseConfig(connURL(addr))
	cfg.DialFunc = func(ctx context.Context, network, a string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, a)
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4096)
		}
		return conn, err
	}
	c2, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c2.Query(ctx, `SELECT * FROM big`)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Next() {
		t.Fatal("no first row")
	}
	c2.PgConn().Conn().Close() // the client goes away
	// The scan stops: the count of finds settles below a full scan's.
	var last int64 = -1
	for i := 0; i < 50; i++ {
		time.Sleep(100 * time.Millisecond)
		n := api.findCount("big")
		if n == last {
			break
		}
		last = n
	}
	t.Logf("%d finds after the client left (a full scan: %d)", last, rows/20)
	if full := int64(rows / 20); last >= full {
		t.Errorf("%d finds after the client left; a full scan is %d", last, full)
	}
}

// TestConcurrentSessions: many connections at once, each its own session
// over one shared database.
func TestConcurrentSessions(t *testing.T) {
	addr := startServer(t, pgwire.Config{})
	ctx := context.Background()
	mustExec(t, connect(t, addr), `CREATE TABLE kv (k int PRIMARY KEY, v text)`)
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := pgx.Connect(ctx, connURL(addr))
			if err != nil {
				errs <- err
				return
			}
			defer c.Close(ctx)
			tx, err := c.Begin(ctx)
			if err != nil {
				errs <- err
				return
			}
			for j := range 5 {
				if _, err := tx.Exec(ctx, `INSERT INTO kv (k, v) VALUES ($1, $2)`, i*100+j, fmt.Sprint(i)); err != nil {
					errs <- err
					return
				}
			}
			if err := tx.Commit(ctx); err != nil {
				errs <- err
				return
			}
			var got int64
			if err := c.QueryRow(ctx, `SELECT count(*) FROM kv WHERE v = $1`, fmt.Sprint(i)).Scan(&got); err != nil {
				errs <- err
				return
			}
			if got != 5 {
				errs <- fmt.Errorf("session %d sees %d of its rows", i, got)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestNotices: the Data API's warnings arrive as NoticeResponse.
func TestNotices(t *testing.T) {
	addr := startServer(t, pgwire.Config{})
	cfg, _ := pgx.ParseConfig(connURL(addr))
	var mu sync.Mutex
	var got []string
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		mu.Lock()
		got = append(got, n.Severity+" "+n.Message)
		mu.Unlock()
	}
	ctx := context.Background()
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	mustExec(t, c, `CREATE TABLE n1 (id int PRIMARY KEY)`)
	mustExec(t, c, `SELECT * FROM n1`)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || !strings.Contains(got[0], "ZERO_FILTER_OPERATIONS") {
		t.Errorf("notices %q, want one ZERO_FILTER_OPERATIONS warning", got)
	}
}

// TestAuth: the password is the token (checked by the Data API), or the
// server's own password with SCRAM-SHA-256; TLS; no plain listening
// beyond loopback.
func TestAuth(t *testing.T) {
	ctx := context.Background()
	api := dataapitest.NewServer(dataapitest.WithToken("good-token"))
	defer api.Close()
	addr := startFront(t, pgwire.Config{}, api.URL, nil)
	try := func(url string) error {
		c, err := pgx.Connect(ctx, url)
		if err == nil {
			c.Close(ctx)
		}
		return err
	}
	if err := try("postgres://u:good-token@" + addr + "/default_keyspace?sslmode=disable"); err != nil {
		t.Errorf("the right token: %v", err)
	}
	err := try("postgres://u:bad-token@" + addr + "/default_keyspace?sslmode=disable")
	if pgCode(err) != "28P01" || strings.Contains(err.Error(), "bad-token") {
		t.Errorf("a wrong token: %v, want 28P01 without the token", err)
	}

	// Server password: SCRAM-SHA-256, the token is the DSN's.
	addr = startFront(t, pgwire.Config{DSN: api.URL + "?keyspace=default_keyspace&token=good-token", Password: "s3cret"}, api.URL, nil)
	if err := try("postgres://u:s3cret@" + addr + "/default_keyspace?sslmode=disable"); err != nil {
		t.Errorf("SCRAM with the right password: %v", err)
	}
	if err := try("postgres://u:wrong@" + addr + "/default_keyspace?sslmode=disable"); pgCode(err) != "28P01" {
		t.Errorf("SCRAM with a wrong password: %v, want 28P01", err)
	}

	// TLS.
	tlsCfg := selfSigned(t)
	addr = startFront(t, pgwire.Config{TLSConfig: tlsCfg}, api.URL, nil)
	pc, err := pgx.ParseConfig("postgres://u:good-token@" + addr + "/default_keyspace?sslmode=require")
	if err != nil {
		t.Fatal(err)
	}
	c, err := pgx.ConnectConfig(ctx, pc)
	if err != nil {
		t.Fatalf("TLS: %v", err)
	}
	if _, ok := c.PgConn().Conn().(*tls.Conn); !ok {
		t.Errorf("sslmode=require: connection is %T, not TLS", c.PgConn().Conn())
	}
	c.Close(ctx)

	// Beyond loopback without TLS: refused.
	srv, err := pgwire.NewServer(pgwire.Config{DSN: api.URL})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Skip("cannot listen on 0.0.0.0")
	}
	defer ln.Close()
	if err := srv.Serve(ln); !errors.Is(err, pgwire.ErrInsecureListen) {
		t.Errorf("Serve on 0.0.0.0 without TLS: %v, want ErrInsecureListen", err)
	}
}

func selfSigned(t testing.TB) *tls.Config {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}
