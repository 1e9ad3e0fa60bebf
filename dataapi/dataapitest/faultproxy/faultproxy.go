// Package faultproxy is a loopback HTTP proxy for tests, placed between a
// Data API client and a local server (dataapitest), that injects the
// failures production throws at a driver: 429 with Retry-After, 503, slow
// answers, connections reset before or inside a response, truncated,
// malformed and endless bodies. Faults are programmed per request by
// command name, table, find page (pageState), body content and the n-th
// matching request, and counted by kind.
//
// The proxy listens on 127.0.0.1 only and forwards only to a loopback
// upstream. Everything is bounded: request bodies, delays (they also end
// when the client goes away or the proxy closes) and endless bodies.
package faultproxy

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kind is a kind of fault.
type Kind string

// Fault kinds.
const (
	// Status429 answers HTTP 429 with a Retry-After header, without forwarding.
	Status429 Kind = "429"
	// Status503 answers HTTP 503 (Retry-After if set), without forwarding.
	Status503 Kind = "503"
	// Slow waits Fault.Delay before answering (before forwarding, or after
	// it when Fault.Forward is set). The wait ends early when the client
	// goes away (then nothing is forwarded unless it already was).
	Slow Kind = "slow"
	// ResetBeforeResponse closes the connection (TCP RST) without a byte
	// of response. With Forward the command reached the server first: it
	// was executed but its answer is lost.
	ResetBeforeResponse Kind = "reset-before-response"
	// ResetMidBody forwards, sends the status line, the headers (with the
	// full Content-Length) and Fault.AfterBytes of the body, then resets.
	ResetMidBody Kind = "reset-mid-body"
	// TruncatedJSON forwards and answers 200 with the body cut after
	// Fault.AfterBytes, the HTTP framing being correct (Content-Length of
	// the cut body): the JSON ends too early.
	TruncatedJSON Kind = "truncated-json"
	// MalformedJSON answers 200 with a body that is not JSON (forwarding
	// first when Fault.Forward is set).
	MalformedJSON Kind = "malformed-json"
	// EndlessBody answers 200 with a body that never ends (JSON whitespace
	// after an opening brace) until the client stops reading, the proxy
	// closes, or MaxEndlessBytes were sent.
	EndlessBody Kind = "endless-body"
	// EchoHeaders answers HTTP 502 with a text body that repeats the
	// request's headers, as a misconfigured gateway does (secrets included).
	EchoHeaders Kind = "echo-headers"
)

// Bounds.
const (
	// MaxRequestBytes bounds a request body read by the proxy.
	MaxRequestBytes = 32 << 20
	// MaxResponseBytes bounds an upstream response read by the proxy.
	MaxResponseBytes = 128 << 20
	// MaxDelay bounds Fault.Delay.
	MaxDelay = 2 * time.Minute
	// MaxEndlessBytes bounds what EndlessBody sends.
	MaxEndlessBytes = 1 << 30
)

// Match selects requests. Zero fields match anything.
type Match struct {
	// Command is the command name ("find", "insertMany", ...).
	Command string
	// Table is the table in the URL path.
	Table string
	// PageState: only requests whose options carry a pageState (a find
	// page after the first).
	PageState bool
	// BodyContains: only bodies containing this text.
	BodyContains string
	// Nth is the first matching request (1-based) the fault applies to
	// (0 or 1: the first).
	Nth int
	// Times is how many matching requests, from the Nth, get the fault
	// (0: one; negative: all from the Nth on).
	Times int
}

// Fault is a fault to inject into the requests that Match selects.
type Fault struct {
	Match
	Kind Kind
	// RetryAfter is sent with Status429 and Status503 (rounded up to whole
	// seconds; zero: no header for 503, "1" for 429).
	RetryAfter time.Duration
	// Delay is the wait of Slow (at most MaxDelay).
	Delay time.Duration
	// AfterBytes is where ResetMidBody and TruncatedJSON cut the body
	// (negative: that many bytes before its end; 0: the middle).
	AfterBytes int
	// Status is the HTTP status of EndlessBody (default 200).
	Status int
	// Echo names the request headers EchoHeaders repeats (default: all),
	// after Padding bytes of filler, in sorted order.
	Echo    []string
	Padding int
	// Forward sends the request to the server before the fault
	// (ResetBeforeResponse, MalformedJSON, Slow): the command is executed.
	Forward bool
}

// label is the counter name: the kind, with "+forwarded" when the request
// reached the server before the fault.
func (f *Fault) label() string {
	switch f.Kind {
	case ResetMidBody, TruncatedJSON:
		return string(f.Kind) // always forwarded
	}
	if f.Forward {
		return string(f.Kind) + "+forwarded"
	}
	return string(f.Kind)
}

type rule struct {
	Fault
	seen int // matching requests so far
}

// Request is what the proxy saw of one request.
type Request struct {
	Command   string
	Keyspace  string
	Table     string
	PageState bool
	// Fault is the label of the fault injected, "" if none.
	Fault string
}

// Proxy is a running fault-injecting proxy.
type Proxy struct {
	// URL is the proxy's base URL (http://127.0.0.1:port), to use in place
	// of the upstream's.
	URL string

	upstream *url.URL
	ln       net.Listener
	srv      *http.Server
	client   *http.Client
	ctx      context.Context
	stop     context.CancelFunc
	wg       sync.WaitGroup

	mu       sync.Mutex
	rules    []*rule
	counts   map[string]int
	requests []Request
}

// New starts a proxy on 127.0.0.1 forwarding to upstream, which must be a
// loopback http:// URL (such as dataapitest.Server.URL).
func New(upstream string, faults ...Fault) (*Proxy, error) {
	u, err := url.Parse(upstream)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("faultproxy: upstream %q: want http://<loopback>:port", upstream)
	}
	if !loopback(u.Hostname()) {
		return nil, fmt.Errorf("faultproxy: upstream host %q is not a loopback address", u.Hostname())
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: listen: %w", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	p := &Proxy{
		URL:      "http://" + ln.Addr().String(),
		upstream: u,
		ln:       ln,
		ctx:      ctx,
		stop:     stop,
		counts:   map[string]int{},
		client: &http.Client{Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConnsPerHost: 64,
			IdleConnTimeout:     30 * time.Second,
		}},
	}
	p.Set(faults...)
	p.srv = &http.Server{Handler: http.HandlerFunc(p.serve), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		_ = p.srv.Serve(ln)
	}()
	return p, nil
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Close stops the proxy: waits end, connections close, and Close returns
// when every handler has returned.
func (p *Proxy) Close() {
	p.stop()
	_ = p.srv.Close() // handlers see their context done and return
	p.wg.Wait()
	p.client.CloseIdleConnections()
}

// Set replaces the faults (match counters start again from zero).
func (p *Proxy) Set(faults ...Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = p.rules[:0]
	for _, f := range faults {
		if f.Delay > MaxDelay {
			f.Delay = MaxDelay
		}
		p.rules = append(p.rules, &rule{Fault: f})
	}
}

// Clear removes every fault: requests are forwarded untouched.
func (p *Proxy) Clear() { p.Set() }

// Counts returns how many faults were injected, by label (the kind, with
// "+forwarded" when the request reached the server first).
func (p *Proxy) Counts() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int, len(p.counts))
	for k, v := range p.counts {
		out[k] = v
	}
	return out
}

// Injected returns the total number of faults injected.
func (p *Proxy) Injected() int {
	n := 0
	for _, v := range p.Counts() {
		n += v
	}
	return n
}

// Requests returns every request seen so far, in arrival order.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.requests...)
}

// ResetRequests forgets the requests seen (fault counters stay).
func (p *Proxy) ResetRequests() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests = nil
}

// pick records the request and returns the fault to inject, if any.
func (p *Proxy) pick(req *Request, body []byte) *Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	var chosen *Fault
	for _, r := range p.rules {
		m := r.Match
		if (m.Command != "" && m.Command != req.Command) || (m.Table != "" && m.Table != req.Table) ||
			(m.PageState && !req.PageState) || (m.BodyContains != "" && !bytes.Contains(body, []byte(m.BodyContains))) {
			continue
		}
		r.seen++
		first := max(m.Nth, 1)
		times := m.Times
		if times == 0 {
			times = 1
		}
		if chosen == nil && r.seen >= first && (times < 0 || r.seen < first+times) {
			f := r.Fault
			chosen = &f
		}
	}
	if chosen != nil {
		req.Fault = chosen.label()
		p.counts[req.Fault]++
	}
	p.requests = append(p.requests, *req)
	return chosen
}

// describe reads the command name, path and pageState of a request.
func describe(r *http.Request, body []byte) Request {
	var req Request
	path := strings.TrimPrefix(strings.TrimSuffix(r.URL.Path, "/"), "/api/json")
	path = strings.TrimPrefix(path, "/v1")
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(parts) > 0 {
		req.Keyspace = parts[0]
	}
	if len(parts) > 1 {
		req.Table = parts[1]
	}
	var cmd map[string]json.RawMessage
	if json.Unmarshal(body, &cmd) == nil && len(cmd) == 1 {
		for name, v := range cmd {
			req.Command = name
			var o struct {
				Options struct {
					PageState string `json:"pageState"`
				} `json:"options"`
			}
			if json.Unmarshal(v, &o) == nil && o.Options.PageState != "" {
				req.PageState = true
			}
		}
	}
	return req
}

// answer is an upstream response, read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (p *Proxy) forward(ctx context.Context, r *http.Request, body []byte) (*answer, error) {
	u := *p.upstream
	u.Path = strings.TrimSuffix(p.upstream.Path, "/") + r.URL.Path
	u.RawQuery = r.URL.RawQuery
	req, err := http.NewRequestWithContext(ctx, r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, vs := range r.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Connection", "Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade":
			continue
		}
		req.Header[k] = vs
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxResponseBytes {
		return nil, errors.New("faultproxy: upstream response over the size limit")
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	p.wg.Add(1)
	defer p.wg.Done()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	if err != nil {
		http.Error(w, "faultproxy: request body: "+err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	req := describe(r, body)
	f := p.pick(&req, body)
	ctx := r.Context() // ends when the client goes away or the proxy closes
	if f == nil {
		p.relay(ctx, w, r, body)
		return
	}
	switch f.Kind {
	case Status429, Status503:
		secs := int((f.RetryAfter + time.Second - 1) / time.Second)
		if f.Kind == Status429 && secs == 0 {
			secs = 1
		}
		if secs > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		code := http.StatusTooManyRequests
		if f.Kind == Status503 {
			code = http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(code)
		fmt.Fprintf(w, "faultproxy: injected %d\n", code)
	case EchoHeaders:
		var b strings.Builder
		b.WriteString("bad gateway; request headers were:")
		b.WriteString(strings.Repeat(".", min(max(f.Padding, 0), 1<<20)))
		names := slices.Clone(f.Echo)
		if names == nil {
			for k := range r.Header {
				names = append(names, k)
			}
		}
		slices.Sort(names)
		for _, k := range names {
			fmt.Fprintf(&b, "\n%s: %s", k, strings.Join(r.Header.Values(k), ", "))
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, b.String())
	case Slow:
		if f.Forward {
			a, err := p.forward(p.ctx, r, body) // executed even if the client leaves
			if !wait(ctx, f.Delay) {
				return
			}
			p.write(w, a, err)
			return
		}
		if !wait(ctx, f.Delay) {
			return // the client left: nothing forwarded
		}
		p.relay(ctx, w, r, body)
	case ResetBeforeResponse:
		if f.Forward {
			if _, err := p.forward(p.ctx, r, body); err != nil {
				return
			}
		}
		reset(w)
	case ResetMidBody:
		a, err := p.forward(ctx, r, body)
		if err != nil {
			reset(w)
			return
		}
		n := cut(len(a.body), f.AfterBytes)
		conn, bw, ok := hijack(w)
		if !ok {
			return
		}
		fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
			a.status, http.StatusText(a.status), len(a.body))
		bw.Write(a.body[:n])
		bw.Flush()
		closeRST(conn)
	case TruncatedJSON:
		a, err := p.forward(ctx, r, body)
		if err != nil {
			reset(w)
			return
		}
		a.body = a.body[:cut(len(a.body), f.AfterBytes)]
		p.write(w, a, nil)
	case MalformedJSON:
		if f.Forward {
			if _, err := p.forward(p.ctx, r, body); err != nil {
				reset(w)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"data":{"documents":[{"id":1,,}]},"status":{nextPageState:}`)
	case EndlessBody:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(cmp.Or(f.Status, http.StatusOK))
		chunk := bytes.Repeat([]byte(" "), 32<<10)
		io.WriteString(w, `{"data":`)
		for sent := 0; sent < MaxEndlessBytes && ctx.Err() == nil; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	default:
		p.relay(ctx, w, r, body)
	}
}

// cut is where a body of n bytes is cut for AfterBytes a.
func cut(n, a int) int {
	switch {
	case a == 0:
		return n / 2
	case a < 0:
		return max(n+a, 0)
	default:
		return min(a, n)
	}
}

func (p *Proxy) relay(ctx context.Context, w http.ResponseWriter, r *http.Request, body []byte) {
	a, err := p.forward(ctx, r, body)
	p.write(w, a, err)
}

func (p *Proxy) write(w http.ResponseWriter, a *answer, err error) {
	if err != nil {
		http.Error(w, "faultproxy: upstream: "+err.Error(), http.StatusBadGateway)
		return
	}
	for k, vs := range a.header {
		if k == "Content-Length" {
			continue
		}
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// wait sleeps d unless ctx ends first; it reports whether d elapsed.
func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(min(d, MaxDelay))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func hijack(w http.ResponseWriter) (net.Conn, flusherWriter, bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return nil, nil, false
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		return nil, nil, false
	}
	return conn, rw, true
}

type flusherWriter interface {
	io.Writer
	Flush() error
}

// reset closes the client's connection with a TCP RST and no response.
func reset(w http.ResponseWriter) {
	conn, _, ok := hijack(w)
	if !ok {
		panic(http.ErrAbortHandler) // net/http closes the connection
	}
	closeRST(conn)
}

func closeRST(conn net.Conn) {
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
