package planner

// STUB owned by the issue-4 engineer, to be DELETED by the issue-5 engineer
// when ddl.go lands with the real parseDDL (same signature).
//
// parseDDL parses statements that are not SELECT/INSERT/UPDATE/DELETE/
// TRUNCATE: CREATE/DROP/ALTER TABLE, CREATE/DROP INDEX, SHOW, DESCRIBE/DESC.
// sql is the statement with a leading EXPLAIN and the trailing ';' blanked
// out (offsets are those of the original text). It returns ok=false when the
// statement is not one it knows. The Statement it returns sets Kind and Ext
// (an Extension that plans itself); Parse fills SQL and Explain. Params and
// Named too if the statement has placeholders.
func parseDDL(sql string) (*Statement, bool, error) {
	_ = sql
	return nil, false, nil
}
