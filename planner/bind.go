package planner

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/xwb1989/sqlparser"

	"github.com/astrasql/astrasql/typesmap"
)

// Arg is one argument as the driver receives it: Name is set for sql.Named
// arguments. Arguments without a name bind by position, to ? or, in order of
// first appearance, to :name placeholders.
type Arg struct {
	Name  string
	Value any
}

// Binding is a statement's checked arguments for one execution.
type Binding struct {
	st      *Statement
	args    []any
	explain bool
	negated bool // encoding under a $not (filter.go: NULLs in IN lists)
	workers int  // EXPLAIN: per-row writes at once on the executor (update.go)
}

// unboundArg stands for a missing argument in EXPLAIN output.
type unboundArg struct{ p Param }

// placeholder renders an unbound argument in EXPLAIN: "$1" for ?, ":name".
func (p Param) placeholder() string {
	if p.Name != "" {
		return p.Text
	}
	return "$" + strconv.Itoa(p.Ordinal)
}

// render prints an AST node as SQL with placeholders and literals as the
// user wrote them (not the pre-lexer's bind variables).
func (st *Statement) render(n sqlparser.SQLNode) string {
	s := sqlparser.String(n)
	// The lexer's CONTAINS rewrite is shown as the user wrote it.
	s = containsRe.ReplaceAllStringFunc(s, func(m string) string {
		g := containsRe.FindStringSubmatch(m)
		if g[2] != "" {
			return g[1] + " CONTAINS KEY " + g[3]
		}
		return g[1] + " CONTAINS " + g[3]
	})
	return bindVarRe.ReplaceAllStringFunc(s, func(v string) string {
		num, _ := strconv.Atoi(v[3:])
		switch {
		case v[1:3] == paramPrefix && num >= 1 && num <= len(st.Params):
			return st.Params[num-1].Text
		case v[1:3] == literalPrefix && st.lx != nil && num >= 1 && num <= len(st.lx.lits):
			return st.lx.lits[num-1].String()
		}
		return v
	})
}

var bindVarRe = regexp.MustCompile(`:_[pl][0-9]+`)

// containsRe matches the lexer's rewrite of c CONTAINS [KEY] x.
var containsRe = regexp.MustCompile("([^\\s()]+) = " + containsFunc + "(_key)?\\((:_[pl][0-9]+)\\)")

// ArgumentError reports a wrong argument: its placeholder and, when known,
// the column it meets.
type ArgumentError struct {
	Param  Param
	Column string
	Type   string
	Err    error
}

func (e *ArgumentError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("astrasql: argument %s for column %q (%s): %v", e.Param, e.Column, e.Type, e.Err)
	}
	return fmt.Sprintf("astrasql: argument %s: %v", e.Param, e.Err)
}

func (e *ArgumentError) Unwrap() error { return e.Err }

func (st *Statement) bind(args []Arg, explain bool) (*Binding, error) {
	b := &Binding{st: st, explain: explain, args: make([]any, len(st.Params))}
	if explain && len(args) == 0 {
		for i, p := range st.Params {
			b.args[i] = unboundArg{p}
		}
		return b, nil
	}
	if !st.Named {
		if len(args) != len(st.Params) {
			return nil, &ArgumentCountError{Want: len(st.Params), Got: len(args)}
		}
		for i, a := range args {
			if a.Name != "" {
				return nil, fmt.Errorf("astrasql: named argument %q given, but the statement uses positional placeholders (?)", a.Name)
			}
			b.args[i] = a.Value
		}
		return b, nil
	}
	set := make([]bool, len(st.Params))
	pos := 0
	for _, a := range args {
		if a.Name == "" {
			if pos >= len(st.Params) {
				return nil, &ArgumentCountError{Want: len(st.Params), Got: -1}
			}
			b.args[pos], set[pos] = a.Value, true
			pos++
			continue
		}
		name := strings.TrimLeft(a.Name, ":@")
		found := false
		for i, p := range st.Params {
			if p.Name == name {
				if set[i] {
					return nil, fmt.Errorf("astrasql: argument %s given twice", p)
				}
				b.args[i], set[i], found = a.Value, true, true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("astrasql: argument %q matches no placeholder of the statement", a.Name)
		}
	}
	for i, ok := range set {
		if !ok {
			if explain {
				b.args[i] = unboundArg{st.Params[i]}
				continue
			}
			return nil, fmt.Errorf("astrasql: no value for argument %s", st.Params[i])
		}
	}
	return b, nil
}

// Arg returns argument n (1-based).
func (b *Binding) Arg(n int) any {
	if n < 1 || n > len(b.args) {
		return unboundArg{b.param(n)}
	}
	return b.args[n-1]
}

func (b *Binding) param(n int) Param {
	if n < 1 || n > len(b.st.Params) {
		return Param{Ordinal: n, Text: "?"}
	}
	return b.st.Params[n-1]
}

// ExtraColumns names the bind variables client-side expressions may use:
// ":_p1".. for arguments then ":_l1".. for pre-lexed literals.
func (st *Statement) ExtraColumns() []string {
	var cols []string
	for i := range st.Params {
		cols = append(cols, ":"+paramPrefix+strconv.Itoa(i+1))
	}
	if st.lx != nil {
		for i := range st.lx.lits {
			cols = append(cols, ":"+literalPrefix+strconv.Itoa(i+1))
		}
	}
	return cols
}

// Extra returns the values of ExtraColumns for this binding: the argument
// values, then the literals as untyped Go values.
func (b *Binding) Extra() Row {
	row := make(Row, 0, len(b.args))
	row = append(row, b.args...)
	if b.st.lx != nil {
		for _, l := range b.st.lx.lits {
			v, _ := b.litGo(l, typesmap.Type{})
			row = append(row, v)
		}
	}
	return row
}

// exprLit turns a value expression of the AST into a Literal; ok is false
// for anything that is not a constant or a placeholder.
func (st *Statement) exprLit(e sqlparser.Expr) (*Literal, bool) {
	switch v := e.(type) {
	case *sqlparser.ParenExpr:
		return st.exprLit(v.Expr)
	case *sqlparser.NullVal:
		return &Literal{Kind: litNull}, true
	case *sqlparser.ColName:
		// NaN and Infinity read as names; as values they are float specials.
		if n := colLower(v); v.Qualifier.IsEmpty() && (n == "nan" || n == "infinity") {
			return &Literal{Kind: litNumber, Text: v.Name.String()}, true
		}
	case sqlparser.BoolVal:
		return &Literal{Kind: litBool, Bool: bool(v)}, true
	case *sqlparser.UnaryExpr:
		if v.Operator != sqlparser.UMinusStr && v.Operator != sqlparser.UPlusStr {
			return nil, false
		}
		inner, ok := st.exprLit(v.Expr)
		if !ok || inner.Kind != litNumber {
			return nil, false
		}
		if v.Operator == sqlparser.UMinusStr {
			t := strings.TrimPrefix(inner.Text, "-")
			if t == inner.Text {
				t = "-" + t
			}
			return &Literal{Kind: litNumber, Text: t}, true
		}
		return inner, true
	case *sqlparser.SQLVal:
		switch v.Type {
		case sqlparser.StrVal:
			return &Literal{Kind: litString, Text: string(v.Val)}, true
		case sqlparser.IntVal, sqlparser.FloatVal:
			return &Literal{Kind: litNumber, Text: string(v.Val)}, true
		case sqlparser.HexVal:
			b, err := hex.DecodeString(string(v.Val))
			if err != nil {
				return nil, false
			}
			return &Literal{Kind: litBytes, Text: string(b)}, true
		case sqlparser.HexNum:
			s := strings.TrimPrefix(strings.TrimPrefix(string(v.Val), "0x"), "0X")
			if len(s)%2 == 1 {
				s = "0" + s
			}
			b, err := hex.DecodeString(s)
			if err != nil {
				return nil, false
			}
			return &Literal{Kind: litBytes, Text: string(b)}, true
		case sqlparser.ValArg:
			name := strings.TrimPrefix(string(v.Val), ":")
			if n, err := strconv.Atoi(strings.TrimPrefix(name, paramPrefix)); err == nil && strings.HasPrefix(name, paramPrefix) {
				if n >= 1 && n <= len(st.Params) {
					return &Literal{Kind: litParam, Param: n}, true
				}
			}
			if n, err := strconv.Atoi(strings.TrimPrefix(name, literalPrefix)); err == nil && strings.HasPrefix(name, literalPrefix) && st.lx != nil {
				if n >= 1 && n <= len(st.lx.lits) {
					return st.lx.lits[n-1], true
				}
			}
		}
	case sqlparser.ValTuple:
		l := &Literal{Kind: litList}
		for _, x := range v {
			el, ok := st.exprLit(x)
			if !ok {
				return nil, false
			}
			l.Elems = append(l.Elems, el)
		}
		return l, true
	}
	return nil, false
}

func colLower(c *sqlparser.ColName) string { return strings.ToLower(c.Name.String()) }

// litBytes is a blob literal X'..' / 0x..; Text holds the raw bytes.
const litBytes litKind = 100

// litGo converts a scalar literal to the Go value typesmap encodes for a
// column of type t (t.Kind "" when unknown). Collections become []any and
// maps typesmap.Map-like []mapEntry for unknown types.
func (b *Binding) litGo(l *Literal, t typesmap.Type) (any, error) {
	switch l.Kind {
	case litNull:
		return nil, nil
	case litBool:
		return l.Bool, nil
	case litString, litIdent:
		return l.Text, nil
	case litBytes:
		return []byte(l.Text), nil
	case litParam:
		return b.Arg(l.Param), nil
	case litNumber:
		return numberGo(l.Text, t)
	case litList, litBrace:
		if l.IsMap || (l.Kind == litBrace && len(l.Elems) == 0 && t.Kind == typesmap.KindMap) {
			// {} is an empty map for a map column, an empty set otherwise.
			m := make(typesmap.Map, len(l.Elems))
			for i := range l.Elems {
				k, err := b.litGo(l.Keys[i], elemKey(t))
				if err != nil {
					return nil, err
				}
				v, err := b.litGo(l.Elems[i], elemValue(t))
				if err != nil {
					return nil, err
				}
				m[i] = typesmap.MapEntry{Key: k, Value: v}
			}
			return m, nil
		}
		if t.Kind == typesmap.KindVector {
			vec := make(typesmap.Vector, len(l.Elems))
			for i, e := range l.Elems {
				v, err := b.litGo(e, typesmap.Of(typesmap.Float))
				if err != nil {
					return nil, err
				}
				switch f := v.(type) {
				case float64:
					if !math.IsInf(f, 0) && math.IsInf(float64(float32(f)), 0) {
						return nil, fmt.Errorf("vector element %d: %v overflows float (32-bit)", i+1, f)
					}
					vec[i] = float32(f)
				case float32:
					vec[i] = f
				default:
					return nil, fmt.Errorf("vector element %d is %T, not a number", i+1, v)
				}
			}
			return vec, nil
		}
		out := make([]any, len(l.Elems))
		for i, e := range l.Elems {
			v, err := b.litGo(e, elemValue(t))
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		if l.Kind == litBrace || t.Kind == typesmap.KindSet {
			return typesmap.Set(out), nil
		}
		return typesmap.List(out), nil
	}
	return nil, fmt.Errorf("unknown literal")
}

func elemValue(t typesmap.Type) typesmap.Type {
	if t.Value != nil {
		return *t.Value
	}
	return typesmap.Type{}
}

func elemKey(t typesmap.Type) typesmap.Type {
	if t.Key != nil {
		return *t.Key
	}
	return typesmap.Type{}
}

func numberGo(text string, t typesmap.Type) (any, error) {
	lower := strings.ToLower(text)
	switch lower {
	case "nan", "infinity", "+infinity", "-infinity":
		switch t.Kind {
		case typesmap.Float, typesmap.Double, "":
			f, _ := strconv.ParseFloat(strings.Replace(lower, "infinity", "inf", 1), 64)
			return f, nil
		}
		return nil, fmt.Errorf("%s is only a float or double value", text)
	}
	switch t.Kind {
	case typesmap.TinyInt, typesmap.SmallInt, typesmap.Int, typesmap.BigInt, typesmap.Counter, typesmap.Varint:
		if n, err := strconv.ParseInt(text, 10, 64); err == nil && t.Kind != typesmap.Varint {
			return n, nil
		}
		r, ok := new(big.Rat).SetString(text)
		if !ok {
			return nil, fmt.Errorf("%s is not a number", text)
		}
		if !r.IsInt() {
			return nil, fmt.Errorf("%s is not an integer", text)
		}
		return new(big.Int).Set(r.Num()), nil
	case typesmap.Decimal:
		if _, ok := new(big.Rat).SetString(text); !ok {
			return nil, fmt.Errorf("%s is not a number", text)
		}
		return text, nil
	case typesmap.Float, typesmap.Double:
		return floatLit(text)
	case "":
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return n, nil
		}
		return floatLit(text)
	}
	// Let typesmap explain why a number does not fit this column.
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	f, _ := strconv.ParseFloat(text, 64)
	return f, nil
}

// floatLit reads a float literal. One past double's range, in either
// direction (1e309 is not +Inf, 1e-400 is not 0), is refused: the same
// value cannot be given as a float64 parameter either.
func floatLit(text string) (float64, error) {
	f, err := strconv.ParseFloat(text, 64)
	if err == nil && f == 0 && nonZeroMantissa(text) {
		err = strconv.ErrRange // underflow: Go rounds it to 0 silently
	}
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%s is out of range for a double (about 4.9e-324 to 1.8e308 in magnitude)", text)
	}
	if err != nil {
		return 0, fmt.Errorf("%s is not a number", text)
	}
	return f, nil
}

// nonZeroMantissa reports whether a number's digits before any exponent
// are not all zero.
func nonZeroMantissa(text string) bool {
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		text = text[:i]
	}
	return strings.ContainsAny(text, "123456789")
}

// encodeLit appends the wire JSON of l for a column col of type t. Argument
// errors name the placeholder and the column. In EXPLAIN without arguments,
// missing ones render as their placeholder text in a string.
func (b *Binding) encodeLit(dst []byte, col string, t typesmap.Type, l *Literal) ([]byte, error) {
	if l.Kind == litParam {
		v := b.Arg(l.Param)
		if u, ok := v.(unboundArg); ok {
			return appendJSONString(dst, u.p.placeholder()), nil
		}
		out, err := appendValue(dst, t, v)
		if err != nil {
			return dst, &ArgumentError{Param: b.param(l.Param), Column: col, Type: t.String(), Err: stripValueErr(err)}
		}
		return out, nil
	}
	if (l.Kind == litList || l.Kind == litBrace) && t.Kind != typesmap.KindVector && hasParam(l) {
		return b.encodeCollection(dst, col, t, l)
	}
	v, err := b.litGo(l, t)
	if err != nil {
		return dst, b.literalError(l, col, t, err)
	}
	if _, ok := v.(unboundArg); ok {
		return appendJSONString(dst, l.String()), nil
	}
	out, err := appendValue(dst, t, v)
	if err != nil {
		return dst, b.literalError(l, col, t, stripValueErr(err))
	}
	return out, nil
}

func (b *Binding) literalError(l *Literal, col string, t typesmap.Type, err error) *LiteralError {
	e := &LiteralError{Value: l.String(), Column: col, Type: t.String(), Err: err}
	e.Line, e.Col = b.st.locateLiteral(l)
	return e
}

func hasParam(l *Literal) bool {
	if l.Kind == litParam {
		return true
	}
	for _, e := range l.Elems {
		if hasParam(e) {
			return true
		}
	}
	for _, k := range l.Keys {
		if hasParam(k) {
			return true
		}
	}
	return false
}

// encodeCollection writes a collection literal holding placeholders element
// by element, so that each argument is checked against the element type.
func (b *Binding) encodeCollection(dst []byte, col string, t typesmap.Type, l *Literal) ([]byte, error) {
	var err error
	if l.IsMap {
		keyType := elemKey(t)
		objectKeys := keyType.Kind == typesmap.Text || keyType.Kind == typesmap.Ascii || t.Kind == typesmap.UserDefined
		if objectKeys {
			dst = append(dst, '{')
		} else {
			dst = append(dst, '[')
		}
		for i := range l.Elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			vt := elemValue(t)
			if t.Kind == typesmap.UserDefined {
				for _, f := range t.Fields {
					if f.Name == l.Keys[i].Text {
						vt = f.Type
					}
				}
			}
			if objectKeys {
				k, err := b.litGo(l.Keys[i], keyType)
				if err != nil {
					return dst, err
				}
				ks, ok := k.(string)
				if !ok {
					return dst, fmt.Errorf("astrasql: map key %s for column %q must be a string", l.Keys[i], col)
				}
				dst = appendJSONString(dst, ks)
				dst = append(dst, ':')
			} else {
				dst = append(dst, '[')
				if dst, err = b.encodeLit(dst, col, keyType, l.Keys[i]); err != nil {
					return dst, err
				}
				dst = append(dst, ',')
			}
			if dst, err = b.encodeLit(dst, col, vt, l.Elems[i]); err != nil {
				return dst, err
			}
			if !objectKeys {
				dst = append(dst, ']')
			}
		}
		if objectKeys {
			return append(dst, '}'), nil
		}
		return append(dst, ']'), nil
	}
	dst = append(dst, '[')
	for i, e := range l.Elems {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = b.encodeLit(dst, col, elemValue(t), e); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

// appendValue encodes a Go value for a column type (checked by typesmap).
func appendValue(dst []byte, t typesmap.Type, v any) ([]byte, error) {
	return typesmap.AppendValue(dst, t, v)
}

// stripValueErr shortens a typesmap error: the caller names the column.
func stripValueErr(err error) error {
	var ve *typesmap.ValueError
	if errors.As(err, &ve) {
		msg := ve.Reason
		if ve.Value != "" {
			msg = "value " + ve.Value + " " + msg
		}
		if ve.Path != "" {
			msg = ve.Path + ": " + msg
		}
		return errors.New(msg)
	}
	return err
}
