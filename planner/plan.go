package planner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
)

// Row is one row flowing through client-side steps, values as typesmap
// decodes them (string, int64, *big.Int, time.Time, typesmap.Vector, ...).
type Row []any

// RowIter streams rows. Next returns io.EOF after the last row. Close may be
// called at any time, more than once.
type RowIter interface {
	Next() (Row, error)
	Close() error
}

// Step is one stage of a plan: a Data API command or a client-side
// operation. Explain says what it is for EXPLAIN: kind is short ("find",
// "filter", "sort", ...), detail is the command JSON or a description.
type Step interface {
	Explain() (kind, detail string)
}

// Runnable is the first step of a plan: it sends commands through an
// Executor. params holds the checked arguments by ordinal-1.
type Runnable interface {
	Step
	Run(ctx context.Context, ex Executor, b *Binding) (*Result, error)
}

// RowOp is a client-side step over the rows of the step before it.
type RowOp interface {
	Step
	// Open wraps in. b gives the statement's arguments (for residual
	// predicates that use placeholders).
	Open(in RowIter, b *Binding) (RowIter, error)
}

// Result is what running a plan's first step yields.
type Result struct {
	// Rows for queries (nil for statements that return none).
	Rows RowIter
	// RowsAffected for writes; Unknown when the server does not say (deleteMany).
	RowsAffected int64
	Unknown      bool
	// SchemaChanged tells the driver to refresh its schema cache (DDL ran).
	SchemaChanged bool
}

// Executor sends commands; the driver implements it over the dataapi client.
// The planner itself does no I/O.
type Executor interface {
	// Read runs find (paged: later pages are fetched while the caller reads)
	// or findOne, decoding rows with c.Columns in that order.
	Read(ctx context.Context, c *Command) (RowIter, error)
	// InsertMany inserts c.Documents (any number, chunked and sent
	// concurrently by the executor) and returns how many were written; on
	// failure the error should say which rows were written (see InsertError).
	InsertMany(ctx context.Context, c *Command) (int64, error)
	// Do runs any other command and returns the response's status object.
	Do(ctx context.Context, c *Command) (json.RawMessage, error)
}

// Command is one Data API command, its JSON parts pre-encoded.
type Command struct {
	// Name is the command: find, findOne, insertMany, updateOne, deleteOne,
	// deleteMany, or any other (then Body holds its whole object).
	Name string
	// Keyspace and Table address it: Table "" for keyspace-level commands,
	// Keyspace "" too for database-level ones.
	Keyspace, Table string

	Filter, Sort, Projection, Update json.RawMessage
	// Limit is options.limit (0: none).
	Limit int
	// IncludeSimilarity asks for $similarity with a vector sort.
	IncludeSimilarity bool
	// Documents are insertMany's rows.
	Documents []json.RawMessage
	// Keys, when set, identify each document's primary key (equal strings:
	// the same row): a key repeated in one INSERT must end with the last
	// of its rows' values, as if the rows ran in order.
	Keys []string
	// Columns are the expected row columns of a read, in row order
	// ("$similarity" last when asked for).
	Columns []typesmap.Column
	// Body is the command object for commands other than the DML above.
	Body json.RawMessage
}

// JSON renders the command as it is sent: {"find":{...}}. When abbreviate
// is set (EXPLAIN), documents past the third and long $binary values
// (vectors, blobs) are cut for readability.
func (c *Command) JSON(abbreviate bool) string {
	s := c.json(abbreviate)
	if abbreviate {
		s = abbreviateBinary(s)
	}
	return s
}

// longBinary matches a $binary value of more than 8 float32s' worth of base64.
var longBinary = regexp.MustCompile(`\{"\$binary":"([A-Za-z0-9+/]{44,}={0,2})"\}`)

// abbreviateBinary keeps the first 16 base64 characters of each long
// $binary value and says how many bytes it holds (4 per vector element).
func abbreviateBinary(s string) string {
	return longBinary.ReplaceAllStringFunc(s, func(m string) string {
		b64 := longBinary.FindStringSubmatch(m)[1]
		n := len(b64) / 4 * 3
		n -= strings.Count(b64[len(b64)-2:], "=")
		return fmt.Sprintf(`{"$binary":"%s... (%d bytes)"}`, b64[:16], n)
	})
}

func (c *Command) json(abbreviate bool) string {
	var b bytes.Buffer
	b.WriteString(`{`)
	writeJSONString(&b, c.Name)
	b.WriteString(`:`)
	if c.Body != nil {
		b.Write(c.Body)
		b.WriteString(`}`)
		return b.String()
	}
	b.WriteString(`{`)
	n := 0
	field := func(name string, v []byte) {
		if v == nil {
			return
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		writeJSONString(&b, name)
		b.WriteByte(':')
		b.Write(v)
	}
	field("filter", c.Filter)
	field("sort", c.Sort)
	field("projection", c.Projection)
	field("update", c.Update)
	if c.Documents != nil {
		var d bytes.Buffer
		d.WriteByte('[')
		for i, doc := range c.Documents {
			if abbreviate && i == 3 && len(c.Documents) > 4 {
				fmt.Fprintf(&d, `,"... %d more rows"`, len(c.Documents)-3)
				break
			}
			if i > 0 {
				d.WriteByte(',')
			}
			d.Write(doc)
		}
		d.WriteByte(']')
		field("documents", d.Bytes())
	}
	var opts []string
	if c.Limit > 0 {
		opts = append(opts, fmt.Sprintf(`"limit":%d`, c.Limit))
	}
	if c.IncludeSimilarity {
		opts = append(opts, `"includeSimilarity":true`)
	}
	if c.Name == "insertMany" {
		opts = append(opts, `"ordered":false`)
	}
	if len(opts) > 0 {
		field("options", []byte("{"+strings.Join(opts, ",")+"}"))
	}
	b.WriteString(`}}`)
	return b.String()
}

func writeJSONString(b *bytes.Buffer, s string) {
	j, _ := json.Marshal(s)
	b.Write(j)
}

// ResultColumn describes one result column.
type ResultColumn struct {
	Name string
	// Type is the column type; Kind "" when computed by the driver with no
	// known type.
	Type typesmap.Type
	// Nullable is false only for primary key columns read from the table.
	Nullable bool
}

// Plan is what a statement becomes: data, printable, reusable with
// different arguments. Plans are safe for concurrent use.
type Plan struct {
	Statement *Statement
	// Keyspace and Table the statement addresses ("" for database-level).
	Keyspace, Table string
	// Query is true for statements that return rows.
	Query bool
	// Columns are the result columns of a query.
	Columns []ResultColumn
	// Steps run in order: Steps[0] is Runnable, the rest are RowOps.
	Steps []Step
	// SchemaChange is set for DDL: the driver refreshes its schema after.
	SchemaChange bool
	// unkeyed is UnkeyedWrite's answer (safe.go).
	unkeyed string
}

// NumInput is the number of arguments the plan takes.
func (p *Plan) NumInput() int { return len(p.Statement.Params) }

// Run binds args (checked against column types before anything is sent),
// runs the first step through ex and stacks the client-side steps on its rows.
func (p *Plan) Run(ctx context.Context, ex Executor, args []Arg) (*Result, error) {
	b, err := p.Statement.bind(args, false)
	if err != nil {
		return nil, err
	}
	if len(p.Steps) == 0 {
		return nil, fmt.Errorf("astrasql: empty plan")
	}
	first, ok := p.Steps[0].(Runnable)
	if !ok {
		return nil, fmt.Errorf("astrasql: plan step %T cannot run", p.Steps[0])
	}
	res, err := first.Run(ctx, ex, b)
	if err != nil {
		return nil, err
	}
	if res.Rows == nil {
		return res, nil
	}
	for _, s := range p.Steps[1:] {
		op, ok := s.(RowOp)
		if !ok {
			res.Rows.Close()
			return nil, fmt.Errorf("astrasql: plan step %T is not a row operation", s)
		}
		it, err := op.Open(res.Rows, b)
		if err != nil {
			res.Rows.Close()
			return nil, err
		}
		res.Rows = it
	}
	return res, nil
}

// ExplainColumns are the columns of EXPLAIN's result.
var ExplainColumns = []ResultColumn{
	{Name: "step", Type: typesmap.Of(typesmap.BigInt)},
	{Name: "kind", Type: typesmap.Of(typesmap.Text)},
	{Name: "detail", Type: typesmap.Of(typesmap.Text)},
}

// ExplainRows renders the plan: one row per step (step number, kind,
// detail). Arguments, when given, are bound into the command JSON; missing
// ones are shown as their placeholders.
func (p *Plan) ExplainRows(args []Arg) ([]Row, error) { return p.ExplainRowsFor(nil, args) }

// ExplainRowsFor is ExplainRows as ex would run the plan: the concurrency
// of per-row writes it states is ex's WriteConcurrency(), when it has one.
func (p *Plan) ExplainRowsFor(ex Executor, args []Arg) ([]Row, error) {
	b, err := p.Statement.bind(args, true)
	if err != nil {
		return nil, err
	}
	b.workers = writeWorkers(ex)
	var rows []Row
	for _, s := range p.Steps {
		if ms, ok := s.(multiExplainer); ok {
			for _, kd := range ms.explainSteps(b) {
				rows = append(rows, Row{int64(len(rows) + 1), kd[0], kd[1]})
			}
			continue
		}
		var kind, detail string
		if be, ok := s.(boundExplainer); ok {
			kind, detail = be.explainBound(b)
		} else {
			kind, detail = s.Explain()
		}
		rows = append(rows, Row{int64(len(rows) + 1), kind, detail})
	}
	return rows, nil
}

// boundExplainer is implemented by steps whose EXPLAIN shows bound values.
type boundExplainer interface {
	explainBound(b *Binding) (kind, detail string)
}

// multiExplainer is implemented by steps that run several commands (keys
// then one write per row): one EXPLAIN row each.
type multiExplainer interface {
	explainSteps(b *Binding) [][2]string
}

// String renders the plan as EXPLAIN does, one step per line.
func (p *Plan) String() string {
	rows, err := p.ExplainRows(nil)
	if err != nil {
		return err.Error()
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%d. %s %s\n", r[0], r[1], r[2])
	}
	return b.String()
}

// sliceIter iterates over rows held in memory.
type sliceIter struct {
	rows []Row
	i    int
}

// NewSliceIter returns a RowIter over rows.
func NewSliceIter(rows []Row) RowIter { return &sliceIter{rows: rows} }

func (s *sliceIter) Next() (Row, error) {
	if s.i >= len(s.rows) {
		return nil, io.EOF
	}
	s.i++
	return s.rows[s.i-1], nil
}

func (s *sliceIter) Close() error { s.i = len(s.rows); return nil }

// SortKey is one key of a client-side sort: a column index of the input
// row and its direction.
type SortKey struct {
	Col  int
	Desc bool
}
