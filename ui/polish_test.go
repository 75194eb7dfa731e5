package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// footerOf is the last line of the screen.
func footerOf(m *Model) string {
	lines := strings.Split(m.View(), "\n")
	return lines[len(lines)-1]
}

// The days-left column is wide enough for four digits and a sign, right-aligned and apart from the due date; a
// decided case has met its clock and carries neither a due mark nor days left.
func TestQueueDaysLeftColumn(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 80, 24)
	cols := queueColumns(80, 14, false)
	today := testToday
	var ends []int
	for _, days := range []int{-1208, -208, -21, 0, 6, 674, 1208} {
		due := today.AddDays(days)
		r := cases.QueueRow{ID: "PSC-25-000009", Kind: cases.KindPSC, Status: cases.StatusInReview, Due: due, Importer: "Acme", Revenue: 100}
		line := m.q.line(m, &r, false, cols, today)
		left := daysLeft(today, due)
		if !strings.Contains(line, due.String()+" ") || !strings.Contains(line, " "+left+" ") {
			t.Errorf("%dd: the date and the days left run together: %q", days, line)
		}
		i := strings.Index(line, " "+left+" ") + 1
		ends = append(ends, width(line[:i])+len(left)) // cells, not bytes: the due marks are not ASCII
	}
	for _, e := range ends[1:] {
		if e != ends[0] {
			t.Fatalf("days left are not right-aligned: column ends at %v", ends)
		}
	}
	r := cases.QueueRow{ID: "PSC-25-000009", Kind: cases.KindPSC, Status: cases.StatusDecided, Due: today.AddDays(-30), Importer: "Acme"}
	if line := m.q.line(m, &r, false, cols, today); strings.Contains(line, "!") || strings.Contains(line, "-30d") {
		t.Fatalf("a decided case is not overdue: %q", line)
	}
}

// longIDDesk serves one queue row with an id as long as a case id may be.
type longIDDesk struct{ Desk }

const longID = "VALIDATION-2026-ELEC-000000123"

func (d longIDDesk) Queue(actor string, q cases.QueueQuery) (cases.QueuePage, error) {
	p, err := d.Desk.Queue(actor, q)
	if len(p.Rows) > 0 {
		p.Rows[0].ID = longID
	}
	return p, err
}

func TestQueueNeverCutsACaseID(t *testing.T) {
	s := newTestStore(t)
	for _, w := range []int{80, 160} {
		m := newTestModel(t, longIDDesk{s}, "sofia", w, 24)
		v := m.View()
		if !strings.Contains(v, longID+" ") {
			t.Fatalf("%d cells: the id is cut:\n%s", w, v)
		}
		for _, l := range strings.Split(v, "\n") {
			if width(l) > w {
				t.Fatalf("%d cells: line too wide: %q", w, l)
			}
		}
	}
}

// At 80x24 help scrolls, and the footer says how; where help fits, the footer says only how to close it.
func TestHelpSaysHowToScroll(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 80, 24)
	press(m, "?")
	if f := footerOf(m); !strings.Contains(f, "j/k scroll") || !strings.Contains(f, "?/esc close") {
		t.Fatalf("footer %q", f)
	}
	if v := m.View(); !strings.Contains(v, "more below") || strings.Contains(v, "above") {
		t.Fatalf("help should say there is more below:\n%s", v)
	}
	press(m, "j", "j")
	if v := m.View(); m.helpTop != 2 || !strings.Contains(v, "↑ 2 above") {
		t.Fatalf("helpTop %d:\n%s", m.helpTop, v)
	}
	press(m, "G")
	if v := m.View(); strings.Contains(v, "more below") || !strings.Contains(v, ":open CASE") {
		t.Fatalf("G should show the end of help:\n%s", v)
	}
	press(m, "esc")
	if m.help {
		t.Fatal("esc closes help")
	}
	big := newTestModel(t, s, "alice", 160, 48)
	press(big, "?")
	if f := footerOf(big); strings.Contains(f, "scroll") || !strings.Contains(f, "close") {
		t.Fatalf("help that fits need not scroll: footer %q", f)
	}
}

// Every main pane's footer keeps help and quit, whatever the width; a case the user may not work does not offer
// the keys that work it.
func TestFooterKeepsHelpAndQuit(t *testing.T) {
	s := newTestStore(t)
	for _, w := range []int{80, 160} {
		m := newTestModel(t, s, "sofia", w, 24)
		for _, keys := range [][]string{nil, {"enter"}, {"esc", "w"}, {"esc", "a"}} {
			press(m, keys...)
			if f := footerOf(m); !strings.Contains(f, "? help") || !strings.Contains(f, "q quit") || width(f) > w {
				t.Errorf("%d cells, pane %s: footer %q", w, m.pane, f)
			}
		}
	}
	m := newTestModel(t, s, "alice", 160, 24)
	m.openCase("PD-26-000001", paneQueue) // bob's
	if f := footerOf(m); strings.Contains(f, "decide") || strings.Contains(f, "note") {
		t.Fatalf("a read-only case should not offer decide or note: %q", f)
	}
}

func TestStatusClearsOnTheNextKey(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 100, 30)
	press(m, "s")
	if m.status != "sorted by kind ▲" {
		t.Fatalf("status %q", m.status)
	}
	press(m, "j")
	if m.status != "" || strings.Contains(m.View(), "sorted by") {
		t.Fatalf("the status should clear on the next key: %q", m.status)
	}
}

// A query over cases.MaxFilter is refused with the reason under it, and stays in the input to be shortened.
func TestFilterOverTheLimit(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 100, 30)
	long := strings.Repeat("acme ", 110) // 550 characters
	press(m, "/")
	typeText(m, long)
	if m.q.input.Value() != long || !strings.Contains(m.q.filterErr, "the limit is 512") {
		t.Fatalf("input %d characters, error %q", len(m.q.input.Value()), m.q.filterErr)
	}
	if v := m.View(); !strings.Contains(v, "✗ filter is 550 characters; the limit is 512") {
		t.Fatalf("the error should show inline:\n%s", v)
	}
	press(m, "enter")
	if !m.q.filtering || m.q.input.Value() != long {
		t.Fatal("enter on a refused query keeps it in the input")
	}
	press(m, "esc")
	if m.q.filtering || m.q.filterErr != "" || m.q.total != 6 {
		t.Fatalf("esc clears the filter: filtering %v, error %q, %d rows", m.q.filtering, m.q.filterErr, m.q.total)
	}

	press(m, ":")
	typeText(m, "filter "+long)
	press(m, "enter")
	if !m.q.filtering || m.q.input.Value() != strings.TrimSpace(long) || !strings.Contains(m.View(), "the limit is 512") {
		t.Fatalf(":filter with a query over the limit should leave it in the input with its error:\n%s", m.View())
	}
}

// Keys that reach the program together (typed fast over a slow link) are each a key.
func TestKeysArrivingTogether(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 100, 30)
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjj")})
	if m.q.cursor != 3 {
		t.Fatalf("cursor %d, want 3", m.q.cursor)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/kind:pea")})
	if !m.q.filtering || m.q.total != 1 {
		t.Fatalf("filtering %v, %d rows", m.q.filtering, m.q.total)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(" x"), Paste: true})
	if m.q.input.Value() != "kind:pea x" {
		t.Fatalf("a paste goes in whole: %q", m.q.input.Value())
	}
}

// The approvals list names who decided each case, not only the one under the cursor.
func TestApprovalsNameEveryDecider(t *testing.T) {
	s := newTestStore(t)
	if _, err := s.Decide("tom", "PD-26-000001", 0, cases.Decision{Outcome: cases.OutcomeNotPerfected, Reasons: "Nothing supplied."}, testToday); err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, s, "sofia", 120, 40)
	press(m, "a")
	v := m.View()
	for _, want := range []string{"PD-26-000001", "2704-26-100077"} {
		i := strings.Index(v, want)
		if i < 0 {
			t.Fatalf("%s missing:\n%s", want, v)
		}
	}
	rows := 0
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "PROT 2704-26-100077") && strings.Contains(l, "alice") || strings.Contains(l, "PD   PD-26-000001") && strings.Contains(l, "tom") {
			rows++
		}
	}
	if rows != 2 {
		t.Fatalf("both rows should name their decider:\n%s", v)
	}
}

// A change to the case open in the detail pane says who made it.
func TestDetailSaysWhoChangedTheCase(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 120, 40)
	m.openCase("PSC-25-000001", paneQueue)
	if _, err := s.AddNote("sofia", "PSC-25-000001", 0, "Look at line 2."); err != nil {
		t.Fatal(err)
	}
	m.Update(change("note", "sofia", "PSC-25-000001"))
	if !strings.Contains(m.status, "case PSC-25-000001 was just changed by sofia at") || len(m.d.c.Notes) != 1 {
		t.Fatalf("status %q, notes %d", m.status, len(m.d.c.Notes))
	}
	press(m, "n")
	typeText(m, "Done.")
	press(m, "ctrl+s")
	m.Update(change("note", "alice", "PSC-25-000001"))
	if strings.Contains(m.status, "just changed") {
		t.Fatalf("the user's own write is not news: %q", m.status)
	}
}

// On a small screen the decision form still shows what is wrong with it, above the fields.
func TestDecisionFormErrorShowsOnASmallScreen(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 80, 24)
	m.openCase("2704-26-100123", paneQueue)
	press(m, "d", "j", "j", "enter", "ctrl+s") // denied in part, nothing given
	v := m.View()
	if !strings.Contains(v, "✗ denied in part needs reasons") || !strings.Contains(v, "Lines allowed") {
		t.Fatalf("the error and the fields should both show:\n%s", v)
	}
	if n := strings.Count(v, "\n") + 1; n != 24 {
		t.Fatalf("%d lines", n)
	}
}

func TestRoughly(t *testing.T) {
	for _, tt := range []struct {
		c    cases.Cents
		want string
	}{{95_000, "$950"}, {87_512_345, "$875K"}, {876_687_002, "$8.76M"}, {3_976_059_407, "$39.7M"}, {-123_456_789_00, "-$123M"}, {1_500_000_000_00, "$1.50B"}} {
		if got := roughly(tt.c); got != tt.want {
			t.Errorf("roughly(%d) = %s, want %s", tt.c, got, tt.want)
		}
	}
}

// The notice of a change under the decision pane is whole on a small screen.
func TestDecisionNoticeWrapsOnASmallScreen(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 80, 24)
	m.openCase("PSC-25-000001", paneQueue)
	press(m, "d")
	if _, err := s.AddNote("sofia", "PSC-25-000001", 0, "Wait for the broker."); err != nil {
		t.Fatal(err)
	}
	m.Update(change("note", "sofia", "PSC-25-000001"))
	v := m.View()
	if !strings.Contains(v, "changed by sofia at") || !strings.Contains(v, "version you saw") || !strings.Contains(v, "Outcomes a post-summary correction allows") {
		t.Fatalf("the notice should show whole, above the outcomes:\n%s", v)
	}
}

// A Center whose name is long is named by its code when the title bar would otherwise lose the pane and the date.
func TestTitleBarKeepsPaneAndDate(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "erin", 80, 24)
	title := strings.Split(m.View(), "\n")[0]
	if !strings.Contains(title, "PHARMA · erin (reviewer)") || !strings.Contains(title, "queue · 2026-03-02") {
		t.Fatalf("title %q", title)
	}
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 24})
	if title := strings.Split(m.View(), "\n")[0]; !strings.Contains(title, "PHARMA Pharmaceuticals, Health & Chemicals") {
		t.Fatalf("a wide screen has room for the name: %q", title)
	}
}
