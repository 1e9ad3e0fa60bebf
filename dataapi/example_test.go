package dataapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/typesmap"
)

func Example() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	c, err := dataapi.New(dataapi.Options{Endpoint: srv.URL, Token: "Cassandra:Y2Fzc2FuZHJh:Y2Fzc2FuZHJh"})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	ctx := context.Background()

	text, _ := typesmap.ParseCQL("text")
	integer, _ := typesmap.ParseCQL("int")
	_, err = c.CreateTable(ctx, dataapi.CreateTableRequest{Name: "cities", IfNotExists: true,
		Definition: typesmap.TableDef{
			Columns:     []typesmap.Column{{Name: "name", Type: text}, {Name: "population", Type: integer}},
			PartitionBy: []string{"name"},
		}})
	if err != nil {
		panic(err)
	}
	rows := []json.RawMessage{
		json.RawMessage(`{"name":"Lyon","population":522000}`),
		json.RawMessage(`{"name":"Nantes","population":320000}`),
	}
	if _, err := c.InsertMany(ctx, dataapi.InsertManyRequest{Table: "cities", Rows: rows}); err != nil {
		panic(err)
	}
	res, err := c.FindOne(ctx, dataapi.FindOneRequest{Table: "cities", Filter: json.RawMessage(`{"name":"Lyon"}`)})
	if err != nil {
		panic(err)
	}
	for i, col := range res.Columns {
		fmt.Printf("%s = %v\n", col.Name, res.Row[i])
	}
	// Output:
	// name = Lyon
	// population = 522000
}

func ExampleClient_Find() {
	srv := dataapitest.NewServer(dataapitest.WithPageSize(2))
	defer srv.Close()
	c, _ := dataapi.New(dataapi.Options{Endpoint: srv.URL, Token: "t"})
	defer c.Close()
	ctx := context.Background()
	integer, _ := typesmap.ParseCQL("int")
	cols := []typesmap.Column{{Name: "n", Type: integer}}
	c.CreateTable(ctx, dataapi.CreateTableRequest{Name: "numbers",
		Definition: typesmap.TableDef{Columns: cols, PartitionBy: []string{"n"}}})
	var rows []json.RawMessage
	for i := range 5 {
		rows = append(rows, json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)))
	}
	c.InsertMany(ctx, dataapi.InsertManyRequest{Table: "numbers", Rows: rows})

	// The first page is fetched here; later ones while rows are read.
	cur, err := c.Find(ctx, dataapi.FindRequest{Table: "numbers", Columns: cols})
	if err != nil {
		panic(err)
	}
	defer cur.Close()
	sum := int64(0)
	for cur.Next() {
		sum += cur.Row()[0].(int64)
	}
	if err := cur.Err(); err != nil {
		panic(err)
	}
	fmt.Println("sum", sum, "pages", cur.Pages())
	// Output: sum 10 pages 3
}

func ExampleClient_InsertMany() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	c, _ := dataapi.New(dataapi.Options{Endpoint: srv.URL, Token: "t"})
	defer c.Close()
	ctx := context.Background()
	integer, _ := typesmap.ParseCQL("int")
	c.CreateTable(ctx, dataapi.CreateTableRequest{Name: "numbers",
		Definition: typesmap.TableDef{Columns: []typesmap.Column{{Name: "n", Type: integer}}, PartitionBy: []string{"n"}}})

	rows := []json.RawMessage{
		json.RawMessage(`{"n":1}`),
		json.RawMessage(`{"n":2,"unknown":true}`), // refused by the server
		json.RawMessage(`{"n":3}`),
	}
	res, err := c.InsertMany(ctx, dataapi.InsertManyRequest{Table: "numbers", Rows: rows, Ordered: true})
	var ie *dataapi.InsertManyError
	if errors.As(err, &ie) {
		for i, r := range res.Rows {
			fmt.Println(i, r.Status)
		}
		// Retrying the whole insert is safe: inserts are upserts.
	}
	var ae *dataapi.APIError
	if errors.As(err, &ae) {
		fmt.Println(ae.ErrorCode)
	}
	// Output:
	// 0 inserted
	// 1 failed
	// 2 not attempted
	// UNKNOWN_TABLE_COLUMNS
}

func ExampleSlogHook() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" || a.Key == "error" {
				return slog.Attr{} // keep the output stable
			}
			return a
		},
	}))
	c, _ := dataapi.New(dataapi.Options{Endpoint: srv.URL, Token: "t", Hook: dataapi.SlogHook(logger)})
	defer c.Close()
	c.ListTables(context.Background(), dataapi.ListTablesRequest{})
	c.DropTable(context.Background(), dataapi.DropTableRequest{Name: "missing"})
	// Output:
	// level=DEBUG msg="dataapi command" command=listTables keyspace=default_keyspace attempt=1 http_status=200
	// level=ERROR msg="dataapi command failed" command=dropTable keyspace=default_keyspace attempt=1 http_status=200
}

func ExampleClient_Do() {
	srv := dataapitest.NewServer()
	defer srv.Close()
	c, _ := dataapi.New(dataapi.Options{Endpoint: srv.URL, Token: "t"})
	defer c.Close()
	resp, err := c.Do(context.Background(), "", "", "findKeyspaces", nil)
	if err != nil {
		panic(err)
	}
	var st struct {
		Keyspaces []string `json:"keyspaces"`
	}
	json.Unmarshal(resp.Status, &st)
	fmt.Println(st.Keyspaces[0])
	// Output: default_keyspace
}

func ExampleOptions_String() {
	o := dataapi.Options{Endpoint: "https://db-region.apps.astra.datastax.com", Token: "AstraCS:secret"}
	fmt.Printf("%v\n", o)
	// Output: {Endpoint:https://db-region.apps.astra.datastax.com Token:REDACTED Keyspace: Environment: Timeout:0s Retries:0 EmbeddingAPIKey: UserAgent: InsertChunkSize:0 InsertConcurrency:0 MaxResponseBytes:0 CustomHTTPClient:false Hook:false}
}
