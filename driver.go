package astrasql

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"fmt"
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
//
// The cache is keyed by a keyed digest of the DSN, never the DSN itself,
// which may hold the token: printing a Driver (db.Driver()) shows no secret.
type Driver struct {
	mu    sync.Mutex
	cache map[dsnKey]*core
}

// dsnKey is HMAC-SHA256 of a DSN under a key drawn at start-up, so that
// the digest of a DSN holding a guessable token cannot be checked offline.
type dsnKey [sha256.Size]byte

var dsnKeySecret = func() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return b
}()

func keyOf(dsn string) dsnKey {
	m := hmac.New(sha256.New, dsnKeySecret)
	m.Write([]byte(dsn))
	var k dsnKey
	m.Sum(k[:0])
	return k
}

// Format prints the number of cached connectors, for every verb.
func (d *Driver) Format(f fmt.State, _ rune) {
	d.mu.Lock()
	n := len(d.cache)
	d.mu.Unlock()
	fmt.Fprintf(f, "astrasql.Driver{%d connectors cached}", n)
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
	key := keyOf(dsn)
	d.mu.Lock()
	defer d.mu.Unlock()
	if k := d.cache[key]; k != nil {
		k.refs++
		return &connector{core: k, drv: d, key: key}, nil
	}
	k, err := newCore(cfg)
	if err != nil {
		return nil, err
	}
	if d.cache == nil {
		d.cache = map[dsnKey]*core{}
	}
	d.cache[key] = k
	return &connector{core: k, drv: d, key: key}, nil
}

// release drops a reference to a cached core; the last one closes it.
func (d *Driver) release(key dsnKey, k *core) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	k.refs--
	if k.refs > 0 {
		return nil
	}
	if d.cache[key] == k {
		delete(d.cache, key)
	}
	return k.close()
}
