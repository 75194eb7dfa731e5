package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ceedesk/cases"
	"ceedesk/store"
)

// noticeStore holds, in the ELEC Center, a PEA rejected by alice (its reasons carrying an escape sequence), a
// protest still in review and a PSC awaiting the answer to a request for information.
func noticeStore(t *testing.T) *store.Store {
	t.Helper()
	st := testStore(t)
	today := cases.NewDate(2026, 3, 2)
	entry := func(serial string) cases.EntrySummary {
		cd, err := cases.EntryCheckDigit("B76", serial)
		if err != nil {
			t.Fatal(err)
		}
		e := cases.EntrySummary{Number: "B76-" + serial + "-" + string(rune('0'+cd)), Type: "01", Port: "2704",
			EntryDate: cases.NewDate(2025, 4, 1), Lines: []cases.Line{{Number: 1, HTS: "8471300100", Description: "Portable computers", Origin: "CN", Value: 90_000_00, RateBP: 100, Duty: 900_00}}}
		e.Liquidates = e.EntryDate.AddDays(314)
		return e
	}
	cs := []*cases.Case{
		{ID: "PEA-25-000001", Kind: cases.KindPEA, Center: "ELEC", Version: 1, Status: cases.StatusAssigned, Assignee: "alice", Assigned: cases.NewDate(2025, 6, 2),
			Importer: cases.Importer{Number: "95-1234567A0", Name: "Summit Semiconductor LLC"}, Entry: entry("0000917"), Received: cases.NewDate(2025, 6, 1),
			PEA: &cases.PEA{Filed: cases.NewDate(2025, 6, 1), DutyDiff: 900_00, Explanation: "Amends the entered value."}},
		{ID: "2704-26-100123", Kind: cases.KindProtest, Center: "ELEC", Version: 1, Status: cases.StatusInReview, Assignee: "alice", Assigned: cases.NewDate(2026, 1, 6),
			Importer: cases.Importer{Number: "95-1234567A0", Name: "Acme Electronics Corp"}, Entry: entry("0324527"), Received: cases.NewDate(2026, 1, 5),
			Protest: &cases.Protest{Number: "2704-26-100123", Filed: cases.NewDate(2026, 1, 5), Protested: cases.NewDate(2025, 11, 14),
				Grounds: []cases.Ground{cases.GroundClassification}, Claimed: 1_234_00}},
		{ID: "PSC-25-000001", Kind: cases.KindPSC, Center: "ELEC", Version: 1, Status: cases.StatusInReview, Assignee: "alice", Assigned: cases.NewDate(2025, 9, 2),
			Importer: cases.Importer{Number: "95-1234567A0", Name: "Acme Electronics Corp"}, Entry: entry("5550001"), Received: cases.NewDate(2025, 9, 1),
			PSC: &cases.PSC{Filed: cases.NewDate(2025, 9, 1), Version: 2, ReasonCodes: []string{"001"}, DutyDiff: -250_00, Explanation: "Reclassifies."}},
	}
	for _, c := range cs {
		if errs := cases.Validate(c); len(errs) > 0 {
			t.Fatalf("%s: %v", c.ID, errs)
		}
	}
	i := 0
	if _, err := st.Load(store.Operator, func() (*cases.Case, bool) {
		if i == len(cs) {
			return nil, false
		}
		i++
		return cs[i-1], true
	}, nil); err != nil {
		t.Fatal(err)
	}
	d := cases.Decision{Outcome: cases.OutcomeRejected, Reasons: "The assist\x1b[2J was already in the entered value."}
	pea, err := st.Case("alice", "PEA-25-000001")
	if err != nil {
		t.Fatal(err)
	}
	if warning, late := cases.LateDecision(pea, d, st.Policy(), today); late { // the fixture's entry has liquidated
		d.LateAck = cases.AckLate(warning, "alice")
	}
	if _, err := st.Decide("alice", "PEA-25-000001", 0, d, today); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RequestInfo("alice", "PSC-25-000001", 0, "Send the data sheets of line 1.", today); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestNoticeCommand(t *testing.T) {
	st := noticeStore(t)
	c, err := st.Case(store.Operator, "PEA-25-000001")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := cases.Notice(c, st.Policy(), cases.NewDate(2026, 3, 2))
	if err != nil {
		t.Fatal(err)
	}
	// anyone who may see the case may print its notice: bob is of the Center, not its assignee
	stdout, stderr, code := runLocal(st, "bob", "notice", "PEA-25-000001")
	if code != ExitOK || stdout != doc.Text() {
		t.Fatalf("exit %d, stderr %q; stdout:\n%s\nwant:\n%s", code, stderr, stdout, doc.Text())
	}
	if !strings.Contains(stdout, "NOTICE OF REJECTION OF POST-ENTRY AMENDMENT") || !strings.Contains(stdout, "The assist[2J was already") || strings.Contains(stdout, "\x1b") {
		t.Errorf("the notice keeps the record's text without its control characters:\n%q", stdout)
	}
	if stdout, _, code := runLocal(st, "alice", "notice", "PSC-25-000001", "--which", "cf28"); code != ExitOK || !strings.Contains(stdout, "CBP Form 28") || !strings.Contains(stdout, "Send the data sheets of line 1.") {
		t.Errorf("cf28: exit %d\n%s", code, stdout)
	}

	for _, tc := range []struct {
		name string
		as   string
		args []string
		code int
		want string
	}{
		{"another Center's reviewer", "erin", []string{"PEA-25-000001"}, ExitFail, "not in the ELEC Center"},
		{"no decision yet", "alice", []string{"2704-26-100123"}, ExitFail, "no decision yet (status in review)"},
		{"no such request", "alice", []string{"PSC-25-000001", "--which", "cf28:2"}, ExitFail, "there is no cf28:2"},
		{"no notice of action", "alice", []string{"PSC-25-000001", "--which", "cf29"}, ExitFail, "no notices of action"},
		{"unknown case", "alice", []string{"PSC-99-000001"}, ExitFail, "PSC-99-000001"},
		{"no case", "alice", nil, ExitUsage, "one CASE is needed"},
		{"two cases", "alice", []string{"A", "B"}, ExitUsage, "one CASE is needed"},
		{"bad format", "alice", []string{"PEA-25-000001", "--format", "docx"}, ExitUsage, `--format "docx": want text or pdf`},
		{"bad which", "alice", []string{"PEA-25-000001", "--which", "cf30"}, ExitUsage, "--which: notice \"cf30\""},
		{"bad flag", "alice", []string{"PEA-25-000001", "--copies", "2"}, ExitUsage, "usage: ceedesk notice CASE"},
	} {
		_, stderr, code := runLocal(st, tc.as, append([]string{"notice"}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, %q; want exit %d saying %q", tc.name, code, stderr, tc.code, tc.want)
		}
	}
}

func TestNoticeCommandOut(t *testing.T) {
	st := noticeStore(t)
	dir := t.TempDir()
	text, _, _ := runLocal(st, "alice", "notice", "PEA-25-000001")

	txt := filepath.Join(dir, "notice.txt")
	stdout, stderr, code := runLocal(st, "alice", "notice", "PEA-25-000001", "--out", txt)
	if code != ExitOK || !strings.Contains(stdout, "written to "+txt) {
		t.Fatalf("--out %s: exit %d %q %q", txt, code, stdout, stderr)
	}
	if b, _ := os.ReadFile(txt); string(b) != text {
		t.Errorf("the file holds\n%s\nwant\n%s", b, text)
	}
	if fi, err := os.Stat(txt); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v %v", fi.Mode(), err)
	}

	pdfPath := filepath.Join(dir, "notice.pdf") // the format follows the extension
	if _, stderr, code := runLocal(st, "alice", "notice", "PEA-25-000001", "--out", pdfPath); code != ExitOK {
		t.Fatalf("--out %s: %s", pdfPath, stderr)
	}
	if b, _ := os.ReadFile(pdfPath); !strings.HasPrefix(string(b), "%PDF-") {
		t.Errorf("%s is not a PDF: %q", pdfPath, b[:min(len(b), 16)])
	}
	forced := filepath.Join(dir, "notice.out")
	if _, _, code := runLocal(st, "alice", "notice", "PEA-25-000001", "--format", "PDF", "--out", forced); code != ExitOK {
		t.Fatal("--format PDF")
	}
	if b, _ := os.ReadFile(forced); !strings.HasPrefix(string(b), "%PDF-") {
		t.Errorf("--format pdf wrote %q", b[:min(len(b), 16)])
	}

	// a refused notice writes nothing
	none := filepath.Join(dir, "none.txt")
	if _, _, code := runLocal(st, "alice", "notice", "2704-26-100123", "--out", none); code != ExitFail {
		t.Error("a case without a notice printed one")
	}
	if _, err := os.Stat(none); !os.IsNotExist(err) {
		t.Errorf("a refused notice left a file: %v", err)
	}

	// never through a link
	target := filepath.Join(dir, "precious")
	os.WriteFile(target, []byte("keep me"), 0o600)
	link := filepath.Join(dir, "link.pdf")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runLocal(st, "alice", "notice", "PEA-25-000001", "--out", link); code != ExitFail || !strings.Contains(stderr, "symbolic link") {
		t.Errorf("--out LINK: exit %d %q", code, stderr)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep me" {
		t.Error("the notice was written through the link")
	}
}

// Over SSH the notice goes to standard output, as export does: the server's files are not the caller's.
func TestNoticeCommandOverSSH(t *testing.T) {
	st := noticeStore(t)
	bob, err := st.User("bob")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "notice.pdf")
	var stdout, stderr strings.Builder
	env := &Env{Store: st, Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Today: cases.NewDate(2026, 3, 2), User: &bob}
	if code := Run(context.Background(), env, []string{"notice", "PEA-25-000001", "--out", out}); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "%PDF-") {
		t.Errorf("over SSH the PDF goes to standard output; got %q", stdout.String()[:min(stdout.Len(), 16)])
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("over SSH a file was written on the server: %v", err)
	}
}
