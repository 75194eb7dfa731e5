package cli

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"ceedesk/cases"
)

func TestReportCommand(t *testing.T) {
	st, _ := seededStore(t, 600)
	for _, width := range []string{"60", "80", "200"} {
		out, errOut, code := runLocal(st, "sofia", "report", "--width", width)
		if code != ExitOK {
			t.Fatalf("report: exit %d: %s", code, errOut)
		}
		for _, want := range []string{"Center at a glance: ELEC, as of 2026-03-02\nElectronics, Los Angeles\n", "(unassigned)", "alice", "overdue", "over 90 days", "week of 2026-02-23", "(to date)", "Clocks met on time"} {
			if !strings.Contains(out, want) {
				t.Errorf("report lacks %q:\n%s", want, out)
			}
		}
		w := 0
		for _, line := range strings.Split(out, "\n") {
			w = max(w, utf8.RuneCountInString(line))
		}
		if limit, _ := strconv.Atoi(width); w > limit {
			t.Errorf("--width %s: a line is %d columns:\n%s", width, w, out)
		}
		if strings.Contains(out, "\x1b") {
			t.Error("the report carries escape sequences: it must read without colour")
		}
	}
	out, _, code := runLocal(st, "sofia", "report", "--format", "csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != ExitOK || err != nil || len(recs) < 2 || strings.Join(recs[0], ",") != "center,as_of,figure,label,measure,value" {
		t.Fatalf("report --format csv: exit %d, %v\n%s", code, err, out)
	}
	r, err := st.Report("sofia", "ELEC", cases.NewDate(2026, 3, 2))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, rec := range recs[1:] {
		if len(rec) != 6 || rec[0] != "ELEC" || rec[1] != "2026-03-02" {
			t.Fatalf("csv row %q", rec)
		}
		if rec[2] == "holder" && rec[3] == "total" && rec[4] == "open" {
			found = rec[5] == strconv.Itoa(r.Total.Open)
		}
	}
	if !found {
		t.Errorf("csv total open is not the report's %d:\n%s", r.Total.Open, out)
	}
}
