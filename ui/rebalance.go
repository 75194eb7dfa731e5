package ui

import (
	"fmt"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// rebalancePane shows the moves that would even out due-this-week load across a Center's reviewers, each with the
// loads of its two reviewers before and after it; the supervisor leaves out the moves they do not want, and nothing
// is written until they confirm. When no move would help it says why, and writes nothing.
type rebalancePane struct {
	*common
	moves    []cases.Move
	skip     []bool         // moves the supervisor left out
	before   map[string]int // each reviewer's due-this-week load now
	reason   string         // why no move would help, when there is none
	rbCursor int
	rbTop    int
}

// rebalanceReason is the reason each move is recorded with.
const rebalanceReason = "rebalance due-this-week load"

// SetSize implements component: the moves are laid out as they are drawn.
func (r *rebalancePane) SetSize(_, _ int) {}

// Typing implements component.
func (r *rebalancePane) Typing() bool { return false }

// Changed implements component: the proposal stands until confirmed; each move is checked against the version
// it was proposed from.
func (r *rebalancePane) Changed(cases.Change) {}

// proposeRebalance computes moves that even out due-this-week load and shows them, or why there are none.
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
	p := cases.ProposeRebalance(loads, reviewers, today)
	r.moves, r.skip, r.reason = p.Moves, make([]bool, len(p.Moves)), p.Reason
	r.before = make(map[string]int, len(reviewers))
	for _, n := range reviewers { // Before leaves out those who hold nothing due this week
		r.before[n] = p.Before[n]
	}
	r.rbCursor, r.rbTop = 0, 0
	if len(r.moves) == 0 {
		r.say("nothing to rebalance: %s", p.Reason)
	}
	r.ws.show(paneRebalance)
}

// Update implements component.
func (r *rebalancePane) Update(km tea.KeyMsg) tea.Cmd {
	k := r.keys
	last := max(len(r.moves)-1, 0)
	switch {
	case len(r.moves) > 0 && k.Toggle.pressed(km):
		r.skip[r.rbCursor] = !r.skip[r.rbCursor]
		r.rbCursor = clamp(r.rbCursor+1, 0, last)
	case k.Down.pressed(km):
		r.rbCursor = clamp(r.rbCursor+1, 0, last)
	case k.Up.pressed(km):
		r.rbCursor = clamp(r.rbCursor-1, 0, last)
	case k.PageDown.pressed(km):
		r.rbCursor = clamp(r.rbCursor+r.listRows(), 0, last)
	case k.PageUp.pressed(km):
		r.rbCursor = clamp(r.rbCursor-r.listRows(), 0, last)
	case k.Top.pressed(km):
		r.rbCursor = 0
	case k.Bottom.pressed(km):
		r.rbCursor = last
	case k.Confirm.pressed(km):
		if len(r.moves) == 0 {
			r.close()
			r.say("nothing to rebalance; nothing was written")
			return nil
		}
		r.apply()
	case k.Cancel.pressed(km):
		r.close()
		r.say("rebalance cancelled; nothing was written")
	}
	r.rbTop = clamp(r.rbTop, max(r.rbCursor-r.listRows()+1, 0), r.rbCursor)
	return nil
}

func (r *rebalancePane) close() {
	r.moves, r.skip = nil, nil
	r.ws.show(paneWorkload)
}

// chosen is the moves the supervisor kept.
func (r *rebalancePane) chosen() []cases.Move {
	var out []cases.Move
	for i, mv := range r.moves {
		if !r.skip[i] {
			out = append(out, mv)
		}
	}
	return out
}

// apply assigns the moves the supervisor kept, each against the version it was proposed from, one write per
// reviewer who takes cases.
func (r *rebalancePane) apply() {
	moves := r.chosen()
	if len(moves) == 0 {
		r.refuse("no move is selected; %s selects one, %s cancels", r.keys.Toggle.Help().Key, r.keys.Cancel.Help().Key)
		return
	}
	byTo := map[string][]string{}
	versions := map[string][]uint64{}
	var tos []string
	for _, mv := range moves {
		if byTo[mv.To] == nil {
			tos = append(tos, mv.To)
		}
		byTo[mv.To] = append(byTo[mv.To], mv.Case)
		versions[mv.To] = append(versions[mv.To], mv.Version)
	}
	moved := 0
	for _, to := range tos {
		if _, err := r.desk.Assign(r.user.Name, byTo[to], versions[to], to, rebalanceReason, r.today()); err != nil {
			r.close()
			r.fail(fmt.Errorf("rebalance stopped after %d of %d moves: %w", moved, len(moves), err))
			r.ws.reload()
			return
		}
		moved += len(byTo[to])
	}
	left := len(r.moves) - moved
	r.close()
	msg := "rebalanced: " + plural(moved, "case", "cases") + " reassigned"
	if left > 0 {
		msg += fmt.Sprintf(" (%d left out)", left)
	}
	r.say("%s", msg)
	r.ws.q.refresh()
}

// step is one move as the kept moves before it leave the loads: its reviewers' loads before and after it, and
// whether it still lowers the spread (the mover holds two more than the taker).
type step struct {
	fromBefore, fromAfter, toBefore, toAfter int
	evens                                    bool
}

// steps works out each move's loads with the moves kept before it made; a move left out is shown as if it were
// the next one made. after is each reviewer's load after the kept moves.
func (r *rebalancePane) steps() (out []step, after map[string]int) {
	after = make(map[string]int, len(r.before))
	for n, v := range r.before {
		after[n] = v
	}
	out = make([]step, len(r.moves))
	for i, mv := range r.moves {
		f, t := after[mv.From], after[mv.To]
		out[i] = step{f, f - 1, t, t + 1, f-t >= 2}
		if !r.skip[i] {
			after[mv.From]--
			after[mv.To]++
		}
	}
	return out, after
}

// Keys implements component.
func (r *rebalancePane) Keys() [][]*binding {
	k := r.keys
	return [][]*binding{{k.Toggle, k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom}, {k.Confirm, k.Cancel}, {k.Redraw, k.ForceQuit}}
}

// Hints implements component.
func (r *rebalancePane) Hints() (h hints) {
	k := r.keys
	if len(r.moves) == 0 {
		h.add("back to the board", k.Cancel)
		return h
	}
	h.add("make the moves", k.Confirm)
	h.add("leave out / keep", k.Toggle)
	h.add("move", k.Down, k.Up)
	h.add("cancel", k.Cancel)
	return h
}

// listRows is how many moves are on screen at once.
func (r *rebalancePane) listRows() int {
	return max(r.bodyHeight()-9, 3)
}

// View implements component.
func (r *rebalancePane) View() string {
	st := r.st
	var b strings.Builder
	b.WriteString(" " + st.Title.Render("Proposed rebalance of due-this-week load") + "\n")
	if len(r.moves) == 0 {
		b.WriteString("\n" + st.Warn.Render(strings.TrimSuffix(paragraph(" ", "Nothing would help: "+r.reason+".", r.width), "\n")) + "\n\n")
		b.WriteString(r.loadsLine(r.before, r.before) + "\n\n")
		b.WriteString(st.Muted.Render(" Nothing is written. ") + st.Key.Render(r.keys.Cancel.Help().Key) + st.Muted.Render(" goes back to the board."))
		return b.String()
	}
	kept := len(r.chosen())
	hint := strings.TrimSuffix(paragraph(" ", fmt.Sprintf("%d of %d moves kept. Nothing is written until you confirm; each move is recorded with the reason %q.", kept, len(r.moves), rebalanceReason), r.width), "\n")
	b.WriteString(st.Muted.Render(hint) + "\n\n")
	steps, after := r.steps()
	idW, fromW, toW := 4, 4, 2
	for _, mv := range r.moves {
		idW, fromW, toW = max(idW, width(one(mv.Case))), max(fromW, width(one(mv.From))), max(toW, width(one(mv.To)))
	}
	idW, fromW, toW = min(idW, 32), min(fromW, 16), min(toW, 16)
	countW := 2
	for _, s := range steps {
		countW = max(countW, digits(s.fromBefore), digits(s.toAfter))
	}
	load := func(name string, w, before, after int) string {
		return fit(one(name), w) + " " + fitLeft(fmt.Sprint(before), countW) + " → " + fitLeft(fmt.Sprint(after), countW)
	}
	loadW := func(w int) int { return w + 1 + 2*countW + 3 }
	b.WriteString(st.ColumnHead.Render(fit("       "+fit("CASE", idW)+"  "+fit("KIND", 4)+"  "+fit("DUE", 10)+"  "+fit("FROM", loadW(fromW))+"    "+fit("TO", loadW(toW)), r.width)) + "\n")
	rows := r.listRows()
	stale := false
	for i := r.rbTop; i < min(r.rbTop+rows, len(r.moves)); i++ {
		mv, s := r.moves[i], steps[i]
		cur, box := "  ", "[x]"
		if i == r.rbCursor {
			cur = "> "
		}
		if r.skip[i] {
			box = "[ ]"
		}
		note := ""
		if !r.skip[i] && !s.evens {
			note, stale = "  ▲", true
		}
		line := fit(" "+cur+box+" "+fit(one(mv.Case), idW)+"  "+fit(mv.Kind.Short(), 4)+"  "+fit(mv.Due.String(), 10)+"  "+
			load(mv.From, fromW, s.fromBefore, s.fromAfter)+"    "+load(mv.To, toW, s.toBefore, s.toAfter)+note, r.width)
		switch {
		case i == r.rbCursor:
			line = st.Cursor.Render(line)
		case r.skip[i]:
			line = st.Muted.Render(line)
		}
		b.WriteString(line + "\n")
	}
	if n := len(r.moves); n > rows {
		b.WriteString(st.Muted.Render(fmt.Sprintf("   moves %d–%d of %d", r.rbTop+1, min(r.rbTop+rows, n), n)) + "\n")
	}
	if stale {
		b.WriteString(st.Warn.Render(fit("   ▲ with the moves left out, this one no longer evens the load", r.width)) + "\n")
	}
	b.WriteString("\n" + r.loadsLine(r.before, after) + "\n\n")
	k := r.keys
	b.WriteString(st.Key.Render(" "+k.Confirm.Help().Key) + fmt.Sprintf(" make the %s   ", plural(kept, "kept move", "kept moves")) +
		st.Key.Render(k.Toggle.Help().Key) + " leave out / keep   " + st.Key.Render(k.Cancel.Help().Key) + " cancel")
	return b.String()
}

// loadsLine is each reviewer's due-this-week load before and after the kept moves, and the spread of both.
func (r *rebalancePane) loadsLine(before, after map[string]int) string {
	names := make([]string, 0, len(before))
	for n := range before {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		if before[n] == after[n] {
			parts[i] = fmt.Sprintf("%s %d", one(n), before[n])
		} else {
			parts[i] = fmt.Sprintf("%s %d → %d", one(n), before[n], after[n])
		}
	}
	spread := fmt.Sprint(cases.Spread(before))
	if s := cases.Spread(after); s != cases.Spread(before) {
		spread += fmt.Sprintf(" → %d", s)
	}
	text := paragraph(" ", "Due this week: "+strings.Join(parts, ", "), r.width) +
		paragraph(" ", "Spread (the most loaded less the least): "+spread, r.width)
	return strings.TrimSuffix(text, "\n")
}
