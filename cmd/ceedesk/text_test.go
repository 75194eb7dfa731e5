package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"ceedesk/cases"
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

// case --json and audit export show a terminal nothing it would act on, and decode to the text as written.
func TestJSONOutputsEscapeWhatATerminalActsOn(t *testing.T) {
	const hostile = "ok \u202eevil\u202c \u2066iso\u2069 \u200e\u061c \u0085\u009b31m \u2028 \u200b\ufeff \x1b]0;owned\x07"
	db := seeded(t, "30")
	id := firstCase(t, db, "alice", "status:assigned,review")
	if r := ceedesk(t, db, "", "--as", "alice", "note", id, hostile); r.code != 0 {
		t.Fatalf("note: %q", r.stderr)
	}
	raw := func(what, out string) {
		t.Helper()
		for _, r := range out {
			if r == 0x1b || r == 0x07 || r >= 0x7f && (r <= 0x9f || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r)) {
				t.Fatalf("%s: raw %U in the output", what, r)
			}
		}
	}
	r := ceedesk(t, db, "", "--as", "alice", "case", id, "--json")
	if r.code != 0 {
		t.Fatalf("case --json: %q", r.stderr)
	}
	raw("case --json", r.stdout)
	var c cases.Case
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil || c.Notes[len(c.Notes)-1].Text != hostile {
		t.Fatalf("case --json decodes to %v", err)
	}
	out := filepath.Join(t.TempDir(), "audit.jsonl")
	if r := ceedesk(t, db, "", "audit", "export", "--out", out); r.code != 0 {
		t.Fatalf("audit export: %q", r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	raw("audit export", string(b))
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var ev cases.Event
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &ev); err != nil || ev.Change != "note: "+hostile {
		t.Fatalf("the last audit event decodes to %+v, %v", ev, err)
	}
}
