package main

import (
	"errors"
	"regexp"
	"strings"

	"github.com/astrasql/astrasql"
)

// errorText is an error's message for a person using SQL: without the
// driver's "astrasql: " prefix (the CLI's own makes it redundant), and
// with what the driver says in Go terms (Go types, Config fields) said in
// SQL terms.
func errorText(err error) string {
	return strings.TrimPrefix(sqlTerms(err), "astrasql: ")
}

// goTypeWords name the Go types a SQL literal arrives as.
var goTypeWords = map[string]string{
	"string": "a string", "int64": "a number", "float64": "a number", "bool": "a boolean",
	"[]uint8": "a blob", "[]float32": "a vector", "[]interface {}": "a list", "*big.Int": "a number",
}

// goTypeMsg is how the driver refuses a value of the wrong type.
var goTypeMsg = regexp.MustCompile(`(?:value )?("(?:[^"\\]|\\.)*"|\S+) has Go type (\S+), which an? (\w+) column does not take`)

func sqlTerms(err error) string {
	msg := goTypeMsg.ReplaceAllStringFunc(err.Error(), func(m string) string {
		p := goTypeMsg.FindStringSubmatch(m)
		what, ok := goTypeWords[p[2]]
		if !ok {
			what = "a value of another type"
		}
		s := p[1] + " is " + what + ", which " + article(p[3]) + " column does not take"
		if what == "a string" {
			s += " (write numbers and booleans without quotes, blobs as 0x...)"
		}
		return s
	})
	var su *astrasql.SafeUpdatesError
	if errors.As(err, &su) {
		msg = strings.Replace(msg, "(safe_updates=false in the DSN, Config.SafeUpdates = false)", `(\safe off at the prompt, or -safe-updates=false)`, 1)
	}
	if strings.Contains(msg, "no token:") {
		msg = "no token: set ASTRA_DB_APPLICATION_TOKEN, or add token=... to the -dsn URL (only a loopback endpoint has a default token)"
	}
	return msg
}

// article is "a int" made "an int".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}
