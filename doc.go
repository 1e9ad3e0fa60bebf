// Package astrasql is a database/sql driver for Astra DB tables through the
// Data API: SQL goes in, Data API commands (HTTP POSTs of JSON) go out.
//
//	import _ "github.com/astrasql/astrasql"
//
//	db, err := sql.Open("astra", "https://<db-id>-<region>.apps.astra.datastax.com?keyspace=ks")
//
// The token comes from the DSN (token=, percent-encoded) or from
// ASTRA_DB_APPLICATION_TOKEN. For a loopback endpoint (localhost,
// 127.0.0.1, ::1) with neither, the driver uses LocalDefaultToken, the
// self-hosted Data API's token for the default cassandra/cassandra
// credentials, so that sql.Open("astra",
// "http://127.0.0.1:8181?keyspace=default_keyspace") reaches `astrasql
// serve` or a fresh local HCD/DSE; any other host without a token is an
// error. See ParseDSN for the options and NewConnector to build a
// connector from a Config.
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
//   - SELECT ... FROM information_schema.tables / columns / schemata: views
//     built by the driver from listTables, queryable with any WHERE, ORDER
//     BY, GROUP BY and LIMIT.
//   - An IN of more than 100 values that is a top-level AND term: one find
//     per 100 distinct values, rows concatenated.
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
//   - DELETE ... WHERE k IN (...) on a one-column partition key: one
//     deleteMany with $in per 100 values; exact (the keys are read first)
//     when the table has no clustering columns, else unknown.
//   - DELETE by partition / range / without WHERE, TRUNCATE: unknown:
//     RowsAffected returns -1 and ErrRowsAffectedUnknown.
//
// # Types
//
// Arguments are checked against the column type before anything is sent;
// an error names the placeholder and the column. Values scan as follows
// (ColumnTypeScanType is the first Go type of each line):
//
//	text, ascii           string; also []byte, sql.NullString
//	boolean               bool; also *string, sql.NullBool
//	tinyint..bigint       int64; also any Go integer, *string, sql.NullInt64
//	varint                *big.Int; also int64 when it fits, sql.NullInt64, sql.Null[*big.Int]
//	decimal               string (exact digits); also sql.NullString, float64
//	float, double         float64; also *string, sql.NullFloat64
//	timestamp, date       time.Time (UTC); also *string (RFC 3339), sql.NullTime
//	time                  typesmap.TimeOfDay; also *string, sql.NullString
//	duration              typesmap.Duration; also *string, sql.NullString
//	uuid, timeuuid        uuid.UUID; also *string, []byte, sql.NullString, uuid.NullUUID
//	inet                  netip.Addr; also sql.Null[netip.Addr]
//	blob                  []byte
//	vector                typesmap.Vector; also []float32
//	list, set, map, UDT   typesmap.List, Set, Map, UDT (and sql.Null[T] of each)
//
// Deviations from DESIGN.md's table, all forced by database/sql's Scan rules:
//
//   - uuid, timeuuid, time and duration values reach database/sql as their
//     canonical strings (lower-case UUID, "HH:MM:SS[.fff]", ISO 8601
//     duration), so Scan into `any` yields that string. Delivered as
//     uuid.UUID, a uuid could be scanned neither into a uuid.UUID (its Scan
//     method takes only strings and bytes) nor into a *string; a TimeOfDay
//     would scan into a *string as its nanoseconds. The typed destinations
//     above parse the string. A time column no longer scans into
//     time.Duration: scan into typesmap.TimeOfDay and call Duration.
//   - varint stays *big.Int and inet netip.Addr, so that they scan into
//     themselves; database/sql cannot turn either into a *string (neither
//     is a string nor a sql.Scanner): scan into the default type and call
//     String, or use sql.Null[T]. decimal is a string; *big.Float and
//     *big.Rat are accepted as arguments but are not scan destinations
//     (use big.Float.SetString / big.Rat.SetString on the string).
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
// Joins, subqueries, UNION / INTERSECT / EXCEPT, window functions (OVER),
// common table expressions (WITH), INSERT ... SELECT, REPLACE, ON DUPLICATE
// KEY UPDATE, UPDATE / DELETE with ORDER BY or LIMIT, locking reads, and
// LastInsertId. Each fails at prepare time with an *UnsupportedError that
// names the construct and, where there is one, the way to get the result.
package astrasql
