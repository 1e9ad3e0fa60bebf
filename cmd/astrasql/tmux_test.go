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
