package dataapitest

import (
	"sync"
)

// collection is the little of a Data API collection this server keeps: a
// client's setup and tear-down (create, list, insert, find, delete) work;
// filters other than {} and {"_id": v} do not.
type collection struct {
	name    string
	options *jv
	mu      sync.Mutex
	docs    []*jv
}

func (h *Handler) createCollection(req *request, ks *keyspace) *result {
	b := req.body
	if e := checkFields(b, "", "name", "options"); e != nil {
		return errResult(e)
	}
	name, e := stringField(b, "name", "")
	if e != nil {
		return errResult(e)
	}
	if e := checkName(name, "collection", 48); e != nil {
		return errResult(e)
	}
	if ks.tables[name] != nil {
		return errResult(newErr("SCHEMA", "EXISTING_TABLE_NOT_DATA_API_COLLECTION", "The table %s.%s exists and is not a Data API collection.", ks.name, name))
	}
	if ks.collections[name] == nil {
		opts := b.get("options")
		if opts.isNull() {
			opts = jObj()
		}
		ks.collections[name] = &collection{name: name, options: opts}
	}
	return okResult()
}

func (h *Handler) findCollections(req *request, ks *keyspace) *result {
	opts, e := objectField(req.body, "options", "")
	if e != nil {
		return errResult(e)
	}
	explain, e := boolField(opts, "explain", "options.")
	if e != nil {
		return errResult(e)
	}
	out := jArr()
	for _, n := range sortedKeys(ks.collections) {
		if explain {
			out.arr = append(out.arr, jObj(member{"name", jStr(n)}, member{"options", ks.collections[n].options}))
		} else {
			out.arr = append(out.arr, jStr(n))
		}
	}
	r := &result{}
	r.addStatus("collections", out)
	return r
}

func (h *Handler) deleteCollection(req *request, ks *keyspace) *result {
	name, e := stringField(req.body, "name", "")
	if e != nil {
		return errResult(e)
	}
	delete(ks.collections, name)
	return okResult()
}

func (c *collection) matches(filter, doc *jv) bool {
	if filter == nil {
		return true
	}
	for _, m := range filter.obj {
		v := doc.get(m.key)
		if v == nil || v.String() != m.val.String() {
			return false
		}
	}
	return true
}

func (h *Handler) collectionCommand(req *request, c *collection) *result {
	if contains(tableOnly, req.command) {
		return errResult(newErr("", "UNSUPPORTED_COLLECTION_COMMAND", "The command %s is not supported by collections.", req.command))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	filter, _ := objectField(req.body, "filter", "")
	r := &result{}
	switch req.command {
	case "insertOne", "insertMany":
		var docs []*jv
		if req.command == "insertOne" {
			docs = []*jv{req.body.get("document")}
		} else if d := req.body.get("documents"); d != nil && d.kind == jArray {
			docs = d.arr
		}
		ids := jArr()
		for _, d := range docs {
			if d == nil || d.kind != jObject {
				return errResult(mismatch("documents must be objects"))
			}
			id := d.get("_id")
			if id == nil {
				id = jStr(newUUID())
				d = jObj(append([]member{{"_id", id}}, d.obj...)...)
			}
			c.docs = append(c.docs, d)
			ids.arr = append(ids.arr, id)
		}
		r.addStatus("insertedIds", ids)
	case "find":
		docs := jArr()
		for _, d := range c.docs {
			if c.matches(filter, d) {
				docs.arr = append(docs.arr, d)
			}
		}
		r.data = jObj(member{"documents", docs}, member{"nextPageState", jNullV})
	case "findOne":
		var doc *jv = jNullV
		for _, d := range c.docs {
			if c.matches(filter, d) {
				doc = d
				break
			}
		}
		r.data = jObj(member{"document", doc})
	case "deleteOne", "deleteMany":
		kept := c.docs[:0]
		n := 0
		for _, d := range c.docs {
			if c.matches(filter, d) && (req.command == "deleteMany" || n == 0) {
				n++
				continue
			}
			kept = append(kept, d)
		}
		c.docs = kept
		r.addStatus("deletedCount", jInt(int64(n)))
	case "countDocuments", "estimatedDocumentCount":
		n := 0
		for _, d := range c.docs {
			if c.matches(filter, d) {
				n++
			}
		}
		r.addStatus("count", jInt(int64(n)))
	default:
		return errResult(newErr("", "UNSUPPORTED_COLLECTION_COMMAND", "The local server does not implement %s for collections.", req.command))
	}
	return r
}
