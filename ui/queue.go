package ui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// queuePane is the queue: a window of rows around the cursor, fetched from the desk page by page, so moving the
// cursor costs the same in a queue of ten cases as in one of a million.
type queuePane struct {
	*common

	sort      cases.SortKey
	filter    cases.Filter
	input     textinput.Model
	filtering bool
	filterErr string

	rows   []cases.QueueRow // the window: rows [winOff, winOff+len(rows)) of the queue
	winOff int
	idW    int // width of the CASE column: the longest id in the window, so no id is cut
	total  int
	cursor int               // index in the whole queue
	top    int               // index of the first visible row
	height int               // visible rows, from the last layout
	marks  map[string]uint64 // marked case -> the version the supervisor saw
	counts cases.Counts
	err    error
	// firstRun: the user's Center holds no case at all, so the pane explains how to load some.
	firstRun bool
}

// queue chrome: counts line, filter line, column heads.
const queueChrome = 3

func newQueue(c *common) *queuePane {
	q := &queuePane{common: c, sort: cases.SortDue, marks: map[string]uint64{}}
	q.input = c.newInput("/ ")
	q.input.Placeholder = "id, importer, entry number, or kind:protest status:review due:<7d importer:acme"
	// a query over cases.MaxFilter is kept and refused with the reason; this only bounds a runaway paste
	q.input.CharLimit = 4 * cases.MaxFilter
	q.height = max(c.bodyHeight()-queueChrome, 1)
	return q
}

// SetSize implements component.
func (q *queuePane) SetSize(_, h int) {
	q.height = max(h-queueChrome, 1)
	q.ensureWindow()
}

// Changed implements component: the queue is refetched whatever the change.
func (q *queuePane) Changed(cases.Change) { q.refresh() }

// Typing implements component: the filter, while it is edited, has the keys.
func (q *queuePane) Typing() bool { return q.filtering }

func (q *queuePane) restyle() { q.styleInput(&q.input) }

func (q *queuePane) focusedInput() *textinput.Model {
	if q.filtering {
		return &q.input
	}
	return nil
}

// Update implements component.
func (q *queuePane) Update(msg tea.KeyMsg) tea.Cmd {
	if q.filtering {
		return q.filterKey(msg)
	}
	return q.key(msg)
}

// Keys implements component.
func (q *queuePane) Keys() [][]*binding {
	k := q.keys
	return [][]*binding{
		{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom},
		{k.Open, k.Decide, k.Filter, k.Sort, k.Mark, k.Back},
		{k.Reassign, k.Workload, k.Approvals, k.NextPane, k.PrevPane},
		k.everywhere(),
	}
}

// Hints implements component.
func (q *queuePane) Hints() (h hints) {
	k := q.keys
	switch {
	case q.filtering:
		h.main = []hint{{"enter", "done"}, {"esc", "clear the filter"}}
		return h
	case q.firstRun:
		h.helpQuit(k)
		return h
	}
	h.add("open", k.Open)
	h.add("decide", k.Decide)
	h.add("filter", k.Filter)
	h.add("sort", k.Sort)
	h.add("mark", k.Mark)
	h.add("reassign", k.Reassign)
	h.add("workload", k.Workload)
	h.add("approvals", k.Approvals)
	h.add("move", k.Down, k.Up)
	h.add("first/last", k.Top, k.Bottom)
	h.add("command", k.Command)
	h.helpQuit(k)
	return h
}

func (q *queuePane) helpNotes() []string {
	return []string{"", q.st.Section.Render(" Filter terms"),
		"   words match the case id, the importer and the entry number",
		"   kind:protest,psc  status:review  status:open  due:<7d  due:overdue  due:week",
		"   importer:acme  assignee:bob  center:ELEC  amount:>10000",
		`   a value with spaces is quoted: importer:"acme corp"`,
		"", q.st.Section.Render(" Commands"),
		"   :open CASE   :filter QUERY   :sort due|received|amount|importer",
		"   :theme NAME   :queue   :workload   :approvals   :help   :q"}
}

// query is the user's queue: a reviewer's assigned cases, or a supervisor's whole Center. Decided cases are left
// out unless the filter asks for statuses.
func (q *queuePane) query() cases.QueueQuery {
	qq := cases.QueueQuery{Sort: q.sort, Filter: q.filter, OpenOnly: len(q.filter.Statuses) == 0, Today: q.today()}
	if q.user.Role == cases.RoleSupervisor || q.user.Role == cases.RoleAdmin {
		qq.Center = q.user.Center
	} else {
		qq.Assignee = q.user.Name
	}
	return qq
}

// refresh refetches the window and the counts, keeping the cursor where it was as far as the queue allows.
func (q *queuePane) refresh() {
	q.rows, q.winOff = nil, 0
	q.fetch()
	qq := q.query()
	qq.Filter = cases.Filter{}
	qq.OpenOnly = true
	c, err := q.desk.Counts(q.user.Name, qq)
	if err != nil {
		q.err = err
	}
	q.counts = c
	q.firstRun = false
	if q.total == 0 && q.filter.Empty() && q.err == nil {
		q.firstRun = q.centerEmpty()
	}
}

// centerEmpty reports whether the user's Center holds no case at all (a first run on an empty store).
func (q *queuePane) centerEmpty() bool {
	if q.user.Center == "" {
		return true
	}
	p, err := q.desk.Queue(q.user.Name, cases.QueueQuery{Center: q.user.Center, Limit: 1, Today: q.today()})
	return err == nil && p.Total == 0
}

// fetch loads a window of three screens around the visible rows. When the queue shrank under the cursor, the
// cursor moves to the last row and the window follows it.
func (q *queuePane) fetch() {
	h := max(q.height, 1)
	for range 2 {
		qq := q.query()
		qq.Offset = max(q.top-h, 0)
		qq.Limit = 3 * h
		p, err := q.desk.Queue(q.user.Name, qq)
		if err != nil {
			q.err = err
			q.rows, q.total, q.winOff = nil, 0, 0
			return
		}
		q.err = nil
		q.rows, q.winOff, q.total = p.Rows, p.Offset, p.Total
		q.idW = idWidth(q.rows)
		if q.total == 0 || q.cursor < q.total && q.top < q.total {
			break
		}
		q.cursor = q.total - 1
		q.scrollToCursor()
	}
	if q.total == 0 {
		q.cursor, q.top = 0, 0
	}
}

// idWidth is the width of the CASE column for rows: 14 cells (a protest number), more for a longer id, up to the
// longest id a case may have.
func idWidth(rows []cases.QueueRow) int {
	w := 14
	for i := range rows {
		w = max(w, width(one(rows[i].ID)))
	}
	return min(w, 32)
}

// scroll keeps the cursor on screen.
func (q *queuePane) scrollToCursor() {
	h := max(q.height, 1)
	if q.cursor < q.top {
		q.top = q.cursor
	}
	if q.cursor >= q.top+h {
		q.top = q.cursor - h + 1
	}
	if q.top > max(q.total-h, 0) {
		q.top = max(q.total-h, 0)
	}
	if q.top < 0 {
		q.top = 0
	}
}

// ensureWindow refetches only when the visible rows are not all in the window.
func (q *queuePane) ensureWindow() {
	q.scrollToCursor()
	end := min(q.top+q.height, q.total)
	if q.top < q.winOff || end > q.winOff+len(q.rows) {
		q.fetch()
	}
}

func (q *queuePane) move(delta int) {
	if q.total == 0 {
		return
	}
	q.cursor = clamp(q.cursor+delta, 0, q.total-1)
	q.ensureWindow()
}

// row returns the row at index i of the queue when it is in the window.
func (q *queuePane) row(i int) *cases.QueueRow {
	if i < q.winOff || i >= q.winOff+len(q.rows) {
		return nil
	}
	return &q.rows[i-q.winOff]
}

func (q *queuePane) current() *cases.QueueRow { return q.row(q.cursor) }

func (q *queuePane) key(msg tea.KeyMsg) tea.Cmd {
	k := q.keys
	switch {
	case q.is(msg, k.Down):
		q.move(1)
	case q.is(msg, k.Up):
		q.move(-1)
	case q.is(msg, k.PageDown):
		q.move(q.height)
	case q.is(msg, k.PageUp):
		q.move(-q.height)
	case q.is(msg, k.Top):
		q.move(-q.cursor)
	case q.is(msg, k.Bottom):
		q.move(q.total)
	case q.is(msg, k.Open):
		if r := q.current(); r != nil {
			q.ws.openCase(r.ID, paneQueue)
		}
	case q.is(msg, k.Decide):
		if r := q.current(); r != nil {
			if q.ws.openCase(r.ID, paneQueue) {
				q.ws.dec.start()
			}
		}
	case q.is(msg, k.Filter):
		return q.editFilter()
	case q.is(msg, k.Sort):
		q.setSort(q.sort.Next())
	case q.is(msg, k.Mark):
		if r := q.current(); r != nil {
			if _, marked := q.marks[r.ID]; marked {
				delete(q.marks, r.ID)
			} else {
				q.marks[r.ID] = r.Version
			}
			q.move(1)
		}
	case q.is(msg, k.Reassign):
		q.ws.sup.startReassign(q.selection())
	case q.is(msg, k.Back):
		if len(q.marks) > 0 {
			q.marks = map[string]uint64{}
			q.say("marks cleared")
		} else if !q.filter.Empty() {
			q.setFilter("")
		}
	default:
		cmd, _ := q.ws.global(msg)
		return cmd
	}
	return nil
}

// selection is the marked cases, or the case under the cursor when none is marked, each with the version the
// supervisor saw.
func (q *queuePane) selection() []caseRef {
	if len(q.marks) > 0 {
		refs := make([]caseRef, 0, len(q.marks))
		for id, v := range q.marks {
			refs = append(refs, caseRef{id: id, version: v})
		}
		sort.Slice(refs, func(i, j int) bool { return refs[i].id < refs[j].id })
		return refs
	}
	if r := q.current(); r != nil {
		return []caseRef{{id: r.ID, version: r.Version}}
	}
	return nil
}

// caseRef is a case and the version its user saw, for a write that must not overwrite a change made since.
type caseRef struct {
	id      string
	version uint64
}

func refIDs(refs []caseRef) []string {
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.id
	}
	return ids
}

func refVersions(refs []caseRef) []uint64 {
	vs := make([]uint64, len(refs))
	for i, r := range refs {
		vs[i] = r.version
	}
	return vs
}

func (q *queuePane) setSort(s cases.SortKey) {
	q.sort = s
	q.cursor, q.top = 0, 0
	q.refresh()
	q.say("sorted by %s", s)
}

// setFilter parses and applies a query. A bad query keeps the previous filter and says what is wrong.
func (q *queuePane) setFilter(text string) error {
	f, err := cases.ParseFilter(text)
	if err != nil {
		q.filterErr = err.Error()
		return err
	}
	q.filterErr = ""
	q.filter = f
	q.cursor, q.top = 0, 0
	q.refresh()
	return nil
}

// editFilter opens the filter input on the query in force, or on the refused query the user was writing.
func (q *queuePane) editFilter() tea.Cmd {
	q.filtering = true
	if q.filterErr == "" {
		q.input.SetValue(q.filter.Query)
	}
	q.input.CursorEnd()
	q.ws.show(paneQueue)
	return q.input.Focus()
}

// filterKey edits the filter; the queue follows every keystroke that makes a valid query. A query that does not
// parse stays in the input with its error under it: enter does not leave it, esc clears the filter.
func (q *queuePane) filterKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		if q.filterErr != "" {
			q.refuse("fix the filter or press esc to clear it")
			return nil
		}
		q.filtering = false
		q.input.Blur()
		return nil
	case "esc":
		q.filtering = false
		q.input.Blur()
		q.input.SetValue("")
		_ = q.setFilter("")
		return nil
	}
	var cmd tea.Cmd
	before := q.input.Value()
	q.input, cmd = q.input.Update(msg)
	if v := q.input.Value(); v != before {
		_ = q.setFilter(v)
	}
	return cmd
}

// mouse scrolls the queue by the wheel; a click selects a row, and a click on the selected row opens it.
func (q *queuePane) mouse(msg tea.MouseMsg) tea.Cmd {
	switch {
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonWheelUp:
		q.move(-3)
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonWheelDown:
		q.move(3)
	case msg.Action == tea.MouseActionRelease && msg.Button == tea.MouseButtonLeft:
		return q.click(msg.Y)
	}
	return nil
}

func (q *queuePane) click(y int) tea.Cmd {
	first := 1 + queueChrome // title bar, then chrome
	i := q.top + y - first
	if y < first || i >= q.total || i >= q.top+q.height {
		return nil
	}
	if i == q.cursor {
		if r := q.current(); r != nil {
			q.ws.openCase(r.ID, paneQueue)
		}
		return nil
	}
	q.cursor = i
	q.ensureWindow()
	return nil
}

// columns is the queue's layout for a width.
type columns struct {
	id       int
	importer int
	assignee bool // a Center's queue shows who holds each case
	entry    bool
	wide     bool // full status titles
}

// queueColumns lays the queue out: cursor, mark and due mark, due date, days left, kind, case id, status and
// revenue always; the assignee in a Center's queue from 100 cells, the entry number and full status titles from
// 110; the importer takes the rest.
func queueColumns(width, idW int, center bool) columns {
	c := columns{id: idW}
	fixed := 5 + 10 + 1 + 6 + 1 + 4 + 1 + idW + 1 + 1 + 8 + 14
	if width >= 110 {
		c.entry, c.wide = true, true
		fixed += 14 + 8
	}
	if center && width >= 100 {
		c.assignee = true
		fixed += 11
	}
	c.importer = clamp(width-fixed, 8, 44) // wider only spreads the columns apart
	return c
}

// View implements component.
func (q *queuePane) View() string {
	var b strings.Builder
	b.WriteString(q.countsLine())
	b.WriteByte('\n')
	b.WriteString(q.filterLine())
	b.WriteByte('\n')
	if q.firstRun {
		b.WriteString(q.firstRunView())
		return b.String()
	}
	cols := queueColumns(q.width, max(q.idW, 14), q.query().Center != "")
	rows := q.height
	if q.filterErr != "" {
		// the error takes the place of the column heads, under the query it is about, on two lines at most (the
		// rows give way); the rows keep the last query that parsed
		lines := strings.Split(wrap(" ✗ "+one(q.filterErr), q.width-1), "\n")
		if len(lines) > 2 {
			lines = lines[:2]
			lines[1] = fit(lines[1]+" …", q.width)
		}
		rows -= len(lines) - 1
		for i, l := range lines {
			if i > 0 {
				b.WriteByte('\n')
				l = "   " + strings.TrimLeft(l, " ")
			}
			b.WriteString(q.st.Bad.Render(fit(l, q.width)))
		}
	} else {
		b.WriteString(q.paints.head.on(fit(q.head(cols), q.width)))
	}
	if q.err != nil {
		b.WriteString("\n" + q.st.Bad.Render(fit("✗ "+one(q.err.Error()), q.width)))
		return b.String()
	}
	if q.total == 0 {
		if q.filter.Empty() {
			b.WriteString("\n" + q.st.Muted.Render("  No open cases in your queue. New work appears here as soon as it is assigned."))
		} else {
			b.WriteString("\n" + q.st.Muted.Render("  No case matches the filter. esc clears it."))
		}
		return b.String()
	}
	today := q.today()
	end := min(q.top+rows, q.total)
	for i := q.top; i < end; i++ {
		b.WriteByte('\n')
		r := q.row(i)
		if r == nil {
			b.WriteString(q.st.Muted.Render("  …"))
			continue
		}
		b.WriteString(q.line(q.ws, r, i == q.cursor, cols, today))
	}
	return b.String()
}

func (q *queuePane) head(c columns) string {
	var b strings.Builder
	b.WriteString("     " + fit("DUE", 10) + " " + fitLeft("LEFT", 6) + " " + fit("KIND", 4) + " " + fit("CASE", c.id) + " ")
	b.WriteString(fit("IMPORTER", c.importer))
	if c.assignee {
		b.WriteString(" " + fit("ASSIGNEE", 10))
	}
	if c.entry {
		b.WriteString(" " + fit("ENTRY", 13))
	}
	if c.wide {
		b.WriteString(" " + fit("STATUS", 16))
	} else {
		b.WriteString(" " + fit("STATUS", 8))
	}
	b.WriteString(fitLeft("AT STAKE", 14))
	return b.String()
}

// line is one row of the queue as the workstation m draws it. A decided case has met its clock: it carries no due
// mark and no days left.
func (q *queuePane) line(m *Model, r *cases.QueueRow, cur bool, c columns, today cases.Date) string {
	var b strings.Builder
	b.Grow(m.width + 8)
	switch {
	case cur:
		b.WriteByte('>')
	default:
		b.WriteByte(' ')
	}
	if _, marked := q.marks[r.ID]; marked {
		b.WriteString("* ")
	} else {
		b.WriteString("  ")
	}
	mark, left := dueMark(today, r.Due), daysLeft(today, r.Due)
	if !r.Status.Open() {
		mark, left = " ", ""
	}
	b.WriteString(mark)
	b.WriteByte(' ')
	b.WriteString(fit(r.Due.String(), 10))
	b.WriteByte(' ')
	b.WriteString(fitLeft(left, 6))
	b.WriteByte(' ')
	b.WriteString(fit(r.Kind.Short(), 4))
	b.WriteByte(' ')
	b.WriteString(fit(one(r.ID), c.id))
	b.WriteByte(' ')
	b.WriteString(fit(one(r.Importer), c.importer))
	if c.assignee {
		b.WriteByte(' ')
		who := one(r.Assignee)
		if who == "" {
			who = "—"
		}
		b.WriteString(fit(who, 10))
	}
	if c.entry {
		b.WriteByte(' ')
		b.WriteString(fit(one(r.Entry), 13))
	}
	b.WriteByte(' ')
	if c.wide {
		b.WriteString(fit(r.Status.Title(), 16))
	} else {
		b.WriteString(fit(shortStatus(r.Status), 8))
	}
	b.WriteString(fitLeft(r.Revenue.String(), 14))
	s := fit(b.String(), m.width)
	switch {
	case cur:
		return m.paints.cursor.on(s)
	case marked(q.marks, r.ID):
		return m.paints.marked.on(s)
	case mark == "!":
		return m.paints.overdue.on(s)
	case mark == "•":
		return m.paints.dueSoon.on(s)
	}
	return m.paints.text.on(s)
}

// countsLine is the queue's headline numbers, in words that fit the width: the longest form that fits.
func (q *queuePane) countsLine() string {
	c := q.counts
	scope := "your queue"
	if q.query().Center != "" {
		scope = "Center " + one(q.user.Center)
	}
	forms := [][5]string{
		{"open %d", "! overdue %d", "• due this week %d", "awaiting approval %d", "at stake %s"},
		{"%d open", "! %d overdue", "• %d due this week", "%d pending", "%s at stake"},
		{"%d open", "! %d overdue", "• %d this week", "%d pending", "%s"},
		{"%d open", "! %d overdue", "• %d this week", "%d pending", "≈%s"},
	}
	var line string
	for _, f := range forms {
		plain := []string{scope, fmt.Sprintf(f[0], c.Open), fmt.Sprintf(f[1], c.Overdue), fmt.Sprintf(f[2], c.DueWeek)}
		styled := []string{q.st.Title.Render(scope), plain[1], q.st.Overdue.Render(plain[2]), q.st.DueSoon.Render(plain[3])}
		if c.Pending > 0 {
			p := fmt.Sprintf(f[3], c.Pending)
			plain, styled = append(plain, p), append(styled, p)
		}
		stake := fmt.Sprintf(f[4], c.Revenue)
		if strings.HasPrefix(f[4], "≈") {
			stake = "≈" + roughly(c.Revenue)
		}
		plain, styled = append(plain, stake), append(styled, stake)
		line = " " + strings.Join(styled, " · ")
		if width(" "+strings.Join(plain, " · ")) <= q.width {
			break
		}
	}
	return fit(line, q.width)
}

// roughly is an amount to three significant figures, cut not rounded, in whole-number arithmetic: $39.7M,
// $875K, $950.
func roughly(c cases.Cents) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	dollars := int64(c) / 100
	for _, u := range []struct {
		div    int64
		suffix string
	}{{1_000_000_000, "B"}, {1_000_000, "M"}, {1_000, "K"}} {
		if dollars < u.div {
			continue
		}
		v := dollars / (u.div / 100) // hundredths of the unit
		var n string
		switch {
		case v >= 10_000:
			n = fmt.Sprint(v / 100)
		case v >= 1_000:
			n = fmt.Sprintf("%d.%d", v/100, v/10%10)
		default:
			n = fmt.Sprintf("%d.%02d", v/100, v%100)
		}
		return sign + "$" + n + u.suffix
	}
	return fmt.Sprintf("%s$%d", sign, dollars)
}

func (q *queuePane) filterLine() string {
	pos := ""
	if q.total > 0 {
		pos = fmt.Sprintf("%d of %d", q.cursor+1, q.total)
	} else {
		pos = "0 of 0"
	}
	if len(q.marks) > 0 {
		pos += fmt.Sprintf(" · %d marked", len(q.marks))
	}
	right := fmt.Sprintf(" sort: %s · %s ", q.sort, pos)
	w := q.width - width(right)
	var left string
	switch {
	case q.filtering:
		q.input.Width = max(w-4, 8) // " / " and the cursor
		left = " " + q.input.View()
	case q.filter.Query != "":
		left = " filter: " + one(q.filter.Query)
	default:
		left = q.st.Muted.Render(" / to filter")
	}
	return fit(left, w) + q.st.Muted.Render(right)
}

func (q *queuePane) firstRunView() string {
	lines := []string{
		"",
		q.st.Title.Render("  Welcome to ceedesk."),
		"",
		"  There are no cases in this store yet" + q.centerSuffix() + ".",
		"  To start, load some work from a shell:",
		"",
		"    " + q.st.Key.Render("ceedesk import FILE") + "         cases from a .jsonl or .csv file",
		"    " + q.st.Key.Render("ceedesk seed --cases 2000") + "   a synthetic caseload and demo users",
		"    " + q.st.Key.Render("ceedesk demo") + "                a ready-made demo store, opened here",
		"",
		"  Then run ceedesk again: cases assigned to you appear here,",
		"  ordered by their legal clock. ? shows the keys, q quits.",
	}
	return strings.Join(lines, "\n")
}

func (c *common) centerSuffix() string {
	if c.user.Center == "" {
		return ""
	}
	return " for the " + one(c.user.Center) + " Center"
}

func marked(marks map[string]uint64, id string) bool {
	_, ok := marks[id]
	return ok
}
