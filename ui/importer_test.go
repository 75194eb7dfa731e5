package ui

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"ceedesk/cases"
	"ceedesk/store"
)

// decidedPSC is a correction of Acme's on the entry of protest 2704-26-100123, accepted last year: a decided case
// the protest's entry shares.
func decidedPSC() *cases.Case {
	e := entry("B76", "0324527", "2704", d(2025, 1, 6), line(1, "8471300100", "Portable computers, 14 in.", "CN", 48_000_00, 0))
	e.Liquidated = d(2025, 11, 14)
	return &cases.Case{ID: "PSC-25-000010", Kind: cases.KindPSC, Center: "ELEC", Version: 2, Importer: acme, Entry: e,
		Received: d(2025, 3, 3), Assignee: "bob", Assigned: d(2025, 3, 4), Status: cases.StatusDecided,
		PSC: &cases.PSC{Filed: d(2025, 3, 3), Version: 2, ReasonCodes: []string{"001"}, DutyDiff: 700_00,
			Explanation: "Corrects the value of line 1."},
		Decision: &cases.Decision{Outcome: cases.OutcomeAccepted, By: "bob", On: d(2025, 4, 1),
			At: time.Date(2025, 4, 1, 10, 0, 0, 0, time.UTC)}}
}

// importerStore is the test store with two more cases of Acme's on the entry of protest 2704-26-100123: the
// further-review protest (open) and a correction (decided).
func importerStore(t *testing.T) *store.Store {
	s := newTestStore(t)
	addCases(t, s, furtherReview(), decidedPSC())
	return s
}

// the page keys, as a terminal sends them
var (
	pageDown = tea.KeyMsg{Type: tea.KeyPgDown}
	pageUp   = tea.KeyMsg{Type: tea.KeyPgUp}
)

// openKeys opens a case by the command line.
func openKeys(id string) []string {
	return append(append([]string{":"}, chars("open "+id)...), "enter")
}

// TestImporterScreens compares the importer's view, reached with I from the case pane, with its golden screens.
func TestImporterScreens(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := run(t, testOptions(t, importerStore(t), "alice"), size[0], size[1], append(openKeys("2704-26-100123"), "I", "j")...)
			if m.pane != paneImporter {
				t.Fatalf("I on the case pane should show the importer's view, got %s", m.pane)
			}
			view := m.View()
			checkPaneScreen(t, view, size[0], size[1])
			golden.RequireEqual(t, []byte(view))
		})
	}
}

// The view holds every case of the importer the user may see, grouped by entry with each entry's totals, and
// the importer's own totals.
func TestImporterGroupsByEntry(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	m := run(t, testOptions(t, importerStore(t), "alice"), 120, 40, append(openKeys("2704-26-100123"), "I")...)
	view := m.View()
	for _, want := range []string{
		"Acme Electronics Corp  95-1234567A0",
		"programs C-TPAT, ISA · Center ELEC · 4 entries",
		"5 open · 1 decided · at stake $49,370.67 open, $50,070.67 in all",
		"Entry B76-0324527-8 · 2 open · 1 decided",
		"PSC-25-000010",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("the importer's view lacks %q:\n%s", want, view)
		}
	}
	p := m.importer()
	if len(p.cases) != 6 || len(p.v.Entries) != 4 {
		t.Fatalf("%d cases in %d entries, want 6 in 4", len(p.cases), len(p.v.Entries))
	}
	// the decided case comes last in its entry and carries no due mark or days left
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "PSC-25-000010") && (strings.Contains(l, "!") || strings.Contains(l, "d bob")) {
			t.Errorf("a decided case has met its clock: %q", l)
		}
	}
}

// j/k, g/G and the page keys move over the cases, never onto an entry's head; enter opens the case under the
// cursor, esc comes back to the view, and esc again to the case it was opened from, then to the queue.
func TestImporterNavigation(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	s := importerStore(t)
	tm := teatest.NewTestModel(t, New(testOptions(t, s, "alice")), teatest.WithInitialTermSize(80, 24))
	until := func(what string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(what)) }, teatest.WithDuration(5*time.Second))
	}
	for _, k := range openKeys("2704-26-100123") {
		tm.Send(keyMsg(k))
	}
	until("2704-26-100123  Protest")
	tm.Send(keyMsg("I"))
	until("case 1 of 6")
	tm.Send(keyMsg("G"))
	until("case 6 of 6")
	tm.Send(keyMsg("g"))
	tm.Send(keyMsg("j"))
	until("case 2 of 6")
	tm.Send(keyMsg("enter"))
	until("version")
	tm.Send(keyMsg("esc"))
	until("case 2 of 6")
	tm.Send(keyMsg("esc"))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if m.pane != paneDetail || m.d.c == nil || m.d.c.ID != "2704-26-100123" {
		t.Fatalf("esc from the view should come back to case 2704-26-100123, got %s on %v", m.pane, m.d.c)
	}
	press(m, "esc")
	if m.pane != paneQueue {
		t.Fatalf("esc from the case should go back to the queue it was opened from, got %s", m.pane)
	}

	// the cursor walks the cases only, in the order shown
	m = newTestModel(t, s, "alice", 80, 24)
	press(m, openKeys("2704-26-100123")...)
	press(m, "I")
	p := m.importer()
	var seen []string
	for i := 0; i < len(p.cases)+2; i++ {
		if r := p.current(); len(seen) == 0 || seen[len(seen)-1] != r.ID {
			seen = append(seen, r.ID)
		}
		press(m, "j")
	}
	var want []string
	for _, e := range p.v.Entries {
		for _, r := range e.Cases {
			want = append(want, r.ID)
		}
	}
	if strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Fatalf("j walked %v, want %v", seen, want)
	}
	m.Update(pageUp)
	if p.cursor != 0 {
		t.Fatalf("pgup from the end of a short list should reach the first case, at %d", p.cursor)
	}
	m.Update(pageDown)
	if p.cursor != len(p.cases)-1 {
		t.Fatalf("pgdn in a short list should reach the last case, at %d", p.cursor)
	}
}

// From the queue, the importer of the case under the cursor: the queue calls openImporterOf, and esc comes back
// to the queue.
func TestImporterFromQueue(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	m := newTestModel(t, importerStore(t), "alice", 80, 24)
	r := m.q.current()
	if r == nil {
		t.Fatal("the queue is empty")
	}
	press(m, "I")
	if m.pane != paneImporter {
		t.Fatalf("I on %s did not open its importer: %s", r.ID, m.status)
	}
	if got := one(m.importer().v.Name); got != r.Importer {
		t.Fatalf("the view shows %q, the queue row's importer is %q", got, r.Importer)
	}
	press(m, "enter")
	if m.pane != paneDetail {
		t.Fatalf("enter should open the case, got %s", m.pane)
	}
	press(m, "esc", "esc")
	if m.pane != paneQueue {
		t.Fatalf("esc, esc should come back to the queue, got %s", m.pane)
	}
	if m.openImporterOf(nil, paneQueue) || m.pane != paneQueue {
		t.Fatal("no case under the cursor: nothing to open")
	}
}

// I on a case opened from the view goes back to the view as it was, instead of stacking it again.
func TestImporterKeyFromItsOwnCase(t *testing.T) {
	m := newTestModel(t, importerStore(t), "alice", 100, 30)
	press(m, openKeys("2704-26-100123")...)
	press(m, "I", "j", "j", "enter")
	opened := m.d.c.ID
	press(m, "I")
	if m.pane != paneImporter || m.importer().cursor != 2 {
		t.Fatalf("I on %s should return to the view at its third case, got %s at %d", opened, m.pane, m.importer().cursor)
	}
	press(m, "esc")
	if m.pane != paneDetail || m.d.c.ID != "2704-26-100123" {
		t.Fatalf("esc should still come back to the first case, got %s on %s", m.pane, m.d.c.ID)
	}
}

// A change committed anywhere reaches the view on screen without a key: here a supervisor reassigns one of the
// importer's cases, from another session.
func TestImporterRereadsOnChange(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	s := importerStore(t)
	tm := teatest.NewTestModel(t, New(testOptions(t, s, "alice")), teatest.WithInitialTermSize(120, 40))
	stop := Watch(s, tm.Send)
	defer stop()
	for _, k := range append(openKeys("2704-26-100123"), "I") {
		tm.Send(keyMsg(k))
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("case 1 of 6")) }, teatest.WithDuration(5*time.Second))
	tm.Send(keyMsg("j")) // 2704-26-100123, after the further-review protest of its entry, overdue
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("case 2 of 6")) }, teatest.WithDuration(5*time.Second))
	if _, err := s.Assign("sofia", []string{"2704-26-100123"}, nil, "bob", "alice on leave", testToday); err != nil {
		t.Fatal(err)
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("674d bob")) }, teatest.WithDuration(5*time.Second))
	if _, err := s.Decide("alice", "PSC-25-000002", 0, cases.Decision{Outcome: cases.OutcomeAccepted}, testToday); err != nil {
		t.Fatal(err)
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("4 open · 2 decided")) }, teatest.WithDuration(5*time.Second))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if r := m.importer().current(); m.pane != paneImporter || r == nil || r.ID != "2704-26-100123" {
		t.Fatalf("the cursor should stay on its case through the rereads, got %v", r)
	}
}

// hostileImporterDesk names the importer with terminal escape sequences, as a store written by another tool
// might.
type hostileImporterDesk struct{ hostileDesk }

func (h hostileImporterDesk) Importer(actor, number string) (cases.ImporterView, error) {
	v, err := h.Store.Importer(actor, number)
	v.Name = hostileName
	v.Programs = append(v.Programs, cases.Program("ISA\x1b[2J"))
	for i := range v.Entries {
		for j := range v.Entries[i].Cases {
			v.Entries[i].Cases[j].Assignee = "bob\x1b]0;owned\x07"
		}
	}
	return v, err
}

func (h hostileImporterDesk) Related(actor, id string) ([]cases.QueueRow, error) {
	rows, err := h.Store.Related(actor, id)
	for i := range rows {
		rows[i].Assignee = "bob\x1b]0;owned\x07"
	}
	return rows, err
}

func TestImporterNameNeverReachesTheTerminalRaw(t *testing.T) {
	tm := teatest.NewTestModel(t, New(testOptions(t, hostileImporterDesk{hostileDesk{importerStore(t)}}, "alice")), teatest.WithInitialTermSize(160, 48))
	var out []byte
	until := func(want string) {
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			out = append(out, b...)
			return bytes.Contains(out, []byte(want))
		}, teatest.WithDuration(5*time.Second))
	}
	for _, k := range append(openKeys("2704-26-100123"), "G") {
		tm.Send(keyMsg(k))
	}
	until("RELATED")
	tm.Send(keyMsg("I"))
	until("case 1 of 6")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, rest...)
	for _, bad := range []string{"\x1b]", "\x1b[2J", "\x07", "owned"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("output contains %q", bad)
		}
	}
	if !bytes.Contains(out, []byte("ACME")) {
		t.Errorf("the cleaned name should still show:\n%s", out)
	}
}

// cutDesk lists one case fewer than the importer has, as the store does past its limit.
type cutDesk struct{ *store.Store }

func (c cutDesk) Importer(actor, number string) (cases.ImporterView, error) {
	v, err := c.Store.Importer(actor, number)
	if err != nil {
		return v, err
	}
	var rows []cases.QueueRow
	for _, e := range v.Entries {
		rows = append(rows, e.Cases...)
	}
	v.Group(rows[:len(rows)-1])
	return v, nil
}

func TestImporterSaysWhenTheListIsCut(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	m := run(t, testOptions(t, cutDesk{importerStore(t)}, "alice"), 80, 24, append(openKeys("2704-26-100123"), "I")...)
	view := m.View()
	checkPaneScreen(t, view, 80, 24)
	if !strings.Contains(view, "listing 5 of the 6 cases (the open ones first); the totals count them all") ||
		!strings.Contains(view, "5 open · 1 decided") {
		t.Fatalf("the view should say that it lists fewer cases than it counts:\n%s", view)
	}
}

// manyCases is n open corrections of Acme's, each on an entry of its own.
func manyCases(n int) []*cases.Case {
	var out []*cases.Case
	for i := 0; i < n; i++ {
		out = append(out, &cases.Case{ID: fmt.Sprintf("PSC-26-1%05d", i), Kind: cases.KindPSC, Center: "ELEC", Version: 1, Importer: acme,
			Entry:    entry("E21", fmt.Sprintf("%07d", 8800000+i), "2704", d(2025, 10, 1), line(1, "8471300100", "Laptops", "CN", 10_000_00, 0)),
			Received: d(2026, 2, 1), Assignee: "alice", Assigned: d(2026, 2, 2), Status: cases.StatusAssigned,
			PSC: &cases.PSC{Filed: d(2026, 2, 1), Version: 2, ReasonCodes: []string{"001"}, DutyDiff: 100_00, Explanation: "Value."}})
	}
	return out
}

// A long view scrolls with the cursor, at every size, in the lines the screen has; the wide screen uses its width
// for the Center, the kinds' and statuses' full titles and the dates received.
func TestImporterSizes(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	s := importerStore(t)
	addCases(t, s, manyCases(40)...)
	for _, size := range [][2]int{{80, 24}, {120, 40}, {160, 48}, {200, 60}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := newTestModel(t, s, "alice", size[0], size[1])
			press(m, openKeys("2704-26-100123")...)
			press(m, "I")
			p := m.importer()
			for _, k := range []tea.KeyMsg{keyMsg("j"), pageDown, pageDown, keyMsg("G"), keyMsg("k"), pageUp, pageUp, keyMsg("g")} {
				before := p.cursor
				m.Update(k)
				if k.Type == tea.KeyPgDown && p.cursor != min(before+p.listHeight()-1, len(p.cases)-1) {
					t.Fatalf("pgdn moved the cursor from %d to %d, %d lines shown", before, p.cursor, p.listHeight())
				}
				view := m.View()
				checkPaneScreen(t, view, size[0], size[1])
				r := p.current()
				if !strings.Contains(view, ">   ") || !strings.Contains(view, r.ID) {
					t.Fatalf("after %s the cursor's case %s is off screen:\n%s", k, r.ID, view)
				}
				if want := fmt.Sprintf("case %d of %d", p.cursor+1, len(p.cases)); !strings.Contains(view, want) {
					t.Fatalf("after %s the view should say %q:\n%s", k, want, view)
				}
			}
			view := m.View()
			for col, from := range map[string]int{"CENTER": 120, "Post-summary correction": 120, "in review": 100, "RECEIVED": 160} {
				if strings.Contains(view, col) != (size[0] >= from) {
					t.Errorf("at %d columns %q shown: %v", size[0], col, size[0] < from)
				}
			}
		})
	}
}

// importerReadsDesk counts the importer's views read.
type importerReadsDesk struct {
	*store.Store
	reads *int
}

func (c importerReadsDesk) Importer(actor, number string) (cases.ImporterView, error) {
	*c.reads++
	return c.Store.Importer(actor, number)
}

// The view on screen reads itself again for a change to one of its cases or a new case of the importer, not for
// a change to another importer's case.
func TestImporterRereadsOnlyWhatConcernsIt(t *testing.T) {
	s := importerStore(t)
	reads := 0
	m := newTestModel(t, importerReadsDesk{s, &reads}, "alice", 120, 40)
	press(m, openKeys("2704-26-100123")...)
	press(m, "I")
	if reads != 1 || m.pane != paneImporter {
		t.Fatalf("opening the view read it %d times", reads)
	}
	change := func(ids ...string) { m.Update(cases.Change{Action: "test", Cases: ids}) }
	change("PEA-25-000001") // Summit's
	if reads != 1 {
		t.Fatalf("a change to another importer's case reread the view (%d reads)", reads)
	}
	change("PSC-25-000002") // Acme's, listed
	if reads != 2 {
		t.Fatalf("a change to a listed case should reread the view (%d reads)", reads)
	}
	addCases(t, s, manyCases(1)...) // a case new to the view
	change("PSC-26-100000")
	if reads != 3 || len(m.importer().cases) != 7 {
		t.Fatalf("a new case of the importer should reread the view (%d reads, %d cases)", reads, len(m.importer().cases))
	}
	change()
	if reads != 4 {
		t.Fatalf("a change that names no case may touch any: reread (%d reads)", reads)
	}
	press(m, "esc")
	change("PSC-25-000002")
	if reads != 4 {
		t.Fatalf("off screen, the view waits to be shown (%d reads)", reads)
	}
	press(m, "I")
	if reads != 5 {
		t.Fatalf("coming back on screen reads the view again (%d reads)", reads)
	}
}
