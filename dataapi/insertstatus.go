package dataapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/astrasql/astrasql/typesmap"
)

// insertStatus is the status of insertOne and insertMany, keys decoded.
type insertStatus struct {
	InsertedIDs       [][]any
	PrimaryKeySchema  []typesmap.Column
	DocumentResponses []docResponse
}

type docResponse struct {
	Key       []any
	Status    string // "OK", "ERROR" or "SKIPPED"
	ErrorsIdx int    // -1 when absent
}

// parseInsertStatus streams status: a first pass finds primaryKeySchema
// (which the server may write after the keys), a second decodes the keys.
func parseInsertStatus(raw []byte) (*insertStatus, error) {
	st := &insertStatus{}
	if len(raw) == 0 {
		return st, nil
	}
	rd := bytes.NewReader(raw)
	dec := getDecoder(rd)
	defer putDecoder(dec)
	err := eachMember(dec, func(name string) error {
		if name != "primaryKeySchema" {
			return dec.SkipValue()
		}
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if string(v) == "null" {
			return nil
		}
		st.PrimaryKeySchema, err = typesmap.DecodeColumns(v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	kd := &keyDecoder{schema: st.PrimaryKeySchema, rd: bytes.NewReader(nil)}
	rd.Reset(raw)
	dec.Reset(rd, decOpts...)
	err = eachMember(dec, func(name string) error {
		switch name {
		case "insertedIds":
			return eachElement(dec, func() error {
				k, err := kd.decode(dec)
				st.InsertedIDs = append(st.InsertedIDs, k)
				return err
			})
		case "documentResponses":
			return eachElement(dec, func() error {
				dr := docResponse{ErrorsIdx: -1}
				err := eachMember(dec, func(name string) error {
					switch name {
					case "_id":
						k, err := kd.decode(dec)
						dr.Key = k
						return err
					case "status":
						tok, err := dec.ReadToken()
						if err == nil && tok.Kind() == '"' {
							dr.Status = tok.String()
						}
						return err
					case "errorsIdx":
						tok, err := dec.ReadToken()
						if err == nil && tok.Kind() == '0' {
							n, perr := strconv.Atoi(tok.String())
							if perr == nil {
								dr.ErrorsIdx = n
							}
						}
						return err
					}
					return dec.SkipValue()
				})
				st.DocumentResponses = append(st.DocumentResponses, dr)
				return err
			})
		}
		return dec.SkipValue()
	})
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	kd.release()
	return st, nil
}

// keyDecoder decodes primary key arrays. The server serialises key values
// from CQL values, not with the row codecs (spec 4.1), so a value the
// typesmap decoder refuses is kept as raw JSON (json.RawMessage) rather than
// failing an insert that was done.
type keyDecoder struct {
	schema []typesmap.Column
	rd     *bytes.Reader
	sub    *jsontext.Decoder
}

func (kd *keyDecoder) decode(dec *jsontext.Decoder) ([]any, error) {
	if dec.PeekKind() != '[' {
		return nil, dec.SkipValue()
	}
	key := make([]any, 0, len(kd.schema))
	err := eachElement(dec, func() error {
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		i := len(key)
		if i >= len(kd.schema) {
			key = append(key, rawJSON(raw))
			return nil
		}
		if kd.sub == nil {
			kd.sub = getDecoder(kd.rd)
		}
		kd.rd.Reset(raw)
		kd.sub.Reset(kd.rd, decOpts...)
		v, derr := typesmap.DecodeValue(kd.sub, kd.schema[i].Type)
		if derr != nil {
			v = rawJSON(raw)
		}
		key = append(key, v)
		return nil
	})
	return key, err
}

func (kd *keyDecoder) release() {
	if kd.sub != nil {
		putDecoder(kd.sub)
		kd.sub = nil
	}
}

func rawJSON(v jsontext.Value) any {
	return json.RawMessage(v.Clone())
}

// eachMember reads an object, calling f after each member name; f must
// consume the value.
func eachMember(dec *jsontext.Decoder, f func(name string) error) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != '{' {
		return fmt.Errorf("expected an object, got %v", tok.Kind())
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		if err := f(tok.String()); err != nil {
			return err
		}
	}
	_, err = dec.ReadToken()
	return err
}

// eachElement reads an array, calling f at each element; f must consume it.
func eachElement(dec *jsontext.Decoder, f func() error) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() == 'n' {
		return nil
	}
	if tok.Kind() != '[' {
		return fmt.Errorf("expected an array, got %v", tok.Kind())
	}
	for dec.PeekKind() != ']' {
		if err := f(); err != nil {
			return err
		}
	}
	_, err = dec.ReadToken()
	return err
}
