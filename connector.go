package astrasql

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/planner"
)

// NewConnector returns a connector for sql.OpenDB:
//
//	db := sql.OpenDB(astrasql.NewConnector(cfg)) // after checking the error
//
// The connector holds one Data API client (and its HTTP connection pool), a
// cache of table schemas and a cache of plans; close the sql.DB to release
// them.
func NewConnector(cfg Config) (driver.Connector, error) {
	k, err := newCore(cfg)
	if err != nil {
		return nil, err
	}
	return &connector{core: k}, nil
}

// connector is a driver.Connector over a shared core.
type connector struct {
	core *core
	drv  *Driver // set when cached by DSN
	key  dsnKey  // the cache key: a digest, never the DSN (it may hold the token)
	once sync.Once
}

// Format prints the connector's configuration without secrets, for every verb.
func (c *connector) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "astrasql.connector(%s)", c.core.cfg.String())
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c.core.closed() {
		return nil, errors.New("astrasql: connector is closed")
	}
	return &conn{k: c.core}, nil
}

func (c *connector) Driver() driver.Driver {
	if c.drv != nil {
		return c.drv
	}
	return &Driver{}
}

// Close releases the client (sql.DB.Close calls it).
func (c *connector) Close() error {
	var err error
	c.once.Do(func() {
		if c.drv != nil {
			err = c.drv.release(c.key, c.core)
			return
		}
		err = c.core.close()
	})
	return err
}

// core is what connections of one connector share.
type core struct {
	cfg    Config
	client *dataapi.Client
	schema *schemaCache
	plans  *planCache
	exec   *executor
	refs   int // connectors sharing it (Driver cache)

	mu       sync.Mutex
	isClosed bool
}

func newCore(cfg Config) (*core, error) {
	o, err := cfg.options()
	if err != nil {
		return nil, err
	}
	cl, err := dataapi.New(o)
	if err != nil {
		return nil, err
	}
	size := cfg.PlanCacheSize
	if size == 0 {
		size = DefaultPlanCacheSize
	}
	wc := cfg.WriteConcurrency
	if wc <= 0 {
		wc = DefaultWriteConcurrency
	}
	k := &core{cfg: cfg, client: cl, refs: 1,
		schema: newSchemaCache(cl, cfg.keyspace()), plans: newPlanCache(size)}
	k.exec = &executor{client: cl, cfg: cfg, writeConcurrency: wc}
	return k, nil
}

func (k *core) closed() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.isClosed
}

func (k *core) close() error {
	k.mu.Lock()
	if k.isClosed {
		k.mu.Unlock()
		return nil
	}
	k.isClosed = true
	k.mu.Unlock()
	return k.client.Close()
}

// prepared is a parsed statement and its plan for one schema version.
type prepared struct {
	st      *planner.Statement
	plan    *planner.Plan
	version uint64
}

// statement parses sql, or takes it from the plan cache.
func (k *core) statement(sql string) (*planner.Statement, error) {
	if e := k.plans.get(sql); e != nil {
		return e.st, nil
	}
	st, err := planner.Parse(sql)
	if err != nil {
		return nil, err
	}
	k.plans.put(sql, &prepared{st: st})
	return st, nil
}

// plan returns the plan of st for the current schema, from the cache when
// the schema has not changed since it was made. With safe_updates, an
// UPDATE or DELETE not restricted to full primary keys is refused here,
// before anything is sent (EXPLAIN still shows its plan).
func (k *core) plan(ctx context.Context, st *planner.Statement) (*planner.Plan, error) {
	p, err := k.planOnly(ctx, st)
	if err != nil {
		return nil, err
	}
	if why := p.UnkeyedWrite(); why != "" && k.cfg.SafeUpdates && !st.Explain {
		return nil, &SafeUpdatesError{Kind: st.Kind, Table: p.Table, Reason: why}
	}
	return p, nil
}

func (k *core) planOnly(ctx context.Context, st *planner.Statement) (*planner.Plan, error) {
	v := k.schema.version()
	if e := k.plans.get(st.SQL); e != nil && e.st == st && e.plan != nil && e.version == v {
		return e.plan, nil
	}
	p, err := st.Plan(k.schema.view(ctx))
	if err != nil {
		return nil, err
	}
	k.plans.put(st.SQL, &prepared{st: st, plan: p, version: v})
	return p, nil
}

// run plans (again if the schema changed) and runs st. When the server says
// the schema changed (unknown table or columns, rows with other columns),
// the schema is read again and the statement re-planned and retried once;
// such errors mean nothing was done.
func (k *core) run(ctx context.Context, st *planner.Statement, args []planner.Arg) (*planner.Plan, *planner.Result, error) {
	for attempt := 0; ; attempt++ {
		p, err := k.plan(ctx, st)
		if err != nil {
			if attempt == 0 && k.staleSchema(err) {
				continue // the table or column may have been created elsewhere
			}
			return nil, nil, err
		}
		if st.Explain {
			rows, err := p.ExplainRowsFor(k.exec, args)
			if err != nil {
				return nil, nil, err
			}
			return p, &planner.Result{Rows: planner.NewSliceIter(rows)}, nil
		}
		res, err := p.Run(ctx, k.exec, args)
		if err != nil {
			if attempt == 0 && schemaChanged(err) {
				k.schema.invalidate(p.Keyspace)
				continue
			}
			return nil, nil, err
		}
		if p.SchemaChange || res.SchemaChanged {
			k.schema.invalidate(p.Keyspace)
		}
		return p, res, nil
	}
}

// staleSchema drops the cached schema when a planning error may come from
// it being out of date (unknown table or column) and says whether to retry.
func (k *core) staleSchema(err error) bool {
	var ute *planner.UnknownTableError
	if errors.As(err, &ute) {
		return k.schema.invalidate(ute.Keyspace)
	}
	var uce *planner.UnknownColumnError
	if errors.As(err, &uce) {
		return k.schema.invalidate(uce.Keyspace)
	}
	return false
}

// schemaChanged recognises errors that mean the cached schema is stale.
func schemaChanged(err error) bool {
	var pw *planner.PartialWriteError
	if errors.As(err, &pw) && (pw.Done > 0 || pw.Unknown > 0) {
		return false // some rows were (or may have been) written: do not write them twice
	}
	var ie *InsertError
	if errors.As(err, &ie) && (ie.Written > 0 || ie.unknown() > 0) {
		return false
	}
	var sce *dataapi.SchemaChangedError
	if errors.As(err, &sce) {
		return true
	}
	var ae *dataapi.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode {
		case "UNKNOWN_TABLE_COLUMNS", "UNKNOWN_COLLECTION_OR_TABLE":
			return true
		}
	}
	return false
}
