package astrasql_test

import (
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// headerRecorder is a Data API server that records the secrets it is sent.
type headerRecorder struct {
	mu   sync.Mutex
	seen []string // Token and X-Embedding-Api-Key values received
	h    http.Handler
}

func (r *headerRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	for _, name := range []string{"Token", "X-Embedding-Api-Key"} {
		if v := req.Header.Get(name); v != "" {
			r.seen = append(r.seen, name+": "+v)
		}
	}
	r.mu.Unlock()
	r.h.ServeHTTP(w, req)
}

func (r *headerRecorder) received() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

// TestRedirectsRefused: an endpoint that redirects (each 3xx, to another
// host's Data API, to the same host under another path, to plain http) is
// never followed: the statement fails with a *dataapi.RedirectError naming
// the status, and the server redirected to receives neither the Token nor
// the X-Embedding-Api-Key header, with the driver's own HTTP client and
// with a user-supplied one (whose own CheckRedirect would follow).
func TestRedirectsRefused(t *testing.T) {
	elsewhere := &headerRecorder{h: dataapitest.NewHandler()}
	other := httptest.NewServer(elsewhere)
	defer other.Close()
	otherURL, _ := url.Parse(other.URL)
	// 127.0.0.2 is another host to net/http (which would strip only
	// Authorization and Cookie there); the same port serves it on Linux.
	otherHost := "http://127.0.0.2:" + otherURL.Port()

	var status int
	var location string
	var mu sync.Mutex
	endpoint := &headerRecorder{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		http.Redirect(w, r, location+r.URL.Path, status)
	})}
	ep := httptest.NewServer(endpoint)
	defer ep.Close()

	userClient := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	clients := []struct {
		name string
		hc   *http.Client
	}{{"driver's client", nil}, {"user's client", userClient}, {"user's default client", &http.Client{}}}
	for _, code := range []int{301, 302, 303, 307, 308} {
		for _, to := range []string{other.URL, otherHost, ep.URL + "/elsewhere"} {
			for _, cl := range clients {
				mu.Lock()
				status, location = code, to
				mu.Unlock()
				cfg := astrasql.Config{Endpoint: ep.URL, Token: astrasql.NewSecret(relToken),
					EmbeddingAPIKey: astrasql.NewSecret(relEmbedKey), HTTPClient: cl.hc}
				cn, err := astrasql.NewConnector(cfg)
				if err != nil {
					t.Fatal(err)
				}
				db := sql.OpenDB(cn)
				_, err = db.Exec(`CREATE TABLE r (id int PRIMARY KEY)`)
				db.Close()
				var re *dataapi.RedirectError
				switch {
				case err == nil:
					t.Errorf("%d to %s, %s: no error", code, to, cl.name)
				case !errors.As(err, &re) || re.StatusCode != code:
					t.Errorf("%d to %s, %s: %v (%T), want a *dataapi.RedirectError", code, to, cl.name, err, err)
				case !strings.Contains(err.Error(), "redirect") || strings.Contains(err.Error(), "relSecretToken"):
					t.Errorf("%d to %s, %s: error %q", code, to, cl.name, err)
				}
			}
		}
	}
	if got := elsewhere.received(); len(got) != 0 {
		t.Errorf("the host redirected to received %d secret headers, first %.20q...", len(got), got[0])
	}
	// Only the endpoint itself saw them, and it saw both.
	var tok, key bool
	for _, h := range endpoint.received() {
		tok = tok || strings.HasPrefix(h, "Token: ")
		key = key || strings.HasPrefix(h, "X-Embedding-Api-Key: ")
	}
	if !tok || !key {
		t.Errorf("the endpoint did not receive both headers (token %v, key %v): the test proves nothing", tok, key)
	}
	if userClient.CheckRedirect == nil || userClient.CheckRedirect(nil, nil) != nil {
		t.Error("the user's http.Client was changed")
	}
}
