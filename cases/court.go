package cases

// The court-review clock of a denied protest. This file stands in for the clock rules' own version (clock.go) until
// the two are reconciled: a notice takes these dates from here and never counts them itself.
//
// After a protest is denied in whole or in part, the protestant may contest the denial in the Court of
// International Trade within 180 days after the date of mailing of the notice of denial, or within 180 days after
// the date the protest was denied by operation of law (28 U.S.C. 2636(a); 19 CFR 174.31). The 180 days are a
// filing deadline: counted from the day after the trigger, a last day on a Saturday, Sunday or federal holiday
// moves to the next business day. A deemed denial is an event that happens on its day whatever the weekday: it never
// rolls.

// CourtReviewDays is the time to contest a denied protest in the Court of International Trade.
const CourtReviewDays = 180

// CourtDeadline is the last day to contest the denial of c in the Court of International Trade: 180 days after the
// date the protest was deemed denied when it was (DeemedDenied), otherwise after the recorded date of mailing of
// the notice of denial (Protest.DenialMailed). ok is false when neither date is known: the protest is not denied,
// or the notice has not been mailed yet (its 180 days then run from the day it is).
func CourtDeadline(c *Case) (Date, bool) {
	if c.Kind != KindProtest || c.Protest == nil {
		return 0, false
	}
	if on, _, ok := DeemedDenied(c); ok {
		return RollForward(on.AddDays(CourtReviewDays)), true
	}
	if _, final := finalDecisionDate(c); final && c.Protest.DenialMailed != 0 && deniedOutcome(c.Decision) {
		return RollForward(c.Protest.DenialMailed.AddDays(CourtReviewDays)), true
	}
	return 0, false
}

// DeemedDenied is the date a decided protest was denied by operation of law: the 30th day after the filing of an
// exclusion protest (19 U.S.C. 1499(c)(5)(B); 19 CFR 174.21(b)), or the 30th day after the mailing of a valid
// request for accelerated disposition, one mailed after 90 days following the filing (19 U.S.C. 1515(b); 19 CFR
// 174.22) — the earlier of the two — when the protest was not allowed or denied before that day. A decision waiting
// for approval has not been made, so only a final decision counts, on the day it became final. ok is false for a
// protest not decided yet: whether it will be deemed denied depends on when it is. basis cites the law that
// deems it denied.
func DeemedDenied(c *Case) (on Date, basis string, ok bool) {
	pr := c.Protest
	if c.Kind != KindProtest || pr == nil || pr.Filed == 0 {
		return 0, "", false
	}
	decided, final := finalDecisionDate(c)
	if !final {
		return 0, "", false
	}
	if pr.Exclusion() {
		on, basis = pr.Filed.AddDays(30), "19 U.S.C. 1499(c)(5)(B); 19 CFR 174.21(b)"
	}
	if pr.AccelMailed != 0 && pr.AccelMailed > pr.Filed.AddDays(90) {
		if d := pr.AccelMailed.AddDays(30); on == 0 || d < on {
			on, basis = d, "19 U.S.C. 1515(b); 19 CFR 174.22(d)"
		}
	}
	if on == 0 || decided < on {
		return 0, "", false
	}
	return on, basis, true
}

// finalDecisionDate is the day the case's decision became CBP's: the day of its approval where one was required,
// else the day it was recorded. ok is false for a case without a final decision.
func finalDecisionDate(c *Case) (Date, bool) {
	d := c.Decision
	if d == nil || c.Status != StatusDecided {
		return 0, false
	}
	if d.Approval {
		if d.Approved.IsZero() {
			return 0, false
		}
		return DateOf(d.Approved), true
	}
	return d.On, true
}

// deniedOutcome reports whether d denies a protest in whole or in part.
func deniedOutcome(d *Decision) bool {
	if d == nil {
		return false
	}
	switch d.Outcome {
	case OutcomeDenied, OutcomeDeniedInPart, OutcomeAFRDenied:
		return true
	}
	return false
}
