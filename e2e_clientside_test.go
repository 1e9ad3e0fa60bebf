package astrasql_test

import (
	"database/sql"
	"fmt"
	"math/big"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
)

// item is one row of the client-side test table, kept in Go to compute
// the expected answers.
type item struct {
	id    int64
	cat   string
	name  string
	price string // decimal
	qty   *int64
	score *float64
	note  *string
}

// loadItems creates items and fills it with n deterministic rows.
func loadItems(t *testing.T, db *sql.DB, n int) []item {
	t.Helper()
	mustExec(t, db, `CREATE TABLE items (id int PRIMARY KEY, cat text, name text, price decimal, qty int, score double, note text)`)
	r := rand.New(rand.NewPCG(5, 6))
	words := []string{"apple", "apricot", "banana", "blueberry", "cherry", "Avocado", "date", "a_b%c"}
	var items []item
	var sqlRows []string
	var args []any
	for i := 0; i < n; i++ {
		it := item{id: int64(i), cat: string(rune('a' + r.IntN(4))), name: words[r.IntN(len(words))],
			price: fmt.Sprintf("%d.%02d", r.IntN(100), r.IntN(100))}
		if r.IntN(8) > 0 {
			q := int64(r.IntN(40))
			it.qty = &q
		}
		if r.IntN(6) > 0 {
			s := float64(r.IntN(1000)) / 10
			it.score = &s
		}
		if r.IntN(3) == 0 {
			s := "note " + it.name
			it.note = &s
		}
		items = append(items, it)
		sqlRows = append(sqlRows, "(?, ?, ?, ?, ?, ?, ?)")
		var qty, score, note any
		if it.qty != nil {
			qty = *it.qty
		}
		if it.score != nil {
			score = *it.score
		}
		if it.note != nil {
			note = *it.note
		}
		args = append(args, it.id, it.cat, it.name, it.price, qty, score, note)
		if len(sqlRows) == 50 || i == n-1 {
			mustExec(t, db, "INSERT INTO items (id, cat, name, price, qty, score, note) VALUES "+strings.Join(sqlRows, ", "), args...)
			sqlRows, args = nil, nil
		}
	}
	return items
}

func ids(items []item) []string {
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprint(it.id))
	}
	return out
}

func filterItems(items []item, keep func(item) bool) []item {
	var out []item
	for _, it := range items {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out
}

func likePrefix(s, p string) bool { return strings.HasPrefix(s, p) }

func TestClientSideSteps(t *testing.T) {
	db := openDDL(t)
	items := loadItems(t, db, 300)

	check := func(q string, want []string, args ...any) {
		t.Helper()
		got := queryStrings(t, db, q, args...)
		if join(got) != join(want) {
			t.Errorf("%s\n got %d rows: %.300v\nwant %d rows: %.300v", q, len(got), got, len(want), want)
		}
	}

	// Residual predicates (ids sorted client-side: ORDER BY the partition key).
	check(`SELECT id FROM items WHERE name LIKE 'a%' ORDER BY id`,
		ids(filterItems(items, func(it item) bool { return likePrefix(it.name, "a") })))
	check(`SELECT id FROM items WHERE name LIKE 'a\_b\%%' ORDER BY id`,
		ids(filterItems(items, func(it item) bool { return it.name == "a_b%c" })))
	check(`SELECT id FROM items WHERE name NOT LIKE '%e%' ORDER BY id`,
		ids(filterItems(items, func(it item) bool { return !strings.Contains(it.name, "e") })))
	check(`SELECT id FROM items WHERE note IS NULL ORDER BY id`,
		ids(filterItems(items, func(it item) bool { return it.note == nil })))
	check(`SELECT id FROM items WHERE qty IS NOT NULL AND qty * 10 > id ORDER BY id`,
		ids(filterItems(items, func(it item) bool { return it.qty != nil && *it.qty*10 > it.id })))
	check(`SELECT id FROM items WHERE qty > id % 40 ORDER BY id`,
		ids(filterItems(items, func(it item) bool { return it.qty != nil && *it.qty > it.id%40 })))
	check(`SELECT id FROM items WHERE upper(cat) = 'B' AND qty >= ? ORDER BY id`,
		ids(filterItems(items, func(it item) bool { return it.cat == "b" && it.qty != nil && *it.qty >= 20 })), 20)
	check(`SELECT id FROM items WHERE length(name) = 6 OR coalesce(qty, -1) = -1 ORDER BY id`,
		ids(filterItems(items, func(it item) bool { return len(it.name) == 6 || it.qty == nil })))
	check(`SELECT id FROM items WHERE substring(name, 1, 2) = 'ap' AND round(score) >= 50 ORDER BY id`,
		ids(filterItems(items, func(it item) bool {
			return strings.HasPrefix(it.name, "ap") && it.score != nil && float64(int64(*it.score+0.5)) >= 50
		})))
	check(`SELECT id FROM items WHERE price > 50.5 ORDER BY id`,
		ids(filterItems(items, func(it item) bool {
			r, _ := new(big.Rat).SetString(it.price)
			return r.Cmp(big.NewRat(101, 2)) > 0
		})))

	// ORDER BY the server cannot do: top-k with LIMIT, NULLs first ascending.
	byScore := append([]item(nil), items...)
	sort.SliceStable(byScore, func(i, j int) bool {
		a, b := byScore[i].score, byScore[j].score
		if (a == nil) != (b == nil) {
			return b == nil // NULL last descending
		}
		if a != nil && *a != *b {
			return *a > *b
		}
		return byScore[i].id < byScore[j].id
	})
	check(`SELECT id FROM items ORDER BY score DESC, id LIMIT 10`, ids(byScore[:10]))
	check(`SELECT id FROM items ORDER BY score DESC, id`, ids(byScore))
	byQty := append([]item(nil), items...)
	sort.SliceStable(byQty, func(i, j int) bool {
		a, b := byQty[i].qty, byQty[j].qty
		if (a == nil) != (b == nil) {
			return a == nil // NULL first ascending
		}
		if a != nil && *a != *b {
			return *a < *b
		}
		return byQty[i].id < byQty[j].id
	})
	check(`SELECT id FROM items ORDER BY qty, id LIMIT 5 OFFSET 10`, ids(byQty[10:15]))
	check(`SELECT id FROM items ORDER BY qty, id LIMIT 5 OFFSET 295`, ids(byQty[295:]))

	// DISTINCT.
	cats := map[string]bool{}
	for _, it := range items {
		cats[it.cat] = true
	}
	var catList []string
	for c := range cats {
		catList = append(catList, c)
	}
	sort.Strings(catList)
	check(`SELECT DISTINCT cat FROM items ORDER BY cat`, catList)

	// GROUP BY, aggregates, HAVING.
	type agg struct {
		n, nNote, nQty, sumQty int64
		minQty, maxQty         *int64
		sumPrice               *big.Rat
		names                  map[string]bool
	}
	groups := map[string]*agg{}
	for _, it := range items {
		g := groups[it.cat]
		if g == nil {
			g = &agg{sumPrice: new(big.Rat), names: map[string]bool{}}
			groups[it.cat] = g
		}
		g.n++
		g.names[it.name] = true
		if it.note != nil {
			g.nNote++
		}
		if it.qty != nil {
			q := *it.qty
			g.nQty++
			g.sumQty += q
			if g.minQty == nil || q < *g.minQty {
				g.minQty = &q
			}
			if g.maxQty == nil || q > *g.maxQty {
				g.maxQty = &q
			}
		}
		p, _ := new(big.Rat).SetString(it.price)
		g.sumPrice.Add(g.sumPrice, p)
	}
	var want []string
	var total int64
	for _, c := range catList {
		g := groups[c]
		total += g.n
		if g.n <= 60 {
			continue
		}
		avg := float64(g.sumQty) / float64(g.nQty)
		want = append(want, fmt.Sprintf("%s|%d|%d|%d|%d|%d|%s|%d|%v", c, g.n, g.nNote, len(g.names), g.sumQty,
			*g.minQty, strings.TrimRight(strings.TrimRight(g.sumPrice.FloatString(2), "0"), "."), *g.maxQty, avg))
	}
	check(`SELECT cat, COUNT(*), COUNT(note), COUNT(DISTINCT name), SUM(qty), MIN(qty), SUM(price), MAX(qty), AVG(qty)
		FROM items GROUP BY cat HAVING COUNT(*) > 60 ORDER BY cat`, want)
	check(`SELECT COUNT(*) FROM items`, []string{fmt.Sprint(total)})
	check(`SELECT COUNT(*) AS n FROM items WHERE name LIKE 'b%'`,
		[]string{fmt.Sprint(len(filterItems(items, func(it item) bool { return likePrefix(it.name, "b") })))})
}

// TestExplainClientSide: EXPLAIN names each client-side step and why.
func TestExplainClientSide(t *testing.T) {
	db := openDDL(t)
	loadItems(t, db, 1)
	for q, wants := range map[string][]string{
		`EXPLAIN SELECT id FROM items WHERE name LIKE 'a%' AND qty > 3`: {`"qty":{"$gt":3}`, "filter", "like 'a%'"},
		`EXPLAIN SELECT id FROM items ORDER BY score DESC LIMIT 10`:     {"sort", "10"},
		`EXPLAIN SELECT DISTINCT cat FROM items`:                        {"distinct"},
		`EXPLAIN SELECT cat, COUNT(*) FROM items GROUP BY cat`:          {"aggregate", "GROUP BY"},
		`EXPLAIN SELECT id FROM items ORDER BY id LIMIT 5 OFFSET 10`:    {"sort", "limit"},
		// The filter's reason, the predicted server warnings, named sort keys.
		`EXPLAIN SELECT id FROM items WHERE name LIKE 'a%'`:          {"LIKE cannot be expressed as a Data API filter", "ZERO_FILTER_OPERATIONS"},
		`EXPLAIN SELECT id FROM items WHERE qty > 3`:                 {"MISSING_INDEX on qty"},
		`EXPLAIN SELECT id, name FROM items ORDER BY name DESC, qty`: {"ORDER BY name DESC, qty"},
	} {
		got := join(queryStrings(t, db, q))
		for _, w := range wants {
			if !strings.Contains(strings.ToLower(got), strings.ToLower(w)) {
				t.Errorf("%s: %q missing in\n%s", q, w, got)
			}
		}
	}
}

// TestClientSideContains: CONTAINS under OR is evaluated by the driver
// over list, set and map values.
func TestClientSideContains(t *testing.T) {
	db := openDDL(t)
	mustExec(t, db, `CREATE TABLE c (id int PRIMARY KEY, tags set<text>, m map<text, int>, l list<int>, name text)`)
	mustExec(t, db, `INSERT INTO c (id, tags, m, l, name) VALUES (1, {'a','b'}, {'k': 1}, [1,2], 'x'),
		(2, {'c'}, {'z': 2}, [3], 'y'), (3, NULL, NULL, NULL, 'ax')`)
	for q, want := range map[string]string{
		`SELECT id FROM c WHERE tags CONTAINS 'a' OR name LIKE 'y%' ORDER BY id`:     "1\n2",
		`SELECT id FROM c WHERE m CONTAINS KEY 'z' OR name LIKE 'a%' ORDER BY id`:    "2\n3",
		`SELECT id FROM c WHERE l CONTAINS 2 OR id = 3 ORDER BY id`:                  "1\n3",
		`SELECT id, length(l) FROM c ORDER BY id`:                                    "1|2\n2|1\n3|NULL",
		`SELECT id FROM c WHERE NOT (tags CONTAINS 'c') OR tags IS NULL ORDER BY id`: "1\n3",
	} {
		if got := join(queryStrings(t, db, q)); got != want {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
	}
	// EXPLAIN shows CONTAINS as written, not the driver's internal rewrite.
	got := join(queryStrings(t, db, `EXPLAIN SELECT id FROM c WHERE tags CONTAINS 'a' OR m CONTAINS KEY ? OR name LIKE 'y%'`, "k"))
	for _, w := range []string{"tags CONTAINS 'a'", "m CONTAINS KEY $1", "LIKE cannot be expressed"} {
		if !strings.Contains(got, w) {
			t.Errorf("EXPLAIN: %q missing in\n%s", w, got)
		}
	}
	if strings.Contains(got, "_astra") {
		t.Errorf("EXPLAIN shows the internal rewrite:\n%s", got)
	}
}
