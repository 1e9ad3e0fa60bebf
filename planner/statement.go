package planner

import (
	"errors"
	"fmt"
	"strings"

	"github.com/xwb1989/sqlparser"

	"github.com/astrasql/astrasql/typesmap"
)

// Statement is a parsed statement: what Parse learns without a schema.
// It is immutable after Parse and safe for concurrent use.
type Statement struct {
	// SQL is the text as given.
	SQL string
	// Kind is the statement's kind in upper case: SELECT, INSERT, UPDATE,
	// DELETE, TRUNCATE, or what an extension says (CREATE TABLE, SHOW TABLES, ...).
	Kind string
	// Explain is set for EXPLAIN <statement>.
	Explain bool
	// Params are the arguments, by ordinal.
	Params []Param
	// Named is set when the placeholders are :name / @name.
	Named bool
	// Ext is set for statements parsed by an extension (DDL, SHOW, DESCRIBE):
	// it plans itself.
	Ext Extension

	ast sqlparser.Statement
	lx  *lexed
	// truncate target for TRUNCATE [TABLE] [ks.]t
	truncate *sqlparser.TableName
}

// Extension is a statement kind planned outside this file set (ddl.go,
// introspect.go): parseDDL returns a Statement carrying one.
type Extension interface {
	Plan(st *Statement, schema Schema) (*Plan, error)
}

// Schema gives table definitions to the planner. The driver implements it
// with a per-connector cache of listTables/listIndexes.
type Schema interface {
	// DefaultKeyspace is the keyspace of unqualified table names.
	DefaultKeyspace() string
	// Table returns a table's definition and indexes, or an
	// *UnknownTableError.
	Table(keyspace, table string) (*typesmap.TableDef, []typesmap.IndexDef, error)
}

// UnknownTableError says a table does not exist (as far as the schema knows).
type UnknownTableError struct {
	Keyspace, Table string
}

func (e *UnknownTableError) Error() string {
	return fmt.Sprintf("astrasql: table %s.%s does not exist", e.Keyspace, e.Table)
}

// UnknownColumnError says a table has no such column (as far as the
// schema knows: the driver reads the schema again once before reporting it).
type UnknownColumnError struct {
	Keyspace, Table, Column string
}

func (e *UnknownColumnError) Error() string {
	return fmt.Sprintf("astrasql: table %s.%s has no column %q", e.Keyspace, e.Table, e.Column)
}

// UnsupportedError names a construct the driver cannot run honestly.
type UnsupportedError struct {
	What string
	Line int // 0 when unknown
	Col  int
}

func (e *UnsupportedError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("astrasql: not supported: %s (line %d, column %d)", e.What, e.Line, e.Col)
	}
	return fmt.Sprintf("astrasql: not supported: %s", e.What)
}

func unsupported(format string, args ...any) error {
	return &UnsupportedError{What: fmt.Sprintf(format, args...)}
}

// Parse reads one statement. It needs no schema: placeholders and their
// count are known here. Syntax errors are *SyntaxError (line and column).
func Parse(sql string) (st *Statement, err error) {
	defer func() {
		// sqlparser is old code; never let a panic in it reach the caller.
		if r := recover(); r != nil {
			st, err = nil, &SyntaxError{Line: 1, Col: 1, Msg: fmt.Sprintf("statement could not be parsed (%v)", r)}
		}
	}()
	lx, err := preLex(sql)
	if err != nil {
		return nil, err
	}
	switch lx.keyword {
	case "select", "insert", "update", "delete", "(":
	case "truncate":
		return parseTruncate(sql, lx)
	case "replace":
		return nil, unsupported("REPLACE (use INSERT: it overwrites the columns it names)")
	case "use":
		return nil, unsupportedf("USE", "name the keyspace in the DSN (keyspace=...) or qualify tables as keyspace.table")
	case "set":
		return nil, unsupportedf("SET", "connection options go in the DSN")
	case "begin", "start", "commit", "rollback", "savepoint":
		return nil, unsupported("transactions (%s)", strings.ToUpper(lx.keyword))
	default:
		// DDL and introspection belong to ddl.go. It sees the statement
		// without EXPLAIN and the trailing ';', blanked so that offsets
		// (and so line:col in errors) stay those of the original text.
		body := []byte(sql)
		for i := 0; i < lx.bodyFrom; i++ {
			if body[i] != '\n' {
				body[i] = ' '
			}
		}
		body = trimSemicolon(body)
		st, ok, err := parseDDL(string(body))
		if err != nil {
			return nil, err
		}
		if !ok {
			if u := unsupportedSyntax(string(body)); u != nil {
				return nil, u
			}
			line, col := lineCol(sql, lx.bodyFrom)
			return nil, &SyntaxError{Line: line, Col: col, Near: lx.keyword,
				Msg: "expected SELECT, INSERT, UPDATE, DELETE, TRUNCATE, CREATE, DROP, ALTER, SHOW, DESCRIBE or EXPLAIN"}
		}
		st.SQL = sql
		st.Explain = lx.explain
		return st, nil
	}
	ast, err := sqlparser.ParseStrictDDL(lx.text)
	if err != nil {
		// A construct we know we do not support (window functions, CTEs,
		// INTERSECT...) is named, with the way around it, rather than
		// reported as a syntax error at some token inside it.
		if u := unsupportedSyntax(lx.text); u != nil {
			return nil, u
		}
		return nil, lx.mapError(err)
	}
	if err := checkUnsupported(ast); err != nil {
		return nil, err
	}
	st = &Statement{SQL: sql, Explain: lx.explain, Params: lx.params, Named: lx.named, ast: ast, lx: lx}
	switch a := ast.(type) {
	case *sqlparser.Select:
		st.Kind = "SELECT"
	case *sqlparser.Insert:
		st.Kind = "INSERT"
		if a.Action != sqlparser.InsertStr {
			return nil, unsupported("REPLACE (use INSERT: it overwrites the columns it names)")
		}
	case *sqlparser.Update:
		st.Kind = "UPDATE"
	case *sqlparser.Delete:
		st.Kind = "DELETE"
	case *sqlparser.Union:
		return nil, unsupported("UNION")
	case *sqlparser.ParenSelect:
		return nil, unsupported("a parenthesised SELECT")
	default:
		return nil, unsupported("statement %T", ast)
	}
	if lx.ann != nil && st.Kind != "SELECT" {
		return nil, unsupported("ANN OF outside SELECT ... ORDER BY")
	}
	return st, nil
}

func trimSemicolon(b []byte) []byte {
	// Only a final ';' (comments after it are kept: ddl.go's lexer skips them).
	for i := len(b) - 1; i >= 0; i-- {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			continue
		case ';':
			b[i] = ' '
		}
		break
	}
	return b
}

func parseTruncate(sql string, lx *lexed) (*Statement, error) {
	// TRUNCATE [TABLE] [ks.]t : a tiny grammar of our own, because
	// sqlparser treats TRUNCATE as DDL (whose partial parses it logs).
	toks, err := tokenize(sql[lx.bodyFrom:])
	if err != nil {
		return nil, err
	}
	var words []string
	for _, t := range toks {
		switch t.typ {
		case sqlparser.COMMENT, ';':
			continue
		case sqlparser.STRING:
			words = append(words, t.val)
		default:
			words = append(words, t.val)
			if t.val == "" {
				words[len(words)-1] = string(rune(t.typ))
			}
		}
	}
	if len(words) > 1 && strings.EqualFold(words[1], "table") {
		words = append(words[:1], words[2:]...)
	}
	var tn sqlparser.TableName
	switch {
	case len(words) == 2:
		tn.Name = sqlparser.NewTableIdent(words[1])
	case len(words) == 4 && words[2] == ".":
		tn.Qualifier = sqlparser.NewTableIdent(words[1])
		tn.Name = sqlparser.NewTableIdent(words[3])
	default:
		line, col := lineCol(sql, lx.bodyFrom)
		return nil, &SyntaxError{Line: line, Col: col, Near: "TRUNCATE", Msg: "expected TRUNCATE [TABLE] name"}
	}
	return &Statement{SQL: sql, Kind: "TRUNCATE", Explain: lx.explain, lx: lx, truncate: &tn}, nil
}

// Plan makes the plan of a statement for a schema.
func (st *Statement) Plan(schema Schema) (*Plan, error) {
	if st.Ext != nil {
		p, err := st.Ext.Plan(st, schema)
		if err != nil {
			return nil, err
		}
		if p.Statement == nil {
			p.Statement = st
		}
		return p, nil
	}
	switch st.Kind {
	case "SELECT":
		return planSelect(st, st.ast.(*sqlparser.Select), schema)
	case "INSERT":
		return planInsert(st, st.ast.(*sqlparser.Insert), schema)
	case "UPDATE":
		return planUpdate(st, st.ast.(*sqlparser.Update), schema)
	case "DELETE":
		return planDelete(st, st.ast.(*sqlparser.Delete), schema)
	case "TRUNCATE":
		return planTruncate(st, schema)
	}
	return nil, fmt.Errorf("astrasql: cannot plan %s", st.Kind)
}

// NumInput is the number of arguments.
func (st *Statement) NumInput() int { return len(st.Params) }

// table resolves a table name against the schema. Names match exactly
// first, then case-insensitively (unquoted CQL names are lower case).
type tableInfo struct {
	keyspace string
	def      *typesmap.TableDef
	indexes  []typesmap.IndexDef
}

func lookupTable(schema Schema, tn sqlparser.TableName) (*tableInfo, error) {
	ks := tn.Qualifier.String()
	if ks == "" {
		ks = schema.DefaultKeyspace()
	}
	name := tn.Name.String()
	def, idx, err := schema.Table(ks, name)
	var ute *UnknownTableError
	if errors.As(err, &ute) && strings.ToLower(name) != name {
		def, idx, err = schema.Table(ks, strings.ToLower(name))
	}
	if err != nil {
		return nil, err
	}
	return &tableInfo{keyspace: ks, def: def, indexes: idx}, nil
}

// column finds a column: exact name, else the only case-insensitive match.
func (ti *tableInfo) column(name string) (typesmap.Column, bool) {
	if c, ok := ti.def.Column(name); ok {
		return c, true
	}
	var found typesmap.Column
	n := 0
	for _, c := range ti.def.Columns {
		if strings.EqualFold(c.Name, name) {
			found = c
			n++
		}
	}
	return found, n == 1
}

func (ti *tableInfo) mustColumn(name string) (typesmap.Column, error) {
	c, ok := ti.column(name)
	if !ok {
		return c, &UnknownColumnError{Keyspace: ti.keyspace, Table: ti.def.Name, Column: name}
	}
	return c, nil
}

func (ti *tableInfo) nullable(name string) bool { return !ti.def.IsPrimaryKey(name) }

// planTable resolves the one table of a SELECT, UPDATE or DELETE (see
// singleTable) and returns the filter planner on it.
func planTable(st *Statement, from sqlparser.TableExprs, schema Schema) (*filterPlanner, error) {
	tn, alias, err := singleTable(from)
	if err != nil {
		return nil, err
	}
	ti, err := lookupTable(schema, tn)
	if err != nil {
		return nil, err
	}
	return &filterPlanner{st: st, ti: ti, alias: alias}, nil
}

// singleTable extracts the one table of a FROM clause.
func singleTable(from sqlparser.TableExprs) (sqlparser.TableName, string, error) {
	if len(from) != 1 {
		return sqlparser.TableName{}, "", unsupported("joins and multiple tables in FROM")
	}
	at, ok := from[0].(*sqlparser.AliasedTableExpr)
	if !ok {
		return sqlparser.TableName{}, "", unsupported("joins")
	}
	tn, ok := at.Expr.(sqlparser.TableName)
	if !ok {
		return sqlparser.TableName{}, "", unsupported("subqueries in FROM")
	}
	if at.Hints != nil {
		return sqlparser.TableName{}, "", unsupported("index hints")
	}
	if tn.Name.String() == "dual" && tn.Qualifier.IsEmpty() {
		return tn, "", unsupported("SELECT without a table")
	}
	return tn, at.As.String(), nil
}
