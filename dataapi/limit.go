package dataapi

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// How many insertMany requests an unordered InsertMany keeps in flight,
// when the caller sets no InsertConcurrency: enough to cover the network's
// round trip, not so many that the server queues them. A fixed number is
// wrong both ways: 8 leaves a 20 ms link mostly idle, and on a loaded
// server more in flight only adds waiting.
//
// The limit follows a latency gradient (as TCP Vegas and Netflix's
// concurrency-limits do): while a request takes about as long as the
// fastest one seen (the round trip plus the server's own work), the limit
// grows by about its square root per completion; as requests start to
// wait on the server, it shrinks in proportion. A 429 or 503 (the server
// says it is overloaded) halves it. What one InsertMany learns seeds the
// next, so a bulk load of many statements converges once.
const (
	adaptiveMin       = 1
	adaptiveFloor     = 4  // latency alone does not take it lower; only overload does
	adaptiveMax       = 64 // what one InsertMany may have in flight at most
	adaptiveTolerance = 1.5
)

// insertLimits is a Client's learned state, shared by its InsertMany calls.
type insertLimits struct {
	mu     sync.Mutex
	limit  float64
	minRTT time.Duration
	// overloaded counts 429 and 503 answers to any of the client's
	// requests; a limiter compares it before and after a request.
	overloaded atomic.Int64
}

// limiter bounds the requests in flight for one InsertMany.
type limiter struct {
	shared   *insertLimits // nil: fixed at limit
	mu       sync.Mutex
	cond     *sync.Cond
	limit    float64
	minRTT   time.Duration
	inflight int
	samples  int
}

func (c *Client) newInsertLimiter(fixed int) *limiter {
	l := &limiter{limit: float64(fixed)}
	if fixed <= 0 {
		s := &c.insertLimits
		s.mu.Lock()
		if s.limit == 0 {
			s.limit = DefaultInsertConcurrency
		}
		l.shared, l.limit, l.minRTT = s, s.limit, s.minRTT
		s.mu.Unlock()
	}
	l.cond = sync.NewCond(&l.mu)
	return l
}

// acquire waits for room under the limit; it returns the overload count to
// hand back to release, or false when ctx ended first.
func (l *limiter) acquire(ctx context.Context) (int64, bool) {
	stop := context.AfterFunc(ctx, func() {
		l.mu.Lock()
		l.cond.Broadcast()
		l.mu.Unlock()
	})
	defer stop()
	l.mu.Lock()
	defer l.mu.Unlock()
	for float64(l.inflight) >= math.Floor(l.limit) {
		if ctx.Err() != nil {
			return 0, false
		}
		l.cond.Wait()
	}
	if ctx.Err() != nil {
		return 0, false
	}
	l.inflight++
	if l.shared == nil {
		return 0, true
	}
	return l.shared.overloaded.Load(), true
}

// release ends a request that took took; overloads is what acquire gave.
func (l *limiter) release(took time.Duration, overloads int64, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inflight--
	defer l.cond.Broadcast()
	if l.shared == nil {
		return
	}
	switch {
	case l.shared.overloaded.Load() != overloads:
		l.limit = max(adaptiveMin, l.limit/2)
	case ok && took > 0:
		l.samples++
		// The fastest time seen drifts up slowly, so that a path that became
		// slower for good is learned, while a server slowed by our own load
		// is not taken for a new normal at once.
		if l.minRTT == 0 || took < l.minRTT {
			l.minRTT = took
		} else if l.samples%256 == 0 {
			l.minRTT += l.minRTT / 10
		}
		gradient := min(1, max(0.5, adaptiveTolerance*float64(l.minRTT)/float64(took)))
		next := l.limit*gradient + math.Sqrt(l.limit)
		l.limit = max(min(adaptiveFloor, l.limit), min(adaptiveMax, 0.8*l.limit+0.2*next))
	}
}

// done hands what this InsertMany learned to the next.
func (l *limiter) done() {
	if l.shared == nil {
		return
	}
	l.mu.Lock()
	limit, minRTT := l.limit, l.minRTT
	l.mu.Unlock()
	l.shared.mu.Lock()
	l.shared.limit, l.shared.minRTT = limit, minRTT
	l.shared.mu.Unlock()
}
