package astrasql

import (
	"container/list"
	"sync"
)

// planCache is an LRU of parsed statements and their plans by SQL text.
type planCache struct {
	mu    sync.Mutex
	size  int
	ll    *list.List
	items map[string]*list.Element
}

type cacheEntry struct {
	sql string
	p   *prepared
}

func newPlanCache(size int) *planCache {
	return &planCache{size: size, ll: list.New(), items: map[string]*list.Element{}}
}

func (c *planCache) get(sql string) *prepared {
	if c.size <= 0 {
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
	if c.size <= 0 {
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
	for c.ll.Len() > c.size {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.items, last.Value.(*cacheEntry).sql)
	}
}
