package cases

// FederalHoliday returns the name of the federal holiday observed on d (5 U.S.C. 6103 with the observed-day
// rule: a Saturday holiday is observed on Friday, a Sunday holiday on Monday).
func FederalHoliday(d Date) (string, bool) { panic("unimplemented") }

// BusinessDay reports whether d is neither a weekend day nor an observed federal holiday.
func BusinessDay(d Date) bool { panic("unimplemented") }

// RollForward returns d if it is a business day, otherwise the next business day.
func RollForward(d Date) Date { panic("unimplemented") }

// AddBusinessDays moves n business days from d (n may be negative: working days before d).
func AddBusinessDays(d Date, n int) Date { panic("unimplemented") }
