package typesmap_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/astrasql/astrasql/typesmap"
	"github.com/go-json-experiment/json/jsontext"
)

func ExampleParseDuration() {
	for _, s := range []string{"1h30m", "P1Y2M3DT4H", "P2W", "-500ms", "1w2d"} {
		d, err := typesmap.ParseDuration(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-11s months=%d days=%d ns=%d  %v\n", s, d.Months, d.Days, d.Nanoseconds, d)
	}
	// Output:
	// 1h30m       months=0 days=0 ns=5400000000000  PT1H30M
	// P1Y2M3DT4H  months=14 days=3 ns=14400000000000  P1Y2M3DT4H
	// P2W         months=0 days=14 ns=0  P14D
	// -500ms      months=0 days=0 ns=-500000000  -PT0.5S
	// 1w2d        months=0 days=9 ns=0  P9D
}

func ExampleTimeOfDay() {
	t, _ := typesmap.ParseTimeOfDay("12:45:01.005")
	fmt.Println(t, typesmap.NewTimeOfDay(7, 30, 0, 0), t.Duration())
	// Output: 12:45:01.005 07:30 12h45m1.005s
}

func ExampleFormatDate() {
	for _, y := range []int{2024, 0, -1, 10000} {
		fmt.Println(typesmap.FormatDate(time.Date(y, 1, 2, 0, 0, 0, 0, time.UTC)))
	}
	d, _ := typesmap.ParseDate("+10000-01-02")
	fmt.Println(d.Year())
	// Output:
	// 2024-01-02
	// 0000-01-02
	// -0001-01-02
	// +10000-01-02
	// 10000
}

func ExampleVector() {
	v := typesmap.Vector{0.25, -1, 3.5}
	fmt.Println(v)
	fmt.Println(make(typesmap.Vector, 768).Short(4))
	b, _ := typesmap.AppendValue(nil, typesmap.VectorOf(3), v)
	fmt.Println(string(b))
	// Output:
	// [0.25, -1, 3.5]
	// [0, 0, 0, 0, ... (768 values)]
	// {"$binary":"PoAAAL+AAABAYAAA"}
}

func ExampleMap() {
	m := typesmap.Map{{Key: int64(1), Value: "one"}, {Key: int64(2), Value: "two"}}
	fmt.Println(m)
	v, ok := m.Get(int64(2))
	fmt.Println(v, ok)
	// Maps with non-text keys go on the wire as [key, value] pairs.
	b, _ := typesmap.AppendValue(nil, typesmap.MapOf(typesmap.Of(typesmap.Int), typesmap.Of(typesmap.Text)), m)
	fmt.Println(string(b))
	// Output:
	// {1: 'one', 2: 'two'}
	// two true
	// [[1,"one"],[2,"two"]]
}

func ExampleAppendColumnValue() {
	cols := []typesmap.Column{
		{Name: "id", Type: typesmap.Of(typesmap.Int)},
		{Name: "tags", Type: typesmap.SetOf(typesmap.Of(typesmap.Text))},
		{Name: "at", Type: typesmap.Of(typesmap.Timestamp)},
	}
	vals := []any{42, []string{"a", "b"}, time.Date(2024, 9, 24, 14, 6, 59, 0, time.UTC)}
	doc := []byte{'{'}
	for i, c := range cols {
		if i > 0 {
			doc = append(doc, ',')
		}
		doc, _ = jsontext.AppendQuote(doc, c.Name)
		doc = append(doc, ':')
		var err error
		if doc, err = typesmap.AppendColumnValue(doc, c, vals[i]); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println(string(append(doc, '}')))

	_, err := typesmap.AppendColumnValue(nil, typesmap.Column{Name: "age", Type: typesmap.Of(typesmap.Int)}, int64(3000000000))
	fmt.Println(err)
	// Output:
	// {"id":42,"tags":["a","b"],"at":"2024-09-24T14:06:59.000Z"}
	// column "age" (int): value 3000000000 overflows int
}

func ExampleRowDecoder() {
	cols := []typesmap.Column{
		{Name: "id", Type: typesmap.Of(typesmap.Int)},
		{Name: "score", Type: typesmap.Of(typesmap.Double)},
		{Name: "born", Type: typesmap.Of(typesmap.Date)},
	}
	page := `[{"id":1,"score":"NaN","born":"+10000-01-01"},{"id":2,"score":-0.0}]`
	dec := jsontext.NewDecoder(strings.NewReader(page), jsontext.AllowDuplicateNames(true))
	dec.ReadToken() // [
	rd := typesmap.NewRowDecoder(cols)
	row := make([]any, len(cols))
	for dec.PeekKind() != ']' {
		if err := rd.DecodeRow(dec, row); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%v %v %v\n", row[0], row[1], row[2])
	}
	// Output:
	// 1 NaN 10000-01-01 00:00:00 +0000 UTC
	// 2 -0 <nil>
}
