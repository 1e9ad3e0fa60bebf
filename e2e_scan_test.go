package astrasql_test

import (
	"database/sql"
	"fmt"
	"math/big"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/astrasql/astrasql/typesmap"
)

// TestScanEveryType scans each column type of DESIGN's table into (a) its
// default Go type, (b) any, (c) *string where DESIGN lists string, and
// (d) the sql.Null* type that fits, and a NULL into (d). Where database/sql
// cannot do a scan (its rules, not ours), the case says so and doc.go's
// "Scanning" section documents it; those scans must fail, not give a
// wrong value.
func TestScanEveryType(t *testing.T) {
	db := openDDL(t)
	mustExec(t, db, `CREATE TABLE st (id int PRIMARY KEY, t text, b boolean, i int, vi varint, de decimal, d double,
		ts timestamp, da date, tm time, du duration, u uuid, ip inet, bl blob, v vector<float, 2>,
		l list<int>, s set<text>, m map<text, int>)`)
	mustExec(t, db, `INSERT INTO st (id, t, b, i, vi, de, d, ts, da, tm, du, u, ip, bl, v, l, s, m) VALUES
		(1, 'x', true, 7, 123456789012345678901234567890, 1.50, 2.5, '2024-02-29T12:34:56.789Z', '2024-03-15',
		'12:45:01.005', '1h30m', '0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0',
		'10.1.2.3', X'00ff', [0.5, -1], [3, 1], {'a'}, {'k': 1})`)
	mustExec(t, db, `INSERT INTO st (id) VALUES (2)`)

	ts := time.Date(2024, 2, 29, 12, 34, 56, 789_000_000, time.UTC)
	big1, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	type scan struct {
		dest any    // pointer to scan into
		want string // fmt.Sprint of the value; "ERR" when database/sql cannot do it
	}
	cases := []struct {
		col   string
		def   scan // (a) DESIGN default
		anyv  string
		str   *scan // (c) *string, where DESIGN lists string
		null  any   // (d) pointer to a sql.Null* (or sql.Null[T])
		nullv string
	}{
		{"t", scan{new(string), "x"}, "x", &scan{new(string), "x"}, new(sql.NullString), "{x true}"},
		{"b", scan{new(bool), "true"}, "true", nil, new(sql.NullBool), "{true true}"},
		{"i", scan{new(int64), "7"}, "7", nil, new(sql.NullInt64), "{7 true}"},
		// varint: *big.Int is not a sql.Scanner and cannot be made a
		// string by database/sql: *string fails (documented).
		{"vi", scan{new(*big.Int), big1.String()}, big1.String(), &scan{new(string), "ERR"}, new(sql.Null[*big.Int]), "{" + big1.String() + " true}"},
		{"de", scan{new(string), "1.50"}, "1.50", &scan{new(string), "1.50"}, new(sql.NullString), "{1.50 true}"},
		{"d", scan{new(float64), "2.5"}, "2.5", nil, new(sql.NullFloat64), "{2.5 true}"},
		{"ts", scan{new(time.Time), ts.String()}, ts.String(), &scan{new(string), "2024-02-29T12:34:56.789Z"}, new(sql.NullTime), "{" + ts.String() + " true}"},
		{"da", scan{new(time.Time), "2024-03-15 00:00:00 +0000 UTC"}, "2024-03-15 00:00:00 +0000 UTC", &scan{new(string), "2024-03-15T00:00:00Z"}, new(sql.NullTime), "{2024-03-15 00:00:00 +0000 UTC true}"},
		// time, duration, uuid arrive as strings (rows.go; timeuuid too, but
		// the Data API cannot create a timeuuid column).
		{"tm", scan{new(typesmap.TimeOfDay), "12:45:01.005"}, "12:45:01.005", &scan{new(string), "12:45:01.005"}, new(sql.NullString), "{12:45:01.005 true}"},
		{"du", scan{new(typesmap.Duration), "PT1H30M"}, "PT1H30M", &scan{new(string), "PT1H30M"}, new(sql.NullString), "{PT1H30M true}"},
		{"u", scan{new(uuid.UUID), "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"}, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", &scan{new(string), "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"}, new(uuid.NullUUID), "{0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 true}"},
		// inet: netip.Addr is not a sql.Scanner; delivering a string would
		// make the default type unscannable, so *string fails (documented).
		{"ip", scan{new(netip.Addr), "10.1.2.3"}, "10.1.2.3", &scan{new(string), "ERR"}, new(sql.Null[netip.Addr]), "{10.1.2.3 true}"},
		{"bl", scan{new([]byte), "[0 255]"}, "[0 255]", nil, new(sql.Null[[]byte]), "{[0 255] true}"},
		{"v", scan{new(typesmap.Vector), "[0.5, -1]"}, "[0.5, -1]", nil, new(sql.Null[typesmap.Vector]), "{[0.5, -1] true}"},
		{"l", scan{new(typesmap.List), "[3, 1]"}, "[3, 1]", nil, new(sql.Null[typesmap.List]), "{[3, 1] true}"},
		{"s", scan{new(typesmap.Set), "{'a'}"}, "{'a'}", nil, new(sql.Null[typesmap.Set]), "{{'a'} true}"},
		{"m", scan{new(typesmap.Map), "{'k': 1}"}, "{'k': 1}", nil, new(sql.Null[typesmap.Map]), "{{'k': 1} true}"},
	}
	show := func(p any) string {
		v := reflect.ValueOf(p).Elem().Interface()
		if s, ok := v.(fmt.Stringer); ok {
			return s.String()
		}
		return fmt.Sprint(v)
	}
	for _, c := range cases {
		q := `SELECT ` + c.col + ` FROM st WHERE id = ?`
		try := func(what string, sc scan) {
			t.Helper()
			err := db.QueryRow(q, 1).Scan(sc.dest)
			switch {
			case sc.want == "ERR":
				if err == nil {
					t.Errorf("%s into %s: no error, got %s (expected database/sql to refuse)", c.col, what, show(sc.dest))
				}
			case err != nil:
				t.Errorf("%s into %s: %v", c.col, what, err)
			case show(sc.dest) != sc.want && !strings.Contains(show(sc.dest), sc.want):
				t.Errorf("%s into %s: got %q, want %q", c.col, what, show(sc.dest), sc.want)
			}
		}
		try(fmt.Sprintf("%T (default)", c.def.dest), c.def)
		var a any
		try("any", scan{&a, c.anyv})
		if c.str != nil {
			try("*string", *c.str)
		}
		try(fmt.Sprintf("%T", c.null), scan{c.null, c.nullv})
		// NULL into the nullable type.
		nv := reflect.New(reflect.TypeOf(c.null).Elem()).Interface()
		if err := db.QueryRow(q, 2).Scan(nv); err != nil {
			t.Errorf("%s NULL into %T: %v", c.col, nv, err)
		} else if valid := reflect.ValueOf(nv).Elem().FieldByName("Valid"); !valid.IsValid() || valid.Bool() {
			t.Errorf("%s NULL into %T: %v", c.col, nv, show(nv))
		}
	}
}
