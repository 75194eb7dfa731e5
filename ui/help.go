package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// everywhere are the keys of the shell, which work on every main pane.
func (k *keyMap) everywhere() []*binding {
	return []*binding{k.Command, k.Help, k.Redraw, k.Quit, k.ForceQuit}
}

// views are the keys that open the supervisor's views from any main pane.
func (k *keyMap) views() []*binding { return []*binding{k.Workload, k.Approvals} }

// paneKeys lists, in groups, every key of what has the focus: help and the footer show them from the same bindings
// the panes match against.
func (m *Model) paneKeys(p pane) [][]*binding {
	k := m.keys
	switch {
	case m.dlg != nil:
		if m.dlg.fields() > 1 {
			return [][]*binding{{k.Save, k.NextField, k.PrevField, k.Back}, {k.KeepNote, k.Copy}}
		}
		return [][]*binding{{k.Save, k.Back}, {k.KeepNote, k.Copy}}
	case m.ask != nil:
		return [][]*binding{{k.Confirm, k.Cancel}}
	}
	groups := m.panes[p].Keys()
	if yanks(p) && len(groups) > 0 {
		// before the last group, the keys the pane shares with every other
		last := len(groups) - 1
		groups = append(append(groups[:last:last], []*binding{k.Yank}), groups[last])
	}
	for _, g := range groups {
		if slices.Contains(g, k.Command) {
			// where the pane lists the key that opens the command line, the command line's own keys
			return append(groups, []*binding{k.HistoryBack, k.HistoryForward, k.Complete, k.CompleteBack})
		}
	}
	return groups
}

// helpKey scrolls help, or closes it.
func (m *Model) helpKey(msg tea.KeyMsg) {
	k := m.keys
	switch {
	case k.Help.pressed(msg) || k.Back.pressed(msg) || k.Quit.pressed(msg):
		m.help = false
	case k.Down.pressed(msg):
		m.helpTop++
	case k.Up.pressed(msg):
		m.helpTop = max(m.helpTop-1, 0)
	case k.PageDown.pressed(msg):
		m.helpTop += m.height / 2
	case k.PageUp.pressed(msg):
		m.helpTop = max(m.helpTop-m.height/2, 0)
	case k.Top.pressed(msg):
		m.helpTop = 0
	case k.Bottom.pressed(msg):
		m.helpTop = m.helpRows
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
	if n, ok := m.active().(helpNoter); ok {
		lines = append(lines, n.helpNotes()...)
	}
	m.helpRows = len(lines)
	if m.helpTwoColumns(h) {
		// the right column begins with a group, and each line is cut to its column, not to the screen
		half := (len(lines) + 1) / 2
		for half < len(lines) && lines[half] != "" {
			half++
		}
		left, right := lines[:half], lines[half:]
		colW := m.width / 2
		for i := 0; i < max(len(left), len(right)); i++ {
			l, r := "", ""
			if i < len(left) {
				l = strings.TrimRight(left[i], " ")
			}
			if i < len(right) {
				r = strings.TrimRight(right[i], " ")
			}
			b.WriteString(fit(l, colW) + fit(r, m.width-colW) + "\n")
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

// hints are the footer's entries for what has the focus: main, most useful first, as many as fit; kept, always
// there at the end.
type hints struct{ main, kept []hint }

// add offers bindings in the footer, unless one of them is disabled for this session.
func (h *hints) add(desc string, bs ...*binding) {
	if x, ok := hintOf(desc, bs...); ok {
		h.main = append(h.main, x)
	}
}

// keep is add for an entry the footer always keeps.
func (h *hints) keep(desc string, bs ...*binding) {
	if x, ok := hintOf(desc, bs...); ok {
		h.kept = append(h.kept, x)
	}
}

// helpQuit keeps help and quit in the footer.
func (h *hints) helpQuit(k *keyMap) {
	h.keep("help", k.Help)
	h.keep("quit", k.Quit)
}

// footerHints are the footer's entries for what has the focus: the shell's dialogs, the command line and help, or
// else the pane on screen.
func (m *Model) footerHints() hints {
	k := m.keys
	var h hints
	switch {
	case m.ask != nil:
		h.add("confirm", k.Confirm)
		h.add("cancel", k.Cancel)
	case m.dlg != nil:
		if m.dlg.multiline {
			h.add("save", k.Save)
		} else {
			h.main = append(h.main, hint{"enter", "save"})
		}
		if m.dlg.fields() > 1 {
			h.add("next field", k.NextField)
		}
		if m.dlg.changed() {
			h.add("keep as note", k.KeepNote)
			h.add("copy", k.Copy)
		}
		h.add("cancel", k.Back)
	case m.cmdActive:
		h.main = []hint{{"enter", "run"}, {"esc", "cancel"}}
		h.add("complete", k.Complete)
		h.add("history", k.HistoryBack, k.HistoryForward)
	case m.help:
		if bodyH := m.bodyHeight(); m.helpRows > bodyH-2 && !m.helpTwoColumns(bodyH) {
			h.add("scroll", k.Down, k.Up)
			h.add("page", k.PageDown, k.PageUp)
		}
		h.keep("close", k.Help, k.Back)
	default:
		h = m.active().Hints()
	}
	return h
}

// footer is one line of the keys for what has the focus: as many of the main ones as fit, then help and quit,
// which are always there.
func (m *Model) footer() string {
	hs := m.footerHints()
	if m.foot.same(hs, m.width) {
		return m.foot.out
	}
	m.foot.out = m.drawFooter(hs)
	m.foot.remember(hs, m.width)
	return m.foot.out
}

// footerCache holds the footer last drawn with the hints and width it was drawn for; setTheme empties it.
type footerCache struct {
	main, kept []hint
	width      int
	out        string
}

func (f *footerCache) same(hs hints, width int) bool {
	return f.out != "" && f.width == width && slices.Equal(f.main, hs.main) && slices.Equal(f.kept, hs.kept)
}

func (f *footerCache) remember(hs hints, width int) {
	f.main, f.kept, f.width = append(f.main[:0], hs.main...), append(f.kept[:0], hs.kept...), width
}

func (m *Model) drawFooter(hs hints) string {
	main, kept := hs.main, hs.kept
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
