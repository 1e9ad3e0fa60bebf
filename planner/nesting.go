package planner

import "github.com/xwb1989/sqlparser"

// MaxNesting bounds how deeply a statement may nest expressions: brackets
// ( [ {, CASE ... END, and chains of operators, which sqlparser's grammar
// nests one level per operator (a OR b OR c is OR(OR(a, b), c)). Every
// recursive step after the pre-lexer (sqlparser's parser stack, the walks
// of its tree, the planner's and evaluator's recursion over expressions,
// literal conversion) is bounded by it, so that no statement, however
// deep, can exhaust the goroutine stack: a stack overflow is a fatal
// error that recover cannot catch. SQLite's default limit on expression
// depth is 1000; this count is an upper bound of the depth (it counts
// every operator of a comma-separated item), hence the larger number.
const MaxNesting = 2000

// nestFrame is one open bracket while checking nesting.
type nestFrame struct {
	ops   int // operator (non-operand) tokens in the current item
	child int // deepest bracket closed in the current item
	best  int // deepest item of this bracket so far
}

// checkNesting computes, without recursion, an upper bound of the depth of
// the expression trees of toks and refuses statements above MaxNesting at
// the token where the bound is passed. Commas (and WHEN/THEN/ELSE) separate
// items, which do not nest into each other.
func (lx *lexed) checkNesting(toks []token) error {
	stack := []nestFrame{{}}
	tooDeep := func(t token) error {
		return lx.errAt(t.start, lx.src[t.start:t.end],
			"expression nested too deeply: more than %d levels of brackets and operators (split the statement, or pass deep values as placeholders)", MaxNesting)
	}
	for _, t := range toks {
		top := &stack[len(stack)-1]
		switch txt := lx.src[t.start:t.end]; {
		case t.typ == '(' || t.typ == sqlparser.CASE || (t.typ == sqlparser.LEX_ERROR && (txt == "[" || txt == "{")):
			if len(stack) > MaxNesting {
				return tooDeep(t)
			}
			stack = append(stack, nestFrame{})
		case t.typ == ')' || t.typ == sqlparser.END || (t.typ == sqlparser.LEX_ERROR && (txt == "]" || txt == "}")):
			if len(stack) == 1 {
				continue // unbalanced: the parsers say where
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			d := max(f.best, f.ops+f.child) + 1
			top = &stack[len(stack)-1]
			top.child = max(top.child, d)
		case t.typ == ',' || t.typ == sqlparser.WHEN || t.typ == sqlparser.THEN || t.typ == sqlparser.ELSE:
			top.best = max(top.best, top.ops+top.child)
			top.ops, top.child = 0, 0
		case isOperand(t.typ):
		default:
			top.ops++
		}
		if top.ops+top.child > MaxNesting {
			return tooDeep(t)
		}
	}
	// Brackets left open (a syntax error later) still count: the parser
	// reads up to the end before it says so.
	for len(stack) > 1 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		top := &stack[len(stack)-1]
		top.child = max(top.child, max(f.best, f.ops+f.child)+1)
		if top.ops+top.child > MaxNesting {
			return tooDeep(toks[len(toks)-1])
		}
	}
	return nil
}

// isOperand reports tokens that add no level to an expression tree.
func isOperand(typ int) bool {
	switch typ {
	case sqlparser.ID, sqlparser.STRING, sqlparser.INTEGRAL, sqlparser.FLOAT, sqlparser.HEX, sqlparser.HEXNUM,
		sqlparser.BIT_LITERAL, sqlparser.VALUE_ARG, sqlparser.LIST_ARG, sqlparser.NULL, sqlparser.TRUE,
		sqlparser.FALSE, sqlparser.COMMENT, '.', ';':
		return true
	}
	return false
}
