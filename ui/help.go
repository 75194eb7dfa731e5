package ui

import (
	"fmt"
	"strings"

	"ceedesk/cases"
)

// paneKeys lists, in groups, every key of a pane: help and the footer show them from the same bindings the panes
// match against.
func (m *Model) paneKeys(p pane) [][]*binding {
	k := m.keys
	common := []*binding{k.Command, k.Help, k.Redraw, k.Quit, k.ForceQuit}
	super := []*binding{k.Workload, k.Approvals}
	switch {
	case m.dlg != nil:
		if m.dlg.fields() > 1 {
			return [][]*binding{{k.Save, k.NextField, k.PrevField, k.Back}}
		}
		return [][]*binding{{k.Save, k.Back}}
	case m.ask != nil:
		return [][]*binding{{k.Confirm, k.Cancel}}
	}
	switch p {
	case paneDetail:
		m.syncNoticeKey()
		if m.d.notice != nil {
			return [][]*binding{{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom}, {k.Notice, k.Back}, append(super, common...)}
		}
		return [][]*binding{
			{k.Decide, k.Note, k.Info, k.Answer, k.NoticeOfAction, k.Reply, k.Notice, k.Reassign},
			{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom, k.NextCase, k.PrevCase},
			{k.Back, k.NextPane, k.PrevPane},
			append(super, common...),
		}
	case paneDecision:
		switch m.dec.stage {
		case stageForm:
			return [][]*binding{{k.Save, k.NextField, k.PrevField, k.Toggle, k.Down, k.Up, k.Back}, {k.Redraw, k.ForceQuit}}
		case stageConfirm:
			if m.dec.late != "" && !m.dec.acked {
				return [][]*binding{{k.AckLate, k.Cancel}, {k.Redraw, k.ForceQuit}}
			}
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

// helpView lists every key of the current pane; a key this user cannot use says why. A list longer than the
// screen shows in two columns when the screen is wide enough, and otherwise scrolls (the footer says how).
func (m *Model) helpView(h int) string {
	st := m.st
	var b strings.Builder
	b.WriteString(" " + st.Title.Render("Keys · "+m.pane.String()) + st.Muted.Render("   keys are remapped in config.toml [keys]") + "\n")
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
			"   words match the case id, the importer and the entry number",
			"   kind:protest,psc  status:review  status:open  due:<7d  due:overdue  due:week",
			"   importer:acme  assignee:bob  center:ELEC  amount:>10000",
			`   a value with spaces is quoted: importer:"acme corp"`,
			"", st.Section.Render(" Commands"),
			"   :open CASE   :filter QUERY   :sort due|received|amount|importer",
			"   :theme NAME   :queue   :workload   :approvals   :help   :q")
	}
	m.helpRows = len(lines)
	if m.helpTwoColumns(h) {
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
	room := max(h-2, 1) // the title above, the scroll line below
	m.helpTop = clamp(m.helpTop, 0, max(len(lines)-room, 0))
	end := min(m.helpTop+room, len(lines))
	b.WriteString(strings.Join(lines[m.helpTop:end], "\n"))
	var more []string
	if m.helpTop > 0 {
		more = append(more, fmt.Sprintf("↑ %d above", m.helpTop))
	}
	if end < len(lines) {
		more = append(more, fmt.Sprintf("↓ %d more below", len(lines)-end))
	}
	if len(more) > 0 {
		b.WriteString("\n" + st.Muted.Render("   "+strings.Join(more, " · ")))
	}
	return b.String()
}

// helpTwoColumns reports whether help shows in two columns: when the screen is wide enough and the list long.
func (m *Model) helpTwoColumns(h int) bool { return m.helpRows > h-1 && m.width >= 120 }

// hint is one entry of the footer: keys and what they do here.
type hint struct{ keys, desc string }

// hintOf is the footer entry for bindings (shown as their first keys, joined by "/"), or false when one of them is
// disabled for this session.
func hintOf(desc string, bs ...*binding) (hint, bool) {
	if len(bs) == 1 {
		return hint{bs[0].Help().Key, desc}, bs[0].Enabled()
	}
	var ks []string
	for _, b := range bs {
		if !b.Enabled() || len(b.Keys()) == 0 {
			return hint{}, false
		}
		k := b.Keys()[0]
		switch k {
		case " ":
			k = "space"
		case "up":
			k = "↑"
		case "down":
			k = "↓"
		case "pgdown":
			k = "pgdn"
		}
		ks = append(ks, k)
	}
	return hint{strings.Join(ks, "/"), desc}, true
}

// footerHints are the footer's entries for what has the focus, most useful first, and the ones it always keeps
// (help and quit) at the end.
func (m *Model) footerHints() (main, kept []hint) {
	k := m.keys
	add := func(list *[]hint, desc string, bs ...*binding) {
		if h, ok := hintOf(desc, bs...); ok {
			*list = append(*list, h)
		}
	}
	helpQuit := func() {
		add(&kept, "help", k.Help)
		add(&kept, "quit", k.Quit)
	}
	switch {
	case m.ask != nil:
		add(&main, "confirm", k.Confirm)
		add(&main, "cancel", k.Cancel)
		return main, nil
	case m.dlg != nil:
		if m.dlg.multiline {
			add(&main, "save", k.Save)
		} else {
			main = append(main, hint{"enter", "save"})
		}
		if m.dlg.fields() > 1 {
			add(&main, "next field", k.NextField)
		}
		add(&main, "cancel", k.Back)
		return main, nil
	case m.cmdActive:
		return []hint{{"enter", "run"}, {"esc", "cancel"}}, nil
	case m.q.filtering:
		return []hint{{"enter", "done"}, {"esc", "clear the filter"}}, nil
	case m.help:
		if h := max(m.height-3, 1); m.helpRows > h-2 && !m.helpTwoColumns(h) {
			add(&main, "scroll", k.Down, k.Up)
			add(&main, "page", k.PageDown, k.PageUp)
		}
		add(&kept, "close", k.Help, k.Back)
		return main, kept
	}
	switch m.pane {
	case paneDetail:
		m.syncNoticeKey()
		if m.d.notice != nil {
			add(&main, "scroll", k.Down, k.Up)
			add(&main, "page", k.PageDown, k.PageUp)
			add(&main, "close the notice", k.Notice)
			add(&main, "back to the case", k.Back)
			helpQuit()
			break
		}
		if m.d.why == "" {
			add(&main, "decide", k.Decide)
			add(&main, "note", k.Note)
			add(&main, "request info", k.Info)
			if m.d.c != nil && cases.OpenRequest(m.d.c) >= 0 {
				add(&main, "answer", k.Answer)
			}
			if m.d.c != nil && cases.OpenNotice(m.d.c) >= 0 {
				add(&main, "reply", k.Reply)
			}
		}
		add(&main, "notice", k.Notice)
		add(&main, "next/previous case", k.NextCase, k.PrevCase)
		if m.d.c != nil && m.d.c.Status.Open() {
			add(&main, "reassign", k.Reassign)
		}
		add(&main, "scroll", k.Down, k.Up)
		add(&main, "back", k.Back)
		helpQuit()
	case paneDecision:
		switch m.dec.stage {
		case stageOutcome:
			add(&main, "choose", k.Open)
			add(&main, "move", k.Down, k.Up)
			add(&main, "back to the case", k.Back)
			add(&kept, "help", k.Help)
		case stageForm:
			add(&main, "review the record", k.Save)
			if len(m.dec.fields) > 1 {
				add(&main, "next field", k.NextField)
			}
			if m.dec.fields[m.dec.focus] == fieldLines {
				add(&main, "toggle line", k.Toggle)
			}
			add(&main, "back to outcomes", k.Back)
		case stageConfirm:
			if m.dec.late != "" && !m.dec.acked {
				add(&main, "acknowledge the late decision", k.AckLate)
			} else {
				add(&main, "write it", k.Confirm)
			}
			add(&main, "go back", k.Cancel)
		case stageStale:
			add(&main, "back to the case", k.Back)
		}
	case paneWorkload:
		add(&main, "reviewer's cases", k.Open)
		add(&main, "rebalance", k.Rebalance)
		add(&main, "move", k.Down, k.Up)
		add(&main, "approvals", k.Approvals)
		add(&main, "queue", k.Back)
		helpQuit()
	case paneApprovals:
		add(&main, "approve", k.Approve)
		add(&main, "return", k.Return)
		add(&main, "open the case", k.Open)
		add(&main, "move", k.Down, k.Up)
		add(&main, "queue", k.Back)
		helpQuit()
	case paneReassign:
		add(&main, "choose", k.Open)
		add(&main, "move", k.Down, k.Up)
		add(&main, "cancel", k.Back)
	case paneRebalance:
		add(&main, "make the moves", k.Confirm)
		add(&main, "cancel", k.Cancel)
	default:
		if m.q.firstRun {
			helpQuit()
			break
		}
		add(&main, "open", k.Open)
		add(&main, "decide", k.Decide)
		add(&main, "filter", k.Filter)
		add(&main, "sort", k.Sort)
		add(&main, "mark", k.Mark)
		add(&main, "reassign", k.Reassign)
		add(&main, "workload", k.Workload)
		add(&main, "approvals", k.Approvals)
		add(&main, "move", k.Down, k.Up)
		add(&main, "first/last", k.Top, k.Bottom)
		add(&main, "command", k.Command)
		helpQuit()
	}
	return main, kept
}

// footer is one line of the keys for what has the focus: as many of the main ones as fit, then help and quit,
// which are always there.
func (m *Model) footer() string {
	main, kept := m.footerHints()
	size := func(h hint) int { return width(h.keys) + 1 + width(h.desc) + 3 }
	room := m.width - 1
	for _, h := range kept {
		room -= size(h)
	}
	var parts []string
	for _, h := range main {
		if size(h) > room {
			break
		}
		room -= size(h)
		parts = append(parts, m.st.Key.Render(h.keys)+" "+m.st.Muted.Render(h.desc))
	}
	for _, h := range kept {
		parts = append(parts, m.st.Key.Render(h.keys)+" "+m.st.Muted.Render(h.desc))
	}
	return fit(" "+strings.Join(parts, m.st.Muted.Render(" · ")), m.width)
}
