package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ceedesk/cases"
	"ceedesk/store"
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

var headLine = regexp.MustCompile(`(?m)^head (\d+):([0-9a-f]{64})$`)

func TestNewStoreIsKeyedWithAKeyBesideIt(t *testing.T) {
	db := seeded(t, "30")
	key := filepath.Join(filepath.Dir(db), "audit.key")
	if fi, err := os.Lstat(key); err != nil || fi.Mode() != 0o600 {
		t.Fatalf("audit key beside the store: %v, %v; want a file of mode 0600", fi, err)
	}
	r := ceedesk(t, db, "", "audit", "verify")
	if r.code != 0 || !strings.Contains(r.stdout, "chain intact") || !strings.Contains(r.stdout, "keyed: every event (HMAC-SHA256, key "+key+")") || !headLine.MatchString(r.stdout) {
		t.Fatalf("audit verify: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// TestBackupAndRestoreFindTheKey checks a backup in another directory and restores it into a third without any
// set-up, and without a key appearing beside either; a store whose key is gone is refused with where to look.
func TestBackupAndRestoreFindTheKey(t *testing.T) {
	db := seeded(t, "30")
	key := filepath.Join(filepath.Dir(db), "audit.key")
	bk := filepath.Join(t.TempDir(), "b.db")
	if r := ceedesk(t, db, "", "backup", bk); r.code != 0 {
		t.Fatalf("backup: %q", r.stderr)
	}
	if r := ceedesk(t, bk, "", "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "keyed: every event (HMAC-SHA256, key "+key+")") {
		t.Fatalf("verifying the backup: %d %q %q", r.code, r.stdout, r.stderr)
	}
	target := filepath.Join(t.TempDir(), "restored.db")
	if r := ceedesk(t, target, "", "restore", bk); r.code != 0 {
		t.Fatalf("restore: %q", r.stderr)
	}
	for _, p := range []string{bk, target} {
		if _, err := os.Lstat(filepath.Join(filepath.Dir(p), "audit.key")); err == nil {
			t.Fatalf("a key was made beside %s", p)
		}
	}
	if r := ceedesk(t, target, "", "--as", "alice", "note", firstCase(t, target, "alice", "status:assigned,review"), "after the restore"); r.code != 0 {
		t.Fatalf("note on the restored store: %q", r.stderr)
	}
	if r := ceedesk(t, target, "", "audit", "verify"); r.code != 0 {
		t.Fatalf("verifying the restored store: %q", r.stderr)
	}
	// The key moved away: refused, naming where it should be and how to say where it is; no new key is made.
	moved := filepath.Join(t.TempDir(), "kept.key")
	if err := os.Rename(key, moved); err != nil {
		t.Fatal(err)
	}
	r := ceedesk(t, bk, "", "audit", "verify")
	if r.code != 1 || !strings.Contains(r.stderr, key) || !strings.Contains(r.stderr, "audit_key") || !strings.Contains(r.stderr, "--audit-key") {
		t.Fatalf("verify without the key: %d %q", r.code, r.stderr)
	}
	if _, err := os.Lstat(key); err == nil {
		t.Fatal("a new key was made for a keyed store")
	}
	if r := ceedesk(t, bk, "", "--audit-key", moved, "audit", "verify"); r.code != 0 {
		t.Fatalf("verify with --audit-key: %q", r.stderr)
	}
	cfg := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(cfg, []byte("audit_key = \""+moved+"\"\n"), 0o600)
	if r := ceedesk(t, bk, "", "--config", cfg, "audit", "verify"); r.code != 0 {
		t.Fatalf("verify with audit_key in the config: %q", r.stderr)
	}
	if r := ceedesk(t, target, "", "--config", cfg, "restore", bk, "--force"); r.code != 0 {
		t.Fatalf("restore with audit_key in the config: %q", r.stderr)
	}
}

func TestAuditVerifyHead(t *testing.T) {
	db := seeded(t, "30")
	r := ceedesk(t, db, "", "audit", "verify")
	m := headLine.FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		t.Fatalf("audit verify: %d %q", r.code, r.stdout)
	}
	head := m[1] + ":" + m[2]
	id := firstCase(t, db, "alice", "status:assigned,review")
	if r := ceedesk(t, db, "", "--as", "alice", "note", id, "checked"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r = ceedesk(t, db, "", "audit", "verify", "--head", head)
	if r.code != 0 || !strings.Contains(r.stdout, "it extends the head recorded earlier, "+head) || strings.Contains(r.stdout, "head "+head+"\n") {
		t.Fatalf("verify --head: %d %q %q", r.code, r.stdout, r.stderr)
	}
	forged := m[1] + ":" + strings.Repeat("0", 64)
	if r := ceedesk(t, db, "", "audit", "verify", "--head", forged); r.code != 1 || !strings.Contains(r.stderr, "audit event "+m[1]+": its hash is "+m[2]) {
		t.Fatalf("verify --head with another hash: %d %q", r.code, r.stderr)
	}
	if r := ceedesk(t, db, "", "audit", "verify", "--head", "9999:"+m[2]); r.code != 1 || !strings.Contains(r.stderr, "audit event 9999, recorded earlier as the head, is not in the log") {
		t.Fatalf("verify --head past the end: %d %q", r.code, r.stderr)
	}
	for _, bad := range []string{"12", "x:" + m[2], m[1] + ":abc", "0:" + m[2]} {
		if r := ceedesk(t, db, "", "audit", "verify", "--head", bad); r.code != 2 || !strings.Contains(r.stderr, "--head") {
			t.Errorf("verify --head %s: %d %q; want a usage error", bad, r.code, r.stderr)
		}
	}
}

// TestStoreFromBeforeKeysIsKeyedFromItsNextChange: a store made without a key (by an older ceedesk) verifies as
// before, without a key being made, and the next change keys its chain.
func TestStoreFromBeforeKeysIsKeyedFromItsNextChange(t *testing.T) {
	db := filepath.Join(t.TempDir(), "old.db")
	st, err := store.Open(db, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seedStore(st, 20, 1, cases.NewDate(2026, 11, 28), io.Discard); err != nil {
		t.Fatal(err)
	}
	n, _ := st.VerifyAudit()
	st.Close()
	key := filepath.Join(filepath.Dir(db), "audit.key")
	r := ceedesk(t, db, "", "audit", "verify")
	if want := "not keyed yet: every event has a plain SHA-256 hash"; r.code != 0 || !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, key) {
		t.Fatalf("verify of a store from before keys: %d %q %q; want %q", r.code, r.stdout, r.stderr, want)
	}
	if _, err := os.Lstat(key); err == nil {
		t.Fatal("verifying a store from before keys made a key")
	}
	id := firstCase(t, db, "alice", "status:assigned,review")
	if r := ceedesk(t, db, "", "--as", "alice", "note", id, "checked"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r = ceedesk(t, db, "", "audit", "verify")
	if want := fmt.Sprintf("keyed from event %d (HMAC-SHA256, key %s); events 1 to %d have plain SHA-256 hashes", n+1, key, n); r.code != 0 || !strings.Contains(r.stdout, want) {
		t.Fatalf("verify after the first keyed event: %d %q; want %q", r.code, r.stdout, want)
	}
}
