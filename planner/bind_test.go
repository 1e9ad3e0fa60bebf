package planner

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/astrasql/astrasql/typesmap"
)

// recorder is an Executor that records commands and returns no rows. A
// chunked IN's finds are opened concurrently, so it locks, and their order
// is not the statement's.
type recorder struct {
	mu   sync.Mutex
	cmds []string
}

func (r *recorder) record(c *Command) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cmds = append(r.cmds, c.JSON(false))
}

func (r *recorder) Read(_ context.Context, c *Command) (RowIter, error) {
	r.record(c)
	return NewSliceIter(nil), nil
}

func (r *recorder) InsertMany(_ context.Context, c *Command) (int64, error) {
	r.record(c)
	return int64(len(c.Documents)), nil
}

func (r *recorder) Do(_ context.Context, c *Command) (json.RawMessage, error) {
	r.record(c)
	return nil, nil
}

func runWith(t *testing.T, sql string, args ...Arg) ([]string, error) {
	t.Helper()
	st, err := Parse(sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	p, err := st.Plan(schema)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	r := &recorder{}
	res, err := p.Run(context.Background(), r, args)
	if err == nil && res.Rows != nil {
		// Read to the end: chunked finds are sent as the rows are read.
		for {
			if _, err := res.Rows.Next(); err != nil {
				break
			}
		}
		res.Rows.Close()
	}
	return r.cmds, err
}

func pos(vals ...any) []Arg {
	out := make([]Arg, len(vals))
	for i, v := range vals {
		out[i] = Arg{Value: v}
	}
	return out
}

func TestBindCommands(t *testing.T) {
	many := make([]int, 250)
	for i := range many {
		many[i] = i
	}
	cases := []struct {
		sql  string
		args []Arg
		want string // substring of the joined commands
	}{
		{"SELECT id FROM users WHERE age IN (?)", pos(many),
			`{"find":{"filter":{"age":{"$in":[0,1,2,3,4,5,6,7,8,9,10,`},
		// Under OR the $or of $in chunks stays.
		{"SELECT id FROM users WHERE age IN (?) OR name = 'x'", pos(many),
			`{"$or":[{"$or":[{"age":{"$in":[0,1,2,`},
		{"SELECT id FROM users WHERE age NOT IN (?)", pos(many),
			`{"$and":[{"age":{"$nin":[0,`},
		{"SELECT id FROM users WHERE age IN (?) AND name = 'x'", pos([]int64{1, 2}),
			`"filter":{"age":{"$in":[1,2]},"name":"x"}`},
		{"SELECT id FROM users WHERE id = :id AND age > :a", []Arg{{Name: "a", Value: 3}, {Name: "id", Value: "k"}},
			`{"findOne":{"filter":{"id":"k","age":{"$gt":3}}`},
		{"SELECT id FROM users ORDER BY v ANN OF ? LIMIT ?", pos([]float64{1, 0, 0}, 2),
			`"sort":{"v":{"$binary":"P4AAAAAAAAAAAAAA"}},"projection":{"id":1},"options":{"limit":2}`},
		{"SELECT id FROM users ORDER BY v ANN OF ?", pos(typesmap.Vector{0, 1, 0}),
			`"sort":{"v":{"$binary":"AAAAAD+AAAAAAAAA"}}`},
		{"UPDATE users SET name = ?, tags = tags + ? WHERE id = ?", pos(nil, []string{"a", "b"}, "k"),
			`"update":{"$unset":{"name":""},"$push":{"tags":{"$each":["a","b"]}}}`},
		{"UPDATE users SET attrs = attrs + ? WHERE id = ?", pos(map[string]string{"x": "y"}, "k"),
			`"$push":{"attrs":{"$each":[["x","y"]]}}`},
		{"INSERT INTO users (id, big, v) VALUES (?, ?, ?)", pos("k", "123456789012345678901234567890", []float32{1, 2, 3}),
			`{"id":"k","big":123456789012345678901234567890,"v":{"$binary":"P4AAAEAAAABAQAAA"}}`},
		{"DELETE FROM users WHERE id = ?", pos("k"),
			`{"findOne":{"filter":{"id":"k"},"projection":{"id":1}}}`}, // no row: no deleteOne
	}
	for _, c := range cases {
		cmds, err := runWith(t, c.sql, c.args...)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if got := strings.Join(cmds, "\n"); !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.sql, got, c.want)
		}
	}
	// 250 values: one find per chunk of 100, 100, 50, each with the rest
	// of the filter; duplicates dropped (no row read twice).
	withDup := append(append([]int(nil), many...), 7, 150, 249)
	cmds, _ := runWith(t, "SELECT id FROM users WHERE age IN (?) AND name = 'x'", pos(withDup)...)
	if len(cmds) != 3 {
		t.Fatalf("IN of 250 values: %d finds, want 3: %s", len(cmds), cmds)
	}
	slices.SortFunc(cmds, func(a, b string) int { return len(b) - len(a) }) // sent concurrently: the 50-value find last
	for i, want := range []int{100, 100, 50} {
		var c struct {
			Find struct {
				Filter struct {
					Age  map[string][]int `json:"age"`
					Name string           `json:"name"`
				} `json:"filter"`
			} `json:"find"`
		}
		if err := json.Unmarshal([]byte(cmds[i]), &c); err != nil {
			t.Fatal(err)
		}
		if got := len(c.Find.Filter.Age["$in"]); got != want || c.Find.Filter.Name != "x" {
			t.Errorf("find %d: %d values (want %d), name %q: %s", i+1, got, want, c.Find.Filter.Name, cmds[i])
		}
	}
	// Literal lists too.
	var lits []string
	for i := 0; i < 150; i++ {
		lits = append(lits, strconv.Itoa(i))
	}
	cmds, _ = runWith(t, "SELECT id FROM users WHERE age IN ("+strings.Join(lits, ", ")+")")
	if len(cmds) != 2 || strings.Contains(cmds[0], "$or") {
		t.Errorf("IN of 150 literals: %s", cmds)
	}
}

func TestBindErrors(t *testing.T) {
	cases := []struct {
		sql  string
		args []Arg
		want string
	}{
		{"SELECT id FROM users WHERE age = ?", nil, "takes 1 argument(s), got 0"},
		{"SELECT id FROM users WHERE age = ?", pos(1, 2), "takes 1 argument(s), got 2"},
		{"SELECT id FROM users WHERE age = ?", pos("old"), `argument $1 for column "age" (int)`},
		{"SELECT id FROM users WHERE age = :age", []Arg{{Name: "age", Value: int64(1) << 40}}, `argument $1 (:age) for column "age" (int)`},
		{"SELECT id FROM users WHERE age = :age", []Arg{{Name: "nope", Value: 1}}, `"nope" matches no placeholder`},
		{"SELECT id FROM users WHERE age = ?", pos(nil), "use IS NULL"},
		{"INSERT INTO users (id, v) VALUES (?, ?)", pos("k", []float32{1, 2}), `argument $2 for column "v" (vector<float, 3>)`},
		{"INSERT INTO users (id, name) VALUES (?, ?)", pos(nil, "x"), "primary key column cannot be NULL"},
		{"SELECT id FROM users LIMIT ?", pos("x"), "LIMIT takes a non-negative integer"},
		{"SELECT id FROM users ORDER BY v ANN OF ? LIMIT ?", pos([]float32{1, 2, 3}, 5000), "at most LIMIT 1000"},
	}
	for _, c := range cases {
		cmds, err := runWith(t, c.sql, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.sql, err, c.want)
		}
		if len(cmds) > 0 {
			t.Errorf("%s: commands were sent despite a bad argument: %v", c.sql, cmds)
		}
		var ae *ArgumentError
		if strings.Contains(c.want, "argument $") && !errors.As(err, &ae) {
			t.Errorf("%s: %T is not an *ArgumentError", c.sql, err)
		}
	}
}
