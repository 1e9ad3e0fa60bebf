package typesmap

import (
	"math"
	"math/big"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

// gen returns a random Go value for a column type and the value decoding
// must give back.
type gen func(r *rand.Rand) (in, want any)

func pick[T any](r *rand.Rand, edges []T, random func() T) T {
	if r.IntN(4) == 0 {
		return edges[r.IntN(len(edges))]
	}
	return random()
}

func randString(r *rand.Rand, ascii bool) string {
	runes := []rune{'a', 'Z', '0', ' ', '"', '\\', '\n', '\t', 0, 0x7f}
	if !ascii {
		runes = append(runes, 'é', '€', '😀', 0x2028, 0xfffd)
	}
	var b strings.Builder
	for n := r.IntN(20); n > 0; n-- {
		b.WriteRune(runes[r.IntN(len(runes))])
	}
	return b.String()
}

func intGen(min, max int64) gen {
	return func(r *rand.Rand) (any, any) {
		n := pick(r, []int64{min, max, 0, -1, 1}, func() int64 {
			return min + int64(r.Uint64N(uint64(max-min)))
		})
		return n, n
	}
}

func randBig(r *rand.Rand, digits int) *big.Int {
	var b strings.Builder
	if r.IntN(2) == 0 {
		b.WriteByte('-')
	}
	b.WriteByte(byte('1' + r.IntN(9)))
	for i := r.IntN(digits); i > 0; i-- {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	n, _ := new(big.Int).SetString(b.String(), 10)
	return n
}

var roundTripGens = map[string]struct {
	t Type
	g gen
}{
	"text":  {Of(Text), func(r *rand.Rand) (any, any) { s := randString(r, false); return s, s }},
	"ascii": {Of(Ascii), func(r *rand.Rand) (any, any) { s := randString(r, true); return s, s }},
	"boolean": {Of(Boolean), func(r *rand.Rand) (any, any) {
		b := r.IntN(2) == 0
		return b, b
	}},
	"tinyint":  {Of(TinyInt), intGen(math.MinInt8, math.MaxInt8)},
	"smallint": {Of(SmallInt), intGen(math.MinInt16, math.MaxInt16)},
	"int":      {Of(Int), intGen(math.MinInt32, math.MaxInt32)},
	"bigint":   {Of(BigInt), intGen(math.MinInt64, math.MaxInt64)},
	"varint": {Of(Varint), func(r *rand.Rand) (any, any) {
		n := randBig(r, 95)
		return n, n
	}},
	"decimal": {Of(Decimal), func(r *rand.Rand) (any, any) {
		// want is compared numerically, see equalRoundTrip.
		n := randBig(r, 40)
		s := n.String()
		if k := r.IntN(len(s) + 3); k < len(s) && s[k] != '-' {
			s = s[:k] + "." + s[k:]
			if s[0] == '.' || strings.HasPrefix(s, "-.") {
				s = strings.Replace(s, ".", "0.", 1)
			}
		}
		if r.IntN(3) == 0 {
			s += "E" + string(rune('+'+2*r.IntN(2))) + string(rune('0'+r.IntN(10)))
		}
		return s, s
	}},
	"double": {Of(Double), func(r *rand.Rand) (any, any) {
		f := pick(r, []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, -math.SmallestNonzeroFloat64, 0.1},
			func() float64 { return math.Float64frombits(r.Uint64()) })
		return f, f
	}},
	"float": {Of(Float), func(r *rand.Rand) (any, any) {
		f := pick(r, []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(-1)), math.MaxFloat32, math.SmallestNonzeroFloat32, 0.1},
			func() float32 { return math.Float32frombits(r.Uint32()) })
		return f, float64(f) // compared as float32, see equalRoundTrip
	}},
	"timestamp": {Of(Timestamp), func(r *rand.Rand) (any, any) {
		ms := pick(r, []int64{0, -1, 253402300800000, -62167219200001},
			func() int64 { return r.Int64N(2*400_000_000_000_000) - 400_000_000_000_000 })
		ts := time.UnixMilli(ms).In(time.FixedZone("z", r.IntN(50000)))
		return ts, time.UnixMilli(ms).UTC()
	}},
	"date": {Of(Date), func(r *rand.Rand) (any, any) {
		days := pick(r, []int64{0, -1, minDateDays, maxDateDays, -719528, 2932897},
			func() int64 { return r.Int64N(maxDateDays-minDateDays) + minDateDays })
		d := time.Unix(days*86400, 0).UTC()
		if r.IntN(2) == 0 {
			return FormatDate(d), d
		}
		return d, d
	}},
	"time": {Of(Time), func(r *rand.Rand) (any, any) {
		t := pick(r, []TimeOfDay{0, MaxTimeOfDay, 1, TimeOfDay(nsPerSecond)}, func() TimeOfDay { return TimeOfDay(r.Int64N(nsPerDay)) })
		return t, t
	}},
	"duration": {Of(KindDuration), func(r *rand.Rand) (any, any) {
		d := Duration{int32(r.Int32()), int32(r.Int32()), r.Int64()}
		if r.IntN(3) == 0 {
			d.Nanoseconds = r.Int64N(1e6) * 1e9
		}
		if r.IntN(2) == 0 {
			d = Duration{-d.Months, -d.Days, -d.Nanoseconds}
		}
		d = pick(r, []Duration{{}, {math.MinInt32, math.MinInt32, math.MinInt64}, {math.MaxInt32, math.MaxInt32, math.MaxInt64}, {Nanoseconds: 1}}, func() Duration { return d })
		return d, d
	}},
	"uuid": {Of(UUID), func(r *rand.Rand) (any, any) {
		var u uuid.UUID
		for i := range u {
			u[i] = byte(r.Uint32())
		}
		if r.IntN(2) == 0 {
			return u.String(), u
		}
		return u, u
	}},
	"inet": {Of(Inet), func(r *rand.Rand) (any, any) {
		var a netip.Addr
		switch r.IntN(3) {
		case 0:
			a = netip.AddrFrom4([4]byte{byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32())})
		case 1:
			var b [16]byte
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			a = netip.AddrFrom16(b)
		default:
			a = netip.AddrFrom16(netip.AddrFrom4([4]byte{10, 0, 0, byte(r.Uint32())}).As16()) // IPv4-mapped
		}
		return a, a
	}},
	"blob": {Of(Blob), func(r *rand.Rand) (any, any) {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b, b
	}},
	"vector": {VectorOf(5), func(r *rand.Rand) (any, any) {
		v := make(Vector, 5)
		for i := range v {
			v[i] = math.Float32frombits(r.Uint32())
		}
		return v, v
	}},
	"list<int>": {ListOf(Of(Int)), func(r *rand.Rand) (any, any) {
		in := make([]int32, r.IntN(5))
		want := List{}
		for i := range in {
			in[i] = r.Int32()
			want = append(want, int64(in[i]))
		}
		return in, want
	}},
	"set<text>": {SetOf(Of(Text)), func(r *rand.Rand) (any, any) {
		s := Set{randString(r, false), randString(r, false)}
		return s, s
	}},
	"map<text,double>": {MapOf(Of(Text), Of(Double)), func(r *rand.Rand) (any, any) {
		m := Map{{"a", r.Float64()}, {"b\"", math.Inf(-1)}}
		return m, m
	}},
	"map<timestamp,blob>": {MapOf(Of(Timestamp), Of(Blob)), func(r *rand.Rand) (any, any) {
		ts := time.UnixMilli(r.Int64N(1e13)).UTC()
		m := Map{{ts, []byte{byte(r.Uint32())}}}
		return m, m
	}},
	"udt": {Type{Kind: UserDefined, UDTName: "u", Fields: []Column{{"d", Of(Date)}, {"v", Of(Varint)}}}, func(r *rand.Rand) (any, any) {
		u := UDT{{"d", time.Unix(r.Int64N(1e6)*86400, 0).UTC()}, {"v", randBig(r, 30)}}
		return u, u
	}},
}

func equalRoundTrip(t Type, got, want any) bool {
	switch t.Kind {
	case Float:
		g, ok := got.(float64)
		w := float32(want.(float64))
		return ok && (math.Float32bits(float32(g)) == math.Float32bits(w) || w != w && g != g)
	case Decimal:
		gs, ok := got.(string)
		if !ok {
			return false
		}
		g, ok1 := new(big.Rat).SetString(gs)
		w, ok2 := new(big.Rat).SetString(want.(string))
		return ok1 && ok2 && g.Cmp(w) == 0
	}
	return Equal(got, want)
}

// TestRoundTrip encodes random values (edge values mixed in) and decodes
// the JSON back with the same column type.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for name, tg := range roundTripGens {
		t.Run(name, func(t *testing.T) {
			for i := 0; i < 500; i++ {
				in, want := tg.g(r)
				enc, err := AppendValue(nil, tg.t, in)
				if err != nil {
					t.Fatalf("AppendValue(%s, %#v): %v", tg.t, in, err)
				}
				got, err := DecodeValue(jsontext.NewDecoder(strings.NewReader(string(enc))), tg.t)
				if err != nil {
					t.Fatalf("decode %s (from %#v): %v", enc, in, err)
				}
				if !equalRoundTrip(tg.t, got, want) {
					t.Fatalf("%#v -> %s -> %#v, want %#v", in, enc, got, want)
				}
			}
		})
	}
}

// TestRoundTripHugeCollections checks big lists and maps end to end.
func TestRoundTripHugeCollections(t *testing.T) {
	l := make(List, 10000)
	m := make(Map, 2000)
	for i := range l {
		l[i] = int64(i)
	}
	for i := range m {
		m[i] = MapEntry{int64(i), strings.Repeat("x", i%7)}
	}
	for _, tc := range []struct {
		t Type
		v any
	}{{ListOf(Of(BigInt)), l}, {MapOf(Of(BigInt), Of(Text)), m}, {VectorOf(4096), make(Vector, 4096)}} {
		enc, err := AppendValue(nil, tc.t, tc.v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeValue(jsontext.NewDecoder(strings.NewReader(string(enc))), tc.t)
		if err != nil || !Equal(got, tc.v) {
			t.Fatalf("%s: round trip failed: %v", tc.t, err)
		}
	}
}
