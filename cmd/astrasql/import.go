package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"time"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/typesmap"
)

// importBatch is the number of rows per INSERT statement; the driver splits
// each into insertMany chunks and sends those concurrently.
const importBatch = 500

// maxListedFailures bounds the failure list in the summary.
const maxListedFailures = 100

// rowFailure is a CSV record that was not loaded.
type rowFailure struct {
	Line   int
	End    int // the last line of the record, when it spans several
	Reason string
}

// importResult is what an import did.
type importResult struct {
	Loaded   int
	Failed   []rowFailure
	Elapsed  time.Duration
	Canceled bool
	// DataLines are the lines read after the header (to the last record
	// read); Blank of them were empty.
	DataLines, Blank int
}

// csvRow is a converted record waiting in a batch.
type csvRow struct {
	line, end int
	vals      []any
}

// importer loads CSV records into a table through multi-row INSERTs.
type importer struct {
	db       *sql.DB
	table    string
	cols     []string
	types    []typesmap.Type
	progress *progress
	res      importResult
}

// importCSV is \import FILE TABLE: it loads the file and prints a summary.
// Rows that fail are listed and the rest are loaded; the command still
// fails (so a script stops) when any row failed.
func (s *session) importCSV(ctx context.Context, file, table string) error {
	var pw io.Writer
	if isTerminal(s.errOut) {
		pw = s.errOut
	}
	res, err := importFile(ctx, s.db, file, table, pw)
	if err != nil {
		return err
	}
	return s.reportImport(res, table)
}

func (s *session) reportImport(res importResult, table string) error {
	rate := 0.0
	if res.Elapsed > 0 {
		rate = float64(res.Loaded) / res.Elapsed.Seconds()
	}
	s.status("IMPORT %d (rows loaded into %s in %s, %.0f rows/s)", res.Loaded, table, res.Elapsed.Round(time.Millisecond), rate)
	if len(res.Failed) == 0 {
		if res.Canceled {
			return errors.New("import canceled")
		}
		return nil
	}
	sort.SliceStable(res.Failed, func(i, j int) bool { return res.Failed[i].Line < res.Failed[j].Line })
	if len(res.Failed) == 1 {
		fmt.Fprintln(s.errOut, "1 row was not loaded:")
	} else {
		fmt.Fprintf(s.errOut, "%d rows were not loaded:\n", len(res.Failed))
	}
	for i, f := range res.Failed {
		if i == maxListedFailures {
			fmt.Fprintf(s.errOut, "  ... and %d more\n", len(res.Failed)-i)
			break
		}
		if f.End > f.Line {
			fmt.Fprintf(s.errOut, "  lines %d-%d: %s\n", f.Line, f.End, f.Reason)
		} else {
			fmt.Fprintf(s.errOut, "  line %d: %s\n", f.Line, f.Reason)
		}
	}
	if res.Canceled {
		return errors.New("import canceled")
	}
	failedLines := 0
	for _, f := range res.Failed {
		failedLines += max(f.End, f.Line) - f.Line + 1
	}
	fmt.Fprintf(s.errOut, "The file's %d data lines: %d in the %d rows loaded, %d in the %d rows that failed, %d blank.\n",
		res.DataLines, res.DataLines-failedLines-res.Blank, res.Loaded, failedLines, len(res.Failed), res.Blank)
	return fmt.Errorf("%d of %d rows failed to import (listed above)", len(res.Failed), len(res.Failed)+res.Loaded)
}

// importFile loads file (a CSV whose first line names the columns) into
// table. A progress bar is drawn on progressW when it is not nil.
func importFile(ctx context.Context, db *sql.DB, file, table string, progressW io.Writer) (importResult, error) {
	f, err := os.Open(file)
	if err != nil {
		return importResult{}, err
	}
	defer f.Close()
	total := 0
	if progressW != nil {
		total = countRecords(f)
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return importResult{}, err
		}
	}
	r := newCSVReader(f)
	hrec, err := r.Read()
	if err == io.EOF {
		return importResult{}, fmt.Errorf("%s is empty: want a header line naming the columns", file)
	}
	if err != nil {
		return importResult{}, fmt.Errorf("%s: reading the header: %v", file, err)
	}
	if hrec.Err != "" {
		return importResult{}, fmt.Errorf("%s: the header line: %s", file, hrec.Err)
	}
	header := hrec.Fields
	for i := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
	}
	types, err := lookupColumnTypes(ctx, db, table, header)
	if err != nil {
		return importResult{}, err
	}
	im := &importer{db: db, table: table, cols: header, types: types, progress: newProgress(progressW, max(total-1, 0))}
	start := time.Now()
	batch := make([]csvRow, 0, importBatch)
	flush := func() error {
		err := im.insert(ctx, batch)
		batch = batch[:0]
		im.progress.update(im.res.Loaded + len(im.res.Failed))
		return err
	}
	r.OneColumn = len(header) == 1
	blankBefore := r.Blank
	lastLine := hrec.End
	for {
		if ctx.Err() != nil {
			im.res.Canceled = true
			break
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return im.res, err
		}
		lastLine = rec.End
		if rec.Err != "" {
			im.failSpan(rec.Start, rec.End, "bad CSV: "+rec.Err)
			continue
		}
		vals, reason := im.convert(rec)
		if reason != "" {
			if rec.Lines() > 1 && len(rec.Fields) != len(im.cols) {
				reason += fmt.Sprintf(" (a quoted field ran over %d lines: an unterminated quote?)", rec.Lines())
			}
			im.failSpan(rec.Start, rec.End, reason)
			continue
		}
		batch = append(batch, csvRow{line: rec.Start, end: rec.End, vals: vals})
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				break
			}
		}
	}
	if len(batch) > 0 && ctx.Err() == nil {
		flush()
	}
	if ctx.Err() != nil {
		im.res.Canceled = true
	}
	im.progress.finish()
	im.res.Elapsed = time.Since(start)
	im.res.DataLines = lastLine - hrec.End
	im.res.Blank = r.Blank - blankBefore
	return im.res, nil
}

// failSpan records a failed record spanning lines start to end.
func (im *importer) failSpan(start, end int, reason string) {
	im.res.Failed = append(im.res.Failed, rowFailure{Line: start, End: end, Reason: reason})
}

func (im *importer) fail(line int, reason string) {
	im.res.Failed = append(im.res.Failed, rowFailure{Line: line, Reason: reason})
}

// convert checks and converts one record; the reason is empty when it is good.
func (im *importer) convert(rec *csvRecord) ([]any, string) {
	if len(rec.Fields) != len(im.cols) {
		return nil, fmt.Sprintf("has %d fields, the header has %d", len(rec.Fields), len(im.cols))
	}
	vals := make([]any, len(rec.Fields))
	for i, s := range rec.Fields {
		v, err := convertCell(s, rec.Quoted[i], im.types[i])
		if err != nil {
			return nil, fmt.Sprintf("column %s: %v", im.cols[i], err)
		}
		vals[i] = v
	}
	return vals, ""
}

func (im *importer) insertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(im.table)
	b.WriteString(" (")
	for i, c := range im.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(c))
	}
	b.WriteString(") VALUES ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(im.cols)), ", ") + ")"
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// insert loads a batch with one statement. When the driver says which
// rows failed (*astrasql.InsertError), those are reported and the rows
// whose fate is unknown are retried alone; any other failure (a value the
// driver refuses before sending, say) retries the whole batch row by row
// to pin the bad rows. A canceled context stops it.
func (im *importer) insert(ctx context.Context, batch []csvRow) error {
	if len(batch) == 0 {
		return nil
	}
	args := make([]any, 0, len(batch)*len(im.cols))
	for _, r := range batch {
		args = append(args, r.vals...)
	}
	_, err := im.db.ExecContext(ctx, im.insertSQL(len(batch)), args...)
	if err == nil {
		im.res.Loaded += len(batch)
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	retry := batch
	var ie *astrasql.InsertError
	if errors.As(err, &ie) && len(ie.Rows) == len(batch) {
		retry = nil
		for i, r := range ie.Rows {
			switch r.Status {
			case "inserted":
				im.res.Loaded++
			case "failed":
				im.fail(batch[i].line, rowReason(r.Err, err))
			default: // unknown, not attempted: try again alone
				retry = append(retry, batch[i])
			}
		}
	} else if len(batch) == 1 {
		im.fail(batch[0].line, rowReason(nil, err))
		return nil
	}
	one := im.insertSQL(1)
	for _, r := range retry {
		if _, err := im.db.ExecContext(ctx, one, r.vals...); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var ie *astrasql.InsertError
			var rowErr error
			if errors.As(err, &ie) && len(ie.Rows) == 1 {
				rowErr = ie.Rows[0].Err
			}
			im.fail(r.line, rowReason(rowErr, err))
			continue
		}
		im.res.Loaded++
		im.progress.update(im.res.Loaded + len(im.res.Failed))
	}
	return nil
}

// rowReason is the message for a failed row: the row's own error when the
// driver gives one, else the statement's.
func rowReason(rowErr, stmtErr error) string {
	err := stmtErr
	if rowErr != nil {
		err = rowErr
	}
	// The placeholder number means nothing to the user: name the column.
	var ae *astrasql.ArgumentError
	if errors.As(err, &ae) && ae.Column != "" {
		return fmt.Sprintf("column %s: %s", ae.Column, errorText(ae.Err))
	}
	return errorText(err)
}

// quoteIdent double-quotes a column name unless it is a plain lower-case
// identifier, so that header names with capitals or spaces work.
func quoteIdent(name string) string {
	plain := name != ""
	for i, c := range name {
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			plain = false
			break
		}
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// countRecords counts the CSV records in r (for the progress bar's total).
func countRecords(r io.Reader) int {
	cr := newCSVReader(r)
	n := 0
	for {
		if _, err := cr.Read(); err != nil {
			return n
		}
		n++
	}
}

// lookupColumnTypes finds the type of each named column of table from the
// driver's DESCRIBE.
func lookupColumnTypes(ctx context.Context, db *sql.DB, table string, names []string) ([]typesmap.Type, error) {
	known, err := describeTypes(ctx, db, table)
	if err != nil {
		return nil, err
	}
	types := make([]typesmap.Type, len(names))
	var missing []string
	for i, n := range names {
		t, ok := known[n]
		if !ok {
			missing = append(missing, n)
			continue
		}
		types[i] = t
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("table %s has no column %s (the CSV header names the columns)", table, strings.Join(missing, ", "))
	}
	return types, nil
}

// describeTypes runs DESCRIBE and reads the column name and type columns,
// whatever their exact headings.
func describeTypes(ctx context.Context, db *sql.DB, table string) (map[string]typesmap.Type, error) {
	rows, err := db.QueryContext(ctx, "DESCRIBE "+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	nameCol, typeCol := -1, -1
	for i, c := range cols {
		switch strings.ToLower(c) {
		case "column", "column_name", "name", "field":
			nameCol = i
		case "type", "data_type", "cql_type":
			typeCol = i
		}
	}
	if nameCol < 0 || typeCol < 0 {
		return nil, fmt.Errorf("DESCRIBE %s gave columns %v: cannot find the column names and types", table, cols)
	}
	out := map[string]typesmap.Type{}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		name := fmt.Sprint(vals[nameCol])
		t, err := typesmap.ParseCQL(fmt.Sprint(vals[typeCol]))
		if err != nil {
			return nil, fmt.Errorf("column %s: %v", name, err)
		}
		out[name] = t
	}
	return out, rows.Err()
}

const importUsage = `Usage: astrasql import [flags] -table TABLE FILE.csv
       astrasql import [flags] FILE.csv TABLE

Loads a CSV file whose first line names the columns into an existing table,
500 rows per INSERT. The CSV is PostgreSQL's (COPY ... CSV): an empty field
without quotes is NULL, "" is an empty string. Fields are converted by
column type; vectors, lists, sets and maps are JSON ([0.1, 0.2], ["a"],
{"k": 1}); blobs are 0x and hex digits (0x alone: an empty blob). Rows that fail are listed with their line and
why; the others are loaded. Exit status 1 when any row failed.

Flags:
`

// runImportCommand is `astrasql import`.
func runImportCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var conn connFlags
	var table string
	fs := newFlagSet("astrasql import", stdout, importUsage)
	conn.register(fs.FlagSet)
	fs.Bool("q", false, "quiet: no banner (accepted for symmetry with the prompt)")
	fs.StringVar(&table, "table", "", "the `table` to load into")
	rest, code, ok := parseFlags(fs, args, stderr)
	if !ok {
		return code
	}
	if table == "" && len(rest) == 2 {
		table, rest = rest[1], rest[:1]
	}
	if table == "" || len(rest) != 1 {
		fmt.Fprintln(stderr, "astrasql import: want one CSV file and a table: astrasql import -table TABLE FILE.csv")
		return exitUsage
	}
	if _, err := os.Stat(rest[0]); err != nil {
		fmt.Fprintf(stderr, "astrasql import: %v\n", err)
		return exitUsage
	}
	db, code := conn.openOrExit(ctx, stderr)
	if db == nil {
		return code
	}
	s := newSession(db, stdout, stderr, options{format: formatTable})
	s.conn = &conn
	defer s.close()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	if err := s.importCSV(ctx, rest[0], table); err != nil {
		fmt.Fprintf(stderr, "astrasql: %s\n", errorText(err))
		return exitError
	}
	return exitOK
}
