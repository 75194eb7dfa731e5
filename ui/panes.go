package ui

import (
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// component is a pane of the workstation. The shell draws the title bar, the status line, the footer, help, the
// command line, dialogs and confirmations around the pane on screen; everything between them is the pane's. Each
// pane embeds the session's common struct, and the shell reaches it only through this interface: keys, sizes and
// changes are routed to panes without the shell knowing which pane it is.
type component interface {
	// SetSize lays the pane out for a body of w cells by h lines, after the screen changed size.
	SetSize(w, h int)
	// Update handles a key the shell did not take: a confirmation, a dialog, the command line and help have the
	// keys before the pane, and the shell's own keys (help, the command line) come before the pane's unless the
	// pane is Typing.
	Update(msg tea.KeyMsg) tea.Cmd
	// View draws the body: at most the width of the screen, and no more lines than the body has.
	View() string
	// Keys lists the pane's bindings in groups, for help; a disabled one is listed with the reason.
	Keys() [][]*binding
	// Hints are the footer's entries for the pane.
	Hints() hints
	// Changed brings the pane up to date with a change committed anywhere (this session, another one, the command
	// line). Panes are told in the order of the registry below, the queue first and the case pane before the panes
	// that show its case.
	Changed(c cases.Change)
	// Typing reports whether a text field of the pane has the keys: the shell's own keys (help, the command line)
	// are then typed into it.
	Typing() bool
}

// A pane may also implement these.
type (
	// mouser handles the mouse (the wheel scrolls, a click selects) while no dialog or help covers the pane.
	mouser interface {
		mouse(msg tea.MouseMsg) tea.Cmd
	}
	// inputter names the one-line input that has the focus, if any, so that the shell can hand it what is not a
	// key (a paste from the clipboard).
	inputter interface{ focusedInput() *textinput.Model }
	// shower rereads what the pane shows each time it comes on screen.
	shower interface{ shown() }
	// restyler gives the pane's inputs the styles of a new theme.
	restyler interface{ restyle() }
	// helpNoter adds lines of its own below the pane's keys in help.
	helpNoter interface{ helpNotes() []string }
)

// pane names a pane of the workstation.
type pane int

const (
	paneQueue pane = iota
	paneDetail
	paneDecision
	paneWorkload
	paneApprovals
	paneReassign
	paneRebalance
	paneImporter
	paneCount
)

// panes registers every pane: its name in the title bar and help, whether tab visits it, and how a session
// builds it. Adding a pane is a file with its type and a line here.
var panes = [paneCount]struct {
	name string
	// tab reports whether tab and shift+tab visit the pane now; nil for a pane reached only from another one.
	tab  func(m *Model) bool
	make func(c *common) component
}{
	paneQueue:     {"queue", always, func(c *common) component { return newQueue(c) }},
	paneDetail:    {"case", caseOpen, func(c *common) component { return newDetail(c) }},
	paneDecision:  {"decision", nil, func(c *common) component { return &decisionPane{common: c} }},
	paneWorkload:  {"workload", supervisor, func(c *common) component { return &workloadPane{common: c} }},
	paneApprovals: {"approvals", supervisor, func(c *common) component { return &approvalsPane{common: c} }},
	paneReassign:  {"reassign", nil, func(c *common) component { return &reassignPane{common: c} }},
	paneRebalance: {"rebalance", nil, func(c *common) component { return &rebalancePane{common: c} }},
	paneImporter:  {"importer", nil, func(c *common) component { return newImporterPane(c) }},
}

func (p pane) String() string { return panes[p].name }

func always(*Model) bool       { return true }
func caseOpen(m *Model) bool   { return m.d.c != nil }
func supervisor(m *Model) bool { return m.user.Role == cases.RoleSupervisor }

// supervisorPanes are the supervisor's views, held together so that what they hold reads as one supervisor's
// desk: the workload board, the approvals, the cases being reassigned, the moves proposed.
type supervisorPanes struct {
	*workloadPane
	*approvalsPane
	*reassignPane
	*rebalancePane
}
