package ui

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
)

// yankRun drives the workstation with keys through a real program, behind the host's clipboard filter, and
// returns the final model and what reached the terminal besides the screen. A copy is a command: when want is
// set, it waits for it to reach the terminal before quitting.
func yankRun(t *testing.T, who, want string, keys ...string) (*Model, string) {
	t.Helper()
	term := &terminal{}
	tm := teatest.NewTestModel(t, filtered{New(testOptions(t, newTestStore(t), who)), Clipboard(term, nil)},
		teatest.WithInitialTermSize(120, 40))
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
	if want != "" {
		term.waitUntil(t, want)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(filtered).Model.(*Model), term.String()
}

// wantOSC52 is the clipboard sequence for text as a terminal reads it.
func wantOSC52(text string) string {
	return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\a"
}

func TestYankCopiesTheCaseIDAndEntryNumber(t *testing.T) {
	tests := []struct {
		name  string
		who   string
		keys  []string
		clip  string // the text that reaches the clipboard; "" = none
		says  string
		noted bool // the status line is an error
	}{
		{"queue: the case under the cursor", "alice", []string{"j", "y"}, "2709-26-100045 ABC-1234567-6",
			"copied case 2709-26-100045 and entry ABC-1234567-6 to the clipboard", false},
		{"case pane: the case open", "alice", []string{"j", "j", "enter", "y"}, "PSC-25-000002 E21-7700042-0",
			"copied case PSC-25-000002 and entry E21-7700042-0 to the clipboard", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, clip := yankRun(t, tc.who, wantOSC52(tc.clip), tc.keys...)
			if clip != wantOSC52(tc.clip) {
				t.Errorf("clipboard got %q, want %q", clip, wantOSC52(tc.clip))
			}
			if m.status != tc.says || m.statusBad != tc.noted {
				t.Errorf("status %q (bad %v), want %q", m.status, m.statusBad, tc.says)
			}
		})
	}
}

// In approvals y approves: the key is the pane's there, and nothing is copied.
func TestYankIsApproveInApprovals(t *testing.T) {
	m := newTestModel(t, newTestStore(t), "sofia", 120, 40)
	press(m, "a")
	_, cmd := m.Update(keyMsg("y"))
	if m.dlg == nil || m.dlg.kind != dialogApprove {
		t.Fatalf("y in approvals did not open the approval: pane %s, status %q", m.pane, m.status)
	}
	if cmd != nil {
		if _, ok := cmd().(ClipboardMsg); ok {
			t.Fatal("y in approvals copied")
		}
	}
}

// While the filter is typed, y is a letter of it.
func TestYankTypesInTheFilter(t *testing.T) {
	m := newTestModel(t, newTestStore(t), "alice", 120, 40)
	press(m, "/")
	_, cmd := m.Update(keyMsg("y"))
	if m.q.input.Value() != "y" {
		t.Fatalf("filter %q", m.q.input.Value())
	}
	if cmd != nil {
		if _, ok := cmd().(ClipboardMsg); ok {
			t.Fatal("y in the filter copied")
		}
	}
}

func TestYankWithNoCase(t *testing.T) {
	m := newTestModel(t, emptyStore(t), "alice", 120, 40)
	_, cmd := m.Update(keyMsg("y"))
	if cmd != nil || !m.statusBad || m.status != "no case is under the cursor to copy" {
		t.Fatalf("status %q, cmd %v", m.status, cmd != nil)
	}
}

func TestHelpShowsYank(t *testing.T) {
	m := newTestModel(t, newTestStore(t), "alice", 160, 48)
	for _, keys := range [][]string{nil, {"enter"}} {
		press(m, keys...)
		press(m, "?")
		if v := m.View(); !strings.Contains(v, "y            copy the case id and entry number (OSC 52)") {
			t.Fatalf("help on %s does not show y:\n%s", m.pane, v)
		}
		press(m, "esc")
	}
}
