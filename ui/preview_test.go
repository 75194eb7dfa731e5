package ui

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"ceedesk/cases"
)

// settled is sent after a test's keys, before it quits: the workstation catches up with what the keys left to
// do off their path (the preview of the case under the cursor, the count of a filtered queue), so that the screen
// compared is the one a person sees a moment after the last key.
type settled struct{}

func (settled) apply(ws *Model) tea.Cmd {
	q := ws.q
	q.preview.waiting = "" // the view draws the case under the cursor
	if q.counting {
		q.applyCount(q.count(q.gen, q.query()))
	}
	return nil
}

// readsDesk counts the cases read from it.
type readsDesk struct {
	Desk
	reads *atomic.Int64
}

func (d readsDesk) Case(actor, id string) (*cases.Case, error) {
	d.reads.Add(1)
	return d.Desk.Case(actor, id)
}

// At 160 columns and wider the case under the cursor shows beside the queue, drawn as the case pane draws it; the
// cursor moves at once and the preview follows when it rests, reading the case once, however many keys went by.
func TestPreviewBesideTheQueue(t *testing.T) {
	s := newTestStore(t)
	reads := &atomic.Int64{}
	tm := teatest.NewTestModel(t, New(testOptions(t, readsDesk{s, reads}, "alice")), teatest.WithInitialTermSize(200, 50))
	until(t, tm, "│  PEA-25-000001  Post-entry amendment · assigned · assigned to alice", "POST-ENTRY AMENDMENT")
	before := reads.Load()
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjjj")}) // a held key: four moves in one read of the terminal
	until(t, tm, "5 of 6", "│  2704-26-100123  Protest · assigned · assigned to alice", "PROTEST (CBP FORM 19)")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if n := reads.Load() - before; n != 1 {
		t.Errorf("four moves read %d cases for the preview; want the one the cursor rested on", n)
	}
	if m.q.listWidth() != 120 {
		t.Errorf("the queue takes %d of 200 columns", m.q.listWidth())
	}
}

// Below 160 columns there is no preview: the queue has the screen. A change committed to the case under the
// cursor shows in the preview.
func TestPreviewWidthsAndChanges(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 159, 40)
	if strings.Contains(m.View(), "│") || m.q.listWidth() != 159 {
		t.Fatalf("a preview at 159 columns:\n%s", m.View())
	}
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 80})
	if v := m.View(); !strings.Contains(v, "│ CLOCKS") || m.q.listWidth() != 80 {
		t.Fatalf("no preview at 160 columns:\n%s", v)
	}
	if _, err := s.AddNote("alice", "PEA-25-000001", 0, "Called the broker about the assist."); err != nil {
		t.Fatal(err)
	}
	m.Update(cases.Change{Action: "note", Actor: "alice", Cases: []string{"PEA-25-000001"}})
	if v := m.View(); !strings.Contains(v, "Called the broker") {
		t.Fatalf("the note does not show in the preview:\n%s", v)
	}
}

// wideNamesDesk serves importer names of wide characters, two cells each.
type wideNamesDesk struct{ Desk }

func (d wideNamesDesk) Queue(actor string, q cases.QueueQuery) (cases.QueuePage, error) {
	p, err := d.Desk.Queue(actor, q)
	for i := range p.Rows {
		p.Rows[i].Importer = "東京エレクトロン株式会社"
	}
	return p, err
}

// The rule before the preview stands in the same column on every line, whatever the rows hold.
func TestPreviewRuleAligned(t *testing.T) {
	s := newTestStore(t)
	for _, who := range []string{"alice", "sofia"} {
		opt := testOptions(t, wideNamesDesk{s}, who)
		if who == "sofia" {
			opt.Renderer = renderer(termenv.ANSI) // the matches underlined
		}
		m := newTestModelOpt(t, opt, 170, 30)
		press(m, "j", "space", "/")
		typeText(m, "ps")
		lines := strings.Split(m.View(), "\n")
		for i, l := range lines[1 : len(lines)-2] {
			at := strings.Index(l, "│")
			if at < 0 || width(l[:at]) != m.q.listWidth() {
				t.Errorf("%s: line %d has the rule at cell %d, want %d: %q", who, i+2, width(l[:max(at, 0)]), m.q.listWidth(), l)
			}
		}
	}
}
