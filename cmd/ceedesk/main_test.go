package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"ceedesk/cases"
	"ceedesk/store"
)

const today = "2026-11-28"

type result struct {
	code           int
	stdout, stderr string
}

func ceedesk(t *testing.T, db string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"--db", db, "--today", today, "--config", filepath.Join(t.TempDir(), "none.toml")}, args...)
	code := run(context.Background(), full, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func seeded(t *testing.T, n string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "ceedesk.db")
	r := ceedesk(t, db, "", "seed", "--cases", n)
	if r.code != 0 {
		t.Fatalf("seed: %d %s %s", r.code, r.stdout, r.stderr)
	}
	return db
}

// firstCase finds an open case of a kind in alice's queue.
func firstCase(t *testing.T, db, user string, filter string) string {
	t.Helper()
	return firstIn(t, db, "queue", user, "--filter", filter, "--limit", "1")
}

// firstIn runs a queue command and returns the first case id it lists.
func firstIn(t *testing.T, db string, args ...string) string {
	t.Helper()
	r := ceedesk(t, db, "", append(args, "--ids")...)
	if id, _, _ := strings.Cut(r.stdout, "\n"); r.code == 0 && id != "" {
		return id
	}
	t.Fatalf("%v --ids: no case: %q %q", args, r.stdout, r.stderr)
	return ""
}

// firstInTable is firstIn read from the table a person sees, to test that table.
func firstInTable(t *testing.T, db string, args ...string) string {
	t.Helper()
	r := ceedesk(t, db, "", args...)
	if r.code != 0 {
		t.Fatalf("queue: %s", r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) < 3 {
		t.Fatalf("%v: no case:\n%s", args, r.stdout)
	}
	m := regexp.MustCompile(`\b(\d{4}-\d{2}-\d{6}|(PSC|PEA|PD|VAL)-\d{2}-\d{6})\b`).FindString(lines[2])
	if m == "" {
		t.Fatalf("no case id in %q", lines[2])
	}
	return m
}

func TestSeedIsDeterministicAndListsQueues(t *testing.T) {
	a, b := seeded(t, "300"), seeded(t, "300")
	ra := ceedesk(t, a, "", "queue", "alice", "--limit", "20")
	rb := ceedesk(t, b, "", "queue", "alice", "--limit", "20")
	if ra.code != 0 || ra.stdout != rb.stdout {
		t.Fatalf("same seed, different queues:\n%s\n---\n%s\n%s", ra.stdout, rb.stdout, ra.stderr)
	}
	if !strings.Contains(ra.stdout, "alice:") || !strings.Contains(ra.stdout, "overdue") {
		t.Fatalf("queue header missing: %s", ra.stdout)
	}
}

func TestDecideThroughCommandLine(t *testing.T) {
	db := seeded(t, "400")
	id := firstCase(t, db, "alice", "kind:psc status:assigned,review")
	r := ceedesk(t, db, "", "decide", id, "--as", "alice", "--outcome", "rejected")
	if r.code != 1 || !strings.Contains(r.stderr, "needs reasons") {
		t.Fatalf("rejection without reasons: %d %q", r.code, r.stderr)
	}
	r = ceedesk(t, db, "", "decide", id, "--as", "bob", "--outcome", "accepted")
	if r.code != 1 || !strings.Contains(r.stderr, "only the assignee") {
		t.Fatalf("bob deciding alice's case: %d %q", r.code, r.stderr)
	}
	r = ceedesk(t, db, "", "decide", id, "--as", "alice", "--outcome", "accepted")
	if r.code != 0 || !strings.Contains(r.stdout, "accepted by alice") {
		t.Fatalf("decide: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = ceedesk(t, db, "", "case", id)
	if r.code != 0 || !strings.Contains(r.stdout, "Decision: accepted by alice") || !strings.Contains(r.stdout, "decide") {
		t.Fatalf("case after decision:\n%s\n%s", r.stdout, r.stderr)
	}
	r = ceedesk(t, db, "", "audit", "verify")
	if r.code != 0 || !strings.Contains(r.stdout, "chain intact") {
		t.Fatalf("audit verify: %q %q", r.stdout, r.stderr)
	}
}

func TestAssignNeedsSupervisorAndReason(t *testing.T) {
	db := seeded(t, "200")
	id := firstCase(t, db, "alice", "status:assigned,review")
	if r := ceedesk(t, db, "", "assign", id, "bob", "--as", "alice", "--reason", "swap"); r.code != 1 || !strings.Contains(r.stderr, "only a supervisor") {
		t.Fatalf("reviewer reassigning: %d %q", r.code, r.stderr)
	}
	if r := ceedesk(t, db, "", "assign", id, "bob", "--as", "sofia"); r.code != 1 || !strings.Contains(r.stderr, "reason") {
		t.Fatalf("no reason: %d %q", r.code, r.stderr)
	}
	if r := ceedesk(t, db, "", "assign", id, "erin", "--as", "sofia", "--reason", "x"); r.code != 1 || !strings.Contains(r.stderr, "PHARMA") {
		t.Fatalf("across Centers: %d %q", r.code, r.stderr)
	}
	r := ceedesk(t, db, "", "assign", id, "bob", "--as", "sofia", "--reason", "alice on leave")
	if r.code != 0 || !strings.Contains(r.stdout, "assigned to bob") {
		t.Fatalf("assign: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = ceedesk(t, db, "", "case", id)
	if !strings.Contains(r.stdout, "alice on leave") {
		t.Fatalf("history lacks the reason:\n%s", r.stdout)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	db := seeded(t, "10")
	for _, args := range [][]string{
		{"nosuchcommand"},
		{"decide"},
		{"assign", "X"},
		{"queue", "--sort", "colour"},
		{"queue", "--filter", "kind:boat"},
		{"export", "--format", "xml"},
	} {
		if r := ceedesk(t, db, "", args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
	if r := ceedesk(t, db, "", "case", "PSC-99-999999"); r.code != 1 || !strings.Contains(r.stderr, "not found") {
		t.Errorf("missing case: %d %q", r.code, r.stderr)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	db := seeded(t, "150")
	users := ceedesk(t, db, "", "user", "list")
	for _, format := range []string{"jsonl", "csv"} {
		out := filepath.Join(t.TempDir(), "cases."+format)
		if r := ceedesk(t, db, "", "export", "--out", out); r.code != 0 || !strings.Contains(r.stdout, "exported 150") {
			t.Fatalf("export %s: %q %q", format, r.stdout, r.stderr)
		}
		fresh := filepath.Join(t.TempDir(), "fresh.db")
		// the importing store needs the assignees
		for _, line := range strings.Split(strings.TrimSpace(users.stdout), "\n")[1:] {
			f := strings.Fields(line)
			if r := ceedesk(t, fresh, "", "user", "add", f[0], "--role", f[1], "--center", f[2]); r.code != 0 {
				t.Fatalf("user add %v: %s", f, r.stderr)
			}
		}
		if r := ceedesk(t, fresh, "", "import", out); r.code != 0 || !strings.Contains(r.stdout, "imported 150") {
			t.Fatalf("import %s: %q %q", format, r.stdout, r.stderr)
		}
		if a, b := ceedesk(t, db, "", "export").stdout, ceedesk(t, fresh, "", "export").stdout; a != b {
			t.Fatalf("%s round trip changed the cases", format)
		}
	}
}

func TestImportReportsEveryBadRowAndChangesNothing(t *testing.T) {
	db := seeded(t, "20")
	good := ceedesk(t, db, "", "export")
	lines := strings.Split(strings.TrimSpace(good.stdout), "\n")
	var c cases.Case
	if err := json.Unmarshal([]byte(lines[0]), &c); err != nil {
		t.Fatal(err)
	}
	c.ID, c.Kind, c.Protest = "PSC-26-900001", cases.KindPSC, nil
	c.PSC = &cases.PSC{Filed: c.Entry.EntryDate.AddDays(10), Version: 2, ReasonCodes: []string{"001"}, Explanation: "x"}
	c.Entry.Number = "316-0000001-9"
	bad, _ := json.Marshal(c)
	file := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(file, []byte("{\"id\": 1}\n"+string(bad)+"\n"), 0o600)
	before := ceedesk(t, db, "", "export").stdout
	r := ceedesk(t, db, "", "import", file)
	if r.code != 1 || !strings.Contains(r.stderr, "line 1") || !strings.Contains(r.stderr, "line 2") || !strings.Contains(r.stderr, "check digit should be 7") {
		t.Fatalf("bad import: %d %q", r.code, r.stderr)
	}
	if after := ceedesk(t, db, "", "export").stdout; after != before {
		t.Fatal("a failed import changed the store")
	}
}

func TestUsersAndKeys(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	spk, _ := ssh.NewPublicKey(pub)
	keyFile := filepath.Join(t.TempDir(), "k.pub")
	os.WriteFile(keyFile, ssh.MarshalAuthorizedKey(spk), 0o600)
	r := ceedesk(t, db, "", "user", "add", "zoe", "--role", "reviewer", "--center", "ELEC", "--key", keyFile)
	if r.code != 0 || !strings.Contains(r.stdout, ssh.FingerprintSHA256(spk)) {
		t.Fatalf("user add: %q %q", r.stdout, r.stderr)
	}
	if r := ceedesk(t, db, "", "user", "add", "yan", "--role", "boss", "--center", "ELEC"); r.code != 2 || !strings.Contains(r.stderr, "role") {
		t.Fatalf("bad role: %d %q", r.code, r.stderr)
	}
	if r := ceedesk(t, db, "", "user", "add", "yan", "--center", "MARS"); r.code != 2 || !strings.Contains(r.stderr, "center") {
		t.Fatalf("bad center: %d %q", r.code, r.stderr)
	}
	r = ceedesk(t, db, "", "key", "list")
	if !strings.Contains(r.stdout, "zoe") || !strings.Contains(r.stdout, "active") {
		t.Fatalf("key list: %q", r.stdout)
	}
	if r := ceedesk(t, db, "", "key", "revoke", ssh.FingerprintSHA256(spk)); r.code != 0 {
		t.Fatalf("revoke: %q", r.stderr)
	}
	if r := ceedesk(t, db, "", "key", "list", "zoe"); !strings.Contains(r.stdout, "revoked") {
		t.Fatalf("after revoke: %q", r.stdout)
	}
}

func TestHeldStoreNamesTheSSHForm(t *testing.T) {
	db := seeded(t, "5")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := ceedesk(t, db, "", "assign", "X", "bob", "--as", "sofia", "--reason", "leave")
	if r.code != 1 || !strings.Contains(r.stderr, db) || !strings.Contains(r.stderr, "ssh -p 2222 sofia@") || !strings.Contains(r.stderr, "assign X bob --reason leave") {
		t.Fatalf("held store: %d %q", r.code, r.stderr)
	}
}

func TestBackupRestore(t *testing.T) {
	db := seeded(t, "50")
	bk := filepath.Join(t.TempDir(), "b.db")
	if r := ceedesk(t, db, "", "backup", bk); r.code != 0 {
		t.Fatalf("backup: %q", r.stderr)
	}
	target := filepath.Join(t.TempDir(), "restored.db")
	if r := ceedesk(t, target, "", "restore", bk); r.code != 0 {
		t.Fatalf("restore: %q", r.stderr)
	}
	if a, b := ceedesk(t, db, "", "export").stdout, ceedesk(t, target, "", "export").stdout; a != b {
		t.Fatal("restored store differs from the original")
	}
	junk := filepath.Join(t.TempDir(), "junk.db")
	os.WriteFile(junk, []byte(strings.Repeat("not a store ", 1000)), 0o600)
	before := ceedesk(t, target, "", "export").stdout
	if r := ceedesk(t, target, "", "restore", junk, "--force"); r.code != 1 || !strings.Contains(r.stderr, "nothing was restored") || !strings.Contains(r.stderr, "not a bbolt database") {
		t.Fatalf("restore from a file that is not a store: %d %q", r.code, r.stderr)
	}
	if after := ceedesk(t, target, "", "export").stdout; after != before {
		t.Fatal("a refused restore changed the store")
	}
	if r := ceedesk(t, target, "", "restore", bk); r.code != 1 || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("restore over an existing store without --force: %d %q", r.code, r.stderr)
	}
	st, err := store.Open(target, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := ceedesk(t, target, "", "restore", bk, "--force")
	st.Close()
	if r.code != 1 || !strings.Contains(r.stderr, "in use") {
		t.Fatalf("restore over a store in use: %d %q", r.code, r.stderr)
	}
}

func TestApprovalsWorkloadAndApprove(t *testing.T) {
	db := seeded(t, "600")
	r := ceedesk(t, db, "", "workload", "--as", "sofia")
	if r.code != 0 || !strings.Contains(r.stdout, "alice") || !strings.Contains(r.stdout, "OVERDUE") {
		t.Fatalf("workload: %q %q", r.stdout, r.stderr)
	}
	r = ceedesk(t, db, "", "approvals", "--center", "ELEC")
	if r.code != 0 || !strings.Contains(r.stdout, "waiting for approval in ELEC") {
		t.Fatalf("approvals: %q %q", r.stdout, r.stderr)
	}
	id := firstIn(t, db, "queue", "--center", "ELEC", "--filter", "status:pending_approval", "--limit", "1")
	if shown := firstInTable(t, db, "queue", "--center", "ELEC", "--filter", "status:pending_approval", "--limit", "1"); shown != id {
		t.Fatalf("the table shows %s first, --ids says %s", shown, id)
	}
	c := ceedesk(t, db, "", "case", id, "--json")
	m := regexp.MustCompile(`"by": "(\w+)"`).FindStringSubmatch(c.stdout)
	if m == nil {
		t.Fatalf("no decider in %s", c.stdout)
	}
	if r := ceedesk(t, db, "", "approve", id, "--as", m[1]); r.code != 1 || !strings.Contains(r.stderr, "supervisor") {
		t.Fatalf("the decider approving: %d %q", r.code, r.stderr)
	}
	if r := ceedesk(t, db, "", "return", id, "--as", "sofia"); r.code != 1 || !strings.Contains(r.stderr, "comment") {
		t.Fatalf("return without a comment: %d %q", r.code, r.stderr)
	}
	r = ceedesk(t, db, "", "approve", id, "--as", "sofia")
	if r.code != 0 || !strings.Contains(r.stdout, "approved by sofia") {
		t.Fatalf("approve: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := ceedesk(t, db, "", "approve", id, "--as", "sofia"); r.code != 1 || !strings.Contains(r.stderr, "no decision waiting") {
		t.Fatalf("approving twice: %d %q", r.code, r.stderr)
	}
}

func TestAuditExportCarriesTheChain(t *testing.T) {
	db := seeded(t, "30")
	id := firstCase(t, db, "alice", "status:assigned,review")
	if r := ceedesk(t, db, "", "note", id, "--as", "alice", "checked"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	out := filepath.Join(t.TempDir(), "audit.jsonl")
	r := ceedesk(t, db, "", "audit", "export", "--out", out)
	if r.code != 0 || !strings.Contains(r.stdout, "exported") {
		t.Fatalf("audit export: %q %q", r.stdout, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	prev := ""
	for i, l := range lines {
		var e cases.Event
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if e.Seq != uint64(i+1) || e.Prev != prev || len(e.Hash) != 64 {
			t.Fatalf("line %d: seq %d prev %q hash %q; want seq %d after %q", i+1, e.Seq, e.Prev, e.Hash, i+1, prev)
		}
		prev = e.Hash
	}
	if last := lines[len(lines)-1]; !strings.Contains(last, "checked") || !strings.Contains(last, id) {
		t.Fatalf("last event %s; want the note on %s", last, id)
	}
}
