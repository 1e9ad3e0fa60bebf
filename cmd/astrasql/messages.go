package main

import (
	"errors"
	"strings"

	"github.com/astrasql/astrasql/typesmap"
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

func sqlTerms(err error) string {
	msg := err.Error()
	var ve *typesmap.ValueError
	if errors.As(err, &ve) && strings.HasPrefix(ve.Reason, "has Go type ") {
		goType, _, _ := strings.Cut(strings.TrimPrefix(ve.Reason, "has Go type "), ",")
		what, ok := goTypeWords[goType]
		if !ok {
			what = "a value of another type"
		}
		reason := what + ", which " + article(string(ve.Type.Kind)) + " column does not take"
		if what == "a string" {
			reason += " (write numbers, booleans and vectors without quotes)"
		}
		msg = strings.Replace(msg, ve.Reason, "is "+reason, 1)
		msg = strings.Replace(msg, "value "+ve.Value+" is ", ve.Value+" is ", 1)
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
