package store

import (
	"errors"
	"strings"
	"testing"

	"ceedesk/cases"
)

// A late decision through the store: refused without the acknowledgement, nothing written; with it, the decision
// returned carries it and its audit event says it.
func TestLateDecisionThroughTheStore(t *testing.T) {
	s, cs := fixture(t, 400)
	c := find(t, cs, func(c *cases.Case) bool {
		_, late := cases.LateDecision(c, cases.Decision{Outcome: cases.OutcomeAccepted}, s.Policy(), today)
		return c.Center == "ELEC" && (c.Kind == cases.KindPSC || c.Kind == cases.KindPEA) && late &&
			(c.Status == cases.StatusInReview || c.Status == cases.StatusAssigned)
	})
	warning, _ := cases.LateDecision(c, cases.Decision{Outcome: cases.OutcomeAccepted}, s.Policy(), today)
	_, err := s.Decide(c.Assignee, c.ID, c.Version, cases.Decision{Outcome: cases.OutcomeAccepted}, today)
	var le *cases.LateError
	if !errors.As(err, &le) || le.Warning != warning {
		t.Fatalf("late decision without the acknowledgement: %v", err)
	}
	if got, _ := s.Case(Operator, c.ID); got.Version != c.Version || got.Status != c.Status {
		t.Fatalf("a refused decision wrote: version %d status %s", got.Version, got.Status)
	}
	ack := cases.AckLate(warning, c.Assignee)
	d, err := s.Decide(c.Assignee, c.ID, c.Version, cases.Decision{Outcome: cases.OutcomeAccepted, LateAck: ack}, today)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != cases.StatusDecided || d.Decision.LateAck != ack {
		t.Fatalf("decided late: %s %+v", d.Status, d.Decision)
	}
	if got, err := s.Case(Operator, c.ID); err != nil || got.Decision == nil || got.Decision.LateAck != ack {
		t.Fatalf("the acknowledgement read back: %v %+v", err, got)
	}
	h, _ := s.History(Operator, c.ID)
	if e := h[len(h)-1]; e.Action != "decide" || !strings.HasSuffix(e.Change, "; late decision acknowledged: "+ack) {
		t.Fatalf("audit event: %s %q", e.Action, e.Change)
	}
	if _, err := s.VerifyHistory(); err != nil {
		t.Fatalf("VerifyHistory: %v", err)
	}
}
