package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws a one-line progress bar on a terminal (stderr), redrawn in
// place with '\r', at most ten times a second:
//
//	[##########----------]  50%  5000/10000 rows  1250 rows/s  ETA 4s
//
// Without a known total it shows the count and the rate only.
type progress struct {
	w     io.Writer // nil: disabled
	total int       // 0: unknown
	start time.Time
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, start: time.Now()}
}

func (p *progress) update(done int) {
	if p == nil || p.w == nil {
		return
	}
	now := time.Now()
	if p.drawn && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last, p.drawn = now, true
	fmt.Fprintf(p.w, "\r%s\x1b[K", renderProgress(done, p.total, now.Sub(p.start)))
}

// finish erases the bar so the summary starts on a clean line.
func (p *progress) finish() {
	if p == nil || p.w == nil || !p.drawn {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
}

func renderProgress(done, total int, elapsed time.Duration) string {
	rate := 0.0
	if elapsed > 0 {
		rate = float64(done) / elapsed.Seconds()
	}
	if total <= 0 {
		return fmt.Sprintf("%d rows  %.0f rows/s", done, rate)
	}
	const width = 20
	frac := min(float64(done)/float64(total), 1)
	filled := int(frac * width)
	eta := "?"
	if rate > 0 {
		eta = time.Duration(float64(total-done) / rate * float64(time.Second)).Round(time.Second).String()
		if done >= total {
			eta = "0s"
		}
	}
	return fmt.Sprintf("[%s%s] %3.0f%%  %d/%d rows  %.0f rows/s  ETA %s",
		strings.Repeat("#", filled), strings.Repeat("-", width-filled), frac*100, done, total, rate, eta)
}
