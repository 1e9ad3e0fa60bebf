package pgwire

import (
	"context"
	"crypto/tls"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/astrasql/astrasql/typesmap"
)

// session is one client connection: its own *sql.Conn from the shared
// database, its transaction, prepared statements and portals.
type session struct {
	srv    *Server
	nc     net.Conn
	be     *pgproto3.Backend
	pid    uint32
	secret uint32

	db       *sql.DB
	conn     *sql.Conn
	tx       *sql.Tx
	txFailed bool // an error inside BEGIN ... : statements refused until ROLLBACK
	keyspace string
	params   map[string]string // session settings (SET / SHOW)
	enc      *encoder

	stmts   map[string]*prepared
	portals map[string]*portal
	columns map[string]map[string]typesmap.Type // table -> column -> CQL type, for parameter types

	runMu   sync.Mutex
	running context.CancelFunc // cancels the statement in progress
	// ignoreTillSync is set after an error in the extended protocol: messages
	// are skipped until Sync, as PostgreSQL does.
	ignoreTillSync bool
}

const startupTimeout = 30 * time.Second

func (s *Server) serveConn(nc net.Conn) {
	defer nc.Close()
	// A bug must cost one connection, not the server and every session.
	defer func() {
		if r := recover(); r != nil {
			s.logf(slog.LevelError, "pgwire: internal error; connection closed", "remote", nc.RemoteAddr().String(), "panic", fmt.Sprint(r))
		}
	}()
	ss := &session{srv: s, nc: nc, params: defaultParams(), enc: newEncoder(), stmts: map[string]*prepared{}, portals: map[string]*portal{}}
	ss.be = pgproto3.NewBackend(nc, nc)
	_ = nc.SetDeadline(time.Now().Add(startupTimeout))
	ok, err := ss.startup()
	if err != nil && !errors.Is(err, errQuiet) {
		s.logf(slog.LevelInfo, "pgwire: start-up failed", "remote", nc.RemoteAddr().String(), "err", err.Error())
	}
	if !ok {
		return
	}
	_ = ss.nc.SetDeadline(time.Time{})
	// From here on the client's bytes are read ahead (see pump): clients
	// send nothing between the password and ReadyForQuery, so the start-up
	// reader holds nothing unread.
	ss.be = pgproto3.NewBackend(newPump(ss.nc, ss.dropped), ss.nc)
	defer s.unregister(ss)
	defer ss.close()
	if err := ss.loop(); err != nil && !errors.Is(err, errQuiet) {
		s.logf(slog.LevelDebug, "pgwire: connection ended", "remote", nc.RemoteAddr().String(), "err", err.Error())
	}
}

// errQuiet ends a connection without logging (the client went away or
// asked to).
var errQuiet = errors.New("pgwire: connection closed")

// startup reads the start-up packet (switching to TLS on request),
// authenticates the client and opens its session. ok is false when the
// connection must end (a cancel request, a refusal).
func (ss *session) startup() (ok bool, err error) {
	tlsDone := false
	for {
		msg, err := ss.be.ReceiveStartupMessage()
		if err != nil {
			return false, errQuiet
		}
		switch m := msg.(type) {
		case *pgproto3.SSLRequest:
			if ss.srv.cfg.TLSConfig == nil || tlsDone {
				if _, err := ss.nc.Write([]byte{'N'}); err != nil {
					return false, errQuiet
				}
				continue
			}
			if _, err := ss.nc.Write([]byte{'S'}); err != nil {
				return false, errQuiet
			}
			tc := tls.Server(ss.nc, ss.srv.cfg.TLSConfig)
			if err := tc.Handshake(); err != nil {
				return false, fmt.Errorf("TLS handshake: %w", err)
			}
			ss.nc = tc
			ss.be = pgproto3.NewBackend(tc, tc)
			tlsDone = true
		case *pgproto3.GSSEncRequest:
			if _, err := ss.nc.Write([]byte{'N'}); err != nil {
				return false, errQuiet
			}
		case *pgproto3.CancelRequest:
			if len(m.SecretKey) == 4 {
				ss.srv.cancel(m.ProcessID, binary.BigEndian.Uint32(m.SecretKey))
			}
			return false, nil
		case *pgproto3.StartupMessage:
			return ss.start(m, tlsDone)
		default:
			return false, fmt.Errorf("unexpected start-up message %T", msg)
		}
	}
}

func (ss *session) start(m *pgproto3.StartupMessage, isTLS bool) (bool, error) {
	if !isTLS && !loopbackAddr(ss.nc.RemoteAddr()) {
		return false, ss.fatal(codeInvalidAuthSpec, "this server accepts connections from beyond loopback only over TLS (sslmode=require)")
	}
	user := m.Parameters["user"]
	keyspace := m.Parameters["database"]
	if keyspace == "" {
		keyspace = ss.srv.base.Keyspace
	}
	if keyspace == "" {
		keyspace = "default_keyspace"
	}
	var token string
	if ss.srv.cfg.Password != "" {
		if err := ss.authPassword(isTLS); err != nil {
			return false, err
		}
	} else {
		pw, err := ss.cleartext()
		if err != nil {
			return false, err
		}
		if pw == "" {
			return false, ss.fatal(codeInvalidPassword, "password authentication failed: the password is the Astra token, and it is empty")
		}
		token = pw
	}
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	db, err := ss.srv.db(ctx, keyspace, token)
	if err != nil {
		code, msg := classifyConnect(err, keyspace)
		return false, ss.fatal(code, msg)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, ss.fatal(codeConnectionFailure, "cannot open a session: "+errorText(err))
	}
	ss.db, ss.conn, ss.keyspace = db, conn, keyspace
	if v := m.Parameters["application_name"]; v != "" {
		ss.params["application_name"] = v
	}
	ss.params["session_authorization"] = user
	ss.be.Send(&pgproto3.AuthenticationOk{})
	for _, name := range reportedParams {
		ss.be.Send(&pgproto3.ParameterStatus{Name: name, Value: ss.params[strings.ToLower(name)]})
	}
	ss.srv.register(ss)
	var key [4]byte
	binary.BigEndian.PutUint32(key[:], ss.secret)
	ss.be.Send(&pgproto3.BackendKeyData{ProcessID: ss.pid, SecretKey: key[:]})
	ss.be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
	return true, ss.be.Flush()
}

// cleartext asks for the password in clear text (the connection is TLS or
// loopback: start checked).
func (ss *session) cleartext() (string, error) {
	ss.be.Send(&pgproto3.AuthenticationCleartextPassword{})
	if err := ss.be.Flush(); err != nil {
		return "", errQuiet
	}
	if err := ss.be.SetAuthType(pgproto3.AuthTypeCleartextPassword); err != nil {
		return "", err
	}
	msg, err := ss.be.Receive()
	if err != nil {
		return "", errQuiet
	}
	pm, ok := msg.(*pgproto3.PasswordMessage)
	if !ok {
		return "", ss.fatal(codeProtocolViolation, fmt.Sprintf("expected a password message, got %T", msg))
	}
	return pm.Password, nil
}

// authPassword checks the client against Config.Password: SCRAM-SHA-256,
// or the clear-text password over TLS for clients that cannot do SCRAM.
func (ss *session) authPassword(isTLS bool) error {
	want := ss.srv.cfg.Password
	if err := ss.scram(want); err != nil {
		return err
	}
	_ = isTLS
	return nil
}

// fatal sends a FATAL error and returns an error that ends the connection
// (logged without the message's details).
func (ss *session) fatal(code, msg string) error {
	ss.be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: code, Message: msg})
	_ = ss.be.Flush()
	return fmt.Errorf("refused (%s): %s", code, msg)
}

// close ends the session: the running statement is cancelled, an open
// transaction rolled back (its buffered writes discarded) and the
// connection returned to the pool.
func (ss *session) close() {
	ss.cancelRunning()
	for _, p := range ss.portals {
		p.close()
	}
	if ss.tx != nil {
		_ = ss.tx.Rollback()
		ss.tx = nil
	}
	if ss.conn != nil {
		ss.conn.Close()
	}
}

// dropped is called when the client's side of the connection ends: a
// running statement is cancelled (the session ends at its next read).
func (ss *session) dropped() { ss.cancelRunning() }

func (ss *session) cancelRunning() {
	ss.runMu.Lock()
	defer ss.runMu.Unlock()
	if ss.running != nil {
		ss.running()
	}
}

// statementContext is the context of one statement: cancelled by a
// CancelRequest or when the connection drops, and carrying the sink of the
// server's warnings.
func (ss *session) statementContext() (context.Context, *notices, func()) {
	n := &notices{}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), noticeKey{}, n))
	if d := settingDuration(ss.params["statement_timeout"]); d > 0 {
		ctx, cancel = context.WithTimeoutCause(ctx, d, errStatementTimeout)
	}
	ss.runMu.Lock()
	ss.running = cancel
	ss.runMu.Unlock()
	return ctx, n, func() {
		ss.runMu.Lock()
		ss.running = nil
		ss.runMu.Unlock()
		cancel()
	}
}

func (ss *session) txStatus() byte {
	switch {
	case ss.tx != nil && ss.txFailed:
		return 'E'
	case ss.tx != nil:
		return 'T'
	}
	return 'I'
}

var errStatementTimeout = newErr(codeCanceled, "canceling statement due to statement timeout")

// settingDuration reads a time setting as PostgreSQL does: a number of
// milliseconds, or a number with a unit (ms, s, min, h, d); 0 if unreadable.
func settingDuration(v string) time.Duration {
	v = strings.TrimSpace(strings.Trim(v, "'"))
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.') {
		i++
	}
	n, err := strconv.ParseFloat(v[:i], 64)
	if err != nil {
		return 0
	}
	unit := map[string]time.Duration{"": time.Millisecond, "ms": time.Millisecond, "s": time.Second,
		"min": time.Minute, "h": time.Hour, "d": 24 * time.Hour}[strings.ToLower(strings.TrimSpace(v[i:]))]
	return time.Duration(n * float64(unit))
}
