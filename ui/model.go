package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"ceedesk/cases"
	"ceedesk/themes"
)

type pane int

const (
	paneQueue pane = iota
	paneDetail
	paneDecision
	paneWorkload
	paneApprovals
	paneReassign
	paneRebalance
)

func (p pane) String() string {
	return [...]string{"queue", "case", "decision", "workload", "approvals", "reassign", "rebalance"}[p]
}

// Model is the workstation. It is used through tea.Model; its methods change it in place.
type Model struct {
	desk     Desk
	user     cases.User
	today    func() cases.Date
	r        *lipgloss.Renderer
	st       themes.Styles
	rows     rowPaints // the queue's row styles, precomputed
	keys     *keyMap
	readOnly bool
	noColor  bool // every theme without colour (Options.NoColor or the process's NO_COLOR)

	width, height int

	pane, back pane // back: where esc returns from the detail pane
	help       bool
	helpTop    int // first line of help shown
	helpRows   int // lines of help, from the last view
	cmdActive  bool
	cmd        textinput.Model
	status     string
	statusBad  bool

	q   queueState
	d   detailState
	dec decisionState
	sup supervisorState
	dlg *dialog
	ask *confirmation
	// drafts keeps the text of a dialog whose write met a conflict, by dialog kind and case, until the same dialog
	// opens again
	drafts map[string]string
}

// New builds the workstation for one user. It does not subscribe to changes; the host calls Watch.
func New(opt Options) tea.Model {
	m := &Model{
		desk:     opt.Desk,
		user:     opt.User,
		today:    opt.Today,
		r:        opt.Renderer,
		keys:     newKeyMap(),
		readOnly: opt.ReadOnly,
		noColor:  opt.NoColor || themes.NoColor(),
		drafts:   map[string]string{},
		width:    80,
		height:   24,
	}
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
	if err := m.keys.remap(opt.Config.Keys); err != nil {
		m.fail(fmt.Errorf("config: %v", err))
	}
	m.applyRole()
	m.cmd = m.newInput(":")
	m.q.init(m)
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
	}
	if m.readOnly {
		for _, b := range []*binding{k.Decide, k.Note, k.Info, k.Answer, k.NoticeOfAction, k.Reply, k.Reassign, k.Rebalance, k.Approve, k.Return} {
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
	if m.noColor {
		t = t.Colourless()
	}
	m.st = t.Styles(m.r)
	m.rows = rowPaints{cursor: paintOf(m.st.Cursor), marked: paintOf(m.st.Marked), overdue: paintOf(m.st.Overdue),
		dueSoon: paintOf(m.st.DueSoon), text: paintOf(m.st.Text), head: paintOf(m.st.ColumnHead)}
	m.restyleInputs()
	return nil
}

// newInput is a one-line input styled for this renderer, with a steady cursor (no blink timer).
func (m *Model) newInput(prompt string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = prompt
	ti.Cursor.SetMode(cursor.CursorStatic)
	m.styleInput(&ti)
	return ti
}

// styleInput gives a one-line input this session's styles, every one of them built on its renderer: a style
// left from the input's defaults would be drawn with the global renderer's colour profile instead.
func (m *Model) styleInput(ti *textinput.Model) {
	ti.PromptStyle = m.st.InputPrompt
	ti.TextStyle = m.st.InputText
	ti.PlaceholderStyle = m.st.InputPlaceholder
	ti.CompletionStyle = m.st.InputPlaceholder
	ti.Cursor.Style = m.r.NewStyle().Reverse(true)
	ti.Cursor.TextStyle = m.st.InputText
}

// newTextarea is a multi-line input styled for this renderer.
func (m *Model) newTextarea(placeholder string) textarea.Model {
	ta := textarea.New()
	ta.Placeholder = placeholder
	ta.ShowLineNumbers = false
	ta.Prompt = "│ "
	ta.CharLimit = cases.MaxNote
	ta.Cursor.SetMode(cursor.CursorStatic)
	m.styleTextarea(&ta)
	return ta
}

// styleTextarea is styleInput for a multi-line input.
func (m *Model) styleTextarea(ta *textarea.Model) {
	style := textarea.Style{
		Base:             m.r.NewStyle(),
		CursorLine:       m.st.InputText,
		CursorLineNumber: m.st.Muted,
		EndOfBuffer:      m.st.Muted,
		LineNumber:       m.st.Muted,
		Placeholder:      m.st.InputPlaceholder,
		Prompt:           m.st.InputPrompt,
		Text:             m.st.InputText,
	}
	ta.FocusedStyle, ta.BlurredStyle = style, style
	ta.Cursor.Style = m.r.NewStyle().Reverse(true)
	ta.Cursor.TextStyle = m.st.InputText
	// the textarea works out its current style on Focus and Blur only
	if ta.Focused() {
		ta.Focus()
	} else {
		ta.Blur()
	}
}

// restyleInputs gives every input of the session the styles of a new theme.
func (m *Model) restyleInputs() {
	m.styleInput(&m.cmd)
	m.styleInput(&m.q.input)
	if m.dec.c != nil {
		m.styleInput(&m.dec.amount)
		m.styleTextarea(&m.dec.reasons)
	}
	if m.dlg != nil {
		m.styleTextarea(&m.dlg.ta)
		if m.dlg.dated {
			m.styleInput(&m.dlg.date)
		}
	}
}

type rowPaints struct{ cursor, marked, overdue, dueSoon, text, head paint }

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// say puts a message in the status line.
func (m *Model) say(format string, a ...any) {
	m.status, m.statusBad = one(fmt.Sprintf(format, a...)), false
}

// fail puts an error in the status line, as text safe for the terminal.
func (m *Model) fail(err error) {
	m.status, m.statusBad = says(err), true
}

// refused explains a refused write; a conflict reloads the case and says so.
func (m *Model) refused(err error) {
	var ce *cases.ConflictError
	if errors.As(err, &ce) {
		if m.d.c != nil && m.d.c.ID == ce.ID {
			m.reloadCase()
		}
		m.status, m.statusBad = conflictText(ce)+" — check it and try again", true
		return
	}
	m.fail(err)
}

func orNobody(s string) string {
	if s == "" {
		return "someone"
	}
	return s
}

// reload refreshes everything the screen shows from the desk.
func (m *Model) reload() {
	m.q.refresh(m)
	if m.d.c != nil {
		m.reloadCase()
	}
	switch m.pane {
	case paneWorkload:
		m.loadWorkload()
	case paneApprovals:
		m.loadApprovals()
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
		return m, nil
	case tea.MouseMsg:
		return m, m.mouse(msg)
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
	case m.q.filtering:
		m.q.input, cmd = m.q.input.Update(msg)
	}
	return cmd
}

func (m *Model) resize(w, h int) {
	m.width, m.height = w, h
	m.q.ensureWindow(m)
	m.d.layout(m)
	if m.dec.specs != nil {
		m.dec.layout(m)
	}
	if m.dlg != nil {
		m.dlg.layout(m)
	}
	m.cmd.Width = w - 3
}

// changed applies a change committed anywhere (this session, another session, the command line). The queue and
// the open case are reread. A write in progress (the decision pane, a dialog, a confirmation) keeps showing what
// its user saw and says who changed the case since: the write is checked against the version they saw.
func (m *Model) changed(c cases.Change) {
	touched := func(id string) bool {
		if len(c.Cases) == 0 {
			return true
		}
		for _, x := range c.Cases {
			if x == id {
				return true
			}
		}
		return false
	}
	m.q.refresh(m)
	if m.d.c != nil && touched(m.d.c.ID) {
		before := m.d.c.Version
		m.reloadCase()
		switch {
		case m.pane == paneDecision:
			m.dec.seen(m.d.c)
		case m.pane == paneDetail && m.d.c.Version != before && m.status == "":
			m.say("case %s was just changed by %s at %s", one(m.d.c.ID), one(orNobody(m.d.c.UpdatedBy)), m.d.c.UpdatedAt.Format("15:04"))
		}
	}
	switch m.pane {
	case paneWorkload:
		m.loadWorkload()
	case paneApprovals:
		m.loadApprovals()
	}
	if m.dlg != nil && m.dlg.caseID != "" && touched(m.dlg.caseID) {
		m.dlg.seen(m)
	}
	if m.ask != nil && m.ask.caseID != "" && touched(m.ask.caseID) {
		m.ask.seen(m)
	}
}

// key handles a key press: force-quit first, then whatever has the focus (dialog, command line, filter, help),
// then the pane. The status line speaks of the last key or change: a key press clears it.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if key := msg.String(); key == "ctrl+c" {
		return tea.Quit
	}
	m.status, m.statusBad = "", false
	if k.Redraw.pressed(msg) {
		return tea.ClearScreen
	}
	switch {
	case m.ask != nil:
		return m.askKey(msg)
	case m.dlg != nil:
		return m.dialogKey(msg)
	case m.cmdActive:
		return m.commandKey(msg)
	case m.q.filtering:
		return m.q.filterKey(m, msg)
	case m.help:
		switch {
		case k.Help.pressed(msg) || k.Back.pressed(msg) || k.Quit.pressed(msg):
			m.help = false
		case k.Down.pressed(msg):
			m.helpTop++
		case k.Up.pressed(msg):
			m.helpTop = max(m.helpTop-1, 0)
		case k.PageDown.pressed(msg):
			m.helpTop += m.height / 2
		case k.PageUp.pressed(msg):
			m.helpTop = max(m.helpTop-m.height/2, 0)
		case k.Top.pressed(msg):
			m.helpTop = 0
		case k.Bottom.pressed(msg):
			m.helpTop = m.helpRows
		}
		return nil
	}
	if m.pane == paneDecision && m.dec.typing() {
		return m.dec.key(m, msg)
	}
	switch {
	case m.is(msg, k.Help):
		m.help, m.helpTop = true, 0
		return nil
	case m.is(msg, k.Command):
		m.cmdActive = true
		m.cmd.Reset()
		return m.cmd.Focus()
	}
	switch m.pane {
	case paneQueue:
		return m.q.key(m, msg)
	case paneDetail:
		return m.detailKey(msg)
	case paneDecision:
		return m.dec.key(m, msg)
	case paneWorkload:
		return m.workloadKey(msg)
	case paneApprovals:
		return m.approvalsKey(msg)
	case paneReassign:
		return m.reassignKey(msg)
	case paneRebalance:
		return m.rebalanceKey(msg)
	}
	return nil
}

// is reports whether msg presses an enabled binding. Pressing a disabled one says why in the status line.
func (m *Model) is(msg tea.KeyMsg, b *binding) bool {
	return b.pressed(msg) && m.allowed(b)
}

// allowed reports whether a binding is enabled for this session, saying why in the status line when it is not.
func (m *Model) allowed(b *binding) bool {
	if !b.Enabled() {
		if b.why != "" {
			m.status, m.statusBad = b.why, true
		}
		return false
	}
	return true
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
		m.openWorkload()
		return nil, true
	case m.is(msg, k.Approvals):
		m.openApprovals()
		return nil, true
	}
	return nil, false
}

// mainPanes are the panes tab cycles through.
func (m *Model) mainPanes() []pane {
	ps := []pane{paneQueue}
	if m.d.c != nil {
		ps = append(ps, paneDetail)
	}
	if m.user.Role == cases.RoleSupervisor {
		ps = append(ps, paneWorkload, paneApprovals)
	}
	return ps
}

func (m *Model) cyclePane(dir int) {
	ps := m.mainPanes()
	i := 0
	for j, p := range ps {
		if p == m.pane {
			i = j
		}
	}
	next := ps[(i+dir+len(ps))%len(ps)]
	switch next {
	case paneWorkload:
		m.openWorkload()
	case paneApprovals:
		m.openApprovals()
	default:
		m.pane = next
	}
}

func (m *Model) mouse(msg tea.MouseMsg) tea.Cmd {
	if m.dlg != nil || m.ask != nil || m.help {
		return nil
	}
	wheel := 0
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		wheel = -1
	case tea.MouseButtonWheelDown:
		wheel = 1
	}
	switch m.pane {
	case paneQueue:
		if wheel != 0 && msg.Action == tea.MouseActionPress {
			m.q.move(m, 3*wheel)
			return nil
		}
		if msg.Button == tea.MouseButtonLeft && msg.Action == tea.MouseActionRelease {
			return m.q.click(m, msg.Y)
		}
	case paneDetail:
		if wheel != 0 {
			if wheel < 0 {
				m.d.vp.ScrollUp(3)
			} else {
				m.d.vp.ScrollDown(3)
			}
		}
	case paneWorkload:
		if wheel != 0 && msg.Action == tea.MouseActionPress {
			m.sup.wlCursor = clamp(m.sup.wlCursor+wheel, 0, len(m.sup.loads)-1)
		}
	case paneApprovals:
		if wheel != 0 && msg.Action == tea.MouseActionPress {
			m.moveApproval(wheel)
		}
	}
	return nil
}

func clamp(v, lo, hi int) int {
	if v > hi {
		v = hi
	}
	if v < lo {
		v = lo
	}
	return v
}

// View implements tea.Model.
func (m *Model) View() string {
	var body string
	bodyH := m.height - 3 // title bar, status line, footer
	if bodyH < 1 {
		bodyH = 1
	}
	switch {
	case m.help:
		body = m.helpView(bodyH)
	case m.pane == paneDetail:
		body = m.d.view(m, bodyH)
	case m.pane == paneDecision:
		body = m.dec.view(m, bodyH)
	case m.pane == paneWorkload:
		body = m.workloadView(bodyH)
	case m.pane == paneApprovals:
		body = m.approvalsView(bodyH)
	case m.pane == paneReassign:
		body = m.reassignView(bodyH)
	case m.pane == paneRebalance:
		body = m.rebalanceView(bodyH)
	default:
		body = m.q.view(m, bodyH)
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

func (m *Model) statusLine() string {
	if m.cmdActive {
		return fit(m.cmd.View(), m.width)
	}
	if m.status == "" {
		return ""
	}
	if m.statusBad {
		return m.st.Bad.Render(fit("✗ "+m.status, m.width))
	}
	return m.st.Good.Render(fit(m.status, m.width))
}
