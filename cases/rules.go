package cases

import (
	"errors"
	"fmt"
	"sort"
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
	OutcomeDenied:         {Outcome: OutcomeDenied, Title: "Denied", Reasons: true, Adverse: true, Notice: "The protestant may contest this denial in the Court of International Trade within 180 days after the date of mailing of the notice of denial (28 U.S.C. 2636(a); 19 CFR 174.31)."},
	OutcomeDeniedInPart:   {Outcome: OutcomeDeniedInPart, Title: "Denied in part", Reasons: true, Amount: true, Lines: true, Adverse: true, Notice: "The protestant may contest the denied part in the Court of International Trade within 180 days after the date of mailing of the notice of denial (28 U.S.C. 2636(a); 19 CFR 174.31)."},
	OutcomeRejectedProt:   {Outcome: OutcomeRejectedProt, Title: "Rejected: untimely or not protestable", Reasons: true, Adverse: true},
	OutcomeAFRAllowed:     {Outcome: OutcomeAFRAllowed, Title: "Further review: protest allowed"},
	OutcomeAFRDenied:      {Outcome: OutcomeAFRDenied, Title: "Further review: protest denied", Reasons: true, Adverse: true, Notice: "The protestant may contest this denial in the Court of International Trade within 180 days after the date of mailing of the notice of denial (28 U.S.C. 2636(a); 19 CFR 174.31)."},
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

// CanApprove reports whether actor may approve or return c's pending decision: a supervisor of the Center, or an
// admin named in the policy's approvers (Policy.Approvers), who is not the decider, and for a further review took
// no part in the original decision.
func CanApprove(actor User, c *Case, p Policy) error {
	if actor.Disabled {
		return forbidden("%s is disabled", actor.Name)
	}
	if err := approverRole(actor, c.Center, p); err != nil {
		return err
	}
	if c.Status != StatusPendingApproval || c.Decision == nil {
		return invalid("case %s has no decision waiting for approval (status %s)", c.ID, c.Status.Title())
	}
	return approverIndependent(actor.Name, c, c.Decision.By)
}

// approverRole is the part of the approval rule that is about who the approver is: a supervisor of the Center, or
// an admin the policy names as an approver.
func approverRole(u User, center string, p Policy) error {
	switch {
	case u.Role == RoleSupervisor && u.Center == center:
		return nil
	case u.Role == RoleAdmin && p.NamesApprover(u.Name):
		return nil
	case u.Role == RoleAdmin:
		return forbidden("only a supervisor of the %s Center, or an admin named in the policy's approvers, can approve; %s is an admin not named there ([policy] approvers in config.toml)", center, u.Name)
	}
	return forbidden("only a supervisor of the %s Center can approve", center)
}

// approverIndependent is the part of the approval rule that is about the decision: the approver is never the
// decider, and for a further review took no part in the original decision (19 CFR 174.26).
func approverIndependent(name string, c *Case, decider string) error {
	if decider == name {
		return forbidden("the approver is never the decider: %s decided this case", name)
	}
	if c.Kind == KindProtest && c.Protest != nil && c.Protest.FurtherReview {
		for _, n := range c.Protest.OriginalDeciders {
			if n == name {
				return forbidden("%s took part in the original decision (19 CFR 174.26)", name)
			}
		}
	}
	return nil
}

// ApproverSet is who may approve one decision: supervisors of the case's Center, and admins named in the
// policy's approvers, each in name order.
type ApproverSet struct {
	Center      string
	Decider     string
	Supervisors []string
	Admins      []string
	// for the warning's wording: the decider is a supervisor of the Center; the names the policy gives
	deciderSupervises bool
	named             []string
}

// Names lists everyone who may approve: the supervisors, then the admins.
func (a ApproverSet) Names() []string {
	return append(append([]string(nil), a.Supervisors...), a.Admins...)
}

// Warning says, when no supervisor of the Center may approve the decision, so and who can: "" when a supervisor
// can. It is what a decider is told when the decision is written, so that it does not wait unseen.
func (a ApproverSet) Warning() string {
	if len(a.Supervisors) > 0 {
		return ""
	}
	who := "no supervisor"
	if a.deciderSupervises {
		who = "no other supervisor"
	}
	if len(a.Admins) > 0 {
		return fmt.Sprintf("%s in %s can approve this; an admin named in approvers can: %s", who, a.Center, strings.Join(a.Admins, ", "))
	}
	if len(a.named) > 0 {
		return fmt.Sprintf("%s in %s can approve this, and none of the approvers named in the config (%s) is an enabled admin who may; the decision waits until a supervisor joins %s or an admin is named in [policy] approvers", who, a.Center, strings.Join(a.named, ", "), a.Center)
	}
	return fmt.Sprintf("%s in %s can approve this, and no admin is named in approvers ([policy] approvers in config.toml); the decision waits until a supervisor joins %s or an admin is named there", who, a.Center, a.Center)
}

// ApprovalRow is one decision waiting for approval as a given actor sees it: its queue row, who recorded the
// decision, and whether that actor may approve (or return) it, and if not why (CanApprove's reason), so that a
// refusal is said before any comment is typed.
type ApprovalRow struct {
	QueueRow
	Decider    string
	CanApprove bool
	Why        string
}

// Reason is the text of a refusal without the ErrForbidden or ErrInvalid it wraps: "the approver is never the
// decider: sofia decided this case".
func Reason(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	for _, e := range []error{ErrForbidden, ErrInvalid} {
		if rest, ok := strings.CutPrefix(s, e.Error()+": "); ok {
			return rest
		}
	}
	return s
}

// WhoMayApprove lists the users who may approve a decision by decider on c (CanApprove, as if the decision were
// waiting for approval now): enabled supervisors of c's Center and enabled admins named in p.Approvers, never the
// decider, and for a further review none who took part in the original decision.
func WhoMayApprove(c *Case, decider string, users []User, p Policy) ApproverSet {
	a := ApproverSet{Center: c.Center, Decider: decider, named: p.ApproverNames()}
	for _, u := range users {
		if u.Name == decider && u.Role == RoleSupervisor && u.Center == c.Center {
			a.deciderSupervises = true
		}
		if u.Disabled || approverRole(u, c.Center, p) != nil || approverIndependent(u.Name, c, decider) != nil {
			continue
		}
		if u.Role == RoleSupervisor {
			a.Supervisors = append(a.Supervisors, u.Name)
		} else {
			a.Admins = append(a.Admins, u.Name)
		}
	}
	sort.Strings(a.Supervisors)
	sort.Strings(a.Admins)
	return a
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

// firstAct begins the review of an assigned case when its assignee first works on it (a note, an answer, a notice
// of action, a reply): opening a case writes nothing, so review begins with the first thing the reviewer records.
// Anyone else's act (a supervisor's note) leaves the status as it is.
func firstAct(c *Case, actor User) {
	if c.Status == StatusAssigned && c.Assignee == actor.Name {
		c.Status = StatusInReview
	}
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
//
// A decision that comes after a deadline the law does not let the Center undo (LateDecision) is refused with a
// *LateError unless d.LateAck is the actor's acknowledgement of what the law makes of it, AckLate(warning, actor's
// name), for the warning LateDecision gives now; it is then recorded with that acknowledgement. A decision in time
// records no acknowledgement, whatever d carried.
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
	if warning, late := LateDecision(c, d, p, today); !late {
		d.LateAck = ""
	} else if want := AckLate(warning, actor.Name); d.LateAck != want {
		return &LateError{Warning: warning, Given: d.LateAck}
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

// Approve makes a pending decision final. The approval date is the decision's date (a decision waiting for
// approval meets no clock), so a decision made in time but approved after a deadline the law does not move
// (LateDecision) is refused with a *LateError unless lateAck is the approver's acknowledgement of it,
// AckLate(warning, approver's name), which is then recorded with the decision. A decision its reviewer already
// acknowledged as late needs nothing more.
func Approve(c *Case, actor User, comment, lateAck string, p Policy, today Date, now time.Time) error {
	if err := CanApprove(actor, c, p); err != nil {
		return err
	}
	if err := CheckReason("the comment", comment); err != nil {
		return err
	}
	d := *c.Decision
	if d.LateAck == "" {
		if warning, late := LateDecision(c, d, p, today); late {
			if lateAck != AckLate(warning, actor.Name) {
				return &LateError{Warning: warning, Given: lateAck}
			}
			d.LateAck = lateAck
		}
	}
	if err := move(c, StatusDecided); err != nil {
		return err
	}
	d.Approver, d.Approved = actor.Name, now
	c.Decision = &d
	touch(c, actor, now)
	return nil
}

// Return sends a pending decision back to review with a comment; whoever may approve it (CanApprove) may return
// it. The case no longer carries the returned decision (the audit log records it and the comment), and it can be
// decided again.
func Return(c *Case, actor User, comment string, p Policy, now time.Time) error {
	if err := CanApprove(actor, c, p); err != nil {
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

// AddNote appends a note; the assignee's note on an assigned case begins its review.
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
	firstAct(c, actor)
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
	if err := correspondenceRoom(c, len(question)); err != nil {
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

// OpenRequest is the index in c.Requests of the latest request for information not yet answered, or -1.
func OpenRequest(c *Case) int {
	for i := len(c.Requests) - 1; i >= 0; i-- {
		if c.Requests[i].Answered == 0 {
			return i
		}
	}
	return -1
}

// OpenNotice is the index in c.Notices of the latest notice of action with no reply recorded, or -1.
func OpenNotice(c *Case) int {
	for i := len(c.Notices) - 1; i >= 0; i-- {
		if c.Notices[i].Replied == 0 {
			return i
		}
	}
	return -1
}

// AnswerRequest records the importer's answer, received on answered, to the latest open request for information
// (CBP Form 28) of c; AnswerRequestNo says which request.
func AnswerRequest(c *Case, actor User, answered Date, text string, today Date, now time.Time) error {
	return AnswerRequestNo(c, actor, 0, answered, text, today, now)
}

// AnswerRequestNo records the importer's answer to request n of c (1 is the first request, as the case lists
// them; 0 is the latest one still open): the date it arrived, on or after the day of the request and not after
// today, its text (CheckNote), and who recorded it when. Those who may work the case record answers; a decided case
// takes none. When no request stays open the case leaves "awaiting information" and is back in review; a decision
// waiting for approval keeps waiting.
func AnswerRequestNo(c *Case, actor User, n int, answered Date, text string, today Date, now time.Time) error {
	if err := CanWork(actor, c); err != nil {
		return err
	}
	if !c.Status.Open() {
		return invalid("case %s is decided; a decided case does not change", c.ID)
	}
	i := n - 1
	switch {
	case n == 0:
		if i = OpenRequest(c); i < 0 {
			return invalid("case %s has no open request for information to answer", c.ID)
		}
	case n < 0 || n > len(c.Requests):
		return invalid("case %s has %s; there is no request %d", c.ID, count(len(c.Requests), "request for information", "requests for information"), n)
	case c.Requests[i].Answered != 0:
		r := c.Requests[i]
		return invalid("request %d of case %s was already answered on %s (recorded by %s)", n, c.ID, r.Answered, orNobody(r.RecordedBy))
	}
	r := &c.Requests[i]
	text = strings.TrimSpace(text)
	if err := CheckNote("the answer", text); err != nil {
		return err
	}
	// The request's day is the date it was recorded on; when the date the rules use is set behind the clock
	// (ceedesk --today), today bounds it too.
	asked := min(DateOf(r.At), today)
	switch {
	case answered == 0:
		return invalid("the answer needs the date it was received")
	case answered > today:
		return invalid("the answer is dated %s, after today (%s)", answered, today)
	case answered < asked:
		return invalid("the answer is dated %s, before the request of %s it answers", answered, asked)
	}
	if err := correspondenceRoom(c, len(text)); err != nil {
		return err
	}
	r.Answered, r.Answer, r.RecordedBy, r.RecordedAt = answered, text, actor.Name, now
	if c.Status == StatusAwaitingInfo && OpenRequest(c) < 0 {
		if err := move(c, StatusInReview); err != nil {
			return err
		}
	}
	firstAct(c, actor)
	touch(c, actor, now)
	return nil
}

// NoticeReplyDays is the time a notice of proposed action (CBP Form 29) gives the importer to reply before CBP
// acts: 20 days from its mailing (19 CFR 152.2).
const NoticeReplyDays = 20

// NoticeOfAction records a notice of action (CBP Form 29) sent on sent (not after today): a proposed action, whose
// reply is due at the end of the 20 days the importer has to reply (a filing deadline: rolled to a business day),
// or an action taken. action says what CBP proposes or did (CheckNote). Those who may work an open case send
// notices; a case whose decision waits for approval takes none.
func NoticeOfAction(c *Case, actor User, proposed bool, action string, sent, today Date, now time.Time) error {
	if err := CanWork(actor, c); err != nil {
		return err
	}
	switch {
	case !c.Status.Open():
		return invalid("case %s is decided; a decided case does not change", c.ID)
	case c.Status == StatusPendingApproval:
		return invalid("case %s has a decision waiting for approval; a supervisor approves or returns it first", c.ID)
	}
	action = strings.TrimSpace(action)
	if err := CheckNote("the action", action); err != nil {
		return err
	}
	switch {
	case sent == 0:
		return invalid("the notice of action needs the date it was sent")
	case sent > today:
		return invalid("the notice of action is dated %s, after today (%s)", sent, today)
	}
	if len(c.Notices) >= MaxNotices {
		return invalid("case %s has %d notices of action, the limit; it takes no more", c.ID, len(c.Notices))
	}
	if err := correspondenceRoom(c, len(action)); err != nil {
		return err
	}
	n := ActionNotice{By: actor.Name, At: now, Sent: sent, Proposed: proposed, Action: action}
	if proposed {
		n.ReplyDue = RollForward(sent.AddDays(NoticeReplyDays))
	}
	c.Notices = append(c.Notices, n)
	firstAct(c, actor)
	touch(c, actor, now)
	return nil
}

// RecordReply records the importer's reply, received on replied, to the latest notice of action of c that has
// none: its date (on or after the notice was sent, not after today) and its text (CheckNote). Those who may work
// the case record replies; a decided case takes none.
func RecordReply(c *Case, actor User, replied Date, text string, today Date, now time.Time) error {
	if err := CanWork(actor, c); err != nil {
		return err
	}
	if !c.Status.Open() {
		return invalid("case %s is decided; a decided case does not change", c.ID)
	}
	i := OpenNotice(c)
	if i < 0 {
		return invalid("case %s has no notice of action waiting for a reply", c.ID)
	}
	n := &c.Notices[i]
	text = strings.TrimSpace(text)
	if err := CheckNote("the reply", text); err != nil {
		return err
	}
	switch {
	case replied == 0:
		return invalid("the reply needs the date it was received")
	case replied > today:
		return invalid("the reply is dated %s, after today (%s)", replied, today)
	case replied < n.Sent:
		return invalid("the reply is dated %s, before the notice of %s it answers", replied, n.Sent)
	}
	if err := correspondenceRoom(c, len(text)); err != nil {
		return err
	}
	n.Replied, n.Reply = replied, text
	firstAct(c, actor)
	touch(c, actor, now)
	return nil
}

// MaxNotices is the number of notices of action one case holds.
const MaxNotices = 100

// correspondenceRoom refuses add more bytes of correspondence with the importer on c: the questions of its
// requests, their answers, and its notices of action and their replies share the requests' budget
// (MaxRequestsSize), so that a case at every limit still exports as one import row.
func correspondenceRoom(c *Case, add int) error {
	size := 0
	for _, r := range c.Requests {
		size += len(r.Question) + len(r.Answer)
	}
	for _, n := range c.Notices {
		size += len(n.Action) + len(n.Reply)
	}
	if size+add > MaxRequestsSize {
		return invalid("case %s holds %d bytes of requests, answers and notices; %d more would pass the limit of %d bytes (%d KiB) for one case",
			c.ID, size, add, MaxRequestsSize, MaxRequestsSize>>10)
	}
	return nil
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
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
		before = &Case{Notes: after.Notes, Requests: after.Requests, Notices: after.Notices}
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
	for i := range min(len(before.Requests), len(after.Requests)) {
		if a := after.Requests[i]; a.Answered != before.Requests[i].Answered || a.Answer != before.Requests[i].Answer {
			parts = append(parts, fmt.Sprintf("answer to request for information %d of %s, received %s: %s", i+1, DateOf(a.At), a.Answered, a.Answer))
		}
	}
	if len(after.Notices) > len(before.Notices) {
		n := after.Notices[len(after.Notices)-1]
		if n.Proposed {
			parts = append(parts, fmt.Sprintf("notice of proposed action (CBP Form 29) sent %s, reply due %s: %s", n.Sent, n.ReplyDue, n.Action))
		} else {
			parts = append(parts, fmt.Sprintf("notice of action taken (CBP Form 29) sent %s: %s", n.Sent, n.Action))
		}
	}
	for i := range min(len(before.Notices), len(after.Notices)) {
		if a := after.Notices[i]; a.Replied != before.Notices[i].Replied || a.Reply != before.Notices[i].Reply {
			parts = append(parts, fmt.Sprintf("reply to the notice of action of %s, received %s: %s", a.Sent, a.Replied, a.Reply))
		}
	}
	if ack := lateAck(after.Decision); ack != "" && ack != lateAck(before.Decision) {
		parts = append(parts, "late decision acknowledged: "+ack)
	}
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, "; ")
}

func lateAck(d *Decision) string {
	if d == nil {
		return ""
	}
	return d.LateAck
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
