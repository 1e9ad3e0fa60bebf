package dataapitest

import (
	"bytes"
	"encoding/base64"
	"math"
	"sort"
	"strconv"

	"github.com/astrasql/astrasql/typesmap"
)

const (
	maxInMemorySort = 10000
	maxANNLimit     = 1000
	defaultBM25     = 100
	maxBM25         = 1000
)

type sortExpr struct {
	col  *column
	desc bool
}

// readPlan is a parsed find/findOne.
type readPlan struct {
	filter      *filter
	cols        []*column // projected, in table order (projectionSchema)
	rowCols     []*column // projected, in the order rows list them
	sorts       []sortExpr
	vector      []float32 // ANN query
	vectorCol   *column
	metric      string
	lexical     string // BM25 query
	lexicalCol  *column
	inMemory    bool
	reverse     bool // CQL ORDER BY in reverse clustering order
	limit       int  // 0 = none
	skip        int
	pageState   string
	includeSim  bool
	includeSVec bool
	warnings    []*apiError
}

func optInt(opts *jv, name string) (int, bool, *apiError) {
	v := opts.get(name)
	if v.isNull() {
		return 0, false, nil
	}
	if v.kind != jNumber {
		return 0, false, mismatch("field 'options.%s' must be an integer, not %s", name, v.kind)
	}
	n, err := strconv.ParseInt(v.s, 10, 32)
	if err != nil {
		return 0, false, mismatch("field 'options.%s' must be an integer, not %s", name, v.s)
	}
	return int(n), true, nil
}

func (h *Handler) find(req *request, t *table, one bool) *result {
	b := req.body
	if e := checkFields(b, "", "filter", "projection", "sort", "options"); e != nil {
		return errResult(e)
	}
	opts, e := objectField(b, "options", "")
	if e != nil {
		return errResult(e)
	}
	known := []string{"limit", "skip", "pageState", "pagingState", "includeSimilarity", "includeSortVector"}
	if one {
		known = []string{"includeSimilarity", "includeSortVector"}
	}
	if e := checkFields(opts, "options.", known...); e != nil {
		return errResult(e)
	}
	p := &readPlan{}
	var hasLimit, hasSkip bool
	if p.limit, hasLimit, e = optInt(opts, "limit"); e != nil {
		return errResult(e)
	}
	if hasLimit && p.limit <= 0 {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.options.limit' value %d not valid: limit should be greater than `0`.", p.limit))
	}
	if p.skip, hasSkip, e = optInt(opts, "skip"); e != nil {
		return errResult(e)
	}
	if hasSkip && p.skip < 0 {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.options.skip' value %d not valid: skip should be greater than or equal to `0`.", p.skip))
	}
	for _, k := range []string{"pageState", "pagingState"} {
		s, e := stringField(opts, k, "options.")
		if e != nil {
			return errResult(e)
		}
		if s != "" {
			p.pageState = s
		}
	}
	if p.includeSim, e = boolField(opts, "includeSimilarity", "options."); e != nil {
		return errResult(e)
	}
	if p.includeSVec, e = boolField(opts, "includeSortVector", "options."); e != nil {
		return errResult(e)
	}
	sortV := b.get("sort")
	hasSort := !sortV.isNull() && !(sortV.kind == jObject && len(sortV.obj) == 0)
	if hasSkip && !hasSort {
		return errResult(newErr("", "COMMAND_FIELD_VALUE_INVALID", "Command field 'command.options' value \"%s\" not valid: skip options should be used with sort clause.", opts))
	}
	if one {
		p.limit, hasLimit = 1, true
	}
	if p.filter, e = parseFilter(t, b.get("filter")); e != nil {
		return errResult(e)
	}
	warns, e := t.analyseRead(p.filter)
	if e != nil {
		return errResult(e)
	}
	// Resolution errors end the command before any warning is reported.
	if e := h.resolveSort(req, t, p, sortV, hasLimit, hasSkip); e != nil {
		return errResult(e)
	}
	if p.vector != nil || p.lexical != "" {
		// the zero-filter warning is not given for vector (or lexical) sorts
		var kept []*apiError
		for _, w := range warns {
			if w.code != "ZERO_FILTER_OPERATIONS" {
				kept = append(kept, w)
			}
		}
		warns = kept
	}
	p.warnings = append(warns, p.warnings...)
	if p.cols, p.rowCols, e = t.parseProjection(b.get("projection")); e != nil {
		return errResult(e)
	}
	if p.inMemory && p.pageState != "" {
		return errResult(newErr("SORT", "UNSUPPORTED_PAGINATION_WITH_IN_MEMORY_SORTING", "The command used a page state with a sort that is performed in memory; in-memory sorting returns one page only."))
	}
	if e := t.pinnedKeyError(p.filter); e != nil {
		return errResult(e)
	}
	return t.runRead(h, p, one)
}

// resolveSort classifies the sort: none, CQL clustering order, in-memory,
// vector (ANN) or lexical (BM25).
func (h *Handler) resolveSort(req *request, t *table, p *readPlan, v *jv, hasLimit, hasSkip bool) *apiError {
	if v.isNull() {
		return nil
	}
	if v.kind != jObject {
		return newErr("SORT", "SORT_CLAUSE_INVALID", "Sort clause must be an object, not %s.", v.kind)
	}
	if len(v.obj) == 0 {
		return nil
	}
	special := 0
	for _, m := range v.obj {
		if m.val.kind == jArray || m.val.kind == jString || (m.val.kind == jObject && m.val.get("$binary") != nil) {
			special++
		}
	}
	if special > 0 && len(v.obj) > 1 {
		return newErr("SORT", "CANNOT_SORT_ON_SPECIAL_WITH_OTHERS", "A vector, vectorize or lexical sort must be the only sort expression; the sort used: %s.", v)
	}
	var unknown []string
	for _, m := range v.obj {
		if t.col(m.key) == nil {
			unknown = append(unknown, m.key)
		}
	}
	if len(unknown) > 0 {
		return newErr("SORT", "CANNOT_SORT_UNKNOWN_COLUMNS", "Only columns defined in the table schema can be sorted on.\n\nThe table %s.%s defines the columns: %s.\nThe sort included the following unknown columns: %s.", t.ks.name, t.name, colList(t, allColumnNames(t)), nameList(unknown))
	}
	if special > 0 {
		m := v.obj[0]
		c := t.col(m.key)
		isVec := c.typ.Kind == typesmap.KindVector
		switch {
		case m.val.kind == jString && !isVec && (c.typ.Kind == typesmap.Text || c.typ.Kind == typesmap.Ascii):
			if hasSkip {
				return newErr("SORT", "CANNOT_LEXICAL_SORT_WITH_SKIP_OPTION", "The skip option cannot be used with a lexical sort.")
			}
			if i := t.firstIndexFor(c.name); i == nil || i.kind != "text" {
				return newErr("SORT", "CANNOT_LEXICAL_SORT_NON_INDEXED_COLUMNS", "Lexical sort needs a text index on the column %s.", c.name)
			}
			p.lexical, p.lexicalCol = m.val.s, c
			if p.limit == 0 {
				p.limit = defaultBM25
			}
			if p.limit > maxBM25 {
				p.limit = maxBM25
			}
			return nil
		case m.val.kind == jString && !isVec:
			return newErr("SORT", "CANNOT_VECTORIZE_SORT_NON_VECTOR_COLUMN", "Vectorize sort can only be used on vector columns; the sort used column %s.", colList(t, []string{c.name}))
		case !isVec:
			return newErr("SORT", "CANNOT_VECTOR_SORT_NON_VECTOR_COLUMNS", "Vector sort can only be used on vector columns; the sort used column %s.", colList(t, []string{c.name}))
		}
		if hasLimit && p.limit > maxANNLimit {
			return newErr("SORT", "CANNOT_VECTOR_SORT_WITH_LIMIT_EXCEEDS_MAX", "The vector sort on %s used limit %d, which exceeds the maximum of %d.", c.name, p.limit, maxANNLimit)
		}
		if hasSkip {
			return newErr("SORT", "CANNOT_VECTOR_SORT_WITH_SKIP_OPTION", "The skip option cannot be used with a vector sort.")
		}
		ix := t.vectorIndex(c.name)
		if ix == nil {
			return newErr("SORT", "CANNOT_VECTOR_SORT_NON_INDEXED_VECTOR_COLUMNS", "Vector sort can only be used on vector columns with a vector index.\n\nThe table %s.%s has vector indexes on the columns: %s.\nThe sort used the column: %s.", t.ks.name, t.name, nameList(t.vectorIndexed()), c.name)
		}
		var vec []float32
		if m.val.kind == jString {
			if c.typ.Service == nil {
				return newErr("SORT", "CANNOT_VECTORIZE_SORT_WHEN_MISSING_VECTORIZE_DEFINITION", "Vectorize sort needs a vectorize service on the column %s.", c.name)
			}
			vec = embed(c.typ.Service, m.val.s, c.typ.Dimension)
		} else {
			var raw []float32
			switch m.val.kind {
			case jArray:
				raw = make([]float32, len(m.val.arr))
				for i, e := range m.val.arr {
					if e.kind != jNumber {
						return newErr("SORT", "INVALID_VECTOR_SORT_EXPRESSION", "The vector sort on %s must be an array of numbers.", c.name)
					}
					f, _ := strconv.ParseFloat(e.s, 32)
					raw[i] = float32(f)
				}
			default:
				bin, ok, _ := binaryValue(m.val)
				if !ok || len(bin)%4 != 0 {
					return newErr("SORT", "SORT_CLAUSE_VALUE_INVALID", "The sort value for %s is not a valid $binary vector.", c.name)
				}
				raw = make([]float32, len(bin)/4)
				for i := range raw {
					raw[i] = math.Float32frombits(uint32(bin[4*i])<<24 | uint32(bin[4*i+1])<<16 | uint32(bin[4*i+2])<<8 | uint32(bin[4*i+3]))
				}
			}
			if len(raw) != c.typ.Dimension {
				return newErr("SORT", "CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS", "The vector sort on %s has %d dimensions; the column has %d.", c.name, len(raw), c.typ.Dimension)
			}
			vec = raw
			if p.includeSVec {
				p.includeSVec = true
			}
		}
		if (ix.metric == "cosine" || ix.metric == "") && vec != nil && isZeroVector(vec) {
			// Cassandra refuses a zero vector for a cosine index; the real
			// server passes its message on (VectorSearchIntegrationTest).
			return serverErr("DATABASE", "INVALID_DATABASE_QUERY", "The database rejected the query on %s.%s as invalid: Zero and near-zero vectors cannot be indexed or queried with cosine similarity.", t.ks.name, t.name)
		}
		p.vector, p.vectorCol, p.metric = vec, c, ix.metric
		if m.val.kind == jString {
			// the real server returns neither $similarity nor sortVector for vectorize sorts
			p.includeSim, p.includeSVec = false, false
		}
		if p.limit == 0 || p.limit > maxANNLimit {
			p.limit = maxANNLimit
		}
		return nil
	}
	// regular sort
	for _, m := range v.obj {
		if t.col(m.key).typ.Kind == typesmap.KindVector {
			return newErr("SORT", "INVALID_VECTOR_SORT_EXPRESSION", "The sort on vector column %s must be a vector (an array of numbers or $binary) or a string to vectorize, not %s.", m.key, m.val)
		}
		if m.val.kind != jNumber || (m.val.s != "1" && m.val.s != "-1") {
			return newErr("SORT", "INVALID_REGULAR_SORT_EXPRESSION", "The sort on column %s must be 1 (ascending) or -1 (descending), not %s.", m.key, m.val)
		}
		p.sorts = append(p.sorts, sortExpr{col: t.col(m.key), desc: m.val.s == "-1"})
	}
	var names []string
	for _, s := range p.sorts {
		names = append(names, s.col.name)
	}
	clustering := colList(t, clusteringNames(t))
	if hasSkip {
		p.inMemory = true
		p.warnings = append(p.warnings, warning("IN_MEMORY_SORTING_DUE_SKIP_OPTIONS", "The command used the skip option with a sort, so the sort is performed in memory."))
		return nil
	}
	var nonClustering []string
	for _, n := range names {
		if t.clusteringIndex(n) < 0 {
			nonClustering = append(nonClustering, n)
		}
	}
	if len(nonClustering) > 0 {
		p.inMemory = true
		p.warnings = append(p.warnings, warning("IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING", "The command sorted on columns that are not partition sorting columns, so the sort is performed in memory.\n\nThe table %s.%s has the partition sorting columns: %s.\nThe command sorted on the columns: %s.", t.ks.name, t.name, clustering, nameList(sortedCopy(nonClustering))))
		return nil
	}
	for i, n := range names {
		if i >= len(t.clustering) || t.clustering[i].Column != n {
			p.inMemory = true
			p.warnings = append(p.warnings, warning("IN_MEMORY_SORTING_DUE_TO_OUT_OF_ORDER_PARTITION_SORTING", "The command sorted on partition sorting columns out of their order, so the sort is performed in memory.\n\nThe table %s.%s has the partition sorting columns: %s.\nThe command sorted on the columns: %s.", t.ks.name, t.name, clustering, nameList(names)))
			return nil
		}
	}
	if !t.singlePartition(p.filter) {
		p.inMemory = true
		p.warnings = append(p.warnings, warning("IN_MEMORY_SORTING_DUE_TO_PARTITION_KEY_NOT_RESTRICTED", "The command sorted on partition sorting columns without restricting the partition key, so the sort is performed in memory.\n\nThe table %s.%s has the partition keys: %s.\nAnd the partition sorting columns: %s.\nThe command sorted on the columns: %s.", t.ks.name, t.name, colList(t, t.partitionBy), clustering, nameList(names)))
		return nil
	}
	// CQL ORDER BY: the clustering order or its exact reverse
	same, rev := true, true
	for i, s := range p.sorts {
		if s.desc != t.clustering[i].Desc {
			same = false
		} else {
			rev = false
		}
	}
	if !same && !rev {
		return invalidQuery("unsupported order by relation: the order must be the clustering order or its reverse")
	}
	p.reverse = rev && !same
	return nil
}

func clusteringNames(t *table) []string {
	var out []string
	for _, c := range t.clustering {
		out = append(out, c.Column)
	}
	return out
}

func (t *table) vectorIndexed() []string {
	var out []string
	for _, i := range t.indexes {
		if i.kind == "vector" {
			out = append(out, i.column)
		}
	}
	return out
}

// singlePartition: every partition key fixed by $eq or a one-value $in.
func (t *table) singlePartition(f *filter) bool {
	keys, ok := t.pinnedPartitions(f)
	return ok && len(keys) == 1
}

// parseProjection returns the projected columns in table order and in the
// order rows list them: the order of an inclusion projection, else the
// real server's hash-map order.
func (t *table) parseProjection(v *jv) ([]*column, []*column, *apiError) {
	cols, e := t.projectedColumns(v)
	if e != nil {
		return nil, nil, e
	}
	in := map[string]bool{}
	for _, c := range cols {
		in[c.name] = true
	}
	var rowCols []*column
	if v != nil && v.kind == jObject && len(v.obj) > 0 && v.obj[0].key != "*" && projectionIncludes(v) {
		seen := map[string]bool{}
		for _, m := range v.obj {
			if in[m.key] && !seen[m.key] {
				seen[m.key] = true
				rowCols = append(rowCols, t.col(m.key))
			}
		}
		return cols, rowCols, nil
	}
	names := make([]string, 0, len(t.cols))
	for _, c := range t.cols {
		names = append(names, c.name)
	}
	for _, n := range javaHashMapOrder(names) {
		if in[n] {
			rowCols = append(rowCols, t.col(n))
		}
	}
	return cols, rowCols, nil
}

func projectionIncludes(v *jv) bool {
	m := v.obj[0].val
	switch m.kind {
	case jBool:
		return m.b
	case jNumber:
		d, ok := parseDecimal(m.s)
		return !ok || d.unscaled.Sign() != 0
	}
	return false
}

func (t *table) projectedColumns(v *jv) ([]*column, *apiError) {
	if v.isNull() || (v.kind == jObject && len(v.obj) == 0) {
		return t.cols, nil
	}
	if v.kind != jObject {
		return nil, newErr("PROJECTION", "UNSUPPORTED_PROJECTION_DEFINITION", "Unsupported projection definition: projection must be an object, not %s.", v.kind)
	}
	include := -1
	var star *bool
	names := map[string]bool{}
	for _, m := range v.obj {
		var inc bool
		switch m.val.kind {
		case jBool:
			inc = m.val.b
		case jNumber:
			d, ok := parseDecimal(m.val.s)
			inc = !ok || d.unscaled.Sign() != 0
		default:
			return nil, newErr("PROJECTION", "UNSUPPORTED_PROJECTION_PARAM", "Unsupported projection parameter: value for '%s' must be a number or boolean, not %s.", m.key, m.val.kind)
		}
		if m.key == "*" {
			if len(v.obj) > 1 {
				return nil, newErr("PROJECTION", "UNSUPPORTED_PROJECTION_PARAM", "Unsupported projection parameter: '*' cannot be combined with other projection paths.")
			}
			star = &inc
			continue
		}
		iv := 0
		if inc {
			iv = 1
		}
		if include >= 0 && include != iv {
			return nil, newErr("PROJECTION", "UNSUPPORTED_PROJECTION_PARAM", "Unsupported projection parameter: cannot mix inclusions and exclusions (column '%s').", m.key)
		}
		include = iv
		names[m.key] = true
	}
	var cols []*column
	switch {
	case star != nil && *star:
		cols = t.cols
	case star != nil:
	case include == 1:
		for _, c := range t.cols {
			if names[c.name] {
				cols = append(cols, c)
			}
		}
	default:
		for _, c := range t.cols {
			if !names[c.name] {
				cols = append(cols, c)
			}
		}
	}
	if len(cols) == 0 {
		var asked []string
		for _, m := range v.obj {
			asked = append(asked, m.key)
		}
		return nil, newErr("PROJECTION", "UNKNOWN_TABLE_COLUMNS", "Only columns defined in the table schema can be projected.\n\nThe table %s.%s defines the columns: %s.\nThe projection included the following unknown columns: %s.", t.ks.name, t.name, colList(t, allColumnNames(t)), nameList(asked))
	}
	return cols, nil
}

// pageState is the resume position of a paged read.
type pageState struct {
	hash uint64
	part string
	ck   []any
	n    int // rows returned so far (the CQL LIMIT counts across pages)
}

func (t *table) encodePageState(r *row, n int) string {
	o := jObj(member{"h", jStr(strconv.FormatUint(r.part.hash, 16))}, member{"p", jStr(r.part.key)}, member{"n", jInt(int64(n))})
	ck := jArr()
	ctx := t.ctx()
	for i, s := range t.clustering {
		ck.arr = append(ck.arr, encodeValue(t.col(s.Column).typ, r.ck[i], ctx))
	}
	o.set("c", ck)
	var b bytes.Buffer
	writeJV(&b, o)
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

func (t *table) decodePageState(s string) (*pageState, bool) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	v, err := parseJSON(raw)
	if err != nil || v.kind != jObject {
		return nil, false
	}
	h, p, n, c := v.get("h"), v.get("p"), v.get("n"), v.get("c")
	if h == nil || h.kind != jString || p == nil || p.kind != jString || n == nil || n.kind != jNumber || c == nil || c.kind != jArray || len(c.arr) != len(t.clustering) {
		return nil, false
	}
	ps := &pageState{part: p.s}
	if ps.hash, err = strconv.ParseUint(h.s, 16, 64); err != nil {
		return nil, false
	}
	nn, err := strconv.Atoi(n.s)
	if err != nil || nn < 0 {
		return nil, false
	}
	ps.n = nn
	ctx := t.ctx()
	for i, s := range t.clustering {
		if c.arr[i].kind == jNull {
			return nil, false
		}
		x, cerr := decodeValue(t.col(s.Column).typ, c.arr[i], ctx)
		if cerr != nil {
			return nil, false
		}
		ps.ck = append(ps.ck, x)
	}
	return ps, true
}

// scanner walks rows in read order from a position.
type scanner struct {
	t       *table
	parts   []*partition
	pi      int
	ri      int
	reverse bool
}

func (t *table) newScanner(p *readPlan, ps *pageState) *scanner {
	s := &scanner{t: t, reverse: p.reverse}
	if keys, ok := t.pinnedPartitions(p.filter); ok {
		ctx := t.ctx()
		seen := map[string]bool{}
		for _, k := range keys {
			var sb bytes.Buffer
			for i, n := range t.partitionBy {
				sb.WriteString(keyString(t.col(n).typ, k[i], ctx))
				sb.WriteByte(0)
			}
			if part := t.store.parts[sb.String()]; part != nil && !seen[part.key] {
				seen[part.key] = true
				s.parts = append(s.parts, part)
			}
		}
		sort.Slice(s.parts, func(i, j int) bool { return partLess(s.parts[i], s.parts[j]) })
	} else {
		s.parts = t.store.order
	}
	if ps != nil {
		s.pi = sort.Search(len(s.parts), func(i int) bool {
			q := s.parts[i]
			if q.hash != ps.hash {
				return q.hash > ps.hash
			}
			return q.key >= ps.part
		})
		if s.pi < len(s.parts) && s.parts[s.pi].key == ps.part {
			part := s.parts[s.pi]
			if len(t.clustering) == 0 {
				s.pi++
			} else if !s.reverse {
				s.ri = sort.Search(len(part.rows), func(i int) bool { return t.store.cmp(part.rows[i].ck, ps.ck) > 0 })
			} else {
				// reverse: rows strictly before ck, walked backwards
				s.ri = len(part.rows) - sort.Search(len(part.rows), func(i int) bool { return t.store.cmp(part.rows[i].ck, ps.ck) >= 0 })
			}
		}
	}
	return s
}

// next returns the next row or nil.
func (s *scanner) next() *row {
	for s.pi < len(s.parts) {
		part := s.parts[s.pi]
		if part.dead || s.ri >= len(part.rows) {
			s.pi++
			s.ri = 0
			continue
		}
		i := s.ri
		if s.reverse {
			i = len(part.rows) - 1 - s.ri
		}
		s.ri++
		return part.rows[i]
	}
	return nil
}

// runRead executes a planned read under the table's read lock.
func (t *table) runRead(h *Handler, p *readPlan, one bool) *result {
	t.mu.RLock()
	for !t.store.clean() {
		t.mu.RUnlock()
		t.mu.Lock()
		t.store.tidy()
		t.mu.Unlock()
		t.mu.RLock()
	}
	defer t.mu.RUnlock()

	res := &result{warnings: p.warnings}
	var rows []*row
	var sims []float64
	var next string
	switch {
	case p.vector != nil || p.lexical != "":
		type scored struct {
			r *row
			s float64
		}
		var all []scored
		sc := t.newScanner(p, nil)
		for r := sc.next(); r != nil; r = sc.next() {
			if !p.filter.root.match(r) {
				continue
			}
			if p.vector != nil {
				v, ok := r.vals[p.vectorCol.name].([]float32)
				if !ok {
					continue
				}
				all = append(all, scored{r, similarityOrLast(p.metric, p.vector, v)})
			} else {
				txt, ok := r.vals[p.lexicalCol.name].(string)
				if !ok {
					continue
				}
				if s := bm25ish(txt, p.lexical); s > 0 {
					all = append(all, scored{r, s})
				}
			}
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].s > all[j].s })
		if len(all) > p.limit {
			all = all[:p.limit]
		}
		for _, s := range all {
			rows = append(rows, s.r)
			sims = append(sims, s.s)
		}
		if p.includeSVec && p.vector != nil {
			res.addStatus("sortVector", encodeValue(p.vectorCol.typ, p.vector, nil))
		}
	case p.inMemory:
		var all []*row
		sc := t.newScanner(p, nil)
		for r := sc.next(); r != nil; r = sc.next() {
			if p.filter.root.match(r) {
				all = append(all, r)
				if len(all) > maxInMemorySort {
					return &result{errs: []*apiError{newErr("SORT", "OVERLOADED_SORT_ROW_LIMIT", "The command was aborted because the in-memory sort read more than the limit of %s rows. Add a filter that matches fewer rows, or sort on the partition sorting columns with the partition key restricted.", "10,000")}, warnings: p.warnings}
				}
			}
		}
		sort.SliceStable(all, func(i, j int) bool {
			for _, s := range p.sorts {
				c := compareValues(s.col.typ, all[i].vals[s.col.name], all[j].vals[s.col.name])
				if s.desc {
					c = -c
				}
				if c != 0 {
					return c < 0
				}
			}
			return false
		})
		count := len(all)
		n := h.opts.pageSize
		if p.limit > 0 && p.limit < n {
			n = p.limit
		}
		if p.skip < len(all) {
			all = all[p.skip:]
		} else {
			all = nil
		}
		if len(all) > n {
			all = all[:n]
		}
		rows = all
		defer res.addStatus("sortedRowCount", jInt(int64(count)))
	default:
		var ps *pageState
		if p.pageState != "" {
			var ok bool
			if ps, ok = t.decodePageState(p.pageState); !ok {
				return &result{errs: []*apiError{serverErr("DATABASE", "INVALID_DATABASE_QUERY", "The database rejected the query: invalid paging state.")}, warnings: p.warnings}
			}
		}
		done := 0
		if ps != nil {
			done = ps.n
		}
		want := h.opts.pageSize
		if p.limit > 0 && p.limit-done < want {
			want = p.limit - done
		}
		sc := t.newScanner(p, ps)
		if want > 0 {
			for r := sc.next(); r != nil; r = sc.next() {
				if p.filter.root.match(r) {
					rows = append(rows, r)
					if len(rows) == want {
						break
					}
				}
			}
		}
		// Cassandra's pager reports more pages whenever a page filled up and
		// the CQL LIMIT is not reached, without looking ahead: a page that
		// ends exactly on the last row still has a paging state, and the
		// next request gets an empty page without one.
		if !one && len(rows) == want && want > 0 && (p.limit == 0 || done+len(rows) < p.limit) {
			next = t.encodePageState(rows[len(rows)-1], done+len(rows))
		}
	}
	ctx := t.ctx()
	docs := jArr()
	for i, r := range rows {
		d := &jv{kind: jObject, obj: make([]member, 0, len(p.cols)+1)}
		for _, c := range p.rowCols {
			if v, ok := r.vals[c.name]; ok && v != nil {
				d.obj = append(d.obj, member{c.name, encodeValue(c.typ, v, ctx)})
			}
		}
		if p.includeSim && p.vector != nil {
			d.set("$similarity", floatJV(float64(float32(sims[i])), 32))
		}
		docs.arr = append(docs.arr, d)
	}
	schema := jObj()
	for _, c := range p.cols {
		schema.set(c.name, rawType(t.descriptor(c, true)))
	}
	if res.status == nil {
		res.status = jObj()
	}
	res.status.obj = append([]member{{"projectionSchema", schema}}, res.status.obj...)
	if one {
		var doc = jNullV
		if len(docs.arr) > 0 {
			doc = docs.arr[0]
		}
		res.data = jObj(member{"document", doc})
	} else {
		var ns = jNullV
		if next != "" {
			ns = jStr(next)
		}
		res.data = jObj(member{"documents", docs}, member{"nextPageState", ns})
	}
	return res
}

// similarity scores as Cassandra's similarity functions: higher is closer, in [0, 1].
func similarity(metric string, a, b []float32) float64 {
	var dot, na, nb, d2 float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
		d2 += (x - y) * (x - y)
	}
	switch metric {
	case "dot_product":
		return (1 + dot) / 2
	case "euclidean":
		return 1 / (1 + d2)
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return (1 + dot/math.Sqrt(na*nb)) / 2
}

// similarityOrLast is similarity with NaN (a stored vector with NaN or
// Inf elements) scored lowest, so that such rows sort after every real
// match instead of breaking the order.
func similarityOrLast(metric string, a, b []float32) float64 {
	s := similarity(metric, a, b)
	if math.IsNaN(s) {
		return math.Inf(-1)
	}
	return s
}

func isZeroVector(v []float32) bool {
	for _, f := range v {
		if f != 0 {
			return false
		}
	}
	return true
}

// bm25ish scores a text against a query by shared terms (a stand-in for BM25).
func bm25ish(text, query string) float64 {
	have := map[string]int{}
	for _, t := range tokens(text) {
		have[t]++
	}
	var s float64
	for _, q := range tokens(query) {
		if n := have[q]; n > 0 {
			s += float64(n) / float64(n+1)
		}
	}
	return s
}
