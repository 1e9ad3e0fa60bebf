package dataapitest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzHandler feeds arbitrary bodies to every command level against a
// server holding a few tables: no panic, always a JSON envelope.
func FuzzHandler(f *testing.F) {
	seeds := []string{
		`{"find":{"filter":{"age":{"$gt":1}},"sort":{"v":[1,0,0]}}}`,
		`{"insertOne":{"document":{"id":"x","age":1,"tags":["a"],"scores":{"a":1}}}}`,
		`{"insertMany":{"documents":[{"id":"y"},{"id":1}],"options":{"ordered":true,"returnDocumentResponses":true}}}`,
		`{"updateOne":{"filter":{"id":"p1"},"update":{"$push":{"tags":{"$each":["z"]}},"$set":{"age":5}}}}`,
		`{"deleteMany":{"filter":{"tenant":"a","day":{"$gte":1}}}}`,
		`{"createTable":{"name":"z","definition":{"columns":{"a":"int","m":{"type":"map","keyType":"int","valueType":"text"}},"primaryKey":{"partitionBy":["a"]}}}}`,
		`{"find":{"filter":{"$or":[{"$not":{"tags":{"$all":["a"]}}},{"scores":{"$keys":{"$in":["x"]}}}]},"options":{"pageState":"eyJoIjoiMSIsInAiOiJ4IiwibiI6MSwiYyI6W119"}}}`,
		`{"alterTable":{"operation":{"add":{"columns":{"q":{"type":"vector","dimension":"2"}}}}}}`,
		`{"findOne":{"projection":{"*":0}}}`,
		`[1,2,3]`, `{"a":`, `{"find":{"filter":{"age":1e99999}}}`,
		// Deep nesting: the JSON parser stops at maxDepth, filters recurse under it.
		`{"find":{"filter":` + strings.Repeat(`{"$not":`, 2000) + `{"age":1}` + strings.Repeat("}", 2000) + `}}`,
		`{"find":{"filter":` + strings.Repeat(`{"$and":[`, 400) + `{"age":1}` + strings.Repeat("]}", 400) + `}}`,
		`{"insertOne":{"document":{"id":"d","tags":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}}}`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	h := NewHandler()
	for _, fx := range []string{"people", "events", "all_types", "udt"} {
		for _, r := range fixtures[fx] {
			req := httptest.NewRequest("POST", r.path, bytes.NewBufferString(r.body))
			req.Header.Set("Token", "t")
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(httptest.NewRecorder(), req)
		}
	}
	paths := []string{"/v1", "/v1/default_keyspace", "/v1/default_keyspace/people", "/v1/default_keyspace/events", "/v1/default_keyspace/all_types", "/v1/default_keyspace/homes"}
	f.Fuzz(func(t *testing.T, body string) {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				panic(fmt.Sprintf("request took over 20s: %q", body))
			}
		}()
		for _, p := range paths {
			req := httptest.NewRequest("POST", p, bytes.NewBufferString(body))
			req.Header.Set("Token", "t")
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: HTTP %d", p, rec.Code)
			}
			out := rec.Body.Bytes()
			if _, err := parseJSON(out); err != nil {
				t.Fatalf("%s: response not JSON: %s", p, out)
			}
			if bytes.Contains(out, []byte("UNEXPECTED_SERVER_ERROR")) {
				t.Fatalf("%s: server error for %q: %s", p, body, out)
			}
		}
	})
}
