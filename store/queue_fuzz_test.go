package store

import (
	"slices"
	"testing"

	"ceedesk/cases"
)

// FuzzQueueFilter holds Queue and Counts to the brute-force answer for any query the filter language accepts: the
// plan's bounds (the status and kind mask, the due range, NOT and OR) may narrow the walk but never change what it
// finds.
func FuzzQueueFilter(f *testing.F) {
	for _, q := range []string{"", "kind:protest", "-status:decided", "NOT (kind:protest status:review)", "-(kind:psc OR status:review) due:week",
		"status:decided OR amount:>50000", "(status:assigned OR status:review) kind:pea", "--kind:psc", "NOT NOT status:open",
		"-status:open", "NOT (kind:psc OR kind:pea) -status:new", "due:2026-12-01..2026-12-31 OR due:..2026-11-01", "received:2026-11-01..",
		"assignee:none", "-assignee:none kind:pea", "acme OR summit -harbor", "-(due:overdue)", "status:open,decided OR kind:val",
		"NOT (NOT kind:protest OR status:decided)", "(kind:protest OR -kind:protest) status:review"} {
		f.Add(q)
	}
	s, cs := fixture(f, 200)
	f.Fuzz(func(t *testing.T, text string) {
		filter, err := cases.ParseFilter(text)
		if err != nil {
			return
		}
		for i, sort := range []cases.SortKey{cases.SortDue, cases.SortImporter, cases.SortKind, cases.SortAssignee} {
			for _, scope := range []cases.QueueQuery{{Center: "ELEC"}, {Assignee: "alice"}} {
				q := scope
				q.Sort, q.Filter, q.Limit, q.Offset, q.Today = sort, filter, 9, 3*(i%2), today
				q.Reverse, q.NoTotal, q.OpenOnly = i%2 == 1, i >= 2, i == 3
				got, err := s.Queue(Operator, q)
				if err != nil {
					t.Fatalf("%q: %v", text, err)
				}
				want := brute(s, cs, q)
				if q.NoTotal && got.Total == -1 {
					got.Total = want.Total
				}
				if got.Total != want.Total || !slices.Equal(got.Rows, want.Rows) {
					t.Fatalf("%q %+v: %d rows of %d, brute force %d of %d", text, q, len(got.Rows), got.Total, len(want.Rows), want.Total)
				}
			}
		}
		gc, err := s.Counts(Operator, cases.QueueQuery{Center: "ELEC", Filter: filter, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		var wc cases.Counts
		for _, r := range brute(s, cs, cases.QueueQuery{Center: "ELEC", Sort: cases.SortDue, Filter: filter, Today: today, Limit: 1 << 30}).Rows {
			wc.Tally(&r, today)
		}
		if gc != wc {
			t.Fatalf("Counts(%q) = %+v, want %+v", text, gc, wc)
		}
	})
}
