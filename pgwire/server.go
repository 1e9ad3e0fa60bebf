// Package pgwire serves the PostgreSQL wire protocol (version 3) in front of
// the astrasql driver, so that psql, pgx, node-postgres, JDBC and other
// PostgreSQL clients can query Astra DB tables. It goes through
// database/sql like any other program; the driver does not import it.
//
// A client's database name is the keyspace. Its password is the Astra
// token (sent in clear text, so only over TLS or on loopback), unless
// Config.Password is set: then clients authenticate with that password
// (SCRAM-SHA-256) and the token comes from Config.DSN or the environment.
//
// Types: each Data API column type is sent with the nearest PostgreSQL
// type (see oidOf): tinyint and smallint as int2, int as int4, bigint and
// counter as int8, varint and decimal as numeric, float as float4, double
// as float8, boolean as bool, text and ascii as text, timestamp as
// timestamptz, date, time, duration as interval, uuid and timeuuid as
// uuid, inet, blob as bytea, lists and sets as arrays of their element
// type, maps and UDTs as json. Vectors are sent as text in pgvector's form
// [1,2,3]: pgvector's own type has no fixed OID (it is created by CREATE
// EXTENSION), so no client could decode it as such, while the text form is
// what psql, GUI tools and pgvector users read and write; a vector
// parameter is described as float4[] so that drivers send []float32 as
// is, and the text forms [1,2,3] and {1,2,3} are accepted too.
package pgwire

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi"
)

// Config configures a Server.
type Config struct {
	// DSN is the driver's DSN (endpoint and options). Its keyspace is
	// replaced by each client's database name.
	DSN string
	// Password, if set, is what clients must give (checked with
	// SCRAM-SHA-256 or, over TLS, in clear text); the token is then the
	// DSN's (or $ASTRA_DB_APPLICATION_TOKEN). If empty, each client's
	// password is used as the Astra token.
	Password string
	// TLSConfig, if set, lets clients switch to TLS (sslmode=require); it is
	// required to listen beyond loopback.
	TLSConfig *tls.Config
	// Logger, if set, receives one record per connection and error. The
	// server writes nowhere else.
	Logger *slog.Logger
}

// Server is a PostgreSQL protocol front end. Connections to the same
// keyspace with the same token share one *sql.DB (one connector: schema
// and plan caches, HTTP connections); each is its own session.
type Server struct {
	cfg  Config
	base astrasql.Config

	mu       sync.Mutex
	dbs      map[dbKey]*sql.DB
	sessions map[uint64]*session // by process ID and secret key
	lns      []net.Listener
	conns    map[net.Conn]struct{}
	closed   bool
	wg       sync.WaitGroup
}

type dbKey struct {
	keyspace string
	token    [32]byte // sha256 of the token: the map never holds it
}

// NewServer checks the configuration. It does not connect yet: each
// keyspace is opened (and its token checked) when a client first asks.
func NewServer(cfg Config) (*Server, error) {
	base, err := astrasql.ParseDSN(cfg.DSN)
	if err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, base: base, dbs: map[dbKey]*sql.DB{},
		sessions: map[uint64]*session{}, conns: map[net.Conn]struct{}{}}, nil
}

// ErrInsecureListen is returned by Serve for a listener beyond loopback
// without a TLS configuration: passwords (tokens) would cross the network
// in clear text.
var ErrInsecureListen = errors.New("pgwire: refusing to listen beyond loopback without TLS (set a TLS certificate and key)")

// Serve accepts connections on ln until Close. It refuses a listener on a
// non-loopback address unless Config.TLSConfig is set.
func (s *Server) Serve(ln net.Listener) error {
	if s.cfg.TLSConfig == nil && !loopbackAddr(ln.Addr()) {
		return ErrInsecureListen
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return net.ErrClosed
	}
	s.lns = append(s.lns, ln)
	s.mu.Unlock()
	for {
		c, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return err
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return nil
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.serveConn(c)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// Close stops the listeners, drops every connection (their statements
// are cancelled and their transactions rolled back) and closes the
// databases.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for _, ln := range s.lns {
		ln.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, db := range s.dbs {
		db.Close()
		delete(s.dbs, k)
	}
	return nil
}

func loopbackAddr(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		_, isUnix := a.(*net.UnixAddr)
		return isUnix
	}
	return ta.IP.IsLoopback()
}

// db returns the shared *sql.DB of a keyspace and token, opening it (and
// checking the token with a ping) the first time.
func (s *Server) db(ctx context.Context, keyspace, token string) (*sql.DB, error) {
	k := dbKey{keyspace: keyspace, token: sha256.Sum256([]byte(token))}
	s.mu.Lock()
	db := s.dbs[k]
	s.mu.Unlock()
	if db != nil {
		return db, nil
	}
	cfg := s.base
	cfg.Keyspace = keyspace
	if token != "" {
		cfg.Token = astrasql.NewSecret(token)
	}
	cfg.Hook = noticeHook{}
	conn, err := astrasql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db = sql.OpenDB(conn)
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.dbs[k]; old != nil {
		db.Close()
		return old, nil
	}
	s.dbs[k] = db
	return db, nil
}

// register gives a session its cancel key (process ID and secret).
func (s *Server) register(ss *session) {
	var b [8]byte
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		_, _ = rand.Read(b[:])
		key := binary.BigEndian.Uint64(b[:])
		if _, taken := s.sessions[key]; !taken && key != 0 {
			ss.pid, ss.secret = uint32(key>>32), uint32(key)
			s.sessions[key] = ss
			return
		}
	}
}

func (s *Server) unregister(ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, uint64(ss.pid)<<32|uint64(ss.secret))
}

// cancel cancels the running statement of the session with this key, if
// any (a CancelRequest: a wrong key is silently ignored, as PostgreSQL does).
func (s *Server) cancel(pid, secret uint32) {
	s.mu.Lock()
	ss := s.sessions[uint64(pid)<<32|uint64(secret)]
	s.mu.Unlock()
	if ss != nil {
		ss.cancelRunning()
	}
}

func (s *Server) logf(level slog.Level, msg string, args ...any) {
	if s.cfg.Logger != nil {
		s.cfg.Logger.Log(context.Background(), level, msg, args...)
	}
}

// noticeHook forwards the Data API's warnings to the session running the
// statement, as NoticeResponse messages.
type noticeHook struct{}

type noticeKey struct{}

func (noticeHook) CommandStart(ctx context.Context, _ *dataapi.StartEvent) context.Context {
	return ctx
}

func (noticeHook) CommandEnd(ctx context.Context, ev *dataapi.EndEvent) {
	if len(ev.Warnings) == 0 {
		return
	}
	if n, ok := ctx.Value(noticeKey{}).(*notices); ok {
		n.add(ev.Warnings)
	}
}

// notices collects a statement's warnings (the hook may run on other
// goroutines, pages being read ahead).
type notices struct {
	mu   sync.Mutex
	list []dataapi.Warning
	seen map[string]bool
}

func (n *notices) add(ws []dataapi.Warning) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, w := range ws {
		k := w.ErrorCode + "\x00" + w.Message
		if n.seen[k] {
			continue
		}
		if n.seen == nil {
			n.seen = map[string]bool{}
		}
		n.seen[k] = true
		n.list = append(n.list, w)
	}
}

func (n *notices) take() []dataapi.Warning {
	n.mu.Lock()
	defer n.mu.Unlock()
	l := n.list
	n.list = nil
	return l
}

var _ = fmt.Sprintf
