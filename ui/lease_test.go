package ui

import (
	"strings"
	"testing"
	"time"

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

// The case pane says a case is checked out, to whom, until when and by which checkout; to anyone but the
// holder the case is read-only, and a write the store refuses for the lease says so in words that fit.
func TestCasePaneShowsTheLease(t *testing.T) {
	s, rec := leasedStore(t)
	m := run(t, testOptions(t, s, "sofia"), 80, 24, openKeys(leasedIDs[0])...)
	lines := screenLines(t, m)
	want := leaseMark + " Checked out to alice until " + leaseUntil.String() + " (checkout " + rec.ID + ")"
	if strings.TrimSpace(lines[3]) != want {
		t.Fatalf("line 4 of the case pane is %q, want %q", lines[3], want)
	}
	if !strings.Contains(lines[2], "read-only: its work is on alice's desk file until it is checked in") {
		t.Errorf("line 3: %q", lines[2])
	}
	press(m, "n")
	if m.dlg != nil || !strings.Contains(m.status, "its work is on alice's desk file") {
		t.Errorf("n on a case checked out to another: dialog %v, status %q", m.dlg != nil, m.status)
	}

	// the holder works the case at the Center as before
	m = run(t, testOptions(t, s, "alice"), 80, 24, openKeys(leasedIDs[0])...)
	lines = screenLines(t, m)
	if strings.TrimSpace(lines[3]) != want || strings.Contains(lines[2], "read-only") {
		t.Errorf("alice's own leased case:\n%s", strings.Join(lines[:5], "\n"))
	}

	// reassigning it is refused by the store: the status line says why within 80 cells
	m = run(t, testOptions(t, s, "sofia"), 80, 24, append(openKeys(leasedIDs[0]), append(append([]string{"r", "j", "enter"}, chars("leave")...), "enter", "y")...)...)
	if !m.statusBad || !strings.Contains(m.status, "case 2704-26-100123 is checked out to alice until "+leaseUntil.String()+": its work comes back at check-in; B on the case breaks the checkout") {
		t.Fatalf("status %q", m.status)
	}
	if l := screenLines(t, m)[22]; !strings.Contains(l, "checked out to alice until "+leaseUntil.String()) {
		t.Errorf("the status line on screen: %q", l)
	}
	if c, _ := s.Case(store.Operator, leasedIDs[0]); c.Assignee != "alice" {
		t.Fatalf("the leased case went to %s", c.Assignee)
	}

	// once the lease has ended, the case is the Center's to work again
	opt := testOptions(t, s, "sofia")
	opt.Today = func() cases.Date { return leaseUntil.AddDays(1) }
	m = run(t, opt, 80, 24, openKeys(leasedIDs[0])...)
	lines = screenLines(t, m)
	if !strings.HasPrefix(lines[3], " "+leaseMark+" Checked out to alice (lease ended "+leaseUntil.String()+", checkout "+rec.ID[:10]) ||
		!strings.HasSuffix(lines[3], "…)") || strings.Contains(lines[2], "read-only") {
		t.Errorf("an ended lease:\n%s", strings.Join(lines[:5], "\n"))
	}
}

// A supervisor of the case's Center breaks its checkout with B: a reason is asked, then a confirmation; the lease
// is gone, and the case's history shows the break with the reason. A reviewer is not offered the key.
func TestSupervisorBreaksACheckout(t *testing.T) {
	s, rec := leasedStore(t)
	m := run(t, testOptions(t, s, "sofia"), 80, 24, openKeys(leasedIDs[0])...)
	if f := screenLines(t, m)[23]; !strings.Contains(f, "B break checkout") {
		t.Fatalf("the footer should offer B: %q", f)
	}
	press(m, "?")
	if v := m.View(); !strings.Contains(v, "B            break the case's checkout to a desk") {
		t.Fatalf("help should list B:\n%s", v)
	}
	press(m, "esc", "B")
	if m.dlg == nil || m.dlg.kind != dialogBreak || !strings.Contains(m.View(), "Break the checkout of case 2704-26-100123") {
		t.Fatalf("B should ask for a reason:\n%s", m.View())
	}
	press(m, "enter")
	if m.dlg == nil || m.dlg.err != "breaking a checkout needs a reason: the audit log keeps it" {
		t.Fatalf("an empty reason: %+v", m.dlg)
	}
	typeText(m, "alice is on leave; the importer is waiting")
	press(m, "enter")
	if m.ask == nil || !strings.Contains(m.ask.body, "Checkout:  "+rec.ID+" · checked out to alice until "+leaseUntil.String()) ||
		!strings.Contains(m.ask.body, "alice is on leave; the importer is waiting") {
		t.Fatalf("confirmation %+v", m.ask)
	}
	if l, _ := s.Case(store.Operator, leasedIDs[0]); l.Lease == nil {
		t.Fatal("the lease was broken before the confirmation")
	}
	press(m, "y")
	if m.statusBad || m.status != "checkout of case 2704-26-100123 to alice broken; the audit log keeps your reason" {
		t.Fatalf("status %q", m.status)
	}
	if c, _ := s.Case(store.Operator, leasedIDs[0]); c.Lease != nil {
		t.Fatalf("the lease is still there: %+v", c.Lease)
	}
	hist, err := s.History(store.Operator, leasedIDs[0])
	if err != nil {
		t.Fatal(err)
	}
	if last := hist[len(hist)-1]; last.Action != "checkout_break" || last.Actor != "sofia" || last.Reason != "alice is on leave; the importer is waiting" {
		t.Fatalf("last audit event %+v", last)
	}
	press(m, "G")
	v := m.View()
	if strings.Contains(v, "Checked out to") || strings.Contains(v, "read-only") || !strings.Contains(v, "sofia      checkout_break checkout: alice until "+leaseUntil.String()) {
		t.Fatalf("after the break the case pane shows no lease and its history the break:\n%s", v)
	}
	if f := screenLines(t, m)[23]; strings.Contains(f, "break checkout") {
		t.Errorf("footer after the break: %q", f)
	}
	press(m, "B")
	if m.dlg != nil || m.status != "case 2704-26-100123 is not checked out to a desk" {
		t.Errorf("B on a case not checked out: dialog %v, status %q", m.dlg != nil, m.status)
	}

	// a reviewer, even the holder, is not offered it, and is told why when pressing it
	for _, who := range []string{"alice", "bob"} {
		m := run(t, testOptions(t, s, who), 80, 24, openKeys(leasedIDs[1])...)
		if f := screenLines(t, m)[23]; strings.Contains(f, "break") {
			t.Errorf("%s's footer offers the break: %q", who, f)
		}
		press(m, "?")
		if strings.Contains(m.View(), "break the case's checkout") {
			t.Errorf("%s's help offers the break:\n%s", who, m.View())
		}
		press(m, "esc", "B")
		if m.dlg != nil || m.status != "only a supervisor of the case's Center can break a checkout" {
			t.Errorf("%s presses B: dialog %v, status %q", who, m.dlg != nil, m.status)
		}
	}
	if c, _ := s.Case(store.Operator, leasedIDs[1]); c.Lease == nil {
		t.Fatal("a reviewer broke a lease")
	}
}

// A change checked in from a desk file shows in the history when it was made offline and when it was checked in.
func TestHistoryShowsOfflineAndCheckinTimes(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
	s := newTestStoreOn(t, clock)
	_, path := checkOut(t, s, "alice", leasedIDs[1])
	desk := openDeskFile(t, path)
	if _, err := desk.AddNote("alice", leasedIDs[1], 0, "Broker confirmed the assist by phone."); err != nil {
		t.Fatal(err)
	}
	if err := desk.Close(); err != nil {
		t.Fatal(err)
	}
	clock.set(time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC))
	if rep, err := s.Checkin("alice", path, 0, nil); err != nil || !rep.OK() {
		t.Fatalf("checkin: %+v %v", rep, err)
	}
	hist, err := s.History(store.Operator, leasedIDs[1])
	if err != nil {
		t.Fatal(err)
	}
	var note cases.Event
	for _, e := range hist {
		if !e.Offline.IsZero() {
			note = e
		}
	}
	if note.Offline.IsZero() || !note.At.After(note.Offline) {
		t.Fatalf("no event checked in from the desk: %+v", hist)
	}
	m := run(t, testOptions(t, s, "alice"), 120, 40, append(openKeys(leasedIDs[1]), "G")...)
	want := "made offline " + note.Offline.Format("2006-01-02 15:04") + " · checked in " + note.At.Format("2006-01-02 15:04")
	if v := strings.Join(strings.Fields(m.View()), " "); !strings.Contains(v, want) {
		t.Fatalf("history should say %q:\n%s", want, m.View())
	}
	if strings.Count(m.View(), "made offline") != 1 {
		t.Errorf("only the change checked in was made offline:\n%s", m.View())
	}
}
