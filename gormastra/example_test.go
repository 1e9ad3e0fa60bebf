package gormastra_test

import (
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/gormastra"
)

// Reading is a sensor reading: partition key sensor, clustering column at
// (newest first).
type Reading struct {
	Sensor string    `gorm:"primaryKey;partitionKey"`
	At     time.Time `gorm:"primaryKey;clustering:desc"`
	Value  float64
}

func Example() {
	srv := dataapitest.NewServer() // or your database's Data API endpoint and token
	defer srv.Close()
	db, err := gorm.Open(gormastra.Open(srv.URL+"?keyspace=default_keyspace"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := db.AutoMigrate(&Reading{}); err != nil {
		fmt.Println(err)
		return
	}
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	db.Create([]Reading{{"s1", t0, 20.5}, {"s1", t0.Add(time.Minute), 21}, {"s2", t0, 5}})

	var latest Reading
	db.Where("sensor = ?", "s1").Order("at DESC").First(&latest)
	fmt.Println(latest.At.Format(time.TimeOnly), latest.Value)
	// Output: 12:01:00 21
}
