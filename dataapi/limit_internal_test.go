package dataapi

import (
	"context"
	"testing"
	"time"
)

// TestInsertLimiter: the adaptive limit grows while requests take the
// fastest time seen, shrinks (not below the floor) as they start to wait,
// halves on every 429/503 down to one, carries over to the next InsertMany,
// and stays put when fixed.
func TestInsertLimiter(t *testing.T) {
	c := &Client{}
	ctx := context.Background()
	step := func(l *limiter, took time.Duration, overload bool) {
		o, ok := l.acquire(ctx)
		if !ok {
			t.Fatal("acquire failed")
		}
		if overload {
			c.insertLimits.overloaded.Add(1)
		}
		l.release(took, o, true)
	}
	l := c.newInsertLimiter(0)
	if l.limit != DefaultInsertConcurrency {
		t.Fatalf("start %v, want %d", l.limit, DefaultInsertConcurrency)
	}
	for range 200 {
		step(l, 20*time.Millisecond, false)
	}
	if l.limit != adaptiveMax {
		t.Errorf("at a steady round trip: %v, want %d", l.limit, adaptiveMax)
	}
	for range 200 {
		step(l, 200*time.Millisecond, false)
	}
	if int(l.limit) != adaptiveFloor {
		t.Errorf("requests waiting 10x the round trip: %v, want the floor %d", l.limit, adaptiveFloor)
	}
	step(l, 20*time.Millisecond, true)
	if int(l.limit) != adaptiveFloor/2 {
		t.Errorf("after a 429: %v, want %d", l.limit, adaptiveFloor/2)
	}
	for range 5 {
		step(l, 20*time.Millisecond, true)
	}
	if l.limit != adaptiveMin {
		t.Errorf("after many 429s: %v, want %d", l.limit, adaptiveMin)
	}
	l.done()
	if next := c.newInsertLimiter(0); next.limit != adaptiveMin {
		t.Errorf("the next InsertMany starts at %v, want what this one learned (%d)", next.limit, adaptiveMin)
	}
	f := c.newInsertLimiter(3)
	for range 50 {
		step(f, time.Millisecond, false)
	}
	step(f, time.Millisecond, true)
	if f.limit != 3 {
		t.Errorf("fixed limit moved to %v", f.limit)
	}
}

// TestInsertLimiterBlocks: no more than the limit in flight, and a waiter
// gives up when its context ends.
func TestInsertLimiterBlocks(t *testing.T) {
	c := &Client{}
	l := c.newInsertLimiter(2)
	ctx := context.Background()
	for range 2 {
		if _, ok := l.acquire(ctx); !ok {
			t.Fatal("acquire under the limit failed")
		}
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, ok := l.acquire(cctx); ok {
		t.Fatal("a third request got in over a limit of 2")
	}
	l.release(time.Millisecond, 0, true)
	if _, ok := l.acquire(ctx); !ok {
		t.Fatal("acquire after a release failed")
	}
}
