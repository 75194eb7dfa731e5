package cases

import (
	"errors"
	"strings"
	"testing"
)

// Each condition under which the law makes something of a decision already too late (domain.md, "Acting after a
// deadline"), with the source the warning must cite.
func TestLateDecision(t *testing.T) {
	psc := func(f func(c *Case)) *Case { // liquidates 2026-03-15
		c := validCase(KindPSC)
		f(c)
		return c
	}
	pea := func(f func(c *Case)) *Case {
		c := validCase(KindPEA)
		f(c)
		return c
	}
	prot := func(f func(p *Protest)) *Case { // filed 2026-04-01
		c := validCase(KindProtest)
		f(c.Protest)
		return c
	}
	pd := func(tender Cents) *Case { // lost revenue $20,000.00
		c := validCase(KindDisclosure)
		c.Disclosure.Tender = tender
		return c
	}
	exclusion := func(p *Protest) { p.Grounds = []Ground{GroundExclusion} }
	validated := func(amount Cents) Decision { return Decision{Outcome: OutcomeValidated, Amount: amount} }
	accepted := Decision{Outcome: OutcomeAccepted}
	denied := Decision{Outcome: OutcomeDenied, Reasons: "r"}

	cases := []struct {
		name  string
		c     *Case
		d     Decision
		today Date
		want  []string // in the warning; none: not late
	}{
		// 19 U.S.C. 1504: a PSC or PEA cannot be acted on after liquidation; the remedy is a protest (1514).
		// The entry liquidates on its day whatever the weekday: the last day to act is the day before (19 U.S.C. 1504).
		{"PSC the day before its liquidation date", psc(func(*Case) {}), accepted, d("2026-03-14"), nil},
		{"PSC on its liquidation date", psc(func(*Case) {}), accepted, d("2026-03-15"),
			[]string{"entry B76-0324527-8 was scheduled to liquidate on 2026-03-15, which has come", "a post-summary correction cannot be acted on after liquidation (19 U.S.C. 1504)", "protest within 180 days of it (19 U.S.C. 1514(c)(3))"}},
		{"PSC of an entry liquidated early", psc(func(c *Case) { c.Entry.Liquidated = d("2026-02-20") }), accepted, d("2026-03-02"),
			[]string{"entry B76-0324527-8 liquidated on 2026-02-20", "19 U.S.C. 1504"}},
		{"PSC liquidated today", psc(func(c *Case) { c.Entry.Liquidated = d("2026-03-02") }), accepted, d("2026-03-02"),
			[]string{"liquidated on 2026-03-02"}},
		{"PSC liquidation to come", psc(func(c *Case) { c.Entry.Liquidated = d("2026-03-10") }), accepted, d("2026-03-02"), nil},
		{"PSC of an extended entry", psc(func(c *Case) { c.Entry.Extended = d("2027-03-15") }), accepted, d("2026-06-01"), nil},
		{"PSC past the extended date", psc(func(c *Case) { c.Entry.Extended = d("2027-03-15") }), accepted, d("2027-03-16"),
			[]string{"scheduled to liquidate on 2027-03-15"}},
		// 19 U.S.C. 1504(c): no liquidation by lapse while suspended.
		{"PSC of a suspended entry", psc(func(c *Case) { c.Entry.Suspended = d("2026-01-20") }), accepted, d("2026-06-01"), nil},
		{"PSC of an entry no longer suspended", psc(func(c *Case) { c.Entry.Suspended, c.Entry.Unsuspended = d("2026-01-20"), d("2026-02-20") }), accepted, d("2026-06-01"),
			[]string{"scheduled to liquidate on 2026-03-15"}},
		{"PEA after liquidation", pea(func(*Case) {}), Decision{Outcome: OutcomeRejected, Reasons: "r"}, d("2026-03-16"),
			[]string{"a post-entry amendment cannot be acted on after liquidation (19 U.S.C. 1504)"}},

		// 19 CFR 174.21(b); 19 U.S.C. 1499(c)(5): an exclusion protest is deemed denied on the 30th day after filing,
		// whatever the weekday (2026-05-01 is a Friday; 2026-05-02, a Saturday, would not roll either).
		{"exclusion protest on day 29", prot(exclusion), denied, d("2026-04-30"), nil},
		{"exclusion protest on day 30", prot(exclusion), denied, d("2026-05-01"),
			[]string{"protest 2704-26-100123 was deemed denied on 2026-05-01", "the 30th day after the exclusion protest was filed on 2026-04-01 (19 U.S.C. 1499(c)(5); 19 CFR 174.21(b))",
				"a decision now changes nothing of the deemed denial", "180 days to contest it in the Court of International Trade already run from that day (28 U.S.C. 2636(a))"}},
		{"an allowance after the deemed denial too", prot(exclusion), Decision{Outcome: OutcomeAllowed}, d("2026-06-01"), []string{"deemed denied on 2026-05-01"}},
		{"other protest after 30 days", prot(func(*Protest) {}), denied, d("2026-06-01"), nil},
		// 19 U.S.C. 1515(b); 19 CFR 174.22: accelerated disposition, requested after 90 days following the filing,
		// makes the protest deemed denied on the 30th day after the mailing.
		{"accelerated request on day 90 has no effect", prot(func(p *Protest) { p.AccelMailed = d("2026-06-30") }), denied, d("2026-09-01"), nil},
		{"accelerated request on day 91, day 29 after it", prot(func(p *Protest) { p.AccelMailed = d("2026-07-01") }), denied, d("2026-07-30"), nil},
		{"accelerated request on day 91, day 30 after it", prot(func(p *Protest) { p.AccelMailed = d("2026-07-01") }), denied, d("2026-07-31"),
			[]string{"deemed denied on 2026-07-31, the 30th day after accelerated disposition was requested by mail on 2026-07-01 (19 U.S.C. 1515(b); 19 CFR 174.22(d))"}},
		{"exclusion and accelerated: the earlier", prot(func(p *Protest) { exclusion(p); p.AccelMailed = d("2026-07-01") }), denied, d("2026-08-01"),
			[]string{"deemed denied on 2026-05-01, the 30th day after the exclusion protest"}},

		// 19 U.S.C. 1592(c)(4); 19 CFR 162.74(c): a tender short of the loss is a shortfall the decision names.
		{"tender equal to the loss", pd(20_000_00), validated(20_000_00), d("2026-03-02"), nil},
		{"tender short of the loss disclosed", pd(15_000_00), validated(20_000_00), d("2026-03-02"),
			[]string{"the tender of $15,000.00 falls short of the loss disclosed, $20,000.00, by $5,000.00", "19 U.S.C. 1592(c)(4)", "19 CFR 162.74(c)"}},
		{"tender short of the loss computed", pd(20_000_00), validated(26_500_00), d("2026-03-02"),
			[]string{"falls short of the loss computed, $26,500.00, by $6,500.00"}},
		{"not perfected: the loss is not stated", pd(0), Decision{Outcome: OutcomeNotPerfected, Reasons: "r"}, d("2026-03-02"), nil},

		{"validation", validCase(KindValidation), Decision{Outcome: OutcomeCompliant}, d("2030-01-01"), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, late := LateDecision(tc.c, tc.d, policy, tc.today)
			if late != (tc.want != nil) || (w == "") == late {
				t.Fatalf("late %v, warning %q; want late %v", late, w, tc.want != nil)
			}
			for _, s := range tc.want {
				if !strings.Contains(w, s) {
					t.Errorf("warning %q\nlacks %q", w, s)
				}
			}
		})
	}
}

// Decide refuses a late decision without the acknowledgement, saying what the law makes of it and how to
// acknowledge, and records the acknowledgement with it.
func TestDecideLate(t *testing.T) {
	late := d("2026-03-16") // the PSC's entry liquidated on its scheduled date, 2026-03-15
	c := workCase(100)
	warning, _ := LateDecision(c, Decision{Outcome: OutcomeAccepted}, policy, late)

	err := Decide(c, alice, Decision{Outcome: OutcomeAccepted}, policy, late, now)
	var le *LateError
	if !errors.As(err, &le) || !errors.Is(err, ErrInvalid) || le.Warning != warning ||
		!strings.Contains(err.Error(), "cannot be acted on after liquidation (19 U.S.C. 1504)") || !strings.Contains(err.Error(), "--acknowledge-late") {
		t.Fatalf("late decision without the acknowledgement: %v", err)
	}
	if c.Status != StatusInReview || c.Decision != nil {
		t.Fatalf("a refused decision changed the case: %s %+v", c.Status, c.Decision)
	}
	// An acknowledgement of another warning, or by someone else, is not this one's.
	for _, ack := range []string{"ok", AckLate(warning, "sofia"), AckLate("entry liquidated", "alice")} {
		err := Decide(c, alice, Decision{Outcome: OutcomeAccepted, LateAck: ack}, policy, late, now)
		if !errors.As(err, &le) || le.Given != ack || !strings.Contains(err.Error(), "is not of what the law makes of this decision now") {
			t.Errorf("acknowledgement %q: %v", ack, err)
		}
	}
	ack := AckLate(warning, "alice")
	if !strings.HasPrefix(ack, warning) || !strings.HasSuffix(ack, "acknowledged by alice") {
		t.Fatalf("AckLate = %q", ack)
	}
	before := c.Clone()
	if err := Decide(c, alice, Decision{Outcome: OutcomeAccepted, LateAck: ack}, policy, late, now); err != nil {
		t.Fatal(err)
	}
	if c.Status != StatusDecided || c.Decision.LateAck != ack {
		t.Fatalf("decided late: %s %+v", c.Status, c.Decision)
	}
	if got := Diff(before, c); !strings.HasSuffix(got, "; late decision acknowledged: "+ack) || !strings.HasPrefix(got, "status: review -> decided; outcome: - -> accepted") {
		t.Errorf("Diff of a late decision: %s", got)
	}

	// In time, an acknowledgement is not recorded.
	c = workCase(100)
	if err := Decide(c, alice, Decision{Outcome: OutcomeAccepted, LateAck: ack}, policy, today, now); err != nil || c.Decision.LateAck != "" {
		t.Fatalf("decision in time: %v, late ack %q", err, c.Decision.LateAck)
	}

	// What the decision lacks is said before its lateness.
	c = workCase(100)
	if err := Decide(c, alice, Decision{Outcome: OutcomeRejected}, policy, late, now); err == nil || !strings.Contains(err.Error(), "needs reasons") {
		t.Errorf("late and incomplete: %v", err)
	}
}

// TestApprovalAfterTheDeadlineIsLate checks that the approval date is the decision date (domain.md: a decision
// waiting for approval is not yet CBP's): a PSC rejection decided before liquidation but approved on or after it is
// refused until the approver acknowledges what the law makes of it (19 U.S.C. 1504), and the acknowledgement is
// recorded; a rejection approved before liquidation needs none.
func TestApprovalAfterTheDeadlineIsLate(t *testing.T) {
	p := DefaultPolicy()
	pending := func() *Case { // liquidates 2026-03-15
		c := validCase(KindPSC)
		c.PSC.DutyDiff = -50_000_00 // at stake above the approval threshold
		c.Status, c.Assignee = StatusInReview, "alice"
		alice := User{Name: "alice", Role: RoleReviewer, Center: c.Center}
		if err := Decide(c, alice, Decision{Outcome: OutcomeRejected, Reasons: "no support"}, p, d("2026-03-10"), d("2026-03-10").Time()); err != nil {
			t.Fatal(err)
		}
		if c.Status != StatusPendingApproval {
			t.Fatalf("the rejection does not wait for approval: %s", c.Status)
		}
		return c
	}
	sofia := User{Name: "sofia", Role: RoleSupervisor, Center: pending().Center}

	c := pending()
	if err := Approve(c, sofia, "", "", p, d("2026-03-14"), d("2026-03-14").Time()); err != nil || c.Decision.LateAck != "" {
		t.Fatalf("approved the day before liquidation: %v, ack %q", err, c.Decision.LateAck)
	}

	c = pending()
	err := Approve(c, sofia, "", "", p, d("2026-03-15"), d("2026-03-15").Time())
	var le *LateError
	if !errors.As(err, &le) || !strings.Contains(le.Warning, "19 U.S.C. 1504") || c.Status != StatusPendingApproval {
		t.Fatalf("approved on the liquidation day without acknowledgement: %v (status %s)", err, c.Status)
	}
	ack := AckLate(le.Warning, "sofia")
	if err := Approve(c, sofia, "", ack, p, d("2026-03-15"), d("2026-03-15").Time()); err != nil {
		t.Fatal(err)
	}
	if c.Status != StatusDecided || c.Decision.LateAck != ack || c.Decision.Approver != "sofia" {
		t.Fatalf("the acknowledged approval: %s %+v", c.Status, c.Decision)
	}
}
