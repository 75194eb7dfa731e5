package main

import (
	"strings"
	"testing"
)

// answer, notice-of-action and reply through the command line: usage errors exit 2, refusals 1 with the rule's
// words, and each write says what it recorded.
func TestAnswerNoticeAndReplyThroughCommandLine(t *testing.T) {
	db := seeded(t, "400")
	id := firstCase(t, db, "alice", "kind:psc status:review")
	for _, tc := range []struct {
		args []string
		code int
		out  string // in stdout (code 0) or stderr
	}{
		{[]string{"answer", id, "the invoice", "--as", "alice"}, 1, "has no open request for information to answer"},
		{[]string{"request-info", id, "send the invoice", "--as", "alice"}, 0, "information requested"},
		{[]string{"answer", id, "--as", "alice"}, 2, "CASE and TEXT are needed"},
		{[]string{"answer", id, "the invoice", "--on", "28/11/2026", "--as", "alice"}, 2, `date "28/11/2026": want YYYY-MM-DD`},
		{[]string{"answer", id, "the invoice", "--on", "2026-11-29", "--as", "alice"}, 1, "the answer is dated 2026-11-29, after today (2026-11-28)"},
		{[]string{"answer", id, "the invoice", "--as", "bob"}, 1, "only the assignee"},
		{[]string{"answer", id, "invoice", "attached", "--as", "alice"}, 0, id + ": answer to request for information 1 recorded, received 2026-11-28; the case is back in review"},
		{[]string{"notice-of-action", id, "--action", "rate advance", "--as", "alice"}, 2, "one of --proposed and --taken is needed"},
		{[]string{"notice-of-action", id, "--proposed", "--taken", "--action", "x", "--as", "alice"}, 2, "one of --proposed and --taken is needed"},
		{[]string{"notice-of-action", id, "--proposed", "--as", "alice"}, 2, "--action is needed"},
		{[]string{"notice-of-action", id, "--proposed", "--action", "advance line 1 to 8471.30.0100", "--sent", "2026-11-20", "--as", "alice"}, 0,
			id + ": notice of proposed action (CBP Form 29) sent 2026-11-20 recorded; the importer's reply is due 2026-12-10"},
		{[]string{"notice-of-action", id, "--taken", "--action", "rate advanced", "--as", "alice"}, 0, id + ": notice of action taken (CBP Form 29) sent 2026-11-28 recorded"},
		{[]string{"reply", id, "--on", "2026-11-31", "x", "--as", "alice"}, 2, "want YYYY-MM-DD"},
	} {
		r := ceedesk(t, db, "", tc.args...)
		got := r.stderr
		if tc.code == 0 {
			got = r.stdout
		}
		if r.code != tc.code || !strings.Contains(got, tc.out) {
			t.Errorf("%v: exit %d, %q %q; want %d and %q", tc.args, r.code, r.stdout, r.stderr, tc.code, tc.out)
		}
	}
	r := ceedesk(t, db, "", "case", id)
	if r.code != 0 || !strings.Contains(r.stdout, "(in review, version") ||
		!strings.Contains(r.stdout, "answer       status: awaiting_info -> review; answer to request for information 1 of") ||
		!strings.Contains(r.stdout, "notice of proposed action (CBP Form 29) sent 2026-11-20, reply due 2026-12-10: advance line 1 to 8471.30.0100") {
		t.Fatalf("case after the answer and the notices:\n%s\n%s", r.stdout, r.stderr)
	}
	other := firstCase(t, db, "alice", "kind:pea status:review")
	if r := ceedesk(t, db, "", "reply", other, "we disagree", "--as", "alice"); r.code != 1 || !strings.Contains(r.stderr, "has no notice of action waiting for a reply") {
		t.Errorf("reply with no notice: %d %q", r.code, r.stderr)
	}
	if r := ceedesk(t, db, "", "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "chain intact") {
		t.Fatalf("audit verify: %q %q", r.stdout, r.stderr)
	}
}
