package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
	"ceedesk/store"
)

func typeText(m *Model, s string) {
	for _, r := range s {
		if r == ' ' {
			press(m, "space")
		} else {
			press(m, string(r))
		}
	}
}

func TestReviewerIsToldWhatOnlySupervisorsCanDo(t *testing.T) {
	tests := []struct{ key, says string }{
		{"r", "only supervisors can reassign"},
		{"w", "only supervisors can see the workload board"},
		{"a", "only supervisors can approve decisions"},
	}
	s := newTestStore(t)
	for _, tt := range tests {
		m := newTestModel(t, s, "alice", 100, 30)
		press(m, tt.key)
		if m.pane != paneQueue || m.status != tt.says || !m.statusBad {
			t.Errorf("%s: pane %s, status %q; want %q", tt.key, m.pane, m.status, tt.says)
		}
		if !strings.Contains(m.View(), tt.says) {
			t.Errorf("%s: the status line should say %q", tt.key, tt.says)
		}
	}
	m := newTestModel(t, s, "alice", 160, 48)
	press(m, "?")
	if v := m.View(); !strings.Contains(v, "reassign  — only supervisors can reassign") {
		t.Fatalf("help should show the disabled key and why:\n%s", v)
	}
}

func TestConflictReloadsAndSaysWho(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 120, 40)
	if err := m.setFilter("PSC-25-000001"); err != nil {
		t.Fatal(err)
	}
	press(m, "enter")
	seen := m.d.c.Version
	if _, err := s.AddNote("sofia", "PSC-25-000001", 0, "Check the reason code before deciding."); err != nil {
		t.Fatal(err)
	}
	press(m, "d", "enter") // accepted needs nothing: straight to the record
	press(m, "y")
	if !strings.Contains(m.status, "was changed by sofia at") || !strings.Contains(m.status, "reloaded") {
		t.Fatalf("status %q", m.status)
	}
	if m.d.c.Version == seen || len(m.d.c.Notes) != 1 {
		t.Fatalf("the case should be reloaded (version %d, notes %d)", m.d.c.Version, len(m.d.c.Notes))
	}
	c, _ := s.Case(store.Operator, "PSC-25-000001")
	if c.Status == cases.StatusDecided {
		t.Fatal("a stale decision was written")
	}
	press(m, "d", "enter", "y") // now on the current version
	if c, _ = s.Case(store.Operator, "PSC-25-000001"); c.Status != cases.StatusDecided {
		t.Fatalf("after the reload the decision should go through: %s (%s)", c.Status, m.status)
	}
}

func TestApproverIsNeverTheDecider(t *testing.T) {
	s := newTestStore(t)
	if _, err := s.Decide("sofia", "PD-26-000001", 0, cases.Decision{Outcome: cases.OutcomeNotPerfected, Reasons: "Nothing supplied in 30 days."}, testToday); err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, s, "sofia", 120, 40)
	press(m, "a")
	for m.sup.apCase != nil && m.sup.apCase.ID != "PD-26-000001" {
		press(m, "j")
	}
	if !strings.Contains(m.View(), "sofia (you)") {
		t.Fatalf("the approvals list should mark the supervisor's own decision:\n%s", m.View())
	}
	press(m, "y") // the refusal comes at once, before any comment is typed
	if m.dlg != nil || !strings.Contains(m.status, "never the decider") || !strings.Contains(m.status, "ask tom") {
		t.Fatalf("dialog %v, status %q", m.dlg != nil, m.status)
	}
	tom := newTestModel(t, s, "tom", 120, 40)
	press(tom, "a")
	for tom.sup.apCase.ID != "PD-26-000001" {
		press(tom, "j")
	}
	press(tom, "y")
	typeText(tom, "Agreed.")
	press(tom, "enter", "y")
	c, _ := s.Case(store.Operator, "PD-26-000001")
	if c.Status != cases.StatusDecided || c.Decision.Approver != "tom" {
		t.Fatalf("tom's approval: %s %+v (%s)", c.Status, c.Decision, tom.status)
	}
}

func TestReturnNeedsAComment(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "sofia", 120, 40)
	press(m, "a", "x", "enter")
	if m.dlg == nil || !strings.Contains(m.dlg.err, "needs a comment") {
		t.Fatalf("an empty return should be refused in the dialog: %+v", m.dlg)
	}
	typeText(m, "Cite the royalty agreement.")
	press(m, "enter", "y")
	c, _ := s.Case(store.Operator, "2704-26-100077")
	if c.Status != cases.StatusInReview {
		t.Fatalf("returned case is %s (%s)", c.Status, m.status)
	}
}

func TestReassignMarkedCases(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "sofia", 120, 40)
	press(m, "space", "space") // marks the first two rows (PEA-25-000001, VAL-25-000001)
	ids := m.q.selection()
	press(m, "r")
	if m.pane != paneReassign {
		t.Fatalf("pane %s", m.pane)
	}
	for m.sup.users[m.sup.usCursor].Name != "tom" {
		press(m, "j")
	}
	press(m, "enter")
	press(m, "enter")
	if m.dlg == nil || !strings.Contains(m.dlg.err, "needs a reason") {
		t.Fatal("a reassignment without a reason should be refused")
	}
	typeText(m, "bob on leave")
	press(m, "enter")
	if m.ask == nil || !strings.Contains(m.ask.body, "bob on leave") {
		t.Fatal("reassignment should ask for confirmation showing the reason")
	}
	press(m, "y")
	for _, id := range refIDs(ids) {
		c, _ := s.Case(store.Operator, id)
		if c.Assignee != "tom" {
			t.Errorf("%s assigned to %s (%s)", id, c.Assignee, m.status)
		}
	}
	if len(m.q.marks) != 0 {
		t.Error("marks should clear after the reassignment")
	}
}

func TestRebalanceProposesThenWrites(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "sofia", 120, 40)
	press(m, "w", "b")
	if m.pane != paneRebalance || len(m.sup.moves) != 1 || m.sup.moves[0].From != "alice" || m.sup.moves[0].To != "bob" {
		t.Fatalf("pane %s moves %+v (%s)", m.pane, m.sup.moves, m.status)
	}
	id := m.sup.moves[0].Case
	if c, _ := s.Case(store.Operator, id); c.Assignee != "alice" {
		t.Fatal("nothing may be written before confirmation")
	}
	press(m, "y")
	if c, _ := s.Case(store.Operator, id); c.Assignee != "bob" {
		t.Fatalf("%s is %s's after the rebalance (%s)", id, c.Assignee, m.status)
	}
	press(m, "b")
	if !strings.Contains(m.status, "already even") {
		t.Fatalf("status %q", m.status)
	}
}

func TestNoteAndRequestForInformation(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 120, 40)
	press(m, "enter", "n")
	typeText(m, "Called the broker.")
	press(m, "ctrl+s")
	press(m, "i")
	typeText(m, "Send the assist agreement.")
	press(m, "ctrl+s")
	c, _ := s.Case(store.Operator, m.d.c.ID)
	if len(c.Notes) != 1 || c.Notes[0].Text != "Called the broker." || len(c.Requests) != 1 || c.Status != cases.StatusAwaitingInfo {
		t.Fatalf("notes %+v requests %+v status %s (%s)", c.Notes, c.Requests, c.Status, m.status)
	}
	if !strings.Contains(m.status, "answer due") {
		t.Fatalf("status %q", m.status)
	}
}

func TestNextAndPreviousCase(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 120, 40)
	press(m, "enter")
	first := m.d.c.ID
	press(m, "]")
	if m.pane != paneDetail || m.d.c.ID == first || m.d.c.ID != m.q.current().ID {
		t.Fatalf("] should open the next case: %s", m.d.c.ID)
	}
	press(m, "[")
	if m.d.c.ID != first {
		t.Fatalf("[ should return to %s, at %s", first, m.d.c.ID)
	}
}

func TestCommandLine(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 120, 40)
	run := func(line string) tea.Cmd {
		press(m, ":")
		typeText(m, line)
		_, cmd := m.Update(keyMsg("enter"))
		return cmd
	}
	run("sort amount")
	if m.q.sort != cases.SortAmount || m.q.current().ID != "2704-26-100077" {
		t.Fatalf("sort %s, first %s", m.q.sort, m.q.current().ID)
	}
	run("open 2704-26-100123")
	if m.pane != paneDetail || m.d.c.ID != "2704-26-100123" {
		t.Fatalf(":open: pane %s", m.pane)
	}
	run("theme light")
	if m.st.Theme != "light" || m.statusBad {
		t.Fatalf("theme %s (%s)", m.st.Theme, m.status)
	}
	run("theme neon")
	if !m.statusBad || !strings.Contains(m.status, "neon") {
		t.Fatalf("status %q", m.status)
	}
	run("filter kind:psc")
	if m.q.total != 2 || m.pane != paneQueue {
		t.Fatalf("filter: %d rows", m.q.total)
	}
	run("teleport")
	if !strings.Contains(m.status, "unknown command") {
		t.Fatalf("status %q", m.status)
	}
	if cmd := run("q"); cmd == nil || cmd() != tea.Quit() {
		t.Fatal(":q should quit")
	}
}

func TestSortCyclesAndFilterKeepsQuery(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 120, 40)
	// s cycles through the columns shown at 120 cells (a reviewer's queue has no ASSIGNEE column)
	for _, want := range []cases.SortKey{cases.SortKind, cases.SortCase, cases.SortImporter, cases.SortEntry, cases.SortStatus, cases.SortAmount, cases.SortDue} {
		press(m, "s")
		if m.q.sort != want {
			t.Fatalf("sort %s, want %s", m.q.sort, want)
		}
	}
	press(m, "/")
	typeText(m, "due:<8d")
	if m.q.total != 3 {
		t.Fatalf("due:<8d: %d rows", m.q.total)
	}
	typeText(m, " status:")
	if m.q.filterErr == "" || m.q.input.Value() != "due:<8d status:" {
		t.Fatalf("a bad term keeps the query and shows the error: %q / %q", m.q.input.Value(), m.q.filterErr)
	}
	if !strings.Contains(m.View(), "✗ filter term \"status:\"") {
		t.Fatalf("the error shows under the query:\n%s", m.View())
	}
	typeText(m, "review")
	press(m, "enter")
	if m.q.filterErr != "" || m.q.total != 0 {
		t.Fatalf("err %q total %d", m.q.filterErr, m.q.total)
	}
	press(m, "esc")
	if m.q.total != 6 {
		t.Fatalf("esc clears the filter: %d", m.q.total)
	}
}

func TestMouseSelectsAndScrolls(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 120, 40)
	// row 3 of the queue is on screen line 1 (title) + 4 (chrome: tabs, counts, filter, heads) + 2
	m.Update(tea.MouseMsg{X: 10, Y: 7, Button: tea.MouseButtonLeft, Action: tea.MouseActionRelease})
	if m.q.cursor != 2 {
		t.Fatalf("click selected row %d", m.q.cursor)
	}
	m.Update(tea.MouseMsg{X: 10, Y: 7, Button: tea.MouseButtonLeft, Action: tea.MouseActionRelease})
	if m.pane != paneDetail {
		t.Fatal("a click on the selected row opens it")
	}
	press(m, "esc")
	m.Update(tea.MouseMsg{Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if m.q.cursor != 0 {
		t.Fatalf("wheel up: cursor %d", m.q.cursor)
	}
}

func TestResizeReflows(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 80, 24)
	press(m, "enter")
	for _, size := range [][2]int{{160, 48}, {60, 15}, {100, 30}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for _, p := range []pane{paneQueue, paneDetail} {
			m.pane = p
			lines := strings.Split(m.View(), "\n")
			if len(lines) != size[1] {
				t.Errorf("%s at %v: %d lines", p, size, len(lines))
			}
			for _, l := range lines {
				if len([]rune(l)) > size[0] {
					t.Errorf("%s at %v: line too wide: %q", p, size, l)
				}
			}
		}
	}
	if _, cmd := m.Update(keyMsg("ctrl+l")); cmd == nil {
		t.Fatal("ctrl+l should clear the screen")
	}
}

func TestReadOnlySession(t *testing.T) {
	s := newTestStore(t)
	m := New(Options{Desk: s, User: user(t, "alice"), Today: func() cases.Date { return testToday }, Renderer: asciiRenderer(), ReadOnly: true}).(*Model)
	press(m, "enter")
	if m.d.c.Status != cases.StatusAssigned {
		t.Fatal("a read-only session must not start a review")
	}
	press(m, "d")
	if m.pane != paneDetail || !strings.Contains(m.status, "read-only") {
		t.Fatalf("pane %s status %q", m.pane, m.status)
	}
}

func TestWatchStops(t *testing.T) {
	s := newTestStore(t)
	got := make(chan tea.Msg, 10)
	stop := Watch(s, func(msg tea.Msg) { got <- msg })
	if _, err := s.AddNote("alice", "PEA-25-000001", 0, "hello"); err != nil {
		t.Fatal(err)
	}
	if c, ok := (<-got).(cases.Change); !ok || len(c.Cases) != 1 || c.Cases[0] != "PEA-25-000001" {
		t.Fatalf("forwarded %#v", c)
	}
	stop()
	stop()
}

// TestReassignmentOnAStaleVersionIsAConflict checks that a workstation's reassignment carries the version its
// supervisor saw: a reassignment made meanwhile by someone else is named, not overwritten.
func TestReassignmentOnAStaleVersionIsAConflict(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "sofia", 120, 40)
	refs := m.q.selection()
	if len(refs) != 1 {
		t.Fatalf("selection %v", refs)
	}
	id := refs[0].id
	press(m, "r")
	for m.sup.users[m.sup.usCursor].Name != "tom" {
		press(m, "j")
	}
	press(m, "enter")
	typeText(m, "tom has room")
	press(m, "enter")
	// meanwhile the case moves to someone else
	before, _ := s.Case(store.Operator, id)
	to := "bob"
	if before.Assignee == "bob" {
		to = "carol"
	}
	if _, err := s.Assign("sofia", []string{id}, nil, to, "covering", testToday); err != nil {
		t.Fatal(err)
	}
	press(m, "y")
	if c, _ := s.Case(store.Operator, id); c.Assignee != to {
		t.Fatalf("the stale reassignment overwrote the one made meanwhile: %s is %s's", id, c.Assignee)
	}
	if !m.statusBad || !strings.Contains(m.status, "changed by sofia") {
		t.Errorf("status %q does not name the conflict", m.status)
	}
}

// TestApprovalAfterLiquidationAsksForTheAcknowledgement checks that an approval that makes a decision final after
// its entry has liquidated says what the law makes of it on the confirmation, is not written by confirm alone, and
// is written with the approver's acknowledgement by the acknowledgement key.
func TestApprovalAfterLiquidationAsksForTheAcknowledgement(t *testing.T) {
	// the fixture's store, reopened under a policy whose threshold makes the PEA's rejection wait for approval
	base := newTestStore(t)
	path := base.Path()
	base.Close()
	p := cases.DefaultPolicy()
	p.ApprovalThreshold = 100_00
	s, err := store.Open(path, store.Options{NoSync: true, Policy: p})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.Decide("alice", "PEA-25-000001", 0, cases.Decision{Outcome: cases.OutcomeRejected, Reasons: "The assist was in the value."}, cases.NewDate(2026, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != cases.StatusPendingApproval {
		t.Fatalf("the PEA's rejection does not wait for approval: %s", c.Status)
	}
	m := newTestModel(t, s, "tom", 120, 40)
	press(m, "a")
	for m.sup.apCase != nil && m.sup.apCase.ID != "PEA-25-000001" {
		press(m, "j")
	}
	press(m, "y")
	typeText(m, "Agreed.")
	press(m, "enter")
	if m.ask == nil || m.ask.late == "" || !strings.Contains(m.View(), "Too late") {
		t.Fatalf("the confirmation does not say the approval comes too late:\n%s", m.View())
	}
	press(m, "y")
	if got, _ := s.Case(store.Operator, "PEA-25-000001"); got.Status != cases.StatusPendingApproval {
		t.Fatal("confirm alone approved a late decision")
	}
	press(m, "L")
	got, _ := s.Case(store.Operator, "PEA-25-000001")
	if got.Status != cases.StatusDecided || !strings.HasSuffix(got.Decision.LateAck, "acknowledged by tom") {
		t.Fatalf("the acknowledged approval: %s %+v (%s)", got.Status, got.Decision, m.status)
	}
}
