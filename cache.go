package astrasql

import (
	"container/list"
	"sync"
)

// Plan cache bounds. A parsed and planned statement holds about 40 times
// its text in memory (the AST, the literals, the plan), so the cache is
// bounded by an estimate of bytes as well as by entries, and statements
// longer than planCacheMaxSQL are never cached: such a text is almost
// always literal data (multi-row VALUES, long vectors, IN lists) that will
// not come again, and parsing is linear in it. Before, 512 INSERTs of
// literals held hundreds of MB (a 36 MB dump run with astrasql -f peaked at
// 3x the RSS of the same run without the cache).
const (
	planCacheMaxBytes = 32 << 20
	planCacheMaxSQL   = 4 << 10
	planCostPerByte   = 40
	planCostBase      = 2 << 10
)

// planCost estimates the memory an entry for sql holds.
func planCost(sql string) int { return planCostBase + planCostPerByte*len(sql) }

// planCache is an LRU of parsed statements and their plans by SQL text.
type planCache struct {
	mu       sync.Mutex
	size     int // entries
	maxBytes int // estimated bytes (planCost)
	bytes    int
	ll       *list.List
	items    map[string]*list.Element
}

type cacheEntry struct {
	sql string
	p   *prepared
}

func newPlanCache(size int) *planCache {
	return &planCache{size: size, maxBytes: planCacheMaxBytes, ll: list.New(), items: map[string]*list.Element{}}
}

// cacheable says whether statements of this text are kept.
func (c *planCache) cacheable(sql string) bool {
	return c.size > 0 && len(sql) <= planCacheMaxSQL && planCost(sql) <= c.maxBytes
}

func (c *planCache) get(sql string) *prepared {
	if !c.cacheable(sql) {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[sql]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*cacheEntry).p
	}
	return nil
}

func (c *planCache) put(sql string, p *prepared) {
	if !c.cacheable(sql) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[sql]; ok {
		e.Value.(*cacheEntry).p = p
		c.ll.MoveToFront(e)
		return
	}
	c.items[sql] = c.ll.PushFront(&cacheEntry{sql: sql, p: p})
	c.bytes += planCost(sql)
	for c.ll.Len() > c.size || c.bytes > c.maxBytes {
		last := c.ll.Back()
		c.ll.Remove(last)
		sql := last.Value.(*cacheEntry).sql
		delete(c.items, sql)
		c.bytes -= planCost(sql)
	}
}

// stats returns the entries and estimated bytes held (for tests).
func (c *planCache) stats() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len(), c.bytes
}
