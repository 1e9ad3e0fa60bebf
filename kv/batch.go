package kv

import (
	"context"
	"sync"
	"sync/atomic"
)

// span is the half-open range [lo, hi) of keys one statement handles.
type span struct{ lo, hi int }

// split cuts items into consecutive spans of at most maxN items and, when
// maxBytes > 0, at most maxBytes in total size; an item larger than
// maxBytes gets a span of its own.
func split(sizes []int, maxN, maxBytes int) []span {
	var out []span
	lo, total := 0, 0
	for i, sz := range sizes {
		if i > lo && (i-lo == maxN || maxBytes > 0 && total+sz > maxBytes) {
			out = append(out, span{lo, i})
			lo, total = i, 0
		}
		total += sz
	}
	if lo < len(sizes) {
		out = append(out, span{lo, len(sizes)})
	}
	return out
}

// runBatches calls do for batches 0..n-1, at most conc at a time. After a
// batch fails, or once ctx is done, it starts no more batches but lets those
// under way finish. It reports which batches ran, each one's error, and
// ctx's error when ctx stopped batches from starting.
func runBatches(ctx context.Context, n, conc int, do func(context.Context, int) error) (ran []bool, errs []error, stop error) {
	ran = make([]bool, n)
	errs = make([]error, n)
	if conc > n {
		conc = n
	}
	var (
		failed atomic.Bool
		wg     sync.WaitGroup
		sem    = make(chan struct{}, conc)
	)
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if failed.Load() {
			break
		}
		if err := ctx.Err(); err != nil {
			stop = err
			break
		}
		ran[i] = true
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := do(ctx, i); err != nil {
				errs[i] = err
				failed.Store(true)
			}
		}()
	}
	wg.Wait()
	return ran, errs, stop
}

// sqlCache keeps the statement text built for each batch length, so that
// the driver's plan cache, keyed by SQL text, sees the same text again.
// Lengths are bounded by the batch size.
type sqlCache struct{ m sync.Map } // int -> string

func (c *sqlCache) get(n int, build func(int) string) string {
	if q, ok := c.m.Load(n); ok {
		return q.(string)
	}
	q := build(n)
	c.m.Store(n, q)
	return q
}
