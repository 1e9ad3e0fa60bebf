package astrasql_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/astrasql/astrasql"
	"github.com/astrasql/astrasql/dataapi"
	"github.com/astrasql/astrasql/dataapi/dataapitest"
)

// commandLog is a Hook that records the commands sent.
type commandLog struct {
	mu   sync.Mutex
	cmds []string
}

func (l *commandLog) CommandStart(ctx context.Context, ev *dataapi.StartEvent) context.Context {
	l.mu.Lock()
	l.cmds = append(l.cmds, ev.Command)
	l.mu.Unlock()
	return ctx
}

func (l *commandLog) CommandEnd(context.Context, *dataapi.EndEvent) {}

func (l *commandLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.cmds
	l.cmds = nil
	return c
}

// TestSkipDeleteRead: a DELETE by full primary key reads the row first so
// that RowsAffected is 0 or 1 (two commands); with skip_delete_read=true it
// sends deleteOne alone and RowsAffected is ErrRowsAffectedUnknown. The
// row is deleted either way.
func TestSkipDeleteRead(t *testing.T) {
	srv := dataapitest.NewServer()
	t.Cleanup(srv.Close)
	for _, c := range []struct {
		skip     bool
		cmds     []string
		affected int64 // -1: unknown
	}{
		{false, []string{"findOne", "deleteOne"}, 1},
		{true, []string{"deleteOne"}, -1},
	} {
		cfg, err := astrasql.ParseDSN(srv.URL + "?token=test-token")
		if err != nil {
			t.Fatal(err)
		}
		cfg.SkipDeleteRead = c.skip
		log := &commandLog{}
		cfg.Hook = log
		conn, err := astrasql.NewConnector(cfg)
		if err != nil {
			t.Fatal(err)
		}
		db := sql.OpenDB(conn)
		t.Cleanup(func() { db.Close() })
		mustExec(t, db, `CREATE TABLE IF NOT EXISTS sk (id int PRIMARY KEY, v text)`)
		mustExec(t, db, `INSERT INTO sk (id, v) VALUES (1, 'a')`)
		log.take()
		res, err := db.Exec(`DELETE FROM sk WHERE id = ?`, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := log.take(); !slices.Equal(got, c.cmds) {
			t.Errorf("skip_delete_read=%v: sent %v, want %v", c.skip, got, c.cmds)
		}
		n, err := res.RowsAffected()
		switch {
		case c.affected < 0 && !errors.Is(err, astrasql.ErrRowsAffectedUnknown):
			t.Errorf("skip_delete_read=%v: RowsAffected %d, %v; want ErrRowsAffectedUnknown", c.skip, n, err)
		case c.affected >= 0 && (err != nil || n != c.affected):
			t.Errorf("skip_delete_read=%v: RowsAffected %d, %v; want %d", c.skip, n, err, c.affected)
		}
		var left int
		if err := db.QueryRow(`SELECT COUNT(*) FROM sk`).Scan(&left); err != nil || left != 0 {
			t.Errorf("skip_delete_read=%v: %d rows left (%v), want 0", c.skip, left, err)
		}
	}
}
