package dataapitest

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/astrasql/astrasql/typesmap"
)

type keyspace struct {
	name        string
	tables      map[string]*table
	collections map[string]*collection
	types       map[string]*udtDef
	indexes     map[string]*index // index names are keyspace-scoped
}

func newKeyspace(name string) *keyspace {
	return &keyspace{name: name, tables: map[string]*table{}, collections: map[string]*collection{},
		types: map[string]*udtDef{}, indexes: map[string]*index{}}
}

type udtDef struct {
	name   string
	fields []typesmap.Column
}

func (u *udtDef) index(name string) int {
	for i, f := range u.fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

type column struct {
	name string
	typ  typesmap.Type
}

type index struct {
	name     string
	table    *table
	column   string
	function string // "", "keys", "values", "entries"
	kind     string // regular, vector, text
	options  *jv    // as listIndexes reports them
	metric   string // vector indexes
}

// target is the CQL index target, as the server's filter analysis compares it.
func (i *index) target() string {
	if i.function != "" {
		return i.function + "(" + i.column + ")"
	}
	return i.column
}

type table struct {
	ks          *keyspace
	name        string
	cols        []*column
	partitionBy []string
	clustering  []typesmap.SortColumn
	indexes     []*index
	dropped     map[string]typesmap.Type

	mu    sync.RWMutex // guards the rows below
	store store
}

// orderColumns puts columns in the order Cassandra reports them (and
// SELECT * returns them): partition key, clustering columns, then the
// other columns by name.
func (t *table) orderColumns() {
	var out []*column
	for _, n := range t.pkNames() {
		out = append(out, t.col(n))
	}
	var rest []*column
	for _, c := range t.cols {
		if !t.isPK(c.name) {
			rest = append(rest, c)
		}
	}
	sort.SliceStable(rest, func(i, j int) bool { return rest[i].name < rest[j].name })
	t.cols = append(out, rest...)
}

func (t *table) col(name string) *column {
	for _, c := range t.cols {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (t *table) pkNames() []string {
	pk := append([]string(nil), t.partitionBy...)
	for _, s := range t.clustering {
		pk = append(pk, s.Column)
	}
	return pk
}

func (t *table) isPK(name string) bool {
	for _, n := range t.partitionBy {
		if n == name {
			return true
		}
	}
	for _, s := range t.clustering {
		if s.Column == name {
			return true
		}
	}
	return false
}

func (t *table) clusteringIndex(name string) int {
	for i, s := range t.clustering {
		if s.Column == name {
			return i
		}
	}
	return -1
}

func (t *table) ctx() *codecCtx { return &codecCtx{udts: t.ks.types} }

// indexedScalar reports whether a plain index targets the column.
func (t *table) indexOn(col string) *index {
	for _, i := range t.indexes {
		if i.target() == col {
			return i
		}
	}
	return nil
}

func (t *table) vectorIndex(col string) *index {
	for _, i := range t.indexes {
		if i.column == col && i.kind == "vector" {
			return i
		}
	}
	return nil
}

// ---- descriptors ----

// apiType is the descriptor the server reports for a column: vectors and
// top-level UDT columns carry apiSupport (they cannot be filtered).
func (t *table) descriptor(c *column, dml bool) typesmap.Type {
	d := c.typ
	switch d.Kind {
	case typesmap.KindVector:
		d.APISupport = &typesmap.APISupport{CreateTable: true, Insert: true, Read: true, Filter: false, CQLDefinition: d.String()}
	case typesmap.UserDefined:
		d.APISupport = &typesmap.APISupport{CreateTable: true, Insert: true, Read: true, Filter: false, CQLDefinition: d.UDTName}
		if dml {
			if u := t.ks.types[d.UDTName]; u != nil {
				d.Fields = u.fields
			}
		}
	}
	if dml && (d.Kind.IsCollection()) && d.Value != nil && d.Value.Kind == typesmap.UserDefined {
		v := *d.Value
		if u := t.ks.types[v.UDTName]; u != nil {
			v.Fields = u.fields
		}
		d.Value = &v
	}
	return d
}

func rawType(t typesmap.Type) *jv {
	b, err := t.MarshalJSON()
	if err != nil {
		return jStr(string(t.Kind))
	}
	return &jv{kind: jRaw, s: string(b)}
}

func (t *table) definitionJV() *jv {
	cols := jObj()
	for _, c := range t.cols {
		cols.set(c.name, rawType(t.descriptor(c, false)))
	}
	pb := jArr()
	for _, p := range t.partitionBy {
		pb.arr = append(pb.arr, jStr(p))
	}
	ps := jObj()
	for _, s := range t.clustering {
		if s.Desc {
			ps.set(s.Column, jInt(-1))
		} else {
			ps.set(s.Column, jInt(1))
		}
	}
	return jObj(member{"columns", cols}, member{"primaryKey", jObj(member{"partitionBy", pb}, member{"partitionSort", ps})})
}

// ---- request helpers ----

func fieldUnknown(path, name string, known []string) *apiError {
	q := make([]string, len(known))
	for i, k := range known {
		q[i] = `"` + k + `"`
	}
	return newErr("", "COMMAND_FIELD_UNKNOWN", "Command field '%s' not recognized: Unrecognized field \"%s\" (%d known properties: %s).", path+name, name, len(known), strings.Join(q, ", "))
}

// checkFields rejects members of v not in known.
func checkFields(v *jv, path string, known ...string) *apiError {
	if v == nil || v.kind != jObject {
		return nil
	}
	for _, m := range v.obj {
		ok := false
		for _, k := range known {
			if m.key == k {
				ok = true
				break
			}
		}
		if !ok {
			return fieldUnknown(path, m.key, known)
		}
	}
	return nil
}

func mismatch(format string, args ...any) *apiError {
	return newErr("", "REQUEST_STRUCTURE_MISMATCH", "Request invalid, mismatching JSON structure: "+format+".", args...)
}

// objectField returns the member name of v as an object (nil if absent or null).
func objectField(v *jv, name, path string) (*jv, *apiError) {
	f := v.get(name)
	if f.isNull() {
		return nil, nil
	}
	if f.kind != jObject {
		return nil, mismatch("field '%s%s' must be an object, not %s", path, name, f.kind)
	}
	return f, nil
}

func boolField(v *jv, name, path string) (bool, *apiError) {
	f := v.get(name)
	if f.isNull() {
		return false, nil
	}
	if f.kind != jBool {
		return false, mismatch("field '%s%s' must be a boolean, not %s", path, name, f.kind)
	}
	return f.b, nil
}

func stringField(v *jv, name, path string) (string, *apiError) {
	f := v.get(name)
	if f.isNull() {
		return "", nil
	}
	if f.kind != jString {
		return "", mismatch("field '%s%s' must be a string, not %s", path, name, f.kind)
	}
	return f.s, nil
}

// optionFlag reads the prologue the DDL and list commands share: it checks
// the body's members against known and takes the options object, allowing
// only the boolean flag (ifNotExists, ifExists, explain), and its value.
func optionFlag(b *jv, flag string, known ...string) (bool, *apiError) {
	if e := checkFields(b, "", known...); e != nil {
		return false, e
	}
	opts, e := objectField(b, "options", "")
	if e != nil {
		return false, e
	}
	if e := checkFields(opts, "options.", flag); e != nil {
		return false, e
	}
	return boolField(opts, flag, "options.")
}

// nameAndFlag is optionFlag, then the name, for the create/drop commands.
func nameAndFlag(b *jv, flag string, known ...string) (string, bool, *apiError) {
	set, e := optionFlag(b, flag, known...)
	if e != nil {
		return "", false, e
	}
	name, e := stringField(b, "name", "")
	if e != nil {
		return "", false, e
	}
	return name, set, nil
}

var schemaNameRE = regexp.MustCompile(`^\w+$`)

// checkName applies the naming rules: non-empty (bean validation), then
// \w+ of at most max characters.
func checkName(name, what string, max int) *apiError {
	if strings.TrimSpace(name) == "" {
		return newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.name' value \"%s\" not valid: must not be empty.", name)
	}
	if len(name) > max || !schemaNameRE.MatchString(name) {
		return newErr("SCHEMA", "UNSUPPORTED_SCHEMA_NAME", "The command attempted to use a %s name that is not supported.\n\nThe supported %s names must not be empty, more than %d characters long, or contain non-alphanumeric-underscore characters.\n\nThe command used the %s name: %s.", what, what, max, what, name)
	}
	return nil
}

func noOptions(req *request) *apiError {
	o := req.body.get("options")
	if o.isNull() || (o.kind == jObject && len(o.obj) == 0) {
		return nil
	}
	return newErr("", "COMMAND_ACCEPTS_NO_OPTIONS", "Command '%s' does not accept options but some were included.", req.command)
}

// ---- column type definitions ----

var apiPrimitive = map[string]bool{
	"ascii": true, "bigint": true, "blob": true, "boolean": true, "date": true, "decimal": true,
	"double": true, "duration": true, "float": true, "inet": true, "int": true, "smallint": true,
	"text": true, "time": true, "timestamp": true, "tinyint": true, "uuid": true, "timeuuid": true,
	"varint": true, "counter": true,
}

var columnDescFields = []string{"type", "keyType", "valueType", "udtName", "dimension", "service"}

// parseColumnDesc reads a column type as createTable, alterTable and
// createType take it. forCreate rejects timeuuid/counter.
func (h *Handler) parseColumnDesc(ks *keyspace, name string, v *jv, path string) (typesmap.Type, *apiError) {
	if v.isNull() {
		return typesmap.Type{}, mismatch("column definition for '%s' must not be null", name)
	}
	if v.kind == jString {
		if !apiPrimitive[v.s] {
			return typesmap.Type{}, newErr("SCHEMA", "UNKNOWN_PRIMITIVE_DATA_TYPE", "The command used the unknown primitive data type: %s.\n\nPrimitive data types can be defined using the short form, e.g. {\"column\": \"text\"}; other types need the long form, e.g. {\"column\": {\"type\": \"list\", \"valueType\": \"text\"}}.", v.s)
		}
		return h.checkCreatable(name, typesmap.Type{Kind: typesmap.Kind(v.s)})
	}
	if v.kind != jObject {
		return typesmap.Type{}, mismatch("column definition for '%s' must be a string or an object", name)
	}
	if e := checkFields(v, path, columnDescFields...); e != nil {
		return typesmap.Type{}, e
	}
	tn := v.get("type")
	if tn.isNull() || tn.kind != jString {
		return typesmap.Type{}, newErr("SCHEMA", "COLUMN_TYPE_INCORRECT", "Column data type not provided or format invalid for column '%s'.", name)
	}
	switch tn.s {
	case "list", "set":
		code := "UNSUPPORTED_LIST_DEFINITION"
		if tn.s == "set" {
			code = "UNSUPPORTED_SET_DEFINITION"
		}
		vt, ok := h.collectionElem(ks, v.get("valueType"))
		if !ok {
			return typesmap.Type{}, newErr("SCHEMA", code, "The command used an unsupported %s definition for column '%s'.\n\nThe %s value type must be a primitive type other than counter and timeuuid, or a user defined type; the command used value type: %s.", tn.s, name, tn.s, descName(v.get("valueType")))
		}
		return typesmap.Type{Kind: typesmap.Kind(tn.s), Value: &vt}, nil
	case "map":
		kt, kok := h.collectionElem(ks, v.get("keyType"))
		vt, vok := h.collectionElem(ks, v.get("valueType"))
		if !kok || !vok || !kt.Kind.IsPrimitive() || kt.Kind == typesmap.KindDuration {
			return typesmap.Type{}, newErr("SCHEMA", "UNSUPPORTED_MAP_DEFINITION", "The command used an unsupported map definition for column '%s'.\n\nThe map key type must be a primitive type other than counter, timeuuid and duration; the value type must be a primitive type other than counter and timeuuid, or a user defined type. The command used key type: %s, value type: %s.", name, descName(v.get("keyType")), descName(v.get("valueType")))
		}
		return typesmap.MapOf(kt, vt), nil
	case "vector":
		t := typesmap.Type{Kind: typesmap.KindVector}
		dim := v.get("dimension")
		if !dim.isNull() {
			var ds string
			switch dim.kind {
			case jNumber:
				ds = dim.s
			case jString:
				ds = strings.TrimSpace(dim.s)
			default:
				return typesmap.Type{}, newErr("SCHEMA", "UNSUPPORTED_VECTOR_DIMENSION", "The command used an unsupported vector dimension for column '%s': %s.", name, dim)
			}
			if ds != "" {
				n, err := strconv.Atoi(ds)
				if err != nil || n <= 0 {
					return typesmap.Type{}, newErr("SCHEMA", "UNSUPPORTED_VECTOR_DIMENSION", "The command used an unsupported vector dimension for column '%s': %s.\n\nThe dimension must be a positive integer.", name, ds)
				}
				t.Dimension = n
			}
		}
		if svc := v.get("service"); !svc.isNull() {
			s, d, e := parseService(svc, t.Dimension)
			if e != nil {
				return typesmap.Type{}, e
			}
			t.Service, t.Dimension = s, d
		}
		if t.Dimension == 0 {
			return typesmap.Type{}, newErr("SCHEMA", "MISSING_DIMENSION_IN_VECTOR_COLUMN", "The vector column '%s' has no dimension and no embedding service to take it from.", name)
		}
		return t, nil
	case "userDefined":
		un := v.get("udtName")
		if un.isNull() || un.kind != jString || strings.TrimSpace(un.s) == "" {
			return typesmap.Type{}, newErr("SCHEMA", "INVALID_USER_DEFINED_TYPE_NAME", "The user defined type column '%s' needs a non-empty 'udtName'.", name)
		}
		if ks.types[un.s] == nil {
			return typesmap.Type{}, newErr("SCHEMA", "UNKNOWN_USER_DEFINED_TYPE", "The command used the unknown user defined type: %s.\n\nThe keyspace %s defines the types: %s.", un.s, ks.name, nameList(sortedKeys(ks.types)))
		}
		return typesmap.Type{Kind: typesmap.UserDefined, UDTName: un.s}, nil
	}
	if apiPrimitive[tn.s] {
		return h.checkCreatable(name, typesmap.Type{Kind: typesmap.Kind(tn.s)})
	}
	return typesmap.Type{}, newErr("SCHEMA", "UNKNOWN_DATA_TYPE", "The command used the unknown data type: %s (column '%s').", tn.s, name)
}

func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return k
}

func descName(v *jv) string {
	if v.isNull() {
		return "[MISSING]"
	}
	if v.kind == jString {
		return v.s
	}
	if t := v.get("type"); t != nil && t.kind == jString {
		return t.s
	}
	return v.String()
}

func (h *Handler) checkCreatable(name string, t typesmap.Type) (typesmap.Type, *apiError) {
	if t.Kind == typesmap.Counter || t.Kind == typesmap.TimeUUID {
		return typesmap.Type{}, newErr("SCHEMA", "UNSUPPORTED_DATA_TYPE_TABLE_CREATION", "The command used the data type %s for column '%s', which is not supported for table creation.", t.Kind, name)
	}
	return t, nil
}

// collectionElem reads a list/set value type or a map key/value type: a
// creatable primitive, or a (frozen) UDT.
func (h *Handler) collectionElem(ks *keyspace, v *jv) (typesmap.Type, bool) {
	if v.isNull() {
		return typesmap.Type{}, false
	}
	name := ""
	switch v.kind {
	case jString:
		name = v.s
	case jObject:
		if t := v.get("type"); t != nil && t.kind == jString {
			name = t.s
		}
		if name == "userDefined" {
			un := v.get("udtName")
			if un == nil || un.kind != jString || ks.types[un.s] == nil {
				return typesmap.Type{}, false
			}
			return typesmap.Type{Kind: typesmap.UserDefined, UDTName: un.s}, true
		}
	}
	if !apiPrimitive[name] || name == "counter" || name == "timeuuid" {
		return typesmap.Type{}, false
	}
	return typesmap.Type{Kind: typesmap.Kind(name)}, true
}

// ---- DDL commands ----

func (h *Handler) createTable(req *request, ks *keyspace) *result {
	b := req.body
	name, ifNotExists, e := nameAndFlag(b, "ifNotExists", "name", "definition", "options")
	if e != nil {
		return errResult(e)
	}
	if e := checkName(name, "table", 48); e != nil {
		return errResult(e)
	}
	def, e := objectField(b, "definition", "")
	if e != nil {
		return errResult(e)
	}
	if def == nil {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.definition' value `null` not valid: must not be null."))
	}
	if e := checkFields(def, "definition.", "columns", "primaryKey"); e != nil {
		return errResult(e)
	}
	colsV, e := objectField(def, "columns", "definition.")
	if e != nil {
		return errResult(e)
	}
	if colsV == nil || len(colsV.obj) == 0 {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.definition.columns' value `null` not valid: must not be empty."))
	}
	t := &table{ks: ks, name: name, dropped: map[string]typesmap.Type{}}
	for _, m := range colsV.obj {
		ty, e := h.parseColumnDesc(ks, m.key, m.val, "definition.columns."+m.key+".")
		if e != nil {
			return errResult(e)
		}
		t.cols = append(t.cols, &column{name: m.key, typ: ty})
	}
	pk := def.get("primaryKey")
	switch {
	case pk.isNull():
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.definition.primaryKey' value `null` not valid: must not be null."))
	case pk.kind == jString:
		t.partitionBy = []string{pk.s}
	case pk.kind == jObject:
		if e := checkFields(pk, "definition.primaryKey.", "partitionBy", "partitionSort"); e != nil {
			return errResult(e)
		}
		pb := pk.get("partitionBy")
		if !pb.isNull() {
			if pb.kind != jArray {
				return errResult(newErr("SCHEMA", "PRIMARY_KEY_DEFINITION_INCORRECT", "The primary key 'partitionBy' must be an array of column names."))
			}
			for _, c := range pb.arr {
				if c.kind != jString {
					return errResult(newErr("SCHEMA", "PRIMARY_KEY_DEFINITION_INCORRECT", "The primary key 'partitionBy' must be an array of column names."))
				}
				t.partitionBy = append(t.partitionBy, c.s)
			}
		}
		ps := pk.get("partitionSort")
		if !ps.isNull() {
			if ps.kind != jObject {
				return errResult(newErr("SCHEMA", "PRIMARY_KEY_DEFINITION_INCORRECT", "The primary key 'partitionSort' must be an object of column names to 1 or -1."))
			}
			for _, m := range ps.obj {
				if m.val.kind != jNumber || (m.val.s != "1" && m.val.s != "-1") {
					return errResult(newErr("SCHEMA", "PRIMARY_KEY_DEFINITION_INCORRECT", "The primary key 'partitionSort' values must be 1 (ascending) or -1 (descending); column '%s' has %s.", m.key, m.val))
				}
				t.clustering = append(t.clustering, typesmap.SortColumn{Column: m.key, Desc: m.val.s == "-1"})
			}
		}
	default:
		return errResult(newErr("SCHEMA", "PRIMARY_KEY_DEFINITION_INCORRECT", "The primary key must be a column name or an object with 'partitionBy' and 'partitionSort'."))
	}
	if len(t.partitionBy) == 0 {
		return errResult(newErr("SCHEMA", "MISSING_PARTITION_COLUMNS", "The table definition must have at least one partition column in the primary key."))
	}
	var unknown []string
	for _, p := range t.partitionBy {
		if t.col(p) == nil {
			unknown = append(unknown, p)
		}
	}
	if len(unknown) > 0 {
		return errResult(newErr("SCHEMA", "UNKNOWN_PARTITION_COLUMNS", "The partition includes columns that are not defined in the table schema.\n\nThe table defines the columns: %s.\nThe partition includes the unknown columns: %s.", colList(t, allColumnNames(t)), nameList(unknown)))
	}
	for _, s := range t.clustering {
		if t.col(s.Column) == nil {
			unknown = append(unknown, s.Column)
		}
	}
	if len(unknown) > 0 {
		return errResult(newErr("SCHEMA", "UNKNOWN_PARTITION_SORT_COLUMNS", "The partition sort includes columns that are not defined in the table schema.\n\nThe table defines the columns: %s.\nThe partition sort includes the unknown columns: %s.", colList(t, allColumnNames(t)), nameList(unknown)))
	}
	seenPK := map[string]bool{}
	for _, n := range t.pkNames() {
		if seenPK[n] {
			return &result{status: jObj(member{"ok", jInt(0)}), errs: []*apiError{serverErr("DATABASE", "INVALID_DATABASE_QUERY", "The database rejected the table: column %s appears twice in the primary key.", n)}}
		}
		seenPK[n] = true
	}
	// The database refuses PK columns it cannot order or hash.
	for _, n := range t.pkNames() {
		c := t.col(n)
		switch c.typ.Kind {
		case typesmap.KindDuration, typesmap.KindList, typesmap.KindSet, typesmap.KindMap, typesmap.UserDefined:
			return &result{status: jObj(member{"ok", jInt(0)}), errs: []*apiError{serverErr("DATABASE", "INVALID_DATABASE_QUERY", "The database rejected the table: invalid type for PRIMARY KEY component %s (%s).", n, c.typ)}}
		}
	}
	if _, ok := ks.tables[name]; ok || ks.collections[name] != nil {
		if ifNotExists {
			return okResult()
		}
		return &result{status: jObj(member{"ok", jInt(0)}), errs: []*apiError{newErr("SCHEMA", "CANNOT_ADD_EXISTING_TABLE", "The command attempted to create a table that already exists in the keyspace.\n\nThe command attempted to create the table: %s.", name)}}
	}
	t.orderColumns()
	t.initStore()
	ks.tables[name] = t
	return okResult()
}

func (h *Handler) dropTable(req *request, ks *keyspace) *result {
	b := req.body
	name, ifExists, e := nameAndFlag(b, "ifExists", "name", "options")
	if e != nil {
		return errResult(e)
	}
	if strings.TrimSpace(name) == "" {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.name' value \"%s\" not valid: must not be empty.", name))
	}
	t := ks.tables[name]
	if t == nil {
		if ifExists {
			return okResult()
		}
		return &result{status: jObj(member{"ok", jInt(0)}), errs: []*apiError{newErr("SCHEMA", "CANNOT_DROP_UNKNOWN_TABLE", "The command attempted to drop a table that is not defined in the keyspace.\n\nThe keyspace %s defines the tables: %s.\nThe command attempted to drop the table: %s.", ks.name, nameList(sortedKeys(ks.tables)), name)}}
	}
	for _, i := range t.indexes {
		delete(ks.indexes, i.name)
	}
	delete(ks.tables, name)
	return okResult()
}

func (h *Handler) listTables(req *request, ks *keyspace) *result {
	explain, e := optionFlag(req.body, "explain", "options")
	if e != nil {
		return errResult(e)
	}
	out := jArr()
	for _, n := range sortedKeys(ks.tables) {
		t := ks.tables[n]
		if explain {
			out.arr = append(out.arr, jObj(member{"name", jStr(n)}, member{"definition", t.definitionJV()}))
		} else {
			out.arr = append(out.arr, jStr(n))
		}
	}
	r := &result{}
	r.addStatus("tables", out)
	return r
}

func (h *Handler) alterTable(req *request, t *table) *result {
	b := req.body
	if e := checkFields(b, "", "operation"); e != nil {
		return errResult(e)
	}
	op, e := objectField(b, "operation", "")
	if e != nil {
		return errResult(e)
	}
	if op == nil || len(op.obj) == 0 {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.operation' value `null` not valid: must not be null."))
	}
	if e := checkFields(op, "operation.", "add", "drop", "addVectorize", "dropVectorize"); e != nil {
		return errResult(e)
	}
	if len(op.obj) != 1 {
		return errResult(mismatch("alterTable takes exactly one operation"))
	}
	m := op.obj[0]
	if m.val.isNull() || m.val.kind != jObject {
		return errResult(newErr("SCHEMA", "MISSING_ALTER_TABLE_OPERATIONS", "The alterTable command must include an operation with columns."))
	}
	if e := checkFields(m.val, "operation."+m.key+".", "columns"); e != nil {
		return errResult(e)
	}
	cols := m.val.get("columns")
	empty := cols.isNull() || (cols.kind == jObject && len(cols.obj) == 0) || (cols.kind == jArray && len(cols.arr) == 0)
	if empty {
		return errResult(newErr("SCHEMA", "MISSING_ALTER_TABLE_OPERATIONS", "The alterTable command must include at least one column for the '%s' operation.", m.key))
	}
	switch m.key {
	case "add":
		if cols.kind != jObject {
			return errResult(mismatch("'operation.add.columns' must be an object"))
		}
		var existing []string
		var newCols []*column
		for _, c := range cols.obj {
			if t.col(c.key) != nil {
				existing = append(existing, c.key)
			}
		}
		if len(existing) > 0 {
			return errResult(newErr("SCHEMA", "CANNOT_ADD_EXISTING_COLUMNS", "The command attempted to add columns that are already defined in the table schema.\n\nThe table %s.%s defines the columns: %s.\nThe command attempted to add the existing columns: %s.", t.ks.name, t.name, colList(t, allColumnNames(t)), nameList(existing)))
		}
		for _, c := range cols.obj {
			ty, e := h.parseColumnDesc(t.ks, c.key, c.val, "operation.add.columns."+c.key+".")
			if e != nil {
				if e.code == "UNSUPPORTED_DATA_TYPE_TABLE_CREATION" {
					e.code = "CANNOT_ADD_UNSUPPORTED_DATA_TYPE_COLUMNS"
				}
				return errResult(e)
			}
			if old, ok := t.dropped[c.key]; ok && !old.Equal(ty) {
				return errResult(newErr("SCHEMA", "CANNOT_ADD_PREVIOUSLY_DROPPED_COLUMN", "The command attempted to re-add the column '%s' with type %s; it was dropped with type %s.", c.key, ty, old))
			}
			newCols = append(newCols, &column{name: c.key, typ: ty})
		}
		t.cols = append(t.cols, newCols...)
		t.orderColumns()
	case "drop":
		if cols.kind != jArray {
			return errResult(mismatch("'operation.drop.columns' must be an array"))
		}
		var names, unknown, pks, indexed []string
		for _, c := range cols.arr {
			if c.kind != jString {
				return errResult(mismatch("'operation.drop.columns' must be an array of strings"))
			}
			names = append(names, c.s)
			switch {
			case t.col(c.s) == nil:
				unknown = append(unknown, c.s)
			case t.isPK(c.s):
				pks = append(pks, c.s)
			default:
				for _, i := range t.indexes {
					if i.column == c.s {
						indexed = append(indexed, c.s)
						break
					}
				}
			}
		}
		if len(unknown) > 0 {
			return errResult(newErr("SCHEMA", "CANNOT_DROP_UNKNOWN_COLUMNS", "The command attempted to drop columns that are not defined in the table schema.\n\nThe table %s.%s defines the columns: %s.\nThe command attempted to drop the unknown columns: %s.", t.ks.name, t.name, colList(t, allColumnNames(t)), nameList(unknown)))
		}
		if len(pks) > 0 {
			return errResult(newErr("SCHEMA", "CANNOT_DROP_PRIMARY_KEY_COLUMNS", "The command attempted to drop primary key columns.\n\nThe table %s.%s has the primary key: %s.\nThe command attempted to drop the primary key columns: %s.", t.ks.name, t.name, colList(t, t.pkNames()), nameList(pks)))
		}
		if len(indexed) > 0 {
			return errResult(newErr("SCHEMA", "CANNOT_DROP_INDEXED_COLUMNS", "The command attempted to drop indexed columns; drop the indexes first.\n\nThe command attempted to drop the indexed columns: %s.", nameList(indexed)))
		}
		t.mu.Lock()
		for _, n := range names {
			c := t.col(n)
			t.dropped[n] = c.typ
			for i, cc := range t.cols {
				if cc == c {
					t.cols = append(t.cols[:i:i], t.cols[i+1:]...)
					break
				}
			}
			t.store.dropColumn(n)
		}
		t.mu.Unlock()
	case "addVectorize":
		if cols.kind != jObject {
			return errResult(mismatch("'operation.addVectorize.columns' must be an object"))
		}
		var unknown, nonVector []string
		for _, c := range cols.obj {
			col := t.col(c.key)
			switch {
			case col == nil:
				unknown = append(unknown, c.key)
			case col.typ.Kind != typesmap.KindVector:
				nonVector = append(nonVector, c.key)
			}
		}
		if len(unknown) > 0 {
			return errResult(newErr("SCHEMA", "CANNOT_VECTORIZE_UNKNOWN_COLUMNS", "The command attempted to vectorize columns that are not defined in the table schema: %s.", nameList(unknown)))
		}
		if len(nonVector) > 0 {
			return errResult(newErr("SCHEMA", "CANNOT_VECTORIZE_NON_VECTOR_COLUMNS", "The command attempted to vectorize columns that are not of type vector: %s.", colList(t, nonVector)))
		}
		svcs := make([]*typesmap.VectorizeService, len(cols.obj))
		for i, c := range cols.obj {
			s, _, e := parseService(c.val, t.col(c.key).typ.Dimension)
			if e != nil {
				return errResult(e)
			}
			svcs[i] = s
		}
		for i, c := range cols.obj {
			t.col(c.key).typ.Service = svcs[i]
		}
	case "dropVectorize":
		if cols.kind != jArray {
			return errResult(mismatch("'operation.dropVectorize.columns' must be an array"))
		}
		var unknown, nonVector []string
		for _, c := range cols.arr {
			if c.kind != jString {
				return errResult(mismatch("'operation.dropVectorize.columns' must be an array of strings"))
			}
			col := t.col(c.s)
			switch {
			case col == nil:
				unknown = append(unknown, c.s)
			case col.typ.Kind != typesmap.KindVector:
				nonVector = append(nonVector, c.s)
			}
		}
		if len(unknown) > 0 {
			return errResult(newErr("SCHEMA", "CANNOT_DROP_VECTORIZE_FROM_UNKNOWN_COLUMNS", "The command attempted to drop vectorize from columns that are not defined in the table schema: %s.", nameList(unknown)))
		}
		if len(nonVector) > 0 {
			return errResult(newErr("SCHEMA", "CANNOT_DROP_VECTORIZE_FROM_NON_VECTOR_COLUMNS", "The command attempted to drop vectorize from columns that are not of type vector: %s.", colList(t, nonVector)))
		}
		for _, c := range cols.arr {
			t.col(c.s).typ.Service = nil
		}
	}
	return okResult()
}

// ---- indexes ----

func (h *Handler) createIndex(req *request, t *table, kind string) *result {
	b := req.body
	name, ifNotExists, e := nameAndFlag(b, "ifNotExists", "name", "definition", "indexType", "options")
	if e != nil {
		return errResult(e)
	}
	if e := checkName(name, "index", 100); e != nil {
		return errResult(e)
	}
	it, e := stringField(b, "indexType", "")
	if e != nil {
		return errResult(e)
	}
	if it != "" {
		switch it {
		case "regular", "vector", "text":
			if it != kind {
				return errResult(newErr("SCHEMA", "UNSUPPORTED_INDEX_TYPE", "The command %s only creates %s indexes; it was given indexType '%s'.", req.command, kind, it))
			}
		default:
			return errResult(newErr("SCHEMA", "UNKNOWN_INDEX_TYPE", "The command used the unknown index type: %s.\n\nThe supported index types are: regular, text, vector.", it))
		}
	}
	def, e := objectField(b, "definition", "")
	if e != nil {
		return errResult(e)
	}
	if def == nil || len(def.obj) == 0 {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.definition' value `null` not valid: must not be null."))
	}
	if e := checkFields(def, "definition.", "column", "options"); e != nil {
		return errResult(e)
	}
	colV := def.get("column")
	ix := &index{name: name, table: t, kind: kind, options: jObj()}
	switch {
	case colV.isNull():
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.definition.column' value `null` not valid: must not be null."))
	case colV.kind == jString:
		ix.column = colV.s
	case colV.kind == jObject && kind == "regular" && len(colV.obj) == 1 && colV.obj[0].val.kind == jString &&
		(colV.obj[0].val.s == "$keys" || colV.obj[0].val.s == "$values"):
		ix.column = colV.obj[0].key
		ix.function = colV.obj[0].val.s[1:]
	default:
		return errResult(newErr("SCHEMA", "INVALID_FORMAT_FOR_INDEX_CREATION_COLUMN", "The index column must be a column name, or for map columns {\"column\": \"$keys\"} or {\"column\": \"$values\"}; the command used: %s.", colV))
	}
	col := t.col(ix.column)
	if col == nil {
		return errResult(newErr("SCHEMA", "UNKNOWN_INDEX_COLUMN", "The command attempted to index a column that is not defined in the table schema.\n\nThe table %s.%s defines the columns: %s.\nThe command attempted to index the unknown column: %s.", t.ks.name, t.name, colList(t, allColumnNames(t)), ix.column))
	}
	// $keys/$values are refused on primitive columns only: on a list or set
	// the real server ignores them and indexes the values (below); vectors
	// and UDTs fail later as unsupported types.
	switch col.typ.Kind {
	case typesmap.KindMap, typesmap.KindList, typesmap.KindSet, typesmap.KindVector, typesmap.UserDefined:
	default:
		if ix.function != "" {
			return errResult(newErr("SCHEMA", "INVALID_FORMAT_FOR_INDEX_CREATION_COLUMN", "Only map columns can be indexed on $keys or $values; column %s is %s.", ix.column, col.typ))
		}
	}
	iopts, e := objectField(def, "options", "definition.")
	if e != nil {
		return errResult(e)
	}
	switch kind {
	case "regular":
		if e := checkFields(iopts, "definition.options.", "ascii", "caseSensitive", "normalize"); e != nil {
			return errResult(e)
		}
		if col.typ.Kind == typesmap.KindVector {
			return errResult(newErr("SCHEMA", "UNSUPPORTED_INDEXING_FOR_DATA_TYPES", "The command attempted to index a column of a type that a regular index does not support: %s. Use createVectorIndex for vector columns.", colList(t, []string{ix.column})))
		}
		if col.typ.Kind == typesmap.UserDefined {
			return errResult(newErr("SCHEMA", "UNSUPPORTED_INDEXING_FOR_DATA_TYPES", "The command attempted to index a column of a type that is not supported for indexing: %s.", colList(t, []string{ix.column})))
		}
		switch col.typ.Kind {
		case typesmap.KindList, typesmap.KindSet:
			ix.function = "values"
		case typesmap.KindMap:
			if ix.function == "" {
				ix.function = "entries"
			}
		}
		textish := func(k typesmap.Type) bool { return k.Kind == typesmap.Text || k.Kind == typesmap.Ascii }
		analysable := textish(col.typ)
		switch ix.function {
		case "values":
			analysable = textish(*col.typ.Value)
		case "keys":
			analysable = textish(*col.typ.Key)
		case "entries":
			analysable = false
		}
		if iopts != nil && len(iopts.obj) > 0 {
			if ix.function == "entries" {
				return errResult(newErr("SCHEMA", "CANNOT_ANALYZE_ENTRIES_ON_MAP_COLUMNS", "The command attempted to use text analysis options on the entries of map column %s; index its $keys or $values instead.", ix.column))
			}
			if !analysable {
				return errResult(newErr("SCHEMA", "UNSUPPORTED_TEXT_ANALYSIS_FOR_DATA_TYPES", "The command attempted to use text analysis options (ascii, caseSensitive, normalize) on a column that is not text or ascii: %s.", colList(t, []string{ix.column})))
			}
		}
		// A text column's index always records the analysis options
		// (defaults when none are given); a collection's only when the
		// command gave an options object.
		if analysable && (ix.function == "" || iopts != nil) {
			ascii, e := boolField(iopts, "ascii", "definition.options.")
			if e != nil {
				return errResult(e)
			}
			cs := true
			if v := iopts.get("caseSensitive"); !v.isNull() {
				if cs, e = boolField(iopts, "caseSensitive", "definition.options."); e != nil {
					return errResult(e)
				}
			}
			norm, e := boolField(iopts, "normalize", "definition.options.")
			if e != nil {
				return errResult(e)
			}
			ix.options = jObj(member{"ascii", jBoolV(ascii)}, member{"caseSensitive", jBoolV(cs)}, member{"normalize", jBoolV(norm)})
		}
		// What the database refuses (the real server answers INVALID_DATABASE_QUERY).
		if col.typ.Kind == typesmap.KindDuration || col.typ.Kind == typesmap.Blob ||
			(len(t.partitionBy) == 1 && t.partitionBy[0] == ix.column) {
			return errResult(serverErr("DATABASE", "INVALID_DATABASE_QUERY", "The database rejected the index: cannot create a secondary index on column %s (%s).", ix.column, col.typ))
		}
	case "vector":
		if e := checkFields(iopts, "definition.options.", "metric", "sourceModel"); e != nil {
			return errResult(e)
		}
		if col.typ.Kind != typesmap.KindVector {
			return errResult(newErr("SCHEMA", "UNSUPPORTED_VECTOR_INDEX_FOR_DATA_TYPES", "The command attempted to create a vector index on a column that is not a vector: %s.", colList(t, []string{ix.column})))
		}
		metric, e := stringField(iopts, "metric", "definition.options.")
		if e != nil {
			return errResult(e)
		}
		source, e := stringField(iopts, "sourceModel", "definition.options.")
		if e != nil {
			return errResult(e)
		}
		if source == "" {
			source = "other"
		}
		switch source {
		case "ada002", "bert", "cohere-v3", "gecko", "nv-qa-4", "openai-v3-large", "openai-v3-small", "other":
		default:
			return errResult(newErr("SCHEMA", "UNKNOWN_VECTOR_SOURCE_MODEL", "The command used the unknown vector source model: %s.\n\nThe supported source models are: ada002, bert, cohere-v3, gecko, nv-qa-4, openai-v3-large, openai-v3-small, other.", source))
		}
		if metric == "" {
			metric = "dot_product"
			if source == "other" {
				metric = "cosine"
			}
		}
		switch metric {
		case "cosine", "dot_product", "euclidean":
		default:
			return errResult(newErr("SCHEMA", "UNKNOWN_VECTOR_METRIC", "The command used the unknown vector metric: %s.\n\nThe supported metrics are: cosine, dot_product, euclidean.", metric))
		}
		ix.metric = metric
		ix.options = jObj(member{"metric", jStr(metric)}, member{"sourceModel", jStr(source)})
	case "text":
		if e := checkFields(iopts, "definition.options.", "analyzer"); e != nil {
			return errResult(e)
		}
		if col.typ.Kind != typesmap.Text && col.typ.Kind != typesmap.Ascii {
			return errResult(newErr("SCHEMA", "UNSUPPORTED_TEXT_INDEX_FOR_DATA_TYPES", "The command attempted to create a text index on a column that is not text or ascii: %s.", colList(t, []string{ix.column})))
		}
		an := iopts.get("analyzer")
		switch {
		case an.isNull():
			an = jStr("standard")
		case an.kind == jString || an.kind == jObject:
		default:
			return errResult(newErr("SCHEMA", "UNSUPPORTED_JSON_TYPE_FOR_TEXT_INDEX", "The text index 'analyzer' must be a string or an object, not %s.", an.kind))
		}
		ix.options = jObj(member{"analyzer", an})
	}
	if old := t.ks.indexes[name]; old != nil {
		if ifNotExists {
			return okResult()
		}
		return &result{status: jObj(member{"ok", jInt(0)}), errs: []*apiError{newErr("SCHEMA", "CANNOT_ADD_EXISTING_INDEX", "The command attempted to create an index that already exists in the keyspace.\n\nThe command attempted to create the index: %s.", name)}}
	}
	for _, o := range t.indexes {
		if o.target() == ix.target() && o.kind == ix.kind {
			if ifNotExists {
				return okResult()
			}
			return &result{status: jObj(member{"ok", jInt(0)}), errs: []*apiError{serverErr("DATABASE", "INVALID_DATABASE_QUERY", "The database rejected the index: index %s already covers %s.", o.name, ix.target())}}
		}
	}
	t.ks.indexes[name] = ix
	t.indexes = append(t.indexes, ix)
	return okResult()
}

func (ix *index) explainJV() *jv {
	var col *jv
	switch ix.function {
	case "keys":
		col = jObj(member{ix.column, jStr("$keys")})
	case "values":
		col = jObj(member{ix.column, jStr("$values")})
	default:
		col = jStr(ix.column)
	}
	return jObj(member{"name", jStr(ix.name)}, member{"definition", jObj(member{"column", col}, member{"options", ix.options})}, member{"indexType", jStr(ix.kind)})
}

func (h *Handler) listIndexes(req *request, t *table) *result {
	explain, e := optionFlag(req.body, "explain", "options")
	if e != nil {
		return errResult(e)
	}
	out := jArr()
	// Cassandra lists a table's indexes by name.
	ixs := append([]*index(nil), t.indexes...)
	sort.Slice(ixs, func(i, j int) bool { return ixs[i].name < ixs[j].name })
	for _, ix := range ixs {
		if explain {
			out.arr = append(out.arr, ix.explainJV())
		} else {
			out.arr = append(out.arr, jStr(ix.name))
		}
	}
	r := &result{}
	r.addStatus("indexes", out)
	return r
}

func (h *Handler) dropIndex(req *request, ks *keyspace) *result {
	b := req.body
	name, ifExists, e := nameAndFlag(b, "ifExists", "name", "options")
	if e != nil {
		return errResult(e)
	}
	if e := checkName(name, "index", 100); e != nil {
		return errResult(e)
	}
	ix := ks.indexes[name]
	if ix == nil {
		if ifExists {
			return okResult()
		}
		return &result{status: jObj(member{"ok", jInt(0)}), errs: []*apiError{newErr("SCHEMA", "CANNOT_DROP_UNKNOWN_INDEX", "The command attempted to drop an index that is not defined in the keyspace.\n\nThe keyspace %s defines the indexes: %s.\nThe command attempted to drop the index: %s.", ks.name, nameList(sortedKeys(ks.indexes)), name)}}
	}
	delete(ks.indexes, name)
	t := ix.table
	for i, o := range t.indexes {
		if o == ix {
			t.indexes = append(t.indexes[:i:i], t.indexes[i+1:]...)
			break
		}
	}
	return okResult()
}

// ---- keyspaces ----

func (h *Handler) createKeyspace(req *request) *result {
	b := req.body
	if e := checkFields(b, "", "name", "options"); e != nil {
		return errResult(e)
	}
	opts, e := objectField(b, "options", "")
	if e != nil {
		return errResult(e)
	}
	if e := checkFields(opts, "options.", "replication"); e != nil {
		return errResult(e)
	}
	name, e := stringField(b, "name", "")
	if e != nil {
		return errResult(e)
	}
	if e := checkName(name, "keyspace", 48); e != nil {
		return errResult(e)
	}
	if _, ok := h.keyspaces[name]; !ok {
		h.keyspaces[name] = newKeyspace(name)
	}
	return okResult()
}

func (h *Handler) dropKeyspace(req *request) *result {
	b := req.body
	if e := checkFields(b, "", "name"); e != nil {
		return errResult(e)
	}
	name, e := stringField(b, "name", "")
	if e != nil {
		return errResult(e)
	}
	if strings.TrimSpace(name) == "" {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.name' value \"\" not valid: must not be empty."))
	}
	delete(h.keyspaces, name)
	return okResult()
}

func (h *Handler) findKeyspaces(req *request, key string) *result {
	if e := noOptions(req); e != nil {
		return errResult(e)
	}
	if e := checkFields(req.body, "", "options"); e != nil {
		return errResult(e)
	}
	names := sortedKeys(h.keyspaces)
	names = append(names, "system", "system_auth", "system_distributed", "system_schema", "system_traces", "system_views", "system_virtual_schema")
	out := jArr()
	for _, n := range names {
		out.arr = append(out.arr, jStr(n))
	}
	r := &result{}
	r.addStatus(key, out)
	return r
}

// ---- user-defined types ----

func (h *Handler) createType(req *request, ks *keyspace) *result {
	b := req.body
	name, ifNotExists, e := nameAndFlag(b, "ifNotExists", "name", "definition", "options")
	if e != nil {
		return errResult(e)
	}
	if e := checkName(name, "type", 48); e != nil {
		return errResult(e)
	}
	def, e := objectField(b, "definition", "")
	if e != nil {
		return errResult(e)
	}
	if e := checkFields(def, "definition.", "fields"); e != nil {
		return errResult(e)
	}
	fields, e := objectField(def, "fields", "definition.")
	if e != nil {
		return errResult(e)
	}
	if fields == nil || len(fields.obj) == 0 {
		return errResult(newErr("SCHEMA", "MISSING_FIELDS_FOR_TYPE_CREATION", "The type %s must define at least one field.", name))
	}
	u := &udtDef{name: name}
	for _, f := range fields.obj {
		ty, e := h.udtField(ks, f.key, f.val)
		if e != nil {
			return errResult(e)
		}
		u.fields = append(u.fields, typesmap.Column{Name: f.key, Type: ty})
	}
	if ks.types[name] != nil {
		if ifNotExists {
			return okResult()
		}
		return &result{status: jObj(member{"ok", jInt(0)}), errs: []*apiError{newErr("SCHEMA", "CANNOT_ADD_EXISTING_TYPE", "The command attempted to create a type that already exists in the keyspace: %s.", name)}}
	}
	ks.types[name] = u
	return okResult()
}

// udtField reads a UDT field type: primitives (not counter/timeuuid) only,
// collections of primitives in this local server too.
func (h *Handler) udtField(ks *keyspace, name string, v *jv) (typesmap.Type, *apiError) {
	ty, e := h.parseColumnDesc(ks, name, v, "definition.fields."+name+".")
	if e != nil {
		return ty, e
	}
	if ty.Kind == typesmap.KindVector || ty.Kind == typesmap.UserDefined {
		return ty, newErr("SCHEMA", "UNSUPPORTED_TYPE_FIELDS", "The type field '%s' uses the unsupported type %s.", name, ty)
	}
	return ty, nil
}

func (h *Handler) alterType(req *request, ks *keyspace) *result {
	b := req.body
	if e := checkFields(b, "", "name", "add", "rename"); e != nil {
		return errResult(e)
	}
	name, e := stringField(b, "name", "")
	if e != nil {
		return errResult(e)
	}
	u := ks.types[name]
	if u == nil {
		return errResult(newErr("SCHEMA", "UNKNOWN_USER_DEFINED_TYPE", "The command used the unknown user defined type: %s.", name))
	}
	add, e := objectField(b, "add", "")
	if e != nil {
		return errResult(e)
	}
	ren, e := objectField(b, "rename", "")
	if e != nil {
		return errResult(e)
	}
	if add == nil && ren == nil {
		return errResult(newErr("SCHEMA", "MISSING_ALTER_TYPE_OPERATIONS", "The alterType command must include 'add' or 'rename'."))
	}
	fields := append([]typesmap.Column(nil), u.fields...)
	if add != nil {
		af, e := objectField(add, "fields", "add.")
		if e != nil {
			return errResult(e)
		}
		if af != nil {
			for _, f := range af.obj {
				if u.index(f.key) >= 0 {
					return errResult(newErr("SCHEMA", "CANNOT_ADD_EXISTING_FIELD", "The type %s already defines the field %s.", name, f.key))
				}
				ty, e := h.udtField(ks, f.key, f.val)
				if e != nil {
					return errResult(e)
				}
				fields = append(fields, typesmap.Column{Name: f.key, Type: ty})
			}
		}
	}
	if ren != nil {
		rf, e := objectField(ren, "fields", "rename.")
		if e != nil {
			return errResult(e)
		}
		if rf != nil {
			for _, f := range rf.obj {
				i := u.index(f.key)
				if i < 0 || f.val.kind != jString {
					return errResult(newErr("SCHEMA", "CANNOT_RENAME_UNKNOWN_TYPE_FIELD", "The type %s does not define the field %s.", name, f.key))
				}
				fields[i].Name = f.val.s
			}
		}
	}
	u.fields = fields
	return okResult()
}

func (h *Handler) dropType(req *request, ks *keyspace) *result {
	b := req.body
	name, ifExists, e := nameAndFlag(b, "ifExists", "name", "options")
	if e != nil {
		return errResult(e)
	}
	if ks.types[name] == nil {
		if ifExists {
			return okResult()
		}
		return &result{status: jObj(member{"ok", jInt(0)}), errs: []*apiError{newErr("SCHEMA", "CANNOT_DROP_UNKNOWN_TYPE", "The command attempted to drop a type that is not defined in the keyspace: %s.", name)}}
	}
	for _, tn := range sortedKeys(ks.tables) {
		for _, c := range ks.tables[tn].cols {
			if usesUDT(c.typ, name) {
				return &result{status: jObj(member{"ok", jInt(0)}), errs: []*apiError{newErr("SCHEMA", "CANNOT_DROP_TYPE_USED_BY_TABLE", "The type %s is used by table %s.", name, tn)}}
			}
		}
	}
	delete(ks.types, name)
	return okResult()
}

func usesUDT(t typesmap.Type, name string) bool {
	if t.Kind == typesmap.UserDefined && t.UDTName == name {
		return true
	}
	return t.Value != nil && usesUDT(*t.Value, name)
}

func (h *Handler) listTypes(req *request, ks *keyspace) *result {
	if e := checkFields(req.body, "", "options"); e != nil {
		return errResult(e)
	}
	opts, e := objectField(req.body, "options", "")
	if e != nil {
		return errResult(e)
	}
	explain, e := boolField(opts, "explain", "options.")
	if e != nil {
		return errResult(e)
	}
	out := jArr()
	for _, n := range sortedKeys(ks.types) {
		if !explain {
			out.arr = append(out.arr, jStr(n))
			continue
		}
		u := ks.types[n]
		fields := jObj()
		for _, f := range u.fields {
			fields.set(f.Name, rawType(f.Type))
		}
		out.arr = append(out.arr, jObj(member{"type", jStr("userDefined")}, member{"udtName", jStr(n)},
			member{"definition", jObj(member{"fields", fields})},
			member{"apiSupport", jObj(member{"createTable", jBoolV(true)}, member{"insert", jBoolV(true)}, member{"read", jBoolV(true)}, member{"filter", jBoolV(false)}, member{"cqlDefinition", jStr(n)})}))
	}
	r := &result{}
	r.addStatus("types", out)
	return r
}
