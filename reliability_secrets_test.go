package astrasql_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/dataapi/dataapitest/faultproxy"
)

// secretParts are the distinctive parts of the secrets used here: a
// rendering holding a secret, raw or percent-encoded, holds one of them.
var secretParts = []string{"relSecretToken", "9f8e7d6c5b4a3210", "wrongSecretTok", "embedSecretKey"}

const (
	relWrongToken = "AstraCS:wrongSecretTok:0123456789"
	relEmbedKey   = "embedSecretKey-5e6f7a8b"
)

// secretSink collects every text the driver produced: errors, log lines,
// hook events, renderings.
type secretSink struct {
	mu    sync.Mutex
	texts []string
}

func (s *secretSink) add(what string, v any) {
	if v == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.texts = append(s.texts, what+": "+fmt.Sprint(v))
}

func (s *secretSink) CommandStart(ctx context.Context, ev *dataapi.StartEvent) context.Context {
	s.add("hook start", fmt.Sprintf("%+v", *ev))
	return ctx
}

func (s *secretSink) CommandEnd(_ context.Context, ev *dataapi.EndEvent) {
	s.add("hook end", fmt.Sprintf("%+v", *ev))
	if ev.Err != nil {
		s.add("hook error", ev.Err.Error())
		s.add("hook error %#v", fmt.Sprintf("%#v", ev.Err))
	}
}

// check fails for every collected text holding a secret.
func (s *secretSink) check(t *testing.T) int {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, txt := range s.texts {
		for _, p := range secretParts {
			if strings.Contains(txt, p) {
				t.Errorf("secret %q in %.300s", p, txt)
			}
		}
	}
	return len(s.texts)
}

// TestSecretsNeverShown runs driver operations, successful and failing
// (bad SQL, 401, gateway errors that echo the request headers, resets,
// malformed answers, timeouts, partial inserts, bad DSNs), with a
// distinctive token and embedding key, logging through slog at Debug and
// a Hook, and checks that no error, log line, hook event or rendering of
// the configuration holds either.
func TestSecretsNeverShown(t *testing.T) {
	sink := &secretSink{}
	var logBuf bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: &logBuf, mu: &logMu}, &slog.HandlerOptions{Level: slog.LevelDebug}))

	srv := dataapitest.NewServer(dataapitest.WithToken(relToken))
	defer srv.Close()
	proxy, err := faultproxy.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	dsn := proxy.URL + "?token=" + url.QueryEscape(relToken) + "&embedding_api_key=" + url.QueryEscape(relEmbedKey) + "&timeout=500ms&retries=1"
	cfg, err := astrasql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Token.Reveal() != relToken || cfg.EmbeddingAPIKey.Reveal() != relEmbedKey {
		t.Fatalf("ParseDSN lost the secrets")
	}
	cfg.Logger, cfg.Hook = logger, sink
	// Renderings of the configuration.
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		sink.add("Config "+verb, fmt.Sprintf(verb, cfg))
		sink.add("*Config "+verb, fmt.Sprintf(verb, &cfg))
	}
	sink.add("FormatDSN", cfg.FormatDSN())
	sink.add("String", cfg.String())
	logger.Info("config", "cfg", cfg, "ptr", &cfg)
	opts := dataapi.Options{Endpoint: srv.URL, Token: relToken, EmbeddingAPIKey: relEmbedKey}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		sink.add("Options "+verb, fmt.Sprintf(verb, opts))
	}
	logger.Info("options", "opts", opts)
	if cl, err := dataapi.New(opts); err == nil {
		sink.add("Client %v", fmt.Sprintf("%v %+v %#v", cl, cl, cl))
		cl.Close()
	}

	cn, err := astrasql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(cn)
	defer db.Close()
	run := func(what string, f func() error) {
		err := f()
		sink.add(what, err)
		if err != nil {
			sink.add(what+" %+v", fmt.Sprintf("%+v", err))
		}
	}
	exec := func(q string, args ...any) error { _, err := db.Exec(q, args...); return err }
	query := func(q string, args ...any) error {
		_, err := scanIDs(db, q, args...)
		return err
	}
	run("create", func() error { return exec(`CREATE TABLE sec (id int PRIMARY KEY, v text)`) })
	run("insert", func() error { return exec(`INSERT INTO sec (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')`) })
	run("select", func() error { return query(`SELECT id, v FROM sec`) })
	run("ping", func() error { return db.Ping() })
	run("syntax", func() error { return exec(`SELEC 1`) })
	run("unknown table", func() error { return query(`SELECT id, v FROM nosuch`) })
	run("bad value", func() error { return exec(`INSERT INTO sec (id, v) VALUES (?, ?)`, "x", 1) })
	run("server refusal", func() error { return exec(`INSERT INTO sec (id, v) VALUES (1, ?)`, strings.Repeat("x", 10)) })

	faults := []faultproxy.Fault{
		{Match: faultproxy.Match{Command: "find", Times: -1}, Kind: faultproxy.EchoHeaders, Echo: []string{"Token", "X-Embedding-Api-Key"}},
		{Match: faultproxy.Match{Command: "find", Times: -1}, Kind: faultproxy.Status503},
		{Match: faultproxy.Match{Command: "find", Times: -1}, Kind: faultproxy.ResetMidBody},
		{Match: faultproxy.Match{Command: "find", Times: -1}, Kind: faultproxy.ResetBeforeResponse},
		{Match: faultproxy.Match{Command: "find", Times: -1}, Kind: faultproxy.MalformedJSON},
		{Match: faultproxy.Match{Command: "find", Times: -1}, Kind: faultproxy.TruncatedJSON},
		{Match: faultproxy.Match{Command: "find", Times: -1}, Kind: faultproxy.Slow, Delay: 2 * time.Second},
		{Match: faultproxy.Match{Command: "insertMany", Times: -1}, Kind: faultproxy.EchoHeaders, Echo: []string{"Token", "X-Embedding-Api-Key"}},
		{Match: faultproxy.Match{Command: "insertMany", Times: -1}, Kind: faultproxy.EchoHeaders},
		{Match: faultproxy.Match{Command: "insertMany", Times: -1}, Kind: faultproxy.Status429},
	}
	echoed := false
	for _, f := range faults {
		proxy.Set(f)
		run(string(f.Kind)+" select", func() error {
			err := query(`SELECT id, v FROM sec WHERE v = 'a'`)
			if f.Kind == faultproxy.EchoHeaders && err != nil && strings.Contains(err.Error(), "REDACTED") {
				echoed = true
			}
			return err
		})
		run(string(f.Kind)+" insert", func() error { return exec(`INSERT INTO sec (id, v) VALUES (4, 'd'), (5, 'e')`) })
	}
	proxy.Clear()
	if !echoed {
		t.Error("the gateway echo of the headers did not reach the error (REDACTED expected in it)")
	}

	// A wrong token: 401.
	wrongCfg := cfg
	wrongCfg.Token = astrasql.NewSecret(relWrongToken)
	if wc, err := astrasql.NewConnector(wrongCfg); err != nil {
		t.Fatal(err)
	} else {
		wdb := sql.OpenDB(wc)
		run("401 ping", func() error { return wdb.Ping() })
		run("401 select", func() error { _, err := scanIDs(wdb, `SELECT id, v FROM sec`); return err })
		run("401 insert", func() error { _, err := wdb.Exec(`INSERT INTO sec (id, v) VALUES (9, 'z')`); return err })
		wdb.Close()
	}

	// DSNs that cannot be used, each holding the token.
	tok := "&token=" + url.QueryEscape(relToken)
	for _, bad := range []string{
		"http://db.example.invalid?keyspace=k" + tok,
		"ftp://db.example.invalid?x=1" + tok,
		proxy.URL + "?timeout=soon" + tok,
		proxy.URL + "?nosuch=1" + tok,
		proxy.URL + "?retries=-1" + tok,
		proxy.URL + "?insecure=maybe" + tok,
		proxy.URL + "?environment=mars" + tok,
		proxy.URL + "?token=a" + tok,
		proxy.URL + "?insert_chunk_size=1000" + tok,
		"http://user:" + url.QueryEscape(relToken) + "@127.0.0.1:1?keyspace=k",
		"http://127.0.0.1:1/%zz?keyspace=k" + tok,
		"http://127.0.0.1:1?keyspace=k" + tok + "#frag",
		"::not a url::" + relToken,
		proxy.URL + "?" + strings.Repeat("%", 3) + tok,
	} {
		if _, err := astrasql.ParseDSN(bad); err == nil {
			t.Errorf("ParseDSN accepted a bad DSN")
		} else {
			sink.add("ParseDSN", err)
		}
		if _, err := sql.Open("astra", bad); err == nil {
			t.Errorf("sql.Open accepted a bad DSN")
		} else {
			sink.add("sql.Open", err)
		}
	}
	for _, c := range []astrasql.Config{
		{Endpoint: "http://db.example.invalid", Token: astrasql.NewSecret(relToken)},
		{Endpoint: "http://127.0.0.1:1?token=" + relToken, Token: astrasql.NewSecret(relToken), Environment: "mars"},
	} {
		if _, err := astrasql.NewConnector(c); err == nil {
			t.Errorf("NewConnector accepted %v", c)
		} else {
			sink.add("NewConnector", err)
		}
	}
	if _, err := astrasql.NewConnector(astrasql.Config{Endpoint: "https://token:" + url.PathEscape(relToken) + "@db.example.invalid", Token: astrasql.NewSecret(relToken)}); err != nil {
		sink.add("NewConnector userinfo", err)
	}
	if _, err := dataapi.New(dataapi.Options{Endpoint: "http://x\n" + relToken, Token: relToken}); err != nil {
		sink.add("dataapi.New", err)
	}
	if _, err := dataapi.New(dataapi.Options{Endpoint: srv.URL, Token: relToken + "\n"}); err != nil {
		sink.add("dataapi.New", err)
	}

	logMu.Lock()
	logs := logBuf.String()
	logMu.Unlock()
	for _, line := range strings.Split(logs, "\n") {
		sink.add("log", line)
	}
	n := sink.check(t)
	t.Logf("secrets: %d texts checked (%d log lines); faults injected %v", n, strings.Count(logs, "\n"), proxy.Counts())
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestInsecureHTTPRefused: plain http:// to a host that is not loopback is
// refused before any connection is attempted, unless insecure=true; https
// and loopback hosts are accepted. No traffic is sent: every Config holds
// an HTTP client whose dialer counts, and nothing is pinged.
func TestInsecureHTTPRefused(t *testing.T) {
	var dials atomic.Int64
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return nil, fmt.Errorf("test: no dialling (%s)", addr)
		},
	}}
	cases := []struct {
		endpoint string
		insecure bool
		ok       bool
	}{
		{endpoint: "http://db.example.invalid"},
		{endpoint: "http://db.example.invalid:8181/api/json/v1"},
		{endpoint: "http://10.0.0.1:8181"},
		{endpoint: "http://0.0.0.0:8181"},
		{endpoint: "http://127.0.0.1.example.invalid"},
		{endpoint: "http://localhost.example.invalid"},
		{endpoint: "http://[fe80::1]:8181"},
		{endpoint: "http://db.example.invalid", insecure: true, ok: true},
		{endpoint: "https://db.example.invalid", ok: true},
		{endpoint: "http://127.0.0.1:8181", ok: true},
		{endpoint: "http://127.8.9.10:8181", ok: true},
		{endpoint: "http://[::1]:8181", ok: true},
		{endpoint: "http://localhost:8181", ok: true},
		{endpoint: "http://LOCALHOST:8181", ok: true},
	}
	for _, tc := range cases {
		dsn := tc.endpoint + "?token=" + url.QueryEscape(relToken)
		if tc.insecure {
			dsn += "&insecure=true"
		}
		_, perr := astrasql.ParseDSN(dsn)
		cn, cerr := astrasql.NewConnector(astrasql.Config{Endpoint: tc.endpoint, Token: astrasql.NewSecret(relToken), Insecure: tc.insecure, HTTPClient: hc})
		db, oerr := sql.Open("astra", dsn)
		if db != nil {
			db.Close()
		}
		if cn != nil {
			cn.(interface{ Close() error }).Close()
		}
		for what, err := range map[string]error{"ParseDSN": perr, "NewConnector": cerr, "sql.Open": oerr} {
			switch {
			case tc.ok && err != nil:
				t.Errorf("%s %s (insecure=%v): %v", what, tc.endpoint, tc.insecure, err)
			case !tc.ok && err == nil:
				t.Errorf("%s %s: accepted plain http to a non-loopback host", what, tc.endpoint)
			case !tc.ok:
				var de *astrasql.DSNError
				if !errorsAs(err, &de) || !strings.Contains(err.Error(), "plain http://") {
					t.Errorf("%s %s: %v (%T), want a *astrasql.DSNError about plain http://", what, tc.endpoint, err, err)
				}
				if strings.Contains(err.Error(), "relSecretToken") {
					t.Errorf("%s: token in error", what)
				}
			}
		}
	}
	if n := dials.Load(); n != 0 {
		t.Errorf("%d connections attempted", n)
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// TestSecretInEndpointUserinfo: a token pasted as the user info (or in
// the query) of an endpoint never shows in an error or a rendered DSN.
func TestSecretInEndpointUserinfo(t *testing.T) {
	sec := url.PathEscape(relToken)
	for _, ep := range []string{
		"ftp://token:" + sec + "@db.example.invalid",
		"https://token:" + sec + "@db.example.invalid",
		"https://" + sec + "@db.example.invalid/api",
		"token:" + sec + "@db.example.invalid",
		"https://db.example.invalid?token=" + sec,
		"https://db.example.invalid#" + sec,
		"%zz://" + sec + "@x",
	} {
		_, err := astrasql.NewConnector(astrasql.Config{Endpoint: ep, Token: astrasql.NewSecret(relToken)})
		if err == nil {
			t.Errorf("%d: no error", len(ep))
			continue
		}
		if strings.Contains(err.Error(), "relSecretToken") {
			t.Errorf("error %v: want one without the token", err)
		}
		cfg := astrasql.Config{Endpoint: ep}
		for _, dsn := range []string{cfg.FormatDSN(), cfg.FormatDSNWithToken()} {
			if strings.Contains(dsn, "relSecretToken") {
				t.Errorf("DSN %q holds the token", dsn)
			}
		}
	}
}

// TestSecretCutInEchoedBody: a gateway error page that echoes the token
// across the 256th byte: the client keeps the first 256 bytes of a
// non-envelope body and scrubs the token after cutting, so the part of the
// token before the cut is not recognised and shows in the error.
func TestSecretCutInEchoedBody(t *testing.T) {
	e := relOpen(t, "retries=0")
	e2eExec(t, e.db, `CREATE TABLE cut (id int PRIMARY KEY, v text)`)
	// "bad gateway; request headers were:" + padding + "\nToken: " puts
	// the token at byte 35+pad+8; have its first 24 bytes before byte 256.
	pad := 256 - 24 - len("bad gateway; request headers were:") - len("\nToken: ")
	e.proxy.Set(faultproxy.Fault{Match: faultproxy.Match{Command: "find"}, Kind: faultproxy.EchoHeaders, Echo: []string{"Token"}, Padding: pad})
	_, err := scanIDs(e.db, `SELECT id, v FROM cut`)
	if err == nil {
		t.Fatal("no error")
	}
	var he *dataapi.HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("error %v, want *dataapi.HTTPError", err)
	}
	// Error() shows 200 bytes of the body; the Body field keeps 256.
	for what, txt := range map[string]string{"Error()": err.Error(), "HTTPError.Body": he.Body, "%+v": fmt.Sprintf("%+v", he)} {
		if strings.Contains(txt, relToken[:20]) {
			t.Errorf("the token's first 20 bytes are in %s: %q", what, txt)
		}
	}
}
