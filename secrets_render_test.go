package astrasql_test

import (
	"bytes"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// TestSecretsNotRendered renders every value holding the token and the
// embedding key (Config, *Config, Config in exported and unexported fields,
// the Secret itself, connectors of NewConnector and of OpenConnector, the
// driver of a sql.DB opened with a DSN holding both) with every fmt verb,
// encoding/json and slog's text and JSON handlers, and checks that no
// rendering holds either secret, raw or percent-encoded.
func TestSecretsNotRendered(t *testing.T) {
	srv := dataapitest.NewServer(dataapitest.WithToken(relToken))
	defer srv.Close()
	dsn := srv.URL + "?token=" + url.QueryEscape(relToken) + "&embedding_api_key=" + url.QueryEscape(relEmbedKey)
	cfg, err := astrasql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("astra", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	cn, err := astrasql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer cn.(interface{ Close() error }).Close()
	dcn, err := db.Driver().(driver.DriverContext).OpenConnector(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer dcn.(interface{ Close() error }).Close()

	odb := sql.OpenDB(cn)
	defer odb.Close()
	type exported struct{ Cfg astrasql.Config }
	type unexported struct {
		name string
		cfg  astrasql.Config
		ptr  *astrasql.Config
		tok  astrasql.Secret
	}
	type embedded struct {
		astrasql.Config
		N int
	}
	type connHolder struct {
		c driver.Connector
		d driver.Driver
	}
	values := map[string]any{
		"Config":                  cfg,
		"*Config":                 &cfg,
		"[]Config":                []astrasql.Config{cfg},
		"map of Config":           map[string]astrasql.Config{"a": cfg},
		"exported field":          exported{cfg},
		"unexported field":        unexported{"x", cfg, &cfg, cfg.Token},
		"*unexported field":       &unexported{"x", cfg, &cfg, cfg.Token},
		"embedded":                embedded{cfg, 1},
		"Secret":                  cfg.Token,
		"*Secret":                 &cfg.EmbeddingAPIKey,
		"NewConnector":            cn,
		"OpenConnector":           dcn,
		"db.Driver()":             db.Driver(),
		"connector in unexported": connHolder{dcn, db.Driver()},
		"*sql.DB":                 db,
		"sql.OpenDB(connector)":   odb,
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"}
	check := func(what, out string) {
		t.Helper()
		for _, p := range secretParts {
			if strings.Contains(out, p) || strings.Contains(out, fmt.Sprintf("%x", p)) || strings.Contains(out, fmt.Sprintf("%X", p)) {
				t.Errorf("%s shows a secret: %.400s", what, out)
				return
			}
		}
	}
	for name, v := range values {
		for _, verb := range verbs {
			check(name+" "+verb, fmt.Sprintf(verb, v))
		}
		check(name+" Sprint", fmt.Sprint(v))
		check(name+" Sprintln", fmt.Sprintln(v))
		if b, err := json.Marshal(v); err == nil {
			check(name+" json", string(b))
		}
		for hname, h := range map[string]func(*bytes.Buffer) slog.Handler{
			"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		} {
			var buf bytes.Buffer
			l := slog.New(h(&buf))
			l.Info("msg", "v", v)
			l.Info("msg", slog.Any("v", v), slog.Group("g", "v", v))
			check(name+" slog "+hname, buf.String())
		}
	}
	// The redacted forms say that a secret is set.
	for _, out := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", exported{cfg})} {
		if !strings.Contains(out, "token=REDACTED") || !strings.Contains(out, "embedding_api_key=REDACTED") {
			t.Errorf("rendering %q does not say the secrets are set", out)
		}
	}
	if b, _ := json.Marshal(cfg); !strings.Contains(string(b), `"Token":"REDACTED"`) {
		t.Errorf("json %s", b)
	}
	if cfg.Token.Reveal() != relToken || cfg.EmbeddingAPIKey.Reveal() != relEmbedKey {
		t.Error("Reveal lost the secrets")
	}
	if astrasql.NewSecret(relToken) != cfg.Token || !(astrasql.Secret{}).IsZero() || astrasql.NewSecret("") != (astrasql.Secret{}) {
		t.Error("Secrets of equal text are not equal")
	}
}

// echoTransport fails every request with an error quoting its headers, as
// some proxies and tracing wrappers do.
type echoTransport struct{}

func (echoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("proxy refused %s with headers %v", r.URL.Path, r.Header)
}

// TestTransportErrorScrubbed: the error of a user-supplied http.Client
// that quotes the request headers reaches the caller without the token or
// the embedding key, in Error(), in %+v and through the Hook and Logger.
func TestTransportErrorScrubbed(t *testing.T) {
	var logBuf bytes.Buffer
	sink := &secretSink{}
	cfg := astrasql.Config{Endpoint: "http://127.0.0.1:1", Token: astrasql.NewSecret(relToken),
		EmbeddingAPIKey: astrasql.NewSecret(relEmbedKey), Retries: -1,
		HTTPClient: &http.Client{Transport: echoTransport{}}, Hook: sink,
		Logger: slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	cn, err := astrasql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(cn)
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE t (id int PRIMARY KEY)`)
	var te *dataapi.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T), want a *dataapi.TransportError", err, err)
	}
	if !strings.Contains(err.Error(), "proxy refused") || !strings.Contains(err.Error(), "REDACTED") {
		t.Errorf("error %q: want the transport's text with the secrets REDACTED", err)
	}
	sink.add("Error", err.Error())
	sink.add("%+v", fmt.Sprintf("%+v %#v %v", err, err, te.Err))
	sink.add("log", logBuf.String())
	sink.check(t)
}
