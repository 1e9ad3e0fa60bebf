package kv_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/kv"
)

// lcEnv is the driver and a plain Data API client on one local server: the
// client plays LangChain's side.
func lcEnv(t *testing.T) (*sql.DB, *dataapi.Client) {
	t.Helper()
	srv := dataapitest.NewServer()
	t.Cleanup(srv.Close)
	cl, err := dataapi.New(dataapi.Options{Endpoint: srv.URL, Token: "local-test-token", Keyspace: "default_keyspace"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return openURL(t, srv.URL), cl
}

// plainDocs reads every document of a collection by plain commands, by _id.
func plainDocs(t *testing.T, cl *dataapi.Client, coll string) map[string]string {
	t.Helper()
	out := map[string]string{}
	req := dataapi.FindDocumentsRequest{Collection: coll}
	for {
		res, err := cl.FindDocuments(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range res.Documents {
			var doc struct {
				ID any `json:"_id"`
			}
			if err := json.Unmarshal(d, &doc); err != nil {
				t.Fatal(err)
			}
			out[fmt.Sprint(doc.ID)] = string(d)
		}
		if res.NextPageState == "" {
			return out
		}
		req.PageState = res.NextPageState
	}
}

func plainInsert(t *testing.T, cl *dataapi.Client, coll string, docs ...string) {
	t.Helper()
	var raw []json.RawMessage
	for _, d := range docs {
		raw = append(raw, json.RawMessage(d))
	}
	if _, err := cl.InsertDocuments(context.Background(), dataapi.InsertDocumentsRequest{Collection: coll, Documents: raw}); err != nil {
		t.Fatal(err)
	}
}

func TestLangChainReadsLangChainDocuments(t *testing.T) {
	db, cl := lcEnv(t)
	ctx := context.Background()
	// LangChain created the collection and wrote first
	if _, err := cl.CreateCollection(ctx, dataapi.CreateCollectionRequest{Name: "lc_json",
		Options: &dataapi.CollectionOptions{Indexing: &dataapi.Indexing{Allow: []string{"_id"}}}}); err != nil {
		t.Fatal(err)
	}
	plainInsert(t, cl, "lc_json", `{"_id":"a","value":{"n":1,"s":["x"]}}`, `{"_id":"b","value":"text"}`, `{"_id":"c","value":null}`)
	js, err := kv.NewLangChainStore[any](ctx, db, "lc_json")
	if err != nil {
		t.Fatal(err)
	}
	vals, found, err := js.MGet(ctx, []string{"b", "zz", "a", "c", "b"})
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"text", nil, map[string]any{"n": 1.0, "s": []any{"x"}}, nil, "text"}
	if !slices.Equal(found, []bool{true, false, true, true, true}) || fmt.Sprint(vals) != fmt.Sprint(want) {
		t.Fatalf("MGet: %v %v", vals, found)
	}

	plainInsert(t, cl, "lc_json", `{"_id":"placeholder"}`) // collection exists; bytes store next
	if _, err := cl.CreateCollection(ctx, dataapi.CreateCollectionRequest{Name: "lc_bytes",
		Options: &dataapi.CollectionOptions{Indexing: &dataapi.Indexing{Allow: []string{"_id"}}}}); err != nil {
		t.Fatal(err)
	}
	plainInsert(t, cl, "lc_bytes", `{"_id":"k","value":"aGVsbG8="}`, `{"_id":"e","value":""}`)
	bs, err := kv.NewLangChainByteStore(ctx, db, "lc_bytes")
	if err != nil {
		t.Fatal(err)
	}
	bv, bf, err := bs.MGet(ctx, []string{"k", "e", "no"})
	if err != nil || string(bv[0]) != "hello" || len(bv[1]) != 0 || !slices.Equal(bf, []bool{true, true, false}) {
		t.Fatalf("bytes MGet: %q %v %v", bv, bf, err)
	}
}

func TestLangChainWritesLangChainLayout(t *testing.T) {
	db, cl := lcEnv(t)
	ctx := context.Background()
	bs, err := kv.NewLangChainByteStore(ctx, db, "lc_bytes")
	if err != nil {
		t.Fatal(err)
	}
	js, err := kv.NewLangChainStore[map[string]any](ctx, db, "lc_json")
	if err != nil {
		t.Fatal(err)
	}
	cols, err := cl.FindCollections(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c.Options.Indexing == nil || !slices.Equal(c.Options.Indexing.Allow, []string{"_id"}) || len(c.Options.Extra) > 0 {
			t.Fatalf("collection %s created with %+v", c.Name, c.Options)
		}
	}

	// first write, then an overwrite of some keys (DOCUMENT_ALREADY_EXISTS, replaced)
	big := strings.Repeat("z", 20000) // over the 8000 bytes of an indexed string
	if err := bs.MSet(ctx, []kv.Pair[[]byte]{{"a", []byte("one")}, {"b", []byte{0, 255}}, {"c", nil}}); err != nil {
		t.Fatal(err)
	}
	if err := bs.MSet(ctx, []kv.Pair[[]byte]{{"b", []byte("two")}, {"d", []byte(big)}, {"a", []byte("1")}, {"a", []byte("uno")}}); err != nil {
		t.Fatal(err)
	}
	got := plainDocs(t, cl, "lc_bytes")
	want := map[string]string{
		"a": `{"_id":"a","value":"dW5v"}`,
		"b": `{"_id":"b","value":"dHdv"}`,
		"c": `{"_id":"c","value":""}`,
		"d": `{"_id":"d","value":"` + strings.Repeat("enp6", 20000/3) + `eno="}`,
	}
	if len(got) != len(want) {
		t.Fatalf("documents: %v", got)
	}
	for k, w := range want {
		if got[k] != w {
			t.Fatalf("document %s: got %.80s, want %.80s", k, got[k], w)
		}
	}

	if err := js.MSet(ctx, []kv.Pair[map[string]any]{{"x", map[string]any{"n": 1}}, {"y", nil}}); err != nil {
		t.Fatal(err)
	}
	if err := js.MSet(ctx, []kv.Pair[map[string]any]{{"x", map[string]any{"n": 2, "s": "é<"}}}); err != nil {
		t.Fatal(err)
	}
	got = plainDocs(t, cl, "lc_json")
	for k, w := range map[string]string{"x": `{"_id":"x","value":{"n":2,"s":"é<"}}`, "y": `{"_id":"y","value":null}`} {
		var a, b any
		if json.Unmarshal([]byte(got[k]), &a) != nil || json.Unmarshal([]byte(w), &b) != nil || fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("document %s: got %s, want %s", k, got[k], w)
		}
	}
}

func TestLangChainDeleteAndKeys(t *testing.T) {
	db, cl := lcEnv(t)
	ctx := context.Background()
	s, err := kv.NewLangChainStore[int](ctx, db, "lc", kv.WithBatchSize(30))
	if err != nil {
		t.Fatal(err)
	}
	var ps []kv.Pair[int]
	for i := range 70 {
		p := "other/"
		if i%2 == 0 {
			p = "user/"
		}
		ps = append(ps, kv.Pair[int]{Key: fmt.Sprintf("%s%02d", p, i), Value: i})
	}
	if err := s.MSet(ctx, ps); err != nil {
		t.Fatal(err)
	}
	// 70 keys in one MGet: batches of 30 keys, each read in pages of 20
	var asked []string
	for _, p := range ps {
		asked = append(asked, p.Key)
	}
	vals, found, err := s.MGet(ctx, asked)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ps {
		if !found[i] || vals[i] != i {
			t.Fatalf("MGet of 70 keys: key %s: %v %v", asked[i], vals[i], found[i])
		}
	}
	keys := collect(t, s.Keys(ctx, "user/"))
	if len(keys) != 35 || !strings.HasPrefix(keys[0], "user/") {
		t.Fatalf("prefix keys: %d %v", len(keys), keys)
	}
	if all := collect(t, s.Keys(ctx, "")); len(all) != 70 {
		t.Fatalf("all keys: %d", len(all))
	}
	// a document LangChain's layout cannot hold as a key is skipped
	plainInsert(t, cl, "lc", `{"_id":5,"value":1}`)
	if all := collect(t, s.Keys(ctx, "")); len(all) != 70 {
		t.Fatalf("all keys with a numeric _id: %d", len(all))
	}

	// more than 20 deleted by one $in: deleteMany repeated on moreData
	if err := s.MDelete(ctx, append(keys, "missing")); err != nil {
		t.Fatal(err)
	}
	left := plainDocs(t, cl, "lc")
	if len(left) != 35+1 {
		t.Fatalf("after MDelete: %d documents", len(left))
	}
	vals, found, err = s.MGet(ctx, []string{"user/00", "other/01"})
	if err != nil || found[0] || !found[1] || vals[1] != 1 {
		t.Fatalf("MGet after delete: %v %v %v", vals, found, err)
	}
}

func TestLangChainCollectionOptions(t *testing.T) {
	db, cl := lcEnv(t)
	ctx := context.Background()
	mk := func(name string, o *dataapi.CollectionOptions) {
		if _, err := cl.CreateCollection(ctx, dataapi.CreateCollectionRequest{Name: name, Options: o}); err != nil {
			t.Fatal(err)
		}
	}
	mk("legacy", nil)
	mk("denied", &dataapi.CollectionOptions{Indexing: &dataapi.Indexing{Deny: []string{"value"}}})
	mk("indexed", &dataapi.CollectionOptions{Indexing: &dataapi.Indexing{Allow: []string{"_id", "value"}}})
	for _, tc := range []struct {
		name string
		opts []kv.Option
		err  string
	}{
		{name: "legacy"},
		{name: "denied"},
		{name: "indexed", err: `index "value"`},
		{name: "missing", opts: []kv.Option{kv.WithoutCreate()}, err: "does not exist"},
		{name: "bad-name", err: "invalid collection name"},
		{name: "x", opts: []kv.Option{kv.WithTable("y")}, err: "WithTable does not apply"},
	} {
		_, err := kv.NewLangChainByteStore(ctx, db, tc.name, tc.opts...)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.err)
		}
	}
}

// A document the server refuses fails alone: the others are written and
// the WriteError says which is which.
func TestLangChainPartialWrite(t *testing.T) {
	db, cl := lcEnv(t)
	ctx := context.Background()
	s, err := kv.NewLangChainStore[any](ctx, db, "lc")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MSet(ctx, []kv.Pair[any]{{"old", 1}}); err != nil {
		t.Fatal(err)
	}
	var deep any = 1
	for range 20 { // deeper than the server's 16 levels
		deep = []any{deep}
	}
	err = s.MSet(ctx, []kv.Pair[any]{{"a", 1}, {"deep", deep}, {"old", 2}, {"b", 3}})
	var we *kv.WriteError
	if !errors.As(err, &we) {
		t.Fatalf("got %v, want a *WriteError", err)
	}
	slices.Sort(we.Written)
	if !slices.Equal(we.Written, []string{"a", "b", "old"}) || !slices.Equal(we.NotWritten, []string{"deep"}) || len(we.Unknown) != 0 ||
		!strings.Contains(err.Error(), "SHRED_DOC_LIMIT_VIOLATION") {
		t.Fatalf("WriteError: %+v", we)
	}
	got := plainDocs(t, cl, "lc")
	if len(got) != 3 || got["old"] != `{"_id":"old","value":2}` {
		t.Fatalf("documents: %v", got)
	}
}
