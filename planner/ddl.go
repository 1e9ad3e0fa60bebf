package planner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
)

// DDL: CREATE/DROP/ALTER TABLE, CREATE/DROP INDEX in CQL syntax, each
// compiled, without any schema, into one Data API schema command.
//
// Vectorize clause (our syntax; CQL has none): after a vector column's type,
//
//	v vector<float, 1024> VECTORIZE USING 'nvidia' MODEL 'NV-Embed-QA'
//	v vector VECTORIZE USING 'openai' MODEL 'text-embedding-3-small'
//	    WITH {'authentication': {'providerKey': 'my_key'}, 'parameters': {...}}
//
// The dimension may be left out when a vectorize service is given (the
// server takes the model's). ALTER TABLE t ALTER v VECTORIZE USING ... adds
// a service to an existing column, ALTER TABLE t ALTER v DROP VECTORIZE
// removes it.

// Command levels: where a command is POSTed.
const (
	LevelDatabase = "database" // {base}/v1
	LevelKeyspace = "keyspace" // {base}/v1/{keyspace}
	LevelTable    = "table"    // {base}/v1/{keyspace}/{table}
)

// DDLKind says which DDL or introspection statement a DDL value is.
type DDLKind string

// The DDL statement kinds.
const (
	DDLCreateTable       DDLKind = "CREATE TABLE"
	DDLDropTable         DDLKind = "DROP TABLE"
	DDLAlterTable        DDLKind = "ALTER TABLE"
	DDLCreateIndex       DDLKind = "CREATE INDEX"
	DDLCreateVectorIndex DDLKind = "CREATE VECTOR INDEX"
	DDLCreateTextIndex   DDLKind = "CREATE TEXT INDEX"
	DDLDropIndex         DDLKind = "DROP INDEX"
	DDLCreateKeyspace    DDLKind = "CREATE KEYSPACE"
	DDLDropKeyspace      DDLKind = "DROP KEYSPACE"
)

// DDL is a parsed schema statement: one Data API command.
type DDL struct {
	Kind DDLKind
	// Keyspace is the keyspace named in the statement ("" = the connection's).
	Keyspace string
	// Table is the table the command addresses (for table-level commands and
	// DROP TABLE / CREATE TABLE, the table created or dropped).
	Table string
	// Level is where the command goes (LevelKeyspace or LevelTable or LevelDatabase).
	Level string
	// Command is the Data API command name, Body its whole JSON request
	// body ({"createTable": {...}}), exactly as sent.
	Command string
	Body    json.RawMessage
	// Def is the table created by CREATE TABLE.
	Def *typesmap.TableDef
	// valuesOf is the column of CREATE INDEX ... (VALUES(c)): the Data API
	// wants {"c":"$values"} for a map but plain "c" for a list or set,
	// which only the schema can tell (see forSchema).
	valuesOf string
}

// forSchema adapts the command to the table's definition when it needs
// one (VALUES(c) on a list or set column); d is not modified.
func (d *DDL) forSchema(schema Schema, keyspace string) *DDL {
	if d.valuesOf == "" || schema == nil {
		return d
	}
	def, _, err := schema.Table(keyspace, d.Table)
	if err != nil || def == nil {
		return d
	}
	c, ok := def.Column(d.valuesOf)
	if !ok || c.Type.Kind == "map" {
		return d
	}
	var from, to bytes.Buffer
	from.WriteString(`"column":{`)
	writeJSONStr(&from, d.valuesOf)
	from.WriteString(`:"$values"}`)
	to.WriteString(`"column":`)
	writeJSONStr(&to, d.valuesOf)
	n := *d
	n.Body = bytes.Replace(d.Body, from.Bytes(), to.Bytes(), 1)
	return &n
}

// parseDDLCommand parses one DDL statement. ok is false when the statement
// does not start with a keyword we handle here.
func parseDDLCommand(sql string) (*DDL, error) {
	p, err := newDDLParser(sql)
	if err != nil {
		return nil, err
	}
	t := p.peek()
	switch {
	case t.is("create"):
		p.next()
		switch {
		case p.peek().is("table"), p.peek().is("columnfamily"):
			p.next()
			return p.createTable()
		case p.peek().is("index"):
			p.next()
			return p.createIndex(DDLCreateIndex)
		case p.accept("vector", "index"):
			return p.createIndex(DDLCreateVectorIndex)
		case p.accept("text", "index"):
			return p.createIndex(DDLCreateTextIndex)
		case p.accept("custom", "index"):
			return p.createIndex("CUSTOM")
		case p.peek().is("keyspace"), p.peek().is("schema"):
			p.next()
			return p.createKeyspace()
		case p.peek().is("materialized"), p.peek().is("view"):
			return nil, p.unsupportedAt(p.peek(), "CREATE MATERIALIZED VIEW (the Data API cannot create views)")
		case p.peek().is("type"):
			return nil, p.unsupportedAt(p.peek(), "CREATE TYPE")
		case p.peek().is("function"), p.peek().is("aggregate"), p.peek().is("trigger"), p.peek().is("role"), p.peek().is("user"):
			return nil, p.unsupportedAt(p.peek(), "CREATE %s (the Data API has no such command)", strings.ToUpper(p.peek().text))
		}
		return nil, p.expected("TABLE, INDEX, VECTOR INDEX, TEXT INDEX, CUSTOM INDEX or KEYSPACE after CREATE")
	case t.is("drop"):
		p.next()
		switch {
		case p.peek().is("table"), p.peek().is("columnfamily"):
			p.next()
			return p.dropTable()
		case p.peek().is("index"):
			p.next()
			return p.dropIndex()
		case p.peek().is("keyspace"), p.peek().is("schema"):
			p.next()
			return p.dropKeyspace()
		}
		return nil, p.expected("TABLE, INDEX or KEYSPACE after DROP")
	case t.is("alter"):
		p.next()
		if !p.peek().is("table") {
			return nil, p.unsupportedAt(p.peek(), "ALTER %s (only ALTER TABLE)", strings.ToUpper(p.peek().text))
		}
		p.next()
		return p.alterTable()
	}
	return nil, p.expected("CREATE, DROP or ALTER")
}

func (p *ddlParser) ifNotExists() (bool, error) {
	if p.accept("if") {
		if err := p.expectKw("not", "exists"); err != nil {
			return false, err
		}
		return true, nil
	}
	return false, nil
}

func (p *ddlParser) ifExists() (bool, error) {
	if p.accept("if") {
		if err := p.expectKw("exists"); err != nil {
			return false, err
		}
		return true, nil
	}
	return false, nil
}

// checkName applies the server's naming rule for tables, keyspaces and
// indexes (1..max chars of [A-Za-z0-9_]) so the error comes before any request.
func checkName(t ddlTok, what, name string, max int) error {
	if len(name) == 0 || len(name) > max {
		return &SyntaxError{Line: t.line, Col: t.col, Msg: fmt.Sprintf("%s name %q must be 1 to %d characters", what, name, max)}
	}
	for _, c := range name {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return &SyntaxError{Line: t.line, Col: t.col, Msg: fmt.Sprintf("%s name %q may only use letters, digits and _ (a Data API rule)", what, name)}
		}
	}
	return nil
}

type colDef struct {
	name string
	typ  typesmap.Type
	tok  ddlTok
}

func (p *ddlParser) createTable() (*DDL, error) {
	ine, err := p.ifNotExists()
	if err != nil {
		return nil, err
	}
	nameTok := p.peek()
	ks, name, err := p.qualified("table name")
	if err != nil {
		return nil, err
	}
	if err := checkName(nameTok, "table", name, 48); err != nil {
		return nil, err
	}
	if err := p.expectP("("); err != nil {
		return nil, err
	}
	var cols []colDef
	var inlinePK []string
	var partition, clustering []string
	pkTok := ddlTok{}
	havePK := false
	for {
		if p.peek().is("primary") && p.peekAt(1).is("key") {
			pkTok = p.peek()
			p.pos += 2
			if havePK {
				return nil, p.errAt(pkTok, "more than one PRIMARY KEY")
			}
			havePK = true
			if partition, clustering, err = p.primaryKey(); err != nil {
				return nil, err
			}
		} else {
			c, pk, err := p.columnDef()
			if err != nil {
				return nil, err
			}
			for _, o := range cols {
				if o.name == c.name {
					return nil, p.errAt(c.tok, "column %q defined twice", c.name)
				}
			}
			cols = append(cols, c)
			if pk {
				inlinePK = append(inlinePK, c.name)
				pkTok = c.tok
			}
		}
		if p.acceptP(",") {
			if p.peek().isP(")") { // tolerate a trailing comma
				p.next()
				break
			}
			continue
		}
		if err := p.expectP(")"); err != nil {
			return nil, p.expected(`"," or ")"`)
		}
		break
	}
	switch {
	case len(inlinePK) > 1:
		return nil, p.errAt(pkTok, "only one column may say PRIMARY KEY; use PRIMARY KEY ((a, b), c) for a compound key")
	case len(inlinePK) == 1 && havePK:
		return nil, p.errAt(pkTok, "a column says PRIMARY KEY and a PRIMARY KEY (...) clause is given: keep one")
	case len(inlinePK) == 1:
		partition = inlinePK
	case !havePK:
		return nil, p.errAt(nameTok, "table %q has no primary key: add PRIMARY KEY to a column or a PRIMARY KEY (...) clause", name)
	}
	def := &typesmap.TableDef{Name: name, PartitionBy: partition}
	byName := map[string]colDef{}
	for _, c := range cols {
		def.Columns = append(def.Columns, typesmap.Column{Name: c.name, Type: c.typ})
		byName[c.name] = c
	}
	for _, k := range append(append([]string(nil), partition...), clustering...) {
		c, ok := byName[k]
		if !ok {
			return nil, p.errAt(pkTok, "primary key column %q is not defined in the table", k)
		}
		switch {
		case c.typ.Kind.IsCollection():
			return nil, p.errAt(c.tok, "column %q (%s) cannot be part of the primary key: the Data API creates only non-frozen collections", k, c.typ)
		case c.typ.Kind == kindDuration:
			return nil, p.errAt(c.tok, "column %q (duration) cannot be part of the primary key", k)
		case c.typ.Kind == kindVector && c.typ.Service != nil:
			return nil, p.errAt(c.tok, "column %q: a primary key column cannot be vectorized", k)
		}
	}
	seen := map[string]bool{}
	for _, k := range append(append([]string(nil), partition...), clustering...) {
		if seen[k] {
			return nil, p.errAt(pkTok, "column %q appears twice in the primary key", k)
		}
		seen[k] = true
	}
	desc := map[string]bool{}
	if p.accept("with") {
		for {
			t := p.peek()
			if p.accept("clustering", "order", "by") {
				if err := p.expectP("("); err != nil {
					return nil, err
				}
				for i := 0; ; i++ {
					ct := p.peek()
					c, err := p.ident("clustering column")
					if err != nil {
						return nil, err
					}
					if i >= len(clustering) || clustering[i] != c {
						want := "no more clustering columns"
						if i < len(clustering) {
							want = fmt.Sprintf("clustering column %q", clustering[i])
						}
						return nil, p.errAt(ct, "CLUSTERING ORDER BY must list the clustering columns in key order: expected %s, found %q", want, c)
					}
					switch {
					case p.accept("desc"):
						desc[c] = true
					case p.accept("asc"):
					}
					if p.acceptP(",") {
						continue
					}
					if err := p.expectP(")"); err != nil {
						return nil, p.expected(`"," or ")"`)
					}
					break
				}
			} else {
				return nil, p.unsupportedAt(t, "table option %s (the Data API only takes CLUSTERING ORDER BY)", t.describe())
			}
			if !p.accept("and") {
				break
			}
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	for _, c := range clustering {
		def.PartitionSort = append(def.PartitionSort, typesmap.SortColumn{Column: c, Desc: desc[c]})
	}
	defJSON, err := def.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"createTable":{"name":`)
	writeJSONStr(&b, name)
	b.WriteString(`,"definition":`)
	b.Write(defJSON)
	if ine {
		b.WriteString(`,"options":{"ifNotExists":true}`)
	}
	b.WriteString(`}}`)
	return &DDL{Kind: DDLCreateTable, Keyspace: ks, Table: name, Level: LevelKeyspace, Command: "createTable", Body: b.Bytes(), Def: def}, nil
}

// primaryKey reads "((p1, p2), c1, c2)" or "(p, c1)" after PRIMARY KEY.
func (p *ddlParser) primaryKey() (partition, clustering []string, err error) {
	if err := p.expectP("("); err != nil {
		return nil, nil, err
	}
	if p.acceptP("(") {
		for {
			c, err := p.ident("partition key column")
			if err != nil {
				return nil, nil, err
			}
			partition = append(partition, c)
			if p.acceptP(",") {
				continue
			}
			if err := p.expectP(")"); err != nil {
				return nil, nil, p.expected(`"," or ")"`)
			}
			break
		}
	} else {
		c, err := p.ident("partition key column")
		if err != nil {
			return nil, nil, err
		}
		partition = []string{c}
	}
	for p.acceptP(",") {
		c, err := p.ident("clustering column")
		if err != nil {
			return nil, nil, err
		}
		clustering = append(clustering, c)
	}
	if err := p.expectP(")"); err != nil {
		return nil, nil, p.expected(`"," or ")"`)
	}
	return partition, clustering, nil
}

// columnDef reads "name type [STATIC] [PRIMARY KEY] [VECTORIZE ...]".
func (p *ddlParser) columnDef() (colDef, bool, error) {
	tok := p.peek()
	name, err := p.ident("column name")
	if err != nil {
		return colDef{}, false, err
	}
	typ, err := p.columnType(name)
	if err != nil {
		return colDef{}, false, err
	}
	pk := false
	for {
		switch {
		case p.accept("primary", "key"):
			pk = true
			continue
		case p.peek().is("static"):
			return colDef{}, false, p.unsupportedAt(p.peek(), "STATIC columns in CREATE TABLE (the Data API cannot create them)")
		case p.peek().is("vectorize"):
			vt := p.next()
			if typ.Kind != kindVector {
				return colDef{}, false, p.errAt(vt, "VECTORIZE is only allowed on vector columns, and %q is %s", name, typ)
			}
			svc, err := p.vectorizeService()
			if err != nil {
				return colDef{}, false, err
			}
			typ.Service = svc
			continue
		}
		break
	}
	if typ.Kind == kindVector && typ.Dimension == 0 && typ.Service == nil {
		return colDef{}, false, p.errAt(tok, "vector column %q needs a dimension (vector<float, n>) or a VECTORIZE clause", name)
	}
	return colDef{name: name, typ: typ, tok: tok}, pk, nil
}

// vectorizeService reads "USING 'provider' [MODEL 'model'] [WITH {...}]"
// after VECTORIZE.
func (p *ddlParser) vectorizeService() (*typesmap.VectorizeService, error) {
	if err := p.expectKw("using"); err != nil {
		return nil, err
	}
	provider, err := p.str("provider name in quotes (e.g. 'nvidia')")
	if err != nil {
		return nil, err
	}
	svc := &typesmap.VectorizeService{Provider: provider}
	if p.accept("model") {
		if svc.ModelName, err = p.str("model name in quotes"); err != nil {
			return nil, err
		}
	}
	if p.peek().is("with") && p.peekAt(1).isP("{") {
		p.next()
		wt := p.peek()
		v, err := p.literal()
		if err != nil {
			return nil, err
		}
		for _, e := range v.(orderedMap) {
			m, ok := e.v.(orderedMap)
			if !ok {
				return nil, p.errAt(wt, "vectorize option %q must be a map {...}", e.k)
			}
			switch e.k {
			case "authentication":
				svc.Authentication = m.toMap()
			case "parameters":
				svc.Parameters = m.toMap()
			default:
				return nil, p.errAt(wt, "unknown vectorize option %q: expected 'authentication' or 'parameters'", e.k)
			}
		}
	}
	return svc, nil
}

// columnType reads a CQL type up to the end of the column definition and
// checks that the Data API can create it.
func (p *ddlParser) columnType(col string) (typesmap.Type, error) {
	start := p.peek()
	depth := 0
	end := p.pos
	for {
		t := p.toks[end]
		if t.kind == tEOF {
			break
		}
		if depth == 0 && (t.isP(",") || t.isP(")") || t.is("primary") || t.is("vectorize") || t.is("static")) {
			break
		}
		if t.isP("<") {
			depth++
		} else if t.isP(">") {
			depth--
		}
		end++
	}
	if end == p.pos {
		return typesmap.Type{}, p.expected(fmt.Sprintf("a type for column %q", col))
	}
	for i := p.pos; i < end; i++ {
		t := p.toks[i]
		if t.kind != tIdent {
			continue
		}
		switch strings.ToLower(t.text) {
		case "frozen":
			return typesmap.Type{}, p.unsupportedAt(t, "frozen type for column %q (the Data API creates non-frozen collections only)", col)
		case "counter", "timeuuid":
			return typesmap.Type{}, p.unsupportedAt(t, "type %s for column %q (the Data API cannot create %s columns; it reads them in tables made with CQL)", strings.ToLower(t.text), col, strings.ToLower(t.text))
		case "tuple":
			return typesmap.Type{}, p.unsupportedAt(t, "tuple type for column %q (the Data API has no tuples)", col)
		}
	}
	text := strings.TrimSpace(p.src[start.off:p.toks[end].off])
	p.pos = end
	lower := strings.ToLower(strings.Join(strings.Fields(text), ""))
	if lower == "vector" || lower == "vector<float>" {
		return typesmap.Type{Kind: kindVector}, nil // dimension from the vectorize model
	}
	typ, err := typesmap.ParseCQL(text)
	if err != nil {
		return typesmap.Type{}, p.errAt(start, "column %q: bad type %q: %v", col, text, unwrapTypesmapErr(err))
	}
	if err := checkCreatable(typ, true); err != nil {
		return typesmap.Type{}, p.errAt(start, "column %q: %v", col, err)
	}
	return typ, nil
}

func unwrapTypesmapErr(err error) string {
	return strings.TrimPrefix(err.Error(), "typesmap: ")
}

// checkCreatable applies the Data API's createTable rules to a type.
func checkCreatable(t typesmap.Type, top bool) error {
	switch {
	case t.Kind == typesmap.UserDefined:
		return fmt.Errorf("unknown type %q (user-defined types are not supported by astrasql DDL)", t.UDTName)
	case t.Kind.IsPrimitive():
		return nil
	case t.Kind == kindVector:
		if !top {
			return fmt.Errorf("vector cannot be nested in a collection")
		}
		return nil
	case t.Kind.IsCollection():
		if !top {
			return fmt.Errorf("nested collections (%s inside a collection) cannot be created through the Data API", t)
		}
		if t.Key != nil {
			if !t.Key.Kind.IsPrimitive() {
				return fmt.Errorf("map key type must be a scalar type, not %s", t.Key)
			}
			if t.Key.Kind == kindDuration {
				return fmt.Errorf("map key type cannot be duration")
			}
		}
		if t.Value == nil {
			return fmt.Errorf("%s needs an element type", t.Kind)
		}
		return checkCreatable(*t.Value, false)
	}
	return fmt.Errorf("type %s cannot be created through the Data API", t)
}

func (p *ddlParser) dropTable() (*DDL, error) {
	ie, err := p.ifExists()
	if err != nil {
		return nil, err
	}
	ks, name, err := p.qualified("table name")
	if err != nil {
		return nil, err
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	return &DDL{Kind: DDLDropTable, Keyspace: ks, Table: name, Level: LevelKeyspace, Command: "dropTable",
		Body: nameCommand("dropTable", name, "ifExists", ie)}, nil
}

func (p *ddlParser) dropIndex() (*DDL, error) {
	ie, err := p.ifExists()
	if err != nil {
		return nil, err
	}
	ks, name, err := p.qualified("index name")
	if err != nil {
		return nil, err
	}
	if p.peek().is("on") {
		return nil, p.errAt(p.peek(), "DROP INDEX takes no ON clause: index names are unique in a keyspace")
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	return &DDL{Kind: DDLDropIndex, Keyspace: ks, Level: LevelKeyspace, Command: "dropIndex",
		Body: nameCommand("dropIndex", name, "ifExists", ie)}, nil
}

func nameCommand(cmd, name, opt string, on bool) json.RawMessage {
	var b bytes.Buffer
	b.WriteString(`{"` + cmd + `":{"name":`)
	writeJSONStr(&b, name)
	if on {
		b.WriteString(`,"options":{"` + opt + `":true}`)
	}
	b.WriteString(`}}`)
	return b.Bytes()
}

func (p *ddlParser) alterTable() (*DDL, error) {
	ks, name, err := p.qualified("table name")
	if err != nil {
		return nil, err
	}
	d := &DDL{Kind: DDLAlterTable, Keyspace: ks, Table: name, Level: LevelTable, Command: "alterTable"}
	var op bytes.Buffer
	switch {
	case p.accept("add"):
		p.accept("column")
		paren := p.acceptP("(")
		var cols []typesmap.Column
		for {
			c, pk, err := p.columnDef()
			if err != nil {
				return nil, err
			}
			if pk {
				return nil, p.errAt(c.tok, "ALTER TABLE cannot add a primary key column")
			}
			cols = append(cols, typesmap.Column{Name: c.name, Type: c.typ})
			if paren && p.acceptP(",") {
				continue
			}
			if !paren && p.peek().isP(",") {
				return nil, p.errAt(p.peek(), "to add several columns write ADD (c1 type1, c2 type2)")
			}
			break
		}
		if paren {
			if err := p.expectP(")"); err != nil {
				return nil, p.expected(`"," or ")"`)
			}
		}
		enc, err := typesmap.EncodeColumns(cols)
		if err != nil {
			return nil, err
		}
		op.WriteString(`{"add":{"columns":`)
		op.Write(enc)
		op.WriteString(`}}`)
	case p.accept("drop"):
		if p.peek().is("vectorize") {
			return nil, p.errAt(p.peek(), "write ALTER TABLE t ALTER column DROP VECTORIZE")
		}
		p.accept("column")
		names, err := p.nameList("column name")
		if err != nil {
			return nil, err
		}
		op.WriteString(`{"drop":{"columns":`)
		writeJSONStrs(&op, names)
		op.WriteString(`}}`)
	case p.accept("alter"):
		p.accept("column")
		col, err := p.ident("column name")
		if err != nil {
			return nil, err
		}
		switch {
		case p.accept("vectorize"):
			svc, err := p.vectorizeService()
			if err != nil {
				return nil, err
			}
			s, _ := json.Marshal(svc)
			op.WriteString(`{"addVectorize":{"columns":{`)
			writeJSONStr(&op, col)
			op.WriteByte(':')
			op.Write(s)
			op.WriteString(`}}}`)
		case p.accept("drop", "vectorize"):
			op.WriteString(`{"dropVectorize":{"columns":`)
			writeJSONStrs(&op, []string{col})
			op.WriteString(`}}`)
		case p.peek().is("type"):
			return nil, p.unsupportedAt(p.peek(), "ALTER TABLE ... ALTER column TYPE (the Data API cannot change a column's type)")
		default:
			return nil, p.expected("VECTORIZE USING ... or DROP VECTORIZE")
		}
	case p.peek().is("rename"):
		return nil, p.unsupportedAt(p.peek(), "ALTER TABLE ... RENAME (the Data API cannot rename columns)")
	case p.peek().is("with"):
		return nil, p.unsupportedAt(p.peek(), "ALTER TABLE ... WITH (the Data API cannot change table options)")
	default:
		return nil, p.expected("ADD, DROP or ALTER column VECTORIZE")
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"alterTable":{"operation":`)
	b.Write(op.Bytes())
	b.WriteString(`}}`)
	d.Body = b.Bytes()
	return d, nil
}

// nameList reads "c" or "(c1, c2, ...)".
func (p *ddlParser) nameList(what string) ([]string, error) {
	if !p.acceptP("(") {
		n, err := p.ident(what)
		if err != nil {
			return nil, err
		}
		var names = []string{n}
		for p.acceptP(",") { // DROP a, b (as some dialects allow)
			n, err := p.ident(what)
			if err != nil {
				return nil, err
			}
			names = append(names, n)
		}
		return names, nil
	}
	var names []string
	for {
		n, err := p.ident(what)
		if err != nil {
			return nil, err
		}
		names = append(names, n)
		if p.acceptP(",") {
			continue
		}
		if err := p.expectP(")"); err != nil {
			return nil, p.expected(`"," or ")"`)
		}
		return names, nil
	}
}

// Text analysis options of a regular index, CQL spelling -> Data API.
var textIndexOptions = map[string]string{
	"ascii": "ascii", "case_sensitive": "caseSensitive", "casesensitive": "caseSensitive", "normalize": "normalize",
}

// Vector metrics and source models the server knows (spec 3.6).
var (
	vectorMetrics      = []string{"cosine", "dot_product", "euclidean"}
	vectorSourceModels = []string{"ada002", "bert", "cohere-v3", "gecko", "nv-qa-4", "openai-v3-large", "openai-v3-small", "other"}
)

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// createIndex reads the rest of CREATE [VECTOR|TEXT|CUSTOM] INDEX.
func (p *ddlParser) createIndex(kind DDLKind) (*DDL, error) {
	ine, err := p.ifNotExists()
	if err != nil {
		return nil, err
	}
	var idxKs, name string
	nameTok := p.peek()
	if !p.peek().is("on") {
		if idxKs, name, err = p.qualified("index name"); err != nil {
			return nil, err
		}
		if err := checkName(nameTok, "index", name, 100); err != nil {
			return nil, err
		}
	}
	if err := p.expectKw("on"); err != nil {
		return nil, err
	}
	ks, table, err := p.qualified("table name")
	if err != nil {
		return nil, err
	}
	if idxKs != "" && ks != "" && idxKs != ks {
		return nil, p.errAt(nameTok, "index keyspace %q differs from table keyspace %q", idxKs, ks)
	}
	if ks == "" {
		ks = idxKs
	}
	if err := p.expectP("("); err != nil {
		return nil, err
	}
	fn := ""
	colTok := p.peek()
	if t := p.peek(); t.kind == tIdent && p.peekAt(1).isP("(") {
		switch strings.ToLower(t.text) {
		case "keys", "values", "entries":
			fn = strings.ToLower(t.text)
		case "full":
			return nil, p.unsupportedAt(t, "FULL() indexes (the Data API indexes no frozen collections)")
		default:
			return nil, p.errAt(t, "expected a column, KEYS(c), VALUES(c) or ENTRIES(c), found %s(", t.text)
		}
		p.pos += 2
	}
	col, err := p.ident("indexed column")
	if err != nil {
		return nil, err
	}
	if fn != "" {
		if err := p.expectP(")"); err != nil {
			return nil, err
		}
	}
	if p.peek().isP(",") {
		return nil, p.errAt(p.peek(), "an index covers exactly one column")
	}
	if err := p.expectP(")"); err != nil {
		return nil, err
	}
	if name == "" { // Cassandra's default index name
		name = table + "_" + col + "_idx"
		if err := checkName(colTok, "index", name, 100); err != nil {
			return nil, err
		}
	}
	// USING 'sai' / 'StorageAttachedIndex' is what the Data API creates anyway.
	if p.accept("using") {
		ut := p.peek()
		u, err := p.str("index class in quotes ('sai' or 'StorageAttachedIndex')")
		if err != nil {
			return nil, err
		}
		if !strings.EqualFold(u, "sai") && !strings.HasSuffix(strings.ToLower(u), "storageattachedindex") {
			return nil, p.unsupportedAt(ut, "index class %q (the Data API creates StorageAttachedIndex (SAI) indexes only)", u)
		}
	} else if kind == "CUSTOM" {
		return nil, p.expected("USING 'StorageAttachedIndex'")
	}
	// Options: WITH OPTIONS = {...} (CQL) or WITH k = v [AND k = v].
	opts := orderedMap{}
	if p.accept("with") {
		optTok := p.peek()
		if p.accept("options") {
			if err := p.expectP("="); err != nil {
				return nil, err
			}
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			m, ok := v.(orderedMap)
			if !ok {
				return nil, p.errAt(optTok, "OPTIONS must be a map {'name': 'value', ...}")
			}
			opts = m
		} else {
			for {
				kt := p.peek()
				k, err := p.ident("option name")
				if err != nil {
					return nil, err
				}
				_ = kt
				if err := p.expectP("="); err != nil {
					return nil, err
				}
				v, err := p.literal()
				if err != nil {
					return nil, err
				}
				opts = append(opts, kv{k, v})
				if !p.accept("and") {
					break
				}
			}
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	if kind == "CUSTOM" {
		kind = DDLCreateIndex
		for _, o := range opts {
			switch strings.ToLower(o.k) {
			case "similarity_function", "source_model":
				kind = DDLCreateVectorIndex
			}
		}
	}
	d := &DDL{Kind: kind, Keyspace: ks, Table: table, Level: LevelTable}
	var b bytes.Buffer
	var def orderedMap
	var column any = col
	switch kind {
	case DDLCreateIndex:
		d.Command = "createIndex"
		if fn == "keys" || fn == "values" {
			column = orderedMap{{col, "$" + fn}}
		}
		if fn == "values" {
			d.valuesOf = col
		}
		iopts := orderedMap{}
		for _, o := range opts {
			api, ok := textIndexOptions[strings.ToLower(o.k)]
			if !ok {
				return nil, p.errAt(nameTok, "unknown index option %q: expected ascii, case_sensitive or normalize", o.k)
			}
			bv, ok := asBool(o.v)
			if !ok {
				return nil, p.errAt(nameTok, "index option %q must be true or false", o.k)
			}
			iopts = append(iopts, kv{api, bv})
		}
		if len(iopts) > 0 && fn == "entries" {
			return nil, p.errAt(nameTok, "text analysis options cannot be used on a map ENTRIES index")
		}
		def = orderedMap{{"column", column}}
		if len(iopts) > 0 {
			def = append(def, kv{"options", iopts})
		}
	case DDLCreateVectorIndex:
		d.Command = "createVectorIndex"
		if fn != "" {
			return nil, p.errAt(colTok, "a vector index takes a plain vector column, not %s(...)", strings.ToUpper(fn))
		}
		vopts := orderedMap{}
		for _, o := range opts {
			s, ok := o.v.(string)
			switch strings.ToLower(o.k) {
			case "metric", "similarity_function":
				s = strings.ToLower(s)
				if !ok || !oneOf(s, vectorMetrics) {
					return nil, p.errAt(nameTok, "unknown vector metric %v: expected one of %s", o.v, strings.Join(vectorMetrics, ", "))
				}
				vopts = append(vopts, kv{"metric", s})
			case "source_model", "sourcemodel":
				s = strings.ToLower(s)
				if !ok || !oneOf(s, vectorSourceModels) {
					return nil, p.errAt(nameTok, "unknown vector source model %v: expected one of %s", o.v, strings.Join(vectorSourceModels, ", "))
				}
				vopts = append(vopts, kv{"sourceModel", s})
			default:
				return nil, p.errAt(nameTok, "unknown vector index option %q: expected metric (similarity_function) or source_model", o.k)
			}
		}
		def = orderedMap{{"column", col}}
		if len(vopts) > 0 {
			def = append(def, kv{"options", vopts})
		}
	case DDLCreateTextIndex:
		d.Command = "createTextIndex"
		if fn != "" {
			return nil, p.errAt(colTok, "a text index takes a plain text column, not %s(...)", strings.ToUpper(fn))
		}
		topts := orderedMap{}
		for _, o := range opts {
			if strings.ToLower(o.k) != "analyzer" && strings.ToLower(o.k) != "index_analyzer" {
				return nil, p.errAt(nameTok, "unknown text index option %q: expected analyzer", o.k)
			}
			topts = append(topts, kv{"analyzer", o.v})
		}
		def = orderedMap{{"column", col}}
		if len(topts) > 0 {
			def = append(def, kv{"options", topts})
		}
	}
	body := orderedMap{{"name", name}, {"definition", def}}
	if ine {
		body = append(body, kv{"options", orderedMap{{"ifNotExists", true}}})
	}
	b.WriteString(`{"` + d.Command + `":`)
	enc, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	b.Write(enc)
	b.WriteString(`}`)
	d.Body = b.Bytes()
	return d, nil
}

func asBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		b, err := strconv.ParseBool(x)
		return b, err == nil
	}
	return false, false
}

func (p *ddlParser) createKeyspace() (*DDL, error) {
	ine, err := p.ifNotExists()
	if err != nil {
		return nil, err
	}
	nt := p.peek()
	name, err := p.ident("keyspace name")
	if err != nil {
		return nil, err
	}
	if err := checkName(nt, "keyspace", name, 48); err != nil {
		return nil, err
	}
	body := orderedMap{{"name", name}}
	if p.accept("with") {
		if err := p.expectKw("replication"); err != nil {
			return nil, err
		}
		if err := p.expectP("="); err != nil {
			return nil, err
		}
		rt := p.peek()
		v, err := p.literal()
		if err != nil {
			return nil, err
		}
		m, ok := v.(orderedMap)
		if !ok {
			return nil, p.errAt(rt, "replication must be a map {'class': ..., ...}")
		}
		// The Data API wants replication_factor and per-DC counts as numbers.
		for i, e := range m {
			if s, ok := e.v.(string); ok && e.k != "class" {
				if _, err := strconv.Atoi(s); err == nil {
					m[i].v = jsonNumber(s)
				}
			}
		}
		body = append(body, kv{"options", orderedMap{{"replication", m}}})
		if p.accept("and") {
			return nil, p.errAt(p.peek(), "only the replication option is supported")
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	_ = ine // createKeyspace is idempotent on the server: an existing keyspace is left alone.
	enc, _ := json.Marshal(orderedMap{{"createKeyspace", body}})
	return &DDL{Kind: DDLCreateKeyspace, Keyspace: name, Level: LevelDatabase, Command: "createKeyspace", Body: enc}, nil
}

func (p *ddlParser) dropKeyspace() (*DDL, error) {
	if _, err := p.ifExists(); err != nil {
		return nil, err
	}
	name, err := p.ident("keyspace name")
	if err != nil {
		return nil, err
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	enc, _ := json.Marshal(orderedMap{{"dropKeyspace", orderedMap{{"name", name}}}})
	return &DDL{Kind: DDLDropKeyspace, Keyspace: name, Level: LevelDatabase, Command: "dropKeyspace", Body: enc}, nil
}

// kv and orderedMap build JSON objects that keep key order (the
// server reads key order for partitionSort; for the rest it keeps EXPLAIN
// output identical to what the user wrote).
type kv struct {
	k string
	v any
}

type orderedMap []kv

func (m orderedMap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONStr(&b, e.k)
		b.WriteByte(':')
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (m orderedMap) toMap() map[string]any {
	out := make(map[string]any, len(m))
	for _, e := range m {
		if sub, ok := e.v.(orderedMap); ok {
			out[e.k] = sub.toMap()
		} else {
			out[e.k] = e.v
		}
	}
	return out
}

// jsonNumber is a number literal written to JSON as is.
type jsonNumber string

func (n jsonNumber) MarshalJSON() ([]byte, error) {
	if !json.Valid([]byte(n)) {
		return nil, fmt.Errorf("bad number %s", string(n))
	}
	return []byte(n), nil
}

func writeJSONStr(b *bytes.Buffer, s string) {
	q, _ := json.Marshal(s)
	b.Write(q)
}

func writeJSONStrs(b *bytes.Buffer, s []string) {
	q, _ := json.Marshal(s)
	b.Write(q)
}

// Kind names used here, spelled as the wire does (independent of the
// typesmap constant names).
const (
	kindVector   = typesmap.Kind("vector")
	kindDuration = typesmap.Kind("duration")
)

// The DDL scanner: a tiny tokenizer of our own for CQL-flavoured DDL and the
// SHOW/DESCRIBE statements. xwb1989/sqlparser cannot parse Cassandra types
// (list<text>, vector<float, 3>) and its parser may log, so DDL never goes
// through it.

type ddlTokKind int

const (
	tEOF    ddlTokKind = iota
	tIdent             // bare identifier or keyword
	tQIdent            // "quoted" or `quoted` identifier: case kept, never a keyword
	tString            // 'single quoted'
	tNumber
	tPunct // one of ( ) , . < > ; = { } : [ ] - +
)

type ddlTok struct {
	kind      ddlTokKind
	text      string // identifier text, unquoted string value, number or punctuation
	line, col int
	off       int // byte offset in the source
}

func (t ddlTok) describe() string {
	switch t.kind {
	case tEOF:
		return "end of statement"
	case tString:
		return fmt.Sprintf("string '%s'", t.text)
	case tQIdent:
		return fmt.Sprintf("identifier %q", t.text)
	case tPunct:
		return fmt.Sprintf("%q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// is reports whether t is the keyword kw (case-insensitive, bare identifiers only).
func (t ddlTok) is(kw string) bool { return t.kind == tIdent && strings.EqualFold(t.text, kw) }

// isP reports whether t is the punctuation p.
func (t ddlTok) isP(p string) bool { return t.kind == tPunct && t.text == p }

func scanDDL(src string) ([]ddlTok, error) {
	var toks []ddlTok
	line, col := 1, 1
	i := 0
	adv := func(n int) {
		for k := 0; k < n && i < len(src); k++ {
			if src[i] == '\n' {
				line++
				col = 1
			} else if src[i]&0xC0 != 0x80 { // count runes, not bytes
				col++
			}
			i++
		}
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			adv(1)
			continue
		case c == '-' && i+1 < len(src) && src[i+1] == '-', c == '/' && i+1 < len(src) && src[i+1] == '/', c == '#':
			for i < len(src) && src[i] != '\n' {
				adv(1)
			}
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			l, cl := line, col
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, &SyntaxError{Line: l, Col: cl, Msg: "unterminated comment"}
			}
			adv(end + 4)
			continue
		}
		tok := ddlTok{line: line, col: col, off: i}
		switch {
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80:
			j := i
			for j < len(src) {
				d := src[j]
				if d == '_' || d == '$' || d >= 'a' && d <= 'z' || d >= 'A' && d <= 'Z' || d >= '0' && d <= '9' || d >= 0x80 {
					j++
					continue
				}
				break
			}
			tok.kind, tok.text = tIdent, src[i:j]
			adv(j - i)
		case c >= '0' && c <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' || src[j] == 'e' || src[j] == 'E' ||
				(src[j] == '-' || src[j] == '+') && j > i && (src[j-1] == 'e' || src[j-1] == 'E')) {
				j++
			}
			tok.kind, tok.text = tNumber, src[i:j]
			adv(j - i)
		case c == '\'' || c == '"' || c == '`':
			var b strings.Builder
			j := i + 1
			closed := false
			for j < len(src) {
				if src[j] == c {
					if j+1 < len(src) && src[j+1] == c { // doubled quote
						b.WriteByte(c)
						j += 2
						continue
					}
					closed = true
					break
				}
				if c == '\'' && src[j] == '\\' && j+1 < len(src) {
					j++
				}
				b.WriteByte(src[j])
				j++
			}
			if !closed {
				return nil, &SyntaxError{Line: line, Col: col, Msg: "unterminated quoted text"}
			}
			tok.text = b.String()
			if c == '\'' {
				tok.kind = tString
			} else {
				tok.kind = tQIdent
			}
			adv(j + 1 - i)
		case strings.IndexByte("(),.<>;={}:[]-+*", c) >= 0:
			tok.kind, tok.text = tPunct, string(c)
			adv(1)
		default:
			return nil, &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf("unexpected character %q", c)}
		}
		toks = append(toks, tok)
	}
	toks = append(toks, ddlTok{kind: tEOF, line: line, col: col, off: len(src)})
	return toks, nil
}

// ddlParser walks the token list.
type ddlParser struct {
	src  string
	toks []ddlTok
	pos  int
}

func newDDLParser(src string) (*ddlParser, error) {
	toks, err := scanDDL(src)
	if err != nil {
		return nil, err
	}
	return &ddlParser{src: src, toks: toks}, nil
}

func (p *ddlParser) peek() ddlTok { return p.toks[p.pos] }

func (p *ddlParser) peekAt(n int) ddlTok {
	if p.pos+n < len(p.toks) {
		return p.toks[p.pos+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *ddlParser) next() ddlTok {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *ddlParser) errAt(t ddlTok, format string, args ...any) error {
	return &SyntaxError{Line: t.line, Col: t.col, Msg: fmt.Sprintf(format, args...)}
}

// unsupportedAt reports a construct the Data API cannot do, at t.
func (p *ddlParser) unsupportedAt(t ddlTok, format string, args ...any) error {
	return &UnsupportedError{What: fmt.Sprintf(format, args...), Line: t.line, Col: t.col}
}

// expected reports what was expected at the current token.
func (p *ddlParser) expected(what string) error {
	t := p.peek()
	return p.errAt(t, "expected %s, found %s", what, t.describe())
}

// accept consumes the keyword sequence kws if it is next.
func (p *ddlParser) accept(kws ...string) bool {
	for i, kw := range kws {
		if !p.peekAt(i).is(kw) {
			return false
		}
	}
	p.pos += len(kws)
	return true
}

func (p *ddlParser) expectKw(kws ...string) error {
	for _, kw := range kws {
		if !p.peek().is(kw) {
			return p.expected(strings.ToUpper(kw))
		}
		p.pos++
	}
	return nil
}

func (p *ddlParser) acceptP(s string) bool {
	if p.peek().isP(s) {
		p.pos++
		return true
	}
	return false
}

func (p *ddlParser) expectP(s string) error {
	if !p.acceptP(s) {
		return p.expected(fmt.Sprintf("%q", s))
	}
	return nil
}

// ident reads an identifier. Bare identifiers are case-insensitive in CQL
// (folded to lower case); quoted ones keep their case.
func (p *ddlParser) ident(what string) (string, error) {
	t := p.peek()
	switch t.kind {
	case tIdent:
		p.pos++
		return strings.ToLower(t.text), nil
	case tQIdent:
		if t.text == "" {
			return "", p.errAt(t, "empty %s", what)
		}
		p.pos++
		return t.text, nil
	}
	return "", p.expected(what)
}

// qualified reads [keyspace.]name.
func (p *ddlParser) qualified(what string) (ks, name string, err error) {
	name, err = p.ident(what)
	if err != nil {
		return "", "", err
	}
	if p.acceptP(".") {
		ks = name
		if name, err = p.ident(what); err != nil {
			return "", "", err
		}
	}
	return ks, name, nil
}

// str reads a 'string'.
func (p *ddlParser) str(what string) (string, error) {
	t := p.peek()
	if t.kind != tString {
		return "", p.expected(what)
	}
	p.pos++
	return t.text, nil
}

// end accepts an optional ';' and requires the end of the statement.
func (p *ddlParser) end() error {
	p.acceptP(";")
	if p.peek().kind != tEOF {
		return p.expected("end of statement")
	}
	return nil
}

// literal reads an option value: 'string', number, true/false, or a map
// literal {'k': v, ...} (also with = instead of :), or a list [v, ...].
func (p *ddlParser) literal() (any, error) {
	t := p.peek()
	switch {
	case t.kind == tString:
		p.pos++
		return t.text, nil
	case t.kind == tNumber:
		p.pos++
		return jsonNumber(t.text), nil
	case t.isP("-") && p.peekAt(1).kind == tNumber:
		p.pos += 2
		return jsonNumber("-" + p.toks[p.pos-1].text), nil
	case t.is("true"), t.is("false"):
		p.pos++
		return strings.EqualFold(t.text, "true"), nil
	case t.is("null"):
		p.pos++
		return nil, nil
	case t.isP("{"):
		p.pos++
		m := orderedMap{}
		for !p.acceptP("}") {
			if len(m) > 0 {
				if err := p.expectP(","); err != nil {
					return nil, err
				}
			}
			kt := p.peek()
			var key string
			switch kt.kind {
			case tString, tQIdent, tIdent:
				key = kt.text
				p.pos++
			default:
				return nil, p.expected("an option name")
			}
			if !p.acceptP(":") && !p.acceptP("=") {
				return nil, p.expected(`":"`)
			}
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			m = append(m, kv{key, v})
		}
		return m, nil
	case t.isP("["):
		p.pos++
		var l []any
		for !p.acceptP("]") {
			if len(l) > 0 {
				if err := p.expectP(","); err != nil {
					return nil, err
				}
			}
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		if l == nil {
			l = []any{}
		}
		return l, nil
	}
	return nil, p.expected("a value ('text', number, true/false or {...})")
}
