package planner

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
)

// Predicted server warnings for EXPLAIN: what the Data API would warn
// about for a command (missing index, zero filters, in-memory sort),
// computed from the schema without sending it.

// predictWarnings returns the warnings the server is expected to attach
// to a find/findOne with c's filter and sort on table def, as EXPLAIN text
// ("" when none): ZERO_FILTER_OPERATIONS for an empty filter (not with a
// vector sort), MISSING_INDEX for filtered columns without an index (key
// columns count as indexed only when the whole filter is on key
// columns), INCOMPLETE_PRIMARY_KEY_FILTER for a key-only filter that
// misses a partition column or skips a clustering column, and the
// in-memory sort warnings for a sort the server must do itself.
func predictWarnings(def *typesmap.TableDef, idx []typesmap.IndexDef, c *Command) string {
	if def == nil || c == nil {
		return ""
	}
	var warns []string
	cols := filterColumns(c.Filter)
	vectorSort := false
	var sortCols []string
	if len(c.Sort) > 0 {
		var sm map[string]json.RawMessage
		if json.Unmarshal(c.Sort, &sm) == nil {
			for k, v := range sm {
				v = bytes.TrimSpace(v)
				if len(v) > 0 && (v[0] == '[' || v[0] == '"' || v[0] == '{') {
					vectorSort = true
				} else {
					sortCols = append(sortCols, k)
				}
			}
		}
	}
	if len(cols) == 0 && !vectorSort {
		warns = append(warns, "ZERO_FILTER_OPERATIONS (no filter: every row is read)")
	}
	indexed := map[string]bool{}
	for _, ix := range idx {
		indexed[ix.Column] = true
	}
	allKey := len(cols) > 0
	for _, col := range cols {
		if !def.IsPrimaryKey(col) {
			allKey = false
		}
	}
	var missing []string
	for _, col := range cols {
		if indexed[col] || allKey && def.IsPrimaryKey(col) {
			continue
		}
		missing = append(missing, col)
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		warns = append(warns, "MISSING_INDEX on "+strings.Join(missing, ", ")+" (the server filters without an index, ALLOW FILTERING; CREATE INDEX would help)")
	}
	if allKey {
		in := map[string]bool{}
		for _, col := range cols {
			in[col] = true
		}
		incomplete := false
		for _, p := range def.PartitionBy {
			if !in[p] {
				incomplete = true
			}
		}
		gap := false
		for _, s := range def.PartitionSort {
			if !in[s.Column] {
				gap = true
			} else if gap {
				incomplete = true
			}
		}
		if incomplete {
			warns = append(warns, "INCOMPLETE_PRIMARY_KEY_FILTER (a partition column is missing or a clustering column is skipped)")
		}
	}
	if len(sortCols) > 0 {
		pinned := map[string]bool{}
		if m := topLevelEquality(c.Filter); m != nil {
			pinned = m
		}
		ok := true
		for _, p := range def.PartitionBy {
			if !pinned[p] {
				ok = false
			}
		}
		if !ok {
			warns = append(warns, "IN_MEMORY_SORTING_DUE_TO_PARTITION_KEY_NOT_RESTRICTED (the server sorts at most 10,000 rows in memory)")
		} else {
			clustering := map[string]bool{}
			for _, s := range def.PartitionSort {
				clustering[s.Column] = true
			}
			for _, sc := range sortCols {
				if !clustering[sc] {
					warns = append(warns, "IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING (the server sorts at most 10,000 rows in memory)")
					break
				}
			}
		}
	}
	if len(warns) == 0 {
		return ""
	}
	return "expected server warnings: " + strings.Join(warns, "; ")
}

// filterColumns lists the columns a filter names (through $and, $or, $not).
func filterColumns(filter json.RawMessage) []string {
	seen := map[string]bool{}
	var out []string
	var walk func(raw json.RawMessage)
	walk = func(raw json.RawMessage) {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return
		}
		for k, v := range m {
			switch k {
			case "$and", "$or":
				var arr []json.RawMessage
				if json.Unmarshal(v, &arr) == nil {
					for _, a := range arr {
						walk(a)
					}
				}
			case "$not":
				walk(v)
			default:
				if !strings.HasPrefix(k, "$") && !seen[k] {
					seen[k] = true
					out = append(out, k)
				}
			}
		}
	}
	if len(filter) > 0 {
		walk(filter)
	}
	sort.Strings(out)
	return out
}

// topLevelEquality returns the columns a filter pins with equality at its
// top level ({"c": v} or {"c": {"$eq": v}}).
func topLevelEquality(filter json.RawMessage) map[string]bool {
	var m map[string]json.RawMessage
	if len(filter) == 0 || json.Unmarshal(filter, &m) != nil {
		return nil
	}
	out := map[string]bool{}
	for k, v := range m {
		if strings.HasPrefix(k, "$") {
			continue
		}
		v = bytes.TrimSpace(v)
		if len(v) > 0 && v[0] == '{' {
			var ops map[string]json.RawMessage
			if json.Unmarshal(v, &ops) == nil {
				if _, eq := ops["$eq"]; eq && len(ops) == 1 {
					out[k] = true
				}
				if _, bin := ops["$binary"]; bin {
					out[k] = true
				}
			}
			continue
		}
		out[k] = true
	}
	return out
}
