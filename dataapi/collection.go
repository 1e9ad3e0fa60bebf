package dataapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// Collection commands: schemaless JSON documents keyed by "_id". Documents,
// filters, projections and ids travel as raw JSON: the caller owns their
// layout. Unlike tables, collections report real counts (deleted, matched,
// modified) and refuse an insert whose _id exists (DOCUMENT_ALREADY_EXISTS).

// Indexing is a collection's indexing option: at most one of Allow and
// Deny. {"allow": ["_id"]} keeps large values out of the index (the real
// server limits indexed strings to 8000 bytes) and allows filtering on _id
// only.
type Indexing struct {
	Allow []string `json:"allow,omitempty"`
	Deny  []string `json:"deny,omitempty"`
}

// CollectionOptions are createCollection's options this package models;
// Extra holds any other member (vector, defaultId, lexical, ...) verbatim.
type CollectionOptions struct {
	Indexing *Indexing                  `json:"indexing,omitempty"`
	Extra    map[string]json.RawMessage `json:"-"`
}

// MarshalJSON renders the options as one object.
func (o CollectionOptions) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	for k, v := range o.Extra {
		m[k] = v
	}
	if o.Indexing != nil {
		m["indexing"] = o.Indexing
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads indexing and keeps the rest in Extra.
func (o *CollectionOptions) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*o = CollectionOptions{}
	if ix, ok := m["indexing"]; ok && string(ix) != "null" {
		o.Indexing = &Indexing{}
		if err := json.Unmarshal(ix, o.Indexing); err != nil {
			return fmt.Errorf("indexing: %w", err)
		}
	}
	delete(m, "indexing")
	if len(m) > 0 {
		o.Extra = m
	}
	return nil
}

// CreateCollectionRequest is createCollection. The server accepts an
// existing collection with the same options and refuses one with others
// (EXISTING_COLLECTION_DIFFERENT_SETTINGS).
type CreateCollectionRequest struct {
	Keyspace string
	Name     string
	Options  *CollectionOptions
}

// CreateCollection creates a collection.
func (c *Client) CreateCollection(ctx context.Context, r CreateCollectionRequest) (*Result, error) {
	body := struct {
		Name    string             `json:"name"`
		Options *CollectionOptions `json:"options,omitempty"`
	}{r.Name, r.Options}
	w, err := c.simple(ctx, "createCollection", r.Keyspace, "", body, nil)
	return &Result{Warnings: w}, err
}

// CollectionInfo is one collection as findCollections explains it.
type CollectionInfo struct {
	Name    string            `json:"name"`
	Options CollectionOptions `json:"options"`
}

// FindCollections lists the collections of a keyspace (default: the
// client's) with their options.
func (c *Client) FindCollections(ctx context.Context, keyspace string) ([]CollectionInfo, error) {
	var st struct {
		Collections []CollectionInfo `json:"collections"`
	}
	_, err := c.simple(ctx, "findCollections", keyspace, "", explainBody(true), &st)
	return st.Collections, err
}

// DropCollection is deleteCollection (no error when it does not exist).
func (c *Client) DropCollection(ctx context.Context, keyspace, name string) (*Result, error) {
	w, err := c.simple(ctx, "deleteCollection", keyspace, "", struct {
		Name string `json:"name"`
	}{name}, nil)
	return &Result{Warnings: w}, err
}

// InsertDocumentsRequest is insertMany of documents into a collection (at
// most 100 per command on the real server). Ordered stops at the first
// failing document; unordered tries every one.
type InsertDocumentsRequest struct {
	Keyspace   string
	Collection string
	Documents  []json.RawMessage
	Ordered    bool
}

// Document statuses in InsertDocumentsResult.
const (
	DocInserted = "OK"      // stored
	DocFailed   = "ERROR"   // refused: Err says why
	DocSkipped  = "SKIPPED" // not tried (an ordered insert stopped before it)
)

// DocumentOutcome is one document's fate in an insert.
type DocumentOutcome struct {
	ID     json.RawMessage // the document's _id (generated when it had none)
	Status string          // DocInserted, DocFailed or DocSkipped
	Err    *APIError       // with DocFailed
}

// InsertDocumentsResult gives one outcome per document, in request order.
type InsertDocumentsResult struct {
	Outcomes []DocumentOutcome
	Warnings []Warning
}

// Inserted counts the documents stored.
func (r *InsertDocumentsResult) Inserted() int {
	n := 0
	for _, o := range r.Outcomes {
		if o.Status == DocInserted {
			n++
		}
	}
	return n
}

// InsertDocuments inserts documents. When some documents fail and others
// do not, the error is nil and the failures are in Outcomes; the error is
// set only when the command failed as a whole (then Outcomes is nil, or
// every document failed and Outcomes says why). It is never retried: a
// repeat would report the documents the first attempt stored as existing.
func (c *Client) InsertDocuments(ctx context.Context, r InsertDocumentsRequest) (*InsertDocumentsResult, error) {
	if len(r.Documents) == 0 {
		return &InsertDocumentsResult{}, nil
	}
	for i, d := range r.Documents {
		if d = bytes.TrimSpace(d); len(d) == 0 || d[0] != '{' {
			return nil, fmt.Errorf("dataapi: insertMany %s: document %d is not a JSON object", r.Collection, i)
		}
	}
	type opts struct {
		Ordered   bool `json:"ordered"`
		Responses bool `json:"returnDocumentResponses"`
	}
	raw, err := json.Marshal(struct {
		Documents []json.RawMessage `json:"documents"`
		Options   opts              `json:"options"`
	}{r.Documents, opts{r.Ordered, true}})
	if err != nil {
		return nil, fmt.Errorf("dataapi: insertMany %s: encoding request: %w", r.Collection, err)
	}
	cl := c.newCall("insertMany", r.Keyspace, r.Collection, raw)
	cl.repeatable = false
	env, err := c.exec(ctx, cl)
	res := &InsertDocumentsResult{Warnings: warningsOf(env)}
	if env == nil || len(env.status) == 0 {
		return res, err
	}
	var st struct {
		Responses []struct {
			ID        json.RawMessage `json:"_id"`
			Status    string          `json:"status"`
			ErrorsIdx *int            `json:"errorsIdx"`
		} `json:"documentResponses"`
	}
	if perr := json.Unmarshal(env.status, &st); perr != nil || len(st.Responses) != len(r.Documents) {
		if err != nil {
			return res, err
		}
		return res, badStatus(cl.Command, cl.Keyspace, cl.Table, fmt.Errorf("%d document responses for %d documents", len(st.Responses), len(r.Documents)))
	}
	for _, dr := range st.Responses {
		o := DocumentOutcome{ID: dr.ID, Status: dr.Status}
		if dr.ErrorsIdx != nil && *dr.ErrorsIdx >= 0 && *dr.ErrorsIdx < len(env.errors) {
			o.Err = env.errors[*dr.ErrorsIdx]
		}
		res.Outcomes = append(res.Outcomes, o)
	}
	if res.Inserted() > 0 {
		err = nil // the failures are per document
	}
	return res, err
}

// FindDocumentsRequest is find (or findOne) on a collection. Filter,
// Projection and Sort are JSON objects (nil: none). Limit 0 means no limit;
// PageState continues a scan.
type FindDocumentsRequest struct {
	Keyspace   string
	Collection string
	Filter     json.RawMessage
	Projection json.RawMessage
	Sort       json.RawMessage
	Limit      int
	PageState  string
}

// FindDocumentsResult is one page of documents; NextPageState is "" on the
// last page.
type FindDocumentsResult struct {
	Documents     []json.RawMessage
	NextPageState string
	Warnings      []Warning
}

type findDocsBody struct {
	Filter     json.RawMessage `json:"filter,omitempty"`
	Projection json.RawMessage `json:"projection,omitempty"`
	Sort       json.RawMessage `json:"sort,omitempty"`
	Options    *findDocsOpts   `json:"options,omitempty"`
}

type findDocsOpts struct {
	Limit     int    `json:"limit,omitempty"`
	PageState string `json:"pageState,omitempty"`
}

// FindDocuments reads one page of a find (the real server's collection
// page size is 20).
func (c *Client) FindDocuments(ctx context.Context, r FindDocumentsRequest) (*FindDocumentsResult, error) {
	b := findDocsBody{Filter: r.Filter, Projection: r.Projection, Sort: r.Sort}
	if r.Limit > 0 || r.PageState != "" {
		b.Options = &findDocsOpts{r.Limit, r.PageState}
	}
	var data struct {
		Documents     []json.RawMessage `json:"documents"`
		NextPageState *string           `json:"nextPageState"`
	}
	w, err := c.findDocs(ctx, "find", r, b, &data)
	res := &FindDocumentsResult{Documents: data.Documents, Warnings: w}
	if data.NextPageState != nil {
		res.NextPageState = *data.NextPageState
	}
	return res, err
}

// FindOneDocument returns the first matching document, or nil when none
// matches.
func (c *Client) FindOneDocument(ctx context.Context, r FindDocumentsRequest) (json.RawMessage, error) {
	if r.Limit != 0 || r.PageState != "" {
		return nil, fmt.Errorf("dataapi: findOne %s: Limit and PageState do not apply", r.Collection)
	}
	var data struct {
		Document json.RawMessage `json:"document"`
	}
	_, err := c.findDocs(ctx, "findOne", r, findDocsBody{Filter: r.Filter, Projection: r.Projection, Sort: r.Sort}, &data)
	if err != nil || string(data.Document) == "null" {
		return nil, err
	}
	return data.Document, nil
}

func (c *Client) findDocs(ctx context.Context, command string, r FindDocumentsRequest, body findDocsBody, out any) ([]Warning, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("dataapi: %s %s: encoding request: %w", command, r.Collection, err)
	}
	cl := c.newCall(command, r.Keyspace, r.Collection, raw)
	env, err := c.exec(ctx, cl)
	if err != nil {
		return warningsOf(env), err
	}
	if len(env.data) == 0 {
		return env.warnings, badStatus(cl.Command, cl.Keyspace, cl.Table, fmt.Errorf("no data in the response"))
	}
	if err := json.Unmarshal(env.data, out); err != nil {
		return env.warnings, badStatus(cl.Command, cl.Keyspace, cl.Table, err)
	}
	return env.warnings, nil
}

// ReplaceDocumentRequest is replaceOne, or findOneAndReplace when
// ReturnDocument is "before" or "after". With Upsert, a filter matching
// nothing inserts Replacement (its _id taken from an _id equality filter
// when it has none).
type ReplaceDocumentRequest struct {
	Keyspace       string
	Collection     string
	Filter         json.RawMessage
	Replacement    json.RawMessage
	Upsert         bool
	ReturnDocument string
	Projection     json.RawMessage // findOneAndReplace only
}

// ReplaceDocumentResult is a replace's outcome. Document is the document
// before or after (findOneAndReplace; nil when none).
type ReplaceDocumentResult struct {
	MatchedCount  int
	ModifiedCount int
	UpsertedID    json.RawMessage
	Document      json.RawMessage
	Warnings      []Warning
}

// ReplaceDocument replaces one document.
func (c *Client) ReplaceDocument(ctx context.Context, r ReplaceDocumentRequest) (*ReplaceDocumentResult, error) {
	if rep := bytes.TrimSpace(r.Replacement); len(rep) == 0 || rep[0] != '{' {
		return nil, fmt.Errorf("dataapi: replace %s: replacement is not a JSON object", r.Collection)
	}
	command := "replaceOne"
	type opts struct {
		Upsert         bool   `json:"upsert,omitempty"`
		ReturnDocument string `json:"returnDocument,omitempty"`
	}
	body := struct {
		Filter      json.RawMessage `json:"filter,omitempty"`
		Replacement json.RawMessage `json:"replacement"`
		Projection  json.RawMessage `json:"projection,omitempty"`
		Options     opts            `json:"options"`
	}{Filter: r.Filter, Replacement: r.Replacement, Options: opts{Upsert: r.Upsert}}
	switch r.ReturnDocument {
	case "":
		if len(r.Projection) > 0 {
			return nil, fmt.Errorf("dataapi: replaceOne %s: a projection needs ReturnDocument", r.Collection)
		}
	case "before", "after":
		command = "findOneAndReplace"
		body.Options.ReturnDocument = r.ReturnDocument
		body.Projection = r.Projection
	default:
		return nil, fmt.Errorf("dataapi: replace %s: ReturnDocument %q is not before or after", r.Collection, r.ReturnDocument)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("dataapi: %s %s: encoding request: %w", command, r.Collection, err)
	}
	cl := c.newCall(command, r.Keyspace, r.Collection, raw)
	cl.repeatable = true // a replace by the same filter gives the same document
	env, err := c.exec(ctx, cl)
	res := &ReplaceDocumentResult{Warnings: warningsOf(env)}
	if err != nil {
		return res, err
	}
	var st struct {
		MatchedCount  int             `json:"matchedCount"`
		ModifiedCount int             `json:"modifiedCount"`
		UpsertedID    json.RawMessage `json:"upsertedId"`
	}
	if len(env.status) > 0 {
		if err := json.Unmarshal(env.status, &st); err != nil {
			return res, badStatus(cl.Command, cl.Keyspace, cl.Table, err)
		}
	}
	res.MatchedCount, res.ModifiedCount, res.UpsertedID = st.MatchedCount, st.ModifiedCount, st.UpsertedID
	if command == "findOneAndReplace" && len(env.data) > 0 {
		var data struct {
			Document json.RawMessage `json:"document"`
		}
		if err := json.Unmarshal(env.data, &data); err != nil {
			return res, badStatus(cl.Command, cl.Keyspace, cl.Table, err)
		}
		if string(data.Document) != "null" {
			res.Document = data.Document
		}
	}
	return res, nil
}
