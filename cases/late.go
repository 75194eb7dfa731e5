package cases

import (
	"fmt"
	"strings"
)

// Acting after a deadline (domain.md): a PEA or PSC cannot be acted on after liquidation; a protest already
// deemed denied can no longer be decided as if it were not; a prior disclosure validated with a tender short of
// the loss names the shortfall. The Center may still record such a decision, but only once the reviewer has
// acknowledged what the law makes of it, and the acknowledgement is recorded with the decision (Decision.LateAck).
//
// The day of liquidation comes from the clock rules (entryLiquidation in clock.go) and so does the validity of an
// accelerated request (accelValid); deemedDenied states the deemed denial of an open protest in words.

// LateError refuses a decision that comes after a deadline the law does not let the Center undo, until it carries
// the reviewer's acknowledgement of Warning. Given is the acknowledgement the decision carried, when it was not
// of this warning (it was made on another reading of the case). It wraps ErrInvalid.
type LateError struct {
	Warning string
	Given   string
}

func (e *LateError) Error() string {
	if e.Given != "" {
		return ErrInvalid.Error() + ": the acknowledgement given is not of what the law makes of this decision now: " + e.Warning +
			"; look at the case again and acknowledge that"
	}
	return ErrInvalid.Error() + ": " + e.Warning + "; the decision is recorded only with your acknowledgement of this" +
		" (--acknowledge-late on the command line; at the workstation, acknowledge it on the confirmation)"
}

func (e *LateError) Unwrap() error { return ErrInvalid }

// AckLate is the text recorded as Decision.LateAck when name acknowledges warning: the warning itself, and who
// acknowledged it. Decide accepts a late decision only with exactly this text for the warning it finds.
func AckLate(warning, name string) string {
	return warning + " — acknowledged by " + name
}

// LateDecision says what the law makes of deciding d on c today, when that comes after a deadline that no decision
// of the Center can undo: a PSC or PEA after the entry liquidated, a protest already deemed denied, a validated
// prior disclosure whose tender is short of the loss. warning says it for people, with its legal source; late
// reports whether there is anything to say. A decision that is not late has warning "". It reads only c, d and
// today; p is the policy the clocks it shares dates with take.
func LateDecision(c *Case, d Decision, p Policy, today Date) (warning string, late bool) {
	var ws []string
	switch c.Kind {
	case KindPSC, KindPEA:
		if on, how := liquidatedOn(c.Entry, today); on != 0 {
			what := "a post-summary correction"
			if c.Kind == KindPEA {
				what = "a post-entry amendment"
			}
			ws = append(ws, fmt.Sprintf("entry %s %s: %s cannot be acted on after liquidation (19 U.S.C. 1504); "+
				"a decision now changes nothing of the liquidation, and the importer's remedy is a protest within 180 days of it "+
				"(19 U.S.C. 1514(c)(3))", c.Entry.Number, fmt.Sprintf(how, on), what))
		}
	case KindProtest:
		if pr := c.Protest; pr != nil {
			if on, why := deemedDenied(pr); on != 0 && today >= on {
				ws = append(ws, fmt.Sprintf("protest %s was deemed denied on %s, %s: a decision now changes nothing of the "+
					"deemed denial, and the protestant's 180 days to contest it in the Court of International Trade already "+
					"run from that day (28 U.S.C. 2636(a))", pr.Number, on, why))
			}
		}
	case KindDisclosure:
		if w := tenderShortfall(c.Disclosure, d); w != "" {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		return "", false
	}
	return strings.Join(ws, "; and "), true
}

// liquidatedOn is the date c's entry liquidated as of today, and how (a format for that date), or 0 when it has
// not. An entry liquidates on the date recorded (Liquidated) or, unless liquidation is suspended, on its scheduled
// or extended date or by operation of law (19 U.S.C. 1504(a), (b)); liquidation happens on its day, so a decision
// on or after that day is late, as the clocks count it (the last day to act is the day before). An entry whose
// liquidation is suspended by statute or court order (1504(c)) is not liquidated by the passing of a date while
// the suspension lasts.
func liquidatedOn(e EntrySummary, today Date) (Date, string) {
	// The day comes from the clock rules (entryLiquidation): recorded, scheduled or extended, or deemed one year
	// (with extensions up to four) after entry.
	l := entryLiquidation(&e)
	switch {
	case l.on == 0 || today < l.on:
		return 0, ""
	case l.actual:
		return l.on, "liquidated on %s"
	case l.suspended:
		return 0, ""
	case l.deemed:
		return l.on, "was deemed liquidated on %s by operation of law (" + l.basis + ")"
	}
	return l.on, "was scheduled to liquidate on %s, which has come"
}

// deemedDenied is the day a protest is deemed denied by operation of law, and why, or 0 when nothing makes it so.
// That day never rolls to a business day (domain.md, "Counting"); the Center's last chance to decide is the day
// before. The earlier of two applies:
//   - an exclusion protest: the 30th day after filing (19 U.S.C. 1499(c)(5); 19 CFR 174.21(b));
//   - a valid request for accelerated disposition: the 30th day after its mailing (19 U.S.C. 1515(b); 19 CFR
//     174.22(d)). A request is valid only if mailed after 90 days following the filing; an earlier one has no effect.
func deemedDenied(pr *Protest) (Date, string) {
	on, accelerated := deemedDenialDay(pr)
	switch {
	case on == 0:
		return 0, ""
	case accelerated:
		return on, fmt.Sprintf("the 30th day after accelerated disposition was requested by mail on %s (19 U.S.C. 1515(b); 19 CFR 174.22(d))", pr.AccelMailed)
	}
	return on, fmt.Sprintf("the 30th day after the exclusion protest was filed on %s (19 U.S.C. 1499(c)(5); 19 CFR 174.21(b))", pr.Filed)
}

// tenderShortfall says how a validated disclosure's tender falls short of the loss, or "". The loss is the larger
// of the loss disclosed and the loss the decision computes; only a validation states the loss (an outcome that is
// not a validation, the disclosure not perfected or referred to Fines, Penalties and Forfeitures, leaves the loss
// to be computed elsewhere). The importer keeps the benefit of the disclosure (19 U.S.C. 1592(c)(4)) only by
// paying the actual loss within 30 days after CBP notifies its calculation (19 CFR 162.74(c)).
func tenderShortfall(pd *Disclosure, d Decision) string {
	if pd == nil || d.Outcome != OutcomeValidated {
		return ""
	}
	loss, basis := pd.LostRevenue, "the loss disclosed"
	if d.Amount > loss {
		loss, basis = d.Amount, "the loss computed"
	}
	if pd.Tender >= loss {
		return ""
	}
	return fmt.Sprintf("the tender of %s falls short of %s, %s, by %s: the decision names the shortfall, and the "+
		"importer keeps the benefit of the prior disclosure (19 U.S.C. 1592(c)(4)) only by paying it within 30 days after "+
		"CBP notifies its calculation (19 CFR 162.74(c))", pd.Tender, basis, loss, loss-pd.Tender)
}
