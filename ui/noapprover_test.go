package ui

import (
	"strings"
	"testing"

	"ceedesk/cases"
	"ceedesk/store"
)

// A decision that waits for a second person when no one else in the Center may approve it says so before it is
// written and again when it is, naming who can.
func TestDecisionNoOneMayApproveSaysWhoCan(t *testing.T) {
	s := newTestStore(t)
	if err := s.SetDisabled(store.Operator, "tom", true); err != nil { // sofia is then ELEC's only supervisor
		t.Fatal(err)
	}
	c, err := s.Case(store.Operator, "PD-26-000001")
	if err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, s, "sofia", 120, 40)
	press(m, ":")
	typeText(m, "open PD-26-000001")
	press(m, "enter", "d")
	for i, o := range cases.Outcomes(c) {
		if o.Outcome == cases.OutcomeNotPerfected {
			break
		}
		if i > 20 {
			t.Fatal("no outcome not perfected")
		}
		press(m, "j")
	}
	press(m, "enter")
	typeText(m, "Nothing supplied in 30 days.")
	press(m, "ctrl+s")
	if v := m.View(); !strings.Contains(v, "No other supervisor in ELEC can approve this") {
		t.Fatalf("the record to be written should say no one may approve it:\n%s", v)
	}
	press(m, "y")
	if !strings.Contains(m.status, "waits for a supervisor's approval; no other supervisor in ELEC can approve this") {
		t.Fatalf("status %q", m.status)
	}
	if got, _ := s.Case(store.Operator, c.ID); got.Status != cases.StatusPendingApproval {
		t.Fatalf("case %s", got.Status)
	}
}
