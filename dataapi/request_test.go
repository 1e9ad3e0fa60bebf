package dataapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/typesmap"
)

// TestRequestBodies pins the JSON each typed command sends (spec sections 3 and 4).
func TestRequestBodies(t *testing.T) {
	vec, _ := typesmap.ParseCQL("vector<float, 3>")
	text, _ := typesmap.ParseCQL("text")
	yes := true
	tests := []struct {
		name    string
		run     func(c *dataapi.Client) error
		command string
		path    string
		want    string
	}{
		{"createTable", func(c *dataapi.Client) error {
			_, err := c.CreateTable(context.Background(), dataapi.CreateTableRequest{Name: "t", IfNotExists: true,
				Definition: typesmap.TableDef{Columns: []typesmap.Column{{Name: "a", Type: text}, {Name: "b", Type: text}},
					PartitionBy: []string{"a"}, PartitionSort: []typesmap.SortColumn{{Column: "b", Desc: true}}}})
			return err
		}, "createTable", "/v1/ks",
			`{"name":"t","definition":{"columns":{"a":{"type":"text"},"b":{"type":"text"}},"primaryKey":{"partitionBy":["a"],"partitionSort":{"b":-1}}},"options":{"ifNotExists":true}}`},
		{"dropTable", func(c *dataapi.Client) error {
			_, err := c.DropTable(context.Background(), dataapi.DropTableRequest{Keyspace: "k2", Name: "t"})
			return err
		}, "dropTable", "/v1/k2", `{"name":"t"}`},
		{"alterTable add", func(c *dataapi.Client) error {
			_, err := c.AlterTable(context.Background(), dataapi.AlterTableRequest{Table: "t", AddColumns: []typesmap.Column{{Name: "v", Type: vec}}})
			return err
		}, "alterTable", "/v1/ks/t", `{"operation":{"add":{"columns":{"v":{"type":"vector","dimension":3}}}}}`},
		{"alterTable drop", func(c *dataapi.Client) error {
			_, err := c.AlterTable(context.Background(), dataapi.AlterTableRequest{Table: "t", DropColumns: []string{"a", "b"}})
			return err
		}, "alterTable", "/v1/ks/t", `{"operation":{"drop":{"columns":["a","b"]}}}`},
		{"alterTable addVectorize", func(c *dataapi.Client) error {
			_, err := c.AlterTable(context.Background(), dataapi.AlterTableRequest{Table: "t",
				AddVectorize: []dataapi.VectorizeColumn{{Column: "v", Service: typesmap.VectorizeService{Provider: "mistral", ModelName: "mistral-embed"}}}})
			return err
		}, "alterTable", "/v1/ks/t", `{"operation":{"addVectorize":{"columns":{"v":{"provider":"mistral","modelName":"mistral-embed"}}}}}`},
		{"alterTable dropVectorize", func(c *dataapi.Client) error {
			_, err := c.AlterTable(context.Background(), dataapi.AlterTableRequest{Table: "t", DropVectorize: []string{"v"}})
			return err
		}, "alterTable", "/v1/ks/t", `{"operation":{"dropVectorize":{"columns":["v"]}}}`},
		{"createIndex text options", func(c *dataapi.Client) error {
			_, err := c.CreateIndex(context.Background(), dataapi.CreateIndexRequest{Table: "t", Name: "i", Column: "a",
				Options: &dataapi.TextAnalysis{CaseSensitive: &yes}, IfNotExists: true})
			return err
		}, "createIndex", "/v1/ks/t", `{"name":"i","definition":{"column":"a","options":{"caseSensitive":true}},"options":{"ifNotExists":true}}`},
		{"createIndex map keys", func(c *dataapi.Client) error {
			_, err := c.CreateIndex(context.Background(), dataapi.CreateIndexRequest{Table: "t", Name: "i", Column: "m", Function: "keys"})
			return err
		}, "createIndex", "/v1/ks/t", `{"name":"i","definition":{"column":{"m":"$keys"}}}`},
		{"createIndex map entries", func(c *dataapi.Client) error {
			_, err := c.CreateIndex(context.Background(), dataapi.CreateIndexRequest{Table: "t", Name: "i", Column: "m", Function: "entries"})
			return err
		}, "createIndex", "/v1/ks/t", `{"name":"i","definition":{"column":"m"}}`},
		{"createVectorIndex", func(c *dataapi.Client) error {
			_, err := c.CreateVectorIndex(context.Background(), dataapi.CreateVectorIndexRequest{Table: "t", Name: "vi", Column: "v", Metric: "dot_product", SourceModel: "openai-v3-small"})
			return err
		}, "createVectorIndex", "/v1/ks/t", `{"name":"vi","definition":{"column":"v","options":{"metric":"dot_product","sourceModel":"openai-v3-small"}}}`},
		{"createTextIndex", func(c *dataapi.Client) error {
			_, err := c.CreateTextIndex(context.Background(), dataapi.CreateTextIndexRequest{Table: "t", Name: "ti", Column: "body",
				Analyzer: json.RawMessage(`"english"`), IfNotExists: true})
			return err
		}, "createTextIndex", "/v1/ks/t", `{"name":"ti","definition":{"column":"body","options":{"analyzer":"english"}},"options":{"ifNotExists":true}}`},
		{"listIndexes", func(c *dataapi.Client) error {
			_, err := c.ListIndexes(context.Background(), dataapi.ListIndexesRequest{Table: "t", Explain: true})
			return err
		}, "listIndexes", "/v1/ks/t", `{"options":{"explain":true}}`},
		{"dropIndex", func(c *dataapi.Client) error {
			_, err := c.DropIndex(context.Background(), dataapi.DropIndexRequest{Name: "i", IfExists: true})
			return err
		}, "dropIndex", "/v1/ks", `{"name":"i","options":{"ifExists":true}}`},
		{"createType", func(c *dataapi.Client) error {
			_, err := c.CreateType(context.Background(), dataapi.CreateTypeRequest{Name: "u", Fields: []typesmap.Column{{Name: "city", Type: text}}})
			return err
		}, "createType", "/v1/ks", `{"name":"u","definition":{"fields":{"city":{"type":"text"}}}}`},
		{"createKeyspace", func(c *dataapi.Client) error {
			_, err := c.CreateKeyspace(context.Background(), dataapi.CreateKeyspaceRequest{Name: "k",
				Replication: map[string]any{"class": "SimpleStrategy", "replication_factor": 1}})
			return err
		}, "createKeyspace", "/v1", `{"name":"k","options":{"replication":{"class":"SimpleStrategy","replication_factor":1}}}`},
		{"dropKeyspace", func(c *dataapi.Client) error {
			_, err := c.DropKeyspace(context.Background(), "k")
			return err
		}, "dropKeyspace", "/v1", `{"name":"k"}`},
		{"findKeyspaces", func(c *dataapi.Client) error {
			_, err := c.FindKeyspaces(context.Background())
			return err
		}, "findKeyspaces", "/v1", `{}`},
		{"insertMany", func(c *dataapi.Client) error {
			c.InsertMany(context.Background(), dataapi.InsertManyRequest{Table: "t", Rows: []json.RawMessage{[]byte(` {"a":1} `), []byte(`{"a":2}`)}, Ordered: true})
			return nil
		}, "insertMany", "/v1/ks/t", `{"documents":[{"a":1},{"a":2}],"options":{"ordered":true,"returnDocumentResponses":true}}`},
		{"updateOne", func(c *dataapi.Client) error {
			_, err := c.UpdateOne(context.Background(), dataapi.UpdateOneRequest{Table: "t", Filter: []byte(`{"a":1}`), Update: []byte(`{"$set":{"b":2}}`)})
			return err
		}, "updateOne", "/v1/ks/t", `{"filter":{"a":1},"update":{"$set":{"b":2}}}`},
		{"deleteOne", func(c *dataapi.Client) error {
			_, err := c.DeleteOne(context.Background(), dataapi.DeleteRequest{Table: "t", Filter: []byte(`{"a":1}`)})
			return err
		}, "deleteOne", "/v1/ks/t", `{"filter":{"a":1}}`},
		{"deleteMany truncate", func(c *dataapi.Client) error {
			_, err := c.DeleteMany(context.Background(), dataapi.DeleteRequest{Table: "t"})
			return err
		}, "deleteMany", "/v1/ks/t", `{}`},
		{"find paged", func(c *dataapi.Client) error {
			_, err := c.FindPage(context.Background(), dataapi.FindRequest{Table: "t", Sort: []byte(`{"b":-1}`), Skip: 5, Limit: 2, PageState: "abc"})
			return err
		}, "find", "/v1/ks/t", `{"sort":{"b":-1},"options":{"limit":2,"skip":5,"pageState":"abc"}}`},
		{"findOne", func(c *dataapi.Client) error {
			_, err := c.FindOne(context.Background(), dataapi.FindOneRequest{Table: "t", Filter: []byte(`{"a":1}`), Projection: []byte(`{"a":1}`)})
			return err
		}, "findOne", "/v1/ks/t", `{"filter":{"a":1},"projection":{"a":1}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got fakeReq
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, fr *fakeReq) {
				got = *fr
				writeJSON(w, 200, okBody(fr.Command))
			})
			c := newClient(t, f.URL)
			if err := tt.run(c); err != nil {
				t.Fatal(err)
			}
			if got.Command != tt.command || got.Path != tt.path || string(got.Body) != tt.want {
				t.Fatalf("sent %s to %s:\n%s\nwant %s to %s:\n%s", got.Command, got.Path, got.Body, tt.command, tt.path, tt.want)
			}
		})
	}
}

func TestAlterTableNeedsOneOperation(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:1")
	for _, r := range []dataapi.AlterTableRequest{{Table: "t"}, {Table: "t", DropColumns: []string{"a"}, DropVectorize: []string{"v"}}} {
		if _, err := c.AlterTable(context.Background(), r); err == nil {
			t.Errorf("%+v accepted", r)
		}
	}
}
