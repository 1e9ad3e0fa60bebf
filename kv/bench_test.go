package kv_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/astrasql/astrasql/kv"
)

// BenchmarkKeysPrefix compares Keys, which sends the prefix as a key
// range, with reading every key and filtering on the client, for a prefix
// that matches 1% of 5000 keys. Both make the server read every row; the
// range saves sending the other 99% page by page.
func BenchmarkKeysPrefix(b *testing.B) {
	ctx := context.Background()
	db := openDB(b)
	s := newBytes(b, db)
	var in []kv.Pair[[]byte]
	for i := range 5000 {
		p := "other/"
		if i%100 == 0 {
			p = "wanted/"
		}
		in = append(in, kv.Pair[[]byte]{Key: fmt.Sprintf("%s%05d", p, i), Value: []byte("v")})
	}
	if err := s.MSet(ctx, in); err != nil {
		b.Fatal(err)
	}
	b.Run("range", func(b *testing.B) {
		for b.Loop() {
			n := 0
			for _, err := range s.Keys(ctx, "wanted/") {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != 50 {
				b.Fatalf("%d keys", n)
			}
		}
	})
	b.Run("client", func(b *testing.B) {
		for b.Loop() {
			rows, err := db.QueryContext(ctx, `SELECT "key" FROM kv_store`)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					b.Fatal(err)
				}
				if strings.HasPrefix(k, "wanted/") {
					n++
				}
			}
			if err := rows.Err(); err != nil {
				b.Fatal(err)
			}
			rows.Close()
			if n != 50 {
				b.Fatalf("%d keys", n)
			}
		}
	})
}

// BenchmarkMSet measures writes of 1000 small pairs in batches of 100.
func BenchmarkMSet(b *testing.B) {
	ctx := context.Background()
	s := newBytes(b, openDB(b))
	in := make([]kv.Pair[[]byte], 1000)
	for i := range in {
		in[i] = kv.Pair[[]byte]{Key: fmt.Sprint("key", i), Value: []byte("a small value")}
	}
	for b.Loop() {
		if err := s.MSet(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
