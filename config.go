package astrasql

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/astrasql/astrasql/dataapi"
)

// LocalDefaultToken is the token used for a loopback endpoint (localhost,
// 127.0.0.0/8, ::1) when neither the DSN, the Config nor TokenEnv gives
// one: the self-hosted Data API's form Cassandra:<base64 user>:<base64
// password> for the default credentials of a fresh install,
// cassandra/cassandra. It is never used for other hosts.
const LocalDefaultToken = "Cassandra:Y2Fzc2FuZHJh:Y2Fzc2FuZHJh"

// TokenEnv is the environment variable read for the token when the DSN
// and the Config have none.
const TokenEnv = "ASTRA_DB_APPLICATION_TOKEN"

// Config is everything a connector needs; ParseDSN and FormatDSN convert
// it from and to a DSN. The zero value of each option means its default.
//
// Config never prints its secrets: the token and the embedding key are
// Secrets, which every fmt verb, encoding/json and slog show as REDACTED,
// also when a Config sits in an unexported field of another struct (where
// fmt prints fields by reflection, calling no String method).
type Config struct {
	// Endpoint is the Data API endpoint: scheme://host[:port], optionally
	// followed by /api/json/v1 or /v1.
	Endpoint string
	// Token is the application token (AstraCS:... or Cassandra:b64:b64).
	// Empty: the ASTRA_DB_APPLICATION_TOKEN environment variable, read when
	// the connector is made; when that is empty too and the endpoint is a
	// loopback host, LocalDefaultToken. Set it with NewSecret(token).
	Token Secret
	// Keyspace of unqualified table names (default "default_keyspace").
	Keyspace string
	// Environment is "astra" (API under /api/json/v1) or dse, hcd,
	// cassandra, other (under /v1). Default: astra for hosts ending in
	// astra.datastax.com, else other.
	Environment string
	// Timeout bounds each HTTP request (default 30s; negative: none).
	Timeout time.Duration
	// Retries of failed requests that are safe to repeat (default 3;
	// negative: none).
	Retries int
	// EmbeddingAPIKey is sent as x-embedding-api-key for vectorize columns.
	EmbeddingAPIKey Secret
	// Insecure allows plain http:// to hosts other than loopback.
	Insecure bool
	// InsertConcurrency bounds the insertMany requests in flight for one
	// INSERT. Zero (the default) adapts it to the round trip and to the
	// server's 429/503 answers, from 8 up to 64 (dataapi's limit.go).
	// InsertChunkSize is rows per request (default and maximum 100).
	InsertConcurrency int
	InsertChunkSize   int
	// WriteConcurrency bounds the updateOne/deleteOne requests in flight
	// for an UPDATE or DELETE whose WHERE is not a primary key (default 16).
	WriteConcurrency int
	// PlanCacheSize is how many parsed and planned statements a connector
	// keeps, by SQL text (default 512; negative: no cache). The cache also
	// stays under an estimated 32 MiB, and statements longer than 4 KiB
	// (literal data such as multi-row VALUES) are never kept.
	PlanCacheSize int
	// UserAgent is put before astrasql's own in the User-Agent header.
	UserAgent string
	// SafeUpdates refuses UPDATE and DELETE whose WHERE does not give
	// every primary key column by = or IN (MySQL's --safe-updates): such
	// statements delete whole partitions or tables, or read the keys of
	// matching rows and then write each row unconditionally, which races
	// with other writers. TRUNCATE is not refused. See SafeUpdatesError.
	SafeUpdates bool
	// SkipDeleteRead: a DELETE by full primary key sends deleteOne alone
	// instead of reading the row first (one round trip instead of two), and
	// its RowsAffected is unknown (ErrRowsAffectedUnknown) rather than 0 or 1.
	// For programs that do not look at RowsAffected, on a slow network.
	SkipDeleteRead bool
	// MaxResponseBytes bounds one response body, against a server that
	// sends without end (default dataapi.DefaultMaxResponseBytes, 1 GiB:
	// a full page of rows each as large as one request can write, raised
	// for vector and text searches, which answer up to 1000 rows at once;
	// negative: no limit). DSN option max_response_size, bytes (0: none).
	MaxResponseBytes int64

	// Not part of a DSN:

	// HTTPClient, if set, sends the requests.
	HTTPClient *http.Client `json:"-"`
	// Logger, if set, receives one record per Data API request (Debug on
	// success, Warn on warnings and retries, Error on failure). The driver
	// writes nowhere else.
	Logger *slog.Logger `json:"-"`
	// Hook, if set, observes every request (metrics, tracing). With Logger
	// too, both see every request.
	Hook dataapi.Hook `json:"-"`
}

// Defaults.
const (
	DefaultKeyspace         = "default_keyspace"
	DefaultWriteConcurrency = 16
	DefaultPlanCacheSize    = 512
)

var dsnOptions = []string{"token", "keyspace", "environment", "timeout", "retries", "embedding_api_key",
	"insecure", "insert_concurrency", "insert_chunk_size", "write_concurrency", "plan_cache_size", "user_agent", "safe_updates", "skip_delete_read", "max_response_size"}

// DSNError reports a DSN that cannot be used. It never contains the token.
type DSNError struct {
	Msg string
}

func (e *DSNError) Error() string { return "astrasql: bad DSN: " + e.Msg }

func dsnErr(format string, args ...any) error { return &DSNError{Msg: fmt.Sprintf(format, args...)} }

// ParseDSN reads a DSN: the endpoint URL with options as query parameters,
//
//	https://<db-id>-<region>.apps.astra.datastax.com?keyspace=ks
//	http://127.0.0.1:8181?keyspace=default_keyspace&token=Cassandra:Y2Fzc2FuZHJh:Y2Fzc2FuZHJh
//
// Options: token (percent-encoded), keyspace, environment, timeout (a Go
// duration; 0 for none), retries (0 for none), embedding_api_key, insecure,
// insert_concurrency, insert_chunk_size, write_concurrency,
// plan_cache_size (0 for none), user_agent, safe_updates, skip_delete_read,
// max_response_size (bytes; 0 for none). Unknown options are errors.
func ParseDSN(dsn string) (Config, error) {
	c, err := parseDSN(dsn)
	if err != nil {
		return Config{}, err
	}
	return c, nil
}

func parseDSN(dsn string) (Config, error) {
	var c Config
	u, err := url.Parse(dsn)
	if err != nil {
		// url's error quotes the DSN, which may hold the token.
		return c, dsnErr("not a URL (want https://host[:port]?keyspace=...)")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return c, dsnErr("scheme %q: want http:// or https://", u.Scheme)
	}
	if u.Host == "" {
		return c, dsnErr("no host")
	}
	if u.User != nil {
		return c, dsnErr("user info in the URL is not used: pass the token as token=")
	}
	if u.Fragment != "" {
		return c, dsnErr("unexpected #fragment")
	}
	if strings.HasSuffix(u.Host, ":") {
		return c, dsnErr("empty port after %q", u.Hostname())
	}
	// All trailing slashes go, so that ParseDSN(FormatDSN(c)) == c.
	c.Endpoint = u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/")
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return c, dsnErr("bad query string (percent-encode option values)")
	}
	for key, vals := range q {
		if len(vals) != 1 {
			return c, dsnErr("option %s given %d times", key, len(vals))
		}
		v := vals[0]
		switch key {
		case "token":
			c.Token = NewSecret(v)
		case "keyspace":
			c.Keyspace = v
		case "environment":
			c.Environment = v
		case "embedding_api_key":
			c.EmbeddingAPIKey = NewSecret(v)
		case "user_agent":
			c.UserAgent = v
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return c, dsnErr("timeout=%q: want a Go duration such as 30s (0 for none)", v)
			}
			if d == 0 {
				d = -1
			}
			c.Timeout = d
		case "insecure":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return c, dsnErr("insecure=%q: want true or false", v)
			}
			c.Insecure = b
		case "safe_updates":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return c, dsnErr("safe_updates=%q: want true or false", v)
			}
			c.SafeUpdates = b
		case "skip_delete_read":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return c, dsnErr("skip_delete_read=%q: want true or false", v)
			}
			c.SkipDeleteRead = b
		case "max_response_size":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return c, dsnErr("max_response_size=%q: want a number of bytes (0 for no limit)", v)
			}
			c.MaxResponseBytes = n
			if n == 0 {
				c.MaxResponseBytes = -1
			}
		case "retries", "insert_concurrency", "insert_chunk_size", "write_concurrency", "plan_cache_size":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return c, dsnErr("%s=%q: want a non-negative integer", key, v)
			}
			switch key {
			case "retries":
				c.Retries = zeroToNone(n)
			case "insert_concurrency":
				c.InsertConcurrency = n
			case "insert_chunk_size":
				c.InsertChunkSize = n
			case "write_concurrency":
				c.WriteConcurrency = n
			case "plan_cache_size":
				c.PlanCacheSize = zeroToNone(n)
			}
		default:
			return c, dsnErr("unknown option %q (known: %s)", key, strings.Join(dsnOptions, ", "))
		}
	}
	if err := c.validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

func zeroToNone(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// validate checks what ParseDSN and NewConnector both require.
func (c *Config) validate() error {
	if c.Endpoint == "" {
		return dsnErr("no endpoint")
	}
	u, err := url.Parse(c.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return dsnErr("endpoint %q: want http(s)://host[:port]", redactURL(c.Endpoint))
	}
	if u.User != nil {
		// Never quoted: a token pasted there is a secret.
		return dsnErr("endpoint %q: user info in the endpoint is not used: pass the token as Config.Token", redactURL(c.Endpoint))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return dsnErr("endpoint %q: no ?query or #fragment in Config.Endpoint (options are Config fields)", redactURL(c.Endpoint))
	}
	if u.Scheme == "http" && !c.Insecure && !isLoopback(u.Hostname()) {
		return dsnErr("plain http:// to %s would send the token in clear: use https://, or insecure=true if you mean it", u.Hostname())
	}
	switch strings.ToLower(c.Environment) {
	case "", "astra", "dse", "hcd", "cassandra", "other":
	default:
		return dsnErr("environment=%q: want astra, dse, hcd, cassandra or other", c.Environment)
	}
	if c.InsertChunkSize > 100 {
		return dsnErr("insert_chunk_size=%d: the server takes at most 100 rows per insertMany", c.InsertChunkSize)
	}
	if c.InsertConcurrency < 0 || c.InsertChunkSize < 0 || c.WriteConcurrency < 0 {
		return dsnErr("concurrency and chunk sizes cannot be negative")
	}
	return nil
}

// redactURL renders an endpoint for messages: without user info
// (user:password@, where a token may have been pasted), query and fragment,
// whether or not it parses as a URL.
func redactURL(s string) string {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + 3
	}
	end := len(s)
	if i := strings.IndexByte(s[start:], '/'); i >= 0 {
		end = start + i
	}
	if i := strings.LastIndexByte(s[start:end], '@'); i >= 0 {
		s = s[:start] + s[start+i+1:]
	}
	return s
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// FormatDSN renders the Config as a DSN without the token (and without the
// embedding key): ParseDSN of it gives the Config back but for those, which
// then come from the environment. See FormatDSNWithToken.
func (c Config) FormatDSN() string { return c.format(false) }

// FormatDSNWithToken renders the Config as a DSN including the token and
// the embedding key, percent-encoded: ParseDSN(c.FormatDSNWithToken())
// gives c back (but for the fields that are not part of a DSN). Do not log it.
func (c Config) FormatDSNWithToken() string { return c.format(true) }

func (c Config) format(secrets bool) string {
	q := url.Values{}
	if secrets && !c.Token.IsZero() {
		q.Set("token", c.Token.Reveal())
	}
	if secrets && !c.EmbeddingAPIKey.IsZero() {
		q.Set("embedding_api_key", c.EmbeddingAPIKey.Reveal())
	}
	if c.Keyspace != "" {
		q.Set("keyspace", c.Keyspace)
	}
	if c.Environment != "" {
		q.Set("environment", c.Environment)
	}
	if c.Timeout != 0 {
		if c.Timeout < 0 {
			q.Set("timeout", "0")
		} else {
			q.Set("timeout", c.Timeout.String())
		}
	}
	setCount := func(k string, n int) {
		switch {
		case n < 0:
			q.Set(k, "0")
		case n > 0:
			q.Set(k, strconv.Itoa(n))
		}
	}
	setCount("retries", c.Retries)
	if c.Insecure {
		q.Set("insecure", "true")
	}
	setCount("insert_concurrency", c.InsertConcurrency)
	setCount("insert_chunk_size", c.InsertChunkSize)
	setCount("write_concurrency", c.WriteConcurrency)
	setCount("plan_cache_size", c.PlanCacheSize)
	if c.UserAgent != "" {
		q.Set("user_agent", c.UserAgent)
	}
	if c.SafeUpdates {
		q.Set("safe_updates", "true")
	}
	if c.SkipDeleteRead {
		q.Set("skip_delete_read", "true")
	}
	switch {
	case c.MaxResponseBytes < 0:
		q.Set("max_response_size", "0")
	case c.MaxResponseBytes > 0:
		q.Set("max_response_size", strconv.FormatInt(c.MaxResponseBytes, 10))
	}
	endpoint := redactURL(c.Endpoint) // never user info or a query of its own
	if len(q) == 0 {
		return endpoint
	}
	// Stable order: the known options' order.
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	rank := map[string]int{}
	for i, k := range dsnOptions {
		rank[k] = i
	}
	sort.Slice(keys, func(i, j int) bool { return rank[keys[i]] < rank[keys[j]] })
	var b strings.Builder
	b.WriteString(endpoint)
	for i, k := range keys {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(q.Get(k)))
	}
	return b.String()
}

// String renders the DSN with token=REDACTED (and
// embedding_api_key=REDACTED) when one is set.
func (c Config) String() string {
	s := c.FormatDSN()
	for _, sec := range []struct {
		name string
		v    Secret
	}{{"token", c.Token}, {"embedding_api_key", c.EmbeddingAPIKey}} {
		if sec.v.IsZero() {
			continue
		}
		sep := "?"
		if strings.Contains(s, "?") {
			sep = "&"
		}
		s += sep + sec.name + "=" + redactedText
	}
	return s
}

// GoString keeps %#v from printing secrets.
func (c Config) GoString() string { return "astrasql.Config(" + c.String() + ")" }

// Format makes every fmt verb print the redacted form.
func (c Config) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}

// LogValue makes slog print the redacted form.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// options converts the Config to dataapi client options, reading the
// token from the environment when the Config has none.
func (c Config) options() (dataapi.Options, error) {
	if err := c.validate(); err != nil {
		return dataapi.Options{}, err
	}
	tok := c.Token.Reveal()
	if tok == "" {
		tok = os.Getenv(TokenEnv)
	}
	if tok == "" {
		if u, err := url.Parse(c.Endpoint); err == nil && isLoopback(u.Hostname()) {
			// A self-hosted Data API on this machine (astrasql serve, a
			// fresh HCD/DSE/Cassandra install): its default credentials.
			tok = LocalDefaultToken
		} else {
			return dataapi.Options{}, errors.New("astrasql: no token: give token= in the DSN, Config.Token, or set " + TokenEnv + " (only a loopback endpoint has a default token)")
		}
	}
	o := dataapi.Options{
		Endpoint: c.Endpoint, Token: tok, Keyspace: c.keyspace(), Environment: strings.ToLower(c.Environment),
		HTTPClient: c.HTTPClient, Timeout: c.Timeout, Retries: c.Retries, EmbeddingAPIKey: c.EmbeddingAPIKey.Reveal(),
		UserAgent: c.UserAgent, InsertChunkSize: c.InsertChunkSize, InsertConcurrency: c.InsertConcurrency,
		MaxResponseBytes: c.MaxResponseBytes,
	}
	switch {
	case c.Logger != nil && c.Hook != nil:
		o.Hook = multiHook{dataapi.SlogHook(c.Logger), c.Hook}
	case c.Logger != nil:
		o.Hook = dataapi.SlogHook(c.Logger)
	default:
		o.Hook = c.Hook
	}
	return o, nil
}

func (c Config) keyspace() string {
	if c.Keyspace == "" {
		return DefaultKeyspace
	}
	return c.Keyspace
}

// multiHook sends every event to two hooks.
type multiHook [2]dataapi.Hook

func (m multiHook) CommandStart(ctx context.Context, ev *dataapi.StartEvent) context.Context {
	ctx = m[0].CommandStart(ctx, ev)
	return m[1].CommandStart(ctx, ev)
}

func (m multiHook) CommandEnd(ctx context.Context, ev *dataapi.EndEvent) {
	m[0].CommandEnd(ctx, ev)
	m[1].CommandEnd(ctx, ev)
}
