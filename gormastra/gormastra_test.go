package gormastra_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
	"github.com/astrasql/astrasql/gormastra"
	"github.com/astrasql/astrasql/typesmap"
)

type User struct {
	ID     uuid.UUID `gorm:"primaryKey"`
	Name   string    `gorm:"index"`
	Age    int32
	Orders []Order
}

// Order has a compound key: partition (user_id), clustering (placed DESC, seq).
type Order struct {
	UserID uuid.UUID `gorm:"primaryKey;partitionKey"`
	Placed time.Time `gorm:"primaryKey;clustering:desc"`
	Seq    int16     `gorm:"primaryKey;autoIncrement:false"`
	Total  string    `gorm:"type:decimal"`
}

// Every is a model with every type.
type Every struct {
	ID    int64 `gorm:"primaryKey;autoIncrement:false"`
	B     bool
	I8    int8
	I16   int16
	I32   int32
	I64   int64
	U8    uint8
	U32   uint32
	F32   float32
	F64   float64
	S     string
	T     time.Time
	Blob  []byte
	U     uuid.UUID
	Dec   string                        `gorm:"type:decimal"`
	Tags  astrasql.List[string]         `gorm:"type:list<text>"`
	Set   astrasql.Set[int32]           `gorm:"type:set<int>"`
	Attrs astrasql.Map[string, float64] `gorm:"type:map<text, double>"`
	V     typesmap.Vector               `gorm:"type:vector<float, 3>;index:every_v,class:VECTOR,option:dot_product"`
	Opt   *string
}

func open(t *testing.T) *gorm.DB {
	t.Helper()
	srv := dataapitest.NewServer()
	t.Cleanup(srv.Close)
	db, err := gorm.Open(gormastra.Open(srv.URL+"?keyspace=default_keyspace"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestGORM(t *testing.T) {
	db := open(t)
	if err := db.AutoMigrate(&User{}, &Order{}, &Every{}); err != nil {
		t.Fatal(err)
	}
	// Again: everything exists, nothing changes.
	if err := db.AutoMigrate(&User{}, &Order{}, &Every{}); err != nil {
		t.Fatal("second AutoMigrate:", err)
	}
	m := db.Migrator()
	if !m.HasTable(&Every{}) || !m.HasColumn(&Every{}, "Attrs") || !m.HasIndex(&Every{}, "every_v") || !m.HasIndex(&User{}, "idx_users_name") {
		t.Fatal("HasTable/HasColumn/HasIndex")
	}
	cols, err := m.ColumnTypes(&Order{})
	if err != nil || len(cols) != 4 {
		t.Fatalf("ColumnTypes: %v %v", cols, err)
	}
	for _, c := range cols {
		if pk, _ := c.PrimaryKey(); pk != (c.Name() != "total") {
			t.Errorf("column %s: primary key %v", c.Name(), pk)
		}
	}

	// Every type round-trips.
	s := "opt"
	e := Every{ID: 1, B: true, I8: -8, I16: 16, I32: 32, I64: 1 << 40, U8: 255, U32: 1 << 31, F32: 1.5, F64: 2.25, S: "s",
		T: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), Blob: []byte{1, 2}, U: uuid.New(), Dec: "12.345",
		Tags: astrasql.List[string]{"a", "b"}, Set: astrasql.Set[int32]{1, 2}, Attrs: astrasql.Map[string, float64]{"x": 0.5},
		V: []float32{1, 0, 0}, Opt: &s}
	if err := db.Create(&e).Error; err != nil {
		t.Fatal(err)
	}
	var e2 Every
	if err := db.First(&e2, "id = ?", 1).Error; err != nil {
		t.Fatal(err)
	}
	if e2.I64 != e.I64 || e2.U8 != 255 || e2.U32 != e.U32 || !e2.T.Equal(e.T) || e2.U != e.U || e2.Dec != "12.345" ||
		len(e2.Tags) != 2 || e2.Attrs["x"] != 0.5 || len(e2.V) != 3 || e2.Opt == nil || *e2.Opt != "opt" || string(e2.Blob) != "\x01\x02" {
		t.Errorf("round trip: %+v", e2)
	}

	// Create one (uuid filled in) and a batch.
	ann := User{Name: "ann", Age: 30}
	if err := db.Create(&ann).Error; err != nil || ann.ID == uuid.Nil {
		t.Fatalf("create: %v %v", ann.ID, err)
	}
	batch := []User{{Name: "bob", Age: 20}, {Name: "cid", Age: 40}, {Name: "dee", Age: 50}}
	if res := db.Create(&batch); res.Error != nil || res.RowsAffected != 3 {
		t.Fatalf("batch: %v %d", res.Error, res.RowsAffected)
	}
	var users []User
	if err := db.Where("age >= ?", 30).Order("age DESC").Limit(2).Offset(1).Find(&users).Error; err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].Name != "cid" || users[1].Name != "ann" {
		t.Errorf("Where/Order/Limit/Offset: %+v", users)
	}
	var n int64
	if err := db.Model(&User{}).Where("name <> ?", "bob").Count(&n).Error; err != nil || n != 3 {
		t.Errorf("Count: %d %v", n, err)
	}

	// Updates, Save, Delete.
	if err := db.Model(&ann).Updates(map[string]any{"age": 31}).Error; err != nil {
		t.Fatal(err)
	}
	ann.Name = "anne"
	if err := db.Save(&ann).Error; err != nil {
		t.Fatal(err)
	}
	var got User
	if err := db.First(&got, "id = ?", ann.ID).Error; err != nil || got.Name != "anne" || got.Age != 31 {
		t.Errorf("after Updates/Save: %+v %v", got, err)
	}
	// GORM wraps the delete in a transaction: the driver sends it at Commit,
	// so the count is unknown (-1) when GORM asks.
	if res := db.Delete(&batch[0]); res.Error != nil {
		t.Errorf("Delete: %v", res.Error)
	}
	if err := db.First(&got, "id = ?", batch[0].ID).Error; !errors.Is(err, gorm.ErrRecordNotFound) {
		t.Errorf("deleted row: %v", err)
	}

	// Transaction (the driver's write buffer), then Preload of a has-many.
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	err = db.Transaction(func(tx *gorm.DB) error {
		return tx.Create([]Order{{UserID: ann.ID, Placed: day, Seq: 1, Total: "9.99"},
			{UserID: ann.ID, Placed: day.Add(time.Hour), Seq: 1, Total: "1.50"},
			{UserID: batch[1].ID, Placed: day, Seq: 1, Total: "3"}}).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&Order{UserID: ann.ID, Placed: day, Seq: 2, Total: "5"}).Error; err != nil {
			return err
		}
		return errors.New("changed my mind")
	})
	if err == nil {
		t.Fatal("rolled back transaction: no error")
	}
	var withOrders []User
	if err := db.Preload("Orders").Where("id IN ?", []uuid.UUID{ann.ID, batch[1].ID}).Order("name").Find(&withOrders).Error; err != nil {
		t.Fatal(err)
	}
	if len(withOrders) != 2 || len(withOrders[0].Orders) != 2 || len(withOrders[1].Orders) != 1 {
		t.Errorf("Preload: %+v", withOrders)
	}

	// Raw/Scan and a vector search.
	var total struct{ N int64 }
	if err := db.Raw(`SELECT count(*) AS n FROM orders WHERE user_id = ?`, ann.ID).Scan(&total).Error; err != nil || total.N != 2 {
		t.Errorf("Raw/Scan: %v %v", total, err)
	}
	if err := db.Create(&Every{ID: 2, Dec: "0", V: typesmap.Vector{0, 1, 0}}).Error; err != nil {
		t.Fatal(err)
	}
	var near []Every
	if err := db.Raw(`SELECT id, v FROM everies ORDER BY v ANN OF ? LIMIT 1`, typesmap.Vector{0.1, 0.9, 0}).Scan(&near).Error; err != nil || len(near) != 1 || near[0].ID != 2 {
		t.Errorf("vector search: %+v %v", near, err)
	}

	// Upserts: what maps and what errors.
	if err := db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&User{ID: ann.ID, Name: "ann3", Age: 3}).Error; err != nil {
		t.Errorf("OnConflict UpdateAll: %v", err)
	}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&User{ID: ann.ID, Name: "x"}).Error; !errors.Is(err, gormastra.ErrNotSupported) {
		t.Errorf("OnConflict DoNothing: %v", err)
	}

	if err := m.DropIndex(&User{}, "idx_users_name"); err != nil || m.HasIndex(&User{}, "idx_users_name") {
		t.Errorf("DropIndex: %v", err)
	}
	if err := m.DropTable(&Every{}); err != nil || m.HasTable(&Every{}) {
		t.Errorf("DropTable: %v", err)
	}
}

// TestRefusals: what Astra cannot do fails clearly.
func TestRefusals(t *testing.T) {
	db := open(t)
	type Auto struct {
		ID   uint
		Name string
	}
	if err := db.AutoMigrate(&Auto{}); !errors.Is(err, gormastra.ErrNotSupported) {
		t.Errorf("auto-increment key: %v", err)
	}
	if err := db.Create(&Auto{Name: "x"}).Error; !errors.Is(err, gormastra.ErrNotSupported) {
		t.Errorf("create with auto-increment key: %v", err)
	}
	type Thing struct {
		ID  int64 `gorm:"primaryKey;autoIncrement:false"`
		Age int32
	}
	if err := db.AutoMigrate(&Thing{}); err != nil {
		t.Fatal(err)
	}
	type Thing2 struct {
		ID  int64 `gorm:"primaryKey;autoIncrement:false"`
		Age string
		New string
	}
	err := db.Table("things").AutoMigrate(&Thing2{})
	if !errors.Is(err, gormastra.ErrNotSupported) {
		t.Errorf("type change: %v", err)
	}
	if err := db.Migrator().RenameColumn(&Thing{}, "age", "years"); !errors.Is(err, gormastra.ErrNotSupported) {
		t.Errorf("rename: %v", err)
	}
}
