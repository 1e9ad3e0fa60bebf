package planner

import (
	"math/big"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xwb1989/sqlparser"

	"github.com/astrasql/astrasql/typesmap"
)

// whereOf parses "SELECT * FROM t WHERE <cond>" and returns the condition.
func whereOf(t *testing.T, cond string) sqlparser.Expr {
	t.Helper()
	st, err := sqlparser.Parse("select * from t where " + cond)
	if err != nil {
		t.Fatalf("parse %q: %v", cond, err)
	}
	return st.(*sqlparser.Select).Where.Expr
}

var evalCols = []typesmap.Column{
	{Name: "i", Type: typesmap.Of("int")},
	{Name: "j", Type: typesmap.Of("bigint")},
	{Name: "f", Type: typesmap.Of("double")},
	{Name: "s", Type: typesmap.Of("text")},
	{Name: "d", Type: typesmap.Of("decimal")},
	{Name: "ts", Type: typesmap.Of("timestamp")},
	{Name: "u", Type: typesmap.Of("uuid")},
	{Name: "ip", Type: typesmap.Of("inet")},
	{Name: "b", Type: typesmap.Of("blob")},
	{Name: "n", Type: typesmap.Of("int")}, // always NULL
	{Name: "v", Type: typesmap.Of("varint")},
	{Name: "ok", Type: typesmap.Of("boolean")},
	{Name: ":_p1"},
}

var evalRow = Row{
	int64(7), int64(9223372036854775807), 2.5, "Hello_World%", "10.50",
	time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC),
	uuid.MustParse("6f1c1a2e-0000-4000-8000-000000000001"),
	netip.MustParseAddr("10.0.0.1"), []byte("ab"), nil,
	new(big.Int).Lsh(big.NewInt(1), 70), true, "Hello%",
}

func TestEvalPredicates(t *testing.T) {
	tests := []struct {
		cond string
		want any // true, false, nil (NULL)
	}{
		{"i = 7", true},
		{"i <> 7", false},
		{"i > 6.5", true},
		{"i = 7.0", true},
		{"i < f", false},
		{"i * 2 = 14", true},
		{"i / 2 = 3", true}, // integer division truncates
		{"i % 4 = 3", true},
		{"-i = -7", true},
		{"j + 1 > j", true}, // promoted to big.Int, no overflow
		{"j * j > 0", true},
		{"f * 2 = 5", true},
		{"d = 10.5", true},
		{"d > 9", true}, // decimal column compares as a number, not as text
		{"d + 0.25 = 10.75", true},
		{"v > j", true},
		{"s LIKE 'Hello%'", true},
		{"s LIKE 'hello%'", false},
		{"s LIKE 'H_llo\\_World\\%'", true},
		{"s LIKE 'H%d\\%'", true},
		{"s LIKE '%World'", false},
		{"s NOT LIKE '%x%'", true},
		{"s LIKE 'H%|%' ESCAPE '|'", true},
		{"s LIKE :_p1", true},
		{"n IS NULL", true},
		{"n IS NOT NULL", false},
		{"n = 1", nil},
		{"NOT (n = 1)", nil},
		{"n = 1 AND i = 0", false},
		{"n = 1 OR i = 7", true},
		{"n = 1 OR i = 0", nil},
		{"n IN (1, 2)", nil},
		{"i IN (1, NULL)", nil},
		{"i IN (1, 7)", true},
		{"i NOT IN (1, 2)", true},
		{"i BETWEEN 1 AND 7", true},
		{"i NOT BETWEEN 1 AND 6", true},
		{"ts > '2024-02-29'", true},
		{"ts = '2024-03-01T12:00:00Z'", true},
		{"ts < '2024-03-01 11:59:59'", false},
		{"u = '6f1c1a2e-0000-4000-8000-000000000001'", true},
		{"ip = '10.0.0.1'", true},
		{"ip < '10.0.0.2'", true},
		{"b = 'ab'", true},
		{"ok", true},
		{"ok = true", true},
		{"lower(s) = 'hello_world%'", true},
		{"upper(s) LIKE 'HELLO%'", true},
		{"length(s) = 12", true},
		{"char_length('héllo') = 5", true},
		{"coalesce(n, i) = 7", true},
		{"abs(-i) = 7", true},
		{"round(f) = 3", true},
		{"round(2.345, 2) = 2.35", true},
		{"round(-2.5) = -3", true},
		{"concat(s, '!', i) = 'Hello_World%!7'", true},
		{"concat(s, n) IS NULL", true},
		{"substring(s, 1, 5) = 'Hello'", true},
		{"substring(s, -6) = 'World%'", true},
		{"substring(s, 7) = 'World%'", true},
		{"i > 2 AND i < 10 AND s LIKE 'H%'", true},
		{"CASE WHEN i > 5 THEN 'big' ELSE 'small' END = 'big'", true},
		{"nullif(i, 7) IS NULL", true},
		{"i <=> n", false},
		{"n <=> NULL", true},
	}
	for _, tt := range tests {
		e, err := compileTypedExpr(whereOf(t, tt.cond), evalCols)
		if err != nil {
			t.Errorf("%s: compile: %v", tt.cond, err)
			continue
		}
		e = bindFromRow(t, e, columnNames(evalCols), evalRow)
		got, err := e.Eval(evalRow)
		if err != nil {
			t.Errorf("%s: eval: %v", tt.cond, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s = %v, want %v", tt.cond, got, tt.want)
		}
	}
}

func TestEvalValues(t *testing.T) {
	tests := []struct {
		expr string
		want string // formatted with %T:%v
	}{
		{"j + 1", "*big.Int:9223372036854775808"},
		{"j - j", "int64:0"},
		{"i / 2", "int64:3"},
		{"i / 2.0", "string:3.5"},
		{"f / 2", "float64:1.25"},
		{"d * 2", "string:21.00"}, // scale 2 * scale 0, as PostgreSQL,
		{"d / 3", "string:3.5"},
		{"1 / 3.0", "string:0.33333333333333333333"},
		{"abs(-9223372036854775807 - 1)", "*big.Int:9223372036854775808"},
		{"round(d)", "string:11"},
		{"round(10.45, 1)", "string:10.5"},
		{"floor(-2.5)", "int64:-3"},
		{"ceil(2.1)", "int64:3"},
		{"cast(i as char)", "string:7"},
		{"i + NULL", "<nil>:<nil>"},
	}
	for _, tt := range tests {
		e, err := compileTypedExpr(whereOf(t, tt.expr), evalCols)
		if err != nil {
			t.Errorf("%s: compile: %v", tt.expr, err)
			continue
		}
		got, err := e.Eval(evalRow)
		if err != nil {
			t.Errorf("%s: eval: %v", tt.expr, err)
			continue
		}
		if s := typedString(got); s != tt.want {
			t.Errorf("%s = %s, want %s", tt.expr, s, tt.want)
		}
	}
}

func typedString(v any) string {
	if v == nil {
		return "<nil>:<nil>"
	}
	return strings.TrimSpace(strings.Join([]string{sprintT(v), formatValue(v)}, ":"))
}

func sprintT(v any) string {
	switch v.(type) {
	case *big.Int:
		return "*big.Int"
	case int64:
		return "int64"
	case float64:
		return "float64"
	case string:
		return "string"
	}
	return "other"
}

func TestEvalErrors(t *testing.T) {
	tests := []struct {
		expr    string
		compile bool // error at compile time (else at eval)
		want    string
	}{
		{"nope = 1", true, `unknown column "nope"`},
		{"ts > 'yesterday'", true, "not a valid timestamp"},
		{"u = 'x'", true, "not a valid uuid"},
		{"foo(i) = 1", true, "unknown function foo()"},
		{"count(i) > 1", true, "aggregate COUNT() is not allowed here"},
		{"i in (select 1)", true, "IN (subquery)"},
		{"s REGEXP 'a'", true, "REGEXP is not supported"},
		{"lower(s, s) = 1", true, "LOWER() takes 1 argument"},
		{"i / 0 = 1", false, "division by zero"},
		{"s > 1", false, "cannot compare"},
		{"lower(i) = 'x'", false, "LOWER: needs text"},
	}
	for _, tt := range tests {
		e, err := compileTypedExpr(whereOf(t, tt.expr), evalCols)
		if err == nil && !tt.compile {
			_, err = e.Eval(evalRow)
		} else if err == nil {
			t.Errorf("%s: compiled, want error %q", tt.expr, tt.want)
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.expr, err, tt.want)
		}
	}
}

func TestLikeMatcher(t *testing.T) {
	tests := []struct {
		pat, s string
		want   bool
	}{
		{"%", "", true},
		{"_", "", false},
		{"_", "é", true},
		{"a%b%c", "aXXbYYc", true},
		{"a%b%c", "aXXbYY", false},
		{"%%a", "ba", true},
		{"a\\%", "a%", true},
		{"a\\%", "ab", false},
		{"%ab%ab", "xabyab", true},
		{"%aab", "aaab", true},
		{"a_c", "abc", true},
		{"a_c", "abbc", false},
	}
	for _, tt := range tests {
		if got := compileLike(tt.pat, '\\').match(tt.s); got != tt.want {
			t.Errorf("%q LIKE %q = %v, want %v", tt.s, tt.pat, got, tt.want)
		}
	}
}

func TestBindBinding(t *testing.T) {
	st := &Statement{Params: []Param{{Ordinal: 1, Text: "?"}, {Ordinal: 2, Text: "?"}}}
	b := &Binding{st: st, args: []any{int64(5), "2024-03-01"}}
	cols := []typesmap.Column{{Name: "i", Type: typesmap.Of("int")}, {Name: "ts", Type: typesmap.Of("timestamp")}}
	e, err := compileTypedExpr(whereOf(t, "i = :_p1 and ts >= :_p2"), cols)
	if err != nil {
		t.Fatal(err)
	}
	be, err := bindBinding(e, b)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := Truth(be, Row{int64(5), time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil || !ok {
		t.Fatalf("bound predicate = %v, %v; want true", ok, err)
	}
	// The compiled expression is unchanged (plans are shared).
	if _, err := e.Eval(Row{int64(5), time.Now()}); err == nil || !strings.Contains(err.Error(), "has no value") {
		t.Fatalf("unbound eval error = %v", err)
	}
}

func TestContains(t *testing.T) {
	type entry struct{ Key, Value any }
	cols := []string{"l", "m", ":_l1", ":_l2"}
	row := Row{[]any{"a", "b"}, []entry{{"k1", int64(1)}, {"k2", int64(2)}}, "b", "k2"}
	for cond, want := range map[string]bool{
		"l = _astra_contains(:_l1)":     true,
		"l = _astra_contains(:_l2)":     false,
		"m = _astra_contains_key(:_l2)": true,
		"m = _astra_contains_key(:_l1)": false,
	} {
		e, err := compileExpr(whereOf(t, cond), cols)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Truth(bindFromRow(t, e, cols, row), row)
		if err != nil || got != want {
			t.Errorf("%s = %v, %v; want %v", cond, got, err, want)
		}
	}
}

// bindFromRow binds each placeholder of e to the row's value of the column
// of the same name: placeholders are bind nodes, never row columns.
func bindFromRow(t *testing.T, e Expr, names []string, row Row) Expr {
	t.Helper()
	out, err := substitute(e, func(x Expr) (Expr, bool, error) {
		p, ok := x.(*paramExpr)
		if !ok {
			return nil, false, nil
		}
		for i, n := range names {
			if n == p.name {
				return &constExpr{v: row[i], k: kindOfValue(row[i])}, true, nil
			}
		}
		return nil, false, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
