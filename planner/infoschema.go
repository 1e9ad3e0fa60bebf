package planner

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
	"github.com/xwb1989/sqlparser"
)

// information_schema: the views ORMs and SQL tools read on connect and at
// migration (schemata, tables, columns, statistics), with the standard
// columns they ask for. Each view holds one keyspace: the one a top-level
// `table_schema = 'ks'` (or `= ?`) names, else the connection's. Its rows
// are built by the driver from listTables (and listIndexes for statistics);
// WHERE, aggregates, ORDER BY, DISTINCT and LIMIT then run client-side.

// InfoSchemataColumns are information_schema.schemata's columns.
var InfoSchemataColumns = []ResultColumn{textCol("catalog_name", false), textCol("schema_name", false)}

// InfoTablesColumns are information_schema.tables's columns. table_rows is
// NULL: the Data API does not count rows.
var InfoTablesColumns = []ResultColumn{
	textCol("table_catalog", false), textCol("table_schema", false), textCol("table_name", false),
	textCol("table_type", false), textCol("engine", true), intCol("table_rows", true),
	textCol("table_comment", false),
}

// InfoColumnsColumns are information_schema.columns's columns: MySQL's
// (in its order) and numeric_precision_radix, is_generated and udt_name
// as PostgreSQL's tools read them.
var InfoColumnsColumns = []ResultColumn{
	textCol("table_catalog", false), textCol("table_schema", false), textCol("table_name", false),
	textCol("column_name", false), intCol("ordinal_position", false), textCol("column_default", true),
	textCol("is_nullable", false), textCol("data_type", false),
	intCol("character_maximum_length", true), intCol("character_octet_length", true),
	intCol("numeric_precision", true), intCol("numeric_precision_radix", true), intCol("numeric_scale", true),
	intCol("datetime_precision", true), textCol("character_set_name", true), textCol("collation_name", true),
	textCol("column_type", false), textCol("column_key", false), textCol("extra", false),
	textCol("column_comment", false), textCol("is_generated", false), textCol("generation_expression", false),
	textCol("udt_name", false),
}

// InfoStatisticsColumns are information_schema.statistics's columns (as
// MySQL's): one row per column of each index, PRIMARY for the primary key.
var InfoStatisticsColumns = []ResultColumn{
	textCol("table_catalog", false), textCol("table_schema", false), textCol("table_name", false),
	intCol("non_unique", false), textCol("index_schema", false), textCol("index_name", false),
	intCol("seq_in_index", false), textCol("column_name", false), textCol("collation", true),
	intCol("cardinality", true), intCol("sub_part", true), textCol("packed", true),
	textCol("nullable", false), textCol("index_type", false), textCol("comment", false),
	textCol("index_comment", false), textCol("is_visible", false), textCol("expression", true),
}

// infoViews are the information_schema views and their columns.
var infoViews = map[string][]ResultColumn{
	"schemata":   InfoSchemataColumns,
	"tables":     InfoTablesColumns,
	"columns":    InfoColumnsColumns,
	"statistics": InfoStatisticsColumns,

	"table_constraints": InfoTableConstraintsColumns,
	"key_column_usage":  InfoKeyColumnUsageColumns,
}

// SchemataRows are information_schema.schemata's rows.
func SchemataRows(keyspaces []string) []Row {
	rows := make([]Row, 0, len(keyspaces))
	for _, k := range keyspaces {
		rows = append(rows, Row{"def", k})
	}
	return rows
}

// InfoTablesRows are information_schema.tables's rows for one keyspace.
func InfoTablesRows(keyspace string, defs []typesmap.TableDef) []Row {
	rows := make([]Row, 0, len(defs))
	for _, d := range defs {
		rows = append(rows, Row{"def", keyspace, d.Name, "BASE TABLE", "Astra Data API", nil, ""})
	}
	return rows
}

// InfoColumnsRows are information_schema.columns's rows for one keyspace:
// data_type is the Data API type name (text, map, vector...), column_type
// the full CQL type (map<text, int>), column_key PRI for key columns, extra
// says partition key / clustering (with order) / vectorize service.
// column_default is always NULL: CQL columns have no defaults.
func InfoColumnsRows(keyspace string, defs []typesmap.TableDef) []Row {
	var rows []Row
	for i := range defs {
		d := &defs[i]
		for j, c := range d.Columns {
			kind, pos, order := pkRole(d, c.Name)
			nullable, key, extra := "YES", "", ""
			switch kind {
			case "partition_key":
				nullable, key, extra = "NO", "PRI", fmt.Sprintf("partition key %d", pos)
			case "clustering":
				nullable, key, extra = "NO", "PRI", fmt.Sprintf("clustering %d %s", pos, order)
			}
			if s := c.Type.Service; s != nil {
				extra = strings.TrimSpace(extra + " vectorize " + s.Provider + " " + s.ModelName)
			}
			dataType := string(c.Type.Kind)
			if c.Type.Kind == typesmap.Unsupported {
				dataType = c.Type.String()
			}
			f := typeFacts(c.Type)
			rows = append(rows, Row{"def", keyspace, d.Name, c.Name, int64(j + 1), nil, nullable,
				dataType, nil, nil, f.precision, f.radix, f.scale, f.datetime, f.charset, nil,
				c.Type.String(), key, extra, "", "NEVER", "", dataType})
		}
	}
	return rows
}

// facts are the numeric and character attributes of a column type, nil
// where they do not apply (or CQL sets no bound: text has no maximum
// length, decimal and varint no precision).
type facts struct {
	precision, radix, scale, datetime, charset any
}

func typeFacts(t typesmap.Type) facts {
	ints := map[typesmap.Kind]int64{typesmap.TinyInt: 3, typesmap.SmallInt: 5, typesmap.Int: 10,
		typesmap.BigInt: 19, typesmap.Counter: 19}
	if p, ok := ints[t.Kind]; ok {
		return facts{precision: p, radix: int64(10), scale: int64(0)}
	}
	switch t.Kind {
	case typesmap.Float:
		return facts{precision: int64(24), radix: int64(2)}
	case typesmap.Double:
		return facts{precision: int64(53), radix: int64(2)}
	case typesmap.Varint:
		return facts{radix: int64(10), scale: int64(0)}
	case typesmap.Decimal:
		return facts{radix: int64(10)}
	case typesmap.Timestamp:
		return facts{datetime: int64(3)}
	case typesmap.Time:
		return facts{datetime: int64(9)}
	case typesmap.Date:
		return facts{datetime: int64(0)}
	case typesmap.Text:
		return facts{charset: "utf8"}
	case typesmap.Ascii:
		return facts{charset: "ascii"}
	}
	return facts{}
}

// InfoStatisticsRows are information_schema.statistics's rows for one
// table: PRIMARY (partition key columns, then clustering columns, whose
// collation is A or D), then each index (non_unique 1, index_type the Data
// API's: regular, text, vector; expression VALUES(c), KEYS(m), ... for an
// index on a collection's elements).
func InfoStatisticsRows(keyspace string, def *typesmap.TableDef, idx []typesmap.IndexDef) []Row {
	var rows []Row
	row := func(nonUnique int64, name string, seq int, col string, collation any, nullable, typ, comment, indexComment string, expr any) {
		rows = append(rows, Row{"def", keyspace, def.Name, nonUnique, keyspace, name, int64(seq), col, collation,
			nil, nil, nil, nullable, typ, comment, indexComment, "YES", expr})
	}
	seq := 0
	for _, p := range def.PartitionBy {
		seq++
		row(0, "PRIMARY", seq, p, nil, "", "primary", "partition key", "", nil)
	}
	for _, s := range def.PartitionSort {
		seq++
		coll := "A"
		if s.Desc {
			coll = "D"
		}
		row(0, "PRIMARY", seq, s.Column, coll, "", "primary", "clustering", "", nil)
	}
	for _, ix := range idx {
		var expr any
		if ix.Function != "" {
			expr = indexTarget(ix)
		}
		opts := ""
		if len(ix.Options) > 0 {
			b, _ := json.Marshal(ix.Options)
			opts = string(b)
		}
		row(1, ix.Name, 1, ix.Column, nil, "YES", ix.IndexType, "", opts, expr)
	}
	return rows
}

// planInformationSchema plans SELECT ... FROM information_schema.<view>.
// ok is false when sel reads another table.
func planInformationSchema(st *Statement, sel *sqlparser.Select, schema Schema) (*Plan, bool, error) {
	if len(sel.From) != 1 {
		return nil, false, nil
	}
	at, ok := sel.From[0].(*sqlparser.AliasedTableExpr)
	if !ok {
		return nil, false, nil
	}
	tn, ok := at.Expr.(sqlparser.TableName)
	if !ok || !strings.EqualFold(tn.Qualifier.String(), "information_schema") {
		return nil, false, nil
	}
	view := strings.ToLower(tn.Name.String())
	vcols, ok := infoViews[view]
	if !ok {
		return nil, true, fmt.Errorf("astrasql: information_schema.%s is not available (only schemata, tables, columns, statistics, table_constraints and key_column_usage)", tn.Name.String())
	}
	s := &infoStep{view: view, keyspace: infoOperand{text: schema.DefaultKeyspace()}}
	// WHERE table_schema = DATABASE() (or current_schema()): the connection's.
	replaceSessionFuncs(sel, schema.DefaultKeyspace())
	if sel.Where != nil {
		if o, ok := whereEquality(st, sel.Where.Expr, "table_schema"); ok {
			s.keyspace = o
		}
		if o, ok := whereEquality(st, sel.Where.Expr, "table_name"); ok {
			s.table, s.hasTable = o, true
		}
	}
	input := make([]typesmap.Column, len(vcols))
	for i, c := range vcols {
		input[i] = typesmap.Column{Name: c.Name, Type: c.Type}
	}
	p := &Plan{Statement: st, Keyspace: schema.DefaultKeyspace(), Query: true, Steps: []Step{s}}
	if s.keyspace.param == 0 {
		p.Keyspace = s.keyspace.text
	}
	steps, cols, err := clientSelect(sel, input)
	if err != nil {
		return nil, true, err
	}
	p.Steps = append(p.Steps, steps...)
	p.Columns = cols
	return p, true, nil
}

// infoOperand is a string the WHERE clause gives: a literal or argument.
type infoOperand struct {
	text  string
	param int    // argument ordinal, 0 for a literal
	shown string // the placeholder, for EXPLAIN
}

func (o infoOperand) value(b *Binding, column string) (string, error) {
	if o.param == 0 {
		return o.text, nil
	}
	if b == nil {
		return "", fmt.Errorf("astrasql: no value for argument %s (%s)", o.shown, column)
	}
	switch v := b.Arg(o.param).(type) {
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	default:
		return "", fmt.Errorf("astrasql: argument %s for information_schema's %s must be a string, got %T", o.shown, column, v)
	}
}

func (o infoOperand) String() string {
	if o.param != 0 {
		return o.shown
	}
	return o.text
}

// whereEquality finds `column = 'text'` or `column = ?` among the
// top-level ANDs (schema_name stands for table_schema, as in schemata).
func whereEquality(st *Statement, e sqlparser.Expr, column string) (infoOperand, bool) {
	switch x := e.(type) {
	case *sqlparser.AndExpr:
		if o, ok := whereEquality(st, x.Left, column); ok {
			return o, true
		}
		return whereEquality(st, x.Right, column)
	case *sqlparser.ParenExpr:
		return whereEquality(st, x.Expr, column)
	case *sqlparser.ComparisonExpr:
		if x.Operator != "=" {
			return infoOperand{}, false
		}
		l, r := x.Left, x.Right
		if _, ok := r.(*sqlparser.ColName); ok {
			l, r = r, l
		}
		cn, ok := l.(*sqlparser.ColName)
		if !ok {
			return infoOperand{}, false
		}
		name := colLower(cn)
		if name != column && !(column == "table_schema" && name == "schema_name") {
			return infoOperand{}, false
		}
		lit, ok := st.exprLit(r)
		switch {
		case !ok:
		case lit.Kind == litString:
			return infoOperand{text: lit.Text}, true
		case lit.Kind == litParam:
			p := st.Params[lit.Param-1]
			return infoOperand{param: lit.Param, shown: p.placeholder()}, true
		}
	}
	return infoOperand{}, false
}

// infoStep reads definitions and builds an information_schema view's rows.
type infoStep struct {
	view     string
	keyspace infoOperand
	table    infoOperand // statistics: only this table's indexes are listed
	hasTable bool
}

var explainBody = json.RawMessage(`{"options":{"explain":true}}`)

func (s *infoStep) Explain() (string, string) {
	if s.view == "schemata" {
		c := Command{Name: "findKeyspaces", Body: json.RawMessage(`{}`)}
		return c.Name, c.JSON(true) + " " + target(&c) + "; rows of information_schema.schemata built from the definitions"
	}
	c := Command{Name: "listTables", Keyspace: s.keyspace.String(), Body: explainBody}
	d := c.JSON(true) + " " + target(&c)
	name := c.Name
	if s.view == "statistics" {
		name += "+listIndexes"
		if s.hasTable {
			d += "; then listIndexes of table " + s.table.String()
		} else {
			d += "; then listIndexes of each table"
		}
	}
	return name, d + "; rows of information_schema." + s.view + " built from the definitions"
}

func (s *infoStep) Run(ctx context.Context, ex Executor, b *Binding) (*Result, error) {
	if s.view == "schemata" {
		status, err := doCmd(ctx, ex, Command{Name: "findKeyspaces", Body: json.RawMessage(`{}`)})
		if err != nil {
			return nil, err
		}
		names, err := decodeNames(status, "keyspaces")
		if err != nil {
			return nil, err
		}
		sort.Strings(names)
		return &Result{Rows: NewSliceIter(SchemataRows(names))}, nil
	}
	ks, err := s.keyspace.value(b, "table_schema")
	if err != nil {
		return nil, err
	}
	status, err := doCmd(ctx, ex, Command{Name: "listTables", Keyspace: ks, Body: explainBody})
	if err != nil {
		return nil, err
	}
	defs, err := decodeTables(status)
	if err != nil {
		return nil, err
	}
	var rows []Row
	switch s.view {
	case "tables":
		rows = InfoTablesRows(ks, defs)
	case "columns":
		rows = InfoColumnsRows(ks, defs)
	case "table_constraints":
		rows = InfoTableConstraintsRows(ks, defs)
	case "key_column_usage":
		rows = InfoKeyColumnUsageRows(ks, defs)
	case "statistics":
		if rows, err = s.statistics(ctx, ex, b, ks, defs); err != nil {
			return nil, err
		}
	}
	return &Result{Rows: NewSliceIter(rows)}, nil
}

// statistics lists the indexes of the table the WHERE names, or of every
// table (one listIndexes each).
func (s *infoStep) statistics(ctx context.Context, ex Executor, b *Binding, ks string, defs []typesmap.TableDef) ([]Row, error) {
	only := ""
	if s.hasTable {
		t, err := s.table.value(b, "table_name")
		if err != nil {
			return nil, err
		}
		only = t
	}
	var rows []Row
	for i := range defs {
		d := &defs[i]
		if s.hasTable && d.Name != only {
			continue
		}
		status, err := doCmd(ctx, ex, Command{Name: "listIndexes", Keyspace: ks, Table: d.Name, Body: explainBody})
		if err != nil {
			return nil, err
		}
		idx, err := decodeIndexes(status)
		if err != nil {
			return nil, err
		}
		rows = append(rows, InfoStatisticsRows(ks, d, idx)...)
	}
	return rows, nil
}
