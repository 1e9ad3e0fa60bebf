package kv_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"slices"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/kv"
)

// A store a Python app using LangChain's AstraDBStore can share: the same
// collection, one document {"_id": key, "value": value} per key.
func ExampleNewLangChainStore() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=local")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	type profile struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	ctx := context.Background()
	// creates the collection with {"indexing": {"allow": ["_id"]}} if missing
	store, err := kv.NewLangChainStore[profile](ctx, db, "langchain_store")
	if err != nil {
		log.Fatal(err)
	}
	err = store.MSet(ctx, []kv.Pair[profile]{
		{Key: "user:1", Value: profile{"Ann", 31}},
		{Key: "user:2", Value: profile{"Bob", 25}},
	})
	if err != nil {
		log.Fatal(err)
	}
	// writing a key again replaces its document
	if err := store.MSet(ctx, []kv.Pair[profile]{{Key: "user:2", Value: profile{"Bob", 26}}}); err != nil {
		log.Fatal(err)
	}
	vals, found, err := store.MGet(ctx, []string{"user:2", "user:9", "user:1"})
	if err != nil {
		log.Fatal(err)
	}
	for i, v := range vals {
		fmt.Println(v, found[i])
	}
	var keys []string
	for k, err := range store.Keys(ctx, "user:") {
		if err != nil {
			log.Fatal(err)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fmt.Println(keys)
	// Output:
	// {Bob 26} true
	// { 0} false
	// {Ann 31} true
	// [user:1 user:2]
}

// The bytes store of LangChain's AstraDBByteStore keeps values as base64
// text in the document's "value".
func ExampleNewLangChainByteStore() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	db, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace&token=local")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	ctx := context.Background()
	store, err := kv.NewLangChainByteStore(ctx, db, "langchain_bytes")
	if err != nil {
		log.Fatal(err)
	}
	if err := store.MSet(ctx, []kv.Pair[[]byte]{{Key: "blob", Value: []byte("hello")}}); err != nil {
		log.Fatal(err)
	}
	if err := store.MDelete(ctx, []string{"blob", "never-written"}); err != nil {
		log.Fatal(err)
	}
	_, found, err := store.MGet(ctx, []string{"blob"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(found[0])
	// Output:
	// false
}
