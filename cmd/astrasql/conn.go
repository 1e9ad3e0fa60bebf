package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi"

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
	// remote: the demo may use $ASTRA_DB_API_ENDPOINT.
	remote bool

	// Set by open: where we connected, for the banner (never the token).
	target   string
	embedded bool
	// base is the embedded server's URL once started (reused when the
	// prompt switches keyspace).
	base string
	stop func()
	// hook observes every request (the prompt's warnings).
	hook dataapi.Hook
	// options are extra DSN options ("safe_updates").
	options map[string]string
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.dsn, "dsn", "", "database `URL` with options, e.g. https://<db-id>-<region>.apps.astra.datastax.com?keyspace=ks")
	fs.StringVar(&c.keyspace, "keyspace", "", "`keyspace` to use (overrides the DSN's)")
}

// usageError is a mistake in the flags: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// open connects as the flags and environment say: -dsn, else
// $ASTRA_DB_API_ENDPOINT (the driver reads $ASTRA_DB_APPLICATION_TOKEN
// itself, so the token never passes through here), else an embedded local
// server, which is announced on stderr. Calling it again reconnects (to
// another keyspace, say), reusing the embedded server.
func (c *connFlags) open(ctx context.Context, stderr io.Writer) (*sql.DB, error) {
	dsn := c.dsn
	keyspace := c.keyspace
	switch {
	case dsn != "":
	case os.Getenv(envEndpoint) != "" && !c.embedded:
		dsn = os.Getenv(envEndpoint)
		if keyspace == "" {
			keyspace = os.Getenv(envKeyspace)
		}
	default:
		if c.base == "" {
			base, stop, err := startEmbedded()
			if err != nil {
				return nil, fmt.Errorf("starting the embedded local server: %v", err)
			}
			c.base, c.stop, c.embedded = base, stop, true
			fmt.Fprintf(stderr, "astrasql: no -dsn or %s: using an embedded local Data API server at %s (data is kept in memory only)\n", envEndpoint, base)
		}
		dsn = c.base + "?keyspace=default_keyspace&token=" + embeddedToken
	}
	if !strings.Contains(dsn, "://") {
		host, _, _ := strings.Cut(dsn, "?")
		return nil, usageError{fmt.Sprintf("bad DSN %q: a DSN is a URL and starts with https:// (Astra) or http:// (a local server, e.g. http://%s)", host, host)}
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return nil, usageError{fmt.Sprintf("bad DSN %q: want a URL such as https://<db-id>-<region>.apps.astra.datastax.com?keyspace=ks", redact(dsn))}
	}
	q := u.Query()
	if keyspace != "" {
		q.Set("keyspace", keyspace)
	}
	for k, v := range c.options {
		if !q.Has(k) {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	ks := q.Get("keyspace")
	if ks == "" {
		ks = "default_keyspace"
	}
	c.target = fmt.Sprintf("%s://%s%s (keyspace %s)", u.Scheme, u.Host, u.Path, ks)

	cfg, err := astrasql.ParseDSN(u.String())
	if err != nil {
		return nil, usageError{errorText(err)}
	}
	cfg.Hook = c.hook
	connector, err := astrasql.NewConnector(cfg)
	if err != nil {
		return nil, errors.New(sqlTerms(err))
	}
	db := sql.OpenDB(connector)
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot connect to %s: %s", c.target, sqlTerms(err))
	}
	return db, nil
}

// close stops the embedded server, if one was started.
func (c *connFlags) close() {
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
}

// describe says where we are connected, without the token.
func (c *connFlags) describe() string {
	if c.embedded {
		return "the embedded local server at " + c.target + ", data in memory only"
	}
	return c.target
}

// openOrExit opens the connection for a command, printing why not (exit
// status 2 for a bad flag, 1 otherwise).
func (c *connFlags) openOrExit(ctx context.Context, stderr io.Writer) (*sql.DB, int) {
	db, err := c.open(ctx, stderr)
	if err != nil {
		c.close()
		fmt.Fprintf(stderr, "astrasql: %s\n", errorText(err))
		var ue usageError
		if errors.As(err, &ue) {
			return nil, exitUsage
		}
		return nil, exitError
	}
	return db, exitOK
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
