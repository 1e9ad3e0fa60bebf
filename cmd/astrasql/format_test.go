package main

import (
	"github.com/astrasql/astrasql/typesmap"
	"math"
	"math/big"
	"net/netip"
	"testing"
	"time"
)

// Stand-ins with the shapes of the typesmap value types, so formatting is
// tested independently of them.
type (
	tVector   []float32
	tList     []any
	Set       []any
	tMapEntry struct{ Key, Value any }
	tMap      []tMapEntry
	tDuration struct{ Months, Days int32 }
	tUDTField struct {
		Name  string
		Value any
	}
	tUDT []tUDTField
)

func (d tDuration) String() string { return "1mo2d" }

func TestFormatText(t *testing.T) {
	o := textOptions{AbbrevVector: 5, BlobHex: true}
	ts := time.Date(2024, 3, 4, 5, 6, 7, 8_000_000, time.UTC)
	tests := []struct {
		v      any
		dbType string
		want   string
	}{
		{nil, "TEXT", "NULL"},
		{"NULL", "TEXT", "NULL"},
		{"héllo", "TEXT", "héllo"},
		{int64(-3), "INT", "-3"},
		{true, "BOOLEAN", "true"},
		{0.1, "DOUBLE", "0.1"},
		{float64(float32(0.1)), "FLOAT", "0.1"},
		{math.NaN(), "DOUBLE", "NaN"},
		{math.Inf(-1), "DOUBLE", "-Infinity"},
		{big.NewInt(12345678901234), "VARINT", "12345678901234"},
		{ts, "TIMESTAMP", "2024-03-04T05:06:07.008Z"},
		{time.Date(-5, 1, 2, 0, 0, 0, 0, time.UTC), "DATE", "-0005-01-02"},
		{[]byte{1, 0xab}, "BLOB", "0x01ab"},
		{tVector{0.1, 0.2, 0.3}, "VECTOR", "[0.1, 0.2, 0.3]"},
		{tVector{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, "VECTOR", "[0.1, 0.2, 0.3, … (6 dims)]"},
		{tList{"a", "b'c"}, "LIST", "['a', 'b''c']"},
		{Set{int64(1), int64(2)}, "SET", "{1, 2}"},
		{tMap{{"k", int64(1)}, {"a", tList{"x"}}}, "MAP", "{'k': 1, 'a': ['x']}"},
		{map[string]int{"b": 2, "a": 1}, "MAP", "{'a': 1, 'b': 2}"},
		{tDuration{1, 2}, "DURATION", "1mo2d"},
		{netip.MustParseAddr("10.0.0.1"), "INET", "10.0.0.1"},
		{tList{netip.MustParseAddr("::1")}, "LIST", "['::1']"},
	}
	for _, tc := range tests {
		if got := formatText(tc.v, tc.dbType, o); got != tc.want {
			t.Errorf("formatText(%#v, %s) = %q, want %q", tc.v, tc.dbType, got, tc.want)
		}
	}
	if got := formatText(tVector{1, 2, 3, 4, 5, 6}, "VECTOR", textOptions{}); got != "[1, 2, 3, 4, 5, 6]" {
		t.Errorf("full vector = %q", got)
	}
	if got := formatText([]byte("hi"), "BLOB", textOptions{}); got != "aGk=" {
		t.Errorf("base64 blob = %q", got)
	}
}

func TestJSONValue(t *testing.T) {
	tests := []struct {
		v      any
		dbType string
		want   string
	}{
		{nil, "TEXT", `null`},
		{"a<b", "TEXT", `"a<b"`},
		{"12.50", "DECIMAL", `12.50`},
		{int64(7), "INT", `7`},
		{float64(float32(0.1)), "FLOAT", `0.1`},
		{math.Inf(1), "DOUBLE", `"Infinity"`},
		{big.NewInt(-99), "VARINT", `-99`},
		{[]byte("hi"), "BLOB", `"aGk="`},
		{tVector{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, "VECTOR", `[0.1,0.2,0.3,0.4,0.5,0.6]`},
		{tList{"a", int64(1)}, "LIST", `["a",1]`},
		{tMap{{"k", int64(1)}, {"a", true}}, "MAP", `{"k":1,"a":true}`},
		{tMap{{int64(3), "x"}}, "MAP", `[[3,"x"]]`},
		{tDuration{1, 2}, "DURATION", `"1mo2d"`},
		{time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), "DATE", `"2024-01-02"`},
		{tUDT{{"zip", int64(75001)}, {"city", "Paris"}}, "USERDEFINED", `{"zip":75001,"city":"Paris"}`},
	}
	for _, tc := range tests {
		b, err := marshalJSON(jsonValue(tc.v, tc.dbType))
		if err != nil || string(b) != tc.want {
			t.Errorf("jsonValue(%#v, %s) = %s (%v), want %s", tc.v, tc.dbType, b, err, tc.want)
		}
	}
}

// The real value types the driver scans into.
func TestFormatTypesmapValues(t *testing.T) {
	o := textOptions{AbbrevVector: 5, BlobHex: true}
	tests := []struct {
		v            any
		dbType       string
		text, asJSON string
	}{
		{typesmap.Vector{1, 0.5, 2, 3, 4, 5}, "VECTOR", "[1, 0.5, 2, … (6 dims)]", `[1,0.5,2,3,4,5]`},
		{typesmap.List{"a", int64(2)}, "LIST", "['a', 2]", `["a",2]`},
		{typesmap.Set{"x"}, "SET", "{'x'}", `["x"]`},
		{typesmap.Map{{Key: "k", Value: 1.5}}, "MAP", "{'k': 1.5}", `{"k":1.5}`},
		{typesmap.UDT{{Name: "city", Value: "Paris"}}, "USERDEFINED", "{city: 'Paris'}", `{"city":"Paris"}`},
		{typesmap.TimeOfDay(3723 * 1e9), "TIME", "01:02:03", `"01:02:03"`},
	}
	for _, tc := range tests {
		if got := formatText(tc.v, tc.dbType, o); got != tc.text {
			t.Errorf("formatText(%#v) = %q, want %q", tc.v, got, tc.text)
		}
		b, err := marshalJSON(jsonValue(tc.v, tc.dbType))
		if err != nil || string(b) != tc.asJSON {
			t.Errorf("jsonValue(%#v) = %s (%v), want %s", tc.v, b, err, tc.asJSON)
		}
	}
}
