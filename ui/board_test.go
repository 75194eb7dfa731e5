package ui

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"ceedesk/cases"
	"ceedesk/store"
)

// The supervisor's views: the workload board and its charts, rebalancing, bulk reassignment, approvals.

// addCases loads more cases into a test store.
func loadCases(t testing.TB, s *store.Store, cs []*cases.Case) {
	t.Helper()
	i := 0
	if _, err := s.Load(store.Operator, func() (*cases.Case, bool) {
		if i == len(cs) {
			return nil, false
		}
		i++
		return cs[i-1], true
	}, nil); err != nil {
		t.Fatal(err)
	}
}

// decideOn records a decision by who on the day on, acknowledging a late one.
func decideOn(t testing.TB, s *store.Store, who, id string, o cases.Outcome, on cases.Date, reasons string) {
	t.Helper()
	c, err := s.Case(store.Operator, id)
	if err != nil {
		t.Fatal(err)
	}
	dec := cases.Decision{Outcome: o, Reasons: reasons}
	if w, late := cases.LateDecision(c, dec, s.Policy(), on); late {
		dec.LateAck = cases.AckLate(w, who)
	}
	if _, err := s.Decide(who, id, 0, dec, on); err != nil {
		t.Fatalf("decide %s: %v", id, err)
	}
}

// boardStore is the fixture's store with corrections decided over the weeks before testToday, so that the board's
// charts have weeks to draw: a few a week, more lately, two after their clock ran out.
func boardStore(t testing.TB) *store.Store {
	t.Helper()
	s := newTestStore(t)
	days := []cases.Date{d(2025, 12, 17), d(2026, 1, 7), d(2026, 1, 8), d(2026, 1, 21), d(2026, 2, 4), d(2026, 2, 5),
		d(2026, 2, 6), d(2026, 2, 18), d(2026, 2, 19), d(2026, 2, 24), d(2026, 2, 25), d(2026, 2, 26), d(2026, 3, 2)}
	var extra []*cases.Case
	for i := range days {
		entered := d(2025, 6, 2)
		if i == 7 || i == 10 {
			entered = d(2025, 2, 3) // its clock ran out before the decision
		}
		extra = append(extra, &cases.Case{ID: fmt.Sprintf("PSC-25-%06d", 100+i), Kind: cases.KindPSC, Center: "ELEC", Importer: summit, Version: 1,
			Entry:    entry("9K4", fmt.Sprintf("55601%02d", i), "2720", entered, line(1, "8517620090", "Network switches", "TW", 12_000_00, 250)),
			Received: d(2025, 11, 3), Assignee: []string{"alice", "bob"}[i%2], Assigned: d(2025, 11, 4), Status: cases.StatusInReview,
			PSC: &cases.PSC{Filed: d(2025, 11, 3), Version: 2, ReasonCodes: []string{"001"}, DutyDiff: -100_00, Explanation: "Corrects line 1."}})
	}
	loadCases(t, s, extra)
	for i, c := range extra {
		decideOn(t, s, c.Assignee, c.ID, cases.OutcomeAccepted, days[i], "The correction is supported by the invoice.")
	}
	return s
}

// exclusionProtests are n protests of an exclusion for who, filed on consecutive days from filed: each is due 30
// days after it was filed, so that filed early in February they fall due in testToday's week.
func exclusionProtests(who string, first int, filed cases.Date, n int) []*cases.Case {
	var out []*cases.Case
	for i := range n {
		id := fmt.Sprintf("2709-26-%06d", first+i)
		e := entry("ABC", fmt.Sprintf("77001%02d", first%100+i), "2709", d(2025, 2, 3), line(1, "8517620090", "Network switches", "TW", 20_000_00, 250))
		e.Liquidated = d(2025, 12, 12)
		on := filed.AddDays(i % 4)
		out = append(out, &cases.Case{ID: id, Kind: cases.KindProtest, Center: "ELEC", Importer: harbor, Entry: e, Received: on, Version: 1,
			Assignee: who, Assigned: on, Status: cases.StatusAssigned,
			Protest: &cases.Protest{Number: id, Filed: on, Protested: on.AddDays(-3), Grounds: []cases.Ground{cases.GroundExclusion}, Claimed: 500_00}})
	}
	return out
}

// screen is one golden screen of a supervisor's view: a store, the keys pressed from the queue, the sizes.
type screen struct {
	name  string
	desk  func(testing.TB) *store.Store
	keys  []string
	sizes [][2]int
}

// bothSizes are the sizes every view has a golden screen at.
var bothSizes = [][2]int{{80, 24}, {160, 48}}

// compareScreens compares each screen with its golden file as sofia, ELEC's supervisor, sees it (go test ./ui
// -update rewrites them).
func compareScreens(t *testing.T, screens []screen) {
	t.Setenv("NO_COLOR", "")
	for _, sc := range screens {
		for _, size := range sc.sizes {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				m := drive(t, sc.desk(t), "sofia", size[0], size[1], sc.keys...)
				view := m.View()
				checkScreen(t, view, size[0], size[1])
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}

// rebalanceStore is the fixture's store with alice holding five more cases due this week: rebalancing moves
// three of them.
func rebalanceStore(t testing.TB) *store.Store {
	t.Helper()
	s := newTestStore(t)
	loadCases(t, s, exclusionProtests("alice", 100200, d(2026, 2, 3), 5))
	return s
}

// evenStore is the fixture's store with one of alice's two cases due this week given to bob: nothing would even
// the load more.
func evenStore(t testing.TB) *store.Store {
	t.Helper()
	s := newTestStore(t)
	if _, err := s.Assign("sofia", []string{"PSC-25-000002"}, nil, "bob", "covering", testToday); err != nil {
		t.Fatal(err)
	}
	return s
}

// strandedStore is the fixture's store with tom disabled and a disclosure sofia decided herself: no other
// supervisor of ELEC may approve it.
func strandedStore(t testing.TB) *store.Store {
	t.Helper()
	s := newTestStore(t)
	tom := user(t, "tom")
	tom.Disabled = true
	tom.Created = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	if err := s.SetUser(store.Operator, tom); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Assign("sofia", []string{"PD-26-000001"}, nil, "sofia", "covering", testToday); err != nil {
		t.Fatal(err)
	}
	decideOn(t, s, "sofia", "PD-26-000001", cases.OutcomeNotPerfected, testToday, "Nothing supplied in 30 days.")
	return s
}

// manyPendingStore has 30 more denied protests waiting for approval, for the approvals list's count and paging.
func manyPendingStore(t testing.TB) *store.Store {
	t.Helper()
	s := newTestStore(t)
	ps := exclusionProtests("bob", 100300, d(2026, 2, 10), 30)
	for _, c := range ps {
		c.Protest.Claimed = 40_000_00
	}
	loadCases(t, s, ps)
	for _, c := range ps {
		decideOn(t, s, "bob", c.ID, cases.OutcomeDenied, testToday, "The goods were excluded under the order in force.")
	}
	return s
}

// key is the message a terminal sends for a key name, the paging keys included.
func pressKey(k string) tea.KeyMsg {
	switch k {
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	}
	return keyMsg(k)
}

// drive runs the workstation through a real Bubble Tea program with keys and returns the final model.
func drive(t *testing.T, desk Desk, who string, w, h int, keys ...string) *Model {
	t.Helper()
	return drive2(t, testOptions(t, desk, who), w, h, keys...)
}

// checkScreen fails the test when the screen is not exactly w cells by h lines at most.
func checkScreen(t *testing.T, view string, w, h int) {
	t.Helper()
	for i, l := range strings.Split(view, "\n") {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide, screen %d: %q", i+1, n, w, l)
		}
	}
	if n := strings.Count(view, "\n") + 1; n != h {
		t.Errorf("screen has %d lines, want %d", n, h)
	}
}

func TestBoardScreens(t *testing.T) {
	compareScreens(t, []screen{
		{"board", boardStore, []string{"w"}, [][2]int{{80, 24}, {120, 40}, {160, 48}, {200, 60}}},
		{"board-scrolled", boardStore, []string{"w", "pgdown"}, [][2]int{{80, 24}}},
	})
}

// wideDesk reports a Center whose numbers are as wide as a large Center's get.
type wideDesk struct{ *store.Store }

func (w wideDesk) Report(actor, center string, today cases.Date) (cases.Report, error) {
	r, err := w.Store.Report(actor, center, today)
	for i := range r.Holders {
		r.Holders[i].Counts = cases.Counts{Open: 12_000 + i, Overdue: 3_400, DueWeek: 880, Pending: 97, Revenue: 83_623_258_66}
	}
	r.Total = cases.Counts{Open: 36_003, Overdue: 10_200, DueWeek: 2_640, Pending: 290, Revenue: 250_869_775_99}
	return r, err
}

func (w wideDesk) Workload(actor, center string, today cases.Date) ([]cases.Load, error) {
	r, err := w.Report(actor, center, today)
	return r.Holders, err
}

// The total row once read "290$250,869,775.99": the columns had fixed widths, and a value as wide as its column
// ran into the one before it. Each column is now as wide as its widest value, with a gap before the next.
func TestBoardColumnsComeFromTheData(t *testing.T) {
	for _, w := range []int{80, 120, 160} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			m := drive(t, wideDesk{newTestStore(t)}, "sofia", w, 40, "w")
			lines := strings.Split(m.View(), "\n")
			var head, total string
			var rows []string
			for _, l := range lines {
				switch {
				case strings.Contains(l, "REVIEWER") && head == "":
					head = l
				case strings.HasPrefix(strings.TrimSpace(l), "total"):
					total = l
				case head != "" && total == "" && strings.Contains(l, "83,623,258.66"):
					rows = append(rows, l)
				}
			}
			if head == "" || total == "" || len(rows) != 3 {
				t.Fatalf("no board (%d rows):\n%s", len(rows), m.View())
			}
			if !regexp.MustCompile(`290 {2,}\$250,869,775\.99`).MatchString(total) {
				t.Fatalf("the total row runs its columns together: %q", total)
			}
			// every number ends where its heading ends, and nothing is cut
			for _, heading := range []string{"OPEN", "! OVERDUE", "WEEK", "PEND", "AT STAKE"} {
				end := strings.Index(head, heading)
				if end < 0 {
					t.Fatalf("no %s in %q", heading, head)
				}
				end = len([]rune(head[:end])) + len([]rune(heading))
				if heading == "PEND" && strings.Contains(head, "PENDING") {
					end += 3
				}
				for _, l := range append(rows, total) {
					r := []rune(l)
					if end > len(r) || r[end-1] == ' ' || end < len(r) && r[end] != ' ' {
						t.Errorf("under %s: %q", heading, l)
					}
				}
			}
			if strings.Contains(strings.Join(append(rows, total), ""), "…") {
				t.Errorf("a value was cut:\n%s", strings.Join(append(rows, total), "\n"))
			}
		})
	}
}

// The board has a line for the cases nobody holds; enter on it shows them in the queue.
func TestBoardUnassignedLine(t *testing.T) {
	m := drive(t, newTestStore(t), "sofia", 120, 40, "w")
	if v := m.View(); !regexp.MustCompile(`> \(unassigned\) +1 `).MatchString(v) {
		t.Fatalf("no line for the unassigned case, first:\n%s", v)
	}
	m = drive(t, newTestStore(t), "sofia", 120, 40, "w", "enter")
	if m.pane != paneQueue || m.q.filter.Query != "assignee:none" || m.q.total != 1 || m.q.rows[0].ID != "PSC-26-000003" {
		t.Fatalf("pane %s, filter %q, %d rows (%s)", m.pane, m.q.filter.Query, m.q.total, m.status)
	}
	m = drive(t, newTestStore(t), "sofia", 120, 40, "w", "j", "j", "enter")
	if m.q.filter.Query != "assignee:bob" || m.q.total != 2 {
		t.Fatalf("enter on bob: filter %q, %d rows", m.q.filter.Query, m.q.total)
	}
}

// At 80x24 the board and the holders' chart fit; the other charts are a page down, and moving the cursor brings
// the board back.
func TestBoardScrollsToTheCharts(t *testing.T) {
	m := drive(t, boardStore(t), "sofia", 80, 24, "w")
	v := m.View()
	for _, want := range []string{"REVIEWER", "total", "Open cases by holder", "bob ", "more below"} {
		if !strings.Contains(v, want) {
			t.Fatalf("the first page lacks %q:\n%s", want, v)
		}
	}
	m = drive(t, boardStore(t), "sofia", 80, 24, "w", "pgdown")
	if v = m.View(); !strings.Contains(v, "Clocks met on time") || !strings.Contains(v, "11 of 13") || strings.Contains(v, "REVIEWER") {
		t.Fatalf("a page down shows the other charts:\n%s", v)
	}
	m = drive(t, boardStore(t), "sofia", 80, 24, "w", "pgdown", "j")
	if v = m.View(); !strings.Contains(v, " > alice ") || m.sup.wlCursor != 1 {
		t.Fatalf("moving the cursor shows it again:\n%s", v)
	}
	m = drive(t, boardStore(t), "sofia", 200, 60, "w")
	if v = m.View(); !strings.Contains(v, "REVIEWER") || !strings.Contains(v, "Clocks met on time") || strings.Contains(v, "more below") {
		t.Fatalf("at 200x60 everything shows at once, side by side:\n%s", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "REVIEWER") && !strings.Contains(l, "Open cases by days to their clock") {
			t.Fatalf("the aging chart stands beside the board: %q", l)
		}
	}
}

// The charts read without colour: in a colour theme, the screen less its escape sequences is the colourless
// screen, every state carried by a glyph or a word.
func TestBoardReadsWithoutColour(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	s := boardStore(t)
	colour := lipgloss.NewRenderer(io.Discard)
	colour.SetColorProfile(termenv.TrueColor)
	colour.SetHasDarkBackground(true)
	opt := testOptions(t, s, "sofia")
	opt.Renderer = colour
	for _, keys := range [][]string{{"w"}, {"w", "pgdown"}} {
		c := drive2(t, opt, 120, 40, keys...)
		plain := drive(t, s, "sofia", 120, 40, keys...)
		cv := c.View()
		if !strings.Contains(cv, "\x1b[") {
			t.Fatal("the colour screen has no colour")
		}
		if got, want := ansi.Strip(cv), plain.View(); got != want {
			t.Fatalf("without its colours the screen reads differently:\n%s\n---\n%s", got, want)
		}
	}
	v := drive(t, s, "sofia", 120, 40, "w").View()
	for _, want := range []string{"█ overdue", "▓ due this week", "░ later", "█ 1  ▓ 2  ░ 3", "█ met", "░ late"} {
		if !strings.Contains(v, want) {
			t.Errorf("the board lacks %q", want)
		}
	}
}

// drive2 is drive with options of the test's own.
func drive2(t *testing.T, opt Options, w, h int, keys ...string) *Model {
	t.Helper()
	tm := teatest.NewTestModel(t, New(opt), teatest.WithInitialTermSize(w, h))
	for _, k := range keys {
		tm.Send(pressKey(k))
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
}
