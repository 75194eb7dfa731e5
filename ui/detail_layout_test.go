package ui

import (
	"fmt"
	"strings"
	"testing"

	"ceedesk/cases"
	"ceedesk/store"
)

// addCases loads more cases into a test store.
func addCases(t *testing.T, s *store.Store, cs ...*cases.Case) {
	t.Helper()
	for _, c := range cs {
		if errs := cases.Validate(c); len(errs) > 0 {
			t.Fatalf("case %s is invalid: %v", c.ID, errs)
		}
	}
	i := 0
	if n, err := s.Load(store.Operator, func() (*cases.Case, bool) {
		if i == len(cs) {
			return nil, false
		}
		i++
		return cs[i-1], true
	}, nil); err != nil || n != len(cs) {
		t.Fatalf("load: %d cases, %v", n, err)
	}
}

// furtherReview is a protest of Acme's under further review with an accelerated disposition request: the case
// with the longest clock labels.
func furtherReview() *cases.Case {
	e := entry("B76", "0324527", "2704", d(2025, 1, 6), line(1, "8471300100", "Portable computers, 14 in.", "CN", 48_000_00, 0))
	e.Liquidated = d(2025, 11, 14)
	return &cases.Case{ID: "2704-26-100200", Kind: cases.KindProtest, Center: "ELEC", Version: 1, Importer: acme, Entry: e,
		Received: d(2025, 11, 20), Assignee: "alice", Assigned: d(2025, 11, 21), Status: cases.StatusInReview,
		Protest: &cases.Protest{Number: "2704-26-100200", Filed: d(2025, 11, 20), Protested: d(2025, 11, 14),
			Grounds: []cases.Ground{cases.GroundValue}, Claimed: 4_000_00, AccelMailed: d(2026, 2, 25),
			FurtherReview: true, AFRFiled: d(2025, 11, 20), OriginalDeciders: []string{"bob"}}}
}

// Clock labels were cut at 34 cells at any width ("File application for further revi…"). From 120 columns they
// show whole; at 80 a long one is cut, keeping most of its words and its columns in line.
func TestClockLabelsUseTheWidth(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	c := furtherReview()
	var labels []string
	for _, k := range cases.Clocks(c, cases.DefaultPolicy()) {
		l := k.Name
		if k.Action {
			l += " (action)"
		}
		labels = append(labels, l)
	}
	if len(labels) < 3 {
		t.Fatalf("the fixture has %d clocks: %v", len(labels), labels)
	}
	for _, size := range [][2]int{{80, 60}, {120, 60}, {160, 60}, {200, 60}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			s := newTestStore(t)
			addCases(t, s, c)
			m := run(t, testOptions(t, s, "alice"), size[0], size[1], append(append([]string{":"}, chars("open "+c.ID)...), "enter")...)
			if m.pane != paneDetail || m.d.c == nil || m.d.c.ID != c.ID {
				t.Fatalf("the case did not open: pane %s", m.pane)
			}
			view := m.View()
			checkPaneScreen(t, view, size[0], size[1])
			var head int
			lines := strings.Split(view, "\n")
			for i, l := range lines {
				if strings.Contains(l, "CLOCK ") && strings.Contains(l, "ACT BY") {
					head = i
				}
			}
			actBy := strings.Index(lines[head], "ACT BY")
			for _, want := range labels {
				var row string
				for _, l := range lines[head+1:] {
					if strings.Contains(l, want[:min(20, len(want))]) {
						row = l
						break
					}
				}
				if row == "" {
					t.Fatalf("no CLOCKS row for %q:\n%s", want, view)
				}
				if size[0] >= 120 && !strings.Contains(row, want) {
					t.Errorf("at %d columns the label %q should show whole: %q", size[0], want, row)
				}
				if !strings.Contains(row, want) {
					if !strings.Contains(row, want[:min(24, len(want))]) {
						t.Errorf("at %d columns a cut label should keep its first 24 cells: %q", size[0], row)
					}
					if strings.HasSuffix(want, " (action)") && !strings.Contains(row, "… (action)") {
						t.Errorf("at %d columns a cut label should still say it is the Center's action: %q", size[0], row)
					}
				}
				if i := strings.Index(row, "20"); i < 0 || width(row[:i]) != actBy {
					t.Errorf("the act-by date is out of its column (at %d, head at %d): %q", width(row[:max(i, 0)]), actBy, row)
				}
			}
		})
	}
}
