package dataapi

// Whether a failed write was applied decides how it is reported: a row the
// server refused is failed (not written), one whose command may have run is
// unknown. The real server (stargate/data-api) reports as family REQUEST
// every refusal made before the command runs, and as family SERVER, scope
// DATABASE, the database's errors, of which only some come before a write:
//
//   - INVALID_DATABASE_QUERY: the database's InvalidRequest, raised when the
//     query is validated (e.g. "Key may not be empty"): nothing written;
//   - UNSUPPORTED_DATABASE_QUERY: a syntax error, refused before running;
//   - UNAVAILABLE_DATABASE: too few replicas alive to start the query
//     (Cassandra's Unavailable): the coordinator wrote nothing;
//   - FAILED_TO_CONNECT_TO_DATABASE: no node could be reached;
//   - UNKNOWN_KEYSPACE.
//
// Timeouts (TIMEOUT_WRITING_DATA, DRIVER_TIMEOUT), write failures
// (FAILED_WRITE_REQUEST), lost connections and unexpected driver errors
// may follow a write on some replicas: their outcome is unknown.

// NotApplied says whether the error means the server did not apply the
// command (see above).
func (e *APIError) NotApplied() bool {
	if e.Family != "SERVER" {
		return true
	}
	switch e.ErrorCode {
	case "INVALID_DATABASE_QUERY", "UNSUPPORTED_DATABASE_QUERY", "UNAVAILABLE_DATABASE",
		"FAILED_TO_CONNECT_TO_DATABASE", "UNKNOWN_KEYSPACE":
		return true
	}
	return false
}

// NotApplied says whether every error of the response means the command
// was not applied.
func (e *ResponseError) NotApplied() bool {
	for _, a := range e.Errors {
		if !a.NotApplied() {
			return false
		}
	}
	return len(e.Errors) > 0
}

// NotApplied is true for an HTTP 4xx: the request was refused before it ran.
func (e *HTTPError) NotApplied() bool { return e.StatusCode >= 400 && e.StatusCode < 500 }
