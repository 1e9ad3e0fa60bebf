package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives the interactive prompt in a real terminal.
type tmuxSession struct {
	t    *testing.T
	sock string
	name string
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", s.sock}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

func (s *tmuxSession) screen() string {
	return s.tmux("capture-pane", "-p", "-t", s.name)
}

// waitFor waits until the screen shows want, and returns the screen.
func (s *tmuxSession) waitFor(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		scr := s.screen()
		if strings.Contains(scr, want) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen never showed %q:\n%s", want, scr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// send sends keys; a key ending in ';' is escaped, since tmux would take
// it for a command separator.
func (s *tmuxSession) send(keys ...string) {
	args := []string{"send-keys", "-t", s.name}
	for _, k := range keys {
		if strings.HasSuffix(k, ";") {
			k = k[:len(k)-1] + `\;`
		}
		args = append(args, k)
	}
	s.tmux(args...)
}

func TestPromptInTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed")
	}
	dir, err := os.MkdirTemp("", "astmux") // short: socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &tmuxSession{t: t, sock: filepath.Join(dir, "s"), name: "cli"}
	cmdline := fmt.Sprintf("env %s=1 HOME=%s XDG_CONFIG_HOME=%s ASTRA_DB_API_ENDPOINT= %s; echo EXITED $?; sleep 30", cliTestEnv, dir, dir, os.Args[0])
	s.tmux("new-session", "-d", "-s", s.name, "-x", "100", "-y", "40", cmdline)
	t.Cleanup(func() { exec.Command("tmux", "-S", s.sock, "kill-server").Run() })

	s.waitFor("astrasql>")
	s.send("CREATE TABLE t (id int PRIMARY KEY, title text, v vector<float, 6>);", "Enter")
	s.waitFor("OK")
	// A statement over two lines, with a ';' inside a string.
	s.send("INSERT INTO t (id, title, v) VALUES", "Enter")
	s.waitFor("       ->")
	s.send("(1, 'a;b', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), (2, NULL, [1, 2, 3, 4, 5, 6]);", "Enter")
	s.waitFor("INSERT 2")
	s.send("SELECT * FROM t ORDER BY id;", "Enter")
	scr := s.waitFor("(2 rows)")
	for _, want := range []string{"a;b", "[0.1, 0.2, 0.3, … (6 dims)]", "NULL"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q:\n%s", want, scr)
		}
	}
	// Ctrl-C drops a half-typed statement; the prompt goes on.
	s.send("SELECT nothing", "Enter")
	s.waitFor("       ->")
	s.send("C-c")
	s.send("\\d t", "Enter")
	scr = s.waitFor("vector<float, 6>")
	if strings.Contains(scr, "nothing") && strings.Contains(scr, "ERROR") {
		t.Errorf("Ctrl-C did not drop the statement:\n%s", scr)
	}
	// History: Up recalls the last line.
	s.send("Up")
	s.waitFor("astrasql> \\d t")
	s.send("C-u", "C-d")
	s.waitFor("EXITED 0")
	hist, err := os.ReadFile(filepath.Join(dir, "astrasql", "history"))
	if err != nil || !strings.Contains(string(hist), "SELECT * FROM t ORDER BY id;") {
		t.Errorf("history file: %v %q", err, hist)
	}
}

// startPrompt runs the prompt in a tmux window of the given size.
func startPrompt(t *testing.T, width, height int) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed")
	}
	dir, err := os.MkdirTemp("", "astmux")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &tmuxSession{t: t, sock: filepath.Join(dir, "s"), name: "cli"}
	cmdline := fmt.Sprintf("env %s=1 HOME=%s XDG_CONFIG_HOME=%s ASTRA_DB_API_ENDPOINT= PAGER=cat %s; echo EXITED $?; sleep 30", cliTestEnv, dir, dir, os.Args[0])
	s.tmux("new-session", "-d", "-s", s.name, "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), cmdline)
	t.Cleanup(func() { exec.Command("tmux", "-S", s.sock, "kill-server").Run() })
	s.waitFor("astrasql>")
	return s
}

const wideSetup = "CREATE TABLE wide (id int PRIMARY KEY, big varint, e double, d date, u uuid, title text, description text, tags set<text>, note text);"
const wideInsert = "INSERT INTO wide (id, big, e, d, u, title, description, tags, note) VALUES (1, 123456789012345678901234567890, 2.718281828459045, '2024-02-29', '123e4567-e89b-12d3-a456-426614174000', 'Alien', 'A crew aboard a commercial spaceship meets a deadly alien lifeform', {'space', 'horror'}, NULL), (2, 1, 0.5, '1999-01-01', '00000000-0000-0000-0000-000000000000', 'NULL', NULL, NULL, 'x');"

// A wide table at 80 and 200 columns: numbers, dates and uuids are never
// cut; at 80 columns the table does not fit and is shown expanded (\x auto
// is the prompt's default), at 200 it is a table.
func TestPromptWideTableInTmux(t *testing.T) {
	for _, width := range []int{80, 200} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			s := startPrompt(t, width, 60)
			s.send(wideSetup, "Enter")
			s.waitFor("OK")
			s.send(wideInsert, "Enter")
			s.waitFor("INSERT 2")
			s.send("C-l")
			s.send(`\pset null '(null)'`, "Enter")
			s.waitFor(`Null display is "(null)".`)
			s.send("SELECT * FROM wide WHERE id IN (1, 2);", "Enter")
			scr := s.waitFor("(2 rows)")
			for _, want := range []string{"123456789012345678901234567890", "2.718281828459045", "2024-02-29", "123e4567-e89b-12d3-a456-426614174000", "(null)", "NULL"} {
				if !strings.Contains(scr, want) {
					t.Errorf("screen lacks %q:\n%s", want, scr)
				}
			}
			expanded := strings.Contains(scr, "-[ RECORD 1 ]")
			if expanded != (width == 80) {
				t.Errorf("expanded = %v at %d columns:\n%s", expanded, width, scr)
			}
			if width == 200 && !strings.Contains(scr, " id | big                            | d          | description") {
				t.Errorf("no table header:\n%s", scr)
			}
			// \x off at 80: a table; the uuid still whole.
			if width == 80 {
				s.send("C-l")
				s.send(`\x off`, "Enter")
				s.send("SELECT id, u, title, description FROM wide WHERE id = 1;", "Enter")
				scr = s.waitFor("(1 row)")
				if !strings.Contains(scr, "123e4567-e89b-12d3-a456-426614174000") || !strings.Contains(scr, " id | u ") {
					t.Errorf("\\x off:\n%s", scr)
				}
				for _, l := range strings.Split(scr, "\n") {
					if len([]rune(strings.TrimRight(l, " "))) > 80 {
						t.Errorf("line wider than the window: %q", l)
					}
				}
			}
			// The server's warning, after the result.
			s.send("C-l")
			s.send("SELECT title FROM wide WHERE e > 1;", "Enter")
			scr = s.waitFor("WARNING:")
			if !strings.Contains(scr, "MISSING_INDEX") {
				t.Errorf("no warning:\n%s", scr)
			}
			// safe_updates is on at the prompt; \safe off allows the UPDATE.
			s.send("C-l")
			s.send("UPDATE wide SET note = 'y' WHERE title = 'Alien';", "Enter")
			scr = s.waitFor("ERROR:")
			if !strings.Contains(scr, "safe") {
				t.Errorf("safe_updates:\n%s", scr)
			}
			s.send(`\safe off`, "Enter")
			s.waitFor("Safe updates are off.")
			s.send("UPDATE wide SET note = 'y' WHERE title = 'Alien';", "Enter")
			s.waitFor("UPDATE 1")
			s.send(`\q`, "Enter")
			s.waitFor("EXITED 0")
		})
	}
}
