package ui

import (
	"fmt"
	"strings"
)

// paneKeys lists, in groups, every key of a pane: help and the footer show them from the same bindings the panes
// match against.
func (m *Model) paneKeys(p pane) [][]*binding {
	k := m.keys
	common := []*binding{k.Command, k.Help, k.Redraw, k.Quit, k.ForceQuit}
	super := []*binding{k.Workload, k.Approvals}
	switch {
	case m.dlg != nil:
		return [][]*binding{{k.Save, k.Back}}
	case m.ask != nil:
		return [][]*binding{{k.Confirm, k.Cancel}}
	}
	switch p {
	case paneDetail:
		return [][]*binding{
			{k.Decide, k.Note, k.Info, k.Reassign},
			{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom, k.NextCase, k.PrevCase},
			{k.Back, k.NextPane, k.PrevPane},
			append(super, common...),
		}
	case paneDecision:
		switch m.dec.stage {
		case stageForm:
			return [][]*binding{{k.Save, k.NextField, k.PrevField, k.Toggle, k.Down, k.Up, k.Back}, {k.Redraw, k.ForceQuit}}
		case stageConfirm:
			return [][]*binding{{k.Confirm, k.Cancel}, {k.Redraw, k.ForceQuit}}
		case stageStale:
			return [][]*binding{{k.Back}, {k.Redraw, k.ForceQuit}}
		}
		return [][]*binding{{k.Down, k.Up, k.Open, k.Back}, {k.Help, k.Command, k.Redraw, k.Quit, k.ForceQuit}}
	case paneWorkload:
		return [][]*binding{
			{k.Down, k.Up, k.Open, k.Rebalance, k.Back},
			{k.NextPane, k.PrevPane, k.Approvals},
			common,
		}
	case paneApprovals:
		return [][]*binding{
			{k.Down, k.Up, k.Approve, k.Return, k.Open, k.Back},
			{k.NextPane, k.PrevPane, k.Workload},
			common,
		}
	case paneReassign:
		return [][]*binding{{k.Down, k.Up, k.Open, k.Back}, {k.Help, k.Redraw, k.ForceQuit}}
	case paneRebalance:
		return [][]*binding{{k.Confirm, k.Cancel}, {k.Redraw, k.ForceQuit}}
	}
	return [][]*binding{
		{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom},
		{k.Open, k.Decide, k.Filter, k.Sort, k.Mark, k.Back},
		{k.Reassign, k.Workload, k.Approvals, k.NextPane, k.PrevPane},
		common,
	}
}

// helpView lists every key of the current pane; a key this user cannot use says why.
func (m *Model) helpView(h int) string {
	st := m.st
	var b strings.Builder
	b.WriteString(" " + st.Title.Render("Keys · "+m.pane.String()) + st.Muted.Render("   (? or esc closes; keys are remapped in config.toml [keys])") + "\n")
	var lines []string
	for _, g := range m.paneKeys(m.pane) {
		lines = append(lines, "")
		for _, bd := range g {
			hk := bd.Help()
			line := "   " + st.Key.Render(fit(hk.Key, 12)) + " " + hk.Desc
			if !bd.Enabled() {
				line = "   " + st.Disabled.Render(fit(hk.Key, 12)+" "+hk.Desc) + st.Warn.Render("  — "+bd.why)
			}
			lines = append(lines, fit(line, m.width))
		}
	}
	if m.pane == paneQueue {
		lines = append(lines, "", st.Section.Render(" Filter terms"),
			"   words match case id, importer and entry number; kind:protest status:review due:<7d due:overdue",
			"   importer:acme assignee:bob amount:>10000   e.g.  kind:psc,pea due:week",
			"", st.Section.Render(" Commands"),
			"   :open CASE  :sort due|received|amount|importer  :filter QUERY  :theme NAME  :q")
	}
	// two columns when the screen is wide enough and the list long; otherwise the list scrolls with j/k
	if len(lines) > h-1 && m.width >= 120 {
		half := (len(lines) + 1) / 2
		colW := m.width / 2
		for i := 0; i < half; i++ {
			right := ""
			if i+half < len(lines) {
				right = lines[i+half]
			}
			b.WriteString(fit(lines[i], colW) + fit(right, m.width-colW) + "\n")
		}
		return b.String()
	}
	room := max(h-2, 1)
	m.helpTop = clamp(m.helpTop, 0, max(len(lines)-room, 0))
	end := min(m.helpTop+room, len(lines))
	b.WriteString(strings.Join(lines[m.helpTop:end], "\n"))
	if end < len(lines) {
		b.WriteString("\n" + st.Muted.Render(fmt.Sprintf("   ↓ %d more: j/pgdn scrolls", len(lines)-end)))
	}
	return b.String()
}

// footer is one line of the current pane's main keys.
func (m *Model) footer() string {
	var parts []string
	w := 0
	for _, g := range m.paneKeys(m.pane) {
		for _, bd := range g {
			if !bd.Enabled() {
				continue
			}
			hk := bd.Help()
			s := m.st.Key.Render(hk.Key) + " " + m.st.Muted.Render(hk.Desc)
			n := len([]rune(hk.Key)) + 1 + len([]rune(hk.Desc)) + 3
			if w+n > m.width {
				break
			}
			parts = append(parts, s)
			w += n
		}
	}
	return fit(" "+strings.Join(parts, m.st.Muted.Render(" · ")), m.width)
}
