package planner

import "github.com/xwb1989/sqlparser"

// STUB owned by the issue-4 engineer, to be DELETED by the issue-5 engineer
// when aggregate.go lands with newAggregateOp (same signature).

// newAggregateOp plans GROUP BY / aggregate functions / HAVING of sel over
// input rows whose columns are input (with ":_pN"/":_lN" bind variables
// resolved as eval_stub.go describes: the op appends b.Extra() to each input
// row before evaluating). It returns the operator and the names
// of its output columns, which are sel's select list in order (aliases
// applied); ORDER BY, DISTINCT and LIMIT run after it on those columns.
func newAggregateOp(sel *sqlparser.Select, input []string) (RowOp, []ResultColumn, error) {
	return nil, nil, unsupported("GROUP BY and aggregate functions (not supported yet)")
}
