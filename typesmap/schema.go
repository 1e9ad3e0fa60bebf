package typesmap

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// TableDef is a table's definition as listTables with explain reports it
// and createTable takes it.
type TableDef struct {
	Name string
	// Columns in the server's order (the order SELECT * follows).
	Columns []Column
	// PartitionBy lists the partition key columns in order.
	PartitionBy []string
	// PartitionSort lists the clustering columns in clustering order.
	PartitionSort []SortColumn
}

// SortColumn is a clustering column and its direction.
type SortColumn struct {
	Column string
	Desc   bool
}

// Column returns the named column and whether it exists.
func (d *TableDef) Column(name string) (Column, bool) {
	for _, c := range d.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// PrimaryKey lists the partition columns then the clustering columns.
func (d *TableDef) PrimaryKey() []string {
	pk := append([]string(nil), d.PartitionBy...)
	for _, s := range d.PartitionSort {
		pk = append(pk, s.Column)
	}
	return pk
}

// IsPrimaryKey reports whether name is a partition or clustering column.
func (d *TableDef) IsPrimaryKey(name string) bool {
	for _, c := range d.PrimaryKey() {
		if c == name {
			return true
		}
	}
	return false
}

// MarshalJSON writes {"columns":{...},"primaryKey":{"partitionBy":[...],"partitionSort":{...}}},
// the "definition" object of createTable and listTables.
func (d TableDef) MarshalJSON() ([]byte, error) {
	cols, err := EncodeColumns(d.Columns)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"columns":`)
	b.Write(cols)
	b.WriteString(`,"primaryKey":{"partitionBy":`)
	pb, _ := marshalPlain(append([]string{}, d.PartitionBy...))
	b.Write(pb)
	b.WriteString(`,"partitionSort":{`)
	for i, s := range d.PartitionSort {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, s.Column)
		if s.Desc {
			b.WriteString(":-1")
		} else {
			b.WriteString(":1")
		}
	}
	b.WriteString(`}}}`)
	return b.Bytes(), nil
}

// UnmarshalJSON reads a table definition; primaryKey may be a column name
// or {partitionBy, partitionSort}. Name is not part of the definition.
func (d *TableDef) UnmarshalJSON(data []byte) error {
	var raw struct {
		Columns    json.RawMessage `json:"columns"`
		PrimaryKey json.RawMessage `json:"primaryKey"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("typesmap: bad table definition: %w", err)
	}
	cols, err := DecodeColumns(raw.Columns)
	if err != nil {
		return err
	}
	d.Columns = cols
	d.PartitionBy, d.PartitionSort = nil, nil
	pk := bytes.TrimSpace(raw.PrimaryKey)
	if len(pk) == 0 || string(pk) == "null" {
		return nil
	}
	if pk[0] == '"' {
		var s string
		if err := json.Unmarshal(pk, &s); err != nil {
			return err
		}
		d.PartitionBy = []string{s}
		return nil
	}
	var obj struct {
		PartitionBy   []string        `json:"partitionBy"`
		PartitionSort json.RawMessage `json:"partitionSort"`
	}
	if err := json.Unmarshal(pk, &obj); err != nil {
		return fmt.Errorf("typesmap: bad primaryKey: %w", err)
	}
	d.PartitionBy = obj.PartitionBy
	if len(obj.PartitionSort) == 0 || string(obj.PartitionSort) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(obj.PartitionSort))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("typesmap: bad partitionSort: %w", err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return fmt.Errorf("typesmap: bad partitionSort: %w", err)
		}
		v, err := dec.Token()
		if err != nil {
			return fmt.Errorf("typesmap: bad partitionSort: %w", err)
		}
		name, _ := k.(string)
		n, _ := v.(json.Number)
		d.PartitionSort = append(d.PartitionSort, SortColumn{Column: name, Desc: n.String() == "-1"})
	}
	return nil
}

// IndexDef is an index as listIndexes with explain reports it.
type IndexDef struct {
	Name string `json:"name"`
	// Column is the indexed column; Function is "", "keys", "values" or
	// "entries" for collection indexes (the wire form {"col":"$keys"}).
	Column   string `json:"-"`
	Function string `json:"-"`
	// IndexType is "regular", "vector", "text" or "UNKNOWN".
	IndexType string `json:"indexType"`
	// Options as the server reports them: metric and sourceModel for vector
	// indexes; ascii, caseSensitive, normalize for text columns; analyzer for text indexes.
	Options map[string]any `json:"-"`
	// APISupport is set for indexes the Data API cannot model (Column is
	// then "UNKNOWN" and IndexType "UNKNOWN").
	APISupport *IndexAPISupport `json:"-"`
}

// IndexAPISupport says what the Data API can do with an index it cannot
// model, and gives its CQL definition.
type IndexAPISupport struct {
	CreateIndex   bool   `json:"createIndex"`
	Filter        bool   `json:"filter"`
	CQLDefinition string `json:"cqlDefinition"`
}

// Metric returns the similarity metric of a vector index ("cosine",
// "dot_product" or "euclidean"), or "" for other indexes.
func (i IndexDef) Metric() string {
	if m, ok := i.Options["metric"].(string); ok {
		return m
	}
	return ""
}

// MarshalJSON writes the listIndexes explain form.
func (i IndexDef) MarshalJSON() ([]byte, error) {
	var col any = i.Column
	if i.Function == "keys" || i.Function == "values" {
		col = map[string]string{i.Column: "$" + i.Function}
	}
	opts := i.Options
	if opts == nil {
		opts = map[string]any{}
	}
	var def any = struct {
		Column  any            `json:"column"`
		Options map[string]any `json:"options"`
	}{col, opts}
	if i.APISupport != nil {
		// The server's form for indexes it cannot model has no options.
		def = struct {
			Column     any              `json:"column"`
			APISupport *IndexAPISupport `json:"apiSupport"`
		}{col, i.APISupport}
	}
	return marshalPlain(struct {
		Name       string `json:"name"`
		Definition any    `json:"definition"`
		IndexType  string `json:"indexType"`
	}{Name: i.Name, Definition: def, IndexType: i.IndexType})
}

// UnmarshalJSON reads the listIndexes explain form.
func (i *IndexDef) UnmarshalJSON(data []byte) error {
	var raw struct {
		Name       string `json:"name"`
		Definition struct {
			Column     json.RawMessage  `json:"column"`
			Options    map[string]any   `json:"options"`
			APISupport *IndexAPISupport `json:"apiSupport"`
		} `json:"definition"`
		IndexType string `json:"indexType"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("typesmap: bad index definition: %w", err)
	}
	*i = IndexDef{Name: raw.Name, IndexType: raw.IndexType, Options: raw.Definition.Options, APISupport: raw.Definition.APISupport}
	col := bytes.TrimSpace(raw.Definition.Column)
	if len(col) > 0 && col[0] == '{' {
		var m map[string]string
		if err := json.Unmarshal(col, &m); err != nil {
			return fmt.Errorf("typesmap: bad index column %s", truncate(col))
		}
		for k, v := range m {
			i.Column = k
			if len(v) > 1 && v[0] == '$' {
				i.Function = v[1:]
			}
		}
		return nil
	}
	if len(col) > 0 {
		if err := json.Unmarshal(col, &i.Column); err != nil {
			return fmt.Errorf("typesmap: bad index column %s", truncate(col))
		}
	}
	return nil
}
