package cases

import "sort"

// ImporterView is every case of one importer that a user may see, across kinds and Centers, grouped by entry:
// what a reviewer looks at to see an importer's whole business with the Center.
type ImporterView struct {
	Number   string    `json:"number"`   // the importer number, as ParseImporterNumber writes it
	Name     string    `json:"name"`     // as the most recently received case names the importer (outside text: clean it to show it)
	Programs []Program `json:"programs"` // the trusted-partner programs any of the cases records, in Programs order
	Centers  []string  `json:"centers"`  // the Centers of the cases, in code order
	// Entries holds the cases by entry: entries with open cases first, earliest due first, then the others by
	// entry number.
	Entries     []EntryGroup `json:"entries"`
	Open        int          `json:"open"`
	Decided     int          `json:"decided"`
	Revenue     Cents        `json:"revenue"`      // revenue at stake over every case
	OpenRevenue Cents        `json:"open_revenue"` // revenue at stake over the open cases
	// Listed is how many cases Entries holds; fewer than Open+Decided when the importer has more cases than a
	// view lists (the open ones, earliest due first, are listed first). The totals count every case.
	Listed int `json:"listed"`
}

// EntryGroup is the cases of one entry in an importer's view, with their totals.
type EntryGroup struct {
	Entry       string     `json:"entry"`
	Cases       []QueueRow `json:"cases"` // open cases first, earliest due first, then the decided ones
	Open        int        `json:"open"`
	Decided     int        `json:"decided"`
	Revenue     Cents      `json:"revenue"`
	OpenRevenue Cents      `json:"open_revenue"`
	Due         Date       `json:"due,omitempty"` // the earliest due date of its open cases; zero when none is open
}

// Tally counts one case in the view's totals.
func (v *ImporterView) Tally(r *QueueRow) {
	if r.Status.Open() {
		v.Open++
		v.OpenRevenue += r.Revenue
	} else {
		v.Decided++
	}
	v.Revenue += r.Revenue
}

// Group sets Entries and Listed from rows, which are in the order the cases are listed (open first, earliest due
// first): each case goes to its entry's group in that order.
func (v *ImporterView) Group(rows []QueueRow) {
	at := map[string]int{}
	v.Entries = v.Entries[:0]
	for _, r := range rows {
		i, ok := at[r.Entry]
		if !ok {
			i = len(v.Entries)
			at[r.Entry] = i
			v.Entries = append(v.Entries, EntryGroup{Entry: r.Entry})
		}
		g := &v.Entries[i]
		g.Cases = append(g.Cases, r)
		g.Revenue += r.Revenue
		if r.Status.Open() {
			g.Open++
			g.OpenRevenue += r.Revenue
			if g.Due == 0 || r.Due < g.Due {
				g.Due = r.Due
			}
		} else {
			g.Decided++
		}
	}
	for i := range v.Entries {
		g := v.Entries[i].Cases
		sort.SliceStable(g, func(a, b int) bool {
			if oa, ob := g[a].Status.Open(), g[b].Status.Open(); oa != ob {
				return oa
			}
			return g[a].Due < g[b].Due
		})
	}
	sort.SliceStable(v.Entries, func(a, b int) bool {
		ea, eb := &v.Entries[a], &v.Entries[b]
		if (ea.Open > 0) != (eb.Open > 0) {
			return ea.Open > 0
		}
		if ea.Open > 0 && ea.Due != eb.Due {
			return ea.Due < eb.Due
		}
		return ea.Entry < eb.Entry
	})
	v.Listed = len(rows)
}
