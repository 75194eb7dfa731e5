package cases

import (
	"fmt"
	"strings"
	"testing"
)

func TestImporterViewGroup(t *testing.T) {
	row := func(id, entry string, status Status, due string, rev Cents) QueueRow {
		return QueueRow{ID: id, Entry: entry, Status: status, Due: d(due), Revenue: rev}
	}
	rows := []QueueRow{ // in the order the store lists them: open by due, then decided by due
		row("A1", "E-A", StatusInReview, "2026-03-10", 100),
		row("B1", "E-B", StatusAssigned, "2026-03-05", 200),
		row("A2", "E-A", StatusAssigned, "2026-03-20", 300),
		row("C1", "E-C", StatusDecided, "2026-01-01", 400),
		row("A3", "E-A", StatusDecided, "2026-01-02", 500),
		row("D1", "E-0", StatusDecided, "2026-01-03", 600),
	}
	var v ImporterView
	for i := range rows {
		v.Tally(&rows[i])
	}
	v.Group(rows)
	var got []string
	for _, g := range v.Entries {
		var ids []string
		for _, r := range g.Cases {
			ids = append(ids, r.ID)
		}
		got = append(got, fmt.Sprintf("%s:%s %d/%d %d/%d %s", g.Entry, strings.Join(ids, ","), g.Open, g.Decided, int64(g.OpenRevenue), int64(g.Revenue), g.Due))
	}
	want := []string{
		"E-B:B1 1/0 200/200 2026-03-05",
		"E-A:A1,A2,A3 2/1 400/900 2026-03-10",
		"E-0:D1 0/1 0/600 ",
		"E-C:C1 0/1 0/400 ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("groups:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if v.Open != 3 || v.Decided != 3 || v.Revenue != 2100 || v.OpenRevenue != 600 || v.Listed != 6 {
		t.Errorf("totals %+v", v)
	}
}

func TestViewScope(t *testing.T) {
	for _, tt := range []struct {
		u      User
		center string
		ok     bool
	}{
		{alice, "ELEC", true}, {sofia, "ELEC", true}, {erin, "PHARMA", true}, {root, "", true},
		{ghost, "", false}, {User{Name: "x", Role: RoleReviewer}, "", false},
	} {
		c, err := ViewScope(tt.u)
		if (err == nil) != tt.ok || c != tt.center {
			t.Errorf("ViewScope(%s) = %q, %v", tt.u.Name, c, err)
		}
	}
}
