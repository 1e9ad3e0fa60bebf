package dataapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/astrasql/astrasql/typesmap"
)

// call is one command to send, with how to read its "data".
type call struct {
	target
	url        string
	body       []byte // {"<command>": {...}}
	repeatable bool
	// maxBody, if positive, replaces the client's response size limit.
	maxBody int64
	// begin, if set, runs before each attempt's response is decoded, to
	// drop what an earlier attempt decoded.
	begin func()
	// data, if set, reads the envelope's "data" value from dec (positioned
	// before it) in a streaming way; it runs once per attempt and must reset
	// whatever an earlier attempt left. A nil data keeps it raw in env.data.
	data func(dec *jsontext.Decoder, env *envelope) error
	// finish, if set, completes decoding once the whole envelope is read
	// (e.g. rows that had to wait for status.projectionSchema).
	finish func(env *envelope) error
	// rows reports rows for the Hook after a successful attempt.
	rows func(env *envelope) int
	// schemas, if set, remembers the last projectionSchema decoded, as
	// every page of a scan repeats the same one.
	schemas *schemaCache
}

type schemaCache struct {
	raw  []byte
	cols []typesmap.Column
}

// envelope is a decoded response: status kept raw (small) with the parts
// every command needs parsed; data either streamed by call.data or raw.
type envelope struct {
	httpStatus       int
	status           jsontext.Value // the raw status object, nil if absent
	data             jsontext.Value // raw data when call.data is nil
	errors           []*APIError
	warnings         []Warning
	projectionSchema []typesmap.Column
	hasProjection    bool
	// soft is an error found while streaming data that still lets the rest
	// of the envelope be read (schema changes), reported after it.
	soft    error
	schemas *schemaCache
}

func (env *envelope) setStatus(v jsontext.Value) error {
	env.status = v
	var proj jsontext.Value
	dec := getDecoder(bytes.NewReader(v))
	defer putDecoder(dec)
	tok, err := dec.ReadToken()
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	if tok.Kind() != '{' {
		return fmt.Errorf("status: not an object")
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadToken()
		if err != nil {
			return fmt.Errorf("status: %w", err)
		}
		switch name.String() {
		case "warnings":
			val, err := dec.ReadValue()
			if err != nil {
				return fmt.Errorf("status: %w", err)
			}
			var ws []Warning
			if err := json.Unmarshal(val, &ws); err != nil {
				return fmt.Errorf("status: %w", err)
			}
			env.warnings = append(env.warnings, ws...)
		case "projectionSchema":
			val, err := dec.ReadValue()
			if err != nil {
				return fmt.Errorf("status: %w", err)
			}
			proj = val.Clone()
		default:
			if err := dec.SkipValue(); err != nil {
				return fmt.Errorf("status: %w", err)
			}
		}
	}
	if len(proj) > 0 && string(proj) != "null" {
		if c := env.schemas; c != nil && c.cols != nil && bytes.Equal(c.raw, proj) {
			env.projectionSchema, env.hasProjection = c.cols, true
			return nil
		}
		cols, err := typesmap.DecodeColumns(proj)
		if err != nil {
			return fmt.Errorf("status.projectionSchema: %w", err)
		}
		if cols == nil {
			cols = []typesmap.Column{}
		}
		env.projectionSchema, env.hasProjection = cols, true
		if c := env.schemas; c != nil {
			c.raw, c.cols = bytes.Clone(proj), cols
		}
	}
	return nil
}

// parseStatus decodes the raw status into v (a struct of the fields wanted).
func (env *envelope) parseStatus(cl *call, v any) error {
	if len(env.status) == 0 {
		return nil
	}
	if err := json.Unmarshal(env.status, v); err != nil {
		return &BadResponseError{Command: cl.Command, Keyspace: cl.Keyspace, Table: cl.Table,
			HTTPStatus: env.httpStatus, Err: fmt.Errorf("status: %w", err)}
	}
	return nil
}

var errClientTimeout = errors.New("dataapi: client timeout")

// transientServerCodes are API errors (HTTP 200) that say the database was
// momentarily unable to serve; a repeatable command is retried on them.
var transientServerCodes = map[string]bool{
	"UNAVAILABLE_DATABASE":          true,
	"TIMEOUT_READING_DATA":          true,
	"TIMEOUT_WRITING_DATA":          true,
	"FAILED_TO_CONNECT_TO_DATABASE": true,
}

func transientAPIErrors(errs []*APIError) bool {
	for _, e := range errs {
		if !transientServerCodes[e.ErrorCode] {
			return false
		}
	}
	return len(errs) > 0
}

// exec sends the call, retrying as the command allows. On a response with
// API errors it returns the envelope too (with a *ResponseError), so callers
// can read partial results.
func (c *Client) exec(ctx context.Context, cl *call) (*envelope, error) {
	for attempt := 1; ; attempt++ {
		env, retry, wait, err := c.attempt(ctx, cl, attempt)
		if err == nil || !retry {
			return env, err
		}
		if serr := sleep(ctx, wait); serr != nil {
			return env, fmt.Errorf("dataapi: %s: %w (while waiting to retry after: %v)", cl.target, serr, err)
		}
	}
}

// attempt sends the call once. retry says whether to send it again, after wait.
func (c *Client) attempt(ctx context.Context, cl *call, n int) (env *envelope, retry bool, wait time.Duration, err error) {
	start := time.Now()
	hctx := ctx
	var sev *StartEvent
	if c.hook != nil {
		sev = &StartEvent{Command: cl.Command, Keyspace: cl.Keyspace, Table: cl.Table, Attempt: n}
		if h := c.hook.CommandStart(ctx, sev); h != nil {
			hctx = h
		}
	}
	actx, cancel := hctx, context.CancelFunc(func() {})
	if c.timeout > 0 {
		actx, cancel = context.WithTimeoutCause(hctx, c.timeout, errClientTimeout)
	}
	defer cancel()

	status := 0
	env, retry, wait, err = c.roundTrip(ctx, actx, cl, n)
	if env != nil {
		status = env.httpStatus
	}
	// The caller gave up: an attempt cut short by its own context is not
	// worth repeating, and a back-off would only delay the answer. Nor is an
	// attempt that ran out of the client's timeout: the server may still be
	// running the command (see doc.go).
	var timedOut *TimeoutError
	if retry && (n > c.retries || ctx.Err() != nil || errors.As(err, &timedOut)) {
		retry = false
	}
	if retry && wait == 0 {
		wait = c.backoff(n)
	}
	if retry && wait > c.maxRetryAft {
		retry = false
	}
	// Stamp the attempt count on the final error.
	if !retry && n > 1 {
		setAttempts(err, n)
	}
	if c.hook != nil {
		ev := &EndEvent{StartEvent: *sev, Duration: time.Since(start), HTTPStatus: status, Err: err, Retry: retry}
		if env != nil {
			ev.Warnings = env.warnings
			if err == nil && cl.rows != nil {
				ev.Rows = cl.rows(env)
			}
		}
		c.hook.CommandEnd(hctx, ev)
	}
	return env, retry, wait, err
}

func setAttempts(err error, n int) {
	var he *HTTPError
	var te *TransportError
	var to *TimeoutError
	switch {
	case errors.As(err, &he):
		he.Attempts = n
	case errors.As(err, &te):
		te.Attempts = n
	case errors.As(err, &to):
		to.Attempts = n
	}
}

// roundTrip posts the request and reads the response within actx.
func (c *Client) roundTrip(ctx, actx context.Context, cl *call, n int) (env *envelope, retry bool, wait time.Duration, err error) {
	req, err := c.newRequest(actx, cl.url, cl.body, cl.repeatable)
	if err != nil {
		return nil, false, 0, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, (cl.repeatable && retryableTransport(err)) || notSent(err), 0, c.failure(ctx, actx, cl, err, 0, nil)
	}
	defer func() {
		// Drain a little so the connection can be reused, then close.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		resp.Body.Close()
		c.released()
	}()
	env = &envelope{httpStatus: resp.StatusCode, schemas: cl.schemas}
	if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return env, false, 0, &RedirectError{Command: cl.Command, Keyspace: cl.Keyspace, Table: cl.Table,
			StatusCode: resp.StatusCode, Location: redactLocation(loc)}
	}
	br := &bodyReader{r: resp.Body, limit: c.maxBody}
	if cl.maxBody > 0 {
		br.limit = cl.maxBody
	}
	if resp.StatusCode != http.StatusOK {
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			c.insertLimits.overloaded.Add(1) // InsertMany's limiter backs off
		}
		return env, cl.repeatable && retryableStatus(resp.StatusCode),
			parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()), c.httpFailure(ctx, actx, cl, resp, br, env)
	}
	if cl.begin != nil {
		cl.begin()
	}
	dec := getDecoder(br)
	derr := decodeEnvelope(dec, cl, env)
	offset := dec.InputOffset()
	putDecoder(dec)
	for i := range env.warnings {
		w := &env.warnings[i]
		w.Message, w.Title = c.scrub(w.Message), c.scrub(w.Title)
	}
	if derr != nil {
		err := c.failure(ctx, actx, cl, derr, offset, br)
		var be *BadResponseError
		var te *TransportError
		retryable := errors.As(err, &te) || (errors.As(err, &be) && errors.Is(be.Err, io.ErrUnexpectedEOF))
		return env, cl.repeatable && retryable, 0, err
	}
	if len(env.errors) > 0 {
		c.scrubErrors(env.errors)
		return env, cl.repeatable && transientAPIErrors(env.errors), 0, &ResponseError{Command: cl.Command, Keyspace: cl.Keyspace,
			Table: cl.Table, HTTPStatus: env.httpStatus, Errors: env.errors, Warnings: env.warnings}
	}
	if cl.finish != nil {
		if err := cl.finish(env); err != nil {
			return env, false, 0, err
		}
	}
	if env.soft != nil {
		return env, false, 0, env.soft
	}
	return env, false, 0, nil
}

// failure turns an error of sending or reading into the error to report:
// the caller's context, the client timeout, a transport failure, or a bad body.
func (c *Client) failure(ctx, actx context.Context, cl *call, err error, offset int64, br *bodyReader) error {
	if ctx.Err() != nil {
		return fmt.Errorf("dataapi: %s: %w", cl.target, ctx.Err())
	}
	if actx.Err() != nil && errors.Is(context.Cause(actx), errClientTimeout) {
		return &TimeoutError{Command: cl.Command, Keyspace: cl.Keyspace, Table: cl.Table, Limit: c.timeout, Attempts: 1}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		// A timeout of a supplied http.Client (its Timeout field).
		return &TimeoutError{Command: cl.Command, Keyspace: cl.Keyspace, Table: cl.Table, Limit: c.http.Timeout, Attempts: 1}
	}
	var se *SchemaChangedError
	if errors.As(err, &se) {
		return err
	}
	bad := func(e error) error {
		return &BadResponseError{Command: cl.Command, Keyspace: cl.Keyspace, Table: cl.Table, HTTPStatus: http.StatusOK, Offset: offset, Err: e}
	}
	if br != nil {
		switch {
		case br.err == nil:
			return bad(err) // the JSON itself is wrong
		case errors.Is(br.err, ErrResponseTooLarge):
			return bad(br.err)
		case br.err == io.EOF:
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return bad(io.ErrUnexpectedEOF)
			}
			return bad(err)
		case errors.Is(br.err, io.ErrUnexpectedEOF):
			// net/http: body shorter than its Content-Length.
			return bad(io.ErrUnexpectedEOF)
		default:
			err = br.err // a reset or similar inside the body
		}
	}
	return &TransportError{Command: cl.Command, Keyspace: cl.Keyspace, Table: cl.Table, Attempts: 1, Err: c.scrubError(err)}
}

// scrubError hides the client's secrets in the text of err: a supplied
// http.Client's transport (a proxy, a tracing wrapper) may echo the request
// headers in its errors. The scrubbed error does not unwrap to the original
// (whose text holds them); errors.Is and net.Error's Timeout still see it.
func (c *Client) scrubError(err error) error {
	msg := err.Error()
	if s := c.scrub(msg); s != msg {
		return &scrubbedError{msg: s, err: err}
	}
	return err
}

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string              { return e.msg }
func (e *scrubbedError) Is(target error) bool       { return errors.Is(e.err, target) }
func (e *scrubbedError) Format(f fmt.State, _ rune) { fmt.Fprint(f, e.msg) }
func (e *scrubbedError) Timeout() bool {
	var ne net.Error
	return errors.As(e.err, &ne) && ne.Timeout()
}

// httpFailure builds the error of a non-200 response. Bodies of 401 and 415
// are envelopes whose API errors are kept.
func (c *Client) httpFailure(ctx, actx context.Context, cl *call, resp *http.Response, br *bodyReader, env *envelope) error {
	he := &HTTPError{Command: cl.Command, Keyspace: cl.Keyspace, Table: cl.Table, StatusCode: resp.StatusCode,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()), Attempts: 1}
	body, err := io.ReadAll(io.LimitReader(br, 64<<10))
	if err != nil && (ctx.Err() != nil || actx.Err() != nil) {
		return c.failure(ctx, actx, cl, err, 0, nil)
	}
	var e struct {
		Errors []*APIError `json:"errors"`
		Status *struct {
			Warnings []Warning `json:"warnings"`
		} `json:"status"`
	}
	if json.Unmarshal(body, &e) == nil && len(e.Errors) > 0 {
		c.scrubErrors(e.Errors)
		he.Errors = e.Errors
		env.errors = e.Errors
		if e.Status != nil {
			env.warnings = e.Status.Warnings
		}
	} else if len(body) > 0 {
		// Scrub before cutting: a cut through the token would hide it from scrub.
		he.Body = c.scrub(string(body))
		he.Body = he.Body[:min(len(he.Body), 256)]
	}
	return he
}

// decodeEnvelope reads {"data":..., "status":..., "errors":...} in any order.
func decodeEnvelope(dec *jsontext.Decoder, cl *call, env *envelope) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != '{' {
		return fmt.Errorf("response is not a JSON object but %v", tok.Kind())
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		switch name := tok.String(); name {
		case "status":
			v, err := dec.ReadValue()
			if err != nil {
				return err
			}
			if err := env.setStatus(v.Clone()); err != nil {
				return err
			}
		case "errors":
			v, err := dec.ReadValue()
			if err != nil {
				return err
			}
			var errs []*APIError
			if err := json.Unmarshal(v, &errs); err != nil {
				return fmt.Errorf("errors: %w", err)
			}
			env.errors = append(env.errors, errs...)
		case "data":
			if cl.data != nil {
				if err := cl.data(dec, env); err != nil {
					return err
				}
				continue
			}
			v, err := dec.ReadValue()
			if err != nil {
				return err
			}
			env.data = v.Clone()
		default:
			if err := dec.SkipValue(); err != nil {
				return err
			}
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	return nil
}

// bodyReader limits a response body and remembers the read error, to tell
// a broken connection from broken JSON.
type bodyReader struct {
	r     io.Reader
	n     int64
	limit int64
	err   error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if rem := b.limit - b.n; int64(len(p)) > rem+1 {
		p = p[:rem+1]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.n > b.limit {
		b.err = fmt.Errorf("%w (limit %d bytes: raise it with max_response_size= in the DSN, Config.MaxResponseBytes or dataapi.Options.MaxResponseBytes)", ErrResponseTooLarge, b.limit)
		return 0, b.err
	}
	if err != nil {
		b.err = err
	}
	return n, err
}

var decoderPool = sync.Pool{New: func() any { return jsontext.NewDecoder(eofReader{}) }}

// eofReader stands in for a body while a decoder sits in the pool.
type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// decOpts: the server never sends duplicate names worth checking, and
// tracking names costs an allocation per object (per row).
var decOpts = []jsontext.Options{jsontext.AllowDuplicateNames(true)}

func getDecoder(r io.Reader) *jsontext.Decoder {
	dec := decoderPool.Get().(*jsontext.Decoder)
	dec.Reset(r, decOpts...)
	return dec
}

func putDecoder(dec *jsontext.Decoder) {
	dec.Reset(eofReader{})
	decoderPool.Put(dec)
}

// scrub removes the client's secrets from text that came from the server
// (a gateway could echo request headers in an error page).
func (c *Client) scrub(s string) string {
	for _, secret := range []string{c.token, c.embedKey} {
		if len(secret) < 8 {
			continue
		}
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, redacted)
		}
		// A body read up to a size limit can end inside the secret.
		for k := len(secret) - 1; k >= 4; k-- {
			if strings.HasSuffix(s, secret[:k]) {
				s = s[:len(s)-k] + redacted
				break
			}
		}
	}
	return s
}

func (c *Client) scrubErrors(errs []*APIError) {
	for _, e := range errs {
		e.Message, e.Title = c.scrub(e.Message), c.scrub(e.Title)
	}
}
