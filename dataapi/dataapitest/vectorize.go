package dataapitest

import (
	"hash/fnv"
	"math"
	"sort"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
)

// The local server has no embedding provider. Text written to or sorted on
// a vectorize column is embedded by a deterministic stand-in: the same
// text (and model) always gives the same unit vector of the column's
// dimension, different texts give unrelated vectors. Similar meanings do
// NOT give similar vectors; only identity is meaningful.

type embeddingModel struct {
	dims []int // allowed dimensions; the first is the default. nil: any (dimension required)
}

// embeddingProviders lists the providers and models this server accepts,
// with their dimensions as the real server describes them.
var embeddingProviders = map[string]map[string]embeddingModel{
	"openai": {
		"text-embedding-3-small": {dims: rangeDims(1536, 2, 1536)},
		"text-embedding-3-large": {dims: rangeDims(3072, 256, 3072)},
		"text-embedding-ada-002": {dims: []int{1536}},
	},
	"azureOpenAI": {
		"text-embedding-3-small": {dims: rangeDims(1536, 2, 1536)},
		"text-embedding-3-large": {dims: rangeDims(3072, 256, 3072)},
		"text-embedding-ada-002": {dims: []int{1536}},
	},
	"nvidia":               {"NV-Embed-QA": {dims: []int{1024}}, "nvidia/nv-embedqa-e5-v5": {dims: []int{1024}}},
	"mistral":              {"mistral-embed": {dims: []int{1024}}},
	"cohere":               {"embed-english-v3.0": {dims: []int{1024}}, "embed-multilingual-v3.0": {dims: []int{1024}}},
	"voyageAI":             {"voyage-2": {dims: []int{1024}}, "voyage-3": {dims: []int{1024}}, "voyage-large-2": {dims: []int{1536}}, "voyage-code-2": {dims: []int{1536}}},
	"jinaAI":               {"jina-embeddings-v2-base-en": {dims: []int{768}}},
	"upstageAI":            {"solar-embedding-1-large": {dims: []int{4096}}},
	"bedrock":              {"amazon.titan-embed-text-v2:0": {dims: []int{1024, 512, 256}}},
	"vertexai":             {"textembedding-gecko@003": {dims: []int{768}}},
	"huggingface":          {},
	"huggingfaceDedicated": {"endpoint-defined-model": {}},
}

func rangeDims(def, lo, hi int) []int {
	d := []int{def}
	for i := lo; i <= hi; i++ {
		if i != def {
			d = append(d, i)
		}
	}
	return d
}

var serviceFields = []string{"provider", "modelName", "authentication", "parameters"}

// parseService validates a vectorize service definition and returns it
// with the dimension to use.
func parseService(v *jv, dim int) (*typesmap.VectorizeService, int, *apiError) {
	invalid := func(format string, args ...any) (*typesmap.VectorizeService, int, *apiError) {
		return nil, 0, newErr("SCHEMA", "INVALID_CREATE_COLLECTION_OPTIONS", "The provided options are invalid: "+format, args...)
	}
	if v.kind != jObject {
		return invalid("the vectorize service must be an object")
	}
	if e := checkFields(v, "service.", serviceFields...); e != nil {
		return nil, 0, e
	}
	p := v.get("provider")
	if p.isNull() || p.kind != jString || p.s == "" {
		return invalid("'provider' is required")
	}
	models, ok := embeddingProviders[p.s]
	if !ok {
		return invalid("Service provider '%s' is not supported", p.s)
	}
	s := &typesmap.VectorizeService{Provider: p.s}
	if m := v.get("modelName"); !m.isNull() {
		if m.kind != jString {
			return invalid("'modelName' must be a string")
		}
		s.ModelName = m.s
	}
	if len(models) > 0 {
		if s.ModelName == "" {
			return invalid("'modelName' is needed for provider %s", p.s)
		}
		model, ok := models[s.ModelName]
		if !ok {
			names := sortedKeys(models)
			return invalid("Model name '%s' for provider '%s' is not supported; supported models: %s", s.ModelName, p.s, strings.Join(names, ", "))
		}
		if len(model.dims) > 0 {
			if dim == 0 {
				dim = model.dims[0]
			} else if !containsInt(model.dims, dim) {
				return invalid("The provided dimension value '%d' doesn't match the model's supported dimension value '%d'", dim, model.dims[0])
			}
		}
	}
	if dim == 0 {
		return invalid("'dimension' is needed for provider %s", p.s)
	}
	for _, k := range []string{"authentication", "parameters"} {
		f := v.get(k)
		if f.isNull() {
			continue
		}
		if f.kind != jObject {
			return invalid("'%s' must be an object", k)
		}
		m := map[string]any{}
		for _, e := range f.obj {
			m[e.key] = plain(e.val)
		}
		if k == "authentication" {
			s.Authentication = m
		} else {
			s.Parameters = m
		}
	}
	return s, dim, nil
}

func containsInt(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// plain converts a jv to encoding/json-style Go values.
func plain(v *jv) any {
	switch v.kind {
	case jBool:
		return v.b
	case jNumber:
		return rawNumber(v.s)
	case jString:
		return v.s
	case jArray:
		out := make([]any, len(v.arr))
		for i, e := range v.arr {
			out[i] = plain(e)
		}
		return out
	case jObject:
		m := map[string]any{}
		for _, e := range v.obj {
			m[e.key] = plain(e.val)
		}
		return m
	}
	return nil
}

type rawNumber string

func (n rawNumber) MarshalJSON() ([]byte, error) { return []byte(n), nil }

// embed is the stand-in embedding: a unit vector seeded from the text and
// the model, generated with splitmix64.
func embed(svc *typesmap.VectorizeService, text string, dim int) []float32 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(svc.Provider + "\x00" + svc.ModelName + "\x00" + text))
	state := h.Sum64()
	next := func() uint64 {
		state += 0x9e3779b97f4a7c15
		z := state
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	out := make([]float32, dim)
	var norm float64
	for i := range out {
		f := float64(next()>>11)/float64(1<<53)*2 - 1
		out[i] = float32(f)
		norm += f * f
	}
	norm = math.Sqrt(norm)
	if norm == 0 {
		norm = 1
	}
	for i := range out {
		out[i] = float32(float64(out[i]) / norm)
	}
	return out
}

// findEmbeddingProviders answers with the providers and models above.
func (h *Handler) findEmbeddingProviders(req *request) *result {
	if e := checkFields(req.body, "", "options"); e != nil {
		return errResult(e)
	}
	out := jObj()
	names := make([]string, 0, len(embeddingProviders))
	for n := range embeddingProviders {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		models := jArr()
		for _, mn := range sortedKeys(embeddingProviders[n]) {
			m := embeddingProviders[n][mn]
			var vd *jv = jNullV
			if len(m.dims) == 1 {
				vd = jInt(int64(m.dims[0]))
			}
			models.arr = append(models.arr, jObj(member{"name", jStr(mn)}, member{"vectorDimension", vd}, member{"parameters", jArr()}))
		}
		out.set(n, jObj(member{"displayName", jStr(n)}, member{"url", jStr("")},
			member{"supportedAuthentication", jObj(member{"HEADER", jObj(member{"enabled", jBoolV(true)}, member{"tokens", jArr(jObj(member{"accepted", jStr("x-embedding-api-key")}, member{"forwarded", jStr("Authorization")}))})})},
			member{"parameters", jArr()}, member{"models", models}))
	}
	r := &result{}
	r.addStatus("embeddingProviders", out)
	return r
}
