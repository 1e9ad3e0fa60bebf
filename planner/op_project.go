package planner

import (
	"fmt"
	"math"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
	"github.com/xwb1989/sqlparser"
)

// The project step: output columns from the fetched row (columns, computed
// expressions, similarity scores), with hidden sort keys after them.

// similarity plans similarity_xxx(v, x): the server's $similarity when it
// is the ANN sort's own score, else computed here on the fetched vector.
func (sp *selectPlanner) similarity(f *sqlparser.FuncExpr, name string, ann *annPlan) (projItem, error) {
	fn := f.Name.Lowered()
	metric := similarityMetric[fn]
	if len(f.Exprs) != 2 {
		return projItem{}, fmt.Errorf("astrasql: %s takes 2 arguments (vector column, vector)", fn)
	}
	var args [2]sqlparser.Expr
	for i, e := range f.Exprs {
		ae, ok := e.(*sqlparser.AliasedExpr)
		if !ok {
			return projItem{}, fmt.Errorf("astrasql: bad argument to %s", fn)
		}
		args[i] = ae.Expr
	}
	c, ok, err := sp.colRef(args[0])
	if err == nil && !ok {
		// similarity(x, v) is symmetric.
		args[0], args[1] = args[1], args[0]
		c, ok, err = sp.colRef(args[0])
	}
	if err != nil {
		return projItem{}, err
	}
	if !ok || c.Type.Kind != typesmap.KindVector {
		return projItem{}, fmt.Errorf("astrasql: %s needs a vector column as one argument", fn)
	}
	lit, ok := sp.st.exprLit(args[1])
	if !ok || (lit.Kind != litList && lit.Kind != litParam) {
		return projItem{}, fmt.Errorf("astrasql: %s needs a vector literal or a placeholder as its other argument", fn)
	}
	it := projItem{name: name, src: -1, typ: typesmap.Of(typesmap.Double), nullable: true}
	if ann != nil && ann.col.Name == c.Name && ann.metric == metric && sameLiteral(ann.lit, lit) && !ann.vectorize {
		ann.similarity = true
		it.column = similarityColumn
		return it, nil
	}
	it.sim = &simItem{metric: metric, vecCol: sp.fetch(c), lit: lit, dim: c.Type.Dimension}
	return it, nil
}

// projectOp maps fetched rows to the output columns.
type projectOp struct {
	items []projItem
	dims  *annPlan
}

func (p *projectOp) Explain() (string, string) {
	var parts []string
	for _, it := range p.items {
		switch {
		case it.sim != nil:
			parts = append(parts, fmt.Sprintf("%s = %s computed by the driver", it.name, it.sim.metric))
		case it.column == similarityColumn:
			parts = append(parts, it.name+" = server $similarity")
		case it.expr != nil:
			parts = append(parts, it.name+" computed")
		default:
			parts = append(parts, it.name)
		}
	}
	return "project", strings.Join(parts, ", ")
}

func (p *projectOp) Open(in RowIter, b *Binding) (RowIter, error) {
	it := &projectIter{in: in, op: p, exprs: make([]Expr, len(p.items)), vecs: make([]typesmap.Vector, len(p.items))}
	for i, item := range p.items {
		if item.expr != nil {
			x, err := bindBinding(item.expr, b)
			if err != nil {
				return nil, err
			}
			it.exprs[i] = x
		}
		if item.sim == nil {
			continue
		}
		v, err := b.litGo(item.sim.lit, typesmap.VectorOf(item.sim.dim))
		if err != nil {
			return nil, err
		}
		vec, err := toVector(v)
		if err != nil {
			if item.sim.lit.Kind == litParam {
				return nil, &ArgumentError{Param: b.param(item.sim.lit.Param), Err: err}
			}
			return nil, err
		}
		it.vecs[i] = vec
	}
	return it, nil
}

type projectIter struct {
	in    RowIter
	op    *projectOp
	exprs []Expr // the items' expressions, parameters bound
	vecs  []typesmap.Vector
}

func (it *projectIter) Next() (Row, error) {
	r, err := it.in.Next()
	if err != nil {
		return nil, err
	}
	out := make(Row, len(it.op.items))
	var simAt = -1
	for i, item := range it.op.items {
		switch {
		case item.src >= 0:
			out[i] = r[item.src]
		case item.sim != nil:
			v, ok := r[item.sim.vecCol].(typesmap.Vector)
			if ok {
				out[i] = similarity(item.sim.metric, v, it.vecs[i])
			}
		case item.column == similarityColumn:
			if simAt < 0 {
				simAt = len(r) - 1
			}
			out[i] = r[simAt]
		case item.expr != nil:
			if out[i], err = it.exprs[i].Eval(r); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (it *projectIter) Close() error { return it.in.Close() }

func toVector(v any) (typesmap.Vector, error) {
	switch x := v.(type) {
	case typesmap.Vector:
		return x, nil
	case []float32:
		return typesmap.Vector(x), nil
	case []float64:
		out := make(typesmap.Vector, len(x))
		for i, f := range x {
			out[i] = float32(f)
		}
		return out, nil
	case typesmap.List:
		out := make(typesmap.Vector, len(x))
		for i, e := range x {
			switch f := e.(type) {
			case float64:
				out[i] = float32(f)
			case int64:
				out[i] = float32(f)
			default:
				return nil, fmt.Errorf("vector element %d is %T", i+1, e)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a vector ([]float32, []float64 or typesmap.Vector), got %T", v)
}

// similarity computes Cassandra's scaled scores, as the server does:
// cosine (1+cos)/2, dot_product (1+dot)/2, euclidean 1/(1+d²).
func similarity(metric string, a, b typesmap.Vector) any {
	if len(a) != len(b) || len(a) == 0 {
		return nil
	}
	var dot, na, nb, d2 float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
		d2 += (x - y) * (x - y)
	}
	switch metric {
	case "cosine":
		if na == 0 || nb == 0 {
			return nil
		}
		return (1 + dot/math.Sqrt(na*nb)) / 2
	case "dot_product":
		return (1 + dot) / 2
	case "euclidean":
		return 1 / (1 + d2)
	}
	return nil
}
