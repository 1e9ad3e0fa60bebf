package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
)

// bare is the baseline: net/http + encoding/json, sending the same
// commands the driver sends, with no SQL, no schema and no type mapping
// beyond what encoding/json does.
type bare struct {
	base string // server URL; commands go to base/v1/default_keyspace/<table>
	hc   *http.Client
}

func newBare(base string) *bare {
	return &bare{base: base, hc: &http.Client{Transport: &http.Transport{
		MaxIdleConns: 256, MaxIdleConnsPerHost: 128, IdleConnTimeout: 90 * time.Second}}}
}

type apiErr struct {
	ErrorCode string `json:"errorCode"`
	Message   string `json:"message"`
}

// post sends body to table and decodes the response into out, which must
// embed an Errors field check through errs.
func (b *bare) post(ctx context.Context, table string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/v1/default_keyspace/"+table, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Token", benchToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.hc.Do(req)
	if err != nil {
		return err
	}
	defer func() {
		// Read to the end, or net/http does not reuse the connection: every
		// request would pay a new connection (a round trip more under -rtt).
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d", table, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// ---- insert ---------------------------------------------------------------

type binVec struct {
	Binary string `json:"$binary"`
}

type wireRow struct {
	ID    int64     `json:"id"`
	Name  string    `json:"name"`
	Grp   string    `json:"grp"`
	N     int64     `json:"n"`
	Big   int64     `json:"big"`
	Score float64   `json:"score"`
	OK    bool      `json:"ok"`
	TS    time.Time `json:"ts"`
	UID   uuid.UUID `json:"uid"`
	Note  string    `json:"note"`
	V     *binVec   `json:"v,omitempty"`
}

type insertResp struct {
	Status struct {
		InsertedIDs []json.RawMessage `json:"insertedIds"`
	} `json:"status"`
	Errors []apiErr `json:"errors"`
}

// insert writes rows [0, n) in insertMany chunks of chunk rows, conc
// chunks in flight; vecs (may be nil) gives each row's vector.
func (b *bare) insert(ctx context.Context, table string, n, chunk, conc int, vecs [][]float32) error {
	return b.insertRows(ctx, table, n, func(i int) int { return i }, chunk, conc, vecs)
}

// insertRows writes the rows id(0), ..., id(n-1) as insert does.
func (b *bare) insertRows(ctx context.Context, table string, n int, id func(int) int, chunk, conc int, vecs [][]float32) error {
	type job struct{ lo, hi int }
	jobs := make(chan job)
	errc := make(chan error, conc)
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			docs := make([]wireRow, 0, chunk)
			for j := range jobs {
				docs = docs[:0]
				for k := j.lo; k < j.hi; k++ {
					i := id(k)
					r := makeRow(i)
					wr := wireRow{r.ID, r.Name, r.Grp, r.N, r.Big, r.Score, r.OK, r.TS, r.UID, r.Note, nil}
					if vecs != nil {
						wr.V = &binVec{binaryVector(vecs[i])}
					}
					docs = append(docs, wr)
				}
				body, err := json.Marshal(map[string]any{"insertMany": map[string]any{
					"documents": docs, "options": map[string]any{"ordered": false}}})
				if err == nil {
					var out insertResp
					err = b.post(ctx, table, body, &out)
					if err == nil && (len(out.Errors) > 0 || len(out.Status.InsertedIDs) != len(docs)) {
						err = fmt.Errorf("insertMany: %d inserted of %d, errors %v", len(out.Status.InsertedIDs), len(docs), out.Errors)
					}
				}
				if err != nil {
					select {
					case errc <- err:
					default:
					}
				}
			}
		}()
	}
	for lo := 0; lo < n; lo += chunk {
		jobs <- job{lo, min(lo+chunk, n)}
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

// ---- scans ------------------------------------------------------------------

type findResp[T any] struct {
	Data struct {
		Documents     []T     `json:"documents"`
		NextPageState *string `json:"nextPageState"`
	} `json:"data"`
	Errors []apiErr `json:"errors"`
}

// typedRow is the typed-struct variant of a scanned row.
type typedRow struct {
	ID    int64     `json:"id"`
	Name  string    `json:"name"`
	Grp   string    `json:"grp"`
	N     int64     `json:"n"`
	Big   int64     `json:"big"`
	Score float64   `json:"score"`
	OK    bool      `json:"ok"`
	TS    time.Time `json:"ts"`
	UID   uuid.UUID `json:"uid"`
	Note  string    `json:"note"`
}

// scan pages through find (body made by mk from the page state), calling
// each for every row; it returns the row count.
func scan[T any](ctx context.Context, b *bare, table string, mk func(ps string) []byte, each func(*T)) (int, error) {
	n, ps := 0, ""
	for {
		var out findResp[T]
		if err := b.post(ctx, table, mk(ps), &out); err != nil {
			return n, err
		}
		if len(out.Errors) > 0 {
			return n, fmt.Errorf("find: %v", out.Errors)
		}
		for i := range out.Data.Documents {
			each(&out.Data.Documents[i])
		}
		n += len(out.Data.Documents)
		if out.Data.NextPageState == nil || *out.Data.NextPageState == "" {
			return n, nil
		}
		ps = *out.Data.NextPageState
	}
}

// findBody is {"find":{<inner>,"options":{"pageState":ps}}}, the shape the
// driver sends (it is recorded by the replay server as sent).
func findBody(inner, ps string) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"find":{`)
	buf.WriteString(inner)
	if ps != "" {
		if inner != "" {
			buf.WriteByte(',')
		}
		q, _ := json.Marshal(ps)
		buf.WriteString(`"options":{"pageState":`)
		buf.Write(q)
		buf.WriteByte('}')
	}
	buf.WriteString(`}}`)
	return buf.Bytes()
}

func (b *bare) scanMap(ctx context.Context, table string) (int, error) {
	var sink int
	return scan(ctx, b, table, func(ps string) []byte { return findBody("", ps) }, func(m *map[string]any) {
		sink += len(*m)
	})
}

func (b *bare) scanTyped(ctx context.Context, table string) (int, error) {
	var sink int64
	return scan(ctx, b, table, func(ps string) []byte { return findBody("", ps) }, func(r *typedRow) {
		sink += r.ID
	})
}

// ---- point lookup, vector search, group by ------------------------------------

type findOneResp struct {
	Data struct {
		Document map[string]any `json:"document"`
	} `json:"data"`
	Errors []apiErr `json:"errors"`
}

func (b *bare) lookup(ctx context.Context, table string, id int) error {
	body := fmt.Appendf(nil, `{"findOne":{"filter":{"id":%d}}}`, id)
	var out findOneResp
	if err := b.post(ctx, table, body, &out); err != nil {
		return err
	}
	if len(out.Errors) > 0 || out.Data.Document == nil {
		return fmt.Errorf("findOne %d: %v", id, out.Errors)
	}
	return nil
}

func (b *bare) vectorSearch(ctx context.Context, table string, q []float32) (int, error) {
	body := fmt.Appendf(nil, `{"find":{"sort":{"v":{"$binary":%q}},"projection":{"id":1,"name":1},"options":{"limit":10}}}`, binaryVector(q))
	var out findResp[map[string]any]
	if err := b.post(ctx, table, body, &out); err != nil {
		return 0, err
	}
	if len(out.Errors) > 0 {
		return 0, fmt.Errorf("vector find: %v", out.Errors)
	}
	return len(out.Data.Documents), nil
}

type groupAgg struct {
	count    int64
	sumN     int64
	sumScore float64
	maxBig   int64
}

// groupBy is the hand-written equivalent of
// SELECT grp, COUNT(*), SUM(n), AVG(score), MAX(big) FROM t GROUP BY grp.
func (b *bare) groupBy(ctx context.Context, table string) (map[string]*groupAgg, int, error) {
	type g struct {
		Grp   string  `json:"grp"`
		N     int64   `json:"n"`
		Score float64 `json:"score"`
		Big   int64   `json:"big"`
	}
	groups := map[string]*groupAgg{}
	n, err := scan(ctx, b, table, func(ps string) []byte {
		return findBody(`"projection":{"grp":1,"n":1,"score":1,"big":1}`, ps)
	}, func(r *g) {
		a := groups[r.Grp]
		if a == nil {
			a = &groupAgg{maxBig: r.Big}
			groups[r.Grp] = a
		}
		a.count++
		a.sumN += r.N
		a.sumScore += r.Score
		a.maxBig = max(a.maxBig, r.Big)
	})
	return groups, n, err
}
