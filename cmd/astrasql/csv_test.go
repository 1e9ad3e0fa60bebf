package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// What -format csv writes, \import reads back unchanged: every column type
// the Data API creates, with values that tell the conventions apart (NULL
// and ”, 'NULL', a blob whose base64 starts with "0x", the empty blob,
// separators, quotes, CR LF, spaces at the ends, control characters,
// extreme numbers, NaN, dates past 9999 and before year 0).
func TestCSVRoundTripAdversarial(t *testing.T) {
	dsn := newServer(t)
	const cols = "(id int PRIMARY KEY, a ascii, bi bigint, b blob, bo boolean, d date, de decimal, do double, du duration, f float, ip inet, si smallint, t text, tm time, ts timestamp, ti tinyint, u uuid, vi varint, l list<text>, s set<int>, m map<text, int>, mi map<int, text>, v vector<float, 3>)"
	setup := "CREATE TABLE ty " + cols + ";\nCREATE TABLE ty2 " + cols + ";\n" + `
INSERT INTO ty (id, a, t, b, l, m) VALUES (1, '', '', X'', [''], {'': 0});
INSERT INTO ty (id, t, b) VALUES (2, 'NULL', 0xD31001);
INSERT INTO ty (id, t) VALUES (3, '\N'), (4, 'a,b "c"` + "\r\n" + `d'), (5, '  spaced  '), (6, '"'), (7, ','), (8, 'x` + "\t\x01\x1b" + `y'), (9, 'é中🙂'), (18, '0x41'), (19, '""');
INSERT INTO ty (id, bi, si, ti, de, vi, do, f) VALUES (10, -9223372036854775808, -32768, -128, -1.5E-40, -123456789012345678901234567890, 1.7976931348623157e308, 3.4028235e38);
INSERT INTO ty (id, do, f) VALUES (11, 5e-324, 1e-45);
INSERT INTO ty (id, do, f) VALUES (12, NaN, -Infinity);
INSERT INTO ty (id, d, ts, tm, du) VALUES (13, '-0001-01-01', '1969-12-31T23:59:59.999Z', '00:00:00.000000001', '-1y2mo3d4h5m6s7ms8us9ns');
INSERT INTO ty (id, d, ts) VALUES (14, '+10000-01-01', '+10000-01-01T00:00:00Z');
INSERT INTO ty (id, ip, u, v, s, mi, l) VALUES (15, '::1', '00000000-0000-0000-0000-000000000000', [0, -0.5, 1e-30], {-1, 0}, {-1: ''}, ['', 'NULL', ',"']);
INSERT INTO ty (id, ip, bo) VALUES (16, 'fe80::1', false);
INSERT INTO ty (id) VALUES (17);
`
	if r := runCLI(t, "", "-dsn", dsn, "-e", setup); r.code != 0 {
		t.Fatalf("setup: %v", r)
	}
	r := runCLI(t, "", "-dsn", dsn, "-format", "csv", "-e", "SELECT * FROM ty")
	if r.code != 0 {
		t.Fatalf("export: %v", r)
	}
	for _, want := range []string{"\n1,\"\",0x,", "\n2,,0xd31001,", ",NULL,", ",\"\"\"\"\"\",", "\n17,,,,,,,,,,,,,,,,,,,,,,\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("export lacks %q:\n%s", want, r.stdout)
		}
	}
	csvPath := writeFile(t, "ty.csv", r.stdout)
	if r := runCLI(t, "", "import", "-dsn", dsn, "-table", "ty2", csvPath); r.code != 0 || !strings.Contains(r.stdout, "IMPORT 19 ") {
		t.Fatalf("import: %v", r)
	}
	a := runCLI(t, "", "-dsn", dsn, "-format", "jsonl", "-e", "SELECT * FROM ty")
	b := runCLI(t, "", "-dsn", dsn, "-format", "jsonl", "-e", "SELECT * FROM ty2")
	sa, sb := strings.Split(a.stdout, "\n"), strings.Split(b.stdout, "\n")
	if a.code != 0 || b.code != 0 || len(sa) != 20 {
		t.Fatalf("reading back: %v %v", a, b)
	}
	seen := map[string]bool{}
	for _, l := range sa {
		seen[l] = true
	}
	for _, l := range sb {
		if !seen[l] {
			t.Errorf("row changed by the round trip: %s", l)
		}
	}
}

// An unterminated quote: the report accounts for every line of the file.
func TestImportAccountsForEveryLine(t *testing.T) {
	dsn := newServer(t)
	if r := runCLI(t, "", "-dsn", dsn, "-e", "CREATE TABLE q (id int PRIMARY KEY, t text)"); r.code != 0 {
		t.Fatalf("setup: %v", r)
	}
	var b strings.Builder
	b.WriteString("id,t\n1,one\n2,\"never closed\n")
	for i := 3; i <= 40; i++ {
		b.WriteString(strconv.Itoa(i) + ",row\n")
	}
	b.WriteString("41,\"closes\" here\n\n42,\"ok\"\n43,bad\"quote\n44,x,extra\n")
	r := runCLI(t, "", "import", "-dsn", dsn, "-table", "q", writeFile(t, "q.csv", b.String()))
	if r.code != 1 {
		t.Fatalf("want exit 1: %v", r)
	}
	for _, want := range []string{
		"lines 3-42: bad CSV: text after the closing quote of a field",
		"the quoted field opened at line 3 ran to line 42: an unterminated quote?",
		"line 45: bad CSV: a quote inside a field that does not start with one",
		"line 46: has 3 fields, the header has 2",
		"The file's 45 data lines: 2 in the 2 rows loaded, 42 in the 3 rows that failed, 1 blank.",
		"3 of 5 rows failed to import",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q: %v", want, r)
		}
	}
	// Never closed at all: to the end of the file.
	r = runCLI(t, "", "import", "-dsn", dsn, "-table", "q", writeFile(t, "q2.csv", "id,t\n1,\"open\n2,a\n3,b\n"))
	if !strings.Contains(r.stderr, "lines 2-4: bad CSV: a quoted field opened at line 2 is never closed") ||
		!strings.Contains(r.stderr, "The file's 3 data lines: 0 in the 0 rows loaded, 3 in the 1 rows that failed, 0 blank.") {
		t.Errorf("unterminated to EOF: %v", r)
	}
}

func TestCSVReader(t *testing.T) {
	in := "a,b\r\n\"x\r\ny\",\n\n\"\",\"q\"\"\"\n"
	r := newCSVReader(strings.NewReader(in))
	var got []string
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		got = append(got, fmt.Sprintf("%d-%d %q %v %s", rec.Start, rec.End, rec.Fields, rec.Quoted, rec.Err))
	}
	want := []string{
		`1-1 ["a" "b"] [false false] `,
		"2-3 [\"x\\r\\ny\" \"\"] [true false] ",
		`5-5 ["" "q\""] [true true] `,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || r.Blank != 1 {
		t.Errorf("got\n%s\nblank %d", strings.Join(got, "\n"), r.Blank)
	}
	// One column: an empty line is a NULL.
	r = newCSVReader(strings.NewReader("\n\"\"\n"))
	r.OneColumn = true
	a, _ := r.Read()
	b, _ := r.Read()
	if a == nil || b == nil || a.Quoted[0] || !b.Quoted[0] || a.Start != 1 || b.Start != 2 {
		t.Errorf("one column: %+v %+v", a, b)
	}
}
