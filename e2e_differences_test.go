package astrasql_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/astrasql/astrasql"
)

// TestDifferencesFromStandardSQL pins each difference that README.md's
// section "Differences from standard SQL" lists.
func TestDifferencesFromStandardSQL(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE diff (k int, c int, zeta text, alpha int, PRIMARY KEY ((k), c))`)
	e2eExec(t, db, `INSERT INTO diff (k, c, zeta, alpha) VALUES (1, 1, 'z', 10), (1, 2, 'y', 20)`)

	// SELECT *: key columns (partition, then clustering) first, then the
	// others by name, not the CREATE TABLE order.
	rows, err := db.Query(`SELECT * FROM diff WHERE k = 1 AND c = 1`)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	rows.Close()
	if got := strings.Join(cols, ","); got != "k,c,alpha,zeta" {
		t.Errorf("SELECT * columns: %s", got)
	}

	// INSERT of an existing key overwrites the columns it names (upsert),
	// where standard SQL fails on a duplicate key.
	e2eExec(t, db, `INSERT INTO diff (k, c, zeta) VALUES (1, 1, 'new')`)
	if got := strings.Join(e2eQuery(t, db, `SELECT zeta, alpha FROM diff WHERE k = 1 AND c = 1`), ","); got != "new|10" {
		t.Errorf("INSERT over an existing key: %s, want new|10", got)
	}

	// UPDATE naming a whole primary key writes the row even when it does
	// not exist (Cassandra upserts); standard SQL updates nothing.
	e2eExec(t, db, `UPDATE diff SET zeta = 'made' WHERE k = 2 AND c = 1`)
	if got := strings.Join(e2eQuery(t, db, `SELECT zeta FROM diff WHERE k = 2`), ","); got != "made" {
		t.Errorf("UPDATE of a missing key: %q, want the row written", got)
	}

	// DELETE by partition key: the server does not count the rows.
	res := e2eExec(t, db, `DELETE FROM diff WHERE k = 2`)
	if _, err := res.RowsAffected(); !errors.Is(err, astrasql.ErrRowsAffectedUnknown) {
		t.Errorf("DELETE by partition: RowsAffected error %v, want ErrRowsAffectedUnknown", err)
	}

	// NULL sorts first ascending, last descending.
	e2eExec(t, db, `INSERT INTO diff (k, c) VALUES (1, 3)`)
	if got := strings.Join(e2eQuery(t, db, `SELECT c FROM diff WHERE k = 1 ORDER BY alpha`), ","); got != "3,1,2" {
		t.Errorf("ORDER BY alpha with a NULL: %s, want 3,1,2", got)
	}
	if got := strings.Join(e2eQuery(t, db, `SELECT c FROM diff WHERE k = 1 ORDER BY alpha DESC`), ","); got != "2,1,3" {
		t.Errorf("ORDER BY alpha DESC with a NULL: %s, want 2,1,3", got)
	}

	// Empty collections are NULL: pinned by TestAcceptedLiteralForms.
	// Strings are standard, LIKE escapes with a backslash, unquoted names
	// fold to lower case, timestamps without a zone are UTC: pinned by
	// TestStandardStringsAndLike, TestIdentifierFolding and
	// TestAcceptedLiteralForms.
}
