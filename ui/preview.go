package ui

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// previewFrom is the screen width from which the case under the queue's cursor shows beside the queue.
const previewFrom = 160

// previewWidth is the cells the preview wants, the rule before it aside: the case pane's clock table, its widest
// fixed line, fits in it.
const previewWidth = 78

// listWidth is the cells the queue's own lines take: the whole screen below previewFrom; from it, what the
// preview and the rule beside it leave, the queue keeping at least the 80 cells of its narrow layout and taking no
// more than its widest layout spreads over.
func (q *queuePane) listWidth() int {
	if q.width < previewFrom {
		return q.width
	}
	return clamp(q.width-previewWidth-2, 80, 130)
}

// preview is the case under the queue's cursor, drawn with the case pane's own rendering. Reading a case and its
// history and drawing it costs more than the rest of a cursor move, so a key that moves the cursor does not wait
// for it: the preview's heading comes from the queue row at once, and the case is read off the keys' path once
// the cursor has rested for previewDelay (previewLater). A preview wanted on another path (the first screen, a
// resize, a change committed) is drawn as the screen is.
type preview struct {
	id      string // the case drawn, at its version, for a preview of w by h cells
	version uint64
	w, h    int
	lines   []string
	seq     uint64 // numbers the reads asked for; a read of an older one is dropped
	waiting string // the case a read is on its way for
	// heading is the heading last drawn from a row, while its case is read: a held key draws it once a row
	heading struct {
		id      string
		version uint64
		w       int
		lines   []string
	}
}

// previewDelay is how long the cursor rests on a case before the preview reads it: a held key reads nothing.
const previewDelay = 40 * time.Millisecond

// forget drops the preview drawn, so that the next view reads the case again.
func (p *preview) forget() { p.lines, p.heading.lines = nil, nil }

// besidePreview draws the queue's lines (each exactly lw cells wide) with the preview to their right.
func (q *queuePane) besidePreview(list []string, lw int) string {
	pw, h := q.previewSize()
	side := q.previewLines(pw, h)
	rule := q.st.Muted.Render("│") + " "
	blank := strings.Repeat(" ", lw)
	var b strings.Builder
	b.Grow((q.width + 32) * h)
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(list) {
			b.WriteString(list[i])
		} else {
			b.WriteString(blank)
		}
		b.WriteString(rule)
		if i < len(side) {
			b.WriteString(side[i])
		}
	}
	return b.String()
}

// previewOn reports whether the preview is on screen.
func (q *queuePane) previewOn() bool {
	return q.listWidth() < q.width && q.ws.pane == paneQueue && !q.firstRun
}

// previewSize is the cells and lines the preview has.
func (q *queuePane) previewSize() (int, int) { return q.width - q.listWidth() - 2, q.bodyHeight() }

// drawn reports whether the preview drawn is of row r for w by h cells.
func (p *preview) drawn(r *cases.QueueRow, w, h int) bool {
	return p.lines != nil && p.id == r.ID && p.version == r.Version && p.w == w && p.h == h
}

// previewLines is the preview in w cells by h lines: the case under the cursor, its heading alone while its read
// is on its way, or a word on why there is none.
func (q *queuePane) previewLines(w, h int) []string {
	r := q.current()
	if r == nil || q.err != nil {
		return []string{"", q.st.Muted.Render(fit("  The case under the cursor shows here.", w))}
	}
	p := &q.preview
	switch {
	case p.drawn(r, w, h):
	case p.waiting == r.ID:
		hd := &p.heading
		if hd.lines == nil || hd.id != r.ID || hd.version != r.Version || hd.w != w {
			hd.id, hd.version, hd.w, hd.lines = r.ID, r.Version, w, q.previewHeading(r, w)
		}
		return hd.lines
	default:
		c, hist, err := readCase(q.desk, q.user, r.ID)
		q.drawPreview(r, c, hist, err, w, h)
	}
	return p.lines
}

// previewLater returns the command that reads the case under the cursor for the preview once the cursor has
// rested, when the preview is on screen and does not show that case yet.
func (q *queuePane) previewLater() tea.Cmd {
	if !q.previewOn() {
		return nil
	}
	r := q.current()
	w, h := q.previewSize()
	if r == nil || q.preview.drawn(r, w, h) || q.preview.waiting == r.ID {
		return nil
	}
	q.preview.seq++
	q.preview.waiting = r.ID
	seq := q.preview.seq
	return tea.Tick(previewDelay, func(time.Time) tea.Msg { return previewDue{seq} })
}

// previewDue says the cursor rested: the case is read now, unless the cursor moved on.
type previewDue struct{ seq uint64 }

func (m previewDue) apply(ws *Model) tea.Cmd {
	q := ws.q
	r := q.current()
	if m.seq != q.preview.seq {
		return nil // the cursor moved on; a later read is asked for
	}
	if r == nil || r.ID != q.preview.waiting {
		q.preview.waiting = "" // the cursor moved on by another way: nothing is on its way now
		return nil
	}
	desk, user, id, seq := q.desk, q.user, r.ID, m.seq
	return func() tea.Msg {
		c, hist, err := readCase(desk, user, id)
		return previewRead{seq: seq, id: id, c: c, hist: hist, err: err}
	}
}

// previewRead is a case read for the preview, and its history.
type previewRead struct {
	seq  uint64
	id   string
	c    *cases.Case
	hist []cases.Event
	err  error
}

func (m previewRead) apply(ws *Model) tea.Cmd {
	q := ws.q
	r := q.current()
	if m.seq != q.preview.seq {
		return nil
	}
	if r == nil || r.ID != m.id {
		q.preview.waiting = ""
		return nil
	}
	w, h := q.previewSize()
	q.drawPreview(r, m.c, m.hist, m.err, w, h)
	return nil
}

// readCase reads a case the user may see, and its history. It reads only what it is given, so it may run beside
// the session.
func readCase(desk Desk, user cases.User, id string) (*cases.Case, []cases.Event, error) {
	c, err := desk.Case(user.Name, id)
	if err == nil {
		err = cases.CanView(user, c)
	}
	if err != nil {
		return nil, nil, err
	}
	hist, err := desk.History(user.Name, id)
	return c, hist, err
}

// drawPreview draws the case of row r as the case pane does, under its heading, and keeps it.
func (q *queuePane) drawPreview(r *cases.QueueRow, c *cases.Case, hist []cases.Event, err error, w, h int) {
	p := &q.preview
	p.id, p.version, p.w, p.h, p.waiting = r.ID, r.Version, w, h, ""
	if err != nil {
		p.lines = []string{"", q.st.Bad.Render(fit(" ✗ "+says(err), w))}
		return
	}
	head := q.previewHeading(r, w)
	lines := append(head[:len(head)-2:len(head)-2], strings.Split(q.caseText(c, hist, w), "\n")...)
	if len(lines) > h {
		lines = lines[:h]
	}
	p.lines = lines
}

// previewHeading is the preview's first lines, from the queue row: the case, its kind, status and assignee, its
// importer and entry number, its checkout to a desk if it has one; and, until the case is read, a blank line and
// one that says it is coming (the last two).
func (q *queuePane) previewHeading(r *cases.QueueRow, w int) []string {
	who := "unassigned"
	if r.Assignee != "" {
		who = "assigned to " + one(r.Assignee)
	}
	head := fit(fmt.Sprintf(" %s  %s · %s · %s", q.st.Title.Render(one(r.ID)), r.Kind.Title(), r.Status.Title(), who), w)
	sub := q.st.Muted.Render(fit(" "+one(r.Importer)+" · entry "+one(r.Entry)+" · enter opens the case", w))
	lines := []string{head, sub}
	if r.Lease != nil {
		lines = append(lines, q.st.Warn.Render(fit(" "+leaseMark+" "+capital(one(r.Lease.Label(q.today()))), w)))
	}
	return append(lines, "", q.st.Muted.Render("  …"))
}
