package store

import (
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"ceedesk/cases"
)

// replay is where a change checked in from a desk came from; change records in the same transaction that it
// landed.
type replay struct {
	checkout string
	seq      uint64
	made     time.Time
	auditSeq uint64
}

// landing is the Center's record that a desk's pending change landed.
type landing struct {
	Version uint64    `json:"version"`       // the case's version after it
	Seq     uint64    `json:"seq,omitempty"` // its audit event (0: it changed nothing)
	At      time.Time `json:"at"`
}

func landedKey(checkout string, seq uint64) []byte {
	k := append([]byte(checkout), 0)
	return append(k, be64(seq)...)
}

func getLanding(tx kvTx, checkout string, seq uint64) (*landing, error) {
	v := tx.Bucket(bLanded).Get(landedKey(checkout, seq))
	if v == nil {
		return nil, nil
	}
	l := new(landing)
	if err := json.Unmarshal(v, l); err != nil {
		return nil, fmt.Errorf("check-in record %s/%d is damaged: %w", checkout, seq, err)
	}
	return l, nil
}

var errAlreadyLanded = errors.New("landed already")

func (r *replay) landed(tx kvTx, c *cases.Case, auditSeq uint64, changed bool, now time.Time) error {
	l := landing{Version: c.Version, At: now}
	if changed {
		l.Seq = auditSeq
	}
	r.auditSeq = l.Seq
	v, _ := json.Marshal(l)
	return tx.Bucket(bLanded).Put(landedKey(r.checkout, r.seq), v)
}

// CheckinRow is what a check-in made of one pending change.
type CheckinRow struct {
	Seq    uint64    `json:"seq"`
	Case   string    `json:"case"`
	Action string    `json:"action"`
	Made   time.Time `json:"made"`
	Outcome
}

// CheckinReport is the outcome of a check-in.
type CheckinReport struct {
	Checkout CheckoutRecord `json:"checkout"`
	Rows     []CheckinRow   `json:"changes"`
	Released []string       `json:"released,omitempty"` // cases whose lease the check-in released
	Landed   int            `json:"landed"`             // landed now
	Earlier  int            `json:"earlier"`            // landed by an earlier check-in
	Conflict int            `json:"conflicts"`
	Refused  int            `json:"refused"`
}

// OK reports whether every change has landed (now or before).
func (r *CheckinReport) OK() bool { return r.Conflict == 0 && r.Refused == 0 }

// checkinClockSkew is how far a desk's clock may run ahead of the Center's.
const checkinClockSkew = 10 * time.Minute

// Checkin replays the pending changes of the desk file at path at this Center store, in order, as the reviewer
// who checked the cases out, each in its own write transaction through the same rules as any other write,
// against the version of the case seen at checkout (and after the desk's earlier changes to it). Each lands, is a
// conflict (the case changed at the Center: who, what and when) or is refused (the rule and why). Landing is
// recorded in the same transaction, so running the check-in again, or after it was cut off, lands nothing twice.
// Leases of cases none of whose changes failed are released. The desk file records the outcomes.
//
// Only the reviewer the desk file is for, or the operator, may check it in. A file that is not a desk file, is
// damaged, was checked out of another store or was altered since (its checkout record or its pending changes)
// is refused before anything is replayed.
//
// today is the date the rules judge the check-in by (0: the store's today); each change must be dated between the
// checkout's date and it, and made between the checkout's time and now.
func (s *Store) Checkin(actor, path string, today cases.Date, progress func(done, total int)) (*CheckinReport, error) {
	if s.desk != nil {
		return nil, fmt.Errorf("%w: %s is itself a desk file; check in at the Center's store", cases.ErrInvalid, s.path)
	}
	s.cimu.Lock()
	defer s.cimu.Unlock()
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: desk file %s does not exist or is not a file", errDesk, path)
	}
	d, err := Open(path, Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errDesk, err)
	}
	defer d.Close()
	rec, pending, err := s.checkDesk(actor, d)
	if err != nil {
		return nil, err
	}
	rep := &CheckinReport{Checkout: *rec}
	expect := map[string]uint64{}
	for _, co := range rec.Cases {
		expect[co.ID] = co.Version
	}
	failed := map[string]uint64{} // case -> the first of its changes that did not land
	if today == 0 {
		today = s.today()
	}
	from := rec.Today
	if from == 0 {
		from = cases.DateOf(rec.At)
	}
	for i, p := range pending {
		row := CheckinRow{Seq: p.Seq, Case: p.Op.Case, Action: p.Op.Action, Made: p.Made}
		var l *landing
		if err := s.view(func(tx kvTx) error { l, err = getLanding(tx, rec.ID, p.Seq); return err }); err != nil {
			return rep, err
		}
		switch {
		case l != nil:
			row.Outcome = landedEarlier
			row.At, row.CenterSeq = l.At, l.Seq
			expect[p.Op.Case] = l.Version
		case p.Op.Today < from || p.Op.Today > today || p.Made.Before(rec.At.Add(-checkinClockSkew)) || p.Made.After(s.clock().Add(checkinClockSkew)):
			row.Outcome = Outcome{State: Refused, Detail: fmt.Sprintf("made %s and dated %s, outside the checkout (checked out %s, dated %s; checked in dated %s): the desk's clock or date was wrong",
				p.Made.UTC().Format("2006-01-02 15:04"), p.Op.Today, rec.At.UTC().Format("2006-01-02 15:04"), from, today)}
		case failed[p.Op.Case] != 0 && !p.Op.versionFree():
			row.Outcome = Outcome{State: Conflict, Detail: fmt.Sprintf("made after change %d to this case, which did not land", failed[p.Op.Case])}
		default:
			version := expect[p.Op.Case]
			if p.Op.versionFree() {
				version = 0
			}
			c, seq, err := s.replayOne(rec, p, version)
			switch {
			case err == nil:
				row.Outcome = Outcome{State: Landed, CenterSeq: seq}
				expect[p.Op.Case] = c.Version
			case errors.Is(err, errAlreadyLanded):
				row.Outcome = landedEarlier
			default:
				if row.Outcome = s.classify(rec, p, expect[p.Op.Case], err); row.State == "" {
					return rep, fmt.Errorf("checking in change %d (%s %s): %w; the changes before it are checked in, run the check-in again to go on", p.Seq, p.Op.Action, p.Op.Case, err)
				}
			}
		}
		if row.At.IsZero() {
			row.At = s.clock()
		}
		if row.State != Landed && failed[p.Op.Case] == 0 {
			failed[p.Op.Case] = p.Seq
		}
		switch {
		case row.State == Landed && row.Earlier:
			rep.Earlier++
		case row.State == Landed:
			rep.Landed++
		case row.State == Conflict:
			rep.Conflict++
		default:
			rep.Refused++
		}
		rep.Rows = append(rep.Rows, row)
		if progress != nil {
			progress(i+1, len(pending))
		}
	}
	released, err := s.releaseCheckedIn(rec, failed)
	if err != nil {
		return rep, err
	}
	rep.Released = released
	if err := d.recordOutcomes(rep.Rows); err != nil {
		return rep, fmt.Errorf("every change is checked in at the Center, but the desk file %s could not record the outcomes: %w", path, err)
	}
	return rep, nil
}

// checkDesk opens the checks of a desk file: it is one, intact, of this store, unaltered, and actor may check it
// in. It returns the checkout record and the pending changes in order.
func (s *Store) checkDesk(actor string, d *Store) (*CheckoutRecord, []PendingChange, error) {
	path := d.path
	if d.desk == nil {
		return nil, nil, fmt.Errorf("%w: %s is a ceedesk store but not a desk file (it has no checkout); a desk file is written by ceedesk checkout", errDesk, path)
	}
	if err := d.Check(); err != nil {
		return nil, nil, fmt.Errorf("%w: %s is damaged: %v", errDesk, path, err)
	}
	if _, err := d.VerifyAudit(); err != nil {
		return nil, nil, fmt.Errorf("%w: %s: its audit log does not verify, so the file was altered: %v", errDesk, path, err)
	}
	var sc sealedCheckout
	var pending []PendingChange
	err := d.view(func(tx kvTx) error {
		b := tx.Bucket(bDesk)
		if err := json.Unmarshal(b.Get(dCheckout), &sc); err != nil {
			return err
		}
		return b.Bucket(dPending).ForEach(func(k, v []byte) error {
			var p PendingChange
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("pending change %d does not read: %w", binaryUint(k), err)
			}
			if p.Seq != binaryUint(k) {
				return fmt.Errorf("pending change %d is stored as change %d", p.Seq, binaryUint(k))
			}
			pending = append(pending, p)
			return nil
		})
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s is damaged: %v", errDesk, path, err)
	}
	rec := d.desk.record
	var id string
	var secret []byte
	var onRecord []byte
	err = s.view(func(tx kvTx) error {
		id, secret, err = storeIdentity(tx, false)
		onRecord = append([]byte(nil), tx.Bucket(bCheckouts).Get([]byte(rec.ID))...)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if id == "" || rec.Store != id {
		return nil, nil, fmt.Errorf("%w: %s was checked out of another Center store (%s), not this one (%s); check it in there", errDesk, path, rec.Store, orNone(id))
	}
	if !hmac.Equal([]byte(seal(secret, sc.Record)), []byte(sc.Seal)) || onRecord == nil || !hmac.Equal(d.desk.key, deskChainKey(secret, rec.ID)) {
		return nil, nil, fmt.Errorf("%w: %s: its checkout record was altered after checkout (the Center's seal does not match); nothing was checked in", errDesk, path)
	}
	if actor != Operator && actor != rec.User {
		return nil, nil, fmt.Errorf("%w: desk file %s is %s's (checkout %s); only %s or the operator may check it in", cases.ErrForbidden, path, rec.User, rec.ID, rec.User)
	}
	in := map[string]bool{}
	for _, co := range rec.Cases {
		in[co.ID] = true
	}
	prev := ""
	for _, p := range pending {
		if !hmac.Equal([]byte(pendingMAC(d.desk.key, prev, p)), []byte(p.MAC)) {
			return nil, nil, fmt.Errorf("%w: %s: pending change %d was altered after it was made (its MAC does not match); nothing was checked in", errDesk, path, p.Seq)
		}
		prev = p.MAC
		if p.Actor != rec.User || !in[p.Op.Case] {
			return nil, nil, fmt.Errorf("%w: %s: pending change %d is by %s on case %s, outside the checkout; nothing was checked in", errDesk, path, p.Seq, p.Actor, p.Op.Case)
		}
	}
	return &rec, pending, nil
}

func orNone(s string) string {
	if s == "" {
		return "none yet"
	}
	return s
}

// replayOne runs one pending change at the Center as the checkout's reviewer, against version (0: unchecked),
// and records in the same transaction that it landed. It returns the case and the audit event's seq.
func (s *Store) replayOne(rec *CheckoutRecord, p PendingChange, version uint64) (*cases.Case, uint64, error) {
	op := p.Op
	op.Version = version
	r, err := s.rule(&op)
	if err != nil {
		return nil, 0, err
	}
	rp := &replay{checkout: rec.ID, seq: p.Seq, made: p.Made}
	prep := func(tx kvTx) error {
		l, err := getLanding(tx, rec.ID, p.Seq)
		if err == nil && l != nil {
			err = errAlreadyLanded
		}
		return err
	}
	out, err := s.change(rec.User, r.action, r.reason, []edit{{id: op.Case, version: version, apply: r.apply}}, prep, &writeCtx{op: &op, replay: rp})
	if err != nil {
		return nil, 0, err
	}
	return out[0], rp.auditSeq, nil
}

// landedEarlier is the outcome of a change an earlier check-in of the same desk file landed.
var landedEarlier = Outcome{State: Landed, Earlier: true, Detail: "landed at an earlier check-in"}

// classify turns a replay's error into a conflict (the case changed at the Center, or is someone else's now) or
// a refusal (a rule says no); other errors (the store itself failing) classify as nothing.
//
// A change the rules refuse on a case that changed at the Center since (a note on a case reassigned meanwhile) is
// a conflict too: it is the change at the Center that stands in its way.
func (s *Store) classify(rec *CheckoutRecord, p PendingChange, expect uint64, err error) Outcome {
	var ce *cases.ConflictError
	var le *cases.LeaseError
	switch {
	case errors.As(err, &ce):
		return Outcome{State: Conflict, Detail: s.changedSince(p.Op.Case, rec)}
	case errors.As(err, &le):
		return Outcome{State: Conflict, Detail: "the case is now " + le.Lease.String() + "; " + s.changedSince(p.Op.Case, rec)}
	}
	var late *cases.LateError
	if !errors.Is(err, cases.ErrForbidden) && !errors.Is(err, cases.ErrInvalid) && !errors.Is(err, cases.ErrNotFound) && !errors.As(err, &late) {
		return Outcome{}
	}
	var now *cases.Case
	s.view(func(tx kvTx) error { now, _ = getCase(tx, p.Op.Case); return nil })
	if now != nil && now.Version != expect {
		return Outcome{State: Conflict, Detail: s.changedSince(p.Op.Case, rec) + "; so: " + err.Error()}
	}
	return Outcome{State: Refused, Detail: err.Error()}
}

// changedSince says who changed case id at the Center since the checkout, what and when (up to three events,
// the latest last), leaving out the checkout's own events and the changes checked in from it.
func (s *Store) changedSince(id string, rec *CheckoutRecord) string {
	var evs []cases.Event
	s.view(func(tx kvTx) error {
		all, err := caseEvents(tx, id)
		for _, e := range all {
			if e.At.After(rec.At) && e.Action != "checkout" && !(e.Actor == rec.User && !e.Offline.IsZero()) {
				evs = append(evs, e)
			}
		}
		return err
	})
	if len(evs) == 0 {
		return "the case changed at the Center since checkout"
	}
	if len(evs) > 3 {
		evs = evs[len(evs)-3:]
	}
	parts := make([]string, len(evs))
	for i, e := range evs {
		t := e.Actor + " " + strings.ReplaceAll(e.Action, "_", " ") + " " + e.At.Local().Format("2006-01-02 15:04")
		if e.Change != "" {
			t += ": " + e.Change
		}
		if e.Reason != "" {
			t += " (" + e.Reason + ")"
		}
		parts[i] = t
	}
	return "changed at the Center since checkout: " + strings.Join(parts, "; ")
}

// releaseCheckedIn releases the leases this checkout still holds on cases none of whose changes failed, and
// stamps the checkout as checked in: in one transaction, or on an engine with bounded transactions in parts (each
// whole; a check-in run again releases what a cut-off one left).
func (s *Store) releaseCheckedIn(rec *CheckoutRecord, failed map[string]uint64) ([]string, error) {
	var todo []string
	for _, co := range rec.Cases {
		if failed[co.ID] == 0 {
			todo = append(todo, co.ID)
		}
	}
	per := len(todo) + 1
	if lim := s.eng.limits(); lim.Ops > 0 {
		per = max(1, (lim.Ops*9/10-checkoutFixed)/checkoutKeys)
	}
	var released []string
	for i := 0; i == 0 || i < len(todo); i += per {
		part, err := s.releaseLeases(rec, todo[i:min(i+per, len(todo))], i+per >= len(todo))
		released = append(released, part...)
		if err != nil {
			return released, err
		}
	}
	return released, nil
}

// releaseLeases releases this checkout's leases on ids in one transaction, and when last stamps the checkout.
func (s *Store) releaseLeases(rec *CheckoutRecord, ids []string, last bool) ([]string, error) {
	var released []string
	var seq uint64
	now := s.clock()
	err := s.update(func(tx kvTx) error {
		released = released[:0]
		a := s.openAudit(tx)
		for _, id := range ids {
			l, err := getLease(tx, id)
			if err != nil {
				return err
			}
			if l == nil || l.Checkout != rec.ID {
				continue
			}
			if err := dropLease(tx, a, now, rec.User, "checkin", id, l, ""); err != nil {
				return err
			}
			released = append(released, id)
		}
		if last {
			cr := *rec
			if v := tx.Bucket(bCheckouts).Get([]byte(rec.ID)); v != nil {
				json.Unmarshal(v, &cr)
			}
			cr.CheckedIn = now
			v, _ := json.Marshal(cr)
			if err := tx.Bucket(bCheckouts).Put([]byte(rec.ID), v); err != nil {
				return err
			}
		}
		seq = a.seq
		return a.flush()
	})
	if err == nil && len(released) > 0 {
		s.feed.publish(cases.Change{Seq: seq, Action: "checkin", Actor: rec.User, Cases: released, At: now})
	}
	return released, err
}

// recordOutcomes writes what a check-in made of each change into the desk file.
func (d *Store) recordOutcomes(rows []CheckinRow) error {
	return d.update(func(tx kvTx) error {
		b := tx.Bucket(bDesk).Bucket(dOutcome)
		for _, r := range rows {
			v, _ := json.Marshal(r.Outcome)
			if err := b.Put(be64(r.Seq), v); err != nil {
				return err
			}
		}
		return nil
	})
}
