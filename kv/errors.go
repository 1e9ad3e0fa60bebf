package kv

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxKeyLen is the longest key in bytes: Cassandra's limit for a partition
// key value.
const MaxKeyLen = 65535

// Reasons a key is rejected, wrapped in a *KeyError.
var (
	ErrEmptyKey   = errors.New("empty key")
	ErrKeyTooLong = errors.New("key longer than 65535 bytes")
	ErrKeyNotUTF8 = errors.New("key is not valid UTF-8")
)

// KeyError reports a key, or the value given for it, that cannot be
// stored. It is returned before any statement is sent.
type KeyError struct {
	Key string // the offending key (possibly invalid itself)
	Err error  // ErrEmptyKey, ErrKeyTooLong, ErrKeyNotUTF8, or why the value does not encode
}

func (e *KeyError) Error() string {
	return "kv: key " + quoteKey(e.Key) + ": " + e.Err.Error()
}

func (e *KeyError) Unwrap() error { return e.Err }

// checkKey says why key cannot be stored, or nil.
func checkKey(key string) error {
	switch {
	case key == "":
		return &KeyError{Key: key, Err: ErrEmptyKey}
	case len(key) > MaxKeyLen:
		return &KeyError{Key: key, Err: ErrKeyTooLong}
	case !utf8.ValidString(key):
		return &KeyError{Key: key, Err: ErrKeyNotUTF8}
	}
	return nil
}

// WriteError is the error of every failed MSet or MDelete. It sorts the
// keys of the call by what is known of them. Since writes and deletes are
// idempotent, retrying NotWritten and Unknown (or the whole call) is safe.
type WriteError struct {
	Op string // "MSet" or "MDelete"

	// Written holds the keys known to be stored (MSet) or deleted (MDelete).
	Written []string
	// NotWritten holds the keys known to be untouched: everything when a key
	// or value was invalid, and the batches not started after a failure.
	NotWritten []string
	// Unknown holds the keys of failed statements for which the driver could
	// not tell which rows were applied: each may or may not be written.
	Unknown []string

	// Err is the cause; several causes are joined with errors.Join.
	Err error
}

func (e *WriteError) Error() string {
	var b strings.Builder
	b.WriteString("kv: ")
	b.WriteString(e.Op)
	total := len(e.Written) + len(e.NotWritten) + len(e.Unknown)
	fmt.Fprintf(&b, " failed: %d of %d keys written, %d not written", len(e.Written), total, len(e.NotWritten))
	if len(e.Unknown) > 0 {
		fmt.Fprintf(&b, ", %d unknown", len(e.Unknown))
	}
	if len(e.NotWritten)+len(e.Unknown) > 0 {
		if len(e.Unknown) > 0 {
			b.WriteString(" (first unknown: " + quoteKey(e.Unknown[0]) + ")")
		} else {
			b.WriteString(" (first not written: " + quoteKey(e.NotWritten[0]) + ")")
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *WriteError) Unwrap() error { return e.Err }

// quoteKey renders a key for an error message, cut short: keys may be up
// to 64 KiB.
func quoteKey(k string) string {
	const max = 64
	if len(k) <= max {
		return strconv.Quote(k)
	}
	cut := max
	for cut > max-utf8.UTFMax && !utf8.RuneStart(k[cut]) {
		cut--
	}
	return strconv.Quote(k[:cut]) + "..." + "(" + strconv.Itoa(len(k)) + " bytes)"
}
