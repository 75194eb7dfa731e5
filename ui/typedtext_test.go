package ui

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"ceedesk/cases"
	"ceedesk/store"
)

// terminal is what a host writes to the terminal besides the screen: the clipboard sequences of Clipboard.
type terminal struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.Write(p)
}

func (t *terminal) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// filtered runs a model behind a program filter, as tea.WithFilter does (teatest takes no program options).
type filtered struct {
	tea.Model
	filter func(tea.Model, tea.Msg) tea.Msg
}

func (f filtered) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := f.Model.Update(f.filter(f.Model, msg))
	return filtered{m, f.filter}, cmd
}

// startClipboard is startWatched with the host's clipboard filter writing to term.
func startClipboard(t *testing.T, opt Options, term *terminal) watched {
	t.Helper()
	w := watched{TestModel: teatest.NewTestModel(t, filtered{New(opt), Clipboard(term, nil)}, teatest.WithInitialTermSize(120, 40)),
		changes: make(chan cases.Change, 64)}
	stop := Watch(opt.Desk, func(msg tea.Msg) {
		w.Send(msg)
		select {
		case w.changes <- msg.(cases.Change):
		default:
		}
	})
	t.Cleanup(stop)
	return w
}

func (w watched) final(t *testing.T) *Model {
	t.Helper()
	if err := w.Quit(); err != nil {
		t.Fatal(err)
	}
	return w.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(filtered).Model.(*Model)
}

// waitUntil waits until the terminal holds text.
func (term *terminal) waitUntil(t *testing.T, text string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(term.String(), text) {
			return
		}
	}
	t.Fatalf("the terminal never received %q; it holds %q", text, term.String())
}

var (
	keepKey = tea.KeyMsg{Type: tea.KeyCtrlO}
	copyKey = tea.KeyMsg{Type: tea.KeyCtrlY}
)

func osc52(text string) string { return ClipboardMsg{Text: text}.OSC52() }

// A supervisor reassigns the case while its reviewer is typing the decision: the reasons stay on screen with what
// happened and who did it, the store refuses to keep them as a note (the case is no longer hers to work), and she
// copies them to the terminal's clipboard.
func TestReassignmentKeepsTheDecisionOnScreen(t *testing.T) {
	s := newTestStore(t)
	const id = "PSC-25-000001"
	term := &terminal{}
	alice := startClipboard(t, testOptions(t, s, "alice"), term)
	alice.Type(":open " + id)
	alice.Send(keyMsg("enter"))
	alice.waitFor(t, "POST-SUMMARY CORRECTION")
	alice.Send(keyMsg("d"))
	alice.Send(keyMsg("j")) // rejected
	alice.Send(keyMsg("enter"))
	alice.Type("The reason code does not fit line 2.")
	alice.waitFor(t, "fit line 2.")

	if _, err := s.Assign("sofia", []string{id}, nil, "bob", "alice on leave", testToday); err != nil {
		t.Fatal(err)
	}
	alice.delivered(t, id, "assign")
	alice.waitFor(t, "reassigned to bob")
	alice.Send(keepKey)
	alice.waitFor(t, "your text was not kept as a note")
	alice.Send(copyKey)
	const typed = "Decision not written: rejected. The reason code does not fit line 2."
	term.waitUntil(t, osc52(typed))

	m := alice.final(t)
	if m.pane != paneDecision || m.dec.stage != stageStale || m.dec.reasons.Value() != "The reason code does not fit line 2." {
		t.Fatalf("pane %s stage %d reasons %q: the decision should stay on screen", m.pane, m.dec.stage, m.dec.reasons.Value())
	}
	view := m.View()
	for _, want := range []string{"case " + id + " was changed by sofia at", "reassigned to bob",
		"you cannot decide the case now: only the assignee can work this case (assigned to bob)",
		"The reason code does not fit line 2.", "ctrl+o keep it as a note", "ctrl+y copy it"} {
		if !strings.Contains(view, want) {
			t.Errorf("the pane should show %q:\n%s", want, view)
		}
	}
	if !strings.Contains(m.status, fmt.Sprintf("copied %d characters to the clipboard", len(typed))) {
		t.Errorf("status %q", m.status)
	}
	if c, _ := s.Case(store.Operator, id); len(c.Notes) != 0 || c.Decision != nil || c.Assignee != "bob" {
		t.Fatalf("nothing of alice's may be written: %d notes, decision %+v, assignee %s", len(c.Notes), c.Decision, c.Assignee)
	}
	if got := base64.StdEncoding.EncodeToString([]byte(typed)); !strings.Contains(term.String(), "\x1b]52;c;"+got+"\a") {
		t.Fatalf("the clipboard sequence: %q", term.String())
	}
}

// A change that leaves the case the reviewer's (a supervisor's note) says what changed above the decision, and the
// reviewer keeps her reasons as a note; d gives the draft back.
func TestChangedCaseKeepsTheDecisionAsANote(t *testing.T) {
	s := newTestStore(t)
	const id = "PSC-25-000001"
	alice := startClipboard(t, testOptions(t, s, "alice"), &terminal{})
	alice.Type(":open " + id)
	alice.Send(keyMsg("enter"))
	alice.waitFor(t, "POST-SUMMARY CORRECTION")
	alice.Send(keyMsg("d"))
	alice.Send(keyMsg("j"))
	alice.Send(keyMsg("enter"))
	alice.Type("Half a thought")
	alice.waitFor(t, "Half a thought")
	if _, err := s.AddNote("sofia", id, 0, "Ask about line 2 first."); err != nil {
		t.Fatal(err)
	}
	alice.delivered(t, id, "note")
	alice.waitFor(t, "a note added")
	alice.Send(keepKey)
	alice.waitFor(t, "kept as a note")
	alice.Send(keyMsg("d"))
	m := alice.final(t)

	c, _ := s.Case(store.Operator, id)
	if len(c.Notes) != 2 || c.Notes[1].Author != "alice" || c.Notes[1].Text != "Decision not written: rejected. Half a thought" {
		t.Fatalf("notes %+v", c.Notes)
	}
	if m.pane != paneDecision || m.dec.reasons.Value() != "Half a thought" {
		t.Fatalf("pane %s reasons %q: d should give the draft back", m.pane, m.dec.reasons.Value())
	}
}

// A request for information being typed when the case is reassigned stays open with its text and the notice; the
// write is refused with the reason and nothing closes, and the text can be copied.
func TestReassignmentKeepsTheRequestDialog(t *testing.T) {
	s := newTestStore(t)
	const id = "PSC-25-000001"
	term := &terminal{}
	alice := startClipboard(t, testOptions(t, s, "alice"), term)
	alice.Type(":open " + id)
	alice.Send(keyMsg("enter"))
	alice.waitFor(t, "POST-SUMMARY CORRECTION")
	alice.Send(keyMsg("i"))
	alice.Type("Send the mill certificate.")
	alice.waitFor(t, "mill certificate.")
	if _, err := s.Assign("sofia", []string{id}, nil, "bob", "alice on leave", testToday); err != nil {
		t.Fatal(err)
	}
	alice.delivered(t, id, "assign")
	alice.waitFor(t, "cannot be written now")
	alice.Send(keyMsg("ctrl+s"))
	alice.waitFor(t, "nothing was written")
	alice.Send(copyKey)
	term.waitUntil(t, osc52("Send the mill certificate."))
	m := alice.final(t)

	if m.dlg == nil || m.dlg.ta.Value() != "Send the mill certificate." {
		t.Fatalf("the dialog should stay with the text: %+v", m.dlg)
	}
	view := m.View()
	for _, want := range []string{"changed by sofia at", "reassigned to bob", "your request cannot be written now: only the assignee can work this case (assigned to bob)",
		"Send the mill certificate.", "ctrl+y copy"} {
		if !strings.Contains(view, want) {
			t.Errorf("the dialog should show %q:\n%s", want, view)
		}
	}
	if c, _ := s.Case(store.Operator, id); len(c.Requests) != 0 || len(c.Notes) != 0 {
		t.Fatalf("nothing of alice's may be written: %d requests, %d notes", len(c.Requests), len(c.Notes))
	}
}

// A supervisor writing a note on a case another supervisor reassigns may still add it: the notice says what
// changed, and keeping the text as a note writes it against the version the notice is about.
func TestSupervisorKeepsANoteAfterAReassignment(t *testing.T) {
	s := newTestStore(t)
	const id = "PSC-25-000001"
	tom := startClipboard(t, testOptions(t, s, "tom"), &terminal{})
	tom.Type(":open " + id)
	tom.Send(keyMsg("enter"))
	tom.waitFor(t, "POST-SUMMARY CORRECTION")
	tom.Send(keyMsg("n"))
	tom.Type("Broker called back.")
	tom.waitFor(t, "Broker called back.")
	if _, err := s.Assign("sofia", []string{id}, nil, "bob", "alice on leave", testToday); err != nil {
		t.Fatal(err)
	}
	tom.delivered(t, id, "assign")
	tom.waitFor(t, "reassigned to bob — your note will be checked against the version you saw")
	tom.Send(keepKey)
	tom.waitFor(t, "note added to case "+id)
	m := tom.final(t)
	if m.dlg != nil {
		t.Fatal("the dialog should close once the note is written")
	}
	if c, _ := s.Case(store.Operator, id); len(c.Notes) != 1 || c.Notes[0].Text != "Broker called back." || c.Notes[0].Author != "tom" {
		t.Fatalf("notes %+v", c.Notes)
	}
}
