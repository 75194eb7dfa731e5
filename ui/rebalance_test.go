package ui

import (
	"strings"
	"testing"

	"ceedesk/store"
)

func TestRebalanceScreens(t *testing.T) {
	compareScreens(t, []screen{
		{"moves", rebalanceStore, []string{"w", "b"}, bothSizes},
		{"one-left-out", rebalanceStore, []string{"w", "b", "space"}, bothSizes},
		{"nothing-would-help", evenStore, []string{"w", "b"}, bothSizes},
	})
}

// Each move shows its case, kind and due date and its two reviewers' loads before and after it.
func TestRebalanceShowsEachMove(t *testing.T) {
	m := drive(t, rebalanceStore(t), "sofia", 120, 40, "w", "b")
	if m.pane != paneRebalance || len(m.sup.moves) != 3 {
		t.Fatalf("pane %s, %d moves (%s)", m.pane, len(m.sup.moves), m.status)
	}
	v := m.View()
	for _, mv := range m.sup.moves {
		if mv.FromBefore-mv.ToBefore < 2 {
			t.Errorf("move %+v does not lower the spread", mv)
		}
	}
	for _, want := range []string{
		"[x] 2709-26-100203  PROT  2026-03-07  alice  7 →  6    bob  0 →  1",
		"[x] PSC-25-000002   PSC   2026-03-07  alice  6 →  5    bob  1 →  2",
		"Due this week: alice 7 → 4, bob 0 → 3",
		"Spread (the most loaded less the least): 7 → 1",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("the pane lacks %q:\n%s", want, v)
		}
	}
}

// The supervisor leaves out a move; only the moves kept are written, each against the version it was proposed on.
func TestRebalanceWritesOnlyTheMovesKept(t *testing.T) {
	s := rebalanceStore(t)
	m := drive(t, s, "sofia", 120, 40, "w", "b", "j", "x", "y")
	if m.pane != paneWorkload || !strings.Contains(m.status, "2 cases reassigned (1 left out)") {
		t.Fatalf("pane %s, status %q", m.pane, m.status)
	}
	for id, want := range map[string]string{"2709-26-100203": "bob", "PSC-25-000002": "alice", "2709-26-100045": "bob"} {
		if c, _ := s.Case(store.Operator, id); c.Assignee != want {
			t.Errorf("%s is %s's, want %s's", id, c.Assignee, want)
		}
	}
	// a move left out and put back is made
	s = rebalanceStore(t)
	drive(t, s, "sofia", 120, 40, "w", "b", "space", "k", "space", "enter")
	if c, _ := s.Case(store.Operator, "2709-26-100203"); c.Assignee != "bob" {
		t.Errorf("the move kept again was not made: %s", c.Assignee)
	}
	// with every move left out nothing is written, and the pane says so
	s = rebalanceStore(t)
	m = drive(t, s, "sofia", 120, 40, "w", "b", "x", "x", "x", "y")
	if m.pane != paneRebalance || !m.statusBad || !strings.Contains(m.status, "no move is selected") {
		t.Fatalf("pane %s, status %q", m.pane, m.status)
	}
	if c, _ := s.Case(store.Operator, "2709-26-100045"); c.Assignee != "alice" || c.Version != 1 {
		t.Errorf("a case moved with every move left out: %s v%d", c.Assignee, c.Version)
	}
}

// Rebalance used to propose moves that changed nothing; when no move would help it now says why and writes
// nothing.
func TestRebalanceNothingWouldHelp(t *testing.T) {
	s := evenStore(t)
	before, _ := s.Case(store.Operator, "PSC-25-000002")
	m := drive(t, s, "sofia", 120, 40, "w", "b")
	if m.pane != paneRebalance || len(m.sup.moves) != 0 || !strings.Contains(m.View(), "Nothing would help: due-this-week load is already even: each of the 2 reviewers holds 1.") {
		t.Fatalf("pane %s moves %v:\n%s", m.pane, m.sup.moves, m.View())
	}
	if !strings.Contains(m.status, "already even") {
		t.Errorf("status %q", m.status)
	}
	m = drive(t, s, "sofia", 120, 40, "w", "b", "y")
	if m.pane != paneWorkload || !strings.Contains(m.status, "nothing was written") {
		t.Fatalf("pane %s status %q", m.pane, m.status)
	}
	if after, _ := s.Case(store.Operator, "PSC-25-000002"); after.Version != before.Version || after.Assignee != "bob" {
		t.Errorf("nothing to rebalance, yet the case changed: v%d → v%d, %s", before.Version, after.Version, after.Assignee)
	}
}
