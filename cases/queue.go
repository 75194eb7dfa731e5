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

// SortKey orders a queue.
type SortKey string

const (
	SortDue      SortKey = "due"
	SortReceived SortKey = "received"
	SortAmount   SortKey = "amount"
	SortImporter SortKey = "importer"
)

// SortKeys lists the sorts in the order `s` cycles through them.
var SortKeys = []SortKey{SortDue, SortReceived, SortAmount, SortImporter}

// ParseSortKey reads due, received, amount or importer.
func ParseSortKey(s string) (SortKey, error) {
	for _, k := range SortKeys {
		if strings.EqualFold(string(k), strings.TrimSpace(s)) {
			return k, nil
		}
	}
	return "", fmt.Errorf("sort %q: want due, received, amount or importer", s)
}

// Next is the sort after k in the cycle.
func (k SortKey) Next() SortKey {
	for i, s := range SortKeys {
		if s == k {
			return SortKeys[(i+1)%len(SortKeys)]
		}
	}
	return SortDue
}

// QueueQuery asks for one window of a queue. Exactly one of Assignee and Center scopes it: a reviewer's queue, or
// a whole Center. Due and received sort ascending (earliest first), amount descending (largest first), importer
// A to Z.
type QueueQuery struct {
	Assignee string
	Center   string
	Sort     SortKey
	Filter   Filter
	OpenOnly bool // leave out decided cases
	Offset   int
	Limit    int
	Today    Date
}

// QueuePage is a window of a queue and the size of the whole (after the filter).
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
