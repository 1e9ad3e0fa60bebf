package planner

import "github.com/astrasql/astrasql/typesmap"

// information_schema.table_constraints and .key_column_usage: the primary
// key of each table, as ORMs and BI tools look for keys (constraint name
// PRIMARY, as MySQL's). Astra has no foreign keys or unique constraints,
// so the primary key is the only constraint.

// InfoTableConstraintsColumns are information_schema.table_constraints's columns.
var InfoTableConstraintsColumns = []ResultColumn{
	textCol("constraint_catalog", false), textCol("constraint_schema", false), textCol("constraint_name", false),
	textCol("table_catalog", false), textCol("table_schema", false), textCol("table_name", false),
	textCol("constraint_type", false), textCol("enforced", false),
}

// InfoKeyColumnUsageColumns are information_schema.key_column_usage's columns.
var InfoKeyColumnUsageColumns = []ResultColumn{
	textCol("constraint_catalog", false), textCol("constraint_schema", false), textCol("constraint_name", false),
	textCol("table_catalog", false), textCol("table_schema", false), textCol("table_name", false),
	textCol("column_name", false), intCol("ordinal_position", false), intCol("position_in_unique_constraint", true),
	textCol("referenced_table_schema", true), textCol("referenced_table_name", true), textCol("referenced_column_name", true),
}

// InfoTableConstraintsRows are one PRIMARY KEY row per table.
func InfoTableConstraintsRows(keyspace string, defs []typesmap.TableDef) []Row {
	rows := make([]Row, 0, len(defs))
	for _, d := range defs {
		rows = append(rows, Row{"def", keyspace, "PRIMARY", "def", keyspace, d.Name, "PRIMARY KEY", "YES"})
	}
	return rows
}

// InfoKeyColumnUsageRows are one row per primary key column: partition key
// columns, then clustering columns, numbered from 1.
func InfoKeyColumnUsageRows(keyspace string, defs []typesmap.TableDef) []Row {
	var rows []Row
	for _, d := range defs {
		cols := append([]string(nil), d.PartitionBy...)
		for _, s := range d.PartitionSort {
			cols = append(cols, s.Column)
		}
		for i, c := range cols {
			rows = append(rows, Row{"def", keyspace, "PRIMARY", "def", keyspace, d.Name, c, int64(i + 1), nil, nil, nil, nil})
		}
	}
	return rows
}
