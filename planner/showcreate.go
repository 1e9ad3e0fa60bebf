package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
)

// CreateIndexCQL renders an index as the CREATE INDEX statement that makes
// it again (our DDL syntax): SHOW CREATE TABLE gives one such row per index
// after the CREATE TABLE row, so that every row is a statement to run.
// An index the Data API cannot model is given as the server's own CQL.
func CreateIndexCQL(keyspace, table string, ix typesmap.IndexDef) string {
	if ix.APISupport != nil && ix.APISupport.CQLDefinition != "" {
		return ix.APISupport.CQLDefinition
	}
	on := quoteCQL(table)
	if keyspace != "" {
		on = quoteCQL(keyspace) + "." + on
	}
	target := quoteCQL(ix.Column)
	if ix.Function != "" {
		target = strings.ToUpper(ix.Function) + "(" + target + ")"
	}
	kind := "INDEX"
	var with []string
	switch ix.IndexType {
	case "vector":
		kind = "VECTOR INDEX"
		for _, o := range [][2]string{{"metric", "metric"}, {"sourceModel", "source_model"}} {
			if v, ok := ix.Options[o[0]]; ok {
				with = append(with, o[1]+" = "+cqlLiteral(v))
			}
		}
	case "text":
		kind = "TEXT INDEX"
		if v, ok := ix.Options["analyzer"]; ok {
			with = append(with, "analyzer = "+cqlLiteral(v))
		}
	default:
		var opts []string
		for _, o := range [][2]string{{"ascii", "ascii"}, {"caseSensitive", "case_sensitive"}, {"normalize", "normalize"}} {
			if v, ok := ix.Options[o[0]]; ok {
				opts = append(opts, quoteStr(o[1])+": "+cqlLiteral(v))
			}
		}
		if len(opts) > 0 {
			with = append(with, "OPTIONS = {"+strings.Join(opts, ", ")+"}")
		}
	}
	s := fmt.Sprintf("CREATE %s %s ON %s (%s)", kind, quoteCQL(ix.Name), on, target)
	if len(with) > 0 {
		s += " WITH " + strings.Join(with, " AND ")
	}
	return s
}

// cqlLiteral renders a decoded JSON option value as a DDL literal: strings
// quoted, objects as {'k': v} maps with sorted keys, arrays as [a, b].
func cqlLiteral(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return quoteStr(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = quoteStr(k) + ": " + cqlLiteral(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = cqlLiteral(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}
