package main

import (
	"bufio"
	"fmt"
	"io"
)

// Output formats.
const (
	formatTable = "table"
	formatCSV   = "csv"
	formatJSON  = "json"
	formatJSONL = "jsonl"
)

var formats = []string{formatTable, formatCSV, formatJSON, formatJSONL}

// outputOptions are the user's display settings.
type outputOptions struct {
	Format   string
	Expanded bool // \x: one "column | value" line per column, records one after another
	// MaxWidth caps a table cell, in display columns; longer values end in
	// "…". 0: no cap.
	MaxWidth int
	// TermWidth is the terminal's width when stdout is a terminal (0 when
	// not): a table wider than that has its widest columns narrowed.
	TermWidth int
	// AutoExpand: a table wider than the terminal is shown expanded (for
	// results read whole, such as EXPLAIN's), not cut.
	AutoExpand bool
	// ExpandAuto is \x auto: expanded when the table does not fit the
	// terminal.
	ExpandAuto bool
	// Null is how NULL is shown in the table formats when NullSet
	// (\pset null), else "NULL".
	Null    string
	NullSet bool
}

func (o outputOptions) nullText() string {
	if !o.NullSet {
		return nullText
	}
	return o.Null
}

// resultWriter receives one result set.
type resultWriter interface {
	begin(cols []column) error
	row(vals []any) error
	end() error
}

func newResultWriter(w io.Writer, o outputOptions) resultWriter {
	switch o.Format {
	case formatCSV:
		return newCSVWriter(w)
	case formatJSON:
		return &jsonWriter{w: w, array: true}
	case formatJSONL:
		return &jsonWriter{w: w}
	}
	if o.Expanded {
		return &expandedWriter{w: bufio.NewWriter(w), o: o}
	}
	return newTableWriter(w, o)
}

func isNumeric(dbType string) bool {
	switch dbType {
	case "TINYINT", "SMALLINT", "INT", "BIGINT", "VARINT", "COUNTER", "FLOAT", "DOUBLE", "DECIMAL":
		return true
	}
	return false
}

func rowCount(n int) string {
	if n == 1 {
		return "(1 row)"
	}
	return fmt.Sprintf("(%d rows)", n)
}

// jsonWriter writes rows as JSON objects with the columns in result order:
// all in one array (json) or one object per line (jsonl).
type jsonWriter struct {
	w     io.Writer
	array bool
	cols  []column
	n     int
}

func (j *jsonWriter) begin(cols []column) error {
	// "[" waits for the first row, so that a failed query prints nothing.
	j.cols = cols
	return nil
}

func (j *jsonWriter) row(vals []any) error {
	obj := make(orderedObject, len(vals))
	for i, v := range vals {
		obj[i] = jsonPair{j.cols[i].Name, jsonValue(v, j.cols[i].DBType)}
	}
	b, err := obj.MarshalJSON()
	if err != nil {
		return err
	}
	var prefix string
	if j.array {
		prefix = "[\n"
		if j.n > 0 {
			prefix = ",\n"
		}
	}
	j.n++
	if j.array {
		_, err = io.WriteString(j.w, prefix+string(b))
	} else {
		_, err = io.WriteString(j.w, string(b)+"\n")
	}
	return err
}

func (j *jsonWriter) end() error {
	if !j.array {
		return nil
	}
	s := "[]\n"
	if j.n > 0 {
		s = "\n]\n"
	}
	_, err := io.WriteString(j.w, s)
	return err
}
