package dataapitest

import (
	"encoding/base64"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
)

const maxInsertMany = 100

// cell is one column value to write; val nil writes null.
type cell struct {
	col *column
	val any
}

func (t *table) initStore() {
	t.store.init()
	types := make([]typesmap.Type, len(t.clustering))
	desc := make([]bool, len(t.clustering))
	for i, s := range t.clustering {
		types[i] = t.col(s.Column).typ
		desc[i] = s.Desc
	}
	t.store.cmp = func(a, b []any) int {
		for i := range types {
			c := compareValues(types[i], a[i], b[i])
			if desc[i] {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	}
}

// keys encodes the partition key and full primary key of values.
func (t *table) keys(get func(string) any) (partKey, fullKey string, pk, ck []any) {
	var b strings.Builder
	ctx := t.ctx()
	for _, n := range t.partitionBy {
		v := get(n)
		pk = append(pk, v)
		b.WriteString(keyString(t.col(n).typ, v, ctx))
		b.WriteByte(0)
	}
	partKey = b.String()
	for _, s := range t.clustering {
		v := get(s.Column)
		ck = append(ck, v)
		b.WriteString(keyString(t.col(s.Column).typ, v, ctx))
		b.WriteByte(0)
	}
	return partKey, b.String(), pk, ck
}

// vectorize embeds a string given for a vector column.
func vectorizeCell(c *column, v *jv) (any, bool) {
	if c.typ.Kind != typesmap.KindVector || v.kind != jString {
		return nil, false
	}
	if c.typ.Service == nil {
		return nil, true
	}
	return embed(c.typ.Service, v.s, c.typ.Dimension), true
}

// buildRow validates a document for insert, in the real server's order:
// unknown columns, unsupported types, codec errors, vectorize, primary key.
func (t *table) buildRow(doc *jv) ([]cell, *apiError) {
	if doc.isNull() || doc.kind != jObject {
		return nil, mismatch("document must be an object")
	}
	var unknown, unsupported, noVectorize []string
	for _, m := range doc.obj {
		c := t.col(m.key)
		switch {
		case c == nil:
			unknown = append(unknown, m.key)
		case c.typ.Kind == typesmap.Counter || c.typ.Kind == typesmap.Unsupported:
			unsupported = append(unsupported, m.key)
		}
	}
	if len(unknown) > 0 {
		return nil, newErr("DOCUMENT", "UNKNOWN_TABLE_COLUMNS", "Only columns defined in the table schema can be included when inserting a document into a table.\n\nThe table %s.%s defines the columns: %s.\nThe command included the following unknown columns: %s.\n\nResend the command using only columns defined in the table schema.", t.ks.name, t.name, colList(t, allColumnNames(t)), nameList(unknown))
	}
	if len(unsupported) > 0 {
		return nil, newErr("DOCUMENT", "UNSUPPORTED_COLUMN_TYPES", "Only supported column types can be included when inserting a document into a table.\n\nThe table %s.%s defines the columns: %s.\nThe command included the following columns that have unsupported data types: %s.", t.ks.name, t.name, colList(t, allColumnNames(t)), colList(t, unsupported))
	}
	cells := make([]cell, 0, len(doc.obj))
	var invalid []string
	ctx := t.ctx()
	for _, m := range doc.obj {
		c := t.col(m.key)
		if m.val.kind == jNull {
			cells = append(cells, cell{c, nil})
			continue
		}
		if v, isText := vectorizeCell(c, m.val); isText {
			if v == nil {
				noVectorize = append(noVectorize, m.key)
				continue
			}
			cells = append(cells, cell{c, v})
			continue
		}
		v, err := decodeValue(c.typ, m.val, ctx)
		if err != nil {
			invalid = append(invalid, m.key+"("+c.typ.String()+") - Cause: "+err.reason)
			continue
		}
		cells = append(cells, cell{c, v})
	}
	if len(invalid) > 0 {
		return nil, newErr("DOCUMENT", "INVALID_COLUMN_VALUES", "Only values that are supported by the column data type can be included when inserting a document into a table.\n\nThe table %s.%s defines the columns: %s.\nThe command included the following columns that had invalid values: %s.\n\nResend the command using only supported column values.", t.ks.name, t.name, colList(t, allColumnNames(t)), strings.Join(invalid, ", "))
	}
	if len(noVectorize) > 0 {
		return nil, newErr("DOCUMENT", "UNSUPPORTED_VECTORIZE_WHEN_MISSING_VECTORIZE_DEFINITION", "Only columns defined with a vectorize service can be given a string to vectorize.\n\nThe table %s.%s defines vectorize on the columns: %s.\nThe command attempted to vectorize the columns: %s.", t.ks.name, t.name, nameList(t.vectorizeColumns()), colList(t, noVectorize))
	}
	var missing []string
	for _, n := range t.pkNames() {
		found := false
		for _, c := range cells {
			if c.col.name == n && c.val != nil {
				found = true
			}
		}
		if !found {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, newErr("DOCUMENT", "MISSING_PRIMARY_KEY_COLUMNS", "All primary key columns must be provided when inserting a document into a table.\n\nThe table %s.%s defines the primary key columns: %s.\nThe command did not include the primary key columns: %s.", t.ks.name, t.name, colList(t, t.pkNames()), colList(t, missing))
	}
	return cells, nil
}

func (t *table) vectorizeColumns() []string {
	var out []string
	for _, c := range t.cols {
		if c.typ.Kind == typesmap.KindVector && c.typ.Service != nil {
			out = append(out, c.name)
		}
	}
	return out
}

func cellGetter(cells []cell) func(string) any {
	return func(n string) any {
		for _, c := range cells {
			if c.col.name == n {
				return c.val
			}
		}
		return nil
	}
}

// writeRow upserts cells; marker says the write is an INSERT. The caller
// holds the table's write lock.
func (t *table) writeRow(cells []cell, marker bool) (pk []any) {
	partKey, fullKey, pkv, ck := t.keys(cellGetter(cells))
	r := t.store.get(fullKey)
	isNew := r == nil
	if isNew {
		r = &row{key: fullKey, ck: ck, vals: make(map[string]any, len(cells))}
	}
	t.store.version++
	for _, c := range cells {
		if c.val == nil {
			delete(r.vals, c.col.name)
		} else {
			r.vals[c.col.name] = c.val
		}
	}
	if marker {
		r.marker = true
	}
	live := t.rowLive(r)
	switch {
	case isNew && live:
		t.store.put(r, partKey, pkv)
	case !isNew && !live:
		t.store.remove(r)
	}
	return append(pkv, ck...)
}

// rowLive reports whether a row exists in CQL terms: a row marker, or a
// non-null regular cell.
func (t *table) rowLive(r *row) bool {
	if r.marker {
		return true
	}
	for n := range r.vals {
		if !t.isPK(n) {
			return true
		}
	}
	return false
}

func (t *table) pkSchema() *jv {
	o := jObj()
	for _, n := range t.pkNames() {
		o.set(n, rawType(t.descriptor(t.col(n), true)))
	}
	return o
}

func (t *table) pkJV(pk []any) *jv {
	a := jArr()
	ctx := t.ctx()
	for i, n := range t.pkNames() {
		a.arr = append(a.arr, idValueJV(t.col(n).typ, pk[i], ctx))
	}
	return a
}

// idValueJV renders a primary key value for insertedIds and
// documentResponses. The real server does not use its row codecs there: it
// hands the driver's Java values to Jackson (JavaTimeModule registered,
// dates not written as timestamps), so a few types differ from rows:
//   - blob: a ByteBuffer is written as a plain base64 string, not {"$binary": ...};
//   - time: LocalTime goes through ISO_LOCAL_TIME, which always has seconds
//     and trims trailing zeros of the fraction ("10:00:00", "10:00:00.5"),
//     where rows use LocalTime.toString ("10:00", "10:00:00.500").
//
// The rest come out as in rows: date (LocalDate, ISO_LOCAL_DATE) and
// timestamp (Instant, ISO_INSTANT) print as their toString; uuid and inet
// (host address, as the address was given as a literal) as strings; numbers
// as numbers, BigDecimal in its toString form (not forced plain); float and
// double NaN/Infinity as quoted strings, Jackson's default for non-finite
// numbers; vectors as arrays of numbers.
func idValueJV(t typesmap.Type, v any, ctx *codecCtx) *jv {
	switch x := v.(type) {
	case blobVal:
		return jStr(base64.StdEncoding.EncodeToString([]byte(x)))
	case timeVal:
		return jStr(x.isoLocalTime())
	}
	return encodeValue(t, v, ctx)
}

func (h *Handler) insertOne(req *request, t *table) *result {
	if e := checkFields(req.body, "", "document", "options"); e != nil {
		return errResult(e)
	}
	if e := noOptions(req); e != nil {
		return errResult(e)
	}
	doc := req.body.get("document")
	if doc.isNull() {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.document' value `null` not valid: must not be null."))
	}
	cells, e := t.buildRow(doc)
	if e != nil {
		return errResult(e)
	}
	if e := t.primaryKeyError(cells); e != nil {
		return errResult(e)
	}
	t.mu.Lock()
	pk := t.writeRow(cells, true)
	t.mu.Unlock()
	r := &result{}
	r.addStatus("primaryKeySchema", t.pkSchema())
	r.addStatus("insertedIds", jArr(t.pkJV(pk)))
	return r
}

func (h *Handler) insertMany(req *request, t *table) *result {
	b := req.body
	if e := checkFields(b, "", "documents", "options"); e != nil {
		return errResult(e)
	}
	opts, e := objectField(b, "options", "")
	if e != nil {
		return errResult(e)
	}
	if e := checkFields(opts, "options.", "ordered", "returnDocumentResponses"); e != nil {
		return errResult(e)
	}
	ordered, e := boolField(opts, "ordered", "options.")
	if e != nil {
		return errResult(e)
	}
	responses, e := boolField(opts, "returnDocumentResponses", "options.")
	if e != nil {
		return errResult(e)
	}
	docs := b.get("documents")
	if docs.isNull() {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.documents' value `null` not valid: must not be null."))
	}
	if docs.kind != jArray {
		return errResult(mismatch("field 'documents' must be an array, not %s", docs.kind))
	}
	if len(docs.arr) == 0 {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.documents' value `[]` not valid: must not be empty."))
	}
	if len(docs.arr) > maxInsertMany {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.documents' value `[...]` not valid: amount of documents to insert is over the max limit (%d vs %d).", len(docs.arr), maxInsertMany))
	}
	type outcome struct {
		cells  []cell
		err    *apiError
		pk     []any
		status string
	}
	outs := make([]outcome, len(docs.arr))
	for i, d := range docs.arr {
		outs[i].cells, outs[i].err = t.buildRow(d)
	}
	t.mu.Lock()
	stopped := false
	for i := range outs {
		o := &outs[i]
		if o.err != nil {
			o.status = "ERROR"
			if ordered {
				stopped = true
			}
			continue
		}
		if stopped {
			o.status = "SKIPPED"
			continue
		}
		if o.err = t.primaryKeyError(o.cells); o.err != nil {
			// refused by the database: the row has its id, unlike a
			// document that failed validation
			o.status = "ERROR"
			if ordered {
				stopped = true
			}
			continue
		}
		o.pk = t.writeRow(o.cells, true)
		o.status = "OK"
	}
	t.mu.Unlock()
	r := &result{}
	// errors: one per failed row; with document responses, identical ones are shared
	errIdx := map[string]int{}
	idxOf := make([]int, len(outs))
	for i, o := range outs {
		if o.err == nil {
			continue
		}
		if responses {
			k := o.err.family + "|" + o.err.scope + "|" + o.err.code + "|" + o.err.message
			if j, ok := errIdx[k]; ok {
				idxOf[i] = j
				continue
			}
			errIdx[k] = len(r.errs)
		}
		idxOf[i] = len(r.errs)
		r.errs = append(r.errs, o.err)
	}
	if responses {
		dr := jArr()
		for i, o := range outs {
			id := jArr()
			if o.pk != nil {
				id = t.pkJV(o.pk)
			} else if o.cells != nil {
				_, _, pk, ck := t.keys(cellGetter(o.cells))
				id = t.pkJV(append(pk, ck...))
			}
			e := jObj(member{"_id", id}, member{"status", jStr(o.status)})
			if o.status == "ERROR" {
				e.set("errorsIdx", jInt(int64(idxOf[i])))
			}
			dr.arr = append(dr.arr, e)
		}
		r.addStatus("primaryKeySchema", t.pkSchema())
		r.addStatus("documentResponses", dr)
		return r
	}
	ids := jArr()
	for _, o := range outs {
		if o.status == "OK" {
			ids.arr = append(ids.arr, t.pkJV(o.pk))
		}
	}
	if len(ids.arr) > 0 {
		r.addStatus("primaryKeySchema", t.pkSchema())
		r.addStatus("insertedIds", ids)
	}
	return r
}

// pkFilterCells turns a full-primary-key $eq filter into cells.
func (t *table) pkFilterCells(f *filter) []cell {
	by, _ := f.byColumn()
	var cells []cell
	for _, n := range t.pkNames() {
		cells = append(cells, cell{t.col(n), by[n].vals[0]})
	}
	return cells
}

var updateOps = []string{"$set", "$unset", "$push", "$pullAll"}

// update is one column change of an updateOne.
type update struct {
	col  *column
	op   string
	val  any   // $set
	vals []any // $push (elements or entries), $pullAll (elements or keys)
}

func updErr(code, format string, args ...any) *apiError {
	return newErr("UPDATE", code, format, args...)
}

func (h *Handler) updateOne(req *request, t *table) *result {
	b := req.body
	if e := checkFields(b, "", "filter", "update", "sort", "options"); e != nil {
		return errResult(e)
	}
	opts, e := objectField(b, "options", "")
	if e != nil {
		return errResult(e)
	}
	if e := checkFields(opts, "options.", "upsert"); e != nil {
		return errResult(e)
	}
	if _, e := boolField(opts, "upsert", "options."); e != nil {
		return errResult(e)
	}
	if s := b.get("sort"); !s.isNull() && !(s.kind == jObject && len(s.obj) == 0) {
		return errResult(newErr("SORT", "UNSUPPORTED_SORT_FOR_TABLE_UPDATE_COMMAND", "The command %s does not support sorting on tables.", req.command))
	}
	f, e := parseFilter(t, b.get("filter"))
	if e != nil {
		return errResult(e)
	}
	if e := t.analyseWrite(f, true); e != nil {
		return errResult(e)
	}
	uv := b.get("update")
	if uv.isNull() {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.update' value `null` not valid: must not be null."))
	}
	if uv.kind != jObject {
		return errResult(mismatch("field 'update' must be an object, not %s", uv.kind))
	}
	ups, e := t.parseUpdate(uv)
	if e != nil {
		return errResult(e)
	}
	keyCells := t.pkFilterCells(f)
	if e := t.primaryKeyError(keyCells); e != nil {
		return errResult(e)
	}
	t.mu.Lock()
	t.applyUpdate(keyCells, ups)
	t.mu.Unlock()
	r := &result{}
	r.addStatus("matchedCount", jInt(1))
	r.addStatus("modifiedCount", jInt(1))
	return r
}

func (t *table) parseUpdate(uv *jv) ([]update, *apiError) {
	var unsupported []string
	for _, m := range uv.obj {
		if !contains(updateOps, m.key) {
			unsupported = append(unsupported, m.key)
		}
	}
	if len(unsupported) > 0 {
		return nil, updErr("UNSUPPORTED_UPDATE_OPERATIONS_FOR_TABLE", "The command used update operators that are not supported by tables: %s.\n\nThe supported update operators are: $set, $unset, $push, $pullAll.", strings.Join(unsupported, ", "))
	}
	var ups []update
	seen := map[string]string{}
	var overlap, unknown, pkCols, invalid, badOp, noVectorize []string
	ctx := t.ctx()
	for _, m := range uv.obj {
		if m.val.isNull() {
			continue
		}
		if m.val.kind != jObject {
			return nil, mismatch("update operator '%s' must have an object value", m.key)
		}
		for _, e := range m.val.obj {
			if _, dup := seen[e.key]; dup {
				overlap = append(overlap, e.key)
				continue
			}
			seen[e.key] = m.key
			c := t.col(e.key)
			if c == nil {
				unknown = append(unknown, e.key)
				continue
			}
			if t.isPK(e.key) {
				pkCols = append(pkCols, e.key)
				continue
			}
			u := update{col: c, op: m.key}
			isColl := c.typ.Kind.IsCollection()
			if c.typ.Kind == typesmap.Counter || c.typ.Kind == typesmap.Unsupported ||
				((m.key == "$push" || m.key == "$pullAll") && !isColl) {
				badOp = append(badOp, e.key)
				continue
			}
			switch m.key {
			case "$unset":
			case "$set":
				if e.val.kind == jNull {
					break
				}
				if v, isText := vectorizeCell(c, e.val); isText {
					if v == nil {
						noVectorize = append(noVectorize, e.key)
					}
					u.val = v
					break
				}
				v, err := decodeValue(c.typ, e.val, ctx)
				if err != nil {
					invalid = append(invalid, e.key+"("+c.typ.String()+") - Cause: "+err.reason)
					continue
				}
				u.val = v
			case "$push":
				vals, perr := t.pushValues(c, e.val)
				if perr != nil {
					if perr.code == "" {
						invalid = append(invalid, e.key+"("+c.typ.String()+") - Cause: "+perr.message)
						continue
					}
					return nil, perr
				}
				u.vals = vals
			case "$pullAll":
				if e.val.kind != jArray {
					invalid = append(invalid, e.key+"("+c.typ.String()+") - Cause: $pullAll needs an array")
					continue
				}
				et := *c.typ.Value
				if c.typ.Kind == typesmap.KindMap {
					et = *c.typ.Key
				}
				bad := false
				for _, x := range e.val.arr {
					if x.kind == jNull {
						bad = true
						break
					}
					v, err := decodeValue(et, x, ctx)
					if err != nil {
						bad = true
						break
					}
					u.vals = append(u.vals, v)
				}
				if bad {
					invalid = append(invalid, e.key+"("+c.typ.String()+") - Cause: "+errNoCodec)
					continue
				}
			}
			ups = append(ups, u)
		}
	}
	switch {
	case len(overlap) > 0:
		return nil, updErr("UNSUPPORTED_OVERLAPPING_UPDATE_OPERATIONS", "The command used multiple update operations on the same columns: %s.", nameList(overlap))
	case len(unknown) > 0:
		return nil, updErr("UNKNOWN_TABLE_COLUMNS", "Only columns defined in the table schema can be updated.\n\nThe table %s.%s defines the columns: %s.\nThe update included the following unknown columns: %s.", t.ks.name, t.name, colList(t, allColumnNames(t)), nameList(unknown))
	case len(pkCols) > 0:
		return nil, updErr("UNSUPPORTED_UPDATE_FOR_PRIMARY_KEY_COLUMNS", "Primary key columns cannot be updated.\n\nThe table %s.%s defines the primary key columns: %s.\nThe update included the primary key columns: %s.", t.ks.name, t.name, colList(t, t.pkNames()), colList(t, pkCols))
	case len(badOp) > 0:
		return nil, updErr("UNSUPPORTED_UPDATE_OPERATOR", "The update operators used are not supported by the target columns: %s.\n\n$push and $pullAll can only be used on list, set and map columns; $set and $unset on any column but counters.", colList(t, badOp))
	case len(invalid) > 0:
		return nil, updErr("INVALID_UPDATE_COLUMN_VALUES", "Only values that are supported by the column data type can be included when updating a row.\n\nThe table %s.%s defines the columns: %s.\nThe update included the following columns that had invalid values: %s.", t.ks.name, t.name, colList(t, allColumnNames(t)), strings.Join(invalid, ", "))
	case len(noVectorize) > 0:
		return nil, updErr("UNSUPPORTED_VECTORIZE_WHEN_MISSING_VECTORIZE_DEFINITION", "Only columns defined with a vectorize service can be given a string to vectorize: %s.", colList(t, noVectorize))
	case len(ups) == 0:
		return nil, updErr("MISSING_UPDATE_OPERATIONS", "The update command must include at least one operation: $set, $unset, $push or $pullAll.")
	}
	return ups, nil
}

// pushValues reads a $push operand: one element (one entry for maps), or
// {"$each": [...]}. A returned error with an empty code is a value problem.
func (t *table) pushValues(c *column, v *jv) ([]any, *apiError) {
	ctx := t.ctx()
	var items []*jv
	switch {
	case v.kind == jObject && v.get("$each") != nil:
		if len(v.obj) != 1 || v.obj[0].val.kind != jArray {
			return nil, updErr("INVALID_PUSH_OPERATOR_USAGE", "The $push operator on column '%s' takes {\"$each\": [...]} with no other fields.", c.name)
		}
		items = v.obj[0].val.arr
	case v.kind == jArray && c.typ.Kind != typesmap.KindMap:
		return nil, updErr("INVALID_PUSH_OPERATOR_USAGE", "The $push operator on column '%s' adds one element; use {\"$each\": [...]} to add several.", c.name)
	default:
		items = []*jv{v}
	}
	var out []any
	for _, it := range items {
		if it.kind == jNull {
			return nil, &apiError{message: "null values are not allowed"}
		}
		if c.typ.Kind == typesmap.KindMap {
			var kv, vv *jv
			switch {
			case it.kind == jObject && len(it.obj) == 1:
				kv, vv = jStr(it.obj[0].key), it.obj[0].val
			case it.kind == jArray && len(it.arr) == 2:
				kv, vv = it.arr[0], it.arr[1]
			default:
				return nil, updErr("INVALID_PUSH_OPERATOR_USAGE", "The $push operator on map column '%s' takes one entry as {\"key\": value} or [key, value].", c.name)
			}
			if kv.kind == jNull || vv.kind == jNull {
				return nil, &apiError{message: "null keys or values are not allowed"}
			}
			k, err := decodeValue(*c.typ.Key, kv, ctx)
			if err != nil {
				return nil, &apiError{message: err.reason}
			}
			x, err := decodeValue(*c.typ.Value, vv, ctx)
			if err != nil {
				return nil, &apiError{message: err.reason}
			}
			out = append(out, mapEntry{k, x})
			continue
		}
		x, err := decodeValue(*c.typ.Value, it, ctx)
		if err != nil {
			return nil, &apiError{message: err.reason}
		}
		out = append(out, x)
	}
	return out, nil
}

// applyUpdate performs a CQL UPDATE (an upsert without row marker).
func (t *table) applyUpdate(keyCells []cell, ups []update) {
	_, fullKey, _, _ := t.keys(cellGetter(keyCells))
	var cur map[string]any
	if r := t.store.get(fullKey); r != nil {
		cur = r.vals
	}
	cells := append([]cell(nil), keyCells...)
	for _, u := range ups {
		var old any
		if cur != nil {
			old = cur[u.col.name]
		}
		var nv any
		switch u.op {
		case "$set":
			nv = u.val
		case "$unset":
			nv = nil
		case "$push":
			nv = pushInto(u.col.typ, old, u.vals)
		case "$pullAll":
			nv = pullFrom(u.col.typ, old, u.vals)
		}
		cells = append(cells, cell{u.col, nv})
	}
	t.writeRow(cells, false)
}

func pushInto(t typesmap.Type, old any, vals []any) any {
	switch t.Kind {
	case typesmap.KindList:
		var l []any
		if old != nil {
			l = append(l, old.([]any)...)
		}
		return append(l, vals...)
	case typesmap.KindSet:
		var l []any
		if old != nil {
			l = append(l, old.([]any)...)
		}
		return sortUnique(*t.Value, append(l, vals...))
	case typesmap.KindMap:
		var m []mapEntry
		if old != nil {
			m = append(m, old.([]mapEntry)...)
		}
		for _, v := range vals {
			m = append(m, v.(mapEntry))
		}
		return normaliseMap(*t.Key, m)
	}
	return old
}

func pullFrom(t typesmap.Type, old any, vals []any) any {
	if old == nil {
		return nil
	}
	switch t.Kind {
	case typesmap.KindList, typesmap.KindSet:
		return without(old.([]any), vals, *t.Value, func(e any) any { return e })
	case typesmap.KindMap:
		return without(old.([]mapEntry), vals, *t.Key, func(e mapEntry) any { return e.k })
	}
	return old
}

// without is $pullAll on a list or set (key: the element) or a map (key: the
// entry's key): the elements whose key equals none of vals, or nil for none.
func without[E any](old []E, vals []any, kt typesmap.Type, key func(E) any) any {
	var out []E
	for _, e := range old {
		drop := false
		for _, v := range vals {
			if compareValues(kt, key(e), v) == 0 {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (h *Handler) deleteOne(req *request, t *table) *result {
	b := req.body
	if e := checkFields(b, "", "filter", "sort", "options"); e != nil {
		return errResult(e)
	}
	if e := noOptions(req); e != nil {
		return errResult(e)
	}
	if s := b.get("sort"); !s.isNull() && !(s.kind == jObject && len(s.obj) == 0) {
		return errResult(newErr("SORT", "UNSUPPORTED_SORT_FOR_TABLE_DELETE_COMMAND", "The command %s does not support sorting on tables.", req.command))
	}
	f, e := parseFilter(t, b.get("filter"))
	if e != nil {
		return errResult(e)
	}
	if e := t.analyseWrite(f, true); e != nil {
		return errResult(e)
	}
	keyCells := t.pkFilterCells(f)
	if e := t.primaryKeyError(keyCells); e != nil {
		return errResult(e)
	}
	_, fullKey, _, _ := t.keys(cellGetter(keyCells))
	t.mu.Lock()
	if r := t.store.get(fullKey); r != nil {
		t.store.remove(r)
	}
	t.mu.Unlock()
	r := &result{}
	r.addStatus("deletedCount", jInt(-1))
	return r
}

func (h *Handler) deleteMany(req *request, t *table) *result {
	b := req.body
	if e := checkFields(b, "", "filter", "options"); e != nil {
		return errResult(e)
	}
	if e := noOptions(req); e != nil {
		return errResult(e)
	}
	fv := b.get("filter")
	res := &result{}
	res.addStatus("deletedCount", jInt(-1))
	if fv.isNull() || (fv.kind == jObject && len(fv.obj) == 0) {
		t.mu.Lock()
		t.store.truncate()
		t.mu.Unlock()
		return res
	}
	f, e := parseFilter(t, fv)
	if e != nil {
		return errResult(e)
	}
	if e := t.analyseWrite(f, false); e != nil {
		return errResult(e)
	}
	// CQL DELETE rules: partition keys by $eq/$in; clustering prefix by $eq
	// with at most a range on the last restricted column.
	by, _ := f.byColumn()
	for _, l := range f.leaves {
		if len(leavesOn(f, l.name)) > 1 && !t.isRangePair(f, l.name) {
			return errResult(invalidQuery("more than one restriction on column %s", l.name))
		}
	}
	if hasOr(f.root) {
		return errResult(invalidQuery("OR is not supported in DELETE"))
	}
	for _, p := range t.partitionBy {
		if op := by[p].op; op != "eq" && op != "in" {
			return errResult(invalidQuery("only EQ and IN relations are supported on the partition key %s", p))
		}
	}
	rangeSeen := false
	for _, c := range t.clustering {
		l := by[c.Column]
		if l == nil {
			break
		}
		if rangeSeen {
			return errResult(invalidQuery("clustering column %s cannot be restricted after a range restriction", c.Column))
		}
		switch {
		case l.op == "eq":
		case l.isSlice():
			rangeSeen = true
		default:
			return errResult(invalidQuery("operator on clustering column %s is not supported in DELETE", c.Column))
		}
	}
	if e := t.pinnedKeyError(f); e != nil {
		return errResult(e)
	}
	keys, _ := t.pinnedPartitions(f)
	t.mu.Lock()
	defer t.mu.Unlock()
	ctx := t.ctx()
	for _, k := range keys {
		var sb strings.Builder
		for i, n := range t.partitionBy {
			sb.WriteString(keyString(t.col(n).typ, k[i], ctx))
			sb.WriteByte(0)
		}
		p := t.store.parts[sb.String()]
		if p == nil {
			continue
		}
		var doomed []*row
		for _, r := range p.rows {
			if f.root.match(r) {
				doomed = append(doomed, r)
			}
		}
		for _, r := range doomed {
			t.store.remove(r)
		}
	}
	return res
}

func leavesOn(f *filter, name string) []*leaf {
	var out []*leaf
	for _, l := range f.leaves {
		if l.name == name {
			out = append(out, l)
		}
	}
	return out
}

func (t *table) isRangePair(f *filter, name string) bool {
	for _, l := range leavesOn(f, name) {
		if !l.isSlice() {
			return false
		}
	}
	return t.clusteringIndex(name) >= 0
}

func hasOr(c *cond) bool {
	if c.kind == "or" && len(c.kids) > 1 {
		return true
	}
	for _, k := range c.kids {
		if hasOr(k) {
			return true
		}
	}
	return false
}

func invalidQuery(format string, args ...any) *apiError {
	return serverErr("DATABASE", "INVALID_DATABASE_QUERY", "The database rejected the query: "+format+".", args...)
}
