package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
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
		return &csvWriter{w: csv.NewWriter(w)}
	case formatJSON:
		return &jsonWriter{w: w, array: true}
	case formatJSONL:
		return &jsonWriter{w: w}
	}
	if o.Expanded {
		return &expandedWriter{w: w, o: o}
	}
	return &tableWriter{w: w, o: o}
}

// cellText renders a value for the table: vectors abbreviated, blobs in
// hex, control characters escaped so that one row stays on one line.
func cellText(v any, dbType string) string {
	s := formatText(v, dbType, textOptions{AbbrevVector: 5, BlobHex: true})
	if strings.ContainsAny(s, "\n\r\t") {
		s = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
	}
	return s
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

// tableWriter buffers the result to size the columns, then prints
//
//	 id | title
//	----+-------
//	  1 | Alien
//	(1 row)
type tableWriter struct {
	w    io.Writer
	o    outputOptions
	cols []column
	rows [][]string
	raw  [][]any // the values, kept for AutoExpand
}

func (t *tableWriter) begin(cols []column) error { t.cols = cols; return nil }

func (t *tableWriter) row(vals []any) error {
	r := make([]string, len(vals))
	for i, v := range vals {
		r[i] = cellText(v, t.cols[i].DBType)
	}
	t.rows = append(t.rows, r)
	if t.o.AutoExpand {
		t.raw = append(t.raw, append([]any(nil), vals...))
	}
	return nil
}

// naturalWidth is the table's width with no cell cut.
func (t *tableWriter) naturalWidth() int {
	n := -1
	for i, c := range t.cols {
		cw := runewidth.StringWidth(c.Name)
		for _, r := range t.rows {
			cw = max(cw, runewidth.StringWidth(r[i]))
		}
		n += cw + 3
	}
	return n
}

func (t *tableWriter) widths() []int {
	w := make([]int, len(t.cols))
	for i, c := range t.cols {
		w[i] = runewidth.StringWidth(c.Name)
	}
	for _, r := range t.rows {
		for i, s := range r {
			if n := runewidth.StringWidth(s); n > w[i] {
				w[i] = n
			}
		}
	}
	if t.o.MaxWidth > 0 {
		for i := range w {
			w[i] = min(w[i], max(t.o.MaxWidth, runewidth.StringWidth(t.cols[i].Name)))
		}
	}
	if t.o.TermWidth > 0 {
		// Narrow the widest column, one display column at a time, until the
		// table fits the terminal or every column is down to its floor: its
		// header, and at least minCol.
		const minCol = 8
		floor := make([]int, len(w))
		for i, c := range t.cols {
			floor[i] = min(w[i], max(minCol, runewidth.StringWidth(c.Name)))
		}
		total := func() int {
			n := 0
			for _, x := range w {
				n += x + 3
			}
			return n - 1
		}
		for total() > t.o.TermWidth {
			wi := -1
			for i := range w {
				if w[i] > floor[i] && (wi < 0 || w[i] > w[wi]) {
					wi = i
				}
			}
			if wi < 0 {
				break
			}
			w[wi]--
		}
	}
	return w
}

func fit(s string, w int, right bool) string {
	if runewidth.StringWidth(s) > w {
		s = runewidth.Truncate(s, w, "…")
	}
	if right {
		return runewidth.FillLeft(s, w)
	}
	return runewidth.FillRight(s, w)
}

func (t *tableWriter) end() error {
	if t.o.AutoExpand && t.o.TermWidth > 0 && t.naturalWidth() > t.o.TermWidth {
		e := &expandedWriter{w: t.w, o: t.o}
		e.begin(t.cols)
		for _, r := range t.raw {
			if err := e.row(r); err != nil {
				return err
			}
		}
		return e.end()
	}
	bw := bufio.NewWriter(t.w)
	w := t.widths()
	line := func(cells []string, header bool) {
		var b strings.Builder
		for i, s := range cells {
			if i > 0 {
				b.WriteString(" |")
			}
			b.WriteByte(' ')
			b.WriteString(fit(s, w[i], !header && isNumeric(t.cols[i].DBType)))
		}
		bw.WriteString(strings.TrimRight(b.String(), " "))
		bw.WriteByte('\n')
	}
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.Name
	}
	line(names, true)
	for i := range w {
		if i > 0 {
			bw.WriteByte('+')
		}
		bw.WriteString(strings.Repeat("-", w[i]+2))
	}
	bw.WriteByte('\n')
	for _, r := range t.rows {
		line(r, false)
	}
	fmt.Fprintln(bw, rowCount(len(t.rows)))
	return bw.Flush()
}

// expandedWriter prints each row as a record, one line per column:
//
//	-[ RECORD 1 ]--
//	id    | 1
//	title | Alien
type expandedWriter struct {
	w     io.Writer
	o     outputOptions
	cols  []column
	width int
	n     int
}

func (e *expandedWriter) begin(cols []column) error {
	e.cols = cols
	for _, c := range cols {
		e.width = max(e.width, runewidth.StringWidth(c.Name))
	}
	return nil
}

func (e *expandedWriter) row(vals []any) error {
	e.n++
	var b strings.Builder
	head := fmt.Sprintf("-[ RECORD %d ]", e.n)
	b.WriteString(head)
	b.WriteString(strings.Repeat("-", max(2, e.width+3-len(head)+10)))
	b.WriteByte('\n')
	cap := e.o.MaxWidth
	if e.o.AutoExpand {
		cap = 0 // a result to read whole: long values wrap
	} else if e.o.TermWidth > 0 {
		tw := e.o.TermWidth - e.width - 3
		if cap == 0 || tw < cap {
			cap = max(tw, 8)
		}
	}
	for i, v := range vals {
		s := cellText(v, e.cols[i].DBType)
		if cap > 0 && runewidth.StringWidth(s) > cap {
			s = runewidth.Truncate(s, cap, "…")
		}
		b.WriteString(runewidth.FillRight(e.cols[i].Name, e.width))
		b.WriteString(" | ")
		b.WriteString(s)
		b.WriteByte('\n')
	}
	_, err := io.WriteString(e.w, b.String())
	return err
}

func (e *expandedWriter) end() error {
	_, err := fmt.Fprintln(e.w, rowCount(e.n))
	return err
}

// csvWriter writes a header line and one record per row. NULL is an empty
// field; vectors and collections are written in full as JSON (what \import
// reads back); blobs in base64.
type csvWriter struct {
	w    *csv.Writer
	cols []column
}

func (c *csvWriter) begin(cols []column) error {
	c.cols = cols
	names := make([]string, len(cols))
	for i, col := range cols {
		names[i] = col.Name
	}
	return c.w.Write(names)
}

func (c *csvWriter) row(vals []any) error {
	rec := make([]string, len(vals))
	for i, v := range vals {
		if v == nil {
			continue
		}
		if js, ok := csvCollection(v, c.cols[i].DBType); ok {
			rec[i] = js
		} else {
			rec[i] = formatText(v, c.cols[i].DBType, textOptions{})
		}
	}
	return c.w.Write(rec)
}

func (c *csvWriter) end() error {
	c.w.Flush()
	return c.w.Error()
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
