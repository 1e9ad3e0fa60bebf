//go:build !astrasql_driver

package main

import "errors"

// Until the driver and the local server land, the CLI builds without them
// (tag astrasql_driver turns them on).
func startEmbedded() (string, func(), error) {
	return "", nil, errors.New("this build has no embedded server")
}
