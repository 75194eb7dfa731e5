package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"ceedesk/cases"
)

// checkPaneScreen fails the test when the screen is not exactly w cells by h lines at most.
func checkPaneScreen(t *testing.T, view string, w, h int) {
	t.Helper()
	for i, l := range strings.Split(view, "\n") {
		if n := width(l); n > w {
			t.Errorf("line %d is %d cells wide, screen %d: %q", i+1, n, w, l)
		}
	}
	if n := strings.Count(view, "\n") + 1; n != h {
		t.Errorf("screen has %d lines, want %d", n, h)
	}
}

// A prior disclosure's longest outcome, "Referred to Fines, Penalties and Forfeitures", is 44 cells: it ran into
// what it needs ("…Forfeituresneeds reasons"). At every width each title is followed by at least two spaces before
// its requirements.
func TestDisclosureOutcomesKeepTheirColumn(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	for _, size := range [][2]int{{80, 24}, {120, 40}, {160, 48}, {200, 60}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			// bob's queue: the validation, then the prior disclosure
			m := run(t, testOptions(t, newTestStore(t), "bob"), size[0], size[1], "j", "d")
			if m.pane != paneDecision || m.dec.c == nil || m.dec.c.Kind != cases.KindDisclosure {
				t.Fatalf("want the decision pane on the prior disclosure, got %s", m.pane)
			}
			view := m.View()
			checkPaneScreen(t, view, size[0], size[1])
			for _, s := range m.dec.specs {
				needs := needsText(s)
				if needs == "" {
					continue
				}
				var row string
				for _, l := range strings.Split(view, "\n") {
					if strings.Contains(l, needs) && strings.Contains(l, s.Title[:8]) {
						row = l
					}
				}
				if row == "" {
					t.Fatalf("no row for %q with %q:\n%s", s.Title, needs, view)
				}
				before, _, _ := strings.Cut(row, needs)
				if !strings.HasSuffix(before, "  ") {
					t.Errorf("%q runs into %q: %q", s.Title, needs, row)
				}
				if !strings.Contains(row, s.Title) {
					t.Errorf("the whole title %q should show at %d columns: %q", s.Title, size[0], row)
				}
			}
			if size == [2]int{80, 24} || size == [2]int{120, 40} {
				golden.RequireEqual(t, []byte(view))
			}
		})
	}
}

// On a screen too narrow for the longest title the titles are cut, never the gap.
func TestOutcomeColumnNarrow(t *testing.T) {
	specs := cases.Outcomes(&cases.Case{Kind: cases.KindDisclosure, Disclosure: &cases.Disclosure{}})
	for _, w := range []int{40, 50, 62, 80, 200} {
		col := outcomeColumn(specs, w)
		for _, s := range specs {
			title := fit(s.Title, col-outcomeGap) + strings.Repeat(" ", outcomeGap)
			if !strings.HasSuffix(title, "  ") || width(title) != col {
				t.Errorf("width %d: title %q in %d cells", w, title, col)
			}
		}
		if w >= 62 && col < width("Referred to Fines, Penalties and Forfeitures")+outcomeGap {
			t.Errorf("width %d: the column is %d cells, too narrow for the longest title with room to spare", w, col)
		}
	}
}
