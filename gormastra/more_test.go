package gormastra_test

import (
	"database/sql"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/gormastra"
)

type Author struct {
	ID        string `gorm:"primaryKey"`
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt gorm.DeletedAt
	Books     []Book
}

type Book struct {
	AuthorID string `gorm:"primaryKey;partitionKey"`
	Title    string `gorm:"primaryKey"`
	Year     int
}

// TestSoftDeleteTimestampsPluck: gorm's timestamps and soft delete
// (deleted_at IS NULL, filtered by the driver), Pluck, struct conditions.
func TestSoftDeleteTimestampsPluck(t *testing.T) {
	db := open(t)
	if err := db.AutoMigrate(&Author{}, &Book{}); err != nil {
		t.Fatal(err)
	}
	as := []Author{{ID: "a", Name: "Ann"}, {ID: "b", Name: "Bob"}}
	if err := db.Create(&as).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&[]Book{{"a", "X", 2001}, {"a", "Y", 2002}, {"b", "Z", 1999}}).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Delete(&as[1]).Error; err != nil {
		t.Fatal(err)
	}
	var names []string
	if err := db.Model(&Author{}).Order("name").Pluck("name", &names).Error; err != nil || len(names) != 1 || names[0] != "Ann" {
		t.Errorf("soft delete + Pluck: %v %v", names, err)
	}
	var a Author
	if err := db.Preload("Books", "year > ?", 2001).First(&a, "id = ?", "a").Error; err != nil || len(a.Books) != 1 || a.CreatedAt.IsZero() {
		t.Errorf("Preload with condition: %+v %v", a, err)
	}
	if err := db.First(&Author{}, "id = ?", "b").Error; !errors.Is(err, gorm.ErrRecordNotFound) {
		t.Errorf("soft-deleted row found: %v", err)
	}
	var b Book
	if err := db.Where(&Book{AuthorID: "a", Title: "Y"}).First(&b).Error; err != nil || b.Year != 2002 {
		t.Errorf("struct condition: %+v %v", b, err)
	}
	if err := db.Unscoped().Delete(&Author{}, "id = ?", "b").Error; err != nil {
		t.Errorf("hard delete: %v", err)
	}
}

// TestNewWithConn: gormastra.New over an open *sql.DB, in another keyspace.
func TestNewWithConn(t *testing.T) {
	srv := dataapitest.NewServer()
	defer srv.Close()
	sqlDB, err := sql.Open("astra", srv.URL+"?keyspace=default_keyspace")
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	if _, err := sqlDB.Exec(`CREATE KEYSPACE app`); err != nil {
		t.Fatal(err)
	}
	appDB, err := sql.Open("astra", srv.URL+"?keyspace=app")
	if err != nil {
		t.Fatal(err)
	}
	defer appDB.Close()
	db, err := gorm.Open(gormastra.New(gormastra.Config{Conn: appDB}), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AutoMigrate(&Book{}); err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&Book{AuthorID: "a", Title: "T", Year: 1}).Error; err != nil {
		t.Fatal(err)
	}
	var n int
	if err := sqlDB.QueryRow(`SELECT count(*) FROM app.books`).Scan(&n); err != nil || n != 1 {
		t.Errorf("row in keyspace app: %d %v", n, err)
	}
	if db.Migrator().HasTable(&Author{}) || !db.Migrator().HasTable(&Book{}) {
		t.Error("HasTable looks at another keyspace")
	}
}
