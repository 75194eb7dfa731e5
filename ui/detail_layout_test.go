package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

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

// relatedKeys opens case id and scrolls the case pane until its RELATED section is at the top.
func relatedKeys(t *testing.T, s *store.Store, id string, w, h int) []string {
	m := newTestModel(t, s, "alice", w, h)
	press(m, openKeys(id)...)
	if m.d.c == nil || m.d.c.ID != id {
		t.Fatalf("case %s did not open: %s", id, m.status)
	}
	text := m.d.caseRecord(m.d.c, m.d.hist, &m.d.rel, w)
	at := -1
	for i, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "RELATED" {
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("case %s has no RELATED section:\n%s", id, text)
	}
	keys := openKeys(id)
	for i := 0; i < at; i++ {
		keys = append(keys, "j")
	}
	return keys
}

// TestRelatedScreens: the case pane lists the other cases of the entry and the other open cases of the importer,
// each saying why it is related.
func TestRelatedScreens(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			s := importerStore(t)
			m := run(t, testOptions(t, s, "alice"), size[0], size[1], relatedKeys(t, s, "2704-26-100123", size[0], size[1])...)
			view := m.View()
			checkPaneScreen(t, view, size[0], size[1])
			for _, want := range [][2]string{
				{"2704-26-100200", "same entry"}, {"PSC-25-000010", "same entry"},
				{"VAL-25-000001", "same importer"}, {"PSC-25-000002", "same importer"}, {"2704-26-100077", "same importer"},
			} {
				found := false
				for _, l := range strings.Split(view, "\n") {
					found = found || strings.Contains(l, want[0]) && strings.HasSuffix(strings.TrimRight(l, " "), want[1])
				}
				if !found {
					t.Errorf("RELATED should list %s as %q:\n%s", want[0], want[1], view)
				}
			}
			for _, l := range strings.Split(view, "\n") {
				if strings.Contains(l, "2704-26-100123") && strings.Contains(l, "same ") {
					t.Errorf("the case is not related to itself: %q", l)
				}
			}
			golden.RequireEqual(t, []byte(view))
		})
	}
}

// The section is bounded: an importer with many open cases lists the store's first few, and I shows them all.
func TestRelatedIsBounded(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	s := importerStore(t)
	addCases(t, s, manyCases(60)...)
	m := newTestModel(t, s, "alice", 120, 40)
	press(m, openKeys("2704-26-100123")...)
	text := m.d.caseRecord(m.d.c, m.d.hist, &m.d.rel, 120)
	_, rel, _ := strings.Cut(text, "\nRELATED\n")
	rel, _, _ = strings.Cut(rel, "\n\n")
	lines := strings.Split(rel, "\n")
	if n := len(lines) - 2; n != store.MaxRelated { // the column heads and the line that says I shows them all
		t.Fatalf("RELATED lists %d cases, want %d:\n%s", n, store.MaxRelated, rel)
	}
	if !strings.Contains(lines[len(lines)-1], "I shows every case of Acme Electronics Corp") {
		t.Fatalf("the section should end by saying how to see every case:\n%s", rel)
	}
}

// A case with nothing related says so.
func TestRelatedNone(t *testing.T) {
	m := newTestModel(t, newTestStore(t), "alice", 100, 30)
	press(m, openKeys("PEA-25-000001")...) // Summit's only other case, PSC-25-000001, is open: it is related
	if !strings.Contains(m.d.caseRecord(m.d.c, m.d.hist, &m.d.rel, 100), "PSC-25-000001") {
		t.Fatal("Summit's other open case should be related")
	}
	m = newTestModel(t, newTestStore(t), "erin", 100, 30)
	press(m, openKeys("PSC-26-000004")...)
	if m.d.c == nil {
		t.Fatalf("erin should see her case: %s", m.status)
	}
	if text := m.d.caseRecord(m.d.c, m.d.hist, &m.d.rel, 100); !strings.Contains(text, "none: no other case of this entry, and no other open case of this importer") {
		t.Fatalf("a case with nothing related should say so:\n%s", text)
	}
}

// relatedFails cannot read related cases.
type relatedFails struct{ *store.Store }

func (relatedFails) Related(string, string) ([]cases.QueueRow, error) {
	return nil, fmt.Errorf("importer index entry \"x\" is damaged (run ceedesk's check)")
}

// A related read that fails says so in the section; the case opens all the same.
func TestRelatedReadFails(t *testing.T) {
	m := newTestModel(t, relatedFails{newTestStore(t)}, "alice", 100, 30)
	press(m, openKeys("PEA-25-000001")...)
	if m.pane != paneDetail || m.d.c == nil {
		t.Fatalf("the case should open: %s", m.status)
	}
	if text := m.d.caseRecord(m.d.c, m.d.hist, &m.d.rel, 100); !strings.Contains(text, "✗ the related cases could not be read: importer index entry") {
		t.Fatalf("the section should say why it is empty:\n%s", text)
	}
}
