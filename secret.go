package astrasql

import (
	"fmt"
	"log/slog"
	"unique"
)

// Secret holds a token or key so that nothing prints it: every fmt verb,
// encoding/json, encoding.TextMarshaler users and slog show REDACTED (or
// nothing when it is empty), and so does fmt's reflection over a struct
// that holds a Secret in an unexported field, where String methods are not
// called: the text sits behind a pointer, which fmt prints as an address.
// Secrets of equal text are equal (==). Reveal gives the text back.
type Secret struct {
	h unique.Handle[string]
}

// NewSecret wraps s; an empty s gives the zero Secret.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{h: unique.Make(s)}
}

// Reveal returns the text. Do not log it.
func (s Secret) Reveal() string {
	if s.IsZero() {
		return ""
	}
	return s.h.Value()
}

// IsZero reports whether the Secret is empty.
func (s Secret) IsZero() bool { return s == Secret{} }

// String returns REDACTED, or "" for an empty Secret.
func (s Secret) String() string {
	if s.IsZero() {
		return ""
	}
	return redactedText
}

// GoString is String, for %#v.
func (s Secret) GoString() string { return "astrasql.Secret(" + fmt.Sprintf("%q", s.String()) + ")" }

// Format prints String for every verb (quoted for %q).
func (s Secret) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprint(f, s.GoString())
	case verb == 'q':
		fmt.Fprintf(f, "%q", s.String())
	default:
		fmt.Fprint(f, s.String())
	}
}

// MarshalText returns REDACTED, so that encoders print no secret.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// MarshalJSON returns "REDACTED".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// LogValue makes slog print REDACTED.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

const redactedText = "REDACTED"
