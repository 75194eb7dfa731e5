package cases

import (
	"testing"
	"time"
)

func TestCourtDeadlineOnTheNotice(t *testing.T) {
	d := func(y int, m time.Month, day int) Date { return NewDate(y, m, day) }
	protest := func(o Outcome, decided Date, edit func(*Protest)) *Case {
		c := noticeProtest(o)
		c.Decision.On = decided
		edit(c.Protest)
		return c
	}
	pending := protest(OutcomeDenied, d(2026, 2, 20), func(p *Protest) { p.DenialMailed = d(2026, 2, 25) })
	pending.Status, pending.Decision.Approval = StatusPendingApproval, true
	lateApproval := protest(OutcomeDenied, d(2026, 1, 30), func(p *Protest) { p.Grounds = []Ground{GroundExclusion} })
	lateApproval.Decision.Approval, lateApproval.Decision.Approver = true, "sofia"
	lateApproval.Decision.Approved = time.Date(2026, 2, 6, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		c      *Case
		due    Date
		ok     bool
		deemed Date
	}{
		{"mailed: 180 days after", protest(OutcomeDenied, d(2026, 2, 20), func(p *Protest) { p.DenialMailed = d(2026, 2, 25) }), d(2026, 8, 24), true, 0},
		{"mailed: a last day on Independence Day, a Saturday, moves to Monday", protest(OutcomeDeniedInPart, d(2026, 1, 2), func(p *Protest) { p.DenialMailed = d(2026, 1, 5) }), d(2026, 7, 6), true, 0},
		{"further review denied", protest(OutcomeAFRDenied, d(2026, 1, 2), func(p *Protest) { p.DenialMailed = d(2026, 1, 8) }), d(2026, 7, 7), true, 0},
		{"denied, not mailed yet", protest(OutcomeDenied, d(2026, 2, 20), func(p *Protest) {}), 0, false, 0},
		{"allowed: nothing to contest", protest(OutcomeAllowed, d(2026, 2, 20), func(p *Protest) { p.DenialMailed = d(2026, 2, 25) }), 0, false, 0},
		{"waiting for approval: no denial yet", pending, 0, false, 0},
		{"exclusion decided on the 30th day: deemed denied that day", protest(OutcomeDenied, d(2026, 2, 4), func(p *Protest) {
			p.Grounds, p.DenialMailed = []Ground{GroundExclusion}, d(2026, 2, 5)
		}), d(2026, 8, 3), true, d(2026, 2, 4)},
		{"exclusion decided on the 29th day: not deemed denied", protest(OutcomeDenied, d(2026, 2, 3), func(p *Protest) {
			p.Grounds, p.DenialMailed = []Ground{GroundExclusion}, d(2026, 2, 5)
		}), d(2026, 8, 4), true, 0},
		{"exclusion approved after the 30th day: the approval is the decision", lateApproval, d(2026, 8, 3), true, d(2026, 2, 4)},
		{"accelerated request mailed after 90 days: deemed denied 30 days after it", protest(OutcomeDenied, d(2026, 5, 20), func(p *Protest) {
			p.AccelMailed = d(2026, 4, 6)
		}), RollForward(d(2026, 5, 6).AddDays(180)), true, d(2026, 5, 6)},
		{"accelerated request mailed on the 90th day has no effect", protest(OutcomeDenied, d(2026, 5, 20), func(p *Protest) {
			p.AccelMailed, p.DenialMailed = d(2026, 4, 5), d(2026, 5, 21)
		}), RollForward(d(2026, 5, 21).AddDays(180)), true, 0},
	} {
		due, ok := CourtDeadline(tc.c)
		if due != tc.due || ok != tc.ok {
			t.Errorf("%s: CourtDeadline = %s, %v; want %s, %v", tc.name, due, ok, tc.due, tc.ok)
		}
		if !BusinessDay(due) && ok {
			t.Errorf("%s: %s is not a business day", tc.name, due)
		}
		on, basis, deemed := DeemedDenied(tc.c)
		if on != tc.deemed || deemed != (tc.deemed != 0) || deemed && basis == "" {
			t.Errorf("%s: DeemedDenied = %s, %q, %v; want %s", tc.name, on, basis, deemed, tc.deemed)
		}
	}
	if _, ok := CourtDeadline(noticeCases()["psc-rejected"]); ok {
		t.Error("a PSC has no court-review date")
	}
}

func TestDisclosureFigures(t *testing.T) {
	cs := noticeCases()
	fraud, negligence := cs["disclosure-fraud"], cs["disclosure-negligence"]
	if got := DisclosureLoss(fraud); got != 50_000_00 {
		t.Errorf("loss of a validated disclosure is the amount computed: %s", got)
	}
	if got := Shortfall(fraud); got != 10_000_00 {
		t.Errorf("shortfall %s, want $10,000.00", got)
	}
	on := NewDate(2026, 3, 1)
	if got, _, err := DisclosureCap(fraud, DefaultPolicy(), on); err != nil || got != 50_000_00 {
		t.Errorf("fraud cap %s %v, want the loss", got, err)
	}
	if got, _, err := DisclosureCap(negligence, DefaultPolicy(), on); err != nil || got <= 0 || got >= DisclosureLoss(negligence) {
		t.Errorf("a negligence cap is the interest on the loss (19 U.S.C. 1592(c)(4)(B)): %s %v", got, err)
	}
	if got := Shortfall(negligence); got != 0 {
		t.Errorf("a full tender has no shortfall: %s", got)
	}
	open := cs["disclosure-fraud"]
	open.Decision, open.Status = nil, StatusInReview
	if got := DisclosureLoss(open); got != 48_200_00 {
		t.Errorf("before validation the loss is the one disclosed: %s", got)
	}
	if on, liq := InterestFrom(negligence); on != NewDate(2025, 11, 14) || !liq {
		t.Errorf("interest from %s %v, want the date of liquidation", on, liq)
	}
	if on, liq := InterestFrom(cs["disclosure-undetermined"]); on != NewDate(2025, 1, 6) || liq {
		t.Errorf("interest from %s %v, want the date of entry", on, liq)
	}
}
