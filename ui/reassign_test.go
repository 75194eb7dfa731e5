package ui

import (
	"strings"
	"testing"

	"ceedesk/store"
)

func TestReassignScreens(t *testing.T) {
	compareScreens(t, []screen{
		{"marked", rebalanceStore, []string{"space", "j", "j", "space", "space", "r"}, bothSizes},
	})
}

// The picker shows what each person holds now beside their name.
func TestReassignPickerShowsLoads(t *testing.T) {
	m := drive(t, rebalanceStore(t), "sofia", 120, 40, "r")
	v := m.View()
	for _, want := range []string{"OPEN  • THIS WEEK", "alice  reviewer    Alice Nguyen     11            7", "bob    reviewer    Bob Okafor        2            0"} {
		if !strings.Contains(v, want) {
			t.Errorf("the picker lacks %q:\n%s", want, v)
		}
	}
}

// r on marked cases offers a taker for each that keeps the load due this week most even; one key takes it, and
// each case goes to its taker against the version the supervisor saw.
func TestReassignTakesTheSuggestion(t *testing.T) {
	s := rebalanceStore(t)
	keys := append([]string{"space", "j", "j", "space", "space", "r", "y"}, chars("alice is on leave")...)
	m := drive(t, s, "sofia", 120, 40, append(keys, "enter", "y")...)
	if len(m.sup.placements) != 3 {
		t.Fatalf("placements %+v", m.sup.placements)
	}
	for _, p := range m.sup.placements {
		if p.To == "" || p.To == p.From {
			t.Errorf("placement %+v", p)
		}
		if c, _ := s.Case(store.Operator, p.Case); c.Assignee != p.To {
			t.Errorf("%s is %s's, the suggestion gave it to %s (%s)", p.Case, c.Assignee, p.To, m.status)
		}
	}
	if !strings.Contains(m.status, "3 cases reassigned as suggested") || len(m.q.marks) != 0 {
		t.Errorf("status %q, %d marks left", m.status, len(m.q.marks))
	}
	// the confirmation names each case and its taker before anything is written
	m = drive(t, rebalanceStore(t), "sofia", 120, 40, append(keys, "enter")...)
	if m.ask == nil || !strings.Contains(m.ask.body, "PEA-25-000001 → bob") || !strings.Contains(m.ask.body, "alice is on leave") {
		t.Fatalf("confirmation %+v", m.ask)
	}
}

// A suggestion made on a version since changed is a conflict, named, and not written over.
func TestReassignSuggestionOnAStaleVersion(t *testing.T) {
	s := rebalanceStore(t)
	keys := append([]string{"space", "r", "y"}, chars("even out")...)
	m := drive(t, s, "sofia", 120, 40, append(keys, "enter")...)
	id := m.sup.placements[0].Case
	if _, err := s.Assign("sofia", []string{id}, nil, "tom", "covering", testToday); err != nil {
		t.Fatal(err)
	}
	m.Update(change("assign", "sofia", id))
	press(m, "y")
	if c, _ := s.Case(store.Operator, id); c.Assignee != "tom" {
		t.Fatalf("the suggestion overwrote the reassignment made since: %s", c.Assignee)
	}
	if !m.statusBad || !strings.Contains(m.status, "changed by sofia") {
		t.Errorf("status %q", m.status)
	}
}
