package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

// markedCase is an ELEC synthetic case of the kind with a note, a request and a decision, whose text fields hold
// markers (@name@) that a test replaces in the encoded file with bytes json.Marshal would not write.
func markedCase(t *testing.T, g *synth.Generator) *cases.Case {
	t.Helper()
	for i := 0; i < 1000; i++ {
		c := g.Next()
		if c.Center != "ELEC" || c.Kind != cases.KindPSC || c.Assignee == "" {
			continue
		}
		c.Importer.Name = "@name@"
		c.Entry.Lines[0].Description = "@description@"
		c.PSC.Explanation = "@explanation@"
		c.Notes = []cases.Note{{Author: c.Assignee, At: c.UpdatedAt, Text: "@note@"}}
		c.Requests = []cases.InfoRequest{{By: c.Assignee, At: c.UpdatedAt, Due: today, Question: "@question@"}}
		c.Status = cases.StatusDecided
		c.Decision = &cases.Decision{Outcome: cases.OutcomeRejected, Reasons: "@reasons@", By: c.Assignee, On: cases.DateOf(c.UpdatedAt), At: c.UpdatedAt}
		return c
	}
	t.Fatal("no ELEC PSC in the synthetic caseload")
	return nil
}

// Text that is not UTF-8 anywhere in an imported case is a bad row naming its line, its field and the byte, in
// .jsonl (where encoding/json would have turned it into U+FFFD without a word) and in .csv, the JSON cells
// included; nothing is imported.
func TestImportRefusesTextThatIsNotUTF8(t *testing.T) {
	g := synth.New(41, today)
	for i := 0; i < 100; i++ {
		g.Next()
	}
	type bad struct {
		marker, raw string // what replaces the marker in the file (for .jsonl, inside a JSON string)
		field, want string
	}
	bads := []bad{
		{"@name@", "ACME\xff", "importer.name", "byte 4 (0xff)"},
		{"@description@", "Lap\xc3tops", "entry.lines[0].description", "byte 3 (0xc3)"},
		{"@explanation@", "Corrects\xe2\x82 line 2", "psc.explanation", "byte 8 (0xe2)"},
		{"@note@", `\u00e9\ncaf` + "\xe9", "notes[0].text", "byte 6 (0xe9)"}, // escapes count as what they stand for
		{"@question@", "send\xa0it", "requests[0].question", "byte 4 (0xa0)"},
		{"@reasons@", "\xed\xa0\x80 a surrogate", "decision.reasons", "byte 0 (0xed)"},
	}
	var jsonl bytes.Buffer
	var cs []*cases.Case
	for _, b := range bads {
		c := markedCase(t, g)
		cs = append(cs, c)
		line, _ := json.Marshal(c)
		jsonl.Write(bytes.Replace(line, []byte(b.marker), []byte(b.raw), 1))
		jsonl.WriteByte('\n')
	}
	// a field name that is not UTF-8
	line, _ := json.Marshal(markedCase(t, g))
	jsonl.Write(bytes.Replace(line, []byte(`"explanation"`), []byte("\"expl\xffanation\""), 1))
	jsonl.WriteByte('\n')

	s := freshWithUsers(t)
	before := storeBytes(t, s)
	events, _ := s.VerifyAudit()
	_, err := s.Import(bytes.NewReader(jsonl.Bytes()), "cases.jsonl", Operator)
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != len(bads)+1 {
		t.Fatalf("Import = %v; want %d bad rows", err, len(bads)+1)
	}
	for i, b := range bads {
		r := ie.Rows[i]
		if r.Line != i+1 || r.Field != b.field || !strings.Contains(r.Reason, "is not valid UTF-8: "+b.want) {
			t.Errorf("row %d = %+v; want line %d, %s, %s", i, r, i+1, b.field, b.want)
		}
	}
	if r := ie.Rows[len(bads)]; r.Field != `psc.expl\xffanation` || !strings.Contains(r.Reason, "the field name is not valid UTF-8: byte 4 (0xff)") {
		t.Errorf("bad field name: %+v", r)
	}

	// CSV: the same bytes in plain cells and in the JSON cells (notes, requests, decision)
	var csvFile bytes.Buffer
	w := csvWriter(&csvFile)
	w.Write(csvHeader())
	for i, b := range bads {
		raw := b.raw
		if b.marker == "@note@" {
			raw = "caf\xe9"
		}
		rec := make([]string, len(csvColumns))
		for j, col := range csvColumns {
			rec[j] = strings.Replace(col.get(cs[i]), b.marker, raw, 1)
		}
		w.Write(rec)
	}
	w.Flush()
	_, err = s.Import(bytes.NewReader(csvFile.Bytes()), "cases.csv", Operator)
	if !errors.As(err, &ie) || len(ie.Rows) != len(bads) {
		t.Fatalf("Import = %v; want %d bad rows", err, len(bads))
	}
	for i, b := range bads {
		want := b.want
		if b.marker == "@note@" {
			want = "byte 3 (0xe9)"
		}
		r := ie.Rows[i]
		if r.Line != i+2 || r.Field != b.field || !strings.Contains(r.Reason, "is not valid UTF-8: "+want) {
			t.Errorf("csv row %d = %+v; want line %d, %s, %s", i, r, i+2, b.field, want)
		}
	}
	if !bytes.Equal(before, storeBytes(t, s)) {
		t.Fatal("a refused import changed the store")
	}
	if n, _ := s.VerifyAudit(); n != events {
		t.Fatalf("a refused import wrote %d audit events", n-events)
	}
}

func TestRawJSONStringKeepsBytesAndUndoesEscapes(t *testing.T) {
	for lit, want := range map[string]string{
		`"plain"`:                    "plain",
		`"a\"b\\c\/d\b\f\n\r\t"`:     "a\"b\\c/d\b\f\n\r\t",
		`"\u00e9\u202e\ud83d\ude00"`: "é\u202e😀",
		`"lone \ud83d here"`:         "lone \ufffd here",
		"\"caf\xe9 \\u0041\"":        "caf\xe9 A",
	} {
		if got := rawJSONString([]byte(lit)); got != want {
			t.Errorf("rawJSONString(%s) = %q; want %q", lit, got, want)
		}
		if utf8Valid := !strings.Contains(lit, "\xe9"); utf8Valid {
			var std string
			if err := json.Unmarshal([]byte(lit), &std); err != nil || std != want {
				t.Errorf("encoding/json reads %s as %q, %v", lit, std, err)
			}
		}
	}
}

// Whatever the bytes, notUTF8 does not fail, and a JSON text that holds bytes that are not UTF-8 (which can only be
// inside its strings) gets at least one report.
func FuzzNotUTF8(f *testing.F) {
	for _, s := range []string{"{\"a\":\"caf\xe9\"}", "[\"\xff\",{\"b\\u00e9\":[1,\"\\ud83d\xc0\"]}]", "\"\xe2\x82\"", "{\"\xff\":1}", "{\"a\":"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		errs := notUTF8(b)
		if json.Valid(b) && !utf8.Valid(b) && len(errs) == 0 {
			t.Fatalf("%q: no report", b)
		}
		if utf8.Valid(b) && len(errs) > 0 {
			t.Fatalf("%q: reports %v for UTF-8 text", b, errs)
		}
	})
}

// openTomorrow is openTest with a clock that starts a day after testClock's.
func openTomorrow(t *testing.T) *Store {
	t.Helper()
	clock := testClock()
	s, err := openTestEngine(t, filepath.Join(t.TempDir(), "ceedesk.db"), Options{NoSync: true, Timeout: 200 * time.Millisecond,
		Now: func() time.Time { return clock().Add(24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Import refuses a case that names people who are not users of the store, or records a time later than the
// store's now: each is a bad row with its line and field, and nothing is imported.
func TestImportRefusesStrangersAndFutureTimes(t *testing.T) {
	s := freshWithUsers(t)
	g := synth.New(43, today)
	var protest *cases.Case
	for protest == nil {
		if c := g.Next(); c.Kind == cases.KindProtest && c.Center == "ELEC" && c.Assignee != "" {
			protest = c
		}
	}
	future := today.Time().Add(72 * time.Hour)
	breaks := []struct {
		field string
		edit  func(c *cases.Case)
		want  string
	}{
		{"notes[0].author", func(c *cases.Case) { c.Notes[0].Author = "nobody" }, "nobody is not a ceedesk user"},
		{"requests[0].by", func(c *cases.Case) { c.Requests[0].By = "mallory" }, "mallory is not a ceedesk user"},
		{"requests[0].recorded_by", func(c *cases.Case) { c.Requests[0].RecordedBy = "oscar" }, "oscar is not a ceedesk user"},
		{"notices[0].by", func(c *cases.Case) { c.Notices[0].By = "walter" }, "walter is not a ceedesk user"},
		{"decision.by", func(c *cases.Case) { c.Decision.By = "eve" }, "eve is not a ceedesk user"},
		{"decision.approver", func(c *cases.Case) { c.Decision.Approver = "trent" }, "trent is not a ceedesk user"},
		{"protest.original_deciders[0]", func(c *cases.Case) {
			c.Protest.FurtherReview, c.Protest.AFRFiled, c.Protest.OriginalDeciders = true, c.Protest.Filed, []string{"alcie"}
			c.Decision.Outcome = cases.OutcomeAFRDenied
		}, "alcie is not a ceedesk user"},
		{"updated_by", func(c *cases.Case) { c.UpdatedBy = "peggy" }, "peggy is not a ceedesk user"},
		{"notes[0].at", func(c *cases.Case) { c.Notes[0].At = future }, "2026-12-01T00:00:00Z is later than now (2026-11-29T09:00:"},
		{"requests[0].at", func(c *cases.Case) {
			r := &c.Requests[0]
			r.At, r.Answered, r.Answer, r.RecordedBy, r.RecordedAt = future, 0, "", "", time.Time{}
		}, "later than now"},
		{"requests[0].recorded_at", func(c *cases.Case) { c.Requests[0].RecordedAt = future }, "later than now"},
		{"notices[0].at", func(c *cases.Case) { c.Notices[0].At = future }, "later than now"},
		{"decision.at", func(c *cases.Case) { c.Decision.At = future }, "later than now"},
		{"decision.approved", func(c *cases.Case) { c.Decision.Approved = future }, "later than now"},
		{"updated_at", func(c *cases.Case) { c.UpdatedAt = future }, "later than now"},
	}
	// a decided protest with a note, an answered request, a notice of action and an approved decision, every person
	// a user and every time past
	base := func(i int) *cases.Case {
		c := protest.Clone()
		c.ID = fmt.Sprintf("2704-26-9%05d", i)
		c.Protest.Number = c.ID
		at := today.Time().Add(10 * time.Hour)
		c.Notes = []cases.Note{{Author: c.Assignee, At: at, Text: "checked"}}
		c.Requests = []cases.InfoRequest{{By: c.Assignee, At: at, Due: today.AddDays(30), Question: "invoice?",
			Answered: today, Answer: "invoice attached", RecordedBy: "sofia", RecordedAt: at}}
		c.Notices = []cases.ActionNotice{{By: c.Assignee, At: at, Sent: today, Proposed: true, Action: "rate advance on line 1",
			ReplyDue: today.AddDays(20)}}
		c.Status = cases.StatusDecided
		c.Decision = &cases.Decision{Outcome: cases.OutcomeDenied, Reasons: "classified as liquidated", By: c.Assignee, On: today, At: at,
			Approval: true, Approver: "sofia", Approved: at}
		c.UpdatedBy, c.UpdatedAt = Operator, at
		return c
	}
	var file bytes.Buffer
	for i, b := range breaks {
		c := base(i)
		b.edit(c)
		line, _ := json.Marshal(c)
		file.Write(append(line, '\n'))
	}
	before := storeBytes(t, s)
	_, err := s.Import(bytes.NewReader(file.Bytes()), "cases.jsonl", Operator)
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != len(breaks) {
		t.Fatalf("Import = %v; want %d bad rows", err, len(breaks))
	}
	for i, b := range breaks {
		if r := ie.Rows[i]; r.Line != i+1 || r.Field != b.field || !strings.Contains(r.Reason, b.want) {
			t.Errorf("bad row %d = %+v; want line %d, %s, %s", i, r, i+1, b.field, b.want)
		}
	}
	if !bytes.Equal(before, storeBytes(t, s)) {
		t.Fatal("a refused import changed the store")
	}
	// the same case with everyone a user and every time past goes in
	line, _ := json.Marshal(base(99))
	if n, err := s.Import(bytes.NewReader(append(line, '\n')), "cases.jsonl", Operator); err != nil || n != 1 {
		t.Fatalf("Import of the good case = %d, %v", n, err)
	}
}
