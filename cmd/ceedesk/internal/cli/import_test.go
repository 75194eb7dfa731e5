package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

// Over SSH the file comes on standard input, read once as it comes, and FILE only names its format.
func TestImportOverSSHReadsStandardInput(t *testing.T) {
	st := testStore(t)
	g := synth.New(3, cases.NewDate(2026, 3, 2))
	var file bytes.Buffer
	for range 300 {
		b, _ := json.Marshal(g.Next())
		file.Write(append(b, '\n'))
	}
	admin, err := st.User("admin")
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	env := &Env{Store: st, Stdin: &file, Stdout: &stdout, Stderr: &stderr, Today: cases.NewDate(2026, 3, 2), User: &admin}
	if code := Run(context.Background(), env, []string{"import", "/elsewhere/cases.jsonl"}); code != ExitOK {
		t.Fatalf("import over SSH: exit %d: %s", code, stderr.String())
	}
	if got := stdout.String(); got != "imported 300 cases from cases.jsonl\n" {
		t.Fatalf("stdout %q", got)
	}
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}

	out, errOut, code := runLocal(st, "", "import", "--abandon")
	if code != ExitOK || out != "no import is unfinished\n" {
		t.Fatalf("import --abandon = %d, %q, %q", code, out, errOut)
	}
	if _, errOut, code := runLocal(st, "", "import", "--abandon", "cases.jsonl"); code != ExitUsage {
		t.Fatalf("import --abandon FILE = %d, %q", code, errOut)
	}
	if _, _, code := runLocal(st, "alice", "import", "--abandon"); code == ExitOK {
		t.Fatal("a reviewer abandoned an import")
	}
}
