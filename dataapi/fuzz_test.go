package dataapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/typesmap"
)

// fixedTransport answers every request with the same body.
type fixedTransport struct{ body []byte }

func (f fixedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	io.Copy(io.Discard, req.Body)
	req.Body.Close()
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(f.body)),
		ContentLength: -1, Request: req}, nil
}

// FuzzResponses feeds arbitrary bodies to every decoding path: no panic,
// and an error unless the body is a valid envelope.
func FuzzResponses(f *testing.F) {
	for _, seed := range []string{
		`{"data":{"documents":[{"id":1,"name":"a"}],"nextPageState":null},"status":{"projectionSchema":` + schemaIDName + `}}`,
		`{"status":{"projectionSchema":` + schemaIDName + `},"data":{"documents":[{"id":1,"x":2}]}}`,
		`{"data":{"document":null},"status":{"projectionSchema":{}}}`,
		`{"status":{"primaryKeySchema":{"id":{"type":"int"}},"documentResponses":[{"_id":[1],"status":"OK"},{"_id":[],"status":"ERROR","errorsIdx":0}]},"errors":[{"errorCode":"X"}]}`,
		`{"status":{"insertedIds":[[1]],"primaryKeySchema":{"id":{"type":"int"}}}}`,
		`{"status":{"tables":[{"name":"t","definition":{"columns":{"a":"text"},"primaryKey":"a"}}]}}`,
		`{"status":{"indexes":[{"name":"i","definition":{"column":{"m":"$keys"},"options":{}},"indexType":"regular"}]}}`,
		`{"errors":[{"errorCode":"A","message":"m"}],"status":{"warnings":[{"errorCode":"W"}]}}`,
		`{"status":{"sortVector":{"$binary":"AAAAAA=="},"sortedRowCount":3,"projectionSchema":{}},"data":{"documents":[]}}`,
		`[]`, `null`, `{`, ``,
	} {
		f.Add([]byte(seed))
	}
	cols, _ := typesmap.DecodeColumns([]byte(schemaIDName))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := dataapi.New(dataapi.Options{Endpoint: "http://fuzz", Token: "t", Retries: -1,
			HTTPClient: &http.Client{Transport: fixedTransport{body}}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		for _, cs := range [][]typesmap.Column{cols, nil} {
			if cur, err := c.Find(ctx, dataapi.FindRequest{Table: "t", Columns: cs}); err == nil {
				for i := 0; i < 3 && cur.Next(); i++ { // every page is this body: stop early
				}
				cur.Close()
			}
			c.FindOne(ctx, dataapi.FindOneRequest{Table: "t", Columns: cs})
		}
		c.InsertMany(ctx, dataapi.InsertManyRequest{Table: "t", Rows: []json.RawMessage{[]byte(`{"id":1}`), []byte(`{"id":2}`)}})
		c.InsertOne(ctx, dataapi.InsertOneRequest{Table: "t", Row: []byte(`{"id":1}`)})
		c.ListTables(ctx, dataapi.ListTablesRequest{Explain: true})
		c.ListIndexes(ctx, dataapi.ListIndexesRequest{Table: "t", Explain: true})
		c.ListTypes(ctx, dataapi.ListTypesRequest{Explain: true})
		c.UpdateOne(ctx, dataapi.UpdateOneRequest{Table: "t", Filter: []byte(`{}`), Update: []byte(`{"$set":{}}`)})
		c.Do(ctx, "", "t", "find", nil)
	})
}
