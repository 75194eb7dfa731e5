package ui

import tea "github.com/charmbracelet/bubbletea"

// yanks reports whether the yank key copies on pane p: the queue (the case under the cursor) and the case pane
// (the case open). Elsewhere its key is the pane's (y approves in approvals).
func yanks(p pane) bool { return p == paneQueue || p == paneDetail }

// yank puts the case id and the entry number of the case under the cursor, or of the case open, in the
// clipboard of the user's own terminal (OSC 52, so over SSH too), separated by a space, and says so.
func (m *Model) yank() tea.Cmd {
	var id, entry string
	switch {
	case m.pane == paneQueue:
		r := m.q.current()
		if r == nil {
			m.refuse("no case is under the cursor to copy")
			return nil
		}
		id, entry = r.ID, r.Entry
	case m.d.c != nil:
		id, entry = m.d.c.ID, m.d.c.Entry.Number
	default:
		m.refuse("no case is open to copy")
		return nil
	}
	id, entry = one(id), one(entry)
	text := id
	if entry == "" {
		m.say("copied case %s to the clipboard", id)
	} else {
		text += " " + entry
		m.say("copied case %s and entry %s to the clipboard", id, entry)
	}
	return func() tea.Msg { return ClipboardMsg{Text: text} }
}
