package typesmap

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// cqlAliases maps CQL type names that the Data API reports under another name.
var cqlAliases = map[string]Kind{"varchar": Text}

// ParseCQL parses a CQL type such as "int", "varchar", "list<text>",
// "map<text, frozen<list<int>>>" or "vector<float, 1024>". Type names are
// case-insensitive. Any other identifier is taken as a user-defined type name.
// frozen<...> is accepted and unwrapped: the Data API creates no frozen types.
func ParseCQL(s string) (Type, error) {
	p := cqlParser{src: s}
	t, err := p.parse()
	if err != nil {
		return Type{}, err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return Type{}, p.errorf("unexpected %s after type", quoteShort(p.src[p.pos:]))
	}
	return t, nil
}

type cqlParser struct {
	src   string
	pos   int
	depth int
}

// maxCQLDepth bounds nesting; real types nest two or three levels.
const maxCQLDepth = 32

func (p *cqlParser) errorf(format string, args ...any) error {
	return fmt.Errorf("typesmap: bad CQL type %s at offset %d: %s", quoteShort(p.src), p.pos, fmt.Sprintf(format, args...))
}

func (p *cqlParser) skipSpace() {
	for p.pos < len(p.src) && unicode.IsSpace(rune(p.src[p.pos])) {
		p.pos++
	}
}

func (p *cqlParser) ident() string {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			p.pos++
			continue
		}
		break
	}
	return p.src[start:p.pos]
}

func (p *cqlParser) expect(c byte) error {
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != c {
		return p.errorf("expected %q", c)
	}
	p.pos++
	return nil
}

func (p *cqlParser) parse() (Type, error) {
	if p.depth++; p.depth > maxCQLDepth {
		return Type{}, p.errorf("nested too deeply")
	}
	defer func() { p.depth-- }()
	name := p.ident()
	if name == "" {
		return Type{}, p.errorf("expected a type name")
	}
	lname := strings.ToLower(name)
	switch lname {
	case "frozen":
		if err := p.expect('<'); err != nil {
			return Type{}, err
		}
		t, err := p.parse()
		if err != nil {
			return Type{}, err
		}
		return t, p.expect('>')
	case "list", "set":
		if err := p.expect('<'); err != nil {
			return Type{}, err
		}
		elem, err := p.parse()
		if err != nil {
			return Type{}, err
		}
		if err := p.expect('>'); err != nil {
			return Type{}, err
		}
		return Type{Kind: Kind(lname), Value: &elem}, nil
	case "map":
		if err := p.expect('<'); err != nil {
			return Type{}, err
		}
		k, err := p.parse()
		if err != nil {
			return Type{}, err
		}
		if err := p.expect(','); err != nil {
			return Type{}, err
		}
		v, err := p.parse()
		if err != nil {
			return Type{}, err
		}
		if err := p.expect('>'); err != nil {
			return Type{}, err
		}
		return MapOf(k, v), nil
	case "vector":
		if err := p.expect('<'); err != nil {
			return Type{}, err
		}
		if el := strings.ToLower(p.ident()); el != "float" {
			return Type{}, p.errorf("vector elements must be float, not %q", el)
		}
		if err := p.expect(','); err != nil {
			return Type{}, err
		}
		p.skipSpace()
		start := p.pos
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
		}
		n, err := strconv.Atoi(p.src[start:p.pos])
		if err != nil || n <= 0 {
			return Type{}, p.errorf("vector dimension must be a positive integer")
		}
		if err := p.expect('>'); err != nil {
			return Type{}, err
		}
		return VectorOf(n), nil
	}
	if k, ok := cqlAliases[lname]; ok {
		return Of(k), nil
	}
	if Kind(lname).IsPrimitive() {
		return Of(Kind(lname)), nil
	}
	return Type{Kind: UserDefined, UDTName: name}, nil
}
