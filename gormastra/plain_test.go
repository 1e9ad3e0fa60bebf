package gormastra_test

import (
	"reflect"
	"testing"
)

type Plain struct {
	ID   int64          `gorm:"primaryKey;autoIncrement:false"`
	V    []float32      `gorm:"type:vector<float, 2>"`
	Tags []string       `gorm:"type:list<text>"`
	Nums []int16        `gorm:"type:set<int>"`
	M    map[string]int `gorm:"type:map<text, int>"`
}

// TestPlainSlices: plain Go slices and maps as vector, list, set and map
// columns (GORM alone would expand a slice into a list of arguments).
func TestPlainSlices(t *testing.T) {
	db := open(t)
	if err := db.AutoMigrate(&Plain{}); err != nil {
		t.Fatal(err)
	}
	in := []Plain{{ID: 1, V: []float32{1, 2}, Tags: []string{"a", "b"}, Nums: []int16{2, 1}, M: map[string]int{"k": 1}}, {ID: 2}}
	if err := db.Create(&in).Error; err != nil {
		t.Fatal(err)
	}
	var got []Plain
	if err := db.Order("id").Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	want := []Plain{{ID: 1, V: []float32{1, 2}, Tags: []string{"a", "b"}, Nums: []int16{1, 2}, M: map[string]int{"k": 1}}, {ID: 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if err := db.Model(&Plain{ID: 2}).Updates(Plain{Tags: []string{"z"}}).Error; err != nil {
		t.Fatal(err)
	}
	var p Plain
	if err := db.First(&p, 2).Error; err != nil || !reflect.DeepEqual(p.Tags, []string{"z"}) {
		t.Errorf("after Updates: %+v %v", p, err)
	}
}
