package cases

import (
	"fmt"
	"time"
)

// DateKind says how the law counts a clock's date, which decides whether it moves off a weekend or holiday.
type DateKind string

const (
	// DateDeadline is a filing or action deadline "within N days": on a Saturday, Sunday or observed federal
	// holiday it moves to the next business day.
	DateDeadline DateKind = "deadline"
	// DateDeemed is an event that happens by operation of law on a fixed day (a deemed denial, a deemed
	// liquidation): it never moves, and the last day to act is the day before it.
	DateDeemed DateKind = "deemed"
	// DateBefore is a limit "no later than N days before X", or an electronic window: it never moves, neither
	// toward X nor off a weekend.
	DateBefore DateKind = "before"
)

// Clock is a date the law or local policy sets, with its basis.
type Clock struct {
	Name string   `json:"name"` // "Decide protest", "File protest", ...
	Kind DateKind `json:"kind"` // how Due was counted
	// Due is the last day to act in time ("act by"), the date the queue orders by: a deadline after its
	// business-day roll, a "before" limit as it falls, the day before a deemed event.
	Due Date `json:"due"`
	// Deemed is, for a DateDeemed clock, the day the event happens by operation of law; Event says what happens
	// ("deemed denied", "deemed liquidated").
	Deemed Date   `json:"deemed,omitempty"`
	Event  string `json:"event,omitempty"`
	Rule   string `json:"rule"`   // how Due was counted: "30th day after filing on 2026-06-04"
	Basis  string `json:"basis"`  // "19 CFR 174.21(a)", "local policy"
	Action bool   `json:"action"` // the Center's clock (the queue orders by the earliest open one)
	Met    bool   `json:"met"`    // satisfied in time by a final act (a filing in its window, an approved decision)
}

// Status is how the clock stands today: "met", "open" or "passed".
func (k Clock) Status(today Date) string {
	switch {
	case k.Met:
		return "met"
	case today > k.Due:
		return "passed"
	}
	return "open"
}

// Finding is a problem the rules see in a case, such as a filing made after its window.
type Finding struct {
	Text  string `json:"text"`
	Basis string `json:"basis"`
}

// Counting (domain.md): day 1 is the day after the trigger and days are calendar days. Three kinds of date are
// counted three ways (DateKind): a deadline "N days after T" is RollForward(T + N); a deemed event on the Nth day
// is T + N whatever the weekday, and the Center acts by the day before; a limit "N days before X" is X − N and
// moves for no weekend, and nor does an electronic window.
//
// A clock is met only by a final act: a decision waiting for approval meets nothing, and a decision that needed
// approval is made on the day it was approved. A decided case has no open clock, and its DueDate stays its
// earliest action clock so that its place in a queue does not move. Clocks run from the event the law names;
// a policy clock from the case's first assignment, which a reassignment never moves.

// Names of the clocks, for people and for tests.
const (
	ClockFileProtest        = "File protest"
	ClockDecideProtest      = "Decide protest"
	ClockDecideExclusion    = "Decide exclusion protest"
	ClockAccelerated        = "Decide before deemed denial (accelerated disposition)"
	ClockFileAFR            = "File application for further review"
	ClockFurtherReview      = "Decide application for further review"
	ClockSetAside           = "Request to set aside the denial of further review"
	ClockCourt              = "Contest in the Court of International Trade"
	ClockFilePSC            = "File PSC"
	ClockFilePEA            = "File PEA"
	ClockLiquidation        = "Act before liquidation"
	ClockConfirmInWriting   = "Confirm in writing"
	ClockPerfectDisclosure  = "Perfect disclosure"
	ClockPayLoss            = "Pay the actual loss of revenue"
	ClockValidateDisclosure = "Validate disclosure"
	ClockCompleteValidation = "Complete validation"
	ClockInfoRequest        = "Answer request for information (CBP Form 28)"
	ClockNoticeReply        = "Reply to proposed action (CBP Form 29)"
)

// clock is a Clock with what Findings needs to explain it.
type clock struct {
	Clock
	ruleFmt    string // how Due was counted; its verbs take ruleN, then ruleA, then ruleB, those that are set
	ruleN      int
	ruleA      Date
	ruleB      Date
	subject    string // who acts, for a timeliness clock: "PSC", "oral disclosure"
	verb       string // what they do: "filed", "confirmed in writing"
	done       Date   // when they did it, or zero
	closed     bool   // an action clock no longer open although not met: done late
	optional   bool   // the party may let it pass: not acting is no finding
	waived     bool   // excused (a written confirmation waived for good cause)
	request    bool   // a CF-28 or CF-29 clock: no legal clock, so not a decided case's place in the queue
	payment    bool   // the payment of a disclosure's loss: met by the tender, whose date is not recorded
	liquidated bool   // the liquidation clock's date is a liquidation recorded or by operation of law
}

// Clocks returns every clock of the case: filing timeliness, the Center's action deadlines, what follows a
// decision (set-aside, court review), then requests and notices the Center sent. A clock whose trigger date is
// missing is left out.
func Clocks(c *Case, p Policy) []Clock {
	var buf [12]clock
	cs := allClocks(c, p, buf[:0])
	out := make([]Clock, len(cs))
	for i := range cs {
		out[i] = cs[i].Clock
		out[i].Rule = cs[i].rule()
	}
	return out
}

// DueDate is the Center's action deadline for the case, the earliest last day to act of its open action clocks
// and unanswered requests for information. For a decided case it is the earliest action clock; for a case with
// no action clock (its trigger dates missing) it is the zero Date. It allocates nothing.
func DueDate(c *Case, p Policy) Date {
	var s clockSet
	caseClocks(c, p, &s)
	open, first := s.open, s.first
	if !c.Status.Open() {
		return first
	}
	for i := range c.Requests {
		if r := &c.Requests[i]; r.Answered == 0 && r.Due != 0 && (open == 0 || r.Due < open) {
			open = r.Due
		}
	}
	if open != 0 {
		return open
	}
	return first
}

// Findings lists, as of today, timeliness problems (a PSC filed after its window, an untimely protest or
// application for further review, an oral disclosure not confirmed in writing within 10 days, a premature
// request for accelerated disposition, a short tender), liquidation problems (an entry liquidated or deemed
// liquidated under an open PSC or PEA, a scheduled liquidation past the one-year limit), then every action clock
// already past: for an open case, overdue or deemed; for a decided one, met too late.
func Findings(c *Case, p Policy, today Date) []Finding {
	var buf [12]clock
	cs := allClocks(c, p, buf[:0])
	var out []Finding
	add := func(basis, format string, a ...any) {
		out = append(out, Finding{Text: fmt.Sprintf(format, a...), Basis: basis})
	}
	open := c.Status.Open()
	for i := range cs {
		k := &cs[i]
		switch {
		case k.subject == "" || k.waived || k.request && !open:
		case k.payment:
			if !k.Met && today > k.Due {
				add(k.Basis, "%s not paid by %s (%s): the tender %s is %s short of the loss computed %s",
					k.subject, k.Due, k.rule(), c.Disclosure.Tender, Shortfall(c), DisclosureLoss(c))
			}
		case k.done != 0 && k.done > k.Due:
			add(k.Basis, "%s %s %s, after its window closed %s (%s)", k.subject, k.verb, k.done, k.Due, k.rule())
		case k.done == 0 && !k.Action && !k.optional && today > k.Due:
			add(k.Basis, "%s not %s by %s (%s)%s", k.subject, k.verb, k.Due, k.rule(), k.lapse())
		}
	}
	if pr := c.Protest; c.Kind == KindProtest && pr != nil && pr.AccelMailed != 0 && pr.Filed != 0 && !accelValid(pr) {
		add("19 U.S.C. 1515(b); 19 CFR 174.22(a)",
			"accelerated disposition requested by mail %s, not after 90 days following the filing of %s (the earliest day is %s): the request has no effect and moves no clock",
			pr.AccelMailed, pr.Filed, pr.Filed.AddDays(91))
	}
	if pd := c.Disclosure; c.Kind == KindDisclosure && pd != nil && Shortfall(c) > 0 {
		if k, ok := findClockIn(cs, ClockPayLoss); !ok || today <= k.Due {
			add("19 U.S.C. 1592(c)(4); 19 CFR 162.74(c)", "tender %s is %s short of the loss computed %s",
				pd.Tender, Shortfall(c), DisclosureLoss(c))
		}
	}
	if pr := c.Protest; c.Kind == KindProtest && pr != nil && final(c) != 0 && denied(c.Decision.Outcome) && pr.DenialMailed == 0 {
		if _, ok := findClockIn(cs, ClockCourt); !ok {
			add("28 U.S.C. 2636(a); 19 CFR 174.31",
				"the mailing date of the notice of denial is not recorded: the 180 days to contest the denial in the Court of International Trade run from it")
		}
	}
	out = liquidationFindings(c, open, today, out)
	for i := range cs {
		k := &cs[i]
		if !k.Action || k.Met || k.request && !open {
			continue
		}
		if !open {
			if k.closed || k.request {
				continue
			}
			if k.Kind == DateDeemed {
				add(k.Basis, "%s %s on %s (%s): the decision %s came after it and changes nothing",
					k.what(), k.Event, k.Deemed, k.rule(), decisionWhen(c))
			} else {
				add(k.Basis, "%s: the decision %s came after its last day to act, %s (%s)", k.Name, decisionWhen(c), k.Due, k.rule())
			}
			continue
		}
		if k.closed || today <= k.Due {
			continue
		}
		switch {
		case k.Name == ClockLiquidation && k.liquidated:
			// liquidationFindings said it.
		case k.Kind == DateDeemed:
			text := fmt.Sprintf("%s %s on %s: not decided by %s (%s)", k.what(), k.Event, k.Deemed, k.Due, k.rule())
			if c.Kind == KindProtest {
				text += fmt.Sprintf("; the protestant may contest it in the Court of International Trade by %s (28 U.S.C. 2636(a))",
					after(k.Deemed, 180))
			}
			add(k.Basis, "%s", text)
		default:
			add(k.Basis, "%s: due %s (%s), %s overdue%s", k.Name, k.Due, k.rule(), days(today.DaysUntil(k.Due)*-1), k.lapse())
		}
	}
	return out
}

// liquidationFindings adds what the entry's liquidation makes of an open case.
func liquidationFindings(c *Case, open bool, today Date, out []Finding) []Finding {
	if !open {
		return out
	}
	e := &c.Entry
	liq := entryLiquidation(e)
	if (c.Kind == KindPSC || c.Kind == KindPEA) && liq.on != 0 && today >= liq.on {
		switch {
		case liq.actual:
			out = append(out, Finding{Text: fmt.Sprintf("entry liquidated %s; the remedy is a protest", liq.on), Basis: "19 U.S.C. 1514"})
		case liq.deemed:
			out = append(out, Finding{Text: fmt.Sprintf("entry deemed liquidated on %s (%s); a %s can no longer be acted on and the remedy is a protest",
				liq.on, liq.rule(), c.Kind.Short()), Basis: liq.basis + "; 19 U.S.C. 1514"})
		}
	}
	if e.Liquidated != 0 || e.EntryDate == 0 || liq.suspended {
		return out
	}
	year := addYears(e.EntryDate, 1)
	switch {
	case liq.extensions == 0 && e.Unsuspended == 0 && e.Liquidates > year:
		out = append(out, Finding{
			Text: fmt.Sprintf("scheduled liquidation %s is more than a year after the entry of %s with no extension on record: the entry is deemed liquidated on %s",
				e.Liquidates, e.EntryDate, year),
			Basis: "19 U.S.C. 1504(a)",
		})
	case len(e.Extensions) > 3:
		out = append(out, Finding{
			Text:  fmt.Sprintf("%d extensions of liquidation on record; the law allows three, four years from entry in all (deemed liquidated on %s)", len(e.Extensions), liq.limit),
			Basis: "19 U.S.C. 1504(b); 19 CFR 159.12",
		})
	case e.Unsuspended == 0 && e.Extended > addYears(e.EntryDate, 4):
		out = append(out, Finding{
			Text:  fmt.Sprintf("liquidation extended to %s, more than four years after the entry of %s: the entry is deemed liquidated on %s", e.Extended, e.EntryDate, liq.limit),
			Basis: "19 U.S.C. 1504(b); 19 CFR 159.12",
		})
	}
	return out
}

// what is what a deemed event befalls, for a finding.
func (k *clock) what() string {
	switch k.Name {
	case ClockDecideExclusion:
		return "exclusion protest"
	case ClockLiquidation:
		return "entry"
	}
	return "protest"
}

// lapse is what the passing of a request's or notice's date means, for a finding.
func (k *clock) lapse() string {
	switch k.Name {
	case ClockInfoRequest:
		return ": unanswered, the Center may act on what it has"
	case ClockNoticeReply:
		return ": CBP may act"
	}
	return ""
}

func findClockIn(cs []clock, name string) (*clock, bool) {
	for i := range cs {
		if cs[i].Name == name {
			return &cs[i], true
		}
	}
	return nil, false
}

// rule says how Due was counted. It is formatted only when a Clock or a finding needs it, so DueDate allocates
// nothing.
func (k *clock) rule() string {
	var a [3]any
	args := a[:0]
	if k.ruleN != 0 {
		args = append(args, k.ruleN)
	}
	if k.ruleA != 0 {
		args = append(args, k.ruleA)
	}
	if k.ruleB != 0 {
		args = append(args, k.ruleB)
	}
	if len(args) == 0 {
		return k.ruleFmt
	}
	return fmt.Sprintf(k.ruleFmt, args...)
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

// addMonths is the same day n months later, or the last day of a shorter month (the earlier reading).
func addMonths(d Date, n int) Date {
	y, m, day := d.YMD()
	first := NewDate(y, m+time.Month(n), 1)
	fy, fm, _ := first.YMD()
	if last := NewDate(fy, fm+1, 1) - 1; first+Date(day-1) > last {
		return last
	}
	return first + Date(day-1)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func metBy(done, due Date) bool { return done != 0 && done <= due }

// final is the date of the case's final decision: the day it was approved when it needed approval, otherwise the
// day it was made; zero while the case is undecided (a decision waiting for approval is not yet CBP's). A decided
// case with no date recorded gives Date(-1): decided, on a day unknown, which meets every clock as the store's
// older records always have.
func final(c *Case) Date {
	if c.Status != StatusDecided || c.Decision == nil {
		return 0
	}
	d := c.Decision
	if d.Approval && !d.Approved.IsZero() {
		return DateOf(d.Approved)
	}
	if d.On == 0 {
		return -1
	}
	return d.On
}

// decisionWhen says when the final decision was made, for a finding: "2026-07-01" or "of 2026-07-01, approved
// 2026-07-06".
func decisionWhen(c *Case) string {
	d := c.Decision
	if d == nil {
		return ""
	}
	if d.Approval && !d.Approved.IsZero() && DateOf(d.Approved) != d.On {
		return fmt.Sprintf("of %s, approved %s", d.On, DateOf(d.Approved))
	}
	return "of " + d.On.String()
}

// denied reports whether an outcome denies a protest in whole or in part, which opens court review.
func denied(o Outcome) bool {
	return o == OutcomeDenied || o == OutcomeDeniedInPart || o == OutcomeAFRDenied
}

// accelValid reports whether a request for accelerated disposition was mailed after 90 days following the
// filing of the protest (19 U.S.C. 1515(b)): an earlier one has no effect.
func accelValid(pr *Protest) bool {
	return pr.AccelMailed != 0 && pr.Filed != 0 && pr.AccelMailed > pr.Filed.AddDays(90)
}

// liquidation is when an entry liquidates, or liquidated, and why.
type liquidation struct {
	on         Date   // the day the entry liquidates: the earliest of the recorded, scheduled and deemed dates
	actual     bool   // on is the recorded liquidation
	deemed     bool   // on is a liquidation by operation of law
	scheduled  Date   // the scheduled, or extended, liquidation date
	limit      Date   // the day the entry is deemed liquidated; zero while suspended or without an entry date
	extensions int    // extensions on record
	suspended  bool   // liquidation suspended by statute or court order, and not yet unsuspended
	basis      string // of limit
	ruleFmt    string // how limit was counted, with ruleArg
	ruleArg    Date
}

func (l *liquidation) rule() string { return fmt.Sprintf(l.ruleFmt, l.ruleArg) }

// entryLiquidation works out when e liquidates. An entry is deemed liquidated one year after entry unless
// liquidation was extended (each extension one year, three at most: four years in all; 19 U.S.C. 1504(b)) or
// suspended (never while suspended, 1504(a); six months after the suspension ends, 1504(d)).
func entryLiquidation(e *EntrySummary) liquidation {
	l := liquidation{scheduled: e.LiquidationDate(), extensions: len(e.Extensions)}
	if e.EntryDate != 0 {
		l.suspended = e.Suspended != 0 && (e.Unsuspended == 0 || e.Unsuspended < e.Suspended)
		switch {
		case l.suspended:
		case e.Unsuspended != 0:
			l.limit, l.basis = addMonths(e.Unsuspended, 6), "19 U.S.C. 1504(d)"
			l.ruleFmt, l.ruleArg = "six months after the suspension of liquidation ended on %s", e.Unsuspended
		default:
			n := l.extensions
			if n == 0 && e.Extended != 0 {
				// An extended date with no notices listed (records from before notices were kept): as many
				// extensions as the extended date needs.
				for n = 1; n < 3 && addYears(e.EntryDate, 1+n) < e.Extended; n++ {
				}
			}
			n = min(n, 3)
			l.limit = addYears(e.EntryDate, 1+n)
			l.basis, l.ruleFmt, l.ruleArg = "19 U.S.C. 1504(a)", "one year after the entry of %s, no extension on record", e.EntryDate
			if n > 0 {
				l.basis = "19 U.S.C. 1504(a), (b); 19 CFR 159.12"
				l.ruleFmt = [...]string{1: "two years after the entry of %s, extended once", 2: "three years after the entry of %s, extended twice",
					3: "four years after the entry of %s, extended three times"}[n]
			}
		}
	}
	for _, d := range [...]Date{e.Liquidated, l.scheduled, l.limit} {
		if d != 0 && (l.on == 0 || d < l.on) {
			l.on = d
		}
	}
	l.actual = l.on != 0 && l.on == e.Liquidated
	l.deemed = !l.actual && l.on != 0 && l.on == l.limit && l.on != l.scheduled
	return l
}

// clockSet collects what caseClocks computes: every clock (keep, into cs, a caller's buffer), or only the two
// dates DueDate needs, so that DueDate neither allocates nor clears a buffer.
type clockSet struct {
	keep        bool
	cs          []clock
	first, open Date // the earliest action clock, and the earliest open one
}

func (s *clockSet) add(k *clock) {
	if k.Action {
		if s.first == 0 || k.Due < s.first {
			s.first = k.Due
		}
		if !k.Met && !k.closed && (s.open == 0 || k.Due < s.open) {
			s.open = k.Due
		}
	}
	if s.keep {
		s.cs = append(s.cs, *k)
	}
}

// allClocks computes every clock of c, requests and notices last, into buf.
func allClocks(c *Case, p Policy, buf []clock) []clock {
	s := clockSet{keep: true, cs: buf}
	caseClocks(c, p, &s)
	noticeClocks(c, &s)
	return s.cs
}

// caseClocks computes the clocks of c into s. Requests and notices are left to noticeClocks.
func caseClocks(c *Case, p Policy, s *clockSet) {
	fin := final(c)
	// action is an action clock met by the final decision on or before its last day.
	action := func(name string, kind DateKind, due Date, basis, rule string) clock {
		return clock{Clock: Clock{Name: name, Kind: kind, Due: due, Basis: basis, Action: true, Met: fin != 0 && fin <= due},
			ruleFmt: rule}
	}
	deemed := func(name string, on Date, event, basis, rule string) clock {
		k := action(name, DateDeemed, on-1, basis, rule)
		k.Deemed, k.Event = on, event
		return k
	}
	switch c.Kind {
	case KindProtest:
		pr := c.Protest
		if pr == nil {
			break
		}
		var protestDue Date
		if pr.Protested != 0 {
			protestDue = after(pr.Protested, 180)
			s.add(&clock{
				Clock:   Clock{Name: ClockFileProtest, Kind: DateDeadline, Due: protestDue, Basis: "19 U.S.C. 1514(c)(3)", Met: metBy(pr.Filed, protestDue)},
				ruleFmt: "180 days after the protested decision of %s", ruleA: pr.Protested, subject: "protest",
				verb: "filed", done: pr.Filed,
			})
		}
		var deemedOn Date // the earliest deemed denial the final decision did not come before
		if pr.Filed != 0 {
			if pr.Exclusion() {
				k := deemed(ClockDecideExclusion, pr.Filed.AddDays(30), "deemed denied",
					"19 U.S.C. 1499(c)(5); 19 CFR 174.21(b)", "30th day after the filing of %s")
				k.ruleA = pr.Filed
				s.add(&k)
				if !k.Met {
					deemedOn = k.Deemed
				}
			} else {
				start, rule, basis := pr.Filed, "2 years after the filing of %s", "19 CFR 174.21(a)"
				if pr.LastFiled > pr.Filed {
					start, rule, basis = pr.LastFiled, "2 years after the last consolidated protest was filed on %s", "19 CFR 174.21(a), 174.15"
				}
				k := action(ClockDecideProtest, DateDeadline, RollForward(addYears(start, 2)), basis, rule)
				k.ruleA = start
				s.add(&k)
			}
		}
		if accelValid(pr) {
			k := deemed(ClockAccelerated, pr.AccelMailed.AddDays(30), "deemed denied",
				"19 U.S.C. 1515(b); 19 CFR 174.22(d)", "30th day after accelerated disposition was requested by mail on %s")
			k.ruleA = pr.AccelMailed
			s.add(&k)
			if !k.Met && (deemedOn == 0 || k.Deemed < deemedOn) {
				deemedOn = k.Deemed
			}
		}
		if pr.FurtherReview {
			if pr.AFRFiled != 0 && protestDue != 0 {
				s.add(&clock{
					Clock: Clock{Name: ClockFileAFR, Kind: DateDeadline, Due: protestDue, Basis: "19 U.S.C. 1515(a); 19 CFR 174.25",
						Met: metBy(pr.AFRFiled, protestDue)},
					ruleFmt: "the time allowed for the protest: 180 days after the protested decision of %s", ruleA: pr.Protested,
					subject: "application for further review", verb: "filed", done: pr.AFRFiled,
				})
			}
			start, rule := pr.AFRFiled, "30 days after the application was filed on %s"
			if start == 0 {
				start, rule = pr.Filed, "30 days after the application was filed with the protest on %s"
			}
			if start != 0 {
				k := action(ClockFurtherReview, DateDeadline, after(start, 30), "19 U.S.C. 1515(a); 19 CFR 174.26", rule)
				k.ruleA, k.subject, k.verb, k.done = start, "application for further review", "allowed or denied", pr.AFRDecided
				k.Met = k.Met || metBy(pr.AFRDecided, k.Due)
				k.closed = pr.AFRDecided != 0
				s.add(&k)
			}
			if pr.AFRDenied && pr.AFRDecided != 0 {
				due := after(pr.AFRDecided, 60)
				s.add(&clock{
					Clock:   Clock{Name: ClockSetAside, Kind: DateDeadline, Due: due, Basis: "19 U.S.C. 1515(c)", Met: metBy(pr.SetAsideFiled, due)},
					ruleFmt: "60 days after the notice of denial of %s", ruleA: pr.AFRDecided,
					subject: "request to set aside the denial of further review", verb: "filed", done: pr.SetAsideFiled, optional: true,
				})
			}
		}
		if fin != 0 {
			// Court review runs from the mailing of the notice of denial, or from a deemed denial, the earlier.
			from, rule := deemedOn, "180 days after the protest was deemed denied on %s"
			if denied(c.Decision.Outcome) && pr.DenialMailed != 0 && (from == 0 || pr.DenialMailed < from) {
				from, rule = pr.DenialMailed, "180 days after the notice of denial was mailed on %s"
			}
			if from != 0 {
				s.add(&clock{
					Clock:   Clock{Name: ClockCourt, Kind: DateDeadline, Due: after(from, 180), Basis: "28 U.S.C. 2636(a); 19 CFR 174.31"},
					ruleFmt: rule, ruleA: from, subject: "summons", verb: "filed", optional: true,
				})
			}
		}

	case KindPSC, KindPEA:
		if c.Kind == KindPSC && c.PSC == nil || c.Kind == KindPEA && c.PEA == nil {
			break
		}
		liq := entryLiquidation(&c.Entry)
		// The limits count back from the day the entry is to liquidate, scheduled or by law; a liquidation CBP
		// recorded early does not shorten a window the importer had.
		// which names x in the rules (constant strings, so DueDate allocates nothing).
		const scheduled, extendedTo, deemedOn = 0, 1, 2
		x, which := liq.scheduled, scheduled
		if c.Entry.Extended != 0 {
			which = extendedTo
		}
		if liq.limit != 0 && (x == 0 || liq.limit < x) {
			x, which = liq.limit, deemedOn
		}
		if c.Kind == KindPSC {
			ps := c.PSC
			extended := c.Entry.Extended != 0 || liq.extensions > 0
			var closes, arg Date
			var rule string
			if c.Entry.EntryDate != 0 && !extended {
				closes, rule, arg = c.Entry.EntryDate.AddDays(300), "300 days after the entry of %s", c.Entry.EntryDate
			}
			if x != 0 && (closes == 0 || x.AddDays(-15) < closes) {
				closes, rule, arg = x.AddDays(-15), [...]string{"15 days before the scheduled liquidation on %s",
					"15 days before the extended liquidation on %s", "15 days before the deemed liquidation on %s"}[which], x
			}
			if closes != 0 {
				// Electronic: ACE takes a PSC every day, so the window never rolls.
				s.add(&clock{
					Clock: Clock{Name: ClockFilePSC, Kind: DateBefore, Due: closes, Met: metBy(ps.Filed, closes),
						Basis: "ACE PSC rule: 300 days after entry, 15 days before scheduled liquidation; extended liquidation: 15 days before it (CBP notice, 14 Aug 2019)"},
					ruleFmt: rule, ruleA: arg, subject: "PSC", verb: "filed", done: ps.Filed,
				})
			}
		} else if x != 0 {
			pe := c.PEA
			// Counted in working days, so already a business day: never moved toward liquidation.
			due := AddBusinessDays(x, -20)
			s.add(&clock{
				Clock: Clock{Name: ClockFilePEA, Kind: DateBefore, Due: due, Met: metBy(pe.Filed, due),
					Basis: "CBP post-entry amendment practice: at least 20 working days before scheduled liquidation"},
				ruleFmt: [...]string{"20 working days before the scheduled liquidation on %s",
					"20 working days before the extended liquidation on %s", "20 working days before the deemed liquidation on %s"}[which], ruleA: x, subject: "PEA", verb: "filed", done: pe.Filed,
			})
		}
		if liq.on != 0 {
			// After liquidation the PSC or PEA can no longer be acted on: the Center acts by the day before.
			basis := "19 U.S.C. 1504; a PSC cannot be acted on after liquidation"
			if c.Kind == KindPEA {
				basis = "19 U.S.C. 1504; a PEA cannot be acted on after liquidation"
			}
			var k clock
			switch {
			case liq.deemed:
				k = deemed(ClockLiquidation, liq.on, "deemed liquidated", liq.basis, liq.ruleFmt)
				k.ruleA = liq.ruleArg
			case liq.actual:
				k = action(ClockLiquidation, DateBefore, liq.on-1, basis, "before the liquidation of %s")
				k.ruleA = liq.on
			default:
				k = action(ClockLiquidation, DateBefore, liq.on-1, basis, [...]string{"before the scheduled liquidation on %s", "before the extended liquidation on %s",
					"before the deemed liquidation on %s"}[which])
				k.ruleA = liq.on
			}
			k.liquidated = liq.actual || liq.deemed
			s.add(&k)
		}

	case KindDisclosure:
		pd := c.Disclosure
		if pd == nil || pd.Disclosed == 0 {
			break
		}
		if pd.Oral {
			due := after(pd.Disclosed, 10)
			k := clock{
				Clock: Clock{Name: ClockConfirmInWriting, Kind: DateDeadline, Due: due, Basis: "19 CFR 162.74(a)(2)",
					Met: metBy(pd.Confirmed, due) || pd.ConfirmWaived != 0},
				ruleFmt: "10 days after the oral disclosure of %s", ruleA: pd.Disclosed, subject: "oral disclosure",
				verb: "confirmed in writing", done: pd.Confirmed,
			}
			if pd.ConfirmWaived != 0 {
				k.waived, k.ruleFmt, k.ruleB = true, "10 days after the oral disclosure of %s; waived for good cause on %s", pd.ConfirmWaived
			}
			s.add(&k)
		}
		// Any disclosure missing information has 30 days to perfect it: an oral one always (it is never complete
		// until written up), a written one when the record shows information supplied later or an extension.
		if pd.Oral || pd.Perfected != 0 || pd.PerfectionExtended != 0 {
			due := after(pd.Disclosed, 30)
			k := clock{
				Clock:   Clock{Name: ClockPerfectDisclosure, Kind: DateDeadline, Basis: "19 CFR 162.74(b)(4)"},
				ruleFmt: "30 days after the disclosure of %s", ruleA: pd.Disclosed, subject: "disclosure",
				verb: "perfected", done: pd.Perfected,
			}
			if ext := RollForward(pd.PerfectionExtended); pd.PerfectionExtended != 0 && ext > due {
				due, k.ruleFmt, k.ruleA, k.ruleB = ext, "extended to %s (30 days after the disclosure of %s)", pd.PerfectionExtended, pd.Disclosed
			}
			k.Due, k.Met = due, metBy(pd.Perfected, due)
			s.add(&k)
		}
		if pd.Calculated != 0 {
			due := after(pd.Calculated, 30)
			s.add(&clock{
				Clock:   Clock{Name: ClockPayLoss, Kind: DateDeadline, Due: due, Basis: "19 CFR 162.74(c)", Met: Shortfall(c) == 0},
				ruleFmt: "30 days after CBP notified its calculation on %s", ruleA: pd.Calculated,
				subject: "actual loss of revenue", verb: "paid", payment: true,
			})
		}
		n := p.DisclosureReviewDays
		if n <= 0 {
			n = DefaultPolicy().DisclosureReviewDays
		}
		k := action(ClockValidateDisclosure, DateDeadline, after(pd.Disclosed, n), "local policy", "%d days after the disclosure of %s")
		k.ruleN, k.ruleA = n, pd.Disclosed
		s.add(&k)

	case KindValidation:
		v := c.Validation
		if v == nil {
			break
		}
		if v.Due != 0 {
			k := action(ClockCompleteValidation, DateDeadline, RollForward(v.Due), "set by the supervisor", "the date set, %s")
			k.ruleA = v.Due
			s.add(&k)
			break
		}
		n := p.ValidationDays
		if n <= 0 {
			n = DefaultPolicy().ValidationDays
		}
		// From the first assignment to the Center team: a reassignment keeps the clock. Records from before
		// FirstAssigned was kept count from their assignment; a case never assigned from its receipt.
		start, rule := c.FirstAssigned, "%d days after the first assignment on %s"
		if start == 0 {
			start, rule = c.Assigned, "%d days after assignment on %s"
		}
		if start == 0 {
			start, rule = c.Received, "%d days after receipt on %s (not yet assigned)"
		}
		if start != 0 {
			k := action(ClockCompleteValidation, DateDeadline, after(start, n), "local policy", rule)
			k.ruleN, k.ruleA = n, start
			s.add(&k)
		}
	}
}

// noticeClocks appends the clocks of the requests and notices the Center sent: a CF-28 request's answer date
// (the Center acts on it once it passes unanswered; an answer closes it) and a proposed CF-29 action's 20 days to
// reply (after which CBP may act).
func noticeClocks(c *Case, s *clockSet) {
	open := c.Status.Open()
	for i := range c.Requests {
		r := &c.Requests[i]
		if r.Due == 0 {
			continue
		}
		k := clock{
			Clock: Clock{Name: ClockInfoRequest, Kind: DateDeadline, Due: r.Due, Action: true,
				Basis: "CBP Form 28 (19 CFR 151.11); local policy: the answer in 30 days", Met: metBy(r.Answered, r.Due)},
			ruleFmt: "the answer date set by the request of %s", ruleA: DateOf(r.At), subject: "request for information",
			verb: "answered", done: r.Answered, closed: r.Answered != 0 || !open, request: true,
		}
		if r.At.IsZero() {
			k.ruleFmt = "the answer date set by the request"
		}
		s.add(&k)
	}
	for i := range c.Notices {
		n := &c.Notices[i]
		if !n.Proposed || n.Sent == 0 {
			continue
		}
		due, rule := n.ReplyDue, "the reply date set by the notice of %s"
		if due == 0 {
			due, rule = after(n.Sent, 20), "20 days after the notice of %s"
		}
		s.add(&clock{
			Clock:   Clock{Name: ClockNoticeReply, Kind: DateDeadline, Due: due, Basis: "CBP Form 29: 20 days to reply to a proposed action", Met: metBy(n.Replied, due)},
			ruleFmt: rule, ruleA: n.Sent, subject: "reply to the proposed action", verb: "received", done: n.Replied,
			request: true,
		})
	}
}

// CourtDeadline is the last day to contest a decided protest's denial in the Court of International Trade (28
// U.S.C. 2636(a); 19 CFR 174.31): 180 days after the mailing of the notice of denial, or after the day the protest
// was deemed denied (an exclusion protest on the 30th day after filing, a protest on the 30th day after a valid
// request for accelerated disposition, when the final decision did not come before it), whichever is earlier;
// the 180 days are a filing deadline and roll. ok is false for a protest not finally decided, one neither
// denied nor deemed denied, and a denial whose mailing date is not recorded. (For an open protest already deemed
// denied, Findings gives the date.)
func CourtDeadline(c *Case) (Date, bool) {
	if c.Kind != KindProtest || c.Protest == nil || final(c) == 0 {
		return 0, false
	}
	var buf [12]clock
	if k, ok := findClockIn(allClocks(c, Policy{}, buf[:0]), ClockCourt); ok {
		return k.Due, true
	}
	return 0, false
}
