package kv_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	_ "github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/kv"
)

// openDB starts a local Data API server and opens the driver on it.
func openDB(t testing.TB) *sql.DB {
	t.Helper()
	srv := dataapitest.NewServer()
	t.Cleanup(srv.Close)
	return openURL(t, srv.URL)
}

func openURL(t testing.TB, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("astra", url+"?keyspace=default_keyspace&token=local-test-token")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newBytes(t testing.TB, db *sql.DB, opts ...kv.Option) *kv.Store[[]byte] {
	t.Helper()
	s, err := kv.NewBytesStore(context.Background(), db, opts...)
	if err != nil {
		t.Fatalf("NewBytesStore: %v", err)
	}
	return s
}

// collect drains a Keys iterator, sorted.
func collect(t testing.TB, seq func(func(string, error) bool)) []string {
	t.Helper()
	var keys []string
	for k, err := range seq {
		if err != nil {
			t.Fatalf("Keys: %v", err)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func pairs(kvs ...string) []kv.Pair[[]byte] {
	var ps []kv.Pair[[]byte]
	for i := 0; i < len(kvs); i += 2 {
		ps = append(ps, kv.Pair[[]byte]{Key: kvs[i], Value: []byte(kvs[i+1])})
	}
	return ps
}

func TestNewStore(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)

	t.Run("default table", func(t *testing.T) {
		s := newBytes(t, db)
		if s.Table() != "kv_store" {
			t.Errorf("Table() = %q", s.Table())
		}
		newBytes(t, db) // the table exists now: no error
	})
	t.Run("named table in keyspace", func(t *testing.T) {
		s := newBytes(t, db, kv.WithTable("Named_1"), kv.WithKeyspace("default_keyspace"))
		if s.Table() != "default_keyspace.Named_1" {
			t.Errorf("Table() = %q", s.Table())
		}
		if err := s.MSet(ctx, pairs("k", "v")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("without create, missing table", func(t *testing.T) {
		_, err := kv.NewBytesStore(ctx, db, kv.WithTable("absent"), kv.WithoutCreate())
		if err == nil || !strings.Contains(err.Error(), "absent") {
			t.Errorf("err = %v, want an error naming the table", err)
		}
	})
	t.Run("without create, existing table", func(t *testing.T) {
		newBytes(t, db, kv.WithTable("exists"))
		newBytes(t, db, kv.WithTable("exists"), kv.WithoutCreate())
	})
	t.Run("wrong value type", func(t *testing.T) {
		newBytes(t, db, kv.WithTable("bytes_table"))
		_, err := kv.NewJSONStore[any](ctx, db, kv.WithTable("bytes_table"))
		if err == nil || !strings.Contains(err.Error(), "BLOB") || !strings.Contains(err.Error(), "TEXT") {
			t.Errorf("err = %v, want one naming the types BLOB and TEXT", err)
		}
	})
	t.Run("wrong key type", func(t *testing.T) {
		if _, err := db.ExecContext(ctx, `CREATE TABLE int_keys ("key" int PRIMARY KEY, "value" blob)`); err != nil {
			t.Fatal(err)
		}
		_, err := kv.NewBytesStore(ctx, db, kv.WithTable("int_keys"))
		if err == nil || !strings.Contains(err.Error(), "key") {
			t.Errorf("err = %v, want one about the key column", err)
		}
	})

	bad := []struct {
		name string
		opts []kv.Option
		want string
	}{
		{"table with dash", []kv.Option{kv.WithTable("a-b")}, "table name"},
		{"table with quote", []kv.Option{kv.WithTable(`a"b`)}, "table name"},
		{"empty table", []kv.Option{kv.WithTable("")}, "table name"},
		{"long table", []kv.Option{kv.WithTable(strings.Repeat("t", 49))}, "table name"},
		{"keyspace", []kv.Option{kv.WithKeyspace("a.b")}, "keyspace name"},
		{"batch size", []kv.Option{kv.WithBatchSize(0)}, "batch size"},
		{"concurrency", []kv.Option{kv.WithConcurrency(-1)}, "concurrency"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := kv.NewBytesStore(ctx, db, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one about the %s", err, tt.want)
			}
		})
	}
	t.Run("nil db", func(t *testing.T) {
		if _, err := kv.NewBytesStore(ctx, nil); err == nil {
			t.Error("no error")
		}
	})
}

func TestBytesStore(t *testing.T) {
	ctx := context.Background()
	s := newBytes(t, openDB(t))

	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	in := []kv.Pair[[]byte]{
		{Key: "a", Value: []byte("alpha")},
		{Key: "b", Value: all},
		{Key: "empty", Value: []byte{}},
		{Key: "nil", Value: nil},
		{Key: "a", Value: []byte("alpha, again")}, // the last value wins
		{Key: "日本", Value: []byte("japan")},
	}
	if err := s.MSet(ctx, in); err != nil {
		t.Fatal(err)
	}
	keys := []string{"b", "missing", "a", "日本", "a", "empty", "nil", "missing"}
	vals, found, err := s.MGet(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		val   []byte
		found bool
	}{
		{all, true}, {nil, false}, {[]byte("alpha, again"), true}, {[]byte("japan"), true},
		{[]byte("alpha, again"), true}, {[]byte{}, true}, {[]byte{}, true}, {nil, false},
	}
	for i, w := range want {
		if found[i] != w.found || !bytes.Equal(vals[i], w.val) {
			t.Errorf("MGet %q = %q, %v; want %q, %v", keys[i], vals[i], found[i], w.val, w.found)
		}
	}
	// A key asked twice gives two values that share no memory.
	vals[2][0] = 'X'
	if vals[4][0] != 'a' {
		t.Error("values of a key asked twice share memory")
	}

	// Overwrite, then delete with duplicates and missing keys.
	if err := s.MSet(ctx, pairs("a", "new")); err != nil {
		t.Fatal(err)
	}
	if err := s.MDelete(ctx, []string{"b", "missing", "b", "empty"}); err != nil {
		t.Fatal(err)
	}
	got := collect(t, s.Keys(ctx, ""))
	if w := []string{"a", "nil", "日本"}; !slices.Equal(got, w) {
		t.Errorf("keys after delete = %q, want %q", got, w)
	}
	vals, found, err = s.MGet(ctx, []string{"a", "b"})
	if err != nil || string(vals[0]) != "new" || !found[0] || found[1] {
		t.Errorf("MGet after overwrite and delete = %q, %v, %v", vals, found, err)
	}

	// Empty calls do nothing.
	if err := s.MSet(ctx, nil); err != nil {
		t.Error(err)
	}
	if err := s.MDelete(ctx, nil); err != nil {
		t.Error(err)
	}
	if v, f, err := s.MGet(ctx, nil); err != nil || len(v) != 0 || len(f) != 0 {
		t.Errorf("MGet(nil) = %v, %v, %v", v, f, err)
	}
}

type doc struct {
	Title string         `json:"title"`
	Tags  []string       `json:"tags,omitempty"`
	Score float64        `json:"score"`
	Meta  map[string]any `json:"meta,omitempty"`
}

func TestJSONStore(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	s, err := kv.NewJSONStore[doc](ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if s.Table() != "kv_json" {
		t.Errorf("Table() = %q", s.Table())
	}
	d1 := doc{Title: `quotes " and \ and <tags> & é 日本 \u2028`, Tags: []string{"x", "y"}, Score: 0.5}
	d2 := doc{Title: "two", Meta: map[string]any{"n": 1.5, "nested": map[string]any{"ok": true}}}
	if err := s.MSet(ctx, []kv.Pair[doc]{{Key: "d1", Value: d1}, {Key: "d2", Value: d2}}); err != nil {
		t.Fatal(err)
	}
	vals, found, err := s.MGet(ctx, []string{"d2", "nope", "d1"})
	if err != nil {
		t.Fatal(err)
	}
	if !found[0] || found[1] || !found[2] {
		t.Fatalf("found = %v", found)
	}
	if fmt.Sprint(vals[0]) != fmt.Sprint(d2) || fmt.Sprint(vals[2]) != fmt.Sprint(d1) {
		t.Errorf("MGet = %+v, want %+v and %+v", vals, d2, d1)
	}

	// Values are stored as JSON text: readable with plain SQL.
	var text string
	if err := db.QueryRowContext(ctx, `SELECT "value" FROM kv_json WHERE "key" = ?`, "d2").Scan(&text); err != nil {
		t.Fatal(err)
	}
	if want := `{"title":"two","score":0,"meta":{"n":1.5,"nested":{"ok":true}}}`; text != want {
		t.Errorf("stored text = %s, want %s", text, want)
	}

	// Any JSON value works with V = any.
	anyStore, err := kv.NewJSONStore[any](ctx, db, kv.WithTable("kv_any"))
	if err != nil {
		t.Fatal(err)
	}
	in := []kv.Pair[any]{{Key: "n", Value: 42.0}, {Key: "s", Value: "str"}, {Key: "null", Value: nil}, {Key: "list", Value: []any{1.0, "a"}}}
	if err := anyStore.MSet(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, found, err := anyStore.MGet(ctx, []string{"n", "s", "null", "list"})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range in {
		if !found[i] || fmt.Sprint(got[i]) != fmt.Sprint(p.Value) {
			t.Errorf("%s: got %v (found %v), want %v", p.Key, got[i], found[i], p.Value)
		}
	}
}

func TestMSetInvalid(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	bs := newBytes(t, db)
	js, err := kv.NewJSONStore[any](ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		set  func() error
		keys []string
		want error // for errors.Is; nil: only a *KeyError
	}{
		{"empty key", func() error { return bs.MSet(ctx, pairs("a", "1", "", "2", "c", "3")) }, []string{"a", "", "c"}, kv.ErrEmptyKey},
		{"key not UTF-8", func() error { return bs.MSet(ctx, pairs("a", "1", "b\xff", "2")) }, []string{"a", "b\xff"}, kv.ErrKeyNotUTF8},
		{"key too long", func() error { return bs.MSet(ctx, pairs("a", "1", strings.Repeat("k", kv.MaxKeyLen+1), "2")) }, []string{"a", strings.Repeat("k", kv.MaxKeyLen+1)}, kv.ErrKeyTooLong},
		{"NaN", func() error {
			return js.MSet(ctx, []kv.Pair[any]{{Key: "a", Value: 1}, {Key: "nan", Value: math.NaN()}, {Key: "c", Value: 3}})
		}, []string{"a", "nan", "c"}, nil},
		{"channel", func() error {
			return js.MSet(ctx, []kv.Pair[any]{{Key: "a", Value: 1}, {Key: "ch", Value: make(chan int)}})
		}, []string{"a", "ch"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.set()
			var we *kv.WriteError
			var ke *kv.KeyError
			if !errors.As(err, &we) || !errors.As(err, &ke) {
				t.Fatalf("err = %v, want a *WriteError wrapping a *KeyError", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if we.Op != "MSet" || len(we.Written) != 0 || len(we.Unknown) != 0 || !slices.Equal(we.NotWritten, tt.keys) {
				t.Errorf("WriteError = %+v, want all keys not written", we)
			}
		})
	}
	// Nothing at all was written.
	if keys := collect(t, bs.Keys(ctx, "")); len(keys) != 0 {
		t.Errorf("bytes store holds %q", keys)
	}
	if keys := collect(t, js.Keys(ctx, "")); len(keys) != 0 {
		t.Errorf("JSON store holds %q", keys)
	}

	// MGet and MDelete refuse invalid keys too.
	if _, _, err := bs.MGet(ctx, []string{"a", ""}); !errors.Is(err, kv.ErrEmptyKey) {
		t.Errorf("MGet with an empty key: %v", err)
	}
	var we *kv.WriteError
	if err := bs.MDelete(ctx, []string{"a", "\xff"}); !errors.Is(err, kv.ErrKeyNotUTF8) || !errors.As(err, &we) || we.Op != "MDelete" {
		t.Errorf("MDelete with a bad key: %v", err)
	}
}

// TestBatches writes and reads more keys than one statement holds, with
// the store splitting (small batches, concurrent) and with the driver
// splitting (one statement of 250 rows or 250 IN values).
func TestBatches(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	const n = 250
	var in []kv.Pair[[]byte]
	var keys []string
	for i := range n {
		k := fmt.Sprintf("key%04d", i)
		in = append(in, kv.Pair[[]byte]{Key: k, Value: []byte("value of " + k)})
		keys = append(keys, k)
	}
	for _, tt := range []struct {
		name string
		opts []kv.Option
	}{
		{"default", nil},
		{"small concurrent batches", []kv.Option{kv.WithBatchSize(7), kv.WithConcurrency(3)}},
		{"one statement", []kv.Option{kv.WithBatchSize(1000)}},
		{"by size", []kv.Option{kv.WithBatchBytes(200)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newBytes(t, db, append(tt.opts, kv.WithTable(strings.ReplaceAll(tt.name, " ", "_")))...)
			if err := s.MSet(ctx, in); err != nil {
				t.Fatal(err)
			}
			if got := collect(t, s.Keys(ctx, "")); !slices.Equal(got, keys) {
				t.Fatalf("Keys gave %d keys, want %d", len(got), n)
			}
			ask := append(slices.Clone(keys), "absent", keys[0])
			slices.Reverse(ask)
			vals, found, err := s.MGet(ctx, ask)
			if err != nil {
				t.Fatal(err)
			}
			for i, k := range ask {
				if want := k != "absent"; found[i] != want || want && string(vals[i]) != "value of "+k {
					t.Errorf("MGet %s = %q, %v", k, vals[i], found[i])
				}
			}
			if err := s.MDelete(ctx, keys[:n-3]); err != nil {
				t.Fatal(err)
			}
			if got := collect(t, s.Keys(ctx, "")); !slices.Equal(got, keys[n-3:]) {
				t.Errorf("after MDelete: %q", got)
			}
		})
	}
}

func TestKeysPrefix(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	s := newBytes(t, db)
	keys := []string{
		"a", "ab", "abc", "abd", "ac", "b",
		"a%", "a%b", "a_", "a_b", "axb", "a&", "a`", // '%' and '_' must be literal
		"%", "%x", "_", "_x",
		"é", "éa", "ê", "e", "日本", "日本語", "日朲", "日",
		"x\U0010FFFF", "x\U0010FFFFa", "x\U0010FFFF\U0010FFFF", "y", "x",
		"\U0010FFFF", "\U0010FFFFa", "\U0010FFFF\U0010FFFF",
		"\uD7FF", "\uD7FFa", "\uE000", "\uFFFF", "\U00010000",
		"\x7f", "\u0080",
		"a\x00", "a\x00b", "a\x01", // NUL is a valid character
		"?", "it's", `quote"d`, ":name", "@name", "--", "/*", // SQL syntax is only data
	}
	var in []kv.Pair[[]byte]
	for _, k := range keys {
		in = append(in, kv.Pair[[]byte]{Key: k, Value: []byte(k)})
	}
	if err := s.MSet(ctx, in); err != nil {
		t.Fatal(err)
	}
	prefixes := []string{
		"", "a", "ab", "a%", "a_", "%", "_", "é", "e", "日", "日本", "x\U0010FFFF", "\U0010FFFF",
		"\U0010FFFF\U0010FFFF", "\uD7FF", "\x7f", "nothing", "abcd",
		"a\x00", "?", "it'", `quote"`, ":", "@", "-", "/*",
	}
	for _, p := range prefixes {
		t.Run(fmt.Sprintf("%+q", p), func(t *testing.T) {
			var want []string
			for _, k := range keys {
				if strings.HasPrefix(k, p) {
					want = append(want, k)
				}
			}
			slices.Sort(want)
			if got := collect(t, s.Keys(ctx, p)); !slices.Equal(got, want) {
				t.Errorf("Keys(%+q) = %+q, want %+q", p, got, want)
			}
		})
	}
	t.Run("invalid prefix", func(t *testing.T) {
		for k, err := range s.Keys(ctx, "a\xff") {
			if err == nil {
				t.Errorf("got key %q, want an error", k)
			}
		}
	})
}

// TestRangeFilter checks what Keys relies on, with the driver alone: a
// range on the text key selects by byte order, so that the client-side
// prefix check in Keys never has to drop a row.
func TestRangeFilter(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	s := newBytes(t, db)
	keys := []string{"a", "a%", "a_", "a\U0010FFFF", "b", "é", "\uE000", "\U0010FFFF"}
	var in []kv.Pair[[]byte]
	for _, k := range keys {
		in = append(in, kv.Pair[[]byte]{Key: k})
	}
	if err := s.MSet(ctx, in); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ lo, hi string }{
		{"a", "b"}, {"a%", "a&"}, {"a_", "a`"}, {"\uD7FF", "\uE001"}, {"é", "ê"}, {"a\U0010FFFF", "b"},
	}
	for _, tt := range tests {
		rows, err := db.QueryContext(ctx, `SELECT "key" FROM kv_store WHERE "key" >= ? AND "key" < ?`, tt.lo, tt.hi)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			got = append(got, k)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(got)
		var want []string
		for _, k := range keys {
			if k >= tt.lo && k < tt.hi {
				want = append(want, k)
			}
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf(`"key" >= %+q AND "key" < %+q: got %+q, want %+q`, tt.lo, tt.hi, got, want)
		}
	}
}

func TestKeysStreams(t *testing.T) {
	ctx := context.Background()
	s := newBytes(t, openDB(t))
	var in []kv.Pair[[]byte]
	for i := range 180 { // several pages of 50
		in = append(in, kv.Pair[[]byte]{Key: fmt.Sprintf("k%03d", i)})
	}
	if err := s.MSet(ctx, in); err != nil {
		t.Fatal(err)
	}
	// Breaking out early is fine and releases the query.
	n := 0
	for _, err := range s.Keys(ctx, "k") {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 10 {
			break
		}
	}
	// Deleting while iterating: each key is seen at most once.
	seen := map[string]bool{}
	for k, err := range s.Keys(ctx, "k") {
		if err != nil {
			t.Fatal(err)
		}
		if seen[k] {
			t.Fatalf("key %s seen twice", k)
		}
		seen[k] = true
		if err := s.MDelete(ctx, []string{k}); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != 180 {
		t.Errorf("saw %d keys, want 180", len(seen))
	}
	// A cancelled context ends the iteration with its error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	var last error
	for _, err := range s.Keys(cctx, "") {
		last = err
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("Keys with a cancelled context: %v", last)
	}
}

func TestLargeValues(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	s := newBytes(t, db)

	blob := make([]byte, 1<<20)
	for i := range blob {
		blob[i] = byte(i * 7)
	}
	// 16 MiB of values, 21 MiB in base64: more than one request may carry
	// (20 MiB), so MSet must split them.
	var in []kv.Pair[[]byte]
	var keys []string
	for i := range 16 {
		k := fmt.Sprintf("big%02d", i)
		v := slices.Clone(blob)
		v[0] = byte(i)
		in = append(in, kv.Pair[[]byte]{Key: k, Value: v})
		keys = append(keys, k)
	}
	if err := s.MSet(ctx, in); err != nil {
		t.Fatal(err)
	}
	vals, found, err := s.MGet(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	for i := range keys {
		if !found[i] || !bytes.Equal(vals[i], in[i].Value) {
			t.Errorf("%s: found %v, %d bytes, equal %v", keys[i], found[i], len(vals[i]), bytes.Equal(vals[i], in[i].Value))
		}
	}

	js, err := kv.NewJSONStore[string](ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for sb.Len() < 100_000 {
		sb.WriteString("line \"quoted\"\n\té日本\U0001F600 <&> ")
	}
	big := sb.String()
	if err := js.MSet(ctx, []kv.Pair[string]{{Key: "big", Value: big}}); err != nil {
		t.Fatal(err)
	}
	got, found, err := js.MGet(ctx, []string{"big"})
	if err != nil || !found[0] || got[0] != big {
		t.Errorf("100k-char JSON string: found %v, equal %v, err %v", found, got[0] == big, err)
	}

	// The longest key allowed.
	long := strings.Repeat("é", kv.MaxKeyLen/2)
	if err := s.MSet(ctx, []kv.Pair[[]byte]{{Key: long, Value: []byte("v")}}); err != nil {
		t.Fatal(err)
	}
	if _, found, err := s.MGet(ctx, []string{long}); err != nil || !found[0] {
		t.Errorf("long key: found %v, err %v", found, err)
	}
}

// TestConcurrentWriters has writers race on overlapping keys while
// readers read them; run with -race. Each key ends with one of the values
// written to it, whole.
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	s := newBytes(t, openDB(t), kv.WithBatchSize(10))
	const writers, keys = 8, 60
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers)
	for w := range writers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			var in []kv.Pair[[]byte]
			for i := range keys {
				k := fmt.Sprintf("k%02d", (i+w*7)%keys)
				in = append(in, kv.Pair[[]byte]{Key: k, Value: []byte(fmt.Sprintf("%s by writer %d", k, w))})
			}
			errs <- s.MSet(ctx, in)
		}()
		go func() {
			defer wg.Done()
			ask := []string{"k00", "k01", fmt.Sprintf("k%02d", w)}
			vals, found, err := s.MGet(ctx, ask)
			for i := range ask {
				if err == nil && found[i] && !strings.HasPrefix(string(vals[i]), ask[i]+" by writer ") {
					err = fmt.Errorf("read %s = %q", ask[i], vals[i])
				}
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	all := collect(t, s.Keys(ctx, ""))
	if len(all) != keys {
		t.Fatalf("%d keys, want %d", len(all), keys)
	}
	vals, found, err := s.MGet(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range all {
		if !found[i] || !strings.HasPrefix(string(vals[i]), k+" by writer ") {
			t.Errorf("%s = %q", k, vals[i])
		}
	}
}

// A fault describes what faultProxy does to the requests carrying one
// Data API command, from the nth such request on.
type fault struct {
	cmd     string // e.g. "insertMany"
	nth     int
	forward bool   // let the command run on the server before answering
	answer  string // the error envelope sent back instead of the server's
}

const (
	// A write timeout: the outcome of the command is unknown.
	timeoutAnswer = `{"errors":[{"id":"00000000-0000-0000-0000-000000000000","family":"SERVER","scope":"DATABASE",` +
		`"errorCode":"TIMEOUT_WRITING_DATA","title":"Timeout writing data","message":"injected by the test"}]}`
	// A refusal: nothing of the command was done.
	refusedAnswer = `{"errors":[{"id":"00000000-0000-0000-0000-000000000000","family":"REQUEST","scope":"DOCUMENT",` +
		`"errorCode":"INVALID_COLUMN_VALUES","title":"Invalid column values","message":"injected by the test"}]}`
)

// faultProxy forwards requests to the local server at target, but answers
// the requests that f picks with f.answer; httptest is used because the
// local server cannot be made to time out or refuse at a chosen request.
func faultProxy(t testing.TB, target string, f fault) string {
	t.Helper()
	var mu sync.Mutex
	seen := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		hit := false
		if bytes.Contains(body, []byte(`"`+f.cmd+`"`)) {
			seen++
			hit = seen >= f.nth
		}
		mu.Unlock()
		if hit && !f.forward {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, f.answer)
			return
		}
		req, err := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(), bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		answer, err := io.ReadAll(resp.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		if hit {
			answer = []byte(f.answer)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(resp.StatusCode)
		w.Write(answer)
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestWriteFailure makes statements fail in the middle of a call (three
// statements of ten keys, one at a time) and checks that the WriteError
// sorts the keys right, and that what it says holds on the server.
func TestWriteFailure(t *testing.T) {
	var keys []string
	var in []kv.Pair[[]byte]
	for i := range 30 {
		k := fmt.Sprintf("k%02d", i)
		keys = append(keys, k)
		in = append(in, kv.Pair[[]byte]{Key: k, Value: []byte(k)})
	}
	tests := []struct {
		name   string
		fault  fault
		delete bool // MDelete of the 30 keys, all stored, instead of MSet
		// what the error says: keys[lo:hi] of each list
		written, unknown, notWritten [2]int
	}{
		{"insert times out after writing", fault{"insertMany", 2, true, timeoutAnswer}, false, [2]int{0, 10}, [2]int{10, 20}, [2]int{20, 30}},
		{"insert refused", fault{"insertMany", 2, false, refusedAnswer}, false, [2]int{0, 10}, [2]int{0, 0}, [2]int{10, 30}},
		{"delete times out", fault{"deleteMany", 2, true, timeoutAnswer}, true, [2]int{0, 10}, [2]int{10, 20}, [2]int{20, 30}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			local := dataapitest.NewServer()
			t.Cleanup(local.Close)
			direct := newBytes(t, openURL(t, local.URL)) // creates the table
			s := newBytes(t, openURL(t, faultProxy(t, local.URL, tt.fault)), kv.WithBatchSize(10), kv.WithConcurrency(1))
			op, err := "MSet", error(nil)
			if tt.delete {
				if err := direct.MSet(ctx, in); err != nil {
					t.Fatal(err)
				}
				op, err = "MDelete", s.MDelete(ctx, keys)
			} else {
				err = s.MSet(ctx, in)
			}
			var we *kv.WriteError
			if !errors.As(err, &we) {
				t.Fatalf("err = %v, want a *WriteError", err)
			}
			if we.Op != op || !strings.Contains(err.Error(), "injected by the test") {
				t.Errorf("err = %v", err)
			}
			part := func(r [2]int) []string { return keys[r[0]:r[1]] }
			if !slices.Equal(we.Written, part(tt.written)) || !slices.Equal(we.Unknown, part(tt.unknown)) || !slices.Equal(we.NotWritten, part(tt.notWritten)) {
				t.Errorf("Written %q\nUnknown %q\nNotWritten %q", we.Written, we.Unknown, we.NotWritten)
			}
			// What the lists claim holds on the server.
			stored := collect(t, direct.Keys(ctx, ""))
			for _, k := range we.Written {
				if slices.Contains(stored, k) == tt.delete {
					t.Errorf("key %s written, but stored = %v", k, !tt.delete)
				}
			}
			for _, k := range we.NotWritten {
				if slices.Contains(stored, k) != tt.delete {
					t.Errorf("key %s not written, but stored = %v", k, tt.delete)
				}
			}
			// Writes are idempotent: the same call through a healthy path completes it.
			want := keys
			if tt.delete {
				err, want = direct.MDelete(ctx, keys), nil
			} else {
				err = direct.MSet(ctx, in)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := collect(t, direct.Keys(ctx, "")); !slices.Equal(got, want) {
				t.Errorf("after retry: %q", got)
			}
		})
	}
}

func TestCancelledContext(t *testing.T) {
	s := newBytes(t, openDB(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.MSet(ctx, pairs("a", "1", "b", "2"))
	var we *kv.WriteError
	if !errors.As(err, &we) || !errors.Is(err, context.Canceled) || !slices.Equal(we.NotWritten, []string{"a", "b"}) {
		t.Errorf("MSet: %v (%+v)", err, we)
	}
	if _, _, err := s.MGet(ctx, []string{"a"}); !errors.Is(err, context.Canceled) {
		t.Errorf("MGet: %v", err)
	}
	if err := s.MDelete(ctx, []string{"a"}); !errors.As(err, &we) || !errors.Is(err, context.Canceled) {
		t.Errorf("MDelete: %v", err)
	}
	if _, err := kv.NewBytesStore(ctx, openDB(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("NewBytesStore: %v", err)
	}
}

// TestNullValue reads rows written with plain SQL and no value: they are
// found, with the zero value.
func TestNullValue(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	bs := newBytes(t, db)
	js, err := kv.NewJSONStore[doc](ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO kv_store ("key", "value") VALUES ('k', NULL)`,
		`INSERT INTO kv_json ("key", "value") VALUES ('k', NULL)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if keys := collect(t, bs.Keys(ctx, "")); !slices.Equal(keys, []string{"k"}) {
		t.Skipf("a row with a NULL value is not kept by the server (keys %q): nothing to read", keys)
	}
	bv, bf, err := bs.MGet(ctx, []string{"k"})
	if err != nil || !bf[0] || bv[0] != nil {
		t.Errorf("bytes: %q, %v, %v; want nil, true", bv, bf, err)
	}
	jv, jf, err := js.MGet(ctx, []string{"k"})
	if err != nil || !jf[0] || fmt.Sprint(jv[0]) != fmt.Sprint(doc{}) {
		t.Errorf("JSON: %+v, %v, %v; want the zero doc, true", jv, jf, err)
	}
}
