package planner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
	"github.com/xwb1989/sqlparser"
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

// clientSelect plans a whole SELECT over rows with the given columns, all
// client-side: WHERE, aggregates or projection, ORDER BY, DISTINCT,
// OFFSET/LIMIT. It returns the steps and the result columns.
func clientSelect(sel *sqlparser.Select, input []typesmap.Column) ([]Step, []ResultColumn, error) {
	var steps []Step
	if sel.Where != nil {
		f, err := newResidualFilter(sel.Where.Expr, input, "the rows are built by the driver from the schema")
		if err != nil {
			return nil, nil, err
		}
		steps = append(steps, f)
	}
	var cols []ResultColumn
	var outTypes []typesmap.Type
	var tail selectTail
	if len(sel.GroupBy) > 0 || sel.Having != nil || hasAggregate(sel.SelectExprs) {
		op, ac, err := newAggregateOpTyped(sel, input)
		if err != nil {
			return nil, nil, err
		}
		// ORDER BY keys that are not result columns (a group key, an
		// aggregate): hidden columns of the aggregate, in ORDER BY order,
		// as clientOrder numbers them.
		var extra []sqlparser.Expr
		for _, o := range sel.OrderBy {
			if _, ok := outputIndex(o.Expr, sel, ac); !ok && !isPosition(o.Expr) {
				extra = append(extra, o.Expr)
			}
		}
		visible := len(ac)
		if len(extra) > 0 {
			if op, ac, err = newAggregateOp(sel, input, extra); err != nil {
				return nil, nil, err
			}
			if sel.Distinct != "" {
				return nil, nil, fmt.Errorf("astrasql: with SELECT DISTINCT, ORDER BY keys must be in the select list")
			}
			tail.visible = visible
		}
		steps = append(steps, op)
		cols = ac[:visible]
		for _, c := range ac {
			outTypes = append(outTypes, c.Type)
		}
	} else {
		var items []sqlparser.Expr
		for _, se := range sel.SelectExprs {
			switch x := se.(type) {
			case *sqlparser.StarExpr:
				for _, c := range input {
					items = append(items, &sqlparser.ColName{Name: sqlparser.NewColIdent(c.Name)})
					cols = append(cols, ResultColumn{Name: c.Name, Type: c.Type, Nullable: true})
				}
			case *sqlparser.AliasedExpr:
				items = append(items, x.Expr)
				name := x.As.String()
				rc := ResultColumn{Nullable: true}
				if cn, ok := x.Expr.(*sqlparser.ColName); ok {
					if i, ok := findName(columnNames(input), cn.Name.String()); ok {
						rc.Type = input[i].Type
						if name == "" {
							name = input[i].Name
						}
					}
				}
				if name == "" {
					name = sqlparser.String(x.Expr)
				}
				rc.Name = name
				cols = append(cols, rc)
			default:
				return nil, nil, fmt.Errorf("astrasql: unsupported select item %s", sqlparser.String(se))
			}
		}
		// Sort keys not in the select list are carried as hidden columns.
		hidden := 0
		for _, o := range sel.OrderBy {
			if _, ok := outputIndex(o.Expr, sel, cols); !ok {
				items = append(items, o.Expr)
				hidden++
			}
		}
		op := &projectOp{}
		for i, it := range items {
			e, err := compileTypedExpr(it, input)
			if err != nil {
				return nil, nil, err
			}
			pi := projItem{name: sqlparser.String(it), src: -1, expr: e, typ: typeOfKind(kindOf(e)), nullable: true}
			if c, ok := e.(*colExpr); ok {
				pi.src, pi.expr = c.idx, nil // a column as it is
			}
			if i < len(cols) {
				pi.name = cols[i].Name
				if cols[i].Type.Kind == "" {
					cols[i].Type = pi.typ
				}
			}
			op.items = append(op.items, pi)
		}
		steps = append(steps, op)
		for _, c := range cols {
			outTypes = append(outTypes, c.Type)
		}
		if hidden > 0 && sel.Distinct != "" {
			return nil, nil, fmt.Errorf("astrasql: with SELECT DISTINCT, ORDER BY keys must be in the select list")
		}
		tail.visible = len(cols)
		if hidden == 0 {
			tail.visible = 0
		}
	}
	// DISTINCT, ORDER BY, OFFSET/LIMIT, trim: in clause order (clauses.go).
	tail.distinct, tail.types = sel.Distinct != "", outTypes
	var err error
	if tail.sort, err = clientOrder(sel, cols, outTypes); err != nil {
		return nil, nil, err
	}
	if sel.Limit != nil {
		off, lim, err := literalLimit(sel.Limit)
		if err != nil {
			return nil, nil, err
		}
		tail.limit = newLimitOp(off, lim)
	}
	return append(steps, tail.steps()...), cols, nil
}

func columnNames(cols []typesmap.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// clientOrder makes the sort step of ORDER BY over output rows; keys not
// among the output columns follow them, hidden, in ORDER BY order.
func clientOrder(sel *sqlparser.Select, cols []ResultColumn, types []typesmap.Type) (*sortOp, error) {
	if len(sel.OrderBy) == 0 {
		return nil, nil
	}
	var keys []SortKey
	var ktypes []typesmap.Type
	var names []string
	next := len(cols)
	for _, o := range sel.OrderBy {
		i, ok := outputIndex(o.Expr, sel, cols)
		if !ok && isPosition(o.Expr) {
			return nil, fmt.Errorf("astrasql: ORDER BY %s: there are %d result columns", sqlparser.String(o.Expr), len(cols))
		}
		if !ok {
			i = next
			next++
		}
		keys = append(keys, SortKey{Col: i, Desc: o.Direction == sqlparser.DescScr})
		if i < len(types) {
			ktypes = append(ktypes, types[i])
		} else {
			ktypes = append(ktypes, typesmap.Type{})
		}
		names = append(names, sqlparser.String(o.Expr))
	}
	op, err := newSortOpTyped(keys, ktypes, 0)
	if err != nil {
		return nil, err
	}
	op.names = names
	op.reason = "the rows are built by the driver from the schema"
	return op, nil
}

// literalLimit reads LIMIT/OFFSET given as integer literals.
func literalLimit(l *sqlparser.Limit) (offset, limit int64, err error) {
	limit = -1
	read := func(e sqlparser.Expr, what string) (int64, error) {
		v, ok := e.(*sqlparser.SQLVal)
		if !ok || v.Type != sqlparser.IntVal {
			return 0, fmt.Errorf("astrasql: %s must be an integer literal here", what)
		}
		return strconv.ParseInt(string(v.Val), 10, 64)
	}
	if l.Offset != nil {
		if offset, err = read(l.Offset, "OFFSET"); err != nil {
			return 0, 0, err
		}
	}
	if l.Rowcount != nil {
		if limit, err = read(l.Rowcount, "LIMIT"); err != nil {
			return 0, 0, err
		}
	}
	return offset, limit, nil
}

// ---- predicted server warnings (EXPLAIN) ----

// predictWarnings returns the warnings the server is expected to attach
// to a find/findOne with c's filter and sort on table def, as EXPLAIN text
// ("" when none): ZERO_FILTER_OPERATIONS for an empty filter (not with a
// vector sort), MISSING_INDEX for filtered columns without an index (key
// columns count as indexed only when the whole filter is on key
// columns), INCOMPLETE_PRIMARY_KEY_FILTER for a key-only filter that
// misses a partition column or skips a clustering column, and the
// in-memory sort warnings for a sort the server must do itself.
func predictWarnings(def *typesmap.TableDef, idx []typesmap.IndexDef, c *Command) string {
	if def == nil || c == nil {
		return ""
	}
	var warns []string
	cols := filterColumns(c.Filter)
	vectorSort := false
	var sortCols []string
	if len(c.Sort) > 0 {
		var sm map[string]json.RawMessage
		if json.Unmarshal(c.Sort, &sm) == nil {
			for k, v := range sm {
				v = bytes.TrimSpace(v)
				if len(v) > 0 && (v[0] == '[' || v[0] == '"' || v[0] == '{') {
					vectorSort = true
				} else {
					sortCols = append(sortCols, k)
				}
			}
		}
	}
	if len(cols) == 0 && !vectorSort {
		warns = append(warns, "ZERO_FILTER_OPERATIONS (no filter: every row is read)")
	}
	indexed := map[string]bool{}
	for _, ix := range idx {
		indexed[ix.Column] = true
	}
	allKey := len(cols) > 0
	for _, col := range cols {
		if !def.IsPrimaryKey(col) {
			allKey = false
		}
	}
	var missing []string
	for _, col := range cols {
		if indexed[col] || allKey && def.IsPrimaryKey(col) {
			continue
		}
		missing = append(missing, col)
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		warns = append(warns, "MISSING_INDEX on "+strings.Join(missing, ", ")+" (the server filters without an index, ALLOW FILTERING; CREATE INDEX would help)")
	}
	if allKey {
		in := map[string]bool{}
		for _, col := range cols {
			in[col] = true
		}
		incomplete := false
		for _, p := range def.PartitionBy {
			if !in[p] {
				incomplete = true
			}
		}
		gap := false
		for _, s := range def.PartitionSort {
			if !in[s.Column] {
				gap = true
			} else if gap {
				incomplete = true
			}
		}
		if incomplete {
			warns = append(warns, "INCOMPLETE_PRIMARY_KEY_FILTER (a partition column is missing or a clustering column is skipped)")
		}
	}
	if len(sortCols) > 0 {
		pinned := map[string]bool{}
		if m := topLevelEquality(c.Filter); m != nil {
			pinned = m
		}
		ok := true
		for _, p := range def.PartitionBy {
			if !pinned[p] {
				ok = false
			}
		}
		if !ok {
			warns = append(warns, "IN_MEMORY_SORTING_DUE_TO_PARTITION_KEY_NOT_RESTRICTED (the server sorts at most 10,000 rows in memory)")
		} else {
			clustering := map[string]bool{}
			for _, s := range def.PartitionSort {
				clustering[s.Column] = true
			}
			for _, sc := range sortCols {
				if !clustering[sc] {
					warns = append(warns, "IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING (the server sorts at most 10,000 rows in memory)")
					break
				}
			}
		}
	}
	if len(warns) == 0 {
		return ""
	}
	return "expected server warnings: " + strings.Join(warns, "; ")
}

// filterColumns lists the columns a filter names (through $and, $or, $not).
func filterColumns(filter json.RawMessage) []string {
	seen := map[string]bool{}
	var out []string
	var walk func(raw json.RawMessage)
	walk = func(raw json.RawMessage) {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return
		}
		for k, v := range m {
			switch k {
			case "$and", "$or":
				var arr []json.RawMessage
				if json.Unmarshal(v, &arr) == nil {
					for _, a := range arr {
						walk(a)
					}
				}
			case "$not":
				walk(v)
			default:
				if !strings.HasPrefix(k, "$") && !seen[k] {
					seen[k] = true
					out = append(out, k)
				}
			}
		}
	}
	if len(filter) > 0 {
		walk(filter)
	}
	sort.Strings(out)
	return out
}

// topLevelEquality returns the columns a filter pins with equality at its
// top level ({"c": v} or {"c": {"$eq": v}}).
func topLevelEquality(filter json.RawMessage) map[string]bool {
	var m map[string]json.RawMessage
	if len(filter) == 0 || json.Unmarshal(filter, &m) != nil {
		return nil
	}
	out := map[string]bool{}
	for k, v := range m {
		if strings.HasPrefix(k, "$") {
			continue
		}
		v = bytes.TrimSpace(v)
		if len(v) > 0 && v[0] == '{' {
			var ops map[string]json.RawMessage
			if json.Unmarshal(v, &ops) == nil {
				if _, eq := ops["$eq"]; eq && len(ops) == 1 {
					out[k] = true
				}
				if _, bin := ops["$binary"]; bin {
					out[k] = true
				}
			}
			continue
		}
		out[k] = true
	}
	return out
}
