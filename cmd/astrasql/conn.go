package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"golang.org/x/term"
)

var termIsTerminal = term.IsTerminal

// The environment variables Astra's own documentation uses.
const (
	envEndpoint = "ASTRA_DB_API_ENDPOINT"
	envToken    = "ASTRA_DB_APPLICATION_TOKEN"
	envKeyspace = "ASTRA_DB_KEYSPACE"
)

// embeddedToken is sent to the embedded server, which accepts any token;
// it is not a secret.
const embeddedToken = "astrasql-local"

// connFlags are the connection flags every subcommand shares.
type connFlags struct {
	dsn      string
	keyspace string

	// Set by open: where we connected, for the banner (never the token).
	target   string
	embedded bool
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.dsn, "dsn", "", "database `URL` with options, e.g. https://<db-id>-<region>.apps.astra.datastax.com?keyspace=ks")
	fs.StringVar(&c.keyspace, "keyspace", "", "`keyspace` to use (overrides the DSN's)")
}

// open connects as the flags and environment say: -dsn, else
// $ASTRA_DB_API_ENDPOINT (the driver reads $ASTRA_DB_APPLICATION_TOKEN
// itself, so the token never passes through here), else an embedded local
// server, which is announced on stderr.
func (c *connFlags) open(ctx context.Context, stderr io.Writer) (*sql.DB, func(), error) {
	dsn := c.dsn
	cleanup := func() {}
	keyspace := c.keyspace
	switch {
	case dsn != "":
	case os.Getenv(envEndpoint) != "":
		dsn = os.Getenv(envEndpoint)
		if keyspace == "" {
			keyspace = os.Getenv(envKeyspace)
		}
	default:
		base, stop, err := startEmbedded()
		if err != nil {
			return nil, nil, fmt.Errorf("starting the embedded local server: %v", err)
		}
		cleanup = stop
		c.embedded = true
		dsn = base + "?keyspace=default_keyspace&token=" + embeddedToken
		fmt.Fprintf(stderr, "astrasql: no -dsn or %s: using an embedded local Data API server at %s (data is kept in memory only)\n", envEndpoint, base)
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		cleanup()
		return nil, nil, fmt.Errorf("bad DSN %q: want a URL such as https://<db-id>-<region>.apps.astra.datastax.com?keyspace=ks", redact(dsn))
	}
	if keyspace != "" {
		q := u.Query()
		q.Set("keyspace", keyspace)
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	ks := u.Query().Get("keyspace")
	if ks == "" {
		ks = "default_keyspace"
	}
	c.target = fmt.Sprintf("%s://%s%s (keyspace %s)", u.Scheme, u.Host, u.Path, ks)

	db, err := sql.Open("astra", dsn)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		cleanup()
		return nil, nil, fmt.Errorf("cannot connect to %s: %s", c.target, errorText(err))
	}
	return db, func() { db.Close(); cleanup() }, nil
}

// describe says where we are connected, without the token.
func (c *connFlags) describe() string {
	if c.embedded {
		return "the embedded local server at " + c.target + ", data in memory only"
	}
	return c.target
}

// redact hides a token given in a DSN.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable DSN)"
	}
	q := u.Query()
	if q.Has("token") {
		q.Set("token", "REDACTED")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
