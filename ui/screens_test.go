package ui

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"ceedesk/cases"
	"ceedesk/store"
)

// keyMsg is the message a terminal sends for a key name.
func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "ctrl+s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	case "ctrl+l":
		return tea.KeyMsg{Type: tea.KeyCtrlL}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends keys to the model the way the terminal does.
func press(m *Model, ks ...string) {
	for _, k := range ks {
		m.Update(keyMsg(k))
	}
}

func emptyStore(t testing.TB) *store.Store {
	s, err := store.Open(filepath.Join(t.TempDir(), "empty.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.AddUser(store.Operator, user(t, "alice")); err != nil {
		t.Fatal(err)
	}
	return s
}

func testOptions(t testing.TB, desk Desk, who string) Options {
	return Options{Desk: desk, User: user(t, who), Today: func() cases.Date { return testToday }, Renderer: asciiRenderer()}
}

// run drives the workstation through a real Bubble Tea program and returns the final model.
func run(t *testing.T, opt Options, w, h int, keys ...string) *Model {
	t.Helper()
	tm := teatest.NewTestModel(t, New(opt), teatest.WithInitialTermSize(w, h))
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
	tm.Send(settled{})
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
}

// chars is the keys that type s.
func chars(s string) []string {
	var ks []string
	for _, r := range s {
		ks = append(ks, string(r))
	}
	return ks
}

// TestScreens compares every pane with its golden screen at 80x24 and 160x48 (go test ./ui -update rewrites them).
func TestScreens(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	screens := []struct {
		name  string
		who   string
		empty bool
		keys  []string
	}{
		{name: "queue", who: "alice"},
		{name: "queue-supervisor", who: "sofia", keys: []string{"j", "space", "j", "space"}},
		{name: "filter-error", who: "alice", keys: []string{"/", "k", "i", "n", "d", ":", "x"}},
		{name: "detail", who: "alice", keys: []string{"j", "j", "j", "j", "enter"}},
		{name: "decision", who: "alice", keys: []string{"j", "j", "j", "j", "d"}},
		{name: "decision-form", who: "alice", keys: []string{"j", "j", "j", "j", "d", "j", "j", "enter"}},
		{name: "decision-confirm", who: "alice", keys: []string{"j", "j", "j", "j", "d", "j", "enter", "W", "r", "o", "n", "g", " ", "h", "e", "a", "d", "i", "n", "g", "ctrl+s"}},
		{name: "decision-late-outcomes", who: "alice", keys: []string{"enter", "d"}},
		{name: "decision-late", who: "alice", keys: []string{"enter", "d", "j", "enter", "N", "o", " ", "a", "s", "s", "i", "s", "t", "ctrl+s"}},
		{name: "decision-late-acknowledged", who: "alice", keys: []string{"enter", "d", "j", "enter", "N", "o", " ", "a", "s", "s", "i", "s", "t", "ctrl+s", "L"}},
		{name: "answer-dialog", who: "alice", keys: append(append([]string{"j", "j", "j", "j", "enter", "i"}, chars("Send the binding ruling you cite.")...), "ctrl+s", "A")},
		{name: "notice-dialog", who: "alice", keys: append([]string{"j", "j", "j", "j", "enter", "o"}, append(chars("Advance line 2 to 8517.62.0090"), "tab", "tab", "space")...)},
		{name: "help", who: "alice", keys: []string{"?"}},
		{name: "first-run", who: "alice", empty: true},
		{name: "workload", who: "sofia", keys: []string{"w"}},
		{name: "approvals", who: "sofia", keys: []string{"a"}},
		{name: "reassign", who: "sofia", keys: []string{"r"}},
	}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				var desk Desk
				if sc.empty {
					desk = emptyStore(t)
				} else {
					desk = newTestStore(t)
				}
				m := run(t, testOptions(t, desk, sc.who), size[0], size[1], sc.keys...)
				view := m.View()
				for i, l := range strings.Split(view, "\n") {
					if w := len([]rune(l)); w > size[0] {
						t.Errorf("line %d is %d cells wide, screen %d: %q", i+1, w, size[0], l)
					}
				}
				if n := strings.Count(view, "\n") + 1; n != size[1] {
					t.Errorf("screen has %d lines, want %d", n, size[1])
				}
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}

// TestScriptedSession filters the queue, opens a case, decides it with reasons and confirms, then checks that the
// store holds the decision and its audit event.
func TestScriptedSession(t *testing.T) {
	s := newTestStore(t)
	tm := teatest.NewTestModel(t, New(testOptions(t, s, "alice")), teatest.WithInitialTermSize(120, 40))
	tm.Type("/kind:pea")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("1 of 1")) }, teatest.WithDuration(5*time.Second))
	tm.Send(keyMsg("enter")) // leave the filter
	tm.Send(keyMsg("enter")) // open the case
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("POST-ENTRY AMENDMENT")) }, teatest.WithDuration(5*time.Second))
	tm.Send(keyMsg("d"))
	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("enter"))
	tm.Type("The assist was already in the entered value.")
	tm.Send(keyMsg("ctrl+s"))
	// the entry passed its liquidation date: the confirmation says what the law makes of it, and L acknowledges it
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("This record will be written")) && bytes.Contains(b, []byte("a deadline the law does not move"))
	}, teatest.WithDuration(5*time.Second))
	tm.Send(keyMsg("L"))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("acknowledged by alice")) }, teatest.WithDuration(5*time.Second))
	tm.Send(keyMsg("y"))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("decided: rejected")) }, teatest.WithDuration(5*time.Second))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	c, err := s.Case(store.Operator, "PEA-25-000001")
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != cases.StatusDecided || c.Decision == nil || c.Decision.Outcome != cases.OutcomeRejected ||
		c.Decision.Reasons != "The assist was already in the entered value." || c.Decision.By != "alice" || c.Decision.On != testToday {
		t.Fatalf("stored case: status %s decision %+v", c.Status, c.Decision)
	}
	hist, err := s.History(store.Operator, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range hist {
		actions = append(actions, e.Actor+":"+e.Action)
	}
	if got := strings.Join(actions, " "); !strings.HasSuffix(got, "alice:decide") || strings.Contains(got, "alice:review") {
		t.Fatalf("audit events %s: want the decision by alice, and no write for opening the case", got)
	}
}

// hostileDesk serves one importer name and one description laced with terminal escape sequences, as a store
// written by another tool might.
type hostileDesk struct{ *store.Store }

const hostileName = "ACME\x1b]0;owned\x07\x1b[2J"

func (h hostileDesk) Queue(actor string, q cases.QueueQuery) (cases.QueuePage, error) {
	p, err := h.Store.Queue(actor, q)
	for i := range p.Rows {
		p.Rows[i].Importer = hostileName
	}
	return p, err
}

func (h hostileDesk) Case(actor, id string) (*cases.Case, error) {
	return h.taint(h.Store.Case(actor, id))
}

func (h hostileDesk) StartReview(actor, id string, version uint64) (*cases.Case, error) {
	return h.taint(h.Store.StartReview(actor, id, version))
}

func (h hostileDesk) taint(c *cases.Case, err error) (*cases.Case, error) {
	if c != nil {
		c.Importer.Name = hostileName
		for i := range c.Entry.Lines {
			c.Entry.Lines[i].Description = "chips\x1b[31m red\x1b]8;;http://evil\x1b\\link"
		}
	}
	return c, err
}

func TestEscapeSequencesNeverReachTheTerminal(t *testing.T) {
	s := newTestStore(t)
	// a note is stored as typed; it carries a title change and a screen clear
	if _, err := s.AddNote("alice", "PEA-25-000001", 0, "see \x1b]0;owned\x07 and \x1b[2J this"); err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, New(testOptions(t, hostileDesk{s}, "alice")), teatest.WithInitialTermSize(120, 60))
	var out []byte // everything written to the terminal
	until := func(want string) {
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			if bytes.Contains(b, []byte(want)) {
				out = append(out, b...)
				return true
			}
			return false
		}, teatest.WithDuration(5*time.Second))
	}
	until("ACME")
	tm.Send(keyMsg("enter"))
	until("NOTES")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, rest...)
	for _, bad := range []string{"\x1b]", "\x1b[2J", "\x07", "\x1b[31m", "owned"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("output contains %q", bad)
		}
	}
	if !bytes.Contains(out, []byte("see")) || !bytes.Contains(out, []byte("this")) || !bytes.Contains(out, []byte("chips")) {
		t.Errorf("the text around the escapes should still show:\n%s", out)
	}
}

// TestLiveChanges: a change made outside the session (another session, the command line) reaches the screen
// without a key press: a newly assigned case appears, and a case reassigned away while open becomes read-only.
func TestLiveChanges(t *testing.T) {
	s := newTestStore(t)
	tm := teatest.NewTestModel(t, New(testOptions(t, s, "alice")), teatest.WithInitialTermSize(120, 40))
	stop := Watch(s, tm.Send)
	defer stop()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("1 of 6")) }, teatest.WithDuration(5*time.Second))

	if _, err := s.Assign("sofia", []string{"PSC-26-000003"}, nil, "alice", "", testToday); err != nil {
		t.Fatal(err)
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("PSC-26-000003")) && bytes.Contains(b, []byte("1 of 7"))
	}, teatest.WithDuration(5*time.Second))

	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("enter")) // PSC-25-000002, the third row (the exclusion protest's last day to act comes first)
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("POST-SUMMARY CORRECTION")) }, teatest.WithDuration(5*time.Second))
	if _, err := s.Assign("sofia", []string{"PSC-25-000002"}, nil, "bob", "alice on leave", testToday); err != nil {
		t.Fatal(err)
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("reassigned to bob by sofia")) && bytes.Contains(b, []byte("read-only"))
	}, teatest.WithDuration(5*time.Second))
	tm.Send(keyMsg("d"))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if m.pane != paneDetail || m.d.why == "" {
		t.Fatalf("after the case left alice, d must not open the decision pane (pane %s, why %q)", m.pane, m.d.why)
	}
	if m.q.total != 6 {
		t.Fatalf("queue holds %d rows, want 6 (one in, one out)", m.q.total)
	}
}
