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
	if m.d.c == nil || m.d.c.ID != "PEA-25-000001" || m.d.c.Status != cases.StatusInReview {
		t.Fatalf("opening an assigned case should start its review; got %+v", m.d.c)
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
	press(m, "y")
	c, err := s.Case(store.Operator, "PEA-25-000001")
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != cases.StatusDecided || c.Decision == nil || c.Decision.Outcome != cases.OutcomeRejected || c.Decision.Reasons != "No assist" {
		t.Fatalf("store holds %+v / %+v", c.Status, c.Decision)
	}
	if m.q.total != 5 {
		t.Fatalf("decided case should leave the queue: %d rows", m.q.total)
	}
}
