package cases

import (
	"fmt"
	"testing"
	"time"
)

func TestRebalance(t *testing.T) {
	today := NewDate(2026, time.March, 2)
	rows := func(who string, n int, days int, status Status) []QueueRow {
		out := make([]QueueRow, n)
		for i := range out {
			out[i] = QueueRow{ID: fmt.Sprintf("%s-%02d-%d", who, days, i), Assignee: who, Status: status, Due: today.AddDays(days)}
		}
		return out
	}
	cat := func(rs ...[]QueueRow) []QueueRow {
		var out []QueueRow
		for _, r := range rs {
			out = append(out, r...)
		}
		return out
	}
	tests := []struct {
		name      string
		loads     map[string][]QueueRow
		reviewers []string
		moves     int
		after     map[string]int // due-this-week load after the moves
	}{
		{"already even", map[string][]QueueRow{"a": rows("a", 2, 3, StatusAssigned), "b": rows("b", 3, 3, StatusAssigned)}, []string{"a", "b"}, 0, map[string]int{"a": 2, "b": 3}},
		{"one overloaded", map[string][]QueueRow{"a": rows("a", 6, 3, StatusAssigned)}, []string{"a", "b", "c"}, 4, map[string]int{"a": 2, "b": 2, "c": 2}},
		{"overdue and later cases are not this week's load", map[string][]QueueRow{
			"a": cat(rows("a", 5, -2, StatusAssigned), rows("a", 5, 30, StatusAssigned), rows("a", 1, 7, StatusAssigned))},
			[]string{"a", "b"}, 0, map[string]int{"a": 1, "b": 0}},
		{"pending approval and decided cases stay", map[string][]QueueRow{
			"a": cat(rows("a", 4, 2, StatusPendingApproval), rows("a", 3, 2, StatusDecided))}, []string{"a", "b"}, 0, map[string]int{"a": 0, "b": 0}},
		{"only named reviewers give or take", map[string][]QueueRow{"sup": rows("sup", 9, 1, StatusAssigned), "a": rows("a", 4, 1, StatusAssigned)},
			[]string{"a", "b"}, 2, map[string]int{"a": 2, "b": 2}},
		{"a single reviewer has nobody to share with", map[string][]QueueRow{"a": rows("a", 9, 1, StatusAssigned)}, []string{"a"}, 0, map[string]int{"a": 9}},
		{"uneven three ways", map[string][]QueueRow{"a": rows("a", 7, 1, StatusInReview), "b": rows("b", 4, 5, StatusAssigned), "c": rows("c", 0, 5, StatusAssigned)},
			[]string{"c", "b", "a", "a"}, 3, map[string]int{"a": 4, "b": 4, "c": 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			moves := Rebalance(tt.loads, tt.reviewers, today)
			if len(moves) != tt.moves {
				t.Fatalf("%d moves, want %d: %+v", len(moves), tt.moves, moves)
			}
			load := map[string]int{}
			owner := map[string]string{}
			for who, rs := range tt.loads {
				for _, r := range rs {
					owner[r.ID] = who
					left := today.DaysUntil(r.Due)
					if r.Status.Open() && r.Status != StatusPendingApproval && left >= 0 && left <= 7 {
						load[who]++
					}
				}
			}
			seen := map[string]bool{}
			for _, mv := range moves {
				if seen[mv.Case] {
					t.Fatalf("case %s moved twice", mv.Case)
				}
				seen[mv.Case] = true
				if owner[mv.Case] != mv.From {
					t.Fatalf("move %+v: case belongs to %s", mv, owner[mv.Case])
				}
				load[mv.From]--
				load[mv.To]++
			}
			for who, want := range tt.after {
				if load[who] != want {
					t.Errorf("%s holds %d after the moves, want %d (moves %+v)", who, load[who], want, moves)
				}
			}
			if again := Rebalance(tt.loads, tt.reviewers, today); fmt.Sprint(again) != fmt.Sprint(moves) {
				t.Fatalf("not deterministic: %v then %v", moves, again)
			}
		})
	}
}

func TestRebalanceMovesUnstartedLatestFirst(t *testing.T) {
	today := NewDate(2026, time.March, 2)
	loads := map[string][]QueueRow{"a": {
		{ID: "URGENT-STARTED", Status: StatusInReview, Due: today.AddDays(1)},
		{ID: "LATE-STARTED", Status: StatusInReview, Due: today.AddDays(6)},
		{ID: "EARLY-NEW", Status: StatusAssigned, Due: today.AddDays(2)},
		{ID: "LATE-NEW", Status: StatusAssigned, Due: today.AddDays(5)},
	}}
	moves := Rebalance(loads, []string{"a", "b"}, today)
	want := []Move{{"LATE-NEW", "a", "b", 0}, {"EARLY-NEW", "a", "b", 0}}
	if fmt.Sprint(moves) != fmt.Sprint(want) {
		t.Fatalf("moves %v, want %v", moves, want)
	}
}
