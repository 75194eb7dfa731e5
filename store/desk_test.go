package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"
)

// openDesk opens a desk file as the workstation does, with the test clock.
func openDesk(t *testing.T, path string) *Store {
	t.Helper()
	d, err := Open(path, Options{NoSync: true, Now: testClock(), Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// openCases are the open cases of rv in the fixture, not waiting for approval.
func openCases(cs []*cases.Case, rv string) []*cases.Case {
	var out []*cases.Case
	for _, c := range cs {
		if c.Assignee == rv && c.Status.Open() && c.Status != cases.StatusPendingApproval {
			out = append(out, c)
		}
	}
	return out
}

// decideAny records the first decision the rules accept on c as actor.
func decideAny(t testing.TB, s *Store, actor string, c *cases.Case) *cases.Case {
	t.Helper()
	var last error
	for _, o := range cases.Outcomes(c) {
		for _, ack := range []string{"", "decided after the deadline, acknowledged"} {
			got, err := s.Decide(actor, c.ID, c.Version, cases.Decision{Outcome: o.Outcome, Reasons: "offline review", LateAck: ack}, today)
			if err == nil {
				return got
			}
			last = err
		}
	}
	t.Fatalf("no decision of %s is accepted: %v", c.ID, last)
	return nil
}

func checkout(t *testing.T, s *Store, actor string, req CheckoutRequest) (*CheckoutRecord, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), actor+".desk")
	rec, err := s.Checkout(actor, req, path)
	if err != nil {
		t.Fatal(err)
	}
	return rec, path
}

// The whole loop in the store: check out, leases refuse others, work on the desk, a supervisor breaks one lease
// and reassigns that case, check in (the rest lands, that one conflicts, the note lands), and again (nothing
// lands twice).
func TestCheckoutWorkCheckin(t *testing.T) {
	s, cs := fixture(t, 400)
	mine := openCases(cs, "alice")
	if len(mine) < 4 {
		t.Fatalf("alice has %d open cases", len(mine))
	}
	rec, path := checkout(t, s, "alice", CheckoutRequest{Days: 7})
	if len(rec.Cases) != len(mine) || rec.User != "alice" || rec.Until != today.AddDays(6) {
		t.Fatalf("checkout %+v, alice has %d open cases", rec, len(mine))
	}
	a, b := mine[0], mine[1]
	got, err := s.Case("sofia", a.ID)
	if err != nil || got.Lease == nil || got.Lease.String() != "checked out to alice until "+today.AddDays(6).String() {
		t.Fatalf("lease of %s seen by sofia: %+v %v", a.ID, got.Lease, err)
	}
	page, err := s.Queue("alice", cases.QueueQuery{Assignee: "alice", OpenOnly: true, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Rows {
		if r.Lease == nil || r.Lease.Checkout != rec.ID {
			t.Fatalf("queue row %s has lease %+v", r.ID, r.Lease)
		}
	}
	var le *cases.LeaseError
	if _, err := s.Assign("sofia", []string{a.ID}, nil, "bob", "leave", today); !errors.As(err, &le) || !strings.Contains(err.Error(), "checked out to alice until") {
		t.Fatalf("assign of a leased case: %v", err)
	}
	if _, err := s.Checkout("alice", CheckoutRequest{IDs: []string{a.ID}}, filepath.Join(t.TempDir(), "again.desk")); err == nil || !strings.Contains(err.Error(), "already checked out to you") {
		t.Fatalf("second checkout of a leased case: %v", err)
	}

	d := openDesk(t, path)
	info, err := d.Desk()
	if err != nil || info == nil || info.ID != rec.ID || info.Pending != 0 {
		t.Fatalf("desk info %+v %v", info, err)
	}
	if err := d.Check(); err != nil {
		t.Fatalf("desk file Check: %v", err)
	}
	if _, err := d.VerifyHistory(); err != nil {
		t.Fatalf("desk file history: %v", err)
	}
	if _, err := d.Assign("alice", []string{a.ID}, nil, "alice", "x", today); err == nil {
		t.Fatal("assign on a desk file was allowed")
	}
	for _, c := range []*cases.Case{a, b} {
		dc, err := d.Case("alice", c.ID)
		if err != nil {
			t.Fatal(err)
		}
		decideAny(t, d, "alice", dc)
	}
	if _, err := d.AddNote("alice", mine[2].ID, 0, "seen at the importer's premises"); err != nil {
		t.Fatal(err)
	}
	if info, _ := d.Desk(); info.Pending != 3 {
		t.Fatalf("pending %d, want 3", info.Pending)
	}
	d.Close()

	if _, err := s.BreakLease("alice", a.ID, "urgent"); !errors.Is(err, cases.ErrForbidden) {
		t.Fatalf("a reviewer broke a lease: %v", err)
	}
	if _, err := s.BreakLease("sofia", a.ID, ""); err == nil {
		t.Fatal("break without a reason")
	}
	if _, err := s.BreakLease("sofia", a.ID, "the importer called: urgent"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Assign("sofia", []string{a.ID}, nil, "bob", "urgent while alice is away", today); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Checkin("bob", path, 0, nil); !errors.Is(err, cases.ErrForbidden) {
		t.Fatalf("bob checked in alice's desk: %v", err)
	}
	rep, err := s.Checkin("alice", path, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Landed != 2 || rep.Conflict != 1 || rep.OK() {
		t.Fatalf("check-in %+v", rep)
	}
	if r := rep.Rows[0]; r.Case != a.ID || r.State != Conflict || !strings.Contains(r.Detail, "sofia assign") || !strings.Contains(r.Detail, "assignee: alice -> bob") {
		t.Fatalf("conflict row %+v", r)
	}
	gb, _ := s.Case("sofia", b.ID)
	if gb.Status == cases.StatusInReview || gb.Decision == nil || gb.Lease != nil {
		t.Fatalf("b after check-in: %s %+v lease %+v", gb.Status, gb.Decision, gb.Lease)
	}
	h, _ := s.History("sofia", b.ID)
	last := h[len(h)-1]
	if last.Action != "checkin" || h[len(h)-2].Action != "decide" || h[len(h)-2].Offline.IsZero() || !h[len(h)-2].At.After(h[len(h)-2].Offline) {
		t.Fatalf("history of b: %+v", h[len(h)-2:])
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyHistory(); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)

	again, err := s.Checkin("alice", path, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Landed != 0 || again.Earlier != 2 || again.Conflict != 1 {
		t.Fatalf("second check-in %+v", again)
	}
	h2, _ := s.History("sofia", b.ID)
	if len(h2) != len(h) {
		t.Fatalf("second check-in added %d events to b", len(h2)-len(h))
	}
	d = openDesk(t, path)
	changes, err := d.DeskChanges()
	d.Close()
	if err != nil || len(changes) != 3 || changes[0].State != Conflict || changes[1].State != Landed {
		t.Fatalf("desk outcomes %+v %v", changes, err)
	}
}

// A desk file altered by hand, one from another store, and one that is no desk file change nothing.
func TestCheckinRefusesAlteredAndForeignFiles(t *testing.T) {
	s, cs := fixture(t, 200)
	mine := openCases(cs, "alice")
	_, path := checkout(t, s, "alice", CheckoutRequest{IDs: []string{mine[0].ID}})
	d := openDesk(t, path)
	if _, err := d.AddNote("alice", mine[0].ID, 0, "a note"); err != nil {
		t.Fatal(err)
	}
	d.Close()
	headSeq, _, _ := s.AuditHead()
	copyOf := func(name string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	edited := copyOf("edited.desk")
	rawUpdate(t, edited, func(tx kvTx) error {
		b := tx.Bucket(bDesk).Bucket(dPending)
		var p PendingChange
		json.Unmarshal(b.Get(be64(1)), &p)
		p.Op.Text = "a different note"
		v, _ := json.Marshal(p)
		return b.Put(be64(1), v)
	})
	longer := copyOf("longer.desk")
	rawUpdate(t, longer, func(tx kvTx) error {
		var sc sealedCheckout
		b := tx.Bucket(bDesk)
		json.Unmarshal(b.Get(dCheckout), &sc)
		var rec CheckoutRecord
		json.Unmarshal(sc.Record, &rec)
		rec.Until = rec.Until.AddDays(30)
		sc.Record, _ = json.Marshal(rec)
		v, _ := json.Marshal(sc)
		return b.Put(dCheckout, v)
	})
	other, _ := fixture(t, 10)
	plain := filepath.Join(t.TempDir(), "plain.db")
	if _, err := s.BackupFile(plain); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		st   *Store
		path string
		want string
	}{
		{s, edited, "pending change 1 was altered"},
		{s, longer, "checkout record was altered"},
		{other, path, "another Center store"},
		{s, plain, "not a desk file"},
		{s, filepath.Join(t.TempDir(), "none.desk"), "does not exist"},
	} {
		_, err := tc.st.Checkin("alice", tc.path, 0, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", filepath.Base(tc.path), err, tc.want)
		}
	}
	if seq, _, _ := s.AuditHead(); seq != headSeq {
		t.Fatalf("refused check-ins wrote %d audit events", seq-headSeq)
	}
	rep, err := s.Checkin(Operator, path, 0, nil)
	if err != nil || rep.Landed != 1 || len(rep.Released) != 1 {
		t.Fatalf("the operator's check-in of the real file: %+v %v", rep, err)
	}
}

// A decision made on the desk before a deadline the law does not move, and checked in after it, is on time: the
// Center judges it by the day it was made offline, and the record keeps both dates.
func TestCheckinJudgesClocksByTheOfflineDate(t *testing.T) {
	s, cs := fixture(t, 400)
	var c *cases.Case
	var d cases.Decision
	var day cases.Date
search:
	for _, x := range cs {
		if x.Assignee == "" || !x.Status.Open() || x.Status == cases.StatusPendingApproval {
			continue
		}
		for _, o := range cases.Outcomes(x) {
			try := cases.Decision{Outcome: o.Outcome, Reasons: "reviewed at the importer's premises"}
			if cases.CheckDecision(x, try) != nil {
				continue
			}
			for n := 2; n < 400; n++ {
				if _, late := cases.LateDecision(x, try, s.policy, today.AddDays(n)); late {
					if _, before := cases.LateDecision(x, try, s.policy, today.AddDays(n-1)); !before {
						c, d, day = x, try, today.AddDays(n-1)
						break search
					}
					break
				}
			}
		}
	}
	if c == nil {
		t.Fatal("the fixture has no case that becomes late to decide")
	}
	// the Center's clock: checkout the day before the last day on time, check-in five days after it
	var at time.Time
	s.now = func() time.Time { return at }
	at = (day - 1).Time().Add(9 * time.Hour)
	rec, path := checkout(t, s, c.Assignee, CheckoutRequest{IDs: []string{c.ID}})
	if rec.Until < day+5 {
		t.Fatalf("lease ends %s, before the check-in", rec.Until)
	}
	desk, err := Open(path, Options{NoSync: true, Now: func() time.Time { return day.Time().Add(15 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Decide(c.Assignee, c.ID, 0, d, day); err != nil {
		t.Fatalf("deciding on time on the desk: %v", err)
	}
	desk.Close()
	at = (day + 5).Time().Add(10 * time.Hour)
	if _, err := s.Decide(c.Assignee, c.ID, 0, d, day+5); err == nil {
		t.Fatal("the same decision made at the Center on the check-in day was not late; the test proves nothing")
	}
	rep, err := s.Checkin(c.Assignee, path, 0, nil)
	if err != nil || rep.Landed != 1 {
		t.Fatalf("check-in: %+v %v", rep, err)
	}
	got, _ := s.Case(Operator, c.ID)
	if got.Decision == nil || got.Decision.On != day || got.Decision.LateAck != "" {
		t.Fatalf("decision at the Center: %+v", got.Decision)
	}
	h, _ := s.History(Operator, c.ID)
	var ev cases.Event
	for _, e := range h {
		if e.Action == "decide" {
			ev = e
		}
	}
	if cases.DateOf(ev.Offline) != day || cases.DateOf(ev.At) != day+5 {
		t.Fatalf("the decide event says made %s, checked in %s; want %s and %s", ev.Offline, ev.At, day, day+5)
	}
}

// The two-person rule applies at check-in: a decision that needs approval goes to the approvals of the Center,
// and the desk (whose only user is the reviewer) cannot approve it.
func TestCheckinSendsDecisionsToApproval(t *testing.T) {
	s, cs := fixture(t, 400)
	c := find(t, cs, func(c *cases.Case) bool {
		return c.Center == "ELEC" && bigProtest(c) && c.Assignee != "" && c.Status != cases.StatusPendingApproval
	})
	_, path := checkout(t, s, c.Assignee, CheckoutRequest{IDs: []string{c.ID}})
	d := openDesk(t, path)
	got, err := d.Decide(c.Assignee, c.ID, 0, cases.Decision{Outcome: cases.OutcomeDenied, Reasons: "classified correctly"}, today)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != cases.StatusPendingApproval {
		t.Fatalf("on the desk: %s", got.Status)
	}
	if _, err := d.Approve(c.Assignee, c.ID, 0, "fine", "", today); err == nil {
		t.Fatal("the reviewer approved their own decision on the desk")
	}
	d.Close()
	rep, err := s.Checkin(c.Assignee, path, 0, nil)
	if err != nil || rep.Landed != 1 {
		t.Fatalf("check-in: %+v %v", rep, err)
	}
	ap, _ := s.Approvals("sofia", "ELEC")
	if !slices.ContainsFunc(ap, func(r cases.QueueRow) bool { return r.ID == c.ID }) {
		t.Fatalf("%s is not waiting for approval at the Center", c.ID)
	}
}

// What only the Center does is refused on a desk file, saying so, rather than done where no check-in carries it.
func TestDeskFileRefusesCenterWork(t *testing.T) {
	s, cs := fixture(t, 100)
	_, path := checkout(t, s, "alice", CheckoutRequest{IDs: []string{openCases(cs, "alice")[0].ID}})
	d := openDesk(t, path)
	defer d.Close()
	for what, err := range map[string]error{
		"user add": d.AddUser(Operator, cases.User{Name: "zed", Role: cases.RoleReviewer, Center: "ELEC"}),
		"key add":  d.AddKey(Operator, "alice", "SHA256:abcdefghijkl", "ssh-ed25519 AAAA"),
		"import":   func() error { _, err := d.Import(strings.NewReader(""), "x.jsonl", Operator); return err }(),
		"checkout": func() error { _, err := d.Checkout("alice", CheckoutRequest{}, path+"2"); return err }(),
		"checkin":  func() error { _, err := d.Checkin("alice", path, 0, nil); return err }(),
		"break":    func() error { _, err := d.BreakLease("alice", cs[0].ID, "x"); return err }(),
	} {
		if !errors.Is(err, cases.ErrInvalid) || !strings.Contains(err.Error(), "desk file") {
			t.Errorf("%s on a desk file: %v", what, err)
		}
	}
}
