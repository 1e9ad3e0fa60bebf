package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// benchToken is what the local server is started with; it guards nothing
// (loopback, data made up) but proves every client sends its token.
const benchToken = "bench-local-token"

// proc is a child process that printed its base URL on start.
type proc struct {
	cmd *exec.Cmd
	URL string
}

var urlRE = regexp.MustCompile(`(http://127\.0\.0\.1:[0-9]+)`)

// startProc runs name args and waits for the first line holding a
// loopback URL on its stdout; the rest of its output is discarded.
func startProc(name string, args ...string) (*proc, error) {
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(out)
	found := make(chan string, 1)
	go func() {
		sent := false
		for sc.Scan() {
			if m := urlRE.FindString(sc.Text()); m != "" && !sent {
				found <- m
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case u, ok := <-found:
		if !ok {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, fmt.Errorf("%s exited without printing its URL", name)
		}
		return &proc{cmd: cmd, URL: u}, nil
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("%s printed no URL within 30s", name)
	}
}

// Stop interrupts the process (the server shuts down cleanly on SIGINT).
func (p *proc) Stop() {
	p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}

// CPU is the child's user+system CPU time so far (from /proc/pid/stat).
func (p *proc) CPU() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+2:]
	}
	f := strings.Fields(s)
	if len(f) < 13 {
		return 0
	}
	var ut, st int64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return time.Duration(ut+st) * 10 * time.Millisecond // USER_HZ = 100
}

// buildServer builds cmd/astrasql from the driver module at root.
func buildServer(root, dir string) (string, error) {
	bin := filepath.Join(dir, "astrasql")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/astrasql")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building astrasql serve: %w", err)
	}
	return bin, nil
}

// cpuTime is this process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ---- replay server -------------------------------------------------------

// replayServer records find responses from upstream, keyed by URL path and
// the exact request body (command + pageState), and after /_bench/replay
// answers those requests from memory. Anything else is proxied, so schema
// lookups still work.
type replayServer struct {
	upstream  string
	hc        *http.Client
	recording atomic.Bool
	mu        sync.RWMutex
	rec       map[string][]byte
	hits      atomic.Int64
	misses    atomic.Int64
}

func runReplay(upstream string) error {
	rs := &replayServer{upstream: upstream, rec: map[string][]byte{},
		hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	rs.recording.Store(true)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("replay server on http://%s\n", ln.Addr())
	return http.Serve(ln, rs)
}

func (rs *replayServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_bench/replay" {
		rs.recording.Store(false)
		rs.mu.RLock()
		n := len(rs.rec)
		rs.mu.RUnlock()
		fmt.Fprintf(w, `{"recorded":%d,"hits":%d,"misses":%d}`, n, rs.hits.Load(), rs.misses.Load())
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	key := r.URL.Path + "\x00" + string(body)
	if !rs.recording.Load() {
		rs.mu.RLock()
		resp, ok := rs.rec[key]
		rs.mu.RUnlock()
		if ok {
			rs.hits.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.Write(resp)
			return
		}
		rs.misses.Add(1)
	}
	req, err := http.NewRequest(http.MethodPost, rs.upstream+r.URL.Path, bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := rs.hc.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if rs.recording.Load() && resp.StatusCode == http.StatusOK && bytes.HasPrefix(bytes.TrimSpace(body), []byte(`{"find"`)) {
		rs.mu.Lock()
		rs.rec[key] = out
		rs.mu.Unlock()
	}
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	w.Write(out)
}

// switchToReplay ends recording on the replay child.
func switchToReplay(base string) (string, error) {
	resp, err := http.Post(base+"/_bench/replay", "application/json", strings.NewReader("{}"))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", errors.New(string(b))
	}
	return string(b), nil
}

func replayStats(base string) string {
	s, err := switchToReplay(base)
	if err != nil {
		return err.Error()
	}
	return s
}
