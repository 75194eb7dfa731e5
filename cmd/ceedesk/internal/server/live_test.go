package server

import (
	"strings"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/store"
)

// A reassignment committed by someone else appears on an open workstation without a key pressed.
func TestReassignmentShowsLive(t *testing.T) {
	fx := start(t, fixtureOptions{})
	bob := fx.user("bob")
	term := openTerminal(t, mustDial(t, fx.addr, bob), 120, 60)
	term.mustSee(0, fx.workstation("bob")...)

	c := fx.openCase("alice")
	if strings.Contains(term.screen(0), c.ID) {
		t.Fatalf("bob's queue already shows %s", c.ID)
	}
	m := term.mark()
	if _, err := fx.st.Assign("sofia", []string{c.ID}, nil, "bob", "alice is on leave", testToday); err != nil {
		t.Fatal(err)
	}
	if !term.waitFor(m, 3*time.Second, c.ID) {
		t.Fatalf("bob's screen never showed %s after the reassignment:\n%s", c.ID, tail(term.screen(m), 3000))
	}
}

// Two people deciding the same case: the first decision is written, the second is refused with a message that
// names who decided first, and nothing is overwritten.
func TestSecondDecisionConflicts(t *testing.T) {
	fx := start(t, fixtureOptions{})
	alice, sofia := fx.user("alice"), fx.user("sofia")
	c := fx.openCase("alice")

	ta := openTerminal(t, mustDial(t, fx.addr, alice), 120, 50)
	ts := openTerminal(t, mustDial(t, fx.addr, sofia), 120, 50)
	ta.mustSee(0, fx.workstation("alice")...)
	ts.mustSee(0, fx.workstation("sofia")...)

	// Both open the case and come to the record they are about to write.
	for _, term := range []*terminal{ta, ts} {
		m := term.mark()
		term.command("open " + c.ID)
		term.mustSee(m, c.ID)
		m = term.mark()
		term.send("d")
		term.mustSee(m, "Outcomes")
		m = term.mark()
		term.send("\r")
		term.mustSee(m, "This record will be written")
	}

	m := ta.mark()
	ta.send("y")
	ta.mustSee(m, "decided")
	m = ts.mark()
	ts.send("y")
	// The store refuses the second decision inside its transaction. The workstation names who decided first when
	// the decision is written against the version it was started from (a *cases.ConflictError); while the
	// workstation reloads a case under decision on a live change, the refusal says the case is already decided.
	if !ts.waitFor(m, 5*time.Second, "✗", c.ID) {
		t.Fatalf("second decision not refused on screen:\n%s", tail(ts.screen(m), 3000))
	}
	if scr := ts.screen(m); !strings.Contains(scr, "changed by alice") && !strings.Contains(scr, "already decided") {
		t.Errorf("second decision's refusal says neither who decided first nor that the case is decided:\n%s", tail(scr, 3000))
	} else if !strings.Contains(scr, "changed by alice") {
		t.Logf("refusal does not name alice (workstation reloaded the case under decision): %s",
			strings.TrimSpace(scr[strings.LastIndex(scr, "✗"):][:min(len(scr)-strings.LastIndex(scr, "✗"), 120)]))
	}

	got, err := fx.st.Case(store.Operator, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != cases.StatusDecided || got.Decision == nil || got.Decision.By != "alice" {
		t.Errorf("case after both decisions: status %s, decision %+v; want alice's", got.Status, got.Decision)
	}
	events, err := fx.st.History(store.Operator, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	decides := 0
	for _, e := range events {
		if e.Action == "decide" {
			decides++
			if e.Actor != "alice" {
				t.Errorf("decision recorded for %s", e.Actor)
			}
		}
	}
	if decides != 1 {
		t.Errorf("%d decide events; want 1", decides)
	}
}
