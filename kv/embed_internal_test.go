package kv

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestVectorEncoding(t *testing.T) {
	v := []float32{0, 1, -2.5, float32(math.Inf(1)), math.MaxFloat32, math.SmallestNonzeroFloat32}
	b := encodeVector(v)
	if len(b) != 4*len(v) {
		t.Fatalf("len = %d", len(b))
	}
	// 1.0 is 0x3f800000, little-endian.
	if got := b[4:8]; !slices.Equal(got, []byte{0x00, 0x00, 0x80, 0x3f}) {
		t.Errorf("1.0 encodes as % x", got)
	}
	if got := decodeVector(b); !slices.Equal(got, v) {
		t.Errorf("round trip = %v, want %v", got, v)
	}
	nan := decodeVector(encodeVector([]float32{float32(math.NaN())}))
	if !math.IsNaN(float64(nan[0])) {
		t.Errorf("NaN came back as %v", nan[0])
	}
}

func TestEmbeddingKey(t *testing.T) {
	k := EmbeddingKey("m", "text")
	if len(k) != 64 || strings.Trim(k, "0123456789abcdef") != "" {
		t.Errorf("key %q is not 64 lower-case hex digits", k)
	}
	if checkKey(k) != nil {
		t.Errorf("key %q is not a valid store key", k)
	}
	// The model length keeps the boundary between model and text.
	if EmbeddingKey("ab", "c") == EmbeddingKey("a", "bc") {
		t.Error(`("ab", "c") and ("a", "bc") share a key`)
	}
	if EmbeddingKey("m1", "t") == EmbeddingKey("m2", "t") {
		t.Error("two models share a key")
	}
	if a, b := EmbeddingKey("m", "t"), EmbeddingKey("m", "t"); a != b {
		t.Errorf("key not deterministic: %s, %s", a, b)
	}
}
