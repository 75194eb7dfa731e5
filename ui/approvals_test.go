package ui

import (
	"strings"
	"testing"

	"ceedesk/cases"
)

func TestApprovalsScreens(t *testing.T) {
	compareScreens(t, []screen{
		{"count", manyPendingStore, []string{"a", "j", "j"}, bothSizes},
		{"no-one-may-approve", strandedStore, []string{"a"}, bothSizes},
	})
}

// The list counts its decisions ("3 of 31"), pages by the screen and goes to the first and last.
func TestApprovalsCountAndPaging(t *testing.T) {
	s := manyPendingStore(t)
	m := drive(t, s, "sofia", 80, 24, "a")
	rows := m.sup.approvalsPane.listRows()
	if len(m.sup.approvals) != 31 || !strings.Contains(m.View(), "· 1 of 31") {
		t.Fatalf("%d approvals:\n%s", len(m.sup.approvals), m.View())
	}
	for _, c := range []struct {
		keys []string
		at   int
	}{
		{[]string{"a", "pgdown"}, rows},
		{[]string{"a", "pgdown", "pgdown", "pgup"}, rows},
		{[]string{"a", "G"}, 30},
		{[]string{"a", "G", "g"}, 0},
		{[]string{"a", "G", "pgdown"}, 30},
	} {
		m := drive(t, s, "sofia", 80, 24, c.keys...)
		if m.sup.apCursor != c.at || m.sup.apCase == nil || m.sup.apCase.ID != m.sup.approvals[c.at].ID {
			t.Errorf("%v: cursor %d, want %d", c.keys, m.sup.apCursor, c.at)
		}
	}
	if v := drive(t, s, "sofia", 80, 24, "a", "G").View(); !strings.Contains(v, "31 of 31") || !strings.Contains(v, "· 0 below") {
		t.Errorf("at the last:\n%s", v)
	}
}

// In a Center whose one supervisor decided a case, the supervisor could never approve it, and heard so only after
// typing a comment and confirming. The refusal now comes when the key is pressed, with why, and the list and the
// decision say that no supervisor of the Center may approve it and what would let one.
func TestApprovalRefusalComesFirst(t *testing.T) {
	s := strandedStore(t)
	for _, k := range []string{"y", "x"} {
		m := drive(t, s, "sofia", 120, 40, "a", k)
		if m.dlg != nil || m.ask != nil {
			t.Fatalf("%s opened a dialog for a decision sofia may not approve", k)
		}
		if !m.statusBad || !strings.Contains(m.status, "the approver is never the decider: sofia decided this case") ||
			!strings.Contains(m.status, "no other supervisor in ELEC can approve this") {
			t.Errorf("%s: status %q", k, m.status)
		}
	}
	v := drive(t, s, "sofia", 120, 40, "a").View()
	for _, want := range []string{">" + markStranded + "  2026-04-10", markStranded + " no supervisor of ELEC may approve it",
		"Not yours to approve or return", "the decision waits until a supervisor joins ELEC or an admin is named there"} {
		if !strings.Contains(v, want) {
			t.Errorf("the approvals lack %q:\n%s", want, v)
		}
	}
	// the decision sofia may approve still opens the dialog
	m := drive(t, s, "sofia", 120, 40, "a", "j", "y")
	if m.dlg == nil || m.dlg.caseID != "2704-26-100077" {
		t.Fatalf("approve on alice's decision: dialog %v (%s)", m.dlg, m.status)
	}
}

// A decision the supervisor may not approve while another may is marked, and the refusal names who may.
func TestApprovalRefusalNamesWhoMay(t *testing.T) {
	s := newTestStore(t)
	decideOn(t, s, "sofia", "PD-26-000001", cases.OutcomeNotPerfected, testToday, "Nothing supplied in 30 days.")
	m := drive(t, s, "sofia", 120, 40, "a", "y")
	if m.dlg != nil || !strings.Contains(m.status, "never the decider") || !strings.Contains(m.status, "; ask tom") {
		t.Fatalf("dialog %v, status %q", m.dlg != nil, m.status)
	}
	v := m.View()
	if !strings.Contains(v, ">"+markMayNot+"  2026-04-10") || !strings.Contains(v, markMayNot+" you may not approve it") || !strings.Contains(v, "May approve         tom") {
		t.Errorf("the approvals do not mark sofia's own decision:\n%s", v)
	}
}
