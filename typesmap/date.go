package typesmap

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// The range of a CQL date: 2^31 days either side of 1970-01-01.
const (
	minDateDays = -(1 << 31)
	maxDateDays = 1<<31 - 1
)

// FormatDate renders the civil date of t (in t's location) as the server
// does (Java LocalDate): "2024-05-06", years beyond 9999 with a '+'
// ("+10000-01-01"), years before 1 with a '-' and at least 4 digits
// ("0000-01-01", "-0001-12-31"). time.Format cannot print these years.
func FormatDate(t time.Time) string { return string(AppendDate(nil, t)) }

// AppendDate appends the FormatDate form of t to dst.
func AppendDate(dst []byte, t time.Time) []byte {
	y, m, d := t.Date()
	dst = appendYear(dst, y)
	dst = append(dst, '-')
	dst = append2(dst, int(m))
	dst = append(dst, '-')
	return append2(dst, d)
}

func appendYear(dst []byte, y int) []byte {
	switch {
	case y < 0:
		dst = append(dst, '-')
	case y > 9999:
		dst = append(dst, '+')
	}
	u := absU64(int64(y))
	for p := uint64(1000); p > 1 && u < p; p /= 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendUint(dst, u, 10)
}

var errDateSyntax = errors.New("want [+-]YYYY-MM-DD")

// ParseDate parses a date as FormatDate prints it ("2024-05-06",
// "+10000-01-01", "-0001-12-31"; the '+' is optional) and returns it at
// 00:00 UTC. Day and month must exist (no "2023-02-29").
func ParseDate(s string) (time.Time, error) {
	t, rest, err := parseDatePrefix(s)
	if err == nil && rest != "" {
		err = errDateSyntax
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("typesmap: bad date %s: %w", quoteShort(s), err)
	}
	return t, nil
}

// parseDatePrefix parses [+-]Y{4,}-MM-DD at the start of s.
func parseDatePrefix(s string) (time.Time, string, error) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i < 4 || i > 10 || len(s) < i+6 || s[i] != '-' || s[i+3] != '-' {
		return time.Time{}, s, errDateSyntax
	}
	y, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return time.Time{}, s, errDateSyntax
	}
	if neg {
		y = -y
	}
	m, ok1 := twoDigits(s[i+1:])
	d, ok2 := twoDigits(s[i+4:])
	if !ok1 || !ok2 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return time.Time{}, s, errDateSyntax
	}
	t := time.Date(int(y), time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, s[i+6:], nil
}

func twoDigits(p string) (int, bool) {
	if len(p) < 2 || p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' {
		return 0, false
	}
	return int(p[0]-'0')*10 + int(p[1]-'0'), true
}

func daysIn(m time.Month, y int64) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// dateDays returns the days since 1970-01-01 of the civil date of t.
func dateDays(t time.Time) int64 {
	y, m, d := t.Date()
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return floorDiv(u.Unix(), 86400)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// FormatTimestamp renders t in UTC as the server accepts and prints
// timestamps, always with milliseconds: "2024-09-24T14:06:59.123Z"; years
// beyond 9999 or before 1 as in FormatDate. Sub-millisecond digits are
// dropped (rounding toward the past).
func FormatTimestamp(t time.Time) string { return string(appendTimestamp(nil, t)) }

func appendTimestamp(dst []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	u := time.UnixMilli(ms).UTC()
	dst = AppendDate(dst, u)
	h, m, s := u.Clock()
	dst = append(dst, 'T')
	dst = append2(dst, h)
	dst = append(dst, ':')
	dst = append2(dst, m)
	dst = append(dst, ':')
	dst = append2(dst, s)
	msec := u.Nanosecond() / 1e6
	dst = append(dst, '.', byte('0'+msec/100), byte('0'+msec/10%10), byte('0'+msec%10), 'Z')
	return dst
}

var errTimestampSyntax = errors.New("want an RFC 3339 timestamp with seconds and Z or an offset")

// ParseTimestamp parses an ISO 8601 instant as the server prints and
// accepts it: [+-]YYYY-MM-DDTHH:MM:SS[.f]Z or with a ±HH:MM offset. The
// result is in UTC.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := parseTimestamp(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("typesmap: bad timestamp %s: %w", quoteShort(s), err)
	}
	return t, nil
}

// cqlTimestampLayouts are the forms CQL documents for timestamp
// literals besides RFC 3339: a date, or a date and a time to the minute or
// second (fractions allowed), 'T' or a space between, and an optional zone
// as Z, +hh, +hhmm or +hh:mm. Without a zone the time is UTC (CQL would take
// the coordinator's zone; a driver has none to take).
var cqlTimestampLayouts = func() []string {
	var out []string
	zones := []string{"", "Z07:00", "Z0700", "Z07"}
	for _, z := range zones {
		out = append(out, "2006-01-02"+z)
		for _, sep := range []string{" ", "T"} {
			for _, tm := range []string{"15:04", "15:04:05"} {
				out = append(out, "2006-01-02"+sep+tm+z)
			}
		}
	}
	return out
}()

// ParseTimestampCQL parses a timestamp as ParseTimestamp does, or in one of
// the forms CQL accepts in literals ('2024-06-01', '2023-01-15 08:30:00',
// '2024-06-01T08:30+0200'); no zone means UTC. The result is in UTC.
func ParseTimestampCQL(s string) (time.Time, error) {
	if t, err := parseTimestamp(s); err == nil {
		return t, nil
	}
	for _, l := range cqlTimestampLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("typesmap: bad timestamp %s: %w", quoteShort(s), errTimestampSyntax)
}

func parseTimestamp(s string) (time.Time, error) {
	d, rest, err := parseDatePrefix(s)
	if err != nil {
		return time.Time{}, errTimestampSyntax
	}
	if len(rest) < 9 || (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') || rest[3] != ':' || rest[6] != ':' {
		return time.Time{}, errTimestampSyntax
	}
	h, ok1 := twoDigits(rest[1:])
	mi, ok2 := twoDigits(rest[4:])
	sec, ok3 := twoDigits(rest[7:])
	if !ok1 || !ok2 || !ok3 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, errTimestampSyntax
	}
	rest = rest[9:]
	ns := 0
	if rest != "" && rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			if n <= 9 {
				ns = ns*10 + int(rest[n]-'0')
			}
			n++
		}
		if n == 1 {
			return time.Time{}, errTimestampSyntax
		}
		for i := n; i <= 9; i++ {
			ns *= 10
		}
		rest = rest[n:]
	}
	var off int
	switch {
	case rest == "Z" || rest == "z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := twoDigits(rest[1:])
		om, ok2 := twoDigits(rest[4:])
		if !ok1 || !ok2 || oh > 18 || om > 59 {
			return time.Time{}, errTimestampSyntax
		}
		off = oh*3600 + om*60
		if rest[0] == '-' {
			off = -off
		}
	default:
		return time.Time{}, errTimestampSyntax
	}
	y, m, day := d.Date()
	return time.Date(y, m, day, h, mi, sec, ns, time.UTC).Add(-time.Duration(off) * time.Second), nil
}
