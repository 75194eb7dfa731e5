package cases

import "sort"

// Move is one proposed reassignment: case Case from reviewer From to reviewer To.
type Move struct {
	Case, From, To string
	Version        uint64 // the version of the case the move was proposed on; a change since is a conflict
}

// Rebalance proposes moves that even out the reviewers' due-this-week load: the open cases due within the next 7
// days (not overdue, as Counts.DueWeek counts them) that are not waiting for approval. Only the named reviewers
// give or receive cases; loads of anyone else are ignored, and a reviewer missing from loads has none. Moves are
// proposed until no two reviewers' loads differ by more than one. From the most loaded reviewer it moves first a
// case not yet started (assigned before in review), then the one due latest, so urgent work that is under way
// stays with the person working it. The result is deterministic and never moves a case twice. Nothing is
// written: the caller shows the moves for confirmation and assigns them.
func Rebalance(loads map[string][]QueueRow, reviewers []string, today Date) []Move {
	names := append([]string(nil), reviewers...)
	sort.Strings(names)
	names = dedup(names)
	if len(names) < 2 {
		return nil
	}
	movable := make(map[string][]QueueRow, len(names))
	for _, n := range names {
		for _, r := range loads[n] {
			left := today.DaysUntil(r.Due)
			if r.Status.Open() && r.Status != StatusPendingApproval && left >= 0 && left <= 7 {
				movable[n] = append(movable[n], r)
			}
		}
		// the case to move first sorts last
		rs := movable[n]
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
	}
	var moves []Move
	for {
		hi, lo := names[0], names[0]
		for _, n := range names {
			if len(movable[n]) > len(movable[hi]) {
				hi = n
			}
			if len(movable[n]) < len(movable[lo]) {
				lo = n
			}
		}
		if len(movable[hi])-len(movable[lo]) <= 1 {
			return moves
		}
		from := movable[hi]
		r := from[len(from)-1]
		movable[hi] = from[:len(from)-1]
		// the receiver's own moved-in cases are never chosen again: they go to the front
		movable[lo] = append([]QueueRow{r}, movable[lo]...)
		moves = append(moves, Move{Case: r.ID, From: hi, To: lo, Version: r.Version})
	}
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
