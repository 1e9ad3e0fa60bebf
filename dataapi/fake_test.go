package dataapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/astrasql/astrasql/dataapi"
)

// The fake servers below are only for faults and shapes the local server
// (dataapitest) cannot produce: 429/5xx, resets, truncated and malformed
// bodies, slow answers, field orders.

const testToken = "AstraCS:SECRET-test-token-0123456789"

type fakeReq struct {
	Command string
	Body    json.RawMessage // the command's own object
	Path    string
	Header  http.Header
	N       int64 // 1-based request number
}

type fake struct {
	*httptest.Server
	n atomic.Int64
}

func newFake(t testing.TB, h func(w http.ResponseWriter, r *http.Request, fr *fakeReq)) *fake {
	t.Helper()
	f := &fake{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fr := &fakeReq{Path: r.URL.Path, Header: r.Header, N: f.n.Add(1)}
		b, _ := io.ReadAll(r.Body)
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) == nil {
			for k, v := range m {
				fr.Command, fr.Body = k, v
			}
		}
		h(w, r, fr)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fake) requests() int64 { return f.n.Load() }

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// newClient returns a client of the fake with fast retries.
func newClient(t testing.TB, url string, mod ...func(*dataapi.Options)) *dataapi.Client {
	t.Helper()
	o := dataapi.Options{Endpoint: url, Token: testToken, Keyspace: "ks",
		RetryBaseDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond}
	for _, m := range mod {
		m(&o)
	}
	c, err := dataapi.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// hijackClose drops the connection without answering (a reset before the response).
func hijackClose(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		if tc, ok := conn.(interface{ SetLinger(int) error }); ok {
			tc.SetLinger(0) // RST rather than FIN
		}
		conn.Close()
	}
}

// hijackWrite writes raw bytes then closes the connection, with a reset
// (RST) or cleanly (FIN, a truncated body).
func hijackWrite(w http.ResponseWriter, raw string, reset bool) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err == nil {
		buf.WriteString(raw)
		buf.Flush()
		if tc, ok := conn.(interface{ SetLinger(int) error }); ok && reset {
			tc.SetLinger(0)
		}
		conn.Close()
	}
}

func contains(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
