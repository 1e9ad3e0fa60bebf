// Package dataapitest is a local, in-memory Data API server for tables,
// for tests, offline development, the astrasql CLI's embedded default and
// `astrasql serve`.
//
// It speaks the Data API's HTTP protocol as the real server (Stargate
// data-api, the code base Astra DB runs) does for tables: POST commands
// at /v1, /v1/<keyspace> and /v1/<keyspace>/<table> (also under
// /api/json/v1), the Token header, the same response envelopes (data,
// status, errors, warnings), error codes, limits (page size 50, insertMany
// of at most 100 rows, in-memory sorts of at most 10,000 rows, ANN limit
// 1000, $in of at most 100 values, 64 filter expressions) and each column
// type's validation and normalised output.
//
//	srv := dataapitest.NewServer()
//	defer srv.Close()
//	dsn := srv.URL + "?keyspace=default_keyspace"
//
// What differs from the real server, by design:
//
//   - Data lives in memory only and is lost on Close.
//   - Partitions are read in the order of a 64-bit FNV hash of the encoded
//     partition key, a deterministic stand-in for Cassandra's Murmur3 token
//     order; rows inside a partition follow the clustering order exactly.
//   - Vectorize is served by a deterministic stand-in embedding provider,
//     not a real model: the same text (for the same provider and model)
//     always gives the same unit vector of the column's dimension, and
//     different texts give unrelated vectors. Provider and model names are
//     checked against a list of well-known ones (openai
//     text-embedding-3-small, nvidia NV-Embed-QA, mistral mistral-embed,
//     ...); no API key is needed, and x-embedding-api-key is accepted and
//     ignored.
//   - Lexical ($match, BM25 sort) search matches lower-cased terms; the
//     sort score counts matching terms and is not BM25.
//   - Text options of regular indexes (caseSensitive, normalize, ascii)
//     apply to filters as the database applies them, but NFC normalisation
//     and ASCII folding cover Latin letters only (see textAnalyser).
//   - An inet value must be an address literal; the real server would also
//     resolve a host name through DNS, this server refuses it.
//   - Collections exist only so that a client's set-up and tear-down work
//     (createCollection, findCollections, deleteCollection, insert, find
//     and deleteMany with {} or {"_id": ...} filters).
//   - Error titles are the real server's; error messages carry the same
//     facts (columns, types, values) in this package's own wording.
//
// The server is safe for concurrent use: schema changes take a server-wide
// lock, row commands share it and lock the table they touch.
package dataapitest
