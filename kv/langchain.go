package kv

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/astrasql/astrasql/dataapi"
)

// langchain is the backend of a store on LangChain's collection layout:
// one document {"_id": key, "value": value} per key.
type langchain[V any] struct {
	cl       *dataapi.Client
	keyspace string // "" for the client's
	coll     string
	enc      func(V) (json.RawMessage, error)
	dec      func(json.RawMessage) (V, error)
}

// maxInsertMany is the real server's limit of documents per insertMany.
const maxInsertMany = 100

// NewLangChainStore returns a store on the collection layout of
// LangChain's AstraDBStore: one document {"_id": key, "value": value} per
// key, value being V's JSON (encoding/json). The Data API is reached
// through db's driver connection, so db must be opened with the astra
// driver; one DSN and one token serve both. The collection is created with
// LangChain's options ({"indexing": {"allow": ["_id"]}}) when missing,
// unless WithoutCreate is given; see the package documentation for which
// existing collections are accepted. WithTable does not apply: the
// collection argument names the collection.
func NewLangChainStore[V any](ctx context.Context, db *sql.DB, collection string, opts ...Option) (*Store[V], error) {
	return newLangChain(ctx, db, collection, &langchain[V]{
		enc: func(v V) (json.RawMessage, error) { return json.Marshal(v) },
		dec: func(raw json.RawMessage) (V, error) {
			var v V
			err := json.Unmarshal(raw, &v)
			return v, err
		},
	}, opts)
}

// NewLangChainByteStore returns a store on the collection layout of
// LangChain's AstraDBByteStore: one document {"_id": key, "value":
// base64} per key, the bytes as standard base64 with padding. Otherwise as
// NewLangChainStore.
func NewLangChainByteStore(ctx context.Context, db *sql.DB, collection string, opts ...Option) (*Store[[]byte], error) {
	return newLangChain(ctx, db, collection, &langchain[[]byte]{
		enc: func(v []byte) (json.RawMessage, error) {
			return json.Marshal(base64.StdEncoding.EncodeToString(v))
		},
		dec: func(raw json.RawMessage) ([]byte, error) {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, fmt.Errorf("value is not a base64 string: %w", err)
			}
			return base64.StdEncoding.DecodeString(s)
		},
	}, opts)
}

// clientHolder is what the astra driver's connections offer.
type clientHolder interface {
	DataAPIClient() *dataapi.Client
}

func newLangChain[V any](ctx context.Context, db *sql.DB, coll string, lc *langchain[V], opts []Option) (*Store[V], error) {
	if db == nil {
		return nil, errors.New("kv: nil *sql.DB")
	}
	cfg := config{table: coll, create: true, batchSize: maxInsertMany, concurrency: defaultConcurrency, batchBytes: defaultBatchBytes}
	for _, o := range opts {
		o(&cfg)
	}
	switch {
	case !nameRE.MatchString(coll):
		return nil, fmt.Errorf("kv: invalid collection name %q: want 1 to 48 letters, digits or underscores", coll)
	case cfg.table != coll:
		return nil, errors.New("kv: WithTable does not apply to a LangChain store: the collection argument names the collection")
	case cfg.keyspace != "" && !nameRE.MatchString(cfg.keyspace):
		return nil, fmt.Errorf("kv: invalid keyspace name %q: want 1 to 48 letters, digits or underscores", cfg.keyspace)
	case cfg.batchSize < 1:
		return nil, fmt.Errorf("kv: batch size %d: want at least 1", cfg.batchSize)
	case cfg.concurrency < 1:
		return nil, fmt.Errorf("kv: concurrency %d: want at least 1", cfg.concurrency)
	}
	cfg.batchSize = min(cfg.batchSize, maxInsertMany)
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("kv: %w", err)
	}
	err = conn.Raw(func(dc any) error {
		h, ok := dc.(clientHolder)
		if !ok {
			return fmt.Errorf("kv: a LangChain store needs a *sql.DB of the astra driver (its connection %T offers no Data API client)", dc)
		}
		lc.cl = h.DataAPIClient()
		return nil
	})
	conn.Close()
	if err != nil {
		return nil, err
	}
	lc.keyspace, lc.coll = cfg.keyspace, coll
	s := &Store[V]{db: db, cfg: cfg, name: coll, lc: lc}
	if cfg.keyspace != "" {
		s.name = cfg.keyspace + "." + coll
	}
	if err := lc.setup(ctx, s.name, cfg.create); err != nil {
		return nil, err
	}
	return s, nil
}

// setup finds the collection, creating it when missing and allowed, and
// checks its options.
func (lc *langchain[V]) setup(ctx context.Context, name string, create bool) error {
	cols, err := lc.cl.FindCollections(ctx, lc.keyspace)
	if err != nil {
		return fmt.Errorf("kv: listing collections: %w", err)
	}
	for _, c := range cols {
		if c.Name == lc.coll {
			return compatible(name, c.Options)
		}
	}
	if !create {
		return fmt.Errorf("kv: collection %s does not exist", name)
	}
	opts := &dataapi.CollectionOptions{Indexing: &dataapi.Indexing{Allow: []string{"_id"}}}
	if _, err := lc.cl.CreateCollection(ctx, dataapi.CreateCollectionRequest{Keyspace: lc.keyspace, Name: lc.coll, Options: opts}); err != nil {
		return fmt.Errorf("kv: creating collection %s: %w", name, err)
	}
	return nil
}

// compatible accepts an existing collection whose options keep "value"
// out of the index, as LangChain's own ({"allow": ["_id"]}) do, or that
// has no indexing option at all (everything indexed, as collections made
// by older LangChain versions: LangChain uses them too). A collection that
// was made to index "value" is refused: values over the server's limits
// for indexed data (strings of 8000 bytes, arrays of 1000 elements) would
// fail there although LangChain's layout accepts them.
func compatible(name string, o dataapi.CollectionOptions) error {
	ix := o.Indexing
	if ix == nil {
		return nil
	}
	covers := func(list []string) bool {
		for _, p := range list {
			if p == "*" || p == "value" || strings.HasPrefix(p, "value.") {
				return true
			}
		}
		return false
	}
	switch {
	case len(ix.Allow) > 0 && !covers(ix.Allow):
		return nil
	case len(ix.Deny) > 0 && (slices.Contains(ix.Deny, "value") || slices.Contains(ix.Deny, "*")):
		return nil
	}
	return fmt.Errorf(`kv: collection %s exists with indexing options that index "value" (allow %q, deny %q); LangChain's stores need it unindexed ({"indexing": {"allow": ["_id"]}}): use another collection or recreate this one`, name, ix.Allow, ix.Deny)
}

func idJSON(k string) json.RawMessage {
	b, _ := json.Marshal(k) // a string always marshals
	return b
}

func (lc *langchain[V]) document(k string, v json.RawMessage) json.RawMessage {
	return json.RawMessage(`{"_id":` + string(idJSON(k)) + `,"value":` + string(v) + `}`)
}

// mset is MSet on the collection: insertMany unordered of each batch,
// then the keys that already existed replaced one by one, as LangChain
// does.
func (s *Store[V]) lcMSet(ctx context.Context, pairs []Pair[V]) error {
	lc := s.lc
	keys := make([]string, 0, len(pairs))
	vals := make([]json.RawMessage, 0, len(pairs))
	sizes := make([]int, 0, len(pairs))
	seen := make(map[string]int, len(pairs))
	for _, p := range pairs {
		if err := checkKey(p.Key); err != nil {
			return s.invalid("MSet", pairs, err)
		}
		v, err := lc.enc(p.Value)
		if err != nil {
			return s.invalid("MSet", pairs, &KeyError{Key: p.Key, Err: fmt.Errorf("value does not encode: %w", err)})
		}
		size := len(v) + jsonStringLen(p.Key) + 24
		if i, ok := seen[p.Key]; ok {
			vals[i], sizes[i] = v, size
			continue
		}
		seen[p.Key] = len(keys)
		keys = append(keys, p.Key)
		vals = append(vals, v)
		sizes = append(sizes, size)
	}
	batches := split(sizes, s.cfg.batchSize, s.cfg.batchBytes)
	return s.writeStates(ctx, "MSet", keys, batches, func(ctx context.Context, b span) ([]rowState, error) {
		docs := make([]json.RawMessage, 0, b.hi-b.lo)
		for i := b.lo; i < b.hi; i++ {
			docs = append(docs, lc.document(keys[i], vals[i]))
		}
		states := make([]rowState, b.hi-b.lo)
		res, err := lc.cl.InsertDocuments(ctx, dataapi.InsertDocumentsRequest{Keyspace: lc.keyspace, Collection: lc.coll, Documents: docs})
		if res == nil || len(res.Outcomes) != len(docs) {
			if isRefusal(err) {
				fill(states, rowNotWritten)
			}
			return states, err
		}
		var causes []error
		for j, o := range res.Outcomes {
			switch {
			case o.Status == dataapi.DocInserted:
				states[j] = rowWritten
			case o.Err != nil && o.Err.ErrorCode == "DOCUMENT_ALREADY_EXISTS":
				states[j] = rowUnknown // replaced below
			case o.Status == dataapi.DocFailed || o.Status == dataapi.DocSkipped:
				states[j] = rowNotWritten
				if o.Err != nil {
					causes = append(causes, fmt.Errorf("key %s: %w", quoteKey(keys[b.lo+j]), o.Err))
				}
			}
		}
		for j, o := range res.Outcomes {
			if o.Err == nil || o.Err.ErrorCode != "DOCUMENT_ALREADY_EXISTS" {
				continue
			}
			k := keys[b.lo+j]
			_, err := lc.cl.ReplaceDocument(ctx, dataapi.ReplaceDocumentRequest{Keyspace: lc.keyspace, Collection: lc.coll,
				Filter: json.RawMessage(`{"_id":` + string(idJSON(k)) + `}`), Replacement: docs[j], Upsert: true})
			if err != nil {
				if isRefusal(err) {
					states[j] = rowNotWritten
				}
				causes = append(causes, fmt.Errorf("replacing key %s: %w", quoteKey(k), err))
				break // the rest stay unknown: not tried
			}
			states[j] = rowWritten
		}
		for j := range states {
			if states[j] == rowUnknown && len(causes) > 0 {
				// existing keys not replaced after a failure were not touched
				if o := res.Outcomes[j]; o.Err != nil && o.Err.ErrorCode == "DOCUMENT_ALREADY_EXISTS" {
					states[j] = rowNotWritten
				}
			}
		}
		return states, errors.Join(causes...)
	})
}

func fill(states []rowState, st rowState) {
	for i := range states {
		states[i] = st
	}
}

// isRefusal reports whether err is the server refusing a whole command
// (nothing of it applied), rather than a failure with an unknown outcome.
func isRefusal(err error) bool {
	var re *dataapi.ResponseError
	return errors.As(err, &re)
}

// lcMGet reads the keys with find {"_id": {"$in": keys}} and projection
// {"*": true}, a page at a time.
func (s *Store[V]) lcMGet(ctx context.Context, uniq []string, store func(k string, raw json.RawMessage) error) error {
	lc := s.lc
	batches := split(make([]int, len(uniq)), min(s.cfg.batchSize, maxInValues), 0)
	_, errs, stop := runBatches(ctx, len(batches), s.cfg.concurrency, func(ctx context.Context, i int) error {
		b := batches[i]
		ids, _ := json.Marshal(uniq[b.lo:b.hi])
		req := dataapi.FindDocumentsRequest{Keyspace: lc.keyspace, Collection: lc.coll,
			Filter: json.RawMessage(`{"_id":{"$in":` + string(ids) + `}}`), Projection: json.RawMessage(`{"*":true}`)}
		for {
			res, err := lc.cl.FindDocuments(ctx, req)
			if err != nil {
				return err
			}
			for _, d := range res.Documents {
				var doc struct {
					ID    json.RawMessage `json:"_id"`
					Value json.RawMessage `json:"value"`
				}
				if err := json.Unmarshal(d, &doc); err != nil {
					return fmt.Errorf("undecodable document: %w", err)
				}
				var k string
				if err := json.Unmarshal(doc.ID, &k); err != nil {
					return fmt.Errorf("document _id %s is not a string", doc.ID)
				}
				if err := store(k, doc.Value); err != nil {
					return err
				}
			}
			if res.NextPageState == "" {
				return nil
			}
			req.PageState = res.NextPageState
		}
	})
	return errors.Join(append(errs, stop)...)
}

// lcMDelete deletes each batch with deleteMany {"_id": {"$in": keys}},
// repeated while the server reports more matching documents.
func (s *Store[V]) lcMDelete(ctx context.Context, uniq []string) error {
	lc := s.lc
	batches := split(make([]int, len(uniq)), min(s.cfg.batchSize, maxInValues), 0)
	return s.writeStates(ctx, "MDelete", uniq, batches, func(ctx context.Context, b span) ([]rowState, error) {
		ids, _ := json.Marshal(uniq[b.lo:b.hi])
		filter := json.RawMessage(`{"_id":{"$in":` + string(ids) + `}}`)
		states := make([]rowState, b.hi-b.lo)
		for first := true; ; first = false {
			res, err := lc.cl.DeleteMany(ctx, dataapi.DeleteRequest{Keyspace: lc.keyspace, Table: lc.coll, Filter: filter})
			if err != nil {
				if first && isRefusal(err) {
					fill(states, rowNotWritten)
				}
				return states, err
			}
			if !res.MoreData {
				fill(states, rowWritten)
				return states, nil
			}
		}
	})
}

// lcKeys lists keys with find({}) over every document, projecting _id
// only, the prefix checked here as LangChain does.
func (s *Store[V]) lcKeys(ctx context.Context, prefix string) iter.Seq2[string, error] {
	lc := s.lc
	return func(yield func(string, error) bool) {
		req := dataapi.FindDocumentsRequest{Keyspace: lc.keyspace, Collection: lc.coll, Projection: json.RawMessage(`{"_id":1}`)}
		for {
			res, err := lc.cl.FindDocuments(ctx, req)
			if err != nil {
				yield("", fmt.Errorf("kv: Keys of %s: %w", s.name, err))
				return
			}
			for _, d := range res.Documents {
				var doc struct {
					ID json.RawMessage `json:"_id"`
				}
				var k string
				if json.Unmarshal(d, &doc) != nil || json.Unmarshal(doc.ID, &k) != nil {
					continue // not a key LangChain's layout can hold (a non-string _id)
				}
				if strings.HasPrefix(k, prefix) && !yield(k, nil) {
					return
				}
			}
			if res.NextPageState == "" {
				return
			}
			req.PageState = res.NextPageState
		}
	}
}

// writeStates runs one batch function per batch and sorts the keys into a
// WriteError by the states each batch reports.
func (s *Store[V]) writeStates(ctx context.Context, op string, keys []string, batches []span, do func(context.Context, span) ([]rowState, error)) error {
	states := make([][]rowState, len(batches))
	ran, errs, stop := runBatches(ctx, len(batches), s.cfg.concurrency, func(ctx context.Context, i int) error {
		st, err := do(ctx, batches[i])
		states[i] = st
		return err
	})
	failed := stop != nil
	for _, err := range errs {
		failed = failed || err != nil
	}
	if !failed {
		return nil
	}
	we := &WriteError{Op: op}
	var causes []error
	for i, b := range batches {
		part := keys[b.lo:b.hi]
		if !ran[i] {
			we.NotWritten = append(we.NotWritten, part...)
			continue
		}
		if errs[i] != nil {
			causes = append(causes, fmt.Errorf("command for %d keys, %s to %s: %w", len(part), quoteKey(part[0]), quoteKey(part[len(part)-1]), errs[i]))
		}
		for j, k := range part {
			st := rowUnknown
			if j < len(states[i]) {
				st = states[i][j]
			}
			if errs[i] == nil {
				st = rowWritten
			}
			switch st {
			case rowWritten:
				we.Written = append(we.Written, k)
			case rowNotWritten:
				we.NotWritten = append(we.NotWritten, k)
			default:
				we.Unknown = append(we.Unknown, k)
			}
		}
	}
	if stop != nil {
		causes = append(causes, stop)
	}
	we.Err = errors.Join(causes...)
	if len(causes) == 1 {
		we.Err = causes[0]
	}
	return we
}
