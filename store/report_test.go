package store

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"ceedesk/cases"
)

// boardOf is what the workload board of a Center should show, counted from the cases: holder -> counts.
func boardOf(s *Store, cs []*cases.Case, center string, day cases.Date) (map[string]cases.Counts, cases.Counts) {
	board := map[string]cases.Counts{"": {}}
	var total cases.Counts
	for _, c := range cs {
		if c.Center != center {
			continue
		}
		r := c.Row(s.Policy())
		n := board[c.Assignee]
		n.Tally(&r, day)
		if c.Status.Open() {
			board[c.Assignee] = n
		}
		total.Tally(&r, day)
	}
	return board, total
}

func checkBoard(t *testing.T, s *Store, cs []*cases.Case, center string) {
	t.Helper()
	loads, err := s.Workload("admin", center, today)
	if err != nil {
		t.Fatal(err)
	}
	want, total := boardOf(s, cs, center, today)
	var sum cases.Counts
	got := map[string]cases.Counts{}
	for i, l := range loads {
		if i == 0 && l.User != "" {
			t.Fatalf("%s board does not start with the unassigned line: %+v", center, loads[0])
		}
		if i > 1 && l.User <= loads[i-1].User {
			t.Errorf("%s board is not in name order: %s after %s", center, l.User, loads[i-1].User)
		}
		got[l.User] = l.Counts
		sum.Open += l.Counts.Open
		sum.Overdue += l.Counts.Overdue
		sum.DueWeek += l.Counts.DueWeek
		sum.Pending += l.Counts.Pending
		sum.Revenue += l.Counts.Revenue
	}
	for who, c := range want {
		if got[who] != c {
			t.Errorf("%s board: %q holds %+v, the cases give %+v", center, who, got[who], c)
		}
	}
	if sum != total {
		t.Errorf("%s board sums to %+v; the Center's open cases are %+v", center, sum, total)
	}
	if c, err := s.Counts("admin", cases.QueueQuery{Center: center, Today: today}); err != nil || c != total {
		t.Errorf("%s counts %+v (%v), the cases give %+v", center, c, err, total)
	}
}

func TestWorkloadHasTheUnassignedLineAndSumsToTheCenter(t *testing.T) {
	s, cs := fixture(t, 400)
	checkBoard(t, s, cs, "ELEC")
	checkBoard(t, s, cs, "PHARMA")
	loads, _ := s.Workload("sofia", "ELEC", today)
	if loads[0].User != "" || loads[0].Counts.Open == 0 {
		t.Fatalf("the fixture has unassigned ELEC cases; the board's first line is %+v", loads[0])
	}

	// assigning an unassigned case moves it from the unassigned line
	u := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && c.Assignee == "" && c.Status.Open() })
	if _, err := s.Assign("sofia", []string{u.ID}, nil, "carol", "", today); err != nil {
		t.Fatal(err)
	}
	cs = current(t, s, cs)
	checkBoard(t, s, cs, "ELEC")

	// a reviewer moved to another Center keeps her cases there: each Center's board counts its own
	if err := s.SetUser(Operator, cases.User{Name: "bob", Role: cases.RoleReviewer, Center: "PHARMA", Display: "Bob Okafor"}); err != nil {
		t.Fatal(err)
	}
	checkBoard(t, s, cs, "ELEC")
	checkBoard(t, s, cs, "PHARMA")
	pharma, _ := s.Workload("priya", "PHARMA", today)
	for _, l := range pharma {
		if l.User == "bob" && l.Counts.Open != 0 {
			t.Errorf("PHARMA's board counts bob's ELEC cases: %+v", l)
		}
	}
	mustCheck(t, s)
}

func TestReport(t *testing.T) {
	s, cs := worked(t, 600)
	cs = current(t, s, cs)
	for _, center := range []string{"ELEC", "PHARMA"} {
		t.Run(center, func(t *testing.T) {
			r, err := s.Report("admin", center, today)
			if err != nil {
				t.Fatal(err)
			}
			want := cases.NewReport(center, today)
			board, total := boardOf(s, cs, center, today)
			for _, c := range cs {
				if c.Center != center {
					continue
				}
				if c.Status.Open() {
					want.AddOpen(cases.DueDate(c, s.Policy()), 1)
				}
				if on := cases.DecisionDate(c); on != 0 {
					want.AddDecision(on, cases.DueDate(c, s.Policy()))
				}
			}
			if r.Total != total {
				t.Errorf("total %+v, want %+v", r.Total, total)
			}
			for _, l := range r.Holders {
				if l.Counts != board[l.User] {
					t.Errorf("holder %q: %+v, want %+v", l.User, l.Counts, board[l.User])
				}
			}
			if fmt.Sprint(r.Aging) != fmt.Sprint(want.Aging) {
				t.Errorf("aging %v, want %v", r.Aging, want.Aging)
			}
			if fmt.Sprint(r.Weeks) != fmt.Sprint(want.Weeks) || r.Decided != want.Decided || r.OnTime != want.OnTime {
				t.Errorf("weeks %v (%d, %d on time), want %v (%d, %d)", r.Weeks, r.Decided, r.OnTime, want.Weeks, want.Decided, want.OnTime)
			}
			if r.Decided == 0 {
				t.Error("the fixture decides cases in the last 12 weeks; the report counts none")
			}
			aged := 0
			for _, b := range r.Aging {
				aged += b.Cases
			}
			if aged != r.Total.Open || r.Aging[0].Cases != r.Total.Overdue || r.Aging[1].Cases != r.Total.DueWeek {
				t.Errorf("aging %v does not add up to the open, overdue and due-this-week counts %+v", r.Aging, r.Total)
			}
		})
	}
	// every decision MetOnTime calls on time, the report does
	for _, c := range cs {
		if on := cases.DecisionDate(c); on != 0 && on <= today && on >= cases.NewReport("", today).FirstDay() {
			r := cases.NewReport("", today)
			r.AddDecision(on, cases.DueDate(c, s.Policy()))
			if (r.OnTime == 1) != cases.MetOnTime(c, s.Policy()) {
				t.Fatalf("%s: report and MetOnTime disagree", c.ID)
			}
		}
	}
}

func TestReportObeysTheAccessRule(t *testing.T) {
	s, _ := fixture(t, 50)
	for _, who := range []string{"alice", "priya", "mallory"} {
		if _, err := s.Report(who, "ELEC", today); !errors.Is(err, cases.ErrForbidden) {
			t.Errorf("%s reads ELEC's report: %v", who, err)
		}
	}
	for _, who := range []string{"sofia", "admin", Operator} {
		if _, err := s.Report(who, "elec", today); err != nil {
			t.Errorf("%s reads ELEC's report: %v", who, err)
		}
	}
}

// BenchmarkReport is a Center at a glance on the large store, as a supervisor's screen or ceedesk report asks.
func BenchmarkReport(b *testing.B) {
	s, err := Open(bigStore(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	day := cases.DateOf(time.Now())
	b.Run("report", func(b *testing.B) {
		for b.Loop() {
			r, err := s.Report("sofia", "ELEC", day)
			if err != nil || r.Total.Open == 0 {
				b.Fatalf("report: %v", err)
			}
		}
	})
	b.Run("workload", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Workload("sofia", "ELEC", day); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("approval-rows", func(b *testing.B) {
		var n int
		for b.Loop() {
			rows, err := s.ApprovalRows("sofia", "ELEC")
			if err != nil {
				b.Fatal(err)
			}
			n = len(rows)
		}
		b.ReportMetric(float64(n), "rows")
	})
}
