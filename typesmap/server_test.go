package typesmap_test

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"math/big"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/typesmap"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// post sends one command with plain net/http and returns the response body.
func post(t *testing.T, url string, body []byte) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Token", "test-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(out, []byte(`"errors"`)) {
		t.Fatalf("POST %s %.300s: %d %s", url, body, resp.StatusCode, out)
	}
	return out
}

// TestServerRoundTrip writes edge values of every column type through the
// local Data API server and reads them back: encode, insert, find, decode.
func TestServerRoundTrip(t *testing.T) {
	srv := dataapitest.NewServer()
	defer srv.Close()
	ks := srv.URL + "/v1/default_keyspace"

	type value struct {
		in, want any // want nil: same as in
	}
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	bigList := make(typesmap.List, 1000)
	for i := range bigList {
		bigList[i] = int64(i)
	}
	vec := make(typesmap.Vector, 768)
	for i := range vec {
		vec[i] = float32(i)/768 - 0.5
	}
	huge, _ := new(big.Int).SetString("-"+strings.Repeat("9", 90), 10)
	cols := []struct {
		name   string
		t      typesmap.Type
		values []value
	}{
		{"t", typesmap.Of(typesmap.Text), []value{{"", nil}, {"é\"\\\n\u2028😀", nil}, {strings.Repeat("x", 10000), nil}}},
		{"a", typesmap.Of(typesmap.Ascii), []value{{"\x00\x7f plain", nil}}},
		{"b", typesmap.Of(typesmap.Boolean), []value{{true, nil}, {false, nil}}},
		{"ti", typesmap.Of(typesmap.TinyInt), []value{{int8(-128), int64(-128)}, {127, int64(127)}}},
		{"si", typesmap.Of(typesmap.SmallInt), []value{{int16(-32768), int64(-32768)}, {32767, int64(32767)}}},
		{"i", typesmap.Of(typesmap.Int), []value{{int32(math.MinInt32), int64(math.MinInt32)}, {math.MaxInt32, int64(math.MaxInt32)}}},
		{"bi", typesmap.Of(typesmap.BigInt), []value{{int64(math.MinInt64), nil}, {int64(math.MaxInt64), nil}}},
		{"vi", typesmap.Of(typesmap.Varint), []value{{huge, nil}, {0, big.NewInt(0)}}},
		{"de", typesmap.Of(typesmap.Decimal), []value{{"-123456789012345678901234567890.000000001", nil}, {big.NewRat(1, 8), "0.125"}, {"1E+3", "1000"}}},
		{"db", typesmap.Of(typesmap.Double), []value{{math.MaxFloat64, nil}, {math.SmallestNonzeroFloat64, nil}, {math.NaN(), nil}, {math.Inf(1), nil}, {math.Inf(-1), nil}, {0.1, nil},
			// -0: the local server keeps it; the real one reads numbers as BigDecimal, which has no -0.
			{math.Copysign(0, -1), nil}}},
		{"fl", typesmap.Of(typesmap.Float), []value{{float32(math.MaxFloat32), float64(float32(math.MaxFloat32))}, {float32(0.1), float64(float32(0.1))}, {math.NaN(), nil}}},
		{"ts", typesmap.Of(typesmap.Timestamp), []value{
			{time.Date(2024, 9, 24, 14, 6, 59, 123456789, time.UTC), time.Date(2024, 9, 24, 14, 6, 59, 123e6, time.UTC)},
			{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), nil}, {time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), nil}, {time.UnixMilli(-1).UTC(), nil}}},
		{"dt", typesmap.Of(typesmap.Date), []value{{d(0, 1, 1), nil}, {d(-1, 12, 31), nil}, {d(10000, 1, 1), nil}, {"+5881580-07-11", d(5881580, 7, 11)}, {"-5877641-06-23", d(-5877641, 6, 23)}}},
		{"tm", typesmap.Of(typesmap.Time), []value{{typesmap.MaxTimeOfDay, nil}, {typesmap.NewTimeOfDay(0, 0, 0, 1), nil}, {typesmap.TimeOfDay(0), nil}}},
		{"du", typesmap.Of(typesmap.KindDuration), []value{
			{typesmap.Duration{Months: 14, Days: 3, Nanoseconds: 1}, nil}, {-90 * time.Second, typesmap.Duration{Nanoseconds: -90e9}},
			{typesmap.Duration{Months: math.MaxInt32, Days: math.MaxInt32, Nanoseconds: math.MaxInt64}, nil}, {"P2W", typesmap.Duration{Days: 14}}}},
		{"u", typesmap.Of(typesmap.UUID), []value{{uuid.MustParse("f47ac10b-58cc-4372-a567-0e02b2c3d479"), nil}, {uuid.Nil, nil}}},
		{"ip", typesmap.Of(typesmap.Inet), []value{{netip.MustParseAddr("2001:db8::1"), nil}, {"::", netip.MustParseAddr("::")}, {netip.MustParseAddr("255.255.255.255"), nil}, {"::ffff:1.2.3.4", netip.MustParseAddr("1.2.3.4")}}},
		{"bl", typesmap.Of(typesmap.Blob), []value{{[]byte{0, 0xff, 0x10}, nil}, {bytes.Repeat([]byte{0xab}, 100000), nil}}},
		{"v", typesmap.VectorOf(768), []value{{vec, nil}, {[]float64(nil), nil}}},
		{"l", typesmap.ListOf(typesmap.Of(typesmap.BigInt)), []value{{bigList, nil}, {[]int{3, 1, 3}, typesmap.List{int64(3), int64(1), int64(3)}}}},
		{"s", typesmap.SetOf(typesmap.Of(typesmap.Text)), []value{{[]string{"b", "a", "b"}, typesmap.Set{"a", "b"}}}},
		{"mt", typesmap.MapOf(typesmap.Of(typesmap.Text), typesmap.Of(typesmap.Double)), []value{{map[string]float64{"x": math.Inf(-1), "a": 1}, typesmap.Map{{Key: "a", Value: 1.0}, {Key: "x", Value: math.Inf(-1)}}}}},
		{"mi", typesmap.MapOf(typesmap.Of(typesmap.Int), typesmap.Of(typesmap.Date)), []value{{map[int]time.Time{2: d(2000, 2, 29), -1: d(10000, 1, 1)}, typesmap.Map{{Key: int64(-1), Value: d(10000, 1, 1)}, {Key: int64(2), Value: d(2000, 2, 29)}}}}},
	}

	// Create the table: id int primary key plus one column per type.
	var def strings.Builder
	def.WriteString(`{"createTable":{"name":"rt","definition":{"columns":{"id":"int"`)
	for _, c := range cols {
		desc, err := c.t.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		def.WriteString(`,"` + c.name + `":` + string(desc))
	}
	def.WriteString(`},"primaryKey":"id"}}}`)
	post(t, ks, []byte(def.String()))

	rows := 0
	for _, c := range cols {
		rows = max(rows, len(c.values))
	}
	for r := 0; r < rows; r++ {
		doc := []byte(`{"insertOne":{"document":{"id":`)
		doc, _ = typesmap.AppendValue(doc, typesmap.Of(typesmap.Int), r)
		for _, c := range cols {
			if r >= len(c.values) {
				continue
			}
			doc = append(doc, `,"`+c.name+`":`...)
			var err error
			if doc, err = typesmap.AppendColumnValue(doc, typesmap.Column{Name: c.name, Type: c.t}, c.values[r].in); err != nil {
				t.Fatal(err)
			}
		}
		doc = append(doc, "}}}"...)
		post(t, ks+"/rt", doc)
	}

	for r := 0; r < rows; r++ {
		out := post(t, ks+"/rt", []byte(`{"findOne":{"filter":{"id":`+string(rune('0'+r))+`}}}`))
		var resp struct {
			Data struct {
				Document jsontext.Value `json:"document"`
			} `json:"data"`
			Status struct {
				ProjectionSchema json.RawMessage `json:"projectionSchema"`
			} `json:"status"`
		}
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		schema, err := typesmap.DecodeColumns(resp.Status.ProjectionSchema)
		if err != nil {
			t.Fatal(err)
		}
		dec := typesmap.NewRowDecoder(schema)
		dst := make([]any, len(schema))
		if err := dec.DecodeRow(jsontext.NewDecoder(bytes.NewReader(resp.Data.Document)), dst); err != nil {
			t.Fatalf("row %d: %v", r, err)
		}
		got := map[string]any{}
		for i, c := range schema {
			got[c.Name] = dst[i]
		}
		for _, c := range cols {
			want := any(nil)
			if r < len(c.values) {
				want = c.values[r].want
				if want == nil {
					want = c.values[r].in
				}
				if isEmpty(want) {
					want = nil // the server omits empty collections and nulls
				}
			}
			if !typesmap.Equal(got[c.name], want) {
				t.Errorf("row %d column %s (%s): got %.200v, want %.200v", r, c.name, c.t, got[c.name], want)
			}
		}
	}
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case []float64:
		return len(x) == 0
	}
	return false
}
