package store

import (
	"fmt"
	"strings"
	"time"

	"ceedesk/cases"
)

// edit is one case change inside a write: the case, the version the actor saw (0 = unchecked) and the rule.
type edit struct {
	id      string
	version uint64
	apply   func(c *cases.Case, actor cases.User, now time.Time) error
}

// change runs the edits in one Update transaction: it loads the actor, runs prep (if any), and for each case checks
// that no one else holds it checked out (cases.CanWriteLeased), checks the version, applies the rule to a clone,
// bumps the version, rewrites the case with its row and indexes and appends one audit event. An edit that changes
// nothing a person can see (StartReview of a case already in review) writes nothing. On a desk file the op is
// kept as a pending change in the same transaction; a change checked in from a desk records that it landed, also
// in the same transaction (desk.go). After commit it publishes one cases.Change.
func (s *Store) change(actorName, action, reason string, edits []edit, prep func(tx kvTx) error, w *writeCtx) ([]*cases.Case, error) {
	var out []*cases.Case
	var changed []string
	var seq uint64
	now := s.clock()
	var rp *replay
	if w != nil {
		rp = w.replay
	}
	ruleNow := now // when the rule says the change was made: offline, for a change checked in from a desk
	if rp != nil {
		ruleNow = rp.made
	}
	if s.desk != nil && (w == nil || w.op == nil) {
		return nil, fmt.Errorf("%w: a desk file takes the work on its own cases (decisions, notes, requests, notices); %s at the Center", cases.ErrInvalid, action)
	}
	err := s.update(func(tx kvTx) error {
		out, changed = out[:0], changed[:0]
		actor, err := s.actorUser(tx, actorName)
		if err != nil {
			return err
		}
		if prep != nil {
			if err := prep(tx); err != nil {
				return err
			}
		}
		a := s.openAudit(tx)
		seen := map[string]bool{}
		var before uint64
		for _, e := range edits {
			if seen[e.id] {
				return fmt.Errorf("%w: case %s is named twice", cases.ErrInvalid, e.id)
			}
			seen[e.id] = true
			old, err := getCase(tx, e.id)
			if err != nil {
				return err
			}
			before = old.Version
			l, err := getLease(tx, e.id)
			if err != nil {
				return err
			}
			if err := cases.CanWriteLeased(actor, e.id, l, cases.DateOf(now)); err != nil {
				return err
			}
			if e.version != 0 && e.version != old.Version {
				return &cases.ConflictError{ID: old.ID, By: old.UpdatedBy, At: old.UpdatedAt, Version: old.Version}
			}
			c := old.Clone()
			if err := e.apply(c, actor, ruleNow); err != nil {
				return fmt.Errorf("case %s: %w", e.id, err)
			}
			diff := cases.Diff(old, c)
			if diff == "no change" {
				out = append(out, old)
				continue
			}
			c.Version = old.Version + 1
			c.UpdatedBy, c.UpdatedAt = actor.Name, now
			if err := s.putCase(tx, old, c); err != nil {
				return err
			}
			ev := cases.Event{At: now, Actor: actor.Name, Case: c.ID, Action: action, Change: diff, Reason: reason}
			if rp != nil {
				ev.Offline = rp.made
			}
			if err := a.append(ev); err != nil {
				return err
			}
			out = append(out, c)
			changed = append(changed, c.ID)
		}
		if rp != nil {
			if err := rp.landed(tx, out[0], a.seq, len(changed) > 0, now); err != nil {
				return err
			}
		}
		if s.desk != nil && len(changed) > 0 {
			if err := s.desk.keep(tx, w.op, actor.Name, before, now); err != nil {
				return err
			}
		}
		seq = a.seq
		return a.flush()
	})
	if err != nil {
		return nil, err
	}
	if len(changed) > 0 {
		s.feed.publish(cases.Change{Seq: seq, Action: action, Actor: actorName, Cases: changed, At: now})
	}
	return out, nil
}

// StartReview marks the case in review (cases.StartReview) when its assignee opens it for work. Opening a case
// that is already in review changes nothing and writes nothing.
func (s *Store) StartReview(actor, id string, version uint64) (*cases.Case, error) {
	return s.do(actor, Op{Action: "review", Case: id, Version: version})
}

// Decide records a decision (cases.Decide): final, or pending approval when the policy requires a second person.
func (s *Store) Decide(actor, id string, version uint64, d cases.Decision, today cases.Date) (*cases.Case, error) {
	return s.do(actor, Op{Action: "decide", Case: id, Version: version, Decision: &d, Today: today})
}

// checkReason applies cases.CheckReason to a reason or comment before the transaction: it is kept in the audit
// log, which nothing ever trims.
func checkReason(what, text string) error {
	return cases.CheckReason("the "+what, text)
}

// Approve makes a pending decision final (cases.Approve) as of today; the comment is recorded in the audit event.
// An approval that makes a decision final after a deadline the law does not move needs lateAck, the approver's
// acknowledgement (cases.AckLate), or is refused with a *cases.LateError that says why.
func (s *Store) Approve(actor, id string, version uint64, comment, lateAck string, today cases.Date) (*cases.Case, error) {
	return s.do(actor, Op{Action: "approve", Case: id, Version: version, Text: comment, LateAck: lateAck, Today: today})
}

// Return sends a pending decision back to review with a comment (cases.Return).
func (s *Store) Return(actor, id string, version uint64, comment string) (*cases.Case, error) {
	return s.do(actor, Op{Action: "return", Case: id, Version: version, Text: comment})
}

// AddNote appends a note to the case (cases.AddNote).
func (s *Store) AddNote(actor, id string, version uint64, text string) (*cases.Case, error) {
	return s.do(actor, Op{Action: "note", Case: id, Version: version, Text: text})
}

// RequestInfo records a request for information and sets the case awaiting information (cases.RequestInfo).
func (s *Store) RequestInfo(actor, id string, version uint64, question string, today cases.Date) (*cases.Case, error) {
	return s.do(actor, Op{Action: "request_info", Case: id, Version: version, Text: question, Today: today})
}

// AnswerRequest records the importer's answer, received on answered, to the latest open request for information
// of the case (cases.AnswerRequest); when no request stays open the case is back in review.
func (s *Store) AnswerRequest(actor, id string, version uint64, answered cases.Date, text string, today cases.Date) (*cases.Case, error) {
	return s.AnswerRequestNo(actor, id, version, 0, answered, text, today)
}

// AnswerRequestNo is AnswerRequest for request n of the case (1 the first; 0 the latest open one).
func (s *Store) AnswerRequestNo(actor, id string, version uint64, n int, answered cases.Date, text string, today cases.Date) (*cases.Case, error) {
	return s.do(actor, Op{Action: "answer", Case: id, Version: version, N: n, On: answered, Text: text, Today: today})
}

// NoticeOfAction records a notice of action (CBP Form 29) sent on sent: proposed, with the importer's reply due
// at the end of 20 days, or taken (cases.NoticeOfAction).
func (s *Store) NoticeOfAction(actor, id string, version uint64, proposed bool, action string, sent, today cases.Date) (*cases.Case, error) {
	return s.do(actor, Op{Action: "notice_of_action", Case: id, Version: version, Proposed: proposed, What: action, On: sent, Today: today})
}

// RecordReply records the importer's reply, received on replied, to the latest notice of action of the case
// that has none (cases.RecordReply).
func (s *Store) RecordReply(actor, id string, version uint64, replied cases.Date, text string, today cases.Date) (*cases.Case, error) {
	return s.do(actor, Op{Action: "reply", Case: id, Version: version, On: replied, Text: text, Today: today})
}

// Assign gives every listed case to the user to (cases.Assign), all or nothing, with one audit event per case.
// versions, when given, are the versions of the cases the actor saw, one per id (0 = unchecked): a case changed
// since is a *cases.ConflictError and nothing is assigned, so two supervisors reassigning at once never overwrite
// each other.
func (s *Store) Assign(actor string, ids []string, versions []uint64, to, reason string, today cases.Date) ([]*cases.Case, error) {
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: assign: no cases named", cases.ErrInvalid)
	}
	if versions != nil && len(versions) != len(ids) {
		return nil, fmt.Errorf("%w: assign: %d cases but %d versions; give one version for each case", cases.ErrInvalid, len(ids), len(versions))
	}
	if err := checkReason("reason", reason); err != nil {
		return nil, err
	}
	var target cases.User
	edits := make([]edit, len(ids))
	for i, id := range ids {
		edits[i] = edit{id: id, apply: func(c *cases.Case, u cases.User, now time.Time) error {
			return cases.Assign(c, u, target, reason, today, now)
		}}
		if versions != nil {
			edits[i].version = versions[i]
		}
	}
	prep := func(tx kvTx) error {
		var err error
		target, err = getUser(tx, to)
		return err
	}
	per := casesPerTx(s.eng.limits())
	if len(edits) <= per {
		return s.change(actor, "assign", strings.TrimSpace(reason), edits, prep, nil)
	}
	// An engine whose transactions are bounded (etcd) takes a large reassignment in parts, each whole: a part
	// that fails stops the rest, and what the parts before it did stands, as the error says.
	var out []*cases.Case
	for i := 0; i < len(edits); i += per {
		part, err := s.change(actor, "assign", strings.TrimSpace(reason), edits[i:min(i+per, len(edits))], prep, nil)
		if err != nil {
			if i == 0 {
				return nil, err
			}
			return out, fmt.Errorf("%d of %d cases were reassigned (in parts of %d, each whole); the other %d were not: %w", i, len(edits), per, len(edits)-i, err)
		}
		out = append(out, part...)
	}
	return out, nil
}

// opsPerCase is a generous count of the keys one case's change writes (the case, its row, its index entries in
// every sort of its holder's and its Center's queues, statistics, importer and decision keys, its audit event and
// history, meta), for splitting bulk work on an engine with bounded transactions.
const opsPerCase = 120

// casesPerTx is how many cases one transaction of an engine with limits lim may change (every case, when it has
// none).
func casesPerTx(lim kvLimits) int {
	if lim.Ops == 0 {
		return int(^uint(0) >> 1)
	}
	return max(1, lim.Ops*9/10/opsPerCase)
}
