package ui

import (
	"strings"
	"testing"

	"ceedesk/cases"
	"ceedesk/store"
)

func TestDecideFromQueue(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 100, 40)
	press(m, "enter") // the overdue PEA is first in due order
	if m.d.c == nil || m.d.c.ID != "PEA-25-000001" || m.d.c.Status != cases.StatusAssigned || m.d.c.Version != 1 {
		t.Fatalf("opening an assigned case only reads it; got %+v", m.d.c)
	}
	press(m, "d", "j", "enter")
	press(m, "ctrl+s")
	if !strings.Contains(m.View(), "rejected needs reasons") {
		t.Fatalf("a rejection without reasons should be refused on the form:\n%s", m.View())
	}
	press(m, "N", "o", " ", "a", "s", "s", "i", "s", "t", "ctrl+s")
	if v := m.View(); !strings.Contains(v, "This record will be written") || !strings.Contains(v, "No assist") {
		t.Fatalf("confirmation should show the record:\n%s", v)
	}
	// The PEA's entry passed its liquidation date (2026-02-09): y does not write it until L acknowledges that.
	press(m, "y")
	if v := m.View(); !strings.Contains(v, "this decision comes too late: L acknowledges") || m.pane != paneDecision {
		t.Fatalf("y on a late decision should say to acknowledge it first:\n%s", v)
	}
	if c, _ := s.Case(store.Operator, "PEA-25-000001"); c.Decision != nil {
		t.Fatalf("a late decision was written without its acknowledgement: %+v", c.Decision)
	}
	press(m, "L")
	if v := m.View(); !strings.Contains(v, "Late decision") || !strings.Contains(v, "acknowledged by alice") || !strings.Contains(v, "y/enter write it") {
		t.Fatalf("the acknowledgement should show in the record:\n%s", v)
	}
	press(m, "y")
	got := m.d.c // the case the store returned
	if got.Status != cases.StatusDecided || got.Decision == nil || got.Decision.Outcome != cases.OutcomeRejected || got.Decision.Reasons != "No assist" ||
		!strings.HasPrefix(got.Decision.LateAck, "entry P3X-") || !strings.HasSuffix(got.Decision.LateAck, "— acknowledged by alice") {
		t.Fatalf("written: %+v / %+v", got.Status, got.Decision)
	}
	c, err := s.Case(store.Operator, "PEA-25-000001")
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != cases.StatusDecided || c.Decision == nil || c.Decision.Outcome != cases.OutcomeRejected || c.Decision.Reasons != "No assist" {
		t.Fatalf("store holds %+v / %+v", c.Status, c.Decision)
	}
	h, _ := s.History(store.Operator, c.ID)
	if e := h[len(h)-1]; e.Action != "decide" || !strings.Contains(e.Change, "late decision acknowledged: entry P3X-") {
		t.Fatalf("audit event %s %q", e.Action, e.Change)
	}
	if m.q.total != 5 {
		t.Fatalf("decided case should leave the queue: %d rows", m.q.total)
	}
}
