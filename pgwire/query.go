package pgwire

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/typesmap"
)

// prepared is a parsed statement: what the driver will run, its
// parameters and the shape of its rows.
type prepared struct {
	sql        string // as the client sent it
	driverSQL  string // with $n rewritten
	nparams    int
	named      bool
	used       []bool // used[n-1]: $n appears
	paramOIDs  []uint32
	paramTypes []typesmap.Type
	query      bool     // returns rows
	cols       []column // the rows' columns
	verb       string   // first words of the command tag
	special    *special // answered by pgwire itself
}

// portal is a bound statement, with its open rows once executed.
type portal struct {
	st      *prepared
	args    []any
	formats []int16 // result formats, one per column (0 text, 1 binary)

	rows    *sql.Rows
	n       int64
	done    bool
	release func()
	notes   *notices
}

func (p *portal) close() {
	if p.rows != nil {
		p.rows.Close()
		p.rows = nil
	}
	if p.release != nil {
		p.release()
		p.release = nil
	}
}

// describer is implemented by the driver's prepared statements: the row
// shape before running (see astrasql's stmt.DescribeResult).
type describer interface {
	DescribeResult(ctx context.Context) (query bool, names, types []string, err error)
}

// prepare parses one statement: pgwire's own (SET, BEGIN, catalog
// queries) or the driver's, planned by it to learn its result columns and
// the types of its parameters.
func (ss *session) prepare(ctx context.Context, sqlText string, oids []uint32) (*prepared, error) {
	toks := lex(sqlText)
	p := &prepared{sql: sqlText, verb: commandVerb(toks)}
	if sp, ok, err := ss.specialFor(sqlText, toks); ok || err != nil {
		if err != nil {
			return nil, err
		}
		p.special = sp
		p.query = sp.cols != nil
		p.cols = sp.cols
		// Catalogue lookups may take parameters (WHERE oid = $1): as text.
		for _, t := range toks {
			if t.kind == tkParam && t.num > p.nparams && t.num <= 65535 {
				p.nparams = t.num
			}
		}
		p.paramOIDs = make([]uint32, p.nparams)
		p.paramTypes = make([]typesmap.Type, p.nparams)
		for i := range p.paramOIDs {
			p.paramOIDs[i] = oidText
			if i < len(oids) && oids[i] != 0 {
				p.paramOIDs[i] = oids[i]
			}
		}
		return p, nil
	}
	if ss.tx != nil && ss.txFailed {
		return nil, errFailedTx
	}
	driverSQL, n, named, err := rewriteParams(sqlText, toks)
	if err != nil {
		return nil, err
	}
	p.driverSQL, p.nparams, p.named = driverSQL, n, named
	p.used = make([]bool, n)
	for _, t := range toks {
		if t.kind == tkParam && t.num >= 1 && t.num <= n {
			p.used[t.num-1] = true
		}
	}
	err = ss.conn.Raw(func(dc any) error {
		pc, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return errors.New("pgwire: the driver cannot prepare statements")
		}
		ds, err := pc.PrepareContext(ctx, driverSQL)
		if err != nil {
			return err
		}
		defer ds.Close()
		d, ok := ds.(describer)
		if !ok {
			return errors.New("pgwire: the driver cannot describe statements")
		}
		query, names, types, err := d.DescribeResult(ctx)
		if err != nil {
			return err
		}
		p.query = query
		if query {
			p.cols, err = newColumns(names, types)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	p.paramTypes = paramTypes(ctx, toks, n, ss.tableColumns)
	p.paramOIDs = make([]uint32, n)
	for i := range n {
		switch {
		case i < len(oids) && oids[i] != 0:
			p.paramOIDs[i] = oids[i]
		case p.paramTypes[i].Kind != "":
			p.paramOIDs[i] = paramOIDOf(p.paramTypes[i])
		default:
			p.paramOIDs[i] = oidText
		}
	}
	if p.verb != "SELECT" && p.verb != "INSERT" && p.verb != "UPDATE" && p.verb != "DELETE" {
		ss.columns = nil // DDL may change the columns parameters are typed by
	}
	return p, nil
}

var errFailedTx = newErr(codeInFailedTx, "current transaction is aborted, commands ignored until end of transaction block")

// tableColumns reads a table's column types (for parameter types), cached
// for the session until it runs a statement other than a query or write.
func (ss *session) tableColumns(ctx context.Context, keyspace, table string) map[string]typesmap.Type {
	if keyspace == "" {
		keyspace = ss.keyspace
	}
	key := keyspace + "." + table
	if c, ok := ss.columns[key]; ok {
		return c
	}
	cols := map[string]typesmap.Type{}
	rows, err := ss.conn.QueryContext(ctx, "SELECT column_name, column_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ?", keyspace, table)
	if err == nil {
		for rows.Next() {
			var name, typ string
			if rows.Scan(&name, &typ) == nil {
				if t, err := typesmap.ParseCQL(typ); err == nil {
					cols[name] = t
				}
			}
		}
		rows.Close()
	}
	if ss.columns == nil {
		ss.columns = map[string]map[string]typesmap.Type{}
	}
	ss.columns[key] = cols
	return cols
}

// commandVerb is the start of the command tag: SELECT, INSERT, CREATE TABLE...
func commandVerb(toks []token) string {
	if len(toks) == 0 {
		return ""
	}
	v := strings.ToUpper(toks[0].text)
	switch v {
	case "CREATE", "DROP", "ALTER":
		if len(toks) > 1 {
			w := strings.ToUpper(toks[1].text)
			if w == "CUSTOM" || w == "UNIQUE" {
				w = "INDEX"
			}
			if w == "VECTOR" && len(toks) > 2 {
				w = "INDEX"
			}
			return v + " " + w
		}
	case "TRUNCATE":
		return "TRUNCATE TABLE"
	case "WITH", "VALUES", "SHOW", "DESCRIBE", "DESC", "EXPLAIN":
		return "SELECT"
	}
	return v
}

// bind makes a portal: the parameters decoded by their formats and types.
func (ss *session) bind(p *prepared, m *pgproto3.Bind) (*portal, error) {
	if len(m.Parameters) != p.nparams {
		return nil, newErr(codeProtocolViolation, fmt.Sprintf("bind message supplies %d parameters, but prepared statement requires %d", len(m.Parameters), p.nparams))
	}
	pt := &portal{st: p}
	enc := ss.enc
	var args []any
	for i, data := range m.Parameters {
		format := int16(0)
		switch len(m.ParameterFormatCodes) {
		case 0:
		case 1:
			format = m.ParameterFormatCodes[0]
		default:
			if i < len(m.ParameterFormatCodes) {
				format = m.ParameterFormatCodes[i]
			}
		}
		v, err := decodeParam(enc.m, i+1, p.paramOIDs[i], format, data, p.paramTypes[i])
		if err != nil {
			return nil, err
		}
		switch {
		case !p.named:
			args = append(args, v)
		case p.used[i]:
			args = append(args, sql.Named("p"+strconv.Itoa(i+1), v))
		}
	}
	pt.args = args
	pt.formats = make([]int16, len(p.cols))
	for i := range pt.formats {
		switch len(m.ResultFormatCodes) {
		case 0:
		case 1:
			pt.formats[i] = m.ResultFormatCodes[0]
		default:
			if i < len(m.ResultFormatCodes) {
				pt.formats[i] = m.ResultFormatCodes[i]
			}
		}
	}
	return pt, nil
}

// rowDescription describes the columns with the portal's formats (nil:
// text, as for a statement's Describe).
func rowDescription(cols []column, formats []int16) *pgproto3.RowDescription {
	rd := &pgproto3.RowDescription{Fields: make([]pgproto3.FieldDescription, len(cols))}
	for i, c := range cols {
		f := pgproto3.FieldDescription{Name: []byte(c.name), DataTypeOID: c.oid, DataTypeSize: typeSize(c.oid), TypeModifier: -1}
		if i < len(formats) {
			f.Format = formats[i]
		}
		rd.Fields[i] = f
	}
	return rd
}

// execute runs a portal (if not running yet) and sends up to maxRows rows
// (0: all), then CommandComplete, or PortalSuspended if rows remain.
func (ss *session) execute(pt *portal, maxRows int) error {
	p := pt.st
	if p.special != nil {
		return ss.runSpecial(pt)
	}
	if ss.tx != nil && ss.txFailed {
		return errFailedTx
	}
	if pt.done {
		ss.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(commandTag(p.verb, pt.n, true))})
		return nil
	}
	if pt.rows == nil && p.query {
		ctx, notes, release := ss.statementContext()
		rows, err := ss.queryer().QueryContext(ctx, p.driverSQL, pt.args...)
		if err != nil {
			release()
			return err
		}
		pt.rows, pt.release, pt.notes = rows, release, notes
		if names, _ := rows.Columns(); !sameNames(names, p.cols) {
			// The table changed since Parse (another session's DDL):
			// PostgreSQL's error for it, on which pgx and JDBC prepare again.
			pt.close()
			return newErr(codeNotSupported, "cached plan must not change result type")
		}
	}
	if !p.query {
		ctx, notes, release := ss.statementContext()
		defer release()
		res, err := ss.queryer().ExecContext(ctx, p.driverSQL, pt.args...)
		ss.sendNotices(notes)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		known := err == nil
		pt.n, pt.done = n, true
		ss.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(commandTag(p.verb, n, known))})
		return nil
	}
	return ss.sendRows(pt, maxRows)
}

// sendRows streams a portal's rows; the connection is flushed every few
// rows, and a failed write (the client went away) stops the statement.
func (ss *session) sendRows(pt *portal, maxRows int) error {
	cols := pt.st.cols
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var buf []byte
	out := make([][]byte, len(cols))
	offs := make([]int, len(cols)+1)
	nulls := make([]bool, len(cols))
	sent := 0
	for {
		if maxRows > 0 && sent == maxRows {
			ss.sendNotices(pt.notes)
			ss.be.Send(&pgproto3.PortalSuspended{})
			return nil
		}
		if !pt.rows.Next() {
			break
		}
		if err := pt.rows.Scan(ptrs...); err != nil {
			pt.close()
			return err
		}
		buf = buf[:0]
		for i := range cols {
			offs[i], nulls[i] = len(buf), false
			if vals[i] == nil {
				nulls[i] = true
				continue
			}
			var err error
			buf, err = ss.enc.encode(buf, &cols[i], pt.formats[i], vals[i])
			if err != nil {
				pt.close()
				return err
			}
		}
		offs[len(cols)] = len(buf)
		for i := range cols {
			if nulls[i] {
				out[i] = nil
			} else {
				out[i] = buf[offs[i]:offs[i+1]:offs[i+1]]
			}
		}
		ss.be.Send(&pgproto3.DataRow{Values: out})
		pt.n++
		sent++
		if sent%256 == 0 {
			if err := ss.be.Flush(); err != nil {
				pt.close()
				return errConnLost
			}
		}
	}
	err := pt.rows.Err()
	ss.sendNotices(pt.notes)
	pt.close()
	if err != nil {
		return err
	}
	pt.done = true
	ss.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(commandTag(pt.st.verb, pt.n, true))})
	return nil
}

func sameNames(names []string, cols []column) bool {
	if len(names) != len(cols) {
		return false
	}
	for i, n := range names {
		if n != cols[i].name {
			return false
		}
	}
	return true
}

// errConnLost ends the session: a write to the client failed.
var errConnLost = fmt.Errorf("%w: write failed", errQuiet)

func commandTag(verb string, n int64, known bool) string {
	switch verb {
	case "SELECT", "UPDATE", "DELETE", "MOVE", "FETCH", "COPY":
		if !known {
			return verb
		}
		return verb + " " + strconv.FormatInt(n, 10)
	case "INSERT":
		return "INSERT 0 " + strconv.FormatInt(n, 10)
	}
	return verb
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (ss *session) queryer() queryer {
	if ss.tx != nil {
		return ss.tx
	}
	return ss.conn
}

func (ss *session) sendNotices(n *notices) {
	if n == nil {
		return
	}
	for _, w := range n.take() {
		ss.be.Send(&pgproto3.NoticeResponse{Severity: "WARNING", SeverityUnlocalized: "WARNING", Code: "01000", Message: w.String()})
	}
}

// simpleQuery runs a Query message: each statement in turn, stopping at
// the first error.
func (ss *session) simpleQuery(text string) error {
	stmts := splitStatements(text)
	if len(stmts) == 0 {
		ss.be.Send(&pgproto3.EmptyQueryResponse{})
	}
	for _, s := range stmts {
		if err := ss.simpleOne(s); err != nil {
			if errors.Is(err, errQuiet) {
				return err
			}
			ss.sendError(err)
			break
		}
	}
	ss.be.Send(&pgproto3.ReadyForQuery{TxStatus: ss.txStatus()})
	return ss.be.Flush()
}

func (ss *session) simpleOne(s string) error {
	ctx, _, release := ss.statementContext()
	p, err := ss.prepare(ctx, s, nil)
	release()
	if err != nil {
		return err
	}
	if p.nparams > 0 {
		return newErr(codeSyntax, fmt.Sprintf("there is no parameter $%d (parameters need the extended protocol)", 1))
	}
	pt := &portal{st: p, formats: make([]int16, len(p.cols))}
	defer pt.close()
	if p.query {
		ss.be.Send(rowDescription(p.cols, nil))
	}
	return ss.execute(pt, 0)
}

// sendError sends an ErrorResponse; inside a transaction block it fails
// the transaction, as in PostgreSQL.
func (ss *session) sendError(err error) {
	if ss.tx != nil {
		ss.txFailed = true
	}
	ss.be.Send(errorResponse(err))
}

var _ = io.EOF
var _ = astrasql.ErrNoLastInsertID
