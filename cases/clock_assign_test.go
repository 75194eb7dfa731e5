package cases

import (
	"strings"
	"testing"
	"time"
)

// Domain "Counting": clocks run from the event the law names, never from a reassignment. A validation 34 days
// overdue stays 34 days overdue when a supervisor moves it (it used to read "91 days left").
func TestReassignmentKeepsTheValidationClock(t *testing.T) {
	p := DefaultPolicy()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	today := d("2026-12-07")
	for _, tc := range []struct {
		name  string
		first Date // FirstAssigned as stored; zero for a record from before it was kept
	}{
		{"first assignment on record", d("2026-08-05")},
		{"old record without it", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Case{ID: "VAL-26-000001", Kind: KindValidation, Center: "ELEC", Status: StatusInReview, Received: d("2026-08-01"),
				Assignee: "alice", Assigned: d("2026-08-05"), FirstAssigned: tc.first, Validation: &Validation{Program: ProgramISA}}
			before := DueDate(c, p)
			if before != d("2026-11-03") || today.DaysUntil(before) != -34 {
				t.Fatalf("before: due %s, %d days", before, today.DaysUntil(before))
			}
			if err := Assign(c, sofia, bob, "alice is on leave", today, now); err != nil {
				t.Fatal(err)
			}
			if c.Assigned != today || c.FirstAssigned != d("2026-08-05") {
				t.Errorf("assigned %s, first assigned %s", c.Assigned, c.FirstAssigned)
			}
			if got := DueDate(c, p); got != before {
				t.Errorf("after reassignment due %s (%d days); want %s, still 34 days overdue", got, today.DaysUntil(got), before)
			}
			fs := Findings(c, p, today)
			if len(fs) != 1 || !strings.Contains(fs[0].Text, "34 days overdue") {
				t.Errorf("findings: %s", findingTexts(fs))
			}
			if err := Assign(c, sofia, alice, "back", today.AddDays(3), now); err != nil || c.FirstAssigned != d("2026-08-05") {
				t.Errorf("a second reassignment moved the first: %s, %v", c.FirstAssigned, err)
			}
		})
	}
	fresh := &Case{ID: "VAL-26-000002", Kind: KindValidation, Center: "ELEC", Status: StatusNew, Received: d("2026-12-01"), Validation: &Validation{}}
	if err := Assign(fresh, sofia, alice, "", today, now); err != nil || fresh.FirstAssigned != today {
		t.Errorf("the first assignment sets FirstAssigned: %s, %v", fresh.FirstAssigned, err)
	}
}
