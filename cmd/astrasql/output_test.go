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
		{"table fits terminal", outputOptions{Format: formatTable, TermWidth: 40}, "" +
			" id | title           | v\n" +
			"----+-----------------+-----------------\n" +
			"  1 | Alien           | [1, 2, 3, … (6…\n" +
			" 22 | NULL            | [0.5, 1]\n" +
			"  3 | a long title, … | NULL\n" +
			"(3 rows)\n"},
		{"expanded", outputOptions{Format: formatTable, Expanded: true}, "" +
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
