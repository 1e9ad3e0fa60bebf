package typesmap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Kind names a Data API column type as the server spells it in table
// definitions and projection schemas.
type Kind string

// The kinds of column the Data API knows. A kind constant is named after
// the kind, except where that name belongs to the Go value type of the
// column (Duration, List, Set, Map, Vector): those carry a Kind prefix.
const (
	Ascii        Kind = "ascii"
	BigInt       Kind = "bigint"
	Blob         Kind = "blob"
	Boolean      Kind = "boolean"
	Counter      Kind = "counter"
	Date         Kind = "date"
	Decimal      Kind = "decimal"
	Double       Kind = "double"
	KindDuration Kind = "duration"
	Float        Kind = "float"
	Inet         Kind = "inet"
	Int          Kind = "int"
	SmallInt     Kind = "smallint"
	Text         Kind = "text"
	Time         Kind = "time"
	Timestamp    Kind = "timestamp"
	TimeUUID     Kind = "timeuuid"
	TinyInt      Kind = "tinyint"
	UUID         Kind = "uuid"
	Varint       Kind = "varint"
	KindList     Kind = "list"
	KindSet      Kind = "set"
	KindMap      Kind = "map"
	KindVector   Kind = "vector"
	UserDefined  Kind = "userDefined"
	// Unsupported is a CQL type the Data API cannot read or write (tuple,
	// nested collections, ...); APISupport.CQLDefinition says what it is.
	Unsupported Kind = "UNSUPPORTED"
)

var primitiveKinds = map[Kind]bool{
	Ascii: true, BigInt: true, Blob: true, Boolean: true, Counter: true, Date: true,
	Decimal: true, Double: true, KindDuration: true, Float: true, Inet: true, Int: true,
	SmallInt: true, Text: true, Time: true, Timestamp: true, TimeUUID: true,
	TinyInt: true, UUID: true, Varint: true,
}

// IsPrimitive reports whether k is a scalar type (not a collection, vector or UDT).
func (k Kind) IsPrimitive() bool { return primitiveKinds[k] }

// IsCollection reports whether k is list, set or map.
func (k Kind) IsCollection() bool { return k == KindList || k == KindSet || k == KindMap }

// Type describes a column type, as the server reports it in listTables
// (explain), projectionSchema and primaryKeySchema.
type Type struct {
	Kind Kind
	// Key is the key type of a map.
	Key *Type
	// Value is the element type of a list or set, the value type of a map.
	Value *Type
	// Dimension is the length of a vector (0 when the server chooses it
	// from the vectorize model).
	Dimension int
	// Service is the vectorize configuration of a vector column, if any.
	Service *VectorizeService
	// UDTName names a user-defined type; Fields lists its fields in order
	// when the server reports them (projection schemas do, table definitions do not).
	UDTName string
	Fields  []Column
	// APISupport is set by the server for types the Data API cannot fully use.
	APISupport *APISupport
}

// VectorizeService is the embedding provider configuration of a vector column.
type VectorizeService struct {
	Provider       string         `json:"provider"`
	ModelName      string         `json:"modelName,omitempty"`
	Authentication map[string]any `json:"authentication,omitempty"`
	Parameters     map[string]any `json:"parameters,omitempty"`
}

// APISupport says which Data API operations a column type supports.
type APISupport struct {
	CreateTable   bool   `json:"createTable"`
	Insert        bool   `json:"insert"`
	Read          bool   `json:"read"`
	Filter        bool   `json:"filter"`
	CQLDefinition string `json:"cqlDefinition"`
}

// Column is a named column type.
type Column struct {
	Name string
	Type Type
}

// Of returns the type of the given primitive kind.
func Of(k Kind) Type { return Type{Kind: k} }

// ListOf returns list<elem>.
func ListOf(elem Type) Type { return Type{Kind: KindList, Value: &elem} }

// SetOf returns set<elem>.
func SetOf(elem Type) Type { return Type{Kind: KindSet, Value: &elem} }

// MapOf returns map<key, value>.
func MapOf(key, value Type) Type { return Type{Kind: KindMap, Key: &key, Value: &value} }

// VectorOf returns vector<float, dim>.
func VectorOf(dim int) Type { return Type{Kind: KindVector, Dimension: dim} }

// String renders the type in CQL syntax: "int", "map<text, int>",
// "vector<float, 3>". Unsupported types render their CQL definition.
func (t Type) String() string {
	switch t.Kind {
	case KindList, KindSet:
		return string(t.Kind) + "<" + t.elem().String() + ">"
	case KindMap:
		return "map<" + t.key().String() + ", " + t.elem().String() + ">"
	case KindVector:
		return "vector<float, " + strconv.Itoa(t.Dimension) + ">"
	case UserDefined:
		return t.UDTName
	case Unsupported:
		if t.APISupport != nil && t.APISupport.CQLDefinition != "" {
			return t.APISupport.CQLDefinition
		}
		return "UNSUPPORTED"
	case "":
		return "?"
	}
	return string(t.Kind)
}

func (t Type) elem() Type {
	if t.Value == nil {
		return Type{}
	}
	return *t.Value
}

func (t Type) key() Type {
	if t.Key == nil {
		return Type{}
	}
	return *t.Key
}

// Equal reports whether two types describe the same column type, ignoring
// APISupport and vectorize service details.
func (t Type) Equal(u Type) bool {
	if t.Kind != u.Kind || t.Dimension != u.Dimension || t.UDTName != u.UDTName {
		return false
	}
	if (t.Key == nil) != (u.Key == nil) || (t.Value == nil) != (u.Value == nil) {
		return false
	}
	if t.Key != nil && !t.Key.Equal(*u.Key) {
		return false
	}
	if t.Value != nil && !t.Value.Equal(*u.Value) {
		return false
	}
	return true
}

// MarshalJSON writes the long-form descriptor the server uses in table
// definitions: {"type":"map","keyType":"text","valueType":"int"}. Primitive
// key and value types are written in short form, as the server does.
func (t Type) MarshalJSON() ([]byte, error) {
	if t.Kind == "" {
		return nil, fmt.Errorf("typesmap: type has no kind")
	}
	var b bytes.Buffer
	b.WriteString(`{"type":`)
	writeJSONString(&b, string(t.Kind))
	if t.Key != nil {
		b.WriteString(`,"keyType":`)
		if err := writeNested(&b, *t.Key); err != nil {
			return nil, err
		}
	}
	if t.Value != nil {
		b.WriteString(`,"valueType":`)
		if err := writeNested(&b, *t.Value); err != nil {
			return nil, err
		}
	}
	if t.Kind == KindVector && t.Dimension > 0 {
		b.WriteString(`,"dimension":`)
		b.WriteString(strconv.Itoa(t.Dimension))
	}
	if t.Service != nil {
		s, err := marshalPlain(t.Service)
		if err != nil {
			return nil, err
		}
		b.WriteString(`,"service":`)
		b.Write(s)
	}
	if t.UDTName != "" {
		b.WriteString(`,"udtName":`)
		writeJSONString(&b, t.UDTName)
	}
	if len(t.Fields) > 0 {
		b.WriteString(`,"definition":{"fields":{`)
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(&b, f.Name)
			b.WriteByte(':')
			if err := writeNested(&b, f.Type); err != nil {
				return nil, err
			}
		}
		b.WriteString(`}}`)
	}
	if t.APISupport != nil {
		s, err := marshalPlain(t.APISupport)
		if err != nil {
			return nil, err
		}
		b.WriteString(`,"apiSupport":`)
		b.Write(s)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeNested(b *bytes.Buffer, t Type) error {
	if t.Kind.IsPrimitive() && t.APISupport == nil {
		writeJSONString(b, string(t.Kind))
		return nil
	}
	s, err := t.MarshalJSON()
	if err != nil {
		return err
	}
	b.Write(s)
	return nil
}

func writeJSONString(b *bytes.Buffer, s string) {
	q, _ := jsontext.AppendQuote(nil, s)
	b.Write(q)
}

// marshalPlain is json.Marshal without HTML escaping: the server writes
// "vector<float, 3>", not "vector\u003cfloat, 3\u003e".
func marshalPlain(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads a descriptor in short form ("int") or long form
// ({"type":"int"}, with keyType, valueType, dimension, service, udtName,
// definition and apiSupport as the server sends them).
func (t *Type) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	// Each level decodes its keyType/valueType again from its raw bytes:
	// unbounded depth would cost time quadratic in it (and deep stacks).
	// A level of type is at most a few of JSON (a UDT's definition.fields).
	if jsonDepthOver(data, 4*maxCQLDepth) {
		return fmt.Errorf("typesmap: type descriptor nested more than %d levels: %s", 4*maxCQLDepth, truncate(data))
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		if s == "" {
			return fmt.Errorf("typesmap: empty type name")
		}
		*t = Type{Kind: Kind(s)}
		return nil
	}
	var raw struct {
		Type       string            `json:"type"`
		KeyType    *Type             `json:"keyType"`
		ValueType  *Type             `json:"valueType"`
		Dimension  json.RawMessage   `json:"dimension"`
		Service    *VectorizeService `json:"service"`
		UDTName    string            `json:"udtName"`
		Definition *struct {
			Fields orderedTypes `json:"fields"`
		} `json:"definition"`
		APISupport *APISupport `json:"apiSupport"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("typesmap: bad type descriptor %s: %w", truncate(data), err)
	}
	if raw.Type == "" {
		return fmt.Errorf("typesmap: type descriptor without \"type\": %s", truncate(data))
	}
	nt := Type{Kind: Kind(raw.Type), Key: raw.KeyType, Value: raw.ValueType, Service: raw.Service,
		UDTName: raw.UDTName, APISupport: raw.APISupport}
	if len(raw.Dimension) > 0 && string(raw.Dimension) != "null" {
		ds := strings.Trim(string(raw.Dimension), `"`)
		if ds != "" {
			d, err := strconv.Atoi(ds)
			if err != nil {
				return fmt.Errorf("typesmap: bad vector dimension %s", raw.Dimension)
			}
			nt.Dimension = d
		}
	}
	if raw.Definition != nil {
		nt.Fields = raw.Definition.Fields
	}
	// Older servers reported counter, timeuuid and varchar as UNSUPPORTED
	// with the CQL type in cqlDefinition; newer ones report them by name.
	if nt.Kind == Unsupported && nt.APISupport != nil {
		if pt, err := ParseCQL(nt.APISupport.CQLDefinition); err == nil && pt.Kind.IsPrimitive() {
			nt.Kind = pt.Kind
		}
	}
	*t = nt
	return nil
}

func truncate(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "..."
	}
	return string(b)
}

// orderedTypes decodes a JSON object of name -> type keeping key order.
type orderedTypes []Column

func (o *orderedTypes) UnmarshalJSON(data []byte) error {
	cols, err := DecodeColumns(data)
	if err != nil {
		return err
	}
	*o = cols
	return nil
}

// DecodeColumns decodes a JSON object mapping column names to type
// descriptors (a table definition's "columns", a projectionSchema or a
// primaryKeySchema), keeping the server's key order.
func DecodeColumns(data []byte) ([]Column, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("typesmap: bad column map: %w", err)
	}
	if tok == nil {
		return nil, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("typesmap: column map is not an object: %s", truncate(data))
	}
	var cols []Column
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("typesmap: bad column map: %w", err)
		}
		name, _ := tok.(string)
		var t Type
		if err := dec.Decode(&t); err != nil {
			return nil, fmt.Errorf("typesmap: column %q: %w", name, err)
		}
		cols = append(cols, Column{Name: name, Type: t})
	}
	return cols, nil
}

// EncodeColumns writes columns as a JSON object in their order.
func EncodeColumns(cols []Column) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, c.Name)
		b.WriteByte(':')
		s, err := c.Type.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("typesmap: column %q: %w", c.Name, err)
		}
		b.Write(s)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// jsonDepthOver reports whether JSON data nests arrays and objects more
// than limit levels; it stops reading where it passes the limit.
func jsonDepthOver(data []byte, limit int) bool {
	depth, inStr := 0, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			if depth++; depth > limit {
				return true
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return false
}
