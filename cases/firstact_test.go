package cases

import (
	"testing"
	"time"
)

// Opening a case writes nothing, so the review of an assigned case begins with its assignee's first act on it;
// a supervisor's act on it leaves it assigned.
func TestFirstActBeginsTheReview(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	today := DateOf(now)
	for _, tc := range []struct {
		name  string
		actor User
		act   func(c *Case, u User) error
		want  Status
	}{
		{"the assignee's note", alice, func(c *Case, u User) error { return AddNote(c, u, "broker called", now) }, StatusInReview},
		{"a supervisor's note", sofia, func(c *Case, u User) error { return AddNote(c, u, "see the ruling", now) }, StatusAssigned},
		{"the assignee's notice of action", alice, func(c *Case, u User) error {
			return NoticeOfAction(c, u, true, "rate advance", today, today, now)
		}, StatusInReview},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := workCase(1000)
			c.Status = StatusAssigned
			if err := tc.act(c, tc.actor); err != nil {
				t.Fatal(err)
			}
			if c.Status != tc.want {
				t.Errorf("status %s, want %s", c.Status, tc.want)
			}
		})
	}
}
