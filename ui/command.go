package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// commandKey edits the `:` command line: enter runs it and esc closes it (keys of its own, as a shell's), the
// history keys bring back the lines entered before, the completion keys complete the word being typed; the
// rest is typed.
func (m *Model) commandKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case msg.String() == "esc":
		m.closeCommand()
		return nil
	case msg.String() == "enter":
		line := m.cmd.Value()
		m.closeCommand()
		m.history.add(line)
		return m.run(line)
	case k.HistoryBack.pressed(msg):
		m.recall(-1)
		return nil
	case k.HistoryForward.pressed(msg):
		m.recall(1)
		return nil
	case k.Complete.pressed(msg):
		return m.complete(1)
	case k.CompleteBack.pressed(msg):
		return m.complete(-1)
	}
	before := m.cmd.Value()
	var cmd tea.Cmd
	m.cmd, cmd = m.cmd.Update(msg)
	if v := m.cmd.Value(); v != before {
		m.history.edited(v)
	}
	return cmd
}

// openCommand opens an empty command line, at the end of the history.
func (m *Model) openCommand() tea.Cmd {
	m.cmdActive = true
	m.cmd.Reset()
	m.history.begin()
	m.comp = nil
	return m.cmd.Focus()
}

func (m *Model) closeCommand() {
	m.cmdActive = false
	m.cmd.Blur()
	m.comp = nil
}

// recall shows the line entered before (dir -1) or after (dir 1) the one shown, as a shell does.
func (m *Model) recall(dir int) {
	if line, ok := m.history.move(dir); ok {
		m.cmd.SetValue(line)
		m.cmd.CursorEnd()
		m.comp = nil
	}
}

// maxHistory is how many command lines a session remembers.
const maxHistory = 100

// commandHistory is the command lines entered in this session, oldest first, and where the command line is in
// them while the user goes up and down. The line being typed is kept as the draft when the user goes up, and
// comes back when they come down again; a line recalled and changed keeps its change until the command line
// closes, as a shell keeps it.
type commandHistory struct {
	lines []string
	at    int            // the line shown: len(lines) is the line being typed
	draft string         // the line being typed
	edits map[int]string // lines recalled and changed since the command line opened
}

func (h *commandHistory) begin() { h.at, h.draft, h.edits = len(h.lines), "", nil }

// add remembers a line entered, unless it is empty or the same as the one before; the oldest line goes when
// there are maxHistory.
func (h *commandHistory) add(line string) {
	line = strings.TrimSpace(line)
	if line == "" || len(h.lines) > 0 && h.lines[len(h.lines)-1] == line {
		return
	}
	if len(h.lines) == maxHistory {
		h.lines = append(h.lines[:0], h.lines[1:]...)
	}
	h.lines = append(h.lines, line)
}

// edited notes what the line shown now says.
func (h *commandHistory) edited(v string) {
	if h.at >= len(h.lines) {
		h.draft = v
		return
	}
	if h.edits == nil {
		h.edits = map[int]string{}
	}
	h.edits[h.at] = v
}

// move goes dir lines back or forth and returns the line to show, or false at either end.
func (h *commandHistory) move(dir int) (string, bool) {
	to := h.at + dir
	if to < 0 || to > len(h.lines) {
		return "", false
	}
	h.at = to
	switch e, ok := h.edits[to]; {
	case to == len(h.lines):
		return h.draft, true
	case ok:
		return e, true
	}
	return h.lines[to], true
}

// run executes a `:` command line.
func (m *Model) run(line string) tea.Cmd {
	verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	arg = strings.TrimSpace(arg)
	switch verb {
	case "":
		return nil
	case "q", "quit", "q!", "wq":
		return tea.Quit
	case "open", "o":
		if arg == "" {
			m.fail(fmt.Errorf(":open needs a case id, e.g. :open 2704-26-100123"))
			return nil
		}
		m.openCase(arg, m.pane)
	case "sort":
		k, err := cases.ParseSortKey(arg)
		if err != nil {
			m.fail(err)
			return nil
		}
		m.q.setSort(k)
		m.show(paneQueue)
	case "filter", "f":
		m.q.input.SetValue(arg)
		if err := m.q.typeFilter(arg); err != nil {
			return m.q.editFilter() // the query stays in the filter input, its error under it
		}
		m.show(paneQueue)
		return m.q.countLater() // the first screen at once, the total off the keys' path
	case "theme":
		if err := m.setTheme(arg); err != nil {
			m.fail(err)
			return nil
		}
		if m.noColor {
			m.say("theme %s, without colour (NO_COLOR)", arg)
		} else {
			m.say("theme %s", arg)
		}
	case "help":
		m.help = true
	case "workload", "w":
		if m.allowed(m.keys.Workload) {
			m.show(paneWorkload)
		}
	case "approvals":
		if m.allowed(m.keys.Approvals) {
			m.show(paneApprovals)
		}
	case "queue":
		m.show(paneQueue)
	default:
		m.fail(fmt.Errorf("unknown command %q; want open, sort, filter, theme, queue, workload, approvals, help or q", verb))
	}
	return nil
}
