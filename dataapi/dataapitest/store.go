package dataapitest

import (
	"hash/fnv"
	"sort"
)

// row is one stored row. vals holds every non-null cell, primary key
// columns included.
type row struct {
	key    string // encoded full primary key
	part   *partition
	ck     []any // clustering values, in clustering order
	vals   map[string]any
	marker bool // written by an insert: the row exists even when all its regular cells are null (CQL row marker)
}

// partition holds the rows sharing a partition key, in clustering order
// (sorted lazily: appends in order keep it sorted, others mark it dirty).
type partition struct {
	key    string
	hash   uint64
	pk     []any
	rows   []*row
	sorted bool
	dead   bool
}

// store keeps a table's rows: O(1) lookups by primary key, partitions in a
// deterministic hash order, rows inside a partition in clustering order.
//
// Partition order stands in for Cassandra's Murmur3 token order: it is a
// 64-bit FNV hash of the encoded partition key (ties broken by the key),
// stable across runs, but not the real server's order.
type store struct {
	rows    map[string]*row
	parts   map[string]*partition
	order   []*partition // sorted by (hash, key); may hold dead partitions
	pending []*partition // new partitions not yet merged into order
	dirty   []*partition // partitions whose rows need sorting
	version uint64       // bumped on every write
	cmp     func(a, b []any) int
}

func (s *store) init() {
	s.rows = map[string]*row{}
	s.parts = map[string]*partition{}
	s.order, s.pending, s.dirty = nil, nil, nil
}

func hashKey(k string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(k))
	return h.Sum64()
}

func partLess(a, b *partition) bool {
	if a.hash != b.hash {
		return a.hash < b.hash
	}
	return a.key < b.key
}

// clean reports whether reads can use the order structures as they are.
func (s *store) clean() bool { return len(s.pending) == 0 && len(s.dirty) == 0 }

// tidy merges new partitions into the order and sorts dirty partitions.
// The caller holds the table's write lock.
func (s *store) tidy() {
	if len(s.pending) > 0 {
		sort.Slice(s.pending, func(i, j int) bool { return partLess(s.pending[i], s.pending[j]) })
		merged := make([]*partition, 0, len(s.order)+len(s.pending))
		i, j := 0, 0
		for i < len(s.order) || j < len(s.pending) {
			var p *partition
			if j >= len(s.pending) || (i < len(s.order) && partLess(s.order[i], s.pending[j])) {
				p = s.order[i]
				i++
			} else {
				p = s.pending[j]
				j++
			}
			if !p.dead {
				merged = append(merged, p)
			}
		}
		s.order, s.pending = merged, nil
	}
	for _, p := range s.dirty {
		if !p.sorted && !p.dead {
			sort.SliceStable(p.rows, func(i, j int) bool { return s.cmp(p.rows[i].ck, p.rows[j].ck) < 0 })
			p.sorted = true
		}
	}
	s.dirty = nil
}

// get returns the row with the encoded key.
func (s *store) get(key string) *row { return s.rows[key] }

// put adds a new row (the key must not exist).
func (s *store) put(r *row, partKey string, pk []any) {
	s.version++
	p := s.parts[partKey]
	if p == nil || p.dead {
		p = &partition{key: partKey, hash: hashKey(partKey), pk: pk, sorted: true}
		s.parts[partKey] = p
		s.pending = append(s.pending, p)
	}
	r.part = p
	s.rows[r.key] = r
	if p.sorted && len(p.rows) > 0 && s.cmp(p.rows[len(p.rows)-1].ck, r.ck) >= 0 {
		p.sorted = false
		s.dirty = append(s.dirty, p)
	}
	p.rows = append(p.rows, r)
}

// remove deletes a row.
func (s *store) remove(r *row) {
	s.version++
	delete(s.rows, r.key)
	p := r.part
	idx := -1
	if p.sorted {
		i := sort.Search(len(p.rows), func(i int) bool { return s.cmp(p.rows[i].ck, r.ck) >= 0 })
		if i < len(p.rows) && p.rows[i] == r {
			idx = i
		}
	}
	if idx < 0 {
		for i, x := range p.rows {
			if x == r {
				idx = i
				break
			}
		}
	}
	if idx >= 0 {
		copy(p.rows[idx:], p.rows[idx+1:])
		p.rows[len(p.rows)-1] = nil
		p.rows = p.rows[:len(p.rows)-1]
	}
	if len(p.rows) == 0 {
		p.dead = true
		delete(s.parts, p.key)
		// order entries for dead partitions are dropped at the next merge
		s.pending = append(s.pending, &partition{dead: true})
	}
}

func (s *store) truncate() {
	s.version++
	s.init()
}

func (s *store) dropColumn(name string) {
	s.version++
	for _, r := range s.rows {
		delete(r.vals, name)
	}
}
