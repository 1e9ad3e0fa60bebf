package main

import (
	"fmt"
	"strings"
	"time"
)

// Round-trip bounds: over a network a client cannot beat the number of
// round trips a scenario needs, whatever its CPU. Each bound assumes the
// server answers instantly and the client spends nothing.
//
//   - scan: one page of 50 rows per round trip per cursor. A full last page
//     still carries a page state, so a result of a multiple of 50 rows ends
//     with an empty page: one round trip more.
//   - insert: 100 rows per insertMany, insertConc requests in flight.
//   - lookups at concurrency c: c lookups per round trip; p50 ≥ one round trip.
//   - IN of inKeys keys: ceil(inKeys/100) finds (100 values per $in), each
//     three pages (50 rows, 50 rows, the empty last); all in flight at
//     once: 3 round trips.
//   - UPDATE/DELETE of wrMatch rows by a non-key column: wrMatch/50 + 1
//     pages of keys read one after the other, each page's writes overlapped
//     with the next read: wrMatch/50 + 2 round trips. One after the other
//     (the sequential program): wrMatch/50 + 1 + wrMatch.
//   - GROUP BY: a scan.

const insertConc = 8 // the in-flight requests the insert bound assumes

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func scanBound(rtt time.Duration) float64 { return 50 / rtt.Seconds() }

func writeSeqTrips() int { return wrMatch/50 + 1 + wrMatch }

func writeBoundTrips() int { return wrMatch/50 + 2 }

func (e *env) insertGoal() float64 {
	if e.cfg.rtt > 0 {
		return 2
	}
	return 1.5
}

func (e *env) scanGoal() string {
	if e.cfg.rtt > 0 {
		return "≥90% of the round-trip bound"
	}
	return "≥2x TS default"
}

// bound is one scenario's round-trip bound: a best rate (higher is better)
// or a best time in ms (lower is better).
type bound struct {
	key, what string
	value     float64
	unit      string
	time      bool
}

func (e *env) bounds() []bound {
	r := e.cfg.rtt
	chunks := (inKeys + 99) / 100
	bs := []bound{
		{"insert", fmt.Sprintf("100 rows × %d in flight per round trip", insertConc), 100 * insertConc / r.Seconds(), "rows/s", false},
		{"scan", "50 rows per round trip", scanBound(r), "rows/s", false},
	}
	for _, c := range []int{1, 8, 64} {
		bs = append(bs,
			bound{fmt.Sprintf("lookup-c%d-p50", c), "one round trip", float64(r.Microseconds()), "µs", true},
			bound{fmt.Sprintf("lookup-c%d-ops", c), fmt.Sprintf("%d lookups per round trip", c), float64(c) / r.Seconds(), "ops/s", false})
	}
	bs = append(bs,
		bound{"in", fmt.Sprintf("%d finds of 3 pages, all in flight: 3 round trips (one after the other: %d)", chunks, 3*chunks), 3 * ms(r), "ms", true},
		bound{"update", fmt.Sprintf("%d pages of keys, writes overlapped: %d round trips (one after the other: %d)", wrMatch/50+1, writeBoundTrips(), writeSeqTrips()), float64(writeBoundTrips()) * ms(r), "ms", true},
		bound{"delete", "as UPDATE", float64(writeBoundTrips()) * ms(r), "ms", true},
		bound{"groupby", "a scan: 50 rows per round trip", scanBound(r), "rows/s", false})
	return bs
}

// boundsReport is the table of each client's share of the round-trip
// bound (100% is the bound itself), under -rtt only.
func (e *env) boundsReport(clients []struct{ key, name string }) string {
	if e.cfg.rtt == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nround-trip bounds at %s (share of the bound each client reaches; 100%% = the bound)\n\n| scenario | bound | value |", e.cfg.rtt)
	for _, c := range clients {
		b.WriteString(" " + c.name + " |")
	}
	b.WriteString("\n|---|---|---|")
	for range clients {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, bd := range e.bounds() {
		if e.res.vals[bd.key] == nil {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s %s |", bd.key, bd.what, num(bd.value), bd.unit)
		for _, c := range clients {
			v := e.res.get(bd.key, c.key)
			if len(v) == 0 || median(v) == 0 {
				b.WriteString(" — |")
				continue
			}
			share := median(v) / bd.value
			if bd.time {
				share = bd.value / median(v)
			}
			fmt.Fprintf(&b, " %.0f%% |", 100*share)
		}
		b.WriteString("\n")
	}
	return b.String()
}
