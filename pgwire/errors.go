package pgwire

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/typesmap"
)

// SQLSTATE codes sent (PostgreSQL's appendix A).
const (
	codeSyntax            = "42601"
	codeUndefinedTable    = "42P01"
	codeUndefinedColumn   = "42703"
	codeDuplicateTable    = "42P07"
	codeUndefinedObject   = "42704"
	codeNotSupported      = "0A000"
	codeDataException     = "22000"
	codeInvalidText       = "22P02"
	codeInvalidParamValue = "22023"
	codeNumericRange      = "22003"
	codeInvalidPassword   = "28P01"
	codeInvalidAuthSpec   = "28000"
	codeCanceled          = "57014"
	codeProtocolViolation = "08P01"
	codeConnectionFailure = "08006"
	codeInvalidCatalog    = "3D000"
	codeOutOfMemory       = "53200"
	codeInFailedTx        = "25P02"
	codeActiveTx          = "25001"
	codeNoActiveTx        = "25P01"
	codeTxRollback        = "40000"
	codeInvalidSQLStmt    = "26000"
	codeInvalidCursor     = "34000"
	codeCantChangeSetting = "55P02"
	codeInternal          = "XX000"
)

// pgError is an error with its SQLSTATE, made by pgwire itself.
type pgError struct {
	code, msg, hint string
}

func (e *pgError) Error() string { return e.msg }

func newErr(code, msg string) *pgError { return &pgError{code: code, msg: msg} }

// sqlState gives the SQLSTATE of an error of the driver (or of pgwire).
func sqlState(err error) string {
	var pe *pgError
	var se *astrasql.SyntaxError
	var ue *astrasql.UnsupportedError
	var te *astrasql.UnknownTableError
	var ce *astrasql.UnknownColumnError
	var ae *astrasql.ArgumentError
	var ace *astrasql.ArgumentCountError
	var le *astrasql.LiteralError
	var me *astrasql.MemoryBudgetError
	var ve *typesmap.ValueError
	var api *astrasql.APIError
	switch {
	case errors.As(err, &pe):
		return pe.code
	case errors.Is(err, context.Canceled):
		return codeCanceled
	case errors.As(err, &se):
		return codeSyntax
	case errors.As(err, &ue):
		return codeNotSupported
	case errors.As(err, &te):
		return codeUndefinedTable
	case errors.As(err, &ce):
		return codeUndefinedColumn
	case errors.As(err, &ace):
		return codeProtocolViolation
	case errors.As(err, &ae), errors.As(err, &le), errors.As(err, &ve):
		if strings.Contains(err.Error(), "overflow") {
			return codeNumericRange
		}
		return codeInvalidParamValue
	case errors.As(err, &me):
		return codeOutOfMemory
	case errors.Is(err, dataapi.ErrUnauthenticated):
		return codeInvalidPassword
	case errors.As(err, &api):
		return apiState(api)
	case errors.Is(err, context.DeadlineExceeded):
		return codeCanceled
	}
	return codeInternal
}

// apiState maps the Data API's error codes to the nearest SQLSTATE.
func apiState(e *astrasql.APIError) string {
	c := e.ErrorCode
	switch {
	case strings.Contains(c, "ALREADY_EXISTS") || strings.Contains(c, "EXISTING_TABLE"):
		return codeDuplicateTable
	case strings.Contains(c, "UNKNOWN_TABLE") || strings.Contains(c, "TABLE_NOT_FOUND") || strings.Contains(c, "COLLECTION_NOT_EXIST"):
		return codeUndefinedTable
	case strings.Contains(c, "UNKNOWN") && strings.Contains(c, "COLUMN"):
		return codeUndefinedColumn
	case strings.Contains(c, "KEYSPACE") && (strings.Contains(c, "NOT_EXIST") || strings.Contains(c, "UNKNOWN")):
		return codeInvalidCatalog
	case strings.Contains(c, "UNSUPPORTED") || strings.Contains(c, "NOT_SUPPORTED"):
		return codeNotSupported
	case e.Scope == "DOCUMENT" || strings.Contains(c, "INVALID") || strings.Contains(c, "MISSING"):
		return codeDataException
	}
	return codeInternal
}

// errorText is the message of an error without the driver's prefix.
func errorText(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "astrasql: ")
	return s
}

// errorResponse is the ErrorResponse of err.
func errorResponse(err error) *pgproto3.ErrorResponse {
	r := &pgproto3.ErrorResponse{Severity: "ERROR", SeverityUnlocalized: "ERROR", Code: sqlState(err), Message: errorText(err)}
	var pe *pgError
	if errors.As(err, &pe) {
		r.Hint = pe.hint
	}
	if errors.Is(err, context.DeadlineExceeded) {
		r.Code, r.Message = codeCanceled, errStatementTimeout.msg
	} else if r.Code == codeCanceled && errors.Is(err, context.Canceled) {
		r.Message = "canceling statement due to user request"
	}
	return r
}

// classifyConnect is the SQLSTATE and message for a failure to open a
// keyspace at start-up. The token is never part of it.
func classifyConnect(err error, keyspace string) (string, string) {
	if errors.Is(err, dataapi.ErrUnauthenticated) {
		return codeInvalidPassword, "password authentication failed: the Data API refused the token"
	}
	code := sqlState(err)
	if code == codeInvalidCatalog || strings.Contains(strings.ToLower(err.Error()), "keyspace") {
		return codeInvalidCatalog, "database (keyspace) \"" + keyspace + "\" cannot be used: " + errorText(err)
	}
	return codeConnectionFailure, "cannot connect: " + errorText(err)
}
