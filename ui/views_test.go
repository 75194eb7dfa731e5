package ui

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"ceedesk/cases"
)

// until waits for the program's output to hold every one of want.
func until(t *testing.T, tm *teatest.TestModel, want ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, w := range want {
			if !bytes.Contains(b, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second))
}

// The default views are tabs: 2 shows the cases due within a week, the tab on screen in brackets; each view keeps
// its own cursor and its own typed filter, and 1 is the whole queue again.
func TestViewsAsTabs(t *testing.T) {
	s := newTestStore(t)
	tm := teatest.NewTestModel(t, New(testOptions(t, s, "alice")), teatest.WithInitialTermSize(120, 40))
	until(t, tm, "[1 My queue]", "1 of 6")
	tm.Send(keyMsg("j"))
	tm.Send(keyMsg("j"))
	until(t, tm, "3 of 6")
	tm.Send(keyMsg("2"))
	until(t, tm, "[2 Due this week]", "1 of 2", "view: due:>=0d due:<=7d")
	tm.Send(keyMsg("j"))
	tm.Type("/acme")
	tm.Send(keyMsg("enter"))
	until(t, tm, "filter: acme", "1 of 1")
	tm.Send(keyMsg("1"))
	until(t, tm, "[1 My queue]", "3 of 6") // the first view's cursor, and no filter of the second
	tm.Send(keyMsg("2"))
	until(t, tm, "[2 Due this week]", "filter: acme", "1 of 1")
	tm.Send(keyMsg("esc")) // clears the typed filter, not the view's own
	until(t, tm, "view: due:>=0d due:<=7d", "of 2")
	tm.Send(keyMsg("9"))
	until(t, tm, "there is no view 9")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if m.q.view != 1 || m.q.total != 2 {
		t.Fatalf("view %d with %d rows; want the second view, 2 rows", m.q.view, m.q.total)
	}
}

// A supervisor's first tab is the Center's queue, as their queue always was; the other defaults are views of it.
func TestSupervisorViews(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "sofia", 120, 40)
	if m.q.views[0].name != centerQueueName || m.q.total != 9 {
		t.Fatalf("first tab %q with %d rows; want the Center queue of 9", m.q.views[0].name, m.q.total)
	}
	for key, want := range map[string]int{"2": 2, "3": 0, "4": 1, "1": 9} {
		press(m, key)
		if m.q.total != want {
			t.Errorf("view %s: %d rows, want %d", key, m.q.total, want)
		}
	}
	press(m, "4")
	if r := m.q.current(); r == nil || r.Status != cases.StatusPendingApproval {
		t.Fatalf("Pending approval shows %+v", r)
	}
}

// Views named in the config follow the defaults, with their own sort; a config view named as a default takes its
// place.
func TestConfigViewsAreTabs(t *testing.T) {
	s := newTestStore(t)
	opt := testOptions(t, s, "sofia")
	opt.Config.Views = []View{
		{Name: "Due this week", Filter: "due:<=3d"},
		{Name: "Big cases", Filter: "amount:>10000", Sort: cases.SortAmount, Reverse: true},
	}
	tm := teatest.NewTestModel(t, New(opt), teatest.WithInitialTermSize(120, 40))
	until(t, tm, "5 Big cases")
	tm.Send(keyMsg("5"))
	until(t, tm, "[5 Big cases]", "sort: amount ▲", "AT STAKE ▲", "1 of 3")
	tm.Send(keyMsg("2"))
	until(t, tm, "view: due:<=3d", "1 of 2")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if len(m.q.views) != 5 {
		t.Fatalf("%d tabs, want 5 (the four defaults, one replaced, and one of the config)", len(m.q.views))
	}
	press(m, "5")
	if r := m.q.current(); r == nil || r.ID != "2704-26-100123" {
		t.Fatalf("Big cases, smallest first: first row %+v", r)
	}
}

// A view whose filter does not parse never reaches the queue: the session says which, and keeps the others.
func TestBadConfigViewIsSaid(t *testing.T) {
	s := newTestStore(t)
	opt := testOptions(t, s, "alice")
	opt.Config.Views = []View{{Name: "Soon", Filter: "due:soon"}, {Name: "Mine", Filter: "kind:psc"}}
	m := New(opt).(*Model)
	if len(m.q.views) != 5 || !m.statusBad || !strings.Contains(m.status, `view "Soon"`) || !strings.Contains(m.status, "due:soon") {
		t.Fatalf("%d tabs, status %q", len(m.q.views), m.status)
	}
}

func TestLoadConfigViews(t *testing.T) {
	p := writeConfig(t, `theme = "dark"

[[views]]
name = "Big protests"
filter = "kind:protest amount:>100000"
sort = "amount"
reverse = true

[[views]]
name = "Everything by importer"
sort = "importer"
`)
	cfg, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []View{
		{Name: "Big protests", Filter: "kind:protest amount:>100000", Sort: cases.SortAmount, Reverse: true},
		{Name: "Everything by importer", Sort: cases.SortImporter},
	}
	if fmt.Sprint(cfg.Views) != fmt.Sprint(want) {
		t.Fatalf("views %+v, want %+v", cfg.Views, want)
	}
}

func TestLoadConfigViewErrors(t *testing.T) {
	many := ""
	for i := range 6 {
		many += fmt.Sprintf("[[views]]\nname = \"View %d\"\n", i+1)
	}
	tests := []struct {
		name, text string
		want       []string
	}{
		{"filter that does not parse", "[[views]]\nname = \"Soon\"\nfilter = \"due:soon\"\n",
			[]string{"line 3", `views[1] "Soon".filter`, `filter term "due:soon"`, "due wants days"}},
		{"second view's filter", "[[views]]\nname = \"A\"\nfilter = \"kind:psc\"\n\n[[views]]\nname = \"B\"\nfilter = \"(kind:psc\"\n",
			[]string{"line 7", `views[2] "B".filter`, "not closed"}},
		{"unknown sort", "[[views]]\nname = \"A\"\nsort = \"colour\"\n", []string{"line 3", `views[1] "A".sort`, "colour"}},
		{"no name", "[[views]]\nfilter = \"kind:psc\"\n", []string{"line 1", "views[1].name", "needs a name"}},
		{"same name twice", "[[views]]\nname = \"A\"\n[[views]]\nname = \"a\"\n", []string{"line 4", "views[2]", "another view"}},
		{"long name", "[[views]]\nname = \"" + strings.Repeat("x", 30) + "\"\n", []string{"line 2", "views[1]", "longer than 24"}},
		{"control character", "[[views]]\nname = \"a\\u0007b\"\n", []string{"line 2", "control character"}},
		{"too many", many, []string{"line 12", `views[6] "View 6".name`, "9 tabs at most"}},
		{"unknown key", "[[views]]\nname = \"A\"\ncolour = \"red\"\n", []string{"line 3", "views[1].colour", "name, filter, sort and reverse"}},
		{"wrong type", "[[views]]\nname = \"A\"\nreverse = \"yes\"\n", []string{"line 3", "reverse"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeConfig(t, tt.text)
			_, err := LoadConfig(p)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range append([]string{p}, tt.want...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// The tab line shortens the names of the views not on screen as it must, and a click on a tab shows its view.
func TestTabLineFitsAndClicks(t *testing.T) {
	s := newTestStore(t)
	opt := testOptions(t, s, "sofia")
	opt.Config.Views = []View{{Name: "Big cases", Filter: "amount:>10000"}, {Name: "Protests", Filter: "kind:protest"}}
	m := New(opt).(*Model)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	line := strings.Split(m.View(), "\n")[1]
	if width(line) > 80 || !strings.Contains(line, "[1 Center queue]") || !strings.Contains(line, "6 Protests") {
		t.Fatalf("tab line %q", line)
	}
	at := strings.Index(line, "6 Protests")
	m.Update(tea.MouseMsg{X: width(line[:at]), Y: 1, Button: tea.MouseButtonLeft, Action: tea.MouseActionRelease})
	if m.q.view != 5 || m.q.total != 3 {
		t.Fatalf("a click on the sixth tab: view %d, %d rows", m.q.view+1, m.q.total)
	}
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 24})
	if line := strings.Split(m.View(), "\n")[1]; width(line) > 40 || !strings.Contains(line, "[6 Protests]") || !strings.Contains(line, "1  2") {
		t.Fatalf("narrow tab line %q", line)
	}
}

// TestViewScreens compares the new views with their golden screens at 80x24 and 160x48: the tabs, the sort marks,
// the preview beside the queue (160 columns) and the filter's matches.
func TestViewScreens(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	bigCases := []View{{Name: "Big cases", Filter: "amount:>10000", Sort: cases.SortAmount}}
	screens := []struct {
		name  string
		who   string
		views []View
		keys  []string
	}{
		{name: "tab-due-week", who: "alice", keys: []string{"2", "j"}},
		{name: "tab-pending-approval", who: "sofia", keys: []string{"4"}},
		{name: "tab-config", who: "sofia", views: bigCases, keys: []string{"5", "S"}},
		{name: "tab-narrowed", who: "sofia", keys: append([]string{"2", "/"}, append(chars("acme"), "enter")...)},
		{name: "sort-kind", who: "sofia", keys: []string{"s"}},
		{name: "sort-amount-reversed", who: "sofia", keys: []string{"s", "s", "s", "s", "s", "s", "S"}},
		{name: "sort-received", who: "alice", keys: append(append([]string{":"}, chars("sort received")...), "enter")},
		{name: "preview-moved", who: "sofia", keys: []string{"j", "j", "j", "G", "k"}},
		{name: "filter-typing", who: "sofia", keys: append([]string{"/"}, chars("harbor")...)},
	}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				opt := testOptions(t, newTestStore(t), sc.who)
				opt.Config.Views = sc.views
				m := run(t, opt, size[0], size[1], sc.keys...)
				view := m.View()
				checkScreen(t, view, size[0], size[1])
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}

// checkScreen fails when the screen is not exactly w by h cells at most.

var anySGR = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// underlined shows where a screen drawn with escape sequences is underlined: ⟨ and ⟩ around underlined text,
// every other escape left out.
func underlined(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		on, shown := false, false // underline set by the escapes; underline shown by the text written
		text := func(t string) {
			if t == "" {
				return
			}
			if on != shown {
				b.WriteString(map[bool]string{true: "⟨", false: "⟩"}[on])
				shown = on
			}
			b.WriteString(t)
		}
		for line != "" {
			loc := anySGR.FindStringSubmatchIndex(line)
			if loc == nil {
				text(line)
				break
			}
			text(line[:loc[0]])
			for _, p := range strings.Split(line[loc[2]:loc[3]], ";") {
				switch p {
				case "4":
					on = true
				case "", "0", "24":
					on = false
				}
			}
			line = line[loc[1]:]
		}
		if shown {
			b.WriteString("⟩")
		}
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// The filter's matches are underlined in the case id, the importer and the entry number, in every row and under
// the cursor, so that they read without colour; a term under NOT underlines nothing.
func TestFilterMatchesUnderlined(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			opt := testOptions(t, newTestStore(t), "sofia")
			opt.Renderer = renderer(termenv.ANSI)
			opt.NoColor = true
			m := run(t, opt, size[0], size[1], append([]string{"/"}, chars("acme -psc")...)...)
			view := m.View()
			checkScreen(t, view, size[0], size[1])
			golden.RequireEqual(t, []byte(underlined(view)))
		})
	}
	opt := testOptions(t, newTestStore(t), "sofia")
	opt.Renderer = renderer(termenv.ANSI)
	m := newTestModelOpt(t, opt, 120, 40)
	press(m, "/")
	typeText(m, "-acme")
	rows := strings.Split(underlined(m.View()), "\n")[1+queueChrome:]
	if m.q.total == 0 || strings.Contains(strings.Join(rows, "\n"), "⟨") {
		t.Fatalf("a negated word underlines nothing (%d rows):\n%s", m.q.total, strings.Join(rows, "\n"))
	}
}

// newTestModelOpt is newTestModel with options of the test's own.
func newTestModelOpt(t testing.TB, opt Options, w, h int) *Model {
	m := New(opt).(*Model)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}
