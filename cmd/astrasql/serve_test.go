package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestRunServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr strings.Builder
	exit := make(chan int, 1)
	go func() {
		exit <- runServe(ctx, []string{"-addr", "127.0.0.1:0", "-token", "s3cret"}, pw, &stderr)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	if !sc.Scan() {
		t.Fatalf("no output; stderr %q", stderr.String())
	}
	first := sc.Text()
	m := regexp.MustCompile(`^astrasql: local Data API server on (http://127\.0\.0\.1:\d+) \(keyspace default_keyspace\)$`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first line %q", first)
	}
	if !sc.Scan() || !strings.Contains(sc.Text(), "DSN "+m[1]+"?keyspace=default_keyspace") || strings.Contains(sc.Text(), "s3cret") {
		t.Fatalf("DSN line %q", sc.Text())
	}
	go func() {
		for sc.Scan() {
		}
	}()
	for _, c := range []struct {
		token string
		want  int
	}{{"s3cret", 200}, {"other", 401}} {
		req, _ := http.NewRequest("POST", m[1]+"/v1/default_keyspace", strings.NewReader(`{"listTables":{}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Token", c.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("token %q: HTTP %d, want %d", c.token, resp.StatusCode, c.want)
		}
	}
	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestRunServeBadArgs(t *testing.T) {
	var out, errb strings.Builder
	if code := runServe(context.Background(), []string{"-nope"}, &out, &errb); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if code := runServe(context.Background(), []string{"-addr", "256.0.0.1:1"}, &out, &errb); code != 1 {
		t.Fatalf("exit %d", code)
	}
}
