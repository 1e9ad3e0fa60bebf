package dataapi

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestHTTP2 checks the default transport negotiates HTTP/2 over TLS (ALPN).
func TestHTTP2(t *testing.T) {
	var proto atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proto.Store(int32(r.ProtoMajor))
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":{"keyspaces":["a"]}}`))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	c, err := New(Options{Endpoint: srv.URL, Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Trust the test server's certificate; everything else stays default.
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	tr := c.http.Transport.(*http.Transport)
	tr.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	tr.TLSClientConfig.RootCAs = pool
	ks, err := c.FindKeyspaces(context.Background())
	if err != nil || len(ks) != 1 {
		t.Fatal(err, ks)
	}
	if proto.Load() != 2 {
		t.Fatalf("HTTP/%d, want HTTP/2", proto.Load())
	}
}
