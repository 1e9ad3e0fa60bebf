package pgwire

import (
	"testing"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/astrasql/astrasql/typesmap"
)

// FuzzStatementText: whatever a client sends as SQL, splitting, $n
// rewriting and parameter-column finding never panic, and rewriting keeps
// the text outside parameters.
func FuzzStatementText(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)",
		"INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)",
		"SELECT 'a;b' ; SELECT \"x\"\"y\" FROM `t`; -- $1\n/* $2 */",
		"UPDATE ks.t SET a = $2 WHERE k = $1 AND c BETWEEN $3 AND $4",
		"SELECT * FROM t ORDER BY v ANN OF $1 LIMIT $2",
		"SELECT $0, $99999999999, $", "'unterminated", "/* open", "$1$2", "m CONTAINS KEY $1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, st := range splitStatements(s) {
			toks := lex(st)
			out, n, _, err := rewriteParams(st, toks)
			if err == nil && n == 0 && out != st {
				t.Fatalf("rewrite without parameters changed %q to %q", st, out)
			}
			_ = paramUses(toks)
			_, _ = tableOf(toks)
			_ = commandVerb(toks)
		}
	})
}

// FuzzParamText: a text parameter of any content, for any column type,
// decodes or fails with an error, never a panic.
func FuzzParamText(f *testing.F) {
	for _, s := range []string{"1", "-1.5e3", "t", `\x0102`, "{1,2,\"a b\",NULL}", "[1,2,3]", "1 day 02:00:00",
		"2024-01-02 03:04:05+01", "10.0.0.1/32", "{", "[", `{"a\`, ""} {
		f.Add(s)
	}
	kinds := []typesmap.Type{typesmap.Of(typesmap.Int), typesmap.Of(typesmap.Varint), typesmap.Of(typesmap.Double),
		typesmap.Of(typesmap.Boolean), typesmap.Of(typesmap.Blob), typesmap.Of(typesmap.Inet), typesmap.Of(typesmap.Timestamp),
		typesmap.Of(typesmap.Date), typesmap.Of(typesmap.KindDuration), typesmap.VectorOf(3),
		typesmap.ListOf(typesmap.Of(typesmap.Int)), typesmap.SetOf(typesmap.Of(typesmap.Text)), {}}
	m := pgtype.NewMap()
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range kinds {
			_, _ = decodeParam(m, 1, oidText, 0, []byte(s), k)
			_, _ = decodeParam(m, 1, oidFloat4Array, 1, []byte(s), k)
			_, _ = decodeParam(m, 1, oidNumeric, 1, []byte(s), k)
			_, _ = decodeParam(m, 1, 1007, 1, []byte(s), k)
		}
		_, _ = parseNumeric(s)
	})
}
