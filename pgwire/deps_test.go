package pgwire_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDriverDoesNotImportPgwire: a program importing the driver compiles
// neither this package nor pgx.
func TestDriverDoesNotImportPgwire(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("skipping: the go command is not on PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/astrasql/astrasql").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "/pgwire") || strings.Contains(pkg, "github.com/jackc/") {
			t.Errorf("the driver depends on %s", pkg)
		}
	}
}
