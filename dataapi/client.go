package dataapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Version is the astrasql version sent in the User-Agent header.
const Version = "0.1.0"

// Defaults used when the corresponding Options field is zero.
const (
	DefaultKeyspace          = "default_keyspace"
	DefaultTimeout           = 30 * time.Second
	DefaultRetries           = 3
	DefaultRetryBaseDelay    = 100 * time.Millisecond
	DefaultRetryMaxDelay     = 5 * time.Second
	DefaultMaxRetryAfter     = time.Minute
	DefaultMaxResponseBytes  = 1 << 30 // see MaxResponseBytes
	DefaultInsertChunkSize   = 100     // the server's maximum rows per insertMany
	DefaultInsertConcurrency = 8
)

// Environment names accepted in Options.Environment.
const (
	EnvAstra = "astra" // API path prefix /api/json/v1
	EnvOther = "other" // dse, hcd, cassandra, other: prefix /v1
)

// Options configure a Client. Token and EmbeddingAPIKey are secrets: the
// String, GoString, Format and LogValue methods redact them, and no error or
// Hook event of this package contains them.
type Options struct {
	// Endpoint is the database's API endpoint, e.g.
	// "https://<db-id>-<region>.apps.astra.datastax.com" or "http://127.0.0.1:8181".
	// A trailing "/api/json/v1", "/api/json" or "/v1" is ignored.
	Endpoint string
	// Token is sent in the Token header.
	Token string
	// Keyspace is the default keyspace of commands whose request leaves it
	// empty (default "default_keyspace").
	Keyspace string
	// Environment is "astra" (path prefix /api/json/v1) or anything else
	// ("dse", "hcd", "cassandra", "other": prefix /v1). Empty means astra for
	// hosts ending in astra.datastax.com and other otherwise.
	Environment string
	// HTTPClient, if set, sends the requests (its Timeout, if any, also
	// applies). Default: a client of this Client's own pooled transport with
	// HTTP/2 negotiated by TLS ALPN.
	HTTPClient *http.Client
	// Timeout bounds each HTTP attempt, body included (default 30s; negative:
	// none). Expiry is a *TimeoutError, distinct from the caller's context.
	Timeout time.Duration
	// Retries is how many times a failed command that is safe to repeat is
	// sent again (default 3; negative: never). See Repeatable.
	Retries int
	// RetryBaseDelay and RetryMaxDelay shape the exponential backoff with
	// full jitter (defaults 100ms and 5s). MaxRetryAfter is the longest
	// Retry-After the client waits for (default 1m); a longer one ends retrying.
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	MaxRetryAfter  time.Duration
	// EmbeddingAPIKey, if set, is sent as x-embedding-api-key (vectorize).
	EmbeddingAPIKey string
	// UserAgent, if set, is put before "astrasql/<Version>" in User-Agent.
	UserAgent string
	// Hook, if set, observes every HTTP attempt. It must be safe for concurrent use.
	Hook Hook
	// InsertChunkSize is the rows per insertMany request (default and maximum 100).
	InsertChunkSize int
	// InsertConcurrency bounds the insertMany requests in flight for one
	// InsertMany call. Zero (the default) adapts it to the latency and to
	// the server's 429/503 answers, starting at 8 (limit.go).
	InsertConcurrency int
	// MaxResponseBytes bounds a response body; a longer one fails with
	// ErrResponseTooLarge. Negative: no limit. The default, 1 GiB, reads
	// back any page of a find: the server sends at most 50 rows a page
	// (OperationsConfig.DEFAULT_PAGE_SIZE) and one request, so one row
	// written at once, is at most 20 MiB (Quarkus max-body-size 20M), so
	// 50 x 20 MiB = 1000 MiB plus the envelope. Vector and BM25 searches
	// answer up to 1000 rows (their limit) in one response: with the
	// default, a sorted find may receive its limit's worth of such rows.
	// Only rows grown beyond 20 MiB by several updates can exceed it.
	MaxResponseBytes int64
}

const redacted = "REDACTED"

// redact returns a copy safe to print.
func (o Options) redact() optionsView {
	v := optionsView{Endpoint: o.Endpoint, Keyspace: o.Keyspace, Environment: o.Environment,
		Timeout: o.Timeout, Retries: o.Retries, UserAgent: o.UserAgent,
		InsertChunkSize: o.InsertChunkSize, InsertConcurrency: o.InsertConcurrency,
		MaxResponseBytes: o.MaxResponseBytes, CustomHTTPClient: o.HTTPClient != nil, Hook: o.Hook != nil}
	if o.Token != "" {
		v.Token = redacted
	}
	if o.EmbeddingAPIKey != "" {
		v.EmbeddingAPIKey = redacted
	}
	return v
}

// optionsView is Options without secrets, for printing.
type optionsView struct {
	Endpoint, Token, Keyspace, Environment string
	Timeout                                time.Duration
	Retries                                int
	EmbeddingAPIKey, UserAgent             string
	InsertChunkSize, InsertConcurrency     int
	MaxResponseBytes                       int64
	CustomHTTPClient, Hook                 bool
}

// String prints the options with secrets redacted.
func (o Options) String() string { return fmt.Sprintf("%+v", o.redact()) }

// GoString prints the options with secrets redacted (for %#v).
func (o Options) GoString() string { return "dataapi.Options" + o.String() }

// Format makes every fmt verb (%v, %+v, %#v, %s, %q) print the redacted form.
func (o Options) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, o.GoString())
		return
	}
	fmt.Fprint(f, o.String())
}

// LogValue makes slog print the options with secrets redacted.
func (o Options) LogValue() slog.Value {
	v := o.redact()
	return slog.GroupValue(
		slog.String("endpoint", v.Endpoint), slog.String("token", v.Token),
		slog.String("keyspace", v.Keyspace), slog.String("environment", v.Environment),
		slog.Duration("timeout", v.Timeout), slog.Int("retries", v.Retries),
		slog.String("embedding_api_key", v.EmbeddingAPIKey))
}

// Client sends Data API commands. It is safe for concurrent use and meant to
// be shared: one Client holds one connection pool (database/sql connections
// of one connector should share it).
type Client struct {
	base        string // scheme://host[:port]/api/json/v1 or .../v1, no trailing slash
	keyspace    string
	token       string
	embedKey    string
	userAgent   string
	http        *http.Client
	ownsHTTP    bool
	timeout     time.Duration
	retries     int
	baseDelay   time.Duration
	maxDelay    time.Duration
	maxRetryAft time.Duration
	hook        Hook
	chunkSize   int
	concurrency int
	maxBody     int64
	// defaultMaxBody: MaxResponseBytes was not set, so a find that may
	// answer more than a page of rows raises the limit (findBodyLimit).
	defaultMaxBody bool
	environment    string
	// closed is set by Close: from then on, each request ending closes the
	// idle connections of the client's own transport, so that requests
	// still running at Close leave no kept-alive connection behind.
	closed atomic.Bool
	// projCache: keyspace/table/projection -> *schemaCache (immutable once stored), so
	// findOne and new cursors skip decoding a projectionSchema seen before.
	projCache sync.Map
	// insertLimits is what unordered InsertMany calls learned about how many
	// requests to keep in flight (concurrency 0 only).
	insertLimits insertLimits
}

// New validates the options and returns a Client.
func New(o Options) (*Client, error) {
	if o.Endpoint == "" {
		return nil, errors.New("dataapi: no endpoint")
	}
	u, err := url.Parse(o.Endpoint)
	if err != nil {
		// url.Error quotes the input, which could hold credentials; do not wrap it.
		return nil, errors.New("dataapi: endpoint is not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("dataapi: endpoint scheme must be http or https, not %q", u.Scheme)
	}
	if u.Host == "" {
		return nil, errors.New("dataapi: endpoint has no host")
	}
	if u.User != nil {
		return nil, errors.New("dataapi: endpoint must not contain user info; pass the token in Options.Token")
	}
	if o.Token == "" {
		return nil, errors.New("dataapi: no token")
	}
	if strings.ContainsAny(o.Token, "\r\n") || strings.ContainsAny(o.EmbeddingAPIKey, "\r\n") {
		return nil, errors.New("dataapi: token or embedding API key contains a line break")
	}
	env := strings.ToLower(o.Environment)
	if env == "" {
		env = EnvOther
		if h := strings.ToLower(u.Hostname()); strings.HasSuffix(h, "astra.datastax.com") {
			env = EnvAstra
		}
	}
	path := strings.TrimRight(u.Path, "/")
	for _, suffix := range []string{"/api/json/v1", "/api/json", "/v1"} {
		if strings.HasSuffix(path, suffix) {
			path = strings.TrimSuffix(path, suffix)
			break
		}
	}
	prefix := "/v1"
	if env == EnvAstra {
		prefix = "/api/json/v1"
	}
	c := &Client{
		base:        u.Scheme + "://" + u.Host + path + prefix,
		keyspace:    o.Keyspace,
		token:       o.Token,
		embedKey:    o.EmbeddingAPIKey,
		userAgent:   strings.TrimSpace(o.UserAgent + " astrasql/" + Version),
		http:        o.HTTPClient,
		timeout:     o.Timeout,
		retries:     o.Retries,
		baseDelay:   o.RetryBaseDelay,
		maxDelay:    o.RetryMaxDelay,
		maxRetryAft: o.MaxRetryAfter,
		hook:        o.Hook,
		chunkSize:   o.InsertChunkSize,
		concurrency: o.InsertConcurrency,
		maxBody:     o.MaxResponseBytes,
		environment: env,
	}
	if c.keyspace == "" {
		c.keyspace = DefaultKeyspace
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	switch {
	case c.retries == 0:
		c.retries = DefaultRetries
	case c.retries < 0:
		c.retries = 0
	}
	if c.baseDelay <= 0 {
		c.baseDelay = DefaultRetryBaseDelay
	}
	if c.maxDelay <= 0 {
		c.maxDelay = DefaultRetryMaxDelay
	}
	if c.maxRetryAft <= 0 {
		c.maxRetryAft = DefaultMaxRetryAfter
	}
	if c.chunkSize <= 0 || c.chunkSize > DefaultInsertChunkSize {
		c.chunkSize = DefaultInsertChunkSize
	}
	switch {
	case c.maxBody == 0:
		c.maxBody = DefaultMaxResponseBytes
		c.defaultMaxBody = true
	case c.maxBody < 0:
		c.maxBody = math.MaxInt64 - 1
	}
	if c.http == nil {
		c.http = &http.Client{Transport: newTransport()}
		c.ownsHTTP = true
	} else {
		// A copy, so that refusing redirects leaves the caller's client as it was.
		hc := *c.http
		c.http = &hc
	}
	// The Data API never redirects; following one would send the Token and
	// X-Embedding-Api-Key headers to wherever it points (net/http strips
	// only Authorization and Cookie across hosts), even over plain http.
	// The 3xx is returned as it is and becomes a *RedirectError.
	c.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c, nil
}

// newTransport returns a pooled transport sized for concurrent inserts and
// prefetching cursors; HTTP/2 is used when the server offers it (ALPN).
func newTransport() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   10 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// Keyspace returns the client's default keyspace.
func (c *Client) Keyspace() string { return c.keyspace }

// BaseURL returns the URL commands are sent under (".../api/json/v1" or ".../v1").
func (c *Client) BaseURL() string { return c.base }

// Environment returns "astra" or "other", as chosen by New.
func (c *Client) Environment() string { return c.environment }

// String describes the client without secrets.
func (c *Client) String() string {
	return fmt.Sprintf("dataapi.Client{base: %s, keyspace: %s, token: %s}", c.base, c.keyspace, redacted)
}

// GoString is String (for %#v), so the token never prints.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb, so the token never prints.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// Close releases the idle connections of the client's own transport (a
// supplied Options.HTTPClient is left alone), and those of requests still
// running as each ends. It is optional, and the Client stays usable: a
// later command opens new connections (and closes them when done).
func (c *Client) Close() error {
	if c.ownsHTTP {
		c.closed.Store(true)
		c.http.CloseIdleConnections()
	}
	return nil
}

// released runs when a response body is closed: after Close, the connection
// just returned to the pool is closed too.
func (c *Client) released() {
	if c.closed.Load() {
		c.http.CloseIdleConnections()
	}
}

// url returns the URL of a command sent to keyspace ks and table (either may be empty).
func (c *Client) url(ks, table string) string {
	var b strings.Builder
	b.Grow(len(c.base) + len(ks) + len(table) + 2)
	b.WriteString(c.base)
	if ks != "" {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(ks))
		if table != "" {
			b.WriteByte('/')
			b.WriteString(url.PathEscape(table))
		}
	}
	return b.String()
}

// newRequest builds the POST of one command body.
func (c *Client) newRequest(ctx context.Context, u string, body []byte, repeatable bool) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("dataapi: building request: %w", err)
	}
	h := req.Header
	h["Token"] = []string{c.token}
	h["Content-Type"] = []string{"application/json"}
	h["Accept"] = []string{"application/json"}
	h["User-Agent"] = []string{c.userAgent}
	if c.embedKey != "" {
		h["X-Embedding-Api-Key"] = []string{c.embedKey}
	}
	if repeatable {
		// Lets net/http resend the request itself when a kept-alive
		// connection turns out closed; a nil value is not sent.
		h["Idempotency-Key"] = nil
	}
	return req, nil
}
