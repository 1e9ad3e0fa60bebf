package dataapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// APIError is one error object of a Data API response (the "errors" array),
// as the server reports it. Use errors.As to get it from any error this
// package returns; several may be present (see ResponseError.Errors).
type APIError struct {
	ID        string `json:"id,omitempty"`
	Family    string `json:"family,omitempty"` // "REQUEST" or "SERVER"
	Scope     string `json:"scope,omitempty"`  // "SCHEMA", "DOCUMENT", "FILTER", "DATABASE", ... or ""
	ErrorCode string `json:"errorCode,omitempty"`
	Title     string `json:"title,omitempty"`
	Message   string `json:"message,omitempty"`
}

// maxMessage bounds the message in Error(); the full text stays in Message.
const maxMessage = 400

// Error returns "<CODE>: message" on one line.
func (e *APIError) Error() string {
	code := e.ErrorCode
	if code == "" {
		code = "UNKNOWN_ERROR"
	}
	msg := e.Message
	if msg == "" {
		msg = e.Title
	}
	return code + ": " + oneLine(msg, maxMessage)
}

// oneLine folds whitespace runs to single spaces and cuts s to about n bytes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		cut := n
		for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

// Warning is a warning the server attached to a response (status.warnings).
// It has the shape of an APIError with Scope "WARNING".
type Warning struct {
	ID        string `json:"id,omitempty"`
	Family    string `json:"family,omitempty"`
	Scope     string `json:"scope,omitempty"`
	ErrorCode string `json:"errorCode,omitempty"`
	Title     string `json:"title,omitempty"`
	Message   string `json:"message,omitempty"`
}

// String returns "<CODE>: message" on one line.
func (w Warning) String() string {
	return w.ErrorCode + ": " + oneLine(w.Message, maxMessage)
}

// target names where a command went, for error messages: "find ks.t".
type target struct {
	Command  string
	Keyspace string
	Table    string
}

func (t target) String() string {
	s := t.Command
	switch {
	case t.Keyspace != "" && t.Table != "":
		s += " " + t.Keyspace + "." + t.Table
	case t.Keyspace != "":
		s += " " + t.Keyspace
	}
	return s
}

// ResponseError is returned when a response carries one or more API errors
// (the server answered, usually with HTTP 200, and refused the command).
// errors.As(err, &apiErr) with an *APIError finds the first one.
type ResponseError struct {
	Command  string
	Keyspace string
	Table    string
	// HTTPStatus is the response's status code (200 for most API errors).
	HTTPStatus int
	// Errors holds every error object of the response, in order; never empty.
	Errors []*APIError
	// Warnings that came with the errors, if any.
	Warnings []Warning
}

func (e *ResponseError) Error() string {
	var b strings.Builder
	b.WriteString("dataapi: ")
	b.WriteString(target{e.Command, e.Keyspace, e.Table}.String())
	b.WriteString(": ")
	if len(e.Errors) == 0 {
		b.WriteString("error response without error objects")
		return b.String()
	}
	b.WriteString(e.Errors[0].Error())
	if n := len(e.Errors) - 1; n > 0 {
		fmt.Fprintf(&b, " (and %d more)", n)
	}
	return b.String()
}

// Unwrap returns the API errors, so errors.As and errors.Is see each one.
func (e *ResponseError) Unwrap() []error {
	errs := make([]error, len(e.Errors))
	for i, a := range e.Errors {
		errs[i] = a
	}
	return errs
}

// Sentinels for HTTP failures; an *HTTPError matches the one of its status
// with errors.Is.
var (
	// ErrUnauthenticated: HTTP 401 (missing or rejected token, or not permitted).
	ErrUnauthenticated = errors.New("dataapi: unauthenticated (HTTP 401)")
	// ErrForbidden: HTTP 403 (usually a gateway or IP access list).
	ErrForbidden = errors.New("dataapi: forbidden (HTTP 403)")
	// ErrEndpointNotFound: HTTP 404 (wrong endpoint, API path or environment).
	ErrEndpointNotFound = errors.New("dataapi: endpoint not found (HTTP 404)")
	// ErrRequestTooLarge: HTTP 413 (request body over the server's limit, 20 MB by default).
	ErrRequestTooLarge = errors.New("dataapi: request too large (HTTP 413)")
	// ErrUnsupportedMediaType: HTTP 415.
	ErrUnsupportedMediaType = errors.New("dataapi: unsupported content type (HTTP 415)")
	// ErrRateLimited: HTTP 429.
	ErrRateLimited = errors.New("dataapi: rate limited (HTTP 429)")
	// ErrServer: HTTP 5xx.
	ErrServer = errors.New("dataapi: server error (HTTP 5xx)")
	// ErrHTTPStatus: any other unexpected status.
	ErrHTTPStatus = errors.New("dataapi: unexpected HTTP status")

	// ErrResponseTooLarge: a response body exceeded Options.MaxResponseBytes.
	ErrResponseTooLarge = errors.New("dataapi: response body over the size limit")
)

// HTTPError is a response whose HTTP status is not 200. It matches one of the
// Err* sentinels with errors.Is (ErrUnauthenticated for 401, ...), and
// errors.As finds the API errors the body carried, if any (a 401 keeps the
// server's MISSING_AUTHENTICATION_TOKEN / UNAUTHENTICATED_REQUEST code).
type HTTPError struct {
	Command    string
	Keyspace   string
	Table      string
	StatusCode int
	// RetryAfter is the server's Retry-After, zero if absent.
	RetryAfter time.Duration
	// Errors are the API error objects in the body, if it was an envelope.
	Errors []*APIError
	// Body is the start of a non-envelope body (at most 256 bytes), for diagnosis.
	Body string
	// Attempts is how many times the command was sent.
	Attempts int
}

func (e *HTTPError) Error() string {
	var b strings.Builder
	b.WriteString("dataapi: ")
	b.WriteString(target{e.Command, e.Keyspace, e.Table}.String())
	b.WriteString(": HTTP ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	switch {
	case len(e.Errors) > 0:
		b.WriteString(": ")
		b.WriteString(e.Errors[0].Error())
	case e.Body != "":
		b.WriteString(": ")
		b.WriteString(oneLine(e.Body, 200))
	case e.StatusCode == http.StatusNotFound:
		b.WriteString(" (check the endpoint and environment: astra uses /api/json/v1, others /v1)")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

func (e *HTTPError) sentinel() error {
	switch c := e.StatusCode; {
	case c == 401:
		return ErrUnauthenticated
	case c == 403:
		return ErrForbidden
	case c == 404:
		return ErrEndpointNotFound
	case c == 413:
		return ErrRequestTooLarge
	case c == 415:
		return ErrUnsupportedMediaType
	case c == 429:
		return ErrRateLimited
	case c >= 500 && c <= 599:
		return ErrServer
	}
	return ErrHTTPStatus
}

// Unwrap returns the sentinel for the status and the API errors of the body.
func (e *HTTPError) Unwrap() []error {
	errs := []error{e.sentinel()}
	for _, a := range e.Errors {
		errs = append(errs, a)
	}
	return errs
}

// TimeoutError reports that Options.Timeout (the client's per-request
// timeout) expired. It is distinct from the caller's context deadline, which
// is reported as an error wrapping context.DeadlineExceeded.
type TimeoutError struct {
	Command  string
	Keyspace string
	Table    string
	// Limit is Options.Timeout.
	Limit    time.Duration
	Attempts int
}

func (e *TimeoutError) Error() string {
	s := fmt.Sprintf("dataapi: %s: no complete response within the client timeout of %v", target{e.Command, e.Keyspace, e.Table}, e.Limit)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

// Timeout reports true, as net.Error does.
func (e *TimeoutError) Timeout() bool { return true }

// TransportError is a failure to exchange the request and response: connection
// refused or reset, EOF before or inside the response. The underlying error is
// kept (errors.Is(err, syscall.ECONNRESET), io.ErrUnexpectedEOF ...). Whether
// the server executed the command is unknown.
type TransportError struct {
	Command  string
	Keyspace string
	Table    string
	Attempts int
	Err      error
}

func (e *TransportError) Error() string {
	s := fmt.Sprintf("dataapi: %s: %v", target{e.Command, e.Keyspace, e.Table}, e.Err)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

func (e *TransportError) Unwrap() error { return e.Err }

// RedirectError is a 3xx answer. The Data API does not redirect, so the
// client never follows one: the request is not sent again, and the Token
// and X-Embedding-Api-Key headers go nowhere else. An endpoint that
// redirects is usually a wrong endpoint (a console or proxy address).
type RedirectError struct {
	Command    string
	Keyspace   string
	Table      string
	StatusCode int
	// Location is where the server pointed, without user info, query or fragment.
	Location string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("dataapi: %s: the endpoint answered HTTP %d, a redirect to %s: not followed, "+
		"the Data API does not redirect and the token is sent only to the endpoint configured (check the endpoint)",
		target{e.Command, e.Keyspace, e.Table}, e.StatusCode, e.Location)
}

// redactLocation keeps the scheme, host and path of a Location header: user
// info, query and fragment could hold anything.
func redactLocation(loc string) string {
	if i := strings.IndexAny(loc, "?#"); i >= 0 {
		loc = loc[:i]
	}
	if i := strings.Index(loc, "://"); i >= 0 {
		rest := loc[i+3:]
		end := strings.IndexByte(rest, '/')
		if end < 0 {
			end = len(rest)
		}
		if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
			loc = loc[:i+3] + rest[at+1:]
		}
	}
	return oneLine(loc, 200)
}

// BadResponseError is a response body that is not a valid Data API envelope:
// malformed JSON, a body cut short (errors.Is(err, io.ErrUnexpectedEOF)), a
// body over the size limit (errors.Is(err, ErrResponseTooLarge)), or a value
// of the wrong shape.
type BadResponseError struct {
	Command    string
	Keyspace   string
	Table      string
	HTTPStatus int
	// Offset is the byte offset in the body where decoding stopped, if known.
	Offset int64
	Err    error
}

func (e *BadResponseError) Error() string {
	what := "malformed response"
	switch {
	case errors.Is(e.Err, ErrResponseTooLarge):
		what = "response too large"
	case errors.Is(e.Err, io.ErrUnexpectedEOF):
		what = "truncated response"
	}
	return fmt.Sprintf("dataapi: %s: %s at byte %d: %v", target{e.Command, e.Keyspace, e.Table}, what, e.Offset, e.Err)
}

func (e *BadResponseError) Unwrap() error { return e.Err }

// HasCode reports whether err carries an *APIError with the given error
// code anywhere in its chain (errors.As finds only the first one).
func HasCode(err error, code string) bool {
	switch e := err.(type) {
	case nil:
		return false
	case *APIError:
		return e.ErrorCode == code
	case interface{ Unwrap() []error }:
		for _, u := range e.Unwrap() {
			if HasCode(u, code) {
				return true
			}
		}
		return false
	case interface{ Unwrap() error }:
		return HasCode(e.Unwrap(), code)
	}
	return false
}
