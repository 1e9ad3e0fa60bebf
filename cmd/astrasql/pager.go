package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/term"
)

// errPagerQuit: the user quit the pager before the end of the result.
var errPagerQuit = errors.New("pager quit")

// usePager says whether results go through a pager: on a terminal, at the
// prompt, with \pset pager on (the default) or always, and no \o file.
func (s *session) usePager() bool {
	return s.interactive && s.pager != "off" && s.outFile == nil && isTerminal(s.stdout)
}

// pagerCommand is $PAGER, else less (quitting at once when the result fits
// a screen, keeping colours, not wrapping lines), else more.
func pagerCommand() string {
	if p := strings.TrimSpace(os.Getenv("PAGER")); p != "" {
		return p
	}
	if _, err := exec.LookPath("less"); err == nil {
		return "less -FRSX"
	}
	return "more"
}

// pager holds a result's output until it is longer than the terminal, and
// then starts the pager and streams the rest through it; a short result
// is printed as it is. always starts the pager at once.
type pager struct {
	term   io.Writer
	height int
	buf    bytes.Buffer
	lines  int
	cmd    *exec.Cmd
	pipe   io.WriteCloser
	failed bool
}

func newPager(tty io.Writer, always bool) *pager {
	p := &pager{term: tty, height: 24}
	if f, ok := tty.(*os.File); ok {
		if _, h, err := term.GetSize(int(f.Fd())); err == nil && h > 0 {
			p.height = h
		}
	}
	if always {
		p.height = 0
	}
	return p
}

func (p *pager) Write(b []byte) (int, error) {
	if p.pipe != nil {
		if _, err := p.pipe.Write(b); err != nil {
			return 0, errPagerQuit
		}
		return len(b), nil
	}
	if p.failed {
		return p.term.Write(b)
	}
	p.buf.Write(b)
	p.lines += bytes.Count(b, []byte{'\n'})
	if p.lines >= p.height-1 {
		p.start()
	}
	return len(b), nil
}

// start runs the pager and hands it what was held; when it cannot start,
// output goes to the terminal.
func (p *pager) start() {
	cmd := exec.Command("sh", "-c", pagerCommand())
	cmd.Stdout, cmd.Stderr = p.term, os.Stderr
	pipe, err := cmd.StdinPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		p.failed = true
		p.term.Write(p.buf.Bytes())
		p.buf.Reset()
		return
	}
	p.cmd, p.pipe = cmd, pipe
	pipe.Write(p.buf.Bytes())
	p.buf.Reset()
}

// close prints what is held (a short result), or waits for the pager.
func (p *pager) close() {
	if p.pipe == nil {
		p.term.Write(p.buf.Bytes())
		return
	}
	p.pipe.Close()
	p.cmd.Wait()
}

// ddlWriter prints SHOW CREATE TABLE as the statements themselves, each
// ending in ';', ready to copy.
type ddlWriter struct {
	w io.Writer
	n int
}

func (d *ddlWriter) begin([]column) error { return nil }

func (d *ddlWriter) row(vals []any) error {
	d.n++
	s, _ := vals[1].(string)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = escapeControl(l)
	}
	_, err := io.WriteString(d.w, strings.Join(lines, "\n")+";\n")
	return err
}

func (d *ddlWriter) end() error { return nil }
