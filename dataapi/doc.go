// Package dataapi is an HTTP client for the Astra DB Data API's table
// commands. It knows no SQL: the driver (package astrasql) plans statements
// and hands this package pre-encoded JSON for filters, sorts, projections,
// updates and rows.
//
// One Client holds one connection pool and is safe for concurrent use; share
// it. Each command is one POST of {"<command>": {...}} to the database,
// keyspace or table URL; responses are decoded as a stream (rows go straight
// from the body into Go values through typesmap.RowDecoder).
//
// # Failures
//
// Errors say what failed, where, and how:
//   - *ResponseError: the server refused the command; errors.As gives each
//     *APIError (ErrorCode, Family, Scope, Title, Message, ID).
//   - *HTTPError: a status other than 200; errors.Is with ErrUnauthenticated,
//     ErrForbidden, ErrEndpointNotFound, ErrRequestTooLarge,
//     ErrUnsupportedMediaType, ErrRateLimited, ErrServer.
//   - *TimeoutError: Options.Timeout expired (the caller's own context
//     deadline gives an error wrapping context.DeadlineExceeded instead).
//   - *TransportError: connection refused, reset, EOF.
//   - *BadResponseError: malformed JSON, a truncated body
//     (io.ErrUnexpectedEOF), a body over the size limit (ErrResponseTooLarge).
//   - *SchemaChangedError: rows do not have the columns the caller expected.
//   - *InsertManyError: some rows of an InsertMany were not confirmed.
//
// # Retries
//
// HTTP 429, 502, 503, 504, connection resets and EOFs, and the database's
// transient errors (UNAVAILABLE_DATABASE, TIMEOUT_READING_DATA, ...) are
// retried with exponential backoff and full jitter, honouring Retry-After,
// but only for commands that are safe to send twice: see Repeatable. A
// request that never left (a failed dial) is retried for any command. A
// client timeout (Options.Timeout) is not retried: the server may still be
// executing the command, and the caller's deadline is usually near.
//
// # Reading rows
//
// Find returns a Cursor: the first page is fetched by Find itself (errors
// and columns are known at once), the next page is fetched while the
// caller reads the current one, never more than one page ahead, and Close
// (or the end of the rows, or the context) stops it; no goroutine outlives
// the cursor. Give FindRequest.Columns (the columns the caller planned
// with) to decode rows straight from the response; when the server's
// projectionSchema or a row disagrees, the error is *SchemaChangedError
// with the server's schema, so the caller can refresh and retry.
//
// # Secrets
//
// The token and the embedding API key are never part of an error, a Hook
// event, or the printed form of Options or Client.
package dataapi
