package ui

import (
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
	"ceedesk/themes"
)

// commands are the command line's verbs as completion offers them (run reads their short forms too), and what
// their argument completes to.
var commands = []struct {
	name string
	arg  func(m *Model, prefix string) []string
	may  func(k *keyMap) *binding // the binding whose being disabled keeps the command from this session
}{
	{name: "approvals", may: func(k *keyMap) *binding { return k.Approvals }},
	{name: "filter"},
	{name: "help"},
	{name: "open", arg: (*Model).localCaseIDs},
	{name: "queue"},
	{name: "quit"},
	{name: "sort", arg: func(_ *Model, p string) []string { return withPrefix(sortNames(), p) }},
	{name: "theme", arg: func(_ *Model, p string) []string { return withPrefix(themes.Names(), p) }},
	{name: "workload", may: func(k *keyMap) *binding { return k.Workload }},
}

// shortForms are the other names run reads for a command.
var shortForms = map[string]string{"o": "open", "f": "filter", "w": "workload", "q": "quit"}

// completion is a completion in progress on the command line: the candidates for the word being typed, and which
// of them the line shows. The completion keys go round the candidates and back to the word as typed; any other
// change to the line ends it.
type completion struct {
	head  string   // the line before the word completed
	word  string   // the word as typed
	cands []string // what the word may complete to, in the order offered
	at    int      // the candidate the line shows; -1: the word as typed
	line  string   // the line as the completion left it
	// the store is being asked for case ids starting with word: the answer with this number joins cands
	asking int
	caseID bool // the word is a case id
}

// maxCandidates bounds the candidates of one completion.
const maxCandidates = 50

// complete completes the word before the end of the command line: a first press finds the candidates and shows
// the first (dir 1) or the last (dir -1), or the only one; each press after shows the next or the one before.
// Case ids come from the cases this session has loaded at once, and from the store a moment later.
func (m *Model) complete(dir int) tea.Cmd {
	if c := m.comp; c != nil && c.line == m.cmd.Value() {
		if len(c.cands) > 0 {
			c.at = cycle(c.at, dir, len(c.cands))
			m.showCompletion()
		}
		return nil
	}
	c, ask := m.startCompletion(m.cmd.Value())
	m.comp = c
	switch {
	case len(c.cands) == 1 && c.asking == 0:
		m.cmd.SetValue(c.head + c.cands[0] + m.argSpace(c))
		m.cmd.CursorEnd()
		m.comp = nil
	case len(c.cands) > 0:
		c.at = cycle(-1, dir, len(c.cands))
		m.showCompletion()
	default:
		c.line = m.cmd.Value()
	}
	return ask
}

// cycle is the candidate after (dir 1) or before (dir -1) at, going round through -1, the word as typed.
func cycle(at, dir, n int) int {
	at += dir
	switch {
	case at >= n:
		return -1
	case at < -1:
		return n - 1
	}
	return at
}

// argSpace is the space after a command completed that takes an argument, so that the next press completes it.
func (m *Model) argSpace(c *completion) string {
	if c.head != "" {
		return ""
	}
	for _, cmd := range commands {
		if cmd.name == c.cands[0] && cmd.arg != nil {
			return " "
		}
	}
	return ""
}

// startCompletion finds what the last word of line may complete to: a command's name, or its argument (a case
// id, a sort, a theme). For a case id it also returns the command that asks the store.
func (m *Model) startCompletion(line string) (*completion, tea.Cmd) {
	line = strings.TrimLeft(line, " ")
	i := strings.LastIndexByte(line, ' ')
	c := &completion{head: line[:i+1], word: line[i+1:], at: -1}
	if i < 0 {
		for _, cmd := range commands {
			if hasPrefixFold(cmd.name, c.word) && (cmd.may == nil || cmd.may(m.keys).Enabled()) {
				c.cands = append(c.cands, cmd.name)
			}
		}
		return c, nil
	}
	verb := strings.TrimSpace(c.head)
	if long, ok := shortForms[verb]; ok {
		verb = long
	}
	for _, cmd := range commands {
		if cmd.name == verb && cmd.arg != nil { // the first argument only: "open X Y" has no verb "open X"
			c.cands = cmd.arg(m, c.word)
			c.caseID = verb == "open"
		}
	}
	if !c.caseID || c.word == "" || len(c.cands) >= maxCandidates {
		return c, nil
	}
	m.asked++
	c.asking = m.asked
	return c, m.askCaseIDs(c.asking, c.word)
}

// showCompletion puts the candidate chosen on the line.
func (m *Model) showCompletion() {
	c := m.comp
	w := c.word
	if c.at >= 0 {
		w = c.cands[c.at]
	}
	m.cmd.SetValue(c.head + w)
	m.cmd.CursorEnd()
	c.line = m.cmd.Value()
}

// localCaseIDs are the case ids starting with prefix among the cases this session has loaded: the queue's
// window from the top of the screen on, then the rest of it, the case open and the approvals.
func (m *Model) localCaseIDs(prefix string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		if len(out) < maxCandidates && !seen[id] && hasPrefixFold(id, prefix) {
			seen[id] = true
			out = append(out, id)
		}
	}
	q := m.q
	from := clamp(q.top-q.winOff, 0, len(q.rows))
	for _, r := range append(q.rows[from:len(q.rows):len(q.rows)], q.rows[:from]...) {
		add(r.ID)
	}
	if m.d.c != nil {
		add(m.d.c.ID)
	}
	for _, r := range m.sup.approvals {
		add(r.ID)
	}
	return out
}

// caseIDsFound is the store's answer to a completion of a case id.
type caseIDsFound struct {
	asked int
	ids   []string
}

// askCaseIDs asks the store, away from the program's loop, for case ids of the user's Center that start with
// prefix: one bounded page of a queue filtered on the prefix. Its answer may come after the user typed on; it is
// then dropped.
func (m *Model) askCaseIDs(asked int, prefix string) tea.Cmd {
	desk, actor, center, today := m.desk, m.user.Name, m.user.Center, m.today()
	return func() tea.Msg {
		q := cases.QueueQuery{Center: center, Filter: cases.Filter{Words: []string{strings.ToLower(prefix)}},
			Limit: 4 * maxCandidates, NoTotal: true, Today: today}
		if center == "" {
			q.Assignee = actor
		}
		found := caseIDsFound{asked: asked}
		p, err := desk.Queue(actor, q)
		if err != nil {
			return found // completion offers what the session has loaded
		}
		for _, r := range p.Rows {
			if hasPrefixFold(r.ID, prefix) {
				found.ids = append(found.ids, r.ID)
			}
		}
		slices.Sort(found.ids)
		return found
	}
}

// addCaseIDs adds the store's case ids to the completion that asked for them, if it is still going: a
// completion that had nothing to offer yet offers them as a press of the key would have.
func (m *Model) addCaseIDs(f caseIDsFound) {
	c := m.comp
	if !m.cmdActive || c == nil || c.asking != f.asked || c.line != m.cmd.Value() {
		return
	}
	c.asking = 0
	had := len(c.cands)
	for _, id := range f.ids {
		if len(c.cands) < maxCandidates && !slices.Contains(c.cands, id) {
			c.cands = append(c.cands, id)
		}
	}
	switch {
	case had > 0 || len(c.cands) == 0:
	case len(c.cands) == 1:
		m.cmd.SetValue(c.head + c.cands[0])
		m.cmd.CursorEnd()
		m.comp = nil
	default:
		c.at = 0
		m.showCompletion()
	}
}

// completionNote is what the status line says beside the command line about the completion: its candidates,
// the one shown in brackets, as many as fit in room cells around it; or that none was found, or is being
// looked for.
func (m *Model) completionNote(room int) string {
	c := m.comp
	if c == nil {
		return ""
	}
	switch {
	case len(c.cands) == 0 && c.asking != 0:
		return m.st.Muted.Render("looking for case ids starting " + one(c.word) + "…")
	case len(c.cands) == 0 && c.caseID:
		return m.st.Bad.Render("no case id starts " + one(c.word) + " in your Center")
	case len(c.cands) == 0 && c.head == "":
		return m.st.Bad.Render("no command starts " + one(c.word))
	case len(c.cands) == 0:
		return m.st.Bad.Render("nothing to complete here")
	}
	shown := func(i int) string {
		if i == c.at {
			return "[" + one(c.cands[i]) + "]"
		}
		return one(c.cands[i])
	}
	const gap = 2
	total := width(fmtCount(len(c.cands))) + gap
	// from the one shown, take candidates to the right, then to the left, while they fit
	first, last := max(c.at, 0), max(c.at, 0)
	used := width(shown(first)) + total
	for {
		grew := false
		if last+1 < len(c.cands) && used+gap+width(shown(last+1)) <= room {
			last++
			used += gap + width(shown(last))
			grew = true
		}
		if first > 0 && used+gap+width(shown(first-1)) <= room {
			first--
			used += gap + width(shown(first))
			grew = true
		}
		if !grew {
			break
		}
	}
	var b strings.Builder
	for i := first; i <= last; i++ {
		if i > first {
			b.WriteString("  ")
		}
		if i == c.at {
			b.WriteString(m.st.Key.Render(shown(i)))
		} else {
			b.WriteString(shown(i))
		}
	}
	b.WriteString(m.st.Muted.Render("  " + fmtCount(len(c.cands))))
	return b.String()
}

func fmtCount(n int) string {
	if n >= maxCandidates {
		return plural(n, "match", "matches") + " or more"
	}
	return plural(n, "match", "matches")
}

func sortNames() []string {
	out := make([]string, len(cases.AllSortKeys))
	for i, k := range cases.AllSortKeys {
		out[i] = string(k)
	}
	return out
}

func withPrefix(names []string, prefix string) []string {
	var out []string
	for _, n := range names {
		if hasPrefixFold(n, prefix) {
			out = append(out, n)
		}
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
