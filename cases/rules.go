package cases

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrForbidden is wrapped by every refusal that is about who the actor is.
var ErrForbidden = errors.New("not permitted")

// ErrInvalid is wrapped by every refusal that is about what was asked (a missing reason, a wrong status).
var ErrInvalid = errors.New("invalid")

func forbidden(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrForbidden, fmt.Sprintf(format, a...))
}

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

// Limits on text from people, so one note cannot fill a store or a screen.
const (
	MaxNote    = 8 << 10
	MaxReasons = 8 << 10
)

// OutcomeSpec says what an outcome is called and what it requires.
type OutcomeSpec struct {
	Outcome Outcome
	Title   string
	Reasons bool   // reasons are required
	Amount  bool   // an amount is required
	Lines   bool   // the lines it allows are required
	Adverse bool   // a denial or rejection: waits for approval at or above the threshold
	Notice  string // what the notice to the importer states, where the law says
}

var outcomeSpecs = map[Outcome]OutcomeSpec{
	OutcomeAllowed:        {Outcome: OutcomeAllowed, Title: "Allowed"},
	OutcomeDenied:         {Outcome: OutcomeDenied, Title: "Denied", Reasons: true, Adverse: true, Notice: "The protestant may contest this denial in the Court of International Trade within 180 days of the date of denial (28 U.S.C. 2636(a))."},
	OutcomeDeniedInPart:   {Outcome: OutcomeDeniedInPart, Title: "Denied in part", Reasons: true, Amount: true, Lines: true, Adverse: true, Notice: "The protestant may contest the denied part in the Court of International Trade within 180 days of the date of denial (28 U.S.C. 2636(a))."},
	OutcomeRejectedProt:   {Outcome: OutcomeRejectedProt, Title: "Rejected: untimely or not protestable", Reasons: true, Adverse: true},
	OutcomeAFRAllowed:     {Outcome: OutcomeAFRAllowed, Title: "Further review: protest allowed"},
	OutcomeAFRDenied:      {Outcome: OutcomeAFRDenied, Title: "Further review: protest denied", Reasons: true, Adverse: true, Notice: "The protestant may contest this denial in the Court of International Trade within 180 days of the date of denial (28 U.S.C. 2636(a))."},
	OutcomeReferredHQ:     {Outcome: OutcomeReferredHQ, Title: "Further review: referred to Headquarters", Reasons: true},
	OutcomeAccepted:       {Outcome: OutcomeAccepted, Title: "Accepted"},
	OutcomeRejected:       {Outcome: OutcomeRejected, Title: "Rejected", Reasons: true, Adverse: true},
	OutcomeNoticeOfAction: {Outcome: OutcomeNoticeOfAction, Title: "Notice of action (CBP Form 29)", Reasons: true, Amount: true},
	OutcomeValidated:      {Outcome: OutcomeValidated, Title: "Validated", Amount: true},
	OutcomeNotPerfected:   {Outcome: OutcomeNotPerfected, Title: "Not perfected", Reasons: true, Adverse: true},
	OutcomeReferredFPF:    {Outcome: OutcomeReferredFPF, Title: "Referred to Fines, Penalties and Forfeitures", Reasons: true},
	OutcomeCompliant:      {Outcome: OutcomeCompliant, Title: "Compliant"},
	OutcomeNonCompliant:   {Outcome: OutcomeNonCompliant, Title: "Non-compliant with findings", Reasons: true},
	OutcomeReferred:       {Outcome: OutcomeReferred, Title: "Referred", Reasons: true},
}

// Spec returns the OutcomeSpec of o.
func Spec(o Outcome) (OutcomeSpec, bool) {
	s, ok := outcomeSpecs[o]
	return s, ok
}

// Outcomes lists the outcomes the case's kind allows, and nothing else. A protest under further review has the
// further-review outcomes instead of the original ones.
func Outcomes(c *Case) []OutcomeSpec {
	var os []Outcome
	switch c.Kind {
	case KindProtest:
		if c.Protest != nil && c.Protest.FurtherReview {
			os = []Outcome{OutcomeAFRAllowed, OutcomeAFRDenied, OutcomeDeniedInPart, OutcomeReferredHQ}
		} else {
			os = []Outcome{OutcomeAllowed, OutcomeDenied, OutcomeDeniedInPart, OutcomeRejectedProt}
		}
	case KindPSC:
		os = []Outcome{OutcomeAccepted, OutcomeRejected, OutcomeNoticeOfAction}
	case KindPEA:
		os = []Outcome{OutcomeAccepted, OutcomeRejected}
	case KindDisclosure:
		os = []Outcome{OutcomeValidated, OutcomeNotPerfected, OutcomeReferredFPF}
	case KindValidation:
		os = []Outcome{OutcomeCompliant, OutcomeNonCompliant, OutcomeReferred}
	}
	out := make([]OutcomeSpec, len(os))
	for i, o := range os {
		out[i] = outcomeSpecs[o]
	}
	return out
}

// ParseOutcome reads an outcome name for the case's kind, accepting spaces or dashes for underscores.
func ParseOutcome(c *Case, s string) (Outcome, error) {
	v := Outcome(strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s))))
	var names []string
	for _, spec := range Outcomes(c) {
		if spec.Outcome == v {
			return v, nil
		}
		names = append(names, string(spec.Outcome))
	}
	return "", invalid("outcome %q is not one a %s allows; want one of %s", s, strings.ToLower(c.Kind.Title()), strings.Join(names, ", "))
}

// NeedsApproval reports whether the decision waits for a supervisor's approval: an adverse outcome at or above
// the policy threshold of revenue at stake, and every further-review decision.
func NeedsApproval(c *Case, d Decision, p Policy) bool {
	if c.Kind == KindProtest && c.Protest != nil && c.Protest.FurtherReview {
		return true
	}
	spec, _ := Spec(d.Outcome)
	return spec.Adverse && c.Revenue() >= p.ApprovalThreshold
}

// --- who may do what -------------------------------------------------------------------------------------------

// CanView reports whether u may see c: everyone of the case's Center, and admins.
func CanView(u User, c *Case) error {
	if u.Disabled {
		return forbidden("%s is disabled", u.Name)
	}
	if u.Role == RoleAdmin || u.Center == c.Center {
		return nil
	}
	return forbidden("%s is not in the %s Center", u.Name, c.Center)
}

// CanWork reports whether u may act on c as its reviewer (decide, note, request information): the assignee, or a
// supervisor of the case's Center.
func CanWork(u User, c *Case) error {
	if err := CanView(u, c); err != nil {
		return err
	}
	switch {
	case u.Role == RoleSupervisor && u.Center == c.Center:
		return nil
	case u.Role == RoleReviewer && c.Assignee == u.Name:
		return nil
	case u.Role == RoleAdmin:
		return forbidden("admins manage users and keys, not cases")
	}
	return forbidden("only the assignee can work this case (assigned to %s)", orNobody(c.Assignee))
}

// CanDecide reports whether u may record a decision on c: CanWork, plus the further-review rule that the decider
// took no part in the original decision (19 CFR 174.26).
func CanDecide(u User, c *Case) error {
	if err := CanWork(u, c); err != nil {
		if errors.Is(err, ErrForbidden) && u.Role == RoleReviewer {
			return forbidden("only the assignee can decide this case (assigned to %s)", orNobody(c.Assignee))
		}
		return err
	}
	if c.Kind == KindProtest && c.Protest != nil && c.Protest.FurtherReview {
		for _, n := range c.Protest.OriginalDeciders {
			if n == u.Name {
				return forbidden("%s took part in the original decision and cannot decide the further review (19 CFR 174.26)", u.Name)
			}
		}
	}
	return nil
}

// CanAssign reports whether actor may assign c to the user to: a supervisor of the case's Center, to an enabled
// reviewer or supervisor of the same Center.
func CanAssign(actor User, c *Case, to User) error {
	if actor.Disabled {
		return forbidden("%s is disabled", actor.Name)
	}
	if actor.Role != RoleSupervisor {
		return forbidden("only a supervisor can reassign cases")
	}
	if actor.Center != c.Center {
		return forbidden("%s supervises the %s Center, not %s", actor.Name, actor.Center, c.Center)
	}
	if to.Disabled {
		return invalid("%s is disabled", to.Name)
	}
	if to.Role != RoleReviewer && to.Role != RoleSupervisor {
		return invalid("%s is an %s and cannot hold cases", to.Name, to.Role)
	}
	if to.Center != c.Center {
		return invalid("%s is in the %s Center, not %s", to.Name, to.Center, c.Center)
	}
	return nil
}

// CanApprove reports whether actor may approve or return c's pending decision: a supervisor of the Center who is
// not the decider, and for a further review took no part in the original decision.
func CanApprove(actor User, c *Case) error {
	if actor.Disabled {
		return forbidden("%s is disabled", actor.Name)
	}
	if actor.Role != RoleSupervisor || actor.Center != c.Center {
		return forbidden("only a supervisor of the %s Center can approve", c.Center)
	}
	if c.Status != StatusPendingApproval || c.Decision == nil {
		return invalid("case %s has no decision waiting for approval (status %s)", c.ID, c.Status.Title())
	}
	if c.Decision.By == actor.Name {
		return forbidden("the approver is never the decider: %s decided this case", actor.Name)
	}
	if c.Kind == KindProtest && c.Protest != nil && c.Protest.FurtherReview {
		for _, n := range c.Protest.OriginalDeciders {
			if n == actor.Name {
				return forbidden("%s took part in the original decision (19 CFR 174.26)", actor.Name)
			}
		}
	}
	return nil
}

// CanAdmin reports whether u may manage users, roles, keys and backups.
func CanAdmin(u User) error {
	if u.Disabled || u.Role != RoleAdmin {
		return forbidden("only an admin can manage users, keys and backups")
	}
	return nil
}

func orNobody(s string) string {
	if s == "" {
		return "nobody"
	}
	return s
}

// --- statuses ---------------------------------------------------------------------------------------------------

var transitions = map[Status][]Status{
	StatusNew:             {StatusAssigned},
	StatusAssigned:        {StatusAssigned, StatusInReview, StatusAwaitingInfo, StatusPendingApproval, StatusDecided},
	StatusInReview:        {StatusAssigned, StatusInReview, StatusAwaitingInfo, StatusPendingApproval, StatusDecided},
	StatusAwaitingInfo:    {StatusAssigned, StatusInReview, StatusAwaitingInfo, StatusPendingApproval, StatusDecided},
	StatusPendingApproval: {StatusPendingApproval, StatusDecided, StatusInReview},
	StatusDecided:         {},
}

// CanTransition reports whether a case may move from one status to another.
func CanTransition(from, to Status) error {
	for _, s := range transitions[from] {
		if s == to {
			return nil
		}
	}
	if from == StatusDecided {
		return invalid("the case is decided; a decided case does not change (the importer's remedy is a protest)")
	}
	return invalid("a case %s cannot become %s", from.Title(), to.Title())
}

func move(c *Case, to Status) error {
	if err := CanTransition(c.Status, to); err != nil {
		return err
	}
	c.Status = to
	return nil
}

func touch(c *Case, actor User, now time.Time) {
	c.UpdatedBy = actor.Name
	c.UpdatedAt = now
}

// --- actions: each checks the rules, then changes c in place ------------------------------------------------------

// Assign gives c to the user to; reassignment is a supervisor's act and is recorded with a reason. A pending
// decision stays pending; otherwise the case becomes assigned. The first assignment sets FirstAssigned, from which
// policy clocks run, and no later one moves it (a record from before FirstAssigned was kept takes its assignment
// date as its first).
func Assign(c *Case, actor, to User, reason string, today Date, now time.Time) error {
	if err := CanAssign(actor, c, to); err != nil {
		return err
	}
	if !c.Status.Open() {
		return invalid("case %s is decided and cannot be reassigned", c.ID)
	}
	if c.Assignee != "" && strings.TrimSpace(reason) == "" {
		return invalid("a reassignment needs a reason")
	}
	if err := CheckReason("the reason", reason); err != nil {
		return err
	}
	if c.Assignee == to.Name {
		return invalid("case %s is already assigned to %s", c.ID, to.Name)
	}
	if c.Status != StatusPendingApproval {
		if err := move(c, StatusAssigned); err != nil {
			return err
		}
	}
	if c.FirstAssigned == 0 {
		c.FirstAssigned = c.Assigned
		if c.FirstAssigned == 0 {
			c.FirstAssigned = today
		}
	}
	c.Assignee = to.Name
	c.Assigned = today
	touch(c, actor, now)
	return nil
}

// StartReview marks the case in review when its assignee opens it for work, and resumes review when requested
// information has arrived.
func StartReview(c *Case, actor User, now time.Time) error {
	if err := CanWork(actor, c); err != nil {
		return err
	}
	if c.Status == StatusPendingApproval {
		// Only the approver may send a pending decision back (Return); otherwise the decider alone could take
		// it out of the approval queue.
		return invalid("case %s has a decision waiting for approval; a supervisor approves or returns it", c.ID)
	}
	if err := move(c, StatusInReview); err != nil {
		return err
	}
	touch(c, actor, now)
	return nil
}

// Decide records d on c. The decision must be one the kind allows and carry what it requires. A decision that
// needs a second person becomes pending approval; any other decides the case.
func Decide(c *Case, actor User, d Decision, p Policy, today Date, now time.Time) error {
	if err := CanDecide(actor, c); err != nil {
		return err
	}
	if c.Status == StatusPendingApproval {
		return invalid("case %s already has a decision waiting for approval", c.ID)
	}
	if !c.Status.Open() {
		return invalid("case %s is already decided", c.ID)
	}
	if err := CheckDecision(c, d); err != nil {
		return err
	}
	d.By, d.On, d.At = actor.Name, today, now
	d.Reasons = strings.TrimSpace(d.Reasons)
	d.Approval = NeedsApproval(c, d, p)
	d.Approver, d.Approved, d.Returned = "", time.Time{}, ""
	to := StatusDecided
	if d.Approval {
		to = StatusPendingApproval
	}
	if err := move(c, to); err != nil {
		return err
	}
	c.Decision = &d
	touch(c, actor, now)
	return nil
}

// CheckDecision reports what a decision lacks for the case: an outcome the kind allows, reasons, an amount, lines.
func CheckDecision(c *Case, d Decision) error {
	var spec OutcomeSpec
	found := false
	for _, s := range Outcomes(c) {
		if s.Outcome == d.Outcome {
			spec, found = s, true
		}
	}
	if !found {
		_, err := ParseOutcome(c, string(d.Outcome))
		return err
	}
	// The text rule comes first, so that reasons that are not UTF-8 are refused as such.
	if err := CheckReason("the statement of reasons", d.Reasons); err != nil {
		return err
	}
	if spec.Reasons && strings.TrimSpace(d.Reasons) == "" {
		return invalid("%s needs reasons", strings.ToLower(spec.Title))
	}
	if d.Amount < 0 {
		return invalid("amount %s is negative", d.Amount)
	}
	if spec.Amount && d.Amount == 0 {
		return invalid("%s needs an amount", strings.ToLower(spec.Title))
	}
	if d.Outcome == OutcomeDeniedInPart && c.Protest != nil && d.Amount >= c.Protest.Claimed && c.Protest.Claimed > 0 {
		return invalid("the amount allowed (%s) must be less than the amount claimed (%s); allow the protest instead", d.Amount, c.Protest.Claimed)
	}
	if spec.Lines && len(d.Lines) == 0 {
		return invalid("%s needs the lines it allows", strings.ToLower(spec.Title))
	}
	seen := map[int]bool{}
	for _, n := range d.Lines {
		ok := false
		for _, l := range c.Entry.Lines {
			ok = ok || l.Number == n
		}
		if !ok {
			return invalid("line %d is not a line of entry %s", n, c.Entry.Number)
		}
		if seen[n] {
			return invalid("line %d is named twice", n)
		}
		seen[n] = true
	}
	return nil
}

// Approve makes a pending decision final.
func Approve(c *Case, actor User, comment string, now time.Time) error {
	if err := CanApprove(actor, c); err != nil {
		return err
	}
	if err := CheckReason("the comment", comment); err != nil {
		return err
	}
	if err := move(c, StatusDecided); err != nil {
		return err
	}
	d := *c.Decision
	d.Approver, d.Approved = actor.Name, now
	c.Decision = &d
	touch(c, actor, now)
	return nil
}

// Return sends a pending decision back to review with a comment. The case no longer carries the returned decision
// (the audit log records it and the comment), and it can be decided again.
func Return(c *Case, actor User, comment string, now time.Time) error {
	if err := CanApprove(actor, c); err != nil {
		return err
	}
	if strings.TrimSpace(comment) == "" {
		return invalid("returning a decision needs a comment for the reviewer")
	}
	if err := CheckReason("the comment", comment); err != nil {
		return err
	}
	if err := move(c, StatusInReview); err != nil {
		return err
	}
	c.Decision = nil
	touch(c, actor, now)
	return nil
}

// AddNote appends a note.
func AddNote(c *Case, actor User, text string, now time.Time) error {
	if err := CanWork(actor, c); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if err := CheckNote("the note", text); err != nil {
		return err
	}
	if err := notesLimit.room(c.ID, len(c.Notes), notesSize(c.Notes), len(text)); err != nil {
		return err
	}
	c.Notes = append(c.Notes, Note{Author: actor.Name, At: now, Text: text})
	touch(c, actor, now)
	return nil
}

// RequestInfo records a request for information (CBP Form 28) and sets the case awaiting information.
func RequestInfo(c *Case, actor User, question string, p Policy, today Date, now time.Time) error {
	if err := CanWork(actor, c); err != nil {
		return err
	}
	question = strings.TrimSpace(question)
	if err := CheckNote("the question", question); err != nil {
		return err
	}
	if err := requestsLimit.room(c.ID, len(c.Requests), requestsSize(c.Requests), len(question)); err != nil {
		return err
	}
	if err := move(c, StatusAwaitingInfo); err != nil {
		return err
	}
	days := p.InfoRequestDays
	if days <= 0 {
		days = 30
	}
	c.Requests = append(c.Requests, InfoRequest{By: actor.Name, At: now, Due: RollForward(today.AddDays(days)), Question: question})
	touch(c, actor, now)
	return nil
}

// Diff describes what changed between two versions of a case, for the audit log: "status: assigned -> review".
//
// A new case (before nil) is "created KIND ID" followed by its assignee, status and outcome as changes from
// nothing, so that the state of every case can be rebuilt from its events alone.
func Diff(before, after *Case) string {
	var parts []string
	created := before == nil
	if created {
		parts = append(parts, "created "+string(after.Kind)+" "+after.ID)
		before = &Case{Notes: after.Notes, Requests: after.Requests}
	}
	add := func(field, a, b string) {
		if a != b {
			parts = append(parts, fmt.Sprintf("%s: %s -> %s", field, orDash(a), orDash(b)))
		}
	}
	add("assignee", before.Assignee, after.Assignee)
	add("status", string(before.Status), string(after.Status))
	add("outcome", decisionText(before.Decision), decisionText(after.Decision))
	if len(after.Notes) > len(before.Notes) {
		parts = append(parts, fmt.Sprintf("note: %s", after.Notes[len(after.Notes)-1].Text))
	}
	if len(after.Requests) > len(before.Requests) {
		r := after.Requests[len(after.Requests)-1]
		parts = append(parts, fmt.Sprintf("request for information due %s: %s", r.Due, r.Question))
	}
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, "; ")
}

func decisionText(d *Decision) string {
	if d == nil {
		return ""
	}
	s := string(d.Outcome)
	if d.Amount != 0 {
		s += " " + d.Amount.String()
	}
	if d.Approver != "" {
		s += " approved by " + d.Approver
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
