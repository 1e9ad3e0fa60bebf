package typesmap

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// TimeOfDay is the value of a time column: nanoseconds since midnight,
// from 0 to 24h-1ns.
type TimeOfDay int64

// MaxTimeOfDay is the last nanosecond of a day.
const MaxTimeOfDay = TimeOfDay(nsPerDay - 1)

// NewTimeOfDay returns the time of day hh:mm:ss.nsec; it does not check ranges.
func NewTimeOfDay(hour, min, sec, nsec int) TimeOfDay {
	return TimeOfDay(int64(hour)*nsPerHour + int64(min)*nsPerMinute + int64(sec)*nsPerSecond + int64(nsec))
}

// TimeOfDayOf returns the clock time of t in t's location.
func TimeOfDayOf(t time.Time) TimeOfDay {
	h, m, s := t.Clock()
	return NewTimeOfDay(h, m, s, t.Nanosecond())
}

// Valid reports whether t is within a day.
func (t TimeOfDay) Valid() bool { return t >= 0 && t <= MaxTimeOfDay }

// Clock returns the hour, minute, second and nanosecond of t.
func (t TimeOfDay) Clock() (hour, min, sec, nsec int) {
	n := int64(t)
	return int(n / nsPerHour), int(n % nsPerHour / nsPerMinute), int(n % nsPerMinute / nsPerSecond), int(n % nsPerSecond)
}

// Duration returns t as the time elapsed since midnight.
func (t TimeOfDay) Duration() time.Duration { return time.Duration(t) }

// String renders t as the server does (Java LocalTime): "HH:MM" when
// seconds and nanoseconds are zero, else "HH:MM:SS" with a fraction of 3, 6
// or 9 digits when there is one. An out-of-range value prints as
// "TimeOfDay(n)".
func (t TimeOfDay) String() string {
	if !t.Valid() {
		return "TimeOfDay(" + strconv.FormatInt(int64(t), 10) + ")"
	}
	return string(t.AppendText(nil))
}

// AppendText appends the String form of a valid t to dst.
func (t TimeOfDay) AppendText(dst []byte) []byte {
	h, m, s, ns := t.Clock()
	dst = append2(dst, h)
	dst = append(dst, ':')
	dst = append2(dst, m)
	if s == 0 && ns == 0 {
		return dst
	}
	dst = append(dst, ':')
	dst = append2(dst, s)
	if ns > 0 {
		dst = appendFraction(dst, uint64(ns), true)
	}
	return dst
}

func append2(dst []byte, n int) []byte {
	return append(dst, byte('0'+n/10), byte('0'+n%10))
}

var errTimeSyntax = errors.New("want HH:MM[:SS[.fffffffff]]")

// ParseTimeOfDay parses "HH:MM", "HH:MM:SS" or "HH:MM:SS.f" with 1 to 9
// fraction digits.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	t, err := parseTimeOfDay(s)
	if err != nil {
		return 0, fmt.Errorf("typesmap: bad time of day %s: %w", quoteShort(s), err)
	}
	return t, nil
}

func parseTimeOfDay(s string) (TimeOfDay, error) {
	two := func(p string) (int, bool) {
		if len(p) < 2 || p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' {
			return 0, false
		}
		return int(p[0]-'0')*10 + int(p[1]-'0'), true
	}
	if len(s) < 5 || s[2] != ':' {
		return 0, errTimeSyntax
	}
	h, ok1 := two(s)
	m, ok2 := two(s[3:])
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return 0, errTimeSyntax
	}
	sec, ns := 0, 0
	rest := s[5:]
	if rest != "" {
		if rest[0] != ':' {
			return 0, errTimeSyntax
		}
		var ok bool
		if sec, ok = two(rest[1:]); !ok || sec > 59 {
			return 0, errTimeSyntax
		}
		rest = rest[3:]
		if rest != "" {
			if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
				return 0, errTimeSyntax
			}
			for i := 1; i < 10; i++ {
				ns *= 10
				if i < len(rest) {
					c := rest[i]
					if c < '0' || c > '9' {
						return 0, errTimeSyntax
					}
					ns += int(c - '0')
				}
			}
		}
	}
	return NewTimeOfDay(h, m, sec, ns), nil
}

// Value implements driver.Valuer: the string form (see String), which
// time columns accept.
func (t TimeOfDay) Value() (driver.Value, error) {
	if !t.Valid() {
		return nil, fmt.Errorf("typesmap: time of day %d ns is outside a day", int64(t))
	}
	return t.String(), nil
}

// Scan implements sql.Scanner. It accepts a TimeOfDay, a string or []byte
// that ParseTimeOfDay takes, a time.Duration within a day, or a time.Time
// (its clock time).
func (t *TimeOfDay) Scan(src any) error {
	switch v := src.(type) {
	case TimeOfDay:
		*t = v
	case string:
		p, err := ParseTimeOfDay(v)
		if err != nil {
			return err
		}
		*t = p
	case []byte:
		p, err := ParseTimeOfDay(string(v))
		if err != nil {
			return err
		}
		*t = p
	case time.Duration:
		if !TimeOfDay(v).Valid() {
			return fmt.Errorf("typesmap: duration %v is not a time of day", v)
		}
		*t = TimeOfDay(v)
	case int64:
		if !TimeOfDay(v).Valid() {
			return fmt.Errorf("typesmap: %d ns is not a time of day", v)
		}
		*t = TimeOfDay(v)
	case time.Time:
		*t = TimeOfDayOf(v)
	case nil:
		return errScanNil("TimeOfDay")
	default:
		return errScanType(src, "TimeOfDay")
	}
	return nil
}
