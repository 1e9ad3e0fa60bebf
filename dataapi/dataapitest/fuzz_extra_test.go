package dataapitest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// FuzzRequestHTTP fuzzes what comes before the body: the path (keyspace,
// table, API prefix), the method, the Content-Type and the token, with a
// body too. The handler never panics, answers one of the statuses the real
// server uses, and its 200, 401 and 415 answers are JSON envelopes without
// UNEXPECTED_SERVER_ERROR.
func FuzzRequestHTTP(f *testing.F) {
	for _, s := range []struct{ path, method, ctype, token, body string }{
		{"/v1/default_keyspace/people", "POST", "application/json", "t", `{"findOne":{"filter":{"id":"p1"}}}`},
		{"/api/json/v1/default_keyspace", "POST", "application/json; charset=utf-8", "t", `{"listTables":{}}`},
		{"/v1", "POST", "application/json", "t", `{"findKeyspaces":{}}`},
		{"/v1/", "GET", "", "", ``},
		{"/v1/default_keyspace/people/extra", "POST", "application/json", "t", `{}`},
		{"/v1/nosuch/t", "POST", "text/plain", "t", `{"find":{}}`},
		{"/v1/default_keyspace/%2e%2e", "POST", "APPLICATION/JSON", "wrong", `{"find":{}}`},
		{"/v1//people", "PUT", "application/json", "t", `null`},
		{"/api/json/v1/default_keyspace/people", "POST", "application/json", "", `{"deleteMany":{}}`},
		{"/v1/default_keyspace/events", "POST", "application/json", "t", "{\"find\":{\"filter\":{\"tenant\":\"\xff\"}}}"},
	} {
		f.Add(s.path, s.method, s.ctype, s.token, s.body)
	}
	h := NewHandler(WithToken("t"))
	for _, fx := range []string{"people", "events"} {
		for _, r := range fixtures[fx] {
			req := httptest.NewRequest("POST", r.path, bytes.NewBufferString(r.body))
			req.Header.Set("Token", "t")
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(httptest.NewRecorder(), req)
		}
	}
	f.Fuzz(func(t *testing.T, path, method, ctype, token, body string) {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				panic(fmt.Sprintf("request took over 20s: %q %q %q", method, path, body))
			}
		}()
		req := &http.Request{
			Method: method,
			URL:    &url.URL{Path: path},
			Header: http.Header{},
			Body:   io.NopCloser(bytes.NewBufferString(body)),
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if token != "" {
			req.Header["Token"] = []string{token}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusUnauthorized, http.StatusUnsupportedMediaType:
			out := rec.Body.Bytes()
			if _, err := parseJSON(out); err != nil {
				t.Fatalf("%s %q: HTTP %d, body not JSON: %q", method, path, rec.Code, out)
			}
			if bytes.Contains(out, []byte("UNEXPECTED_SERVER_ERROR")) {
				t.Fatalf("%s %q: server error for %q: %s", method, path, body, out)
			}
		case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("%s %q: HTTP %d", method, path, rec.Code)
		}
	})
}
