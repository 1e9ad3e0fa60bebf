package astrasql_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/astrasql/astrasql/planner"
)

// Issue 12 item 11: strings are standard (a backslash is a backslash, ”
// is a quote) and LIKE escapes with a backslash by default, or with the
// character an ESCAPE clause names.
func TestStandardStringsAndLike(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE lk (id int PRIMARY KEY, s text)`)
	e2eExec(t, db, `INSERT INTO lk (id, s) VALUES (1, 'test_1'), (2, 'testA'), (3, 'tests'), (4, 'C:\new\table'), (5, 'it''s'), (6, '50%'), (7, '50!')`)
	if got := e2eQuery(t, db, `SELECT s FROM lk WHERE id = 4`); len(got) != 1 || got[0] != `C:\new\table` {
		t.Fatalf(`'C:\new\table' stored as %q`, got)
	}
	if got := e2eQuery(t, db, `SELECT id FROM lk WHERE s = 'it''s'`); len(got) != 1 || got[0] != "5" {
		t.Fatalf(`'it''s': %q`, got)
	}
	cases := []struct {
		q    string
		want string
	}{
		{`SELECT id FROM lk WHERE s LIKE 'test\_%' ORDER BY id`, "1"},
		{`SELECT id FROM lk WHERE s LIKE 'test_%' ORDER BY id`, "1,2,3"},
		{`SELECT id FROM lk WHERE s LIKE 'test!_%' ESCAPE '!' ORDER BY id`, "1"},
		{`SELECT id FROM lk WHERE s LIKE '50\%' ORDER BY id`, "6"},
		{`SELECT id FROM lk WHERE s LIKE '50%' ORDER BY id`, "6,7"},
		{`SELECT id FROM lk WHERE s LIKE 'C:\\new%' ORDER BY id`, "4"},
		{`SELECT id FROM lk WHERE s NOT LIKE 'test\_%' AND s LIKE 'test%' ORDER BY id`, "2,3"},
	}
	for _, c := range cases {
		if got := strings.Join(e2eQuery(t, db, c.q), ","); got != c.want {
			t.Errorf("%s: got %s, want %s", c.q, got, c.want)
		}
	}
	res := e2eExec(t, db, `DELETE FROM lk WHERE s LIKE 'test\_%'`)
	if n, err := res.RowsAffected(); err == nil && n != 1 {
		t.Errorf("DELETE ... LIKE 'test\\_%%': RowsAffected %d, want 1", n)
	}
	if got := strings.Join(e2eQuery(t, db, `SELECT id FROM lk WHERE s LIKE 'test%' ORDER BY id`), ","); got != "2,3" {
		t.Errorf("after DELETE: %s, want 2,3", got)
	}
}

// Issue 12 item 13: unquoted identifiers fold to lower case, quoted ones
// keep their case, as in CQL.
func TestIdentifierFolding(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE "CaseT" (id int PRIMARY KEY, v text)`)
	e2eExec(t, db, `CREATE TABLE caset (id int PRIMARY KEY, v text)`)
	e2eExec(t, db, `INSERT INTO "CaseT" (id, v) VALUES (1, 'quoted')`)
	e2eExec(t, db, `INSERT INTO CaseT (id, v) VALUES (1, 'folded')`)
	for q, want := range map[string]string{
		`SELECT v FROM CaseT WHERE ID = 1`:   "folded",
		`SELECT V FROM CASET WHERE id = 1`:   "folded",
		`SELECT v FROM "caset" WHERE id = 1`: "folded",
		`SELECT v FROM "CaseT" WHERE id = 1`: "quoted",
	} {
		if got := strings.Join(e2eQuery(t, db, q), ","); got != want {
			t.Errorf("%s: got %s, want %s", q, got, want)
		}
	}
}

// Issue 12 item 15: USE and SET are refused as not supported, saying what
// to do instead.
func TestUseAndSetUnsupported(t *testing.T) {
	db, _ := e2eOpen(t)
	for q, want := range map[string]string{
		`USE other_keyspace`:         "keyspace=",
		`use other_keyspace;`:        "keyspace=",
		`SET autocommit = 1`:         "DSN",
		`SET NAMES utf8`:             "DSN",
		`EXPLAIN USE other_keyspace`: "keyspace=",
	} {
		_, err := db.Exec(q)
		var ue *planner.UnsupportedError
		if !errors.As(err, &ue) {
			t.Errorf("%s: %v (%T), want *planner.UnsupportedError", q, err, err)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want it to mention %q", q, err, want)
		}
	}
}
