package kv_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"slices"

	_ "github.com/astrasql/astrasql" // the "astra" driver
	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/kv"
)

// A bytes store on a local Data API server; with Astra, open the driver
// on the database's API endpoint instead.
func ExampleNewBytesStore() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=local")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	ctx := context.Background()
	store, err := kv.NewBytesStore(ctx, db) // creates table kv_store if missing
	if err != nil {
		log.Fatal(err)
	}
	err = store.MSet(ctx, []kv.Pair[[]byte]{
		{Key: "greeting", Value: []byte("hello")},
		{Key: "farewell", Value: []byte("goodbye")},
	})
	if err != nil {
		log.Fatal(err)
	}
	vals, found, err := store.MGet(ctx, []string{"farewell", "missing", "greeting"})
	if err != nil {
		log.Fatal(err)
	}
	for i, v := range vals {
		fmt.Printf("%q %v\n", v, found[i])
	}
	// Output:
	// "goodbye" true
	// "" false
	// "hello" true
}

// A JSON store holds any value encoding/json can marshal.
func ExampleNewJSONStore() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=local")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	type user struct {
		Name  string   `json:"name"`
		Roles []string `json:"roles"`
	}
	ctx := context.Background()
	users, err := kv.NewJSONStore[user](ctx, db, kv.WithTable("users"))
	if err != nil {
		log.Fatal(err)
	}
	err = users.MSet(ctx, []kv.Pair[user]{
		{Key: "u1", Value: user{Name: "Ada", Roles: []string{"admin"}}},
		{Key: "u2", Value: user{Name: "Linus"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	vals, _, err := users.MGet(ctx, []string{"u1", "u2"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n%+v\n", vals[0], vals[1])
	// Output:
	// {Name:Ada Roles:[admin]}
	// {Name:Linus Roles:[]}
}

// Keys streams the keys with a prefix; '%' and '_' are plain characters.
func ExampleStore_Keys() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=local")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	ctx := context.Background()
	store, err := kv.NewBytesStore(ctx, db)
	if err != nil {
		log.Fatal(err)
	}
	var pairs []kv.Pair[[]byte]
	for _, k := range []string{"user:1", "user:2", "user_3", "session:1"} {
		pairs = append(pairs, kv.Pair[[]byte]{Key: k, Value: []byte("...")})
	}
	if err := store.MSet(ctx, pairs); err != nil {
		log.Fatal(err)
	}
	var keys []string
	for k, err := range store.Keys(ctx, "user:") {
		if err != nil {
			log.Fatal(err)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys) // keys come in no particular order
	fmt.Println(keys)
	// Output:
	// [user:1 user:2]
}

// A cache in front of an embedding model: the second call finds every
// vector in the store and does not call the model.
func ExampleCachedEmbedder() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=local")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	ctx := context.Background()
	store, err := kv.NewBytesStore(ctx, db, kv.WithTable("embedding_cache"))
	if err != nil {
		log.Fatal(err)
	}
	// Stands in for a call to an embedding provider.
	model := func(ctx context.Context, texts []string) ([][]float32, error) {
		fmt.Println("embedding", texts)
		out := make([][]float32, len(texts))
		for i, t := range texts {
			out[i] = []float32{float32(len(t)), 1}
		}
		return out, nil
	}
	embedder := kv.NewCachedEmbedder(store, "toy-model-v1", model)

	for range 2 {
		vecs, err := embedder.Embed(ctx, []string{"hello", "world!", "hello"})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(vecs)
	}
	// Output:
	// embedding [hello world!]
	// [[5 1] [6 1] [5 1]]
	// [[5 1] [6 1] [5 1]]
}
