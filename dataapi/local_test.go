package dataapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/typesmap"
)

// These tests run against the local Data API server over real HTTP.

func localClient(t testing.TB, opts ...dataapitest.Option) (*dataapi.Client, *dataapitest.Server) {
	t.Helper()
	srv := dataapitest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := dataapi.New(dataapi.Options{Endpoint: srv.URL, Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, srv
}

func mustType(t testing.TB, cql string) typesmap.Type {
	t.Helper()
	ty, err := typesmap.ParseCQL(cql)
	if err != nil {
		t.Fatal(err)
	}
	return ty
}

func createPeople(t testing.TB, c *dataapi.Client) typesmap.TableDef {
	t.Helper()
	def := typesmap.TableDef{
		Columns: []typesmap.Column{
			{Name: "team", Type: mustType(t, "text")},
			{Name: "id", Type: mustType(t, "int")},
			{Name: "name", Type: mustType(t, "text")},
			{Name: "tags", Type: mustType(t, "set<text>")},
			{Name: "attrs", Type: mustType(t, "map<text, int>")},
		},
		PartitionBy:   []string{"team"},
		PartitionSort: []typesmap.SortColumn{{Column: "id"}},
	}
	if _, err := c.CreateTable(context.Background(), dataapi.CreateTableRequest{Name: "people", Definition: def}); err != nil {
		t.Fatal(err)
	}
	return def
}

func peopleRows(n int) []json.RawMessage {
	rows := make([]json.RawMessage, n)
	for i := range rows {
		rows[i] = json.RawMessage(fmt.Sprintf(`{"team":"t%d","id":%d,"name":"p%d","tags":["a","b"],"attrs":{"k":%d}}`, i%3, i, i, i))
	}
	return rows
}

func TestLocalLifecycle(t *testing.T) {
	c, _ := localClient(t)
	ctx := context.Background()
	def := createPeople(t, c)

	// DDL and listings.
	if _, err := c.CreateTable(ctx, dataapi.CreateTableRequest{Name: "people", Definition: def, IfNotExists: true}); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateTable(ctx, dataapi.CreateTableRequest{Name: "people", Definition: def})
	var ae *dataapi.APIError
	if !errors.As(err, &ae) || ae.ErrorCode != "CANNOT_ADD_EXISTING_TABLE" {
		t.Fatalf("create twice: %v", err)
	}
	lt, err := c.ListTables(ctx, dataapi.ListTablesRequest{Explain: true})
	if err != nil || !slices.Equal(lt.Names, []string{"people"}) || len(lt.Tables) != 1 || lt.Tables[0].Name != "people" ||
		len(lt.Tables[0].Columns) != 5 || !slices.Equal(lt.Tables[0].PrimaryKey(), []string{"team", "id"}) {
		t.Fatalf("listTables: %v %+v", err, lt)
	}
	names, err := c.ListTables(ctx, dataapi.ListTablesRequest{})
	if err != nil || !slices.Equal(names.Names, []string{"people"}) || names.Tables != nil {
		t.Fatalf("listTables names: %v %+v", err, names)
	}
	for _, r := range []dataapi.CreateIndexRequest{
		{Table: "people", Name: "people_name", Column: "name", IfNotExists: true},
		{Table: "people", Name: "people_tags", Column: "tags"},
		{Table: "people", Name: "people_attr_keys", Column: "attrs", Function: "keys"},
	} {
		if _, err := c.CreateIndex(ctx, r); err != nil {
			t.Fatalf("createIndex %s: %v", r.Name, err)
		}
	}
	li, err := c.ListIndexes(ctx, dataapi.ListIndexesRequest{Table: "people", Explain: true})
	if err != nil || len(li.Indexes) != 3 {
		t.Fatalf("listIndexes: %v %+v", err, li)
	}
	for _, ix := range li.Indexes {
		if ix.Name == "people_attr_keys" && (ix.Column != "attrs" || ix.Function != "keys") {
			t.Fatalf("index %+v", ix)
		}
	}
	if _, err := c.AlterTable(ctx, dataapi.AlterTableRequest{Table: "people", AddColumns: []typesmap.Column{{Name: "extra", Type: mustType(t, "text")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AlterTable(ctx, dataapi.AlterTableRequest{Table: "people", DropColumns: []string{"extra"}}); err != nil {
		t.Fatal(err)
	}

	// Rows.
	res, err := c.InsertMany(ctx, dataapi.InsertManyRequest{Table: "people", Rows: peopleRows(1000)})
	if err != nil || res.Inserted != 1000 || len(res.PrimaryKeySchema) != 2 {
		t.Fatalf("insertMany: %v %+v", err, res)
	}
	if k := res.Rows[7].PrimaryKey; fmt.Sprint(k) != "[t1 7]" {
		t.Fatalf("key of row 7: %v", k)
	}
	cur, err := c.Find(ctx, dataapi.FindRequest{Table: "people", Columns: def.Columns})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for cur.Next() {
		row := cur.Row()
		id := row[1].(int64)
		if row[2] != fmt.Sprintf("p%d", id) {
			t.Fatalf("row %v", row)
		}
		seen[id] = true
	}
	cur.Close()
	// 20 full pages of 50, then the empty page that follows a full last
	// page (Cassandra's pager does not look ahead).
	if cur.Err() != nil || len(seen) != 1000 || cur.Pages() != 21 {
		t.Fatalf("find: %v, %d rows, %d pages", cur.Err(), len(seen), cur.Pages())
	}
	one, err := c.FindOne(ctx, dataapi.FindOneRequest{Table: "people", Filter: json.RawMessage(`{"team":"t1","id":7}`)})
	if err != nil || one.Row == nil || one.Row[slices.IndexFunc(one.Columns, func(c typesmap.Column) bool { return c.Name == "name" })] != "p7" {
		t.Fatalf("findOne: %v %+v", err, one)
	}
	if _, err := c.UpdateOne(ctx, dataapi.UpdateOneRequest{Table: "people", Filter: json.RawMessage(`{"team":"t1","id":7}`),
		Update: json.RawMessage(`{"$set":{"name":"seven"}}`)}); err != nil {
		t.Fatal(err)
	}
	one, err = c.FindOne(ctx, dataapi.FindOneRequest{Table: "people", Filter: json.RawMessage(`{"team":"t1","id":7}`),
		Projection: json.RawMessage(`{"name":1}`), Columns: []typesmap.Column{{Name: "name", Type: mustType(t, "text")}}})
	if err != nil || fmt.Sprint(one.Row) != "[seven]" {
		t.Fatalf("after update: %v %+v", err, one)
	}
	if _, err := c.DeleteOne(ctx, dataapi.DeleteRequest{Table: "people", Filter: json.RawMessage(`{"team":"t1","id":7}`)}); err != nil {
		t.Fatal(err)
	}
	del, err := c.DeleteMany(ctx, dataapi.DeleteRequest{Table: "people", Filter: json.RawMessage(`{"team":"t2"}`)})
	if err != nil || del.DeletedCount != -1 {
		t.Fatalf("deleteMany: %v %+v", err, del)
	}
	cur, err = c.Find(ctx, dataapi.FindRequest{Table: "people", Projection: json.RawMessage(`{"id":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for cur.Next() {
		n++
	}
	cur.Close()
	if n != 1000-333-1 {
		t.Fatalf("%d rows left", n)
	}

	// Cleanup DDL.
	if _, err := c.DropIndex(ctx, dataapi.DropIndexRequest{Name: "people_tags"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DropIndex(ctx, dataapi.DropIndexRequest{Name: "people_tags", IfExists: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DropTable(ctx, dataapi.DropTableRequest{Name: "people"}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DropTable(ctx, dataapi.DropTableRequest{Name: "people"})
	if !errors.As(err, &ae) || ae.ErrorCode != "CANNOT_DROP_UNKNOWN_TABLE" {
		t.Fatalf("drop twice: %v", err)
	}
}

func TestLocalKeyspacesAndTypes(t *testing.T) {
	c, _ := localClient(t)
	ctx := context.Background()
	if _, err := c.CreateKeyspace(ctx, dataapi.CreateKeyspaceRequest{Name: "ks2",
		Replication: map[string]any{"class": "SimpleStrategy", "replication_factor": 1}}); err != nil {
		t.Fatal(err)
	}
	ks, err := c.FindKeyspaces(ctx)
	if err != nil || !slices.Contains(ks, "ks2") || !slices.Contains(ks, "default_keyspace") {
		t.Fatalf("%v %v", err, ks)
	}
	if _, err := c.CreateType(ctx, dataapi.CreateTypeRequest{Keyspace: "ks2", Name: "address",
		Fields: []typesmap.Column{{Name: "city", Type: mustType(t, "text")}, {Name: "zip", Type: mustType(t, "int")}}}); err != nil {
		t.Fatal(err)
	}
	lt, err := c.ListTypes(ctx, dataapi.ListTypesRequest{Keyspace: "ks2", Explain: true})
	if err != nil || !slices.Equal(lt.Names, []string{"address"}) || len(lt.Types) != 1 || len(lt.Types[0].Fields) != 2 {
		t.Fatalf("%v %+v", err, lt)
	}
	if _, err := c.DropType(ctx, dataapi.DropTypeRequest{Keyspace: "ks2", Name: "address"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DropKeyspace(ctx, "ks2"); err != nil {
		t.Fatal(err)
	}
	_, err = c.ListTables(ctx, dataapi.ListTablesRequest{Keyspace: "ks2"})
	var ae *dataapi.APIError
	if !errors.As(err, &ae) || ae.ErrorCode != "UNKNOWN_KEYSPACE" {
		t.Fatalf("%v", err)
	}
}

func TestLocalInsertManyBadRow(t *testing.T) {
	for _, ordered := range []bool{false, true} {
		t.Run(fmt.Sprint("ordered=", ordered), func(t *testing.T) {
			c, _ := localClient(t)
			createPeople(t, c)
			rows := peopleRows(250)
			rows[120] = json.RawMessage(`{"team":"t0","id":120,"nope":1}`)
			res, err := c.InsertMany(context.Background(), dataapi.InsertManyRequest{Table: "people", Rows: rows, Ordered: ordered})
			var ie *dataapi.InsertManyError
			var ae *dataapi.APIError
			if !errors.As(err, &ie) || !errors.As(err, &ae) || ae.ErrorCode != "UNKNOWN_TABLE_COLUMNS" {
				t.Fatalf("%T %v", err, err)
			}
			for i, r := range res.Rows {
				want := dataapi.RowInserted
				switch {
				case i == 120:
					want = dataapi.RowFailed
				case i > 120 && ordered:
					want = dataapi.RowNotAttempted
				}
				if r.Status != want {
					t.Fatalf("row %d: %v (%v), want %v", i, r.Status, r.Err, want)
				}
			}
		})
	}
}

func TestLocalErrors(t *testing.T) {
	srv := dataapitest.NewServer(dataapitest.WithToken("right-token"))
	defer srv.Close()
	tests := []struct {
		name  string
		opts  dataapi.Options
		check func(error) bool
	}{
		{"unknown table", dataapi.Options{Endpoint: srv.URL, Token: "right-token"}, func(err error) bool {
			var ae *dataapi.APIError
			return errors.As(err, &ae) && ae.ErrorCode == "UNKNOWN_COLLECTION_OR_TABLE"
		}},
		{"wrong token", dataapi.Options{Endpoint: srv.URL, Token: testToken}, func(err error) bool {
			var ae *dataapi.APIError
			return errors.Is(err, dataapi.ErrUnauthenticated) && errors.As(err, &ae) && !strings.Contains(err.Error(), "SECRET")
		}},
		{"wrong path", dataapi.Options{Endpoint: srv.URL + "/not-the-api", Token: "right-token"}, func(err error) bool {
			return errors.Is(err, dataapi.ErrEndpointNotFound)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := dataapi.New(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_, err = c.FindOne(context.Background(), dataapi.FindOneRequest{Table: "nope"})
			if !tt.check(err) {
				t.Fatalf("%T %v", err, err)
			}
		})
	}
}

func TestLocalSchemaChanged(t *testing.T) {
	c, _ := localClient(t)
	ctx := context.Background()
	def := createPeople(t, c)
	if _, err := c.InsertMany(ctx, dataapi.InsertManyRequest{Table: "people", Rows: peopleRows(10)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AlterTable(ctx, dataapi.AlterTableRequest{Table: "people", AddColumns: []typesmap.Column{{Name: "age", Type: mustType(t, "int")}}}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Find(ctx, dataapi.FindRequest{Table: "people", Columns: def.Columns})
	var sc *dataapi.SchemaChangedError
	if !errors.As(err, &sc) || !slices.ContainsFunc(sc.Server, func(c typesmap.Column) bool { return c.Name == "age" }) {
		t.Fatalf("%T %v", err, err)
	}
}

func TestLocalCursorNoLeak(t *testing.T) {
	c, _ := localClient(t, dataapitest.WithPageSize(10))
	createPeople(t, c)
	if _, err := c.InsertMany(context.Background(), dataapi.InsertManyRequest{Table: "people", Rows: peopleRows(200)}); err != nil {
		t.Fatal(err)
	}
	c.Close()
	base := runtime.NumGoroutine()
	for _, stopAfter := range []int{0, 5, 15, 35, 200} {
		ctx, cancel := context.WithCancel(context.Background())
		cur, err := c.Find(ctx, dataapi.FindRequest{Table: "people"})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < stopAfter && cur.Next(); i++ {
		}
		if stopAfter%2 == 0 {
			cancel()
		}
		cur.Close()
		cancel()
	}
	c.Close()
	settleGoroutines(t, base)
}
