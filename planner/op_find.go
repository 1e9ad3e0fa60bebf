package planner

import (
	"context"
	"fmt"
	"math"

	"github.com/astrasql/astrasql/typesmap"
)

// The find step: the Data API find or findOne a SELECT starts with (or one
// find per chunk of a long IN list), with its filter, sort, projection and
// limit bound at Run.

// findStep is a find or findOne.
type findStep struct {
	ti     *tableInfo // for the predicted warnings in EXPLAIN
	cmd    Command
	filter *fnode
	ann    *annPlan
	limit  *limitPlan // pushed down
}

func (s *findStep) command(b *Binding) (*Command, error) {
	c := s.cmd
	var err error
	if c.Filter, err = b.encodeFilter(nil, s.filter); err != nil {
		return nil, err
	}
	if s.ann != nil {
		sort := []byte{'{'}
		sort = appendJSONString(sort, s.ann.col.Name)
		sort = append(sort, ':')
		t := s.ann.col.Type
		if s.ann.vectorize || isStringArg(b, s.ann.lit) {
			t = typesmap.Of(typesmap.Text)
		}
		if sort, err = b.encodeLit(sort, s.ann.col.Name, t, s.ann.lit); err != nil {
			return nil, err
		}
		c.Sort = append(sort, '}')
		c.Limit = MaxANNLimit
	}
	if s.limit != nil {
		limit, offset, err := s.limit.values(b)
		if err != nil {
			return nil, err
		}
		if limit >= 0 {
			total := addSat(limit, offset)
			if s.ann != nil && total > MaxANNLimit {
				return nil, fmt.Errorf("astrasql: ANN OF takes at most LIMIT %d (with OFFSET), got %d", MaxANNLimit, total)
			}
			if total == 0 {
				total = 1 // LIMIT 0: the client-side limit returns nothing
			}
			if total < math.MaxInt32 {
				c.Limit = int(total)
			}
		}
	}
	return &c, nil
}

func isStringArg(b *Binding, l *Literal) bool {
	if l.Kind != litParam {
		return false
	}
	_, ok := b.Arg(l.Param).(string)
	return ok
}

// commands is the find, or one find per chunk of a top-level IN of more
// than 100 values (inchunk.go) when the rows need no server order: no
// vector or pushed-down sort.
func (s *findStep) commands(b *Binding) ([]*Command, error) {
	if s.cmd.Name == "find" && s.ann == nil && len(s.cmd.Sort) == 0 {
		filters, err := b.chunkedFilters(s.filter)
		if err != nil {
			return nil, err
		}
		if filters != nil {
			cmds := make([]*Command, len(filters))
			for i, f := range filters {
				one := *s
				one.filter = f
				if cmds[i], err = one.command(b); err != nil {
					return nil, err
				}
			}
			return cmds, nil
		}
	}
	c, err := s.command(b)
	if err != nil {
		return nil, err
	}
	return []*Command{c}, nil
}

func (s *findStep) Run(ctx context.Context, ex Executor, b *Binding) (*Result, error) {
	cmds, err := s.commands(b)
	if err != nil {
		return nil, err
	}
	if len(cmds) > 1 {
		// Up to concatReadAhead finds are in flight; rows come in chunk order.
		it := &concatIter{ctx: ctx, ex: ex, cmds: cmds}
		return &Result{Rows: it}, nil
	}
	it, err := ex.Read(ctx, cmds[0])
	if err != nil {
		return nil, err
	}
	return &Result{Rows: it}, nil
}

func (s *findStep) Explain() (string, string) {
	b, _ := (&Statement{}).bind(nil, true)
	return s.explainBound(b)
}

func (s *findStep) explainBound(b *Binding) (string, string) {
	cmds, err := s.commands(b)
	if err != nil {
		return s.cmd.Name, "error: " + err.Error()
	}
	c := cmds[0]
	detail := c.JSON(true)
	if len(cmds) > 1 {
		detail = fmt.Sprintf("%d finds, one per chunk of at most %d IN values, up to %d in flight, rows concatenated in chunk order; the first: %s", len(cmds), maxInValues, concatReadAhead, detail)
	}
	if s.ann != nil {
		detail += " (vector search: one page, most similar first)"
	} else if c.Name == "find" {
		detail += " (paged)"
	}
	if s.ti != nil {
		if w := predictWarnings(s.ti.def, s.ti.indexes, c); w != "" {
			detail += "; " + w
		}
	}
	return c.Name, detail
}
