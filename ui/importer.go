package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// importerPane is the importer's view: every case of one importer that the user may see, across kinds and
// Centers, grouped by entry, each entry with its totals at stake, under the importer's name, number, programs,
// Centers and overall totals. The cursor moves over the cases; enter opens one in the case pane. It is reached
// with the importer key from the case pane (the open case's importer) and from the queue (the importer of the
// case under the cursor), and it reads the view again when a committed change may have touched it.
type importerPane struct {
	*common
	number string // the importer shown; "" before any is
	v      cases.ImporterView
	err    error // the last read failed; the view keeps what was read before, under the error

	lines  []importerLine // the entries' heads and their cases, in the order shown
	cases  []int          // the index in lines of each case: the cursor moves over these
	cursor int            // index in cases
	top    int            // the first of lines on screen
	listY  int            // the body line the first of lines was drawn on, for the mouse

	back pane // where esc returns
	// from the case pane: the case that was open, and where that pane's esc went, so that esc comes back to it
	// after cases opened from this view
	backCase     string
	backCaseBack pane

	justRead bool // read by open: coming on screen does not read it again
}

// importerLine is one line of the list: an entry's head (row < 0) or one of its cases.
type importerLine struct{ group, row int }

func newImporterPane(c *common) *importerPane { return &importerPane{common: c} }

// importer is the importer pane of the workstation.
func (m *Model) importer() *importerPane { return m.panes[paneImporter].(*importerPane) }

// openImporter shows the cases of the importer number, coming from the pane from. Pressed on a case opened from
// the same importer's view, it goes back to that view as it was. It reports whether the view opened; when the
// importer has no case the user may see, the status line says so and the screen stays.
func (m *Model) openImporter(number string, from pane) bool {
	p := m.importer()
	if num, err := cases.ParseImporterNumber(number); err == nil && from == paneDetail && m.d.back == paneImporter && num == p.number {
		m.show(paneImporter)
		return true
	}
	if err := p.load(number); err != nil {
		m.fail(err)
		return false
	}
	p.back, p.backCase = from, ""
	if from == paneDetail && m.d.c != nil {
		p.backCase, p.backCaseBack = m.d.c.ID, m.d.back
	}
	p.justRead = true
	m.show(paneImporter)
	return true
}

// openImporterOf shows the cases of the importer of r (the case under the queue's cursor, or nil for none),
// coming from the pane from. A queue row names the importer but not its number: the case is read for it.
func (m *Model) openImporterOf(r *cases.QueueRow, from pane) bool {
	if r == nil {
		return false
	}
	c, err := m.desk.Case(m.user.Name, r.ID)
	if err != nil {
		m.fail(err)
		return false
	}
	if c.Importer.Number == "" {
		m.refuse("case %s records no importer number", one(c.ID))
		return false
	}
	return m.openImporter(c.Importer.Number, from)
}

// load reads the view of the importer number. The cursor stays on the case it was on when that case is still
// listed; a new importer starts at its first case.
func (p *importerPane) load(number string) error {
	v, err := p.desk.Importer(p.user.Name, number)
	if err != nil {
		return err
	}
	var at string
	if r := p.current(); r != nil && v.Number == p.number {
		at = r.ID
	}
	if v.Number != p.number {
		p.cursor, p.top = 0, 0
	}
	p.number, p.v, p.err = v.Number, v, nil
	p.index()
	if at != "" {
		for i, li := range p.cases {
			if p.caseAt(li).ID == at {
				p.cursor = i
			}
		}
	}
	p.cursor = clamp(p.cursor, 0, max(len(p.cases)-1, 0))
	return nil
}

// reload reads the view again after a change; a failure shows on the pane over what was read before.
func (p *importerPane) reload() {
	if p.number == "" {
		return
	}
	if err := p.load(p.number); err != nil {
		p.err = err
	}
}

// index lays the view's entries and cases out as lines.
func (p *importerPane) index() {
	p.lines, p.cases = p.lines[:0], p.cases[:0]
	for g, e := range p.v.Entries {
		p.lines = append(p.lines, importerLine{g, -1})
		for r := range e.Cases {
			p.cases = append(p.cases, len(p.lines))
			p.lines = append(p.lines, importerLine{g, r})
		}
	}
}

func (p *importerPane) caseAt(li int) *cases.QueueRow {
	l := p.lines[li]
	return &p.v.Entries[l.group].Cases[l.row]
}

// current is the case under the cursor, or nil.
func (p *importerPane) current() *cases.QueueRow {
	if p.cursor < 0 || p.cursor >= len(p.cases) {
		return nil
	}
	return p.caseAt(p.cases[p.cursor])
}

// SetSize implements component: the view is laid out as it is drawn.
func (p *importerPane) SetSize(_, _ int) {}

// Typing implements component: the importer's view has no text field.
func (p *importerPane) Typing() bool { return false }

// Changed implements component: on screen the view is read again at once when the change may concern it; off
// screen, when it next comes on.
func (p *importerPane) Changed(ch cases.Change) {
	if p.ws.pane == paneImporter && p.concerns(ch) {
		p.reload()
	}
}

// concernsAtMost is the most cases a change may name for the view to look each one up rather than read itself
// again.
const concernsAtMost = 16

// concerns reports whether a change may have touched the view: it names no case, or many, or one the view lists,
// or one of this importer's (a case new to the view). A few point reads spare rereading a view of thousands of
// cases for every change made in the Center.
func (p *importerPane) concerns(ch cases.Change) bool {
	if p.number == "" {
		return false
	}
	if len(ch.Cases) == 0 || len(ch.Cases) > concernsAtMost {
		return true
	}
	for _, id := range ch.Cases {
		for _, e := range p.v.Entries {
			for i := range e.Cases {
				if e.Cases[i].ID == id {
					return true
				}
			}
		}
		c, err := p.desk.Case(p.user.Name, id)
		if err != nil {
			continue // a case this user may not see is not in their view
		}
		if num, err := cases.ParseImporterNumber(c.Importer.Number); err == nil && num == p.number {
			return true
		}
	}
	return false
}

// shown implements shower.
func (p *importerPane) shown() {
	if p.justRead {
		p.justRead = false
		return
	}
	p.reload()
}

// Update implements component.
func (p *importerPane) Update(msg tea.KeyMsg) tea.Cmd {
	k := p.keys
	switch {
	case p.is(msg, k.Down):
		p.move(1)
	case p.is(msg, k.Up):
		p.move(-1)
	case p.is(msg, k.PageDown):
		p.move(max(p.listHeight()-1, 1))
	case p.is(msg, k.PageUp):
		p.move(-max(p.listHeight()-1, 1))
	case p.is(msg, k.Top):
		p.move(-len(p.cases))
	case p.is(msg, k.Bottom):
		p.move(len(p.cases))
	case p.is(msg, k.Open):
		if r := p.current(); r != nil {
			p.ws.openCase(r.ID, paneImporter)
		}
	case p.is(msg, k.Back):
		p.goBack()
	default:
		cmd, _ := p.ws.global(msg)
		return cmd
	}
	return nil
}

// goBack returns where the view was opened from: to the case that was open in the case pane, as it was then,
// even after cases were opened from this view.
func (p *importerPane) goBack() {
	m := p.ws
	if p.back != paneDetail || p.backCase == "" {
		m.show(p.back)
		return
	}
	back := p.backCaseBack
	if back == paneImporter || back == paneDetail || back == paneDecision {
		back = paneQueue
	}
	if m.d.c != nil && m.d.c.ID == p.backCase {
		m.d.back = back
		m.show(paneDetail)
		return
	}
	if !m.openCase(p.backCase, back) {
		m.show(back)
	}
}

// move moves the cursor by n cases, within the list.
func (p *importerPane) move(n int) {
	if len(p.cases) == 0 {
		return
	}
	p.cursor = clamp(p.cursor+n, 0, len(p.cases)-1)
}

// mouse moves the cursor by the wheel; a click selects a case, and a click on the selected one opens it.
func (p *importerPane) mouse(msg tea.MouseMsg) tea.Cmd {
	switch {
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonWheelUp:
		p.move(-3)
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonWheelDown:
		p.move(3)
	case msg.Action == tea.MouseActionRelease && msg.Button == tea.MouseButtonLeft:
		y := msg.Y - p.bodyTop() // the title bar (and the offline banner) are above the body
		li := p.top + y - p.listY
		if y < p.listY || li >= len(p.lines) || li >= p.top+p.listHeight() || p.lines[li].row < 0 {
			return nil
		}
		for i, x := range p.cases {
			switch {
			case x != li:
			case i == p.cursor:
				p.ws.openCase(p.caseAt(li).ID, paneImporter)
			default:
				p.cursor = i
			}
		}
	}
	return nil
}

// Keys implements component.
func (p *importerPane) Keys() [][]*binding {
	k := p.keys
	return [][]*binding{
		{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom},
		{k.Open, k.Back, k.NextPane, k.PrevPane},
		append(k.views(), k.everywhere()...),
	}
}

// Hints implements component.
func (p *importerPane) Hints() (h hints) {
	k := p.keys
	if len(p.cases) > 0 {
		h.add("open the case", k.Open)
		h.add("move", k.Down, k.Up)
	}
	h.add("back", k.Back)
	if len(p.cases) > 0 {
		h.add("first/last", k.Top, k.Bottom)
		h.add("page", k.PageDown, k.PageUp)
	}
	h.helpQuit(k)
	return h
}

// chrome is the lines the view draws above its list: the importer, its programs and Centers, its totals, the
// note that the list is cut when it is, a failed read, and the column heads.
func (p *importerPane) chrome() int {
	n := 4
	if p.cut() {
		n++
	}
	if p.err != nil {
		n++
	}
	return n
}

// cut reports whether the view lists fewer cases than its totals count.
func (p *importerPane) cut() bool { return p.v.Listed < p.v.Open+p.v.Decided }

func (p *importerPane) listHeight() int { return max(p.bodyHeight()-p.chrome(), 1) }

// View implements component.
func (p *importerPane) View() string {
	if p.number == "" {
		return p.st.Muted.Render(fmt.Sprintf("  No importer is open. %s on a case shows its importer's cases.", p.keys.Importer.Help().Key))
	}
	w, st := p.width, p.st
	v := &p.v
	var b strings.Builder

	pos := ""
	if len(p.cases) > 0 {
		pos = fmt.Sprintf(" case %d of %d ", p.cursor+1, len(p.cases))
	}
	b.WriteString(fit(p.headline(w-width(pos)), w-width(pos)) + st.Muted.Render(pos) + "\n")
	b.WriteString(fit(p.programsLine(), w) + "\n")
	b.WriteString(fit(p.totalsLine(w), w) + "\n")
	if p.cut() {
		b.WriteString(st.Warn.Render(fit(fmt.Sprintf(" ▲ listing %d of the %d cases (the open ones first); the totals count them all", v.Listed, v.Open+v.Decided), w)) + "\n")
	}
	if p.err != nil {
		b.WriteString(st.Bad.Render(fit(" ✗ "+says(p.err)+" (shown as last read)", w)) + "\n")
	}
	cols := p.columns(w)
	b.WriteString(p.paints.head.on(fit("      "+cols.head(), w)))
	p.listY = strings.Count(b.String(), "\n")

	rows := p.listHeight()
	p.scrollTo(rows)
	today := p.today()
	for i := p.top; i < len(p.lines) && i < p.top+rows; i++ {
		b.WriteByte('\n')
		l := p.lines[i]
		if l.row < 0 {
			b.WriteString(p.entryLine(&v.Entries[l.group], w))
			continue
		}
		r := p.caseAt(i)
		cur := p.cases[p.cursor] == i
		mark := dueMark(today, r.Due)
		if !r.Status.Open() {
			mark = " "
		}
		lead := "    "
		if cur {
			lead = ">   "
		}
		s := fit(lead+mark+" "+cols.row(r, today), w)
		switch {
		case cur:
			s = p.paints.cursor.on(s)
		case mark == "!":
			s = p.paints.overdue.on(s)
		case mark == "•":
			s = p.paints.dueSoon.on(s)
		default:
			s = p.paints.text.on(s)
		}
		b.WriteString(s)
	}
	return b.String()
}

// scrollTo keeps the cursor's case on screen, with its entry's head when it is the entry's first case.
func (p *importerPane) scrollTo(rows int) {
	if len(p.cases) == 0 {
		p.top = 0
		return
	}
	li := p.cases[p.cursor]
	want := li
	if li > 0 && p.lines[li-1].row < 0 {
		want = li - 1
	}
	if want < p.top {
		p.top = want
	}
	if li >= p.top+rows {
		p.top = li - rows + 1
	}
	p.top = clamp(p.top, 0, max(len(p.lines)-rows, 0))
}

// headline is the importer's name (cleaned of what a terminal would act on) and number.
func (p *importerPane) headline(w int) string {
	name, num := one(p.v.Name), "  "+one(p.v.Number)
	if room := max(w-1-width(num), 12); width(name) > room {
		name = fit(name, room)
	}
	return " " + p.st.Title.Render(name) + num
}

// programsLine is the importer's trusted-partner programs, the Centers of its cases and its count of entries.
func (p *importerPane) programsLine() string {
	v := &p.v
	progs := "no trusted-partner program"
	if len(v.Programs) > 0 {
		ps := make([]string, len(v.Programs))
		for i, pr := range v.Programs {
			ps[i] = one(string(pr))
		}
		progs = "programs " + strings.Join(ps, ", ")
	}
	centers := make([]string, len(v.Centers))
	for i, c := range v.Centers {
		centers[i] = one(c)
	}
	where := "Center " + strings.Join(centers, ", ")
	if len(centers) > 1 {
		where = "Centers " + strings.Join(centers, ", ")
	}
	return " " + progs + " · " + where + " · " + plural(len(v.Entries), "entry", "entries")
}

// totalsLine is the importer's totals in the longest form that fits.
func (p *importerPane) totalsLine(w int) string {
	v := &p.v
	forms := []string{
		fmt.Sprintf("%d open · %d decided · at stake %s open, %s in all%s", v.Open, v.Decided, v.OpenRevenue, v.Revenue, p.byKind()),
		fmt.Sprintf("%d open · %d decided · at stake %s open, %s in all", v.Open, v.Decided, v.OpenRevenue, v.Revenue),
		fmt.Sprintf("%d open · %d decided · %s open of %s", v.Open, v.Decided, v.OpenRevenue, v.Revenue),
		fmt.Sprintf("%d open · %d decided · %s of %s", v.Open, v.Decided, roughly(v.OpenRevenue), roughly(v.Revenue)),
	}
	for _, f := range forms {
		if width(" "+f) <= w {
			return " " + f
		}
	}
	return " " + forms[len(forms)-1]
}

// byKind counts the open cases by kind (" · open: 2 PROT, 1 PSC"), when every open case is listed.
func (p *importerPane) byKind() string {
	v := &p.v
	if v.Open == 0 || v.Listed < v.Open {
		return ""
	}
	n := map[cases.Kind]int{}
	for _, e := range v.Entries {
		for _, r := range e.Cases {
			if r.Status.Open() {
				n[r.Kind]++
			}
		}
	}
	var parts []string
	for _, k := range cases.Kinds {
		if n[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[k], k.Short()))
		}
	}
	return " · open: " + strings.Join(parts, ", ")
}

// entryLine is an entry's head: its number, open and decided counts, its totals at stake and, when more than one
// of its cases is open, its earliest due date, in the longest form that fits.
func (p *importerPane) entryLine(e *cases.EntryGroup, w int) string {
	head := " Entry " + one(e.Entry)
	counts := fmt.Sprintf(" · %d open · %d decided", e.Open, e.Decided)
	var forms []string
	if e.Decided == 0 { // what is open is all there is
		forms = []string{
			fmt.Sprintf("%s · at stake %s", counts, e.Revenue),
			fmt.Sprintf("%s · %s", counts, roughly(e.Revenue)),
		}
	} else {
		forms = []string{
			fmt.Sprintf("%s · at stake %s open, %s in all", counts, e.OpenRevenue, e.Revenue),
			fmt.Sprintf("%s · %s open of %s", counts, e.OpenRevenue, e.Revenue),
			fmt.Sprintf("%s · %s of %s", counts, roughly(e.OpenRevenue), roughly(e.Revenue)),
		}
	}
	if e.Open > 1 {
		forms = append([]string{forms[0] + " · next due " + e.Due.String()}, forms...)
	}
	rest := forms[len(forms)-1]
	for _, f := range forms {
		if width(head)+width(f) <= w {
			rest = f
			break
		}
	}
	return fit(p.st.Section.Render(head)+p.st.Muted.Render(rest), w)
}

// columns lays the view's cases out for a width: the Center and full titles as the room allows.
func (p *importerPane) columns(w int) caseCols {
	idW := 14
	for _, e := range p.v.Entries {
		for _, r := range e.Cases {
			idW = max(idW, width(one(r.ID)))
		}
	}
	return layoutCases(w-6, min(idW, 24), colStake, colStatus, colCenter, colKind, colReceived)
}

// --- case lists: the importer's view and the related cases of the case pane ---------------------------------

// caseCol is an optional column of a list of cases.
type caseCol int

const (
	colStake    caseCol = iota // revenue at stake
	colStatus                  // the status's full title, instead of a short word
	colEntry                   // the entry number
	colCenter                  // the case's Center
	colKind                    // the kind's full title, instead of its short label
	colReceived                // the date the case was received
)

// caseCols is the layout of a list of cases: case id, kind, status, due date, days left and assignee always, and
// the optional columns that fit.
type caseCols struct {
	id int
	on [colReceived + 1]bool
}

// the cells each optional column adds, its space before it included
var caseColWidth = [...]int{colStake: 15, colStatus: 8, colEntry: 14, colCenter: 7, colKind: 19, colReceived: 11}

// layoutCases fits a list of cases in w cells, with ids idW cells wide, taking the optional columns in the order
// given while they fit.
func layoutCases(w, idW int, want ...caseCol) caseCols {
	c := caseCols{id: idW}
	room := w - (idW + 1 + 4 + 1 + 8 + 1 + 10 + 1 + 6 + 1 + 10)
	for _, col := range want {
		if caseColWidth[col] <= room {
			c.on[col] = true
			room -= caseColWidth[col]
		}
	}
	return c
}

// width is the cells a row of the layout takes.
func (c caseCols) width() int {
	n := c.id + 1 + 4 + 1 + 8 + 1 + 10 + 1 + 6 + 1 + 10
	for col, on := range c.on {
		if on {
			n += caseColWidth[col]
		}
	}
	return n
}

func (c caseCols) kindW() int {
	if c.on[colKind] {
		return 23
	}
	return 4
}

func (c caseCols) statusW() int {
	if c.on[colStatus] {
		return 16
	}
	return 8
}

func (c caseCols) head() string {
	var b strings.Builder
	b.WriteString(fit("CASE", c.id) + " " + fit("KIND", c.kindW()) + " " + fit("STATUS", c.statusW()) + " " +
		fit("DUE", 10) + " " + fitLeft("LEFT", 6) + " " + fit("ASSIGNEE", 10))
	if c.on[colCenter] {
		b.WriteString(" " + fit("CENTER", 6))
	}
	if c.on[colEntry] {
		b.WriteString(" " + fit("ENTRY", 13))
	}
	if c.on[colReceived] {
		b.WriteString(" " + fit("RECEIVED", 10))
	}
	if c.on[colStake] {
		b.WriteString(" " + fitLeft("AT STAKE", 14))
	}
	return b.String()
}

// row is one case in the layout, outside text cleaned. A decided case has met its clock: no days left.
func (c caseCols) row(r *cases.QueueRow, today cases.Date) string {
	kind := r.Kind.Short()
	if c.on[colKind] {
		kind = r.Kind.Title()
	}
	status := shortStatus(r.Status)
	if c.on[colStatus] {
		status = r.Status.Title()
	}
	left := daysLeft(today, r.Due)
	if !r.Status.Open() {
		left = ""
	}
	who := one(r.Assignee)
	if who == "" {
		who = "—"
	}
	var b strings.Builder
	b.WriteString(fit(one(r.ID), c.id) + " " + fit(kind, c.kindW()) + " " + fit(status, c.statusW()) + " " +
		fit(r.Due.String(), 10) + " " + fitLeft(left, 6) + " " + fit(who, 10))
	if c.on[colCenter] {
		b.WriteString(" " + fit(one(r.Center), 6))
	}
	if c.on[colEntry] {
		b.WriteString(" " + fit(one(r.Entry), 13))
	}
	if c.on[colReceived] {
		b.WriteString(" " + fit(r.Received.String(), 10))
	}
	if c.on[colStake] {
		b.WriteString(" " + fitLeft(r.Revenue.String(), 14))
	}
	return b.String()
}
