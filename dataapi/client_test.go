package dataapi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/astrasql/astrasql/dataapi"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name     string
		opts     dataapi.Options
		wantBase string
		wantEnv  string
		wantErr  string
	}{
		{"astra host", dataapi.Options{Endpoint: "https://abc-us-east1.apps.astra.datastax.com", Token: "t"},
			"https://abc-us-east1.apps.astra.datastax.com/api/json/v1", "astra", ""},
		{"astra host with path", dataapi.Options{Endpoint: "https://abc-us-east1.apps.astra.datastax.com/api/json/v1/", Token: "t"},
			"https://abc-us-east1.apps.astra.datastax.com/api/json/v1", "astra", ""},
		{"local", dataapi.Options{Endpoint: "http://127.0.0.1:8181", Token: "t"}, "http://127.0.0.1:8181/v1", "other", ""},
		{"local with /v1", dataapi.Options{Endpoint: "http://127.0.0.1:8181/v1", Token: "t"}, "http://127.0.0.1:8181/v1", "other", ""},
		{"forced astra", dataapi.Options{Endpoint: "http://127.0.0.1:8181", Token: "t", Environment: "astra"},
			"http://127.0.0.1:8181/api/json/v1", "astra", ""},
		{"hcd", dataapi.Options{Endpoint: "https://h.example.com:8181", Token: "t", Environment: "hcd"},
			"https://h.example.com:8181/v1", "hcd", ""},
		{"no endpoint", dataapi.Options{Token: "t"}, "", "", "no endpoint"},
		{"no token", dataapi.Options{Endpoint: "http://x"}, "", "", "no token"},
		{"bad scheme", dataapi.Options{Endpoint: "ftp://x", Token: "t"}, "", "", "scheme"},
		{"user info", dataapi.Options{Endpoint: "https://u:" + testToken + "@x", Token: "t"}, "", "", "user info"},
		{"newline in token", dataapi.Options{Endpoint: "http://x", Token: "a\nb"}, "", "", "line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := dataapi.New(tt.opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), testToken) {
					t.Fatalf("error shows the token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.BaseURL() != tt.wantBase || c.Environment() != tt.wantEnv {
				t.Errorf("base %q env %q, want %q %q", c.BaseURL(), c.Environment(), tt.wantBase, tt.wantEnv)
			}
			if c.Keyspace() != dataapi.DefaultKeyspace {
				t.Errorf("keyspace %q", c.Keyspace())
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	var got http.Header
	var path string
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
		got, path = fr.Header, fr.Path
		writeJSON(w, 200, `{"status":{"ok":1}}`)
	})
	c := newClient(t, f.URL, func(o *dataapi.Options) { o.EmbeddingAPIKey = "emb-key"; o.UserAgent = "myapp/2" })
	if _, err := c.DropTable(context.Background(), dataapi.DropTableRequest{Name: "t", IfExists: true}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Token": testToken, "Content-Type": "application/json",
		"User-Agent": "myapp/2 astrasql/" + dataapi.Version, "X-Embedding-Api-Key": "emb-key"}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("header %s = %q, want %q", k, got.Get(k), v)
		}
	}
	if path != "/v1/ks" {
		t.Errorf("path %q", path)
	}
	if _, sent := got["Idempotency-Key"]; sent {
		t.Errorf("Idempotency-Key sent on the wire")
	}
}

// TestRedaction prints options, clients, errors and hook logs every way a
// user might and checks the token never shows.
func TestRedaction(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
		writeJSON(w, 401, `{"errors":[{"id":"1","family":"REQUEST","scope":"SECURITY","errorCode":"UNAUTHENTICATED_REQUEST","title":"t","message":"Authentication failed for request due to invalid token"}]}`)
	})
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts := dataapi.Options{Endpoint: f.URL, Token: testToken, EmbeddingAPIKey: testToken + "-emb", Hook: dataapi.SlogHook(logger)}
	c, err := dataapi.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, callErr := c.ListTables(context.Background(), dataapi.ListTablesRequest{})
	if !errors.Is(callErr, dataapi.ErrUnauthenticated) {
		t.Fatalf("err = %v", callErr)
	}
	var apiErr *dataapi.APIError
	if !errors.As(callErr, &apiErr) || apiErr.ErrorCode != "UNAUTHENTICATED_REQUEST" {
		t.Fatalf("api error = %v", apiErr)
	}
	logger.Info("opts", "opts", opts)
	var out bytes.Buffer
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		fmt.Fprintf(&out, format+"\n", opts)
		fmt.Fprintf(&out, format+"\n", &opts)
		fmt.Fprintf(&out, format+"\n", c)
		fmt.Fprintf(&out, format+"\n", callErr)
		fmt.Fprintf(&out, format+"\n", struct{ O dataapi.Options }{opts})
	}
	out.Write(logs.Bytes())
	if strings.Contains(out.String(), "SECRET") {
		t.Fatalf("token printed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "REDACTED") || !strings.Contains(logs.String(), "UNAUTHENTICATED_REQUEST") {
		t.Fatalf("unexpected output:\n%s", out.String())
	}
}

func TestErrorTyping(t *testing.T) {
	apiErrs := `{"errors":[{"id":"e1","family":"REQUEST","scope":"SCHEMA","errorCode":"UNKNOWN_COLLECTION_OR_TABLE","title":"Unknown table","message":"No table or collection\n\nwith name 'x'."},` +
		`{"id":"e2","family":"REQUEST","scope":"FILTER","errorCode":"FILTER_INVALID_EXPRESSION","title":"t","message":"m"}]}`
	tests := []struct {
		name   string
		handle func(w http.ResponseWriter)
		check  func(t *testing.T, err error)
	}{
		{"api errors", func(w http.ResponseWriter) { writeJSON(w, 200, apiErrs) }, func(t *testing.T, err error) {
			var re *dataapi.ResponseError
			var ae *dataapi.APIError
			if !errors.As(err, &re) || len(re.Errors) != 2 || !errors.As(err, &ae) {
				t.Fatalf("%T %v", err, err)
			}
			if ae.ErrorCode != "UNKNOWN_COLLECTION_OR_TABLE" || ae.Scope != "SCHEMA" || ae.Family != "REQUEST" || ae.ID != "e1" || ae.Title != "Unknown table" {
				t.Errorf("%+v", ae)
			}
			if got := ae.Error(); got != "UNKNOWN_COLLECTION_OR_TABLE: No table or collection with name 'x'." {
				t.Errorf("Error() = %q", got)
			}
			if !contains(err.Error(), "find ks.t", "(and 1 more)") {
				t.Errorf("%v", err)
			}
		}},
		{"401", func(w http.ResponseWriter) {
			writeJSON(w, 401, `{"errors":[{"family":"REQUEST","scope":"SECURITY","errorCode":"MISSING_AUTHENTICATION_TOKEN","message":"no token"}]}`)
		}, func(t *testing.T, err error) {
			var he *dataapi.HTTPError
			var ae *dataapi.APIError
			if !errors.Is(err, dataapi.ErrUnauthenticated) || !errors.As(err, &he) || he.StatusCode != 401 ||
				!errors.As(err, &ae) || ae.ErrorCode != "MISSING_AUTHENTICATION_TOKEN" {
				t.Fatalf("%T %v", err, err)
			}
		}},
		{"403", func(w http.ResponseWriter) { writeJSON(w, 403, `forbidden by gateway`) }, isErr(dataapi.ErrForbidden, "forbidden by gateway")},
		{"404", func(w http.ResponseWriter) { w.WriteHeader(404) }, isErr(dataapi.ErrEndpointNotFound, "check the endpoint")},
		{"413", func(w http.ResponseWriter) { w.WriteHeader(413) }, isErr(dataapi.ErrRequestTooLarge, "413")},
		{"415", func(w http.ResponseWriter) {
			writeJSON(w, 415, `{"errors":[{"errorCode":"UNSUPPORTED_CONTENT_TYPE","message":"bad"}]}`)
		}, isErr(dataapi.ErrUnsupportedMediaType, "UNSUPPORTED_CONTENT_TYPE")},
		{"429", func(w http.ResponseWriter) { w.Header().Set("Retry-After", "7"); w.WriteHeader(429) }, func(t *testing.T, err error) {
			var he *dataapi.HTTPError
			if !errors.Is(err, dataapi.ErrRateLimited) || !errors.As(err, &he) || he.RetryAfter != 7*time.Second {
				t.Fatalf("%v", err)
			}
		}},
		{"500", func(w http.ResponseWriter) { w.WriteHeader(500) }, isErr(dataapi.ErrServer, "500")},
		{"503", func(w http.ResponseWriter) { w.WriteHeader(503) }, isErr(dataapi.ErrServer, "503")},
		{"418", func(w http.ResponseWriter) { w.WriteHeader(418) }, isErr(dataapi.ErrHTTPStatus, "418")},
		{"malformed json", func(w http.ResponseWriter) { writeJSON(w, 200, `{"status":{"ok":1},"data":{"documents":[{"a":1,}]}}`) },
			func(t *testing.T, err error) {
				var be *dataapi.BadResponseError
				if !errors.As(err, &be) || errors.Is(err, io.ErrUnexpectedEOF) || !contains(err.Error(), "malformed") {
					t.Fatalf("%T %v", err, err)
				}
			}},
		{"not an object", func(w http.ResponseWriter) { writeJSON(w, 200, `[1]`) }, func(t *testing.T, err error) {
			var be *dataapi.BadResponseError
			if !errors.As(err, &be) {
				t.Fatalf("%T %v", err, err)
			}
		}},
		{"truncated", func(w http.ResponseWriter) {
			hijackWrite(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"data\":{\"documents\":[{\"a\":1},", false)
		}, func(t *testing.T, err error) {
			var be *dataapi.BadResponseError
			if !errors.As(err, &be) || !errors.Is(err, io.ErrUnexpectedEOF) || !contains(err.Error(), "truncated") {
				t.Fatalf("%T %v", err, err)
			}
		}},
		{"truncated no length", func(w http.ResponseWriter) {
			hijackWrite(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"data\":{\"documents\":[", false)
		}, func(t *testing.T, err error) {
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("%T %v", err, err)
			}
		}},
		{"reset mid-body", func(w http.ResponseWriter) {
			hijackWrite(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"data\":{\"documents\":[{\"a\":1},", true)
		}, func(t *testing.T, err error) {
			var te *dataapi.TransportError
			if !errors.As(err, &te) {
				t.Fatalf("%T %v", err, err)
			}
		}},
		{"reset before response", func(w http.ResponseWriter) { hijackClose(w) }, func(t *testing.T, err error) {
			var te *dataapi.TransportError
			if !errors.As(err, &te) || te.Attempts != 1 {
				t.Fatalf("%T %v", err, err)
			}
		}},
		{"too large", func(w http.ResponseWriter) {
			w.WriteHeader(200)
			io.WriteString(w, `{"data":{"documents":[`)
			for range 2000 {
				io.WriteString(w, `{"a":1},`)
			}
			io.WriteString(w, `{"a":1}]}}`)
		}, func(t *testing.T, err error) {
			var be *dataapi.BadResponseError
			if !errors.As(err, &be) || !errors.Is(err, dataapi.ErrResponseTooLarge) {
				t.Fatalf("%T %v", err, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) { tt.handle(w) })
			// Retries off: this test is about the error of one response.
			c := newClient(t, f.URL, func(o *dataapi.Options) { o.Retries = -1; o.MaxResponseBytes = 4 << 10 })
			cur, err := c.Find(context.Background(), dataapi.FindRequest{Table: "t"})
			if err == nil {
				cur.Close()
				t.Fatal("no error")
			}
			if strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), "SECRET") {
				t.Fatal("token in error")
			}
			tt.check(t, err)
		})
	}
}

func isErr(target error, text string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var he *dataapi.HTTPError
		if !errors.Is(err, target) || !errors.As(err, &he) || !strings.Contains(err.Error(), text) {
			t.Fatalf("%T %v; want %v containing %q", err, err, target, text)
		}
	}
}

func TestTimeouts(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
		select { // a slow server
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Run("client timeout", func(t *testing.T) {
		c := newClient(t, f.URL, func(o *dataapi.Options) { o.Timeout = 50 * time.Millisecond })
		_, err := c.FindOne(context.Background(), dataapi.FindOneRequest{Table: "t"})
		var te *dataapi.TimeoutError
		if !errors.As(err, &te) || errors.Is(err, context.DeadlineExceeded) || te.Limit != 50*time.Millisecond {
			t.Fatalf("%T %v", err, err)
		}
	})
	t.Run("context deadline", func(t *testing.T) {
		c := newClient(t, f.URL, func(o *dataapi.Options) { o.Timeout = time.Minute })
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := c.FindOne(ctx, dataapi.FindOneRequest{Table: "t"})
		var te *dataapi.TimeoutError
		if errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) || !contains(err.Error(), "findOne ks.t") {
			t.Fatalf("%T %v", err, err)
		}
	})
	t.Run("slow body", func(t *testing.T) {
		g := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
			w.WriteHeader(200)
			io.WriteString(w, `{"data":{"documents":[`)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		})
		c := newClient(t, g.URL, func(o *dataapi.Options) { o.Timeout = 80 * time.Millisecond })
		_, err := c.Find(context.Background(), dataapi.FindRequest{Table: "t"})
		var te *dataapi.TimeoutError
		if !errors.As(err, &te) {
			t.Fatalf("%T %v", err, err)
		}
	})
}

func TestWarningsReturned(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
		writeJSON(w, 200, `{"status":{"deletedCount":-1,"warnings":[{"family":"REQUEST","scope":"WARNING","errorCode":"MISSING_INDEX","message":"no index"}]}}`)
	})
	c := newClient(t, f.URL)
	res, err := c.DeleteMany(context.Background(), dataapi.DeleteRequest{Table: "t", Filter: []byte(`{"a":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if res.DeletedCount != -1 || len(res.Warnings) != 1 || res.Warnings[0].ErrorCode != "MISSING_INDEX" {
		t.Fatalf("%+v", res)
	}
}

func TestRouting(t *testing.T) {
	tests := []struct {
		keyspace, table, command string
		wantPath                 string
	}{
		{"", "", "findKeyspaces", "/api/json/v1"},
		{"ks2", "", "createKeyspace", "/api/json/v1"},
		{"", "", "listTables", "/api/json/v1/ks"},
		{"other", "", "createTable", "/api/json/v1/other"},
		{"", "t", "find", "/api/json/v1/ks/t"},
		{"other", "t x", "find", "/api/json/v1/other/t%20x"},
	}
	for _, tt := range tests {
		t.Run(tt.command+tt.wantPath, func(t *testing.T) {
			var path, command string
			var body []byte
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
				path, command, body = r.URL.EscapedPath(), fr.Command, fr.Body
				writeJSON(w, 200, `{"status":{"ok":1}}`)
			})
			c := newClient(t, f.URL, func(o *dataapi.Options) { o.Environment = "astra" })
			resp, err := c.Do(context.Background(), tt.keyspace, tt.table, tt.command, []byte(`{"x":1}`))
			if err != nil || string(resp.Status) != `{"ok":1}` {
				t.Fatal(err, resp)
			}
			if path != tt.wantPath || command != tt.command || string(body) != `{"x":1}` {
				t.Fatalf("%s %s %s", path, command, body)
			}
		})
	}
	c := newClient(t, "http://127.0.0.1:1")
	if _, err := c.Do(context.Background(), "", "", "find", []byte(`[1]`)); err == nil {
		t.Fatal("array body accepted")
	}
}

func TestHasCode(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
		writeJSON(w, 200, `{"errors":[{"errorCode":"A","message":"a"},{"errorCode":"B","message":"b"}]}`)
	})
	c := newClient(t, f.URL)
	_, err := c.FindOne(context.Background(), dataapi.FindOneRequest{Table: "t"})
	wrapped := fmt.Errorf("driver: %w", err)
	if !dataapi.HasCode(wrapped, "A") || !dataapi.HasCode(wrapped, "B") || dataapi.HasCode(wrapped, "C") || dataapi.HasCode(nil, "A") {
		t.Fatal(err)
	}
}

// TestEchoedTokenScrubbed: a server that echoes the request's headers in an
// error must not leak the token into errors.
func TestEchoedTokenScrubbed(t *testing.T) {
	for _, status := range []int{200, 400, 401} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
				tok := r.Header.Get("Token")
				if status == 400 {
					writeJSON(w, status, "bad request; headers: Token: "+tok)
					return
				}
				writeJSON(w, status, `{"errors":[{"errorCode":"X","title":"`+tok+`","message":"token `+tok+` rejected"}]}`)
			})
			c := newClient(t, f.URL)
			_, err := c.FindOne(context.Background(), dataapi.FindOneRequest{Table: "t"})
			var ae *dataapi.APIError
			errors.As(err, &ae)
			if err == nil || strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, ae), "SECRET") {
				t.Fatalf("%v / %#v", err, ae)
			}
		})
	}
}
