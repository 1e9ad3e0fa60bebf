package planner

import (
	"fmt"
	"strings"

	"github.com/xwb1989/sqlparser"
)

// unsupportedf names a construct astrasql cannot run and, when there is
// one, the way to get the result (an *UnsupportedError, as statement.go's).
func unsupportedf(construct, hint string) error {
	if hint == "" {
		return &UnsupportedError{What: construct}
	}
	return &UnsupportedError{What: construct + " (" + hint + ")"}
}

// checkUnsupported rejects, at prepare time, statements and constructs
// that astrasql cannot run: joins, subqueries, UNION, window functions,
// INSERT ... SELECT, SELECT ... FOR UPDATE / LOCK IN SHARE MODE, and the
// statements the Data API has no command for. Call it on a parsed
// statement before planning.
func checkUnsupported(stmt sqlparser.Statement) error {
	switch s := stmt.(type) {
	case *sqlparser.Union:
		return unsupportedf("UNION", "run each SELECT separately and combine the results in your program")
	case *sqlparser.Select:
		return checkSelect(s, false)
	case *sqlparser.Insert:
		if s.Action == sqlparser.ReplaceStr {
			return unsupportedf("REPLACE", "use INSERT: on Astra an INSERT already overwrites an existing row (upsert)")
		}
		if len(s.OnDup) > 0 {
			return unsupportedf("INSERT ... ON DUPLICATE KEY UPDATE", "an INSERT already overwrites the columns it names in an existing row; use UPDATE to change only some columns")
		}
		switch r := s.Rows.(type) {
		case *sqlparser.Select, *sqlparser.Union, *sqlparser.ParenSelect:
			return unsupportedf("INSERT ... SELECT", "SELECT the rows, then INSERT them with parameters (a multi-row INSERT is sent as insertMany)")
		case sqlparser.Values:
			for _, row := range r {
				for _, e := range row {
					if err := checkExpr(e); err != nil {
						return err
					}
				}
			}
		}
	case *sqlparser.Update:
		if len(s.TableExprs) > 1 {
			return unsupportedf("UPDATE of several tables", "update each table with its own statement")
		}
		if err := checkTableExprs(s.TableExprs); err != nil {
			return err
		}
		if len(s.OrderBy) > 0 {
			return unsupportedf("UPDATE ... ORDER BY", "")
		}
		if s.Limit != nil {
			return unsupportedf("UPDATE ... LIMIT", "select the primary keys with LIMIT first, then update them")
		}
		for _, u := range s.Exprs {
			if err := checkExpr(u.Expr); err != nil {
				return err
			}
		}
		if s.Where != nil {
			return checkExpr(s.Where.Expr)
		}
	case *sqlparser.Delete:
		if len(s.Targets) > 0 || len(s.TableExprs) > 1 {
			return unsupportedf("DELETE from several tables", "delete from each table with its own statement")
		}
		if err := checkTableExprs(s.TableExprs); err != nil {
			return err
		}
		if len(s.OrderBy) > 0 {
			return unsupportedf("DELETE ... ORDER BY", "")
		}
		if s.Limit != nil {
			return unsupportedf("DELETE ... LIMIT", "select the primary keys with LIMIT first, then delete them")
		}
		if s.Where != nil {
			return checkExpr(s.Where.Expr)
		}
	case *sqlparser.Set:
		return unsupportedf("SET", "connection options go in the DSN")
	case *sqlparser.Use:
		return unsupportedf("USE", "name the keyspace in the DSN (keyspace=...) or qualify tables as keyspace.table")
	case *sqlparser.Begin, *sqlparser.Commit, *sqlparser.Rollback:
		return unsupportedf("transaction statements in SQL", "use db.BeginTx; astrasql buffers a transaction's writes and sends them at Commit, which is not atomic across rows")
	case *sqlparser.Stream:
		return unsupportedf("STREAM", "")
	case *sqlparser.OtherRead, *sqlparser.OtherAdmin:
		return unsupportedf("this statement", "")
	}
	return nil
}

func checkSelect(s *sqlparser.Select, inner bool) error {
	if s.Lock != "" {
		what := strings.ToUpper(strings.TrimSpace(s.Lock))
		return unsupportedf("SELECT ... "+what, "Astra has no row locks; a transaction in astrasql only buffers writes, so read, then write with the values you read")
	}
	if err := checkTableExprs(s.From); err != nil {
		return err
	}
	for _, se := range s.SelectExprs {
		if ae, ok := se.(*sqlparser.AliasedExpr); ok {
			if err := checkExpr(ae.Expr); err != nil {
				return err
			}
		}
	}
	if s.Where != nil {
		if err := checkExpr(s.Where.Expr); err != nil {
			return err
		}
	}
	if s.Having != nil {
		if err := checkExpr(s.Having.Expr); err != nil {
			return err
		}
	}
	for _, g := range s.GroupBy {
		if err := checkExpr(g); err != nil {
			return err
		}
	}
	for _, o := range s.OrderBy {
		if err := checkExpr(o.Expr); err != nil {
			return err
		}
	}
	return nil
}

func checkTableExprs(te sqlparser.TableExprs) error {
	if len(te) > 1 {
		return unsupportedf("joins (several tables in FROM)", "query each table separately and join the rows in your program, or denormalise into one table (Cassandra style)")
	}
	for _, t := range te {
		switch x := t.(type) {
		case *sqlparser.JoinTableExpr:
			return unsupportedf(strings.ToUpper(x.Join), "query each table separately and join the rows in your program, or denormalise into one table (Cassandra style)")
		case *sqlparser.ParenTableExpr:
			return unsupportedf("parenthesised table expressions", "")
		case *sqlparser.AliasedTableExpr:
			switch x.Expr.(type) {
			case *sqlparser.Subquery:
				return unsupportedf("subqueries in FROM (derived tables)", "run the inner query, then query its rows in your program")
			}
			if x.Hints != nil {
				return unsupportedf("index hints", "the Data API picks indexes itself")
			}
		}
	}
	return nil
}

// checkExpr walks an expression for subqueries and other constructs.
func checkExpr(e sqlparser.Expr) error {
	var found error
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		if found != nil {
			return false, nil
		}
		switch x := n.(type) {
		case *sqlparser.Subquery:
			found = unsupportedf("subqueries", "run the inner query first and pass its result as parameters (IN (?, ?, ...))")
		case *sqlparser.ExistsExpr:
			found = unsupportedf("EXISTS (subquery)", "run the inner query first and test its result in your program")
		case *sqlparser.MatchExpr:
			found = unsupportedf("MATCH ... AGAINST", "create a text index and use the Data API's lexical search")
		case *sqlparser.GroupConcatExpr:
			found = unsupportedf("GROUP_CONCAT", "group the rows in your program")
		case *sqlparser.ValuesFuncExpr:
			found = unsupportedf("VALUES()", "")
		case *sqlparser.FuncExpr:
			if fmt.Sprint(x.Name.Lowered()) == "row_number" || x.Name.Lowered() == "rank" || x.Name.Lowered() == "dense_rank" {
				found = unsupportedf("window functions", "sort with ORDER BY and number the rows in your program")
			}
		}
		return true, nil
	}, e)
	return found
}

// unsupportedSyntax explains a statement the SQL parser rejected when the
// reason is a construct we know we do not support (CTEs, window
// functions, INTERSECT/EXCEPT, MERGE, ...). It returns nil when it finds
// none: the caller then reports its own syntax error.
func unsupportedSyntax(sql string) error {
	tkn := sqlparser.NewStringTokenizer(sql)
	var prev string
	first := true
	for {
		typ, val := tkn.Scan()
		if typ == 0 || typ == sqlparser.LEX_ERROR {
			return nil
		}
		w := strings.ToLower(string(val))
		if typ == sqlparser.ID || typ >= 57346 { // identifiers and keywords
			switch {
			case first && w == "with":
				return unsupportedf("WITH (common table expressions)", "run the inner query first, or inline it")
			case w == "over" && prev == ")":
				return unsupportedf("window functions (OVER)", "sort with ORDER BY and compute running values in your program")
			case w == "intersect" || w == "except" || w == "minus":
				return unsupportedf(strings.ToUpper(w), "run both SELECTs and combine the rows in your program")
			case first && w == "merge":
				return unsupportedf("MERGE", "INSERT already upserts on Astra")
			case w == "lateral":
				return unsupportedf("LATERAL", "")
			case first && (w == "truncate"):
				return unsupportedf("TRUNCATE", "use DELETE FROM t (sent as deleteMany with an empty filter, which truncates)")
			case first && (w == "grant" || w == "revoke"):
				return unsupportedf(strings.ToUpper(w), "manage roles and tokens in the Astra console")
			}
		}
		if len(val) > 0 {
			prev = w
		} else {
			prev = string(rune(typ))
		}
		first = false
	}
}

// InsertRowCount returns how many rows an INSERT ... VALUES statement
// writes (ok is false for other statements). A buffered transaction uses
// it to report RowsAffected before anything is sent.
func InsertRowCount(st *Statement) (int, bool) {
	if st == nil {
		return 0, false
	}
	ins, ok := st.ast.(*sqlparser.Insert)
	if !ok {
		return 0, false
	}
	vals, ok := ins.Rows.(sqlparser.Values)
	if !ok {
		return 0, false
	}
	return len(vals), true
}
