package dataapitest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"unicode/utf8"
)

// maxBodyBytes is the real server's request size limit (Quarkus max-body-size 20M).
const maxBodyBytes = 20 << 20

// Option configures a Handler or Server.
type Option func(*options)

type options struct {
	token    string
	pageSize int // tables
	// collPageSize: collections read with the real server's collection
	// profile, 20 documents a page (tables moved to 50).
	collPageSize int
}

// WithToken makes the server accept only this token (sent in the Token
// header); without it any non-empty token is accepted.
func WithToken(token string) Option { return func(o *options) { o.token = token } }

// WithPageSize sets the number of rows (or documents) a find returns per
// page (default 50 on tables, 20 on collections, as the current real server
// pages; older servers used 20 for tables too).
func WithPageSize(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.pageSize = n
			o.collPageSize = n
		}
	}
}

// Handler serves the Data API over HTTP. It is safe for concurrent use.
type Handler struct {
	opts options

	// mu guards the schema: keyspaces, tables' definitions, indexes, types.
	// Commands that change schema hold it exclusively; row commands share
	// it and then lock the table they use.
	mu        sync.RWMutex
	keyspaces map[string]*keyspace
}

// NewHandler returns a Handler holding an empty keyspace default_keyspace.
func NewHandler(opts ...Option) *Handler {
	h := &Handler{opts: options{pageSize: 50, collPageSize: 20}, keyspaces: map[string]*keyspace{}}
	for _, o := range opts {
		o(&h.opts)
	}
	h.keyspaces["default_keyspace"] = newKeyspace("default_keyspace")
	return h
}

// Server is a Handler listening on a loopback port, like httptest.Server.
type Server struct {
	// URL is the base URL, without a trailing slash: commands go to
	// URL+"/v1/<keyspace>/<table>" (or under URL+"/api/json/v1").
	URL     string
	Handler *Handler
	srv     *httptest.Server
}

// NewServer starts a server on 127.0.0.1 at a random port.
func NewServer(opts ...Option) *Server {
	h := NewHandler(opts...)
	ts := httptest.NewServer(h)
	return &Server{URL: ts.URL, Handler: h, srv: ts}
}

// Close shuts the server down and waits for outstanding requests.
func (s *Server) Close() { s.srv.Close() }

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.srv.Listener.Addr() }

// request is one command being served.
type request struct {
	h        *Handler
	keyspace string
	table    string
	command  string
	body     *jv // the command's object
	embedKey string
}

// ServeHTTP routes POST /v1[/<keyspace>[/<table>]] (also under /api/json).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	path = strings.TrimPrefix(path, "/api/json")
	if path != "/v1" && !strings.HasPrefix(path, "/v1/") {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	var parts []string
	if rest := strings.TrimPrefix(path, "/v1"); rest != "" {
		parts = strings.Split(rest[1:], "/")
	}
	if len(parts) > 2 || (len(parts) > 0 && parts[0] == "") || (len(parts) == 2 && parts[1] == "") {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if r.Method != http.MethodPost {
		if len(parts) == 0 {
			w.WriteHeader(http.StatusMethodNotAllowed)
		} else {
			w.WriteHeader(http.StatusNotFound)
		}
		return
	}
	// Authentication runs before the resource's media-type check, as in Quarkus.
	token := r.Header.Get("Token")
	if token == "" {
		token = r.Header.Get("X-Cassandra-Token")
	}
	if token == "" {
		e := newErr("SECURITY", "MISSING_AUTHENTICATION_TOKEN", "Missing authentication token: include the token in the 'Token' request header.")
		writeResponse(w, http.StatusUnauthorized, &result{errs: []*apiError{e}})
		return
	}
	if h.opts.token != "" && token != h.opts.token {
		e := newErr("SECURITY", "UNAUTHENTICATED_REQUEST", "Authentication failed for request due to invalid token.")
		writeResponse(w, http.StatusUnauthorized, &result{errs: []*apiError{e}})
		return
	}
	// The resources consume application/json; RESTEasy Reactive only checks
	// a Content-Type that is present (no header at all is accepted).
	if cts, present := r.Header["Content-Type"]; present && len(cts) > 0 && !consumesJSON(cts[0]) {
		ct := latin1(cts[0])
		e := newErr("", "UNSUPPORTED_CONTENT_TYPE", "Only 'application/json' request Content-Type is supported, got '%s'.", ct)
		writeResponse(w, http.StatusUnsupportedMediaType, &result{errs: []*apiError{e}})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	req := &request{h: h, embedKey: r.Header.Get("X-Embedding-Api-Key")}
	if len(parts) > 0 {
		req.keyspace = parts[0]
	}
	if len(parts) > 1 {
		req.table = parts[1]
	}
	res := h.serve(req, body)
	status := http.StatusOK
	for _, e := range res.errs {
		if e.status != 0 {
			status = e.status
			break
		}
	}
	writeResponse(w, status, res)
}

// serve runs one command; it never panics.
func (h *Handler) serve(req *request, body []byte) (res *result) {
	defer func() {
		if p := recover(); p != nil {
			res = errResult(serverErr("", "UNEXPECTED_SERVER_ERROR", "Unexpected server error: %v", p))
		}
	}()
	doc, err := parseJSON(body)
	if err != nil {
		var je *jsonError
		if errors.As(err, &je) && je.tooLong {
			return errResult(newErr("DOCUMENT", "SHRED_DOC_LIMIT_VIOLATION", "Document size limitation violated: Number value length (%s) exceeds the maximum allowed (%d).", je.msg, maxNumberLen))
		}
		return errResult(newErr("", "REQUEST_NOT_JSON", "Request invalid, cannot parse as JSON: %s.", err))
	}
	if doc.kind != jObject || len(doc.obj) != 1 {
		if doc.kind == jObject && len(doc.obj) == 0 {
			return errResult(newErr("", "REQUEST_STRUCTURE_MISMATCH", "Request invalid: the body must be an object with exactly one command."))
		}
		if doc.kind != jObject {
			return errResult(newErr("", "REQUEST_STRUCTURE_MISMATCH", "Request invalid: the body must be a JSON object, not %s.", doc.kind))
		}
		return errResult(newErr("", "REQUEST_STRUCTURE_MISMATCH", "Request invalid: the body must hold exactly one command, found %d.", len(doc.obj)))
	}
	req.command = doc.obj[0].key
	req.body = doc.obj[0].val
	if req.body.kind == jNull {
		req.body = jObj()
	}
	if req.body.kind != jObject {
		return errResult(newErr("", "REQUEST_STRUCTURE_MISMATCH", "Request invalid: command '%s' must be an object, not %s.", req.command, req.body.kind))
	}
	return h.dispatch(req)
}

// result is a command's response before serialisation.
type result struct {
	data     *jv // documents/document object; nil if not a read
	status   *jv // status object members, may be nil
	errs     []*apiError
	warnings []*apiError
}

func errResult(errs ...*apiError) *result { return &result{errs: errs} }

func okResult() *result { return &result{status: jObj(member{"ok", jInt(1)})} }

func (r *result) addStatus(k string, v *jv) {
	if r.status == nil {
		r.status = jObj()
	}
	r.status.set(k, v)
}

func writeResponse(w http.ResponseWriter, code int, res *result) {
	var b bytes.Buffer
	writeResult(&b, res)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(b.Bytes())
}

// writeResult serialises the envelope: data (omitted when there are
// errors), status (with warnings last), errors.
func writeResult(b *bytes.Buffer, res *result) {
	out := jObj()
	if res.data != nil && len(res.errs) == 0 {
		out.set("data", res.data)
	}
	status := res.status
	if len(res.warnings) > 0 {
		if status == nil {
			status = jObj()
		} else {
			status = jObj(status.obj...)
		}
		ws := jArr()
		for _, w := range res.warnings {
			ws.arr = append(ws.arr, w.toJV())
		}
		status.set("warnings", ws)
	}
	if status != nil && len(status.obj) > 0 {
		out.set("status", status)
	}
	if len(res.errs) > 0 {
		es := jArr()
		for _, e := range res.errs {
			es.arr = append(es.arr, e.toJV())
		}
		out.set("errors", es)
	}
	writeJV(b, out)
}

// consumesJSON reports whether a Content-Type value matches
// @Consumes(application/json) as JAX-RS MediaType.isCompatible decides it:
// a wildcard type on either side, or the same type with a wildcard or equal
// subtype, case-insensitively; parameters (charset) do not matter. "*"
// alone reads as */*. A value that does not parse as a media type (empty,
// no subtype, characters outside a token) is refused.
func consumesJSON(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	major, sub, ok := strings.Cut(mt, "/")
	if !ok {
		if mt != "*" {
			return false
		}
		major, sub = "*", "*"
	}
	major, sub = strings.TrimSpace(major), strings.TrimSpace(sub)
	if !isToken(major) || !isToken(sub) {
		return false
	}
	if major == "*" {
		return true
	}
	return strings.EqualFold(major, "application") && (sub == "*" || strings.EqualFold(sub, "json"))
}

// isToken: an HTTP token (RFC 7230), non-empty.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}

// latin1 reads header bytes as the real server's HTTP layer does: one
// character per byte (ISO-8859-1).
func latin1(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			r := make([]rune, len(s))
			for j := 0; j < len(s); j++ {
				r[j] = rune(s[j])
			}
			return string(r)
		}
	}
	return s
}
