package planner

import "github.com/astrasql/astrasql/typesmap"

// The steps after the rows are read, filtered, grouped and projected, in
// SQL's logical order: DISTINCT, ORDER BY, OFFSET/LIMIT, and last the
// dropping of hidden sort keys. Both the table path (planSelect) and the
// information_schema path (clientSelect) end through selectTail, so the
// two cannot order these steps differently; top-k is then a rewrite of the
// finished list (fuseTopK), never a choice made while emitting the sort.

// selectTail holds the client-side steps that follow the projection.
type selectTail struct {
	distinct bool
	types    []typesmap.Type // of the output columns, for DISTINCT
	sort     *sortOp         // nil: no client-side sort
	limit    *limitOp        // nil: none
	visible  int             // > 0: keep this many columns (hidden sort keys follow)
}

// steps returns the tail in clause order, top-k fused where legal.
func (t selectTail) steps() []Step {
	var out []Step
	if t.distinct {
		out = append(out, newDistinctOp(t.types))
	}
	if t.sort != nil {
		out = append(out, t.sort)
	}
	if t.limit != nil {
		out = append(out, t.limit)
	}
	if t.visible > 0 {
		out = append(out, &trimOp{n: t.visible})
	}
	return fuseTopK(out)
}

// fuseTopK lets a sort keep only the first offset+limit rows when a limit
// with a constant total follows it directly. Anything in between (a
// DISTINCT, a filter) changes which rows the limit counts, so it blocks the
// fusion by construction.
func fuseTopK(steps []Step) []Step {
	for i := 0; i+1 < len(steps); i++ {
		s, ok := steps[i].(*sortOp)
		if !ok {
			continue
		}
		if n := staticLimitTotal(steps[i+1]); n > 0 {
			s.topK = n
		}
	}
	return steps
}

// staticLimitTotal is offset+limit of a limit step with constant values;
// 0 when the step is not a limit or its total is not known at plan time.
func staticLimitTotal(s Step) int {
	if l, ok := s.(*limitOp); ok {
		return l.lim.staticTotal()
	}
	return 0
}
