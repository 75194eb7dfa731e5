package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// settled is sent after a test's keys, before it quits: the workstation catches up with what the keys left to
// do off their path (the preview of the case under the cursor, the count of a filtered queue), so that the screen
// compared is the one a person sees a moment after the last key.
type settled struct{}

func (settled) apply(ws *Model) tea.Cmd {
	q := ws.q
	q.preview.waiting = "" // the view draws the case under the cursor
	if q.counting {
		q.applyCount(q.count(q.gen, q.query()))
	}
	return nil
}
