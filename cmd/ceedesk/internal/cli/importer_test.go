package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"ceedesk/cases"
)

// TestImporterCommand checks the importer's view as text and JSON: every case of the reader's Center of that
// importer, and an importer name carrying escape sequences printed harmless.
func TestImporterCommand(t *testing.T) {
	st := noticeStore(t) // three ELEC cases of importer 95-1234567A0, one named with no escape, two "Acme"
	out, errOut, code := runLocal(st, "alice", "importer", "95-1234567a0")
	if code != ExitOK {
		t.Fatalf("importer: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Importer 95-1234567A0", "3 entries in ELEC: 2 open, 1 decided", "PEA-25-000001", "2704-26-100123", "PSC-25-000001"} {
		if !strings.Contains(out, want) {
			t.Errorf("importer output lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runLocal(st, "alice", "importer", "95-1234567A0", "--format", "json")
	var v cases.ImporterView
	if code != ExitOK || json.Unmarshal([]byte(out), &v) != nil || v.Open != 2 || v.Decided != 1 || len(v.Entries) != 3 {
		t.Fatalf("importer --format json: exit %d, %+v\n%s", code, v, out)
	}
	if _, errOut, code := runLocal(st, "alice", "importer", "95-1234567A0", "--format", "pdf"); code != ExitUsage || !strings.Contains(errOut, "want text or json") {
		t.Errorf("--format pdf: exit %d, %q", code, errOut)
	}
	if _, errOut, code := runLocal(st, "erin", "importer", "95-1234567A0"); code != ExitFail || !strings.Contains(errOut, "no case you may see") {
		t.Errorf("erin: exit %d, %q", code, errOut)
	}
}

func TestWriteImporterIsTerminalSafe(t *testing.T) {
	v := cases.ImporterView{Number: "95-1234567A0", Name: "Evil\x1b]0;owned\x07 Corp\x1b[2J", Centers: []string{"ELEC"}, Open: 1}
	v.Group([]cases.QueueRow{{ID: "X\x1b[31m1", Entry: "B76-0324527-8\x1b[1m", Status: cases.StatusAssigned, Center: "ELEC", Assignee: "al\x07ice"}})
	var b strings.Builder
	WriteImporter(&b, v, cases.NewDate(2026, 3, 2))
	if strings.ContainsAny(b.String(), "\x1b\x07") {
		t.Fatalf("escape sequences reach the terminal: %q", b.String())
	}
	if !strings.Contains(b.String(), "Evil") || !strings.Contains(b.String(), "Corp") {
		t.Fatalf("the name is lost: %q", b.String())
	}
}
