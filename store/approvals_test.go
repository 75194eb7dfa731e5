package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"
)

// decideAdverse has decider reject (or deny) the first open case of the Center that takes such a decision and waits
// for approval, and returns it.
func decideAdverse(t *testing.T, s *Store, cs []*cases.Case, center, decider string) *cases.Case {
	t.Helper()
	for _, c := range cs {
		if c.Center != center || !c.Status.Open() || c.Status == cases.StatusPendingApproval || c.Revenue() < s.Policy().ApprovalThreshold {
			continue
		}
		var o cases.Outcome
		switch c.Kind {
		case cases.KindPSC, cases.KindPEA:
			o = cases.OutcomeRejected
		case cases.KindProtest:
			if c.Protest.FurtherReview {
				continue
			}
			o = cases.OutcomeDenied
		default:
			continue
		}
		got, err := s.Decide(decider, c.ID, 0, cases.Decision{Outcome: o, Reasons: "no documents"}, today)
		if err != nil {
			continue // late, or not the decider's to decide
		}
		if got.Status != cases.StatusPendingApproval {
			t.Fatalf("%s: an adverse decision above the threshold is %s", c.ID, got.Status)
		}
		return got
	}
	t.Fatalf("no case of %s takes an adverse decision by %s that waits for approval", center, decider)
	return nil
}

func reopenWith(t *testing.T, s *Store, p cases.Policy) *Store {
	t.Helper()
	path := s.Path()
	s.Close()
	s, err := openTestEngine(t, path, Options{NoSync: true, Now: testClock(), Timeout: 200 * time.Millisecond, Policy: p})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestOneSupervisorCenterApprovals is issue 10's "a Center with one supervisor can never approve that
// supervisor's decisions": ELEC's only supervisor decides; the decision says nobody in ELEC can approve it, and
// an admin named in the policy's approvers can, and does.
func TestOneSupervisorCenterApprovals(t *testing.T) {
	s, cs := fixture(t, 300)
	c := decideAdverse(t, s, cs, "ELEC", "sofia")

	a, err := s.Approvers("sofia", c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Names()) != 0 || !strings.Contains(a.Warning(), "no other supervisor in ELEC can approve this") || !strings.Contains(a.Warning(), "no admin is named") {
		t.Fatalf("approvers of the only supervisor's decision: %v, warning %q", a.Names(), a.Warning())
	}
	if _, err := s.Approve("admin", c.ID, 0, "ok", "", today); !errors.Is(err, cases.ErrForbidden) {
		t.Fatalf("an admin not named as approver approves: %v", err)
	}
	rows, err := s.ApprovalRows("sofia", "ELEC")
	if err != nil {
		t.Fatal(err)
	}
	var mine *cases.ApprovalRow
	for i := range rows {
		if rows[i].ID == c.ID {
			mine = &rows[i]
		}
	}
	if mine == nil || mine.CanApprove || mine.Decider != "sofia" || !strings.HasPrefix(mine.Why, "the approver is never the decider") {
		t.Fatalf("sofia's own decision in her approvals: %+v", mine)
	}
	if old, err := s.Approvals("sofia", "ELEC"); err != nil || len(old) != len(rows) {
		t.Fatalf("Approvals and ApprovalRows disagree: %d rows, %d; %v", len(old), len(rows), err)
	}

	p := cases.DefaultPolicy()
	p.Approvers = &[]string{"admin", "nobody"}
	s = reopenWith(t, s, p)
	a, err = s.Approvers("alice", c.ID) // a reviewer of the Center may ask who can approve
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(a.Names(), ","); got != "admin" || !strings.Contains(a.Warning(), "an admin named in approvers can: admin") {
		t.Fatalf("with admin named: %q, warning %q", got, a.Warning())
	}
	rows, err = s.ApprovalRows("admin", "ELEC")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !r.CanApprove {
			t.Errorf("the named admin may not approve %s: %s", r.ID, r.Why)
		}
	}
	got, err := s.Approve("admin", c.ID, 0, "ok", "", today)
	if err != nil {
		t.Fatalf("the named admin approves: %v", err)
	}
	if got.Status != cases.StatusDecided || got.Decision.Approver != "admin" || got.Decision.By != "sofia" {
		t.Fatalf("approved: %s %+v", got.Status, got.Decision)
	}
	mustCheck(t, s)
}

func TestApprovalsReadsObeyTheAccessRule(t *testing.T) {
	s, cs := fixture(t, 300)
	c := decideAdverse(t, s, cs, "ELEC", "alice")
	if a, err := s.Approvers("alice", c.ID); err != nil || strings.Join(a.Names(), ",") != "sofia" || a.Warning() != "" {
		t.Fatalf("a reviewer's decision in a Center with a supervisor: %v %q %v", a.Names(), a.Warning(), err)
	}
	for _, tc := range []struct {
		what string
		err  error
	}{
		{"erin (PHARMA) asks who approves an ELEC decision", func() error { _, err := s.Approvers("erin", c.ID); return err }()},
		{"priya (PHARMA's supervisor) asks the same", func() error { _, err := s.Approvers("priya", c.ID); return err }()},
		{"a user who does not exist", func() error { _, err := s.Approvers("mallory", c.ID); return err }()},
		{"alice lists approvals", func() error { _, err := s.ApprovalRows("alice", "ELEC"); return err }()},
		{"priya lists ELEC's approvals", func() error { _, err := s.ApprovalRows("priya", "ELEC"); return err }()},
	} {
		if !errors.Is(tc.err, cases.ErrForbidden) {
			t.Errorf("%s: want a refusal, got %v", tc.what, tc.err)
		}
	}
	if rows, err := s.ApprovalRows("sofia", "elec"); err != nil || len(rows) == 0 || !rows[0].CanApprove && rows[0].Decider != "sofia" {
		t.Errorf("sofia lists ELEC's approvals: %v %+v", err, rows)
	}
}
