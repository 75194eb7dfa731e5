package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// rebalancePane shows the moves that would even out due-this-week load across a Center's reviewers; nothing is
// written until the supervisor confirms.
type rebalancePane struct {
	*common
	moves []cases.Move
}

// SetSize implements component: the moves are laid out as they are drawn.
func (r *rebalancePane) SetSize(_, _ int) {}

// Typing implements component.
func (r *rebalancePane) Typing() bool { return false }

// Changed implements component: the proposal stands until confirmed; each move is checked against the version
// it was proposed from.
func (r *rebalancePane) Changed(cases.Change) {}

// proposeRebalance computes moves that even out due-this-week load and shows them.
func (r *rebalancePane) proposeRebalance() {
	users, err := r.desk.Users(r.user.Name, r.user.Center)
	if err != nil {
		r.fail(err)
		return
	}
	today := r.today()
	loads := map[string][]cases.QueueRow{}
	var reviewers []string
	for _, u := range users {
		if u.Role != cases.RoleReviewer || u.Disabled {
			continue
		}
		reviewers = append(reviewers, u.Name)
		p, err := r.desk.Queue(r.user.Name, cases.QueueQuery{Assignee: u.Name, OpenOnly: true, Sort: cases.SortDue, Today: today,
			Filter: cases.Filter{DueOp: "<=", DueDays: 7}, Limit: 10000})
		if err != nil {
			r.fail(err)
			return
		}
		loads[u.Name] = p.Rows
	}
	r.moves = cases.Rebalance(loads, reviewers, today)
	if len(r.moves) == 0 {
		r.say("due-this-week load is already even across %s", plural(len(reviewers), "reviewer", "reviewers"))
		return
	}
	r.ws.show(paneRebalance)
}

// Update implements component.
func (r *rebalancePane) Update(km tea.KeyMsg) tea.Cmd {
	k := r.keys
	switch {
	case k.Confirm.pressed(km):
		r.apply()
	case k.Cancel.pressed(km):
		r.moves = nil
		r.ws.show(paneWorkload)
		r.say("rebalance cancelled; nothing was written")
	}
	return nil
}

func (r *rebalancePane) apply() {
	byTo := map[string][]string{}
	versions := map[string][]uint64{}
	var tos []string
	for _, mv := range r.moves {
		if byTo[mv.To] == nil {
			tos = append(tos, mv.To)
		}
		byTo[mv.To] = append(byTo[mv.To], mv.Case)
		versions[mv.To] = append(versions[mv.To], mv.Version)
	}
	moved := 0
	for _, to := range tos {
		if _, err := r.desk.Assign(r.user.Name, byTo[to], versions[to], to, "rebalance due-this-week load", r.today()); err != nil {
			r.fail(fmt.Errorf("rebalance stopped after %d of %d moves: %w", moved, len(r.moves), err))
			r.ws.show(paneWorkload)
			r.ws.reload()
			return
		}
		moved += len(byTo[to])
	}
	r.moves = nil
	r.say("rebalanced: %s reassigned", plural(moved, "case", "cases"))
	r.ws.show(paneWorkload)
	r.ws.q.refresh()
}

// Keys implements component.
func (r *rebalancePane) Keys() [][]*binding {
	k := r.keys
	return [][]*binding{{k.Confirm, k.Cancel}, {k.Redraw, k.ForceQuit}}
}

// Hints implements component.
func (r *rebalancePane) Hints() (h hints) {
	k := r.keys
	h.add("make the moves", k.Confirm)
	h.add("cancel", k.Cancel)
	return h
}

// View implements component.
func (r *rebalancePane) View() string {
	h := r.bodyHeight()
	st := r.st
	var b strings.Builder
	b.WriteString(" " + st.Title.Render("Proposed rebalance of due-this-week load") + "\n")
	hint := strings.TrimSuffix(paragraph(" ", "Nothing is written until you confirm. Each move is recorded with the reason \"rebalance due-this-week load\".", r.width), "\n")
	b.WriteString(st.Muted.Render(hint) + "\n\n")
	idW, fromW := 14, 10
	for _, mv := range r.moves {
		idW, fromW = max(idW, width(one(mv.Case))), max(fromW, width(one(mv.From)))
	}
	idW, fromW = min(idW, 32), min(fromW, 32)
	b.WriteString(st.ColumnHead.Render(fit("   "+fit("CASE", idW)+"  "+fit("FROM", fromW)+"   TO", r.width)) + "\n")
	rows := max(h-6-strings.Count(hint, "\n"), 1)
	for i, mv := range r.moves {
		if i == rows-1 && len(r.moves) > rows {
			b.WriteString(st.Muted.Render(fmt.Sprintf("   … and %d more", len(r.moves)-i)) + "\n")
			break
		}
		b.WriteString(fit("   "+fit(one(mv.Case), idW)+"  "+fit(one(mv.From), fromW)+" → "+one(mv.To), r.width) + "\n")
	}
	b.WriteString("\n" + st.Key.Render(" y/enter") + fmt.Sprintf(" make these %d moves   ", len(r.moves)) + st.Key.Render("esc/n") + " cancel")
	return b.String()
}
