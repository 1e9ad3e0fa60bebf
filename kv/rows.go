package kv

// rowState is what is known of one row of a failed statement.
type rowState int

const (
	rowUnknown rowState = iota
	rowWritten
	rowNotWritten
)

// rowStates reports, for a failed statement of n rows, what the driver's
// error says of each row; ok is false when it says nothing row by row.
func rowStates(err error, n int) (states []rowState, ok bool) {
	return nil, false
}
