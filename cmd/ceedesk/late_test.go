package main

import (
	"strings"
	"testing"
)

// A decision after liquidation exits 1 saying what the law makes of it and to pass --acknowledge-late; with the
// flag it is recorded with the acknowledgement, which case and the audit log show.
func TestDecideLateNeedsAcknowledgeLate(t *testing.T) {
	db := seeded(t, "400")
	// a PSC or PEA overdue: its entry has passed its liquidation date; sofia supervises the Center and may decide it
	id := firstIn(t, db, "queue", "--center", "ELEC", "--filter", "kind:psc,pea due:overdue status:assigned,review", "--limit", "1")
	r := ceedesk(t, db, "", "decide", id, "--as", "sofia", "--outcome", "accepted")
	if r.code != 1 || r.stdout != "" ||
		!strings.Contains(r.stderr, "ceedesk decide: case "+id+": this decision comes too late: entry ") ||
		!strings.Contains(r.stderr, "cannot be acted on after liquidation (19 U.S.C. 1504)") ||
		!strings.Contains(r.stderr, "nothing was written") || !strings.Contains(r.stderr, "run it again with --acknowledge-late") {
		t.Fatalf("late decision without --acknowledge-late: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := ceedesk(t, db, "", "case", id); strings.Contains(r.stdout, "Decision:") {
		t.Fatalf("a refused late decision was written:\n%s", r.stdout)
	}
	r = ceedesk(t, db, "", "decide", id, "--as", "sofia", "--outcome", "accepted", "--acknowledge-late")
	if r.code != 0 || !strings.Contains(r.stdout, id+": accepted by sofia") ||
		!strings.Contains(r.stdout, "\nLate: entry ") || !strings.Contains(r.stdout, "(19 U.S.C. 1504)") || !strings.Contains(r.stdout, " — acknowledged by sofia\n") {
		t.Fatalf("late decision with --acknowledge-late: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = ceedesk(t, db, "", "case", id)
	if r.code != 0 || !strings.Contains(r.stdout, "late decision acknowledged: entry ") {
		t.Fatalf("the audit event does not carry the acknowledgement:\n%s", r.stdout)
	}
	// In time, the flag changes nothing and nothing is said of lateness.
	other := firstCase(t, db, "alice", "kind:psc due:>30d status:assigned,review")
	r = ceedesk(t, db, "", "decide", other, "--as", "alice", "--outcome", "accepted", "--acknowledge-late")
	if r.code != 0 || strings.Contains(r.stdout, "Late:") {
		t.Fatalf("decision in time with --acknowledge-late: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := ceedesk(t, db, "", "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "chain intact") {
		t.Fatalf("audit verify: %q %q", r.stdout, r.stderr)
	}
}
