package main

import (
	// The CLI is a user of the driver, through database/sql.
	_ "github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// startEmbedded starts a local Data API server in this process and returns
// its base URL and a function that stops it.
func startEmbedded() (string, func(), error) {
	srv := dataapitest.NewServer()
	return srv.URL, srv.Close, nil
}
