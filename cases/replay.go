package cases

import (
	"fmt"
	"strings"
)

// State is what the audit log says about a case: who holds it, where it stands and what was decided. Replaying a
// case's events in order from its creation must give the State of the stored case; anything else means an event
// is missing, extra or wrong.
type State struct {
	Assignee string
	Status   string
	Outcome  string
}

// StateOf is the State of a stored case, in the words Diff uses.
func StateOf(c *Case) State {
	return State{Assignee: c.Assignee, Status: string(c.Status), Outcome: decisionText(c.Decision)}
}

// Replay applies one audit event of a case to the state rebuilt so far (nil before the case's first event) and
// returns the new state. It fails when the event does not follow from the state: a change "from" a value the
// case did not have, a creation of a case that exists, or a change to a case that was never created.
func Replay(cur *State, e Event) (*State, error) {
	parts := strings.Split(e.Change, "; ")
	var next State
	switch {
	case strings.HasPrefix(parts[0], "created "):
		if cur != nil {
			return nil, fmt.Errorf("audit event %d creates case %s again", e.Seq, e.Case)
		}
		parts = parts[1:]
	case cur == nil:
		return nil, fmt.Errorf("audit event %d changes case %s before any event created it", e.Seq, e.Case)
	default:
		next = *cur
	}
	for _, p := range parts {
		field, change, ok := strings.Cut(p, ": ")
		if !ok {
			break
		}
		var v *string
		switch field {
		case "assignee":
			v = &next.Assignee
		case "status":
			v = &next.Status
		case "outcome":
			v = &next.Outcome
		default:
			// notes and requests come after the state fields and may contain anything
			return &next, nil
		}
		from, to, ok := strings.Cut(change, " -> ")
		if !ok {
			return nil, fmt.Errorf("audit event %d of case %s: %q is not a change", e.Seq, e.Case, p)
		}
		if from == "-" {
			from = ""
		}
		if to == "-" {
			to = ""
		}
		if from != *v {
			return nil, fmt.Errorf("audit event %d of case %s changes %s from %q, but the log before it has %q (an event is missing or out of place)", e.Seq, e.Case, field, from, *v)
		}
		*v = to
	}
	return &next, nil
}
