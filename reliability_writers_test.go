package astrasql_test

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest/faultproxy"
)

// TestConcurrentWritersReportsMatchServer: writers run at once through a
// proxy that loses, refuses and delays some of their requests; afterwards
// every report is checked against what the server holds:
//
//   - a multi-row INSERT (keys repeated inside it): each key holds the
//     value of its last row reported inserted; a key with no row inserted
//     and one unknown holds nothing or an unknown row's value; otherwise
//     nothing. Written counts the inserted rows; success means all of them;
//   - a per-row UPDATE or DELETE: PartialWriteError's Done <= rows changed
//     <= Done + Unknown; success means RowsAffected == rows changed == all.
//
// Writers use disjoint keys so that each report can be checked exactly.
func TestConcurrentWritersReportsMatchServer(t *testing.T) {
	plain, srv := e2eOpen(t)
	e2eExec(t, plain, `CREATE TABLE cw (id int PRIMARY KEY, g int, v text)`)
	e2eExec(t, plain, `CREATE INDEX cw_g ON cw (g)`)
	p, err := faultproxy.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	db := e2eOpenDSN(t, p.URL, "&retries=1&timeout=2s&insert_chunk_size=20&insert_concurrency=8&write_concurrency=4")

	const (
		inserters = 4
		insRows   = 300
		updRows   = 80
		delRows   = 80
		rounds    = 3
	)
	var sawPartial, sawInsertErr, sawUnknown int
	for round := 0; round < rounds; round++ {
		// Fresh faults each round: one chunk of inserter 1 is always
		// refused with 503 (not applied, but the driver cannot know), one
		// of inserter 2 is executed and its answer always lost; one
		// updateOne is always refused (429: not applied) while the others
		// are slowed (executed, answered late); one deleteOne is executed
		// and its answer always lost.
		base := (round + 1) * 100_000
		p.Set(
			faultproxy.Fault{Kind: faultproxy.Status503, Match: faultproxy.Match{Command: "insertMany", BodyContains: fmt.Sprintf(`"r%dw1-40"`, round), Times: -1}},
			faultproxy.Fault{Kind: faultproxy.ResetBeforeResponse, Forward: true, Match: faultproxy.Match{Command: "insertMany", BodyContains: fmt.Sprintf(`"r%dw2-100"`, round), Times: -1}},
			faultproxy.Fault{Kind: faultproxy.Status429, Match: faultproxy.Match{Command: "updateOne", BodyContains: fmt.Sprintf(`"filter":{"id":%d}`, base+90_000+30+round), Times: -1}},
			faultproxy.Fault{Kind: faultproxy.Slow, Forward: true, Delay: 50 * time.Millisecond, Match: faultproxy.Match{Command: "updateOne", Times: -1}},
			faultproxy.Fault{Kind: faultproxy.ResetBeforeResponse, Forward: true, Match: faultproxy.Match{Command: "deleteOne", BodyContains: fmt.Sprintf(`"filter":{"id":%d}`, base+95_000+20+round), Times: -1}},
			faultproxy.Fault{Kind: faultproxy.Slow, Forward: true, Delay: 30 * time.Millisecond, Match: faultproxy.Match{Command: "deleteOne", Times: -1}},
		)
		gUpd, gDel := base+1, base+2
		seed := func(g, n, off int) {
			var q strings.Builder
			q.WriteString(`INSERT INTO cw (id, g, v) VALUES `)
			for i := 0; i < n; i++ {
				if i > 0 {
					q.WriteString(", ")
				}
				fmt.Fprintf(&q, "(%d, %d, 'seed')", base+off+i, g)
			}
			e2eExec(t, plain, q.String())
		}
		seed(gUpd, updRows, 90_000)
		seed(gDel, delRows, 95_000)

		var wg sync.WaitGroup
		var mu sync.Mutex
		count := func(partial, insErr, unknown int) {
			mu.Lock()
			sawPartial += partial
			sawInsertErr += insErr
			sawUnknown += unknown
			mu.Unlock()
		}
		for w := 0; w < inserters; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ie, unknown := checkInsertReport(t, db, plain, base+w*10_000, insRows, fmt.Sprintf("r%dw%d", round, w))
				count(0, ie, unknown)
			}()
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			tag := fmt.Sprintf("upd%d", round)
			res, err := db.Exec(`UPDATE cw SET v = ? WHERE g = ?`, tag, gUpd)
			changed := len(e2eQuery(t, plain, `SELECT id FROM cw WHERE g = ? AND v = ?`, gUpd, tag))
			count(checkPerRowReport(t, "UPDATE", res, err, changed, updRows))
		}()
		go func() {
			defer wg.Done()
			res, err := db.Exec(`DELETE FROM cw WHERE g = ?`, gDel)
			deleted := delRows - len(e2eQuery(t, plain, `SELECT id FROM cw WHERE g = ?`, gDel))
			count(checkPerRowReport(t, "DELETE", res, err, deleted, delRows))
		}()
		wg.Wait()
	}
	t.Logf("partial writes %d, insert errors %d, unknown rows %d; proxy faults %v", sawPartial, sawInsertErr, sawUnknown, p.Counts())
	if sawPartial == 0 || sawInsertErr == 0 || sawUnknown == 0 {
		t.Errorf("the faults did not exercise the reports (partial %d, insert errors %d, unknown %d)", sawPartial, sawInsertErr, sawUnknown)
	}
}

// checkInsertReport inserts n rows from id base (every 25th row repeats an
// earlier row's key) and checks the outcome against the server. It returns
// 1 if the INSERT failed, and how many rows were unknown.
func checkInsertReport(t *testing.T, db, plain *sql.DB, base, n int, tag string) (int, int) {
	ids := make([]int, n)
	vals := make([]string, n)
	var q strings.Builder
	q.WriteString(`INSERT INTO cw (id, g, v) VALUES `)
	for i := range ids {
		ids[i], vals[i] = base+i, fmt.Sprintf("%s-%d", tag, i)
		if i%25 == 24 {
			ids[i] = base + i - 17
		}
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "(%d, 0, '%s')", ids[i], vals[i])
	}
	status := make([]string, n)
	res, err := db.Exec(q.String())
	failed, unknown := 0, 0
	switch ie := (*astrasql.InsertError)(nil); {
	case err == nil:
		if got, _ := res.RowsAffected(); got != int64(n) {
			t.Errorf("%s: RowsAffected %d, want %d", tag, got, n)
		}
		for i := range status {
			status[i] = "inserted"
		}
	case errors.As(err, &ie) && len(ie.Rows) == n:
		failed = 1
		written := int64(0)
		for i, r := range ie.Rows {
			status[i] = r.Status
			switch r.Status {
			case "inserted":
				written++
			case "unknown":
				unknown++
			}
		}
		if written != ie.Written {
			t.Errorf("%s: Written %d, but %d rows say inserted", tag, ie.Written, written)
		}
	default:
		t.Errorf("%s: error %v is not an *InsertError accounting for %d rows", tag, err, n)
		return 1, 0
	}
	held := map[int]string{}
	rows, err := plain.Query(`SELECT id, v FROM cw WHERE id >= ? AND id < ?`, base, base+n)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		held[id] = v
	}
	rows.Close()
	byKey := map[int][]int{}
	for i, id := range ids {
		byKey[id] = append(byKey[id], i)
	}
	for id, idx := range byKey {
		v, ok := held[id]
		lastInserted, unknownVals := -1, map[string]bool{}
		for _, i := range idx {
			switch status[i] {
			case "inserted":
				lastInserted = i
			case "unknown":
				unknownVals[vals[i]] = true
			}
		}
		switch {
		case lastInserted >= 0:
			want := vals[lastInserted]
			if idx[len(idx)-1] != lastInserted && !strings.HasPrefix(status[idx[len(idx)-1]], "failed") {
				t.Errorf("%s: key %d: a row after the last inserted one is %s", tag, id, status[idx[len(idx)-1]])
			}
			if !ok || v != want {
				t.Errorf("%s: key %d reported inserted as %q; the server holds %q (present %v)", tag, id, want, v, ok)
			}
		case len(unknownVals) > 0:
			if ok && !unknownVals[v] {
				t.Errorf("%s: key %d unknown; the server holds %q, no row's value", tag, id, v)
			}
		default:
			if ok {
				t.Errorf("%s: key %d reported not written; the server holds %q", tag, id, v)
			}
		}
	}
	return failed, unknown
}

// checkPerRowReport checks a per-row UPDATE or DELETE's report against the
// rows the server shows changed. It returns 1 if it stopped part way, and
// its Unknown count.
func checkPerRowReport(t *testing.T, what string, res sql.Result, err error, changed, total int) (int, int, int) {
	if err == nil {
		if n, _ := res.RowsAffected(); n != int64(changed) || changed != total {
			t.Errorf("%s: RowsAffected %d, the server changed %d of %d", what, n, changed, total)
		}
		return 0, 0, 0
	}
	var pe *astrasql.PartialWriteError
	if !errors.As(err, &pe) {
		t.Errorf("%s: error %v, want a *PartialWriteError", what, err)
		return 0, 0, 0
	}
	if int64(changed) < pe.Done || int64(changed) > pe.Done+pe.Unknown {
		t.Errorf("%s: the server changed %d rows; the report says %d done and %d unknown: %v", what, changed, pe.Done, pe.Unknown, err)
	}
	return 1, 0, int(pe.Unknown)
}
