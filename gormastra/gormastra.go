// Package gormastra is the GORM dialect for Astra DB tables through the
// astrasql driver:
//
//	db, err := gorm.Open(gormastra.Open("https://<db>.apps.astra.datastax.com?keyspace=ks"), &gorm.Config{})
//	db, err := gorm.Open(gormastra.New(gormastra.Config{Conn: sqlDB}), &gorm.Config{})
//
// What maps and what does not:
//   - Keys: every `primaryKey` field is part of the primary key. The fields
//     tagged `partitionKey` form the partition key (in field order); without
//     that tag the first key field is the partition key. The other key fields
//     are clustering columns in field order; `clustering:desc` sorts one
//     descending. Integer keys are auto-increment in GORM unless tagged
//     `autoIncrement:false`: Astra has no generated keys, so such a model is
//     refused at migration and at Create. A uuid.UUID key left zero is filled
//     with a random UUID before Create.
//   - Create sends INSERT (a batch is one multi-row INSERT); there is no
//     LastInsertId or RETURNING. An INSERT overwrites an existing row with the
//     same key (Cassandra upserts): clause.OnConflict{UpdateAll: true} is
//     what every INSERT does; DoNothing and DoUpdates of some columns cannot
//     be honoured and are errors. Save updates by primary key, which creates
//     the row when missing.
//   - Types: see DataTypeOf; lists, sets, maps, decimal and other CQL types
//     through an explicit `type:` tag (`type:list<text>`), vectors as
//     []float32 or typesmap.Vector with `type:vector<float, N>`; such fields
//     may be plain Go slices and maps (see collections.go).
//   - Indexes: `index` tags make CREATE INDEX (one column each); a vector
//     index is `index:name,class:VECTOR` with `option:dot_product` (or
//     euclidean; cosine by default). Unique and multi-column indexes, foreign
//     keys, changing a column's type and renames are refused with an error.
//   - Transactions are the driver's write buffer (see astrasql's README):
//     nothing is sent before Commit, and Commit is not atomic.
package gormastra

import (
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/callbacks"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/migrator"
	"gorm.io/gorm/schema"

	_ "github.com/astrasql/astrasql" // the "astra" driver
)

// Config configures the dialect: a DSN, or an open *sql.DB.
type Config struct {
	DriverName string // default "astra"
	DSN        string
	Conn       gorm.ConnPool
}

// Dialector is GORM's dialect for astrasql.
type Dialector struct {
	*Config
}

// Open returns a dialect that opens dsn with the astra driver.
func Open(dsn string) gorm.Dialector { return &Dialector{Config: &Config{DSN: dsn}} }

// New returns a dialect for a configuration (an open connection in Conn).
func New(c Config) gorm.Dialector { return &Dialector{Config: &c} }

// ErrNotSupported is wrapped by every error for what Astra cannot do.
var ErrNotSupported = errors.New("gormastra: not supported by Astra DB")

func notSupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNotSupported, fmt.Sprintf(format, args...))
}

// Name is the dialect's name.
func (d Dialector) Name() string { return "astra" }

// Initialize sets up the connection and GORM's callbacks.
func (d Dialector) Initialize(db *gorm.DB) error {
	if d.DriverName == "" {
		d.DriverName = "astra"
	}
	if d.Conn != nil {
		db.ConnPool = d.Conn
	} else {
		conn, err := sql.Open(d.DriverName, d.DSN)
		if err != nil {
			return err
		}
		db.ConnPool = conn
	}
	// Foreign keys do not exist in Astra: GORM must not try to create them.
	db.Config.DisableForeignKeyConstraintWhenMigrating = true
	callbacks.RegisterDefaultCallbacks(db, &callbacks.Config{
		CreateClauses: []string{"INSERT", "VALUES", "ON CONFLICT"},
		UpdateClauses: []string{"UPDATE", "SET", "WHERE"},
		DeleteClauses: []string{"DELETE", "FROM", "WHERE"},
	})
	if err := db.Callback().Create().Before("gorm:create").Register("gormastra:keys", fillKeys); err != nil {
		return err
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().Before("gorm:create").Register("gormastra:collections", patchCollections),
		cb.Update().Before("gorm:update").Register("gormastra:collections", patchCollections),
		cb.Query().Before("gorm:query").Register("gormastra:collections", patchCollections),
		cb.Row().Before("gorm:row").Register("gormastra:collections", patchCollections),
	} {
		if err != nil {
			return err
		}
	}
	for k, v := range d.ClauseBuilders() {
		db.ClauseBuilders[k] = v
	}
	return nil
}

// fillKeys refuses auto-increment keys and fills zero uuid keys.
func fillKeys(db *gorm.DB) {
	s := db.Statement.Schema
	if s == nil || db.Error != nil {
		return
	}
	if err := checkAutoIncrement(s); err != nil {
		_ = db.AddError(err)
		return
	}
	rv := db.Statement.ReflectValue
	fill := func(v reflect.Value) {
		for _, f := range s.PrimaryFields {
			if f.FieldType != uuidType {
				continue
			}
			if _, zero := f.ValueOf(db.Statement.Context, v); zero {
				_ = f.Set(db.Statement.Context, v, uuid.New())
			}
		}
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		for i := 0; i < rv.Len(); i++ {
			fill(reflect.Indirect(rv.Index(i)))
		}
	case reflect.Struct:
		fill(rv)
	}
}

func checkAutoIncrement(s *schema.Schema) error {
	for _, f := range s.Fields {
		if f.AutoIncrement {
			return notSupported("field %s.%s is an auto-increment key (GORM makes an integer primary key auto-increment unless told otherwise) and Astra has no generated keys: tag it `gorm:\"primaryKey;autoIncrement:false\"` and set it yourself, or use a uuid.UUID key, which gormastra fills in on Create (gorm.Model's ID is such a key: embed your own ID, CreatedAt, UpdatedAt, DeletedAt fields instead)", s.Name, f.Name)
		}
	}
	return nil
}

var uuidType = reflect.TypeFor[uuid.UUID]()

// ClauseBuilders maps ON CONFLICT to what an INSERT does.
func (d Dialector) ClauseBuilders() map[string]clause.ClauseBuilder {
	return map[string]clause.ClauseBuilder{
		"ON CONFLICT": func(c clause.Clause, b clause.Builder) {
			oc, ok := c.Expression.(clause.OnConflict)
			if !ok {
				return
			}
			switch {
			case oc.UpdateAll:
				// Every INSERT overwrites the row with the same key.
			case oc.DoNothing:
				_ = b.AddError(notSupported("ON CONFLICT DO NOTHING: an INSERT always overwrites the row with the same key; read the key first"))
			default:
				_ = b.AddError(notSupported("ON CONFLICT DO UPDATE of some columns: an INSERT overwrites every column it names; use OnConflict{UpdateAll: true} or an Update"))
			}
		},
	}
}

// DefaultValueOf is the value of a field with no value: NULL.
func (d Dialector) DefaultValueOf(*schema.Field) clause.Expression {
	return clause.Expr{SQL: "NULL"}
}

// Migrator returns the schema migrator.
func (d Dialector) Migrator(db *gorm.DB) gorm.Migrator {
	return Migrator{migrator.Migrator{Config: migrator.Config{DB: db, Dialector: d}}}
}

// BindVarTo writes a positional placeholder.
func (d Dialector) BindVarTo(w clause.Writer, _ *gorm.Statement, _ any) { _ = w.WriteByte('?') }

// QuoteTo double-quotes an identifier (each part of a dotted name).
func (d Dialector) QuoteTo(w clause.Writer, s string) {
	for i, part := range strings.Split(s, ".") {
		if i > 0 {
			_ = w.WriteByte('.')
		}
		_ = w.WriteByte('"')
		_, _ = w.WriteString(strings.ReplaceAll(part, `"`, `""`))
		_ = w.WriteByte('"')
	}
}

// Explain renders a statement with its arguments, for GORM's logger.
func (d Dialector) Explain(sql string, vars ...any) string {
	return logger.ExplainSQL(sql, nil, `'`, vars...)
}

// SavePoint is not supported: the driver's transactions are write buffers.
func (d Dialector) SavePoint(*gorm.DB, string) error {
	return notSupported("savepoints")
}

// RollbackTo is not supported.
func (d Dialector) RollbackTo(*gorm.DB, string) error {
	return notSupported("savepoints")
}

// DataTypeOf maps a field to a CQL type: bool boolean; int8 tinyint, int16
// smallint, int32 int, int/int64 bigint; uint8 smallint, uint16 int, uint32
// and uint/uint64 bigint (uint64 values past 2^63-1 are refused when
// written); float32 float, float64 double; string text; time.Time
// timestamp; []byte blob; uuid.UUID uuid; anything else (decimal, lists,
// sets, maps, vectors) needs a `type:` tag, which is used as written.
func (d Dialector) DataTypeOf(f *schema.Field) string {
	t := f.FieldType
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == uuidType {
		return "uuid"
	}
	switch f.DataType {
	case schema.Bool:
		return "boolean"
	case schema.Int:
		switch f.Size {
		case 8:
			return "tinyint"
		case 16:
			return "smallint"
		case 32:
			return "int"
		}
		return "bigint"
	case schema.Uint:
		switch f.Size {
		case 8:
			return "smallint"
		case 16:
			return "int"
		}
		return "bigint"
	case schema.Float:
		if f.Size == 32 {
			return "float"
		}
		return "double"
	case schema.String:
		return "text"
	case schema.Time:
		return "timestamp"
	case schema.Bytes:
		return "blob"
	}
	return string(f.DataType)
}
