package main

import (
	"slices"
	"strings"
	"testing"
)

// ids runs a queue command with --ids and returns the case ids it lists.
func ids(t *testing.T, db string, args ...string) []string {
	t.Helper()
	r := ceedesk(t, db, "", append(args, "--ids")...)
	if r.code != 0 {
		t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
	}
	return strings.Fields(r.stdout)
}

// The queue command takes the workstation's filter language, every sort, and --reverse.
func TestQueueFilterLanguageAndSorts(t *testing.T) {
	db := seeded(t, "300")
	center := []string{"queue", "--center", "ELEC", "--limit", "10000"}
	protests := ids(t, db, append(center, "--filter", "kind:protest")...)
	pscs := ids(t, db, append(center, "--filter", "kind:psc")...)
	either := ids(t, db, append(center, "--filter", "kind:protest OR kind:psc", "--sort", "case")...)
	want := slices.Sorted(slices.Values(append(slices.Clone(protests), pscs...)))
	if len(protests) == 0 || len(pscs) == 0 || !slices.Equal(either, want) {
		t.Fatalf("kind:protest OR kind:psc sorted by case lists %d cases; want the %d protests and %d PSCs in id order", len(either), len(protests), len(pscs))
	}
	if rest := ids(t, db, append(center, "--filter", "-kind:protest -kind:psc")...); slices.ContainsFunc(rest, func(id string) bool {
		return slices.Contains(either, id)
	}) {
		t.Fatal("-kind:protest -kind:psc lists a protest or a PSC")
	}
	for _, sort := range []string{"due", "received", "amount", "importer", "kind", "case", "status", "assignee", "entry"} {
		fwd := ids(t, db, append(center, "--sort", sort)...)
		back := ids(t, db, append(center, "--sort", sort, "--reverse")...)
		slices.Reverse(back)
		if len(fwd) == 0 || !slices.Equal(fwd, back) {
			t.Errorf("--sort %s --reverse is not the reverse of --sort %s", sort, sort)
		}
	}
	// unassigned cases, and a filter that names a status shows decided cases without --all
	if none := ids(t, db, append(center, "--filter", "assignee:none")...); len(none) == 0 {
		t.Error("assignee:none lists no case")
	}
	if decided := ids(t, db, append(center, "--filter", "status:decided")...); len(decided) == 0 {
		t.Error("status:decided lists no case without --all")
	}
	r := ceedesk(t, db, "", "queue", "--center", "ELEC", "--filter", "due:2026-12-01..2026-12-31", "--sort", "due", "--limit", "10000")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[2:] {
		if due := strings.Fields(line)[0]; due < "2026-12-01" || due > "2026-12-31" {
			t.Fatalf("due:2026-12-01..2026-12-31 lists a case due %s", due)
		}
	}
}

func TestQueueFilterAndSortErrors(t *testing.T) {
	db := seeded(t, "10")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--filter", "due:<2026-13-01"}, `filter term "due:<2026-13-01": month 13 is not 1 to 12`},
		{[]string{"--filter", "acme OR"}, "filter has an OR without a term on each side"},
		{[]string{"--filter", "(acme"}, "filter has a ( that is not closed"},
		{[]string{"--sort", "colour"}, `sort "colour": want due, received, amount, importer, kind, case, status, assignee or entry`},
		{[]string{"--reverse=maybe"}, "reverse"},
	} {
		r := ceedesk(t, db, "", append([]string{"queue", "--center", "ELEC"}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("queue %v: exit %d, %q; want exit 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}
