package kv_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/kv"
)

// fakeEmbedder gives each text a deterministic vector and records the
// texts of every call.
type fakeEmbedder struct {
	mu    sync.Mutex
	calls [][]string
	err   error
	short bool // return one vector too few
}

func vectorOf(text string) []float32 {
	return []float32{float32(len(text)), float32(strings.Count(text, "a")), -0.5}
}

func (f *fakeEmbedder) embed(_ context.Context, texts []string) ([][]float32, error) {
	f.mu.Lock()
	f.calls = append(f.calls, slices.Clone(texts))
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = vectorOf(t)
	}
	if f.short {
		out = out[1:]
	}
	return out, nil
}

func (f *fakeEmbedder) takeCalls() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = nil
	return c
}

func TestCachedEmbedder(t *testing.T) {
	ctx := context.Background()
	store := newBytes(t, openDB(t), kv.WithTable("embeddings"))
	f := &fakeEmbedder{}
	ce := kv.NewCachedEmbedder(store, "model-a", f.embed)

	steps := []struct {
		texts []string
		calls [][]string // texts sent to the embedder
	}{
		{[]string{"banana", "apple", "banana"}, [][]string{{"banana", "apple"}}}, // duplicates embedded once
		{[]string{"apple", "cherry"}, [][]string{{"cherry"}}},                    // hits skip the call
		{[]string{"cherry", "banana", "apple", "apple"}, nil},                    // all hits: no call
		{[]string{"", "日本語 text"}, [][]string{{"", "日本語 text"}}},                 // empty and non-ASCII texts
		{nil, nil},
	}
	for _, st := range steps {
		got, err := ce.Embed(ctx, st.texts)
		if err != nil {
			t.Fatalf("Embed(%q): %v", st.texts, err)
		}
		if len(got) != len(st.texts) {
			t.Fatalf("Embed(%q) gave %d vectors", st.texts, len(got))
		}
		for i, text := range st.texts {
			if !slices.Equal(got[i], vectorOf(text)) {
				t.Errorf("Embed(%q)[%d] = %v, want %v", st.texts, i, got[i], vectorOf(text))
			}
		}
		if calls := f.takeCalls(); !slices.EqualFunc(calls, st.calls, slices.Equal) {
			t.Errorf("Embed(%q) called the embedder with %q, want %q", st.texts, calls, st.calls)
		}
	}

	// Each position has its own slice, hit or miss.
	got, err := ce.Embed(ctx, []string{"apple", "apple", "new", "new"})
	if err != nil {
		t.Fatal(err)
	}
	got[0][0], got[2][0] = 99, 99
	if got[1][0] == 99 || got[3][0] == 99 {
		t.Error("vectors of one text share memory")
	}
	f.takeCalls()

	// The cache is keyed by model too: another model misses.
	other := kv.NewCachedEmbedder(store, "model-b", f.embed)
	if _, err := other.Embed(ctx, []string{"apple"}); err != nil {
		t.Fatal(err)
	}
	if calls := f.takeCalls(); len(calls) != 1 {
		t.Errorf("another model: %d calls, want 1", len(calls))
	}

	// The stored value is little-endian float32s under EmbeddingKey.
	vals, found, err := store.MGet(ctx, []string{kv.EmbeddingKey("model-a", "apple")})
	if err != nil || !found[0] {
		t.Fatalf("stored vector: found %v, err %v", found, err)
	}
	if want := []byte{0, 0, 0xa0, 0x40, 0, 0, 0x80, 0x3f, 0, 0, 0, 0xbf}; !slices.Equal(vals[0], want) { // 5, 1, -0.5
		t.Errorf("stored % x, want % x", vals[0], want)
	}

	// A damaged entry is a miss and gets replaced.
	key := kv.EmbeddingKey("model-a", "cherry")
	if err := store.MSet(ctx, []kv.Pair[[]byte]{{Key: key, Value: []byte{1, 2, 3}}}); err != nil {
		t.Fatal(err)
	}
	if got, err := ce.Embed(ctx, []string{"cherry"}); err != nil || !slices.Equal(got[0], vectorOf("cherry")) {
		t.Errorf("damaged entry: %v, %v", got, err)
	}
	if calls := f.takeCalls(); len(calls) != 1 {
		t.Errorf("damaged entry: %d calls, want 1", len(calls))
	}
	if vals, _, _ := store.MGet(ctx, []string{key}); len(vals[0]) != 12 {
		t.Errorf("damaged entry not replaced: % x", vals[0])
	}
}

func TestCachedEmbedderErrors(t *testing.T) {
	ctx := context.Background()
	store := newBytes(t, openDB(t))
	boom := errors.New("provider down")

	f := &fakeEmbedder{err: boom}
	if _, err := kv.NewCachedEmbedder(store, "m", f.embed).Embed(ctx, []string{"x"}); !errors.Is(err, boom) {
		t.Errorf("embedder failure: %v", err)
	}
	f = &fakeEmbedder{short: true}
	if _, err := kv.NewCachedEmbedder(store, "m", f.embed).Embed(ctx, []string{"x", "y"}); err == nil || !strings.Contains(err.Error(), "1 vectors for 2 texts") {
		t.Errorf("short answer: %v", err)
	}
	// Nothing was cached by the failed calls.
	if keys := collect(t, store.Keys(ctx, "")); len(keys) != 0 {
		t.Errorf("cache holds %q", keys)
	}
	if _, err := kv.NewCachedEmbedder(nil, "m", f.embed).Embed(ctx, []string{"x"}); err == nil {
		t.Error("nil store: no error")
	}
	if _, err := kv.NewCachedEmbedder(store, "m", nil).Embed(ctx, []string{"x"}); err == nil {
		t.Error("nil embedder: no error")
	}
}

// TestCachedEmbedderWriteFailure: when the vectors were computed but could
// not be stored, Embed returns them with the *WriteError.
func TestCachedEmbedderWriteFailure(t *testing.T) {
	ctx := context.Background()
	local := dataapitest.NewServer()
	t.Cleanup(local.Close)
	newBytes(t, openURL(t, local.URL)) // creates the table
	store := newBytes(t, openURL(t, faultProxy(t, local.URL, fault{"insertMany", 1, false, refusedAnswer})))
	f := &fakeEmbedder{}
	got, err := kv.NewCachedEmbedder(store, "m", f.embed).Embed(ctx, []string{"a", "b"})
	var we *kv.WriteError
	if !errors.As(err, &we) || len(we.NotWritten) != 2 {
		t.Fatalf("err = %v, want a *WriteError with both keys not written", err)
	}
	if len(got) != 2 || !slices.Equal(got[0], vectorOf("a")) || !slices.Equal(got[1], vectorOf("b")) {
		t.Errorf("vectors = %v, want those computed", got)
	}
}
