package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"ceedesk/cases"
	"ceedesk/store"
)

// leaseUntil is the last day of a checkout made in the tests: the default lease, from testToday.
var leaseUntil = testToday.AddDays(cases.DefaultLeaseDays - 1)

// checkOut checks cases of the test store out to who's desk file (all their open cases when ids is empty) and
// returns the checkout and the desk file's path.
func checkOut(t testing.TB, s *store.Store, who string, ids ...string) (*store.CheckoutRecord, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), who+".desk")
	rec, err := s.Checkout(who, store.CheckoutRequest{IDs: ids, Today: testToday}, path)
	if err != nil {
		t.Fatalf("checkout: %v", err)
	}
	return rec, path
}

// openDesk opens a desk file as `ceedesk --db FILE` does, for the rest of the test.
func openDesk(t testing.TB, path string) *store.Store {
	t.Helper()
	d := openDeskFile(t, path)
	t.Cleanup(func() { d.Close() })
	return d
}

// openDeskFile opens a desk file on a clock that starts the day after the checkout, so that a change made on the
// desk has a time of its own; the caller closes it.
func openDeskFile(t testing.TB, path string) *store.Store {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)}
	d, err := store.Open(path, store.Options{NoSync: true, Now: clock.now, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// deskOf is a desk file of alice's open cases checked out of a fresh test store, opened, with the Center's store.
func deskOf(t testing.TB) (center, desk *store.Store, rec *store.CheckoutRecord) {
	t.Helper()
	center = newTestStore(t)
	rec, path := checkOut(t, center, "alice")
	return center, openDesk(t, path), rec
}

// screenLines is the screen as lines, checked to be the size of the screen.
func screenLines(t testing.TB, m *Model) []string {
	t.Helper()
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) != m.height {
		t.Errorf("screen has %d lines, want %d", len(lines), m.height)
	}
	for i, l := range lines {
		if w := width(l); w > m.width {
			t.Errorf("line %d is %d cells wide, screen %d: %q", i+1, w, m.width, l)
		}
	}
	return lines
}

// On a desk file every pane has the banner under the title bar, and it counts the changes to check in as they are
// made; at a Center there is none.
func TestOfflineBannerOnEveryPane(t *testing.T) {
	_, desk, rec := deskOf(t)
	m := run(t, testOptions(t, desk, "alice"), 120, 30)
	want := "Offline desk: " + plural(len(rec.Cases), "case", "cases") + " checked out from ELEC on 2026-03-02; lease ends " +
		leaseUntil.String() + " · nothing to check in yet"
	banner := func(what string) {
		t.Helper()
		if got := strings.TrimSpace(screenLines(t, m)[1]); got != want {
			t.Fatalf("%s: line 2 is %q, want the banner %q", what, got, want)
		}
	}
	banner("queue")
	press(m, "enter")
	banner("case pane")
	press(m, "?")
	banner("help")
	press(m, "esc", "n")
	typeText(m, "Called the broker; waiting for the invoice.")
	banner("note dialog")
	press(m, "ctrl+s")
	if !strings.Contains(m.status, "note added") {
		t.Fatalf("status %q", m.status)
	}
	want = strings.Replace(want, "nothing to check in yet", "1 change to check in", 1)
	banner("case pane after a note")
	press(m, "d")
	banner("decision pane")

	// at 80 cells what was checked out is cut, not the lease's end or the changes to check in
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	l := screenLines(t, m)[1]
	if !strings.HasPrefix(l, " Offline desk: ") || !strings.HasSuffix(l, "…; lease ends "+leaseUntil.String()+" · 1 change to check in") {
		t.Fatalf("banner at 80 cells: %q", l)
	}

	center := newTestStore(t)
	m = run(t, testOptions(t, center, "alice"), 80, 24)
	if l := screenLines(t, m)[1]; strings.Contains(l, "Offline") {
		t.Fatalf("a Center's store shows a banner: %q", l)
	}
}

// The banner's line comes out of the body: on a short screen the queue shows one row fewer, and the row under
// the cursor stays on screen as the cursor moves down.
func TestOfflineBannerTakesALineFromThePanes(t *testing.T) {
	_, desk, _ := deskOf(t)
	m := newTestModel(t, desk, "alice", 80, 11) // title, banner, 4 lines of queue chrome, 3 rows, status, footer
	if m.q.height != 3 {
		t.Fatalf("the queue shows %d rows on 11 lines with the banner, want 3", m.q.height)
	}
	press(m, "j", "j", "j")
	lines := screenLines(t, m)
	cur := m.q.current()
	if cur == nil || !strings.HasPrefix(lines[8], ">") || !strings.Contains(lines[8], cur.ID) {
		t.Fatalf("the cursor row %v should be the last row on screen:\n%s", cur, strings.Join(lines, "\n"))
	}
	press(m, "enter")
	lines = screenLines(t, m)
	if !strings.Contains(lines[2], cur.ID) {
		t.Fatalf("the case pane should begin under the banner:\n%s", strings.Join(lines, "\n"))
	}
}

// fixedCheckout stands for a checkout's id, which is random, on a golden screen.
const fixedCheckout = "c0ffeec0ffeec0ffeec0ffee"

// On a desk file a decision that needs a second person is recorded pending approval and goes to approval at
// check-in: the pane says so, not that no one may approve it (the desk has no other users).
func TestDeskDecisionGoesToApprovalAtCheckin(t *testing.T) {
	_, desk, _ := deskOf(t)
	keys := decideKeys(t, desk, leasedIDs[0], cases.OutcomeDenied, "The classification stands; 19 U.S.C. 1514.")
	m := run(t, testOptions(t, desk, "alice"), 120, 40, keys...)
	v := strings.Join(strings.Fields(m.View()), " ")
	if !strings.Contains(v, "This record will be written") || !strings.Contains(v, "goes to approval at check-in, at the ELEC Center") ||
		strings.Contains(v, "can approve this") {
		t.Fatalf("the record to be written on a desk:\n%s", m.View())
	}
	press(m, "y")
	if m.statusBad || m.status != "case 2704-26-100123: denied recorded on this desk; it goes to approval at check-in, at the ELEC Center" {
		t.Fatalf("status %q", m.status)
	}
	if c, _ := desk.Case("alice", leasedIDs[0]); c.Status != cases.StatusPendingApproval {
		t.Fatalf("the case on the desk is %s", c.Status)
	}
	if v := m.caseText(m.d.c, m.d.hist, 120); !strings.Contains(v, "Approval            at check-in, at the ELEC Center (this desk is offline)") {
		t.Errorf("the case pane's decision should say where its approval is:\n%s", v)
	}
}

// decideKeys are the keys that open case id, choose outcome o and give the reasons, up to the record to confirm.
func decideKeys(t testing.TB, desk Desk, id string, o cases.Outcome, reasons string) []string {
	t.Helper()
	c, err := desk.Case("alice", id)
	if err != nil {
		t.Fatal(err)
	}
	keys := append(openKeys(id), "d")
	for i, spec := range cases.Outcomes(c) {
		if spec.Outcome == o {
			break
		}
		if i == len(cases.Outcomes(c))-1 {
			t.Fatalf("case %s has no outcome %s", id, o)
		}
		keys = append(keys, "j")
	}
	return append(append(append(keys, "enter"), chars(reasons)...), "ctrl+s")
}

// TestOfflineScreens compares the leased queue, case pane and break dialog at a Center, and the queue and a
// decision on a desk file, with their golden screens (go test ./ui -update rewrites them).
func TestOfflineScreens(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	onDesk := func(t *testing.T) (Desk, []string) {
		_, desk, rec := deskOf(t)
		return desk, []string{rec.ID}
	}
	atCenter := func(t *testing.T) (Desk, []string) {
		s, rec := leasedStore(t)
		return s, []string{rec.ID}
	}
	checkedIn := func(t *testing.T) (Desk, []string) {
		clock := &testClock{t: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
		s := newTestStoreOn(t, clock)
		rec, path := checkOut(t, s, "alice", leasedIDs[1])
		desk := openDeskFile(t, path)
		if _, err := desk.AddNote("alice", leasedIDs[1], 0, "Broker confirmed the assist by phone."); err != nil {
			t.Fatal(err)
		}
		desk.Close()
		clock.set(time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC))
		if _, err := s.Checkin("alice", path, 0, nil); err != nil {
			t.Fatal(err)
		}
		return s, []string{rec.ID}
	}
	screens := []struct {
		name string
		who  string
		desk func(t *testing.T) (Desk, []string)
		keys func(d Desk) []string
	}{
		{"queue-leased", "sofia", atCenter, func(Desk) []string { return []string{"G", "k"} }},
		{"detail-leased", "sofia", atCenter, func(Desk) []string { return []string{"G", "k", "enter"} }},
		{"break-dialog", "sofia", atCenter, func(Desk) []string {
			return append([]string{"G", "k", "enter", "B"}, chars("alice is on leave")...)
		}},
		{"desk-queue", "alice", onDesk, func(Desk) []string { return nil }},
		{"desk-decision-confirm", "alice", onDesk, func(d Desk) []string {
			return decideKeys(t, d, leasedIDs[0], cases.OutcomeDenied, "The classification stands; 19 U.S.C. 1514.")
		}},
		{"history-checked-in", "alice", checkedIn, func(Desk) []string { return append(openKeys(leasedIDs[1]), "G") }},
	}
	for _, size := range bothSizes {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				desk, ids := sc.desk(t)
				m := run(t, testOptions(t, desk, sc.who), size[0], size[1], sc.keys(desk)...)
				screenLines(t, m)
				view := m.View()
				for _, id := range ids {
					view = strings.ReplaceAll(view, id, fixedCheckout)
				}
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}

// Under the banner a click still selects the row it lands on, and a click on the tab line still shows its view.
func TestOfflineBannerMouseRows(t *testing.T) {
	_, desk, _ := deskOf(t)
	m := newTestModel(t, desk, "alice", 120, 40)
	lines := screenLines(t, m)
	for y, l := range lines {
		if strings.Contains(l, m.q.rows[2].ID) {
			m.Update(tea.MouseMsg{X: 10, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionRelease})
			break
		}
	}
	if m.q.cursor != 2 {
		t.Fatalf("a click on the third row selected row %d", m.q.cursor)
	}
	tabs := lines[2]
	at := strings.Index(tabs, "2 Due this week")
	m.Update(tea.MouseMsg{X: width(tabs[:at]), Y: 2, Button: tea.MouseButtonLeft, Action: tea.MouseActionRelease})
	if m.q.view != 1 {
		t.Fatalf("a click on the second tab shows view %d", m.q.view+1)
	}
}
