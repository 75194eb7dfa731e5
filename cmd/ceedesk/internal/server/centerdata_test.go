package server

import (
	"strings"
	"testing"

	"ceedesk/cmd/ceedesk/internal/cli"
	"ceedesk/store"
)

// TestImporterAndReportObeyTheAccessRule runs `importer` and `report` as every role, over a real SSH connection
// and through the local --as path, and checks each answer: the importer's view shows only the reader's Center
// (and to a reader of another Center nothing at all, not even that the importer has cases), and the report is a
// supervisor's view of their own Center.
func TestImporterAndReportObeyTheAccessRule(t *testing.T) {
	fx, ids, elec, pharma := accessFixture(t)
	c, err := fx.st.Case(store.Operator, elec)
	if err != nil {
		t.Fatal(err)
	}
	imp := c.Importer.Number
	type check struct {
		user, command string
		status        int
		has, lacks    []string // in stdout, or for a failure in stderr
	}
	table := []check{
		{"alice", "importer " + imp, cli.ExitOK, []string{"Importer " + imp, elec, "in ELEC"}, []string{pharma, "PHARMA"}},
		{"alice", "importer " + strings.ToLower(imp) + " --format json", cli.ExitOK, []string{`"number": "` + imp + `"`, elec}, []string{"PHARMA"}},
		{"sofia", "importer " + imp, cli.ExitOK, []string{elec}, nil},
		{"admin", "importer " + imp, cli.ExitOK, []string{elec}, nil},
		{"erin", "importer " + imp, cli.ExitFail, []string{"no case you may see"}, []string{"ELEC", elec}},
		{"priya", "importer " + imp, cli.ExitFail, []string{"no case you may see"}, []string{"ELEC", elec}},
		{"alice", "importer 12-34", cli.ExitUsage, []string{"importer number"}, nil},

		{"sofia", "report", cli.ExitOK, []string{"Center at a glance: ELEC", "(unassigned)", "Clocks met on time"}, []string{"erin"}},
		{"sofia", "report --format csv", cli.ExitOK, []string{"center,as_of,figure,label,measure,value", "ELEC,", "holder,total,open"}, nil},
		{"admin", "report --center PHARMA", cli.ExitOK, []string{"PHARMA", "erin"}, nil},
		{"alice", "report", cli.ExitFail, []string{"not permitted", "supervisor's views"}, nil},
		{"erin", "report --center ELEC", cli.ExitFail, []string{"not permitted"}, nil},
		{"sofia", "report --center PHARMA", cli.ExitFail, []string{"not permitted", "yours: --center ELEC"}, nil},
		{"priya", "report --center ELEC", cli.ExitFail, []string{"not permitted"}, nil},
		{"sofia", "report --width 59", cli.ExitUsage, []string{"--width 59"}, nil},
	}
	verify := func(t *testing.T, tc check, stdout, stderr string, status int) {
		t.Helper()
		if status != tc.status {
			t.Errorf("%s as %s: exit %d, want %d: %s", tc.command, tc.user, status, tc.status, stderr)
			return
		}
		out := stdout
		if status != cli.ExitOK {
			if stdout != "" {
				t.Errorf("%s as %s: a failure printed %q", tc.command, tc.user, tail(stdout, 200))
			}
			out = stderr
		}
		for _, s := range tc.has {
			if !strings.Contains(out, s) {
				t.Errorf("%s as %s: lacks %q:\n%s", tc.command, tc.user, s, tail(out, 600))
			}
		}
		for _, s := range tc.lacks {
			if strings.Contains(out, s) {
				t.Errorf("%s as %s: shows %q, which %s may not see:\n%s", tc.command, tc.user, s, tc.user, tail(out, 600))
			}
		}
	}
	bothWays(t, fx, ids, table, func(tc check) (string, string) { return tc.user, tc.command }, verify)
	// the report's figures are the store's
	r, err := fx.st.Report("sofia", "ELEC", testToday)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, l := range r.Holders {
		sum += l.Counts.Open
	}
	if sum != r.Total.Open || r.Total.Open == 0 {
		t.Errorf("report holders sum to %d open, the Center has %d", sum, r.Total.Open)
	}
}
