// Package kv is a key-value store on an Astra DB table, in the manner of
// LangChain's AstraDBByteStore and AstraDBStore, together with a cache for
// text embeddings built on it.
//
// The table stores are written against database/sql and the astrasql
// driver's SQL only: give them a *sql.DB opened with driver name "astra"
// and every operation becomes one or more SQL statements. They therefore
// double as an example of the driver in real use. The LangChain stores
// (below) share data with Python apps and use collection commands instead.
//
// # Table layout
//
// A store owns one table with two columns:
//
//	CREATE TABLE IF NOT EXISTS "ks"."kv_store" ("key" text PRIMARY KEY, "value" blob)  -- NewBytesStore
//	CREATE TABLE IF NOT EXISTS "ks"."kv_json" ("key" text PRIMARY KEY, "value" text)   -- NewJSONStore
//
// The JSON store keeps each value as its JSON text (encoding/json). The
// table is created when missing unless [WithoutCreate] is given; an
// existing table is checked for the expected column types.
//
// # Keys
//
// A key is a non-empty string of valid UTF-8 of at most 65535 bytes (the
// Cassandra limit for a partition key); other keys are rejected with a
// *[KeyError] before anything is sent.
//
// # Writes
//
// [Store.MSet] writes with multi-row INSERT statements, each of at most the
// batch size in rows (default 100, one Data API insertMany) and of a bounded
// estimated request size, so that large values do not exceed the server's
// request body limit. Cassandra's INSERT is an upsert, so writing a key again
// simply replaces its value and a failed MSet can be retried as a whole. When
// the same key appears more than once in one call, the last value wins.
// Every error from MSet and [Store.MDelete] is a *[WriteError] that lists
// the keys known to be written, known not to be written, and those whose
// outcome is unknown.
//
// # Prefix scans
//
// The Data API has no LIKE and no prefix operator, and a range filter on a
// text partition key does not use an index: Cassandra stores partitions in
// token order, so the server reads every row and filters. (The Data API
// first sends the query without ALLOW FILTERING; Cassandra refuses a slice
// of the partition key, and the API retries with it and adds the warning
// QUERY_RETRIED_DUE_TO_INDEXING.)
// [Store.Keys] still pushes the prefix down as a range,
//
//	key >= prefix AND key < successor(prefix)
//
// because it keeps the rows that do not match on the server instead of
// sending them over the network, page after page: against the local
// server, listing a prefix that matches 1% of 5,000 keys reads one or two
// pages instead of 100 and runs about 30 times faster (BenchmarkKeysPrefix).
// Text compares by its UTF-8 bytes, which is
// the order of code points, so successor(prefix) is computed on code
// points: drop trailing U+10FFFF runes, then increment the last rune
// (skipping the surrogate range). When no successor exists (a prefix made
// only of U+10FFFF) only the lower bound is sent. Characters such as '%'
// and '_' have no special meaning. Keys are checked against the prefix
// again on the client, and come back in no particular order.
//
// # LangChain collection stores
//
// [NewLangChainStore] and [NewLangChainByteStore] keep their data exactly
// as LangChain's AstraDBStore and AstraDBByteStore do, so that a Go service
// and a Python LangChain app can read and write the same store: a Data API
// collection with one document per key,
//
//	{"_id": "<key>", "value": <the value's JSON>}         -- NewLangChainStore
//	{"_id": "<key>", "value": "<standard base64, padded>"} -- NewLangChainByteStore
//
// SQL cannot express collection commands, so these stores take the Data
// API client of the *sql.DB's driver connection (sql.Conn.Raw; one DSN and
// one token serve both) and send LangChain's commands: MSet is an
// unordered insertMany per batch (at most 100 documents), and the keys
// that already exist (DOCUMENT_ALREADY_EXISTS) are then replaced one by
// one with replaceOne; MGet is a find with {"_id": {"$in": keys}} and
// projection {"*": true}; MDelete is a deleteMany with $in, repeated while
// the server reports more (it deletes at most 20 documents per command);
// Keys reads every document with find({}) and checks the prefix on the
// client, as LangChain's yield_keys does, so a prefix listing reads the
// whole collection. A document refused by the server fails alone and the
// *[WriteError] lists it as not written.
//
// The collection is created, when missing, with LangChain's options
// {"indexing": {"allow": ["_id"]}}, so either side may create it first. An
// existing collection is used when it has no indexing option (as older
// LangChain versions made them) or one that leaves "value" unindexed; one
// that indexes "value" is refused with an error, since values beyond the
// server's limits for indexed data (strings over 8000 bytes) would fail
// there. [WithKeyspace], [WithoutCreate], [WithBatchSize] (at most 100) and
// [WithConcurrency] apply; [WithTable] does not.
//
// # Embeddings cache
//
// [CachedEmbedder] wraps an [Embedder] and keeps its vectors in a bytes
// store, keyed by a SHA-256 hash of the model name and the text; see
// [EmbeddingKey] for the key and the value format.
package kv
