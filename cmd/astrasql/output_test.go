package main

import (
	"strings"
	"testing"
)

func writeResult(t *testing.T, o outputOptions, cols []column, rows [][]any) string {
	t.Helper()
	var b strings.Builder
	w := newResultWriter(&b, o)
	if err := w.begin(cols); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.end(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestResultWriters(t *testing.T) {
	cols := []column{{"id", "INT"}, {"title", "TEXT"}, {"v", "VECTOR"}}
	rows := [][]any{
		{int64(1), "Alien", tVector{1, 2, 3, 4, 5, 6}},
		{int64(22), nil, tVector{0.5, 1}},
		{int64(3), "a long title, with \"quotes\"\nand a newline", nil},
	}
	tests := []struct {
		name string
		o    outputOptions
		want string
	}{
		{"table", outputOptions{Format: formatTable, MaxWidth: 20}, "" +
			" id | title                | v\n" +
			"----+----------------------+----------------------\n" +
			"  1 | Alien                | [1, 2, 3, … (6 dims…\n" +
			" 22 | NULL                 | [0.5, 1]\n" +
			"  3 | a long title, with … | NULL\n" +
			"(3 rows)\n"},
		{"table fits terminal: text wraps", outputOptions{Format: formatTable, TermWidth: 40, MaxWidth: 60}, "" +
			" id | title           | v\n" +
			"----+-----------------+-----------------\n" +
			"  1 | Alien           | [1, 2, 3, … (6 .\n" +
			"    |                 |.dims)]\n" +
			" 22 | NULL            | [0.5, 1]\n" +
			"  3 | a long title,  .| NULL\n" +
			"    |.with \"quotes\"\\n.|\n" +
			"    |.and a newline   |\n" +
			"(3 rows)\n"},
		{"expanded", outputOptions{Format: formatTable, Expanded: true, MaxWidth: 60}, "" +
			"-[ RECORD 1 ]-----\n" +
			"id    | 1\n" +
			"title | Alien\n" +
			"v     | [1, 2, 3, … (6 dims)]\n" +
			"-[ RECORD 2 ]-----\n" +
			"id    | 22\n" +
			"title | NULL\n" +
			"v     | [0.5, 1]\n" +
			"-[ RECORD 3 ]-----\n" +
			"id    | 3\n" +
			"title | a long title, with \"quotes\"\\nand a newline\n" +
			"v     | NULL\n" +
			"(3 rows)\n"},
		{"csv", outputOptions{Format: formatCSV}, "" +
			"id,title,v\n" +
			"1,Alien,\"[1,2,3,4,5,6]\"\n" +
			"22,,\"[0.5,1]\"\n" +
			"3,\"a long title, with \"\"quotes\"\"\nand a newline\",\n"},
		{"json", outputOptions{Format: formatJSON}, "[\n" +
			`{"id":1,"title":"Alien","v":[1,2,3,4,5,6]},` + "\n" +
			`{"id":22,"title":null,"v":[0.5,1]},` + "\n" +
			`{"id":3,"title":"a long title, with \"quotes\"\nand a newline","v":null}` + "\n]\n"},
		{"jsonl", outputOptions{Format: formatJSONL},
			`{"id":1,"title":"Alien","v":[1,2,3,4,5,6]}` + "\n" +
				`{"id":22,"title":null,"v":[0.5,1]}` + "\n" +
				`{"id":3,"title":"a long title, with \"quotes\"\nand a newline","v":null}` + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := writeResult(t, tc.o, cols, rows); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
	if got := writeResult(t, outputOptions{Format: formatJSON}, cols, nil); got != "[]\n" {
		t.Errorf("empty json = %q", got)
	}
	if got := writeResult(t, outputOptions{Format: formatTable}, cols[:1], [][]any{{int64(1)}}); !strings.HasSuffix(got, "(1 row)\n") {
		t.Errorf("one row = %q", got)
	}
}

func TestAutoExpand(t *testing.T) {
	cols := []column{{"step", "INT"}, {"detail", "TEXT"}}
	rows := [][]any{{int64(1), strings.Repeat("x", 50)}}
	got := writeResult(t, outputOptions{Format: formatTable, TermWidth: 40, AutoExpand: true}, cols, rows)
	want := "-[ RECORD 1 ]------\nstep   | 1\ndetail | " + strings.Repeat("x", 50) + "\n(1 row)\n"
	if got != want {
		t.Errorf("too wide for the terminal:\n%s\nwant\n%s", got, want)
	}
	got = writeResult(t, outputOptions{Format: formatTable, TermWidth: 80, AutoExpand: true}, cols, rows)
	if !strings.HasPrefix(got, " step | detail") {
		t.Errorf("fits the terminal: %s", got)
	}
}

// Control characters from data never reach the terminal raw (issue 14).
func TestControlCharactersEscaped(t *testing.T) {
	cols := []column{{"id", "INT"}, {"t\x1b[2J", "TEXT"}}
	rows := [][]any{{int64(1), "bell\a esc\x1b[31m del\x7f c1\u009b bidi\u202eevil nl\n bad\xff é"}}
	const want = `bell\x07 esc\x1B[31m del\x7F c1\x9B bidi\u202Eevil nl\n bad\xFF é`
	for _, o := range []outputOptions{{Format: formatTable}, {Format: formatTable, Expanded: true}} {
		got := writeResult(t, o, cols, rows)
		if strings.ContainsAny(got, "\x1b\a\x7f\u009b\u202e") || !strings.Contains(got, want) || !strings.Contains(got, `t\x1B[2J`) {
			t.Errorf("expanded=%v:\n%s", o.Expanded, got)
		}
	}
}

// On a narrow terminal text wraps; numbers, dates and uuids are never cut,
// and a NULL can be told from the text 'NULL' with \pset null.
func TestNarrowTerminal(t *testing.T) {
	cols := []column{{"id", "VARINT"}, {"e", "DOUBLE"}, {"description_of_it", "TEXT"}, {"all_null_column", "INT"}, {"d", "DATE"}, {"u", "UUID"}}
	rows := [][]any{{"123456789012345678901234567890", 2.718281828459045, strings.Repeat("word ", 20), nil, "2024-02-29", "123e4567-e89b-12d3-a456-426614174000"}}
	got := writeResult(t, outputOptions{Format: formatTable, TermWidth: 80, MaxWidth: 60, Null: "(null)", NullSet: true}, cols[:4], [][]any{rows[0][:4]})
	got += writeResult(t, outputOptions{Format: formatTable, TermWidth: 80, MaxWidth: 60}, cols[2:], [][]any{rows[0][2:]})
	for _, want := range []string{"123456789012345678901234567890", "2.718281828459045", "2024-02-29", "123e4567-e89b-12d3-a456-426614174000", "(null)", "all_nu.", "|.word word"} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q:\n%s", want, got)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if len([]rune(l)) > 80 {
			t.Errorf("line wider than 80: %q\n%s", l, got)
		}
	}
	// \x auto: expanded when the table does not fit.
	got = writeResult(t, outputOptions{Format: formatTable, TermWidth: 40, MaxWidth: 60, ExpandAuto: true}, cols, rows)
	if !strings.HasPrefix(got, "-[ RECORD 1 ]") || !strings.Contains(got, "u                 | 123e4567-e89b-12d3-a456-426614174000\n") {
		t.Errorf("\\x auto:\n%s", got)
	}
	// Vectors in full when cells are not capped (-maxwidth 0).
	got = writeResult(t, outputOptions{Format: formatTable}, []column{{"v", "VECTOR"}}, [][]any{{tVector{1, 2, 3, 4, 5, 6, 7}}})
	if !strings.Contains(got, "[1, 2, 3, 4, 5, 6, 7]") {
		t.Errorf("-maxwidth 0 vector:\n%s", got)
	}
}

// Rows after the first batch keep its widths and print as they come.
func TestTableStreams(t *testing.T) {
	cols := []column{{"id", "INT"}, {"t", "TEXT"}}
	var rows [][]any
	for i := 0; i < fetchCount+2; i++ {
		rows = append(rows, []any{int64(i), "ab"})
	}
	rows[fetchCount+1] = []any{int64(123456), "a longer text"}
	got := writeResult(t, outputOptions{Format: formatTable, TermWidth: 80}, cols, rows)
	if !strings.Contains(got, " 1000 | ab\n") || !strings.Contains(got, " 123456 | a longer text\n") || !strings.HasSuffix(got, "(1002 rows)\n") {
		t.Errorf("tail:\n%s", got[len(got)-100:])
	}
}
