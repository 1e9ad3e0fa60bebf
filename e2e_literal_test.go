package astrasql_test

import (
	"strings"
	"testing"
)

// Issue 12 item 12: literals that do not fit their column are refused, as
// the same values given as parameters are; LIMIT and OFFSET that overflow
// or are negative say so.
func TestLiteralOverflowRefused(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE ov (id int PRIMARY KEY, d double, f float, v vector<float, 3>)`)
	e2eExec(t, db, `INSERT INTO ov (id, d, f, v) VALUES (1, 1.5, 1.5, [1, 2, 3])`)
	for q, want := range map[string]string{
		`INSERT INTO ov (id, v) VALUES (2, [1e300, 1, 1])`:      "overflow",
		`INSERT INTO ov (id, d) VALUES (2, 1e309)`:              "range",
		`INSERT INTO ov (id, d) VALUES (2, -1e309)`:             "range",
		`INSERT INTO ov (id, d) VALUES (2, 1e-400)`:             "range",
		`INSERT INTO ov (id, f) VALUES (2, 1e300)`:              "overflow",
		`UPDATE ov SET d = 1e309 WHERE id = 1`:                  "range",
		`SELECT id FROM ov WHERE d = 1e309`:                     "range",
		`SELECT id FROM ov WHERE d + 0 = 1e309`:                 "1e309",
		`SELECT id FROM ov LIMIT 9223372036854775808`:           "LIMIT",
		`SELECT id FROM ov LIMIT 1 OFFSET 99999999999999999999`: "OFFSET",
	} {
		_, err := db.Exec(q)
		if err == nil {
			rows, qerr := db.Query(q)
			if qerr == nil {
				rows.Close()
			}
			err = qerr
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error mentioning %q", q, err, want)
		}
	}
	if got := e2eQuery(t, db, `SELECT d FROM ov`); len(got) != 1 || got[0] != "1.5" {
		t.Errorf("rows after refused writes: %q", got)
	}
	// LIMIT + OFFSET past int64 is no limit, not a negative one.
	if got := e2eQuery(t, db, `SELECT id FROM ov LIMIT 9223372036854775807 OFFSET 1`); len(got) != 0 {
		t.Errorf("LIMIT max OFFSET 1: %q", got)
	}
	if got := e2eQuery(t, db, `SELECT id FROM ov LIMIT 9223372036854775807 OFFSET 0`); len(got) != 1 {
		t.Errorf("LIMIT max: %q", got)
	}
	for _, arg := range []any{-1, int64(-5)} {
		_, err := db.Query(`SELECT id FROM ov LIMIT ?`, arg)
		if err == nil || !strings.Contains(err.Error(), "LIMIT takes a non-negative integer, not -") {
			t.Errorf("LIMIT ? with %v: %v", arg, err)
		}
	}
}
