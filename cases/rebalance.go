package cases

import (
	"fmt"
	"sort"
	"strings"
)

// A reviewer's due-this-week load is the number of their open cases due within the next 7 days, not overdue, as
// Counts.DueWeek counts them (decisions waiting for approval included: the workload board shows them). Of those,
// the cases that can move are the ones not waiting for approval.

// DueThisWeek reports whether r counts in its holder's due-this-week load as of today.
func DueThisWeek(r *QueueRow, today Date) bool {
	left := today.DaysUntil(r.Due)
	return r.Status.Open() && left >= 0 && left <= 7
}

func movable(r *QueueRow, today Date) bool {
	return DueThisWeek(r, today) && r.Status != StatusPendingApproval
}

// Move is one proposed reassignment: case Case from reviewer From to reviewer To.
type Move struct {
	Case, From, To string
	Version        uint64 // the version of the case the move was proposed on; a change since is a conflict
	Kind           Kind
	Due            Date
	// FromBefore and FromAfter are From's due-this-week load just before and just after this move, ToBefore and
	// ToAfter To's, the moves before it in the proposal being made.
	FromBefore, FromAfter int
	ToBefore, ToAfter     int
}

// Proposal is what Rebalance proposes: the moves, each reviewer's due-this-week load before and after them, and
// when there is no move, why nothing would help.
type Proposal struct {
	Moves  []Move
	Before map[string]int
	After  map[string]int
	Reason string // set exactly when Moves is empty
}

// Spread is the difference between the largest and the smallest load.
func Spread(loads map[string]int) int {
	first, hi, lo := true, 0, 0
	for _, n := range loads {
		if first {
			hi, lo, first = n, n, false
		}
		hi, lo = max(hi, n), min(lo, n)
	}
	return hi - lo
}

// ProposeRebalance proposes moves that even out the due-this-week load of the named reviewers; loads holds each
// one's open cases (others' are ignored, and a reviewer missing from loads has none). Each move takes a case that
// can move from the most loaded reviewer who has one, to the least loaded reviewer, and only while the first holds
// at least two more than the second: so every move strictly lowers the spread of the load (the sum of the squared
// differences from the mean; the gap between the largest and smallest load never grows), and no move merely swaps
// who holds more. Moves stop when no move would lower it. From a reviewer it moves first a case not yet started
// (assigned before in review), then the one due latest, so urgent work under way stays with the person working it;
// a case moved in is never moved again. Ties go by name. The result is deterministic. Nothing is written: the
// caller shows the moves for confirmation and assigns them.
func ProposeRebalance(loads map[string][]QueueRow, reviewers []string, today Date) Proposal {
	names := append([]string(nil), reviewers...)
	sort.Strings(names)
	names = dedup(names)
	p := Proposal{Before: map[string]int{}, After: map[string]int{}}
	give := make(map[string][]QueueRow, len(names)) // each reviewer's own cases that can move; the next to go is last
	for _, n := range names {
		for _, r := range loads[n] {
			if !DueThisWeek(&r, today) {
				continue
			}
			p.Before[n]++
			if movable(&r, today) {
				give[n] = append(give[n], r)
			}
		}
		rs := give[n]
		sort.Slice(rs, func(i, j int) bool {
			si, sj := rs[i].Status == StatusAssigned, rs[j].Status == StatusAssigned
			if si != sj {
				return sj
			}
			if rs[i].Due != rs[j].Due {
				return rs[i].Due < rs[j].Due
			}
			return rs[i].ID > rs[j].ID
		})
		p.After[n] = p.Before[n]
	}
	if len(names) < 2 {
		p.Reason = "rebalancing needs two reviewers or more; there is one"
		if len(names) == 0 {
			p.Reason = "rebalancing needs two reviewers or more; there are none"
		}
		return p
	}
	load := p.After
	for {
		lo := names[0]
		for _, n := range names {
			if load[n] < load[lo] {
				lo = n
			}
		}
		hi := ""
		for _, n := range names {
			if len(give[n]) > 0 && (hi == "" || load[n] > load[hi]) {
				hi = n
			}
		}
		if hi == "" || load[hi]-load[lo] < 2 {
			break
		}
		from := give[hi]
		r := from[len(from)-1]
		give[hi] = from[:len(from)-1]
		p.Moves = append(p.Moves, Move{Case: r.ID, From: hi, To: lo, Version: r.Version, Kind: r.Kind, Due: r.Due,
			FromBefore: load[hi], FromAfter: load[hi] - 1, ToBefore: load[lo], ToAfter: load[lo] + 1})
		load[hi]--
		load[lo]++
	}
	if len(p.Moves) == 0 {
		p.Reason = nothingHelps(names, p.Before, give)
	}
	return p
}

// nothingHelps says why no move would even out the loads.
func nothingHelps(names []string, load map[string]int, give map[string][]QueueRow) string {
	hi, lo := load[names[0]], load[names[0]]
	for _, n := range names {
		hi, lo = max(hi, load[n]), min(lo, load[n])
	}
	if hi-lo <= 1 {
		if hi == lo {
			return fmt.Sprintf("due-this-week load is already even: each of the %d reviewers holds %d", len(names), hi)
		}
		return fmt.Sprintf("due-this-week load is already as even as it can be: each of the %d reviewers holds %d or %d", len(names), lo, hi)
	}
	var stuck []string
	for _, n := range names {
		if load[n]-lo >= 2 && len(give[n]) == 0 {
			stuck = append(stuck, fmt.Sprintf("%s %d", n, load[n]))
		}
	}
	return fmt.Sprintf("no move would even the load: the reviewers who hold the most due this week (%s) have no case that can move (all wait for approval), and no one else holds two more than the least loaded (%d)",
		strings.Join(stuck, ", "), lo)
}

// Placement is a proposed new holder for one of a set of cases to reassign.
type Placement struct {
	Case     string
	Version  uint64 // the version of the case the placement was proposed on
	Kind     Kind
	Due      Date
	From, To string // To is "" when no one named may take it (Why says so)
	ThisWeek bool   // the case is due this week, so it moves due-this-week load
	// ToBefore and ToAfter are To's due-this-week load just before and just after this case, the placements
	// before it being made (the same when the case is not due this week).
	ToBefore, ToAfter int
	Why               string
}

// PlaceCases proposes a holder for each of the marked cases, for a bulk reassignment, that keeps the spread of the
// reviewers' due-this-week load smallest. loads are the reviewers' lines on the workload board (Counts.DueWeek
// and Counts.Open); reviewers names who may take cases (nil: everyone in loads but the unassigned line, User "").
// Every marked case leaves its holder: it is counted out of its holder's load first, and never placed with them
// again. The cases due this week are placed so that the largest and smallest due-this-week loads are as close as
// any placement makes them: each, earliest due first, goes to whoever holds the fewest due this week (then the
// fewest open, then by name), and then, while some case can pass to another taker so that load moves from a
// reviewer to one holding two fewer (directly or through others), it does. The other cases move no
// due-this-week load: each goes to whoever holds the fewest open (then the fewest due this week, then by name).
// Placements come in the order of the marked cases' due dates, this week's first. Nothing is written.
func PlaceCases(marked []QueueRow, loads []Load, reviewers []string, today Date) []Placement {
	week, open := map[string]int{}, map[string]int{}
	for _, l := range loads {
		week[l.User], open[l.User] = l.Counts.DueWeek, l.Counts.Open
	}
	if reviewers == nil {
		for _, l := range loads {
			if l.User != "" {
				reviewers = append(reviewers, l.User)
			}
		}
	}
	names := append([]string(nil), reviewers...)
	sort.Strings(names)
	names = dedup(names)
	seen := map[string]bool{}
	var todo []QueueRow
	for _, r := range marked {
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		todo = append(todo, r)
		if r.Status.Open() {
			open[r.Assignee]--
		}
		if DueThisWeek(&r, today) {
			week[r.Assignee]--
		}
	}
	sort.SliceStable(todo, func(i, j int) bool {
		wi, wj := DueThisWeek(&todo[i], today), DueThisWeek(&todo[j], today)
		if wi != wj {
			return wi
		}
		if todo[i].Due != todo[j].Due {
			return todo[i].Due < todo[j].Due
		}
		return todo[i].ID < todo[j].ID
	})
	base := make(map[string]int, len(week))
	for n, v := range week {
		base[n] = v
	}
	out := make([]Placement, len(todo))
	for i, r := range todo {
		p := &out[i]
		*p = Placement{Case: r.ID, Version: r.Version, Kind: r.Kind, Due: r.Due, From: r.Assignee, ThisWeek: DueThisWeek(&r, today)}
		less := func(a, b string) bool {
			ka, kb := [2]int{week[a], open[a]}, [2]int{week[b], open[b]}
			if !p.ThisWeek {
				ka, kb = [2]int{open[a], week[a]}, [2]int{open[b], week[b]}
			}
			if ka != kb {
				return ka[0] < kb[0] || ka[0] == kb[0] && ka[1] < kb[1]
			}
			return a < b
		}
		for _, n := range names {
			if n != r.Assignee && (p.To == "" || less(n, p.To)) {
				p.To = n
			}
		}
		switch {
		case p.To == "" && len(names) == 0:
			p.Why = "no reviewer is named to take it"
		case p.To == "":
			p.Why = fmt.Sprintf("%s holds it and no other reviewer is named to take it", r.Assignee)
		default:
			if p.ThisWeek {
				week[p.To]++
			}
			if r.Status.Open() {
				open[p.To]++
			}
		}
	}
	for evenOut(out, names, week) {
	}
	for i := range out { // the counts each placement shows, in the order they are made
		p := &out[i]
		if p.To == "" {
			continue
		}
		p.ToBefore, p.ToAfter = base[p.To], base[p.To]
		if p.ThisWeek {
			base[p.To]++
			p.ToAfter++
		}
	}
	return out
}

// evenOut finds one chain of placements due this week that moves a case of load from a reviewer to one holding at
// least two fewer (each case in the chain passing to the next taker, never its own holder) and makes it, reporting
// whether it found one. With none left, no placement has a smaller spread: for cases of one unit of load each, an
// assignment with no such chain is the most even one.
func evenOut(ps []Placement, names []string, week map[string]int) bool {
	type step struct {
		p    int    // the placement that passes to this reviewer
		from string // the reviewer it passes from
	}
	byLoad := append([]string(nil), names...)
	sort.SliceStable(byLoad, func(i, j int) bool { return week[byLoad[i]] > week[byLoad[j]] })
	for _, src := range byLoad {
		prev := map[string]step{src: {p: -1}}
		queue := []string{src}
		for len(queue) > 0 {
			x := queue[0]
			queue = queue[1:]
			for i := range ps {
				p := &ps[i]
				if !p.ThisWeek || p.To != x {
					continue
				}
				for _, y := range names {
					if _, ok := prev[y]; ok || y == p.From {
						continue
					}
					prev[y] = step{p: i, from: x}
					if week[y] <= week[src]-2 {
						for at := y; at != src; at = prev[at].from {
							ps[prev[at].p].To = at
						}
						week[src]--
						week[y]++
						return true
					}
					queue = append(queue, y)
				}
			}
		}
	}
	return false
}

func dedup(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
