// Package typesmap describes Data API column types and maps column values
// between their wire JSON and Go values, in both directions.
//
// It knows no SQL and does no I/O: the dataapi client uses it to decode
// pages of rows, the planner to check and encode parameters.
package typesmap
