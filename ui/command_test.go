package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// commandKeys are the keys that type a script: the names of the command line's keys are those keys, anything
// else is typed a character at a time.
func commandKeys(script ...string) []tea.KeyMsg {
	var out []tea.KeyMsg
	for _, s := range script {
		switch s {
		case "up":
			out = append(out, tea.KeyMsg{Type: tea.KeyUp})
		case "down":
			out = append(out, tea.KeyMsg{Type: tea.KeyDown})
		case "shift+tab":
			out = append(out, tea.KeyMsg{Type: tea.KeyShiftTab})
		case "enter", "esc", "tab", ":":
			out = append(out, keyMsg(s))
		default:
			for _, r := range s {
				out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			}
		}
	}
	return out
}

// commandRun drives the workstation of who through a real program with a script and returns the final model;
// when wait is set, it waits for the screen to show it first (a store lookup answers after the key).
func commandRun(t *testing.T, who, wait string, script ...string) *Model {
	t.Helper()
	tm := teatest.NewTestModel(t, New(testOptions(t, newTestStore(t), who)), teatest.WithInitialTermSize(120, 40))
	for _, k := range commandKeys(script...) {
		tm.Send(k)
	}
	if wait != "" {
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(wait)) },
			teatest.WithDuration(5*time.Second))
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
}

func TestCommandHistory(t *testing.T) {
	entered := []string{":", "sort amount", "enter", ":", "theme light", "enter", ":", "queue", "enter", ":", "queue", "enter"}
	tests := []struct {
		name   string
		script []string
		want   string // the command line
	}{
		{"up shows the last line entered", []string{":", "up"}, "queue"},
		{"a line entered twice in a row is remembered once", []string{":", "up", "up"}, "theme light"},
		{"up again goes further back", []string{":", "up", "up", "up"}, "sort amount"},
		{"up stops at the first", []string{":", "up", "up", "up", "up", "up"}, "sort amount"},
		{"down comes back", []string{":", "up", "up", "up", "down"}, "theme light"},
		{"down past the last is the line being typed", []string{":", "so", "up", "up", "down", "down"}, "so"},
		{"down at the line being typed stays there", []string{":", "so", "down", "down"}, "so"},
		{"a recalled line changed keeps its change", []string{":", "up", "up", " dark", "up", "down"}, "theme light dark"},
		{"a new command line starts after the last", []string{":", "up", "up", "esc", ":", "up"}, "queue"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := commandRun(t, "alice", "", append(entered, tc.script...)...)
			if !m.cmdActive || m.cmd.Value() != tc.want {
				t.Fatalf("command line %q (open %v), want %q", m.cmd.Value(), m.cmdActive, tc.want)
			}
		})
	}
}

// A line brought back from history runs as typed.
func TestCommandHistoryRuns(t *testing.T) {
	m := commandRun(t, "alice", "", ":", "open 2704-26-100123", "enter", "esc", ":", "queue", "enter", ":", "up", "up", "enter")
	if m.cmdActive || m.pane != paneDetail || m.d.c == nil || m.d.c.ID != "2704-26-100123" {
		t.Fatalf("pane %s, command line open %v", m.pane, m.cmdActive)
	}
}

func TestCommandHistoryIsBounded(t *testing.T) {
	var h commandHistory
	for i := range maxHistory + 5 {
		h.add(fmt.Sprintf("open %d", i))
	}
	h.add("   ")
	if len(h.lines) != maxHistory || h.lines[0] != "open 5" || h.lines[maxHistory-1] != fmt.Sprintf("open %d", maxHistory+4) {
		t.Fatalf("%d lines, %q … %q", len(h.lines), h.lines[0], h.lines[len(h.lines)-1])
	}
}

func TestCommandCompletion(t *testing.T) {
	tests := []struct {
		name   string
		who    string
		script []string
		wait   string
		want   string // the command line
		status string // in the status line, "" = anything
	}{
		{"a command", "alice", []string{":", "op", "tab"}, "", "open ", ""},
		{"the first of several, all in the status line", "alice", []string{":", "q", "tab"}, "", "queue", "[queue]  quit  2 matches"},
		{"tab again: the next", "alice", []string{":", "q", "tab", "tab"}, "", "quit", "queue  [quit]  2 matches"},
		{"round to the word as typed", "alice", []string{":", "q", "tab", "tab", "tab"}, "", "q", "queue  quit  2 matches"},
		{"shift+tab: the one before", "alice", []string{":", "q", "shift+tab"}, "", "quit", "queue  [quit]"},
		{"typing ends a completion", "alice", []string{":", "q", "tab", "shift+tab", "ui", "tab"}, "", "quit", ""},
		{"a reviewer is not offered the supervisor's views", "alice", []string{":", "w", "tab"}, "", "w", "no command starts w"},
		{"a supervisor is", "sofia", []string{":", "w", "tab"}, "", "workload", ""},
		{"a theme", "alice", []string{":", "theme l", "tab"}, "", "theme light", ""},
		{"a sort", "alice", []string{":", "sort a", "tab", "tab"}, "", "sort assignee", "amount  [assignee]  2 matches"},
		{"a case id on screen", "alice", []string{":", "open 2709", "tab"}, "", "open 2709-26-100045", ""},
		{"a case id case-insensitively", "alice", []string{":", "o pea", "tab"}, "", "o PEA-25-000001", ""},
		{"a case id from the store", "alice", []string{":", "open PSC-26", "tab"}, "PSC-26-000003", "open PSC-26-000003", ""},
		{"no case id of another Center", "alice", []string{":", "open PSC-26-000004", "tab"}, "no case id", "open PSC-26-000004", "no case id starts PSC-26-000004 in your Center"},
		{"a second argument completes to nothing", "alice", []string{":", "open 2709 ", "tab"}, "", "open 2709 ", "nothing to complete here"},
		{"nothing completes a filter", "alice", []string{":", "filter k", "tab"}, "", "filter k", "nothing to complete here"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := commandRun(t, tc.who, tc.wait, tc.script...)
			if !m.cmdActive || m.cmd.Value() != tc.want {
				t.Fatalf("command line %q (open %v), want %q", m.cmd.Value(), m.cmdActive, tc.want)
			}
			if line := m.statusLine(); !strings.Contains(line, tc.status) {
				t.Fatalf("status line %q, want %q in it", line, tc.status)
			}
		})
	}
}

// Tab after "open " goes through the cases on screen, from the top, and enter opens the one shown.
func TestCommandCompletionOpensTheCaseChosen(t *testing.T) {
	m := newTestModel(t, newTestStore(t), "alice", 120, 40)
	for _, k := range commandKeys(":", "open ", "tab", "tab") {
		m.Update(k)
	}
	second := m.q.rows[1].ID
	if m.cmd.Value() != "open "+second {
		t.Fatalf("command line %q, want the second case %s", m.cmd.Value(), second)
	}
	m.Update(keyMsg("enter"))
	if m.pane != paneDetail || m.d.c.ID != second {
		t.Fatalf("pane %s", m.pane)
	}
}

func TestCommandLineFooter(t *testing.T) {
	m := newTestModel(t, newTestStore(t), "alice", 120, 40)
	m.Update(keyMsg(":"))
	if f := m.footer(); !strings.Contains(f, "tab complete") || !strings.Contains(f, "↑/↓ history") {
		t.Fatalf("footer %q", f)
	}
}
