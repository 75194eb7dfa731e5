package cases

import (
	"strings"
	"testing"
)

func TestParseSortKey(t *testing.T) {
	for in, want := range map[string]SortKey{
		"due": SortDue, " Due ": SortDue, "left": SortDue, "received": SortReceived, "amount": SortAmount,
		"at stake": SortAmount, "revenue": SortAmount, "importer": SortImporter, "kind": SortKind, "case": SortCase,
		"ID": SortCase, "status": SortStatus, "assignee": SortAssignee, "to": SortAssignee, "entry": SortEntry,
	} {
		if got, err := ParseSortKey(in); err != nil || got != want {
			t.Errorf("ParseSortKey(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, k := range AllSortKeys {
		if got, err := ParseSortKey(string(k)); err != nil || got != k {
			t.Errorf("ParseSortKey(%q) = %q, %v", k, got, err)
		}
	}
	if _, err := ParseSortKey("colour"); err == nil || !strings.Contains(err.Error(), `sort "colour": want due, received, amount, importer, kind, case, status, assignee or entry`) {
		t.Errorf("ParseSortKey(colour) = %v", err)
	}
}

// s cycles through the four sorts it always has; the others are chosen by name.
func TestSortKeyNext(t *testing.T) {
	k := SortDue
	for _, want := range []SortKey{SortReceived, SortAmount, SortImporter, SortDue} {
		if k = k.Next(); k != want {
			t.Fatalf("Next = %q; want %q", k, want)
		}
	}
	if SortKind.Next() != SortDue {
		t.Errorf("a sort outside the cycle goes on to %q", SortKind.Next())
	}
}
