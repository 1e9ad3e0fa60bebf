// Package astrasql is a database/sql driver for Astra DB tables through the
// Data API: SQL goes in, Data API commands (HTTP POSTs of JSON) go out.
//
//	import _ "github.com/astrasql/astrasql"
//
//	db, err := sql.Open("astra", "https://<db-id>-<region>.apps.astra.datastax.com?keyspace=ks")
//
// The token comes from the DSN (token=, percent-encoded) or from
// ASTRA_DB_APPLICATION_TOKEN. See ParseDSN for the options and
// NewConnector to build a connector from a Config.
//
// # SQL
//
// Statements are MySQL-flavoured with CQL additions: "double quoted"
// identifiers, ?, :name and @name placeholders, collection literals
// [1, 2], {'a', 'b'}, {'k': 1}, c CONTAINS x, m CONTAINS KEY k, and
// ORDER BY v ANN OF [..] LIMIT k for vector search. EXPLAIN <statement>
// returns the Data API commands and client-side steps instead of running them.
//
//   - SELECT with the full primary key is a findOne; other SELECTs are a find
//     whose filter, projection, sort and limit are pushed to the server when
//     it can honour them for the whole result; the rest (other predicates,
//     ORDER BY, OFFSET, DISTINCT, aggregates) runs in the driver over the
//     streamed rows. Rows stream page by page: the first page is read by
//     QueryContext, later ones while the caller reads.
//   - ORDER BY v ANN OF x [LIMIT k]: one page of at most 1000 rows, most
//     similar first; without LIMIT the server's default and maximum, 1000.
//     similarity_cosine / similarity_dot_product / similarity_euclidean(v, x)
//     give scores (the server's when the metric is the index's and x the ANN
//     vector, else computed by the driver with the same formulas).
//   - INSERT of any number of rows: insertMany in chunks of 100, sent
//     concurrently; an INSERT overwrites (Cassandra upserts).
//   - UPDATE / DELETE by full primary key: updateOne / deleteOne; DELETE by
//     partition (and clustering prefix or range) or of everything: deleteMany;
//     other WHERE clauses read the matching keys then write row by row.
//
// # RowsAffected
//
//   - INSERT: the rows written (exact; a partial failure is an *InsertError
//     saying row by row what was written).
//   - UPDATE by full primary key: 1 (an UPDATE of a missing row creates it).
//   - UPDATE / DELETE with another WHERE: the rows matched and written.
//   - DELETE by full primary key: 0 or 1 (the driver reads the key first:
//     the server's delete is blind and does not say).
//   - DELETE by partition / range / without WHERE, TRUNCATE: unknown:
//     RowsAffected returns -1 and ErrRowsAffectedUnknown.
//
// # Types
//
// Values scan by default into the Go types of package typesmap's table
// (text: string, int: int64, varint: *big.Int, decimal: string, timestamp:
// time.Time, uuid: uuid.UUID, vector: typesmap.Vector, list: typesmap.List,
// map: typesmap.Map, ...). Arguments are checked against the column type
// before anything is sent; an error names the placeholder and the column.
//
// # Transactions
//
// The Data API has none. BeginTx gives a write buffer: writes are checked
// and held until Commit, which sends them in order and is NOT atomic (a
// *TxCommitError says what was applied); Rollback really discards them.
// Reads inside a transaction do not see its buffered writes.
//
// # Not supported
//
// Joins, subqueries, UNION, LastInsertId.
package astrasql
