package planner

// CheckArgs binds args and encodes every command a write plan would send,
// without sending anything: an argument the statement could not take
// (wrong count, a value its column does not accept) fails here exactly as
// it would when the plan runs. The driver calls it when a transaction
// buffers a write, so that such errors show at Exec, not part way through
// Commit. Plans of other statements only have their arguments bound.
func (p *Plan) CheckArgs(args []Arg) error {
	b, err := p.Statement.bind(args, false)
	if err != nil {
		return err
	}
	if len(p.Steps) == 0 {
		return nil
	}
	if c, ok := p.Steps[0].(argChecker); ok {
		return c.checkArgs(b)
	}
	return nil
}

// argChecker is a write step that can encode its commands without
// running them.
type argChecker interface {
	checkArgs(b *Binding) error
}

func (s *insertStep) checkArgs(b *Binding) error {
	_, err := s.command(b)
	return err
}

func (s *writeOneStep) checkArgs(b *Binding) error {
	_, err := s.command(b)
	if err == nil && s.probe != nil {
		_, err = s.probe.command(b)
	}
	return err
}

func (s *perRowStep) checkArgs(b *Binding) error {
	if _, err := s.template(b); err != nil {
		return err
	}
	_, err := s.find.commands(b)
	return err
}

func (s *deleteManyStep) checkArgs(b *Binding) error {
	_, err := s.command(b)
	return err
}

func (s *deleteInStep) checkArgs(b *Binding) error {
	_, _, err := s.commands(b)
	return err
}
