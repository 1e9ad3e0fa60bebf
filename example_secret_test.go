package astrasql_test

import (
	"encoding/json"
	"fmt"

	"github.com/astrasql/astrasql"
)

// A Config holds its token as a Secret: printing the Config, encoding it
// as JSON or logging it shows REDACTED; Reveal gives the token back.
func ExampleNewSecret() {
	cfg := astrasql.Config{
		Endpoint: "https://db-id-region.apps.astra.datastax.com",
		Token:    astrasql.NewSecret("AstraCS:example:0123456789"),
	}
	fmt.Println(cfg)
	fmt.Printf("%v %q\n", cfg.Token, cfg.Token)
	b, _ := json.Marshal(struct{ Token astrasql.Secret }{cfg.Token})
	fmt.Println(string(b))
	fmt.Println(len(cfg.Token.Reveal()))
	// Output:
	// https://db-id-region.apps.astra.datastax.com?token=REDACTED
	// REDACTED "REDACTED"
	// {"Token":"REDACTED"}
	// 26
}
