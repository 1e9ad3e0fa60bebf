package typesmap

import (
	"database/sql"
	"database/sql/driver"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"
)

// Compile-time checks that the value types plug into database/sql.
var (
	_ sql.Scanner   = (*Vector)(nil)
	_ sql.Scanner   = (*Duration)(nil)
	_ sql.Scanner   = (*TimeOfDay)(nil)
	_ sql.Scanner   = (*List)(nil)
	_ sql.Scanner   = (*Set)(nil)
	_ sql.Scanner   = (*Map)(nil)
	_ sql.Scanner   = (*UDT)(nil)
	_ driver.Valuer = Vector(nil)
	_ driver.Valuer = Duration{}
	_ driver.Valuer = TimeOfDay(0)
	_ driver.Valuer = List(nil)
	_ driver.Valuer = Set(nil)
	_ driver.Valuer = Map(nil)
	_ driver.Valuer = UDT(nil)
)

func TestParseDuration(t *testing.T) {
	h, m, s := nsPerHour, nsPerMinute, nsPerSecond
	tests := []struct {
		in   string
		want Duration
		iso  string // String() of the result
		err  bool
	}{
		{in: "PT0S", want: Duration{}, iso: "PT0S"},
		{in: "P1Y2M3DT4H5M6S", want: Duration{14, 3, 4*h + 5*m + 6*s}, iso: "P1Y2M3DT4H5M6S"},
		{in: "P2W", want: Duration{Days: 14}, iso: "P14D"},
		{in: "-P1D", want: Duration{Days: -1}, iso: "-P1D"},
		{in: "PT0.5S", want: Duration{Nanoseconds: s / 2}, iso: "PT0.5S"},
		{in: "PT1.000000001S", want: Duration{Nanoseconds: s + 1}, iso: "PT1.000000001S"},
		{in: "PT1.0000000019S", want: Duration{Nanoseconds: s + 1}, iso: "PT1.000000001S"},
		{in: "P0001-02-03T04:05:06", want: Duration{14, 3, 4*h + 5*m + 6*s}, iso: "P1Y2M3DT4H5M6S"},
		{in: "PT25H", want: Duration{Nanoseconds: 25 * h}, iso: "PT25H"},
		{in: "P12M", want: Duration{Months: 12}, iso: "P1Y"},
		{in: "1h30m", want: Duration{Nanoseconds: 90 * m}, iso: "PT1H30M"},
		{in: "1w2d", want: Duration{Days: 9}, iso: "P9D"},
		{in: "500ms", want: Duration{Nanoseconds: 500e6}, iso: "PT0.5S"},
		{in: "30us", want: Duration{Nanoseconds: 30e3}, iso: "PT0.00003S"},
		{in: "30µs", want: Duration{Nanoseconds: 30e3}, iso: "PT0.00003S"},
		{in: "10ns", want: Duration{Nanoseconds: 10}, iso: "PT0.00000001S"},
		{in: "-1y2mo", want: Duration{Months: -14}, iso: "-P1Y2M"},
		{in: "1Y2MO3D", want: Duration{14, 3, 0}, iso: "P1Y2M3D"},
		{in: "-2147483648mo", want: Duration{Months: math.MinInt32}, iso: "-P178956970Y8M"},
		{in: "2147483647d", want: Duration{Days: math.MaxInt32}, iso: "P2147483647D"},
		{in: "9223372036854775807ns", want: Duration{Nanoseconds: math.MaxInt64}, iso: "PT2562047H47M16.854775807S"},
		{in: "-9223372036854775808ns", want: Duration{Nanoseconds: math.MinInt64}, iso: "-PT2562047H47M16.854775808S"},
		{in: "2147483648mo", err: true},
		{in: "9223372036854775808ns", err: true},
		{in: "99999999999999999999h", err: true},
		{in: "", err: true},
		{in: "-", err: true},
		{in: "P", err: true},
		{in: "PT", err: true},
		{in: "P1DT", err: true},
		{in: "P1H", err: true},
		{in: "PT1D", err: true},
		{in: "P1D1Y", err: true},
		{in: "P1.5D", err: true},
		{in: "1m1h", err: true},
		{in: "1x", err: true},
		{in: "h", err: true},
		{in: "1", err: true},
		{in: "P0001-13-03T04:05:06", err: true},
	}
	for _, tc := range tests {
		got, err := ParseDuration(tc.in)
		if tc.err {
			if err == nil {
				t.Errorf("ParseDuration(%q) = %+v, want error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseDuration(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			continue
		}
		if s := got.String(); s != tc.iso {
			t.Errorf("ParseDuration(%q).String() = %q, want %q", tc.in, s, tc.iso)
		}
		// Both printed forms parse back.
		for _, form := range []string{got.String(), string(got.AppendCQL(nil))} {
			if back, err := ParseDuration(form); err != nil || back != got {
				t.Errorf("ParseDuration(%q) = %+v, %v; want %+v", form, back, err, got)
			}
		}
	}
}

func TestTimeOfDay(t *testing.T) {
	tests := []struct {
		in   string
		want TimeOfDay
		out  string
		err  bool
	}{
		{in: "00:00", want: 0, out: "00:00"},
		{in: "00:00:00", want: 0, out: "00:00"},
		{in: "12:45:01", want: NewTimeOfDay(12, 45, 1, 0), out: "12:45:01"},
		{in: "12:45:00.5", want: NewTimeOfDay(12, 45, 0, 5e8), out: "12:45:00.500"},
		{in: "12:45:01.005", want: NewTimeOfDay(12, 45, 1, 5e6), out: "12:45:01.005"},
		{in: "12:45:01.0051", want: NewTimeOfDay(12, 45, 1, 5100000), out: "12:45:01.005100"},
		{in: "12:45:01.000000001", want: NewTimeOfDay(12, 45, 1, 1), out: "12:45:01.000000001"},
		{in: "23:59:59.999999999", want: MaxTimeOfDay, out: "23:59:59.999999999"},
		{in: "24:00", err: true},
		{in: "12:60", err: true},
		{in: "12:00:60", err: true},
		{in: "12:00:00.", err: true},
		{in: "12:00:00.1234567890", err: true},
		{in: "1:00", err: true},
		{in: "12:00:0", err: true},
		{in: "12-00", err: true},
		{in: "", err: true},
	}
	for _, tc := range tests {
		got, err := ParseTimeOfDay(tc.in)
		if tc.err {
			if err == nil {
				t.Errorf("ParseTimeOfDay(%q) = %v, want error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want || got.String() != tc.out {
			t.Errorf("ParseTimeOfDay(%q) = %d (%v), %v; want %d (%s)", tc.in, got, got, err, tc.want, tc.out)
		}
	}
	if s := TimeOfDay(-1).String(); s != "TimeOfDay(-1)" {
		t.Errorf("invalid String = %q", s)
	}
	if _, err := TimeOfDay(nsPerDay).Value(); err == nil {
		t.Error("Value of 24h succeeded")
	}
}

func TestDates(t *testing.T) {
	tests := []struct {
		t time.Time
		s string
	}{
		{time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC), "2024-05-06"},
		{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "0000-01-01"},
		{time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC), "-0001-12-31"},
		{time.Date(-12345, 2, 3, 0, 0, 0, 0, time.UTC), "-12345-02-03"},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), "9999-12-31"},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "+10000-01-01"},
		{time.Date(5881580, 7, 11, 0, 0, 0, 0, time.UTC), "+5881580-07-11"},
		{time.Date(99, 1, 1, 0, 0, 0, 0, time.UTC), "0099-01-01"},
	}
	for _, tc := range tests {
		if s := FormatDate(tc.t); s != tc.s {
			t.Errorf("FormatDate(%v) = %q, want %q", tc.t, s, tc.s)
		}
		if d, err := ParseDate(tc.s); err != nil || !d.Equal(tc.t) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tc.s, d, err, tc.t)
		}
	}
	for _, bad := range []string{"2024-1-01", "24-01-01", "2024-00-01", "2024-13-01", "1900-02-29", "2024-04-31", "2024-01-01x", "", "+-2024-01-01", "99999999999-01-01"} {
		if d, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) = %v, want error", bad, d)
		}
	}
	if d, err := ParseDate("2000-02-29"); err != nil || d.Day() != 29 {
		t.Errorf("leap day 2000: %v %v", d, err)
	}
	ts := time.Date(-1, 1, 1, 1, 2, 3, 4e6, time.UTC)
	if s := FormatTimestamp(ts); s != "-0001-01-01T01:02:03.004Z" {
		t.Errorf("FormatTimestamp = %q", s)
	}
	if back, err := ParseTimestamp(FormatTimestamp(ts)); err != nil || !back.Equal(ts) {
		t.Errorf("ParseTimestamp round trip = %v, %v", back, err)
	}
	for _, bad := range []string{"2024-01-01T00:00Z", "2024-01-01T00:00:00", "2024-01-01T00:00:00+0100", "2024-01-01T00:00:00.Z", "2024-01-01T25:00:00Z"} {
		if v, err := ParseTimestamp(bad); err == nil {
			t.Errorf("ParseTimestamp(%q) = %v, want error", bad, v)
		}
	}
}

func TestVectorString(t *testing.T) {
	v := Vector{0.1, -2, 3.5e10, float32(math.NaN())}
	if s := v.String(); s != "[0.1, -2, 3.5e+10, NaN]" {
		t.Errorf("String = %q", s)
	}
	long := make(Vector, 768)
	if s := long.Short(3); s != "[0, 0, 0, ... (768 values)]" {
		t.Errorf("Short = %q", s)
	}
	if s := v.Short(10); s != v.String() {
		t.Errorf("Short of a short vector = %q", s)
	}
}

func TestLiterals(t *testing.T) {
	tests := []struct {
		v    interface{ String() string }
		want string
	}{
		{List{int64(1), "it's", nil}, `[1, 'it''s', null]`},
		{Set{[]byte{0xca, 0xfe}, true}, `{0xcafe, true}`},
		{Map{{"a", 1.5}, {"b", math.Inf(1)}}, `{'a': 1.5, 'b': Infinity}`},
		{UDT{{"city", "Paris"}, {"zip", big.NewInt(75001)}}, `{city: 'Paris', zip: 75001}`},
		{List{NewTimeOfDay(1, 2, 0, 0), Duration{Days: 1}}, `['01:02', 'P1D']`},
	}
	for _, tc := range tests {
		if s := tc.v.String(); s != tc.want {
			t.Errorf("String() = %q, want %q", s, tc.want)
		}
	}
}

// TestValuerScanner checks that each value type's driver.Valuer form is
// accepted back by its Scanner and by AppendValue for its column type.
func TestValuerScanner(t *testing.T) {
	udtType := Type{Kind: UserDefined, UDTName: "u", Fields: []Column{{"a", Of(Int)}, {"b", Of(Text)}}}
	tests := []struct {
		t    Type
		v    driver.Valuer
		scan func(src any) (any, error)
	}{
		{VectorOf(3), Vector{1, 2.5, -3}, func(src any) (any, error) { var v Vector; err := v.Scan(src); return v, err }},
		{Of(KindDuration), Duration{1, 2, 3}, func(src any) (any, error) { var v Duration; err := v.Scan(src); return v, err }},
		{Of(KindDuration), Duration{-1, -2, -3e9}, func(src any) (any, error) { var v Duration; err := v.Scan(src); return v, err }},
		{Of(Time), NewTimeOfDay(1, 2, 3, 4), func(src any) (any, error) { var v TimeOfDay; err := v.Scan(src); return v, err }},
		{ListOf(Of(Int)), List{int64(1), int64(2)}, func(src any) (any, error) { var v List; err := v.Scan(src); return v, err }},
		{SetOf(Of(Text)), Set{"a"}, func(src any) (any, error) { var v Set; err := v.Scan(src); return v, err }},
		{MapOf(Of(Text), Of(Int)), Map{{"a", int64(1)}}, func(src any) (any, error) { var v Map; err := v.Scan(src); return v, err }},
		{MapOf(Of(Int), Of(Text)), Map{{int64(1), "a"}}, func(src any) (any, error) { var v Map; err := v.Scan(src); return v, err }},
		{udtType, UDT{{"a", int64(1)}, {"b", "x"}}, func(src any) (any, error) { var v UDT; err := v.Scan(src); return v, err }},
	}
	for _, tc := range tests {
		dv, err := tc.v.Value()
		if err != nil {
			t.Fatalf("%T.Value: %v", tc.v, err)
		}
		if !driver.IsValue(dv) {
			t.Fatalf("%T.Value() = %T, not a driver.Value", tc.v, dv)
		}
		got, err := tc.scan(dv)
		if err != nil || !Equal(got, tc.v) {
			t.Errorf("%T: Scan(Value()) = %#v, %v; want %#v", tc.v, got, err, tc.v)
		}
		got, err = tc.scan(tc.v)
		if err != nil || !Equal(got, tc.v) {
			t.Errorf("%T: Scan(itself) = %#v, %v", tc.v, got, err)
		}
		want, err := AppendValue(nil, tc.t, tc.v)
		if err != nil {
			t.Fatalf("AppendValue(%s, %#v): %v", tc.t, tc.v, err)
		}
		viaValuer, err := AppendValue(nil, tc.t, dv)
		if err != nil || string(viaValuer) != string(want) {
			t.Errorf("AppendValue(%s, Value()=%#v) = %s, %v; want %s", tc.t, dv, viaValuer, err, want)
		}
		if _, err := tc.scan(struct{}{}); err == nil {
			t.Errorf("%T.Scan(struct{}) succeeded", tc.v)
		}
	}
	var d Duration
	if err := d.Scan(90 * time.Second); err != nil || d != (Duration{Nanoseconds: 90e9}) {
		t.Errorf("Duration.Scan(time.Duration) = %v, %v", d, err)
	}
	if err := d.Scan(nil); err == nil || !strings.Contains(err.Error(), "NULL") {
		t.Errorf("Duration.Scan(nil) = %v", err)
	}
	var v Vector
	if err := v.Scan("[1, 2]"); err != nil || !Equal(v, Vector{1, 2}) {
		t.Errorf("Vector.Scan(json) = %v, %v", v, err)
	}
	if err := v.Scan([]byte{1, 2, 3}); err == nil {
		t.Error("Vector.Scan(3 bytes) succeeded")
	}
}

func TestEqual(t *testing.T) {
	if !Equal(math.NaN(), math.NaN()) || Equal(0.0, math.Copysign(0, -1)) {
		t.Error("float equality")
	}
	if !Equal(List{[]byte{1}}, List{[]byte{1}}) || Equal(List{1}, Set{1}) {
		t.Error("collection equality")
	}
	if Equal([]int{1}, []int{1}) {
		t.Error("uncomparable values should not be Equal (and not panic)")
	}
}

// Issue 12 item 14: the timestamp forms CQL documents, zone defaulting to UTC.
func TestParseTimestampCQL(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ms int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ms*1e6, time.UTC)
	}
	for in, want := range map[string]time.Time{
		"2024-06-01":                  utc(2024, 6, 1, 0, 0, 0, 0),
		"2023-01-15 08:30:00":         utc(2023, 1, 15, 8, 30, 0, 0),
		"2023-01-15 08:30":            utc(2023, 1, 15, 8, 30, 0, 0),
		"2023-01-15T08:30":            utc(2023, 1, 15, 8, 30, 0, 0),
		"2023-01-15T08:30:00":         utc(2023, 1, 15, 8, 30, 0, 0),
		"2023-01-15 08:30:00.250":     utc(2023, 1, 15, 8, 30, 0, 250),
		"2023-01-15 08:30:00+0200":    utc(2023, 1, 15, 6, 30, 0, 0),
		"2023-01-15T08:30:00.5-01:00": utc(2023, 1, 15, 9, 30, 0, 500),
		"2023-01-15 08:30+02":         utc(2023, 1, 15, 6, 30, 0, 0),
		"2024-06-01+0000":             utc(2024, 6, 1, 0, 0, 0, 0),
		"2024-06-01T00:00:00.000Z":    utc(2024, 6, 1, 0, 0, 0, 0),
		"-0001-01-01T01:02:03.004Z":   time.Date(-1, 1, 1, 1, 2, 3, 4e6, time.UTC),
	} {
		got, err := ParseTimestampCQL(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTimestampCQL(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"2024-06", "2024-06-01 25:00", "June 1 2024", "2024-06-01T", ""} {
		if v, err := ParseTimestampCQL(bad); err == nil {
			t.Errorf("ParseTimestampCQL(%q) = %v, want error", bad, v)
		}
	}
}
