module github.com/astrasql/astrasql/bench

go 1.26.0

require (
	github.com/astrasql/astrasql v0.0.0
	github.com/google/uuid v1.6.0
)

require (
	github.com/go-json-experiment/json v0.0.0-20260820222146-c27c302e5fc3 // indirect
	github.com/xwb1989/sqlparser v0.0.0-20180606152119-120387863bf2 // indirect
)

replace github.com/astrasql/astrasql => ../
