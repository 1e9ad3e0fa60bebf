package faultproxy_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/dataapi/dataapitest/faultproxy"
)

func TestUpstreamMustBeLoopback(t *testing.T) {
	for _, u := range []string{"http://db.example.invalid:8181", "http://10.0.0.1", "https://127.0.0.1:1", "127.0.0.1:1", "http://0.0.0.0:1"} {
		if p, err := faultproxy.New(u); err == nil {
			p.Close()
			t.Errorf("New(%q) accepted a non-loopback or non-http upstream", u)
		}
	}
}

func post(t *testing.T, url, body string) (int, string, error) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Token", "t")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// TestMatchAndCount: Nth and Times select the matching requests, other
// requests pass untouched, and faults are counted by kind.
func TestMatchAndCount(t *testing.T) {
	srv := dataapitest.NewServer()
	defer srv.Close()
	p, err := faultproxy.New(srv.URL, faultproxy.Fault{Match: faultproxy.Match{Command: "listTables", Nth: 2, Times: 2}, Kind: faultproxy.Status503})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var codes []int
	for i := 0; i < 5; i++ {
		code, _, err := post(t, p.URL+"/v1/default_keyspace", `{"listTables":{}}`)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, code)
	}
	if code, _, _ := post(t, p.URL+"/v1", `{"findKeyspaces":{}}`); code != 200 {
		t.Errorf("unmatched command: HTTP %d", code)
	}
	want := []int{200, 503, 503, 200, 200}
	for i := range want {
		if codes[i] != want[i] {
			t.Fatalf("statuses %v, want %v", codes, want)
		}
	}
	if c := p.Counts(); c["503"] != 2 || len(c) != 1 {
		t.Errorf("counts %v", c)
	}
	if r := p.Requests(); len(r) != 6 || r[1].Fault != "503" || r[0].Keyspace != "default_keyspace" || r[5].Command != "findKeyspaces" {
		t.Errorf("requests %+v", r)
	}
}

// TestBodies: truncated and malformed answers are 200s whose JSON is cut
// or broken; a reset gives the client a transport error.
func TestBodies(t *testing.T) {
	srv := dataapitest.NewServer()
	defer srv.Close()
	p, err := faultproxy.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	_, full, err := post(t, p.URL+"/v1/default_keyspace", `{"listTables":{}}`)
	if err != nil {
		t.Fatal(err)
	}
	p.Set(faultproxy.Fault{Kind: faultproxy.TruncatedJSON, AfterBytes: 5})
	if code, body, err := post(t, p.URL+"/v1/default_keyspace", `{"listTables":{}}`); err != nil || code != 200 || body != full[:5] {
		t.Errorf("truncated: %d %q %v (full %q)", code, body, err, full)
	}
	p.Set(faultproxy.Fault{Kind: faultproxy.MalformedJSON})
	if code, body, err := post(t, p.URL+"/v1/default_keyspace", `{"listTables":{}}`); err != nil || code != 200 || !strings.Contains(body, ",,") {
		t.Errorf("malformed: %d %q %v", code, body, err)
	}
	p.Set(faultproxy.Fault{Kind: faultproxy.ResetBeforeResponse})
	if _, _, err := post(t, p.URL+"/v1/default_keyspace", `{"listTables":{}}`); err == nil {
		t.Error("reset: no error")
	}
	p.Set(faultproxy.Fault{Kind: faultproxy.ResetMidBody, AfterBytes: 3})
	if _, _, err := post(t, p.URL+"/v1/default_keyspace", `{"listTables":{}}`); err == nil {
		t.Error("reset mid body: no error")
	}
	p.Set(faultproxy.Fault{Kind: faultproxy.Status429, RetryAfter: 1500e6})
	req, _ := http.NewRequest("POST", p.URL+"/v1/default_keyspace", strings.NewReader(`{"listTables":{}}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" {
		t.Errorf("429: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	t.Logf("counts %v", p.Counts())
}
