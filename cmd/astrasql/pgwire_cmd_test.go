package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// syncBuffer is a bytes.Buffer safe to read while the command writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestPgwireCommand: `astrasql pgwire` over the embedded server answers a
// PostgreSQL client, and refuses unsafe set-ups.
func TestPgwireCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-dsn", "http://127.0.0.1:1?keyspace=ks&token=T"}, "set -password"},
		{[]string{"-addr", "0.0.0.0:0"}, "refusing to listen beyond loopback without TLS"},
		{[]string{"-tls-cert", "x.pem"}, "-tls-cert and -tls-key go together"},
	} {
		var out, errb syncBuffer
		code := runPgwire(context.Background(), tc.args, &out, &errb)
		if code == exitOK || !strings.Contains(errb.String(), tc.want) || strings.Contains(errb.String(), "token=T") {
			t.Errorf("pgwire %q: exit %d, stderr %q, want an error saying %q", tc.args, code, errb.String(), tc.want)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() { done <- runPgwire(ctx, []string{"-addr", "127.0.0.1:0"}, &out, &errb) }()
	re := regexp.MustCompile(`on (127\.0\.0\.1:\d+)`)
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("no address announced: stdout %q stderr %q", out.String(), errb.String())
	}
	c, err := pgx.Connect(context.Background(), "postgres://me:anything@"+addr+"/default_keyspace?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	var db string
	if err := c.QueryRow(context.Background(), "SELECT current_database()").Scan(&db); err != nil || db != "default_keyspace" {
		t.Errorf("current_database(): %q, %v", db, err)
	}
	c.Close(context.Background())
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("exit %d after interrupt; stderr %q", code, errb.String())
	}
}
