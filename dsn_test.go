package astrasql

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

const secret = "AstraCS:s3cr3t+/=&?token"

var dsnCases = []struct {
	dsn  string
	want Config
	err  string // substring of the error; "" for success
}{
	{dsn: "https://db-region.apps.astra.datastax.com?keyspace=ks",
		want: Config{Endpoint: "https://db-region.apps.astra.datastax.com", Keyspace: "ks"}},
	{dsn: "http://127.0.0.1:8181?keyspace=default_keyspace&token=Cassandra:Y2Fzc2FuZHJh:Y2Fzc2FuZHJh",
		want: Config{Endpoint: "http://127.0.0.1:8181", Keyspace: "default_keyspace", Token: NewSecret("Cassandra:Y2Fzc2FuZHJh:Y2Fzc2FuZHJh")}},
	{dsn: "https://h.example.com/api/json/v1?token=" + "AstraCS%3As3cr3t%2B%2F%3D%26%3Ftoken" + "&environment=astra&timeout=5s&retries=0&embedding_api_key=k&insert_concurrency=4&insert_chunk_size=50&write_concurrency=2&plan_cache_size=0&user_agent=app%2F1&safe_updates=true&skip_delete_read=true",
		want: Config{Endpoint: "https://h.example.com/api/json/v1", Token: NewSecret(secret), Environment: "astra", Timeout: 5 * time.Second,
			Retries: -1, EmbeddingAPIKey: NewSecret("k"), InsertConcurrency: 4, InsertChunkSize: 50, WriteConcurrency: 2, PlanCacheSize: -1, UserAgent: "app/1", SafeUpdates: true, SkipDeleteRead: true}},
	{dsn: "http://localhost:8181/v1?timeout=0&retries=5", want: Config{Endpoint: "http://localhost:8181/v1", Timeout: -1, Retries: 5}},
	{dsn: "http://[::1]:8181", want: Config{Endpoint: "http://[::1]:8181"}},
	{dsn: "http://[::1]:8181?max_response_size=0", want: Config{Endpoint: "http://[::1]:8181", MaxResponseBytes: -1}},
	{dsn: "http://[::1]:8181?max_response_size=2147483648", want: Config{Endpoint: "http://[::1]:8181", MaxResponseBytes: 2 << 30}},
	{dsn: "http://[::1]:8181?max_response_size=-1", err: "max_response_size"},
	{dsn: "http://[::1]:8181?safe_updates=true", want: Config{Endpoint: "http://[::1]:8181", SafeUpdates: true}},
	{dsn: "http://[::1]:8181?safe_updates=false", want: Config{Endpoint: "http://[::1]:8181"}},
	{dsn: "https://h?safe_updates=maybe", err: "safe_updates"},
	{dsn: "http://[::1]:8181?skip_delete_read=true", want: Config{Endpoint: "http://[::1]:8181", SkipDeleteRead: true}},
	{dsn: "https://h?skip_delete_read=1x", err: "skip_delete_read"},
	{dsn: "http://db.internal:8181?insecure=true&environment=hcd", want: Config{Endpoint: "http://db.internal:8181", Insecure: true, Environment: "hcd"}},
	{dsn: "http://db.internal:8181", err: "plain http://"},
	{dsn: "ftp://h", err: "scheme"},
	{dsn: "https://", err: "no host"},
	{dsn: "https://h?nope=1", err: `unknown option "nope"`},
	{dsn: "https://h?timeout=soon", err: "timeout"},
	{dsn: "https://h?retries=-1", err: "non-negative"},
	{dsn: "https://h?insert_chunk_size=500", err: "at most 100"},
	{dsn: "https://h?environment=mars", err: "environment"},
	{dsn: "https://h?keyspace=a&keyspace=b", err: "2 times"},
	{dsn: "https://user:pass@h", err: "user info"},
	{dsn: "https://user:" + secret + "@h", err: "not a URL"},
	{dsn: "https://h?token=%zz" + secret, err: "bad query"},
	{dsn: "not a url at all", err: "scheme"},
	{dsn: "https://h#frag", err: "fragment"},
}

func TestParseDSN(t *testing.T) {
	for _, c := range dsnCases {
		got, err := ParseDSN(c.dsn)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.dsn, err, c.err)
			}
			if err != nil && strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("%s: error shows the token: %v", c.dsn, err)
			}
			var de *DSNError
			if err != nil && !errors.As(err, &de) {
				t.Errorf("%s: %T is not a *DSNError", c.dsn, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.dsn, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s:\n got %#v\nwant %#v", c.dsn, got.FormatDSNWithToken(), c.want.FormatDSNWithToken())
		}
		// Round trip with secrets; without them, all but the secrets.
		back, err := ParseDSN(got.FormatDSNWithToken())
		if err != nil || back != got {
			t.Errorf("%s: round trip via %q gave %v, %v", c.dsn, got.FormatDSNWithToken(), back.FormatDSNWithToken(), err)
		}
		noSecrets := got
		noSecrets.Token, noSecrets.EmbeddingAPIKey = Secret{}, Secret{}
		if back, err := ParseDSN(got.FormatDSN()); err != nil || back != noSecrets {
			t.Errorf("%s: FormatDSN round trip gave %v, %v", c.dsn, back, err)
		}
	}
}

func TestConfigNeverPrintsSecrets(t *testing.T) {
	c := Config{Endpoint: "https://h", Token: NewSecret(secret), EmbeddingAPIKey: NewSecret("emb-s3cr3t")}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("cfg", "config", c)
	outputs := []string{c.String(), c.FormatDSN(), c.GoString(), fmt.Sprintf("%v %+v %#v %s %q", c, c, c, c, c), buf.String(),
		fmt.Sprint(&c), fmt.Sprintf("%v", []Config{c})}
	for _, o := range outputs {
		if strings.Contains(o, "s3cr3t") {
			t.Errorf("secret printed: %s", o)
		}
	}
	if !strings.Contains(c.String(), "token=REDACTED") {
		t.Errorf("String() does not say a token is set: %s", c.String())
	}
	if !strings.Contains(c.FormatDSNWithToken(), "s3cr3t") {
		t.Errorf("FormatDSNWithToken lost the token")
	}
}

func TestTokenFromEnvironment(t *testing.T) {
	t.Setenv(TokenEnv, "")
	if _, err := NewConnector(Config{Endpoint: "https://db.example.invalid"}); err == nil || !strings.Contains(err.Error(), TokenEnv) {
		t.Errorf("no token: error %v, want one naming %s", err, TokenEnv)
	}
	// Loopback hosts get the self-hosted default (cassandra/cassandra).
	for _, ep := range []string{"http://127.0.0.1:1", "http://localhost:8181", "http://[::1]:8181"} {
		o, err := Config{Endpoint: ep}.options()
		if err != nil || o.Token != LocalDefaultToken {
			t.Errorf("%s: token %q, %v; want the local default", ep, o.Token, err)
		}
	}
	if LocalDefaultToken != "Cassandra:"+base64.StdEncoding.EncodeToString([]byte("cassandra"))+":"+base64.StdEncoding.EncodeToString([]byte("cassandra")) {
		t.Errorf("LocalDefaultToken %q", LocalDefaultToken)
	}
	t.Setenv(TokenEnv, "from-env")
	c, err := NewConnector(Config{Endpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	c.(interface{ Close() error }).Close()
}

// FuzzParseDSN: ParseDSN never panics, never puts the token in an error,
// and what it accepts round-trips.
func FuzzParseDSN(f *testing.F) {
	for _, c := range dsnCases {
		f.Add(c.dsn)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		c, err := ParseDSN(dsn)
		if err != nil {
			if _, tok, ok := strings.Cut(dsn, "token="); ok {
				tok, _, _ = strings.Cut(tok, "&")
				if len(tok) >= 12 && strings.Contains(err.Error(), tok) {
					t.Fatalf("token in error: %v", err)
				}
			}
			return
		}
		back, err := ParseDSN(c.FormatDSNWithToken())
		if err != nil {
			t.Fatalf("%q -> %q: %v", dsn, c.FormatDSNWithToken(), err)
		}
		if back != c {
			t.Fatalf("%q: round trip %#v != %#v", dsn, back.FormatDSNWithToken(), c.FormatDSNWithToken())
		}
	})
}
