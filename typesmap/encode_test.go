package typesmap

import (
	"database/sql"
	"errors"
	"math"
	"math/big"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

type myInt int16
type myString string

func TestAppendValue(t *testing.T) {
	u := uuid.MustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8") // version 1
	u4 := uuid.MustParse("f47ac10b-58cc-4372-a567-0e02b2c3d479")
	bigVarint, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	huge := new(big.Int).Exp(big.NewInt(10), big.NewInt(120), nil)
	str := "hello"
	var nilPtr *int
	tests := []struct {
		name string
		t    Type
		v    any
		want string // JSON, or "" when err is set
		err  string // substring of the error
	}{
		{"nil", Of(Int), nil, "null", ""},
		{"nil pointer", Of(Int), nilPtr, "null", ""},
		{"pointer", Of(Text), &str, `"hello"`, ""},
		{"text", Of(Text), "a\"b\n€", `"a\"b\n€"`, ""},
		{"text bytes", Of(Text), []byte("xy"), `"xy"`, ""},
		{"text named", Of(Text), myString("n"), `"n"`, ""},
		{"text bad utf8", Of(Text), "a\xffb", "", "not valid UTF-8"},
		{"ascii ok", Of(Ascii), "abc~", `"abc~"`, ""},
		{"ascii non-ascii", Of(Ascii), "abcé", "", "non-ASCII character at byte 3"},
		{"text from int", Of(Text), 5, "", "has Go type int"},
		{"bool", Of(Boolean), true, "true", ""},
		{"bool from string", Of(Boolean), "true", "", "Go type string"},
		{"tinyint max", Of(TinyInt), 127, "127", ""},
		{"tinyint min", Of(TinyInt), int8(-128), "-128", ""},
		{"tinyint over", Of(TinyInt), 128, "", "overflows tinyint"},
		{"smallint named", Of(SmallInt), myInt(-32768), "-32768", ""},
		{"smallint over", Of(SmallInt), uint16(40000), "", "overflows smallint"},
		{"int max", Of(Int), int64(math.MaxInt32), "2147483647", ""},
		{"int over", Of(Int), int64(3000000000), "", "value 3000000000 overflows int"},
		{"int under", Of(Int), int64(math.MinInt32) - 1, "", "overflows int"},
		{"bigint min", Of(BigInt), int64(math.MinInt64), "-9223372036854775808", ""},
		{"bigint uint64 over", Of(BigInt), uint64(math.MaxUint64), "", "overflows bigint"},
		{"bigint big.Int", Of(BigInt), big.NewInt(42), "42", ""},
		{"bigint from float", Of(BigInt), 1.5, "", "is a float"},
		{"bigint sql.NullInt64", Of(BigInt), sql.NullInt64{Int64: 7, Valid: true}, "7", ""},
		{"bigint sql.NullInt64 null", Of(BigInt), sql.NullInt64{}, "null", ""},
		{"bigint sql.Null[int]", Of(BigInt), sql.Null[int]{V: 9, Valid: true}, "9", ""},
		{"varint big", Of(Varint), bigVarint, "-123456789012345678901234567890", ""},
		{"varint uint64", Of(Varint), uint64(math.MaxUint64), "18446744073709551615", ""},
		{"varint string", Of(Varint), "+000123", "123", ""},
		{"varint string frac", Of(Varint), "1.5", "", "not an integer"},
		{"varint too long", Of(Varint), huge, "", "at most 100"},
		{"decimal string", Of(Decimal), "-0012.3400", "-12.3400", ""},
		{"decimal string exp", Of(Decimal), "1.5e-7", "1.5E-7", ""},
		{"decimal string dot", Of(Decimal), ".5", "0.5", ""},
		{"decimal string bad", Of(Decimal), "1.2.3", "", "not a decimal number"},
		{"decimal float64", Of(Decimal), 0.1, "0.1", ""},
		{"decimal float32", Of(Decimal), float32(0.1), "0.1", ""},
		{"decimal NaN", Of(Decimal), math.NaN(), "", "no NaN"},
		{"decimal Inf", Of(Decimal), math.Inf(1), "", "no NaN or infinity"},
		{"decimal big.Float", Of(Decimal), big.NewFloat(2.5), "2.5", ""},
		{"decimal big.Float inf", Of(Decimal), new(big.Float).SetInf(false), "", "infinite"},
		{"decimal big.Rat exact", Of(Decimal), big.NewRat(-1, 8), "-0.125", ""},
		{"decimal big.Rat int", Of(Decimal), big.NewRat(10, 2), "5", ""},
		{"decimal big.Rat inexact", Of(Decimal), big.NewRat(1, 3), "", "no exact decimal form"},
		{"decimal int", Of(Decimal), 12, "12", ""},
		{"double", Of(Double), 0.1, "0.1", ""},
		{"double NaN", Of(Double), math.NaN(), `"NaN"`, ""},
		{"double +Inf", Of(Double), math.Inf(1), `"Infinity"`, ""},
		{"double -Inf", Of(Double), float32(math.Inf(-1)), `"-Infinity"`, ""},
		{"double -0", Of(Double), math.Copysign(0, -1), "-0.0", ""},
		{"double max", Of(Double), math.MaxFloat64, "1.7976931348623157e+308", ""},
		{"double string NaN", Of(Double), "NaN", `"NaN"`, ""},
		{"double string", Of(Double), "2.5", "2.5", ""},
		{"double string bad", Of(Double), "x", "", "not a number"},
		{"double int", Of(Double), 3, "3", ""},
		{"float", Of(Float), 0.1, "0.1", ""},
		{"float32", Of(Float), float32(3.4028235e38), "3.4028235e+38", ""},
		{"float overflow", Of(Float), 1e39, "", "overflows float"},
		{"float -0", Of(Float), float32(math.Copysign(0, -1)), "-0.0", ""},
		{"float smallest", Of(Float), float32(math.SmallestNonzeroFloat32), "1e-45", ""},
		{"blob", Of(Blob), []byte{0, 1, 2, 255}, `{"$binary":"AAEC/w=="}`, ""},
		{"blob empty", Of(Blob), []byte{}, `{"$binary":""}`, ""},
		{"blob nil", Of(Blob), []byte(nil), "null", ""},
		{"blob string", Of(Blob), "abc", "", "Go type string"},
		{"uuid", Of(UUID), u4, `"f47ac10b-58cc-4372-a567-0e02b2c3d479"`, ""},
		{"uuid string upper", Of(UUID), "F47AC10B-58CC-4372-A567-0E02B2C3D479", `"f47ac10b-58cc-4372-a567-0e02b2c3d479"`, ""},
		{"uuid array", Of(UUID), [16]byte(u4), `"f47ac10b-58cc-4372-a567-0e02b2c3d479"`, ""},
		{"uuid bad", Of(UUID), "nope", "", "not a UUID"},
		{"timeuuid v1", Of(TimeUUID), u, `"6ba7b810-9dad-11d1-80b4-00c04fd430c8"`, ""},
		{"timeuuid v4", Of(TimeUUID), u4, "", "version 4 UUID"},
		{"inet v4", Of(Inet), "192.168.0.1", `"192.168.0.1"`, ""},
		{"inet v6", Of(Inet), netip.MustParseAddr("2001:db8::1"), `"2001:db8::1"`, ""},
		{"inet mapped", Of(Inet), "::ffff:1.2.3.4", `"::ffff:1.2.3.4"`, ""},
		{"inet net.IP v4", Of(Inet), net.ParseIP("10.0.0.1"), `"10.0.0.1"`, ""},
		{"inet net.IP v6", Of(Inet), net.ParseIP("::1"), `"::1"`, ""},
		{"inet host name", Of(Inet), "localhost", "", "not an IP address literal"},
		{"inet zone", Of(Inet), "fe80::1%eth0", "", "has a zone"},
		{"inet zero", Of(Inet), netip.Addr{}, "", "zero netip.Addr"},
		{"date", Of(Date), time.Date(2024, 2, 29, 23, 59, 0, 0, time.UTC), `"2024-02-29"`, ""},
		{"date local zone", Of(Date), time.Date(2024, 1, 2, 0, 30, 0, 0, time.FixedZone("x", 3600)), `"2024-01-02"`, ""},
		{"date year 0", Of(Date), time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), `"0000-01-01"`, ""},
		{"date year -1", Of(Date), time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC), `"-0001-12-31"`, ""},
		{"date year 10000", Of(Date), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), `"+10000-01-01"`, ""},
		{"date string", Of(Date), "2024-05-06", `"2024-05-06"`, ""},
		{"date string big", Of(Date), "+12345-06-07", `"+12345-06-07"`, ""},
		{"date string no plus", Of(Date), "12345-06-07", `"+12345-06-07"`, ""},
		{"date string bad day", Of(Date), "2023-02-29", "", "not a date"},
		{"date out of range", Of(Date), time.Date(6000000, 1, 1, 0, 0, 0, 0, time.UTC), "", "outside the date range"},
		{"date max", Of(Date), "+5881580-07-11", `"+5881580-07-11"`, ""},
		{"date past max", Of(Date), "+5881580-07-12", "", "outside the date range"},
		{"date min", Of(Date), "-5877641-06-23", `"-5877641-06-23"`, ""},
		{"timestamp", Of(Timestamp), time.Date(2024, 9, 24, 14, 6, 59, 123456789, time.FixedZone("x", 7200)), `"2024-09-24T12:06:59.123Z"`, ""},
		{"timestamp before 1970", Of(Timestamp), time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC), `"1969-12-31T23:59:59.999Z"`, ""},
		{"timestamp year 10000", Of(Timestamp), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), `"+10000-01-01T00:00:00.000Z"`, ""},
		{"timestamp string", Of(Timestamp), "2024-01-01T10:00:00+02:00", `"2024-01-01T08:00:00.000Z"`, ""},
		{"timestamp string bad", Of(Timestamp), "2024-01", "", "is not a timestamp"},
		{"timestamp CQL date", Of(Timestamp), "2024-01-01", `"2024-01-01T00:00:00.000Z"`, ""},
		{"time", Of(Time), NewTimeOfDay(12, 45, 1, 5000000), `"12:45:01.005"`, ""},
		{"time hm", Of(Time), NewTimeOfDay(7, 5, 0, 0), `"07:05"`, ""},
		{"time ns", Of(Time), MaxTimeOfDay, `"23:59:59.999999999"`, ""},
		{"time duration", Of(Time), 90 * time.Minute, `"01:30"`, ""},
		{"time string", Of(Time), "1:2", "", "not a time of day"},
		{"time 24h", Of(Time), 24 * time.Hour, "", "not within a day"},
		{"duration", Of(KindDuration), Duration{Months: 14, Days: 3, Nanoseconds: 4 * nsPerHour}, `"P1Y2M3DT4H"`, ""},
		{"duration fraction", Of(KindDuration), Duration{Nanoseconds: 1500 * int64(time.Millisecond)}, `"1s500ms"`, ""},
		{"duration go", Of(KindDuration), -90 * time.Second, `"-PT1M30S"`, ""},
		{"duration string cql", Of(KindDuration), "1h30m", `"PT1H30M"`, ""},
		{"duration string week", Of(KindDuration), "P2W", `"P14D"`, ""},
		{"duration mixed signs", Of(KindDuration), Duration{Months: 1, Days: -1}, "", "mixes signs"},
		{"duration bad", Of(KindDuration), "1x", "", "not an ISO 8601 or CQL duration"},
		{"vector", VectorOf(3), Vector{1, -2, 0.5}, `{"$binary":"P4AAAMAAAAA/AAAA"}`, ""},
		{"vector float64", VectorOf(2), []float64{1, 2}, `{"$binary":"P4AAAEAAAAA="}`, ""},
		{"vector list", VectorOf(2), []any{1, 2.0}, `{"$binary":"P4AAAEAAAAA="}`, ""},
		{"vector bytes", VectorOf(1), []byte{0x3f, 0x80, 0, 0}, `{"$binary":"P4AAAA=="}`, ""},
		{"vector dim", VectorOf(3), []float32{1, 2}, "", "has 2 elements; the column's dimension is 3"},
		{"vector overflow", VectorOf(1), []float64{1e40}, "", "element 0: value 1e+40 overflows float"},
		{"vector text no service", VectorOf(3), "hello", "", "no vectorize service"},
		{"vector text service", Type{Kind: KindVector, Dimension: 3, Service: &VectorizeService{Provider: "nvidia"}}, "hello", `"hello"`, ""},
		{"vector empty", VectorOf(0), Vector{}, "", "is empty"},
		{"list", ListOf(Of(Int)), []int{1, 2}, `[1,2]`, ""},
		{"list any", ListOf(Of(Text)), List{"a", "b"}, `["a","b"]`, ""},
		{"list empty", ListOf(Of(Text)), []string{}, `[]`, ""},
		{"list nil slice", ListOf(Of(Text)), []string(nil), `[]`, ""},
		{"list null element", ListOf(Of(Text)), []any{"a", nil}, "", "element 1: is null"},
		{"list bad element", ListOf(Of(Int)), []int64{1, 1 << 40}, "", "element 1: value 1099511627776 overflows int"},
		{"list json text", ListOf(Of(Date)), `["2024-01-01"]`, `["2024-01-01"]`, ""},
		{"list not a slice", ListOf(Of(Int)), 5, "", "Go type int"},
		{"set", SetOf(Of(Blob)), [][]byte{{1}}, `[{"$binary":"AQ=="}]`, ""},
		{"map text", MapOf(Of(Text), Of(Int)), map[string]int{"b": 2, "a": 1}, `{"a":1,"b":2}`, ""},
		{"map int keys", MapOf(Of(Int), Of(Text)), map[int]string{10: "x", -1: "y", 2: "z"}, `[[-1,"y"],[2,"z"],[10,"x"]]`, ""},
		{"map empty int keys", MapOf(Of(Int), Of(Text)), map[int]string{}, `{}`, ""},
		{"map entries", MapOf(Of(UUID), Of(Boolean)), Map{{u4, true}}, `[["f47ac10b-58cc-4372-a567-0e02b2c3d479",true]]`, ""},
		{"map null value", MapOf(Of(Text), Of(Text)), map[string]any{"a": nil}, "", `value of key "a": is null`},
		{"map key overflow", MapOf(Of(TinyInt), Of(Text)), map[int]string{1000: "x"}, "", "key 0: value 1000 overflows tinyint"},
		{"map json text", MapOf(Of(Int), Of(Text)), `[[1,"a"]]`, `[[1,"a"]]`, ""},
		{"map json object int keys", MapOf(Of(Int), Of(Text)), `{"1":"a"}`, `[[1,"a"]]`, ""},
		{"udt", Type{Kind: UserDefined, UDTName: "addr", Fields: []Column{{"city", Of(Text)}, {"zip", Of(Int)}}}, UDT{{"city", "Paris"}, {"zip", 75001}}, `{"city":"Paris","zip":75001}`, ""},
		{"udt map", Type{Kind: UserDefined, UDTName: "addr", Fields: []Column{{"city", Of(Text)}, {"zip", Of(Int)}}}, map[string]any{"zip": 1, "city": "X"}, `{"city":"X","zip":1}`, ""},
		{"udt unknown field", Type{Kind: UserDefined, UDTName: "addr", Fields: []Column{{"city", Of(Text)}}}, UDT{{"nope", 1}}, "", "field nope: is not a field of addr"},
		{"udt untyped", Type{Kind: UserDefined, UDTName: "addr"}, UDT{{"a", 1.5}, {"b", []byte{1}}}, `{"a":1.5,"b":{"$binary":"AQ=="}}`, ""},
		{"unsupported", Type{Kind: Unsupported}, 1, "", "cannot be written"},
		{"counter", Of(Counter), 5, "5", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AppendValue([]byte("prefix:"), tc.t, tc.v)
			if tc.err != "" {
				if err == nil {
					t.Fatalf("AppendValue(%s, %#v) = %s, want error containing %q", tc.t, tc.v, got, tc.err)
				}
				var ve *ValueError
				if !errors.As(err, &ve) {
					t.Fatalf("error %T is not *ValueError: %v", err, err)
				}
				if !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %q does not contain %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("AppendValue(%s, %#v): %v", tc.t, tc.v, err)
			}
			if s := string(got); s != "prefix:"+tc.want {
				t.Fatalf("AppendValue(%s, %#v) = %s, want prefix:%s", tc.t, tc.v, s, tc.want)
			}
		})
	}
}

func TestAppendColumnValueError(t *testing.T) {
	_, err := AppendColumnValue(nil, Column{Name: "age", Type: Of(Int)}, int64(3000000000))
	if err == nil || err.Error() != `column "age" (int): value 3000000000 overflows int` {
		t.Fatalf("got %v", err)
	}
	long := strings.Repeat("secret", 100)
	_, err = AppendColumnValue(nil, Column{Name: "u", Type: Of(UUID)}, long)
	if err == nil || strings.Contains(err.Error(), long[:80]) || !strings.Contains(err.Error(), "(600 bytes)") {
		t.Fatalf("long value not cut: %v", err)
	}
	_, err = AppendColumnValue(nil, Column{Name: "l", Type: ListOf(MapOf(Of(Text), Of(Int)))}, []any{map[string]any{"k": "x"}})
	if err == nil || err.Error() != `column "l" (list<map<text, int>>): element 0: value of key "k": value "x" has Go type string, which a int column does not take` {
		t.Fatalf("nested error: %v", err)
	}
	// A failed append leaves dst as it was.
	dst := []byte("keep")
	out, err := AppendValue(dst, ListOf(Of(Int)), []any{1, "x"})
	if err == nil || string(out) != "keep" {
		t.Fatalf("dst after error = %q, %v", out, err)
	}
}

func TestAppendJSON(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{nil, "null"},
		{List{int64(1), "a", nil, math.Inf(-1)}, `[1,"a",null,"-Infinity"]`},
		{Map{{"a", int64(1)}}, `{"a":1}`},
		{Map{{int64(1), "a"}}, `[[1,"a"]]`},
		{UDT{{"x", Set{true}}}, `{"x":[true]}`},
		{Vector{1, 0.5}, `[1,0.5]`},
		{map[string]int{"b": 1, "a": 2}, `{"a":2,"b":1}`},
		{[]string{"x"}, `["x"]`},
		{time.Date(2020, 1, 2, 3, 4, 5, 6e6, time.UTC), `"2020-01-02T03:04:05.006Z"`},
		{NewTimeOfDay(1, 2, 3, 0), `"01:02:03"`},
		{Duration{Days: 1}, `"P1D"`},
		{big.NewInt(-5), `-5`},
	}
	for _, tc := range tests {
		got, err := AppendJSON(nil, tc.v)
		if err != nil || string(got) != tc.want {
			t.Errorf("AppendJSON(%#v) = %s, %v; want %s", tc.v, got, err, tc.want)
		}
	}
	if _, err := AppendJSON(nil, make(chan int)); err == nil {
		t.Error("AppendJSON(chan) succeeded")
	}
}
