// Package ui is the ceedesk workstation: a Bubble Tea program with a queue pane, a case-detail pane, a decision
// pane and the supervisor's views (workload, reassignment, rebalancing, approvals). It reads and writes through the
// Desk interface, which *store.Store satisfies; every rule it shows (clocks, outcomes, who may do what) comes from
// package cases, and every write is checked again by the store inside its transaction.
package ui

import (
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"ceedesk/cases"
)

// Desk is what the workstation needs from storage; *store.Store satisfies it. Every call names the acting user,
// reads included: the store applies who may see and change what, so the workstation shows only what its user may see.
type Desk interface {
	Queue(actor string, q cases.QueueQuery) (cases.QueuePage, error)
	Counts(actor string, q cases.QueueQuery) (cases.Counts, error)
	Case(actor, id string) (*cases.Case, error)
	History(actor, id string) ([]cases.Event, error)
	Users(actor, center string) ([]cases.User, error)
	StartReview(actor, id string, version uint64) (*cases.Case, error)
	Decide(actor, id string, version uint64, d cases.Decision, today cases.Date) (*cases.Case, error)
	AddNote(actor, id string, version uint64, text string) (*cases.Case, error)
	RequestInfo(actor, id string, version uint64, question string, today cases.Date) (*cases.Case, error)
	AnswerRequest(actor, id string, version uint64, answered cases.Date, text string, today cases.Date) (*cases.Case, error)
	NoticeOfAction(actor, id string, version uint64, proposed bool, action string, sent, today cases.Date) (*cases.Case, error)
	RecordReply(actor, id string, version uint64, replied cases.Date, text string, today cases.Date) (*cases.Case, error)
	Assign(actor string, ids []string, versions []uint64, to, reason string, today cases.Date) ([]*cases.Case, error)
	Approve(actor, id string, version uint64, comment, lateAck string, today cases.Date) (*cases.Case, error)
	Return(actor, id string, version uint64, comment string) (*cases.Case, error)
	Workload(actor, center string, today cases.Date) ([]cases.Load, error)
	// The importer's view, the cases related to one, a Center's report figures, the approvals with whether the
	// actor may approve each, and who may approve a decision.
	Importer(actor, number string) (cases.ImporterView, error)
	Related(actor, id string) ([]cases.QueueRow, error)
	Report(actor, center string, today cases.Date) (cases.Report, error)
	ApprovalRows(actor, center string) ([]cases.ApprovalRow, error)
	Approvers(actor, id string) (cases.ApproverSet, error)
	// BreakLease ends the checkout of a case to someone's desk before it is checked in (cases.CanBreakLease:
	// a supervisor of the case's Center, with a reason the audit log keeps) and returns the lease it ended.
	BreakLease(actor, id, reason string) (*cases.Lease, error)
	Subscribe() (<-chan cases.Change, func())
	Policy() cases.Policy
}

// offlineDesk is a Desk that may be a desk file: cases checked out of a Center to work on with no network
// (*store.Store is one). Offline reports what the file says of itself, and false for a Center's store. The shell
// asks for it by a type assertion, so a Desk that is never a desk file (a session served at the Center) need not
// have it.
type offlineDesk interface {
	Offline() (cases.OfflineInfo, bool)
}

// Options configure one workstation session.
type Options struct {
	Desk     Desk
	User     cases.User
	Today    func() cases.Date  // the date rules use
	Renderer *lipgloss.Renderer // nil = lipgloss.DefaultRenderer(); over SSH, bm.MakeRenderer(session)
	Theme    string             // "" = from Config or "default"; an explicit name wins over Config
	Config   Config             // parsed config.toml (keys, theme, policy); zero = defaults
	ReadOnly bool
	// NoColor asks for no colour in this session whatever the theme, as the client's NO_COLOR does over SSH:
	// every theme is drawn in its monochrome form (bold, underline, reverse video) and :theme keeps it so. The
	// process's own NO_COLOR (themes.NoColor) does the same for every session. A renderer whose colour profile is
	// termenv.Ascii writes no escape sequence at all, whatever the theme.
	NoColor bool
}

// Watch forwards every store change (a cases.Change value) into a program through send, typically
// (*tea.Program).Send. The returned stop unsubscribes and waits until the forwarding goroutine has ended; it may
// be called more than once.
func Watch(d Desk, send func(tea.Msg)) (stop func()) {
	ch, unsubscribe := d.Subscribe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for c := range ch {
			send(c)
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			unsubscribe()
			<-done
		})
	}
}
