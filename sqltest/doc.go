// Package sqltest is astrasql's differential test against SQLite: the same
// seeded random tables and statements run through astrasql (on the local
// Data API server, dataapi/dataapitest) and through modernc.org/sqlite,
// and their results must agree, or astrasql must refuse the statement with
// an error. It is a module of its own so that the driver does not depend
// on SQLite. CI runs a bounded number of statements:
//
//	cd sqltest && go test ./...
//
// and more with flags:
//
//	go test -run TestDifferential -v -sqltest.n=5000 -sqltest.runs=5 -sqltest.seed=100
package sqltest
