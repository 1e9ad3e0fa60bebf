package astrasql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"sync"
)

// DriverName is the name the driver registers with database/sql.
const DriverName = "astra"

func init() {
	sql.Register(DriverName, &Driver{})
}

// Driver is the database/sql driver. sql.Open("astra", dsn) uses it;
// connectors are cached by DSN, so several sql.DB opened with one DSN share
// one HTTP connection pool, schema cache and plan cache.
type Driver struct {
	mu    sync.Mutex
	cache map[string]*core
}

// Open opens a connection from a DSN (database/sql prefers OpenConnector).
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector parses dsn and returns a connector, sharing the state of
// connectors open with the same DSN.
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	cfg, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if k := d.cache[dsn]; k != nil {
		k.refs++
		return &connector{core: k, drv: d, dsn: dsn}, nil
	}
	k, err := newCore(cfg)
	if err != nil {
		return nil, err
	}
	if d.cache == nil {
		d.cache = map[string]*core{}
	}
	d.cache[dsn] = k
	return &connector{core: k, drv: d, dsn: dsn}, nil
}

// release drops a reference to a cached core; the last one closes it.
func (d *Driver) release(dsn string, k *core) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	k.refs--
	if k.refs > 0 {
		return nil
	}
	if d.cache[dsn] == k {
		delete(d.cache, dsn)
	}
	return k.close()
}
