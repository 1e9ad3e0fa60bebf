package dataapitest

import "testing"

func TestDecimalCompare(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1.0", "1.00", 0}, {"1E+3", "1000", 0}, {"0.5", "1", -1}, {"-2", "-10", 1},
		{"1e-2000000000", "1e2000000000", -1}, {"-1e5", "1", -1}, {"0", "0.000", 0},
		{"123.45", "123.449", 1}, {"9.99", "10", -1},
	}
	for _, c := range cases {
		a, _ := parseDecimal(c.a)
		b, _ := parseDecimal(c.b)
		if got := a.cmp(b); got != c.want {
			t.Errorf("cmp(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestDecimalString(t *testing.T) {
	for in, want := range map[string]string{
		"123.4500": "123.4500", "1E+3": "1E+3", "0.0000001": "1E-7", "0.000001": "0.000001",
		"-1.5e-10": "-1.5E-10", "42": "42", "1.23E+2": "123", "12e1": "1.2E+2", "-0.0": "0.0",
	} {
		d, ok := parseDecimal(in)
		if !ok || d.String() != want {
			t.Errorf("%s -> %s, want %s", in, d.String(), want)
		}
	}
}

func TestJavaFloat(t *testing.T) {
	for _, c := range []struct {
		f    float64
		bits int
		want string
	}{
		{1, 64, "1.0"}, {1e21, 64, "1.0E21"}, {1e7, 64, "1.0E7"}, {9999999, 64, "9999999.0"},
		{0.001, 64, "0.001"}, {0.0001, 64, "1.0E-4"}, {1.5e-10, 64, "1.5E-10"}, {float64(float32(0.1)), 32, "0.1"},
		{-2.5, 64, "-2.5"}, {123456.789, 64, "123456.789"},
	} {
		if got := javaFloat(c.f, c.bits); got != c.want {
			t.Errorf("javaFloat(%v) = %s, want %s", c.f, got, c.want)
		}
	}
}
