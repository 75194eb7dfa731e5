package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode"

	"ceedesk/cases"
)

// Every write path refuses text that is not UTF-8 or holds a NUL, naming the text and the byte, and changes nothing:
// before the text rule, a note of "caf\xe9" was stored and then broke the audit chain (JSON turns the byte into
// U+FFFD, so the event read back no longer hashes to what was written).
func TestWritesRefuseTextThatIsNotUTF8(t *testing.T) {
	s, cs := fixture(t, 200)
	c := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && c.Status == cases.StatusInReview })
	rv := c.Assignee
	writes := []struct {
		name  string
		write func(text string) error
	}{
		{"the note", func(x string) error { _, err := s.AddNote(rv, c.ID, 0, x); return err }},
		{"the question", func(x string) error { _, err := s.RequestInfo(rv, c.ID, 0, x, today); return err }},
		{"the statement of reasons", func(x string) error {
			_, err := s.Decide(rv, c.ID, 0, cases.Decision{Outcome: cases.Outcomes(c)[0].Outcome, Reasons: x, Amount: 100, Lines: []int{c.Entry.Lines[0].Number}}, today)
			return err
		}},
		{"the reason", func(x string) error {
			_, err := s.Assign("sofia", []string{c.ID}, nil, otherReviewer(rv), x, today)
			return err
		}},
		{"the comment", func(x string) error { _, err := s.Approve("sofia", c.ID, 0, x, "", today); return err }},
		{"the comment", func(x string) error { _, err := s.Return("sofia", c.ID, 0, x); return err }},
	}
	texts := map[string]string{
		"caf\xe9":           "is not valid UTF-8: byte 3 (0xe9) does not start a character",
		"ok \xe2\x82 ko":    "is not valid UTF-8: byte 3 (0xe2)",
		"null\x00 and void": "holds a NUL character (byte 4)",
	}
	for _, w := range writes {
		for text, want := range texts {
			events, _ := s.VerifyAudit()
			before := storeBytes(t, s)
			err := w.write(text)
			if !errors.Is(err, cases.ErrInvalid) || !strings.Contains(err.Error(), w.name+" "+want) {
				t.Errorf("%s %q: %v; want %q", w.name, text, err, w.name+" "+want)
			}
			if after, _ := s.VerifyAudit(); after != events {
				t.Fatalf("%s %q: a refused write added an audit event", w.name, text)
			}
			if got, _ := s.Case(Operator, c.ID); got.Version != c.Version {
				t.Fatalf("%s %q: a refused write changed the case", w.name, text)
			}
			if string(storeBytes(t, s)) != string(before) {
				t.Fatalf("%s %q: a refused write changed the store file", w.name, text)
			}
		}
	}
	mustCheck(t, s)
}

// Hostile but valid text is kept as written, and the audit chain holds.
func TestWritesKeepHostileTextAsWritten(t *testing.T) {
	s, cs := fixture(t, 200)
	c := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && c.Status == cases.StatusInReview })
	text := "see \x1b]0;owned\x07\x1b[2J, \u202eevil\u202c, \u0085\u009b31m, 👩🏽‍💻 and\r\nmore"
	got, err := s.AddNote(c.Assignee, c.ID, 0, text)
	if err != nil {
		t.Fatal(err)
	}
	if got.Notes[len(got.Notes)-1].Text != text {
		t.Fatalf("note stored as %q", got.Notes[len(got.Notes)-1].Text)
	}
	if got, _ = s.Case(Operator, c.ID); got.Notes[len(got.Notes)-1].Text != text {
		t.Fatalf("note read back as %q", got.Notes[len(got.Notes)-1].Text)
	}
	mustCheck(t, s)
}

// hostile is text with a character of every class a terminal acts on.
const hostile = "ok \u202eevil\u202c \u2066iso\u2069 \u200e\u200f\u061c \u0085\u009b31m\u009d \u2028\u2029 \u200b\ufeff \U000e0001 \x1b[2J 👩🏽‍💻"

// An export shows a terminal nothing it would act on (JSON escapes, as \uXXXX, what its encoder leaves raw), and
// imports back as the same text.
func TestExportEscapesWhatATerminalActsOn(t *testing.T) {
	s, cs := fixture(t, 50)
	c := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && c.Status == cases.StatusInReview })
	if _, err := s.AddNote(c.Assignee, c.ID, 0, hostile); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"jsonl", "csv"} {
		var out bytes.Buffer
		if _, err := s.Export(Operator, &out, format); err != nil {
			t.Fatal(err)
		}
		for _, r := range out.String() {
			if r >= 0x7f && (r <= 0x9f || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r)) || r == 0x1b {
				t.Fatalf("%s: raw %U in the export", format, r)
			}
		}
		dst := freshWithUsers(t)
		if _, err := dst.Import(&out, "cases."+format, Operator); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		got, _ := dst.Case(Operator, c.ID)
		if got.Notes[len(got.Notes)-1].Text != hostile {
			t.Fatalf("%s: the note came back as %q", format, got.Notes[len(got.Notes)-1].Text)
		}
	}
}
