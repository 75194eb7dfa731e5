package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// View is a saved view of the queue, as the config's [[views]] names one: a tab over the user's queue with its own
// filter and sort.
//
//	[[views]]
//	name = "Big protests"
//	filter = "kind:protest amount:>100000"
//	sort = "amount"
//	reverse = false
type View struct {
	Name    string
	Filter  string // a query of the filter language; LoadConfig refuses one that does not parse
	Sort    cases.SortKey
	Reverse bool
}

// The default views, in the order of their tabs. A view of the config with one of these names takes its place.
var defaultViews = []View{
	{Name: "My queue"},
	{Name: "Due this week", Filter: "due:>=0d due:<=7d"}, // as the counts line counts it: not overdue
	{Name: "Awaiting information", Filter: "status:info"},
	{Name: "Pending approval", Filter: "status:approval"},
}

// centerQueueName is the first tab's name for a supervisor, whose queue is the whole Center.
const centerQueueName = "Center queue"

// maxViews is the most tabs a queue has: one for each of the keys 1 to 9.
const maxViews = 9

// maxViewName is the longest name a view may have, so that the tab line keeps room for the others.
const maxViewName = 24

// sameView reports whether a view of the config named name takes the place of tab i, named tab: the same name in
// any case, and for the first tab either of its names.
func sameView(i int, tab, name string) bool {
	return strings.EqualFold(tab, name) || i == 0 && (strings.EqualFold(name, defaultViews[0].Name) || strings.EqualFold(name, centerQueueName))
}

// isDefaultView reports whether name (in any case) is the name of a default view, the supervisor's first tab
// included.
func isDefaultView(name string) bool {
	if strings.EqualFold(name, centerQueueName) {
		return true
	}
	for _, v := range defaultViews {
		if strings.EqualFold(name, v.Name) {
			return true
		}
	}
	return false
}

// queueView is a tab of the queue: the view's own filter and sort, and what the user did in it since: the filter
// typed over the view's (it narrows the view; esc clears it), the sort chosen and the cursor. The queue pane holds
// the state of the view on screen in its own fields and keeps the others here.
type queueView struct {
	name    string
	base    cases.Filter // the view's own filter
	sort    cases.SortKey
	reverse bool
	typed   cases.Filter // the filter typed over the view
	cursor  int
	top     int
}

// newViews are the tabs of a user's queue: the defaults, then the config's views, a config view of a default's
// name taking that default's place. A view whose filter or sort does not parse is left out, and the error says
// which (LoadConfig refuses such a config; a program may build Options by hand).
func newViews(user cases.User, config []View) ([]queueView, error) {
	defs := append([]View(nil), defaultViews...)
	if user.Role == cases.RoleSupervisor || user.Role == cases.RoleAdmin {
		defs[0].Name = centerQueueName
	}
	var out []queueView
	var errs []string
	add := func(v View) {
		f, err := cases.ParseFilter(v.Filter)
		if err != nil {
			errs = append(errs, fmt.Sprintf("view %q: %v", v.Name, err))
			return
		}
		s := v.Sort
		if s == "" {
			s = cases.SortDue
		}
		if _, err := cases.ParseSortKey(string(s)); err != nil {
			errs = append(errs, fmt.Sprintf("view %q: %v", v.Name, err))
			return
		}
		for i := range out {
			if sameView(i, out[i].name, v.Name) {
				out[i] = queueView{name: out[i].name, base: f, sort: s, reverse: v.Reverse}
				return
			}
		}
		if len(out) == maxViews {
			errs = append(errs, fmt.Sprintf("view %q: a queue has %d tabs at most (keys 1 to 9)", v.Name, maxViews))
			return
		}
		out = append(out, queueView{name: one(v.Name), base: f, sort: s, reverse: v.Reverse})
	}
	for _, v := range defs {
		add(v)
	}
	for _, v := range config {
		add(v)
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("config: %s", strings.Join(errs, "; "))
	}
	return out, nil
}

// addViews adds the config's views to the queue's tabs, the first on screen; the queue is fetched when the shell
// next reloads. A view that cannot be used is left out, and the status line says why.
func (q *queuePane) addViews(config []View) {
	vs, err := newViews(q.user, config)
	if err != nil {
		q.fail(err)
	}
	q.views = vs
	q.loadView(0)
}

// saveView keeps what the user did in the view on screen, for when they come back to it.
func (q *queuePane) saveView() {
	v := &q.views[q.view]
	v.typed, v.sort, v.reverse, v.cursor, v.top = q.filter, q.sort, q.reverse, q.cursor, q.top
}

// loadView puts view i on screen as the user left it, without fetching it.
func (q *queuePane) loadView(i int) {
	q.view = i
	v := &q.views[i]
	q.filter, q.sort, q.reverse, q.cursor, q.top = v.typed, v.sort, v.reverse, v.cursor, v.top
	q.filterErr = ""
	q.input.SetValue(q.filter.Query)
	q.queryChanged()
}

// switchView shows view i (0 for the first tab), with the cursor where the user left it.
func (q *queuePane) switchView(i int) tea.Cmd {
	if i < 0 || i >= len(q.views) {
		q.refuse("there is no view %d; the queue has %s", i+1, plural(len(q.views), "view", "views"))
		return nil
	}
	if i == q.view {
		return nil
	}
	q.saveView()
	q.loadView(i)
	q.reload()
	return nil
}

// viewKey is the view a key of the Views binding names: 1 for the first tab.
func viewKey(msg tea.KeyMsg) int {
	s := msg.String()
	if len(s) == 1 && s[0] >= '1' && s[0] <= '9' {
		return int(s[0] - '1')
	}
	return -1
}

// effective is the filter the queue applies: the view's own and the one typed over it, both.
func (q *queuePane) effective() cases.Filter {
	base := q.views[q.view].base
	switch {
	case base.Empty():
		return q.filter
	case q.filter.Empty():
		return base
	}
	// no Query: the two texts together may be longer than one query may be, and each was held to that already
	return cases.Filter{All: []cases.Filter{base, q.filter}}
}

// tabForms are the longest names the tab line gives the views not on screen, longest first; 0 leaves them their
// numbers alone.
var tabForms = []int{maxViewName, 12, 8, 0}

// tabLabels are the tabs as plain text, with the names of views not on screen cut to most cells: "1 My queue",
// the one on screen in brackets.
func (q *queuePane) tabLabels(most int) []string {
	labels := make([]string, len(q.views))
	for i, v := range q.views {
		name := v.name
		switch {
		case i == q.view:
		case most == 0:
			name = ""
		case width(name) > most:
			name = fit(name, most)
		}
		label := fmt.Sprint(i + 1)
		if name != "" {
			label += " " + name
		}
		if i == q.view {
			label = "[" + label + "]"
		}
		labels[i] = label
	}
	return labels
}

// tabGap is the cells between two tabs.
const tabGap = "  "

// tabsIn is the tab labels in the longest form that fits w cells, after a space and apart by tabGap.
func (q *queuePane) tabsIn(w int) []string {
	for _, most := range tabForms {
		labels := q.tabLabels(most)
		n := 1 + len(tabGap)*(len(labels)-1)
		for _, l := range labels {
			n += width(l)
		}
		if n <= w || most == 0 {
			return labels
		}
	}
	return nil
}

// tabLine is the views as tabs, in the longest form that fits w cells: the one on screen in brackets, bold and
// underlined, so that it reads without colour.
func (q *queuePane) tabLine(w int) string {
	key := tabKey{view: q.view, w: w, views: len(q.views)}
	if q.tabs.key == key && q.tabs.line != "" {
		return q.tabs.line
	}
	var b strings.Builder
	on := q.st.Title.Bold(true).Underline(true)
	b.WriteByte(' ')
	for i, l := range q.tabsIn(w) {
		if i > 0 {
			b.WriteString(tabGap)
		}
		if i == q.view {
			b.WriteString(on.Render(l))
		} else {
			b.WriteString(q.st.Muted.Render(l))
		}
	}
	q.tabs.key, q.tabs.line = key, fit(b.String(), w)
	return q.tabs.line
}

// tabKey is what the tab line drawn last was drawn for.
type tabKey struct{ view, w, views int }

// tabAt is the view whose tab is drawn at cell x of the tab line, or -1.
func (q *queuePane) tabAt(x int) int {
	at := 1
	for i, l := range q.tabsIn(q.listWidth()) {
		if x >= at && x < at+width(l) {
			return i
		}
		at += width(l) + len(tabGap)
	}
	return -1
}
