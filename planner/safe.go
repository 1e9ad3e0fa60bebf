package planner

import (
	"strings"

	"github.com/astrasql/astrasql/typesmap"
)

// UnkeyedWrite says why an UPDATE or DELETE plan may write rows that its
// WHERE does not name by full primary key, or "" when every row it writes
// is named so (by = or IN on every primary key column) or the plan is not
// an UPDATE or DELETE. TRUNCATE says what it does and is not reported.
//
// The driver's safe_updates option refuses the plans it reports: they
// either delete whole partitions or tables, or find their rows by reading
// first and then write each one unconditionally (the Data API has no
// conditional writes), which races with concurrent writers.
func (p *Plan) UnkeyedWrite() string { return p.unkeyed }

// unkeyedReason is UnkeyedWrite's answer for the first step s of an
// UPDATE or DELETE of the table ti.
func unkeyedReason(ti *tableInfo, s Step) string {
	pk := strings.Join(ti.def.PrimaryKey(), ", ")
	switch s := s.(type) {
	case *writeOneStep:
		return ""
	case *deleteManyStep:
		if s.filter == nil {
			return "it has no WHERE, so it deletes every row of the table"
		}
		return "its WHERE names a partition or a range of one, not each row's full primary key (" + pk + ")"
	case *deleteInStep:
		if s.count {
			return "" // one-column primary key: each IN value is a full key
		}
		return "its IN names whole partitions, not each row's full primary key (" + pk + ")"
	case *perRowStep:
		if s.find != nil && pinsKeys(s.find.filter, s.keys) {
			return ""
		}
		if s.find == nil || s.find.filter == nil && s.residual == nil {
			return "it has no WHERE, so it changes every row of the table"
		}
		return "its WHERE does not give every primary key column (" + pk + ") by = or IN: its rows would be found by reading first, then each written unconditionally"
	}
	return ""
}

// pinsKeys says whether f's top-level AND fixes every key column by
// equality or IN (other terms may narrow it further).
func pinsKeys(f *fnode, keys []typesmap.Column) bool {
	if f == nil {
		return false
	}
	fixed := map[string]bool{}
	for _, k := range f.conjuncts() {
		if k.op == "cmp" && k.wrap == "" && !k.elem && (k.cmp == "$eq" || k.cmp == "$in") {
			fixed[k.col.Name] = true
		}
	}
	for _, k := range keys {
		if !fixed[k.Name] {
			return false
		}
	}
	return true
}
