package typesmap

import (
	"testing"
)

// FuzzScanners feeds arbitrary strings and bytes to every sql.Scanner of
// the package (as database/sql passes a driver's string or []byte values)
// and to VectorFromBytes: no panic, and what is accepted renders.
func FuzzScanners(f *testing.F) {
	for _, s := range []string{
		`[0.1, -2, "NaN"]`, `[1,2,3]`, `["a","b"]`, `[["k",1],["j",2]]`, `{"a":1,"b":[1]}`, `{"$binary":"AAEC/w=="}`,
		`P1Y2M3DT4H5M6.5S`, `-1h30m`, `12:45:01.005`, `23:59:59.999999999`, `null`, `[`, `{"a":`, "\x00\x00\x80\x7f",
		`[[1,[2,[3]]]]`, `1e999999`, `[1e39]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, src := range []any{s, []byte(s)} {
			var v Vector
			if v.Scan(src) == nil {
				_ = v.String()
				if _, err := v.Value(); err != nil {
					t.Fatalf("Vector %v: Value: %v", v, err)
				}
			}
			var l List
			if l.Scan(src) == nil {
				_ = l.String()
			}
			var st Set
			if st.Scan(src) == nil {
				_ = st.String()
			}
			var m Map
			if m.Scan(src) == nil {
				_ = m.String()
			}
			var u UDT
			if u.Scan(src) == nil {
				_ = u.String()
			}
			var d Duration
			if d.Scan(src) == nil {
				_ = d.String()
				if _, err := d.Value(); err != nil {
					t.Fatalf("Duration %v: Value: %v", d, err)
				}
			}
			var tod TimeOfDay
			if tod.Scan(src) == nil {
				_ = tod.String()
			}
		}
		if v, err := VectorFromBytes([]byte(s)); err == nil {
			back := v.Bytes()
			if string(back) != s {
				t.Fatalf("VectorFromBytes(%x).Bytes() = %x", s, back)
			}
		}
	})
}
