package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// noticePreview is the notice preview of the case pane: the document the Center sends about the open case
// (cases.Notice), laid out as `ceedesk notice` prints it, in a scrolling view. It is built afresh from the case at
// every view, so a change committed anywhere shows at once. Printing is reading: whoever may see the case may
// preview its notice, in a read-only session too.
type noticePreview struct {
	id string // the case it previews; another case open closes it
	vp viewport.Model
}

// noticeChrome is the lines above the preview's viewport.
const noticeChrome = 2

// syncNoticeKey enables the notice key when the open case has a notice, and otherwise disables it with the
// reason the rules give ("no decision yet", "not a kind that sends one").
func (m *Model) syncNoticeKey() {
	b := m.keys.Notice
	if m.d.c == nil {
		b.disable("no case is open")
		return
	}
	if _, err := cases.Notice(m.d.c, m.desk.Policy(), m.today()); err != nil {
		b.disable(strings.TrimPrefix(says(err), "case "+one(m.d.c.ID)+" has ")) // the case is the open one
		return
	}
	b.why = ""
	b.SetEnabled(true)
}

// noticeKey handles the case pane's keys while the preview is open, and the key that opens it.
func (m *Model) noticeKey(msg tea.KeyMsg) tea.Cmd {
	k, d := m.keys, &m.d
	m.syncNoticeKey()
	p := d.notice
	if p == nil {
		if m.is(msg, k.Notice) {
			d.notice = &noticePreview{id: d.c.ID}
		}
		return nil
	}
	switch {
	case k.Notice.pressed(msg), m.is(msg, k.Back):
		d.notice = nil
	case m.scroll(&p.vp, msg):
	default:
		cmd, _ := m.global(msg)
		return cmd
	}
	return nil
}

// noticeView draws the preview in h lines.
func (m *Model) noticeView(h int) string {
	d := &m.d
	p := d.notice
	if d.c == nil || d.c.ID != p.id {
		d.notice = nil
		return d.view(m, h)
	}
	c := d.c
	id := one(c.ID)
	p.vp.Width = m.width
	p.vp.Height = max(h-noticeChrome, 1)
	doc, err := cases.Notice(c, m.desk.Policy(), m.today())
	if err != nil {
		head := fmt.Sprintf(" %s  %s", m.st.Title.Render("Notice"), id)
		return fit(head, m.width) + "\n\n" + m.st.Warn.Render(fit("  "+says(err), m.width))
	}
	p.vp.SetContent(m.noticeText(c, doc))
	pct := ""
	if p.vp.TotalLineCount() > p.vp.Height {
		pct = fmt.Sprintf(" %3.0f%%", p.vp.ScrollPercent()*100)
	}
	head := fmt.Sprintf(" %s  %s · %s", m.st.Title.Render("Notice"), id, one(doc.Title))
	sub := m.st.Muted.Render(fmt.Sprintf(" printed by: ceedesk notice %s [--format pdf --out FILE]", id))
	return fit(head, m.width-len(pct)) + m.st.Muted.Render(pct) + "\n" + fit(sub, m.width) + "\n" + p.vp.View()
}

// noticeText is the notice as plain text one column in, cleaned for the terminal, then the case's other papers.
func (m *Model) noticeText(c *cases.Case, doc cases.Document) string {
	w := min(cases.NoticeColumns, m.width-2)
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSuffix(doc.Cleaned().TextWidth(w), "\n"), "\n") {
		b.WriteString(" " + l + "\n")
	}
	var others []string
	for _, pp := range cases.Papers(c) {
		if pp != doc.Paper {
			others = append(others, fmt.Sprintf("%s of %s", pp, pp.Date))
		}
	}
	if len(others) > 0 {
		b.WriteString("\n" + m.st.Muted.Render(paragraph(" ", "Other papers of this case: "+strings.Join(others, ", ")+
			". Print one with: ceedesk notice "+one(c.ID)+" --which NAME", m.width)))
	}
	return strings.TrimSuffix(b.String(), "\n")
}
