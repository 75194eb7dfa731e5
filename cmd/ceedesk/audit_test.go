package main

import (
	"strings"
	"testing"
)

// TestNoteNotUTF8IsRefusedAndTheChainVerifies is the regression test for a note typed on a terminal not set to
// UTF-8: it used to be stored with U+FFFD in place of the bad byte, and `audit verify` then called the event edited.
func TestNoteNotUTF8IsRefusedAndTheChainVerifies(t *testing.T) {
	db := seeded(t, "30")
	id := firstCase(t, db, "alice", "status:assigned,review")
	r := ceedesk(t, db, "", "--as", "alice", "note", id, "caf\xe9")
	if r.code == 0 || !strings.Contains(r.stderr, "UTF-8") {
		t.Fatalf("note with a byte that is not UTF-8: %d %q %q; want it refused", r.code, r.stdout, r.stderr)
	}
	if r := ceedesk(t, db, "", "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "chain intact") {
		t.Fatalf("audit verify after the refused note: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := ceedesk(t, db, "", "case", id); strings.Contains(r.stdout, "caf") {
		t.Fatalf("the refused note is on the case:\n%s", r.stdout)
	}
}
