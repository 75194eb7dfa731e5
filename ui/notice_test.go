package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"ceedesk/cases"
	"ceedesk/store"
)

// typed is the keys of a command line typed at the workstation.
func typed(s string) []string {
	var ks []string
	for _, r := range s {
		ks = append(ks, string(r))
	}
	return ks
}

// noticeDesk is the test store with PEA-25-000001 rejected by alice after a request for information, its reasons
// carrying a title change and a screen clear.
func noticeDesk(t *testing.T) *store.Store {
	s := newTestStore(t)
	if _, err := s.RequestInfo("alice", "PEA-25-000001", 0, "Send the commercial invoice of line 3.", testToday.AddDays(-20)); err != nil {
		t.Fatal(err)
	}
	d := cases.Decision{Outcome: cases.OutcomeRejected,
		Reasons: "The assist\x1b]0;owned\x07 was already in the entered value\x1b[2J."}
	c, err := s.Case("alice", "PEA-25-000001")
	if err != nil {
		t.Fatal(err)
	}
	if warning, late := cases.LateDecision(c, d, s.Policy(), testToday); late { // the fixture's entry has liquidated
		d.LateAck = cases.AckLate(warning, "alice")
	}
	if _, err := s.Decide("alice", "PEA-25-000001", 0, d, testToday); err != nil {
		t.Fatal(err)
	}
	return s
}

var openPEA = append(append([]string{":"}, typed("open PEA-25-000001")...), "enter")

// TestNoticePreviewScreens compares the notice preview with its golden screens (go test ./ui -update rewrites them).
func TestNoticePreviewScreens(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	for _, sc := range []struct {
		name string
		keys []string
	}{
		{"top", []string{"P"}},
		{"bottom", []string{"P", "G"}},
		{"help", []string{"P", "?"}},
	} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				m := run(t, testOptions(t, noticeDesk(t), "bob"), size[0], size[1], append(openPEA, sc.keys...)...)
				view := m.View()
				for i, l := range strings.Split(view, "\n") {
					if w := len([]rune(l)); w > size[0] {
						t.Errorf("line %d is %d cells wide, screen %d: %q", i+1, w, size[0], l)
					}
				}
				for _, bad := range []string{"\x1b", "\x07", "owned"} {
					if strings.Contains(view, bad) {
						t.Errorf("the screen holds %q", bad)
					}
				}
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}

func TestNoticePreview(t *testing.T) {
	s := noticeDesk(t)
	// bob may see the case, not work it: printing is reading
	m := newTestModel(t, s, "bob", 100, 40)
	press(m, openPEA...)
	press(m, "P")
	if m.d.notice == nil {
		t.Fatalf("P did not open the preview; status %q", m.status)
	}
	view := m.View()
	for _, want := range []string{"NOTICE OF REJECTION OF POST-ENTRY AMENDMENT", "Summit Semiconductor LLC", "printed by: ceedesk notice PEA-25-000001", "close the notice"} {
		if !strings.Contains(view, want) {
			t.Errorf("the preview does not show %q:\n%s", want, view)
		}
	}
	press(m, "G")
	if view := m.View(); !strings.Contains(view, "Other papers of this case: cf28:1 of 2026-03-02") || !strings.Contains(view, "printed 2026-03-02") {
		t.Errorf("the bottom of the preview:\n%s", view)
	}
	press(m, "esc")
	if m.d.notice != nil || m.pane != paneDetail {
		t.Fatalf("esc closes the preview and leaves the case open: pane %s, preview %v", m.pane, m.d.notice != nil)
	}
	press(m, "P", "P")
	if m.d.notice != nil {
		t.Fatal("P closes the preview it opened")
	}
	// another case opened from the command line closes it
	press(m, "P")
	press(m, append(append([]string{":"}, typed("open PSC-25-000001")...), "enter")...)
	if view := m.View(); strings.Contains(view, "NOTICE OF") || m.d.notice != nil {
		t.Fatalf("the preview stayed open over another case:\n%s", view)
	}
	// a case without a notice says why the key does nothing, in the status line and in help
	press(m, "P")
	if m.d.notice != nil || !strings.Contains(m.status, "no notice yet: no decision yet") || strings.Contains(m.status, "case PSC-25-000001") {
		t.Fatalf("P on a case without a notice: preview %v, status %q", m.d.notice != nil, m.status)
	}
	press(m, "?")
	if view := m.View(); !strings.Contains(view, "notice preview  — no notice yet: no decision yet (status in review)") {
		t.Errorf("help does not say why P is off:\n%s", view)
	}
}

// A decision returned to review takes the notice away from an open preview, which says so.
func TestNoticePreviewFollowsTheCase(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "sofia", 100, 30)
	press(m, append(append([]string{":"}, typed("open 2704-26-100077")...), "enter")...)
	press(m, "P")
	if m.d.notice != nil {
		t.Fatal("a decision waiting for approval has no notice")
	}
	if _, err := s.Approve("sofia", "2704-26-100077", 0, "", "", testToday); err != nil {
		t.Fatal(err)
	}
	m.Update(cases.Change{Cases: []string{"2704-26-100077"}})
	press(m, "P")
	if view := m.View(); m.d.notice == nil || !strings.Contains(view, "NOTICE OF DENIAL OF PROTEST") {
		t.Fatalf("after approval the notice shows:\n%s", view)
	}
	flat := strings.Join(strings.Fields(m.noticeText(m.d.c, mustNotice(t, m.d.c))), " ")
	if !strings.Contains(flat, "Approved by: sofia") || !strings.Contains(flat, "within 180 days after the date of mailing of this notice") {
		t.Errorf("the notice of an approved denial names the approver and the court review:\n%s", flat)
	}
}

func mustNotice(t *testing.T, c *cases.Case) cases.Document {
	t.Helper()
	doc, err := cases.Notice(c, cases.DefaultPolicy(), testToday)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
