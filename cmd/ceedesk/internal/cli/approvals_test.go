package cli

import (
	"strings"
	"testing"

	"ceedesk/cases"
	"ceedesk/cases/synth"
	"ceedesk/store"
)

// seededStore is testStore with n synthetic cases of the same seed as its users.
func seededStore(t *testing.T, n int) (*store.Store, []*cases.Case) {
	t.Helper()
	st := testStore(t)
	g := synth.New(3, cases.NewDate(2026, 3, 2))
	var cs []*cases.Case
	for range n {
		cs = append(cs, g.Next())
	}
	i := 0
	if _, err := st.Load(store.Operator, func() (*cases.Case, bool) {
		if i == len(cs) {
			return nil, false
		}
		i++
		return cs[i-1].Clone(), true
	}, nil); err != nil {
		t.Fatal(err)
	}
	return st, cs
}

// TestDecideSaysWhenNoOneCanApprove: in a Center with one supervisor, that supervisor's decision that waits for
// approval says, when it is written, that nobody in the Center can approve it.
func TestDecideSaysWhenNoOneCanApprove(t *testing.T) {
	st, cs := seededStore(t, 300)
	for _, c := range cs {
		if c.Center != "ELEC" || c.Kind != cases.KindPSC || !c.Status.Open() || c.Status == cases.StatusPendingApproval || c.Revenue() < st.Policy().ApprovalThreshold {
			continue
		}
		out, _, code := runLocal(st, "sofia", "decide", c.ID, "--outcome", "rejected", "--reason", "no documents")
		if code != ExitOK {
			continue // late: another case will do
		}
		if !strings.Contains(out, "waits for a supervisor's approval") || !strings.Contains(out, "Warning: no other supervisor in ELEC can approve this") {
			t.Fatalf("decide by the only supervisor:\n%s", out)
		}
		out, _, code = runLocal(st, "sofia", "approvals")
		if code != ExitOK || !strings.Contains(out, "YOU MAY APPROVE") || !strings.Contains(out, "no: the approver is never the decider") {
			t.Fatalf("approvals of the only supervisor:\n%s", out)
		}
		return
	}
	t.Fatal("no ELEC PSC takes a rejection that waits for approval")
}
