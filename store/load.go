package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"ceedesk/cases"
)

// loadBatch is how many cases Load writes per transaction.
const loadBatch = 50000

// stamp gives a case arriving from outside its version and last-change fields when it has none: version 1, the
// actor and now. Values that are present (a re-import of an export) are kept exactly.
func stamp(c *cases.Case, actor string, now time.Time) {
	if c.Version == 0 {
		c.Version = 1
	}
	if c.UpdatedBy == "" {
		c.UpdatedBy = actor
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = now
	}
}

// insertBulk writes new cases (already validated and stamped, sorted by id) with their rows, their importer and
// decision entries and one audit event each, without touching the indexes; the caller rebuilds them (or calls
// putCase instead).
func (s *Store) insertBulk(tx kvTx, a *auditLog, actor, action, reason string, batch []*cases.Case, now time.Time) error {
	cb, rows := tx.Bucket(bCases), tx.Bucket(bRows)
	cb.SetFillPercent(0.9)
	rows.SetFillPercent(0.9)
	a.history.SetFillPercent(0.9)
	ck := newCaseKeySet() // put in key order once the batch is read: a bucket takes random keys slowly in bulk
	for _, c := range batch {
		id := []byte(c.ID)
		if cb.Get(id) != nil {
			return fmt.Errorf("case %s already exists in the store", c.ID)
		}
		v, err := encodeCase(c)
		if err != nil {
			return err
		}
		if err := cb.Put(id, v); err != nil {
			return err
		}
		r := c.Row(s.policy)
		if err := rows.Put(id, encodeRow(&r)); err != nil {
			return err
		}
		if err := caseKeys(c, &r, ck.add); err != nil {
			return err
		}
		if err := a.append(cases.Event{At: now, Actor: actor, Case: c.ID, Action: action, Change: cases.Diff(nil, c), Reason: reason}); err != nil {
			return err
		}
		a.events = a.events[:0] // bulk writes publish one summary change, not one per case
	}
	if err := ck.put(tx); err != nil {
		return err
	}
	if err := tx.Bucket(bMeta).Put(mCases, be64(metaUint(tx, mCases)+uint64(len(batch)))); err != nil {
		return err
	}
	return a.flush()
}

// caseHolders maps every user's name to the user, for checking assignees.
func (s *Store) caseHolders(tx kvTx) (map[string]cases.User, error) {
	m := map[string]cases.User{}
	err := tx.Bucket(bUsers).ForEach(func(k, v []byte) error {
		u, err := getUser(tx, string(k))
		if err != nil {
			return err
		}
		m[u.Name] = u
		return nil
	})
	return m, err
}

// holderProblem says why a case's assignee cannot hold it, or "" when it can.
func holderProblem(users map[string]cases.User, c *cases.Case) string {
	if c.Assignee == "" {
		return ""
	}
	u, ok := users[c.Assignee]
	switch {
	case !ok:
		return fmt.Sprintf("%s is not a ceedesk user", c.Assignee)
	case u.Role != cases.RoleReviewer && u.Role != cases.RoleSupervisor:
		return fmt.Sprintf("%s is an %s and cannot hold cases", u.Name, u.Role)
	case !strings.EqualFold(u.Center, c.Center):
		return fmt.Sprintf("%s is in the %s Center, not %s", u.Name, u.Center, c.Center)
	}
	return ""
}

// unknownPeople reports every name a case records that is not a user of the store, by its JSON path: the authors
// of its notes, who made its requests and who recorded their answers, who sent its notices of action, who decided
// and approved it, who took part in the original decision of a
// protest under further review (a misspelt one would escape 19 CFR 174.26), and who changed it last (which may
// also be the operator, who stamps what it imports or seeds). The assignee is holderProblem's.
func unknownPeople(users map[string]cases.User, c *cases.Case) []*cases.FieldError {
	var out []*cases.FieldError
	check := func(field, name string) {
		if _, ok := users[name]; !ok && name != "" {
			out = append(out, &cases.FieldError{Field: field, Reason: fmt.Sprintf("%s is not a ceedesk user; add the user first", name)})
		}
	}
	for i, n := range c.Notes {
		check(fmt.Sprintf("notes[%d].author", i), n.Author)
	}
	for i, r := range c.Requests {
		check(fmt.Sprintf("requests[%d].by", i), r.By)
		check(fmt.Sprintf("requests[%d].recorded_by", i), r.RecordedBy)
	}
	for i, n := range c.Notices {
		check(fmt.Sprintf("notices[%d].by", i), n.By)
	}
	if d := c.Decision; d != nil {
		check("decision.by", d.By)
		check("decision.approver", d.Approver)
	}
	if p := c.Protest; p != nil {
		for i, n := range p.OriginalDeciders {
			check(fmt.Sprintf("protest.original_deciders[%d]", i), n)
		}
	}
	if c.UpdatedBy != Operator {
		check("updated_by", c.UpdatedBy)
	}
	return out
}

func validationText(errs []error) string {
	var parts []string
	for i, e := range errs {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(errs)-5))
			break
		}
		parts = append(parts, e.Error())
	}
	return strings.Join(parts, "; ")
}

// Load bulk-loads new cases (for seeding): each is validated (cases.Validate, assignee a user of its Center), gets
// one audit event (action "seed") and is written in transactions of 50,000 cases with fsync off; the indexes are
// rebuilt once at the end and the file is synced once. Load is not all or nothing: on an error the cases of earlier
// batches stay, the indexes are rebuilt for them and the error says how many were loaded. If the process dies
// during Load, the next Open rebuilds the indexes. progress, if not nil, is called after each batch. Other writes
// wait until Load returns.
func (s *Store) Load(actor string, next func() (*cases.Case, bool), progress func(done int)) (int, error) {
	if s.readOnly {
		return 0, fmt.Errorf("store %s is open read-only", s.path)
	}
	if err := s.notOnDesk("seed"); err != nil {
		return 0, err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	// No fsync per commit, nor per file growth (bbolt syncs whenever it grows the file), and growth in large
	// steps; one sync at the end.
	if err := s.eng.bulk(true); err != nil {
		return 0, err
	}
	bulkOn := true
	defer func() {
		if bulkOn {
			s.eng.bulk(false)
		}
	}()

	var users map[string]cases.User
	err := s.boltUpdate(func(tx kvTx) error {
		var err error
		if users, err = s.caseHolders(tx); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put(mDirty, []byte{1})
	})
	if err != nil {
		return 0, err
	}
	now := s.clock()
	done := 0
	var lastSeq uint64
	batch := make([]*cases.Case, 0, loadBatch)
	flush := func() error {
		slices.SortFunc(batch, func(a, b *cases.Case) int { return strings.Compare(a.ID, b.ID) })
		for i := 1; i < len(batch); i++ {
			if batch[i].ID == batch[i-1].ID {
				return fmt.Errorf("case %s is given twice", batch[i].ID)
			}
		}
		err := s.boltUpdate(func(tx kvTx) error {
			a := s.openAudit(tx)
			if err := s.insertBulk(tx, a, actor, "seed", "", batch, now); err != nil {
				return err
			}
			lastSeq = a.seq
			return nil
		})
		if err != nil {
			return err
		}
		done += len(batch)
		batch = batch[:0]
		if progress != nil {
			progress(done)
		}
		return nil
	}
	var loadErr error
	for {
		c, ok := next()
		if !ok {
			break
		}
		if errs := cases.Validate(c); len(errs) > 0 {
			loadErr = fmt.Errorf("case %s: %s", c.ID, validationText(errs))
			break
		}
		if p := holderProblem(users, c); p != "" {
			loadErr = fmt.Errorf("case %s: assignee: %s", c.ID, p)
			break
		}
		stamp(c, actor, now)
		batch = append(batch, c)
		if len(batch) == loadBatch {
			if loadErr = flush(); loadErr != nil {
				break
			}
		}
	}
	if loadErr == nil && len(batch) > 0 {
		loadErr = flush()
	}
	err = s.boltUpdate(func(tx kvTx) error { return s.rebuild(tx, false) })
	bulkOn = false
	if serr := s.eng.bulk(false); err == nil {
		err = serr
	}
	if loadErr != nil || err != nil {
		return done, fmt.Errorf("load into %s stopped after %d cases: %w", s.path, done, errors.Join(loadErr, err))
	}
	if done > 0 {
		s.feed.publish(cases.Change{Seq: lastSeq, Action: "seed", Actor: actor, At: now})
	}
	return done, nil
}
