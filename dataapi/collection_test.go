package dataapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/astrasql/astrasql/dataapi"
)

func allowID() *dataapi.CollectionOptions {
	return &dataapi.CollectionOptions{Indexing: &dataapi.Indexing{Allow: []string{"_id"}}}
}

func createColl(t *testing.T, c *dataapi.Client, name string, o *dataapi.CollectionOptions) {
	t.Helper()
	if _, err := c.CreateCollection(context.Background(), dataapi.CreateCollectionRequest{Name: name, Options: o}); err != nil {
		t.Fatal(err)
	}
}

func docs(js ...string) []json.RawMessage {
	out := make([]json.RawMessage, len(js))
	for i, j := range js {
		out[i] = json.RawMessage(j)
	}
	return out
}

func errCode(err error) string {
	var re *dataapi.ResponseError
	if errors.As(err, &re) {
		return re.Errors[0].ErrorCode
	}
	return ""
}

func TestCollectionCreateAndFind(t *testing.T) {
	c, _ := localClient(t)
	ctx := context.Background()
	createColl(t, c, "lc", allowID())
	createColl(t, c, "lc", allowID()) // same options: accepted
	createColl(t, c, "plain", nil)
	_, err := c.CreateCollection(ctx, dataapi.CreateCollectionRequest{Name: "lc"})
	if got := errCode(err); got != "EXISTING_COLLECTION_DIFFERENT_SETTINGS" {
		t.Fatalf("create with other options: %v", err)
	}
	cols, err := c.FindCollections(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) != 2 || cols[0].Name != "lc" || cols[0].Options.Indexing == nil ||
		!slices.Equal(cols[0].Options.Indexing.Allow, []string{"_id"}) || cols[1].Options.Indexing != nil {
		t.Fatalf("collections: %+v", cols)
	}
	if _, err := c.DropCollection(ctx, "", "plain"); err != nil {
		t.Fatal(err)
	}
}

func TestCollectionInsertOutcomes(t *testing.T) {
	for _, tc := range []struct {
		ordered bool
		want    []string
	}{
		{false, []string{dataapi.DocInserted, dataapi.DocFailed, dataapi.DocInserted}},
		{true, []string{dataapi.DocInserted, dataapi.DocFailed, dataapi.DocSkipped}},
	} {
		t.Run(fmt.Sprint("ordered=", tc.ordered), func(t *testing.T) {
			c, _ := localClient(t)
			ctx := context.Background()
			createColl(t, c, "lc", allowID())
			req := dataapi.InsertDocumentsRequest{Collection: "lc", Documents: docs(`{"_id":"b","value":0}`)}
			if _, err := c.InsertDocuments(ctx, req); err != nil {
				t.Fatal(err)
			}
			req.Ordered = tc.ordered
			req.Documents = docs(`{"_id":"a","value":1}`, `{"_id":"b","value":2}`, `{"_id":"c","value":3}`)
			res, err := c.InsertDocuments(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range res.Outcomes {
				got = append(got, o.Status)
			}
			if !slices.Equal(got, tc.want) || res.Outcomes[1].Err.ErrorCode != "DOCUMENT_ALREADY_EXISTS" || string(res.Outcomes[1].ID) != `"b"` {
				t.Fatalf("outcomes %v, %+v", got, res.Outcomes[1])
			}
			// every document failing is an error, with the outcomes
			req.Documents = docs(`{"_id":"a"}`)
			res, err = c.InsertDocuments(ctx, req)
			if errCode(err) != "DOCUMENT_ALREADY_EXISTS" || len(res.Outcomes) != 1 {
				t.Fatalf("all failing: %v %+v", err, res)
			}
		})
	}
}

func TestCollectionFindPagesAndIn(t *testing.T) {
	c, _ := localClient(t)
	ctx := context.Background()
	createColl(t, c, "lc", allowID())
	var ds []json.RawMessage
	for i := range 45 {
		ds = append(ds, json.RawMessage(fmt.Sprintf(`{"_id":"k%02d","value":{"n":%d}}`, i, i)))
	}
	if _, err := c.InsertDocuments(ctx, dataapi.InsertDocumentsRequest{Collection: "lc", Documents: ds}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	pages := 0
	req := dataapi.FindDocumentsRequest{Collection: "lc", Projection: json.RawMessage(`{"_id":1}`)}
	for {
		res, err := c.FindDocuments(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(res.Documents) > 20 {
			t.Fatalf("page of %d", len(res.Documents))
		}
		for _, d := range res.Documents {
			seen[string(d)] = true
		}
		if res.NextPageState == "" {
			break
		}
		req.PageState = res.NextPageState
	}
	if len(seen) != 45 || pages != 3 {
		t.Fatalf("%d documents in %d pages", len(seen), pages)
	}

	res, err := c.FindDocuments(ctx, dataapi.FindDocumentsRequest{Collection: "lc",
		Filter: json.RawMessage(`{"_id":{"$in":["k03","nope","k01"]}}`), Projection: json.RawMessage(`{"*":true}`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 2 {
		t.Fatalf("$in: %s", res.Documents)
	}
	one, err := c.FindOneDocument(ctx, dataapi.FindDocumentsRequest{Collection: "lc", Filter: json.RawMessage(`{"_id":"k07"}`)})
	if err != nil || string(one) != `{"_id":"k07","value":{"n":7}}` {
		t.Fatalf("findOne: %s %v", one, err)
	}
	one, err = c.FindOneDocument(ctx, dataapi.FindDocumentsRequest{Collection: "lc", Filter: json.RawMessage(`{"_id":"zz"}`)})
	if err != nil || one != nil {
		t.Fatalf("findOne missing: %s %v", one, err)
	}
	_, err = c.FindDocuments(ctx, dataapi.FindDocumentsRequest{Collection: "lc", Filter: json.RawMessage(`{"value.n":1}`)})
	if got := errCode(err); got != "FILTER_PATH_UNINDEXED" {
		t.Fatalf("filter on unindexed path: %v", err)
	}
}

func TestCollectionReplaceAndDelete(t *testing.T) {
	c, _ := localClient(t)
	ctx := context.Background()
	createColl(t, c, "lc", allowID())
	for _, tc := range []struct {
		req                     dataapi.ReplaceDocumentRequest
		matched, modified       int
		upserted, doc, afterDoc string
	}{
		{req: dataapi.ReplaceDocumentRequest{Filter: json.RawMessage(`{"_id":"x"}`), Replacement: json.RawMessage(`{"value":1}`)},
			afterDoc: ``},
		{req: dataapi.ReplaceDocumentRequest{Filter: json.RawMessage(`{"_id":"x"}`), Replacement: json.RawMessage(`{"value":1}`), Upsert: true},
			upserted: `"x"`, afterDoc: `{"_id":"x","value":1}`},
		{req: dataapi.ReplaceDocumentRequest{Filter: json.RawMessage(`{"_id":"x"}`), Replacement: json.RawMessage(`{"_id":"x","value":2}`), Upsert: true, ReturnDocument: "before"},
			matched: 1, modified: 1, doc: `{"_id":"x","value":1}`, afterDoc: `{"_id":"x","value":2}`},
		{req: dataapi.ReplaceDocumentRequest{Filter: json.RawMessage(`{"_id":"x"}`), Replacement: json.RawMessage(`{"value":2}`), ReturnDocument: "after"},
			matched: 1, doc: `{"_id":"x","value":2}`, afterDoc: `{"_id":"x","value":2}`},
	} {
		tc.req.Collection = "lc"
		res, err := c.ReplaceDocument(ctx, tc.req)
		if err != nil {
			t.Fatal(err)
		}
		if res.MatchedCount != tc.matched || res.ModifiedCount != tc.modified || string(res.UpsertedID) != tc.upserted || string(res.Document) != tc.doc {
			t.Fatalf("%+v: got %+v", tc.req, res)
		}
		got, err := c.FindOneDocument(ctx, dataapi.FindDocumentsRequest{Collection: "lc", Filter: json.RawMessage(`{"_id":"x"}`)})
		if err != nil || string(got) != tc.afterDoc {
			t.Fatalf("%+v: stored %s %v", tc.req, got, err)
		}
	}

	var ds []json.RawMessage
	for i := range 30 {
		ds = append(ds, json.RawMessage(fmt.Sprintf(`{"_id":%d}`, i)))
	}
	if _, err := c.InsertDocuments(ctx, dataapi.InsertDocumentsRequest{Collection: "lc", Documents: ds}); err != nil {
		t.Fatal(err)
	}
	del, err := c.DeleteMany(ctx, dataapi.DeleteRequest{Table: "lc", Filter: json.RawMessage(`{"_id":{"$in":[1,2,3,99]}}`)})
	if err != nil || del.DeletedCount != 3 || del.MoreData {
		t.Fatalf("deleteMany $in: %+v %v", del, err)
	}
	del, err = c.DeleteOne(ctx, dataapi.DeleteRequest{Table: "lc", Filter: json.RawMessage(`{"_id":99}`)})
	if err != nil || del.DeletedCount != 0 {
		t.Fatalf("deleteOne missing: %+v %v", del, err)
	}
	// more than 20 matching: deleted 20 at a time
	del, err = c.DeleteMany(ctx, dataapi.DeleteRequest{Table: "lc", Filter: json.RawMessage(`{"_id":{"$exists":true}}`)})
	if err != nil || del.DeletedCount != 20 || !del.MoreData {
		t.Fatalf("deleteMany over 20: %+v %v", del, err)
	}
}
