package planner_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/astrasql/astrasql/planner"
	"github.com/astrasql/astrasql/typesmap"
)

type insSchema struct{ def *typesmap.TableDef }

func (s insSchema) DefaultKeyspace() string { return "ks" }
func (s insSchema) Table(ks, t string) (*typesmap.TableDef, []typesmap.IndexDef, error) {
	return s.def, nil, nil
}

type nopEx struct{}

func (nopEx) Read(context.Context, *planner.Command) (planner.RowIter, error) { return nil, nil }
func (nopEx) InsertMany(_ context.Context, c *planner.Command) (int64, error) {
	return int64(len(c.Documents)), nil
}
func (nopEx) Do(context.Context, *planner.Command) (json.RawMessage, error) { return nil, nil }

func BenchmarkInsertBind1000(b *testing.B) {
	var def typesmap.TableDef
	if err := json.Unmarshal([]byte(`{"columns":{"id":{"type":"int"},"name":{"type":"text"},"grp":{"type":"text"},"n":{"type":"int"},"big":{"type":"bigint"},"score":{"type":"double"},"ok":{"type":"boolean"},"ts":{"type":"timestamp"},"uid":{"type":"text"},"note":{"type":"text"},"v":{"type":"vector","dimension":384}},"primaryKey":{"partitionBy":["id"],"partitionSort":{}}}`), &def); err != nil {
		b.Fatal(err)
	}
	def.Name = "ins"
	ph := "(" + strings.TrimSuffix(strings.Repeat("?,", 11), ",") + ")"
	q := "INSERT INTO ins (id, name, grp, n, big, score, ok, ts, uid, note, v) VALUES " + strings.TrimSuffix(strings.Repeat(ph+",", 1000), ",")
	st, err := planner.Parse(q)
	if err != nil {
		b.Fatal(err)
	}
	p, err := st.Plan(insSchema{&def})
	if err != nil {
		b.Fatal(err)
	}
	vec := make([]float32, 384)
	for i := range vec {
		vec[i] = float32(i) / 7
	}
	var args []planner.Arg
	for i := 0; i < 1000; i++ {
		for _, v := range []any{int64(i), fmt.Sprint("name-", i), "g01", int64(i), int64(i) * 7, 1.5, true, time.Unix(int64(i), 0), "u", "note note note note", vec} {
			args = append(args, planner.Arg{Value: v})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Run(context.Background(), nopEx{}, args); err != nil {
			b.Fatal(err)
		}
	}
}
