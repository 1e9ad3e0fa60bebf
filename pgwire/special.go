package pgwire

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/astrasql/astrasql/typesmap"
)

// serverVersion is what version() and server_version say: the PostgreSQL
// protocol and catalogue this front end imitates.
const serverVersion = "16.0"

// reportedParams are sent as ParameterStatus at start-up (and when SET).
var reportedParams = []string{"server_version", "server_encoding", "client_encoding", "DateStyle",
	"IntervalStyle", "TimeZone", "integer_datetimes", "standard_conforming_strings", "application_name", "is_superuser"}

func defaultParams() map[string]string {
	return map[string]string{
		"server_version": serverVersion + " (astrasql)", "server_version_num": "160000",
		"server_encoding": "UTF8", "client_encoding": "UTF8", "datestyle": "ISO, MDY",
		"intervalstyle": "postgres", "timezone": "UTC", "integer_datetimes": "on",
		"standard_conforming_strings": "on", "application_name": "", "is_superuser": "off",
		"extra_float_digits": "1", "search_path": `"$user", public`, "transaction_isolation": "read committed",
		"statement_timeout": "0", "lock_timeout": "0", "idle_in_transaction_session_timeout": "0",
		"client_min_messages": "notice", "bytea_output": "hex", "max_identifier_length": "63",
		"default_transaction_isolation": "read committed", "default_transaction_read_only": "off",
		"transaction_read_only": "off", "lc_messages": "C", "lc_monetary": "C", "lc_numeric": "C", "lc_time": "C",
		"session_authorization": "",
	}
}

// settingValues are the only values some settings may take: the ones the
// front end actually implements. Other settings are stored and ignored.
var settingValues = map[string][]string{
	"client_encoding":             {"utf8", "unicode", "utf-8"},
	"datestyle":                   {"iso", "iso, mdy", "iso,mdy", "iso, ymd", "iso, dmy"},
	"intervalstyle":               {"postgres"},
	"timezone":                    {"utc", "etc/utc", "gmt", "z", "zulu", "+00", "+00:00", "0"},
	"standard_conforming_strings": {"on", "true"},
	"bytea_output":                {"hex"},
}

// special is a statement pgwire answers itself.
type special struct {
	cols []column
	run  func(ss *session, args []any) (rows [][]any, tag string, err error)
}

func textColumn(name string) column {
	return column{name: name, typ: typesmap.Of(typesmap.Text), oid: oidText}
}

// specialFor recognizes the statements pgwire answers: transactions,
// session settings, and what clients ask the catalogue on connect.
func (ss *session) specialFor(sqlText string, toks []token) (*special, bool, error) {
	if len(toks) == 0 {
		return &special{run: func(*session, []any) ([][]any, string, error) { return nil, "", nil }}, true, nil
	}
	first := strings.ToUpper(toks[0].text)
	switch first {
	case "BEGIN", "START":
		return &special{run: (*session).begin}, true, nil
	case "COMMIT", "END":
		return &special{run: (*session).commit}, true, nil
	case "ROLLBACK", "ABORT":
		if len(toks) > 2 && toks[1].is("TO") {
			return nil, true, newErr(codeNotSupported, "savepoints are not supported")
		}
		return &special{run: (*session).rollback}, true, nil
	case "SAVEPOINT", "RELEASE":
		return nil, true, newErr(codeNotSupported, "savepoints are not supported")
	case "SET":
		return ss.setStatement(toks)
	case "RESET":
		return &special{run: func(ss *session, _ []any) ([][]any, string, error) {
			if len(toks) > 1 && !toks[1].is("ALL") {
				name := strings.ToLower(toks[1].text)
				ss.params[name] = defaultParams()[name]
			}
			return nil, "RESET", nil
		}}, true, nil
	case "DISCARD", "DEALLOCATE", "LISTEN", "UNLISTEN":
		return &special{run: func(*session, []any) ([][]any, string, error) { return nil, first, nil }}, true, nil
	case "SHOW":
		if len(toks) == 2 {
			name := strings.ToLower(toks[1].text)
			if name == "transaction" {
				break
			}
			if v, ok := ss.params[name]; ok {
				return &special{cols: []column{textColumn(name)}, run: func(ss *session, _ []any) ([][]any, string, error) {
					return [][]any{{ss.params[name]}}, "SHOW", nil
				}}, true, nil
			} else if _, known := defaultParams()[name]; !known && !driverShow[name] {
				_ = v
				return nil, true, newErr(codeUndefinedObject, fmt.Sprintf("unrecognized configuration parameter %q", name))
			}
		}
	case "SELECT":
		if sp := ss.selectFunctions(toks); sp != nil {
			return sp, true, nil
		}
		if sp, ok := catalogQuery(sqlText, toks); ok {
			return sp, true, nil
		}
		if sp, ok, err := relationList(toks); ok {
			return sp, true, err
		}
	}
	return nil, false, nil
}

// driverShow are the driver's own SHOW statements.
var driverShow = map[string]bool{"tables": true, "keyspaces": true, "databases": true, "indexes": true, "index": true, "schemas": true}

func (ss *session) setStatement(toks []token) (*special, bool, error) {
	i := 1
	if i < len(toks) && (toks[i].is("SESSION") || toks[i].is("LOCAL")) {
		i++
	}
	if i < len(toks) && (toks[i].is("TRANSACTION") || toks[i].is("CHARACTERISTICS")) {
		return &special{run: func(*session, []any) ([][]any, string, error) { return nil, "SET", nil }}, true, nil
	}
	if i >= len(toks) {
		return nil, true, newErr(codeSyntax, "SET needs a setting name")
	}
	name := strings.ToLower(toks[i].text)
	i++
	if i < len(toks) && (toks[i].text == "=" || toks[i].is("TO")) {
		i++
	}
	if name == "time" && i < len(toks) && toks[i].is("ZONE") {
		name = "timezone"
		i++
	}
	var parts []string
	for _, t := range toks[i:] {
		v := t.text
		if t.kind == tkString {
			v = strings.ReplaceAll(v[1:len(v)-1], "''", "'")
		}
		if t.kind == tkOp && v == "," {
			continue
		}
		parts = append(parts, v)
	}
	value := strings.Join(parts, ", ")
	if strings.EqualFold(value, "DEFAULT") {
		value = defaultParams()[name]
	}
	if allowed, ok := settingValues[name]; ok {
		okv := false
		for _, a := range allowed {
			if strings.EqualFold(strings.TrimSpace(value), a) {
				okv = true
			}
		}
		if !okv {
			return nil, true, newErr(codeInvalidParamValue, fmt.Sprintf("SET %s = %s is not supported: this server only does %s", name, value, allowed[0]))
		}
	}
	if _, ok := defaultParams()[name]; !ok && !strings.Contains(name, ".") {
		return nil, true, newErr(codeUndefinedObject, fmt.Sprintf("unrecognized configuration parameter %q", name))
	}
	return &special{run: func(ss *session, _ []any) ([][]any, string, error) {
		ss.params[name] = value
		for _, r := range reportedParams {
			if strings.ToLower(r) == name {
				ss.be.Send(&pgproto3.ParameterStatus{Name: r, Value: value})
			}
		}
		return nil, "SET", nil
	}}, true, nil
}

func (ss *session) begin(_ []any) ([][]any, string, error) {
	if ss.tx != nil {
		ss.be.Send(&pgproto3.NoticeResponse{Severity: "WARNING", SeverityUnlocalized: "WARNING", Code: codeActiveTx, Message: "there is already a transaction in progress"})
		return nil, "BEGIN", nil
	}
	tx, err := ss.conn.BeginTx(context.Background(), nil)
	if err != nil {
		return nil, "", err
	}
	ss.tx, ss.txFailed = tx, false
	return nil, "BEGIN", nil
}

func (ss *session) commit(_ []any) ([][]any, string, error) {
	if ss.tx == nil {
		ss.be.Send(&pgproto3.NoticeResponse{Severity: "WARNING", SeverityUnlocalized: "WARNING", Code: codeNoActiveTx, Message: "there is no transaction in progress"})
		return nil, "COMMIT", nil
	}
	tx, failed := ss.tx, ss.txFailed
	ss.tx, ss.txFailed = nil, false
	if failed {
		_ = tx.Rollback()
		return nil, "ROLLBACK", nil
	}
	if err := tx.Commit(); err != nil {
		return nil, "", err
	}
	return nil, "COMMIT", nil
}

func (ss *session) rollback(_ []any) ([][]any, string, error) {
	if ss.tx == nil {
		ss.be.Send(&pgproto3.NoticeResponse{Severity: "WARNING", SeverityUnlocalized: "WARNING", Code: codeNoActiveTx, Message: "there is no transaction in progress"})
		return nil, "ROLLBACK", nil
	}
	err := ss.tx.Rollback()
	ss.tx, ss.txFailed = nil, false
	return nil, "ROLLBACK", err
}

// runSpecial executes a statement pgwire answers itself.
func (ss *session) runSpecial(pt *portal) error {
	sp := pt.st.special
	if ss.tx != nil && ss.txFailed && pt.st.verb != "COMMIT" && pt.st.verb != "END" && pt.st.verb != "ROLLBACK" && pt.st.verb != "ABORT" {
		return errFailedTx
	}
	rows, tag, err := sp.run(ss, pt.args)
	if err != nil {
		return err
	}
	if pt.st.verb == "" && len(sp.cols) == 0 {
		ss.be.Send(&pgproto3.EmptyQueryResponse{})
		return nil
	}
	out := make([][]byte, len(sp.cols))
	for _, r := range rows {
		var buf []byte
		for i := range sp.cols {
			if r[i] == nil {
				out[i] = nil
				continue
			}
			start := len(buf)
			if buf, err = ss.enc.encode(buf, &sp.cols[i], pt.formats[i], r[i]); err != nil {
				return err
			}
			out[i] = buf[start:len(buf):len(buf)]
		}
		ss.be.Send(&pgproto3.DataRow{Values: out})
	}
	if sp.cols != nil {
		tag = "SELECT " + strconv.Itoa(len(rows))
	}
	ss.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
	return nil
}
