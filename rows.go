package astrasql

import (
	"database/sql/driver"
	"io"
	"reflect"

	"github.com/google/uuid"

	"github.com/astrasql/astrasql/planner"
	"github.com/astrasql/astrasql/typesmap"
)

// rows streams a result. The first page was read by QueryContext; later
// pages are read (one ahead) while the caller reads.
type rows struct {
	cols  []planner.ResultColumn
	names []string
	it    planner.RowIter
	done  bool
}

func newRows(cols []planner.ResultColumn, it planner.RowIter) (*rows, error) {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return &rows{cols: cols, names: names, it: it}, nil
}

func (r *rows) Columns() []string { return r.names }

func (r *rows) Close() error {
	r.done = true
	return r.it.Close()
}

func (r *rows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	row, err := r.it.Next()
	if err != nil {
		if err == io.EOF {
			r.done = true
			r.it.Close()
		}
		return err
	}
	for i := range dest {
		if i < len(row) {
			dest[i] = scanValue(row[i])
		} else {
			dest[i] = nil
		}
	}
	return nil
}

// scanValue is the driver.Value handed to database/sql for a decoded
// value. uuid/timeuuid, time and duration values go out as their canonical
// strings: database/sql then scans them into uuid.UUID, typesmap.TimeOfDay
// and typesmap.Duration (whose Scan methods parse the string), into
// *string, []byte and sql.NullString alike; the Go values themselves
// could be scanned into none of *string (uuid.UUID.Scan does not even take
// a uuid.UUID, and a TimeOfDay would become its nanoseconds). Scan into
// `any` therefore yields the string (see doc.go, "Scanning").
func scanValue(v any) driver.Value {
	switch x := v.(type) {
	case uuid.UUID:
		return x.String()
	case typesmap.TimeOfDay:
		return x.String()
	case typesmap.Duration:
		return x.String()
	}
	return v
}

// ColumnTypeDatabaseTypeName is the Data API type in upper case (TEXT,
// INT, VECTOR, MAP, ...), "" for values computed by the driver.
func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	if r.cols[i].Type.Kind == "" {
		return ""
	}
	return typesmap.DatabaseTypeName(r.cols[i].Type)
}

var anyType = reflect.TypeFor[any]()

// ColumnTypeScanType is the Go type values scan into by default.
func (r *rows) ColumnTypeScanType(i int) reflect.Type {
	if r.cols[i].Type.Kind == "" {
		return anyType
	}
	return typesmap.ScanType(r.cols[i].Type)
}

// ColumnTypeNullable: primary key columns are never null.
func (r *rows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if r.cols[i].Type.Kind == "" {
		return true, false
	}
	return r.cols[i].Nullable, true
}

// ColumnTypeLength is a vector's dimension (and what typesmap knows of others).
func (r *rows) ColumnTypeLength(i int) (int64, bool) {
	if r.cols[i].Type.Kind == "" {
		return 0, false
	}
	return typesmap.Length(r.cols[i].Type)
}

// ColumnTypePrecisionScale where the type has them.
func (r *rows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if r.cols[i].Type.Kind == "" {
		return 0, 0, false
	}
	return typesmap.DecimalSize(r.cols[i].Type)
}
