package typesmap

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Duration is the value of a duration column: a CQL duration, made of
// months, days and nanoseconds that are kept apart because a month and a
// day have no fixed length. All three have the same sign.
type Duration struct {
	Months      int32
	Days        int32
	Nanoseconds int64
}

const (
	nsPerSecond = int64(time.Second)
	nsPerMinute = int64(time.Minute)
	nsPerHour   = int64(time.Hour)
	nsPerDay    = 24 * nsPerHour
)

// DurationOf returns the Duration of a Go time.Duration (nanoseconds only).
func DurationOf(d time.Duration) Duration { return Duration{Nanoseconds: int64(d)} }

// IsZero reports whether d is the zero duration.
func (d Duration) IsZero() bool { return d == Duration{} }

// Negative reports whether d is below zero.
func (d Duration) Negative() bool { return d.Months < 0 || d.Days < 0 || d.Nanoseconds < 0 }

func (d Duration) validSigns() bool {
	if d.Negative() {
		return d.Months <= 0 && d.Days <= 0 && d.Nanoseconds <= 0
	}
	return true
}

// String renders d in ISO 8601 as the server prints it:
// P[nY][nM][nD][T[nH][nM][n[.f]S]], "PT0S" for zero, "-P..." when negative.
func (d Duration) String() string { return string(d.AppendISO(nil)) }

// AppendISO appends the ISO 8601 form of d (see String) to dst.
func (d Duration) AppendISO(dst []byte) []byte {
	if d.IsZero() {
		return append(dst, "PT0S"...)
	}
	neg := d.Negative()
	months, days := absU64(int64(d.Months)), absU64(int64(d.Days))
	ns := absU64(d.Nanoseconds)
	if neg {
		dst = append(dst, '-')
	}
	dst = append(dst, 'P')
	if y := months / 12; y > 0 {
		dst = strconv.AppendUint(dst, y, 10)
		dst = append(dst, 'Y')
	}
	if m := months % 12; m > 0 {
		dst = strconv.AppendUint(dst, m, 10)
		dst = append(dst, 'M')
	}
	if days > 0 {
		dst = strconv.AppendUint(dst, days, 10)
		dst = append(dst, 'D')
	}
	if ns == 0 {
		return dst
	}
	dst = append(dst, 'T')
	if h := ns / uint64(nsPerHour); h > 0 {
		dst = strconv.AppendUint(dst, h, 10)
		dst = append(dst, 'H')
		ns -= h * uint64(nsPerHour)
	}
	if m := ns / uint64(nsPerMinute); m > 0 {
		dst = strconv.AppendUint(dst, m, 10)
		dst = append(dst, 'M')
		ns -= m * uint64(nsPerMinute)
	}
	if ns > 0 {
		s := ns / uint64(nsPerSecond)
		dst = strconv.AppendUint(dst, s, 10)
		if f := ns - s*uint64(nsPerSecond); f > 0 {
			dst = appendFraction(dst, f, false)
		}
		dst = append(dst, 'S')
	}
	return dst
}

// appendFraction appends '.' and the 9-digit fraction f (nanoseconds),
// with trailing zeros removed, or in groups of 3 digits when groups is set
// (as Java's LocalTime prints).
func appendFraction(dst []byte, f uint64, groups bool) []byte {
	var buf [9]byte
	for i := 8; i >= 0; i-- {
		buf[i] = byte('0' + f%10)
		f /= 10
	}
	n := 9
	if groups {
		switch {
		case buf[3] == '0' && buf[4] == '0' && buf[5] == '0' && buf[6] == '0' && buf[7] == '0' && buf[8] == '0':
			n = 3
		case buf[6] == '0' && buf[7] == '0' && buf[8] == '0':
			n = 6
		}
	} else {
		for n > 1 && buf[n-1] == '0' {
			n--
		}
	}
	dst = append(dst, '.')
	return append(dst, buf[:n]...)
}

// AppendCQL appends the compact CQL form of d: "1y2mo3d4h5m6s7ms8us9ns"
// (units that are zero left out, "0s" for zero, a leading '-' when negative).
// The server parses this form, including sub-second units that its ISO
// 8601 parser does not take.
func (d Duration) AppendCQL(dst []byte) []byte {
	if d.IsZero() {
		return append(dst, "0s"...)
	}
	if d.Negative() {
		dst = append(dst, '-')
	}
	months, days, ns := absU64(int64(d.Months)), absU64(int64(d.Days)), absU64(d.Nanoseconds)
	unit := func(n uint64, u string) {
		if n > 0 {
			dst = strconv.AppendUint(dst, n, 10)
			dst = append(dst, u...)
		}
	}
	unit(months/12, "y")
	unit(months%12, "mo")
	unit(days, "d")
	for _, u := range []struct {
		size uint64
		name string
	}{{uint64(nsPerHour), "h"}, {uint64(nsPerMinute), "m"}, {uint64(nsPerSecond), "s"}, {1e6, "ms"}, {1e3, "us"}, {1, "ns"}} {
		unit(ns/u.size, u.name)
		ns %= u.size
	}
	return dst
}

// appendWire appends the form sent to the server: ISO 8601 unless the
// seconds have a fraction, which only the compact CQL form can carry.
func (d Duration) appendWire(dst []byte) []byte {
	if d.Nanoseconds%nsPerSecond != 0 {
		return d.AppendCQL(dst)
	}
	return d.AppendISO(dst)
}

func absU64(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

// ParseDuration parses a duration in ISO 8601 form ("P1Y2M3DT4H5M6.5S",
// "P2W", "P0001-02-03T04:05:06", with an optional leading '-') or in the
// compact CQL form ("1h30m", "1w2d", "-500ms", "30us", "10ns"; units y, mo,
// w, d, h, m, s, ms, us or µs, ns).
func ParseDuration(s string) (Duration, error) {
	d, err := parseDuration(s)
	if err != nil {
		return Duration{}, fmt.Errorf("typesmap: bad duration %s: %w", quoteShort(s), err)
	}
	return d, nil
}

var (
	errDurationOverflow = errors.New("out of range")
	errDurationSyntax   = errors.New("not an ISO 8601 or CQL duration")
)

// durationAcc accumulates unsigned parts with overflow checks.
type durationAcc struct {
	months, days, ns uint64
	bad              bool
}

func (a *durationAcc) add(field *uint64, n, mul uint64) {
	if mul != 0 && n > math.MaxUint64/mul {
		a.bad = true
		return
	}
	v := n * mul
	if *field+v < *field {
		a.bad = true
		return
	}
	*field += v
}

func (a *durationAcc) result(neg bool) (Duration, error) {
	if a.bad || a.months > math.MaxInt32+1 || a.days > math.MaxInt32+1 || a.ns > math.MaxInt64+1 {
		return Duration{}, errDurationOverflow
	}
	if !neg && (a.months > math.MaxInt32 || a.days > math.MaxInt32 || a.ns > math.MaxInt64) {
		return Duration{}, errDurationOverflow
	}
	if neg {
		return Duration{Months: int32(-int64(a.months)), Days: int32(-int64(a.days)), Nanoseconds: int64(-a.ns)}, nil
	}
	return Duration{Months: int32(a.months), Days: int32(a.days), Nanoseconds: int64(a.ns)}, nil
}

func parseDuration(s string) (Duration, error) {
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return Duration{}, errDurationSyntax
	}
	if s[0] == 'P' || s[0] == 'p' {
		return parseISODuration(s[1:], neg)
	}
	return parseCQLDuration(s, neg)
}

// digits reads a run of decimal digits at the start of s.
func digits(s string) (n uint64, rest string, ok bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if n > (math.MaxUint64-9)/10 {
			return 0, s, false
		}
		n = n*10 + uint64(s[i]-'0')
		i++
	}
	return n, s[i:], i > 0
}

func parseISODuration(s string, neg bool) (Duration, error) {
	var a durationAcc
	if len(s) >= 10 && s[4] == '-' {
		return parseISOAlternative(s, neg)
	}
	if s == "" {
		return Duration{}, errDurationSyntax
	}
	inTime := false
	order := 0 // position of the last designator, to enforce Y M W D T H M S order
	for s != "" {
		if s[0] == 'T' || s[0] == 't' {
			if inTime || len(s) == 1 {
				return Duration{}, errDurationSyntax
			}
			inTime = true
			s = s[1:]
			continue
		}
		n, rest, ok := digits(s)
		if !ok {
			return Duration{}, errDurationSyntax
		}
		var frac uint64
		fracDigits := 0
		if rest != "" && (rest[0] == '.' || rest[0] == ',') {
			rest = rest[1:]
			for rest != "" && rest[0] >= '0' && rest[0] <= '9' {
				if fracDigits < 9 {
					frac = frac*10 + uint64(rest[0]-'0')
					fracDigits++
				}
				rest = rest[1:]
			}
			if fracDigits == 0 {
				return Duration{}, errDurationSyntax
			}
			for i := fracDigits; i < 9; i++ {
				frac *= 10
			}
		}
		if rest == "" {
			return Duration{}, errDurationSyntax
		}
		unit := rest[0] | 0x20 // lower case
		s = rest[1:]
		var pos int
		switch {
		case !inTime && unit == 'y':
			pos = 1
			a.add(&a.months, n, 12)
		case !inTime && unit == 'm':
			pos = 2
			a.add(&a.months, n, 1)
		case !inTime && unit == 'w':
			pos = 3
			a.add(&a.days, n, 7)
		case !inTime && unit == 'd':
			pos = 4
			a.add(&a.days, n, 1)
		case inTime && unit == 'h':
			pos = 5
			a.add(&a.ns, n, uint64(nsPerHour))
		case inTime && unit == 'm':
			pos = 6
			a.add(&a.ns, n, uint64(nsPerMinute))
		case inTime && unit == 's':
			pos = 7
			a.add(&a.ns, n, uint64(nsPerSecond))
			a.add(&a.ns, frac, 1)
			frac, fracDigits = 0, 0
		default:
			return Duration{}, errDurationSyntax
		}
		if fracDigits > 0 || pos <= order {
			return Duration{}, errDurationSyntax
		}
		order = pos
	}
	return a.result(neg)
}

// parseISOAlternative parses the ISO 8601 alternative format
// YYYY-MM-DDThh:mm:ss, which Cassandra also accepts.
func parseISOAlternative(s string, neg bool) (Duration, error) {
	if len(s) != 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' {
		return Duration{}, errDurationSyntax
	}
	num := func(p string) (uint64, bool) {
		n, rest, ok := digits(p)
		return n, ok && rest == ""
	}
	y, ok1 := num(s[0:4])
	mo, ok2 := num(s[5:7])
	d, ok3 := num(s[8:10])
	h, ok4 := num(s[11:13])
	mi, ok5 := num(s[14:16])
	sec, ok6 := num(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo > 11 || h > 23 || mi > 59 || sec > 59 {
		return Duration{}, errDurationSyntax
	}
	var a durationAcc
	a.add(&a.months, y, 12)
	a.add(&a.months, mo, 1)
	a.add(&a.days, d, 1)
	a.add(&a.ns, h, uint64(nsPerHour))
	a.add(&a.ns, mi, uint64(nsPerMinute))
	a.add(&a.ns, sec, uint64(nsPerSecond))
	return a.result(neg)
}

func parseCQLDuration(s string, neg bool) (Duration, error) {
	var a durationAcc
	order := 0
	for s != "" {
		n, rest, ok := digits(s)
		if !ok {
			return Duration{}, errDurationSyntax
		}
		i := 0
		for i < len(rest) && (rest[i] < '0' || rest[i] > '9') {
			i++
		}
		u := rest[:i]
		s = rest[i:]
		var pos int
		switch lowerASCII(u) {
		case "y":
			pos = 1
			a.add(&a.months, n, 12)
		case "mo":
			pos = 2
			a.add(&a.months, n, 1)
		case "w":
			pos = 3
			a.add(&a.days, n, 7)
		case "d":
			pos = 4
			a.add(&a.days, n, 1)
		case "h":
			pos = 5
			a.add(&a.ns, n, uint64(nsPerHour))
		case "m":
			pos = 6
			a.add(&a.ns, n, uint64(nsPerMinute))
		case "s":
			pos = 7
			a.add(&a.ns, n, uint64(nsPerSecond))
		case "ms":
			pos = 8
			a.add(&a.ns, n, 1e6)
		case "us", "µs":
			pos = 9
			a.add(&a.ns, n, 1e3)
		case "ns":
			pos = 10
			a.add(&a.ns, n, 1)
		default:
			return Duration{}, errDurationSyntax
		}
		if pos <= order {
			return Duration{}, errDurationSyntax
		}
		order = pos
	}
	return a.result(neg)
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// Value implements driver.Valuer: the ISO 8601 string (see String), or the
// compact CQL form when the seconds have a fraction. Both parse back with
// ParseDuration and are accepted for duration columns.
func (d Duration) Value() (driver.Value, error) { return string(d.appendWire(nil)), nil }

// Scan implements sql.Scanner. It accepts a Duration, a string or []byte
// that ParseDuration takes, a time.Duration or int64 nanoseconds.
func (d *Duration) Scan(src any) error {
	switch v := src.(type) {
	case Duration:
		*d = v
	case *Duration:
		if v == nil {
			return errScanNil("Duration")
		}
		*d = *v
	case string:
		p, err := ParseDuration(v)
		if err != nil {
			return err
		}
		*d = p
	case []byte:
		p, err := ParseDuration(string(v))
		if err != nil {
			return err
		}
		*d = p
	case time.Duration:
		*d = DurationOf(v)
	case int64:
		*d = Duration{Nanoseconds: v}
	case nil:
		return errScanNil("Duration")
	default:
		return errScanType(src, "Duration")
	}
	return nil
}

func errScanNil(what string) error {
	return fmt.Errorf("typesmap: cannot scan NULL into %s (use a pointer or sql.Null[%s])", what, what)
}

func errScanType(src any, what string) error {
	return fmt.Errorf("typesmap: cannot scan %T into %s", src, what)
}
