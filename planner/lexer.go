package planner

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xwb1989/sqlparser"
)

// The pre-lexer runs sqlparser's own tokenizer over the statement and
// rewrites what the MySQL grammar lacks into text it parses, keeping side
// tables for what it took out:
//
//   - placeholders ?, :name, @name become bind variables :_p1, :_p2, ... (one
//     number per distinct argument);
//   - "double quoted" identifiers become `backquoted`;
//   - collection literals [..] and {..} become bind variables :_l1, ... whose
//     values are in the literal table;
//   - c CONTAINS x / c CONTAINS KEY k become c = _astra_contains(:_lN) /
//     c = _astra_contains_key(:_lN);
//   - ORDER BY c ANN OF x loses "ANN OF x", which is kept as annSort;
//   - a leading EXPLAIN and one trailing ';' are dropped; comments become blanks.
//
// Offsets of the rewritten text map back to the original so that syntax
// errors name the user's line and column.

// Names of the rewritten forms. They start with "_" and are produced only
// here: user placeholders are renumbered, so they cannot collide.
const (
	paramPrefix      = "_p"
	literalPrefix    = "_l"
	containsFunc     = "_astra_contains"
	containsKeyFunc  = "_astra_contains_key"
	maxStatementSize = 16 << 20
)

// Param is one argument of a statement: a positional ? or a named
// :name / @name placeholder (every occurrence of a name is one argument).
type Param struct {
	// Ordinal is the 1-based argument number.
	Ordinal int
	// Name is the placeholder's name without ':' or '@'; "" for '?'.
	Name string
	// Text is the placeholder as written the first time (?, :name, @name).
	Text string
	// Line and Col locate the first occurrence (1-based, col in characters).
	Line, Col int
}

// String renders the placeholder for messages: "$2 (:age)" or "$1".
func (p Param) String() string {
	if p.Name != "" {
		return fmt.Sprintf("$%d (%s)", p.Ordinal, p.Text)
	}
	return fmt.Sprintf("$%d", p.Ordinal)
}

type litKind int

const (
	litNull litKind = iota
	litBool
	litNumber
	litString
	litParam
	litList  // [a, b]
	litBrace // {a, b} (set) or {k: v} (map or UDT, Keys set)
	litIdent // a bare identifier as a UDT field name (only as a key)
)

// Literal is a value the grammar cannot express, taken out by the pre-lexer
// (collection literals, CONTAINS operands, ANN OF operands). It is typed
// when the planner learns which column it meets.
type Literal struct {
	Kind  litKind
	Text  string // number text, string value, identifier
	Bool  bool
	Param int // litParam: argument ordinal
	Elems []*Literal
	Keys  []*Literal // litBrace maps: Keys[i] -> Elems[i]
	IsMap bool
	Line  int
	Col   int
}

func (l *Literal) String() string {
	var b strings.Builder
	l.format(&b)
	return b.String()
}

func (l *Literal) format(b *strings.Builder) {
	switch l.Kind {
	case litNull:
		b.WriteString("NULL")
	case litBool:
		b.WriteString(strconv.FormatBool(l.Bool))
	case litNumber, litIdent:
		b.WriteString(l.Text)
	case litString:
		b.WriteString("'" + strings.ReplaceAll(l.Text, "'", "''") + "'")
	case litParam:
		fmt.Fprintf(b, "$%d", l.Param)
	case litList, litBrace:
		open, close := "[", "]"
		if l.Kind == litBrace {
			open, close = "{", "}"
		}
		b.WriteString(open)
		for i, e := range l.Elems {
			if i > 0 {
				b.WriteString(", ")
			}
			if l.IsMap {
				l.Keys[i].format(b)
				b.WriteString(": ")
			}
			e.format(b)
		}
		b.WriteString(close)
	}
}

// annSort is ORDER BY col ANN OF value.
type annSort struct {
	Column string
	Value  *Literal
}

type token struct {
	typ        int
	val        string
	start, end int // byte offsets in the original text
}

type segment struct{ out, in int }

type lexed struct {
	src      string
	text     string // rewritten
	segs     []segment
	params   []Param
	named    bool
	lits     []*Literal
	ann      *annSort
	explain  bool
	keyword  string // first keyword after EXPLAIN, lower case
	bodyFrom int    // offset in src where the statement (after EXPLAIN) starts

	pos posCursor // line and column of the offsets met in order (errpos.go)
}

// SyntaxError reports where a statement could not be read.
type SyntaxError struct {
	Line, Col int    // 1-based; Col counts characters
	Near      string // the text at that place, if any
	Msg       string
}

func (e *SyntaxError) Error() string {
	if e.Near != "" {
		return fmt.Sprintf("astrasql: syntax error at line %d, column %d near %q: %s", e.Line, e.Col, e.Near, e.Msg)
	}
	return fmt.Sprintf("astrasql: syntax error at line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// lineCol converts a byte offset of s into a 1-based line and character column.
func lineCol(s string, off int) (int, int) {
	if off > len(s) {
		off = len(s)
	}
	if off < 0 {
		off = 0
	}
	line, col := 1, 1
	for _, r := range s[:off] {
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

func (lx *lexed) errAt(off int, near, format string, args ...any) *SyntaxError {
	line, col := lineCol(lx.src, off)
	if len(near) > 40 {
		near = near[:40] + "..."
	}
	return &SyntaxError{Line: line, Col: col, Near: near, Msg: fmt.Sprintf(format, args...)}
}

// tokenize splits src with sqlparser's tokenizer, comments included.
func tokenize(src string) ([]token, error) {
	masked, vals := maskStrings(src)
	tkn := sqlparser.NewStringTokenizer(masked)
	// Sized up front for lists (two tokens a comma; never more than a
	// token per 4 bytes, so a long string holding commas costs little):
	// growing a slice of 100,000s of tokens dominated large statements.
	toks := make([]token, 0, min(2*strings.Count(src, ",")+64, len(src)/4+8))
	prevEnd := 0
	for {
		typ, val := tkn.Scan()
		end := tkn.Position - 1
		if end > len(src) {
			end = len(src)
		}
		if end < prevEnd {
			end = prevEnd
		}
		start := prevEnd
		for start < end && isBlank(src[start]) {
			start++
		}
		if typ == 0 {
			return toks, nil
		}
		if strings.HasPrefix(src[start:], "/*!") {
			line, col := lineCol(src, start)
			return nil, &SyntaxError{Line: line, Col: col, Near: "/*!", Msg: "MySQL-specific comments are not supported"}
		}
		if typ == sqlparser.LEX_ERROR && end <= start {
			end = start + 1
			if end > len(src) {
				end = len(src)
			}
		}
		v := string(val)
		if typ == sqlparser.STRING {
			if sv, ok := vals[start]; ok {
				v = sv
			}
		}
		toks = append(toks, token{typ: typ, val: v, start: start, end: end})
		if end <= prevEnd && start >= len(src) {
			return toks, nil // no progress: the tokenizer is at the end
		}
		prevEnd = end
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// preLex rewrites src for sqlparser. For statements that are not
// SELECT/INSERT/UPDATE/DELETE it stops after finding the first keyword.
func preLex(src string) (*lexed, error) {
	lx := &lexed{src: src}
	if len(src) > maxStatementSize {
		return nil, lx.errAt(0, "", "statement is longer than %d bytes", maxStatementSize)
	}
	if !utf8.ValidString(src) {
		return nil, lx.errAt(0, "", "statement is not valid UTF-8")
	}
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	// Drop comments: they carry no meaning.
	sig := toks[:0] // in place: each token is written at or before where it is read
	for _, t := range toks {
		if t.typ != sqlparser.COMMENT {
			sig = append(sig, t)
		}
	}
	toks = sig
	if len(toks) == 0 {
		return nil, lx.errAt(len(src), "", "empty statement")
	}
	if err := lx.checkNesting(toks); err != nil {
		return nil, err
	}
	// One trailing ';'.
	for i, t := range toks {
		if t.typ == ';' {
			if i != len(toks)-1 {
				return nil, lx.errAt(toks[i+1].start, src[toks[i+1].start:toks[i+1].end], "only one statement at a time: remove what follows ';'")
			}
			toks = toks[:i]
		}
	}
	if len(toks) == 0 {
		return nil, lx.errAt(0, "", "empty statement")
	}
	if toks[0].typ == sqlparser.EXPLAIN || strings.EqualFold(toks[0].val, "explain") {
		lx.explain = true
		toks = toks[1:]
		if len(toks) == 0 {
			return nil, lx.errAt(len(src), "", "EXPLAIN of what? expected a statement after EXPLAIN")
		}
	}
	lx.bodyFrom = toks[0].start
	lx.keyword = strings.ToLower(src[toks[0].start:toks[0].end])
	switch lx.keyword {
	case "select", "insert", "update", "delete", "(":
	default:
		return lx, nil
	}
	return lx, lx.rewrite(toks)
}

type rewriter struct {
	lx   *lexed
	toks []token
	i    int
	out  strings.Builder
	// named placeholders seen, name -> ordinal
	names      map[string]int
	positional bool
	orderBy    bool // last keywords were ORDER BY
}

func (lx *lexed) rewrite(toks []token) error {
	r := &rewriter{lx: lx, toks: toks, names: map[string]int{}}
	for r.i < len(r.toks) {
		if err := r.step(); err != nil {
			return err
		}
	}
	lx.text = r.out.String()
	return nil
}

func (r *rewriter) emit(in int, s string) {
	if r.out.Len() > 0 {
		r.out.WriteByte(' ')
	}
	r.lx.segs = append(r.lx.segs, segment{out: r.out.Len(), in: in})
	r.out.WriteString(s)
}

func (r *rewriter) text(t token) string { return r.lx.src[t.start:t.end] }

func (r *rewriter) peek(k int) (token, bool) {
	if r.i+k < len(r.toks) {
		return r.toks[r.i+k], true
	}
	return token{}, false
}

func (r *rewriter) step() error {
	t := r.toks[r.i]
	txt := r.text(t)
	switch {
	case t.typ == sqlparser.VALUE_ARG || t.typ == sqlparser.LIST_ARG || isAtName(t):
		n, err := r.param(t)
		if err != nil {
			return err
		}
		r.emit(t.start, ":"+paramPrefix+strconv.Itoa(n))
		r.i++
		return nil
	case t.typ == sqlparser.STRING && strings.HasPrefix(txt, `"`):
		r.emit(t.start, quoteIdent(t.val))
		r.i++
		return nil
	case t.typ == sqlparser.STRING && strings.HasPrefix(txt, `'`):
		r.emit(t.start, mysqlQuote(t.val))
		r.i++
		return nil
	case t.typ == sqlparser.LEX_ERROR && (txt == "[" || txt == "{"):
		lit, err := r.literal()
		if err != nil {
			return err
		}
		r.emit(t.start, r.addLit(lit))
		return nil
	case t.typ == sqlparser.LEX_ERROR:
		switch {
		case strings.HasPrefix(txt, "'") || strings.HasPrefix(txt, `"`):
			return r.lx.errAt(t.start, txt, "unterminated string: expected a closing %c", txt[0])
		case strings.HasPrefix(txt, "`"):
			return r.lx.errAt(t.start, txt, "unterminated or empty `identifier`")
		case strings.HasPrefix(txt, "/*"):
			return r.lx.errAt(t.start, "/*", "unterminated comment: expected */")
		}
		return r.lx.errAt(t.start, txt, "unexpected character %q", txt)
	case t.typ == sqlparser.ORDER:
		if n, ok := r.peek(1); ok && n.typ == sqlparser.BY {
			r.orderBy = true
		}
	case t.typ == sqlparser.ID && strings.EqualFold(t.val, "contains") && r.i > 0 && isColumnEnd(r.toks[r.i-1], r.lx.src):
		fn := containsFunc
		r.i++
		if n, ok := r.peek(0); ok && n.typ == sqlparser.KEY {
			fn = containsKeyFunc
			r.i++
		}
		if r.i >= len(r.toks) {
			return r.lx.errAt(len(r.lx.src), "", "expected a value after CONTAINS")
		}
		lit, err := r.literal()
		if err != nil {
			return err
		}
		r.emit(t.start, "= "+fn+"("+r.addLit(lit)+")")
		return nil
	case t.typ == sqlparser.ID && strings.EqualFold(t.val, "ann") && r.orderBy:
		if n, ok := r.peek(1); ok && strings.EqualFold(n.val, "of") {
			return r.ann(t)
		}
	}
	if t.typ != sqlparser.ORDER && t.typ != sqlparser.BY {
		// ORDER BY is followed by the sort expression, then ANN OF.
		if r.orderBy && r.i > 0 && r.toks[r.i-1].typ != sqlparser.BY && t.typ != '.' && r.toks[r.i-1].typ != '.' {
			r.orderBy = false
		}
	}
	if t.typ == sqlparser.ID && !isAtName(t) && !r.isFuncName() {
		// Unquoted identifiers fold to lower case, as in CQL and in our
		// DDL; "quoted" ones keep their case (they became `backquoted`).
		txt = strings.ToLower(txt)
	}
	r.emit(t.start, txt)
	r.i++
	return nil
}

// isFuncName reports whether the current identifier names a function
// (followed by '(', and not the table of INSERT INTO t (...)). Function
// names are left as written: they name no schema object, and expression
// columns are named after their text.
func (r *rewriter) isFuncName() bool {
	n, ok := r.peek(1)
	if !ok || n.typ != '(' {
		return false
	}
	if r.i > 0 {
		p := r.toks[r.i-1]
		if p.typ == sqlparser.INTO || p.typ == '.' {
			return false
		}
	}
	return true
}

func (r *rewriter) ann(t token) error {
	if r.lx.ann != nil {
		return r.lx.errAt(t.start, "ANN", "only one ANN OF sort per statement")
	}
	prev := r.toks[r.i-1]
	col := prev.val
	if prev.typ == sqlparser.STRING {
		col = prev.val
	}
	r.i += 2
	if r.i >= len(r.toks) {
		return r.lx.errAt(len(r.lx.src), "", "expected a vector literal, a placeholder or a string after ANN OF")
	}
	lit, err := r.literal()
	if err != nil {
		return err
	}
	switch lit.Kind {
	case litList, litParam, litString:
	default:
		return r.lx.errAt(t.start, "ANN OF", "expected a vector literal [..], a placeholder or a 'text to vectorize' after ANN OF, found %s", lit)
	}
	r.lx.ann = &annSort{Column: col, Value: lit}
	r.orderBy = false
	return nil
}

// isColumnEnd reports whether t can end a column reference (so that a
// following CONTAINS is the operator, not a column named contains).
func isColumnEnd(t token, src string) bool {
	switch t.typ {
	case sqlparser.ID:
		return true
	case sqlparser.STRING:
		return strings.HasPrefix(src[t.start:t.end], `"`)
	}
	return false
}

func isAtName(t token) bool {
	return t.typ == sqlparser.ID && len(t.val) > 1 && t.val[0] == '@' && t.val[1] != '@'
}

func (r *rewriter) param(t token) (int, error) {
	txt := r.text(t)
	lx := r.lx
	if t.typ == sqlparser.LIST_ARG {
		return 0, lx.errAt(t.start, txt, "list placeholders (::name) are not supported; use :name")
	}
	name := ""
	switch {
	case txt == "?":
	case strings.HasPrefix(txt, ":") || strings.HasPrefix(txt, "@"):
		name = txt[1:]
		if strings.ContainsRune(name, '.') {
			return 0, lx.errAt(t.start, txt, "a placeholder name cannot contain '.'")
		}
	default:
		return 0, lx.errAt(t.start, txt, "unexpected placeholder")
	}
	line, col := lx.pos.lineCol(lx.src, t.start)
	if name == "" {
		if lx.named {
			return 0, lx.errAt(t.start, txt, "cannot mix positional (?) and named (:name, @name) placeholders in one statement")
		}
		r.positional = true
		n := len(lx.params) + 1
		lx.params = append(lx.params, Param{Ordinal: n, Text: txt, Line: line, Col: col})
		return n, nil
	}
	if r.positional {
		return 0, lx.errAt(t.start, txt, "cannot mix positional (?) and named (:name, @name) placeholders in one statement")
	}
	lx.named = true
	if n, ok := r.names[name]; ok {
		return n, nil
	}
	n := len(lx.params) + 1
	r.names[name] = n
	lx.params = append(lx.params, Param{Ordinal: n, Name: name, Text: txt, Line: line, Col: col})
	return n, nil
}

func (r *rewriter) addLit(l *Literal) string {
	r.lx.lits = append(r.lx.lits, l)
	return ":" + literalPrefix + strconv.Itoa(len(r.lx.lits))
}

// literal reads one value at r.i: a scalar, a placeholder or a collection.
func (r *rewriter) literal() (*Literal, error) {
	lx := r.lx
	if r.i >= len(r.toks) {
		return nil, lx.errAt(len(lx.src), "", "expected a value, found the end of the statement")
	}
	t := r.toks[r.i]
	txt := r.text(t)
	line, col := lx.pos.lineCol(lx.src, t.start)
	l := &Literal{Line: line, Col: col}
	switch {
	case t.typ == sqlparser.VALUE_ARG || t.typ == sqlparser.LIST_ARG || isAtName(t):
		n, err := r.param(t)
		if err != nil {
			return nil, err
		}
		l.Kind, l.Param = litParam, n
		r.i++
	case t.typ == sqlparser.INTEGRAL || t.typ == sqlparser.FLOAT:
		l.Kind, l.Text = litNumber, t.val
		r.i++
	case t.typ == '-' || t.typ == '+':
		r.i++
		if r.i >= len(r.toks) || (r.toks[r.i].typ != sqlparser.INTEGRAL && r.toks[r.i].typ != sqlparser.FLOAT) {
			return nil, lx.errAt(t.start, txt, "expected a number after %q", txt)
		}
		l.Kind, l.Text = litNumber, r.toks[r.i].val
		if txt == "-" {
			l.Text = "-" + l.Text
		}
		r.i++
	case t.typ == sqlparser.STRING && !strings.HasPrefix(txt, `"`):
		l.Kind, l.Text = litString, t.val
		r.i++
	case t.typ == sqlparser.STRING:
		l.Kind, l.Text = litIdent, t.val
		r.i++
	case t.typ == sqlparser.NULL:
		l.Kind = litNull
		r.i++
	case t.typ == sqlparser.TRUE || t.typ == sqlparser.FALSE:
		l.Kind, l.Bool = litBool, t.typ == sqlparser.TRUE
		r.i++
	case t.typ == sqlparser.ID && (strings.EqualFold(t.val, "nan") || strings.EqualFold(t.val, "infinity")):
		l.Kind, l.Text = litNumber, t.val
		r.i++
	case t.typ == sqlparser.ID:
		l.Kind, l.Text = litIdent, strings.ToLower(t.val)
		r.i++
	case t.typ == sqlparser.LEX_ERROR && (txt == "[" || txt == "{"):
		return r.collection(l, txt)
	default:
		return nil, lx.errAt(t.start, txt, "expected a value (number, 'string', [list], {set or map}, placeholder)")
	}
	return l, nil
}

func (r *rewriter) collection(l *Literal, open string) (*Literal, error) {
	lx := r.lx
	first := r.toks[r.i]
	closeTok := "]"
	l.Kind = litList
	if open == "{" {
		closeTok = "}"
		l.Kind = litBrace
	}
	r.i++
	isClose := func(t token) bool { return t.typ == sqlparser.LEX_ERROR && r.text(t) == closeTok }
	if r.i < len(r.toks) && isClose(r.toks[r.i]) {
		r.i++
		return l, nil
	}
	for {
		if r.i >= len(r.toks) {
			return nil, lx.errAt(first.start, open, "expected %q to close this literal", closeTok)
		}
		v, err := r.literal()
		if err != nil {
			return nil, err
		}
		if v.Kind == litIdent && l.Kind == litList {
			return nil, lx.errAt(r.toks[r.i-1].start, v.Text, "expected a value in the list, found an identifier")
		}
		// A map or UDT entry: key ':' value.
		if l.Kind == litBrace && r.i < len(r.toks) {
			t := r.toks[r.i]
			txt := r.text(t)
			colon := false
			switch {
			case t.typ == sqlparser.LEX_ERROR && txt == ":":
				colon = true
				r.i++
			case t.typ == sqlparser.LIST_ARG:
				// "::name": a colon then a named placeholder.
				colon = true
				r.toks[r.i] = token{typ: sqlparser.VALUE_ARG, val: txt[1:], start: t.start + 1, end: t.end}
			case t.typ == sqlparser.VALUE_ARG && strings.HasPrefix(txt, ":"):
				return nil, lx.errAt(t.start, txt, "write a space after ':' in a map literal (%q reads as a placeholder)", txt)
			}
			if colon {
				if len(l.Elems) > 0 && !l.IsMap {
					return nil, lx.errAt(t.start, ":", "a literal cannot mix set elements and map entries")
				}
				l.IsMap = true
				val, err := r.literal()
				if err != nil {
					return nil, err
				}
				if val.Kind == litIdent {
					return nil, lx.errAt(r.toks[r.i-1].start, val.Text, "expected a value after ':', found an identifier")
				}
				l.Keys = append(l.Keys, v)
				l.Elems = append(l.Elems, val)
			} else if l.IsMap {
				return nil, lx.errAt(t.start, txt, "expected ':' after a map key")
			} else {
				if v.Kind == litIdent {
					return nil, lx.errAt(r.toks[r.i-1].start, v.Text, "expected a value in the set, found an identifier")
				}
				l.Elems = append(l.Elems, v)
			}
		} else {
			l.Elems = append(l.Elems, v)
		}
		if r.i >= len(r.toks) {
			return nil, lx.errAt(first.start, open, "expected %q to close this literal", closeTok)
		}
		t := r.toks[r.i]
		if isClose(t) {
			r.i++
			return l, nil
		}
		if t.typ != ',' {
			return nil, lx.errAt(t.start, r.text(t), "expected ',' or %q in the literal", closeTok)
		}
		r.i++
	}
}

func quoteIdent(s string) string {
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

var posRe = regexp.MustCompile(`^(.*) at position (\d+)(?: near '(.*)')?$`)

// mapError turns a sqlparser error on the rewritten text into a
// SyntaxError on the original.
func (lx *lexed) mapError(err error) error {
	m := posRe.FindStringSubmatch(err.Error())
	if m == nil {
		return lx.errAt(lx.bodyFrom, "", "%v", err)
	}
	pos, _ := strconv.Atoi(m[2])
	near := m[3]
	// Position counts characters read, one past the offending token.
	out := pos - 1 - len(near)
	if near == "" && pos-1 < len(lx.text) {
		// One-character tokens (= , ( ...) carry no text: point at it.
		out = pos - 2
		if out >= 0 && out < len(lx.text) && !isBlank(lx.text[out]) {
			near = lx.text[out : out+1]
		}
	}
	if out < 0 {
		out = 0
	}
	if near == "" && pos-1 >= len(lx.text) {
		out = len(lx.text)
	}
	in := lx.toSource(out)
	msg := "unexpected " + describeNear(near)
	if near == "" || out >= len(lx.text) {
		msg = "unexpected end of statement"
	}
	if m[1] != "syntax error" {
		msg = m[1]
	}
	srcNear := near
	if in < len(lx.src) && near != "" {
		end := in + len(near)
		if end > len(lx.src) {
			end = len(lx.src)
		}
		if !strings.HasPrefix(near, ":"+paramPrefix) && !strings.HasPrefix(near, ":"+literalPrefix) {
			srcNear = near
		} else {
			srcNear = strings.Fields(lx.src[in:end] + " ")[0]
		}
	}
	return lx.errAt(in, srcNear, "%s", msg)
}

func describeNear(near string) string {
	switch strings.ToLower(near) {
	case "from", "where", "order", "limit", "group", "by", "values", "set":
		return "keyword " + strings.ToUpper(near) + " (something is missing before it)"
	}
	return "'" + near + "'"
}

// toSource maps an offset in the rewritten text to the original text.
func (lx *lexed) toSource(out int) int {
	in := lx.bodyFrom
	for _, s := range lx.segs {
		if s.out > out {
			break
		}
		in = s.in + (out - s.out)
	}
	if in > len(lx.src) {
		in = len(lx.src)
	}
	return in
}
