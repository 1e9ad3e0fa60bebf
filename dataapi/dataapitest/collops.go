package dataapitest

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
)

// collectionCommand serves a document command on a collection.
func (h *Handler) collectionCommand(req *request, c *collection) *result {
	if contains(tableOnly, req.command) {
		return errResult(newErr("", "UNSUPPORTED_COLLECTION_COMMAND", "The command %s is not supported by collections.", req.command))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch req.command {
	case "insertOne":
		return h.collInsert(req, c, true)
	case "insertMany":
		return h.collInsert(req, c, false)
	case "find":
		return h.collFind(req, c, false)
	case "findOne":
		return h.collFind(req, c, true)
	case "findOneAndReplace":
		return h.collReplace(req, c, true)
	case "replaceOne":
		return h.collReplace(req, c, false)
	case "deleteOne":
		return h.collDelete(req, c, true)
	case "deleteMany":
		return h.collDelete(req, c, false)
	case "countDocuments", "estimatedDocumentCount":
		return h.collCount(req, c)
	}
	return errResult(newErr("", "UNSUPPORTED_COLLECTION_COMMAND", "The local server does not implement %s for collections.", req.command))
}

// idText renders an id as the real server's messages do: strings in
// single quotes, others as their value.
func idText(id *jv) string {
	switch id.kind {
	case jString:
		return "'" + id.s + "'"
	case jObject:
		if len(id.obj) == 1 {
			return id.obj[0].val.String()
		}
	}
	return id.String()
}

// withID returns doc with _id first, generating one when missing.
func (c *collection) withID(doc *jv) *jv {
	if id := doc.get("_id"); id != nil {
		return doc
	}
	var id *jv
	switch dt, _ := stringField(c.options.get("defaultId"), "type", ""); dt {
	case "uuid", "uuidv6", "uuidv7":
		id = jObj(member{"$uuid", jStr(newUUID())})
	case "objectId":
		id = jObj(member{"$objectId", jStr(strings.ReplaceAll(newUUID(), "-", "")[:24])})
	default:
		id = jStr(newUUID())
	}
	return jObj(append([]member{{"_id", id}}, doc.obj...)...)
}

// prepare checks a document for storing and returns it with its id and key.
func (c *collection) prepare(d *jv) (*jv, string, *apiError) {
	if d == nil || d.kind != jObject {
		t := "Null"
		if d != nil {
			t = nodeType(d)
		}
		return nil, "", docErr("SHRED_BAD_DOCUMENT_TYPE", "Bad document type to shred: document must be a JSON Object, instead got a JSON %s.", t)
	}
	d = c.withID(d)
	key, e := idKey(d.get("_id"))
	if e != nil {
		return d, "", e
	}
	if e := c.checkDocument(d); e != nil {
		return d, key, e
	}
	return d, key, nil
}

func (h *Handler) collInsert(req *request, c *collection, one bool) *result {
	b := req.body
	var docs []*jv
	ordered, responses := false, false
	if one {
		if e := checkFields(b, "", "document"); e != nil {
			return errResult(e)
		}
		d := b.get("document")
		if d.isNull() {
			return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.document' value `null` not valid: must not be null."))
		}
		docs = []*jv{d}
	} else {
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
		if ordered, e = boolField(opts, "ordered", "options."); e != nil {
			return errResult(e)
		}
		if responses, e = boolField(opts, "returnDocumentResponses", "options."); e != nil {
			return errResult(e)
		}
		ds := b.get("documents")
		switch {
		case ds.isNull():
			return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.documents' value `null` not valid: must not be null."))
		case ds.kind != jArray:
			return errResult(mismatch("field 'documents' must be an array, not %s", ds.kind))
		case len(ds.arr) == 0:
			return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.documents' value `[]` not valid: must not be empty."))
		case len(ds.arr) > maxInsertMany:
			return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.documents' value `[...]` not valid: amount of documents to insert is over the max limit (%d vs %d).", len(ds.arr), maxInsertMany))
		}
		docs = ds.arr
	}
	type outcome struct {
		id     *jv
		err    *apiError
		status string
	}
	outs := make([]outcome, len(docs))
	stopped := false
	for i, d := range docs {
		o := &outs[i]
		if stopped {
			o.status = "SKIPPED"
			if d != nil && d.kind == jObject {
				o.id = d.get("_id")
			}
			continue
		}
		d, key, e := c.prepare(d)
		if d != nil {
			o.id = d.get("_id")
		}
		if e == nil && c.docs[key] != nil {
			e = docErr("DOCUMENT_ALREADY_EXISTS", "Cannot insert the document: a document already exists with given '_id' (%s). \n\nEither resend the command with distinct '_id', or use an update command instead.", idText(o.id))
		}
		if e != nil {
			if o.id != nil && e.code != "SHRED_BAD_DOCID_TYPE" && e.code != "SHRED_BAD_DOCID_VALUE" {
				e.docIDs = []*jv{o.id}
			}
			o.err, o.status = e, "ERROR"
			stopped = ordered
			continue
		}
		c.put(key, d)
		o.status = "OK"
	}
	r := &result{}
	idxOf := make([]int, len(outs))
	seen := map[string]int{}
	for i, o := range outs {
		if o.err == nil {
			continue
		}
		if responses {
			k := o.err.code + "|" + o.err.message
			if j, ok := seen[k]; ok {
				idxOf[i] = j
				continue
			}
			seen[k] = len(r.errs)
		}
		idxOf[i] = len(r.errs)
		r.errs = append(r.errs, o.err)
	}
	if responses {
		dr := jArr()
		for i, o := range outs {
			e := jObj()
			if o.id != nil {
				e.set("_id", o.id)
			}
			e.set("status", jStr(o.status))
			if o.status == "ERROR" {
				e.set("errorsIdx", jInt(int64(idxOf[i])))
			}
			dr.arr = append(dr.arr, e)
		}
		r.addStatus("documentResponses", dr)
		return r
	}
	ids := jArr()
	for _, o := range outs {
		if o.status == "OK" {
			ids.arr = append(ids.arr, o.id)
		}
	}
	r.addStatus("insertedIds", ids)
	return r
}

// collSort is a parsed sort clause: paths with 1 or -1.
type collSort struct {
	paths []string
	desc  []bool
}

func (c *collection) parseSort(s *jv) (*collSort, *apiError) {
	if s.isNull() || s.kind == jObject && len(s.obj) == 0 {
		return nil, nil
	}
	if s.kind != jObject {
		return nil, mismatch("field 'sort' must be an object, not %s", s.kind)
	}
	out := &collSort{}
	for _, m := range s.obj {
		if m.key == "$vector" || m.key == "$vectorize" || m.key == "$hybrid" || m.key == "$lexical" {
			return nil, newErr("SORT", "UNSUPPORTED_SORT_FOR_COLLECTION", "The local server does not implement '%s' sorts on collections.", m.key)
		}
		if m.key == "" || strings.HasPrefix(m.key, "$") {
			return nil, newErr("SORT", "SORT_CLAUSE_PATH_INVALID", "Sort clause path ('%s') is not a valid path.", m.key)
		}
		if m.val.kind != jNumber || (m.val.s != "1" && m.val.s != "-1") {
			return nil, newErr("SORT", "SORT_CLAUSE_VALUE_INVALID", "Sort ordering value can only be `1` for ascending or `-1` for descending (not `%s`).", m.val.String())
		}
		if !c.indexed(m.key) {
			return nil, newErr("SORT", "SORT_CLAUSE_PATH_UNINDEXED", "Collection field '%s' is not indexed: cannot sort using it. \n\nResend the command with sort on an indexed field.", m.key)
		}
		out.paths = append(out.paths, m.key)
		out.desc = append(out.desc, m.val.s == "-1")
	}
	return out, nil
}

// typeRank orders values of different JSON types in sorts.
func typeRank(v *jv) int {
	if v == nil {
		return 0
	}
	switch v.kind {
	case jNull:
		return 1
	case jNumber:
		return 2
	case jString:
		return 3
	case jObject:
		if len(v.obj) == 1 && v.obj[0].key == "$date" {
			return 6
		}
		return 4
	case jArray:
		return 5
	}
	return 7 // boolean
}

func (s *collSort) less(a, b *jv) bool {
	for i, p := range s.paths {
		x, y := lookup(a, p), lookup(b, p)
		c := 0
		if rx, ry := typeRank(x), typeRank(y); rx != ry {
			c = rx - ry
		} else if cmp, ok := compareJV(x, y); ok {
			c = cmp
		} else {
			c = strings.Compare(valKey(x), valKey(y))
		}
		if c != 0 {
			return c < 0 != s.desc[i]
		}
	}
	return false
}

// matching returns the documents the filter selects, in scan order.
func (c *collection) matching(f *cfilter) []*cdoc {
	var out []*cdoc
	if keys, ok := f.idKeys(); ok {
		for _, k := range keys {
			if d := c.docs[k]; d != nil && f.matches(d.doc) {
				out = append(out, d)
			}
		}
		sort.Slice(out, func(i, j int) bool {
			return out[i].hash < out[j].hash || out[i].hash == out[j].hash && out[i].key < out[j].key
		})
		// the same id asked twice is found once
		uniq := out[:0]
		for i, d := range out {
			if i == 0 || out[i-1] != d {
				uniq = append(uniq, d)
			}
		}
		return uniq
	}
	for _, d := range c.scan() {
		if f.matches(d.doc) {
			out = append(out, d)
		}
	}
	return out
}

func encodePageState(d *cdoc) string {
	return base64.StdEncoding.EncodeToString([]byte(strconv.FormatUint(d.hash, 16) + "|" + d.key))
}

func decodePageState(s string) (hash uint64, key string, ok bool) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return 0, "", false
	}
	h, k, found := strings.Cut(string(raw), "|")
	if !found {
		return 0, "", false
	}
	hash, err = strconv.ParseUint(h, 16, 64)
	return hash, k, err == nil
}

func (h *Handler) collFind(req *request, c *collection, one bool) *result {
	b := req.body
	if e := checkFields(b, "", "filter", "projection", "sort", "options"); e != nil {
		return errResult(e)
	}
	opts, e := objectField(b, "options", "")
	if e != nil {
		return errResult(e)
	}
	known := []string{"limit", "skip", "pageState", "includeSimilarity", "includeSortVector"}
	if one {
		known = []string{"includeSimilarity", "includeSortVector"}
	}
	if e := checkFields(opts, "options.", known...); e != nil {
		return errResult(e)
	}
	limit, hasLimit, e := optInt(opts, "limit")
	if e != nil {
		return errResult(e)
	}
	if hasLimit && limit < 0 {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.options.limit' value %d not valid: limit should be greater than or equal to `0`.", limit))
	}
	skip, hasSkip, e := optInt(opts, "skip")
	if e != nil {
		return errResult(e)
	}
	if hasSkip && skip < 0 {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.options.skip' value %d not valid: skip should be greater than or equal to `0`.", skip))
	}
	pageState, e := stringField(opts, "pageState", "options.")
	if e != nil {
		return errResult(e)
	}
	f, e := c.parseFilter(b.get("filter"))
	if e != nil {
		return errResult(e)
	}
	srt, e := c.parseSort(b.get("sort"))
	if e != nil {
		return errResult(e)
	}
	if hasSkip && srt == nil {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.options' value \"%s\" not valid: skip options should be used with sort clause.", opts))
	}
	proj, e := parseProjection(b.get("projection"))
	if e != nil {
		return errResult(e)
	}
	docs := c.matching(f)
	if srt != nil {
		sort.SliceStable(docs, func(i, j int) bool { return srt.less(docs[i].doc, docs[j].doc) })
	}
	if one {
		out := jNullV
		if len(docs) > 0 {
			out = proj.apply(docs[0].doc)
		}
		return &result{data: jObj(member{"document", out})}
	}
	next := jNullV
	if srt != nil {
		// in-memory sort: one page, no paging
		if skip < len(docs) {
			docs = docs[skip:]
		} else {
			docs = nil
		}
		n := h.opts.collPageSize
		if hasLimit && limit < n {
			n = limit
		}
		if len(docs) > n {
			docs = docs[:n]
		}
	} else {
		if pageState != "" {
			hash, key, ok := decodePageState(pageState)
			if !ok {
				return errResult(newErr("", "INVALID_REQUEST", "Invalid page state."))
			}
			i := sort.Search(len(docs), func(i int) bool {
				d := docs[i]
				return d.hash > hash || d.hash == hash && d.key > key
			})
			docs = docs[i:]
		}
		n := h.opts.collPageSize
		if hasLimit && limit <= n {
			n = limit
			if len(docs) > n {
				docs = docs[:n]
			}
		}
		if len(docs) > n {
			docs = docs[:n]
			next = jStr(encodePageState(docs[n-1]))
		}
	}
	arr := jArr()
	for _, d := range docs {
		arr.arr = append(arr.arr, proj.apply(d.doc))
	}
	return &result{data: jObj(member{"documents", arr}, member{"nextPageState", next})}
}

func (h *Handler) collReplace(req *request, c *collection, returnDoc bool) *result {
	b := req.body
	known := []string{"filter", "sort", "replacement", "options"}
	optKnown := []string{"upsert"}
	if returnDoc {
		known = append(known, "projection")
		optKnown = append(optKnown, "returnDocument")
	}
	if e := checkFields(b, "", known...); e != nil {
		return errResult(e)
	}
	opts, e := objectField(b, "options", "")
	if e != nil {
		return errResult(e)
	}
	if e := checkFields(opts, "options.", optKnown...); e != nil {
		return errResult(e)
	}
	upsert, e := boolField(opts, "upsert", "options.")
	if e != nil {
		return errResult(e)
	}
	after := false
	if returnDoc {
		rd, e := stringField(opts, "returnDocument", "options.")
		if e != nil {
			return errResult(e)
		}
		switch rd {
		case "", "before":
		case "after":
			after = true
		default:
			return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.options.returnDocument' value \"%s\" not valid: value must be 'before' or 'after'.", rd))
		}
	}
	repl := b.get("replacement")
	if repl.isNull() {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.replacement' value `null` not valid: must not be null."))
	}
	if repl.kind != jObject {
		return errResult(mismatch("field 'replacement' must be an object, not %s", repl.kind))
	}
	f, e := c.parseFilter(b.get("filter"))
	if e != nil {
		return errResult(e)
	}
	srt, e := c.parseSort(b.get("sort"))
	if e != nil {
		return errResult(e)
	}
	proj, e := parseProjection(b.get("projection"))
	if e != nil {
		return errResult(e)
	}
	docs := c.matching(f)
	if srt != nil {
		sort.SliceStable(docs, func(i, j int) bool { return srt.less(docs[i].doc, docs[j].doc) })
	}
	r := &result{}
	var before, stored *jv
	if len(docs) == 0 {
		r.addStatus("matchedCount", jInt(0))
		r.addStatus("modifiedCount", jInt(0))
		if !upsert {
			if returnDoc {
				r.data = jObj(member{"document", jNullV})
			}
			return r
		}
		nd := repl
		if nd.get("_id") == nil {
			for _, cd := range f.conds {
				if cd.path == "_id" && cd.op == "$eq" {
					nd = jObj(append([]member{{"_id", cd.val}}, repl.obj...)...)
				}
			}
		}
		nd, key, e := c.prepare(nd)
		if e != nil {
			return errResult(e)
		}
		if c.docs[key] != nil {
			return errResult(docErr("DOCUMENT_ALREADY_EXISTS", "Cannot insert the document: a document already exists with given '_id' (%s). \n\nEither resend the command with distinct '_id', or use an update command instead.", idText(nd.get("_id"))))
		}
		c.put(key, nd)
		stored = nd
		r.addStatus("upsertedId", nd.get("_id"))
	} else {
		old := docs[0]
		id := old.doc.get("_id")
		if rid := repl.get("_id"); rid != nil {
			if k, _ := idKey(rid); k != old.key {
				return errResult(docErr("DOCUMENT_REPLACE_DIFFERENT_DOCID", "The replace document and document resolved using filter have different '_id's: %s (replace document) vs. %s (document that filter matches). ", idText(rid), idText(id)))
			}
		}
		nd := jObj(member{"_id", id})
		for _, m := range repl.obj {
			if m.key != "_id" {
				nd.set(m.key, m.val)
			}
		}
		if _, _, e := c.prepare(nd); e != nil {
			return errResult(e)
		}
		before, stored = old.doc, nd
		modified := int64(0)
		if valKey(before) != valKey(nd) {
			modified = 1
			c.put(old.key, nd)
		}
		r.addStatus("matchedCount", jInt(1))
		r.addStatus("modifiedCount", jInt(modified))
	}
	if returnDoc {
		out := jNullV
		switch {
		case after:
			out = proj.apply(stored)
		case before != nil:
			out = proj.apply(before)
		}
		r.data = jObj(member{"document", out})
	}
	return r
}

func (h *Handler) collDelete(req *request, c *collection, one bool) *result {
	b := req.body
	known := []string{"filter"}
	if one {
		known = append(known, "sort")
	}
	if e := checkFields(b, "", known...); e != nil {
		return errResult(e)
	}
	f, e := c.parseFilter(b.get("filter"))
	if e != nil {
		return errResult(e)
	}
	srt, e := c.parseSort(b.get("sort"))
	if e != nil {
		return errResult(e)
	}
	r := &result{}
	if !one && len(f.conds) == 0 && len(f.subs) == 0 {
		// an empty filter truncates: the count is not known
		for k := range c.docs {
			c.remove(k)
		}
		r.addStatus("deletedCount", jInt(-1))
		return r
	}
	docs := c.matching(f)
	if srt != nil {
		sort.SliceStable(docs, func(i, j int) bool { return srt.less(docs[i].doc, docs[j].doc) })
	}
	max := maxDeleteCount
	if one {
		max = 1
	}
	more := len(docs) > max
	if more {
		docs = docs[:max]
	}
	for _, d := range docs {
		c.remove(d.key)
	}
	r.addStatus("deletedCount", jInt(int64(len(docs))))
	if more && !one {
		r.addStatus("moreData", jBoolV(true))
	}
	return r
}

func (h *Handler) collCount(req *request, c *collection) *result {
	b := req.body
	if req.command == "estimatedDocumentCount" {
		if e := checkFields(b, ""); e != nil {
			return errResult(e)
		}
		r := &result{}
		r.addStatus("count", jInt(int64(len(c.docs))))
		return r
	}
	if e := checkFields(b, "", "filter"); e != nil {
		return errResult(e)
	}
	f, e := c.parseFilter(b.get("filter"))
	if e != nil {
		return errResult(e)
	}
	n := len(c.matching(f))
	r := &result{}
	if n > maxCountLimit {
		r.addStatus("count", jInt(maxCountLimit))
		r.addStatus("moreData", jBoolV(true))
		return r
	}
	r.addStatus("count", jInt(int64(n)))
	return r
}
