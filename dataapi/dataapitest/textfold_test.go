package dataapitest

import "testing"

func TestTextAnalyser(t *testing.T) {
	tests := []struct {
		name string
		a    textAnalyser
		in   string
		want string
	}{
		{"none", textAnalyser{}, "Crème", "Crème"},
		{"lower", textAnalyser{lower: true}, "HeLLo ÉTÉ", "hello été"},
		{"nfc composes", textAnalyser{nfc: true}, "Cafe\u0301", "Café"},
		{"nfc stacked marks", textAnalyser{nfc: true}, "A\u0302\u0301", "\u1EA4"},
		{"nfc keeps unknown pairs", textAnalyser{nfc: true}, "q\u0301", "q\u0301"},
		{"nfc leading mark", textAnalyser{nfc: true}, "\u0301a", "\u0301a"},
		{"ascii diacritics", textAnalyser{ascii: true}, "Crème Brûlée", "Creme Brulee"},
		{"ascii ligatures", textAnalyser{ascii: true}, "Æsir Straße œuvre Łódź", "AEsir Strasse oeuvre Lodz"},
		{"ascii punctuation", textAnalyser{ascii: true}, "\u201Cit\u2019s\u201D \u2013 ok", "\"it's\" - ok"},
		{"ascii keeps other scripts", textAnalyser{ascii: true}, "Ωμέγα 東京", "Ωμέγα 東京"},
		{"lower then nfc then ascii", textAnalyser{lower: true, nfc: true, ascii: true}, "E\u0301COLE", "ecole"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.apply(tc.in); got != tc.want {
				t.Errorf("apply(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
