package main

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"
)

// The benchmark tables. Every row is a pure function of its id, so each
// client writes (and the node peer regenerates) the same data.
const (
	dim = 384

	// tableCols are the 10 scalar columns, in definition order.
	tableCols = "id int, name text, grp text, n int, big bigint, score double, ok boolean, ts timestamp, uid uuid, note text"
	colNames  = "id, name, grp, n, big, score, ok, ts, uid, note"
)

var baseTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// row is one benchmark row as typed Go values (what a typed scan yields).
type row struct {
	ID    int64
	Name  string
	Grp   string
	N     int64
	Big   int64
	Score float64
	OK    bool
	TS    time.Time
	UID   uuid.UUID
	Note  string
}

func makeRow(i int) row {
	h := uint32(i) * 2654435761
	return row{
		ID:    int64(i),
		Name:  fmt.Sprintf("name-%07d", i),
		Grp:   fmt.Sprintf("g%02d", i%16),
		N:     int64((i * 7919) % 100000),
		Big:   int64(i) * 1000003,
		Score: float64(i%1000) / 7,
		OK:    i%3 == 0,
		TS:    baseTime.Add(time.Duration(i) * time.Second),
		UID:   uidOf(i),
		Note:  fmt.Sprintf("note %08x lorem ipsum dolor sit amet", h),
	}
}

func uidOf(i int) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[0:8], uint64(i)*0x9E3779B97F4A7C15)
	binary.BigEndian.PutUint64(u[8:16], uint64(i)+1)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

// vecOf is a deterministic pseudo-random vector (xorshift32 in [-1, 1));
// bench/node/peer.mjs has the same generator.
func vecOf(seed int) []float32 {
	x := uint32(seed)*2654435761 + 1
	v := make([]float32, dim)
	for j := range v {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		v[j] = float32(int32(x)) / 2147483648
	}
	return v
}

// binaryVector is the $binary form of a vector: base64 of big-endian
// float32s, as the driver and the TypeScript client send it.
func binaryVector(v []float32) string {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.BigEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(b)
}

// queryVectors are the vector-search probes (seeds past the data's ids).
func queryVectors(n int) [][]float32 {
	q := make([][]float32, n)
	for i := range q {
		q[i] = vecOf(10_000_000 + i)
	}
	return q
}
