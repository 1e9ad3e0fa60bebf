package dataapitest

import (
	"sort"
	"strings"
	"sync"
)

// collection is a Data API collection: schemaless JSON documents keyed by
// _id, with the real server's rules for ids, document limits, indexing
// options, filters, projections and paging (collops.go, colldoc.go).
type collection struct {
	name    string
	options *jv      // as given to createCollection ({} when none)
	allow   []string // indexing.allow (nil: not set)
	deny    []string // indexing.deny (nil: not set)

	mu     sync.Mutex
	docs   map[string]*cdoc // by id key
	order  []*cdoc          // docs in scan order, rebuilt when dirty
	sorted bool
}

// cdoc is one stored document.
type cdoc struct {
	key  string // typed id key: see idKey
	hash uint64
	doc  *jv
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
		return errResult(newErr("SCHEMA", "EXISTING_TABLE_NOT_DATA_API_COLLECTION", "Attempt to create new collection failed: table '%s' already exists and it is not a valid Data API collection.", name))
	}
	opts := b.get("options")
	if opts.isNull() {
		opts = jObj()
	}
	if opts.kind != jObject {
		return errResult(mismatch("field 'options' must be an object, not %s", opts.kind))
	}
	if e := checkFields(opts, "options.", "defaultId", "indexing", "vector", "lexical", "rerank"); e != nil {
		return errResult(e)
	}
	allow, deny, e := indexingOption(opts.get("indexing"))
	if e != nil {
		return errResult(e)
	}
	if old := ks.collections[name]; old != nil {
		if canonOptions(old.options) != canonOptions(opts) {
			return errResult(newErr("SCHEMA", "EXISTING_COLLECTION_DIFFERENT_SETTINGS", "Collection '%s' already exists but with settings different from ones passed with 'createCollection' command.\n\nIf you need to change collection settings you will need to 'deleteCollection', then re-create with new settings.", name))
		}
		return okResult()
	}
	ks.collections[name] = &collection{name: name, options: opts, allow: allow, deny: deny, docs: map[string]*cdoc{}}
	return okResult()
}

func indexDefErr(msg string) *apiError {
	return newErr("SCHEMA", "INVALID_INDEXING_DEFINITION", "'createCollection' indexing definition invalid: %s.", msg)
}

// indexingOption checks options.indexing: exactly one of allow and deny, an
// array of distinct non-empty strings.
func indexingOption(ix *jv) (allow, deny []string, e *apiError) {
	if ix.isNull() {
		return nil, nil, nil
	}
	if ix.kind != jObject {
		return nil, nil, mismatch("field 'options.indexing' must be an object, not %s", ix.kind)
	}
	if e := checkFields(ix, "options.indexing.", "allow", "deny"); e != nil {
		return nil, nil, e
	}
	a, d := ix.get("allow"), ix.get("deny")
	switch {
	case !a.isNull() && !d.isNull():
		return nil, nil, indexDefErr("`allow` and `deny` cannot be used together")
	case a.isNull() && d.isNull():
		return nil, nil, indexDefErr("`allow` or `deny` should be provided")
	}
	list := func(v *jv, what string) ([]string, *apiError) {
		if v.kind != jArray {
			return nil, mismatch("field 'options.indexing.%s' must be an array, not %s", what, v.kind)
		}
		out := []string{}
		seen := map[string]bool{}
		for _, x := range v.arr {
			if x.kind != jString {
				return nil, mismatch("field 'options.indexing.%s' must hold strings, not %s", what, x.kind)
			}
			if x.s == "" {
				return nil, indexDefErr("path must be represented as a non-empty string")
			}
			if seen[x.s] {
				return nil, indexDefErr("`" + what + "` cannot contain duplicates")
			}
			seen[x.s] = true
			out = append(out, x.s)
		}
		return out, nil
	}
	if !a.isNull() {
		allow, e = list(a, "allow")
		return allow, nil, e
	}
	deny, e = list(d, "deny")
	return nil, deny, e
}

// canonOptions renders options for comparison: member order and the order
// of the indexing lists do not matter.
func canonOptions(o *jv) string {
	var canon func(v *jv) *jv
	canon = func(v *jv) *jv {
		if v == nil || v.kind != jObject {
			return v
		}
		ms := append([]member{}, v.obj...)
		sort.Slice(ms, func(i, j int) bool { return ms[i].key < ms[j].key })
		out := jObj()
		for _, m := range ms {
			if m.val.isNull() {
				continue
			}
			out.set(m.key, canon(m.val))
		}
		return out
	}
	c := canon(o)
	if ix := c.get("indexing"); ix != nil {
		for i := range ix.obj {
			if ix.obj[i].val.kind == jArray {
				s := make([]string, 0, len(ix.obj[i].val.arr))
				for _, x := range ix.obj[i].val.arr {
					s = append(s, x.String())
				}
				sort.Strings(s)
				ix.obj[i].val = jStr(strings.Join(s, ","))
			}
		}
	}
	return c.String()
}

func (h *Handler) findCollections(req *request, ks *keyspace) *result {
	b := req.body
	if e := checkFields(b, "", "options"); e != nil {
		return errResult(e)
	}
	opts, e := objectField(b, "options", "")
	if e != nil {
		return errResult(e)
	}
	if e := checkFields(opts, "options.", "explain"); e != nil {
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
	if e := checkFields(req.body, "", "name"); e != nil {
		return errResult(e)
	}
	name, e := stringField(req.body, "name", "")
	if e != nil {
		return errResult(e)
	}
	delete(ks.collections, name)
	return okResult()
}

// indexed reports whether a dotted path is indexed under the collection's
// indexing option. _id always is.
func (c *collection) indexed(path string) bool {
	if path == "_id" {
		return true
	}
	under := func(list []string) bool {
		for _, p := range list {
			if p == "*" || p == path || strings.HasPrefix(path, p+".") {
				return true
			}
		}
		return false
	}
	switch {
	case c.allow != nil:
		return under(c.allow)
	case c.deny != nil:
		return !under(c.deny)
	}
	return true
}

// scan returns the documents in scan order: a hash of the id key, as
// Cassandra's token order stands for it on the real server.
func (c *collection) scan() []*cdoc {
	if !c.sorted {
		c.order = c.order[:0]
		for _, d := range c.docs {
			c.order = append(c.order, d)
		}
		sort.Slice(c.order, func(i, j int) bool {
			a, b := c.order[i], c.order[j]
			if a.hash != b.hash {
				return a.hash < b.hash
			}
			return a.key < b.key
		})
		c.sorted = true
	}
	return c.order
}

func (c *collection) put(key string, doc *jv) {
	if d := c.docs[key]; d != nil {
		d.doc = doc
		return
	}
	c.docs[key] = &cdoc{key: key, hash: hashKey(key), doc: doc}
	c.sorted = false
}

func (c *collection) remove(key string) {
	delete(c.docs, key)
	c.sorted = false
}
