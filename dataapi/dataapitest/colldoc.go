package dataapitest

import (
	"math/big"
	"strings"
	"unicode/utf16"
)

// The real server's per-document limits (DocumentLimitsConfig). Depth,
// field names and path length apply to the whole document; the others only
// to the indexed part of it, which is why stores that keep large values
// create their collection with indexing {"allow": ["_id"]}.
const (
	maxDocChars       = 4_000_000
	maxDocDepth       = 16
	maxPathLength     = 1000
	maxIndexedString  = 8000
	maxIndexedArray   = 1000
	maxObjectProps    = 1000
	maxDocIndexedProp = 2000
	maxCollInValues   = 100
	maxDeleteCount    = 20
	maxCountLimit     = 1000
)

func docErr(code, format string, args ...any) *apiError {
	return newErr("DOCUMENT", code, format, args...)
}

func limitErr(format string, args ...any) *apiError {
	return docErr("SHRED_DOC_LIMIT_VIOLATION", "Document size limitation violated: "+format+".", args...)
}

// nodeType names a JSON value's type as the real server's messages do.
func nodeType(v *jv) string {
	switch v.kind {
	case jNull:
		return "Null"
	case jBool:
		return "Boolean"
	case jNumber:
		return "Number"
	case jString:
		return "String"
	case jArray:
		return "Array"
	}
	return "Object"
}

// idKey returns the typed key of a document id: ids of different JSON
// types never collide ("1" and 1 are distinct ids), numbers compare by
// value (1 and 1.0 are the same id).
func idKey(id *jv) (string, *apiError) {
	switch id.kind {
	case jNull:
		return "z", nil
	case jBool:
		if id.b {
			return "b:true", nil
		}
		return "b:false", nil
	case jNumber:
		return "n:" + numKey(id.s), nil
	case jString:
		if id.s == "" {
			return "", docErr("SHRED_BAD_DOCID_VALUE", "Bad value for '_id' field: empty String not allowed.")
		}
		return "s:" + id.s, nil
	case jObject:
		if len(id.obj) == 1 {
			m := id.obj[0]
			switch m.key {
			case "$date":
				if m.val.kind == jNumber && !strings.ContainsAny(m.val.s, ".eE") {
					return "d:" + m.val.s, nil
				}
			case "$uuid", "$objectId":
				if m.val.kind == jString {
					return "e:" + m.key + ":" + strings.ToLower(m.val.s), nil
				}
			default:
				if strings.HasPrefix(m.key, "$") {
					return "", docErr("SHRED_BAD_DOCID_TYPE", "Bad type for '_id' field: unrecognized JSON extension type '%s'.", m.key)
				}
			}
		}
	}
	return "", docErr("SHRED_BAD_DOCID_TYPE", "Bad type for '_id' field: Document Id must be a JSON String, Number, Boolean, EJSON-Encoded Date Object or null instead got %s: %s.", nodeType(id), id.String())
}

// numKey is a number literal's value in a canonical form.
func numKey(lit string) string {
	f, ok := new(big.Float).SetPrec(256).SetString(lit)
	if !ok {
		return lit
	}
	return f.Text('g', 60)
}

// valKey is a value's canonical text for equality in filters.
func valKey(v *jv) string {
	if v == nil {
		return "undefined"
	}
	switch v.kind {
	case jNumber:
		return "n:" + numKey(v.s)
	case jArray:
		var b strings.Builder
		b.WriteString("[")
		for _, e := range v.arr {
			b.WriteString(valKey(e))
			b.WriteString(",")
		}
		b.WriteString("]")
		return b.String()
	case jObject:
		var b strings.Builder
		b.WriteString("{")
		for _, m := range v.obj {
			b.WriteString(m.key)
			b.WriteString(":")
			b.WriteString(valKey(m.val))
			b.WriteString(",")
		}
		b.WriteString("}")
		return b.String()
	}
	return v.String()
}

// javaLen is a string's length in UTF-16 code units, as Java counts it.
func javaLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// checkDocument applies the shredder's rules to a document about to be
// stored: size, depth, field names and path length over all of it; string,
// array and object sizes over its indexed paths.
func (c *collection) checkDocument(doc *jv) *apiError {
	if n := javaLen(doc.String()); n > maxDocChars {
		return limitErr("document size (%d chars) exceeds maximum allowed (%d)", n, maxDocChars)
	}
	if e := checkShape(doc, 0, 0, true); e != nil {
		return e
	}
	props := 0
	if e := c.checkIndexed(doc, "", "", &props); e != nil {
		return e
	}
	if props > maxDocIndexedProp {
		return limitErr("total number of indexed properties (%d) in document exceeds maximum allowed (%d)", props, maxDocIndexedProp)
	}
	return nil
}

func checkShape(v *jv, depth, pathLen int, root bool) *apiError {
	switch v.kind {
	case jArray:
		depth++
		if depth > maxDocDepth {
			return limitErr("document depth exceeds maximum allowed (%d)", maxDocDepth)
		}
		for _, e := range v.arr {
			if e := checkShape(e, depth, pathLen, false); e != nil {
				return e
			}
		}
	case jObject:
		depth++
		if depth > maxDocDepth {
			return limitErr("document depth exceeds maximum allowed (%d)", maxDocDepth)
		}
		if len(v.obj) == 1 && (v.obj[0].key == "$date" || v.obj[0].key == "$uuid" || v.obj[0].key == "$objectId" || v.obj[0].key == "$binary") {
			if x := v.obj[0].val; x.kind == jString || x.kind == jNumber && !strings.ContainsAny(x.s, ".eE") {
				return nil
			}
			return docErr("SHRED_BAD_EJSON_VALUE", "Bad JSON Extension value to shred: type '%s' has invalid JSON value of type %s.", v.obj[0].key, nodeType(v.obj[0].val))
		}
		for _, m := range v.obj {
			if root && m.key == "_id" {
				continue
			}
			if m.key == "" || m.key[0] == '$' && !(root && (m.key == "$vector" || m.key == "$vectorize" || m.key == "$lexical")) {
				what := "starts with '$'"
				if m.key == "" {
					what = "is empty"
				}
				return docErr("SHRED_BAD_FIELD_NAME", "Document field name not valid: field name '%s' %s.", m.key, what)
			}
			total := pathLen + javaLen(m.key)
			if total > maxPathLength {
				return limitErr("field path length (%d) exceeds maximum allowed (%d) (path ends with '%s')", total, maxPathLength, m.key)
			}
			if e := checkShape(m.val, depth, total+1, false); e != nil {
				return e
			}
		}
	}
	return nil
}

// checkIndexed walks the indexed part of a value at path (field is the
// name of the property holding it).
func (c *collection) checkIndexed(v *jv, path, field string, props *int) *apiError {
	switch v.kind {
	case jString:
		if field == "$vectorize" || field == "$lexical" {
			return nil
		}
		if len(v.s) > maxIndexedString {
			return limitErr("indexed String value (field '%s') length (%d bytes) exceeds maximum allowed (%d bytes)", field, len(v.s), maxIndexedString)
		}
	case jArray:
		if len(v.arr) > maxIndexedArray && field != "$vector" {
			return limitErr("number of elements an indexable Array (field '%s') has (%d) exceeds maximum allowed (%d)", field, len(v.arr), maxIndexedArray)
		}
		for _, e := range v.arr {
			if e := c.checkIndexed(e, path, field, props); e != nil {
				return e
			}
		}
	case jObject:
		n := 0
		for _, m := range v.obj {
			p := m.key
			if path != "" {
				p = path + "." + m.key
			}
			if !c.indexed(p) && !c.indexedBelow(p) {
				continue
			}
			n++
			if e := c.checkIndexed(m.val, p, m.key, props); e != nil {
				return e
			}
		}
		if n > maxObjectProps {
			if field == "" {
				field = "null"
			}
			return limitErr("number of properties an indexable Object (field '%s') has (%d) exceeds maximum allowed (%d)", field, n, maxObjectProps)
		}
		*props += n
	}
	return nil
}

// indexedBelow reports whether some path under p is allowed.
func (c *collection) indexedBelow(p string) bool {
	for _, a := range c.allow {
		if strings.HasPrefix(a, p+".") {
			return true
		}
	}
	return false
}

// lookup returns the value at a dotted path of doc (nil when absent).
// Numeric segments index arrays.
func lookup(doc *jv, path string) *jv {
	v := doc
	for _, seg := range strings.Split(path, ".") {
		switch {
		case v == nil:
			return nil
		case v.kind == jObject:
			v = v.get(seg)
		case v.kind == jArray:
			i, ok := arrayIndex(seg)
			if !ok || i >= len(v.arr) {
				return nil
			}
			v = v.arr[i]
		default:
			return nil
		}
	}
	return v
}

func arrayIndex(seg string) (int, bool) {
	if seg == "" || len(seg) > 6 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(seg); i++ {
		if seg[i] < '0' || seg[i] > '9' {
			return 0, false
		}
		n = n*10 + int(seg[i]-'0')
	}
	return n, true
}

// ---- projection ----

// projector applies a collection projection.
type projector struct {
	all       bool // include everything ("*": true, or no projection)
	none      bool // "*": false
	inclusion bool
	paths     []string
	id        int // 0 default, 1 include, -1 exclude
}

func projErr(format string, args ...any) *apiError {
	return newErr("PROJECTION", "UNSUPPORTED_PROJECTION_PARAM", "Unsupported projection parameter: "+format+".\n\nResend the command with valid projection definition.", args...)
}

func includeFlag(path string, v *jv, withObject bool) (bool, *apiError) {
	switch v.kind {
	case jNumber:
		return numKey(v.s) != numKey("0"), nil
	case jBool:
		return v.b, nil
	}
	if withObject {
		return false, projErr("path ('%s') value must be Number, Boolean or Object, was %s", path, nodeType(v))
	}
	return false, projErr("path ('%s') value must be Number or Boolean, was %s", path, nodeType(v))
}

func parseProjection(p *jv) (*projector, *apiError) {
	if p.isNull() || p.kind == jObject && len(p.obj) == 0 {
		return &projector{all: true}, nil
	}
	if p.kind != jObject {
		return nil, newErr("PROJECTION", "UNSUPPORTED_PROJECTION_DEFINITION", "Unsupported projection definition JSON value: must be Object, was %s.\n\nResend the command with valid projection definition.", nodeType(p))
	}
	if len(p.obj) == 1 && p.obj[0].key == "*" {
		inc, e := includeFlag("*", p.obj[0].val, false)
		if e != nil {
			return nil, e
		}
		return &projector{all: inc, none: !inc}, nil
	}
	pr := &projector{}
	inc, exc := 0, 0
	var walk func(ob *jv, parent string) *apiError
	walk = func(ob *jv, parent string) *apiError {
		for _, m := range ob.obj {
			path := m.key
			if path == "" {
				return projErr("empty paths (and path segments) not allowed")
			}
			if path[0] == '$' && path != "$vector" && path != "$vectorize" && path != "$lexical" {
				if parent == "" {
					return projErr("'$lexical'/'$vector'/'$vectorize' are only allowed paths that can start with '$' (path: '%s')", path)
				}
				if path != "$slice" {
					return projErr("unsupported projection operator '%s' (only '$slice' supported)", path)
				}
				return newErr("PROJECTION", "UNSUPPORTED_PROJECTION_PARAM", "The local server does not implement '$slice' projections.")
			}
			if parent != "" {
				path = parent + "." + path
			} else if path == "*" {
				return projErr("wildcard ('*') only allowed as the only root-level path")
			}
			if m.val.kind == jObject {
				if e := walk(m.val, path); e != nil {
					return e
				}
				continue
			}
			in, e := includeFlag(path, m.val, true)
			if e != nil {
				return e
			}
			switch {
			case path == "_id":
				pr.id = map[bool]int{true: 1, false: -1}[in]
			case path == "$vector" || path == "$vectorize" || path == "$lexical":
			case in:
				if exc > 0 {
					return projErr("cannot include '%s' on exclusion projection", path)
				}
				inc++
				pr.paths = append(pr.paths, path)
			default:
				if inc > 0 {
					return projErr("cannot exclude '%s' on inclusion projection", path)
				}
				exc++
				pr.paths = append(pr.paths, path)
			}
		}
		return nil
	}
	if e := walk(p, ""); e != nil {
		return nil, e
	}
	pr.inclusion = inc > 0 || exc == 0 && pr.id == 1
	return pr, nil
}

// apply returns the projected copy of doc (doc itself when all is kept).
func (pr *projector) apply(doc *jv) *jv {
	if pr.all {
		return doc
	}
	if pr.none {
		return jObj()
	}
	out := jObj()
	if pr.inclusion {
		for _, m := range doc.obj {
			if m.key == "_id" {
				if pr.id >= 0 {
					out.set(m.key, m.val)
				}
				continue
			}
			if v := pr.include(m.key, m.val); v != nil {
				out.set(m.key, v)
			}
		}
		return out
	}
	for _, m := range doc.obj {
		if m.key == "_id" {
			if pr.id >= 0 {
				out.set(m.key, m.val)
			}
			continue
		}
		if v := pr.exclude(m.key, m.val); v != nil {
			out.set(m.key, v)
		}
	}
	return out
}

// include keeps the parts of v at path named by an inclusion path.
func (pr *projector) include(path string, v *jv) *jv {
	for _, p := range pr.paths {
		if p == path || strings.HasPrefix(path, p+".") {
			return v
		}
	}
	prefix := path + "."
	deeper := false
	for _, p := range pr.paths {
		if strings.HasPrefix(p, prefix) {
			deeper = true
		}
	}
	if !deeper {
		return nil
	}
	switch v.kind {
	case jObject:
		out := jObj()
		for _, m := range v.obj {
			if x := pr.include(path+"."+m.key, m.val); x != nil {
				out.set(m.key, x)
			}
		}
		return out
	case jArray:
		out := jArr()
		for _, e := range v.arr {
			if e.kind == jObject || e.kind == jArray {
				if x := pr.include(path, e); x != nil {
					out.arr = append(out.arr, x)
				}
			}
		}
		return out
	}
	return nil
}

// exclude drops the parts of v named by an exclusion path.
func (pr *projector) exclude(path string, v *jv) *jv {
	for _, p := range pr.paths {
		if p == path {
			return nil
		}
	}
	if v.kind != jObject {
		return v
	}
	out := jObj()
	for _, m := range v.obj {
		if x := pr.exclude(path+"."+m.key, m.val); x != nil {
			out.set(m.key, x)
		}
	}
	return out
}

// bigOf parses a number literal.
func bigOf(lit string) (*big.Float, bool) {
	return new(big.Float).SetPrec(256).SetString(lit)
}
