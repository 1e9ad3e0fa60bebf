package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
)

// fetchCount is how many rows the table format holds to size its columns
// before it prints them, as psql's FETCH_COUNT: a result of any length
// then prints in constant memory. Later rows keep the first batch's
// widths; a wider value wraps (text) or overflows its column (numbers,
// dates, uuids: never cut).
const fetchCount = 1000

// minFlexWidth is the narrowest a text column is wrapped to on a narrow
// terminal.
const minFlexWidth = 8

// tableWriter prints
//
//	 id | title
//	----+-------
//	  1 | Alien
//	(1 row)
//
// Text-like columns longer than MaxWidth are cut with "…"; on a terminal
// narrower than the table they are wrapped first (a '.' marks where a
// value goes on, as in psql's wrapped format), then headers of the other
// columns. Numbers, dates, times and uuids are never cut or wrapped.
type tableWriter struct {
	w      *bufio.Writer
	o      outputOptions
	cols   []column
	fixed  []bool
	batch  [][]string
	raw    [][]any // the first batch's values, to switch to expanded
	widths []int
	// narrowed: the column was narrowed to fit the terminal, so values
	// wider than it wrap; in other columns a later row's wider value
	// overflows (the widths come from the first batch).
	narrowed []bool
	started  bool
	n        int
	exp      *expandedWriter // set when the result is shown expanded
}

func newTableWriter(w io.Writer, o outputOptions) *tableWriter {
	return &tableWriter{w: bufio.NewWriter(w), o: o}
}

func (t *tableWriter) begin(cols []column) error {
	t.cols = cols
	t.fixed = make([]bool, len(cols))
	for i, c := range cols {
		t.fixed[i] = fixedWidth(c.DBType)
	}
	return nil
}

// mayExpand says whether the result is shown expanded when it does not
// fit the terminal (\x auto, or a result read whole such as EXPLAIN's).
func (t *tableWriter) mayExpand() bool {
	return (t.o.AutoExpand || t.o.ExpandAuto) && t.o.TermWidth > 0 && len(t.cols) > 1
}

func (t *tableWriter) row(vals []any) error {
	t.n++
	if t.exp != nil {
		return t.exp.row(vals)
	}
	cells := make([]string, len(vals))
	for i, v := range vals {
		cells[i] = cellText(v, t.cols[i].DBType, t.o)
	}
	if t.started {
		t.printRow(cells)
		return t.flushIfBig()
	}
	t.batch = append(t.batch, cells)
	if t.mayExpand() {
		t.raw = append(t.raw, append([]any(nil), vals...))
	}
	if len(t.batch) >= fetchCount {
		return t.start()
	}
	return nil
}

func (t *tableWriter) flushIfBig() error {
	if t.w.Buffered() > 32<<10 {
		return t.w.Flush()
	}
	return nil
}

// start sizes the columns from the rows held so far and prints them.
func (t *tableWriter) start() error {
	t.started = true
	capped := t.cappedWidths()
	// A result read whole (EXPLAIN) is expanded rather than wrapped; with
	// \x auto, a table that does not fit even with its text wrapped.
	tooWide := tableWidth(capped) > t.o.TermWidth
	if !t.o.AutoExpand {
		tooWide = tableWidth(t.fit(capped)) > t.o.TermWidth
	}
	if t.mayExpand() && tooWide {
		t.exp = &expandedWriter{w: t.w, o: t.o}
		t.exp.begin(t.cols)
		for _, r := range t.raw {
			if err := t.exp.row(r); err != nil {
				return err
			}
		}
		t.batch, t.raw = nil, nil
		return nil
	}
	t.widths = t.fit(capped)
	t.narrowed = make([]bool, len(capped))
	for i := range capped {
		t.narrowed[i] = t.widths[i] < capped[i]
	}
	t.printHeader()
	for _, r := range t.batch {
		t.printRow(r)
	}
	t.batch, t.raw = nil, nil
	return t.w.Flush()
}

func (t *tableWriter) end() error {
	if !t.started {
		if err := t.start(); err != nil {
			return err
		}
	}
	if t.exp != nil {
		t.exp.n = t.n
		if err := t.exp.end(); err != nil {
			return err
		}
		return t.w.Flush()
	}
	fmt.Fprintln(t.w, rowCount(t.n))
	return t.w.Flush()
}

// cappedWidths are the columns' widths with cells of text-like columns cut
// at MaxWidth.
func (t *tableWriter) cappedWidths() []int {
	natural := make([]int, len(t.cols))
	for i, c := range t.cols {
		natural[i] = runewidth.StringWidth(escapeControl(c.Name))
	}
	for _, r := range t.batch {
		for i, s := range r {
			natural[i] = max(natural[i], runewidth.StringWidth(s))
		}
	}
	capped := natural
	if t.o.MaxWidth > 0 {
		for i := range capped {
			if !t.fixed[i] {
				capped[i] = min(capped[i], max(t.o.MaxWidth, runewidth.StringWidth(escapeControl(t.cols[i].Name))))
			}
		}
	}
	return capped
}

func tableWidth(w []int) int {
	n := -1
	for _, x := range w {
		n += x + 3
	}
	return n
}

// fit narrows columns, widest first, until the table fits the terminal:
// text-like columns (their values wrap) to twice minFlexWidth, then the
// headers of the other columns down to their widest value, then text-like
// columns down to minFlexWidth.
func (t *tableWriter) fit(w []int) []int {
	w = append([]int(nil), w...)
	if t.o.TermWidth <= 0 {
		return w
	}
	floor := make([]int, len(w))
	for i := range w {
		if t.fixed[i] {
			// A short header is not worth wrapping.
			floor[i] = min(runewidth.StringWidth(escapeControl(t.cols[i].Name)), 6)
			for _, r := range t.batch {
				floor[i] = max(floor[i], runewidth.StringWidth(r[i]))
			}
		} else {
			floor[i] = min(w[i], minFlexWidth)
		}
	}
	// Text to a comfortable width, then headers, then text to its floor.
	passes := []struct {
		fixed bool
		floor int
	}{{false, 2 * minFlexWidth}, {true, 0}, {false, 0}}
	for k, p := range passes {
		if k == 2 && !t.canFit(w, floor) {
			break // the terminal wraps the lines anyway: keep text readable
		}
		for tableWidth(w) > t.o.TermWidth {
			wi := -1
			for i := range w {
				if t.fixed[i] == p.fixed && w[i] > max(floor[i], p.floor) && (wi < 0 || w[i] > w[wi]) {
					wi = i
				}
			}
			if wi < 0 {
				break
			}
			w[wi]--
		}
	}
	return w
}

// canFit says whether the table fits the terminal with its text-like
// columns at their floor.
func (t *tableWriter) canFit(w, floor []int) bool {
	x := append([]int(nil), w...)
	for i := range x {
		if !t.fixed[i] {
			x[i] = floor[i]
		}
	}
	return tableWidth(x) <= t.o.TermWidth
}

// cellLines cuts a text-like value at MaxWidth and wraps it at the
// column's width; other values stay whole on one line.
func (t *tableWriter) cellLines(i int, s string) []string {
	if t.fixed[i] {
		return []string{s}
	}
	if t.o.MaxWidth > 0 {
		if cw := max(t.o.MaxWidth, runewidth.StringWidth(escapeControl(t.cols[i].Name))); runewidth.StringWidth(s) > cw {
			s = runewidth.Truncate(s, cw, "…")
		}
	}
	if !t.narrowed[i] && runewidth.StringWidth(s) > t.widths[i] {
		return []string{s}
	}
	return wrapText(s, t.widths[i])
}

// wrapText splits s into pieces of at most w display columns, after a
// space when one is near the end of a piece.
func wrapText(s string, w int) []string {
	if w <= 0 || runewidth.StringWidth(s) <= w {
		return []string{s}
	}
	var out []string
	rs := []rune(s)
	for len(rs) > 0 {
		n, end := 0, 0
		for end < len(rs) && n+runewidth.RuneWidth(rs[end]) <= w {
			n += runewidth.RuneWidth(rs[end])
			end++
		}
		if end == 0 {
			end = 1 // a rune wider than the column
		}
		if end < len(rs) {
			for k := end - 1; k > end*2/3; k-- {
				if rs[k] == ' ' {
					end = k + 1
					break
				}
			}
		}
		out = append(out, string(rs[:end]))
		rs = rs[end:]
	}
	return out
}

func (t *tableWriter) printHeader() {
	names := make([][]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = wrapText(escapeControl(c.Name), t.widths[i])
	}
	t.printLines(names, false)
	for i, x := range t.widths {
		if i > 0 {
			t.w.WriteByte('+')
		}
		t.w.WriteString(strings.Repeat("-", x+2))
	}
	t.w.WriteByte('\n')
}

func (t *tableWriter) printRow(cells []string) {
	lines := make([][]string, len(cells))
	for i, s := range cells {
		lines[i] = t.cellLines(i, s)
	}
	t.printLines(lines, true)
}

// printLines prints one row whose cells may span several lines.
func (t *tableWriter) printLines(cells [][]string, data bool) {
	height := 1
	for _, c := range cells {
		height = max(height, len(c))
	}
	var b strings.Builder
	for j := 0; j < height; j++ {
		b.Reset()
		for i, c := range cells {
			if i > 0 {
				b.WriteByte('|')
			}
			piece := ""
			if j < len(c) {
				piece = c[j]
			}
			left, right := byte(' '), byte(' ')
			if j > 0 && j < len(c) {
				left = '.'
			}
			if j < len(c)-1 {
				right = '.'
			}
			b.WriteByte(left)
			if data && t.fixed[i] && isNumeric(t.cols[i].DBType) {
				b.WriteString(runewidth.FillLeft(piece, t.widths[i]))
			} else {
				b.WriteString(runewidth.FillRight(piece, t.widths[i]))
			}
			b.WriteByte(right)
		}
		t.w.WriteString(strings.TrimRight(b.String(), " "))
		t.w.WriteByte('\n')
	}
}

// expandedWriter prints each row as a record, one line per column:
//
//	-[ RECORD 1 ]--
//	id    | 1
//	title | Alien
//
// Text-like values longer than MaxWidth are cut with "…"; on a terminal,
// longer ones wrap onto more lines. Numbers, dates and uuids stay whole.
type expandedWriter struct {
	w     io.Writer
	o     outputOptions
	cols  []column
	names []string
	width int
	n     int
}

func (e *expandedWriter) begin(cols []column) error {
	e.cols = cols
	e.names = make([]string, len(cols))
	for i, c := range cols {
		e.names[i] = escapeControl(c.Name)
		e.width = max(e.width, runewidth.StringWidth(e.names[i]))
	}
	return nil
}

func (e *expandedWriter) row(vals []any) error {
	e.n++
	var b strings.Builder
	head := fmt.Sprintf("-[ RECORD %d ]", e.n)
	b.WriteString(head)
	b.WriteString(strings.Repeat("-", max(2, e.width+3-len(head)+10)))
	b.WriteByte('\n')
	cut := e.o.MaxWidth
	if e.o.AutoExpand {
		cut = 0 // a result to read whole
	}
	wrap := 0
	if e.o.TermWidth > 0 && !e.o.AutoExpand {
		wrap = max(e.o.TermWidth-e.width-3, minFlexWidth)
	}
	for i, v := range vals {
		s := cellText(v, e.cols[i].DBType, e.o)
		lines := []string{s}
		if !fixedWidth(e.cols[i].DBType) {
			if cut > 0 && runewidth.StringWidth(s) > cut {
				s = runewidth.Truncate(s, cut, "…")
			}
			lines = wrapText(s, wrap)
		}
		for j, l := range lines {
			name := ""
			if j == 0 {
				name = e.names[i]
			}
			b.WriteString(runewidth.FillRight(name, e.width))
			b.WriteString(" | ")
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(e.w, b.String())
	return err
}

func (e *expandedWriter) end() error {
	_, err := fmt.Fprintln(e.w, rowCount(e.n))
	if bw, ok := e.w.(*bufio.Writer); ok && err == nil {
		err = bw.Flush()
	}
	return err
}
