package dataapi

import (
	"encoding/json"
	"testing"
)

// TestFindBodyLimit: with the default response limit, a sorted find (a
// top-K search answers its whole limit, up to 1000 rows, at once) may
// receive as many rows of the largest size one request can write; an
// unsorted find, and any find of a client with its limit set, keep the
// client's limit.
func TestFindBodyLimit(t *testing.T) {
	def, err := New(Options{Endpoint: "http://127.0.0.1:1", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	set, err := New(Options{Endpoint: "http://127.0.0.1:1", Token: "t", MaxResponseBytes: 5 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if def.maxBody < serverPageRows*serverMaxRowBytes {
		t.Errorf("default limit %d cannot hold a page of %d rows of %d bytes", def.maxBody, serverPageRows, serverMaxRowBytes)
	}
	ann := json.RawMessage(`{"v": [0.1, 0.2]}`)
	for _, c := range []struct {
		cl    *Client
		r     FindRequest
		least int64 // 0: the client's own limit
	}{
		{def, FindRequest{}, 0},
		{def, FindRequest{Sort: json.RawMessage(`{}`)}, 0},
		{def, FindRequest{Sort: ann}, serverTopKRows * serverMaxRowBytes},
		{def, FindRequest{Sort: ann, Limit: 200}, 200 * serverMaxRowBytes},
		{def, FindRequest{Sort: ann, Limit: 10}, 0}, // 10 rows fit the default
		{set, FindRequest{Sort: ann}, 0},
	} {
		got := c.cl.findBodyLimit(&c.r)
		switch {
		case c.least == 0 && got != 0:
			t.Errorf("%+v: limit %d, want the client's", c.r, got)
		case c.least > 0 && got < c.least:
			t.Errorf("%+v: limit %d, want at least %d", c.r, got, c.least)
		}
	}
}
