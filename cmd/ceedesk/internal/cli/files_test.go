package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ceedesk/cases"
	"ceedesk/cases/synth"
	"ceedesk/store"
)

func testStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "ceedesk.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	g := synth.New(3, cases.NewDate(2026, 3, 2))
	for _, u := range g.Users() {
		if err := st.AddUser(store.Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func runLocal(st *store.Store, as string, args ...string) (string, string, int) {
	var stdout, stderr strings.Builder
	env := &Env{Store: st, Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Today: cases.NewDate(2026, 3, 2), As: as}
	code := Run(context.Background(), env, args)
	return stdout.String(), stderr.String(), code
}

// TestLocalOutputsNeverFollowALink checks that backup, export --out and audit export --out refuse a symbolic link
// at the destination and leave the file it points to as it was.
func TestLocalOutputsNeverFollowALink(t *testing.T) {
	st := testStore(t)
	dir := t.TempDir()
	target := filepath.Join(dir, "precious")
	if err := os.WriteFile(target, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	for n, args := range [][]string{
		{"backup", "LINK"},
		{"export", "--out", "LINK"},
		{"export", "--format", "csv", "--out", "LINK"},
		{"audit", "export", "--out", "LINK"},
	} {
		link := filepath.Join(dir, fmt.Sprintf("link-%d", n))
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		for i := range args {
			if args[i] == "LINK" {
				args[i] = link
			}
		}
		_, stderr, code := runLocal(st, "", args...)
		if code != ExitFail || !strings.Contains(stderr, "symbolic link") {
			t.Errorf("%v: exit %d, %q; want a refusal naming the link", args, code, stderr)
		}
		if b, _ := os.ReadFile(target); string(b) != "keep me" {
			t.Fatalf("%v wrote through the link: the target now holds %d bytes", args, len(b))
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%v replaced the link itself", args)
		}
		left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
		if len(left) > 0 {
			t.Errorf("%v left temporary files %v", args, left)
		}
	}
	// an ordinary file is written whole, mode 0600
	out := filepath.Join(dir, "cases.jsonl")
	if _, stderr, code := runLocal(st, "", "export", "--out", out); code != ExitOK {
		t.Fatalf("export: %s", stderr)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("export file mode: %v %v", fi.Mode(), err)
	}
}

// TestBackupIsAnAdminsAct checks that a backup (a copy of the whole store) is refused to a supervisor or a
// reviewer acting locally with --as, and allowed to the operator and an admin.
func TestBackupIsAnAdminsAct(t *testing.T) {
	st := testStore(t)
	dir := t.TempDir()
	for _, who := range []string{"alice", "sofia"} {
		if _, stderr, code := runLocal(st, who, "backup", filepath.Join(dir, who+".db")); code != ExitFail || !strings.Contains(stderr, "only an admin") {
			t.Errorf("backup as %s: exit %d, %q", who, code, stderr)
		}
	}
	for _, who := range []string{"", "admin"} {
		if _, stderr, code := runLocal(st, who, "backup", filepath.Join(dir, "by-"+who+".db")); code != ExitOK {
			t.Errorf("backup as %q: %s", who, stderr)
		}
	}
}
