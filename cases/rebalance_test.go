package cases

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"
)

var rebalanceDay = NewDate(2026, time.March, 2)

// rows makes n cases of who's due in days, with the status given.
func rows(who string, n int, days int, status Status) []QueueRow {
	out := make([]QueueRow, n)
	for i := range out {
		out[i] = QueueRow{ID: fmt.Sprintf("%s-%02d-%d-%s", who, days, i, status), Kind: KindPSC, Assignee: who, Status: status, Due: rebalanceDay.AddDays(days)}
	}
	return out
}

func cat(rs ...[]QueueRow) []QueueRow {
	var out []QueueRow
	for _, r := range rs {
		out = append(out, r...)
	}
	return out
}

func sumSquares(load map[string]int) int {
	n := 0
	for _, v := range load {
		n += v * v
	}
	return n
}

func TestRebalance(t *testing.T) {
	today := rebalanceDay
	tests := []struct {
		name      string
		loads     map[string][]QueueRow
		reviewers []string
		moves     int
		after     map[string]int // due-this-week load after the moves
		reason    string         // part of the reason when there is no move
	}{
		{"already even", map[string][]QueueRow{"a": rows("a", 2, 3, StatusAssigned), "b": rows("b", 3, 3, StatusAssigned)}, []string{"a", "b"}, 0,
			map[string]int{"a": 2, "b": 3}, "as even as it can be: each of the 2 reviewers holds 2 or 3"},
		{"exactly even", map[string][]QueueRow{"a": rows("a", 2, 3, StatusAssigned), "b": rows("b", 2, 3, StatusAssigned)}, []string{"a", "b"}, 0,
			map[string]int{"a": 2, "b": 2}, "already even: each of the 2 reviewers holds 2"},
		{"one overloaded", map[string][]QueueRow{"a": rows("a", 6, 3, StatusAssigned)}, []string{"a", "b", "c"}, 4, map[string]int{"a": 2, "b": 2, "c": 2}, ""},
		{"overdue and later cases are not this week's load", map[string][]QueueRow{
			"a": cat(rows("a", 5, -2, StatusAssigned), rows("a", 5, 30, StatusAssigned), rows("a", 1, 7, StatusAssigned))},
			[]string{"a", "b"}, 0, map[string]int{"a": 1, "b": 0}, "as even as it can be"},
		{"decided cases are no load; pending approval is load that cannot move", map[string][]QueueRow{
			"a": cat(rows("a", 4, 2, StatusPendingApproval), rows("a", 3, 2, StatusDecided))}, []string{"a", "b"}, 0,
			map[string]int{"a": 4, "b": 0}, "(a 4) have no case that can move"},
		{"only named reviewers give or take", map[string][]QueueRow{"sup": rows("sup", 9, 1, StatusAssigned), "a": rows("a", 4, 1, StatusAssigned)},
			[]string{"a", "b"}, 2, map[string]int{"a": 2, "b": 2}, ""},
		{"a single reviewer has nobody to share with", map[string][]QueueRow{"a": rows("a", 9, 1, StatusAssigned)}, []string{"a"}, 0, map[string]int{"a": 9}, "there is one"},
		{"nobody named", map[string][]QueueRow{"a": rows("a", 9, 1, StatusAssigned)}, nil, 0, map[string]int{}, "there are none"},
		{"uneven three ways", map[string][]QueueRow{"a": rows("a", 7, 1, StatusInReview), "b": rows("b", 4, 5, StatusAssigned), "c": rows("c", 0, 5, StatusAssigned)},
			[]string{"c", "b", "a", "a"}, 3, map[string]int{"a": 4, "b": 4, "c": 3}, ""},
		// Issue 10's "rebalance proposes moves that change nothing": the load was counted from the cases that can
		// move, so a reviewer whose due-this-week cases wait for approval looked empty. b (2, both movable) gave
		// one to a (1, waiting for approval): 2 and 1 became 1 and 2.
		{"the bug: a pending decision is load", map[string][]QueueRow{"a": rows("a", 1, 2, StatusPendingApproval), "b": rows("b", 2, 2, StatusAssigned)},
			[]string{"a", "b"}, 0, map[string]int{"a": 1, "b": 2}, "as even as it can be: each of the 2 reviewers holds 1 or 2"},
		// ... and worse: b gave to a, who held the most (3 and 2 became 4 and 1) while c held none.
		{"the bug: the receiver is the least loaded, not the one with least to move", map[string][]QueueRow{
			"a": rows("a", 3, 2, StatusPendingApproval), "b": rows("b", 2, 2, StatusAssigned)}, []string{"a", "b", "c"}, 1,
			map[string]int{"a": 3, "b": 1, "c": 1}, ""},
		{"the most loaded cannot give and nobody else is two above", map[string][]QueueRow{
			"a": rows("a", 5, 2, StatusPendingApproval), "c": rows("c", 1, 2, StatusAssigned)}, []string{"a", "b", "c"}, 0,
			map[string]int{"a": 5, "b": 0, "c": 1}, "(a 5) have no case that can move"},
		{"four ways, two receivers", map[string][]QueueRow{"a": rows("a", 2, 1, StatusAssigned), "b": rows("b", 2, 1, StatusAssigned)},
			[]string{"a", "b", "c", "d"}, 2, map[string]int{"a": 1, "b": 1, "c": 1, "d": 1}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ProposeRebalance(tt.loads, tt.reviewers, today)
			moves := p.Moves
			if len(moves) != tt.moves {
				t.Fatalf("%d moves, want %d: %+v", len(moves), tt.moves, moves)
			}
			if (len(moves) == 0) != (p.Reason != "") || !strings.Contains(p.Reason, tt.reason) {
				t.Errorf("reason %q with %d moves; want it to say %q", p.Reason, len(moves), tt.reason)
			}
			checkMoves(t, tt.loads, tt.reviewers, p, today)
			for who, want := range tt.after {
				if p.After[who] != want {
					t.Errorf("%s holds %d after the moves, want %d (moves %+v)", who, p.After[who], want, moves)
				}
			}
			if again := ProposeRebalance(tt.loads, tt.reviewers, today).Moves; fmt.Sprint(again) != fmt.Sprint(moves) {
				t.Fatalf("not deterministic: %v then %v", moves, again)
			}
		})
	}
}

// checkMoves checks what every proposal guarantees: each move takes a case that can move from its holder, counts
// before and after follow from the loads, every move strictly lowers the spread (sum of squares) and leaves the
// largest-to-smallest gap no wider, no case moves twice, and at the end no move could lower the spread more.
func checkMoves(t *testing.T, loads map[string][]QueueRow, reviewers []string, p Proposal, today Date) {
	t.Helper()
	named := map[string]bool{}
	for _, n := range reviewers {
		named[n] = true
	}
	load := map[string]int{}
	byID := map[string]QueueRow{}
	left := map[string]int{} // cases each reviewer could still give
	for n := range named {
		load[n] = 0
		for _, r := range loads[n] {
			if DueThisWeek(&r, today) {
				load[n]++
				byID[r.ID] = r
				if r.Status != StatusPendingApproval {
					left[n]++
				}
			}
		}
	}
	for n, v := range load {
		if p.Before[n] != v {
			t.Errorf("before: %s holds %d, proposal says %d", n, v, p.Before[n])
		}
	}
	seen := map[string]bool{}
	for _, mv := range p.Moves {
		r, ok := byID[mv.Case]
		switch {
		case seen[mv.Case]:
			t.Fatalf("case %s moved twice", mv.Case)
		case !ok || r.Assignee != mv.From || r.Status == StatusPendingApproval:
			t.Fatalf("move %+v: not a case of %s due this week that can move", mv, mv.From)
		case mv.Kind != r.Kind || mv.Due != r.Due || mv.Version != r.Version:
			t.Fatalf("move %+v does not carry the case's kind, due date and version %+v", mv, r)
		case mv.FromBefore != load[mv.From] || mv.ToBefore != load[mv.To] || mv.FromAfter != mv.FromBefore-1 || mv.ToAfter != mv.ToBefore+1:
			t.Fatalf("move %+v: counts do not follow from the loads %v", mv, load)
		case !named[mv.To] || mv.To == mv.From:
			t.Fatalf("move %+v to someone not named", mv)
		}
		seen[mv.Case] = true
		ss, gap := sumSquares(load), Spread(load)
		load[mv.From]--
		load[mv.To]++
		left[mv.From]--
		if sumSquares(load) >= ss || Spread(load) > gap {
			t.Fatalf("move %+v does not lower the spread: %v", mv, load)
		}
	}
	for n, v := range load {
		if p.After[n] != v {
			t.Errorf("after: %s holds %d, proposal says %d", n, v, p.After[n])
		}
	}
	for g := range named {
		for r := range named {
			if left[g] > 0 && load[g]-load[r] >= 2 {
				t.Errorf("the proposal stops while %s (%d, with a case to give) holds two more than %s (%d)", g, load[g], r, load[r])
			}
		}
	}
}

func TestRebalanceRandomLoads(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 10))
	statuses := []Status{StatusAssigned, StatusInReview, StatusAwaitingInfo, StatusPendingApproval, StatusDecided}
	for i := range 300 {
		loads := map[string][]QueueRow{}
		var names []string
		for n := range 1 + r.IntN(6) {
			who := string(rune('a' + n))
			names = append(names, who)
			for range r.IntN(12) {
				loads[who] = append(loads[who], rows(who, 1, r.IntN(12)-2, statuses[r.IntN(len(statuses))])...)
			}
			for j := range loads[who] {
				loads[who][j].ID = fmt.Sprintf("%s-%d", who, j)
			}
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkMoves(t, loads, names, ProposeRebalance(loads, names, rebalanceDay), rebalanceDay)
		})
	}
}

func TestRebalanceMovesUnstartedLatestFirst(t *testing.T) {
	today := rebalanceDay
	loads := map[string][]QueueRow{"a": {
		{ID: "URGENT-STARTED", Status: StatusInReview, Due: today.AddDays(1)},
		{ID: "LATE-STARTED", Status: StatusInReview, Due: today.AddDays(6)},
		{ID: "EARLY-NEW", Status: StatusAssigned, Due: today.AddDays(2)},
		{ID: "LATE-NEW", Status: StatusAssigned, Due: today.AddDays(5)},
	}}
	var got []string
	for _, mv := range ProposeRebalance(loads, []string{"a", "b"}, today).Moves {
		got = append(got, fmt.Sprintf("%s %s->%s %d/%d %d/%d", mv.Case, mv.From, mv.To, mv.FromBefore, mv.FromAfter, mv.ToBefore, mv.ToAfter))
	}
	want := []string{"LATE-NEW a->b 4/3 0/1", "EARLY-NEW a->b 3/2 1/2"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("moves %v, want %v", got, want)
	}
}

func TestPlaceCases(t *testing.T) {
	today := rebalanceDay
	load := func(user string, week, open int) Load {
		return Load{User: user, Counts: Counts{DueWeek: week, Open: open}}
	}
	row := func(id, holder string, days int) QueueRow {
		return QueueRow{ID: id, Assignee: holder, Status: StatusAssigned, Kind: KindProtest, Due: today.AddDays(days), Version: 3}
	}
	tests := []struct {
		name      string
		marked    []QueueRow
		loads     []Load
		reviewers []string
		want      string // case>to(before/after) for each placement, in order
	}{
		{"a reviewer's cases due this week spread over the others, earliest first",
			[]QueueRow{row("X3", "a", 6), row("X1", "a", 1), row("X2", "a", 2)},
			[]Load{load("a", 5, 10), load("b", 1, 3), load("c", 2, 2)}, nil,
			"X1>b(1/2) X2>c(2/3) X3>b(2/3)"},
		{"a case not due this week goes to the fewest open",
			[]QueueRow{row("L", "a", 30)},
			[]Load{load("a", 5, 10), load("b", 0, 9), load("c", 4, 2)}, nil,
			"L>c(4/4)"},
		{"the holder's own load is counted out first, but the holder never takes it back",
			[]QueueRow{row("X", "a", 1), row("Y", "a", 2)},
			[]Load{load("a", 2, 2), load("b", 1, 5)}, nil,
			"X>b(1/2) Y>b(2/3)"},
		{"unassigned cases go to anyone; the unassigned line takes none",
			[]QueueRow{row("U1", "", 1), row("U2", "", 3)},
			[]Load{load("", 2, 2), load("a", 3, 3), load("b", 3, 4)}, nil,
			"U1>a(3/4) U2>b(3/4)"},
		{"only named reviewers take cases",
			[]QueueRow{row("X", "a", 1)},
			[]Load{load("a", 3, 3), load("b", 0, 0), load("sup", 0, 0)}, []string{"a", "b"},
			"X>b(0/1)"},
		{"nobody but the holder", []QueueRow{row("X", "a", 1)}, []Load{load("a", 3, 3)}, nil, "X>(0/0)"},
		{"a case marked twice is placed once", []QueueRow{row("X", "a", 1), row("X", "a", 1)}, []Load{load("a", 3, 3), load("b", 0, 0)}, nil, "X>b(0/1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := PlaceCases(tt.marked, tt.loads, tt.reviewers, today)
			var got []string
			for _, p := range ps {
				got = append(got, fmt.Sprintf("%s>%s(%d/%d)", p.Case, p.To, p.ToBefore, p.ToAfter))
				if p.To == "" && p.Why == "" {
					t.Errorf("%s has no holder and no reason", p.Case)
				}
				if p.Version != 3 || p.Kind != KindProtest {
					t.Errorf("%s: placement lost the case's version or kind: %+v", p.Case, p)
				}
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("placements %s, want %s", s, tt.want)
			}
		})
	}
}

// TestPlaceCasesKeepsTheSpreadSmallest compares the placement with every possible one on small sets.
func TestPlaceCasesKeepsTheSpreadSmallest(t *testing.T) {
	today := rebalanceDay
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 200 {
		names := []string{"a", "b", "c", "d"}[:2+r.IntN(3)]
		var loads []Load
		week := map[string]int{}
		for _, n := range names {
			w := r.IntN(6)
			loads = append(loads, Load{User: n, Counts: Counts{DueWeek: w, Open: w + r.IntN(4)}})
			week[n] = w
		}
		var marked []QueueRow
		for j := range 1 + r.IntN(4) {
			holder := names[r.IntN(len(names))]
			if week[holder] == 0 {
				continue
			}
			week[holder]--
			marked = append(marked, QueueRow{ID: fmt.Sprint("M", j), Assignee: holder, Status: StatusAssigned, Due: today.AddDays(r.IntN(8))})
		}
		ps := PlaceCases(marked, loads, nil, today)
		got := map[string]int{}
		for n, v := range week {
			got[n] = v
		}
		for _, p := range ps {
			got[p.To]++
		}
		best := 1 << 30
		var try func(k int, w map[string]int)
		try = func(k int, w map[string]int) {
			if k == len(marked) {
				best = min(best, Spread(w))
				return
			}
			for _, n := range names {
				if n != marked[k].Assignee {
					w[n]++
					try(k+1, w)
					w[n]--
				}
			}
		}
		try(0, week)
		if Spread(got) != best {
			sort.Strings(names)
			t.Errorf("set %d: placements %+v give spread %d (%v), the best is %d", i, ps, Spread(got), got, best)
		}
	}
}
