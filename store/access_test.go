package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"ceedesk/cases"
)

// TestReadsObeyTheAccessRule checks the store's reads themselves, beneath any command: each names its actor and
// refuses what cases' read rules refuse.
func TestReadsObeyTheAccessRule(t *testing.T) {
	s, cs := fixture(t, 120)
	elec := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" })
	pharma := find(t, cs, func(c *cases.Case) bool { return c.Center == "PHARMA" })
	forbidden := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, cases.ErrForbidden) {
			t.Errorf("%s: want a refusal, got %v", what, err)
		}
	}
	allowed := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: want it allowed, got %v", what, err)
		}
	}
	_, err := s.Case("alice", elec.ID)
	allowed("alice reads an ELEC case", err)
	c, err := s.Case("alice", pharma.ID)
	forbidden("alice reads a PHARMA case", err)
	if c != nil {
		t.Error("a refused read returned the case")
	}
	_, err = s.History("alice", pharma.ID)
	forbidden("alice reads a PHARMA history", err)
	_, err = s.Queue("alice", cases.QueueQuery{Assignee: "bob"})
	forbidden("alice reads bob's queue", err)
	_, err = s.Counts("alice", cases.QueueQuery{Assignee: "bob"})
	forbidden("alice counts bob's queue", err)
	_, err = s.Queue("alice", cases.QueueQuery{Assignee: "nobody-at-all"})
	forbidden("alice reads the queue of no user", err)
	_, err = s.Queue("sofia", cases.QueueQuery{Center: "PHARMA"})
	forbidden("sofia reads PHARMA's queue", err)
	_, err = s.Queue("sofia", cases.QueueQuery{Assignee: "bob"})
	allowed("sofia reads bob's queue", err)
	_, err = s.Approvals("alice", "ELEC")
	forbidden("alice reads approvals", err)
	_, err = s.Workload("sofia", "PHARMA", today)
	forbidden("sofia reads PHARMA's workload", err)
	_, err = s.Export("alice", &strings.Builder{}, "jsonl")
	forbidden("alice exports", err)
	err = s.Events("alice", func(cases.Event) error { return nil })
	forbidden("alice exports the audit log", err)

	var out strings.Builder
	if _, err := s.Export("sofia", &out, "csv"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), pharma.ID) || !strings.Contains(out.String(), elec.ID) {
		t.Error("a supervisor's export is not exactly their Center's cases")
	}
	us, _ := s.Users("alice", "")
	if len(us) != 1 || us[0].Name != "alice" {
		t.Errorf("a reviewer lists users %v, want only themselves", us)
	}
	us, _ = s.Users("sofia", "")
	for _, u := range us {
		if u.Center != "ELEC" {
			t.Errorf("a supervisor lists %s of %s", u.Name, u.Center)
		}
	}
	// a disabled user reads nothing, even what they could before
	if err := s.SetDisabled(Operator, "alice", true); err != nil {
		t.Fatal(err)
	}
	_, err = s.Case("alice", elec.ID)
	forbidden("a disabled alice reads her Center's case", err)
}

// TestWithKeyRefusesOnceTheKeyIsRevoked checks that a store seen through a key refuses every read and write in
// the transaction after the key is revoked, and refuses a key that is another user's.
func TestWithKeyRefusesOnceTheKeyIsRevoked(t *testing.T) {
	s, cs := fixture(t, 40)
	c := find(t, cs, func(c *cases.Case) bool { return c.Assignee == "alice" && c.Status.Open() })
	if err := s.AddKey(Operator, "alice", "SHA256:alice-key-1", "ssh-ed25519 AAAA alice"); err != nil {
		t.Fatal(err)
	}
	as := s.WithKey("SHA256:alice-key-1")
	if _, err := as.AddNote("alice", c.ID, 0, "before the revocation"); err != nil {
		t.Fatalf("a note through a live key: %v", err)
	}
	if _, err := as.AddNote("bob", c.ID, 0, "as someone else"); !errors.Is(err, cases.ErrForbidden) || !strings.Contains(err.Error(), "belongs to alice") {
		t.Errorf("acting as bob through alice's key: %v", err)
	}
	if err := as.AddUser(Operator, cases.User{Name: "zed", Role: cases.RoleAdmin}); !errors.Is(err, cases.ErrForbidden) {
		t.Errorf("a key session acted as the operator: %v", err)
	}
	if err := s.RevokeKey(Operator, "SHA256:alice-key-1"); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Case(Operator, c.ID)
	if _, err := as.AddNote("alice", c.ID, 0, "after the revocation"); !errors.Is(err, cases.ErrForbidden) || !strings.Contains(err.Error(), "revoked") {
		t.Errorf("a note through a revoked key: %v", err)
	}
	if _, err := as.Case("alice", c.ID); !errors.Is(err, cases.ErrForbidden) {
		t.Errorf("a read through a revoked key: %v", err)
	}
	if after, _ := s.Case(Operator, c.ID); after.Version != before.Version {
		t.Error("a write through a revoked key changed the case")
	}
}

// TestTwoSupervisorsReassigningAtOnceConflict checks that a reassignment carries the version its supervisor saw:
// of two made on the same version, the second is a conflict naming the first, and changes nothing.
func TestTwoSupervisorsReassigningAtOnceConflict(t *testing.T) {
	s, cs := fixture(t, 60)
	c := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && c.Assignee == "alice" && c.Status.Open() })
	if err := s.AddUser(Operator, cases.User{Name: "sam", Role: cases.RoleSupervisor, Center: "ELEC"}); err != nil {
		t.Fatal(err)
	}
	seen := c.Version
	if _, err := s.Assign("sofia", []string{c.ID}, []uint64{seen}, "bob", "alice on leave", today); err != nil {
		t.Fatal(err)
	}
	_, err := s.Assign("sam", []string{c.ID}, []uint64{seen}, "carol", "carol has room", today)
	var conflict *cases.ConflictError
	if !errors.As(err, &conflict) || conflict.By != "sofia" {
		t.Fatalf("the second reassignment on the same version: %v; want a conflict naming sofia", err)
	}
	if got, _ := s.Case(Operator, c.ID); got.Assignee != "bob" {
		t.Errorf("the case is %s's; the conflicting reassignment must change nothing", got.Assignee)
	}
	if _, err := s.Assign("sofia", []string{c.ID}, []uint64{1, 2}, "carol", "x", today); !errors.Is(err, cases.ErrInvalid) {
		t.Errorf("versions that do not match the cases: %v", err)
	}
}

// TestDiskFullIsSaid checks that a write refused for want of space is recognised however bbolt passes it on.
func TestDiskFullIsSaid(t *testing.T) {
	for _, err := range []error{
		&os.PathError{Op: "write", Path: "ceedesk.db", Err: syscall.ENOSPC},
		fmt.Errorf("file resize error: %s", syscall.ENOSPC),
		&os.PathError{Op: "write", Path: "ceedesk.db", Err: syscall.EDQUOT},
	} {
		if !diskFull(err) {
			t.Errorf("%v is not taken for a full disk", err)
		}
	}
	if diskFull(errors.New("permission denied")) || diskFull(nil) {
		t.Error("other errors are taken for a full disk")
	}
	// a write to a full disk, as bbolt reports it, becomes the message the operations guide explains
	dir := t.TempDir()
	err := writeFile(filepath.Join(dir, "out"), true, func(io.Writer) error {
		return &os.PathError{Op: "write", Path: "out", Err: syscall.ENOSPC}
	})
	if err == nil || !strings.Contains(err.Error(), "the disk is full") {
		t.Errorf("a full disk while writing a file: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("a failed write left %v behind", left)
	}
}
