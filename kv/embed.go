package kv

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
)

// Embedder computes one embedding vector per text, in order.
type Embedder func(ctx context.Context, texts []string) ([][]float32, error)

// CachedEmbedder wraps an Embedder with a cache in a bytes store, as
// LangChain's CacheBackedEmbeddings does: a text embedded once with a given
// model is not sent to the embedder again. It is safe for concurrent use;
// concurrent calls that miss the same text may each embed it.
type CachedEmbedder struct {
	store *Store[[]byte]
	model string
	embed Embedder
}

// NewCachedEmbedder returns an embedder that looks texts up in store under
// keys derived from model and the text (see EmbeddingKey) and calls embed
// only for those it does not find. model names the embedding model and its
// settings, so that vectors of different models never mix; a store may be
// shared by several models.
func NewCachedEmbedder(store *Store[[]byte], model string, embed Embedder) *CachedEmbedder {
	return &CachedEmbedder{store: store, model: model, embed: embed}
}

// EmbeddingKey returns the store key of text embedded with model: the
// lower-case hex SHA-256 of the model's length as a big-endian uint64, the
// model, and the text. The length makes the split between model and text
// unambiguous. The value stored under it is the vector as consecutive
// little-endian IEEE 754 float32s (4 bytes per dimension).
func EmbeddingKey(model, text string) string {
	h := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(model)))
	h.Write(n[:])
	h.Write([]byte(model))
	h.Write([]byte(text))
	return hex.EncodeToString(h.Sum(nil))
}

// Embed returns one vector per text, in order. Cached vectors are read in
// one MGet; the texts not found are embedded in one call to the wrapped
// embedder, each distinct text once, and then stored. A cached value that
// is not a whole number of float32s is treated as missing and replaced.
//
// When the new vectors were computed but storing them failed, Embed
// returns the vectors together with the error, a *WriteError, so that the
// embedder's work is not lost: such an error is only about the cache.
// Any other error comes with no vectors.
func (c *CachedEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if c.store == nil || c.embed == nil {
		return nil, errors.New("kv: CachedEmbedder needs a store and an embedder")
	}
	out := make([][]float32, len(texts))
	if len(texts) == 0 {
		return out, nil
	}
	keys := make([]string, len(texts))
	for i, t := range texts {
		keys[i] = EmbeddingKey(c.model, t)
	}
	cached, found, err := c.store.MGet(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("kv: reading the embeddings cache: %w", err)
	}
	// missing lists the distinct texts to embed; at[i] is where texts[i]
	// is in missing, or -1 for a hit.
	var missing []string
	index := make(map[string]int)
	at := make([]int, len(texts))
	for i, t := range texts {
		at[i] = -1
		if found[i] && len(cached[i])%4 == 0 {
			out[i] = decodeVector(cached[i])
			continue
		}
		j, ok := index[t]
		if !ok {
			j = len(missing)
			index[t] = j
			missing = append(missing, t)
		}
		at[i] = j
	}
	if len(missing) == 0 {
		return out, nil
	}
	vecs, err := c.embed(ctx, missing)
	if err != nil {
		return nil, err
	}
	if len(vecs) != len(missing) {
		return nil, fmt.Errorf("kv: embedder returned %d vectors for %d texts", len(vecs), len(missing))
	}
	pairs := make([]Pair[[]byte], len(missing))
	for j, t := range missing {
		pairs[j] = Pair[[]byte]{Key: EmbeddingKey(c.model, t), Value: encodeVector(vecs[j])}
	}
	for i, j := range at {
		if j < 0 {
			continue
		}
		// Every position gets its own slice: callers may change them.
		out[i] = append([]float32(nil), vecs[j]...)
	}
	if err := c.store.MSet(ctx, pairs); err != nil {
		return out, err
	}
	return out, nil
}

func encodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return b
}

func decodeVector(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}
