package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/cmd/ceedesk/internal/cli"
	"ceedesk/store"

	gossh "golang.org/x/crypto/ssh"
)

// accessCase is one command run by one user: allowed (exit 0, with output that has every string of has and none
// of lacks) or refused (exit 1, nothing on standard output, a refusal that says what to do instead).
type accessCase struct {
	user    string
	command string
	refused bool
	has     []string
	lacks   []string
}

// accessTable is every read command, and the writes that must be refused, by every role, on their own Center and
// on the other one. elec and pharma are
// a case of each Center; keys maps each user to their key's fingerprint.
func accessTable(elec, pharma string, keys map[string]string) []accessCase {
	mine := func(user string) []string { return []string{keys[user]} }
	return []accessCase{
		// a reviewer: their own queue and their own Center's cases
		{user: "alice", command: "queue", has: []string{"alice:"}},
		{user: "alice", command: "queue alice", has: []string{"alice:"}},
		{user: "alice", command: "queue bob", refused: true},
		{user: "alice", command: "queue erin", refused: true},
		{user: "alice", command: "queue --center ELEC", has: []string{"Center ELEC"}},
		{user: "alice", command: "queue --center PHARMA", refused: true},
		{user: "alice", command: "case " + elec, has: []string{elec}},
		{user: "alice", command: "case " + elec + " --json", has: []string{`"id": "` + elec + `"`}},
		{user: "alice", command: "case " + pharma, refused: true},
		{user: "alice", command: "case " + pharma + " --json", refused: true},
		{user: "alice", command: "approvals", refused: true},
		{user: "alice", command: "approvals --center PHARMA", refused: true},
		{user: "alice", command: "workload", refused: true},
		{user: "alice", command: "workload --center PHARMA", refused: true},
		{user: "alice", command: "export", refused: true},
		{user: "alice", command: "export --format csv", refused: true},
		{user: "alice", command: "audit export", refused: true},
		{user: "alice", command: "user list", has: []string{"alice"}, lacks: []string{"bob", "sofia", "erin", "admin"}},
		{user: "alice", command: "user list --center PHARMA", lacks: []string{"erin", "priya"}},
		{user: "alice", command: "key list", has: mine("alice"), lacks: []string{keys["sofia"], keys["erin"], keys["admin"]}},
		{user: "alice", command: "key list sofia", lacks: []string{keys["sofia"]}},
		{user: "erin", command: "queue", has: []string{"erin:"}},
		{user: "erin", command: "case " + pharma, has: []string{pharma}},
		{user: "erin", command: "case " + elec, refused: true},
		{user: "erin", command: "queue alice", refused: true},
		{user: "erin", command: "queue --center ELEC", refused: true},
		{user: "erin", command: "export", refused: true},

		// a supervisor: all of their own Center, nothing of another
		{user: "sofia", command: "queue", has: []string{"Center ELEC"}},
		{user: "sofia", command: "queue bob", has: []string{"bob:"}},
		{user: "sofia", command: "queue erin", refused: true},
		{user: "sofia", command: "queue --center PHARMA", refused: true},
		{user: "sofia", command: "case " + elec, has: []string{elec}},
		{user: "sofia", command: "case " + pharma, refused: true},
		{user: "sofia", command: "approvals", has: []string{"waiting for approval in ELEC"}},
		{user: "sofia", command: "approvals --center PHARMA", refused: true},
		{user: "sofia", command: "workload", has: []string{"alice", "bob"}, lacks: []string{"erin"}},
		{user: "sofia", command: "workload --center PHARMA", refused: true},
		{user: "sofia", command: "export", has: []string{`"id":"` + elec + `"`}, lacks: []string{pharma, `"center":"PHARMA"`}},
		{user: "sofia", command: "export --format csv", has: []string{elec}, lacks: []string{pharma}},
		{user: "sofia", command: "audit export", has: []string{`"case":"` + elec + `"`}, lacks: []string{pharma}},
		{user: "sofia", command: "user list", has: []string{"alice", "bob", "sofia"}, lacks: []string{"erin", "priya"}},
		{user: "sofia", command: "user list --center PHARMA", lacks: []string{"erin", "priya"}},
		{user: "sofia", command: "key list", has: []string{keys["alice"], keys["sofia"]}, lacks: []string{keys["erin"], keys["priya"]}},
		{user: "priya", command: "queue --center PHARMA", has: []string{"Center PHARMA"}},
		{user: "priya", command: "case " + elec, refused: true},
		{user: "priya", command: "workload --center ELEC", refused: true},
		{user: "priya", command: "export", has: []string{pharma}, lacks: []string{elec}},

		// writes follow the same rule: nothing of another Center, nothing above the role
		{user: "alice", command: "note " + pharma + " a word", refused: true},
		{user: "alice", command: "request-info " + pharma + " papers please", refused: true},
		{user: "alice", command: "decide " + pharma + " --outcome allowed", refused: true},
		{user: "alice", command: "assign " + elec + " bob --reason cover", refused: true},
		{user: "alice", command: "approve " + elec, refused: true},
		{user: "alice", command: "return " + elec + " --comment again", refused: true},
		{user: "alice", command: "import cases.jsonl", refused: true},
		{user: "alice", command: "user add zed --role admin --center ELEC", refused: true},
		{user: "alice", command: "user disable sofia", refused: true},
		{user: "alice", command: "key revoke " + keys["sofia"], refused: true},
		{user: "alice", command: "backup mine.db", refused: true},
		{user: "erin", command: "note " + elec + " a word", refused: true},
		{user: "sofia", command: "note " + pharma + " a word", refused: true},
		{user: "sofia", command: "assign " + pharma + " erin --reason cover", refused: true},
		{user: "sofia", command: "user add zed --role reviewer --center ELEC", refused: true},
		{user: "sofia", command: "backup sofia.db", refused: true},
		{user: "priya", command: "assign " + elec + " bob --reason cover", refused: true},

		// an admin: everything
		{user: "admin", command: "queue erin", has: []string{"erin:"}},
		{user: "admin", command: "queue --center PHARMA", has: []string{"Center PHARMA"}},
		{user: "admin", command: "case " + pharma, has: []string{pharma}},
		{user: "admin", command: "approvals --center PHARMA", has: []string{"waiting for approval in PHARMA"}},
		{user: "admin", command: "workload --center PHARMA", has: []string{"erin"}},
		{user: "admin", command: "export", has: []string{elec, pharma}},
		{user: "admin", command: "audit export", has: []string{elec, pharma, `"action":"user_add"`}},
		{user: "admin", command: "user list", has: []string{"alice", "erin", "priya", "admin"}},
		{user: "admin", command: "key list", has: []string{keys["alice"], keys["erin"], keys["admin"]}},
	}
}

// accessFixture is a server with the real commands over both Centers' cases, a key for every user of the table,
// and one case of each Center.
func accessFixture(t *testing.T) (fx *fixture, ids map[string]identity, elec, pharma string) {
	fx = start(t, fixtureOptions{cli: true, cases: 200})
	ids = map[string]identity{}
	for _, name := range []string{"alice", "erin", "sofia", "priya", "admin"} {
		ids[name] = fx.user(name)
	}
	first := func(center string) string {
		p, err := fx.st.Queue(store.Operator, cases.QueueQuery{Center: center, OpenOnly: true, Limit: 1, Today: testToday})
		if err != nil || len(p.Rows) == 0 {
			t.Fatalf("no case in %s: %v", center, err)
		}
		return p.Rows[0].ID
	}
	return fx, ids, first("ELEC"), first("PHARMA")
}

func checkAccess(t *testing.T, tc accessCase, stdout, stderr string, status int) {
	t.Helper()
	if tc.refused {
		if status != cli.ExitFail || stdout != "" || !strings.Contains(stderr, "not permitted") {
			t.Errorf("%s as %s: want a refusal (exit 1, nothing printed), got exit %d, stdout %q, stderr %q", tc.command, tc.user, status, tail(stdout, 300), stderr)
		}
		return
	}
	if status != cli.ExitOK {
		t.Errorf("%s as %s: want it allowed, got exit %d: %s", tc.command, tc.user, status, stderr)
		return
	}
	for _, s := range tc.has {
		if !strings.Contains(stdout, s) {
			t.Errorf("%s as %s: output lacks %q:\n%s", tc.command, tc.user, s, tail(stdout, 600))
		}
	}
	for _, s := range tc.lacks {
		if strings.Contains(stdout, s) {
			t.Errorf("%s as %s: output shows %q, which %s may not see", tc.command, tc.user, s, tc.user)
		}
	}
}

// TestEveryReadObeysTheAccessRule runs every read command as every role on its own and the other Center, over a
// real SSH connection and through the local --as path, and checks each answer.
func TestEveryReadObeysTheAccessRule(t *testing.T) {
	fx, ids, elec, pharma := accessFixture(t)
	keys := map[string]string{}
	for name, id := range ids {
		keys[name] = id.fp
	}
	table := accessTable(elec, pharma, keys)

	bothWays(t, fx, ids, table, func(tc accessCase) (string, string) { return tc.user, tc.command }, checkAccess)
}

// bothWays runs each command of a table as its user over a real SSH connection and through the local --as path,
// and hands each answer to check.
func bothWays[T any](t *testing.T, fx *fixture, ids map[string]identity, table []T, as func(T) (user, command string),
	check func(t *testing.T, tc T, stdout, stderr string, status int)) {
	t.Helper()
	t.Run("ssh", func(t *testing.T) {
		clients := map[string]*gossh.Client{}
		for name, id := range ids {
			c, err := dial(t, fx.addr, name, gossh.PublicKeys(id.signer))
			if err != nil {
				t.Fatalf("dial as %s: %v", name, err)
			}
			t.Cleanup(func() { c.Close() })
			clients[name] = c
		}
		for _, tc := range table {
			user, command := as(tc)
			stdout, stderr, status := run(t, clients[user], command, "")
			check(t, tc, stdout, stderr, status)
		}
	})
	t.Run("local --as", func(t *testing.T) {
		for _, tc := range table {
			user, command := as(tc)
			var stdout, stderr strings.Builder
			env := &cli.Env{Store: fx.st, Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Today: testToday, As: user}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			status := cli.Run(ctx, env, strings.Fields(command))
			cancel()
			check(t, tc, stdout.String(), stderr.String(), status)
		}
	})
}

// TestRefusalsSayWhatToDoInstead checks that a refused read names what the user may do instead.
func TestRefusalsSayWhatToDoInstead(t *testing.T) {
	fx, _, _, pharma := accessFixture(t)
	for _, tc := range []struct{ user, command, want string }{
		{"alice", "queue bob", "yours: ceedesk queue"},
		{"alice", "queue --center PHARMA", "ceedesk queue --center ELEC"},
		{"alice", "export", "one case of your Center at a time"},
		{"alice", "audit export", "one case of your Center at a time"},
		{"alice", "approvals", "your own queue: ceedesk queue"},
		{"sofia", "workload --center PHARMA", "yours: --center ELEC"},
		{"sofia", "case " + pharma, "not in the PHARMA Center"},
	} {
		var stdout, stderr strings.Builder
		env := &cli.Env{Store: fx.st, Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Today: testToday, As: tc.user}
		status := cli.Run(context.Background(), env, strings.Fields(tc.command))
		if status != cli.ExitFail || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%s as %s: exit %d, %q; want exit 1 saying %q", tc.command, tc.user, status, stderr.String(), tc.want)
		}
	}
}

// TestSSHBackupWritesOnlyNewFilesInTheBackupDirectory checks that an admin's `backup NAME` over SSH writes a new
// file in the backup directory and nowhere else: not a path, not over an existing file, not through a link, not
// over the host key.
func TestSSHBackupWritesOnlyNewFilesInTheBackupDirectory(t *testing.T) {
	fx, ids, _, _ := accessFixture(t)
	admin, err := dial(t, fx.addr, "admin", gossh.PublicKeys(ids["admin"].signer))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	dir := filepath.Dir(fx.st.Path())
	backups := filepath.Join(dir, "backups")
	hostKey := fx.srv.set.hostKeyPath
	keyBefore, err := os.ReadFile(hostKey)
	if err != nil {
		t.Fatal(err)
	}

	stdout, stderr, status := run(t, admin, "backup monday.db", "")
	if status != cli.ExitOK || !strings.Contains(stdout, "backup monday.db written") {
		t.Fatalf("backup monday.db: exit %d, %q %q", status, stdout, stderr)
	}
	fi, err := os.Lstat(filepath.Join(backups, "monday.db"))
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the backup is not a 0600 file in %s: %v %v", backups, fi, err)
	}
	if err := os.Symlink(hostKey, filepath.Join(backups, "planted.db")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, want string }{
		{"monday.db", "already exists"},
		{"planted.db", "symbolic link"},
		{hostKey, "plain name"},
		{"../host_ed25519", "plain name"},
		{"../ceedesk.db", "plain name"},
		{".hidden", "plain name"},
		{"a/b", "plain name"},
	} {
		_, stderr, status := run(t, admin, "backup "+tc.name, "")
		if status == cli.ExitOK || !strings.Contains(stderr, tc.want) {
			t.Errorf("backup %s: exit %d, %q; want a refusal saying %q", tc.name, status, stderr, tc.want)
		}
	}
	if keyAfter, _ := os.ReadFile(hostKey); string(keyAfter) != string(keyBefore) {
		t.Fatal("a backup overwrote the host key")
	}
	alice, err := dial(t, fx.addr, "alice", gossh.PublicKeys(ids["alice"].signer))
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	if _, stderr, status := run(t, alice, "backup alice.db", ""); status != cli.ExitFail || !strings.Contains(stderr, "only an admin") {
		t.Errorf("a reviewer's backup: exit %d, %q", status, stderr)
	}
}

// TestAssignVersionOnTheCommandLine checks `assign --version`: the version the supervisor saw, or a conflict.
func TestAssignVersionOnTheCommandLine(t *testing.T) {
	fx, _, elec, _ := accessFixture(t)
	c, err := fx.st.Case(store.Operator, elec)
	if err != nil {
		t.Fatal(err)
	}
	to := "bob"
	if c.Assignee == to {
		to = "carol"
	}
	local := func(args ...string) (string, string, int) {
		var stdout, stderr strings.Builder
		env := &cli.Env{Store: fx.st, Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Today: testToday, As: "sofia"}
		code := cli.Run(context.Background(), env, args)
		return stdout.String(), stderr.String(), code
	}
	stale := fmt.Sprint(c.Version)
	if _, stderr, code := local("assign", elec, to, "--reason", "cover", "--version", stale); code != cli.ExitOK {
		t.Fatalf("assign on the current version: %s", stderr)
	}
	_, stderr, code := local("assign", elec, "dave", "--reason", "cover", "--version", stale)
	if code != cli.ExitFail || !strings.Contains(stderr, "was changed by sofia") {
		t.Errorf("assign on a stale version: exit %d, %q", code, stderr)
	}
	if _, stderr, code := local("assign", elec, "dave", "--reason", "cover", "--version", "1,2"); code != cli.ExitUsage {
		t.Errorf("two versions for one case: exit %d, %q", code, stderr)
	}
}

// TestSSHCommandThatIsNotUTF8IsRefusedWhole checks that a command line with a byte that is not UTF-8 is refused,
// naming the byte, and changes nothing: split into words it would have become U+FFFD, so the record would hold
// something other than what was sent.
func TestSSHCommandThatIsNotUTF8IsRefusedWhole(t *testing.T) {
	fx, ids, elec, _ := accessFixture(t)
	c, err := fx.st.Case(store.Operator, elec)
	if err != nil {
		t.Fatal(err)
	}
	sofia, err := dial(t, fx.addr, "sofia", gossh.PublicKeys(ids["sofia"].signer))
	if err != nil {
		t.Fatal(err)
	}
	defer sofia.Close()
	stdout, stderr, status := run(t, sofia, "note "+elec+" caf\xe9", "")
	if status != cli.ExitFail || stdout != "" || !strings.Contains(stderr, "not valid UTF-8: byte") {
		t.Errorf("a note that is not UTF-8: exit %d, %q %q", status, stdout, stderr)
	}
	if after, _ := fx.st.Case(store.Operator, elec); after.Version != c.Version || len(after.Notes) != len(c.Notes) {
		t.Error("the refused command changed the case")
	}
	if n, err := fx.st.VerifyAudit(); err != nil {
		t.Errorf("audit chain after the refusal (%d events): %v", n, err)
	}
}

// TestApprovalsNameTheDecider checks that `approvals` names who decided, not who holds the case now: a pending
// decision reassigned to someone else was still decided by its first reviewer.
func TestApprovalsNameTheDecider(t *testing.T) {
	fx, _, _, _ := accessFixture(t)
	local := func(as string, args ...string) (string, string, int) {
		var stdout, stderr strings.Builder
		env := &cli.Env{Store: fx.st, Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Today: testToday, As: as}
		code := cli.Run(context.Background(), env, args)
		return stdout.String(), stderr.String(), code
	}
	p, err := fx.st.Queue(store.Operator, cases.QueueQuery{Assignee: "alice", OpenOnly: true, Limit: 200, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, r := range p.Rows {
		c, _ := fx.st.Case(store.Operator, r.ID)
		if c.Status == cases.StatusPendingApproval || c.Revenue() < fx.st.Policy().ApprovalThreshold {
			continue
		}
		for _, o := range cases.Outcomes(c) {
			if o.Adverse && !o.Amount && !o.Lines {
				if _, stderr, code := local("alice", "decide", c.ID, "--outcome", string(o.Outcome), "--reason", "no support for the claim"); code != 0 {
					t.Fatalf("decide %s: %s", c.ID, stderr)
				}
				id = c.ID
			}
			if id != "" {
				break
			}
		}
		if id != "" {
			break
		}
	}
	if id == "" {
		t.Fatal("no case of alice's takes an adverse decision that waits for approval")
	}
	if _, stderr, code := local("sofia", "assign", id, "bob", "--reason", "alice on leave"); code != 0 {
		t.Fatalf("reassign the pending decision: %s", stderr)
	}
	stdout, stderr, code := local("sofia", "approvals")
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, id) {
			a, b := strings.Index(line, " alice "), strings.Index(line, " bob ")
			if a < 0 || b < 0 || a > b { // DECIDED BY comes before ASSIGNEE
				t.Errorf("approvals line for %s does not name alice as decider and bob as assignee: %q", id, line)
			}
			return
		}
	}
	t.Errorf("approvals does not list %s:\n%s", id, stdout)
}

// TestApproveAfterLiquidationNeedsTheAcknowledgement checks `approve --acknowledge-late`: the approval date is the
// decision date, so approving a PSC or PEA decision once its entry has liquidated says what the law makes of it and
// needs the flag, and the acknowledgement is recorded with the decision.
func TestApproveAfterLiquidationNeedsTheAcknowledgement(t *testing.T) {
	fx, _, _, _ := accessFixture(t)
	// a rejection made in time, before liquidation, that waits for approval
	page, err := fx.st.Queue(store.Operator, cases.QueueQuery{Center: "ELEC", OpenOnly: true, Limit: 1000, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	var c *cases.Case
	for _, r := range page.Rows {
		got, _ := fx.st.Case(store.Operator, r.ID)
		liq := got.Entry.LiquidationDate()
		if (got.Kind != cases.KindPSC && got.Kind != cases.KindPEA) || got.Assignee == "" || got.Assignee == "sofia" || liq == 0 ||
			got.Status == cases.StatusPendingApproval || got.Revenue() < fx.st.Policy().ApprovalThreshold || got.Entry.Liquidated != 0 {
			continue
		}
		day := liq.AddDays(-3)
		if _, late := cases.LateDecision(got, cases.Decision{Outcome: cases.OutcomeRejected}, fx.st.Policy(), day); late {
			continue
		}
		decided, err := fx.st.Decide(got.Assignee, got.ID, 0, cases.Decision{Outcome: cases.OutcomeRejected, Reasons: "no support"}, day)
		if err == nil && decided.Status == cases.StatusPendingApproval {
			c = decided
			break
		}
	}
	if c == nil {
		t.Fatal("no PSC or PEA of ELEC takes a rejection that waits for approval")
	}
	after := c.Entry.LiquidationDate().AddDays(1)
	approve := func(args ...string) (string, string, int) {
		var stdout, stderr strings.Builder
		env := &cli.Env{Store: fx.st, Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Today: after, As: "sofia"}
		code := cli.Run(context.Background(), env, append([]string{"approve", c.ID}, args...))
		return stdout.String(), stderr.String(), code
	}
	if _, stderr, code := approve(); code != cli.ExitFail || !strings.Contains(stderr, "--acknowledge-late") || !strings.Contains(stderr, "19 U.S.C. 1504") {
		t.Fatalf("approve after liquidation without the flag: exit %d, %q", code, stderr)
	}
	if got, _ := fx.st.Case(store.Operator, c.ID); got.Status != cases.StatusPendingApproval {
		t.Fatal("the refused approval changed the case")
	}
	if _, stderr, code := approve("--acknowledge-late"); code != cli.ExitOK {
		t.Fatalf("approve --acknowledge-late: %s", stderr)
	}
	got, _ := fx.st.Case(store.Operator, c.ID)
	if got.Status != cases.StatusDecided || !strings.HasSuffix(got.Decision.LateAck, "acknowledged by sofia") {
		t.Fatalf("approved late: %s %q", got.Status, got.Decision.LateAck)
	}
}
