package kv

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// Store is a key-value store over one table; V is the Go type of its
// values. Create one with NewBytesStore or NewJSONStore. A Store is safe
// for concurrent use.
type Store[V any] struct {
	db     *sql.DB
	ident  string // quoted, possibly keyspace-qualified table name, for SQL
	name   string // the same unquoted, for messages
	codec  codec[V]
	cfg    config
	insert sqlCache
	get    sqlCache
	del    sqlCache
	lc     *langchain[V] // set for a LangChain collection store
}

// Pair is one key and its value, as given to MSet.
type Pair[V any] struct {
	Key   string
	Value V
}

// NewBytesStore returns a store of raw byte values in a table with a blob
// value column (default name "kv_store"), creating the table if it is
// missing.
func NewBytesStore(ctx context.Context, db *sql.DB, opts ...Option) (*Store[[]byte], error) {
	return newStore(ctx, db, "kv_store", bytesCodec(), opts)
}

// NewJSONStore returns a store of values kept as JSON text (encoding/json)
// in a table with a text value column (default name "kv_json"), creating
// the table if it is missing. V is any type encoding/json can marshal and
// unmarshal, such as a struct or map[string]any.
func NewJSONStore[V any](ctx context.Context, db *sql.DB, opts ...Option) (*Store[V], error) {
	return newStore(ctx, db, "kv_json", jsonCodec[V](), opts)
}

// An Option configures a store.
type Option func(*config)

type config struct {
	table       string
	keyspace    string
	create      bool
	batchSize   int
	batchBytes  int
	concurrency int
}

// WithTable sets the table name: 1 to 48 letters, digits or underscores.
// Names are quoted in SQL, so they are case-sensitive.
func WithTable(name string) Option { return func(c *config) { c.table = name } }

// WithKeyspace puts the table in the named keyspace instead of the DSN's.
func WithKeyspace(name string) Option { return func(c *config) { c.keyspace = name } }

// WithoutCreate makes the constructor fail if the table does not exist
// rather than create it.
func WithoutCreate() Option { return func(c *config) { c.create = false } }

// WithBatchSize sets how many keys go in one statement (default 100, the
// Data API's rows per insertMany and values per $in, so that one statement
// is one request). MGet and MDelete use at most 100 keys per statement
// whatever the setting: the driver would send a longer IN list as an $or of
// $in filters, which the server cannot serve as partition lookups.
func WithBatchSize(n int) Option { return func(c *config) { c.batchSize = n } }

// WithConcurrency sets how many statements of one call may run at once
// (default 4).
func WithConcurrency(n int) Option { return func(c *config) { c.concurrency = n } }

// withBatchBytes bounds the estimated request size of one INSERT; the
// Data API refuses bodies over 20 MB. Unexported: tests lower it.
func withBatchBytes(n int) Option { return func(c *config) { c.batchBytes = n } }

const (
	defaultBatchSize   = 100
	maxInValues        = 100 // the Data API's limit of values in one $in
	defaultBatchBytes  = 8 << 20
	defaultConcurrency = 4
)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,48}$`)

func newStore[V any](ctx context.Context, db *sql.DB, table string, c codec[V], opts []Option) (*Store[V], error) {
	if db == nil {
		return nil, errors.New("kv: nil *sql.DB")
	}
	cfg := config{
		table:       table,
		create:      true,
		batchSize:   defaultBatchSize,
		batchBytes:  defaultBatchBytes,
		concurrency: defaultConcurrency,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if !nameRE.MatchString(cfg.table) {
		return nil, fmt.Errorf("kv: invalid table name %q: want 1 to 48 letters, digits or underscores", cfg.table)
	}
	if cfg.keyspace != "" && !nameRE.MatchString(cfg.keyspace) {
		return nil, fmt.Errorf("kv: invalid keyspace name %q: want 1 to 48 letters, digits or underscores", cfg.keyspace)
	}
	if cfg.batchSize < 1 {
		return nil, fmt.Errorf("kv: batch size %d: want at least 1", cfg.batchSize)
	}
	if cfg.concurrency < 1 {
		return nil, fmt.Errorf("kv: concurrency %d: want at least 1", cfg.concurrency)
	}
	if cfg.batchBytes < 1 {
		cfg.batchBytes = defaultBatchBytes
	}
	s := &Store[V]{db: db, codec: c, cfg: cfg, ident: `"` + cfg.table + `"`, name: cfg.table}
	if cfg.keyspace != "" {
		s.ident = `"` + cfg.keyspace + `".` + s.ident
		s.name = cfg.keyspace + "." + s.name
	}
	if cfg.create {
		q := fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s ("key" text PRIMARY KEY, "value" %s)`, s.ident, c.cqlType)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("kv: creating table %s: %w", s.name, err)
		}
	}
	if err := s.checkSchema(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// checkSchema makes sure an existing table has the columns this store
// reads and writes, so that a wrong table fails here and not at the first
// write.
func (s *Store[V]) checkSchema(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT "key", "value" FROM `+s.ident+` LIMIT 1`)
	if err != nil {
		return fmt.Errorf("kv: table %s: %w", s.name, err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return fmt.Errorf("kv: table %s: %w", s.name, err)
	}
	want := []string{"TEXT", s.codec.dbType}
	if len(types) != len(want) {
		return fmt.Errorf("kv: table %s: query for key and value returned %d columns", s.name, len(types))
	}
	for i, t := range types {
		if got := t.DatabaseTypeName(); got != want[i] {
			return fmt.Errorf("kv: table %s: column %s has type %s, want %s", s.name, t.Name(), got, want[i])
		}
	}
	return rows.Close()
}

// Table returns the table (or collection) name, qualified by its keyspace
// when one was set with WithKeyspace.
func (s *Store[V]) Table() string { return s.name }

// MSet stores the pairs, replacing the values of keys that exist. When a
// key appears more than once the last pair wins. Keys and values are all
// checked before anything is written; then up to the batch size of pairs
// go in one INSERT statement. Every error is a *WriteError.
func (s *Store[V]) MSet(ctx context.Context, pairs []Pair[V]) error {
	if len(pairs) == 0 {
		return nil
	}
	if s.lc != nil {
		return s.lcMSet(ctx, pairs)
	}
	keys := make([]string, 0, len(pairs))
	args := make([]any, 0, 2*len(pairs)) // key, value, key, value, ...
	sizes := make([]int, 0, len(pairs))
	seen := make(map[string]int, len(pairs))
	for _, p := range pairs {
		if err := checkKey(p.Key); err != nil {
			return s.invalid("MSet", pairs, err)
		}
		v, size, err := s.codec.encode(p.Value)
		if err != nil {
			return s.invalid("MSet", pairs, &KeyError{Key: p.Key, Err: fmt.Errorf("value does not encode: %w", err)})
		}
		size += jsonStringLen(p.Key) + 16 // key, names and punctuation
		if i, ok := seen[p.Key]; ok {
			args[2*i+1], sizes[i] = v, size
			continue
		}
		seen[p.Key] = len(keys)
		keys = append(keys, p.Key)
		args = append(args, p.Key, v)
		sizes = append(sizes, size)
	}
	batches := split(sizes, s.cfg.batchSize, s.cfg.batchBytes)
	return s.write(ctx, "MSet", keys, batches, func(ctx context.Context, b span) error {
		n := b.hi - b.lo
		_, err := s.db.ExecContext(ctx, s.insert.get(n, s.insertSQL), args[2*b.lo:2*b.hi]...)
		return err
	})
}

// MGet returns the values of keys, in the order asked: vals[i] is the
// value of keys[i] when found[i], and the zero V when the key is absent.
// A key asked more than once is read once. A row whose value is NULL
// (written by other means than MSet) is found, with the zero V.
func (s *Store[V]) MGet(ctx context.Context, keys []string) (vals []V, found []bool, err error) {
	vals = make([]V, len(keys))
	found = make([]bool, len(keys))
	if len(keys) == 0 {
		return vals, found, nil
	}
	// where[k] lists the positions of k in keys; uniq keeps first-seen order.
	where := make(map[string][]int, len(keys))
	uniq := make([]string, 0, len(keys))
	for i, k := range keys {
		if err := checkKey(k); err != nil {
			return nil, nil, fmt.Errorf("kv: MGet: %w", err)
		}
		if _, ok := where[k]; !ok {
			uniq = append(uniq, k)
		}
		where[k] = append(where[k], i)
	}
	if s.lc != nil {
		var mu sync.Mutex
		err := s.lcMGet(ctx, uniq, func(k string, raw json.RawMessage) error {
			pos, ok := where[k]
			if !ok {
				return fmt.Errorf("server returned key %s, which was not asked for", quoteKey(k))
			}
			for _, p := range pos {
				v, err := s.lc.dec(raw)
				if err != nil {
					return fmt.Errorf("decoding the value of key %s: %w", quoteKey(k), err)
				}
				mu.Lock()
				vals[p], found[p] = v, true
				mu.Unlock()
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("kv: MGet from %s: %w", s.name, err)
		}
		return vals, found, nil
	}
	batches := split(make([]int, len(uniq)), min(s.cfg.batchSize, maxInValues), 0)
	_, errs, stop := runBatches(ctx, len(batches), s.cfg.concurrency, func(ctx context.Context, i int) error {
		b := batches[i]
		args := make([]any, 0, b.hi-b.lo)
		for _, k := range uniq[b.lo:b.hi] {
			args = append(args, k)
		}
		rows, err := s.db.QueryContext(ctx, s.get.get(b.hi-b.lo, s.selectSQL), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var raw []byte
			if err := rows.Scan(&k, &raw); err != nil {
				return err
			}
			pos, ok := where[k]
			if !ok {
				return fmt.Errorf("server returned key %s, which was not asked for", quoteKey(k))
			}
			v, err := s.codec.decode(raw)
			if err != nil {
				return fmt.Errorf("decoding the value of key %s: %w", quoteKey(k), err)
			}
			// Batches hold distinct keys, so goroutines never share a position.
			vals[pos[0]], found[pos[0]] = v, true
			for _, p := range pos[1:] {
				// A fresh decode, so that positions share no memory.
				vals[p], _ = s.codec.decode(bytes.Clone(raw))
				found[p] = true
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return rows.Close()
	})
	if err := errors.Join(append(errs, stop)...); err != nil {
		return nil, nil, fmt.Errorf("kv: MGet from %s: %w", s.name, err)
	}
	return vals, found, nil
}

// MDelete deletes the keys; keys that do not exist are not an error.
// Each batch is one DELETE ... WHERE "key" IN (...) statement, which the
// driver runs as a find of the keys that exist and one deleteMany with $in.
// Every error is a *WriteError (Written meaning deleted).
func (s *Store[V]) MDelete(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	uniq := distinct(keys)
	for _, k := range uniq {
		if err := checkKey(k); err != nil {
			return &WriteError{Op: "MDelete", NotWritten: uniq, Err: err}
		}
	}
	if s.lc != nil {
		return s.lcMDelete(ctx, uniq)
	}
	batches := split(make([]int, len(uniq)), min(s.cfg.batchSize, maxInValues), 0)
	return s.write(ctx, "MDelete", uniq, batches, func(ctx context.Context, b span) error {
		args := make([]any, 0, b.hi-b.lo)
		for _, k := range uniq[b.lo:b.hi] {
			args = append(args, k)
		}
		_, err := s.db.ExecContext(ctx, s.del.get(b.hi-b.lo, s.deleteSQL), args...)
		return err
	})
}

// Keys returns an iterator over the keys that start with prefix (all keys
// when prefix is empty), read page by page as the loop advances. Keys come
// in no particular order. On failure the iterator yields one non-nil error
// and stops. Breaking out of the loop releases the query; each loop over
// the iterator runs the query anew.
//
// The prefix is literal (no wildcards) and is compared byte by byte, as
// Cassandra compares text; see the package documentation for how the scan
// is pushed down.
func (s *Store[V]) Keys(ctx context.Context, prefix string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		if !utf8.ValidString(prefix) {
			yield("", fmt.Errorf("kv: Keys: prefix %s is not valid UTF-8", quoteKey(prefix)))
			return
		}
		if s.lc != nil {
			s.lcKeys(ctx, prefix)(yield)
			return
		}
		q := `SELECT "key" FROM ` + s.ident
		var args []any
		if prefix != "" {
			q += ` WHERE "key" >= ?`
			args = append(args, prefix)
			if hi, ok := prefixEnd(prefix); ok {
				q += ` AND "key" < ?`
				args = append(args, hi)
			}
		}
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			yield("", fmt.Errorf("kv: Keys of %s: %w", s.name, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				yield("", fmt.Errorf("kv: Keys of %s: %w", s.name, err))
				return
			}
			if !strings.HasPrefix(k, prefix) {
				continue
			}
			if !yield(k, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield("", fmt.Errorf("kv: Keys of %s: %w", s.name, err))
		}
	}
}

// invalid is the WriteError of an MSet refused before anything was sent.
func (s *Store[V]) invalid(op string, pairs []Pair[V], err error) *WriteError {
	keys := make([]string, len(pairs))
	for i, p := range pairs {
		keys[i] = p.Key
	}
	return &WriteError{Op: op, NotWritten: distinct(keys), Err: err}
}

// distinct returns keys without repeats, in first-seen order.
func distinct(keys []string) []string {
	out := make([]string, 0, len(keys))
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// write runs one statement per batch of keys and, on failure, sorts the
// keys into a WriteError by what is known of each batch.
func (s *Store[V]) write(ctx context.Context, op string, keys []string, batches []span, exec func(context.Context, span) error) error {
	ran, errs, stop := runBatches(ctx, len(batches), s.cfg.concurrency, func(ctx context.Context, i int) error {
		return exec(ctx, batches[i])
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
		switch {
		case !ran[i]:
			we.NotWritten = append(we.NotWritten, part...)
		case errs[i] == nil:
			we.Written = append(we.Written, part...)
		default:
			causes = append(causes, fmt.Errorf("statement for %d keys, %s to %s: %w", len(part), quoteKey(part[0]), quoteKey(part[len(part)-1]), errs[i]))
			states, ok := rowStates(errs[i], len(part))
			if !ok {
				we.Unknown = append(we.Unknown, part...)
				continue
			}
			for j, st := range states {
				switch st {
				case rowWritten:
					we.Written = append(we.Written, part[j])
				case rowNotWritten:
					we.NotWritten = append(we.NotWritten, part[j])
				default:
					we.Unknown = append(we.Unknown, part[j])
				}
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

func (s *Store[V]) insertSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO ` + s.ident + ` ("key", "value") VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?)")
	}
	return b.String()
}

func (s *Store[V]) selectSQL(n int) string {
	return `SELECT "key", "value" FROM ` + s.ident + ` WHERE "key" IN (` + placeholders(n) + `)`
}

func (s *Store[V]) deleteSQL(n int) string {
	return `DELETE FROM ` + s.ident + ` WHERE "key" IN (` + placeholders(n) + `)`
}

func placeholders(n int) string {
	return strings.Repeat("?, ", n-1) + "?"
}

// codec turns values into statement arguments and back.
type codec[V any] struct {
	cqlType string // type of the value column in CREATE TABLE
	dbType  string // its ColumnTypeDatabaseTypeName
	// encode returns the argument for v and an estimate of its size in the
	// request body.
	encode func(v V) (arg any, size int, err error)
	decode func(raw []byte) (V, error)
}

func bytesCodec() codec[[]byte] {
	return codec[[]byte]{
		cqlType: "blob",
		dbType:  "BLOB",
		encode: func(v []byte) (any, int, error) {
			if v == nil {
				v = []byte{} // an empty blob, not NULL
			}
			return v, (len(v)+2)/3*4 + 16, nil // base64 in {"$binary": "..."}
		},
		decode: func(raw []byte) ([]byte, error) { return raw, nil },
	}
}

func jsonCodec[V any]() codec[V] {
	return codec[V]{
		cqlType: "text",
		dbType:  "TEXT",
		encode: func(v V) (any, int, error) {
			b, err := json.Marshal(v)
			if err != nil {
				return nil, 0, err
			}
			s := string(b)
			return s, jsonStringLen(s), nil
		},
		decode: func(raw []byte) (V, error) {
			var v V
			if raw == nil { // a NULL value column reads as JSON null
				return v, nil
			}
			err := json.Unmarshal(raw, &v)
			return v, err
		},
	}
}

// jsonStringLen is the length of s as a JSON string, counting escapes
// generously (HTML characters and U+2028/U+2029 escaped, invalid bytes as
// \ufffd).
func jsonStringLen(s string) int {
	n := 2
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				n += 2
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				n += 6
			default:
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			n += 6
		} else {
			n += size
		}
		i += size
	}
	return n
}
