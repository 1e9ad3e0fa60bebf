package kv

import (
	"errors"

	"github.com/astrasql/astrasql"
)

// rowState is what is known of one row of a failed statement.
type rowState int

const (
	rowUnknown rowState = iota
	rowWritten
	rowNotWritten
)

// rowStates reports, for a failed statement of n rows, what the driver's
// error says of each row; ok is false when it says nothing row by row.
// Only a multi-row INSERT does: *astrasql.InsertError lists every row.
func rowStates(err error, n int) (states []rowState, ok bool) {
	var ie *astrasql.InsertError
	if !errors.As(err, &ie) || len(ie.Rows) != n {
		return nil, false
	}
	states = make([]rowState, n)
	for _, r := range ie.Rows {
		if r.Row < 1 || r.Row > n {
			return nil, false
		}
		switch r.Status {
		case "inserted":
			states[r.Row-1] = rowWritten
		case "failed", "not attempted":
			states[r.Row-1] = rowNotWritten
		default: // "unknown", and whatever a later driver may add
			states[r.Row-1] = rowUnknown
		}
	}
	return states, true
}
