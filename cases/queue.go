package cases

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// These types are the vocabulary between the store and its users (workstation, SSH server, command line), so
// that ui can declare the storage interface it needs without importing the store.

// ErrNotFound is wrapped when a case or user does not exist.
var ErrNotFound = errors.New("not found")

// ConflictError is a change refused because the case changed after the actor read it.
type ConflictError struct {
	ID      string
	By      string    // who made the newer change
	At      time.Time // when
	Version uint64    // the current version
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("case %s was changed by %s at %s (now version %d); reload and try again",
		e.ID, orNobody(e.By), e.At.Format("15:04"), e.Version)
}

// SortKey orders a queue. There is one for each column a queue shows, and one for the date received:
//
//	DUE, LEFT  SortDue       earliest first
//	KIND       SortKind      in the order of Kinds (protest, PSC, PEA, prior disclosure, validation)
//	CASE       SortCase      case id, 0-9 then A-Z
//	IMPORTER   SortImporter  A to Z, ignoring case
//	ASSIGNEE   SortAssignee  A to Z, unassigned cases first
//	ENTRY      SortEntry     entry number, 0-9 then A-Z; cases without one first
//	STATUS     SortStatus    in the order of Statuses (new, assigned, in review, ... decided)
//	AT STAKE   SortAmount    largest first
//	           SortReceived  earliest first
//
// Within any sort, cases that tie are in due-date order, then by case id. QueueQuery.Reverse turns the whole order
// around, ties included.
type SortKey string

const (
	SortDue      SortKey = "due"
	SortReceived SortKey = "received"
	SortAmount   SortKey = "amount"
	SortImporter SortKey = "importer"
	SortKind     SortKey = "kind"
	SortCase     SortKey = "case"
	SortStatus   SortKey = "status"
	SortAssignee SortKey = "assignee"
	SortEntry    SortKey = "entry"
)

// SortKeys lists the sorts in the order `s` cycles through them.
var SortKeys = []SortKey{SortDue, SortReceived, SortAmount, SortImporter}

// AllSortKeys lists every sort.
var AllSortKeys = []SortKey{SortDue, SortReceived, SortAmount, SortImporter, SortKind, SortCase, SortStatus, SortAssignee, SortEntry}

// sortAliases are other names ParseSortKey accepts: the column heads.
var sortAliases = map[string]SortKey{"left": SortDue, "stake": SortAmount, "at stake": SortAmount, "revenue": SortAmount,
	"id": SortCase, "to": SortAssignee}

// ParseSortKey reads a sort's name (any of AllSortKeys) or its column's head (left, id, at stake).
func ParseSortKey(s string) (SortKey, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	for _, k := range AllSortKeys {
		if string(k) == v {
			return k, nil
		}
	}
	if k, ok := sortAliases[v]; ok {
		return k, nil
	}
	return "", fmt.Errorf("sort %q: want due, received, amount, importer, kind, case, status, assignee or entry", s)
}

// Next is the sort after k in the cycle of SortKeys.
func (k SortKey) Next() SortKey {
	for i, s := range SortKeys {
		if s == k {
			return SortKeys[(i+1)%len(SortKeys)]
		}
	}
	return SortDue
}

// QueueQuery asks for one window of a queue. Exactly one of Assignee and Center scopes it: a reviewer's queue, or
// a whole Center (both: the reviewer's cases of that Center). Sort orders it (SortKey says how), Reverse turns the
// order around.
type QueueQuery struct {
	Assignee string
	Center   string
	Sort     SortKey
	Reverse  bool
	Filter   Filter
	OpenOnly bool // leave out decided cases
	Offset   int
	Limit    int
	Today    Date
	// NoTotal asks for the window alone: a filtered query stops as soon as it has the window's rows, instead of
	// going on through the queue to count every match, and QueuePage.Total is -1 unless it was known anyway. Ask
	// again without NoTotal for the count.
	NoTotal bool
}

// QueuePage is a window of a queue and the size of the whole (after the filter); Total is -1 when a query with
// NoTotal did not count it.
type QueuePage struct {
	Rows   []QueueRow
	Offset int
	Total  int
}

// Counts are a queue's headline numbers.
type Counts struct {
	Open    int
	Overdue int
	DueWeek int // due within the next 7 days, not overdue
	Pending int // waiting for approval
	Revenue Cents
}

// Load is one reviewer's line on a supervisor's workload board.
type Load struct {
	User   string
	Counts Counts
	Oldest Date // earliest due date among open cases
}

// Change is published after every committed change, to every open session.
type Change struct {
	Seq    uint64
	Action string
	Actor  string
	Cases  []string
	At     time.Time
}

// Tally adds one row to c as of today.
func (c *Counts) Tally(r *QueueRow, today Date) {
	if !r.Status.Open() {
		return
	}
	c.Open++
	c.Revenue += r.Revenue
	left := today.DaysUntil(r.Due)
	switch {
	case left < 0:
		c.Overdue++
	case left <= 7:
		c.DueWeek++
	}
	if r.Status == StatusPendingApproval {
		c.Pending++
	}
}
