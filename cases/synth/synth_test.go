package synth

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"ceedesk/cases"
)

var today = cases.NewDate(2026, 11, 28)

func TestDeterministic(t *testing.T) {
	a, b := New(7, today), New(7, today)
	for i := 0; i < 500; i++ {
		x, y := a.Next(), b.Next()
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("case %d differs for the same seed:\n%+v\n%+v", i, x, y)
		}
	}
	c := New(8, today)
	if reflect.DeepEqual(New(7, today).Next(), c.Next()) {
		t.Fatal("different seeds gave the same first case")
	}
}

func TestCasesAreValidAndRealistic(t *testing.T) {
	g := New(1, today)
	users := map[string]cases.User{}
	for _, u := range g.Users() {
		users[u.Name] = u
	}
	p := cases.DefaultPolicy()
	kinds := map[cases.Kind]int{}
	centers := map[string]int{}
	ids := map[string]bool{}
	overdue, week, findings := 0, 0, 0
	const n = 20000
	for i := 0; i < n; i++ {
		c := g.Next()
		if errs := cases.Validate(c); len(errs) > 0 {
			b, _ := json.Marshal(c)
			t.Fatalf("case %d invalid: %v\n%s", i, errs, b)
		}
		if ids[c.ID] {
			t.Fatalf("duplicate id %s", c.ID)
		}
		ids[c.ID] = true
		kinds[c.Kind]++
		centers[c.Center]++
		if c.Assignee != "" {
			u, ok := users[c.Assignee]
			if !ok || u.Center != c.Center {
				t.Fatalf("case %s assigned to %q, not a user of %s", c.ID, c.Assignee, c.Center)
			}
		}
		if c.Status == cases.StatusPendingApproval && !cases.NeedsApproval(c, *c.Decision, p) {
			t.Fatalf("case %s pending approval but its decision needs none", c.ID)
		}
		if c.Decision != nil {
			if err := cases.CheckDecision(c, *c.Decision); err != nil {
				t.Fatalf("case %s: stored decision breaks the rules: %v", c.ID, err)
			}
		}
		if c.Status.Open() {
			left := today.DaysUntil(cases.DueDate(c, p))
			switch {
			case left < 0:
				overdue++
			case left <= 7:
				week++
			}
		}
		if len(cases.Findings(c, p, today)) > 0 {
			findings++
		}
		for _, l := range c.Entry.Lines {
			ch := l.HTS[:2]
			if c.Center == "ELEC" && ch != "84" && ch != "85" || c.Center == "PHARMA" && ch != "29" && ch != "30" {
				t.Fatalf("case %s line HTS %s outside the Center's chapters", c.ID, l.HTS)
			}
		}
	}
	for _, k := range cases.Kinds {
		if kinds[k] < n/20 {
			t.Errorf("only %d %s cases of %d", kinds[k], k, n)
		}
	}
	if centers["ELEC"] != n/2 || centers["PHARMA"] != n/2 {
		t.Errorf("centers %v, want an even split", centers)
	}
	if overdue < n/100 || week < n/100 {
		t.Errorf("overdue %d, due this week %d: want some of each", overdue, week)
	}
	if findings == 0 {
		t.Error("no case has a timeliness finding; the demo should show some")
	}
}

func TestUsers(t *testing.T) {
	us := New(1, today).Users()
	roles := map[string]map[cases.Role]int{}
	for _, u := range us {
		if roles[u.Center] == nil {
			roles[u.Center] = map[cases.Role]int{}
		}
		roles[u.Center][u.Role]++
	}
	for _, c := range []string{"ELEC", "PHARMA"} {
		if roles[c][cases.RoleSupervisor] != 1 || roles[c][cases.RoleReviewer] < 3 {
			t.Errorf("center %s roles %v: want a supervisor and reviewers", c, roles[c])
		}
	}
}

func BenchmarkNext(b *testing.B) {
	g := New(1, today)
	for i := 0; i < b.N; i++ {
		g.Next()
	}
}

// TestNotAfterKeepsTodaysWorkInThePast checks that a caseload seeded in the morning records nothing later that
// day, so that its export imports into another store at once.
func TestNotAfterKeepsTodaysWorkInThePast(t *testing.T) {
	today := cases.NewDate(2026, 12, 1)
	now := today.Time().Add(9*time.Hour + 30*time.Minute)
	g := New(1, today)
	g.NotAfter(now)
	seen := 0
	for i := 0; i < 3000; i++ {
		c := g.Next()
		times := []time.Time{c.UpdatedAt}
		for _, n := range c.Notes {
			times = append(times, n.At)
		}
		for _, r := range c.Requests {
			times = append(times, r.At, r.RecordedAt)
		}
		for _, n := range c.Notices {
			times = append(times, n.At)
		}
		if c.Decision != nil {
			times = append(times, c.Decision.At, c.Decision.Approved)
		}
		for _, at := range times {
			if at.After(now) {
				t.Fatalf("%s records %s, after %s", c.ID, at, now)
			}
			if cases.DateOf(at) == today {
				seen++
			}
		}
	}
	if seen == 0 {
		t.Fatal("no case recorded anything today: the test proves nothing")
	}
}
