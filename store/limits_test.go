package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"ceedesk/cases"
)

// Every input that comes from outside has a size limit, and going over it is a clear error that changes nothing.

func TestImportSizeLimits(t *testing.T) {
	s, _ := fixture(t, 3)
	before := storeBytes(t, s)
	minimal, err := os.ReadFile("testdata/minimal.csv")
	if err != nil {
		t.Fatal(err)
	}
	header, row, _ := strings.Cut(strings.TrimSuffix(string(minimal), "\n"), "\n")
	bigCell := strings.Replace(row, "Adds an assist", strings.Repeat("a", MaxImportRow), 1)
	tests := []struct {
		name, file, content string
		line                int
	}{
		{"jsonl row", "big.jsonl", "\n\n" + `{"id":"` + strings.Repeat("x", MaxImportRow) + `"}` + "\n", 3},
		{"jsonl row without newline", "big.jsonl", "\n" + strings.Repeat(" ", MaxImportRow+10), 2},
		{"csv record", "big.csv", header + "\n" + bigCell + "\n", 2},
		{"csv quoted record over several lines", "big.csv", header + "\n" + strings.Replace(row, "Adds an assist to the entered value.", `"`+strings.Repeat("a\n", MaxImportRow/2+1)+`"`, 1) + "\n", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Import(strings.NewReader(tc.content), tc.file, Operator)
			var ie *ImportError
			if !errors.As(err, &ie) || len(ie.Rows) == 0 || ie.Rows[0].Line != tc.line || !strings.Contains(ie.Rows[0].Reason, "over 1 MiB, the limit") {
				t.Fatalf("Import = %v; want line %d over 1 MiB", err, tc.line)
			}
			if len(err.Error()) > 2000 {
				t.Fatalf("the error repeats the oversized row: %d bytes", len(err.Error()))
			}
		})
	}
	// a row of exactly the limit is read (and then judged on its content)
	exact := `{"id":"` + strings.Repeat("x", MaxImportRow-9) + `"}`
	_, err = s.Import(strings.NewReader(exact+"\n"), "exact.jsonl", Operator)
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Rows[0].Field != "id" || strings.Contains(err.Error(), "over 1 MiB") {
		t.Fatalf("row of exactly 1 MiB: %v", err)
	}

	old := maxImportFile
	defer func() { maxImportFile = old }()
	maxImportFile = 4096
	for _, name := range []string{"huge.jsonl", "huge.csv"} {
		content := strings.Repeat("\n", 4097)
		if strings.HasSuffix(name, ".csv") {
			content = header + "\n" + strings.Repeat(row+"\n", 4096/len(row)+1)
		}
		_, err := s.Import(strings.NewReader(content), name, Operator)
		if err == nil || !strings.Contains(err.Error(), "import "+name+": the file is over 4096 bytes") || !strings.Contains(err.Error(), "split it") {
			t.Fatalf("%s over the file limit: %v", name, err)
		}
	}
	if !bytes.Equal(before, storeBytes(t, s)) {
		t.Fatal("a refused import changed the store file")
	}
}

func TestTextLimitsOnTheWritePath(t *testing.T) {
	s, cs := fixture(t, 200)
	c := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && c.Status == cases.StatusInReview })
	rv := c.Assignee
	over := strings.Repeat("é", cases.MaxNote+1) // characters, not bytes, are counted
	tests := []struct {
		name  string
		write func(text string) error
		limit int
	}{
		{"note", func(x string) error { _, err := s.AddNote(rv, c.ID, 0, x); return err }, cases.MaxNote},
		{"question", func(x string) error { _, err := s.RequestInfo(rv, c.ID, 0, x, today); return err }, cases.MaxNote},
		{"decision reasons", func(x string) error {
			_, err := s.Decide(rv, c.ID, 0, cases.Decision{Outcome: cases.Outcomes(c)[0].Outcome, Reasons: x, Amount: 100, Lines: []int{c.Entry.Lines[0].Number}}, today)
			return err
		}, cases.MaxReasons},
		{"reassignment reason", func(x string) error {
			_, err := s.Assign("sofia", []string{c.ID}, nil, otherReviewer(rv), x, today)
			return err
		}, cases.MaxReasons},
		{"approval comment", func(x string) error { _, err := s.Approve("sofia", c.ID, 0, x, "", today); return err }, cases.MaxReasons},
		{"return comment", func(x string) error { _, err := s.Return("sofia", c.ID, 0, x); return err }, cases.MaxReasons},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			events, _ := s.VerifyAudit()
			text := strings.Repeat("é", tc.limit+1)
			if tc.limit == cases.MaxNote {
				text = over
			}
			err := tc.write(text)
			if !errors.Is(err, cases.ErrInvalid) || !strings.Contains(err.Error(), fmt.Sprintf("%d characters; the limit is %d", tc.limit+1, tc.limit)) {
				t.Fatalf("%s over the limit: %v", tc.name, err)
			}
			if after, _ := s.VerifyAudit(); after != events {
				t.Fatal("a refused write added an audit event")
			}
			if got, _ := s.Case(Operator, c.ID); got.Version != c.Version {
				t.Fatal("a refused write changed the case")
			}
		})
	}
	if _, err := s.AddNote(rv, c.ID, 0, strings.Repeat("é", cases.MaxNote)); err != nil {
		t.Fatalf("a note of exactly the limit: %v", err)
	}
	mustCheck(t, s)
}

func TestFilterLimit(t *testing.T) {
	s, _ := fixture(t, 20)
	long := strings.Repeat("a", cases.MaxFilter+1)
	if _, err := cases.ParseFilter(long); err == nil {
		t.Fatal("ParseFilter accepts a query over the limit")
	}
	for _, f := range []cases.Filter{
		{Query: long, Words: []string{"a"}},
		{Words: []string{long}},
		{Words: strings.Fields(strings.Repeat("ab ", cases.MaxFilter/3+2))},
		{Importer: long},
	} {
		q := cases.QueueQuery{Center: "ELEC", Filter: f}
		if _, err := s.Queue(Operator, q); !errors.Is(err, cases.ErrInvalid) || !strings.Contains(err.Error(), fmt.Sprintf("the limit is %d", cases.MaxFilter)) {
			t.Fatalf("Queue with a filter over the limit: %v", err)
		}
		if _, err := s.Counts(Operator, q); !errors.Is(err, cases.ErrInvalid) {
			t.Fatalf("Counts with a filter over the limit: %v", err)
		}
	}
	f, err := cases.ParseFilter(strings.Repeat("a", cases.MaxFilter))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Queue(Operator, cases.QueueQuery{Center: "ELEC", Filter: f}); err != nil {
		t.Fatalf("a filter of exactly the limit: %v", err)
	}
}
