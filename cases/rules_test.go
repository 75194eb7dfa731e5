package cases

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	alice  = User{Name: "alice", Role: RoleReviewer, Center: "ELEC"}
	bob    = User{Name: "bob", Role: RoleReviewer, Center: "ELEC"}
	sofia  = User{Name: "sofia", Role: RoleSupervisor, Center: "ELEC"}
	samir  = User{Name: "samir", Role: RoleSupervisor, Center: "ELEC"}
	priya  = User{Name: "priya", Role: RoleSupervisor, Center: "PHARMA"}
	erin   = User{Name: "erin", Role: RoleReviewer, Center: "PHARMA"}
	root   = User{Name: "root", Role: RoleAdmin, Center: "ELEC"}
	ghost  = User{Name: "ghost", Role: RoleReviewer, Center: "ELEC", Disabled: true}
	now    = time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	today  = d("2026-03-02")
	policy = DefaultPolicy()
)

// workCase is a PSC assigned to alice, in review, with the revenue at stake given.
func workCase(revenue Cents) *Case {
	c := validCase(KindPSC)
	c.PSC.DutyDiff = -revenue
	return c
}

func outcomeNames(specs []OutcomeSpec) string {
	var s []string
	for _, o := range specs {
		s = append(s, string(o.Outcome))
	}
	return strings.Join(s, " ")
}

func TestOutcomesPerKind(t *testing.T) {
	want := map[Kind]string{
		KindProtest:    "allowed denied denied_in_part rejected_untimely",
		KindPSC:        "accepted rejected notice_of_action",
		KindPEA:        "accepted rejected",
		KindDisclosure: "validated not_perfected referred_fpf",
		KindValidation: "compliant non_compliant referred",
	}
	for k, w := range want {
		if got := outcomeNames(Outcomes(validCase(k))); got != w {
			t.Errorf("%s outcomes: %s; want %s", k, got, w)
		}
	}
	fr := validCase(KindProtest)
	fr.Protest.FurtherReview = true
	if got := outcomeNames(Outcomes(fr)); got != "afr_allowed afr_denied denied_in_part referred_hq" {
		t.Errorf("further-review outcomes: %s", got)
	}
	// Denials state the right to sue within 180 days (28 U.S.C. 2636(a)).
	for _, o := range []Outcome{OutcomeDenied, OutcomeDeniedInPart, OutcomeAFRDenied} {
		if s, _ := Spec(o); !strings.Contains(s.Notice, "180 days") {
			t.Errorf("%s notice: %q", o, s.Notice)
		}
	}
}

func TestParseOutcome(t *testing.T) {
	c := validCase(KindProtest)
	for _, in := range []string{"denied in part", "Denied-In-Part", " denied_in_part "} {
		if o, err := ParseOutcome(c, in); err != nil || o != OutcomeDeniedInPart {
			t.Errorf("ParseOutcome(%q) = %q, %v", in, o, err)
		}
	}
	_, err := ParseOutcome(c, "accepted")
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `outcome "accepted" is not one a protest allows; want one of allowed, denied, denied_in_part, rejected_untimely`) {
		t.Errorf("ParseOutcome(accepted) on a protest: %v", err)
	}
}

func TestCheckDecision(t *testing.T) {
	prot := validCase(KindProtest) // claims $50,000.00; lines 1 and 2
	cases := []struct {
		name string
		c    *Case
		d    Decision
		want string // "" = accepted
	}{
		{"allowed needs nothing", prot, Decision{Outcome: OutcomeAllowed}, ""},
		{"denied needs reasons", prot, Decision{Outcome: OutcomeDenied, Reasons: "  "}, "denied needs reasons"},
		{"denied with reasons", prot, Decision{Outcome: OutcomeDenied, Reasons: "HQ ruling H123456"}, ""},
		{"denied in part needs an amount", prot, Decision{Outcome: OutcomeDeniedInPart, Reasons: "r", Lines: []int{1}}, "denied in part needs an amount"},
		{"denied in part needs lines", prot, Decision{Outcome: OutcomeDeniedInPart, Reasons: "r", Amount: 100}, "denied in part needs the lines it allows"},
		{"denied in part", prot, Decision{Outcome: OutcomeDeniedInPart, Reasons: "r", Amount: 100, Lines: []int{2}}, ""},
		{"denied in part of the whole claim", prot, Decision{Outcome: OutcomeDeniedInPart, Reasons: "r", Amount: 50_000_00, Lines: []int{2}}, "must be less than the amount claimed"},
		{"line not on the entry", prot, Decision{Outcome: OutcomeDeniedInPart, Reasons: "r", Amount: 100, Lines: []int{3}}, "line 3 is not a line of entry B76-0324527-8"},
		{"line twice", prot, Decision{Outcome: OutcomeDeniedInPart, Reasons: "r", Amount: 100, Lines: []int{1, 1}}, "line 1 is named twice"},
		{"negative amount", prot, Decision{Outcome: OutcomeAllowed, Amount: -1}, "is negative"},
		{"reasons too long", prot, Decision{Outcome: OutcomeDenied, Reasons: strings.Repeat("r", MaxReasons+1)}, "the limit is 8192"},
		{"outcome of another kind", prot, Decision{Outcome: OutcomeAccepted}, "is not one a protest allows"},
		{"rejected untimely needs reasons", prot, Decision{Outcome: OutcomeRejectedProt}, "needs reasons"},
		{"notice of action needs an amount", workCase(100), Decision{Outcome: OutcomeNoticeOfAction, Reasons: "r"}, "needs an amount"},
		{"PSC rejected needs reasons", workCase(100), Decision{Outcome: OutcomeRejected}, "rejected needs reasons"},
		{"disclosure validated needs the lost revenue", validCase(KindDisclosure), Decision{Outcome: OutcomeValidated}, "validated needs an amount"},
		{"referred to FP&F needs reasons", validCase(KindDisclosure), Decision{Outcome: OutcomeReferredFPF}, "needs reasons"},
		{"non-compliant needs findings", validCase(KindValidation), Decision{Outcome: OutcomeNonCompliant}, "needs reasons"},
		{"compliant", validCase(KindValidation), Decision{Outcome: OutcomeCompliant}, ""},
	}
	for _, tc := range cases {
		err := CheckDecision(tc.c, tc.d)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v; want %q", tc.name, err, tc.want)
		}
	}
}

func TestNeedsApprovalThreshold(t *testing.T) {
	rejected := Decision{Outcome: OutcomeRejected, Reasons: "r"}
	accepted := Decision{Outcome: OutcomeAccepted}
	cases := []struct {
		revenue Cents
		d       Decision
		want    bool
	}{
		{9_999_99, rejected, false},  // below $10,000
		{10_000_00, rejected, true},  // at
		{10_000_01, rejected, true},  // above
		{50_000_00, accepted, false}, // favourable outcomes never wait
		{50_000_00, Decision{Outcome: OutcomeNoticeOfAction, Reasons: "r", Amount: 1}, false},
	}
	for _, tc := range cases {
		if got := NeedsApproval(workCase(tc.revenue), tc.d, policy); got != tc.want {
			t.Errorf("revenue %s, %s: NeedsApproval = %v", tc.revenue, tc.d.Outcome, got)
		}
	}
	// A refund and a demand put the same revenue at stake.
	c := workCase(0)
	c.PSC.DutyDiff = 10_000_00
	if !NeedsApproval(c, rejected, policy) {
		t.Errorf("a $10,000 duty increase rejected needs approval")
	}
	// The threshold is a setting.
	p := policy
	p.ApprovalThreshold = 100_000_00
	if NeedsApproval(workCase(50_000_00), rejected, p) {
		t.Errorf("below a raised threshold no approval")
	}
	// Every further-review decision waits, even a small allowance.
	fr := validCase(KindProtest)
	fr.Protest.FurtherReview = true
	fr.Protest.Claimed = 1
	if !NeedsApproval(fr, Decision{Outcome: OutcomeAFRAllowed}, policy) {
		t.Errorf("a further-review decision always waits for approval")
	}
	// Adverse outcomes of the other kinds follow the threshold too.
	pd := validCase(KindDisclosure) // $20,000 lost revenue
	if !NeedsApproval(pd, Decision{Outcome: OutcomeNotPerfected, Reasons: "r"}, policy) {
		t.Errorf("not perfected at $20,000 waits")
	}
	prot := validCase(KindProtest) // $50,000 claimed
	if !NeedsApproval(prot, Decision{Outcome: OutcomeDeniedInPart}, policy) || NeedsApproval(prot, Decision{Outcome: OutcomeAllowed}, policy) {
		t.Errorf("protest denial in part waits; allowance does not")
	}
}

func TestWhoMayWork(t *testing.T) {
	c := workCase(100) // ELEC, assigned to alice
	cases := []struct {
		who       User
		view      bool
		work      bool
		forbidden string
	}{
		{alice, true, true, ""},
		{bob, true, false, "only the assignee can work this case (assigned to alice)"},
		{sofia, true, true, ""},
		{priya, false, false, "priya is not in the ELEC Center"},
		{erin, false, false, "erin is not in the ELEC Center"},
		{root, true, false, "admins manage users and keys, not cases"},
		{ghost, false, false, "ghost is disabled"},
	}
	for _, tc := range cases {
		if err := CanView(tc.who, c); (err == nil) != tc.view {
			t.Errorf("CanView(%s) = %v", tc.who.Name, err)
		}
		err := CanWork(tc.who, c)
		if (err == nil) != tc.work {
			t.Errorf("CanWork(%s) = %v", tc.who.Name, err)
		}
		if err != nil && (!errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), tc.forbidden)) {
			t.Errorf("CanWork(%s) = %v; want %q", tc.who.Name, err, tc.forbidden)
		}
	}
	if err := CanDecide(bob, c); err == nil || !strings.Contains(err.Error(), "only the assignee can decide this case (assigned to alice)") {
		t.Errorf("CanDecide(bob) = %v", err)
	}
	if err := CanDecide(root, c); !errors.Is(err, ErrForbidden) {
		t.Errorf("an admin cannot decide: %v", err)
	}
	c.Assignee = ""
	if err := CanWork(alice, c); err == nil || !strings.Contains(err.Error(), "assigned to nobody") {
		t.Errorf("CanWork on an unassigned case: %v", err)
	}
	if err := CanAdmin(root); err != nil {
		t.Errorf("CanAdmin(admin) = %v", err)
	}
	for _, u := range []User{sofia, alice, {Name: "x", Role: RoleAdmin, Disabled: true}} {
		if err := CanAdmin(u); !errors.Is(err, ErrForbidden) {
			t.Errorf("CanAdmin(%s) = %v", u.Name, err)
		}
	}
}

func TestDecideAndApprove(t *testing.T) {
	t.Run("below the threshold the decision is final", func(t *testing.T) {
		c := workCase(9_999_99)
		if err := Decide(c, alice, Decision{Outcome: OutcomeRejected, Reasons: " no documents "}, policy, today, now); err != nil {
			t.Fatal(err)
		}
		if c.Status != StatusDecided || c.Decision.Approval || c.Decision.By != "alice" || c.Decision.On != today || c.Decision.Reasons != "no documents" {
			t.Errorf("decided: %+v %+v", c.Status, c.Decision)
		}
		if c.UpdatedBy != "alice" || !c.UpdatedAt.Equal(now) {
			t.Errorf("touch: %s %s", c.UpdatedBy, c.UpdatedAt)
		}
	})
	t.Run("at the threshold it waits; the approver is never the decider", func(t *testing.T) {
		c := workCase(10_000_00)
		// A supervisor deciding for the Center is the decider, and cannot approve it.
		if err := Decide(c, sofia, Decision{Outcome: OutcomeRejected, Reasons: "r", By: "forged", Approver: "forged"}, policy, today, now); err != nil {
			t.Fatal(err)
		}
		if c.Status != StatusPendingApproval || !c.Decision.Approval || c.Decision.By != "sofia" || c.Decision.Approver != "" {
			t.Fatalf("pending: %s %+v", c.Status, c.Decision)
		}
		if err := CanApprove(sofia, c, policy); !errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), "the approver is never the decider") {
			t.Errorf("the decider approving: %v", err)
		}
		for _, u := range []User{alice, priya, root} {
			if err := Approve(c, u, "", "", policy, today, now); !errors.Is(err, ErrForbidden) {
				t.Errorf("%s approving: %v", u.Name, err)
			}
		}
		if err := Decide(c, sofia, Decision{Outcome: OutcomeAccepted}, policy, today, now); err == nil || !strings.Contains(err.Error(), "already has a decision waiting") {
			t.Errorf("deciding again while pending: %v", err)
		}
		if err := Approve(c, samir, "ok", "", policy, today, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if c.Status != StatusDecided || c.Decision.Approver != "samir" || !c.Decision.Approved.Equal(now.Add(time.Hour)) || c.Decision.By != "sofia" {
			t.Errorf("approved: %s %+v", c.Status, c.Decision)
		}
		if err := CanApprove(samir, c, policy); !errors.Is(err, ErrInvalid) {
			t.Errorf("approving a decided case: %v", err)
		}
	})
	t.Run("return needs a comment and reopens review", func(t *testing.T) {
		c := workCase(20_000_00)
		if err := Decide(c, alice, Decision{Outcome: OutcomeRejected, Reasons: "r"}, policy, today, now); err != nil {
			t.Fatal(err)
		}
		if err := Return(c, sofia, "  ", policy, now); !errors.Is(err, ErrInvalid) {
			t.Errorf("return without a comment: %v", err)
		}
		if err := Return(c, alice, "cite the ruling", policy, now); !errors.Is(err, ErrForbidden) {
			t.Errorf("the reviewer returning her own decision: %v", err)
		}
		if err := Return(c, sofia, "cite the ruling", policy, now); err != nil {
			t.Fatal(err)
		}
		if c.Status != StatusInReview || c.Decision != nil {
			t.Errorf("returned: %s %+v", c.Status, c.Decision)
		}
		if err := Decide(c, alice, Decision{Outcome: OutcomeAccepted}, policy, today, now); err != nil || c.Status != StatusDecided {
			t.Errorf("deciding again after a return: %v %s", err, c.Status)
		}
	})
	t.Run("a reviewer cannot pull her decision back from approval", func(t *testing.T) {
		c := workCase(20_000_00)
		if err := Decide(c, alice, Decision{Outcome: OutcomeRejected, Reasons: "r"}, policy, today, now); err != nil {
			t.Fatal(err)
		}
		if err := StartReview(c, alice, now); !errors.Is(err, ErrInvalid) || c.Status != StatusPendingApproval {
			t.Errorf("StartReview of a pending case: %v, status %s", err, c.Status)
		}
		if err := RequestInfo(c, alice, "send the invoice", policy, today, now); !errors.Is(err, ErrInvalid) || c.Status != StatusPendingApproval {
			t.Errorf("RequestInfo on a pending case: %v, status %s", err, c.Status)
		}
	})
}

func TestFurtherReviewIndependence(t *testing.T) {
	fr := func() *Case {
		c := validCase(KindProtest)
		c.Protest.FurtherReview = true
		c.Protest.OriginalDeciders = []string{"bob", "samir"}
		return c
	}
	// 19 CFR 174.26: the further review is decided by someone who took no part in the original decision.
	c := fr()
	c.Assignee = "bob"
	if err := CanDecide(bob, c); !errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), "took part in the original decision") {
		t.Errorf("original decider deciding the further review: %v", err)
	}
	if err := CanDecide(samir, c); !errors.Is(err, ErrForbidden) {
		t.Errorf("original supervisor deciding the further review: %v", err)
	}
	c = fr()
	if err := Decide(c, alice, Decision{Outcome: OutcomeAFRAllowed}, policy, today, now); err != nil {
		t.Fatal(err)
	}
	if c.Status != StatusPendingApproval {
		t.Errorf("a further-review allowance waits for approval: %s", c.Status)
	}
	if err := CanApprove(samir, c, policy); !errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), "174.26") {
		t.Errorf("original decider approving the further review: %v", err)
	}
	if err := Approve(c, sofia, "", "", policy, today, now); err != nil {
		t.Errorf("an independent supervisor approves: %v", err)
	}
}

func TestStatusTransitions(t *testing.T) {
	allowed := map[Status]string{
		StatusNew:             "assigned",
		StatusAssigned:        "assigned review awaiting_info pending_approval decided",
		StatusInReview:        "assigned review awaiting_info pending_approval decided",
		StatusAwaitingInfo:    "assigned review awaiting_info pending_approval decided",
		StatusPendingApproval: "review pending_approval decided",
		StatusDecided:         "",
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			err := CanTransition(from, to)
			want := strings.Contains(" "+allowed[from]+" ", " "+string(to)+" ")
			if (err == nil) != want {
				t.Errorf("%s -> %s: %v", from, to, err)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("%s -> %s: %v does not wrap ErrInvalid", from, to, err)
			}
		}
	}
	if err := CanTransition(StatusDecided, StatusInReview); err == nil || !strings.Contains(err.Error(), "a decided case does not change") {
		t.Errorf("decided -> review: %v", err)
	}
	if err := CanTransition(StatusNew, StatusDecided); err == nil || !strings.Contains(err.Error(), "a case new cannot become decided") {
		t.Errorf("new -> decided: %v", err)
	}
}

func TestAssign(t *testing.T) {
	newCase := func() *Case {
		c := validCase(KindPSC)
		c.Status, c.Assignee, c.Assigned = StatusNew, "", 0
		return c
	}
	c := newCase()
	if err := Assign(c, sofia, alice, "", today, now); err != nil {
		t.Fatalf("first assignment needs no reason: %v", err)
	}
	if c.Status != StatusAssigned || c.Assignee != "alice" || c.Assigned != today || c.UpdatedBy != "sofia" {
		t.Errorf("assigned: %s %s %s %s", c.Status, c.Assignee, c.Assigned, c.UpdatedBy)
	}
	if err := Assign(c, sofia, bob, " ", today, now); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "a reassignment needs a reason") {
		t.Errorf("reassignment without a reason: %v", err)
	}
	if err := Assign(c, sofia, alice, "again", today, now); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "already assigned to alice") {
		t.Errorf("assigning to the same person: %v", err)
	}
	if err := Assign(c, sofia, bob, "alice on leave", today.AddDays(1), now); err != nil || c.Assignee != "bob" || c.Assigned != today.AddDays(1) {
		t.Errorf("reassignment with a reason: %v %s", err, c.Assignee)
	}
	refusals := []struct {
		name      string
		actor, to User
		want      error
		text      string
	}{
		{"a reviewer", alice, bob, ErrForbidden, "only a supervisor can reassign"},
		{"a supervisor of another Center", priya, alice, ErrForbidden, "priya supervises the PHARMA Center, not ELEC"},
		{"an admin", root, alice, ErrForbidden, "only a supervisor"},
		{"a disabled supervisor", User{Name: "old", Role: RoleSupervisor, Center: "ELEC", Disabled: true}, alice, ErrForbidden, "disabled"},
		{"to a disabled reviewer", sofia, ghost, ErrInvalid, "ghost is disabled"},
		{"to an admin", sofia, root, ErrInvalid, "cannot hold cases"},
		{"to another Center", sofia, erin, ErrInvalid, "erin is in the PHARMA Center, not ELEC"},
	}
	for _, tc := range refusals {
		c := newCase()
		err := Assign(c, tc.actor, tc.to, "reason", today, now)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: %v; want %v %q", tc.name, err, tc.want, tc.text)
		}
		if c.Assignee != "" || c.Status != StatusNew {
			t.Errorf("%s: a refused assignment changed the case", tc.name)
		}
	}
	// A supervisor may hold a case; a pending decision stays pending when reassigned.
	c = workCase(20_000_00)
	if err := Decide(c, alice, Decision{Outcome: OutcomeRejected, Reasons: "r"}, policy, today, now); err != nil {
		t.Fatal(err)
	}
	if err := Assign(c, sofia, samir, "alice on leave", today, now); err != nil || c.Status != StatusPendingApproval || c.Assignee != "samir" {
		t.Errorf("reassigning a pending case: %v %s %s", err, c.Status, c.Assignee)
	}
}

func TestDecidedCasesDoNotChange(t *testing.T) {
	c := workCase(100)
	if err := Decide(c, alice, Decision{Outcome: OutcomeAccepted}, policy, today, now); err != nil {
		t.Fatal(err)
	}
	before := c.Clone()
	checks := map[string]error{
		"decide again": Decide(c, alice, Decision{Outcome: OutcomeRejected, Reasons: "r"}, policy, today, now),
		"reassign":     Assign(c, sofia, bob, "reason", today, now),
		"start review": StartReview(c, alice, now),
		"request info": RequestInfo(c, alice, "q", policy, today, now),
		"approve":      Approve(c, sofia, "", "", policy, today, now),
		"return":       Return(c, sofia, "why", policy, now),
	}
	for name, err := range checks {
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s on a decided case: %v", name, err)
		}
	}
	if Diff(before, c) != "no change" || c.Status != StatusDecided || c.Decision.Outcome != OutcomeAccepted {
		t.Errorf("a decided case changed: %s", Diff(before, c))
	}
}

func TestStartReviewAndRequestInfo(t *testing.T) {
	c := validCase(KindPSC)
	c.Status = StatusAssigned
	if err := StartReview(c, bob, now); !errors.Is(err, ErrForbidden) {
		t.Errorf("another reviewer starting review: %v", err)
	}
	if err := StartReview(c, alice, now); err != nil || c.Status != StatusInReview {
		t.Errorf("StartReview: %v %s", err, c.Status)
	}
	if err := RequestInfo(c, alice, "  ", policy, today, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("a request with no question: %v", err)
	}
	if err := RequestInfo(c, alice, strings.Repeat("q", MaxNote+1), policy, today, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("a question over the limit: %v", err)
	}
	// 2026-06-03 + 30 = Friday 07-03, Independence Day observed → Monday 07-06.
	if err := RequestInfo(c, alice, " send the invoice ", policy, d("2026-06-03"), now); err != nil {
		t.Fatal(err)
	}
	r := c.Requests[0]
	if c.Status != StatusAwaitingInfo || r.Due != d("2026-07-06") || r.Question != "send the invoice" || r.By != "alice" {
		t.Errorf("request: %s %+v", c.Status, r)
	}
	if err := StartReview(c, alice, now); err != nil || c.Status != StatusInReview {
		t.Errorf("resuming review when information arrives: %v %s", err, c.Status)
	}
	n := validCase(KindPSC)
	n.Status, n.Assignee = StatusNew, ""
	if err := StartReview(n, sofia, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("review of an unassigned case: %v", err)
	}
}

func TestAddNote(t *testing.T) {
	c := workCase(100)
	c.Notes = nil
	if err := AddNote(c, alice, "  ", now); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty note: %v", err)
	}
	if err := AddNote(c, alice, strings.Repeat("é", MaxNote+1), now); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "the limit is 8192") {
		t.Errorf("note over the limit: %v", err)
	}
	if err := AddNote(c, alice, strings.Repeat("é", MaxNote), now); err != nil {
		t.Errorf("note at the limit (counted in characters, not bytes): %v", err)
	}
	err := AddNote(c, alice, "caf\xe9", now)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "the note is not valid UTF-8: byte 3 (0xe9)") || len(c.Notes) != 1 {
		t.Errorf("note that is not UTF-8: %v; %d notes", err, len(c.Notes))
	}
	if err := AddNote(c, bob, "hi", now); !errors.Is(err, ErrForbidden) {
		t.Errorf("note by someone who cannot work the case: %v", err)
	}
	if err := AddNote(c, sofia, " checked ", now); err != nil || c.Notes[1].Text != "checked" || c.Notes[1].Author != "sofia" {
		t.Errorf("supervisor note: %v %+v", err, c.Notes)
	}
}

func TestDiff(t *testing.T) {
	before := workCase(100)
	after := before.Clone()
	if got := Diff(nil, after); got != "created psc PSC-26-000001; assignee: - -> alice; status: - -> review" {
		t.Errorf("Diff(nil) = %q", got)
	}
	if got := Diff(before, after); got != "no change" {
		t.Errorf("Diff of a clone = %q", got)
	}
	after.Assignee = "bob"
	after.Status = StatusDecided
	after.Decision = &Decision{Outcome: OutcomeNoticeOfAction, Amount: 1_234_56, Approver: "sofia"}
	after.Notes = append(after.Notes, Note{Text: "done"})
	want := "assignee: alice -> bob; status: review -> decided; outcome: - -> notice_of_action $1,234.56 approved by sofia; note: done"
	if got := Diff(before, after); got != want {
		t.Errorf("Diff:\n got %s\nwant %s", got, want)
	}
}

// Clone shares nothing a rule could change.
func TestCloneIsDeep(t *testing.T) {
	c := validCase(KindProtest)
	c.Decision = &Decision{Outcome: OutcomeDeniedInPart, Lines: []int{1}}
	c.Requests = []InfoRequest{{Question: "q"}}
	n := c.Clone()
	n.Importer.Programs[0] = "X"
	n.Entry.Lines[0].HTS = "X"
	n.Protest.Grounds[0] = "X"
	n.Protest.Number = "X"
	n.Notes[0].Text = "X"
	n.Requests[0].Question = "X"
	n.Decision.Lines[0] = 9
	n.Decision.Outcome = "X"
	if c.Importer.Programs[0] == "X" || c.Entry.Lines[0].HTS == "X" || c.Protest.Grounds[0] == "X" || c.Protest.Number == "X" ||
		c.Notes[0].Text == "X" || c.Requests[0].Question == "X" || c.Decision.Lines[0] == 9 || c.Decision.Outcome == "X" {
		t.Errorf("Clone shares state with the original")
	}
}

func TestReasonAndCommentLimits(t *testing.T) {
	long := strings.Repeat("x", MaxReasons+1)
	c := workCase(100)
	sofia := User{Name: "sofia", Role: RoleSupervisor, Center: c.Center}
	bob := User{Name: "bob", Role: RoleReviewer, Center: c.Center}
	if err := Assign(c, sofia, bob, long, c.Received, time.Now()); err == nil || !strings.Contains(err.Error(), "the reason is") {
		t.Errorf("reassignment with an oversized reason: %v", err)
	}
}

// A case takes notes and requests up to its limits and no further, and the action leaves it unchanged; Validate
// decides by the same limits.
func TestNotesAndRequestsPerCase(t *testing.T) {
	c := workCase(100)
	c.Notes = nil
	for i := 0; i < MaxNotes; i++ {
		if err := AddNote(c, alice, "n", now); err != nil {
			t.Fatalf("note %d: %v", i+1, err)
		}
	}
	if errs := Validate(c); len(errs) != 0 {
		t.Fatalf("a case at the notes limit: %v", errs)
	}
	err := AddNote(c, alice, "one more", now)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "case PSC-26-000001 has 500 notes, the limit") || len(c.Notes) != MaxNotes {
		t.Fatalf("note 501: %v (%d notes)", err, len(c.Notes))
	}
	c.Notes = append(c.Notes, Note{Author: "alice", Text: "n"})
	if errs := Validate(c); len(errs) != 1 || errs[0].Error() != "notes: 501 notes; a case holds at most 500" {
		t.Fatalf("Validate of 501 notes: %v", errs)
	}

	c = workCase(100)
	c.Notes = []Note{{Author: "alice", Text: strings.Repeat("é", MaxNotesSize/2-1)}} // 2 bytes short of the size
	if err := AddNote(c, alice, "abc", now); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "holds 65534 bytes of notes; 3 more would pass the limit of 65536 bytes (64 KiB)") {
		t.Fatalf("a note past the size: %v", err)
	}
	if err := AddNote(c, alice, "ab", now); err != nil {
		t.Fatalf("a note up to the size: %v", err)
	}

	c = workCase(100)
	for i := 0; i < MaxRequests; i++ {
		if err := RequestInfo(c, alice, "q", policy, today, now); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	if err := RequestInfo(c, alice, "q", policy, today, now); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "has 100 requests for information, the limit") {
		t.Fatalf("request 101: %v", err)
	}
	for i := range c.Requests {
		c.Requests[i].Question = strings.Repeat("q", 330)
	}
	if errs := Validate(c); len(errs) != 1 || !strings.Contains(errs[0].Error(), "requests: 33000 bytes of requests for information; a case holds at most 32768 bytes (32 KiB)") {
		t.Fatalf("Validate past the size of requests: %v", errs)
	}
}
