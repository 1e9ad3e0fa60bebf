package sqltest

import (
	"errors"
	"strconv"
	"strings"

	"github.com/astrasql/astrasql"
)

// write runs one random INSERT, UPDATE or DELETE on both sides and
// compares RowsAffected (when astrasql knows it) and the table contents.
func (p *pair) write(g *gen) {
	g.args, g.params = nil, true
	var lq, aq string
	switch g.pick(3) {
	case 0:
		row := g.insertRow(g.pick(6), g.pick(9))
		cols := strings.Join(plainCols, ", ")
		vals := strings.Join(row, ", ")
		// An INSERT naming every column replaces the row on both sides.
		aq = `INSERT INTO t (` + cols + `) VALUES (` + vals + `)`
		lq = `INSERT OR REPLACE INTO t (` + cols + `) VALUES (` + vals + `)`
	case 1:
		var sets []string
		for _, c := range columns[2+g.pick(len(columns)-2):] {
			if g.chance(0.5) || len(sets) == 0 {
				v := g.value(c.kind, true)
				if c.name == "i" && g.chance(0.3) {
					v = "i + 1"
				}
				sets = append(sets, c.name+" = "+v)
			}
		}
		aq = `UPDATE t SET ` + strings.Join(sets, ", ") + ` WHERE ` + g.pred(2).String()
		lq = aq
	default:
		w := ""
		if g.chance(0.95) {
			w = ` WHERE ` + g.pred(2).String()
		}
		aq = `DELETE FROM t` + w
		lq = aq
	}
	p.stmts++
	if reason := skipped(aq); reason != "" {
		p.skipped++
		return
	}
	args := g.args
	ar, aerr := p.astr.Exec(aq, args...)
	if aerr != nil {
		p.refused++
		p.refusals[refusalKey(aerr)]++
		return
	}
	lr, lerr := p.lite.Exec(lq, args...)
	if lerr != nil {
		p.t.Fatalf("SQLite refused a generated statement (generator bug): %s: %v", lq, lerr)
	}
	ln, _ := lr.RowsAffected()
	an, err := ar.RowsAffected()
	switch {
	case errors.Is(err, astrasql.ErrRowsAffectedUnknown):
	case err != nil:
		p.t.Errorf("%s: RowsAffected: %v", aq, err)
	case an != ln && !strings.HasPrefix(aq, "INSERT"):
		// (An upserting INSERT reports the rows written: 1.)
		p.fails++
		p.t.Errorf("wrong RowsAffected\n  statement: %s\n  args: %v\n  sqlite: %d  astrasql: %d", aq, args, ln, an)
	}
	p.compareTables(aq, args)
}

// compareTables compares both tables whole after a write.
func (p *pair) compareTables(after ...any) {
	q := `SELECT ` + strings.Join(plainCols, ", ") + ` FROM t ORDER BY k, c`
	l, a := run(p.lite, q, nil), run(p.astr, q, nil)
	if l.err != nil || a.err != nil || !same(l, a, true) {
		p.broken = true
		p.t.Errorf("tables differ after %v\n  sqlite:   %s\n  astrasql: %s\n  %s", after, l, a, diffRows(l.rows, a.rows))
	}
}

// diffRows lists the rows only one side has.
func diffRows(l, a []string) string {
	in := func(s []string, x string) bool {
		for _, y := range s {
			if y == x {
				return true
			}
		}
		return false
	}
	var b strings.Builder
	for _, r := range l {
		if !in(a, r) {
			b.WriteString("only in sqlite: " + r + "\n  ")
		}
	}
	for _, r := range a {
		if !in(l, r) {
			b.WriteString("only in astrasql: " + r + "\n  ")
		}
	}
	return b.String() + "(" + strconv.Itoa(len(l)) + " vs " + strconv.Itoa(len(a)) + " rows)"
}
