package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"ceedesk/cases"
	"ceedesk/themes"
)

// Model is the workstation: a shell (title bar, status line, footer, help, command line, dialogs and
// confirmations) around the registered panes, one of them on screen. It is used through tea.Model; its methods
// change it in place.
type Model struct {
	*common

	panes [paneCount]component
	pane  pane // the pane on screen
	// the panes the others work with, by their own types
	q   *queuePane
	d   *detailPane
	dec *decisionPane
	sup supervisorPanes

	help      bool
	helpTop   int // first line of help shown
	helpRows  int // lines of help, from the last view
	cmdActive bool
	cmd       textinput.Model
	history   commandHistory
	comp      *completion // the completion going on on the command line, if any
	asked     int         // the last store lookup for a completion, by number
	dlg       *dialog
	ask       *confirmation
	// drafts keeps the text of a dialog whose write met a conflict, by dialog kind and case, until the same dialog
	// opens again
	drafts map[string]string
	// foot is the footer last drawn and what it was drawn from: the footer's keys change far less often than the
	// cursor moves, and drawing them is a third of a frame
	foot footerCache
}

// New builds the workstation for one user. It does not subscribe to changes; the host calls Watch.
func New(opt Options) tea.Model {
	c := &common{
		desk:     opt.Desk,
		user:     opt.User,
		today:    opt.Today,
		r:        opt.Renderer,
		keys:     newKeyMap(),
		readOnly: opt.ReadOnly,
		noColor:  opt.NoColor || themes.NoColor(),
		width:    80,
		height:   24,
	}
	m := &Model{common: c, drafts: map[string]string{}}
	c.ws = m
	if m.r == nil {
		m.r = lipgloss.DefaultRenderer()
	}
	if m.today == nil {
		m.today = func() cases.Date { return cases.DateOf(time.Now()) }
	}
	name := opt.Theme
	if name == "" {
		name = opt.Config.Theme
	}
	if name == "" {
		name = "default"
	}
	if err := m.setTheme(name); err != nil {
		_ = m.setTheme("default")
		m.fail(err)
	}
	// A config from LoadConfig has passed the same check, so its errors stopped the host before it started; a
	// Config built otherwise gets the default keys, and the status line says why.
	if err := m.keys.remap(opt.Config.Keys); err != nil {
		m.keys = newKeyMap()
		m.fail(fmt.Errorf("config: %v; the default keys are in use", err))
	}
	m.readOffline()
	m.applyRole()
	m.cmd = m.newInput(":")
	for p := range m.panes {
		m.panes[p] = panes[p].make(c)
	}
	m.q = m.panes[paneQueue].(*queuePane)
	m.d = m.panes[paneDetail].(*detailPane)
	m.dec = m.panes[paneDecision].(*decisionPane)
	m.sup = supervisorPanes{m.panes[paneWorkload].(*workloadPane), m.panes[paneApprovals].(*approvalsPane),
		m.panes[paneReassign].(*reassignPane), m.panes[paneRebalance].(*rebalancePane)}
	m.q.addViews(opt.Config.Views)
	m.reload()
	return m
}

// applyRole disables the keys this user may not use, with the reason shown in help and the status line.
func (m *Model) applyRole() {
	k := m.keys
	if m.user.Role != cases.RoleSupervisor {
		k.Reassign.disable("only supervisors can reassign")
		k.Workload.disable("only supervisors can see the workload board")
		k.Approvals.disable("only supervisors can approve decisions")
		k.Rebalance.disable("only supervisors can rebalance")
		k.Approve.disable("only supervisors can approve decisions")
		k.Return.disable("only supervisors can return decisions")
		k.BreakCheckout.disable("only a supervisor of the case's Center can break a checkout")
	}
	if m.offline != nil {
		k.BreakCheckout.disable("a desk file has no checkouts of its own; a supervisor breaks a checkout at the Center")
	}
	if m.readOnly {
		for _, b := range []*binding{k.Decide, k.BeginReview, k.KeepNote, k.Note, k.Info, k.Answer, k.NoticeOfAction, k.Reply, k.Reassign, k.Rebalance, k.Approve, k.Return, k.BreakCheckout} {
			b.disable("this session is read-only")
		}
	}
}

// setTheme styles the session with a theme, without its colours when the session asks for none.
func (m *Model) setTheme(name string) error {
	t, err := themes.Lookup(name)
	if err != nil {
		return err
	}
	m.foot = footerCache{}
	if m.noColor {
		t = t.Colourless()
	}
	m.st = t.Styles(m.r)
	m.paints = rowPaints{cursor: paintOf(m.st.Cursor), marked: paintOf(m.st.Marked), overdue: paintOf(m.st.Overdue),
		dueSoon: paintOf(m.st.DueSoon), text: paintOf(m.st.Text), head: paintOf(m.st.ColumnHead)}
	m.styleInput(&m.cmd)
	for _, p := range m.panes {
		if r, ok := p.(restyler); ok {
			r.restyle()
		}
	}
	if m.dlg != nil {
		m.dlg.restyle(m.common)
	}
	return nil
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// active is the pane on screen.
func (m *Model) active() component { return m.panes[m.pane] }

// show puts a pane on screen; a pane that rereads what it shows does so first.
func (m *Model) show(p pane) {
	if s, ok := m.panes[p].(shower); ok {
		s.shown()
	}
	m.pane = p
}

// reload rereads everything the screen shows from the desk, as after a change that may have touched any case.
func (m *Model) reload() { m.changed(cases.Change{}) }

// changed applies a change committed anywhere (this session, another session, the command line): every pane is
// told, in the registry's order. A write in progress (the decision pane, a dialog, a confirmation) keeps showing
// what its user saw and says who changed the case since: the write is checked against the version they saw.
func (m *Model) changed(c cases.Change) {
	if m.offline != nil {
		m.readOffline() // a change on a desk file is one more to check in
	}
	for _, p := range m.panes {
		p.Changed(c)
	}
	if m.dlg != nil && m.dlg.caseID != "" && touches(c, m.dlg.caseID) {
		m.dlg.seen(m, c)
	}
	if m.ask != nil && m.ask.caseID != "" && touches(c, m.ask.caseID) {
		m.ask.seen(m, c)
	}
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case cases.Change:
		m.changed(msg)
		return m, m.q.afterChange()
	case ClipboardMsg:
		return m, nil // the host's filter has written it to the terminal
	case caseIDsFound:
		m.addCaseIDs(msg)
		return m, nil
	case paneResult:
		return m, msg.apply(m)
	case tea.MouseMsg:
		if m.dlg != nil || m.ask != nil || m.help {
			return m, nil
		}
		if p, ok := m.active().(mouser); ok {
			return m, p.mouse(msg)
		}
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			// keys typed faster than the terminal is read (a held key, a slow link) arrive as one message; each
			// is a key of its own, and may move the focus for the next
			var cmds []tea.Cmd
			for _, r := range msg.Runes {
				cmds = append(cmds, m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
			}
			return m, tea.Batch(cmds...)
		}
		return m, m.key(msg)
	}
	return m, m.forward(msg)
}

// forward passes other messages (cursor blinks and the like) to the focused input.
func (m *Model) forward(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch {
	case m.dlg != nil:
		m.dlg.ta, cmd = m.dlg.ta.Update(msg)
	case m.cmdActive:
		m.cmd, cmd = m.cmd.Update(msg)
	default:
		if p, ok := m.active().(inputter); ok {
			if in := p.focusedInput(); in != nil {
				*in, cmd = in.Update(msg)
			}
		}
	}
	return cmd
}

func (m *Model) resize(w, h int) {
	m.width, m.height = w, h
	for _, p := range m.panes {
		p.SetSize(w, m.bodyHeight())
	}
	if m.dlg != nil {
		m.dlg.layout(m)
	}
	m.cmd.Width = w - 3
}

// key handles a key press: force-quit first, then whatever has the focus (a confirmation, a dialog, the command
// line, a pane's text field, help), then the shell's keys (help, the command line, copying the case on the queue
// and case panes), then the pane. The status line speaks of the last key or
// change: a key press clears it.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if key := msg.String(); key == "ctrl+c" {
		return tea.Quit
	}
	m.status, m.statusBad = "", false
	if k.Redraw.pressed(msg) {
		return tea.ClearScreen
	}
	p := m.active()
	switch {
	case m.ask != nil:
		return m.askKey(msg)
	case m.dlg != nil:
		return m.dialogKey(msg)
	case m.cmdActive:
		return m.commandKey(msg)
	case p.Typing():
		return p.Update(msg)
	case m.help:
		m.helpKey(msg)
		return nil
	case m.is(msg, k.Help):
		m.help, m.helpTop = true, 0
		return nil
	case m.is(msg, k.Command):
		return m.openCommand()
	case yanks(m.pane) && m.is(msg, k.Yank):
		return m.yank()
	}
	return p.Update(msg)
}

// global handles the keys every main pane shares: panes, supervisor views, quit.
func (m *Model) global(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.keys
	switch {
	case m.is(msg, k.Quit):
		return tea.Quit, true
	case m.is(msg, k.NextPane):
		m.cyclePane(1)
		return nil, true
	case m.is(msg, k.PrevPane):
		m.cyclePane(-1)
		return nil, true
	case m.is(msg, k.Workload):
		m.show(paneWorkload)
		return nil, true
	case m.is(msg, k.Approvals):
		m.show(paneApprovals)
		return nil, true
	}
	return nil, false
}

// cyclePane shows the next (dir 1) or previous (dir -1) of the panes tab visits now.
func (m *Model) cyclePane(dir int) {
	var tabs []pane
	for p := range panes {
		if tab := panes[p].tab; tab != nil && tab(m) {
			tabs = append(tabs, pane(p))
		}
	}
	i := 0
	for j, p := range tabs {
		if p == m.pane {
			i = j
		}
	}
	m.show(tabs[(i+dir+len(tabs))%len(tabs)])
}

// --- what panes ask of each other, through the shell ------------------------------------------------------------

// openCase shows a case in the case pane, coming from the pane from. It reports whether the case opened.
func (m *Model) openCase(id string, from pane) bool { return m.d.open(id, from) }

// setFilter applies a query to the queue. A bad query keeps the previous filter and says what is wrong.
func (m *Model) setFilter(text string) error { return m.q.setFilter(text) }

// caseWritten shows the case as the store returned it after a write, and says what was done.
func (m *Model) caseWritten(c *cases.Case, msg string) {
	if m.offline != nil {
		m.readOffline() // the banner counts the change before the change feed brings it
	}
	m.d.show(c)
	m.say("%s", msg)
	m.q.refresh()
}

// refused explains a refused write; a conflict reloads the case and says so.
func (m *Model) refused(err error) {
	var ce *cases.ConflictError
	if errors.As(err, &ce) {
		if m.d.c != nil && m.d.c.ID == ce.ID {
			m.d.reload()
		}
		m.status, m.statusBad = conflictText(ce)+" — check it and try again", true
		return
	}
	m.fail(err)
}

// --- the shell's own lines ----------------------------------------------------------------------------------------

// View implements tea.Model.
func (m *Model) View() string {
	bodyH := m.bodyHeight()
	var body string
	if m.help {
		body = m.helpView(bodyH)
	} else {
		body = m.active().View()
	}
	if m.dlg != nil {
		body = m.dlg.view(m, bodyH)
	}
	if m.ask != nil {
		body = m.ask.view(m, bodyH)
	}
	var b strings.Builder
	b.Grow((m.width + 16) * m.height)
	b.WriteString(m.titleBar())
	b.WriteByte('\n')
	if m.offline != nil {
		b.WriteString(m.banner())
		b.WriteByte('\n')
	}
	b.WriteString(frame(body, m.width, bodyH))
	b.WriteByte('\n')
	b.WriteString(m.statusLine())
	b.WriteByte('\n')
	b.WriteString(m.footer())
	return b.String()
}

// titleBar says where the user is: the Center (by code alone when its name does not fit), who they are, the pane
// and the date the rules use.
func (m *Model) titleBar() string {
	code := one(m.user.Center)
	centers := []string{code}
	if c, err := cases.LookupCenter(m.user.Center); err == nil {
		centers = []string{c.Code + " " + c.Name, c.Code}
	}
	right := fmt.Sprintf("%s · %s ", m.pane, m.today())
	var left string
	for _, center := range centers {
		left = fmt.Sprintf(" ceedesk · %s · %s (%s)", center, one(m.user.Name), m.user.Role)
		if m.readOnly {
			left += " · read-only"
		}
		if width(left)+width(right)+1 <= m.width {
			break
		}
	}
	gap := m.width - width(left) - width(right)
	if gap < 1 {
		return m.st.Header.Render(fit(left, m.width))
	}
	return m.st.Header.Render(left + strings.Repeat(" ", gap) + right)
}

// banner says, on a desk file, that the session is offline: whose cases from which Center, until when, and how
// many changes wait to be checked in. It is reverse video and bold in every theme, so that it reads without colour.
func (m *Model) banner() string {
	return m.st.Warn.Reverse(true).Bold(true).Render(bannerLine(one(m.offline.Banner(m.today())), m.width))
}

// bannerLine fits the banner to w cells. Cut, it loses the end of what was checked out from where and when, not
// the end of the lease or the changes still to check in (what follows the first "; ").
func bannerLine(s string, w int) string {
	s = " " + s
	if width(s) <= w {
		return fit(s, w)
	}
	if head, tail, ok := strings.Cut(s, "; "); ok && width(tail)+2+len(" Offline desk") <= w {
		return fit(head, w-width(tail)-2) + "; " + tail
	}
	return fit(s, w)
}

func (m *Model) statusLine() string {
	if m.cmdActive {
		if m.comp == nil {
			return fit(m.cmd.View(), m.width)
		}
		// the completion's candidates beside what is typed
		in := m.cmd
		in.Width = 0
		line := in.View()
		return fit(line+"  "+m.completionNote(m.width-width(line)-3), m.width)
	}
	if m.status == "" {
		if m.pane == paneQueue && !m.help && m.dlg == nil && m.ask == nil {
			return m.q.cursorNote(m.width)
		}
		return ""
	}
	if m.statusBad {
		return m.st.Bad.Render(fit("✗ "+m.status, m.width))
	}
	return m.st.Good.Render(fit(m.status, m.width))
}
