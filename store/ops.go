package store

import (
	"fmt"
	"strings"
	"time"

	"ceedesk/cases"
)

// Op is one change to one case as data: what the write methods (Decide, AddNote, ...) run, what a desk file keeps
// as a pending change, and what a check-in replays at the Center through the same rules.
type Op struct {
	Action   string          `json:"action"` // review, decide, approve, return, note, request_info, answer, notice_of_action, reply
	Case     string          `json:"case"`
	Version  uint64          `json:"version,omitempty"` // the version the actor saw; 0 = unchecked
	Today    cases.Date      `json:"today,omitempty"`   // the date the rules judged the change by
	Decision *cases.Decision `json:"decision,omitempty"`
	Text     string          `json:"text,omitempty"` // a note, a question, an answer, a reply, a comment
	On       cases.Date      `json:"on,omitempty"`   // when an answer or reply was received, a notice sent
	N        int             `json:"n,omitempty"`    // which request an answer is for (0: the latest open one)
	Proposed bool            `json:"proposed,omitempty"`
	What     string          `json:"what,omitempty"`     // the action a notice of action proposes or takes
	LateAck  string          `json:"late_ack,omitempty"` // an approver's acknowledgement of a late approval
}

// rule is an Op made ready to run: its audit action and reason and the rule that changes the case.
type rule struct {
	action, reason string
	apply          func(c *cases.Case, u cases.User, now time.Time) error
}

// versionFree reports whether the op is one that adds to a case rather than decides anything about it (a note):
// a check-in lands it even when the case changed at the Center since checkout, if the rules still allow it.
func (o *Op) versionFree() bool { return o.Action == "note" }

// rule is the op's rule under the store's policy. today is the op's date (the store's today when it has none).
func (s *Store) rule(o *Op) (rule, error) {
	if o.Today == 0 {
		o.Today = s.today()
	}
	today, p := o.Today, s.policy
	switch o.Action {
	case "review":
		return rule{"review", "", func(c *cases.Case, u cases.User, now time.Time) error { return cases.StartReview(c, u, now) }}, nil
	case "decide":
		if o.Decision == nil {
			return rule{}, fmt.Errorf("%w: a decision op without its decision", cases.ErrInvalid)
		}
		d := *o.Decision
		return rule{"decide", strings.TrimSpace(d.Reasons), func(c *cases.Case, u cases.User, now time.Time) error {
			return cases.Decide(c, u, d, p, today, now)
		}}, nil
	case "approve":
		if err := checkReason("comment", o.Text); err != nil {
			return rule{}, err
		}
		return rule{"approve", strings.TrimSpace(o.Text), func(c *cases.Case, u cases.User, now time.Time) error {
			return cases.Approve(c, u, o.Text, o.LateAck, p, today, now)
		}}, nil
	case "return":
		if err := checkReason("comment", o.Text); err != nil {
			return rule{}, err
		}
		return rule{"return", strings.TrimSpace(o.Text), func(c *cases.Case, u cases.User, now time.Time) error {
			return cases.Return(c, u, o.Text, p, now)
		}}, nil
	case "note":
		return rule{"note", "", func(c *cases.Case, u cases.User, now time.Time) error { return cases.AddNote(c, u, o.Text, now) }}, nil
	case "request_info":
		return rule{"request_info", "", func(c *cases.Case, u cases.User, now time.Time) error {
			return cases.RequestInfo(c, u, o.Text, p, today, now)
		}}, nil
	case "answer":
		return rule{"answer", "", func(c *cases.Case, u cases.User, now time.Time) error {
			return cases.AnswerRequestNo(c, u, o.N, o.On, o.Text, today, now)
		}}, nil
	case "notice_of_action":
		return rule{"notice_of_action", "", func(c *cases.Case, u cases.User, now time.Time) error {
			return cases.NoticeOfAction(c, u, o.Proposed, o.What, o.On, today, now)
		}}, nil
	case "reply":
		return rule{"reply", "", func(c *cases.Case, u cases.User, now time.Time) error {
			return cases.RecordReply(c, u, o.On, o.Text, today, now)
		}}, nil
	}
	return rule{}, fmt.Errorf("%w: no change called %q", cases.ErrInvalid, o.Action)
}

// do runs one op as actor: at the Center as any write, and on a desk file also kept as a pending change for
// check-in (desk.go).
func (s *Store) do(actor string, o Op) (*cases.Case, error) {
	r, err := s.rule(&o)
	if err != nil {
		return nil, err
	}
	out, err := s.change(actor, r.action, r.reason, []edit{{id: o.Case, version: o.Version, apply: r.apply}}, nil, &writeCtx{op: &o})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// writeCtx is what a write carries beyond its edits: the op it runs (a desk records it), and for a change
// checked in from a desk, where it came from.
type writeCtx struct {
	op     *Op
	replay *replay // nil: made here and now
}
