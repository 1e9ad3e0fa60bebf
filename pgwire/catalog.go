package pgwire

import (
	"context"
	"strconv"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
)

// selectFunctions answers SELECT of session functions with no FROM:
// version(), current_schema(), current_database(), current_user,
// current_setting('name'), pg_backend_pid()... It returns nil when the
// statement is anything else (the driver runs it).
func (ss *session) selectFunctions(toks []token) *special {
	var cols []column
	var vals []func(ss *session) any
	i := 1
	for i < len(toks) {
		name, n, f := sessionFunction(toks[i:])
		if f == nil {
			return nil
		}
		i += n
		if i < len(toks) && toks[i].is("AS") && i+1 < len(toks) {
			name = toks[i+1].text
			i += 2
		} else if i < len(toks) && (toks[i].kind == tkQuoted || toks[i].kind == tkWord && !toks[i].is("FROM")) {
			name = toks[i].text
			i++
		}
		cols = append(cols, textColumn(name))
		vals = append(vals, f)
		if i < len(toks) && toks[i].text == "," {
			i++
			continue
		}
		if i < len(toks) {
			return nil
		}
	}
	if len(cols) == 0 {
		return nil
	}
	return &special{cols: cols, run: func(ss *session, _ []any) ([][]any, string, error) {
		row := make([]any, len(vals))
		for i, f := range vals {
			row[i] = f(ss)
		}
		return [][]any{row}, "SELECT", nil
	}}
}

// sessionFunction reads one known function call at the start of toks: its
// column name, the tokens it takes and its value.
func sessionFunction(toks []token) (string, int, func(*session) any) {
	n := 0
	if len(toks) > 2 && toks[0].is("pg_catalog") && toks[1].text == "." {
		n = 2
	}
	if n >= len(toks) || toks[n].kind != tkWord {
		return "", 0, nil
	}
	name := strings.ToLower(toks[n].text)
	n++
	call := n+1 < len(toks) && toks[n].text == "(" && toks[n+1].text == ")"
	var f func(*session) any
	switch name {
	case "version":
		f = func(*session) any {
			return "PostgreSQL " + serverVersion + " (astrasql: Astra DB tables over the Data API)"
		}
	case "current_schema", "current_database", "current_catalog":
		f = func(ss *session) any { return ss.keyspace }
	case "current_user", "session_user", "user":
		f = func(ss *session) any { return ss.params["session_authorization"] }
	case "pg_backend_pid":
		f = func(ss *session) any { return strconv.FormatUint(uint64(ss.pid), 10) }
	case "current_setting":
		if n+3 < len(toks) && toks[n].text == "(" && toks[n+1].kind == tkString && toks[n+2].text == ")" {
			setting := strings.ToLower(strings.Trim(toks[n+1].text, "'"))
			return name, n + 3, func(ss *session) any { return ss.params[setting] }
		}
		return "", 0, nil
	default:
		return "", 0, nil
	}
	if call {
		n += 2
	} else if name == "version" || name == "pg_backend_pid" {
		return "", 0, nil // these need parentheses
	}
	return name, n, f
}

// pgType is one row of the pg_type catalogue for the types we send.
type pgType struct {
	oid      uint32
	name     string
	elem     uint32
	array    uint32
	len      int16
	category string
}

var pgTypes = func() []pgType {
	base := []pgType{
		{oidBool, "bool", 0, 0, 1, "B"}, {oidBytea, "bytea", 0, 0, -1, "U"}, {oidInt8, "int8", 0, 0, 8, "N"},
		{oidInt2, "int2", 0, 0, 2, "N"}, {oidInt4, "int4", 0, 0, 4, "N"}, {oidText, "text", 0, 0, -1, "S"},
		{oidOid, "oid", 0, 0, 4, "N"}, {oidJSON, "json", 0, 0, -1, "U"}, {oidFloat4, "float4", 0, 0, 4, "N"},
		{oidFloat8, "float8", 0, 0, 8, "N"}, {oidInet, "inet", 0, 0, -1, "I"}, {oidVarchar, "varchar", 0, 0, -1, "S"},
		{oidDate, "date", 0, 0, 4, "D"}, {oidTime, "time", 0, 0, 8, "D"}, {oidTimestamp, "timestamp", 0, 0, 8, "D"},
		{oidTimestamptz, "timestamptz", 0, 0, 8, "D"}, {oidInterval, "interval", 0, 0, 16, "T"},
		{oidNumeric, "numeric", 0, 0, -1, "N"}, {oidUUID, "uuid", 0, 0, 16, "U"},
	}
	var out []pgType
	for _, t := range base {
		t.array = arrayOIDs[t.oid]
		out = append(out, t)
		if t.array != 0 {
			out = append(out, pgType{t.array, "_" + t.name, t.oid, 0, -1, "A"})
		}
	}
	return out
}()

// catalogQuery answers the pg_catalog.pg_type lookups drivers make for the
// OIDs we send (JDBC's TypeInfoCache, pgx's LoadType): the columns asked
// for by name, rows filtered by oid or typname equal to a constant or $1.
func catalogQuery(sqlText string, toks []token) (*special, bool) {
	from := -1
	for i, t := range toks {
		if t.is("FROM") {
			from = i
			break
		}
	}
	if from < 0 || from+1 >= len(toks) {
		return nil, false
	}
	j := from + 1
	if toks[j].is("pg_catalog") && j+2 < len(toks) && toks[j+1].text == "." {
		j += 2
	}
	if !toks[j].is("pg_type") {
		return nil, false
	}
	// Output names: the alias or last word of each top-level select item.
	var names []string
	depth, last := 0, ""
	for _, t := range toks[1:from] {
		switch {
		case t.text == "(":
			depth++
		case t.text == ")":
			depth--
		case t.text == "," && depth == 0:
			names, last = append(names, last), ""
		case t.kind == tkWord || t.kind == tkQuoted:
			if depth == 0 {
				last = t.text
			}
		}
	}
	names = append(names, last)
	cols := make([]column, len(names))
	for i, n := range names {
		cols[i] = catalogColumn(n)
	}
	// The filter: <col> = <const or $n>.
	var filterCol string
	var filterTok token
	for i := from; i+2 < len(toks); i++ {
		if toks[i+1].text == "=" && (toks[i].is("oid") || toks[i].is("typname")) {
			filterCol, filterTok = strings.ToLower(toks[i].text), toks[i+2]
			break
		}
	}
	return &special{cols: cols, run: func(ss *session, args []any) ([][]any, string, error) {
		want := ""
		switch filterTok.kind {
		case tkParam:
			if filterTok.num >= 1 && filterTok.num <= len(args) {
				want = anyText(args[filterTok.num-1])
			}
		case tkString:
			want = strings.Trim(filterTok.text, "'")
		default:
			want = filterTok.text
		}
		var rows [][]any
		for _, t := range pgTypes {
			if filterCol == "oid" && strconv.FormatUint(uint64(t.oid), 10) != want || filterCol == "typname" && t.name != want {
				continue
			}
			row := make([]any, len(cols))
			for i, c := range cols {
				row[i] = catalogValue(t, c.name)
			}
			rows = append(rows, row)
		}
		return rows, "SELECT", nil
	}}, true
}

func catalogColumn(name string) column {
	switch strings.ToLower(name) {
	case "oid", "typelem", "typarray", "typnamespace", "typbasetype", "typrelid":
		return column{name: name, typ: typesmap.Of(typesmap.BigInt), oid: oidOid}
	case "typlen":
		return column{name: name, typ: typesmap.Of(typesmap.SmallInt), oid: oidInt2}
	case "is_array", "typnotnull":
		return column{name: name, typ: typesmap.Of(typesmap.Boolean), oid: oidBool}
	}
	return textColumn(name)
}

func catalogValue(t pgType, col string) any {
	switch strings.ToLower(col) {
	case "oid":
		return t.oid
	case "typname":
		return t.name
	case "typelem":
		return t.elem
	case "typarray":
		return t.array
	case "typnamespace":
		return uint32(11)
	case "typbasetype", "typrelid":
		return uint32(0)
	case "typlen":
		return int64(t.len)
	case "typtype":
		return "b"
	case "typcategory":
		return t.category
	case "typdelim":
		return ","
	case "typinput":
		if t.elem != 0 {
			return "array_in"
		}
		return t.name + "in"
	case "nspname":
		return "pg_catalog"
	case "is_array":
		return t.elem != 0
	case "typnotnull":
		return false
	}
	return nil
}

// relationList answers psql's \d and \dt (a pg_class query over relkind):
// one row per table of the keyspace. Other queries of PostgreSQL's own
// catalogue (psql's \d TABLE, tab completion) get a clear refusal rather
// than the driver's syntax error.
func relationList(toks []token) (*special, bool, error) {
	catalog, relkind := false, false
	for i, t := range toks {
		if t.is("pg_class") || t.is("pg_namespace") || t.is("pg_attribute") || t.is("pg_proc") || t.is("pg_index") {
			if i >= 2 && toks[i-2].is("pg_catalog") {
				catalog = true
			}
		}
		if t.is("relkind") && i+1 < len(toks) && toks[i+1].is("IN") {
			relkind = true
		}
	}
	if !catalog {
		return nil, false, nil
	}
	var names []string
	for i, t := range toks {
		if t.is("as") && i+1 < len(toks) && toks[i+1].kind == tkQuoted {
			names = append(names, toks[i+1].text)
		}
		if t.is("FROM") {
			break
		}
	}
	if !relkind || len(names) == 0 {
		return nil, true, &pgError{code: codeNotSupported,
			msg:  "PostgreSQL's own catalogue (pg_class, pg_attribute...) is not available through this front end",
			hint: "list tables with SHOW TABLES (or psql's \\d), see a table's columns with DESCRIBE table_name"}
	}
	cols := make([]column, len(names))
	for i, n := range names {
		cols[i] = textColumn(n)
	}
	return &special{cols: cols, run: func(ss *session, _ []any) ([][]any, string, error) {
		rows, err := ss.queryer().QueryContext(context.Background(),
			"SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name", ss.keyspace)
		if err != nil {
			return nil, "", err
		}
		defer rows.Close()
		var out [][]any
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				return nil, "", err
			}
			row := make([]any, len(names))
			for i, n := range names {
				switch n {
				case "Schema":
					row[i] = ss.keyspace
				case "Name":
					row[i] = name
				case "Type":
					row[i] = "table"
				case "Owner":
					row[i] = ss.params["session_authorization"]
				}
			}
			out = append(out, row)
		}
		return out, "SELECT", rows.Err()
	}}, true, nil
}
