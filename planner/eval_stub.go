package planner

import "github.com/xwb1989/sqlparser"

// STUB owned by the issue-4 engineer, to be DELETED by the issue-5 engineer
// when eval.go lands with the real Expr and compileExpr (same signatures).

// Expr is a compiled expression evaluated over one row.
type Expr interface {
	Eval(row Row) (any, error)
}

// compileExpr compiles a residual predicate or a computed select item
// against the input columns cols (row[i] holds cols[i]).
//
// Placeholders and pre-lexed literals appear in expr as bind variables
// (*sqlparser.SQLVal of type ValArg) named ":_p1", ":_p2", ... (arguments)
// and ":_l1", ... (collection/CONTAINS literals). The planner appends them to
// cols under exactly those names, and the row passed to Eval carries their
// values at those positions, so an evaluator resolves a ValArg like a column
// reference whose name is the bind variable's text.
//
// The planner rewrites c CONTAINS x into c = _astra_contains(:_lN) and
// c CONTAINS KEY k into c = _astra_contains_key(:_lN); pushdown handles them
// except under constructs that force client-side evaluation.
func compileExpr(expr sqlparser.Expr, cols []string) (Expr, error) {
	return nil, unsupported("evaluating %q in the driver (not supported yet)", sqlparser.String(expr))
}
