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
func (d *detailPane) syncNoticeKey() {
	b := d.keys.Notice
	if d.c == nil {
		b.disable("no case is open")
		return
	}
	if _, err := cases.Notice(d.c, d.desk.Policy(), d.today()); err != nil {
		b.disable(strings.TrimPrefix(says(err), "case "+one(d.c.ID)+" has ")) // the case is the open one
		return
	}
	b.why = ""
	b.SetEnabled(true)
}

// noticeKey handles the case pane's keys while the preview is open, and the key that opens it.
func (d *detailPane) noticeKey(msg tea.KeyMsg) tea.Cmd {
	k := d.keys
	d.syncNoticeKey()
	p := d.notice
	if p == nil {
		if d.is(msg, k.Notice) {
			d.notice = &noticePreview{id: d.c.ID}
		}
		return nil
	}
	switch {
	case k.Notice.pressed(msg), d.is(msg, k.Back):
		d.notice = nil
	case d.scroll(&p.vp, msg):
	default:
		cmd, _ := d.ws.global(msg)
		return cmd
	}
	return nil
}

// noticeView draws the preview in h lines.
func (d *detailPane) noticeView(h int) string {
	p := d.notice
	if d.c == nil || d.c.ID != p.id {
		d.notice = nil
		return d.View()
	}
	c := d.c
	id := one(c.ID)
	p.vp.Width = d.width
	p.vp.Height = max(h-noticeChrome, 1)
	doc, err := cases.Notice(c, d.desk.Policy(), d.today())
	if err != nil {
		head := fmt.Sprintf(" %s  %s", d.st.Title.Render("Notice"), id)
		return fit(head, d.width) + "\n\n" + d.st.Warn.Render(fit("  "+says(err), d.width))
	}
	p.vp.SetContent(d.noticeText(c, doc))
	pct := ""
	if p.vp.TotalLineCount() > p.vp.Height {
		pct = fmt.Sprintf(" %3.0f%%", p.vp.ScrollPercent()*100)
	}
	head := fmt.Sprintf(" %s  %s · %s", d.st.Title.Render("Notice"), id, one(doc.Title))
	sub := d.st.Muted.Render(fmt.Sprintf(" printed by: ceedesk notice %s [--format pdf --out FILE]", id))
	return fit(head, d.width-len(pct)) + d.st.Muted.Render(pct) + "\n" + fit(sub, d.width) + "\n" + p.vp.View()
}

// noticeText is the notice as plain text one column in, cleaned for the terminal, then the case's other papers.
func (c *common) noticeText(cs *cases.Case, doc cases.Document) string {
	w := min(cases.NoticeColumns, c.width-2)
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSuffix(doc.Cleaned().TextWidth(w), "\n"), "\n") {
		b.WriteString(" " + l + "\n")
	}
	var others []string
	for _, pp := range cases.Papers(cs) {
		if pp != doc.Paper {
			others = append(others, fmt.Sprintf("%s of %s", pp, pp.Date))
		}
	}
	if len(others) > 0 {
		b.WriteString("\n" + c.st.Muted.Render(paragraph(" ", "Other papers of this case: "+strings.Join(others, ", ")+
			". Print one with: ceedesk notice "+one(cs.ID)+" --which NAME", c.width)))
	}
	return strings.TrimSuffix(b.String(), "\n")
}
