module github.com/astrasql/astrasql/gormastra

go 1.26.0

require (
	github.com/astrasql/astrasql v0.0.0
	github.com/google/uuid v1.6.0
	gorm.io/gorm v1.31.2
)

require (
	github.com/go-json-experiment/json v0.0.0-20260820222146-c27c302e5fc3 // indirect
	github.com/jinzhu/inflection v1.0.0 // indirect
	github.com/jinzhu/now v1.1.5 // indirect
	github.com/xwb1989/sqlparser v0.0.0-20180606152119-120387863bf2 // indirect
	golang.org/x/text v0.41.0 // indirect
)

replace github.com/astrasql/astrasql => ../
