package main

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
)

// CSV as PostgreSQL's COPY ... CSV writes and reads it, so that what
// -format csv writes, \import reads back unchanged:
//
//   - NULL is an empty field without quotes; an empty string is "".
//   - A field is quoted when it is empty, holds a comma, a quote, a CR or
//     LF, or starts or ends with a space; a quote inside is doubled.
//   - Blobs are 0x followed by hex digits (0x alone is the empty blob),
//     inside collections too: one form, never mistaken for another.
//   - Vectors and collections are JSON.
//   - Records end with LF (CRLF is read too); a CR inside a quoted field
//     is data.

// csvWriter writes a header line and one record per row.
type csvWriter struct {
	w    *bufio.Writer
	cols []column
}

func newCSVWriter(w io.Writer) *csvWriter { return &csvWriter{w: bufio.NewWriter(w)} }

func (c *csvWriter) begin(cols []column) error {
	c.cols = cols
	for i, col := range cols {
		if i > 0 {
			c.w.WriteByte(',')
		}
		writeCSVField(c.w, col.Name)
	}
	return c.w.WriteByte('\n')
}

func (c *csvWriter) row(vals []any) error {
	for i, v := range vals {
		if i > 0 {
			c.w.WriteByte(',')
		}
		if v == nil {
			continue // NULL: nothing, unquoted
		}
		writeCSVField(c.w, csvText(v, c.cols[i].DBType))
	}
	if err := c.w.WriteByte('\n'); err != nil {
		return err
	}
	if c.w.Buffered() > 32<<10 {
		return c.w.Flush()
	}
	return nil
}

func (c *csvWriter) end() error { return c.w.Flush() }

// csvText renders a non-NULL value for CSV.
func csvText(v any, dbType string) string {
	if b, ok := v.([]byte); ok {
		return "0x" + hex.EncodeToString(b)
	}
	if js, ok := csvCollection(v, dbType); ok {
		return js
	}
	return formatText(v, dbType, textOptions{BlobHex: true})
}

func writeCSVField(w *bufio.Writer, s string) {
	if s != "" && !strings.ContainsAny(s, ",\"\r\n") && s[0] != ' ' && s[len(s)-1] != ' ' {
		w.WriteString(s)
		return
	}
	w.WriteByte('"')
	w.WriteString(strings.ReplaceAll(s, `"`, `""`))
	w.WriteByte('"')
}

// csvRecord is one record read, with the lines it spans.
type csvRecord struct {
	Start, End int // first and last line, from 1
	Fields     []string
	Quoted     []bool
	// Err says why the record cannot be read; the reader has then skipped
	// to the end of the line the error is on.
	Err string
}

// Lines is how many lines of the file the record spans.
func (r *csvRecord) Lines() int { return r.End - r.Start + 1 }

// csvReader reads records, keeping for each field whether it was quoted
// (an empty quoted field is an empty string, an empty unquoted one NULL),
// and the lines each record spans, so that an import can account for
// every line of the file.
type csvReader struct {
	r    *bufio.Reader
	line int // the line being read
	// Blank counts the empty lines skipped.
	Blank int
	// OneColumn: an empty line is a record of one NULL field, as
	// PostgreSQL reads it when a file has one column.
	OneColumn bool
}

func newCSVReader(r io.Reader) *csvReader {
	return &csvReader{r: bufio.NewReaderSize(r, 64<<10), line: 1}
}

// Read returns the next record, or io.EOF. A record with Err set is
// returned as read so far.
func (c *csvReader) Read() (*csvRecord, error) {
	for {
		b, err := c.r.ReadByte()
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		blank := b == '\n'
		if b == '\r' {
			if n, _ := c.r.Peek(1); len(n) == 1 && n[0] == '\n' {
				c.r.ReadByte()
				blank = true
			}
		}
		if blank {
			c.line++
			if c.OneColumn {
				return &csvRecord{Start: c.line - 1, End: c.line - 1, Fields: []string{""}, Quoted: []bool{false}}, nil
			}
			c.Blank++
			continue
		}
		c.r.UnreadByte()
		return c.record()
	}
}

func (c *csvReader) record() (*csvRecord, error) {
	rec := &csvRecord{Start: c.line}
	var f strings.Builder
	for {
		// A field.
		f.Reset()
		b, err := c.r.ReadByte()
		quoted := err == nil && b == '"'
		if err == nil && !quoted {
			c.r.UnreadByte()
		}
		if quoted {
			quoteLine := c.line
			for {
				b, err := c.r.ReadByte()
				if err == io.EOF {
					rec.End = c.line
					if f.Len() > 0 && strings.HasSuffix(f.String(), "\n") {
						rec.End-- // the file's last line ended
					}
					rec.Err = fmt.Sprintf("a quoted field opened at line %d is never closed: lines %d to %d (the end of the file) are not loaded", quoteLine, rec.Start, rec.End)
					return rec, nil
				}
				if err != nil {
					return nil, err
				}
				if b == '\n' {
					c.line++
				}
				if b != '"' {
					f.WriteByte(b)
					continue
				}
				if n, _ := c.r.Peek(1); len(n) == 1 && n[0] == '"' {
					c.r.ReadByte()
					f.WriteByte('"')
					continue
				}
				break
			}
			// After the closing quote: a comma, the end of the record or EOF.
			n, _ := c.r.Peek(2)
			if len(n) > 0 && n[0] != ',' && n[0] != '\n' && !(n[0] == '\r' && len(n) > 1 && n[1] == '\n') {
				rec.End = c.line
				rec.Err = "text after the closing quote of a field (a quote inside a quoted field is written \"\")"
				if c.line > quoteLine {
					rec.Err += fmt.Sprintf("; the quoted field opened at line %d ran to line %d: an unterminated quote?", quoteLine, c.line)
				}
				return rec, c.skipLine()
			}
		} else {
			for {
				b, err := c.r.ReadByte()
				if err == io.EOF {
					break
				}
				if err != nil {
					return nil, err
				}
				if b == ',' || b == '\n' {
					c.r.UnreadByte()
					break
				}
				if b == '\r' {
					if n, _ := c.r.Peek(1); len(n) == 1 && n[0] == '\n' {
						c.r.UnreadByte()
						break
					}
				}
				if b == '"' {
					rec.End = c.line
					rec.Err = `a quote inside a field that does not start with one (quote the whole field, and write a quote inside it as "")`
					return rec, c.skipLine()
				}
				f.WriteByte(b)
			}
		}
		rec.Fields = append(rec.Fields, f.String())
		rec.Quoted = append(rec.Quoted, quoted)
		b, err = c.r.ReadByte()
		switch {
		case err == io.EOF:
			rec.End = c.line
			return rec, nil
		case err != nil:
			return nil, err
		case b == ',':
			continue
		case b == '\r':
			c.r.ReadByte() // the '\n' seen above
		}
		rec.End = c.line
		c.line++
		return rec, nil
	}
}

// skipLine drops the rest of the current line, after an error.
func (c *csvReader) skipLine() error {
	for {
		b, err := c.r.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if b == '\n' {
			c.line++
			return nil
		}
	}
}
