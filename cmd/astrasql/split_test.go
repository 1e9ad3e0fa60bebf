package main

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		final bool
		want  []item
		rest  string
		st    scanState
	}{
		{"one", "SELECT 1;", false, []item{{Text: "SELECT 1", Line: 1, Col: 1}}, "", stateNormal},
		{"no semicolon final", "SELECT 1", true, []item{{Text: "SELECT 1", Line: 1, Col: 1}}, "", stateNormal},
		{"no semicolon pending", "SELECT 1", false, nil, "SELECT 1", stateNormal},
		{"two with lines", "SELECT 1;\n\n  SELECT\n 2;", false,
			[]item{{Text: "SELECT 1", Line: 1, Col: 1}, {Text: "SELECT\n 2", Line: 3, Col: 3}}, "", stateNormal},
		{"semicolon in string", "INSERT INTO t (a) VALUES ('x;y');", false,
			[]item{{Text: "INSERT INTO t (a) VALUES ('x;y')", Line: 1, Col: 1}}, "", stateNormal},
		{"escaped quotes", `SELECT 'it''s;', 'a\';b';`, false,
			[]item{{Text: `SELECT 'it''s;', 'a\';b'`, Line: 1, Col: 1}}, "", stateNormal},
		{"double quoted ident", `SELECT "a;b" FROM t;`, false, []item{{Text: `SELECT "a;b" FROM t`, Line: 1, Col: 1}}, "", stateNormal},
		{"open quote", "SELECT 'abc;\n", false, nil, "SELECT 'abc;\n", stateQuote},
		{"bracket", "SELECT * FROM t ORDER BY v ANN OF [0.1;\n", false, nil, "SELECT * FROM t ORDER BY v ANN OF [0.1;\n", stateBracket},
		{"line comment", "-- hello; world\nSELECT 1; -- tail;\n", false,
			[]item{{Text: "SELECT 1", Line: 2, Col: 1}}, "", stateNormal},
		{"block comment", "/* a;\nb; */ SELECT 1;", false,
			[]item{{Text: "SELECT 1", Line: 2, Col: 7}}, "", stateNormal},
		{"open block comment", "/* a;\n", false, nil, "/* a;\n", stateComment},
		{"empty statements", ";;  ;\n", false, nil, "", stateNormal},
		{"meta", "\\d t\nSELECT 1;\n\\x\n", false,
			[]item{{Text: "\\d t", Line: 1, Col: 1, Meta: true}, {Text: "SELECT 1", Line: 2, Col: 1}, {Text: "\\x", Line: 3, Col: 1, Meta: true}}, "", stateNormal},
		{"meta pending", "\\timing", false, nil, "\\timing", stateNormal},
		{"meta final", "\\timing", true, []item{{Text: "\\timing", Line: 1, Col: 1, Meta: true}}, "", stateNormal},
		{"multi-line string counts lines", "SELECT 'a\nb';\nSELECT 3;", false,
			[]item{{Text: "SELECT 'a\nb'", Line: 1, Col: 1}, {Text: "SELECT 3", Line: 3, Col: 1}}, "", stateNormal},
		{"column after another statement", "SELECT 1; SELEC 2;", false,
			[]item{{Text: "SELECT 1", Line: 1, Col: 1}, {Text: "SELEC 2", Line: 1, Col: 11}}, "", stateNormal},
		{"map literal", "INSERT INTO t (m) VALUES ({'a;': 1});", false,
			[]item{{Text: "INSERT INTO t (m) VALUES ({'a;': 1})", Line: 1, Col: 1}}, "", stateNormal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, rest, st := splitter{}.split(tc.src, tc.final)
			if !reflect.DeepEqual(got, tc.want) || rest != tc.rest || st != tc.st {
				t.Errorf("split(%q):\n got %#v rest %q st %v\nwant %#v rest %q st %v", tc.src, got, rest, st, tc.want, tc.rest, tc.st)
			}
		})
	}
}
