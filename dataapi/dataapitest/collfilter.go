package dataapitest

import (
	"strings"
)

// cfilter is a parsed collection filter: an implicit $and of conditions
// and nested logical clauses.
type cfilter struct {
	op    string // "$and", "$or", "$not"
	conds []ccond
	subs  []*cfilter
}

// ccond is one comparison on a path.
type ccond struct {
	path string
	op   string // $eq $ne $in $nin $exists $gt $gte $lt $lte $size $all
	val  *jv
	vals []*jv
}

func invalidFilter(format string, args ...any) *apiError {
	return filterErr("FILTER_INVALID_EXPRESSION", "Unsupported filter clause: "+format+".\n\nResend the command using only supported filter expressions and paths.", args...)
}

var ejsonKeys = map[string]bool{"$date": true, "$uuid": true, "$objectId": true, "$binary": true}

var filterOps = map[string]bool{"$eq": true, "$ne": true, "$in": true, "$nin": true, "$exists": true,
	"$gt": true, "$gte": true, "$lt": true, "$lte": true, "$size": true, "$all": true}

// parseCollFilter parses and checks a filter against the collection's
// indexing option. A nil or empty filter matches everything.
func (c *collection) parseFilter(f *jv) (*cfilter, *apiError) {
	if f.isNull() {
		return &cfilter{op: "$and"}, nil
	}
	if f.kind != jObject {
		return nil, mismatch("field 'filter' must be an object, not %s", f.kind)
	}
	out, e := c.parseClause(f, "$and", false)
	if e != nil {
		return nil, e
	}
	if n := out.count(); n > maxFilterExprs {
		return nil, filterErr("FILTER_FIELDS_LIMIT_VIOLATION", "Filter has %d fields, exceeds maximum allowed (%d).\n\nResend the command with filter that does not exceed maximum field count.", n, maxFilterExprs)
	}
	return out, nil
}

func (f *cfilter) count() int {
	n := len(f.conds)
	for _, s := range f.subs {
		n += s.count()
	}
	return n
}

func (c *collection) parseClause(f *jv, op string, inOr bool) (*cfilter, *apiError) {
	out := &cfilter{op: op}
	for _, m := range f.obj {
		switch m.key {
		case "$and", "$or":
			if m.val.kind != jArray || len(m.val.arr) == 0 {
				return nil, invalidFilter("'%s' operator must have at least one condition", m.key)
			}
			sub := &cfilter{op: m.key}
			for _, x := range m.val.arr {
				if x.kind != jObject {
					return nil, invalidFilter("'%s' operator conditions must be objects", m.key)
				}
				s, e := c.parseClause(x, "$and", inOr || m.key == "$or")
				if e != nil {
					return nil, e
				}
				sub.subs = append(sub.subs, s)
			}
			out.subs = append(out.subs, sub)
			continue
		case "$not":
			if m.val.kind != jObject {
				return nil, invalidFilter("'$not' operator must have an object")
			}
			s, e := c.parseClause(m.val, "$and", inOr)
			if e != nil {
				return nil, e
			}
			out.subs = append(out.subs, &cfilter{op: "$not", subs: []*cfilter{s}})
			continue
		}
		if strings.HasPrefix(m.key, "$") {
			return nil, filterErr("FILTER_UNSUPPORTED_OPERATOR", "Unsupported filter operator '%s'.\n\nResend the command using only supported operators.", m.key)
		}
		if m.key == "" {
			return nil, invalidFilter("filter clause path cannot be empty String")
		}
		if m.key == "_id" && inOr {
			return nil, invalidFilter("cannot filter on '_id' field within '$or', ID field can not be used with '$or' operator")
		}
		if !c.indexed(m.key) {
			return nil, filterErr("FILTER_PATH_UNINDEXED", "Collection path '%s' is not indexed: cannot filter on that path.\n\nResend the command with filter clause without such paths.", m.key)
		}
		conds, e := parseConds(m.key, m.val)
		if e != nil {
			return nil, e
		}
		out.conds = append(out.conds, conds...)
	}
	ids := 0
	for _, cd := range out.conds {
		if cd.path == "_id" && cd.op == "$eq" {
			ids++
		}
	}
	if ids > 1 {
		return nil, filterErr("FILTER_MULTIPLE_ID_FILTER", "Command included more than one '_id' equals filter clauses, which is not supported: use '$in' operator instead.\n\nResend the command using supported filters.")
	}
	return out, nil
}

// isOperatorObject reports whether v is {"$op": ...} rather than a value.
func isOperatorObject(v *jv) bool {
	if v.kind != jObject || len(v.obj) == 0 {
		return false
	}
	if len(v.obj) == 1 && ejsonKeys[v.obj[0].key] {
		return false
	}
	return strings.HasPrefix(v.obj[0].key, "$")
}

func parseConds(path string, v *jv) ([]ccond, *apiError) {
	if !isOperatorObject(v) {
		if path == "_id" {
			if _, e := idKey(v); e != nil {
				return nil, e
			}
		}
		return []ccond{{path: path, op: "$eq", val: v}}, nil
	}
	var out []ccond
	for _, m := range v.obj {
		if !filterOps[m.key] {
			return nil, filterErr("FILTER_UNSUPPORTED_OPERATOR", "Unsupported filter operator '%s'.\n\nResend the command using only supported operators.", m.key)
		}
		cd := ccond{path: path, op: m.key, val: m.val}
		switch m.key {
		case "$in", "$nin", "$all":
			if m.val.kind != jArray {
				return nil, invalidFilter("'%s' operator must have `Array`", m.key)
			}
			if m.key != "$all" && len(m.val.arr) > maxCollInValues {
				return nil, invalidFilter("'%s' operator must have at most %d values", m.key, maxCollInValues)
			}
			cd.vals = m.val.arr
			if path == "_id" {
				for _, x := range cd.vals {
					if _, e := idKey(x); e != nil {
						return nil, e
					}
				}
			}
		case "$exists":
			if m.val.kind != jBool {
				return nil, invalidFilter("'$exists' operator supports only true")
			}
		case "$size":
			if m.val.kind != jNumber || strings.ContainsAny(m.val.s, ".eE-") {
				return nil, invalidFilter("$size operator must have integer value >= 0")
			}
		case "$gt", "$gte", "$lt", "$lte":
			switch m.val.kind {
			case jNumber, jString, jBool:
			default:
				if !(m.val.kind == jObject && len(m.val.obj) == 1 && m.val.obj[0].key == "$date") {
					return nil, invalidFilter("%s operator must have `DATE` or `NUMBER` or `TEXT` or `BOOLEAN` value", m.key)
				}
			}
		}
		out = append(out, cd)
	}
	return out, nil
}

// idEquals returns the id keys the filter limits documents to, when it is
// a top-level _id $eq or $in (ok false otherwise).
func (f *cfilter) idKeys() (keys []string, ok bool) {
	for _, cd := range f.conds {
		if cd.path != "_id" {
			continue
		}
		switch cd.op {
		case "$eq":
			k, _ := idKey(cd.val)
			return []string{k}, true
		case "$in":
			for _, x := range cd.vals {
				k, _ := idKey(x)
				keys = append(keys, k)
			}
			return keys, true
		}
	}
	return nil, false
}

func (f *cfilter) matches(doc *jv) bool {
	switch f.op {
	case "$or":
		for _, s := range f.subs {
			if s.matches(doc) {
				return true
			}
		}
		return false
	case "$not":
		return !f.subs[0].matches(doc)
	}
	for _, cd := range f.conds {
		if !cd.matches(doc) {
			return false
		}
	}
	for _, s := range f.subs {
		if !s.matches(doc) {
			return false
		}
	}
	return true
}

// eqMatch: the value equals want, or is an array holding it.
func eqMatch(v, want *jv) bool {
	if v == nil {
		return false
	}
	wk := valKey(want)
	if valKey(v) == wk {
		return true
	}
	if v.kind == jArray && want.kind != jArray {
		for _, e := range v.arr {
			if valKey(e) == wk {
				return true
			}
		}
	}
	return false
}

func (cd ccond) matches(doc *jv) bool {
	v := lookup(doc, cd.path)
	switch cd.op {
	case "$eq":
		return eqMatch(v, cd.val)
	case "$ne":
		return !eqMatch(v, cd.val)
	case "$in":
		for _, x := range cd.vals {
			if eqMatch(v, x) {
				return true
			}
		}
		return false
	case "$nin":
		for _, x := range cd.vals {
			if eqMatch(v, x) {
				return false
			}
		}
		return true
	case "$exists":
		return (v != nil) == cd.val.b
	case "$size":
		return v != nil && v.kind == jArray && valKey(jInt(int64(len(v.arr)))) == valKey(cd.val)
	case "$all":
		if v == nil || v.kind != jArray {
			return false
		}
		for _, x := range cd.vals {
			if !eqMatch(v, x) {
				return false
			}
		}
		return true
	}
	// range operators: same JSON type only
	if v == nil {
		return false
	}
	c, ok := compareJV(v, cd.val)
	if !ok {
		return false
	}
	switch cd.op {
	case "$gt":
		return c > 0
	case "$gte":
		return c >= 0
	case "$lt":
		return c < 0
	}
	return c <= 0
}

// compareJV orders two values of the same kind (numbers by value, strings
// by code point, false before true, dates by millis).
func compareJV(a, b *jv) (int, bool) {
	if a.kind != b.kind {
		return 0, false
	}
	switch a.kind {
	case jNumber:
		x, ok1 := bigOf(a.s)
		y, ok2 := bigOf(b.s)
		if !ok1 || !ok2 {
			return 0, false
		}
		return x.Cmp(y), true
	case jString:
		return strings.Compare(a.s, b.s), true
	case jBool:
		switch {
		case a.b == b.b:
			return 0, true
		case b.b:
			return -1, true
		}
		return 1, true
	case jObject:
		if len(a.obj) == 1 && len(b.obj) == 1 && a.obj[0].key == "$date" && b.obj[0].key == "$date" {
			return compareJV(a.obj[0].val, b.obj[0].val)
		}
	}
	return 0, false
}
