package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"ceedesk/cases"
	"ceedesk/store"
)

// watched is a workstation in a real Bubble Tea program that receives the store's changes through Watch, with a
// way to wait until a change has been handed to the program.
type watched struct {
	*teatest.TestModel
	changes chan cases.Change
}

func startWatched(t *testing.T, opt Options) watched {
	t.Helper()
	w := watched{TestModel: teatest.NewTestModel(t, New(opt), teatest.WithInitialTermSize(120, 40)), changes: make(chan cases.Change, 64)}
	stop := Watch(opt.Desk, func(msg tea.Msg) {
		w.Send(msg) // returns once the program has taken the message: it is applied before any key sent later
		select {
		case w.changes <- msg.(cases.Change):
		default:
		}
	})
	t.Cleanup(stop)
	return w
}

// delivered waits until a change of the case by action has reached the program.
func (w watched) delivered(t *testing.T, id, action string) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case c := <-w.changes:
			for _, x := range c.Cases {
				if x == id && c.Action == action {
					return
				}
			}
		case <-timeout:
			t.Fatalf("no %s change of %s reached the program", action, id)
		}
	}
}

func (w watched) waitFor(t *testing.T, text string) {
	t.Helper()
	teatest.WaitFor(t, w.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) }, teatest.WithDuration(5*time.Second))
}

// openDecision opens the case with :open and takes the decision up to the record to confirm: the rejection of a
// post-summary correction, with reasons.
func (w watched) openDecision(t *testing.T, id, reasons string) {
	t.Helper()
	w.Type(":open " + id)
	w.Send(keyMsg("enter"))
	w.waitFor(t, "POST-SUMMARY CORRECTION")
	w.Send(keyMsg("d"))
	w.Send(keyMsg("j")) // rejected
	w.Send(keyMsg("enter"))
	w.Type(reasons)
	w.Send(keyMsg("ctrl+s"))
	w.waitFor(t, "This record will be written")
}

// TestSecondDeciderIsToldWhoDecidedFirst: the assignee and a supervisor both open the decision on the same case
// and the assignee writes first; the change reaches the supervisor's session (ui.Watch) before she confirms. Her
// write is checked against the version she saw, so she is told who changed the case and when (not that it "is
// already decided"), her record stays on screen, and the store holds the first decision alone.
func TestSecondDeciderIsToldWhoDecidedFirst(t *testing.T) {
	s := newTestStore(t)
	const id = "PSC-25-000001" // alice's, in review; a rejection needs reasons and is below the approval threshold
	alice := startWatched(t, testOptions(t, s, "alice"))
	sofia := startWatched(t, testOptions(t, s, "sofia"))
	alice.openDecision(t, id, "The reason code does not fit line 2.")
	sofia.openDecision(t, id, "Line 2 is already classified correctly.")

	alice.Send(keyMsg("y"))
	alice.waitFor(t, "decided: rejected")
	sofia.delivered(t, id, "decide") // the change reached sofia's program before her key does
	sofia.Send(keyMsg("y"))

	for _, w := range []watched{alice, sofia} {
		if err := w.Quit(); err != nil {
			t.Fatal(err)
		}
	}
	m := sofia.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if !strings.Contains(m.status, "case "+id+" was changed by alice at 09:") || !strings.Contains(m.status, "reloaded") {
		t.Fatalf("sofia's status line should name alice and when: %q", m.status)
	}
	view := m.View()
	for _, want := range []string{"was changed by alice at", "you cannot decide the case now: the case is decided", "Line 2 is already classified correctly."} {
		if !strings.Contains(view, want) {
			t.Errorf("sofia's pane should show %q:\n%s", want, view)
		}
	}
	if m.pane != paneDecision || m.dec.stage != stageStale || m.d.c.Status != cases.StatusDecided {
		t.Errorf("pane %s stage %d, case %s: want the decision pane keeping sofia's record over the reloaded case", m.pane, m.dec.stage, m.d.c.Status)
	}

	c, err := s.Case(store.Operator, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Decision == nil || c.Decision.By != "alice" || c.Decision.Reasons != "The reason code does not fit line 2." {
		t.Fatalf("stored decision %+v, want alice's", c.Decision)
	}
	hist, err := s.History(store.Operator, id)
	if err != nil {
		t.Fatal(err)
	}
	decides := 0
	for _, e := range hist {
		if e.Action == "decide" {
			decides++
		}
	}
	if decides != 1 {
		t.Fatalf("%d decide events, want exactly one", decides)
	}
}

// change is the message Watch forwards after a write to the case.
func change(action, actor string, ids ...string) cases.Change {
	return cases.Change{Action: action, Actor: actor, Cases: ids}
}

// A conflict on a case the reviewer may still decide goes back to the form with what they typed, and the next
// write, against the reloaded version, goes through.
func TestDecisionConflictKeepsTheReasons(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 120, 40)
	const id = "PSC-25-000001"
	m.openCase(id, paneQueue)
	press(m, "d", "j", "enter")
	typeText(m, "Wrong reason code")
	press(m, "ctrl+s")
	if _, err := s.AddNote("sofia", id, 0, "Ask about line 2 first."); err != nil {
		t.Fatal(err)
	}
	m.Update(change("note", "sofia", id))
	if v := m.View(); !strings.Contains(v, "changed by sofia at") || !strings.Contains(v, "This record will be written") {
		t.Fatalf("the confirmation should stay, with a notice naming sofia:\n%s", v)
	}
	press(m, "y")
	if m.pane != paneDecision || m.dec.stage != stageForm || m.dec.reasons.Value() != "Wrong reason code" {
		t.Fatalf("pane %s stage %d reasons %q: want the form with the reasons kept", m.pane, m.dec.stage, m.dec.reasons.Value())
	}
	if v := m.View(); !strings.Contains(v, "was changed by sofia at") || !strings.Contains(v, "nothing was written") {
		t.Fatalf("the form should say what happened:\n%s", v)
	}
	if c, _ := s.Case(store.Operator, id); c.Status == cases.StatusDecided {
		t.Fatal("a decision was written over a version alice had not seen")
	}
	press(m, "ctrl+s", "y")
	c, _ := s.Case(store.Operator, id)
	if c.Status != cases.StatusDecided || c.Decision.Reasons != "Wrong reason code" || len(c.Notes) != 1 {
		t.Fatalf("after the reload the decision should go through with the kept reasons: %s %+v (%s)", c.Status, c.Decision, m.status)
	}
}

// Leaving the decision pane and coming back to the same case keeps what was typed.
func TestDecisionDraftSurvivesLeavingThePane(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 120, 40)
	m.openCase("PSC-25-000001", paneQueue)
	press(m, "d", "j", "enter")
	typeText(m, "Half a thought")
	press(m, "esc", "esc")
	if m.pane != paneDetail {
		t.Fatalf("pane %s", m.pane)
	}
	press(m, "d")
	if m.dec.reasons.Value() != "Half a thought" || m.dec.spec().Outcome != cases.OutcomeRejected || !strings.Contains(m.View(), "draft") {
		t.Fatalf("reasons %q outcome %s: the draft should come back", m.dec.reasons.Value(), m.dec.spec().Outcome)
	}
	m.openCase("PSC-25-000002", paneQueue)
	press(m, "d")
	if m.dec.reasons.Value() != "" {
		t.Fatal("a draft belongs to its case")
	}
}

// A note is checked against the version the reviewer saw when the dialog opened; after a conflict the text is
// kept and n gives it back.
func TestNoteIsCheckedAgainstTheVersionSeen(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 120, 40)
	const id = "PSC-25-000001"
	m.openCase(id, paneQueue)
	press(m, "n")
	typeText(m, "Broker called back.")
	if _, err := s.AddNote("sofia", id, 0, "Escalated."); err != nil {
		t.Fatal(err)
	}
	m.Update(change("note", "sofia", id))
	if m.dlg == nil || !strings.Contains(m.View(), "changed by sofia at") || !strings.Contains(m.View(), "your note will be checked against the version you saw") {
		t.Fatalf("the dialog should stay open with a notice:\n%s", m.View())
	}
	press(m, "ctrl+s")
	if m.dlg != nil || !strings.Contains(m.status, "was changed by sofia at") || !strings.Contains(m.status, "your note is kept") {
		t.Fatalf("dialog %v, status %q", m.dlg != nil, m.status)
	}
	if c, _ := s.Case(store.Operator, id); len(c.Notes) != 1 {
		t.Fatalf("%d notes, want sofia's alone", len(c.Notes))
	}
	press(m, "n")
	if m.dlg == nil || m.dlg.ta.Value() != "Broker called back." {
		t.Fatal("n should give the kept note back")
	}
	press(m, "ctrl+s")
	if c, _ := s.Case(store.Operator, id); len(c.Notes) != 2 || c.Notes[1].Text != "Broker called back." {
		t.Fatalf("notes %+v (%s)", c.Notes, m.status)
	}
}

// An approval is written for the case and the version the supervisor saw, even when the approvals list changes
// under the dialog.
func TestApprovalIsCheckedAgainstTheVersionSeen(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "sofia", 120, 40)
	const id = "2704-26-100077"
	press(m, "a", "y")
	typeText(m, "Agreed.")
	press(m, "enter")
	if m.ask == nil {
		t.Fatal("approval should ask for confirmation")
	}
	if _, err := s.Return("tom", id, 0, "Cite the royalty agreement."); err != nil {
		t.Fatal(err)
	}
	m.Update(change("return", "tom", id))
	if v := m.View(); !strings.Contains(v, "changed by tom at") {
		t.Fatalf("the confirmation should say tom changed the case:\n%s", v)
	}
	press(m, "y")
	if !strings.Contains(m.status, "was changed by tom at") || !strings.Contains(m.status, "your comment is kept") {
		t.Fatalf("status %q", m.status)
	}
	if c, _ := s.Case(store.Operator, id); c.Status != cases.StatusInReview || c.Decision != nil {
		t.Fatalf("the returned case was changed again: %s %+v", c.Status, c.Decision)
	}
}
