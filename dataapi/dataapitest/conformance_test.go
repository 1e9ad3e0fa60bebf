package dataapitest

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the expected responses in testdata/conformance/*.txt")

// A conformance case file (testdata/conformance/*.txt) holds cases:
//
//	### case name
//	fixture: name[, name...]            (optional: setup requests, see fixtures)
//	messages: true                      (optional: compare error messages too)
//	POST /v1/default_keyspace/t         (optional extra request lines before the tested one,
//	{"insertOne": ...}                   each a POST line and a one-line body)
//	POST /v1/default_keyspace/t
//	{"find": {...}}
//	--- 200
//	{"data": ...}                       (expected response, one line)
//
// The last request is the one checked. Error and warning ids are masked;
// messages are masked unless the case asks for them.
type confCase struct {
	name     string
	fixtures []string
	messages bool
	headers  map[string]string
	reqs     []confReq
	status   int
	want     string
	line     int
}

type confReq struct{ path, body string }

func parseCases(t *testing.T, file string) []*confCase {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []*confCase
	var c *confCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 32<<20)
	ln := 0
	expectWant := false
	for sc.Scan() {
		ln++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "### "):
			c = &confCase{name: strings.TrimPrefix(line, "### "), line: ln, headers: map[string]string{}}
			cases = append(cases, c)
		case c == nil || strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		case expectWant:
			c.want = line
			expectWant = false
		case strings.HasPrefix(line, "fixture: "):
			for _, n := range strings.Split(strings.TrimPrefix(line, "fixture: "), ",") {
				c.fixtures = append(c.fixtures, strings.TrimSpace(n))
			}
		case line == "messages: true":
			c.messages = true
		case strings.HasPrefix(line, "header: "):
			k, v, _ := strings.Cut(strings.TrimPrefix(line, "header: "), ": ")
			c.headers[k] = v
		case strings.HasPrefix(line, "POST "):
			c.reqs = append(c.reqs, confReq{path: strings.TrimPrefix(line, "POST ")})
		case strings.HasPrefix(line, "--- "):
			c.status, _ = strconv.Atoi(strings.TrimPrefix(line, "--- "))
			expectWant = true
		default:
			if len(c.reqs) == 0 {
				t.Fatalf("%s:%d: body before POST line", file, ln)
			}
			c.reqs[len(c.reqs)-1].body += line
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// post sends a body with the usual client headers.
func post(t testing.TB, url, body string, headers map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Token", "Cassandra:Y2Fzc2FuZHJh:Y2Fzc2FuZHJh")
	req.Header.Set("User-Agent", "astrasql-conformance/1")
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// normalise masks volatile fields and re-serialises compactly.
func normalise(raw []byte, messages bool) string {
	v, err := parseJSON(bytes.TrimSpace(raw))
	if err != nil {
		return "UNPARSEABLE: " + string(raw)
	}
	mask(v, messages)
	var b bytes.Buffer
	writeJV(&b, v)
	return b.String()
}

func mask(v *jv, messages bool) {
	switch v.kind {
	case jArray:
		for _, e := range v.arr {
			mask(e, messages)
		}
	case jObject:
		isErr := v.get("errorCode") != nil && v.get("family") != nil
		for i, m := range v.obj {
			if isErr && m.key == "id" {
				v.obj[i].val = jStr("<id>")
				continue
			}
			if isErr && m.key == "message" && !messages {
				v.obj[i].val = jStr("<message>")
				continue
			}
			mask(m.val, messages)
		}
	}
}

func runCase(t *testing.T, c *confCase) (int, string) {
	srv := NewServer()
	defer srv.Close()
	for _, fx := range c.fixtures {
		reqs, ok := fixtures[fx]
		if !ok {
			t.Fatalf("unknown fixture %q", fx)
		}
		for _, r := range reqs {
			code, body := post(t, srv.URL+r.path, r.body, nil)
			if code != 200 || bytes.Contains(body, []byte(`"errors"`)) {
				t.Fatalf("fixture %s: %s %s -> %d %s", fx, r.path, r.body, code, body)
			}
		}
	}
	var code int
	var body []byte
	for i, r := range c.reqs {
		code, body = post(t, srv.URL+r.path, r.body, c.headers)
		if i < len(c.reqs)-1 && (code != 200 || bytes.Contains(body, []byte(`"errors"`))) {
			t.Fatalf("setup request %s %s -> %d %s", r.path, r.body, code, body)
		}
	}
	return code, normalise(body, c.messages)
}

func TestConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/conformance/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	total := 0
	for _, file := range files {
		cases := parseCases(t, file)
		total += len(cases)
		changed := false
		for _, c := range cases {
			t.Run(filepath.Base(file)+"/"+c.name, func(t *testing.T) {
				if len(c.reqs) == 0 {
					t.Fatalf("%s:%d: no request", file, c.line)
				}
				code, got := runCase(t, c)
				if *updateGolden {
					if code != c.status || got != c.want {
						c.status, c.want = code, got
						changed = true
					}
					return
				}
				if code != c.status {
					t.Errorf("%s:%d: HTTP %d, want %d; body %s", file, c.line, code, c.status, got)
				}
				if got != normaliseWant(c.want, c.messages) {
					t.Errorf("%s:%d:\n got: %s\nwant: %s", file, c.line, got, c.want)
				}
			})
		}
		if *updateGolden && changed {
			rewrite(t, file, cases)
		}
	}
	t.Logf("%d conformance cases", total)
}

func normaliseWant(s string, messages bool) string { return normalise([]byte(s), messages) }

// rewrite writes the expected responses back into a case file.
func rewrite(t *testing.T, file string, cases []*confCase) {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	byLine := map[int]*confCase{}
	for _, c := range cases {
		byLine[c.line] = c
	}
	var out []string
	var cur *confCase
	skipWant := false
	for i, l := range lines {
		if c, ok := byLine[i+1]; ok {
			cur = c
		}
		if skipWant {
			skipWant = false
			if strings.TrimSpace(l) != "" {
				continue
			}
		}
		if strings.HasPrefix(l, "--- ") && cur != nil {
			out = append(out, fmt.Sprintf("--- %d", cur.status), cur.want)
			skipWant = true
			continue
		}
		out = append(out, l)
	}
	if err := os.WriteFile(file, []byte(strings.Join(out, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}
