package gormastra

import (
	"database/sql"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/migrator"
	"gorm.io/gorm/schema"
)

// Migrator creates tables, columns and indexes with CQL DDL and reads the
// schema from information_schema. What Astra cannot do (changing a
// column's type, renames, constraints, views) returns an error wrapping
// ErrNotSupported.
type Migrator struct {
	migrator.Migrator
}

// CurrentDatabase is the connection's keyspace.
func (m Migrator) CurrentDatabase() (name string) {
	m.DB.Raw("SELECT DATABASE()").Row().Scan(&name)
	return name
}

// AutoMigrate creates missing tables (CREATE TABLE IF NOT EXISTS), adds
// missing columns (ALTER TABLE ADD) and creates missing indexes. A column
// whose type differs from the field's is an error: Astra cannot alter it.
func (m Migrator) AutoMigrate(values ...any) error {
	for _, value := range m.ReorderModels(values, true) {
		if !m.HasTable(value) {
			if err := m.CreateTable(value); err != nil {
				return err
			}
			continue
		}
		err := m.RunWithValue(value, func(stmt *gorm.Statement) error {
			if err := checkAutoIncrement(stmt.Schema); err != nil {
				return err
			}
			cols, err := m.ColumnTypes(value)
			if err != nil {
				return err
			}
			have := map[string]gorm.ColumnType{}
			for _, c := range cols {
				have[c.Name()] = c
			}
			for _, name := range stmt.Schema.DBNames {
				f := stmt.Schema.FieldsByDBName[name]
				if f.IgnoreMigration {
					continue
				}
				c, ok := have[name]
				if !ok {
					if err := m.AddColumn(value, name); err != nil {
						return err
					}
					continue
				}
				got, _ := c.ColumnType()
				if want := m.DataTypeOf(f); normType(got) != normType(want) {
					return notSupported("column %s.%s is %s and the field %s wants %s: Astra cannot change a column's type (drop and re-add the column, losing its values)", stmt.Table, name, got, f.Name, want)
				}
			}
			for _, idx := range stmt.Schema.ParseIndexes() {
				if !m.HasIndex(value, idx.Name) {
					if err := m.CreateIndex(value, idx.Name); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func normType(t string) string {
	t = strings.ToLower(strings.ReplaceAll(t, " ", ""))
	return strings.ReplaceAll(t, "varchar", "text")
}

// CreateTable runs CREATE TABLE IF NOT EXISTS with the primary key the
// tags describe (see the package comment), then the indexes.
func (m Migrator) CreateTable(values ...any) error {
	for _, value := range m.ReorderModels(values, false) {
		err := m.RunWithValue(value, func(stmt *gorm.Statement) error {
			if err := checkAutoIncrement(stmt.Schema); err != nil {
				return err
			}
			if len(stmt.Schema.PrimaryFields) == 0 {
				return notSupported("model %s has no primary key: Astra tables need one (tag a field `gorm:\"primaryKey\"`)", stmt.Schema.Name)
			}
			var b strings.Builder
			b.WriteString("CREATE TABLE IF NOT EXISTS " + m.quote(stmt.Table) + " (")
			for i, name := range stmt.Schema.DBNames {
				f := stmt.Schema.FieldsByDBName[name]
				if f.IgnoreMigration {
					continue
				}
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(m.quote(name) + " " + m.DataTypeOf(f))
			}
			key, order := primaryKey(stmt.Schema, m.quote)
			b.WriteString(", PRIMARY KEY (" + key + "))")
			if order != "" {
				b.WriteString(" WITH CLUSTERING ORDER BY (" + order + ")")
			}
			if err := m.DB.Exec(b.String()).Error; err != nil {
				return err
			}
			for _, idx := range stmt.Schema.ParseIndexes() {
				if err := m.CreateIndex(value, idx.Name); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// primaryKey renders ((p1, p2), c1, c2) and the clustering order.
func primaryKey(s *schema.Schema, quote func(string) string) (key, order string) {
	var part, clus, orders []string
	for _, f := range s.PrimaryFields {
		if _, ok := f.TagSettings["PARTITIONKEY"]; ok {
			part = append(part, quote(f.DBName))
		}
	}
	for i, f := range s.PrimaryFields {
		if _, ok := f.TagSettings["PARTITIONKEY"]; ok || (len(part) == 0 && i == 0) {
			if len(part) == 0 {
				part = append(part, quote(f.DBName))
			}
			continue
		}
		clus = append(clus, quote(f.DBName))
		dir := "ASC"
		if strings.EqualFold(f.TagSettings["CLUSTERING"], "desc") {
			dir = "DESC"
		}
		orders = append(orders, quote(f.DBName)+" "+dir)
	}
	key = "(" + strings.Join(part, ", ") + ")"
	if len(clus) > 0 {
		key += ", " + strings.Join(clus, ", ")
		order = strings.Join(orders, ", ")
	}
	return key, order
}

func (m Migrator) quote(s string) string { return m.DB.Statement.Quote(s) }

// DropTable runs DROP TABLE IF EXISTS for each model.
func (m Migrator) DropTable(values ...any) error {
	for i := len(values) - 1; i >= 0; i-- {
		err := m.RunWithValue(values[i], func(stmt *gorm.Statement) error {
			return m.DB.Exec("DROP TABLE IF EXISTS " + m.quote(stmt.Table)).Error
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// HasTable asks information_schema.tables.
func (m Migrator) HasTable(value any) bool {
	var n int64
	_ = m.RunWithValue(value, func(stmt *gorm.Statement) error {
		return m.DB.Raw("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
			m.CurrentDatabase(), stmt.Table).Row().Scan(&n)
	})
	return n > 0
}

// GetTables lists the keyspace's tables.
func (m Migrator) GetTables() (names []string, err error) {
	err = m.DB.Raw("SELECT table_name FROM information_schema.tables WHERE table_schema = ?", m.CurrentDatabase()).Scan(&names).Error
	return names, err
}

// AddColumn runs ALTER TABLE ADD.
func (m Migrator) AddColumn(value any, name string) error {
	return m.RunWithValue(value, func(stmt *gorm.Statement) error {
		f := stmt.Schema.LookUpField(name)
		if f == nil {
			return fmt.Errorf("gormastra: model %s has no field %s", stmt.Schema.Name, name)
		}
		return m.DB.Exec("ALTER TABLE " + m.quote(stmt.Table) + " ADD " + m.quote(f.DBName) + " " + m.DataTypeOf(f)).Error
	})
}

// DropColumn runs ALTER TABLE DROP.
func (m Migrator) DropColumn(value any, name string) error {
	return m.RunWithValue(value, func(stmt *gorm.Statement) error {
		if f := stmt.Schema.LookUpField(name); f != nil {
			name = f.DBName
		}
		return m.DB.Exec("ALTER TABLE " + m.quote(stmt.Table) + " DROP " + m.quote(name)).Error
	})
}

// HasColumn asks information_schema.columns.
func (m Migrator) HasColumn(value any, name string) bool {
	var n int64
	_ = m.RunWithValue(value, func(stmt *gorm.Statement) error {
		if f := stmt.Schema.LookUpField(name); f != nil {
			name = f.DBName
		}
		return m.DB.Raw("SELECT count(*) FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND column_name = ?",
			m.CurrentDatabase(), stmt.Table, name).Row().Scan(&n)
	})
	return n > 0
}

// ColumnTypes reads information_schema.columns.
func (m Migrator) ColumnTypes(value any) ([]gorm.ColumnType, error) {
	var out []gorm.ColumnType
	err := m.RunWithValue(value, func(stmt *gorm.Statement) error {
		rows, err := m.DB.Raw(`SELECT column_name, data_type, column_type, is_nullable, column_key, numeric_precision, numeric_scale
			FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`,
			m.CurrentDatabase(), stmt.Table).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c migrator.ColumnType
			var nullable, key string
			if err := rows.Scan(&c.NameValue, &c.DataTypeValue, &c.ColumnTypeValue, &nullable, &key, &c.DecimalSizeValue, &c.ScaleValue); err != nil {
				return err
			}
			c.NullableValue = sql.NullBool{Bool: nullable == "YES", Valid: true}
			c.PrimaryKeyValue = sql.NullBool{Bool: key == "PRI", Valid: true}
			c.AutoIncrementValue = sql.NullBool{Valid: true}
			c.UniqueValue = sql.NullBool{Valid: true}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// CreateIndex creates the index a field's `index` tag names: CREATE INDEX,
// or CREATE VECTOR INDEX for class:VECTOR (metric from option, cosine by
// default).
func (m Migrator) CreateIndex(value any, name string) error {
	return m.RunWithValue(value, func(stmt *gorm.Statement) error {
		idx := stmt.Schema.LookIndex(name)
		if idx == nil {
			return fmt.Errorf("gormastra: model %s has no index %s", stmt.Schema.Name, name)
		}
		if len(idx.Fields) != 1 {
			return notSupported("index %s on %d columns: an Astra index covers one column", idx.Name, len(idx.Fields))
		}
		col := m.quote(idx.Fields[0].DBName)
		switch strings.ToUpper(idx.Class) {
		case "UNIQUE":
			return notSupported("unique index %s: Astra indexes do not enforce uniqueness (make the column the primary key)", idx.Name)
		case "VECTOR":
			metric := strings.ToLower(idx.Option)
			if metric == "" {
				metric = "cosine"
			}
			return m.DB.Exec("CREATE VECTOR INDEX IF NOT EXISTS " + m.quote(idx.Name) + " ON " + m.quote(stmt.Table) + " (" + col + ") WITH metric = '" + strings.ReplaceAll(metric, "'", "''") + "'").Error
		case "":
			return m.DB.Exec("CREATE INDEX IF NOT EXISTS " + m.quote(idx.Name) + " ON " + m.quote(stmt.Table) + " (" + col + ")").Error
		}
		return notSupported("index class %s for %s (only VECTOR, or none)", idx.Class, idx.Name)
	})
}

// HasIndex asks information_schema.statistics.
func (m Migrator) HasIndex(value any, name string) bool {
	var n int64
	_ = m.RunWithValue(value, func(stmt *gorm.Statement) error {
		if idx := stmt.Schema.LookIndex(name); idx != nil {
			name = idx.Name
		}
		return m.DB.Raw("SELECT count(*) FROM information_schema.statistics WHERE table_schema = ? AND table_name = ? AND index_name = ?",
			m.CurrentDatabase(), stmt.Table, name).Row().Scan(&n)
	})
	return n > 0
}

// DropIndex runs DROP INDEX IF EXISTS (index names are per keyspace).
func (m Migrator) DropIndex(value any, name string) error {
	return m.RunWithValue(value, func(stmt *gorm.Statement) error {
		if idx := stmt.Schema.LookIndex(name); idx != nil {
			name = idx.Name
		}
		return m.DB.Exec("DROP INDEX IF EXISTS " + m.quote(name)).Error
	})
}

// AlterColumn is refused: Astra cannot change a column's type.
func (m Migrator) AlterColumn(_ any, field string) error {
	return notSupported("changing column %s: Astra cannot alter a column's type", field)
}

// RenameColumn is refused.
func (m Migrator) RenameColumn(_ any, oldName, _ string) error {
	return notSupported("renaming column %s", oldName)
}

// RenameTable is refused.
func (m Migrator) RenameTable(oldName, _ any) error {
	return notSupported("renaming table %v", oldName)
}

// RenameIndex is refused.
func (m Migrator) RenameIndex(_ any, oldName, _ string) error {
	return notSupported("renaming index %s", oldName)
}

// CreateConstraint is refused: no foreign keys or checks.
func (m Migrator) CreateConstraint(_ any, name string) error {
	return notSupported("constraint %s (no foreign keys or checks)", name)
}

// HasConstraint is always false.
func (m Migrator) HasConstraint(any, string) bool { return false }

// CreateView is refused.
func (m Migrator) CreateView(name string, _ gorm.ViewOption) error {
	return notSupported("view %s", name)
}
