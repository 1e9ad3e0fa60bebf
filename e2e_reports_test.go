package astrasql_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest/faultproxy"
)

// TestInsertErrorRefusedRowsFailed: a row the server refuses before
// writing it ("Key may not be empty", INVALID_DATABASE_QUERY) is failed,
// not unknown; the others are inserted.
func TestInsertErrorRefusedRowsFailed(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE ek (k text PRIMARY KEY, v int)`)
	_, err := db.Exec(`INSERT INTO ek (k, v) VALUES ('a', 1), ('', 2), ('b', 3)`)
	var ie *astrasql.InsertError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v, want an *InsertError", err)
	}
	var got []string
	for _, r := range ie.Rows {
		got = append(got, fmt.Sprintf("%d:%s", r.Row, r.Status))
	}
	if strings.Join(got, " ") != "1:inserted 2:failed 3:inserted" || ie.Written != 2 {
		t.Errorf("rows %v, written %d; want row 2 failed", got, ie.Written)
	}
	if !strings.Contains(ie.Rows[1].Err.Error(), "Key may not be empty") {
		t.Errorf("row 2: %v", ie.Rows[1].Err)
	}
}

// TestPartialWriteErrorInFlightUnknown: when one updateOne of a per-row
// UPDATE fails, those in flight at that moment complete on the server;
// PartialWriteError counts them as Unknown, not as not written, and Done
// only counts confirmed rows: Done <= rows changed <= Done + Unknown.
func TestPartialWriteErrorInFlightUnknown(t *testing.T) {
	_, srv := e2eOpen(t)
	plain := e2eOpenDSN(t, srv.URL, "")
	e2eExec(t, plain, `CREATE TABLE pw (id int PRIMARY KEY, g int, s text)`)
	var q strings.Builder
	q.WriteString(`INSERT INTO pw (id, g, s) VALUES `)
	for i := 0; i < 60; i++ {
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "(%d, 0, 'old')", i)
	}
	e2eExec(t, plain, q.String())
	// The 10th updateOne is refused (429, no retries: not applied); every
	// other one is executed by the server, its answer held back.
	p, err := faultproxy.New(srv.URL,
		faultproxy.Fault{Kind: faultproxy.Status429, Match: faultproxy.Match{Command: "updateOne", Nth: 10}},
		faultproxy.Fault{Kind: faultproxy.Slow, Forward: true, Delay: 300 * time.Millisecond, Match: faultproxy.Match{Command: "updateOne", Times: -1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	db := e2eOpenDSN(t, p.URL, "&retries=0&write_concurrency=4")
	_, err = db.Exec(`UPDATE pw SET s = 'new' WHERE g = 0`)
	var pe *astrasql.PartialWriteError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v, want a *PartialWriteError", err)
	}
	changed := int64(len(e2eQuery(t, plain, `SELECT id FROM pw WHERE s = 'new'`)))
	if changed < pe.Done || changed > pe.Done+pe.Unknown {
		t.Errorf("the server holds %d changed rows; the error says %d done, %d unknown: %v", changed, pe.Done, pe.Unknown, err)
	}
	if pe.Unknown == 0 || changed == pe.Done {
		t.Errorf("no row in flight was reported unknown (done %d, unknown %d, changed %d)", pe.Done, pe.Unknown, changed)
	}
	if changed >= 60 {
		t.Errorf("every row changed, though one updateOne was refused")
	}
	if !strings.Contains(err.Error(), "may have been") {
		t.Errorf("message does not say some rows may have been written: %v", err)
	}
}

// TestInsertErrorMessage: the message counts each outcome and never calls
// an unknown row not written.
func TestInsertErrorMessage(t *testing.T) {
	db, _ := e2eOpen(t)
	e2eExec(t, db, `CREATE TABLE em (k text PRIMARY KEY, v int)`)
	_, err := db.Exec(`INSERT INTO em (k, v) VALUES ('a', 1), ('', 2)`)
	if err == nil || !strings.Contains(err.Error(), "wrote 1 of 2 rows (1 failed); not confirmed: row 2 (failed: ") {
		t.Errorf("message: %v", err)
	}
}
