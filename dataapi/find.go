package dataapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/astrasql/astrasql/typesmap"
)

// SimilarityColumn is the name of the score field rows carry when
// IncludeSimilarity is set with a vector sort.
const SimilarityColumn = "$similarity"

var similarityType, _ = typesmap.ParseCQL("double")

// FindRequest is find (and the options of findOne). Filter, Sort and
// Projection are pre-encoded JSON objects (nil: absent).
type FindRequest struct {
	Keyspace   string
	Table      string
	Filter     json.RawMessage
	Sort       json.RawMessage
	Projection json.RawMessage
	// Limit caps the rows over all pages (0: no limit).
	Limit int
	// Skip skips rows (only with Sort; forces an in-memory sort).
	Skip int
	// PageState resumes a scan at a page the server returned.
	PageState         string
	IncludeSimilarity bool
	IncludeSortVector bool
	// Columns are the columns the caller expects rows to have, in the order
	// it wants them in each row. When the server's projectionSchema or a row
	// disagrees, the call fails with *SchemaChangedError. Nil: decode with
	// the server's projectionSchema (in its order). With IncludeSimilarity a
	// "$similarity" column is appended unless present.
	Columns []typesmap.Column
}

type findOptions struct {
	Limit             int    `json:"limit,omitempty"`
	Skip              int    `json:"skip,omitempty"`
	PageState         string `json:"pageState,omitempty"`
	IncludeSimilarity bool   `json:"includeSimilarity,omitempty"`
	IncludeSortVector bool   `json:"includeSortVector,omitempty"`
}

func (r *FindRequest) body(pageState string, one bool) ([]byte, error) {
	o := findOptions{IncludeSimilarity: r.IncludeSimilarity, IncludeSortVector: r.IncludeSortVector}
	if !one {
		o.Limit, o.Skip, o.PageState = r.Limit, r.Skip, pageState
	}
	b := struct {
		Filter     json.RawMessage `json:"filter,omitempty"`
		Sort       json.RawMessage `json:"sort,omitempty"`
		Projection json.RawMessage `json:"projection,omitempty"`
		Options    *findOptions    `json:"options,omitempty"`
	}{Filter: r.Filter, Sort: r.Sort, Projection: r.Projection}
	if o != (findOptions{}) {
		b.Options = &o
	}
	out, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("dataapi: find %s: encoding request: %w", r.Table, err)
	}
	return out, nil
}

// rowColumns are the columns rows are decoded into: base plus $similarity
// when asked for.
func rowColumns(base []typesmap.Column, similarity bool) []typesmap.Column {
	if !similarity {
		return base
	}
	for _, c := range base {
		if c.Name == SimilarityColumn {
			return base
		}
	}
	out := make([]typesmap.Column, len(base), len(base)+1)
	copy(out, base)
	return append(out, typesmap.Column{Name: SimilarityColumn, Type: similarityType})
}

// sameColumns reports whether the server's projection schema has exactly the
// expected columns and types ($similarity aside; order does not matter as
// rows are decoded by name).
func sameColumns(expected, server []typesmap.Column) bool {
	n := 0
	for _, e := range expected {
		if e.Name == SimilarityColumn {
			continue
		}
		n++
		found := false
		for _, s := range server {
			if s.Name == e.Name {
				if !s.Type.Equal(e.Type) {
					return false
				}
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return n == len(server)
}

// SchemaChangedError reports that rows did not match the columns the caller
// expected: the table was altered since the caller read its schema. Refresh
// the schema (Server holds the projectionSchema, when the server sent it)
// and retry.
type SchemaChangedError struct {
	Command  string // "find" or "findOne"
	Keyspace string
	Table    string
	Expected []typesmap.Column
	// Server is the response's projectionSchema; nil if none came.
	Server []typesmap.Column
	// UnknownColumn is a row field not among Expected, if that is how the
	// change showed.
	UnknownColumn string
}

func (e *SchemaChangedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dataapi: %s %s.%s: table schema changed: ", e.Command, e.Keyspace, e.Table)
	if e.UnknownColumn != "" {
		fmt.Fprintf(&b, "rows have column %q that was not expected", e.UnknownColumn)
	} else {
		b.WriteString("the server's columns differ from the expected ones")
	}
	if e.Server != nil {
		b.WriteString("; server columns: ")
		for i, c := range e.Server {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(c.Name + " " + c.Type.String())
		}
	}
	return b.String()
}

// Page is one response of find (or findOne).
type Page struct {
	// Columns are the columns of each row, in row order.
	Columns []typesmap.Column
	// ProjectionSchema is the server's schema of the projected columns.
	ProjectionSchema []typesmap.Column
	// Rows hold decoded values (see typesmap for the Go types); absent
	// columns are nil. Each row is its own slice (capacity capped), never
	// reused by the client.
	Rows [][]any
	// NextPageState is "" on the last page.
	NextPageState string
	Warnings      []Warning
	// SortVector is status.sortVector (with IncludeSortVector and a vector sort).
	SortVector []float32
	// SortedRowCount is status.sortedRowCount (in-memory sorts), -1 if absent.
	SortedRowCount int
}

// pageReader decodes the documents of one response into a Page.
type pageReader struct {
	req      *FindRequest
	expected []typesmap.Column // nil: use projectionSchema
	rd       *typesmap.RowDecoder
	rdCols   []typesmap.Column
	page     *Page
	vals     []any
	rows     int
	raw      jsontext.Value // documents kept until projectionSchema is known
	one      bool
	schemas  schemaCache
}

func (pr *pageReader) decoder(cols []typesmap.Column) *typesmap.RowDecoder {
	if pr.rd == nil || !sameOrder(pr.rdCols, cols) {
		pr.rd, pr.rdCols = typesmap.NewRowDecoder(cols), cols
	}
	return pr.rd
}

func sameOrder(a, b []typesmap.Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || !a[i].Type.Equal(b[i].Type) {
			return false
		}
	}
	return true
}

// begin forgets what an earlier attempt decoded.
func (pr *pageReader) begin() {
	pr.page, pr.vals, pr.rows, pr.raw = nil, nil, 0, nil
}

// data reads the envelope's data member: {"documents":[...],"nextPageState":...}
// or {"document":{...}|null}.
func (pr *pageReader) data(dec *jsontext.Decoder, env *envelope) error {
	pr.page = &Page{SortedRowCount: -1}
	pr.vals, pr.rows, pr.raw = nil, 0, nil
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() == 'n' {
		return nil
	}
	if tok.Kind() != '{' {
		return fmt.Errorf("data is not an object")
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		switch tok.String() {
		case "documents", "document":
			if err := pr.documents(dec, env); err != nil {
				return err
			}
		case "nextPageState":
			tok, err := dec.ReadToken()
			if err != nil {
				return err
			}
			if tok.Kind() == '"' {
				pr.page.NextPageState = tok.String()
			}
		default:
			if err := dec.SkipValue(); err != nil {
				return err
			}
		}
	}
	_, err = dec.ReadToken()
	return err
}

func (pr *pageReader) documents(dec *jsontext.Decoder, env *envelope) error {
	var cols []typesmap.Column
	switch {
	case pr.expected != nil:
		if env.hasProjection && !sameColumns(pr.expected, env.projectionSchema) {
			env.soft = &SchemaChangedError{}
			return dec.SkipValue()
		}
		cols = rowColumns(pr.expected, pr.req.IncludeSimilarity)
	case env.hasProjection:
		cols = rowColumns(env.projectionSchema, pr.req.IncludeSimilarity)
	default:
		// status comes later: keep the documents until it does.
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		pr.raw = v.Clone()
		return nil
	}
	return pr.decodeRows(dec, env, cols)
}

// decodeRows streams one document or an array of them into rows.
func (pr *pageReader) decodeRows(dec *jsontext.Decoder, env *envelope, cols []typesmap.Column) error {
	pr.page.Columns = cols
	rd := pr.decoder(cols)
	n := len(cols)
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		return err
	case '{':
		return pr.decodeRow(dec, env, rd, n)
	case '[':
	default:
		return fmt.Errorf("documents is not an array")
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != ']' {
		if env.soft != nil {
			if err := dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		if err := pr.decodeRow(dec, env, rd, n); err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

func (pr *pageReader) decodeRow(dec *jsontext.Decoder, env *envelope, rd *typesmap.RowDecoder, n int) error {
	if dec.PeekKind() != '{' {
		return fmt.Errorf("document %d is not an object", pr.rows)
	}
	if pr.vals == nil {
		pr.vals = make([]any, 0, 50*n) // one server page
	}
	start := len(pr.vals)
	pr.vals = append(pr.vals, make([]any, n)...)
	depth := dec.StackDepth()
	err := rd.DecodeRow(dec, pr.vals[start:start+n])
	if err == nil {
		pr.rows++
		return nil
	}
	pr.vals = pr.vals[:start]
	var uc *typesmap.UnknownColumnError
	if !errors.As(err, &uc) {
		return fmt.Errorf("row %d: %w", pr.rows, err)
	}
	env.soft = &SchemaChangedError{UnknownColumn: uc.Name}
	// Finish the row so the rest of the envelope (status) can still be read.
	for dec.StackDepth() > depth {
		switch dec.PeekKind() {
		case '}', ']':
			_, err = dec.ReadToken()
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// finish completes the page after the whole envelope was read.
func (pr *pageReader) finish(cl *call, env *envelope) error {
	p := pr.page
	if p == nil {
		p = &Page{SortedRowCount: -1}
		pr.page = p
	}
	p.ProjectionSchema = env.projectionSchema
	p.Warnings = env.warnings
	if pr.expected != nil && env.hasProjection && env.soft == nil && !sameColumns(pr.expected, env.projectionSchema) {
		env.soft = &SchemaChangedError{}
	}
	if env.soft != nil {
		return env.soft
	}
	if pr.raw != nil {
		if !env.hasProjection {
			return badStatus(cl.Command, cl.Keyspace, cl.Table, errors.New("no status.projectionSchema to decode rows with"))
		}
		dec := getDecoder(bytes.NewReader(pr.raw))
		err := pr.decodeRows(dec, env, rowColumns(env.projectionSchema, pr.req.IncludeSimilarity))
		putDecoder(dec)
		if err != nil {
			return badStatus(cl.Command, cl.Keyspace, cl.Table, err)
		}
		if env.soft != nil {
			return env.soft
		}
	}
	if p.Columns == nil {
		if pr.expected != nil {
			p.Columns = rowColumns(pr.expected, pr.req.IncludeSimilarity)
		} else {
			p.Columns = rowColumns(env.projectionSchema, pr.req.IncludeSimilarity)
		}
	}
	n := len(p.Columns)
	p.Rows = make([][]any, pr.rows)
	for i := range p.Rows {
		p.Rows[i] = pr.vals[i*n : (i+1)*n : (i+1)*n]
	}
	var st struct {
		SortVector     json.RawMessage `json:"sortVector"`
		SortedRowCount *int            `json:"sortedRowCount"`
	}
	if err := env.parseStatus(cl, &st); err != nil {
		return err
	}
	if st.SortedRowCount != nil {
		p.SortedRowCount = *st.SortedRowCount
	}
	if len(st.SortVector) > 0 && string(st.SortVector) != "null" {
		v, err := decodeVector(st.SortVector)
		if err != nil {
			return badStatus(cl.Command, cl.Keyspace, cl.Table, fmt.Errorf("status.sortVector: %w", err))
		}
		p.SortVector = v
	}
	return nil
}

// decodeVector reads a float array or {"$binary": base64 of big-endian float32s}.
func decodeVector(raw json.RawMessage) ([]float32, error) {
	var f []float32
	if err := json.Unmarshal(raw, &f); err == nil {
		return f, nil
	}
	var b struct {
		Binary string `json:"$binary"`
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, err
	}
	bs, err := base64.StdEncoding.DecodeString(b.Binary)
	if err != nil || len(bs)%4 != 0 {
		return nil, errors.New("bad $binary vector")
	}
	f = make([]float32, len(bs)/4)
	for i := range f {
		f[i] = math.Float32frombits(binary.BigEndian.Uint32(bs[4*i:]))
	}
	return f, nil
}

// The real server's bounds on a find response (dataapi-spec.md 4.3, 8):
// a page holds at most serverPageRows rows, but a vector or BM25 sort (a
// top-K query) answers up to serverTopKRows in one response; one request,
// so one row written at once, is at most serverMaxRowBytes.
const (
	serverPageRows    = 50
	serverTopKRows    = 1000
	serverMaxRowBytes = 20 << 20
)

// findBodyLimit is the response size limit of a find: with the default
// limit, a sorted find (possibly a top-K search, answered in one response
// of up to min(limit, 1000) rows) may take as many of the largest rows as
// it can receive; 0 keeps the client's limit.
func (c *Client) findBodyLimit(r *FindRequest) int64 {
	if !c.defaultMaxBody || len(bytes.TrimSpace(r.Sort)) <= 2 { // none, or {}
		return 0
	}
	n := r.Limit
	if n <= 0 || n > serverTopKRows {
		n = serverTopKRows
	}
	if b := int64(n)*serverMaxRowBytes + 24<<20; b > c.maxBody {
		return b
	}
	return 0
}

// fetch sends one find (or findOne) and decodes the page.
func (c *Client) fetch(ctx context.Context, pr *pageReader, pageState string) (*Page, error) {
	body, err := pr.req.body(pageState, pr.one)
	if err != nil {
		return nil, err
	}
	command := "find"
	if pr.one {
		command = "findOne"
	}
	cl := c.newCall(command, pr.req.Keyspace, pr.req.Table, body)
	cl.begin = pr.begin
	cl.data = pr.data
	cl.maxBody = c.findBodyLimit(pr.req)
	// Keyed by the projection too: each projection has its own schema.
	key := pr.req.Keyspace + "/" + pr.req.Table + "\x00" + string(pr.req.Projection)
	if pr.schemas.cols == nil {
		if v, ok := c.projCache.Load(key); ok {
			pr.schemas = *v.(*schemaCache)
		}
	}
	before := pr.schemas.raw
	cl.schemas = &pr.schemas
	defer func() {
		if pr.schemas.cols != nil && (before == nil || !bytes.Equal(before, pr.schemas.raw)) {
			c.projCache.Store(key, &schemaCache{raw: pr.schemas.raw, cols: pr.schemas.cols})
		}
	}()
	cl.finish = func(env *envelope) error { return pr.finish(cl, env) }
	cl.rows = func(*envelope) int { return pr.rows }
	env, err := c.exec(ctx, cl)
	if err != nil {
		var sc *SchemaChangedError
		if errors.As(err, &sc) {
			sc.Command, sc.Keyspace, sc.Table, sc.Expected = cl.Command, cl.Keyspace, cl.Table, pr.expected
			if env != nil && env.hasProjection {
				sc.Server = env.projectionSchema
			}
		}
		return nil, err
	}
	return pr.page, nil
}

// FindPage sends one find (at r.PageState) and returns its page.
func (c *Client) FindPage(ctx context.Context, r FindRequest) (*Page, error) {
	pr := &pageReader{req: &r, expected: r.Columns}
	return c.fetch(ctx, pr, r.PageState)
}

// FindOneRequest is findOne.
type FindOneRequest struct {
	Keyspace          string
	Table             string
	Filter            json.RawMessage
	Sort              json.RawMessage
	Projection        json.RawMessage
	IncludeSimilarity bool
	IncludeSortVector bool
	// Columns: as FindRequest.Columns.
	Columns []typesmap.Column
}

// FindOneResult holds the row found, or a nil Row.
type FindOneResult struct {
	Columns          []typesmap.Column
	Row              []any
	ProjectionSchema []typesmap.Column
	Warnings         []Warning
	SortVector       []float32
}

// FindOne reads at most one row.
func (c *Client) FindOne(ctx context.Context, r FindOneRequest) (*FindOneResult, error) {
	fr := FindRequest{Keyspace: r.Keyspace, Table: r.Table, Filter: r.Filter, Sort: r.Sort, Projection: r.Projection,
		IncludeSimilarity: r.IncludeSimilarity, IncludeSortVector: r.IncludeSortVector, Columns: r.Columns}
	pr := &pageReader{req: &fr, expected: r.Columns, one: true}
	p, err := c.fetch(ctx, pr, "")
	if err != nil {
		return nil, err
	}
	res := &FindOneResult{Columns: p.Columns, ProjectionSchema: p.ProjectionSchema, Warnings: p.Warnings, SortVector: p.SortVector}
	if len(p.Rows) > 0 {
		res.Row = p.Rows[0]
	}
	return res, nil
}

// Cursor iterates over the rows of a find, page after page. While the caller
// reads a page, the next one is fetched in the background (never more than
// one page ahead). A Cursor is not safe for concurrent use. Close it (or read
// to the end) to stop the prefetch; Close waits for it to end.
type Cursor struct {
	c      *Client
	pr     *pageReader
	ctx    context.Context
	cancel context.CancelFunc
	first  *Page
	page   *Page
	i      int
	row    []any
	next   chan pageResult // the page being prefetched, nil if none
	wg     sync.WaitGroup
	err    error
	closed bool
	warns  []Warning
	pages  int
}

type pageResult struct {
	p   *Page
	err error
}

// Find sends the first find request and returns a cursor over all pages.
// Errors of the first page (API errors, schema changes, HTTP failures) are
// returned here; later ones by Cursor.Err. ctx governs every page.
func (c *Client) Find(ctx context.Context, r FindRequest) (*Cursor, error) {
	cctx, cancel := context.WithCancel(ctx)
	pr := &pageReader{req: &r, expected: r.Columns}
	p, err := c.fetch(cctx, pr, r.PageState)
	if err != nil {
		cancel()
		return nil, err
	}
	if pr.expected == nil {
		// Later pages must have the first page's columns.
		pr.expected = p.ProjectionSchema
		if pr.expected == nil {
			pr.expected = []typesmap.Column{}
		}
	}
	cur := &Cursor{c: c, pr: pr, ctx: cctx, cancel: cancel, first: p, page: p, pages: 1}
	cur.addWarnings(p.Warnings)
	cur.prefetch()
	return cur, nil
}

// addWarnings keeps the warnings not already kept: the server repeats the
// same ones on every page of a scan.
func (cur *Cursor) addWarnings(ws []Warning) {
next:
	for _, w := range ws {
		for _, k := range cur.warns {
			if k.ErrorCode == w.ErrorCode && k.Message == w.Message {
				continue next
			}
		}
		cur.warns = append(cur.warns, w)
	}
}

func (cur *Cursor) prefetch() {
	state := cur.page.NextPageState
	if state == "" {
		cur.cancel() // nothing more to fetch; release the context
		return
	}
	ch := make(chan pageResult, 1)
	cur.next = ch
	cur.wg.Add(1)
	go func() {
		defer cur.wg.Done()
		p, err := cur.c.fetch(cur.ctx, cur.pr, state)
		ch <- pageResult{p, err}
	}()
}

// Next advances to the next row, waiting for the next page if needed. It
// returns false at the end, on error (see Err) or after Close.
func (cur *Cursor) Next() bool {
	if cur.closed || cur.err != nil {
		return false
	}
	for cur.i >= len(cur.page.Rows) {
		if cur.next == nil {
			cur.row = nil
			return false
		}
		res := <-cur.next // fetch honours ctx, so this ends promptly on cancel
		cur.next = nil
		if res.err != nil {
			cur.err = res.err
			cur.row = nil
			cur.cancel()
			return false
		}
		cur.page, cur.i = res.p, 0
		cur.pages++
		cur.addWarnings(res.p.Warnings)
		cur.prefetch()
	}
	cur.row = cur.page.Rows[cur.i]
	cur.i++
	return true
}

// Row returns the current row's values in Columns order. The cursor never
// reuses a row's slice: the caller may keep it (and change it) without
// copying.
func (cur *Cursor) Row() []any { return cur.row }

// Columns returns the columns of each row (the expected columns, or the
// first page's projectionSchema; plus $similarity when asked for).
func (cur *Cursor) Columns() []typesmap.Column { return cur.first.Columns }

// ProjectionSchema returns the server's projectionSchema of the first page.
func (cur *Cursor) ProjectionSchema() []typesmap.Column { return cur.first.ProjectionSchema }

// Warnings returns the warnings of all pages received so far.
func (cur *Cursor) Warnings() []Warning { return cur.warns }

// SortVector returns status.sortVector of the first page, if any.
func (cur *Cursor) SortVector() []float32 { return cur.first.SortVector }

// SortedRowCount returns status.sortedRowCount of the first page, -1 if absent.
func (cur *Cursor) SortedRowCount() int { return cur.first.SortedRowCount }

// PageState returns the state of the page after the current one ("" if it is
// the last), to resume a scan later with FindRequest.PageState.
func (cur *Cursor) PageState() string { return cur.page.NextPageState }

// Pages returns how many pages were received so far.
func (cur *Cursor) Pages() int { return cur.pages }

// Err returns the error that ended iteration, if any.
func (cur *Cursor) Err() error { return cur.err }

// Close stops the prefetch and waits for it to end. It is safe to call twice.
func (cur *Cursor) Close() error {
	if cur.closed {
		return nil
	}
	cur.closed = true
	cur.cancel()
	cur.wg.Wait()
	cur.next = nil
	cur.row = nil
	return nil
}
