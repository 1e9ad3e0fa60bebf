package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

const demoUsage = `Usage: astrasql demo [flags]

A short tour, with no setup: creates a videos table with a vector column on
the embedded local server, even when $ASTRA_DB_API_ENDPOINT is set (with
-dsn, or -remote for $ASTRA_DB_API_ENDPOINT, on that database instead, as
table astrasql_demo_videos, dropped first if it exists), loads 20 rows and runs a filter query, a vector
search and an EXPLAIN, printing each statement before its result. On a
terminal, the prompt follows, with the table still there.

Flags:
`

// demoVideo is one row of the demo table. The vector scores the video on
// eight axes: sci-fi, action, comedy, drama, horror, romance, animation,
// documentary.
type demoVideo struct {
	id       int
	title    string
	year     int
	category string
	v        [8]float32
}

var demoVideos = []demoVideo{
	{1, "The Matrix", 1999, "sci-fi", [8]float32{0.9, 0.8, 0.1, 0.3, 0.1, 0.1, 0, 0}},
	{2, "Alien", 1979, "sci-fi", [8]float32{0.8, 0.5, 0, 0.3, 0.9, 0, 0, 0}},
	{3, "Blade Runner", 1982, "sci-fi", [8]float32{0.9, 0.4, 0, 0.7, 0.1, 0.3, 0, 0}},
	{4, "Arrival", 2016, "sci-fi", [8]float32{0.9, 0.1, 0, 0.8, 0.1, 0.2, 0, 0}},
	{5, "Interstellar", 2014, "sci-fi", [8]float32{0.9, 0.3, 0.1, 0.8, 0, 0.2, 0, 0}},
	{6, "Die Hard", 1988, "action", [8]float32{0, 0.9, 0.3, 0.2, 0, 0, 0, 0}},
	{7, "Mad Max: Fury Road", 2015, "action", [8]float32{0.4, 1, 0, 0.2, 0.1, 0, 0, 0}},
	{8, "Speed", 1994, "action", [8]float32{0, 0.9, 0.1, 0.2, 0, 0.2, 0, 0}},
	{9, "Groundhog Day", 1993, "comedy", [8]float32{0.3, 0, 0.9, 0.3, 0, 0.6, 0, 0}},
	{10, "Some Like It Hot", 1959, "comedy", [8]float32{0, 0.1, 0.9, 0.1, 0, 0.6, 0, 0}},
	{11, "Airplane!", 1980, "comedy", [8]float32{0, 0.2, 1, 0, 0, 0.1, 0, 0}},
	{12, "The Shawshank Redemption", 1994, "drama", [8]float32{0, 0.1, 0, 1, 0, 0, 0, 0}},
	{13, "Casablanca", 1942, "drama", [8]float32{0, 0.2, 0, 0.8, 0, 0.9, 0, 0}},
	{14, "The Shining", 1980, "horror", [8]float32{0, 0.1, 0, 0.4, 1, 0, 0, 0}},
	{15, "Get Out", 2017, "horror", [8]float32{0.2, 0.2, 0.3, 0.4, 0.8, 0.1, 0, 0}},
	{16, "Spirited Away", 2001, "animation", [8]float32{0.3, 0.2, 0.2, 0.4, 0.1, 0.1, 1, 0}},
	{17, "WALL-E", 2008, "animation", [8]float32{0.8, 0.1, 0.4, 0.3, 0, 0.5, 1, 0}},
	{18, "Toy Story", 1995, "animation", [8]float32{0.1, 0.3, 0.8, 0.2, 0, 0, 1, 0}},
	{19, "March of the Penguins", 2005, "documentary", [8]float32{0, 0, 0.1, 0.3, 0, 0.1, 0, 1}},
	{20, "Apollo 11", 2019, "documentary", [8]float32{0.6, 0.2, 0, 0.3, 0, 0, 0, 1}},
}

func vectorLiteral(v []float32) string {
	parts := make([]string, len(v))
	for i, f := range v {
		parts[i] = formatFloat(float64(f), 32)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// demoSteps returns the demo's statements, each with a line saying what it shows.
func demoSteps(table string) [][2]string {
	var ins strings.Builder
	fmt.Fprintf(&ins, "INSERT INTO %s (id, title, year, category, v) VALUES", table)
	for i, d := range demoVideos {
		if i > 0 {
			ins.WriteByte(',')
		}
		fmt.Fprintf(&ins, "\n  (%d, '%s', %d, '%s', %s)", d.id, strings.ReplaceAll(d.title, "'", "''"), d.year, d.category, vectorLiteral(d.v[:]))
	}
	// Something like The Matrix: sci-fi with action.
	query := vectorLiteral([]float32{0.9, 0.7, 0, 0.3, 0, 0, 0, 0})
	ann := fmt.Sprintf("SELECT id, title, year, similarity_cosine(v, %s) AS score\nFROM %s\nORDER BY v ANN OF %s\nLIMIT 3", query, table, query)
	return [][2]string{
		{"A table with a vector column (CQL types; becomes createTable):",
			fmt.Sprintf("CREATE TABLE %s (\n  id int PRIMARY KEY,\n  title text,\n  year int,\n  category text,\n  v vector<float, 8>\n)", table)},
		{"A vector index (createVectorIndex) and an index for filtering (createIndex):",
			fmt.Sprintf("CREATE VECTOR INDEX %s_v ON %s (v) WITH metric = 'cosine'", table, table)},
		{"", fmt.Sprintf("CREATE INDEX %s_category ON %s (category)", table, table)},
		{"Twenty rows in one INSERT (insertMany, in chunks of up to 100 rows):", ins.String()},
		{"A filter query (find with a filter; the ORDER BY is done by the driver):",
			fmt.Sprintf("SELECT id, title, year\nFROM %s\nWHERE category = 'sci-fi' AND year >= 1990\nORDER BY year", table)},
		{"A vector search: the 3 rows nearest a vector like The Matrix's (find with sort on v):", ann},
		{"What that search becomes on the wire, without running it:", "EXPLAIN " + ann},
	}
}

// runDemo is `astrasql demo`.
func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var o options
	fs := newFlagSet("astrasql demo", stdout, demoUsage)
	o.conn.register(fs.FlagSet)
	fs.Bool("q", false, "quiet: no banner (accepted for symmetry with the prompt)")
	fs.BoolVar(&o.conn.remote, "remote", false, "run on the database $ASTRA_DB_API_ENDPOINT names (it creates and drops table astrasql_demo_videos there)")
	fs.IntVar(&o.maxWidth, "maxwidth", 60, "cut table cells wider than this many `columns` (0: never)")
	rest, code, ok := parseFlags(fs, args, stderr)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "astrasql demo: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	o.format = formatTable
	if o.conn.dsn == "" && !o.conn.remote {
		// No setup and no surprise: a real database is used only when asked.
		o.conn.embedded = true
	}
	w := &warnings{}
	o.conn.hook = w
	db, code := o.conn.openOrExit(ctx, stderr)
	if db == nil {
		return code
	}
	s := newSession(db, stdout, stderr, o)
	s.conn, s.warn = &o.conn, w
	defer s.close()

	table := "videos"
	if !o.conn.embedded {
		// Never touch a real database's own "videos".
		table = "astrasql_demo_videos"
		fmt.Fprintf(stdout, "-- On %s the demo uses table %s (dropped first if it exists).\n\n", o.conn.describe(), table)
		if err := s.runItem(ctx, item{Text: "DROP TABLE IF EXISTS " + table}); err != nil {
			fmt.Fprintf(stderr, "astrasql: %s\n", errorText(err))
			return exitError
		}
	}
	for _, step := range demoSteps(table) {
		if step[0] != "" {
			fmt.Fprintf(stdout, "-- %s\n", step[0])
		}
		fmt.Fprintf(stdout, "%s%s;\n", prompt, strings.ReplaceAll(step[1], "\n", "\n"+contPrompt))
		if err := s.runItem(ctx, item{Text: step[1]}); err != nil {
			fmt.Fprintf(stderr, "astrasql: demo step failed: %s\n", errorText(err))
			return exitError
		}
		fmt.Fprintln(stdout)
	}
	if !isTerminal(stdin) {
		fmt.Fprintf(stdout, "-- Run `astrasql demo` on a terminal to continue at the prompt with the %s table loaded.\n", table)
		return exitOK
	}
	fmt.Fprintf(stdout, "-- Your turn: the %s table is loaded. Try \\d %s, or a query of your own.\n", table, table)
	return s.repl(ctx, stdin, o.conn.describe())
}
