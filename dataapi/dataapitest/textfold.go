package dataapitest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/astrasql/astrasql/typesmap"
)

// A regular index with text options (caseSensitive false, normalize true,
// ascii true) makes the database compare analysed text: SAI runs the
// indexed values and the query operand through the same filters, in this
// order: lower case, Unicode NFC normalisation, Lucene's ASCII folding.
// This server applies that analysis when a filter compares a text or ascii
// value that such an index serves: $eq and $in on a scalar column, and $in,
// $nin, $all (and their negations) on list/set values or map keys/values
// with an index on that component. $ne, $nin and ranges on a scalar text
// column are not served by the index (the real server warns so) and
// compare exact text, as do primary key columns.
//
// Approximations, since golang.org/x/text is not a dependency:
//   - lower case is Go's per-rune mapping (Java's String.toLowerCase with the
//     server's locale differs for a few characters, e.g. final sigma, İ);
//   - NFC only composes a Latin letter followed by combining marks into the
//     precomposed letters of Latin-1, Latin Extended-A/B and Latin Extended
//     Additional (nfcPairs); other scripts, canonical reordering of several
//     marks, and decompositions of singletons are left as they are;
//   - ASCII folding covers those same Latin letters, ligatures (Æ, Œ, ß,
//     Ĳ, ...) and typographic quotes and dashes (asciiFold); Lucene folds
//     more (other Latin blocks, symbols, enclosed and full-width forms).
type textAnalyser struct {
	lower, nfc, ascii bool
}

func (a textAnalyser) active() bool { return a.lower || a.nfc || a.ascii }

func (a textAnalyser) apply(s string) string {
	if a.lower {
		s = strings.ToLower(s)
	}
	if a.nfc {
		s = composeLatin(s)
	}
	if a.ascii {
		s = foldASCII(s)
	}
	return s
}

// analyserFor returns the analysis an index gives a leaf's comparisons, if
// the index serves the leaf's operator.
func (t *table) analyserFor(l *leaf) textAnalyser {
	if l.col == nil || t.isPK(l.name) {
		return textAnalyser{}
	}
	var elem typesmap.Type
	switch l.component {
	case "":
		if l.op != "eq" && l.op != "in" {
			return textAnalyser{}
		}
		elem = l.col.typ
	case "values":
		elem = *l.col.typ.Value
	case "keys":
		elem = *l.col.typ.Key
	default:
		return textAnalyser{}
	}
	if elem.Kind != typesmap.Text && elem.Kind != typesmap.Ascii {
		return textAnalyser{}
	}
	for _, i := range t.indexes {
		if i.kind != "regular" || i.column != l.name || i.function != l.component || i.options == nil {
			continue
		}
		opt := func(name string) (bool, bool) {
			v := i.options.get(name)
			if v == nil || v.kind != jBool {
				return false, false
			}
			return v.b, true
		}
		var a textAnalyser
		if cs, ok := opt("caseSensitive"); ok {
			a.lower = !cs
		}
		a.nfc, _ = opt("normalize")
		a.ascii, _ = opt("ascii")
		return a
	}
	return textAnalyser{}
}

// composeLatin recomposes base letters and following combining marks.
func composeLatin(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Mn, r) }) {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if n := len(out); n > 0 && unicode.Is(unicode.Mn, r) {
			if c, ok := nfcPairs[[2]rune{out[n-1], r}]; ok {
				out[n-1] = c
				continue
			}
		}
		out = append(out, r)
	}
	return string(out)
}

// foldASCII replaces Latin letters with diacritics, ligatures and
// typographic punctuation by their ASCII forms.
func foldASCII(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f, ok := asciiFold[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
