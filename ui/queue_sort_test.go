package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"ceedesk/cases"
)

// The column plan at each width: a Center's queue keeps ASSIGNEE from 80 columns, ENTRY and the full status titles
// come in as the width allows, the importer always has room, and the line is never wider than the screen.
func TestQueueColumnPlan(t *testing.T) {
	tests := []struct {
		width    int
		center   bool
		assignee bool
		entry    bool
		status   int
	}{
		{80, true, true, false, 6},
		{80, false, false, false, 8},
		{100, true, true, false, 8},
		{100, false, false, true, 16},
		{110, true, true, true, 8},
		{120, true, true, true, 16},
		{120, false, false, true, 16},
	}
	for _, tt := range tests {
		c := queueColumns(tt.width, 14, tt.center)
		if (c.assignee > 0) != tt.assignee || c.entry != tt.entry || c.status != tt.status {
			t.Errorf("%d cells, center %v: %+v; want assignee %v, entry %v, status %d", tt.width, tt.center, c, tt.assignee, tt.entry, tt.status)
		}
		if c.importer < 9 {
			t.Errorf("%d cells, center %v: importer %d cells", tt.width, tt.center, c.importer)
		}
	}
	s := newTestStore(t)
	for _, who := range []string{"sofia", "alice"} {
		for _, w := range []int{80, 90, 100, 110, 120, 159, 160, 200, 240} {
			m := newTestModel(t, s, who, w, 30)
			lines := strings.Split(m.View(), "\n")
			for i, l := range lines {
				if width(l) > w {
					t.Errorf("%s at %d: line %d is %d cells: %q", who, w, i+1, width(l), l)
				}
			}
			head := lines[4]
			if who == "sofia" && !strings.Contains(head, "ASSIGNEE") {
				t.Errorf("%s at %d: no ASSIGNEE: %q", who, w, head)
			}
			for _, col := range []string{"DUE", "LEFT", "KIND", "CASE", "IMPORTER", "STATUS", "AT STAKE"} {
				if !strings.Contains(head, col) {
					t.Errorf("%s at %d: no %s: %q", who, w, col, head)
				}
			}
		}
	}
}

// s cycles through the sorts of the columns shown at the width, in their order on screen, and no other; a sort of
// no column shown (received, from the command line) goes on to the first.
func TestSortCyclesThroughShownColumns(t *testing.T) {
	s := newTestStore(t)
	for _, tt := range []struct {
		who   string
		width int
		want  []cases.SortKey
	}{
		{"sofia", 80, []cases.SortKey{cases.SortKind, cases.SortCase, cases.SortImporter, cases.SortAssignee, cases.SortStatus, cases.SortAmount, cases.SortDue}},
		{"alice", 80, []cases.SortKey{cases.SortKind, cases.SortCase, cases.SortImporter, cases.SortStatus, cases.SortAmount, cases.SortDue}},
		{"sofia", 200, []cases.SortKey{cases.SortKind, cases.SortCase, cases.SortImporter, cases.SortAssignee, cases.SortEntry, cases.SortStatus, cases.SortAmount, cases.SortDue}},
	} {
		m := newTestModel(t, s, tt.who, tt.width, 30)
		var got []cases.SortKey
		for range tt.want {
			press(m, "s")
			got = append(got, m.q.sort)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s at %d: s gives %v, want %v", tt.who, tt.width, got, tt.want)
		}
		m.q.setSort(cases.SortReceived)
		press(m, "s")
		if m.q.sort != cases.SortDue {
			t.Errorf("%s at %d: s after received gives %s", tt.who, tt.width, m.q.sort)
		}
	}
}

// The sort in use is marked on its column's head, ▲ or ▼ as it runs, readable without colour; S turns the order
// around and back, and the queue's rows follow it; ties stay in due-date order.
func TestSortMarkAndReverse(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "sofia", 120, 40)
	head := func() string { return strings.Split(m.View(), "\n")[4] }
	ids := func() []string {
		var out []string
		for i := 0; i < m.q.total; i++ {
			out = append(out, m.q.row(i).ID)
		}
		return out
	}
	if !strings.Contains(head(), "DUE ▲") {
		t.Fatalf("head %q", head())
	}
	byDue := ids()
	press(m, "S")
	if !strings.Contains(head(), "DUE ▼") || !strings.Contains(m.status, "reversed") {
		t.Fatalf("head %q, status %q", head(), m.status)
	}
	back := ids()
	slices.Reverse(back)
	if !slices.Equal(back, byDue) {
		t.Fatalf("reversed %v, want %v backwards", ids(), byDue)
	}
	press(m, "S")
	for _, tt := range []struct {
		key  cases.SortKey
		mark string
		// the first rows in this sort: ties (same kind, same status) in due-date order
		first []string
	}{
		{cases.SortKind, "KIN▲", []string{"2709-26-100045", "2704-26-100123", "2704-26-100077"}},
		{cases.SortImporter, "IMPORTER ▲", []string{"VAL-25-000001", "PSC-25-000002", "2704-26-100123", "2704-26-100077"}},
		{cases.SortAssignee, "ASSIGNEE ▲", []string{"PSC-26-000003", "PEA-25-000001"}},
		{cases.SortStatus, "STATUS ▲", []string{"PSC-26-000003", "PEA-25-000001", "2709-26-100045"}},
		{cases.SortAmount, "AT STAKE ▼", []string{"PD-26-000001", "2704-26-100077"}},
	} {
		m.q.setSort(tt.key)
		if !strings.Contains(head(), tt.mark) || strings.Count(head(), "▲")+strings.Count(head(), "▼") != 1 {
			t.Errorf("%s: head %q, want %q alone", tt.key, head(), tt.mark)
		}
		if got := ids()[:len(tt.first)]; !slices.Equal(got, tt.first) {
			t.Errorf("%s: first rows %v, want %v", tt.key, got, tt.first)
		}
	}
}

// countingDesk holds back the total of every filtered window, as a store of a million cases does when the window
// fills first, and counts the counts asked of it.
type countingDesk struct {
	Desk
	counts chan struct{}
}

func (d countingDesk) Queue(actor string, q cases.QueueQuery) (cases.QueuePage, error) {
	p, err := d.Desk.Queue(actor, q)
	if q.NoTotal && !q.Filter.Empty() && len(p.Rows) == q.Limit {
		p.Total = -1
	}
	if !q.NoTotal && q.Limit == 1 && d.counts != nil {
		d.counts <- struct{}{}
	}
	return p, err
}

// A filter keystroke shows the first screen at once and "counting…" until the count, made after the typing
// pauses, comes back.
func TestFilterCountsAfterTheFirstScreen(t *testing.T) {
	s := newTestStore(t)
	d := countingDesk{Desk: s, counts: make(chan struct{}, 16)}
	tm := teatest.NewTestModel(t, New(testOptions(t, d, "sofia")), teatest.WithInitialTermSize(120, 10)) // a screen of 3 rows
	tm.Type("/harbor")
	until(t, tm, "1 of 3+ counting…")
	until(t, tm, "1 of 3 ")
	tm.Type(" psc")
	until(t, tm, "1 of 1 ")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if m.q.counting || m.q.total != 1 || len(d.counts) == 0 {
		t.Fatalf("counting %v, total %d, %d counts", m.q.counting, m.q.total, len(d.counts))
	}
}

// A count that comes back for a query the user has typed on from is dropped, the count of the query shown is
// taken; while counting, the cursor goes on past the rows known so far.
func TestStaleCountIsIgnored(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, countingDesk{Desk: s}, "sofia", 120, 10)
	press(m, "/")
	typeText(m, "a")
	old := m.q.gen
	if !m.q.counting || m.q.total != 3 || !strings.Contains(m.View(), "1 of 3+ counting…") {
		t.Fatalf("counting %v, %d rows known\n%s", m.q.counting, m.q.total, m.View())
	}
	press(m, "c")
	countDone{gen: old, total: 99}.apply(m)
	if !m.q.counting || m.q.total == 99 {
		t.Fatalf("a stale count was taken: counting %v, total %d", m.q.counting, m.q.total)
	}
	countDone{gen: m.q.gen, total: 4}.apply(m)
	if m.q.counting || !strings.Contains(m.View(), "1 of 4 ") {
		t.Fatalf("the count of the query shown: counting %v\n%s", m.q.counting, m.View())
	}
	m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	press(m, "enter")
	if !m.q.counting {
		t.Fatal("a new query is counted again")
	}
	for range 4 {
		press(m, "j")
	}
	if m.q.cursor != 4 || m.q.current() == nil || m.q.total != 8 {
		t.Fatalf("cursor %d of %d past the first screen while counting", m.q.cursor, m.q.total)
	}
}

// The filter line says what is wrong with a query that does not parse, in the place of the column heads, while
// the rows keep the last query that parsed.
func TestFilterParseErrorShown(t *testing.T) {
	s := newTestStore(t)
	for _, tt := range []struct{ query, want string }{
		{"kind:protest OR", "filter has an OR without a term on each side"},
		{"(kind:psc", "filter has a ( that is not closed"},
		{"due:2026-02-30", "day 30: February 2026 has 28 days"},
		{"assignee:", `filter term "assignee:": assignee needs a value`},
	} {
		m := newTestModel(t, s, "alice", 100, 30)
		press(m, "/")
		typeText(m, tt.query)
		v := m.View()
		if !strings.Contains(v, "✗ ") || !strings.Contains(v, tt.want) || m.q.filterErr == "" {
			t.Errorf("%q: the screen does not say %q:\n%s", tt.query, tt.want, v)
		}
		if strings.Contains(strings.Split(v, "\n")[4], "DUE") {
			t.Errorf("%q: the error takes the place of the column heads", tt.query)
		}
	}
}

// Sorting and filtering at 80 columns keep every line within the screen, with the sort mark on a narrow head.
func TestNarrowSortHeads(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "sofia", 80, 24)
	for _, k := range cases.AllSortKeys {
		for _, rev := range []bool{false, true} {
			m.q.reverse = rev
			m.q.setSort(k)
			for i, l := range strings.Split(m.View(), "\n") {
				if width(l) > 80 {
					t.Errorf("sort %s: line %d is %d cells", k, i+1, width(l))
				}
			}
			if k != cases.SortReceived && k != cases.SortEntry {
				if h := strings.Split(m.View(), "\n")[4]; !strings.Contains(h, sortArrow(k, rev)) {
					t.Errorf("sort %s: no mark in %q", k, h)
				}
			}
		}
	}
}

// A change committed under a filtered queue fetches the window at once and counts the total again off the keys'
// path: the total on screen stands until the recount replaces it, and Update itself never counts.
func TestChangeRecountsOffTheKeysPath(t *testing.T) {
	s := newTestStore(t)
	more := manyCases(7)
	addCases(t, s, more[:5]...)
	d := countingDesk{Desk: s, counts: make(chan struct{}, 16)}
	m := newTestModel(t, d, "sofia", 120, 10) // a screen of 3 rows
	press(m, "/")
	typeText(m, "e21-880000")
	press(m, "enter")
	if !m.q.counting {
		t.Fatalf("a full first screen of a filter is counted later; total %d", m.q.total)
	}
	for len(d.counts) > 0 {
		<-d.counts
	}
	countDone{gen: m.q.gen, total: countQuery(s, "sofia", m.q.query(), m.q.gen).total}.apply(m)
	if m.q.total != 5 {
		t.Fatalf("counted %d, want 5", m.q.total)
	}
	addCases(t, s, more[5:]...)
	_, cmd := m.Update(cases.Change{Action: "import", Actor: "admin", Cases: []string{more[5].ID, more[6].ID}})
	if len(d.counts) != 0 || m.q.total != 5 || !strings.Contains(m.View(), "1 of 5 ") {
		t.Fatalf("Update counted (%d counts) or lost the total on screen (%d)\n%s", len(d.counts), m.q.total, m.View())
	}
	if cmd == nil {
		t.Fatal("no recount after the change")
	}
	m.Update(runCmd(cmd))
	if len(d.counts) != 1 || m.q.total != 7 || !strings.Contains(m.View(), "1 of 7 ") {
		t.Fatalf("after the recount: %d counts, total %d\n%s", len(d.counts), m.q.total, m.View())
	}
}

// runCmd runs a command and returns its message, the first of a batch.
func runCmd(cmd tea.Cmd) tea.Msg {
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			if c != nil {
				return runCmd(c)
			}
		}
	}
	return msg
}

// :filter shows the first screen of matches at once and counts the total off the keys' path, as / does.
func TestCommandFilterCountsLater(t *testing.T) {
	s := newTestStore(t)
	addCases(t, s, manyCases(5)...)
	d := countingDesk{Desk: s, counts: make(chan struct{}, 16)}
	m := newTestModel(t, d, "sofia", 120, 10) // a screen of 3 rows
	press(m, ":")
	typeText(m, "filter e21-880000")
	for len(d.counts) > 0 {
		<-d.counts
	}
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if len(d.counts) != 0 || !m.q.counting || !strings.Contains(m.View(), "counting…") {
		t.Fatalf(":filter counted before it returned (%d counts)\n%s", len(d.counts), m.View())
	}
	if cmd == nil {
		t.Fatal(":filter left its total uncounted")
	}
}
