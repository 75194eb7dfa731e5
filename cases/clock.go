package cases

// Clock is a date the law or local policy sets, with its basis.
type Clock struct {
	Name    string `json:"name"`    // "Decide protest", "File protest", ...
	Due     Date   `json:"due"`     // after the business-day roll
	Basis   string `json:"basis"`   // "19 CFR 174.21(a)", "local policy"
	Action  bool   `json:"action"`  // the Center's action deadline (the one the queue orders by)
	Met     bool   `json:"met"`     // already satisfied (e.g. the filing was timely)
}

// Finding is a problem the rules see in a case, such as a filing made after its window.
type Finding struct {
	Text  string `json:"text"`
	Basis string `json:"basis"`
}

// Clocks returns every clock of the case: filing timeliness and the Center's action deadline(s).
func Clocks(c *Case, p Policy) []Clock { panic("unimplemented") }

// DueDate is the Center's action deadline for the case, the earliest open action clock.
func DueDate(c *Case, p Policy) Date { panic("unimplemented") }

// Findings lists timeliness problems (a PSC filed after its window, an untimely protest, an oral disclosure not
// confirmed in writing within 10 days) as of today.
func Findings(c *Case, p Policy, today Date) []Finding { panic("unimplemented") }
