package dataapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/astrasql/astrasql/typesmap"
)

// databaseCommands are sent to the database level ({base}/v1 path, no keyspace).
var databaseCommands = map[string]bool{
	"createKeyspace": true, "dropKeyspace": true, "findKeyspaces": true,
	"findEmbeddingProviders": true, "findRerankingProviders": true,
	"createNamespace": true, "dropNamespace": true, "findNamespaces": true,
}

// newCall prepares command with its own object body (nil means {}). For
// database-level commands keyspace and table only name the target in errors.
func (c *Client) newCall(command, keyspace, table string, body []byte) *call {
	if keyspace == "" && !databaseCommands[command] {
		keyspace = c.keyspace
	}
	if len(body) == 0 {
		body = []byte("{}")
	}
	cl := &call{target: target{Command: command, Keyspace: keyspace, Table: table}}
	if databaseCommands[command] {
		cl.url = c.url("", "")
	} else {
		cl.url = c.url(keyspace, table)
	}
	name, _ := json.Marshal(command)
	b := make([]byte, 0, len(body)+len(name)+3)
	b = append(b, '{')
	b = append(b, name...)
	b = append(b, ':')
	b = append(b, body...)
	b = append(b, '}')
	cl.body = b
	cl.repeatable = Repeatable(command, body)
	return cl
}

// Response is a command's decoded envelope as Do returns it.
type Response struct {
	HTTPStatus int
	// Status is the raw "status" object (nil if absent).
	Status json.RawMessage
	// Data is the raw "data" object (nil if absent).
	Data json.RawMessage
	// Errors are the response's error objects.
	Errors []*APIError
	// Warnings are status.warnings.
	Warnings []Warning
}

// Do sends any command: {"<command>": body}. It goes to the database level
// for keyspace commands (createKeyspace, findKeyspaces, ...), else to the
// keyspace (default: the client's) or, when table is set, to the table. body
// must be a JSON object or empty. It retries only if Repeatable says so. The
// Response is returned whenever one was received, also along with a
// *ResponseError when it carried errors.
func (c *Client) Do(ctx context.Context, keyspace, table, command string, body json.RawMessage) (*Response, error) {
	if command == "" {
		return nil, errors.New("dataapi: Do: empty command name")
	}
	body = bytes.TrimSpace(body)
	if len(body) > 0 && (body[0] != '{' || !json.Valid(body)) {
		return nil, fmt.Errorf("dataapi: Do %s: body is not a JSON object", command)
	}
	cl := c.newCall(command, keyspace, table, body)
	env, err := c.exec(ctx, cl)
	if env == nil {
		return nil, err
	}
	return &Response{HTTPStatus: env.httpStatus, Status: json.RawMessage(env.status), Data: json.RawMessage(env.data),
		Errors: env.errors, Warnings: env.warnings}, err
}

// simple sends a command whose answer is only status (DDL and the like) and
// decodes status into out (may be nil).
func (c *Client) simple(ctx context.Context, command, keyspace, table string, body any, out any) ([]Warning, error) {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("dataapi: %s: encoding request: %w", command, err)
		}
	}
	cl := c.newCall(command, keyspace, table, raw)
	env, err := c.exec(ctx, cl)
	if err != nil {
		return warningsOf(env), err
	}
	if out != nil {
		if err := env.parseStatus(cl, out); err != nil {
			return env.warnings, err
		}
	}
	return env.warnings, nil
}

func warningsOf(env *envelope) []Warning {
	if env == nil {
		return nil
	}
	return env.warnings
}

// Result is the outcome of a command that returns nothing but warnings (DDL).
type Result struct {
	Warnings []Warning
}

type ifNotExists struct {
	IfNotExists bool `json:"ifNotExists,omitempty"`
}

// ifNotExistsOpt is the options of a create command: nil unless set.
func ifNotExistsOpt(set bool) *ifNotExists {
	if !set {
		return nil
	}
	return &ifNotExists{true}
}

type ifExists struct {
	IfExists bool `json:"ifExists,omitempty"`
}

// CreateTableRequest is createTable. Definition.Name is ignored.
type CreateTableRequest struct {
	Keyspace    string
	Name        string
	Definition  typesmap.TableDef
	IfNotExists bool
}

// CreateTable creates a table.
func (c *Client) CreateTable(ctx context.Context, r CreateTableRequest) (*Result, error) {
	body := struct {
		Name       string            `json:"name"`
		Definition typesmap.TableDef `json:"definition"`
		Options    *ifNotExists      `json:"options,omitempty"`
	}{Name: r.Name, Definition: r.Definition, Options: ifNotExistsOpt(r.IfNotExists)}
	w, err := c.simple(ctx, "createTable", r.Keyspace, "", body, nil)
	return &Result{Warnings: w}, err
}

// DropTableRequest is dropTable.
type DropTableRequest struct {
	Keyspace string
	Name     string
	IfExists bool
}

// DropTable drops a table.
func (c *Client) DropTable(ctx context.Context, r DropTableRequest) (*Result, error) {
	w, err := c.simple(ctx, "dropTable", r.Keyspace, "", nameBody(r.Name, r.IfExists), nil)
	return &Result{Warnings: w}, err
}

func nameBody(name string, exists bool) any {
	b := struct {
		Name    string    `json:"name"`
		Options *ifExists `json:"options,omitempty"`
	}{Name: name}
	if exists {
		b.Options = &ifExists{true}
	}
	return b
}

// VectorizeColumn pairs a vector column with its embedding service.
type VectorizeColumn struct {
	Column  string
	Service typesmap.VectorizeService
}

// AlterTableRequest is alterTable; exactly one of the operations must be set.
type AlterTableRequest struct {
	Keyspace      string
	Table         string
	AddColumns    []typesmap.Column
	DropColumns   []string
	AddVectorize  []VectorizeColumn
	DropVectorize []string
}

// AlterTable adds or drops columns, or adds or drops vectorize services.
func (c *Client) AlterTable(ctx context.Context, r AlterTableRequest) (*Result, error) {
	n := 0
	for _, l := range []int{len(r.AddColumns), len(r.DropColumns), len(r.AddVectorize), len(r.DropVectorize)} {
		if l > 0 {
			n++
		}
	}
	if n != 1 {
		return nil, fmt.Errorf("dataapi: alterTable %s: exactly one operation (add, drop, addVectorize, dropVectorize) is needed, got %d", r.Table, n)
	}
	var op bytes.Buffer
	op.WriteString(`{"operation":{`)
	switch {
	case len(r.AddColumns) > 0:
		cols, err := typesmap.EncodeColumns(r.AddColumns)
		if err != nil {
			return nil, fmt.Errorf("dataapi: alterTable %s: %w", r.Table, err)
		}
		op.WriteString(`"add":{"columns":`)
		op.Write(cols)
	case len(r.DropColumns) > 0:
		op.WriteString(`"drop":{"columns":`)
		b, _ := json.Marshal(r.DropColumns)
		op.Write(b)
	case len(r.AddVectorize) > 0:
		op.WriteString(`"addVectorize":{"columns":{`)
		for i, v := range r.AddVectorize {
			if i > 0 {
				op.WriteByte(',')
			}
			k, _ := json.Marshal(v.Column)
			s, err := json.Marshal(v.Service)
			if err != nil {
				return nil, fmt.Errorf("dataapi: alterTable %s: %w", r.Table, err)
			}
			op.Write(k)
			op.WriteByte(':')
			op.Write(s)
		}
		op.WriteByte('}')
	default:
		op.WriteString(`"dropVectorize":{"columns":`)
		b, _ := json.Marshal(r.DropVectorize)
		op.Write(b)
	}
	op.WriteString(`}}}`)
	w, err := c.simple(ctx, "alterTable", r.Keyspace, r.Table, json.RawMessage(op.Bytes()), nil)
	return &Result{Warnings: w}, err
}

// ListTablesRequest is listTables; Explain asks for definitions.
type ListTablesRequest struct {
	Keyspace string
	Explain  bool
}

// ListTablesResult lists tables: Names always, Tables (with Name set) when explained.
type ListTablesResult struct {
	Names    []string
	Tables   []typesmap.TableDef
	Warnings []Warning
}

type explainOpt struct {
	Options struct {
		Explain bool `json:"explain"`
	} `json:"options"`
}

func explainBody(explain bool) any {
	var b explainOpt
	b.Options.Explain = explain
	return b
}

// ListTables lists the tables of a keyspace (collections are not listed).
func (c *Client) ListTables(ctx context.Context, r ListTablesRequest) (*ListTablesResult, error) {
	var st struct {
		Tables json.RawMessage `json:"tables"`
	}
	w, err := c.simple(ctx, "listTables", r.Keyspace, "", explainBody(r.Explain), &st)
	res := &ListTablesResult{Warnings: w}
	if err != nil {
		return res, err
	}
	type item struct {
		Name       string            `json:"name"`
		Definition typesmap.TableDef `json:"definition"`
	}
	var items []item
	if err := listOf(st.Tables, r.Explain, &res.Names, &items, func(it item) string { return it.Name }); err != nil {
		return res, badStatus("listTables", r.Keyspace, "", err)
	}
	for _, it := range items {
		d := it.Definition
		d.Name = it.Name
		res.Tables = append(res.Tables, d)
	}
	return res, nil
}

// listOf reads the status list of listTables, listIndexes or listTypes:
// the names into names, or when explained the definitions into defs and
// their names (name gives one's) into names.
func listOf[T any](raw json.RawMessage, explain bool, names *[]string, defs *[]T, name func(T) string) error {
	if !explain {
		return unmarshalList(raw, names)
	}
	if err := unmarshalList(raw, defs); err != nil {
		return err
	}
	for _, d := range *defs {
		*names = append(*names, name(d))
	}
	return nil
}

func unmarshalList(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return json.Unmarshal(raw, v)
}

func badStatus(command, ks, table string, err error) error {
	return &BadResponseError{Command: command, Keyspace: ks, Table: table, HTTPStatus: 200, Err: err}
}

// TextAnalysis are the text options of a regular index on text or ascii
// values; nil fields are left to the server (ascii false, caseSensitive true,
// normalize false).
type TextAnalysis struct {
	ASCII         *bool `json:"ascii,omitempty"`
	CaseSensitive *bool `json:"caseSensitive,omitempty"`
	Normalize     *bool `json:"normalize,omitempty"`
}

// CreateIndexRequest is createIndex (a regular SAI index).
type CreateIndexRequest struct {
	Keyspace string
	Table    string
	Name     string
	Column   string
	// Function is "" (a scalar column, list/set values, or map entries),
	// "keys" or "values" (map keys or values; "values" also for list/set).
	Function    string
	Options     *TextAnalysis
	IfNotExists bool
}

// CreateIndex creates a regular index.
func (c *Client) CreateIndex(ctx context.Context, r CreateIndexRequest) (*Result, error) {
	var col any = r.Column
	switch r.Function {
	case "", "entries":
	case "keys", "values":
		col = map[string]string{r.Column: "$" + r.Function}
	default:
		return nil, fmt.Errorf("dataapi: createIndex %s: unknown index function %q (want keys, values or entries)", r.Name, r.Function)
	}
	body := struct {
		Name       string `json:"name"`
		Definition struct {
			Column  any           `json:"column"`
			Options *TextAnalysis `json:"options,omitempty"`
		} `json:"definition"`
		Options *ifNotExists `json:"options,omitempty"`
	}{Name: r.Name, Options: ifNotExistsOpt(r.IfNotExists)}
	body.Definition.Column = col
	body.Definition.Options = r.Options
	w, err := c.simple(ctx, "createIndex", r.Keyspace, r.Table, body, nil)
	return &Result{Warnings: w}, err
}

// CreateVectorIndexRequest is createVectorIndex. Metric is "cosine",
// "dot_product" or "euclidean"; SourceModel e.g. "openai-v3-small" or "other".
// Empty values are left to the server.
type CreateVectorIndexRequest struct {
	Keyspace    string
	Table       string
	Name        string
	Column      string
	Metric      string
	SourceModel string
	IfNotExists bool
}

// CreateVectorIndex creates a vector index.
func (c *Client) CreateVectorIndex(ctx context.Context, r CreateVectorIndexRequest) (*Result, error) {
	type opts struct {
		Metric      string `json:"metric,omitempty"`
		SourceModel string `json:"sourceModel,omitempty"`
	}
	body := struct {
		Name       string `json:"name"`
		Definition struct {
			Column  string `json:"column"`
			Options *opts  `json:"options,omitempty"`
		} `json:"definition"`
		Options *ifNotExists `json:"options,omitempty"`
	}{Name: r.Name, Options: ifNotExistsOpt(r.IfNotExists)}
	body.Definition.Column = r.Column
	if r.Metric != "" || r.SourceModel != "" {
		body.Definition.Options = &opts{r.Metric, r.SourceModel}
	}
	w, err := c.simple(ctx, "createVectorIndex", r.Keyspace, r.Table, body, nil)
	return &Result{Warnings: w}, err
}

// CreateTextIndexRequest is createTextIndex (a lexical/BM25 index on a text
// or ascii column). Analyzer is a JSON string ("standard", "english") or
// object ({"tokenizer":{"name":"standard"},"filters":[...]}); nil leaves the
// server's default.
type CreateTextIndexRequest struct {
	Keyspace    string
	Table       string
	Name        string
	Column      string
	Analyzer    json.RawMessage
	IfNotExists bool
}

// CreateTextIndex creates a text index.
func (c *Client) CreateTextIndex(ctx context.Context, r CreateTextIndexRequest) (*Result, error) {
	type opts struct {
		Analyzer json.RawMessage `json:"analyzer"`
	}
	body := struct {
		Name       string `json:"name"`
		Definition struct {
			Column  string `json:"column"`
			Options *opts  `json:"options,omitempty"`
		} `json:"definition"`
		Options *ifNotExists `json:"options,omitempty"`
	}{Name: r.Name, Options: ifNotExistsOpt(r.IfNotExists)}
	body.Definition.Column = r.Column
	if len(r.Analyzer) > 0 {
		body.Definition.Options = &opts{r.Analyzer}
	}
	w, err := c.simple(ctx, "createTextIndex", r.Keyspace, r.Table, body, nil)
	return &Result{Warnings: w}, err
}

// ListIndexesRequest is listIndexes of one table.
type ListIndexesRequest struct {
	Keyspace string
	Table    string
	Explain  bool
}

// ListIndexesResult lists indexes: Names always, Indexes when explained.
type ListIndexesResult struct {
	Names    []string
	Indexes  []typesmap.IndexDef
	Warnings []Warning
}

// ListIndexes lists the indexes of a table.
func (c *Client) ListIndexes(ctx context.Context, r ListIndexesRequest) (*ListIndexesResult, error) {
	var st struct {
		Indexes json.RawMessage `json:"indexes"`
	}
	w, err := c.simple(ctx, "listIndexes", r.Keyspace, r.Table, explainBody(r.Explain), &st)
	res := &ListIndexesResult{Warnings: w}
	if err != nil {
		return res, err
	}
	if err := listOf(st.Indexes, r.Explain, &res.Names, &res.Indexes, func(ix typesmap.IndexDef) string { return ix.Name }); err != nil {
		return res, badStatus("listIndexes", r.Keyspace, r.Table, err)
	}
	return res, nil
}

// DropIndexRequest is dropIndex (index names are keyspace-wide).
type DropIndexRequest struct {
	Keyspace string
	Name     string
	IfExists bool
}

// DropIndex drops an index.
func (c *Client) DropIndex(ctx context.Context, r DropIndexRequest) (*Result, error) {
	w, err := c.simple(ctx, "dropIndex", r.Keyspace, "", nameBody(r.Name, r.IfExists), nil)
	return &Result{Warnings: w}, err
}

// CreateTypeRequest is createType (a user-defined type).
type CreateTypeRequest struct {
	Keyspace    string
	Name        string
	Fields      []typesmap.Column
	IfNotExists bool
}

// CreateType creates a user-defined type.
func (c *Client) CreateType(ctx context.Context, r CreateTypeRequest) (*Result, error) {
	fields, err := typesmap.EncodeColumns(r.Fields)
	if err != nil {
		return nil, fmt.Errorf("dataapi: createType %s: %w", r.Name, err)
	}
	body := struct {
		Name       string `json:"name"`
		Definition struct {
			Fields json.RawMessage `json:"fields"`
		} `json:"definition"`
		Options *ifNotExists `json:"options,omitempty"`
	}{Name: r.Name, Options: ifNotExistsOpt(r.IfNotExists)}
	body.Definition.Fields = fields
	w, err := c.simple(ctx, "createType", r.Keyspace, "", body, nil)
	return &Result{Warnings: w}, err
}

// ListTypesRequest is listTypes.
type ListTypesRequest struct {
	Keyspace string
	Explain  bool
}

// ListTypesResult lists user-defined types: Names always, Types (UDTName and
// Fields set) when explained.
type ListTypesResult struct {
	Names    []string
	Types    []typesmap.Type
	Warnings []Warning
}

// ListTypes lists the user-defined types of a keyspace.
func (c *Client) ListTypes(ctx context.Context, r ListTypesRequest) (*ListTypesResult, error) {
	var st struct {
		Types json.RawMessage `json:"types"`
	}
	w, err := c.simple(ctx, "listTypes", r.Keyspace, "", explainBody(r.Explain), &st)
	res := &ListTypesResult{Warnings: w}
	if err != nil {
		return res, err
	}
	if err := listOf(st.Types, r.Explain, &res.Names, &res.Types, func(t typesmap.Type) string { return t.UDTName }); err != nil {
		return res, badStatus("listTypes", r.Keyspace, "", err)
	}
	return res, nil
}

// DropTypeRequest is dropType.
type DropTypeRequest struct {
	Keyspace string
	Name     string
	IfExists bool
}

// DropType drops a user-defined type.
func (c *Client) DropType(ctx context.Context, r DropTypeRequest) (*Result, error) {
	w, err := c.simple(ctx, "dropType", r.Keyspace, "", nameBody(r.Name, r.IfExists), nil)
	return &Result{Warnings: w}, err
}

// CreateKeyspaceRequest is createKeyspace. Replication is e.g.
// {"class": "SimpleStrategy", "replication_factor": 1}; nil leaves it to the server.
// (On Astra, keyspaces are normally managed with the DevOps API.)
type CreateKeyspaceRequest struct {
	Name        string
	Replication map[string]any
}

// CreateKeyspace creates a keyspace.
func (c *Client) CreateKeyspace(ctx context.Context, r CreateKeyspaceRequest) (*Result, error) {
	body := struct {
		Name    string `json:"name"`
		Options *struct {
			Replication map[string]any `json:"replication"`
		} `json:"options,omitempty"`
	}{Name: r.Name}
	if r.Replication != nil {
		body.Options = &struct {
			Replication map[string]any `json:"replication"`
		}{r.Replication}
	}
	w, err := c.simple(ctx, "createKeyspace", r.Name, "", body, nil)
	return &Result{Warnings: w}, err
}

// FindKeyspaces lists the keyspaces (system keyspaces included).
func (c *Client) FindKeyspaces(ctx context.Context) ([]string, error) {
	var st struct {
		Keyspaces []string `json:"keyspaces"`
	}
	_, err := c.simple(ctx, "findKeyspaces", "", "", nil, &st)
	return st.Keyspaces, err
}

// DropKeyspace drops a keyspace and everything in it.
func (c *Client) DropKeyspace(ctx context.Context, name string) (*Result, error) {
	w, err := c.simple(ctx, "dropKeyspace", name, "", struct {
		Name string `json:"name"`
	}{name}, nil)
	return &Result{Warnings: w}, err
}

// InsertOneRequest is insertOne of one row (a JSON object, wire-encoded).
type InsertOneRequest struct {
	Keyspace string
	Table    string
	Row      json.RawMessage
}

// InsertOneResult gives the inserted row's primary key.
type InsertOneResult struct {
	// PrimaryKey holds the key values in primary key order, decoded with
	// PrimaryKeySchema (a value the decoder refuses is kept as json.RawMessage).
	PrimaryKey       []any
	PrimaryKeySchema []typesmap.Column
	Warnings         []Warning
}

// InsertOne inserts (upserts) one row.
func (c *Client) InsertOne(ctx context.Context, r InsertOneRequest) (*InsertOneResult, error) {
	row := bytes.TrimSpace(r.Row)
	if len(row) == 0 || row[0] != '{' {
		return nil, fmt.Errorf("dataapi: insertOne %s: row is not a JSON object", r.Table)
	}
	body := make([]byte, 0, len(row)+14)
	body = append(body, `{"document":`...)
	body = append(body, row...)
	body = append(body, '}')
	cl := c.newCall("insertOne", r.Keyspace, r.Table, body)
	cl.rows = func(*envelope) int { return 1 }
	env, err := c.exec(ctx, cl)
	res := &InsertOneResult{Warnings: warningsOf(env)}
	if err != nil {
		return res, err
	}
	st, err := parseInsertStatus(env.status)
	if err != nil {
		return res, badStatus(cl.Command, cl.Keyspace, cl.Table, err)
	}
	res.PrimaryKeySchema = st.PrimaryKeySchema
	if len(st.InsertedIDs) > 0 {
		res.PrimaryKey = st.InsertedIDs[0]
	}
	return res, nil
}

// UpdateOneRequest is updateOne: Filter names the full primary key; Update
// holds $set, $unset, $push, $pullAll.
type UpdateOneRequest struct {
	Keyspace string
	Table    string
	Filter   json.RawMessage
	Update   json.RawMessage
}

// UpdateResult is the outcome of updateOne; the server always reports 1 and
// 1, as it cannot tell whether the row existed (an update upserts).
type UpdateResult struct {
	MatchedCount  int
	ModifiedCount int
	Warnings      []Warning
}

// UpdateOne updates (or creates) one row.
func (c *Client) UpdateOne(ctx context.Context, r UpdateOneRequest) (*UpdateResult, error) {
	if len(r.Filter) == 0 || len(r.Update) == 0 {
		return nil, fmt.Errorf("dataapi: updateOne %s: filter and update are required", r.Table)
	}
	body := struct {
		Filter json.RawMessage `json:"filter"`
		Update json.RawMessage `json:"update"`
	}{r.Filter, r.Update}
	var st struct {
		MatchedCount  int `json:"matchedCount"`
		ModifiedCount int `json:"modifiedCount"`
	}
	w, err := c.simple(ctx, "updateOne", r.Keyspace, r.Table, body, &st)
	return &UpdateResult{MatchedCount: st.MatchedCount, ModifiedCount: st.ModifiedCount, Warnings: w}, err
}

// DeleteRequest is deleteOne (Filter: the full primary key) or deleteMany
// (Filter: partition key and clustering prefix/range; an empty Filter
// truncates the table).
type DeleteRequest struct {
	Keyspace string
	Table    string
	Filter   json.RawMessage
}

// DeleteResult is a delete's outcome; DeletedCount is -1 (unknown) on
// tables and for a deleteMany without filter. On a collection deleteMany
// removes at most 20 documents per command and sets MoreData when more
// match: send it again until MoreData is false.
type DeleteResult struct {
	DeletedCount int
	MoreData     bool
	Warnings     []Warning
}

// DeleteOne deletes one row by primary key.
func (c *Client) DeleteOne(ctx context.Context, r DeleteRequest) (*DeleteResult, error) {
	if len(r.Filter) == 0 {
		return nil, fmt.Errorf("dataapi: deleteOne %s: filter is required", r.Table)
	}
	return c.delete(ctx, "deleteOne", r)
}

// DeleteMany deletes the rows matching a primary-key filter; with no filter
// it truncates the table. The server reports no count.
func (c *Client) DeleteMany(ctx context.Context, r DeleteRequest) (*DeleteResult, error) {
	return c.delete(ctx, "deleteMany", r)
}

func (c *Client) delete(ctx context.Context, command string, r DeleteRequest) (*DeleteResult, error) {
	body := struct {
		Filter json.RawMessage `json:"filter,omitempty"`
	}{r.Filter}
	st := struct {
		DeletedCount int  `json:"deletedCount"`
		MoreData     bool `json:"moreData"`
	}{DeletedCount: -1}
	w, err := c.simple(ctx, command, r.Keyspace, r.Table, body, &st)
	return &DeleteResult{DeletedCount: st.DeletedCount, MoreData: st.MoreData, Warnings: w}, err
}
