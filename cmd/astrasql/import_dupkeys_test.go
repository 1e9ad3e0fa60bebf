package main

import (
	"fmt"
	"strings"
	"testing"
)

// \import of a file that repeats a primary key, within one batch of the
// importer and across batches, ends with the last line's values, as
// loading the lines in order would (issue 13 item 4).
func TestImportRepeatedKeyLastWins(t *testing.T) {
	dsn := newServer(t)
	if r := runCLI(t, "", "-dsn", dsn, "-e", "CREATE TABLE dk (id int PRIMARY KEY, v text)"); r.code != 0 {
		t.Fatalf("setup: %v", r)
	}
	var b strings.Builder
	b.WriteString("id,v\n")
	const lines = 1200 // more than two of the importer's batches
	for i := 0; i < lines; i++ {
		id := i
		if i%100 == 0 {
			id = 0 // key 0 at lines 0, 100, ..., 1100: the last says v1100
		}
		fmt.Fprintf(&b, "%d,v%d\n", id, i)
	}
	r := runCLI(t, "", "import", "-dsn", dsn, "-table", "dk", writeFile(t, "dk.csv", b.String()))
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("IMPORT %d ", lines)) {
		t.Fatalf("import: %v", r)
	}
	r = runCLI(t, "", "-dsn", dsn, "-format", "csv", "-e", "SELECT v FROM dk WHERE id = 0")
	if r.stdout != "v\nv1100\n" {
		t.Errorf("key 0 = %q, want v1100 (the last line)", r.stdout)
	}
}
