package planner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
)

// Introspection: SHOW TABLES, DESCRIBE t (SHOW COLUMNS FROM t), SHOW
// INDEXES FROM t, SHOW KEYSPACES, SHOW CREATE TABLE t (the information_schema
// views are in infoschema.go). Each is a plan whose
// first step sends listTables / listIndexes / findKeyspaces (explain form)
// and turns the definitions into rows with fixed columns (pure functions
// below); the usual client-side steps then filter, sort and project them.

// parseDDL parses the statements Parse hands over: CREATE/DROP/ALTER
// (ddl.go) and SHOW/DESCRIBE/DESC. ok is false for anything else.
func parseDDL(sql string) (*Statement, bool, error) {
	p, err := newDDLParser(sql)
	if err != nil {
		return nil, true, err
	}
	t := p.peek()
	switch {
	case t.is("create"), t.is("drop"), t.is("alter"):
		d, err := parseDDLCommand(sql)
		if err != nil {
			return nil, true, err
		}
		return &Statement{Kind: string(d.Kind), Ext: &ddlExt{d: d}}, true, nil
	case t.is("show"), t.is("describe"), t.is("desc"):
		x, err := p.introspection()
		if err != nil {
			return nil, true, err
		}
		return &Statement{Kind: x.kind, Ext: x}, true, nil
	}
	return nil, false, nil
}

// ---- DDL plans ----

type ddlExt struct{ d *DDL }

func (x *ddlExt) Plan(st *Statement, schema Schema) (*Plan, error) {
	d := x.d
	ks := d.Keyspace
	if ks == "" && d.Level != LevelDatabase {
		ks = schema.DefaultKeyspace()
	}
	d = d.forSchema(schema, ks)
	cmd := Command{Name: d.Command, Keyspace: ks, Body: d.args()}
	if d.Level == LevelTable {
		cmd.Table = d.Table
	}
	if d.Level == LevelDatabase {
		cmd.Keyspace = ""
	}
	return &Plan{Statement: st, Keyspace: ks, Table: d.Table, SchemaChange: true,
		Steps: []Step{&ddlStep{cmd: cmd, level: d.Level}}}, nil
}

// args is the command's object: Body without the {"name": ...} wrapper.
func (d *DDL) args() json.RawMessage {
	return d.Body[len(d.Command)+4 : len(d.Body)-1]
}

// ddlStep sends one schema command.
type ddlStep struct {
	cmd   Command
	level string
}

func (s *ddlStep) Explain() (string, string) {
	return s.cmd.Name, s.cmd.JSON(true) + " " + target(&s.cmd)
}

// target says where a command is POSTed, for EXPLAIN.
func target(c *Command) string {
	switch {
	case c.Table != "":
		return "(POST to table " + c.Keyspace + "." + c.Table + ")"
	case c.Keyspace != "":
		return "(POST to keyspace " + c.Keyspace + ")"
	}
	return "(POST to the database)"
}

func (s *ddlStep) Run(ctx context.Context, ex Executor, _ *Binding) (*Result, error) {
	c := s.cmd
	if _, err := ex.Do(ctx, &c); err != nil {
		return nil, err
	}
	return &Result{SchemaChanged: true}, nil
}

// ---- SHOW / DESCRIBE ----

// Introspection kinds (Statement.Kind).
const (
	kindShowTables    = "SHOW TABLES"
	kindDescribe      = "DESCRIBE"
	kindShowIndexes   = "SHOW INDEXES"
	kindShowKeyspaces = "SHOW KEYSPACES"
	kindShowCreate    = "SHOW CREATE TABLE"
)

// introExt is a parsed SHOW or DESCRIBE statement.
type introExt struct {
	kind            string
	keyspace, table string
	like            string // SHOW TABLES LIKE 'pattern'
	hasLike         bool
}

func (p *ddlParser) introspection() (*introExt, error) {
	first := p.next()
	x := &introExt{}
	var err error
	if first.is("describe") || first.is("desc") {
		x.kind = kindDescribe
		if p.accept("keyspaces") {
			x.kind = kindShowKeyspaces
			return x, p.end()
		}
		if p.accept("tables") {
			x.kind = kindShowTables
			return x, p.end()
		}
		p.accept("table")
		if x.keyspace, x.table, err = p.qualified("table name"); err != nil {
			return nil, err
		}
		return x, p.end()
	}
	switch {
	case p.accept("tables"), p.accept("full", "tables"):
		x.kind = kindShowTables
		if p.accept("from") || p.accept("in") {
			if x.keyspace, err = p.ident("keyspace name"); err != nil {
				return nil, err
			}
		}
		if p.accept("like") {
			x.hasLike = true
			if x.like, err = p.str("a LIKE pattern in quotes"); err != nil {
				return nil, err
			}
		}
	case p.accept("keyspaces"), p.accept("databases"), p.accept("schemas"):
		x.kind = kindShowKeyspaces
	case p.accept("columns"), p.accept("fields"), p.accept("full", "columns"):
		x.kind = kindDescribe
		if err := p.fromTable(x); err != nil {
			return nil, err
		}
	case p.accept("indexes"), p.accept("index"), p.accept("keys"):
		x.kind = kindShowIndexes
		if err := p.fromTable(x); err != nil {
			return nil, err
		}
	case p.accept("create", "table"):
		x.kind = kindShowCreate
		if x.keyspace, x.table, err = p.qualified("table name"); err != nil {
			return nil, err
		}
	default:
		return nil, p.expected("TABLES, COLUMNS FROM t, INDEXES FROM t, KEYSPACES or CREATE TABLE t after SHOW")
	}
	return x, p.end()
}

// fromTable reads "FROM|IN [ks.]t [FROM|IN ks]".
func (p *ddlParser) fromTable(x *introExt) error {
	if !p.accept("from") && !p.accept("in") {
		return p.expected("FROM table")
	}
	var err error
	if x.keyspace, x.table, err = p.qualified("table name"); err != nil {
		return err
	}
	if p.accept("from") || p.accept("in") {
		if x.keyspace, err = p.ident("keyspace name"); err != nil {
			return err
		}
	}
	return nil
}

// Result columns of the introspection statements.
var (
	textCol = func(n string, nullable bool) ResultColumn {
		return ResultColumn{Name: n, Type: typesmap.Of("text"), Nullable: nullable}
	}
	intCol = func(n string, nullable bool) ResultColumn {
		return ResultColumn{Name: n, Type: typesmap.Of("bigint"), Nullable: nullable}
	}

	// ShowTablesColumns are SHOW TABLES's columns.
	ShowTablesColumns = []ResultColumn{textCol("table_name", false)}
	// DescribeColumns are DESCRIBE t's (and SHOW COLUMNS FROM t's) columns.
	DescribeColumns = []ResultColumn{
		textCol("column_name", false), textCol("data_type", false), textCol("kind", false),
		intCol("position", true), textCol("clustering_order", true), textCol("is_nullable", false),
		textCol("column_key", false), textCol("indexes", true), textCol("vectorize", true),
	}
	// ShowIndexesColumns are SHOW INDEXES FROM t's columns.
	ShowIndexesColumns = []ResultColumn{
		textCol("table_name", false), textCol("index_name", false), textCol("column_name", false),
		textCol("target", false), textCol("index_type", false), textCol("options", false),
	}
	// ShowKeyspacesColumns are SHOW KEYSPACES's columns.
	ShowKeyspacesColumns = []ResultColumn{textCol("keyspace_name", false)}
	// ShowCreateColumns are SHOW CREATE TABLE's columns.
	ShowCreateColumns = []ResultColumn{textCol("table_name", false), textCol("create_statement", false)}
)

func (x *introExt) Plan(st *Statement, schema Schema) (*Plan, error) {
	ks := x.keyspace
	if ks == "" {
		ks = schema.DefaultKeyspace()
	}
	s := &introStep{view: x.kind, keyspace: ks, table: x.table}
	p := &Plan{Statement: st, Keyspace: ks, Table: x.table, Query: true, Steps: []Step{s}}
	switch x.kind {
	case kindShowTables:
		p.Columns = ShowTablesColumns
		if x.hasLike {
			m := compileLike(x.like, '\\')
			s.keep = func(r Row) bool { return m.match(r[0].(string)) }
			s.note = "LIKE '" + x.like + "'"
		}
	case kindDescribe:
		p.Columns = DescribeColumns
	case kindShowIndexes:
		p.Columns = ShowIndexesColumns
	case kindShowKeyspaces:
		p.Keyspace = ""
		p.Columns = ShowKeyspacesColumns
	case kindShowCreate:
		p.Columns = ShowCreateColumns
	}
	return p, nil
}

// introStep reads definitions and turns them into rows of a view.
type introStep struct {
	view            string // a kind* constant
	keyspace, table string
	keep            func(Row) bool
	note            string
}

// commands are what the step sends, in order.
func (s *introStep) commands() []Command {
	explain := json.RawMessage(`{"options":{"explain":true}}`)
	switch s.view {
	case kindShowKeyspaces:
		return []Command{{Name: "findKeyspaces", Body: json.RawMessage(`{}`)}}
	case kindShowIndexes:
		return []Command{{Name: "listIndexes", Keyspace: s.keyspace, Table: s.table, Body: explain}}
	case kindDescribe, kindShowCreate:
		return []Command{{Name: "listTables", Keyspace: s.keyspace, Body: explain},
			{Name: "listIndexes", Keyspace: s.keyspace, Table: s.table, Body: explain}}
	}
	return []Command{{Name: "listTables", Keyspace: s.keyspace, Body: explain}}
}

func (s *introStep) Explain() (string, string) {
	var parts []string
	var names []string
	for _, c := range s.commands() {
		names = append(names, c.Name)
		parts = append(parts, c.JSON(true)+" "+target(&c))
	}
	d := strings.Join(parts, "; then ")
	d += "; rows of " + s.view + " built from the definitions"
	if s.note != "" {
		d += ", " + s.note
	}
	return strings.Join(names, "+"), d
}

func (s *introStep) Run(ctx context.Context, ex Executor, _ *Binding) (*Result, error) {
	cmds := s.commands()
	status, err := doCmd(ctx, ex, cmds[0])
	if err != nil {
		return nil, err
	}
	var rows []Row
	switch s.view {
	case kindShowKeyspaces:
		names, err := decodeNames(status, "keyspaces")
		if err != nil {
			return nil, err
		}
		sort.Strings(names)
		rows = KeyspaceRows(names)
	case kindShowIndexes:
		idx, err := decodeIndexes(status)
		if err != nil {
			return nil, err
		}
		rows = IndexRows(s.table, idx)
	default:
		defs, err := decodeTables(status)
		if err != nil {
			return nil, err
		}
		switch s.view {
		case kindShowTables:
			rows = TableRows(defs)
		case kindDescribe, kindShowCreate:
			def := findTable(defs, s.table)
			if def == nil {
				return nil, &UnknownTableError{Keyspace: s.keyspace, Table: s.table}
			}
			status, err := doCmd(ctx, ex, Command{Name: "listIndexes", Keyspace: s.keyspace, Table: def.Name, Body: cmds[1].Body})
			if err != nil {
				return nil, err
			}
			idx, err := decodeIndexes(status)
			if err != nil {
				return nil, err
			}
			if s.view == kindShowCreate {
				// The table, then one row per index: each row a statement.
				rows = []Row{{def.Name, CreateTableCQL(s.keyspace, def)}}
				for _, ix := range idx {
					rows = append(rows, Row{def.Name, CreateIndexCQL(s.keyspace, def.Name, ix)})
				}
				break
			}
			rows = DescribeRows(def, idx)
		}
	}
	if s.keep != nil {
		kept := rows[:0]
		for _, r := range rows {
			if s.keep(r) {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	return &Result{Rows: NewSliceIter(rows)}, nil
}

func doCmd(ctx context.Context, ex Executor, c Command) (json.RawMessage, error) {
	return ex.Do(ctx, &c)
}

// findTable finds a table by exact name, else by the one case-insensitive match.
func findTable(defs []typesmap.TableDef, name string) *typesmap.TableDef {
	var found *typesmap.TableDef
	n := 0
	for i := range defs {
		if defs[i].Name == name {
			return &defs[i]
		}
		if strings.EqualFold(defs[i].Name, name) {
			found = &defs[i]
			n++
		}
	}
	if n == 1 {
		return found
	}
	return nil
}

// decodeTables reads status.tables of listTables with explain.
func decodeTables(status json.RawMessage) ([]typesmap.TableDef, error) {
	var st struct {
		Tables []json.RawMessage `json:"tables"`
	}
	if err := json.Unmarshal(status, &st); err != nil {
		return nil, fmt.Errorf("astrasql: bad listTables response: %w", err)
	}
	defs := make([]typesmap.TableDef, 0, len(st.Tables))
	for _, raw := range st.Tables {
		var t struct {
			Name       string          `json:"name"`
			Definition json.RawMessage `json:"definition"`
		}
		if err := json.Unmarshal(raw, &t); err != nil {
			return nil, fmt.Errorf("astrasql: bad listTables response: %w", err)
		}
		var def typesmap.TableDef
		if err := def.UnmarshalJSON(t.Definition); err != nil {
			return nil, fmt.Errorf("astrasql: table %q: %w", t.Name, err)
		}
		def.Name = t.Name
		defs = append(defs, def)
	}
	sort.Slice(defs, func(i, j int) bool { return defs[i].Name < defs[j].Name })
	return defs, nil
}

func decodeIndexes(status json.RawMessage) ([]typesmap.IndexDef, error) {
	var st struct {
		Indexes []typesmap.IndexDef `json:"indexes"`
	}
	if err := json.Unmarshal(status, &st); err != nil {
		return nil, fmt.Errorf("astrasql: bad listIndexes response: %w", err)
	}
	sort.Slice(st.Indexes, func(i, j int) bool { return st.Indexes[i].Name < st.Indexes[j].Name })
	return st.Indexes, nil
}

func decodeNames(status json.RawMessage, field string) ([]string, error) {
	var st map[string]json.RawMessage
	if err := json.Unmarshal(status, &st); err != nil {
		return nil, fmt.Errorf("astrasql: bad response: %w", err)
	}
	var names []string
	if raw, ok := st[field]; ok {
		if err := json.Unmarshal(raw, &names); err != nil {
			return nil, fmt.Errorf("astrasql: bad %s in response: %w", field, err)
		}
	}
	return names, nil
}

// ---- rows (pure) ----

// TableRows are SHOW TABLES's rows.
func TableRows(defs []typesmap.TableDef) []Row {
	rows := make([]Row, 0, len(defs))
	for _, d := range defs {
		rows = append(rows, Row{d.Name})
	}
	return rows
}

// KeyspaceRows are SHOW KEYSPACES's rows.
func KeyspaceRows(names []string) []Row {
	rows := make([]Row, 0, len(names))
	for _, n := range names {
		rows = append(rows, Row{n})
	}
	return rows
}

// pkRole says how a column takes part in the primary key.
func pkRole(def *typesmap.TableDef, col string) (kind string, pos int, order string) {
	for i, p := range def.PartitionBy {
		if p == col {
			return "partition_key", i + 1, ""
		}
	}
	for i, s := range def.PartitionSort {
		if s.Column == col {
			if s.Desc {
				return "clustering", i + 1, "DESC"
			}
			return "clustering", i + 1, "ASC"
		}
	}
	return "regular", 0, ""
}

// indexTarget renders an index's column as CQL: c, KEYS(m), VALUES(l), ENTRIES(m).
func indexTarget(ix typesmap.IndexDef) string {
	if ix.Function != "" {
		return strings.ToUpper(ix.Function) + "(" + ix.Column + ")"
	}
	return ix.Column
}

// DescribeRows are DESCRIBE t's rows, in the server's column order.
func DescribeRows(def *typesmap.TableDef, idx []typesmap.IndexDef) []Row {
	rows := make([]Row, 0, len(def.Columns))
	for _, c := range def.Columns {
		kind, pos, order := pkRole(def, c.Name)
		var position, corder, indexes, vectorize any
		nullable, key := "YES", ""
		if kind != "regular" {
			position, nullable, key = int64(pos), "NO", "PRI"
		}
		if order != "" {
			corder = order
		}
		var names []string
		for _, ix := range idx {
			if ix.Column == c.Name {
				names = append(names, ix.Name)
			}
		}
		if len(names) > 0 {
			indexes = strings.Join(names, ",")
			if key == "" {
				key = "MUL"
			}
		}
		if s := c.Type.Service; s != nil {
			vectorize = s.Provider
			if s.ModelName != "" {
				vectorize = s.Provider + "/" + s.ModelName
			}
		}
		rows = append(rows, Row{c.Name, c.Type.String(), kind, position, corder, nullable, key, indexes, vectorize})
	}
	return rows
}

// IndexRows are SHOW INDEXES FROM t's rows.
func IndexRows(table string, idx []typesmap.IndexDef) []Row {
	rows := make([]Row, 0, len(idx))
	for _, ix := range idx {
		opts := "{}"
		if len(ix.Options) > 0 {
			b, _ := json.Marshal(ix.Options)
			opts = string(b)
		}
		rows = append(rows, Row{table, ix.Name, ix.Column, indexTarget(ix), ix.IndexType, opts})
	}
	return rows
}

// CreateTableCQL renders a table definition as the CREATE TABLE that
// makes it (our DDL syntax, including the vectorize clause).
func CreateTableCQL(keyspace string, def *typesmap.TableDef) string {
	var b bytes.Buffer
	b.WriteString("CREATE TABLE ")
	if keyspace != "" {
		b.WriteString(quoteCQL(keyspace) + ".")
	}
	b.WriteString(quoteCQL(def.Name) + " (\n")
	for _, c := range def.Columns {
		b.WriteString("    " + quoteCQL(c.Name) + " ")
		t := c.Type
		if t.Kind == kindVector && t.Dimension == 0 {
			b.WriteString("vector")
		} else {
			b.WriteString(t.String())
		}
		if s := t.Service; s != nil {
			b.WriteString(" VECTORIZE USING " + quoteStr(s.Provider))
			if s.ModelName != "" {
				b.WriteString(" MODEL " + quoteStr(s.ModelName))
			}
			if len(s.Authentication) > 0 || len(s.Parameters) > 0 {
				m := map[string]any{}
				if len(s.Authentication) > 0 {
					m["authentication"] = s.Authentication
				}
				if len(s.Parameters) > 0 {
					m["parameters"] = s.Parameters
				}
				j, _ := json.Marshal(m)
				b.WriteString(" WITH " + strings.ReplaceAll(string(j), `"`, `'`))
			}
		}
		b.WriteString(",\n")
	}
	b.WriteString("    PRIMARY KEY (")
	var part []string
	for _, p := range def.PartitionBy {
		part = append(part, quoteCQL(p))
	}
	if len(part) == 1 {
		b.WriteString(part[0])
	} else {
		b.WriteString("(" + strings.Join(part, ", ") + ")")
	}
	for _, s := range def.PartitionSort {
		b.WriteString(", " + quoteCQL(s.Column))
	}
	b.WriteString(")\n)")
	if len(def.PartitionSort) > 0 {
		var parts []string
		for _, s := range def.PartitionSort {
			dir := "ASC"
			if s.Desc {
				dir = "DESC"
			}
			parts = append(parts, quoteCQL(s.Column)+" "+dir)
		}
		b.WriteString(" WITH CLUSTERING ORDER BY (" + strings.Join(parts, ", ") + ")")
	}
	return b.String()
}

// quoteCQL quotes an identifier unless it is a plain lower-case name.
func quoteCQL(s string) string {
	plain := s != ""
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			plain = false
		}
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func quoteStr(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
