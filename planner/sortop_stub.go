package planner

// STUB owned by the issue-4 engineer, to be DELETED by the issue-5 engineer
// when sortop.go lands with these functions (same signatures), or adapted by
// the issue-4 engineer to the names sortop.go chooses.

// newSortOp returns a client-side sort of its input rows by keys (column
// indexes of the input row). topK > 0 means only the first topK rows of the
// sorted order are needed (ORDER BY ... LIMIT), so a heap may be used.
// NULL (nil) sorts first ascending, as in the Data API.
func newSortOp(keys []SortKey, topK int) (RowOp, error) {
	return nil, unsupported("ORDER BY that the server cannot do (client-side sort not supported yet)")
}

// newDistinctOp returns an operator that drops repeated rows (SELECT
// DISTINCT), keeping the first occurrence and the input order.
func newDistinctOp() (RowOp, error) {
	return nil, unsupported("SELECT DISTINCT (not supported yet)")
}
