package astrasql

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/planner"
	"github.com/astrasql/astrasql/typesmap"
)

// schemaCache holds table definitions per keyspace, read with one
// listTables (explain) per keyspace and one listIndexes per table when
// first needed. It is dropped for a keyspace after DDL run through the
// driver and when the server reports a schema change.
type schemaCache struct {
	client    *dataapi.Client
	keyspace  string
	ver       atomic.Uint64
	mu        sync.Mutex
	keyspaces map[string]*ksSchema
}

type ksSchema struct {
	once   sync.Once
	err    error
	mu     sync.Mutex
	tables map[string]*tableSchema
}

type tableSchema struct {
	def     typesmap.TableDef
	once    sync.Once
	indexes []typesmap.IndexDef
	err     error
}

func newSchemaCache(cl *dataapi.Client, keyspace string) *schemaCache {
	return &schemaCache{client: cl, keyspace: keyspace, keyspaces: map[string]*ksSchema{}}
}

func (s *schemaCache) version() uint64 { return s.ver.Load() }

// invalidate drops what is known of a keyspace (all keyspaces for "") and
// reports whether anything was dropped.
func (s *schemaCache) invalidate(keyspace string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ver.Add(1)
	if keyspace == "" {
		n := len(s.keyspaces)
		s.keyspaces = map[string]*ksSchema{}
		return n > 0
	}
	_, ok := s.keyspaces[keyspace]
	delete(s.keyspaces, keyspace)
	return ok
}

func (s *schemaCache) ks(ctx context.Context, keyspace string) (*ksSchema, error) {
	s.mu.Lock()
	k := s.keyspaces[keyspace]
	if k == nil {
		k = &ksSchema{}
		s.keyspaces[keyspace] = k
	}
	s.mu.Unlock()
	k.once.Do(func() {
		res, err := s.client.ListTables(ctx, dataapi.ListTablesRequest{Keyspace: keyspace, Explain: true})
		if err != nil {
			k.err = err
			return
		}
		k.tables = map[string]*tableSchema{}
		for _, t := range res.Tables {
			k.tables[t.Name] = &tableSchema{def: t}
		}
	})
	if k.err != nil {
		// Do not cache failures (a cancelled context, a network error).
		s.mu.Lock()
		if s.keyspaces[keyspace] == k {
			delete(s.keyspaces, keyspace)
		}
		s.mu.Unlock()
		return nil, k.err
	}
	return k, nil
}

// table returns a table's definition and indexes.
func (s *schemaCache) table(ctx context.Context, keyspace, name string) (*typesmap.TableDef, []typesmap.IndexDef, error) {
	k, err := s.ks(ctx, keyspace)
	if err != nil {
		return nil, nil, err
	}
	k.mu.Lock()
	t := k.tables[name]
	k.mu.Unlock()
	if t == nil {
		return nil, nil, &planner.UnknownTableError{Keyspace: keyspace, Table: name}
	}
	t.once.Do(func() {
		res, err := s.client.ListIndexes(ctx, dataapi.ListIndexesRequest{Keyspace: keyspace, Table: name, Explain: true})
		if err != nil {
			t.err = err
			return
		}
		t.indexes = res.Indexes
	})
	if t.err != nil {
		err := t.err
		s.invalidate(keyspace)
		return nil, nil, err
	}
	return &t.def, t.indexes, nil
}

// view adapts the cache to planner.Schema for one statement's context.
func (s *schemaCache) view(ctx context.Context) planner.Schema { return schemaView{s, ctx} }

type schemaView struct {
	s   *schemaCache
	ctx context.Context
}

func (v schemaView) DefaultKeyspace() string { return v.s.keyspace }

func (v schemaView) Table(keyspace, table string) (*typesmap.TableDef, []typesmap.IndexDef, error) {
	return v.s.table(v.ctx, keyspace, table)
}
