package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"
)

// fullCase is a PSC of the ELEC Center at every limit on what people write, in the character that JSON and CSV
// make longest ('<' is six bytes in JSON, and in a CSV cell of JSON): MaxNotes notes of MaxNotesSize bytes
// in all, MaxRequests requests of MaxRequestsSize bytes, reasons and explanation of 8,192 characters, every name
// as long as a user name can be. Its people are users long32 and long32b (reviewer and supervisor of ELEC).
func fullCase(t *testing.T, base *cases.Case) *cases.Case {
	t.Helper()
	c := base.Clone()
	rv, sv := strings.Repeat("r", 32), strings.Repeat("s", 32)
	at := time.Date(2026, 11, 27, 23, 59, 59, 999999999, time.UTC)
	worst := func(n int) string { return strings.Repeat("<", n) }
	c.Assignee, c.UpdatedBy, c.UpdatedAt = rv, sv, at
	c.Importer.Name = worst(cases.MaxName)
	c.PSC.Explanation = worst(cases.MaxNote)
	c.Notes = nil
	for i := 0; i < cases.MaxNotes; i++ {
		size := cases.MaxNotesSize / cases.MaxNotes
		if i == cases.MaxNotes-1 {
			size = cases.MaxNotesSize - (cases.MaxNotes-1)*size
		}
		c.Notes = append(c.Notes, cases.Note{Author: rv, At: at, Text: worst(size)})
	}
	c.Requests = nil
	for i := 0; i < cases.MaxRequests; i++ {
		size := cases.MaxRequestsSize / cases.MaxRequests
		if i == cases.MaxRequests-1 {
			size = cases.MaxRequestsSize - (cases.MaxRequests-1)*size
		}
		c.Requests = append(c.Requests, cases.InfoRequest{By: rv, At: at, Due: today, Question: worst(size)})
	}
	c.Status = cases.StatusDecided
	c.Decision = &cases.Decision{Outcome: cases.OutcomeRejected, Reasons: worst(cases.MaxReasons), By: rv, On: today.AddDays(-1), At: at,
		Approval: true, Approver: sv, Approved: at, Returned: worst(cases.MaxReasons)}
	if errs := cases.Validate(c); len(errs) > 0 {
		t.Fatalf("the full case is not valid: %v", errs)
	}
	return c
}

func addLongUsers(t *testing.T, s *Store) {
	t.Helper()
	for _, u := range []cases.User{
		{Name: strings.Repeat("r", 32), Role: cases.RoleReviewer, Center: "ELEC"},
		{Name: strings.Repeat("s", 32), Role: cases.RoleSupervisor, Center: "ELEC"},
	} {
		if err := s.AddUser(Operator, u); err != nil {
			t.Fatal(err)
		}
	}
}

// A case at every limit on notes, requests and reasons exports as a row import takes back, in both formats.
func TestACaseAtEveryTextLimitRoundTrips(t *testing.T) {
	s, cs := fixture(t, 40)
	addLongUsers(t, s)
	base := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && c.Kind == cases.KindPSC })
	full := fullCase(t, base)
	full.ID = "PSC-99-999999"
	addCases(t, s, full)
	for _, format := range []string{"jsonl", "csv"} {
		var out bytes.Buffer
		if _, err := s.Export(Operator, &out, format); err != nil {
			t.Fatal(err)
		}
		longest := 0
		for _, row := range strings.Split(out.String(), "\n") {
			longest = max(longest, len(row))
		}
		t.Logf("%s: the full case's row is %d bytes, %d%% of the limit", format, longest, longest*100/MaxImportRow)
		if longest > MaxImportRow {
			t.Fatalf("%s: a case at the limits exports as a row of %d bytes, over the import limit %d", format, longest, MaxImportRow)
		}
		dst := freshWithUsers(t)
		addLongUsers(t, dst)
		if _, err := dst.Import(&out, "cases."+format, Operator); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		got, err := dst.Case(Operator, full.ID)
		if err != nil || len(got.Notes) != cases.MaxNotes || got.Decision.Returned != full.Decision.Returned {
			t.Fatalf("%s: imported %v", format, err)
		}
	}
}

// The actions stop at the limits, with the case unchanged, and import refuses a case past them.
func TestNotesAndRequestsPerCaseLimits(t *testing.T) {
	s, cs := fixture(t, 40)
	addLongUsers(t, s)
	base := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && c.Kind == cases.KindPSC })
	full := fullCase(t, base)
	full.ID, full.Status, full.Decision = "PSC-99-999998", cases.StatusAwaitingInfo, nil
	addCases(t, s, full)
	rv := full.Assignee
	if _, err := s.AddNote(rv, full.ID, 0, "one more"); !errors.Is(err, cases.ErrInvalid) ||
		!strings.Contains(err.Error(), "case PSC-99-999998 has 500 notes, the limit") {
		t.Fatalf("a note past the count: %v", err)
	}
	if _, err := s.RequestInfo(rv, full.ID, 0, "one more", today); !errors.Is(err, cases.ErrInvalid) ||
		!strings.Contains(err.Error(), "case PSC-99-999998 has 100 requests for information, the limit") {
		t.Fatalf("a request past the count: %v", err)
	}
	// by size: one note fewer leaves room for a note, but not for a byte more than the notes had
	roomy := full.Clone()
	roomy.ID = "PSC-99-999997"
	last := roomy.Notes[len(roomy.Notes)-1]
	roomy.Notes = roomy.Notes[:len(roomy.Notes)-1]
	roomy.Requests = roomy.Requests[:len(roomy.Requests)-1]
	addCases(t, s, roomy)
	if _, err := s.AddNote(rv, roomy.ID, 0, last.Text+"x"); !errors.Is(err, cases.ErrInvalid) ||
		!strings.Contains(err.Error(), "more would pass the limit of 65536 bytes (64 KiB) for one case") {
		t.Fatalf("a note past the size: %v", err)
	}
	if _, err := s.AddNote(rv, roomy.ID, 0, last.Text); err != nil {
		t.Fatalf("a note up to the size: %v", err)
	}
	mustCheck(t, s)

	// import: one past each limit
	for name, edit := range map[string]func(c *cases.Case){
		"notes: 501 notes; a case holds at most 500": func(c *cases.Case) { c.Notes = append(c.Notes, c.Notes[0]) },
		"notes: 65537 bytes of notes; a case holds at most 65536 bytes (64 KiB)": func(c *cases.Case) {
			c.Notes[0].Text += "x"
		},
		"requests: 101 requests for information; a case holds at most 100": func(c *cases.Case) { c.Requests = append(c.Requests, c.Requests[0]) },
		"requests: 32769 bytes of requests for information; a case holds at most 32768 bytes (32 KiB)": func(c *cases.Case) {
			c.Requests[0].Question += "x"
		},
	} {
		c := fullCase(t, base)
		edit(c)
		b, err := jsonOf(c)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Import(bytes.NewReader(b), "over.jsonl", Operator)
		if err == nil || !strings.Contains(err.Error(), "over.jsonl line 1: "+name) {
			t.Errorf("import past a limit: %v; want %q", err, name)
		}
	}
}

func jsonOf(c *cases.Case) ([]byte, error) {
	b, err := json.Marshal(c)
	return append(b, '\n'), err
}
