package dataapitest

import (
	"sort"
	"strings"
	"unicode"

	"github.com/astrasql/astrasql/typesmap"
)

const (
	maxFilterExprs = 64
	maxInValues    = 100
)

// leaf is one comparison of a filter.
type leaf struct {
	name      string
	col       *column
	op        string // eq ne gt gte lt lte in nin all notall match
	component string // "" for scalars; "values" (list/set/map values), "keys", "entries"
	vals      []any  // operands (entries: mapEntry)
	text      string // $match operand
	an        textAnalyser
}

// same compares a stored value with an operand, through the text analysis
// of the index that serves the leaf, if any.
func (l *leaf) same(t typesmap.Type, v, x any) bool {
	if l.an.active() {
		if a, ok := v.(string); ok {
			if b, ok := x.(string); ok {
				return l.an.apply(a) == l.an.apply(b)
			}
		}
	}
	return compareValues(t, v, x) == 0
}

func (l *leaf) isSlice() bool {
	switch l.op {
	case "gt", "gte", "lt", "lte":
		return true
	}
	return false
}

// cond is a filter tree: and/or of children, or a leaf.
type cond struct {
	kind string // and, or, leaf
	kids []*cond
	leaf *leaf
}

// filter is a compiled filter with its leaves in visiting order.
type filter struct {
	root    *cond
	leaves  []*leaf
	unknown []string
}

type filterParser struct {
	t       *table
	leaves  []*leaf
	unknown []string
	count   int
}

func filterErr(code, format string, args ...any) *apiError {
	return newErr("FILTER", code, format, args...)
}

func internalFilterErr() *apiError {
	return serverErr("", "INTERNAL_SERVER_ERROR", "Server internal error: Filter type not supported, unable to resolve to a filtering strategy")
}

// parseFilter compiles a filter object against a table.
func parseFilter(t *table, v *jv) (*filter, *apiError) {
	p := &filterParser{t: t}
	f := &filter{root: &cond{kind: "and"}}
	if v.isNull() {
		return f, nil
	}
	if v.kind != jObject {
		return nil, filterErr("FILTER_UNSUPPORTED_DATA_TYPE", "Unsupported filter data type: filter clause must be an object, not %s.", v.kind)
	}
	root, e := p.object(v)
	if e != nil {
		return nil, e
	}
	if p.count > maxFilterExprs {
		return nil, filterErr("FILTER_FIELDS_LIMIT_VIOLATION", "Filter fields size limitation violated: filter has %d expressions, exceeds maximum allowed %d.", p.count, maxFilterExprs)
	}
	f.root, f.leaves, f.unknown = root, p.leaves, p.unknown
	for _, l := range f.leaves {
		l.an = t.analyserFor(l)
	}
	sort.Strings(f.unknown)
	return f, nil
}

func (p *filterParser) object(v *jv) (*cond, *apiError) {
	c := &cond{kind: "and"}
	for _, m := range v.obj {
		switch m.key {
		case "$and", "$or":
			if m.val.kind != jArray {
				return nil, filterErr("FILTER_INVALID_EXPRESSION", "Unsupported filter clause: '%s' operator must have `ARRAY` value.", m.key)
			}
			g := &cond{kind: m.key[1:]}
			for _, e := range m.val.arr {
				if e.kind != jObject {
					return nil, filterErr("FILTER_INVALID_EXPRESSION", "Unsupported filter clause: '%s' operator must be an array of objects.", m.key)
				}
				k, err := p.object(e)
				if err != nil {
					return nil, err
				}
				g.kids = append(g.kids, k)
			}
			c.kids = append(c.kids, g)
		case "$not":
			if m.val.kind != jObject {
				return nil, filterErr("FILTER_INVALID_EXPRESSION", "Unsupported filter clause: '$not' operator must have `OBJECT` value.")
			}
			start := len(p.leaves)
			k, err := p.object(m.val)
			if err != nil {
				return nil, err
			}
			for _, l := range p.leaves[start:] {
				if !negateLeaf(l) {
					return nil, filterErr("FILTER_INVALID_EXPRESSION", "Unsupported filter clause: '$not' cannot be applied to operator used on '%s'.", l.name)
				}
			}
			negateTree(k)
			c.kids = append(c.kids, k)
		default:
			if strings.HasPrefix(m.key, "$") {
				return nil, filterErr("FILTER_UNSUPPORTED_OPERATOR", "Unsupported filter operator '%s'.", m.key)
			}
			if m.key == "" || strings.Contains(m.key, ".") && p.t.col(m.key) == nil {
				if m.key == "" {
					return nil, filterErr("FILTER_INVALID_EXPRESSION", "Unsupported filter clause: filter path cannot be empty.")
				}
			}
			ls, err := p.column(m.key, m.val)
			if err != nil {
				return nil, err
			}
			for _, l := range ls {
				c.kids = append(c.kids, &cond{kind: "leaf", leaf: l})
			}
		}
	}
	return c, nil
}

func negateTree(c *cond) {
	switch c.kind {
	case "and":
		c.kind = "or"
	case "or":
		c.kind = "and"
	}
	for _, k := range c.kids {
		negateTree(k)
	}
}

func negateLeaf(l *leaf) bool {
	inv := map[string]string{"eq": "ne", "ne": "eq", "gt": "lte", "lte": "gt", "gte": "lt", "lt": "gte", "in": "nin", "nin": "in", "all": "notall", "notall": "all"}
	n, ok := inv[l.op]
	if !ok {
		return false
	}
	l.op = n
	return true
}

var scalarOps = map[string]string{"$eq": "eq", "$ne": "ne", "$gt": "gt", "$gte": "gte", "$lt": "lt", "$lte": "lte", "$in": "in", "$nin": "nin", "$match": "match"}

func (p *filterParser) column(name string, v *jv) ([]*leaf, *apiError) {
	col := p.t.col(name)
	if col == nil {
		p.unknown = append(p.unknown, name)
		// keep parsing the shape so structural errors still come first
	}
	mk := func(op string) *leaf {
		l := &leaf{name: name, col: col, op: op}
		p.leaves = append(p.leaves, l)
		p.count++
		return l
	}
	switch v.kind {
	case jNull:
		return nil, internalFilterErr()
	case jArray:
		return nil, filterErr("FILTER_INVALID_EXPRESSION", "Unsupported filter clause: cannot filter on '%s' by array type.", name)
	case jString, jNumber, jBool:
		l := mk("eq")
		return []*leaf{l}, p.operand(l, v)
	}
	// object: EJSON literal or operators
	if len(v.obj) == 1 && (v.obj[0].key == "$binary" || v.obj[0].key == "$uuid") {
		l := mk("eq")
		return []*leaf{l}, p.operand(l, v)
	}
	if len(v.obj) == 1 && v.obj[0].key == "$date" {
		return nil, internalFilterErr()
	}
	if len(v.obj) == 0 {
		return nil, internalFilterErr()
	}
	var out []*leaf
	isColl := col != nil && col.typ.Kind.IsCollection()
	for _, m := range v.obj {
		if !strings.HasPrefix(m.key, "$") {
			return nil, filterErr("FILTER_UNSUPPORTED_DATA_TYPE", "Unsupported filter data type: cannot filter column '%s' with a JSON object value.", name)
		}
		if isColl {
			ls, e := p.collection(name, col, m.key, m.val, mk)
			if e != nil {
				return nil, e
			}
			out = append(out, ls...)
			continue
		}
		op, ok := scalarOps[m.key]
		if !ok {
			if m.key == "$all" || m.key == "$keys" || m.key == "$values" {
				if col != nil {
					return nil, filterErr("INVALID_MAP_SET_LIST_FILTER", "Command has an invalid filter, operator %s can only be used on map, set or list columns; column '%s' is %s.", m.key, name, col.typ)
				}
			}
			if m.key == "$exists" || m.key == "$size" {
				return nil, internalFilterErr()
			}
			return nil, filterErr("FILTER_UNSUPPORTED_OPERATOR", "Unsupported filter operator '%s'.", m.key)
		}
		l := mk(op)
		switch op {
		case "in", "nin":
			if m.val.kind != jArray {
				return nil, filterErr("FILTER_INVALID_EXPRESSION", "Unsupported filter clause: '%s' operator must have `ARRAY` value.", m.key)
			}
			if len(m.val.arr) > maxInValues {
				return nil, filterErr("FILTER_INVALID_EXPRESSION", "Unsupported filter clause: '%s' operator must have at most %d values.", m.key, maxInValues)
			}
			for _, e := range m.val.arr {
				if e.kind == jNull || e.kind == jArray {
					return nil, internalFilterErr()
				}
				if err := p.operand(l, e); err != nil {
					return nil, err
				}
			}
		case "match":
			if m.val.kind != jString {
				return nil, filterErr("FILTER_INVALID_EXPRESSION", "Unsupported filter clause: '$match' operator must have a string value.")
			}
			l.text = m.val.s
		default:
			switch m.val.kind {
			case jNull:
				return nil, internalFilterErr()
			case jArray:
				return nil, filterErr("FILTER_INVALID_EXPRESSION", "Unsupported filter clause: cannot filter on '%s' by array type.", name)
			case jObject:
				if !(len(m.val.obj) == 1 && (m.val.obj[0].key == "$binary" || m.val.obj[0].key == "$uuid")) {
					if len(m.val.obj) == 1 && m.val.obj[0].key == "$date" {
						return nil, internalFilterErr()
					}
					return nil, filterErr("FILTER_UNSUPPORTED_DATA_TYPE", "Unsupported filter data type: cannot filter column '%s' with a JSON object value.", name)
				}
			}
			if err := p.operand(l, m.val); err != nil {
				return nil, err
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// operand converts one operand with the column's codec.
func (p *filterParser) operand(l *leaf, v *jv) *apiError {
	if l.col == nil {
		return nil
	}
	t := l.col.typ
	switch {
	case t.Kind == typesmap.Counter:
		return p.invalid(l)
	case t.Kind == typesmap.KindVector, t.Kind == typesmap.UserDefined:
		return p.invalid(l)
	}
	if t.Kind == typesmap.Timestamp && v.kind == jObject && v.get("$date") != nil {
		// $date operands only reach a strategy-less path on the real server
		return internalFilterErr()
	}
	x, err := decodeValue(t, v, p.t.ctx())
	if err != nil {
		return p.invalid(l)
	}
	l.vals = append(l.vals, x)
	return nil
}

func (p *filterParser) invalid(l *leaf) *apiError {
	return filterErr("INVALID_FILTER_COLUMN_VALUES", "Only values that are supported by the column data type can be included when filtering.\n\nThe table %s.%s defines the columns: %s.\nThe command included the column %s that has %s type defined.\n\nResend the command using only supported column values.", p.t.ks.name, p.t.name, colList(p.t, allColumnNames(p.t)), l.name, l.col.typ)
}

func (p *filterParser) collection(name string, col *column, key string, v *jv, mk func(string) *leaf) ([]*leaf, *apiError) {
	bad := func(reason string) *apiError {
		return filterErr("INVALID_MAP_SET_LIST_FILTER", "Command has an invalid filter, %s.\n\nSupported filter operators for map, set, list are '$in', '$nin', '$all'.", reason)
	}
	component := "values"
	if col.typ.Kind == typesmap.KindMap {
		component = "entries"
		if key == "$keys" || key == "$values" {
			component = key[1:]
			if v.kind != jObject || len(v.obj) != 1 {
				return nil, bad("'" + key + "' must be an object with one of '$in', '$nin', '$all'")
			}
			key, v = v.obj[0].key, v.obj[0].val
		}
	}
	op := map[string]string{"$in": "in", "$nin": "nin", "$all": "all"}[key]
	if op == "" {
		return nil, bad("operator " + key + " is not supported on map, set, list column '" + name + "'")
	}
	if v.kind != jArray {
		return nil, bad("'" + key + "' operator on column '" + name + "' must have an array value")
	}
	if op == "all" && len(v.arr) == 0 {
		return nil, bad("'$all' operator on column '" + name + "' must have a non-empty array")
	}
	if len(v.arr) > maxInValues && op != "all" {
		return nil, filterErr("FILTER_INVALID_EXPRESSION", "Unsupported filter clause: '%s' operator must have at most %d values.", key, maxInValues)
	}
	l := mk(op)
	l.component = component
	ctx := p.t.ctx()
	for _, e := range v.arr {
		switch component {
		case "entries":
			if e.kind != jArray || len(e.arr) != 2 {
				return nil, bad("map entries filter on column '" + name + "' must be an array of [key, value] arrays")
			}
			k, err := decodeValue(*col.typ.Key, e.arr[0], ctx)
			if err != nil || e.arr[0].kind == jNull {
				return nil, p.invalid(l)
			}
			x, err := decodeValue(*col.typ.Value, e.arr[1], ctx)
			if err != nil || e.arr[1].kind == jNull {
				return nil, p.invalid(l)
			}
			l.vals = append(l.vals, mapEntry{k, x})
		default:
			et := *col.typ.Value
			if component == "keys" {
				et = *col.typ.Key
			}
			if e.kind == jNull {
				return nil, p.invalid(l)
			}
			x, err := decodeValue(et, e, ctx)
			if err != nil {
				return nil, p.invalid(l)
			}
			l.vals = append(l.vals, x)
		}
	}
	return []*leaf{l}, nil
}

// ---- evaluation ----

func (c *cond) match(r *row) bool {
	switch c.kind {
	case "leaf":
		return c.leaf.match(r)
	case "or":
		for _, k := range c.kids {
			if k.match(r) {
				return true
			}
		}
		return len(c.kids) == 0
	}
	for _, k := range c.kids {
		if !k.match(r) {
			return false
		}
	}
	return true
}

func (l *leaf) match(r *row) bool {
	v := r.vals[l.name]
	if v == nil {
		return false
	}
	t := l.col.typ
	if l.component != "" {
		return l.matchCollection(v)
	}
	switch l.op {
	case "eq", "ne", "gt", "gte", "lt", "lte":
		if l.op == "eq" && l.an.active() {
			return l.same(t, v, l.vals[0])
		}
		c := compareValues(t, v, l.vals[0])
		switch l.op {
		case "eq":
			return c == 0
		case "ne":
			return c != 0
		case "gt":
			return c > 0
		case "gte":
			return c >= 0
		case "lt":
			return c < 0
		}
		return c <= 0
	case "in", "nin":
		found := false
		for _, x := range l.vals {
			if l.same(t, v, x) {
				found = true
				break
			}
		}
		return found == (l.op == "in")
	case "match":
		return textMatch(v.(string), l.text)
	}
	return false
}

func (l *leaf) matchCollection(v any) bool {
	t := l.col.typ
	has := func(x any) bool {
		switch l.component {
		case "values":
			if t.Kind == typesmap.KindMap {
				for _, e := range v.([]mapEntry) {
					if l.same(*t.Value, e.v, x) {
						return true
					}
				}
				return false
			}
			for _, e := range v.([]any) {
				if l.same(*t.Value, e, x) {
					return true
				}
			}
		case "keys":
			for _, e := range v.([]mapEntry) {
				if l.same(*t.Key, e.k, x) {
					return true
				}
			}
		case "entries":
			want := x.(mapEntry)
			for _, e := range v.([]mapEntry) {
				if compareValues(*t.Key, e.k, want.k) == 0 {
					return compareValues(*t.Value, e.v, want.v) == 0
				}
			}
		}
		return false
	}
	switch l.op {
	case "in":
		for _, x := range l.vals {
			if has(x) {
				return true
			}
		}
		return false
	case "nin":
		for _, x := range l.vals {
			if has(x) {
				return false
			}
		}
		return true
	case "all":
		for _, x := range l.vals {
			if !has(x) {
				return false
			}
		}
		return true
	case "notall":
		for _, x := range l.vals {
			if !has(x) {
				return true
			}
		}
		return false
	}
	return false
}

func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// textMatch approximates an analysed text index match: every query term
// must appear in the value (lower-cased, split on non-alphanumerics).
func textMatch(value, query string) bool {
	have := map[string]bool{}
	for _, t := range tokens(value) {
		have[t] = true
	}
	q := tokens(query)
	for _, t := range q {
		if !have[t] {
			return false
		}
	}
	return len(q) > 0
}

// ---- analysis (checks and warnings, as the real server's where-clause analyser) ----

// byColumn maps each filtered column to the last filter on it, as the
// real server's analysis does.
func (f *filter) byColumn() (map[string]*leaf, []string) {
	m := map[string]*leaf{}
	var order []string
	for _, l := range f.leaves {
		if _, ok := m[l.name]; !ok {
			order = append(order, l.name)
		}
		m[l.name] = l
	}
	return m, order
}

func (t *table) indexTargets() []string {
	var out []string
	for _, i := range t.indexes {
		out = append(out, i.target())
	}
	return out
}

func (t *table) unknownFilterColumns(f *filter) *apiError {
	if len(f.unknown) == 0 {
		return nil
	}
	return filterErr("UNKNOWN_TABLE_COLUMNS", "Only columns defined in the table schema can be filtered on.\n\nThe table %s.%s defines the columns: %s.\nThe filter included the following unknown columns: %s.\n\nResend the command using only columns defined in the table schema.", t.ks.name, t.name, colList(t, allColumnNames(t)), nameList(dedupe(f.unknown)))
}

func dedupe(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || s[i-1] != x {
			out = append(out, x)
		}
	}
	return out
}

// analyseRead runs the checks and warnings for find/findOne.
func (t *table) analyseRead(f *filter) ([]*apiError, *apiError) {
	if e := t.unknownFilterColumns(f); e != nil {
		return nil, e
	}
	by, _ := f.byColumn()
	names := sortedKeys(by)
	// $match needs a text index
	var noText []string
	for _, n := range names {
		if by[n].op == "match" {
			if i := t.firstIndexFor(n); i == nil || i.kind != "text" {
				noText = append(noText, n)
			}
		}
	}
	if len(noText) > 0 {
		var indexed []string
		for _, i := range t.indexes {
			if i.kind == "text" {
				indexed = append(indexed, i.column)
			}
		}
		return nil, filterErr("CANNOT_LEXICAL_FILTER_NON_INDEXED_COLUMNS", "Lexical filtering ($match) is only supported on columns with a text index.\n\nThe table %s.%s has text indexes on the columns: %s.\nThe command used $match on the columns: %s.", t.ks.name, t.name, nameList(indexed), nameList(noText))
	}
	var durs []string
	for _, n := range names {
		if by[n].isSlice() && by[n].col.typ.Kind == typesmap.KindDuration {
			durs = append(durs, n)
		}
	}
	if len(durs) > 0 {
		return nil, filterErr("UNSUPPORTED_COMPARISON_FILTER_AGAINST_DURATION", "Filtering using the comparison operations ($lt, $gt, $lte, $gte) is not supported against `duration` column types.\n\nThe table %s.%s defines the columns: %s.\nThe request used a comparison operation on duration columns: %s.", t.ks.name, t.name, colList(t, allColumnNames(t)), nameList(durs))
	}
	var warns []*apiError
	allPK := true
	for _, n := range names {
		if !t.isPK(n) {
			allPK = false
		}
	}
	targets := sortedCopy(t.indexTargets())
	pkDesc := colList(t, t.pkNames())
	// missing index on scalars
	var missing []string
	for _, n := range names {
		if allPK && t.isPK(n) {
			continue
		}
		if by[n].col.typ.Kind.IsPrimitive() && t.indexOn(n) == nil {
			missing = append(missing, n)
		}
	}
	missingIndexWarning := func(cols []string) *apiError {
		return warning("MISSING_INDEX", "The filter includes columns that are not indexed.\n\nThe table %s.%s has the primary key: %s.\nAnd has indexes on the columns: %s.\nThe request filtered on the un-indexed columns: %s.\n\nNote: the query runs, but filtering on un-indexed columns may be slow on large tables.", t.ks.name, t.name, pkDesc, nameList(targets), nameList(cols))
	}
	if len(missing) > 0 {
		warns = append(warns, missingIndexWarning(missing))
	}
	missing = nil
	for _, n := range names {
		l := by[n]
		if l.component == "" {
			continue
		}
		ok := false
		for _, i := range t.indexes {
			if i.column == n && i.function == l.component {
				ok = true
			}
		}
		if !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		warns = append(warns, missingIndexWarning(missing))
	}
	ineff := func(code, opDesc string, kinds []typesmap.Kind, pick func(*leaf) bool) {
		var cols []string
		for _, n := range names {
			l := by[n]
			if l.component == "" && t.indexOn(n) != nil && pick(l) && kindIn(l.col.typ.Kind, kinds) {
				cols = append(cols, n)
			}
		}
		if len(cols) == 0 {
			return
		}
		var typed []string
		for _, c := range t.cols {
			if kindIn(c.typ.Kind, kinds) {
				typed = append(typed, c.name)
			}
		}
		sort.Strings(typed)
		ks := make([]string, len(kinds))
		for i, k := range kinds {
			ks[i] = strings.ToUpper(string(k))
		}
		warns = append(warns, warning(code, "The filter uses %s on columns that, while indexed, are still inefficient to filter on.\n\nFiltering using %s on columns of type %s is inefficient, even when the columns are indexed.\n\nThe table %s.%s uses these data types for the columns: %s.\nThe request applied %s to the indexed columns: %s.", opDesc, opDesc, strings.Join(ks, ", "), t.ks.name, t.name, colList(t, typed), opDesc, nameList(cols)))
	}
	ineff("NOT_EQUALS_UNSUPPORTED_BY_INDEXING", "$ne", []typesmap.Kind{typesmap.Text, typesmap.Ascii, typesmap.Boolean, typesmap.KindDuration, typesmap.Blob, typesmap.UUID}, func(l *leaf) bool { return l.op == "ne" })
	ineff("COMPARISON_FILTER_UNSUPPORTED_BY_INDEXING", "$lt, $gt, $lte, $gte", []typesmap.Kind{typesmap.Text, typesmap.Ascii, typesmap.Boolean, typesmap.UUID}, (*leaf).isSlice)
	ineff("NOT_IN_FILTER_UNSUPPORTED_BY_INDEXING", "$nin", []typesmap.Kind{typesmap.Text, typesmap.Ascii, typesmap.Boolean, typesmap.UUID}, func(l *leaf) bool { return l.op == "nin" })
	if len(by) == 0 {
		warns = append(warns, warning("ZERO_FILTER_OPERATIONS", "Zero filters were provided in the filter for this query.\n\nProviding zero filters will return all rows in the table, which may have poor performance when the table is large. For the best performance, include one or more filters using the primary key or indexes.\n\nThe table %s.%s has the primary key: %s.\nAnd has indexes on the columns: %s.", t.ks.name, t.name, pkDesc, nameList(t.indexTargets())))
	} else if allPK {
		mp, ooo := t.pkGaps(by)
		if len(mp) > 0 || len(ooo) > 0 {
			warns = append(warns, warning("INCOMPLETE_PRIMARY_KEY_FILTER", "The filter only specified columns from the primary key, but did not specify the full primary key for the table.\n\nThe table %s.%s defines the primary keys: %s.\nThe filter has the following issues:\n  - Missing Partition Keys: %s.\n  - Out of order Partition Sort Keys: %s.", t.ks.name, t.name, pkDesc, colList(t, mp), colList(t, ooo)))
		}
	}
	return warns, nil
}

func kindIn(k typesmap.Kind, ks []typesmap.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func (t *table) firstIndexFor(col string) *index {
	for _, i := range t.indexes {
		if i.column == col {
			return i
		}
	}
	return nil
}

// pkGaps lists missing partition keys and clustering columns filtered
// after a skipped one.
func (t *table) pkGaps(by map[string]*leaf) (missingPart, outOfOrder []string) {
	for _, p := range t.partitionBy {
		if by[p] == nil {
			missingPart = append(missingPart, p)
		}
	}
	skipped := false
	for _, c := range t.clustering {
		if by[c.Column] != nil {
			if skipped {
				outOfOrder = append(outOfOrder, c.Column)
			}
		} else {
			skipped = true
		}
	}
	sort.Strings(missingPart)
	sort.Strings(outOfOrder)
	return
}

// analyseWrite runs the checks of updateOne/deleteOne (one=true) and deleteMany.
func (t *table) analyseWrite(f *filter, one bool) *apiError {
	by, _ := f.byColumn()
	if len(by) == 0 && len(f.unknown) == 0 {
		return filterErr("MISSING_FILTER_FOR_UPDATE_DELETE", "Update and delete commands for tables require a filter.\n\nThese commands require a filter that identifies either a single row (for `updateOne` and `deleteOne`) or a partition and a sequence of rows (for `deleteMany`).\n\nThe table %s.%s defines the primary keys: %s.", t.ks.name, t.name, colList(t, t.pkNames()))
	}
	if e := t.unknownFilterColumns(f); e != nil {
		return e
	}
	var nonPK []string
	for _, n := range sortedKeys(by) {
		if !t.isPK(n) {
			nonPK = append(nonPK, n)
		}
	}
	if len(nonPK) > 0 {
		return filterErr("UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE", "The update or delete commands can only filter using columns that are part of the primary key.\n\nThe table %s.%s defines the primaryKeys: %s.\nThe filter used the non primary key columns: %s.", t.ks.name, t.name, colList(t, t.pkNames()), nameList(nonPK))
	}
	if one {
		var nonEq []string
		for _, n := range sortedKeys(by) {
			if by[n].op != "eq" || by[n].component != "" {
				nonEq = append(nonEq, n)
			}
		}
		if len(nonEq) > 0 {
			return filterErr("UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE", "Filtering using non `$eq` operations can select more than one row, and so cannot be used with the `updateOne` and `deleteOne` commands.\n\nThe command used an invalid filter on the columns: %s.", nameList(nonEq))
		}
		var missing []string
		for _, n := range t.pkNames() {
			if by[n] == nil {
				missing = append(missing, n)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			return filterErr("MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE", "The `updateOne` and `deleteOne` commands must filter on the full primary key of the table.\n\nThe table %s.%s defines the primaryKeys: %s.\nThe filter was missing the primary key columns: %s.", t.ks.name, t.name, colList(t, t.pkNames()), colList(t, missing))
		}
		return nil
	}
	mp, ooo := t.pkGaps(by)
	if len(mp) > 0 || len(ooo) > 0 {
		return filterErr("INVALID_PRIMARY_KEY_FILTER", "The command requires a filter on the primary key that specifies all of the partitioning keys, and the partition sort keys in order.\n\nThe table %s.%s defines the primary keys: %s.\nThe filter has the following issues:\n  - Missing Partition Keys: %s.\n  - Out of order Partition Sort Keys: %s.", t.ks.name, t.name, colList(t, t.pkNames()), colList(t, mp), colList(t, ooo))
	}
	return nil
}

// pinnedPartitions returns the partition keys a filter restricts the read
// to (every partition column fixed by $eq or $in in the top-level AND), or
// ok=false when the filter does not pin partitions.
func (t *table) pinnedPartitions(f *filter) (keys [][]any, ok bool) {
	vals := make([][]any, len(t.partitionBy))
	var walk func(c *cond)
	walk = func(c *cond) {
		if c.kind == "leaf" {
			l := c.leaf
			if l.col == nil || l.component != "" {
				return
			}
			for i, p := range t.partitionBy {
				if p == l.name && (l.op == "eq" || l.op == "in") && vals[i] == nil {
					vals[i] = l.vals
					if vals[i] == nil {
						vals[i] = []any{}
					}
				}
			}
			return
		}
		if c.kind == "and" {
			for _, k := range c.kids {
				walk(k)
			}
		}
	}
	walk(f.root)
	n := 1
	for _, v := range vals {
		if v == nil {
			return nil, false
		}
		n *= len(v)
		if n > 10000 {
			return nil, false
		}
	}
	keys = [][]any{{}}
	for _, v := range vals {
		var next [][]any
		for _, k := range keys {
			for _, x := range v {
				next = append(next, append(append([]any{}, k...), x))
			}
		}
		keys = next
	}
	return keys, true
}
