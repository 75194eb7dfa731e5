package main

import (
	"os"
	"strings"
	"testing"
)

// A note that is not UTF-8 is refused at the command line with the byte that is wrong, and the store is unchanged:
// before, it was stored and then broke the audit chain.
func TestNoteThatIsNotUTF8IsRefused(t *testing.T) {
	db := seeded(t, "30")
	id := firstCase(t, db, "alice", "status:assigned,review")
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	r := ceedesk(t, db, "", "--as", "alice", "note", id, "caf\xe9")
	if r.code != 1 || !strings.Contains(r.stderr, "the note is not valid UTF-8: byte 3 (0xe9)") {
		t.Fatalf("note caf\\xe9: %d %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(db); string(after) != string(before) {
		t.Fatal("a refused note changed the store")
	}
	if r := ceedesk(t, db, "", "audit", "verify"); r.code != 0 {
		t.Fatalf("audit verify: %q %q", r.stdout, r.stderr)
	}
}
