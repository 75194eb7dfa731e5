package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

func (m *Model) commandKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		m.cmdActive = false
		m.cmd.Blur()
		return nil
	case "enter":
		m.cmdActive = false
		m.cmd.Blur()
		return m.run(m.cmd.Value())
	}
	var cmd tea.Cmd
	m.cmd, cmd = m.cmd.Update(msg)
	return cmd
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
		if err := m.setFilter(arg); err != nil {
			return m.q.editFilter() // the query stays in the filter input, its error under it
		}
		m.show(paneQueue)
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
