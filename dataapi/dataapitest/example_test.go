package dataapitest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// A local server answers Data API commands over HTTP, as the real one does.
func ExampleNewServer() {
	srv := dataapitest.NewServer()
	defer srv.Close()

	send := func(path, body string) string {
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Token", "any-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	fmt.Println(send("/v1/default_keyspace", `{"createTable":{"name":"pets","definition":{"columns":{"name":"text","age":"int"},"primaryKey":"name"}}}`))
	fmt.Println(send("/v1/default_keyspace/pets", `{"insertOne":{"document":{"name":"Rex","age":3}}}`))
	fmt.Println(send("/v1/default_keyspace/pets", `{"findOne":{"filter":{"name":"Rex"}}}`))
	// Output:
	// {"status":{"ok":1}}
	// {"status":{"primaryKeySchema":{"name":{"type":"text"}},"insertedIds":[["Rex"]]}}
	// {"data":{"document":{"name":"Rex","age":3}},"status":{"projectionSchema":{"name":{"type":"text"},"age":{"type":"int"}}}}
}
