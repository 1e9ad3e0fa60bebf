package dataapitest

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsonKind is the kind of a parsed JSON value.
type jsonKind uint8

const (
	jNull jsonKind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
	jRaw // pre-serialised JSON in s (output only)
)

func (k jsonKind) String() string {
	switch k {
	case jNull:
		return "null"
	case jBool:
		return "boolean"
	case jNumber:
		return "number"
	case jString:
		return "string"
	case jArray:
		return "array"
	}
	return "object"
}

// jv is a parsed JSON value. The request parser keeps object key order
// (sort clauses, partitionSort and column definitions depend on it) and the
// literal text of numbers (decimal and varint columns need every digit).
type jv struct {
	kind jsonKind
	b    bool
	s    string // string value, or the number literal
	arr  []*jv
	obj  []member
}

type member struct {
	key string
	val *jv
}

// get returns the member named k, or nil.
func (v *jv) get(k string) *jv {
	if v == nil || v.kind != jObject {
		return nil
	}
	for _, m := range v.obj {
		if m.key == k {
			return m.val
		}
	}
	return nil
}

func (v *jv) isNull() bool { return v == nil || v.kind == jNull }

// String renders v compactly, for messages.
func (v *jv) String() string {
	var b bytes.Buffer
	writeJV(&b, v)
	return b.String()
}

// jsonError is a parse failure; dup marks a duplicate key, tooLong a number
// literal over the length limit.
type jsonError struct {
	msg     string
	offset  int
	tooLong bool
}

func (e *jsonError) Error() string { return fmt.Sprintf("%s at offset %d", e.msg, e.offset) }

const (
	maxNumberLen = 100
	maxDepth     = 1000
)

type parser struct {
	data  []byte
	pos   int
	depth int
}

// parseJSON parses one JSON document strictly: no trailing data, no
// duplicate keys, number literals at most 100 characters.
func parseJSON(data []byte) (*jv, error) {
	p := &parser{data: data}
	p.ws()
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.pos != len(p.data) {
		return nil, p.errf("unexpected data after the JSON value")
	}
	return v, nil
}

func (p *parser) errf(format string, args ...any) error {
	return &jsonError{msg: fmt.Sprintf(format, args...), offset: p.pos}
}

func (p *parser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() (*jv, error) {
	if p.pos >= len(p.data) {
		return nil, p.errf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &jv{kind: jString, s: s}, nil
	case c == 't':
		return p.lit("true", &jv{kind: jBool, b: true})
	case c == 'f':
		return p.lit("false", &jv{kind: jBool})
	case c == 'n':
		return p.lit("null", &jv{kind: jNull})
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	default:
		return nil, p.errf("unexpected character %q", c)
	}
}

func (p *parser) lit(word string, v *jv) (*jv, error) {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(word)) {
		return nil, p.errf("invalid literal")
	}
	p.pos += len(word)
	return v, nil
}

func (p *parser) number() (*jv, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	intStart := p.pos
	if digits() == 0 {
		return nil, p.errf("invalid number")
	}
	if p.data[intStart] == '0' && p.pos-intStart > 1 {
		return nil, p.errf("invalid number: leading zero")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.errf("invalid number")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errf("invalid number")
		}
	}
	if p.pos-start > maxNumberLen {
		return nil, &jsonError{msg: fmt.Sprintf("number length (%d) exceeds the maximum length (%d)", p.pos-start, maxNumberLen), offset: start, tooLong: true}
	}
	return &jv{kind: jNumber, s: string(p.data[start:p.pos])}, nil
}

func (p *parser) str() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// fast path: no escapes
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := p.data[start:p.pos]
			p.pos++
			if !utf8.Valid(s) {
				return "", p.errf("invalid UTF-8 in string")
			}
			return string(s), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errf("control character in string")
		}
		p.pos++
	}
	var b strings.Builder
	b.Write(p.data[start:p.pos])
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			if !utf8.ValidString(b.String()) {
				return "", p.errf("invalid UTF-8 in string")
			}
			return b.String(), nil
		case c < 0x20:
			return "", p.errf("control character in string")
		case c == '\\':
			p.pos++
			if p.pos >= len(p.data) {
				return "", p.errf("unexpected end of input in string")
			}
			e := p.data[p.pos]
			p.pos++
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.errf("invalid unicode escape")
				}
				if r >= 0xD800 && r < 0xDC00 && p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					r2, ok := p.hex4()
					if ok && r2 >= 0xDC00 && r2 < 0xE000 {
						r = (r-0xD800)<<10 + (r2 - 0xDC00) + 0x10000
					} else {
						p.pos = save
					}
				}
				b.WriteRune(r)
			default:
				return "", p.errf("invalid escape character %q", e)
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.errf("unterminated string")
}

func (p *parser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(n), true
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.errf("nesting too deep")
	}
	return nil
}

func (p *parser) array() (*jv, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.pos++
	v := &jv{kind: jArray, arr: []*jv{}}
	p.ws()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return v, nil
	}
	for {
		p.ws()
		e, err := p.value()
		if err != nil {
			return nil, err
		}
		v.arr = append(v.arr, e)
		p.ws()
		if p.pos >= len(p.data) {
			return nil, p.errf("unexpected end of input in array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return v, nil
		default:
			return nil, p.errf("expected ',' or ']'")
		}
	}
}

func (p *parser) object() (*jv, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.pos++
	v := &jv{kind: jObject, obj: []member{}}
	p.ws()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return v, nil
	}
	var seen map[string]bool
	for {
		p.ws()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errf("expected a field name")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		if len(v.obj) >= 8 && seen == nil {
			seen = make(map[string]bool, 16)
			for _, m := range v.obj {
				seen[m.key] = true
			}
		}
		dup := false
		if seen != nil {
			dup = seen[k]
			seen[k] = true
		} else {
			for _, m := range v.obj {
				if m.key == k {
					dup = true
				}
			}
		}
		if dup {
			return nil, p.errf("duplicate field '%s'", k)
		}
		p.ws()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errf("expected ':'")
		}
		p.pos++
		p.ws()
		e, err := p.value()
		if err != nil {
			return nil, err
		}
		v.obj = append(v.obj, member{k, e})
		p.ws()
		if p.pos >= len(p.data) {
			return nil, p.errf("unexpected end of input in object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return v, nil
		default:
			return nil, p.errf("expected ',' or '}'")
		}
	}
}

// ---- output ----

// writeJV serialises v.
func writeJV(b *bytes.Buffer, v *jv) {
	if v == nil {
		b.WriteString("null")
		return
	}
	switch v.kind {
	case jNull:
		b.WriteString("null")
	case jBool:
		if v.b {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case jNumber, jRaw:
		b.WriteString(v.s)
	case jString:
		writeString(b, v.s)
	case jArray:
		b.WriteByte('[')
		for i, e := range v.arr {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJV(b, e)
		}
		b.WriteByte(']')
	case jObject:
		b.WriteByte('{')
		for i, m := range v.obj {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, m.key)
			b.WriteByte(':')
			writeJV(b, m.val)
		}
		b.WriteByte('}')
	}
}

const hexDigits = "0123456789abcdef"

// writeString writes s as a JSON string, escaping as Jackson does for the
// characters that must be escaped.
func writeString(b *bytes.Buffer, s string) {
	if !utf8.ValidString(s) {
		// Java strings cannot hold invalid UTF-8; never emit it
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b.WriteString(s[start:i])
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xF])
		}
		start = i + 1
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// helpers to build output values
func jStr(s string) *jv           { return &jv{kind: jString, s: s} }
func jNum(s string) *jv           { return &jv{kind: jNumber, s: s} }
func jInt(n int64) *jv            { return &jv{kind: jNumber, s: strconv.FormatInt(n, 10)} }
func jBoolV(b bool) *jv           { return &jv{kind: jBool, b: b} }
func jArr(e ...*jv) *jv           { return &jv{kind: jArray, arr: append([]*jv{}, e...)} }
func jObj(m ...member) *jv        { return &jv{kind: jObject, obj: append([]member{}, m...)} }
func (v *jv) set(k string, e *jv) { v.obj = append(v.obj, member{k, e}) }

var jNullV = &jv{kind: jNull}
