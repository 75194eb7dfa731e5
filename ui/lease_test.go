package ui

import (
	"strings"
	"testing"

	"ceedesk/cases"
	"ceedesk/store"
)

// leasedIDs are the cases of alice's that the tests check out to her desk while the rest stay at the Center: one
// assigned, one in review.
var leasedIDs = []string{"2704-26-100123", "PSC-25-000001"}

// leasedStore is the test store with leasedIDs checked out to alice's desk, and the checkout.
func leasedStore(t testing.TB) (*store.Store, *store.CheckoutRecord) {
	t.Helper()
	s := newTestStore(t)
	rec, _ := checkOut(t, s, "alice", leasedIDs...)
	return s, rec
}

// A leased row says so without colour: a mark before its status, and the whole lease in the status line when the
// cursor is on it (the preview says it beside a wide queue); the other rows carry no mark.
func TestQueueMarksLeasedRows(t *testing.T) {
	s, _ := leasedStore(t)
	for _, who := range []string{"sofia", "alice"} {
		m := newTestModel(t, s, who, 80, 24)
		lines := screenLines(t, m)
		for _, id := range []string{"PEA-25-000001", "2704-26-100123", "PSC-25-000001", "2709-26-100045"} {
			var row string
			for _, l := range lines {
				if strings.Contains(l, id) {
					row = l
				}
			}
			leased := id == leasedIDs[0] || id == leasedIDs[1]
			if row == "" || strings.Contains(row, leaseMark) != leased {
				t.Errorf("%s's queue: row of %s (leased %v): %q", who, id, leased, row)
			}
		}
		if status := lines[len(lines)-2]; strings.TrimSpace(status) != "" {
			t.Errorf("%s: the cursor's row is not leased, yet the status line says %q", who, status)
		}
		for m.q.current().ID != leasedIDs[0] {
			press(m, "j")
		}
		lines = screenLines(t, m)
		want := leaseMark + " case 2704-26-100123 is checked out to alice until " + leaseUntil.String()
		if got := strings.TrimSpace(lines[len(lines)-2]); got != want {
			t.Errorf("%s: status line %q, want %q", who, got, want)
		}
		press(m, "j")
		if status := screenLines(t, m)[22]; m.q.current().Lease == nil && strings.TrimSpace(status) != "" {
			t.Errorf("%s: the cursor left the leased row, the status line still says %q", who, status)
		}
	}

	// beside the preview the status line says nothing of it: the preview does
	m := run(t, testOptions(t, s, "sofia"), 160, 48, "G", "k")
	lines := screenLines(t, m)
	if !strings.Contains(m.View(), "│  "+leaseMark+" Checked out to alice until "+leaseUntil.String()) {
		t.Errorf("the preview should say the case is checked out:\n%s", m.View())
	}
	if status := lines[46]; strings.TrimSpace(status) != "" {
		t.Errorf("status line %q beside the preview", status)
	}

	// after its last day the lease is said to have ended
	opt := testOptions(t, s, "sofia")
	opt.Today = func() cases.Date { return leaseUntil.AddDays(1) }
	m = run(t, opt, 80, 24, "G", "k")
	if got := screenLines(t, m)[22]; !strings.Contains(got, "case 2704-26-100123 is checked out to alice (lease ended "+leaseUntil.String()+")") {
		t.Errorf("an ended lease: status line %q", got)
	}
}
