package dataapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// Repeatable reports whether the command may be sent again when an attempt
// failed with an unknown outcome (HTTP 429, 502, 503, 504, a connection reset
// or EOF before or inside the response). body is the command's own object
// (the value under the command name). This is the one place that decides it:
//
//   - Reads never change data: find, findOne, listTables, listIndexes,
//     listTypes, findKeyspaces (and the other find*/list* metadata commands).
//   - insertOne and insertMany: a Cassandra INSERT is an upsert of the same
//     values, so a second copy leaves the same row.
//   - deleteOne and deleteMany: deleting again deletes the same rows (a row
//     written by someone else in between would go too, as if the statement
//     had simply run later).
//   - updateOne only with $set and $unset (absolute values). $push appends to
//     a list a second time and $pullAll is refused too, to keep the rule simple.
//   - DDL only with ifNotExists (create*) or ifExists (drop*): otherwise a
//     repeat of a command that did succeed fails with "already exists" or
//     "unknown", misreporting the outcome. alterTable, alterType,
//     createKeyspace and dropKeyspace are never repeated.
//
// Everything else, and any unknown command, is not repeated.
func Repeatable(command string, body json.RawMessage) bool {
	switch command {
	case "find", "findOne", "listTables", "listIndexes", "listTypes", "findKeyspaces",
		"findCollections", "findEmbeddingProviders", "findRerankingProviders", "findNamespaces":
		return true
	case "insertOne", "insertMany", "deleteOne", "deleteMany":
		return true
	case "updateOne":
		var b struct {
			Update map[string]json.RawMessage `json:"update"`
		}
		if json.Unmarshal(body, &b) != nil || len(b.Update) == 0 {
			return false
		}
		for op := range b.Update {
			if op != "$set" && op != "$unset" {
				return false
			}
		}
		return true
	case "createTable", "createIndex", "createVectorIndex", "createTextIndex", "createType":
		var b struct {
			Options struct {
				IfNotExists bool `json:"ifNotExists"`
			} `json:"options"`
		}
		return json.Unmarshal(body, &b) == nil && b.Options.IfNotExists
	case "dropTable", "dropIndex", "dropType":
		var b struct {
			Options struct {
				IfExists bool `json:"ifExists"`
			} `json:"options"`
		}
		return json.Unmarshal(body, &b) == nil && b.Options.IfExists
	}
	return false
}

// retryableStatus reports whether an HTTP status means "try again later".
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// notSent reports whether err shows the request never left this host (a
// failed dial), so that any command, repeatable or not, may be sent again.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// retryableTransport reports whether a transport failure is of the kinds
// worth retrying: resets, broken pipes, refused connections, EOF.
func retryableTransport(err error) bool {
	switch {
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), notSent(err):
		return true
	}
	var ne net.Error
	// HTTP/2 stream resets and GOAWAYs surface as plain errors; a net.Error
	// that is not a timeout is a connection-level failure.
	return errors.As(err, &ne) && !ne.Timeout()
}

// backoff returns the delay before retry number n (1 for the first retry):
// full jitter over an exponentially growing window.
func (c *Client) backoff(n int) time.Duration {
	window := c.baseDelay
	for i := 1; i < n && window < c.maxDelay; i++ {
		window *= 2
	}
	window = min(window, c.maxDelay)
	return rand.N(window + 1)
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
