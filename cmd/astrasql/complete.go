package main

import (
	"context"
	"sort"
	"strings"
	"time"
)

// sqlKeywords are offered by Tab at the prompt.
var sqlKeywords = []string{
	"SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "IS", "NULL",
	"ORDER", "BY", "ASC", "DESC", "LIMIT", "OFFSET", "GROUP", "HAVING", "DISTINCT", "AS",
	"ANN", "OF", "CONTAINS", "KEY", "COUNT", "SUM", "AVG", "MIN", "MAX",
	"similarity_cosine", "similarity_dot_product", "similarity_euclidean",
	"INSERT", "INTO", "VALUES", "UPDATE", "SET", "DELETE",
	"CREATE", "TABLE", "INDEX", "VECTOR", "IF", "EXISTS", "PRIMARY", "WITH", "CLUSTERING",
	"DROP", "ALTER", "ADD", "SHOW", "TABLES", "INDEXES", "COLUMNS", "DESCRIBE", "EXPLAIN",
	"text", "int", "bigint", "smallint", "tinyint", "varint", "boolean", "float", "double",
	"decimal", "timestamp", "date", "time", "duration", "uuid", "timeuuid", "inet", "blob",
	"list", "set", "map", "vector",
}

var metaCommands = []string{`\d`, `\l`, `\c`, `\x`, `\pset`, `\o`, `\timing`, `\format`, `\safe`, `\import`, `\i`, `\q`, `\?`}

// completer completes the word before the cursor with a keyword, a meta
// command or a table name.
type completer struct {
	s      *session
	tables []string
	stale  bool
	// columns caches each table's column names (DESCRIBE).
	columns map[string][]string
}

// columnNames are the columns of the tables the line names: after
// "FROM films WHERE " or "INSERT INTO films (", Tab offers films' columns.
func (c *completer) columnNames(line string) []string {
	tables := c.tableNames()
	var out []string
	for _, w := range strings.FieldsFunc(line, func(r rune) bool { return r >= 0x80 || !isWordByte(byte(r)) }) {
		for _, t := range tables {
			if !strings.EqualFold(w, t) {
				continue
			}
			if c.columns == nil {
				c.columns = map[string][]string{}
			}
			cols, ok := c.columns[t]
			if !ok && c.s != nil {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				rows, err := queryMaps(ctx, c.s.db, "DESCRIBE "+quoteIdent(t))
				cancel()
				if err != nil {
					continue
				}
				for _, r := range rows {
					if n, ok := r["column_name"].(string); ok {
						cols = append(cols, n)
					}
				}
				c.columns[t] = cols
			}
			out = append(out, cols...)
		}
	}
	return out
}

func (c *completer) tableNames() []string {
	if !c.stale {
		return c.tables
	}
	c.stale = false
	c.columns = nil
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rows, err := c.s.db.QueryContext(ctx, "SHOW TABLES")
	if err != nil {
		return c.tables
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var names []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if rows.Scan(ptrs...) == nil && len(vals) > 0 {
			if s, ok := vals[0].(string); ok {
				names = append(names, s)
			}
		}
	}
	c.tables = names
	return names
}

func isWordByte(b byte) bool {
	return b == '_' || b == '\\' || b == '?' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// complete implements liner.WordCompleter.
func (c *completer) complete(line string, pos int) (head string, completions []string, tail string) {
	if pos > len(line) {
		pos = len(line)
	}
	start := pos
	for start > 0 && isWordByte(line[start-1]) {
		start--
	}
	head, word, tail := line[:start], line[start:pos], line[pos:]
	if word == "" {
		return head, nil, tail
	}
	var cands []string
	if strings.HasPrefix(word, `\`) {
		cands = metaCommands
	} else {
		cands = append(append(append([]string{}, sqlKeywords...), c.tableNames()...), c.columnNames(line)...)
	}
	seen := map[string]bool{}
	for _, k := range cands {
		if len(k) >= len(word) && strings.EqualFold(k[:len(word)], word) && !seen[k] {
			seen[k] = true
			// Keep the case the user typed for keywords.
			if word == strings.ToLower(word) && k == strings.ToUpper(k) {
				k = strings.ToLower(k)
			}
			completions = append(completions, k+" ")
		}
	}
	sort.Strings(completions)
	return head, completions, tail
}
