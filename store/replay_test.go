package store

import (
	"path/filepath"
	"strings"
	"testing"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

func replayStore(t *testing.T) (*Store, []*cases.Case) {
	t.Helper()
	st, err := openTestEngine(t, filepath.Join(t.TempDir(), "r.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	g := synth.New(3, cases.NewDate(2026, 11, 28))
	for _, u := range g.Users() {
		if err := st.AddUser(Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	var made []*cases.Case
	if _, err := st.Load(Operator, func() (*cases.Case, bool) {
		if len(made) == 60 {
			return nil, false
		}
		c := g.Next()
		made = append(made, c)
		return c, true
	}, nil); err != nil {
		t.Fatal(err)
	}
	return st, made
}

func TestVerifyHistoryExplainsEveryChange(t *testing.T) {
	st, made := replayStore(t)
	today := cases.NewDate(2026, 11, 28)
	moved := 0
	for _, c := range made {
		if c.Center != "ELEC" || !c.Status.Open() || c.Status == cases.StatusPendingApproval {
			continue
		}
		to := "bob"
		if c.Assignee == "bob" {
			to = "carol"
		}
		if _, err := st.Assign("sofia", []string{c.ID}, nil, to, "rebalance", today); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddNote("sofia", c.ID, 0, "status: review -> decided; assignee: x -> y"); err != nil {
			t.Fatal(err)
		}
		moved++
	}
	if moved == 0 {
		t.Fatal("no case to move")
	}
	n, err := st.VerifyHistory()
	if err != nil || n != len(made) {
		t.Fatalf("VerifyHistory = %d, %v; want %d, nil", n, err, len(made))
	}
}

func TestVerifyHistoryFindsAChangeWithoutItsEvent(t *testing.T) {
	st, made := replayStore(t)
	var victim *cases.Case
	for _, c := range made {
		if c.Assignee != "" {
			victim = c
			break
		}
	}
	err := st.update(func(tx kvTx) error {
		c, err := decodeCase(tx.Bucket(bCases).Get([]byte(victim.ID)))
		if err != nil {
			return err
		}
		c.Assignee = "dave"
		if c.Assignee == victim.Assignee {
			c.Assignee = "alice"
		}
		v, err := encodeCase(c)
		if err != nil {
			return err
		}
		return tx.Bucket(bCases).Put([]byte(c.ID), v)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.VerifyAudit(); err != nil {
		t.Fatalf("the chain itself is intact, yet VerifyAudit says %v", err)
	}
	if _, err := st.VerifyHistory(); err == nil || !strings.Contains(err.Error(), victim.ID) {
		t.Fatalf("VerifyHistory after a silent reassignment = %v; want an error naming %s", err, victim.ID)
	}
}
