package cases

import (
	"fmt"
	"time"
)

// Clock is a date the law or local policy sets, with its basis.
type Clock struct {
	Name   string `json:"name"`   // "Decide protest", "File protest", ...
	Due    Date   `json:"due"`    // after the business-day roll
	Basis  string `json:"basis"`  // "19 CFR 174.21(a)", "local policy"
	Action bool   `json:"action"` // the Center's action deadline (the one the queue orders by)
	Met    bool   `json:"met"`    // already satisfied (e.g. the filing was timely)
}

// Finding is a problem the rules see in a case, such as a filing made after its window.
type Finding struct {
	Text  string `json:"text"`
	Basis string `json:"basis"`
}

// Counting (domain.md): day 1 is the day after the trigger, days are calendar days, and a deadline that falls on
// a Saturday, Sunday or observed federal holiday moves to the next business day. So "N days after T" is
// RollForward(T + N). Two clocks are not rolled, each for its own reason given where it is made: the action
// clock of a PSC or PEA (the scheduled liquidation date itself) and the PEA filing window (already counted in
// working days).
//
// The Center's action clocks are Met once the case is decided on or before the clock; a decided case has no
// open clock, and its DueDate stays the earliest action clock so that its place in a queue does not move.

// Names of the clocks, for people and for tests.
const (
	ClockFileProtest        = "File protest"
	ClockDecideProtest      = "Decide protest"
	ClockDecideExclusion    = "Decide exclusion protest"
	ClockAccelerated        = "Decide before deemed denial (accelerated disposition)"
	ClockFurtherReview      = "Decide application for further review"
	ClockFilePSC            = "File PSC"
	ClockFilePEA            = "File PEA"
	ClockLiquidation        = "Act before liquidation"
	ClockConfirmInWriting   = "Confirm in writing"
	ClockPerfectDisclosure  = "Perfect disclosure"
	ClockValidateDisclosure = "Validate disclosure"
	ClockCompleteValidation = "Complete validation"
)

// clock is a Clock with what Findings needs to explain it.
type clock struct {
	Clock
	ruleFmt string // how Due was counted: "300 days after entry", "%d days after assignment"
	ruleArg Date   // the date ruleFmt names, if any
	ruleN   int    // the number ruleFmt names, if any
	subject string // who acts, for a timeliness clock: "PSC", "oral disclosure"
	verb    string // what they do: "filed", "confirmed in writing"
	done    Date   // when they did it, or zero
	deemed  string // for an action clock whose lapse is a deemed denial: what is deemed denied
}

// Clocks returns every clock of the case: filing timeliness and the Center's action deadline(s). The filing
// clocks come first. A clock whose trigger date is missing is left out.
func Clocks(c *Case, p Policy) []Clock {
	var buf [8]clock
	cs := caseClocks(c, p, buf[:0])
	out := make([]Clock, len(cs))
	for i := range cs {
		out[i] = cs[i].Clock
	}
	return out
}

// DueDate is the Center's action deadline for the case, the earliest open action clock. For a decided case it is
// the earliest action clock; for a case with no action clock (its trigger dates missing) it is the zero Date.
func DueDate(c *Case, p Policy) Date {
	var buf [8]clock
	var open, first Date
	for _, k := range caseClocks(c, p, buf[:0]) {
		if !k.Action {
			continue
		}
		if first == 0 || k.Due < first {
			first = k.Due
		}
		if !k.Met && (open == 0 || k.Due < open) {
			open = k.Due
		}
	}
	if open != 0 && c.Status.Open() {
		return open
	}
	return first
}

// Findings lists timeliness problems (a PSC filed after its window, an untimely protest, an oral disclosure not
// confirmed in writing within 10 days) as of today, then, for an open case, a PSC or PEA whose entry has
// liquidated and every action clock already past (for an exclusion or accelerated protest: deemed denied).
func Findings(c *Case, p Policy, today Date) []Finding {
	var buf [8]clock
	cs := caseClocks(c, p, buf[:0])
	var out []Finding
	for _, k := range cs {
		if k.Action {
			continue
		}
		switch {
		case k.done != 0 && k.done > k.Due:
			out = append(out, Finding{
				Text:  fmt.Sprintf("%s %s %s, after its window closed %s (%s)", k.subject, k.verb, k.done, k.Due, k.rule()),
				Basis: k.Basis,
			})
		case k.done == 0 && today > k.Due:
			out = append(out, Finding{
				Text:  fmt.Sprintf("%s not %s by %s (%s)", k.subject, k.verb, k.Due, k.rule()),
				Basis: k.Basis,
			})
		}
	}
	if !c.Status.Open() {
		return out
	}
	liquidated := false
	if (c.Kind == KindPSC || c.Kind == KindPEA) && c.Entry.Liquidated != 0 && c.Entry.Liquidated <= today {
		liquidated = true
		out = append(out, Finding{
			Text:  fmt.Sprintf("entry liquidated %s; the remedy is a protest", c.Entry.Liquidated),
			Basis: "19 U.S.C. 1514",
		})
	}
	for _, k := range cs {
		if !k.Action || k.Met || today <= k.Due || (liquidated && k.Name == ClockLiquidation) {
			continue
		}
		var text string
		if k.deemed != "" {
			text = fmt.Sprintf("%s deemed denied: not decided by %s (%s)", k.deemed, k.Due, k.rule())
		} else {
			text = fmt.Sprintf("%s: due %s (%s), %s overdue", k.Name, k.Due, k.rule(), days(today.DaysUntil(k.Due)*-1))
		}
		out = append(out, Finding{Text: text, Basis: k.Basis})
	}
	return out
}

// rule says how Due was counted. It is formatted only when a finding needs it, so DueDate allocates nothing.
func (k *clock) rule() string {
	switch {
	case k.ruleArg != 0:
		return fmt.Sprintf(k.ruleFmt, k.ruleArg)
	case k.ruleN != 0:
		return fmt.Sprintf(k.ruleFmt, k.ruleN)
	}
	return k.ruleFmt
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// after is the deadline n calendar days after the trigger, rolled to a business day.
func after(trigger Date, n int) Date { return RollForward(trigger.AddDays(n)) }

// addYears is the same month and day n years later; February 29 becomes February 28 in a common year, the
// earlier of the two possible readings, so the Center never acts a day late.
func addYears(d Date, n int) Date {
	y, m, day := d.YMD()
	if m == time.February && day == 29 && !isLeap(y+n) {
		day = 28
	}
	return NewDate(y+n, m, day)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func metBy(done, due Date) bool { return done != 0 && done <= due }

// caseClocks computes the clocks of c into out (a caller's buffer, so DueDate allocates nothing).
func caseClocks(c *Case, p Policy, out []clock) []clock {
	decided := c.Status == StatusDecided && c.Decision != nil
	action := func(name string, due Date, basis, rule string) clock {
		met := decided && (c.Decision.On == 0 || c.Decision.On <= due)
		return clock{Clock: Clock{Name: name, Due: due, Basis: basis, Action: true, Met: met}, ruleFmt: rule}
	}
	liq := c.Entry.LiquidationDate()
	switch c.Kind {
	case KindProtest:
		pr := c.Protest
		if pr == nil {
			break
		}
		if pr.Protested != 0 {
			due := after(pr.Protested, 180)
			out = append(out, clock{
				Clock:   Clock{Name: ClockFileProtest, Due: due, Basis: "19 U.S.C. 1514(c)(3)", Met: metBy(pr.Filed, due)},
				ruleFmt: "180 days after the protested decision of %s", ruleArg: pr.Protested, subject: "protest",
				verb: "filed", done: pr.Filed,
			})
		}
		if pr.Filed != 0 {
			if pr.Exclusion() {
				k := action(ClockDecideExclusion, after(pr.Filed, 30), "19 CFR 174.21(b)", "30 days after filing")
				k.deemed = "exclusion protest"
				out = append(out, k)
			} else {
				out = append(out, action(ClockDecideProtest, RollForward(addYears(pr.Filed, 2)), "19 CFR 174.21(a)",
					"2 years after filing"))
			}
		}
		if pr.AccelMailed != 0 {
			k := action(ClockAccelerated, after(pr.AccelMailed, 30), "19 U.S.C. 1515(b); 19 CFR 174.22(d)",
				"30 days after accelerated disposition was requested by mail on %s")
			k.ruleArg, k.deemed = pr.AccelMailed, "protest"
			out = append(out, k)
		}
		if pr.FurtherReview {
			start, rule := pr.AFRFiled, "30 days after the application was filed"
			if start == 0 {
				start, rule = pr.Filed, "30 days after the application was filed with the protest"
			}
			if start != 0 {
				out = append(out, action(ClockFurtherReview, after(start, 30), "19 U.S.C. 1515(a); 19 CFR 174.26", rule))
			}
		}

	case KindPSC:
		ps := c.PSC
		if ps == nil {
			break
		}
		var closes, ruleArg Date
		var rule string
		if c.Entry.EntryDate != 0 {
			closes, rule = c.Entry.EntryDate.AddDays(300), "300 days after entry"
		}
		if liq != 0 && (closes == 0 || liq.AddDays(-15) < closes) {
			closes, rule, ruleArg = liq.AddDays(-15), "15 days before scheduled liquidation on %s", liq
		}
		if closes != 0 {
			due := RollForward(closes)
			out = append(out, clock{
				Clock: Clock{Name: ClockFilePSC, Due: due, Basis: "ACE PSC rule: 300 days after entry, 15 days before scheduled liquidation",
					Met: metBy(ps.Filed, due)},
				ruleFmt: rule, ruleArg: ruleArg, subject: "PSC", verb: "filed", done: ps.Filed,
			})
		}
		if liq != 0 {
			// Not rolled: the entry liquidates on the scheduled date whatever day it is, and after that the PSC
			// can no longer be acted on. The Center acts on or before that date.
			out = append(out, action(ClockLiquidation, liq, "19 U.S.C. 1504; a PSC cannot be acted on after liquidation",
				"scheduled liquidation"))
		}

	case KindPEA:
		pe := c.PEA
		if pe == nil || liq == 0 {
			break
		}
		// Already a business day, counted in working days: not rolled again.
		due := AddBusinessDays(liq, -20)
		out = append(out, clock{
			Clock: Clock{Name: ClockFilePEA, Due: due, Basis: "CBP post-entry amendment practice: at least 20 working days before scheduled liquidation",
				Met: metBy(pe.Filed, due)},
			ruleFmt: "20 working days before scheduled liquidation on %s", ruleArg: liq, subject: "PEA", verb: "filed",
			done: pe.Filed,
		})
		out = append(out, action(ClockLiquidation, liq, "19 U.S.C. 1504; a PEA cannot be acted on after liquidation",
			"scheduled liquidation"))

	case KindDisclosure:
		pd := c.Disclosure
		if pd == nil || pd.Disclosed == 0 {
			break
		}
		if pd.Oral {
			due := after(pd.Disclosed, 10)
			out = append(out, clock{
				Clock:   Clock{Name: ClockConfirmInWriting, Due: due, Basis: "19 CFR 162.74(a)(2)", Met: metBy(pd.Confirmed, due)},
				ruleFmt: "10 days after the oral disclosure of %s", ruleArg: pd.Disclosed, subject: "oral disclosure",
				verb: "confirmed in writing", done: pd.Confirmed,
			})
		}
		// An oral disclosure is never complete until written up, so it always has a perfection clock; a written
		// one has it when the record shows information supplied later (its Perfected date).
		if pd.Oral || pd.Perfected != 0 {
			due := after(pd.Disclosed, 30)
			out = append(out, clock{
				Clock:   Clock{Name: ClockPerfectDisclosure, Due: due, Basis: "19 CFR 162.74(b)(4)", Met: metBy(pd.Perfected, due)},
				ruleFmt: "30 days after the disclosure of %s", ruleArg: pd.Disclosed, subject: "disclosure",
				verb: "perfected", done: pd.Perfected,
			})
		}
		n := p.DisclosureReviewDays
		if n <= 0 {
			n = DefaultPolicy().DisclosureReviewDays
		}
		k := action(ClockValidateDisclosure, after(pd.Disclosed, n), "local policy", "%d days after the disclosure")
		k.ruleN = n
		out = append(out, k)

	case KindValidation:
		v := c.Validation
		if v == nil {
			break
		}
		if v.Due != 0 {
			out = append(out, action(ClockCompleteValidation, RollForward(v.Due), "set by the supervisor", "the date set"))
			break
		}
		n := p.ValidationDays
		if n <= 0 {
			n = DefaultPolicy().ValidationDays
		}
		start, rule := c.Assigned, "%d days after assignment"
		if start == 0 {
			start, rule = c.Received, "%d days after receipt (not yet assigned)"
		}
		if start != 0 {
			k := action(ClockCompleteValidation, after(start, n), "local policy", rule)
			k.ruleN = n
			out = append(out, k)
		}
	}
	return out
}
