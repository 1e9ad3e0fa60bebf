package dataapitest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const benchTable = `{"createTable":{"name":"wide","definition":{"columns":{"id":"int","a":"text","b":"int","c":"double","d":"boolean","e":"timestamp","f":"uuid","g":"bigint","h":"text","i":"decimal"},"primaryKey":"id"}}}`

func wideBatch(start, n int) string {
	var b strings.Builder
	b.WriteString(`{"insertMany":{"documents":[`)
	for j := start; j < start+n; j++ {
		if j > start {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"a":"text value %d","b":%d,"c":%d.5,"d":true,"e":"2024-01-02T03:04:05.678Z","f":"00000000-0000-4000-8000-%012d","g":%d,"h":"another column","i":%d.25}`, j, j, j, j, j, j*7, j)
	}
	b.WriteString(`],"options":{"ordered":false}}}`)
	return b.String()
}

func rawPost(b *testing.B, c *http.Client, url, body string) []byte {
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Token", "t")
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		b.Fatalf("HTTP %d: %s", resp.StatusCode, out)
	}
	return out
}

// BenchmarkFindPaging pages through 100,000 rows of 10 columns over HTTP.
func BenchmarkFindPaging(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	c := &http.Client{}
	rawPost(b, c, srv.URL+ksPath, benchTable)
	for i := 0; i < 100000; i += 100 {
		rawPost(b, c, srv.URL+ksPath+"/wide", wideBatch(i, 100))
	}
	b.ResetTimer()
	start := time.Now()
	rows := 0
	for n := 0; n < b.N; n++ {
		state := ""
		for {
			body := `{"find":{}}`
			if state != "" {
				body = `{"find":{"options":{"pageState":"` + state + `"}}}`
			}
			out := rawPost(b, c, srv.URL+ksPath+"/wide", body)
			var e struct {
				Data struct {
					Documents     []json.RawMessage `json:"documents"`
					NextPageState *string           `json:"nextPageState"`
				} `json:"data"`
			}
			if err := json.Unmarshal(out, &e); err != nil {
				b.Fatal(err)
			}
			rows += len(e.Data.Documents)
			if e.Data.NextPageState == nil {
				break
			}
			state = *e.Data.NextPageState
		}
	}
	b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkInsertMany writes 100-row insertMany commands of 10 columns.
func BenchmarkInsertMany(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	c := &http.Client{}
	rawPost(b, c, srv.URL+ksPath, benchTable)
	bodies := make([]string, 100)
	for i := range bodies {
		bodies[i] = wideBatch(i*100, 100)
	}
	b.ResetTimer()
	start := time.Now()
	for n := 0; n < b.N; n++ {
		rawPost(b, c, srv.URL+ksPath+"/wide", bodies[n%len(bodies)])
	}
	b.ReportMetric(float64(b.N*100)/time.Since(start).Seconds(), "rows/s")
}
