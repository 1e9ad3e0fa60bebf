package typesmap

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

func bigInt(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return n
}

func decodeString(t Type, s string) (any, error) {
	return DecodeValue(jsontext.NewDecoder(strings.NewReader(s)), t)
}

func TestDecodeValue(t *testing.T) {
	negZero := math.Copysign(0, -1)
	tests := []struct {
		name string
		t    Type
		json string
		want any
		err  string
	}{
		{"null", Of(Int), `null`, nil, ""},
		{"text", Of(Text), `"a\u00e9\"\n"`, "aé\"\n", ""},
		{"ascii", Of(Ascii), `"x"`, "x", ""},
		{"text number", Of(Text), `5`, nil, "is a number"},
		{"bool", Of(Boolean), `false`, false, ""},
		{"int", Of(Int), `-2147483648`, int64(math.MinInt32), ""},
		{"bigint max", Of(BigInt), `9223372036854775807`, int64(math.MaxInt64), ""},
		{"bigint min", Of(BigInt), `-9223372036854775808`, int64(math.MinInt64), ""},
		{"bigint over", Of(BigInt), `9223372036854775808`, nil, "not a 64-bit integer"},
		{"int 5.0", Of(Int), `5.0`, int64(5), ""},
		{"int 1.23E+2", Of(Int), `1.23E+2`, int64(123), ""},
		{"int 12.5", Of(Int), `12.5`, nil, "not a 64-bit integer"},
		{"counter", Of(Counter), `42`, int64(42), ""},
		{"varint", Of(Varint), `-123456789012345678901234567890`, bigInt("-123456789012345678901234567890"), ""},
		{"varint exp", Of(Varint), `1E+3`, big.NewInt(1000), ""},
		{"varint frac", Of(Varint), `1.5`, nil, "not an integer"},
		{"decimal", Of(Decimal), `123.4500`, "123.4500", ""},
		{"decimal sci", Of(Decimal), `1E+3`, "1000", ""},
		{"decimal sci neg", Of(Decimal), `-1.5E-7`, "-0.00000015", ""},
		{"decimal sci frac", Of(Decimal), `1.2345E+2`, "123.45", ""},
		{"decimal zero", Of(Decimal), `-0.00`, "0.00", ""},
		{"decimal huge exp", Of(Decimal), `1E+400`, "1E400", ""},
		{"decimal string", Of(Decimal), `"2.50"`, "2.50", ""},
		{"double", Of(Double), `0.1`, 0.1, ""},
		{"double java", Of(Double), `1.0E10`, 1e10, ""},
		{"double NaN", Of(Double), `"NaN"`, math.NaN(), ""},
		{"double Inf", Of(Double), `"Infinity"`, math.Inf(1), ""},
		{"double -Inf", Of(Double), `"-Infinity"`, math.Inf(-1), ""},
		{"double -0", Of(Double), `-0.0`, negZero, ""},
		{"double bad string", Of(Double), `"inf"`, nil, "not a number"},
		{"float max", Of(Float), `3.4028235E38`, float64(float32(math.MaxFloat32)), ""},
		{"float 0.1", Of(Float), `0.1`, float64(float32(0.1)), ""},
		{"float overflow", Of(Float), `1e39`, math.Inf(1), ""},
		{"timestamp", Of(Timestamp), `"2024-09-24T14:06:59Z"`, time.Date(2024, 9, 24, 14, 6, 59, 0, time.UTC), ""},
		{"timestamp ms", Of(Timestamp), `"2024-09-24T14:06:59.123Z"`, time.Date(2024, 9, 24, 14, 6, 59, 123e6, time.UTC), ""},
		{"timestamp offset", Of(Timestamp), `"2024-09-24T14:06:59.5-01:30"`, time.Date(2024, 9, 24, 15, 36, 59, 5e8, time.UTC), ""},
		{"timestamp big year", Of(Timestamp), `"+10000-01-01T00:00:00Z"`, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"timestamp negative year", Of(Timestamp), `"-0001-01-01T00:00:00Z"`, time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"timestamp $date", Of(Timestamp), `{"$date": 1000}`, time.Unix(1, 0).UTC(), ""},
		{"timestamp bad", Of(Timestamp), `"yesterday"`, nil, "not an ISO 8601 instant"},
		{"date", Of(Date), `"2024-02-29"`, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), ""},
		{"date year 0", Of(Date), `"0000-01-01"`, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"date year -1", Of(Date), `"-0001-12-31"`, time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC), ""},
		{"date year 10000", Of(Date), `"+10000-01-01"`, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"date bad", Of(Date), `"2023-02-29"`, nil, "not a date"},
		{"time hm", Of(Time), `"12:45"`, NewTimeOfDay(12, 45, 0, 0), ""},
		{"time ms", Of(Time), `"12:45:01.005"`, NewTimeOfDay(12, 45, 1, 5e6), ""},
		{"time ns", Of(Time), `"23:59:59.999999999"`, MaxTimeOfDay, ""},
		{"time bad", Of(Time), `"24:00"`, nil, "not a time of day"},
		{"duration", Of(KindDuration), `"P1Y2M3DT4H5M6.5S"`, Duration{14, 3, 4*nsPerHour + 5*nsPerMinute + 6500*int64(time.Millisecond)}, ""},
		{"duration neg", Of(KindDuration), `"-PT0.000000001S"`, Duration{Nanoseconds: -1}, ""},
		{"uuid", Of(UUID), `"F47AC10B-58CC-4372-A567-0E02B2C3D479"`, uuid.MustParse("f47ac10b-58cc-4372-a567-0e02b2c3d479"), ""},
		{"inet java v6", Of(Inet), `"0:0:0:0:0:0:0:1"`, netip.MustParseAddr("::1"), ""},
		{"inet v4", Of(Inet), `"127.0.0.1"`, netip.MustParseAddr("127.0.0.1"), ""},
		{"blob", Of(Blob), `{"$binary":"AAEC/w=="}`, []byte{0, 1, 2, 255}, ""},
		{"blob unpadded", Of(Blob), `{"$binary":"AAEC/w"}`, []byte{0, 1, 2, 255}, ""},
		{"blob bad", Of(Blob), `{"$binary":"!!"}`, nil, "not base64"},
		{"blob extra key", Of(Blob), `{"$binary":"AA==","x":1}`, nil, "more than one key"},
		{"vector array", VectorOf(3), `[0.1, -2, 3.5E10]`, Vector{0.1, -2, 3.5e10}, ""},
		{"vector nan", VectorOf(2), `["NaN", 1]`, Vector{float32(math.NaN()), 1}, ""},
		{"vector binary", VectorOf(2), `{"$binary":"P4AAAEAAAAA="}`, Vector{1, 2}, ""},
		{"vector bad", VectorOf(2), `[1, true]`, nil, "not a vector element"},
		{"vector null elem", VectorOf(2), `[1, null]`, nil, "not a vector element"},
		{"list", ListOf(Of(Int)), `[1, 2, 3]`, List{int64(1), int64(2), int64(3)}, ""},
		{"list empty", ListOf(Of(Int)), `[]`, List{}, ""},
		{"set", SetOf(Of(Text)), `["a","b"]`, Set{"a", "b"}, ""},
		{"set of dates", SetOf(Of(Date)), `["2024-01-01"]`, Set{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, ""},
		{"map object", MapOf(Of(Text), Of(Int)), `{"b":1,"a":2}`, Map{{"b", int64(1)}, {"a", int64(2)}}, ""},
		{"map pairs", MapOf(Of(Int), Of(Text)), `[[1,"x"],[2,"y"]]`, Map{{int64(1), "x"}, {int64(2), "y"}}, ""},
		{"map old object int keys", MapOf(Of(Int), Of(Boolean)), `{"1":true}`, Map{{int64(1), true}}, ""},
		{"map pairs text keys", MapOf(Of(Text), Of(Int)), `[["a",1]]`, Map{{"a", int64(1)}}, ""},
		{"map empty pairs", MapOf(Of(Int), Of(Int)), `[]`, Map{}, ""},
		{"map uuid keys object", MapOf(Of(UUID), Of(Int)), `{"f47ac10b-58cc-4372-a567-0e02b2c3d479":1}`, Map{{uuid.MustParse("f47ac10b-58cc-4372-a567-0e02b2c3d479"), int64(1)}}, ""},
		{"map bad pair", MapOf(Of(Int), Of(Int)), `[[1]]`, nil, "without a value"},
		{"map long pair", MapOf(Of(Int), Of(Int)), `[[1,2,3]]`, nil, "more than two"},
		{"udt", Type{Kind: UserDefined, UDTName: "a", Fields: []Column{{"zip", Of(Int)}, {"d", Of(Date)}}}, `{"zip":1,"d":"2020-01-01","other":1.5}`,
			UDT{{"zip", int64(1)}, {"d", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}, {"other", 1.5}}, ""},
		{"untyped", Type{}, `{"a":[1,2.5,"x",true,null],"b":{"$binary":"AQ=="},"c":123456789012345678901234567890}`,
			UDT{{"a", List{int64(1), 2.5, "x", true, nil}}, {"b", []byte{1}}, {"c", bigInt("123456789012345678901234567890")}}, ""},
		{"unsupported", Type{Kind: Unsupported}, `[1]`, List{int64(1)}, ""},
		{"future kind", Type{Kind: "tuple"}, `[1,"a"]`, List{int64(1), "a"}, ""},
		{"future kind scalar", Type{Kind: "newtype"}, `"x"`, "x", ""},
		{"list for scalar", ListOf(Of(Int)), `5`, nil, "is a scalar"},
		{"int for array", Of(Int), `[1]`, nil, "is an array"},
		{"int for object", Of(Int), `{}`, nil, "is an object"},
		{"truncated", ListOf(Of(Int)), `[1, 2`, nil, "EOF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeString(tc.t, tc.json)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("decode %s as %s = %#v, %v; want error containing %q", tc.json, tc.t, got, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("decode %s as %s: %v", tc.json, tc.t, err)
			}
			if !Equal(got, tc.want) {
				t.Fatalf("decode %s as %s = %#v, want %#v", tc.json, tc.t, got, tc.want)
			}
			if got != nil && ScanType(tc.t).Kind() != reflect.Interface {
				if gt := reflectTypeOf(got); gt != ScanType(tc.t) {
					t.Fatalf("decoded Go type %v, ScanType says %v", gt, ScanType(tc.t))
				}
			}
		})
	}
}

func TestDecodeRow(t *testing.T) {
	cols := []Column{{"id", Of(Int)}, {"name", Of(Text)}, {"tags", SetOf(Of(Text))}, {"$similarity", Type{}}}
	r := NewRowDecoder(cols)
	in := `{"id":1,"name":"a","tags":["x"],"$similarity":0.5}
	{"name":"b","id":2}
	{"id":3,"extra":{"deep":[1,2]},"name":"c"}
	{"id":4,"$similarity":1}
	{"id":"x"}`
	dec := jsontext.NewDecoder(strings.NewReader(in))
	dst := make([]any, len(cols))

	if err := r.DecodeRow(dec, dst); err != nil {
		t.Fatal(err)
	}
	if !Equal(List(dst), List{int64(1), "a", Set{"x"}, 0.5}) {
		t.Fatalf("row 1 = %#v", dst)
	}
	if err := r.DecodeRow(dec, dst); err != nil {
		t.Fatal(err)
	}
	if !Equal(List(dst), List{int64(2), "b", nil, nil}) {
		t.Fatalf("row 2 (out of order, absent columns) = %#v", dst)
	}
	err := r.DecodeRow(dec, dst)
	var uc *UnknownColumnError
	if !errors.As(err, &uc) || uc.Name != "extra" {
		t.Fatalf("row 3: got %v, want UnknownColumnError", err)
	}
	if !Equal(List(dst), List{int64(3), "c", nil, nil}) {
		t.Fatalf("row 3 = %#v", dst)
	}
	// The decoder stays usable after an unknown column.
	if err := r.DecodeRow(dec, dst); err != nil {
		t.Fatal(err)
	}
	if v, ok := dst[3].(float64); !ok || v != 1 {
		t.Fatalf("$similarity = %#v, want float64 1", dst[3])
	}
	err = r.DecodeRow(dec, dst)
	var de *DecodeError
	if !errors.As(err, &de) || de.Column != "id" || !strings.Contains(err.Error(), `column "id" (int)`) {
		t.Fatalf("bad value: %v", err)
	}
	if err := r.DecodeRow(dec, dst[:1]); err == nil {
		t.Fatal("short dst accepted")
	}
	if err := r.DecodeRow(jsontext.NewDecoder(strings.NewReader(`[1]`)), dst); err == nil {
		t.Fatal("array row accepted")
	}
}

func TestDecodeJSON(t *testing.T) {
	v, err := DecodeJSON([]byte(`{"$date": 0}`))
	if err != nil || !Equal(v, time.Unix(0, 0).UTC()) {
		t.Fatalf("got %#v, %v", v, err)
	}
	if _, err := DecodeJSON([]byte(`1 2`)); err == nil {
		t.Fatal("trailing value accepted")
	}
	v, err = DecodeJSON([]byte(`{"$binary":"AQ==","x":1}`))
	if err != nil || !Equal(v, UDT{{"$binary", "AQ=="}, {"x", int64(1)}}) {
		t.Fatalf("$binary with more keys = %#v, %v", v, err)
	}
}

func reflectTypeOf(v any) reflect.Type { return reflect.TypeOf(v) }

// TestFastFloat compares the fast path with strconv on random shortest
// forms (as servers print them) and on hand-picked hard cases.
func TestFastFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	inputs := []string{"0", "-0", "0.0", "1", "1e22", "1e23", "9007199254740993", "0.1", "3.4028235E38", "3.4028236E38",
		"1.17549435E-38", "1.4E-45", "16777217", "0.000001", "123456789012345678", "1e-22", "-2.5e-3", "1.00000017881393432617187499"}
	for i := 0; i < 20000; i++ {
		inputs = append(inputs,
			strconv.FormatFloat(float64(math.Float32frombits(r.Uint32())), 'g', -1, 32),
			strconv.FormatFloat(math.Float64frombits(r.Uint64()), 'g', -1, 64),
			strconv.FormatFloat(r.Float64()*2-1, 'f', r.IntN(12), 64))
	}
	for _, s := range inputs {
		for _, bits := range []int{32, 64} {
			f, ok := fastFloat([]byte(s), bits)
			if !ok {
				continue
			}
			want, err := strconv.ParseFloat(s, bits)
			if err != nil || math.Float64bits(f) != math.Float64bits(want) {
				t.Fatalf("fastFloat(%q, %d) = %v, strconv says %v (%v)", s, bits, f, want, err)
			}
		}
	}
}
