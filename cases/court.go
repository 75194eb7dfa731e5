package cases

// The deemed denial a notice of a decided protest states. The court clock itself is CourtDeadline (clock.go); this
// uses the clock rules' own tests of a final decision (final) and of a valid accelerated request (accelValid).
//
// After a protest is denied in whole or in part, the protestant may contest the denial in the Court of
// International Trade within 180 days after the date of mailing of the notice of denial, or within 180 days after
// the date the protest was denied by operation of law (28 U.S.C. 2636(a); 19 CFR 174.31). The 180 days are a
// filing deadline: counted from the day after the trigger, a last day on a Saturday, Sunday or federal holiday
// moves to the next business day. A deemed denial is an event that happens on its day whatever the weekday: it never
// rolls.

// CourtReviewDays is the time to contest a denied protest in the Court of International Trade.
const CourtReviewDays = 180

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
	on, accelerated := deemedDenialDay(pr)
	if on == 0 || decided < on {
		return 0, "", false
	}
	if accelerated {
		return on, "19 U.S.C. 1515(b); 19 CFR 174.22(d)", true
	}
	return on, "19 U.S.C. 1499(c)(5)(B); 19 CFR 174.21(b)", true
}

// deemedDenialDay is the day the law deems a protest denied unless it is decided before: the 30th day after the
// filing of an exclusion protest, or the 30th day after the mailing of a valid request for accelerated disposition
// (accelValid), the earlier of the two; accelerated says the request sets it. 0 when neither applies. The day
// never rolls (domain.md, "Counting").
func deemedDenialDay(pr *Protest) (on Date, accelerated bool) {
	if pr.Filed != 0 && pr.Exclusion() {
		on = pr.Filed.AddDays(30)
	}
	if accelValid(pr) {
		if d := pr.AccelMailed.AddDays(30); on == 0 || d < on {
			on, accelerated = d, true
		}
	}
	return on, accelerated
}

// finalDecisionDate is the day the case's decision became CBP's (final in clock.go): the day of its approval where
// one was required, else the day it was recorded. ok is false for a case without a final decision.
func finalDecisionDate(c *Case) (Date, bool) {
	switch f := final(c); {
	case f == 0:
		return 0, false
	case f < 0: // decided on a day not recorded
		return 0, true
	default:
		return f, true
	}
}

// deniedOutcome reports whether d denies a protest in whole or in part (denied in clock.go).
func deniedOutcome(d *Decision) bool { return d != nil && denied(d.Outcome) }
