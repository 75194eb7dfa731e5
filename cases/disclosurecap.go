package cases

// The figures the validation of a prior disclosure names (19 U.S.C. 1592(c)(4); 19 CFR 162.74). This file stands in
// for the clock rules' own version until the two are reconciled: a notice takes these figures from here and never
// computes them itself.

// DisclosureLoss is the actual loss of revenue of a prior disclosure: the loss the validation computed (the amount
// of a validated decision), or, until a validation has computed one, the loss the importer disclosed.
func DisclosureLoss(c *Case) Cents {
	if c.Disclosure == nil {
		return 0
	}
	if d := c.Decision; d != nil && d.Outcome == OutcomeValidated && d.Amount != 0 {
		return d.Amount
	}
	return c.Disclosure.LostRevenue
}

// Shortfall is how much less than the loss of revenue (DisclosureLoss) the importer tendered; 0 when the tender
// covers it. A validation names a shortfall, which is due within 30 days after CBP notifies its calculation (19 CFR
// 162.74(c)).
func Shortfall(c *Case) Cents {
	if c.Disclosure == nil {
		return 0
	}
	if s := DisclosureLoss(c) - c.Disclosure.Tender; s > 0 {
		return s
	}
	return 0
}

// DisclosureCap is the most the penalty may be for a violation disclosed before an investigation (19 U.S.C.
// 1592(c)(4)): for fraud, 100% of the lost duties, taxes and fees (DisclosureLoss); for negligence or gross
// negligence, the interest on them under 19 U.S.C. 1505(c) from InterestFrom. ok is false when no culpability has
// been found, and for negligence or gross negligence, whose interest needs the quarterly rates of 26 U.S.C. 6621
// that ceedesk does not hold yet: the cap is then stated, not given as an amount.
func DisclosureCap(c *Case) (Cents, bool) {
	if c.Disclosure == nil {
		return 0, false
	}
	switch c.Disclosure.Culpability {
	case CulpabilityFraud:
		return DisclosureLoss(c), true
	}
	return 0, false
}

// InterestFrom is the date interest on a disclosed loss runs from (19 U.S.C. 1505(c)): the date the disclosed
// entries liquidated (Disclosure.Liquidated, else the entry's own date of liquidation), or the date of entry when
// they have not liquidated. liquidated says which.
func InterestFrom(c *Case) (on Date, liquidated bool) {
	if c.Disclosure != nil && c.Disclosure.Liquidated != 0 {
		return c.Disclosure.Liquidated, true
	}
	if c.Entry.Liquidated != 0 {
		return c.Entry.Liquidated, true
	}
	return c.Entry.EntryDate, false
}
