package dataapitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

type envelope struct {
	Data struct {
		Documents     []map[string]any `json:"documents"`
		NextPageState *string          `json:"nextPageState"`
	} `json:"data"`
	Status map[string]any   `json:"status"`
	Errors []map[string]any `json:"errors"`
}

func call(t testing.TB, srv *Server, path, body string) envelope {
	t.Helper()
	code, b := post(t, srv.URL+path, body, nil)
	if code != 200 {
		t.Fatalf("%s %s: HTTP %d %s", path, body, code, b)
	}
	var e envelope
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("%s: %v in %s", path, err, b)
	}
	if len(e.Errors) > 0 {
		t.Fatalf("%s %s: errors %v", path, body, e.Errors)
	}
	return e
}

func mustCall(t testing.TB, srv *Server, path, body string) envelope { return call(t, srv, path, body) }

// loadRows inserts n rows into a table t(p int, c int, v text) with
// partitions of size per.
func loadRows(t testing.TB, srv *Server, n, per int) {
	mustCall(t, srv, ksPath, `{"createTable":{"name":"big","definition":{"columns":{"p":"int","c":"int","v":"text"},"primaryKey":{"partitionBy":["p"],"partitionSort":{"c":1}}}}}`)
	var b strings.Builder
	for i := 0; i < n; i += 100 {
		b.Reset()
		b.WriteString(`{"insertMany":{"documents":[`)
		for j := i; j < i+100 && j < n; j++ {
			if j > i {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"p":%d,"c":%d,"v":"r%d"}`, j/per, j%per, j)
		}
		b.WriteString(`],"options":{"ordered":false}}}`)
		mustCall(t, srv, ksPath+"/big", b.String())
	}
}

func TestPagingVisitsEveryRowOnce(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	loadRows(t, srv, 1234, 7)
	seen := map[string]bool{}
	state := ""
	pages := 0
	for {
		body := `{"find":{"projection":{"v":1}}}`
		if state != "" {
			body = fmt.Sprintf(`{"find":{"projection":{"v":1},"options":{"pageState":%q}}}`, state)
		}
		e := mustCall(t, srv, ksPath+"/big", body)
		pages++
		if len(e.Data.Documents) > 50 {
			t.Fatalf("page of %d rows", len(e.Data.Documents))
		}
		for _, d := range e.Data.Documents {
			v := d["v"].(string)
			if seen[v] {
				t.Fatalf("row %s seen twice", v)
			}
			seen[v] = true
		}
		if e.Data.NextPageState == nil {
			break
		}
		state = *e.Data.NextPageState
	}
	if len(seen) != 1234 || pages != 25 {
		t.Fatalf("saw %d rows in %d pages, want 1234 in 25", len(seen), pages)
	}
}

func TestPagingLimitCountsAcrossPages(t *testing.T) {
	srv := NewServer(WithPageSize(10))
	defer srv.Close()
	loadRows(t, srv, 100, 100)
	total, state := 0, ""
	for i := 0; i < 10; i++ {
		body := `{"find":{"filter":{"p":0},"options":{"limit":25}}}`
		if state != "" {
			body = fmt.Sprintf(`{"find":{"filter":{"p":0},"options":{"limit":25,"pageState":%q}}}`, state)
		}
		e := mustCall(t, srv, ksPath+"/big", body)
		for j, d := range e.Data.Documents {
			if int(d["c"].(float64)) != total+j {
				t.Fatalf("row %d has c=%v: clustering order lost", total+j, d["c"])
			}
		}
		total += len(e.Data.Documents)
		if e.Data.NextPageState == nil {
			break
		}
		state = *e.Data.NextPageState
	}
	if total != 25 {
		t.Fatalf("got %d rows, want 25", total)
	}
}

func TestPagingReverseClusteringOrder(t *testing.T) {
	srv := NewServer(WithPageSize(7))
	defer srv.Close()
	loadRows(t, srv, 30, 30)
	var got []int
	state := ""
	for {
		body := `{"find":{"filter":{"p":0},"sort":{"c":-1}}}`
		if state != "" {
			body = fmt.Sprintf(`{"find":{"filter":{"p":0},"sort":{"c":-1},"options":{"pageState":%q}}}`, state)
		}
		e := mustCall(t, srv, ksPath+"/big", body)
		for _, d := range e.Data.Documents {
			got = append(got, int(d["c"].(float64)))
		}
		if e.Data.NextPageState == nil {
			break
		}
		state = *e.Data.NextPageState
	}
	if len(got) != 30 {
		t.Fatalf("got %d rows", len(got))
	}
	for i, c := range got {
		if c != 29-i {
			t.Fatalf("position %d has c=%d: %v", i, c, got)
		}
	}
}

func TestInMemorySortLimit(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	loadRows(t, srv, 10001, 1000)
	code, b := post(t, srv.URL+ksPath+"/big", `{"find":{"sort":{"v":1}}}`, nil)
	if code != 200 || !strings.Contains(string(b), `"OVERLOADED_SORT_ROW_LIMIT"`) {
		t.Fatalf("got %d %s", code, b)
	}
	mustCall(t, srv, ksPath+"/big", `{"deleteMany":{"filter":{"p":10}}}`)
	e := mustCall(t, srv, ksPath+"/big", `{"find":{"sort":{"v":-1},"options":{"skip":10}}}`)
	if len(e.Data.Documents) != 50 || e.Status["sortedRowCount"].(float64) != 10000 || e.Data.NextPageState != nil {
		t.Fatalf("got %d rows, status %v", len(e.Data.Documents), e.Status["sortedRowCount"])
	}
}

func TestTokenOption(t *testing.T) {
	srv := NewServer(WithToken("secret-token"))
	defer srv.Close()
	code, b := post(t, srv.URL+"/v1", `{"findKeyspaces":{}}`, nil)
	if code != 401 || !strings.Contains(string(b), "UNAUTHENTICATED_REQUEST") {
		t.Fatalf("wrong token: %d %s", code, b)
	}
	if strings.Contains(string(b), "secret-token") || strings.Contains(string(b), "Y2Fzc2FuZHJh") {
		t.Fatalf("token echoed: %s", b)
	}
	code, _ = post(t, srv.URL+"/v1", `{"findKeyspaces":{}}`, map[string]string{"Token": "secret-token"})
	if code != 200 {
		t.Fatalf("right token: %d", code)
	}
}

func TestHTTPStatuses(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	cases := []struct {
		method, path string
		body         string
		want         int
	}{
		{"GET", "/v1", "", 405},
		{"GET", "/v1/default_keyspace", "", 404},
		{"POST", "/nothing", "{}", 404},
		{"POST", "/v1/a/b/c", "{}", 404},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
		req.Header.Set("Token", "t")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, resp.StatusCode, c.want)
		}
	}
	big := `{"insertOne":{"document":{"k":1,"v":"` + strings.Repeat("x", maxBodyBytes) + `"}}}`
	code, _ := post(t, srv.URL+ksPath+"/kv", big, nil)
	if code != 413 {
		t.Errorf("oversized body: %d, want 413", code)
	}
}

func TestConcurrentClients(t *testing.T) {
	srv := NewServer(WithPageSize(20))
	defer srv.Close()
	mustCall(t, srv, ksPath, `{"createTable":{"name":"c","definition":{"columns":{"p":"int","c":"int","v":"text","n":"int"},"primaryKey":{"partitionBy":["p"],"partitionSort":{"c":1}}}}}`)
	mustCall(t, srv, ksPath+"/c", `{"createIndex":{"name":"c_n","definition":{"column":"n"}}}`)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 60; i++ {
				switch i % 6 {
				case 0, 1:
					var b strings.Builder
					b.WriteString(`{"insertMany":{"documents":[`)
					for j := 0; j < 10; j++ {
						if j > 0 {
							b.WriteByte(',')
						}
						fmt.Fprintf(&b, `{"p":%d,"c":%d,"v":"w%d","n":%d}`, w, i*10+j, w, j)
					}
					b.WriteString(`]}}`)
					call(t, srv, ksPath+"/c", b.String())
				case 2:
					call(t, srv, ksPath+"/c", fmt.Sprintf(`{"updateOne":{"filter":{"p":%d,"c":%d},"update":{"$set":{"v":"u"}}}}`, w, i))
				case 3:
					e := call(t, srv, ksPath+"/c", `{"find":{"filter":{"n":3}}}`)
					if e.Data.NextPageState != nil {
						call(t, srv, ksPath+"/c", fmt.Sprintf(`{"find":{"filter":{"n":3},"options":{"pageState":%q}}}`, *e.Data.NextPageState))
					}
				case 4:
					call(t, srv, ksPath+"/c", fmt.Sprintf(`{"deleteMany":{"filter":{"p":%d,"c":{"$lt":%d}}}}`, w, i*5))
				case 5:
					call(t, srv, ksPath, `{"listTables":{"options":{"explain":true}}}`)
					call(t, srv, ksPath+"/c", fmt.Sprintf(`{"deleteOne":{"filter":{"p":%d,"c":%d}}}`, w, i*10+1))
				}
			}
		}(w)
	}
	// schema changes alongside the row traffic
	for i := 0; i < 10; i++ {
		mustCall(t, srv, ksPath+"/c", fmt.Sprintf(`{"alterTable":{"operation":{"add":{"columns":{"x%d":"int"}}}}}`, i))
	}
	wg.Wait()
}

func TestInvalidUTF8IsNotJSON(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	code, b := post(t, srv.URL+ksPath, "{\"dropTable\":{\"name\":\"\xff\xfe\"}}", nil)
	if code != 200 || !strings.Contains(string(b), `"REQUEST_NOT_JSON"`) {
		t.Fatalf("got %d %s", code, b)
	}
}
