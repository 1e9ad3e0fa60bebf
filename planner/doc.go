// Package planner turns one SQL statement into a Plan: the Data API
// commands to send and the client-side steps to run over the rows they
// return.
//
// # The path of a statement
//
// database/sql calls conn.QueryContext; the root package's core looks the
// statement up in its plan cache or parses it (Parse: a pre-lexer for the
// CQL forms sqlparser does not know, then sqlparser), and plans it against
// the table's schema (Statement.Plan, planSelect for a SELECT). Plan.Run
// binds the arguments (a Binding), runs the first Step (findStep: a find or
// findOne, or one find per chunk of a long IN list) through the Executor,
// and opens the RowOp chain over its rows; rows.Next pulls one row at a
// time through the chain, so pages are read as the caller reads.
//
// # Clause order
//
// The client-side steps of a SELECT follow SQL's logical order:
//
//	FROM       the find (filter, sort, projection and limit the server can do)
//	WHERE      filter: the residual predicate the server cannot evaluate
//	GROUP BY   aggregate: groups, aggregates,
//	HAVING     then HAVING over each group
//	SELECT     project: computed columns, hidden sort keys after them
//	DISTINCT   distinct
//	ORDER BY   sort
//	LIMIT      limit (OFFSET then LIMIT)
//	           trim: hidden sort keys dropped
//
// The steps after the projection are built in one place, selectTail
// (clauses.go), for both the table path (planSelect) and the
// information_schema path (clientSelect). Top-k (a sort that keeps only
// OFFSET+LIMIT rows) is a rewrite of the finished list, fuseTopK: a sort
// keeps k rows only when a limit follows it directly, so a DISTINCT, which
// comes before the sort, can never be starved of rows by it.
//
// # Binding rules
//
// WHERE sees the table's columns. GROUP BY tries a column, then a select
// alias, then a 1-based position. HAVING and ORDER BY try a select alias,
// then a group key or an aggregate, then a column; ORDER BY also takes a
// position, an expression of the select list, or any other expression of
// the columns (a hidden key, refused with DISTINCT). Operators see rows as
// positions: names are resolved once, at plan time.
//
// Placeholders (?, :name) and the literals the pre-lexer takes out of the
// text (vectors, collections) are bind nodes (paramExpr), never row
// columns: each operator replaces them with the statement's values at Open
// (bindBinding), so what else the plan fetches cannot shift what they read.
//
// # Pushdown
//
// What goes to the server is decided from the clause order: the WHERE
// parts the Data API can express become the find's filter (filter.go), the
// rest stays a client-side filter; ORDER BY is pushed only when it is the
// clustering order (or its reverse) within one pinned partition and no
// step before it changes the rows; LIMIT is pushed only when every row the
// server returns is a result row (no residual filter, client sort,
// aggregate or DISTINCT); the projection is the set of columns any step
// reads. A full primary key pinned by equality makes the find a findOne.
//
// Client-side values compare as the server compares them: doubles as
// Java's Double.compare (-0.0 < 0.0, NaN = NaN above +Inf), a double
// against an exact number as doubles, decimals by value (eval.go,
// sortop.go), so one predicate selects the same rows wherever it runs.
//
// # An example
//
//	EXPLAIN SELECT DISTINCT city, age + 1 AS nxt FROM users
//	  WHERE age > 30 AND name LIKE 'a%' ORDER BY nxt DESC LIMIT 5
//
//	1 find     {"find":{"filter":{"age":{"$gt":30}},"projection":{"city":1,"age":1,"name":1}}} (paged)
//	2 filter   client-side: name like 'a%' (LIKE cannot be expressed as a Data API filter)
//	3 project  city, nxt computed
//	4 distinct drop repeated rows (keys held in memory, budget 256 MiB)
//	5 sort     ORDER BY nxt DESC (top 5 rows kept in a heap)
//	6 limit    client-side: stop after 5
//
// The age comparison is the server's; LIKE is not, so it runs here, and
// LIMIT cannot be pushed. DISTINCT runs before the sort, and the sort keeps
// five rows because the limit follows it directly.
package planner
