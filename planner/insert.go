package planner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/xwb1989/sqlparser"

	"github.com/astrasql/astrasql/typesmap"
)

// insertStep is INSERT ... VALUES: one insertMany of every row (the
// executor chunks it by 100 and sends the chunks concurrently).
type insertStep struct {
	keyspace, table string
	cols            []typesmap.Column
	keys            map[string]bool // primary key columns
	rows            [][]*Literal
}

func planInsert(st *Statement, ins *sqlparser.Insert, schema Schema) (*Plan, error) {
	if ins.Ignore != "" {
		return nil, unsupported("INSERT IGNORE")
	}
	if len(ins.OnDup) > 0 {
		return nil, unsupported("ON DUPLICATE KEY UPDATE (INSERT already overwrites the columns it names)")
	}
	if len(ins.Partitions) > 0 {
		return nil, unsupported("PARTITION in INSERT")
	}
	ti, err := lookupTable(schema, ins.Table)
	if err != nil {
		return nil, err
	}
	values, ok := ins.Rows.(sqlparser.Values)
	if !ok {
		return nil, unsupported("INSERT ... SELECT")
	}
	s := &insertStep{keyspace: ti.keyspace, table: ti.def.Name, keys: map[string]bool{}}
	for _, k := range ti.def.PrimaryKey() {
		s.keys[k] = true
	}
	if s.cols, err = insertColumns(ti, ins.Columns); err != nil {
		return nil, err
	}
	for i, row := range values {
		if len(row) != len(s.cols) {
			msg := fmt.Sprintf("INSERT row %d has %d values for %d columns", i+1, len(row), len(s.cols))
			line, col, ok := st.valuesPos(i, -1)
			if !ok {
				line, col = 1, 1
			}
			return nil, &SyntaxError{Line: line, Col: col, Near: "(", Msg: msg}
		}
		lits := make([]*Literal, len(row))
		for j, e := range row {
			l, ok := st.exprLit(e)
			if !ok {
				return nil, unsupported("expression %s in VALUES (give constants or placeholders)", st.render(e))
			}
			if l.Kind == litNull && ti.def.IsPrimaryKey(s.cols[j].Name) {
				return nil, fmt.Errorf("astrasql: INSERT row %d: primary key column %q cannot be NULL", i+1, s.cols[j].Name)
			}
			lits[j] = l
		}
		s.rows = append(s.rows, lits)
	}
	return &Plan{Statement: st, Keyspace: ti.keyspace, Table: ti.def.Name, Steps: []Step{s}}, nil
}

// insertColumns resolves INSERT's column list, which must name every
// primary key column.
func insertColumns(ti *tableInfo, names sqlparser.Columns) ([]typesmap.Column, error) {
	if len(names) == 0 {
		return nil, noColumnList(ti)
	}
	var cols []typesmap.Column
	seen := map[string]bool{}
	for _, ci := range names {
		c, err := ti.mustColumn(ci.String())
		if err != nil {
			return nil, err
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("astrasql: column %q named twice in INSERT", c.Name)
		}
		seen[c.Name] = true
		cols = append(cols, c)
	}
	var missing []string
	for _, k := range ti.def.PrimaryKey() {
		if !seen[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("astrasql: INSERT must give every primary key column; missing %s", strings.Join(missing, ", "))
	}
	return cols, nil
}

// noColumnList refuses INSERT INTO t VALUES (...): the Data API lists a
// table's columns partition key first, then clustering columns, then the
// rest alphabetically, not in CREATE TABLE order, so binding values by
// position would put them in the wrong columns (CQL requires the list too).
func noColumnList(ti *tableInfo) error {
	names := make([]string, len(ti.def.Columns))
	for i, c := range ti.def.Columns {
		names[i] = c.Name
	}
	return fmt.Errorf("astrasql: INSERT INTO %s without a column list: name the columns, as in INSERT INTO %s (%s) VALUES (...); "+
		"the Data API does not report the order the table's columns were created in, so values cannot be matched to columns by position",
		ti.def.Name, ti.def.Name, strings.Join(names, ", "))
}

func (s *insertStep) command(b *Binding) (*Command, error) {
	c := &Command{Name: "insertMany", Keyspace: s.keyspace, Table: s.table, Documents: make([]json.RawMessage, len(s.rows))}
	// Each column's `"name":` once per statement, not once per value.
	keys := make([][]byte, len(s.cols))
	for j, col := range s.cols {
		keys[j] = append(appendJSONString(nil, col.Name), ':')
	}
	prev := 64
	if len(s.rows) > 1 {
		c.Keys = make([]string, len(s.rows))
	}
	var key []byte // the row's primary key values as sent, NUL-separated
	for i, row := range s.rows {
		doc := make([]byte, 0, prev+prev/8)
		doc = append(doc, '{')
		key = key[:0]
		for j, col := range s.cols {
			if j > 0 {
				doc = append(doc, ',')
			}
			doc = append(doc, keys[j]...)
			start := len(doc)
			var err error
			if row[j].Kind == litParam {
				if v := b.Arg(row[j].Param); v == nil && s.keys[col.Name] {
					return nil, &ArgumentError{Param: b.param(row[j].Param), Column: col.Name, Type: col.Type.String(), Err: fmt.Errorf("a primary key column cannot be NULL")}
				}
			}
			if doc, err = b.encodeLit(doc, col.Name, col.Type, row[j]); err != nil {
				var le *LiteralError
				if errors.As(err, &le) {
					// Where it is: this row's value j, exactly.
					if line, c, ok := b.st.valuesPos(i, j); ok && row[j].Line == 0 {
						le.Line, le.Col = line, c
					}
					if len(s.rows) > 1 {
						le.Row = i + 1
					}
					return nil, le
				}
				if len(s.rows) > 1 {
					return nil, fmt.Errorf("row %d: %w", i+1, err)
				}
				return nil, err
			}
			if s.keys[col.Name] {
				key = append(append(key, doc[start:]...), 0)
			}
		}
		if c.Keys != nil {
			c.Keys[i] = string(key)
		}
		c.Documents[i] = append(doc, '}')
		prev = len(c.Documents[i])
	}
	return c, nil
}

func (s *insertStep) Run(ctx context.Context, ex Executor, b *Binding) (*Result, error) {
	c, err := s.command(b)
	if err != nil {
		return nil, err
	}
	n, err := ex.InsertMany(ctx, c)
	if err != nil {
		return nil, err
	}
	return &Result{RowsAffected: n}, nil
}

func (s *insertStep) Explain() (string, string) {
	b, _ := (&Statement{}).bind(nil, true)
	return s.explainBound(b)
}

func (s *insertStep) explainBound(b *Binding) (string, string) {
	c, err := s.command(b)
	if err != nil {
		return "insertMany", "error: " + err.Error()
	}
	detail := c.JSON(true)
	if len(s.rows) > 100 {
		detail += fmt.Sprintf(" (%d rows: sent in chunks of 100, concurrently)", len(s.rows))
	}
	if n := repeatedKeys(c.Keys); n > 0 {
		detail += fmt.Sprintf(" (%d row(s) repeat the primary key of a later row: only the last row of each key is sent, as running the rows in order would leave)", n)
	}
	return "insertMany", detail
}

// repeatedKeys counts the rows whose key a later row repeats.
func repeatedKeys(keys []string) int {
	seen := make(map[string]bool, len(keys))
	n := 0
	for _, k := range keys {
		if seen[k] {
			n++
		}
		seen[k] = true
	}
	return n
}
