package pgwire

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgproto3"
)

// loop reads and answers messages until the client terminates or goes away.
func (ss *session) loop() error {
	for {
		msg, err := ss.be.Receive()
		if err != nil {
			return errQuiet
		}
		if ss.ignoreTillSync {
			switch msg.(type) {
			case *pgproto3.Sync:
				ss.ignoreTillSync = false
				ss.be.Send(&pgproto3.ReadyForQuery{TxStatus: ss.txStatus()})
				if err := ss.be.Flush(); err != nil {
					return errQuiet
				}
			case *pgproto3.Terminate:
				return nil
			}
			continue
		}
		var merr error
		switch m := msg.(type) {
		case *pgproto3.Query:
			if err := ss.simpleQuery(m.String); err != nil {
				return err
			}
			continue
		case *pgproto3.Parse:
			merr = ss.parse(m)
		case *pgproto3.Bind:
			merr = ss.bindMsg(m)
		case *pgproto3.Describe:
			merr = ss.describe(m)
		case *pgproto3.Execute:
			pt := ss.portals[m.Portal]
			if pt == nil {
				merr = newErr(codeInvalidCursor, fmt.Sprintf("portal %q does not exist", m.Portal))
				break
			}
			merr = ss.execute(pt, int(m.MaxRows))
		case *pgproto3.Close:
			if m.ObjectType == 'S' {
				delete(ss.stmts, m.Name)
			} else if pt := ss.portals[m.Name]; pt != nil {
				pt.close()
				delete(ss.portals, m.Name)
			}
			ss.be.Send(&pgproto3.CloseComplete{})
		case *pgproto3.Sync:
			// The unnamed portal ends with the implicit transaction.
			if pt := ss.portals[""]; pt != nil {
				pt.close()
				delete(ss.portals, "")
			}
			ss.be.Send(&pgproto3.ReadyForQuery{TxStatus: ss.txStatus()})
			if err := ss.be.Flush(); err != nil {
				return errQuiet
			}
		case *pgproto3.Flush:
			if err := ss.be.Flush(); err != nil {
				return errQuiet
			}
		case *pgproto3.Terminate:
			return nil
		case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
			// Not in a COPY: ignored, as PostgreSQL does.
		default:
			merr = newErr(codeProtocolViolation, fmt.Sprintf("unsupported message %T", msg))
		}
		if merr != nil {
			if errors.Is(merr, errQuiet) {
				return merr
			}
			ss.sendError(merr)
			ss.ignoreTillSync = true
			if err := ss.be.Flush(); err != nil {
				return errQuiet
			}
		}
	}
}

func (ss *session) parse(m *pgproto3.Parse) error {
	if m.Name != "" {
		if _, exists := ss.stmts[m.Name]; exists {
			return newErr("42P05", fmt.Sprintf("prepared statement %q already exists", m.Name))
		}
	}
	stmts := splitStatements(m.Query)
	if len(stmts) > 1 {
		return newErr(codeSyntax, "cannot insert multiple commands into a prepared statement")
	}
	text := m.Query
	if len(stmts) == 1 {
		text = stmts[0]
	}
	ctx, _, release := ss.statementContext()
	defer release()
	p, err := ss.prepare(ctx, text, m.ParameterOIDs)
	if err != nil {
		return err
	}
	ss.stmts[m.Name] = p
	ss.be.Send(&pgproto3.ParseComplete{})
	return nil
}

func (ss *session) bindMsg(m *pgproto3.Bind) error {
	p := ss.stmts[m.PreparedStatement]
	if p == nil {
		return newErr(codeInvalidSQLStmt, fmt.Sprintf("prepared statement %q does not exist", m.PreparedStatement))
	}
	if old := ss.portals[m.DestinationPortal]; old != nil {
		if m.DestinationPortal != "" {
			return newErr("42P03", fmt.Sprintf("portal %q already exists", m.DestinationPortal))
		}
		old.close()
	}
	pt, err := ss.bind(p, m)
	if err != nil {
		return err
	}
	ss.portals[m.DestinationPortal] = pt
	ss.be.Send(&pgproto3.BindComplete{})
	return nil
}

func (ss *session) describe(m *pgproto3.Describe) error {
	if m.ObjectType == 'S' {
		p := ss.stmts[m.Name]
		if p == nil {
			return newErr(codeInvalidSQLStmt, fmt.Sprintf("prepared statement %q does not exist", m.Name))
		}
		ss.be.Send(&pgproto3.ParameterDescription{ParameterOIDs: p.paramOIDs})
		if p.query {
			ss.be.Send(rowDescription(p.cols, nil))
		} else {
			ss.be.Send(&pgproto3.NoData{})
		}
		return nil
	}
	pt := ss.portals[m.Name]
	if pt == nil {
		return newErr(codeInvalidCursor, fmt.Sprintf("portal %q does not exist", m.Name))
	}
	if pt.st.query {
		ss.be.Send(rowDescription(pt.st.cols, pt.formats))
	} else {
		ss.be.Send(&pgproto3.NoData{})
	}
	return nil
}
