package ui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"ceedesk/cases"
)

// queuePane is the queue: a window of rows around the cursor, fetched from the desk page by page, so moving the
// cursor costs the same in a queue of ten cases as in one of a million. Its saved views are tabs over it
// (views.go); at 160 columns and wider the case under the cursor shows beside it (preview.go).
type queuePane struct {
	*common

	views []queueView // the tabs
	view  int         // the tab on screen; the fields below hold its state, views[view] the rest
	tabs  struct {
		key  tabKey
		line string
	}

	sort      cases.SortKey
	reverse   bool
	filter    cases.Filter // the filter typed over the view on screen
	input     textinput.Model
	filtering bool
	filterErr string

	rows   []cases.QueueRow // the window: rows [winOff, winOff+len(rows)) of the queue
	winOff int
	idW    int               // width of the CASE column: the longest id in the window, so no id is cut
	total  int               // the rows of the queue; while counting, those known so far
	cursor int               // index in the whole queue
	top    int               // index of the first visible row
	height int               // visible rows, from the last layout
	marks  map[string]uint64 // marked case -> the version the supervisor saw
	counts cases.Counts
	// countsDrawn is the counts line last drawn, for the numbers and width it was drawn for
	countsDrawn struct {
		c    cases.Counts
		w    int
		line string
	}
	err error
	// firstRun: the user's Center holds no case at all, so the pane explains how to load some.
	firstRun bool

	// gen numbers what the queue holds: every change of filter or view makes a new one, so that a count that
	// arrives for an older one is ignored. A change committed keeps the gen: the total on screen stays until the
	// recount (below) replaces it.
	gen uint64
	// counting: a filtered window was fetched without its total (the first screen comes at once), and the count
	// for gen is on its way; askCount says the next command the pane returns is to ask for it.
	counting, askCount bool
	counted            uint64 // the gen whose total is counted
	// a change committed under a filtered queue whose total was counted: stale says the total is to be counted
	// again, busy that a recount runs off the keys' path, again that another change came while it ran
	recount struct{ stale, busy, again bool }

	marker  *highlighter // underlines what the filter's words match, or nil
	hlPaint paint        // underline, for the matches
	preview preview
}

// queue chrome: tab line, counts line, filter line, column heads.
const queueChrome = 4

func newQueue(c *common) *queuePane {
	q := &queuePane{common: c, sort: cases.SortDue, marks: map[string]uint64{}}
	q.input = c.newInput("/ ")
	q.input.Placeholder = "id, importer, entry number, or kind:protest status:review due:<7d importer:acme"
	// a query over cases.MaxFilter is kept and refused with the reason; this only bounds a runaway paste
	q.input.CharLimit = 4 * cases.MaxFilter
	q.height = max(c.bodyHeight()-queueChrome, 1)
	q.hlPaint = paintOf(c.r.NewStyle().Underline(true))
	q.views, _ = newViews(c.user, nil)
	q.loadView(0)
	return q
}

// SetSize implements component.
func (q *queuePane) SetSize(_, h int) {
	q.height = max(h-queueChrome, 1)
	q.tabs.line = ""
	q.preview.forget()
	q.ensureWindow()
}

// Changed implements component: the queue is refetched whatever the change. The window comes at once; a
// filtered total is counted again off the keys' path (afterChange), the one on screen standing until then, so that
// a busy Center's changes never hold up a session's keys for a count.
func (q *queuePane) Changed(cases.Change) {
	if q.counting {
		q.queryChanged() // the count on its way may not hold the change: it is dropped and asked for again
	}
	q.preview.forget()
	q.marker = newHighlighter(q.effective())
	q.reload()
}

// afterChange is the command that counts a filtered total again after a committed change, or nil: one recount at
// a time, and one more when changes came while it ran. A total not counted yet is counted as after a keystroke.
func (q *queuePane) afterChange() tea.Cmd {
	if cmd := q.countLater(); cmd != nil {
		return cmd
	}
	if !q.recount.stale {
		return nil
	}
	if q.recount.busy {
		q.recount.again = true
		return nil
	}
	q.recount.stale, q.recount.busy = false, true
	desk, actor, qq, gen := q.desk, q.user.Name, q.query(), q.gen
	return func() tea.Msg { return recountDone{countQuery(desk, actor, qq, gen)} }
}

// recountDone is a filtered total counted again after a change.
type recountDone struct{ countDone }

func (m recountDone) apply(ws *Model) tea.Cmd {
	q := ws.q
	q.recount.busy = false
	if m.gen == q.gen && q.counted == q.gen {
		q.applyCount(m.countDone)
	}
	if q.recount.again {
		q.recount.again, q.recount.stale = false, true
		return q.afterChange()
	}
	return nil
}

// Typing implements component: the filter, while it is edited, has the keys.
func (q *queuePane) Typing() bool { return q.filtering }

func (q *queuePane) restyle() {
	q.styleInput(&q.input)
	q.hlPaint = paintOf(q.r.NewStyle().Underline(true))
	q.tabs.line, q.countsDrawn.line = "", ""
	q.preview.forget()
}

func (q *queuePane) focusedInput() *textinput.Model {
	if q.filtering {
		return &q.input
	}
	return nil
}

// Update implements component. A key that left the total of the queue to be counted returns the command that
// counts it, beside its own.
func (q *queuePane) Update(msg tea.KeyMsg) tea.Cmd {
	var cmd tea.Cmd
	if q.filtering {
		cmd = q.filterKey(msg)
	} else {
		cmd = q.key(msg)
	}
	return tea.Batch(cmd, q.countLater(), q.previewLater())
}

// Keys implements component.
func (q *queuePane) Keys() [][]*binding {
	k := q.keys
	return [][]*binding{
		{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom},
		{k.Open, k.Decide, k.Filter, k.Sort, k.SortReverse, k.Views, k.Mark, k.Importer, k.Back},
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
	h.add("views", k.Views)
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
		"   importer:acme  assignee:bob  assignee:none  center:ELEC  amount:>10000",
		`   a OR b  -term  NOT term  (a OR b) c  due:..2026-12-31  importer:"acme corp"`,
		"", q.st.Section.Render(" Marks"),
		"   ! overdue   • due within 7 days   * marked   " + leaseMark + " checked out to a desk",
		"", q.st.Section.Render(" Commands"),
		"   :open CASE   :filter QUERY   :sort due|kind|case|importer|assignee|entry|status|amount|received",
		"   :theme NAME   :queue   :workload   :approvals   :help   :q"}
}

// query is the view on screen over the user's queue: a reviewer's assigned cases, or a supervisor's whole
// Center. Decided cases are left out unless the filter speaks of statuses.
func (q *queuePane) query() cases.QueueQuery {
	f := q.effective()
	qq := cases.QueueQuery{Sort: q.sort, Reverse: q.reverse, Filter: f, OpenOnly: !f.NamesStatus(), Today: q.today()}
	if q.user.Role == cases.RoleSupervisor || q.user.Role == cases.RoleAdmin {
		qq.Center = q.user.Center
	} else {
		qq.Assignee = q.user.Name
	}
	return qq
}

// queryChanged starts a new generation of what the queue holds: its total is counted again, and the matches
// the filter underlines are found again.
func (q *queuePane) queryChanged() {
	q.gen++
	q.counting, q.askCount = false, false
	q.marker = newHighlighter(q.effective())
}

// refresh refetches the window and the counts, keeping the cursor where it was as far as the queue allows. A
// total left to count is counted before it returns: refresh serves the shell and the other panes, which return no
// command for the pane; the queue's own keys count later (countLater).
func (q *queuePane) refresh() {
	q.reload()
	q.countNow()
}

// countNow counts a total the window left to count, before it returns.
func (q *queuePane) countNow() {
	if q.askCount {
		q.askCount = false
		q.applyCount(q.count(q.gen, q.query()))
	}
}

// reload is refresh without counting: a total the window did not give is left for countLater.
func (q *queuePane) reload() {
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
	if q.total == 0 && !q.counting && q.effective().Empty() && q.err == nil {
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

// fetch loads a window of three screens around the visible rows, or the first screen alone when the queue is at
// its top (a new filter, a new sort: the first screen is what is needed at once). When the queue shrank under the
// cursor, the cursor moves to the last row and the window follows it.
func (q *queuePane) fetch() {
	h := max(q.height, 1)
	for range 2 {
		if q.top == 0 && q.cursor < h {
			q.fetchWindow(0, h)
		} else {
			q.fetchWindow(max(q.top-h, 0), 3*h)
		}
		if q.err != nil || q.total == 0 || q.cursor < q.total && q.top < q.total {
			break
		}
		q.cursor = q.total - 1
		q.scrollToCursor()
	}
	if q.total == 0 {
		q.cursor, q.top = 0, 0
	}
}

// fetchWindow loads limit rows of the queue from offset. A filtered window is asked for without its total
// (NoTotal: the desk stops when the window is full); when the total is not known yet, total is the rows known so
// far and the pane is counting.
func (q *queuePane) fetchWindow(offset, limit int) {
	qq := q.query()
	qq.Offset, qq.Limit, qq.NoTotal = offset, limit, true
	p, err := q.desk.Queue(q.user.Name, qq)
	if err != nil {
		q.err = err
		q.rows, q.total, q.winOff = nil, 0, 0
		q.counting, q.askCount = false, false
		return
	}
	q.err = nil
	q.rows, q.winOff = p.Rows, p.Offset
	q.idW = idWidth(q.rows)
	q.marker.forget()
	switch known := p.Offset + len(p.Rows); {
	case p.Total >= 0:
		q.total, q.counted = p.Total, q.gen
		q.counting, q.askCount = false, false
	case q.counted == q.gen:
		// counted already: only the window moved, or a change was committed (afterChange counts again)
		q.total = max(q.total, known)
		q.recount.stale = true
	case q.counting:
		q.total = max(q.total, known)
	default:
		q.total = known
		q.counting, q.askCount = true, true
	}
}

// countDelay is how long a count waits for the typing to stop: a count asked for a query the user has typed on
// from is not made at all.
const countDelay = 100 * time.Millisecond

// countLater returns the command that counts the queue's total when a fetch left it to count, or nil: after
// countDelay, if the queue still shows the same generation, the count runs off the keys' path and its result
// (countDone) comes back through the shell.
func (q *queuePane) countLater() tea.Cmd {
	if !q.askCount {
		return nil
	}
	q.askCount = false
	gen := q.gen
	return tea.Tick(countDelay, func(time.Time) tea.Msg { return countDue{gen} })
}

// paneResult is what a pane's command comes back with: the shell hands it to apply, on the session's own
// goroutine, which may change the panes and return a further command.
type paneResult interface{ apply(ws *Model) tea.Cmd }

// countDue says the typing paused on generation gen: it is counted now, unless it is no longer the one shown.
type countDue struct{ gen uint64 }

func (m countDue) apply(ws *Model) tea.Cmd {
	q := ws.q
	if m.gen != q.gen || !q.counting {
		return nil
	}
	desk, actor, qq, gen := q.desk, q.user.Name, q.query(), q.gen
	return func() tea.Msg { return countQuery(desk, actor, qq, gen) }
}

// countDone is a count of generation gen of the queue.
type countDone struct {
	gen   uint64
	total int
	err   error
}

func (m countDone) apply(ws *Model) tea.Cmd {
	if m.gen == ws.q.gen {
		ws.q.applyCount(m)
	}
	return nil
}

// count counts the matches of the query now.
func (q *queuePane) count(gen uint64, qq cases.QueueQuery) countDone {
	return countQuery(q.desk, q.user.Name, qq, gen)
}

// countQuery counts a query's matches. It reads only what it is given, so it may run beside the session.
func countQuery(desk Desk, actor string, qq cases.QueueQuery, gen uint64) countDone {
	qq.Offset, qq.Limit, qq.NoTotal = 0, 1, false
	p, err := desk.Queue(actor, qq)
	return countDone{gen: gen, total: p.Total, err: err}
}

// applyCount puts the count of the queue on screen, the cursor moving up if the queue is shorter than it stood.
func (q *queuePane) applyCount(c countDone) {
	q.counting = false
	if c.err != nil {
		q.err = c.err
		return
	}
	q.total, q.counted = c.total, c.gen
	if q.total == 0 {
		q.cursor, q.top = 0, 0
		return
	}
	if q.cursor >= q.total {
		q.cursor = q.total - 1
	}
	q.ensureWindow()
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

// move moves the cursor by delta rows. While the total is being counted, a move past the rows known so far
// fetches the window around where it goes: the cursor goes on past the first screen before the count is in.
func (q *queuePane) move(delta int) {
	if q.total == 0 {
		return
	}
	if to := q.cursor + delta; q.counting && to >= q.total {
		h := max(q.height, 1)
		q.fetchWindow(max(to-2*h+1, 0), 3*h)
	}
	q.cursor = clamp(q.cursor+delta, 0, max(q.total-1, 0))
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
	case q.is(msg, k.Importer):
		if r := q.current(); r != nil {
			q.ws.openImporterOf(r, paneQueue)
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
		q.setSort(q.nextSort())
	case q.is(msg, k.SortReverse):
		q.setReverse(!q.reverse)
	case q.is(msg, k.Views):
		return q.switchView(viewKey(msg))
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
			q.typeFilter("")
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

// setSort orders the view by s, from its first row; the total stays as it was counted (one not counted yet is
// counted now: the shell's :sort returns no command for the pane).
func (q *queuePane) setSort(s cases.SortKey) {
	q.sort = s
	q.cursor, q.top = 0, 0
	q.reload()
	q.countNow()
	q.say("sorted by %s", sortWords(s, q.reverse))
}

// setReverse turns the order of the view around, or back.
func (q *queuePane) setReverse(on bool) {
	q.reverse = on
	q.cursor, q.top = 0, 0
	q.reload()
	q.say("sorted by %s", sortWords(q.sort, q.reverse))
}

// setFilter parses and applies a query, counting the total before it returns (for the shell's :filter and the
// other panes). A bad query keeps the previous filter and says what is wrong.
func (q *queuePane) setFilter(text string) error {
	err := q.applyFilter(text)
	if err == nil {
		q.countNow()
	}
	return err
}

// typeFilter is setFilter for a keystroke: the first screen of matches comes at once, and a total the desk did
// not give with it is counted after (countLater).
func (q *queuePane) typeFilter(text string) error { return q.applyFilter(text) }

func (q *queuePane) applyFilter(text string) error {
	f, err := cases.ParseFilter(text)
	if err != nil {
		q.filterErr = err.Error()
		return err
	}
	q.filterErr = ""
	q.filter = f
	q.cursor, q.top = 0, 0
	q.queryChanged()
	q.reload()
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
		_ = q.typeFilter("")
		return nil
	}
	var cmd tea.Cmd
	before := q.input.Value()
	q.input, cmd = q.input.Update(msg)
	if v := q.input.Value(); v != before {
		_ = q.typeFilter(v)
	}
	return cmd
}

// mouse scrolls the queue by the wheel; a click selects a row, a click on the selected row opens it, and a click
// on a tab shows its view.
func (q *queuePane) mouse(msg tea.MouseMsg) tea.Cmd {
	if msg.X >= q.listWidth() {
		return nil // the preview
	}
	switch {
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonWheelUp:
		q.move(-3)
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonWheelDown:
		q.move(3)
	case msg.Action == tea.MouseActionRelease && msg.Button == tea.MouseButtonLeft:
		if msg.Y == q.bodyTop() { // the tab line, first of the body
			if i := q.tabAt(msg.X); i >= 0 {
				return tea.Batch(q.switchView(i), q.countLater())
			}
			return nil
		}
		return tea.Batch(q.click(msg.Y), q.previewLater())
	}
	return q.previewLater()
}

func (q *queuePane) click(y int) tea.Cmd {
	first := q.bodyTop() + queueChrome // title bar (and banner), then chrome
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

// columns is the queue's layout for a width: the cells each column takes (0: not shown).
type columns struct {
	id       int
	importer int
	assignee int // a Center's queue shows who holds each case
	entry    bool
	status   int // 16: the statuses' titles; 8: short words; 6: the shortest
	stake    int // AT STAKE, with the space before it
}

// columnPlans are the queue's layouts, widest first. The queue takes the widest that leaves the importer
// minImporter cells, or else the last; a reviewer's queue shows no assignee column (every case is theirs).
var columnPlans = []columns{
	{assignee: 10, entry: true, status: 16, stake: 14},
	{assignee: 10, entry: true, status: 8, stake: 14},
	{assignee: 10, status: 8, stake: 14},
	{assignee: 8, status: 6, stake: 12},
}

const minImporter = 12

// queueColumns lays the queue out: cursor, mark and due mark, due date, days left, kind, case id, importer,
// status and revenue always; the assignee in a Center's queue, the entry number and full status titles as the
// width allows. At 80 cells a Center's queue keeps the assignee by shorter status words, a shorter AT STAKE and
// a narrower importer; the importer takes what is left, up to 44 cells.
func queueColumns(width, idW int, center bool) columns {
	var c columns
	for i, plan := range columnPlans {
		c = plan
		c.id = idW
		if !center {
			c.assignee = 0
		}
		fixed := 5 + 10 + 1 + 6 + 1 + 4 + 1 + idW + 1 + 1 + c.status + c.stake
		if c.assignee > 0 {
			fixed += 1 + c.assignee
		}
		if c.entry {
			fixed += 1 + 13
		}
		c.importer = clamp(width-fixed, 8, 44) // wider only spreads the columns apart
		if width-fixed >= minImporter || i == len(columnPlans)-1 {
			break
		}
	}
	return c
}

// sorts are the sorts of the columns shown, in their order on screen: the cycle of the sort key.
func (c columns) sorts() []cases.SortKey {
	ks := []cases.SortKey{cases.SortDue, cases.SortKind, cases.SortCase, cases.SortImporter}
	if c.assignee > 0 {
		ks = append(ks, cases.SortAssignee)
	}
	if c.entry {
		ks = append(ks, cases.SortEntry)
	}
	return append(ks, cases.SortStatus, cases.SortAmount)
}

// cols is the queue's layout now.
func (q *queuePane) cols() columns {
	return queueColumns(q.listWidth(), max(q.idW, 14), q.centerQueue())
}

// centerQueue reports whether the user's queue is a whole Center (a supervisor's, an admin's).
func (q *queuePane) centerQueue() bool {
	return q.user.Role == cases.RoleSupervisor || q.user.Role == cases.RoleAdmin
}

// nextSort is the sort after the one in use among the columns shown; from a sort of no column shown (received,
// or a column the width has dropped), the first.
func (q *queuePane) nextSort() cases.SortKey {
	ks := q.cols().sorts()
	for i, k := range ks {
		if k == q.sort {
			return ks[(i+1)%len(ks)]
		}
	}
	return ks[0]
}

// sortArrow is ▲ when a sort puts the smallest, earliest or first in the alphabet first, ▼ when it puts them last.
func sortArrow(k cases.SortKey, reverse bool) string {
	if (k == cases.SortAmount) != reverse { // amounts come largest first
		return "▼"
	}
	return "▲"
}

// sortWords name a sort for the status line: "amount ▼ (reversed)".
func sortWords(k cases.SortKey, reverse bool) string {
	s := string(k) + " " + sortArrow(k, reverse)
	if reverse {
		s += " (reversed)"
	}
	return s
}

// View implements component.
func (q *queuePane) View() string {
	if q.firstRun {
		// no tabs and no preview: the screen explains how to load cases
		return strings.Join([]string{q.countsLine(q.width), q.filterLine(q.width), q.firstRunView()}, "\n")
	}
	lw := q.listWidth()
	lines := q.listLines(lw)
	if lw == q.width {
		return strings.Join(lines, "\n")
	}
	return q.besidePreview(lines, lw)
}

// listLines draws the queue in w cells: each line exactly w cells wide, no more lines than the body has.
func (q *queuePane) listLines(w int) []string {
	lines := make([]string, 0, q.height+queueChrome)
	lines = append(lines, q.tabLine(w), q.countsLine(w), q.filterLine(w))
	cols := q.cols()
	rows := q.height
	if q.filterErr != "" {
		// the error takes the place of the column heads, under the query it is about, on two lines at most (the
		// rows give way); the rows keep the last query that parsed
		errs := strings.Split(wrap(" ✗ "+one(q.filterErr), w-1), "\n")
		if len(errs) > 2 {
			errs = errs[:2]
			errs[1] = fit(errs[1]+" …", w)
		}
		rows -= len(errs) - 1
		for i, l := range errs {
			if i > 0 {
				l = "   " + strings.TrimLeft(l, " ")
			}
			lines = append(lines, q.st.Bad.Render(fit(l, w)))
		}
	} else {
		lines = append(lines, q.paints.head.on(fit(q.head(cols), w)))
	}
	if q.err != nil {
		return append(lines, q.st.Bad.Render(q.pad("✗ "+one(q.err.Error()), w)))
	}
	if q.total == 0 {
		msg := "  No case matches the filter. esc clears it."
		switch {
		case q.effective().Empty():
			msg = "  No open cases in your queue. New work appears here as soon as it is assigned."
		case q.filter.Empty():
			msg = "  No case in this view. 1 shows your whole queue."
		}
		return append(lines, q.st.Muted.Render(q.pad(msg, w)))
	}
	today := q.today()
	end := min(q.top+rows, q.total)
	for i := q.top; i < end; i++ {
		r := q.row(i)
		if r == nil {
			lines = append(lines, q.st.Muted.Render(q.pad("  …", w)))
			continue
		}
		lines = append(lines, q.line(q.ws, r, i == q.cursor, cols, today))
	}
	return lines
}

// pad fits a line of the queue to its w cells when the preview is beside it; without it, the line is only cut.
func (q *queuePane) pad(s string, w int) string {
	if w < q.width {
		return fit(s, w)
	}
	if width(s) > w {
		return fit(s, w)
	}
	return s
}

// head is the column heads, the sort in use marked on its column.
func (q *queuePane) head(c columns) string {
	var b strings.Builder
	b.WriteString("     " + q.headCell("DUE", cases.SortDue, 10, false) + " " + fitLeft("LEFT", 6) + " " +
		q.headCell("KIND", cases.SortKind, 4, false) + " " + q.headCell("CASE", cases.SortCase, c.id, false) + " ")
	b.WriteString(q.headCell("IMPORTER", cases.SortImporter, c.importer, false))
	if c.assignee > 0 {
		b.WriteString(" " + q.headCell("ASSIGNEE", cases.SortAssignee, c.assignee, false))
	}
	if c.entry {
		b.WriteString(" " + q.headCell("ENTRY", cases.SortEntry, 13, false))
	}
	b.WriteString(" " + q.headCell("STATUS", cases.SortStatus, c.status, false))
	b.WriteString(q.headCell("AT STAKE", cases.SortAmount, c.stake, true))
	return b.String()
}

// headCell is a column head in w cells; the column of the sort in use carries its arrow ("DUE ▲"), the head cut
// to make room for it when it must be ("KIN▲").
func (q *queuePane) headCell(label string, k cases.SortKey, w int, right bool) string {
	if k == q.sort {
		arrow := sortArrow(k, q.reverse)
		switch {
		case width(label)+2 <= w:
			label += " " + arrow
		case width(label)+1 <= w:
			label += arrow
		default:
			label = ansi.Truncate(label, w-1, "") + arrow
		}
	}
	if right {
		return fitLeft(label, w)
	}
	return fit(label, w)
}

// line is one row of the queue as the workstation m draws it. A decided case has met its clock: it carries no due
// mark and no days left. What the filter's words match in the case id, the importer and the entry number is
// underlined.
func (q *queuePane) line(m *Model, r *cases.QueueRow, cur bool, c columns, today cases.Date) string {
	mark, left := dueMark(today, r.Due), daysLeft(today, r.Due)
	if !r.Status.Open() {
		mark, left = " ", ""
	}
	isMarked := marked(q.marks, r.ID)
	p := m.paints.text
	switch {
	case cur:
		p = m.paints.cursor
	case isMarked:
		p = m.paints.marked
	case mark == "!":
		p = m.paints.overdue
	case mark == "•":
		p = m.paints.dueSoon
	}
	var spans *rowSpans
	if q.marker != nil && q.hlPaint.pre != "" {
		spans = q.marker.spans(r)
	}
	t := rowText{exact: true}
	t.b.Grow(m.width + 8)
	switch {
	case cur:
		t.raw(">", 1)
	default:
		t.raw(" ", 1)
	}
	if isMarked {
		t.raw("* ", 2)
	} else {
		t.raw("  ", 2)
	}
	t.raw(mark, 1)
	t.raw(" ", 1)
	t.cell(r.Due.String(), 10)
	t.raw(" ", 1)
	t.cellLeft(left, 6)
	t.raw(" ", 1)
	t.cell(r.Kind.Short(), 4)
	t.raw(" ", 1)
	q.field(&t, one(r.ID), c.id, spans.of(0), p)
	t.raw(" ", 1)
	q.field(&t, one(r.Importer), c.importer, spans.of(1), p)
	if c.assignee > 0 {
		t.raw(" ", 1)
		if who := one(r.Assignee); who != "" {
			t.cell(who, c.assignee)
		} else {
			t.raw("—", 1)
			t.raw(strings.Repeat(" ", c.assignee-1), c.assignee-1)
		}
	}
	if c.entry {
		t.raw(" ", 1)
		q.field(&t, one(r.Entry), 13, spans.of(2), p)
	}
	t.raw(" ", 1)
	if r.Lease != nil {
		leasedStatus(&t, r.Status, c.status)
	} else {
		t.cell(statusWord(r.Status, c.status), c.status)
	}
	t.cellLeft(stakeText(r.Revenue, c.stake), c.stake)
	return p.on(t.fit(q.listWidth()))
}

// leaseMark marks a case checked out to a desk, before its status in the queue: the row under the cursor says to
// whom and until when (the status line, or the preview beside the queue).
const leaseMark = "⇱"

// leasedStatus writes the status of a case checked out to a desk in w cells, after the lease mark: with a space
// after the mark and the words of a column two cells narrower (the titles, cut where they must be, in the widest
// column); in the narrowest column, the shortest words right after the mark.
func leasedStatus(t *rowText, s cases.Status, w int) {
	t.raw(leaseMark, 1)
	if w < 8 {
		t.cell(statusWord(s, w-1), w-1)
		return
	}
	t.raw(" ", 1)
	v := w - 2
	if w >= 16 {
		v = w
	}
	t.cell(statusWord(s, v), w-2)
}

// cursorNote is what the status line says, when it has nothing else to say, of the row under the cursor: that its
// case is checked out to a desk, to whom and until when. The preview, when it is beside the queue, says it instead.
func (q *queuePane) cursorNote(w int) string {
	r := q.current()
	if r == nil || r.Lease == nil || q.previewOn() || q.err != nil {
		return ""
	}
	return q.st.Warn.Render(fit(" "+leaseMark+" case "+one(r.ID)+" is "+one(r.Lease.Label(q.today())), w))
}

// rowText is a row of the queue as it is written, with the cells it takes so far: exact while every part was
// plain ASCII or of a known width, so that the row is fitted to the screen without measuring it again.
type rowText struct {
	b     strings.Builder
	n     int
	exact bool
}

// raw writes s, which takes cells cells.
func (t *rowText) raw(s string, cells int) {
	t.b.WriteString(s)
	t.n += cells
}

// cell writes s in w cells, cut with … or padded.
func (t *rowText) cell(s string, w int) {
	if !printableASCII(s) {
		t.b.WriteString(fit(s, w))
		t.n += w
		t.exact = false
		return
	}
	if len(s) > w {
		t.b.WriteString(s[:w-1])
		t.b.WriteString("…")
	} else {
		t.b.WriteString(s)
		t.b.WriteString(strings.Repeat(" ", w-len(s)))
	}
	t.n += w
}

// cellLeft writes s right-aligned in w cells.
func (t *rowText) cellLeft(s string, w int) {
	if !printableASCII(s) || len(s) > w {
		t.b.WriteString(fitLeft(s, w))
		t.n += w
		t.exact = false
		return
	}
	t.b.WriteString(strings.Repeat(" ", w-len(s)))
	t.b.WriteString(s)
	t.n += w
}

// fit is the row in exactly w cells.
func (t *rowText) fit(w int) string {
	if !t.exact || t.n > w {
		return fit(t.b.String(), w)
	}
	return t.b.String() + strings.Repeat(" ", w-t.n)
}

// printableASCII reports whether s is printable ASCII alone: one cell a byte.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// field writes s in w cells, the byte ranges spans of s underlined; after each the row's paint p is put back
// (the underline's end resets every attribute).
func (q *queuePane) field(t *rowText, s string, w int, spans [][2]int, p paint) {
	if len(spans) == 0 {
		t.cell(s, w)
		return
	}
	t.exact = false
	t.n += w
	b := &t.b
	cut, ellipsis := len(s), ""
	if width(s) > w {
		cut, ellipsis = len(ansi.Truncate(s, w-1, "")), "…"
	}
	at := 0
	for _, sp := range spans {
		if sp[0] >= cut {
			break
		}
		end := min(sp[1], cut)
		b.WriteString(s[at:sp[0]])
		b.WriteString(q.hlPaint.pre)
		b.WriteString(s[sp[0]:end])
		b.WriteString(q.hlPaint.post)
		b.WriteString(p.pre)
		at = end
	}
	b.WriteString(s[at:cut])
	b.WriteString(ellipsis)
	if n := width(s[:cut]) + width(ellipsis); n < w {
		b.WriteString(strings.Repeat(" ", w-n))
	}
}

// statusWord is a status in w cells: its title, a short word, or the shortest.
func statusWord(s cases.Status, w int) string {
	switch {
	case w >= 16:
		return s.Title()
	case w >= 8:
		return shortStatus(s)
	}
	switch s {
	case cases.StatusAssigned:
		return "asgnd"
	case cases.StatusPendingApproval:
		if w < 6 {
			return "apprv"
		}
		return "apprvl"
	case cases.StatusInReview:
		if w < 6 {
			return "revw"
		}
	case cases.StatusDecided:
		return "done"
	}
	return shortStatus(s)
}

// stakeText is an amount for a column of w cells (a space before it included): exact when it fits, to three
// figures (≈$12.3M) when not.
func stakeText(c cases.Cents, w int) string {
	if s := c.String(); width(s) < w {
		return s
	}
	return "≈" + roughly(c)
}

// countsLine is the queue's headline numbers, in words that fit w cells: the longest form that fits. It is drawn
// again only when the numbers or the width change.
func (q *queuePane) countsLine(w int) string {
	if q.countsDrawn.line != "" && q.countsDrawn.c == q.counts && q.countsDrawn.w == w {
		return q.countsDrawn.line
	}
	q.countsDrawn.c, q.countsDrawn.w = q.counts, w
	q.countsDrawn.line = q.drawCounts(w)
	return q.countsDrawn.line
}

func (q *queuePane) drawCounts(w int) string {
	c := q.counts
	scope := "your queue"
	if q.centerQueue() {
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
		if width(" "+strings.Join(plain, " · ")) <= w {
			break
		}
	}
	return fit(line, w)
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

// filterLine is the filter (being typed, in force, or the view's own), the sort, and where the cursor is, in w
// cells. While the total is being counted it says so.
func (q *queuePane) filterLine(w int) string {
	var pos string
	switch {
	case q.counting:
		pos = fmt.Sprintf("%d of %d+ counting…", q.cursor+1, q.total)
	case q.total > 0:
		pos = fmt.Sprintf("%d of %d", q.cursor+1, q.total)
	default:
		pos = "0 of 0"
	}
	if len(q.marks) > 0 {
		pos += fmt.Sprintf(" · %d marked", len(q.marks))
	}
	right := fmt.Sprintf(" sort: %s %s · %s ", q.sort, sortArrow(q.sort, q.reverse), pos)
	lw := w - width(right)
	var left string
	base := q.views[q.view].base
	switch {
	case q.filtering:
		q.input.Width = max(lw-4, 8) // " / " and the cursor
		left = " " + q.input.View()
	case q.filter.Query != "" && base.Query != "":
		left = " filter: " + one(q.filter.Query) + q.st.Muted.Render(" · view: "+one(base.Query))
	case q.filter.Query != "":
		left = " filter: " + one(q.filter.Query)
	case base.Query != "":
		left = q.st.Muted.Render(" view: " + one(base.Query) + " · / narrows it")
	default:
		left = q.st.Muted.Render(" / to filter")
	}
	return fit(left, lw) + q.st.Muted.Render(right)
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

// highlighter finds what a filter's words and importer terms match in the rows of the queue, once a row of the
// window: a cursor move draws the rows again, and finds nothing again.
type highlighter struct {
	f     cases.Filter
	cache map[string]*rowSpans
}

// rowSpans are the matches in a row: in its case id, its importer and its entry number (cases.Filter.Highlights).
type rowSpans [3][][2]int

func (s *rowSpans) of(i int) [][2]int {
	if s == nil {
		return nil
	}
	return s[i]
}

// newHighlighter is the highlighter of a filter, or nil when the filter has no text to match.
func newHighlighter(f cases.Filter) *highlighter {
	if !hasText(&f, false) {
		return nil
	}
	return &highlighter{f: f}
}

// hasText reports whether the filter has a word or an importer term that is not negated.
func hasText(f *cases.Filter, negated bool) bool {
	if !negated && (len(f.Words) > 0 || f.Importer != "") {
		return true
	}
	for _, gs := range [][]cases.Filter{f.All, f.Any} {
		for i := range gs {
			if hasText(&gs[i], negated) {
				return true
			}
		}
	}
	for i := range f.Not {
		if hasText(&f.Not[i], !negated) {
			return true
		}
	}
	return false
}

// forget drops the matches found, when the window is fetched again.
func (h *highlighter) forget() {
	if h != nil {
		h.cache = nil
	}
}

// spans are the matches in r, nil for none.
func (h *highlighter) spans(r *cases.QueueRow) *rowSpans {
	if sp, ok := h.cache[r.ID]; ok {
		return sp
	}
	sp := &rowSpans{h.f.Highlights(one(r.ID)), h.f.Highlights(one(r.Importer)), h.f.Highlights(one(r.Entry))}
	if sp[0] == nil && sp[1] == nil && sp[2] == nil {
		sp = nil
	}
	if h.cache == nil {
		h.cache = map[string]*rowSpans{}
	}
	h.cache[r.ID] = sp
	return sp
}
