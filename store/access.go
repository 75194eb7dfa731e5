package store

import (
	"errors"
	"fmt"

	"ceedesk/cases"
)

// Every read the store offers names its actor and applies the read rules of package cases (access.go there) in the
// transaction that reads, as writes do: no path reaches the record around them.

// reader loads who is reading: a user of the store (enabled, and holding the store's key when it is seen through
// one), or the local operator, who holds the store file and may read all of it.
func (s *Store) reader(tx kvTx, actor string) (cases.User, error) {
	if actor == Operator && s.key == "" {
		return cases.User{Name: Operator, Role: cases.RoleAdmin}, nil
	}
	return s.actorUser(tx, actor)
}

// checkQueue applies the queue rules: a user's queue (cases.CanViewQueue) or a whole Center's
// (cases.CanViewCenter).
func (s *Store) checkQueue(tx kvTx, actor string, q cases.QueueQuery) error {
	u, err := s.reader(tx, actor)
	if err != nil {
		return err
	}
	if q.Assignee == "" {
		return cases.CanViewCenter(u, q.Center)
	}
	of, err := getUser(tx, q.Assignee)
	if errors.Is(err, cases.ErrNotFound) {
		if u.Role != cases.RoleAdmin {
			// a queue of nobody: say no more than a refusal would
			return cases.CanViewQueue(u, cases.User{Name: q.Assignee})
		}
		of = cases.User{Name: q.Assignee}
	} else if err != nil {
		return err
	}
	return cases.CanViewQueue(u, of)
}

// checkCase applies cases.CanView to a stored case.
func (s *Store) checkCase(tx kvTx, actor string, c *cases.Case) error {
	u, err := s.reader(tx, actor)
	if err != nil {
		return err
	}
	if err := cases.CanView(u, c); err != nil {
		return fmt.Errorf("case %s: %w", c.ID, err)
	}
	return nil
}

// oversee applies cases.CanOversee for a Center's supervisor views.
func (s *Store) oversee(tx kvTx, actor, center string) error {
	u, err := s.reader(tx, actor)
	if err != nil {
		return err
	}
	return cases.CanOversee(u, center)
}

// bulkScope applies cases.BulkScope: "" for the whole store, else the one Center the actor may take in bulk.
func (s *Store) bulkScope(tx kvTx, actor, what string) (string, error) {
	u, err := s.reader(tx, actor)
	if err != nil {
		return "", err
	}
	return cases.BulkScope(u, what)
}

// caseCenter is the Center of a stored case, from its queue row, or "" when there is none.
func caseCenter(tx kvTx, id string) string {
	v := tx.Bucket(bRows).Get([]byte(id))
	if v == nil {
		return ""
	}
	var r cases.QueueRow
	if err := decodeRowView(v, &r); err != nil {
		return ""
	}
	return r.Center
}
