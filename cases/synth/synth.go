// Package synth makes a deterministic, realistic synthetic caseload for demos, tests and benchmarks: valid entry
// numbers with their check digits, plausible HTSUS numbers for each Center's chapters, real port codes, importers
// in C-TPAT and ISA, and dates spread around "today" so that some cases are overdue and some due this week.
// The same seed and today always give the same cases.
package synth

import (
	"fmt"
	"math/rand/v2"
	"time"

	"ceedesk/cases"
)

type product struct {
	hts    string // 10 digits
	desc   string
	rateBP int
}

type center struct {
	code       string
	ports      []string
	filers     []string
	origins    []string
	products   []product
	dutiable   []product // the products with a duty rate
	supervisor cases.User
	reviewers  []cases.User
	importers  []cases.Importer
}

var electronics = []product{
	{"8471300100", "Portable automatic data processing machines, weighing not more than 10 kg", 0},
	{"8471500150", "Processing units for automatic data processing machines", 0},
	{"8471704065", "Solid-state storage units", 0},
	{"8473301180", "Printed circuit assemblies for ADP machines", 0},
	{"8504409580", "Static converters, power supplies for ADP machines", 0},
	{"8517130000", "Smartphones", 0},
	{"8517620090", "Machines for the reception, conversion and transmission of data", 0},
	{"8518220000", "Multiple loudspeakers, mounted in the same enclosure", 490},
	{"8523510000", "Solid-state non-volatile storage devices", 0},
	{"8528520000", "Monitors capable of connecting to an ADP machine", 0},
	{"8536690000", "Plugs and sockets for a voltage not exceeding 1,000 V", 270},
	{"8541430010", "Photovoltaic cells assembled in modules", 0},
	{"8542310000", "Electronic integrated circuits: processors and controllers", 0},
	{"8544429090", "Insulated electric conductors fitted with connectors", 260},
	{"8507600020", "Lithium-ion batteries for vehicles and devices", 340},
	{"8443321040", "Laser printers, capable of connecting to an ADP machine", 0},
}

var pharmaceuticals = []product{
	{"3004909215", "Medicaments in measured doses, for veterinary use", 0},
	{"3004909290", "Medicaments in measured doses, other", 0},
	{"3002150100", "Immunological products, put up in measured doses", 0},
	{"3002410000", "Vaccines for human medicine", 0},
	{"3003900000", "Medicaments not in measured doses, other", 0},
	{"2941105000", "Penicillins and their derivatives, other", 0},
	{"2933396175", "Compounds containing an unfused pyridine ring, other", 650},
	{"2924297100", "Cyclic amides, drugs, other", 650},
	{"2937120000", "Insulin and its salts", 0},
	{"2922195000", "Amino-alcohols, their ethers and esters, other", 370},
	{"2918995000", "Carboxylic acids with additional oxygen function, other", 650},
	{"3006300000", "Opacifying preparations for X-ray examinations", 0},
	{"2935900095", "Sulfonamides, other", 650},
	{"3004201000", "Medicaments containing antibiotics, measured doses", 0},
}

func user(name, display string, role cases.Role, center string) cases.User {
	return cases.User{Name: name, Display: display, Role: role, Center: center}
}

var importerStems = []string{"Acme", "Pacific Rim", "Sierra", "Golden Gate", "Harbor", "Cascade", "Summit", "Redwood",
	"Meridian", "Atlas", "Beacon", "Keystone", "Liberty", "Orion", "Vanguard", "Northstar", "Bayview", "Crescent",
	"Evergreen", "Highland", "Lakeside", "Pioneer", "Silverline", "Westbrook"}

var elecSuffix = []string{"Electronics Corp", "Components Inc", "Semiconductor LLC", "Devices Inc", "Technologies Corp", "Computing Inc"}
var pharmaSuffix = []string{"Pharmaceuticals Inc", "Biologics LLC", "Health Products Corp", "Life Sciences Inc", "Chemicals Corp", "Laboratories Inc"}

func importers(r *rand.Rand, suffixes []string, n int) []cases.Importer {
	out := make([]cases.Importer, n)
	for i := range out {
		name := importerStems[r.IntN(len(importerStems))] + " " + suffixes[r.IntN(len(suffixes))]
		progs := []cases.Program{cases.ProgramCTPAT}
		switch r.IntN(3) {
		case 0:
			progs = append(progs, cases.ProgramISA)
		case 1:
			progs = []cases.Program{cases.ProgramISA}
		}
		num := fmt.Sprintf("%02d-%07d00", 10+r.IntN(89), r.IntN(10_000_000))
		out[i] = cases.Importer{Number: num, Name: name, Programs: progs}
	}
	// Distinct names: a repeated stem+suffix gets a numbered "of" qualifier, like real affiliated entities.
	seen := map[string]int{}
	for i := range out {
		seen[out[i].Name]++
		if k := seen[out[i].Name]; k > 1 {
			out[i].Name = fmt.Sprintf("%s %s", out[i].Name, []string{"West", "East", "USA", "America", "International", "Holdings"}[k%6])
		}
	}
	return out
}

// Generator yields synthetic cases one at a time. It is not safe for concurrent use.
type Generator struct {
	r       *rand.Rand
	x       *rand.Rand // the facts of lawFacts, from a stream of their own
	today   cases.Date
	centers []*center
	n       int
	serial  map[string]int
	until   time.Time // no time a case records is later than this; zero = no bound
}

// NotAfter keeps every time the generated cases record (assignment, decision, note, request) at or before t, as
// a store that is seeded at t would have recorded them: a case assigned today is not changed later today. A t
// before the start of today (a caseload seeded for a day still to come) bounds nothing. The caseload is otherwise
// what the seed makes.
func (g *Generator) NotAfter(t time.Time) { g.until = t.UTC() }

// bound moves a time of today's work back to g.until when it would fall after it, never before today's start.
func (g *Generator) bound(at time.Time) time.Time {
	start := g.today.Time()
	if g.until.IsZero() || g.until.Before(start) || !at.After(g.until) {
		return at
	}
	return g.until
}

// New makes a generator for the seed, with dates relative to today.
func New(seed int64, today cases.Date) *Generator {
	r := rand.New(rand.NewPCG(uint64(seed), 0x63656564_65736b))
	elec := &center{
		code: "ELEC", ports: []string{"2704", "2709", "2720"}, filers: []string{"B76", "ABC", "9K4", "E21", "P3X", "112"},
		origins: []string{"CN", "TW", "VN", "MY", "MX", "KR", "JP", "TH"}, products: electronics,
		supervisor: user("sofia", "Sofia Ramirez", cases.RoleSupervisor, "ELEC"),
		reviewers: []cases.User{
			user("alice", "Alice Nguyen", cases.RoleReviewer, "ELEC"),
			user("bob", "Bob Okafor", cases.RoleReviewer, "ELEC"),
			user("carol", "Carol Jensen", cases.RoleReviewer, "ELEC"),
			user("dave", "Dave Morales", cases.RoleReviewer, "ELEC"),
		},
	}
	pharma := &center{
		code: "PHARMA", ports: []string{"1001", "4601", "4701"}, filers: []string{"M44", "7RT", "NJ5", "C08", "999"},
		origins: []string{"IN", "IE", "DE", "CH", "CN", "IL", "GB", "IT"}, products: pharmaceuticals,
		supervisor: user("priya", "Priya Shah", cases.RoleSupervisor, "PHARMA"),
		reviewers: []cases.User{
			user("erin", "Erin Walsh", cases.RoleReviewer, "PHARMA"),
			user("frank", "Frank Castillo", cases.RoleReviewer, "PHARMA"),
			user("grace", "Grace Kim", cases.RoleReviewer, "PHARMA"),
			user("henry", "Henry Adeyemi", cases.RoleReviewer, "PHARMA"),
		},
	}
	for _, c := range []*center{elec, pharma} {
		for _, p := range c.products {
			if p.rateBP > 0 {
				c.dutiable = append(c.dutiable, p)
			}
		}
	}
	elec.importers = importers(r, elecSuffix, 40)
	pharma.importers = importers(r, pharmaSuffix, 40)
	x := rand.New(rand.NewPCG(uint64(seed), 0x6c61772d66616374))
	return &Generator{r: r, x: x, today: today, centers: []*center{elec, pharma}, serial: map[string]int{}}
}

// Users are the demo users: an admin, and a supervisor and four reviewers per Center.
func (g *Generator) Users() []cases.User {
	us := []cases.User{user("admin", "Desk Administrator", cases.RoleAdmin, "ELEC")}
	for _, c := range g.centers {
		us = append(us, c.supervisor)
		us = append(us, c.reviewers...)
	}
	return us
}

func (g *Generator) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

func (g *Generator) pick(p int) bool { return g.r.IntN(100) < p }

func (g *Generator) nextSerial(prefix string) int {
	g.serial[prefix]++
	return g.serial[prefix]
}

func (g *Generator) entryNumber(c *center) string {
	filer := c.filers[g.r.IntN(len(c.filers))]
	serial := fmt.Sprintf("%07d", g.r.IntN(10_000_000))
	d, err := cases.EntryCheckDigit(filer, serial)
	if err != nil {
		panic("synth: filer code table is invalid: " + err.Error())
	}
	return fmt.Sprintf("%s-%s-%d", filer, serial, d)
}

func yy(d cases.Date) int {
	y, _, _ := d.YMD()
	return y % 100
}

// Next returns the next case. Cases alternate between the Centers with a realistic mix of kinds and statuses.
func (g *Generator) Next() *cases.Case {
	g.n++
	c := g.centers[g.n%len(g.centers)]
	kindRoll := g.r.IntN(100)
	var kind cases.Kind
	switch {
	case kindRoll < 30:
		kind = cases.KindProtest
	case kindRoll < 60:
		kind = cases.KindPSC
	case kindRoll < 70:
		kind = cases.KindPEA
	case kindRoll < 80:
		kind = cases.KindDisclosure
	default:
		kind = cases.KindValidation
	}
	imp := c.importers[g.r.IntN(len(c.importers))]
	imp.Programs = append([]cases.Program(nil), imp.Programs...)
	k := &cases.Case{Kind: kind, Center: c.code, Importer: imp, Status: cases.StatusNew, Version: 1}

	// Entry dates: protests concern liquidated entries; corrections and amendments unliquidated ones.
	var age int
	switch kind {
	case cases.KindProtest:
		age = g.between(330, 700)
	case cases.KindPSC, cases.KindPEA:
		age = g.between(40, 320)
	default:
		age = g.between(30, 600)
	}
	entryDate := cases.RollForward(g.today.AddDays(-age))
	k.Entry = cases.EntrySummary{
		Number: g.entryNumber(c), Type: g.entryType(), Port: c.ports[g.r.IntN(len(c.ports))],
		EntryDate: entryDate, Liquidates: entryDate.AddDays(314),
	}
	if g.pick(4) {
		k.Entry.Extended = k.Entry.Liquidates.AddDays(365)
		k.Entry.Extensions = []cases.Date{k.Entry.Extended}
	}
	g.lines(k, c)
	paid := k.Entry.TotalDuty()
	duty := paid
	if duty == 0 {
		duty = k.Entry.TotalValue() / 40
	}

	switch kind {
	case cases.KindProtest:
		liq := k.Entry.LiquidationDate()
		if liq > g.today.AddDays(-5) {
			liq = g.today.AddDays(-g.between(20, 200))
		}
		k.Entry.Liquidated = liq
		filed := liq.AddDays(g.between(5, 178))
		if g.pick(4) {
			filed = liq.AddDays(g.between(181, 200)) // untimely: a finding for the reviewer
		}
		if filed > g.today {
			filed = liq.AddDays(g.between(1, liq.DaysUntil(g.today)))
		}
		p := &cases.Protest{Filed: filed, Protested: liq, Claimed: duty/2 + cases.Cents(g.between(0, 5_000_000))} // see claimPaidDuty
		p.Number = fmt.Sprintf("%s-%02d-%06d", k.Entry.Port, yy(filed), 100000+g.nextSerial(k.Entry.Port+fmt.Sprint(yy(filed))))
		p.Grounds = []cases.Ground{cases.GroundClassification}
		switch r := g.r.IntN(100); {
		case r < 20:
			p.Grounds = []cases.Ground{cases.GroundValue}
		case r < 30:
			p.Grounds = append(p.Grounds, cases.GroundCharges)
		case r < 36:
			// An exclusion is protested within days of the exclusion decision, not of liquidation.
			p.Grounds = []cases.Ground{cases.GroundExclusion}
			p.Filed = g.today.AddDays(-g.between(0, 35))
			p.Protested = p.Filed.AddDays(-g.between(1, 20))
		case r < 42:
			p.Grounds = []cases.Ground{cases.GroundClerical}
		}
		if g.pick(8) {
			p.AccelMailed = g.today.AddDays(-g.between(0, 40))
			if p.AccelMailed < p.Filed {
				p.AccelMailed = p.Filed
			}
		}
		k.ID = p.Number
		k.Received = p.Filed
		k.Protest = p
	case cases.KindPSC:
		filed := entryDate.AddDays(g.between(10, 290))
		if g.pick(3) {
			filed = entryDate.AddDays(301) // a day past the 300-day window
		}
		if filed > g.today {
			filed = g.today.AddDays(-g.between(0, 9))
		}
		diff := -(duty / cases.Cents(g.between(2, 10)))
		if g.pick(35) || paid == 0 {
			diff = -diff // no refund of duty never paid: a duty-free entry's correction adds duty
		}
		k.PSC = &cases.PSC{Filed: filed, Version: g.between(2, 4), ReasonCodes: g.pscReasons(), DutyDiff: diff,
			Explanation: "Corrects the classification and value of the lines named in the reason codes."}
		k.ID = fmt.Sprintf("PSC-%02d-%06d", yy(filed), g.nextSerial("PSC"))
		k.Received = filed
	case cases.KindPEA:
		filed := entryDate.AddDays(g.between(15, 250))
		if filed > g.today {
			filed = g.today.AddDays(-g.between(0, 9))
		}
		k.PEA = &cases.PEA{Filed: filed, DutyDiff: duty / cases.Cents(g.between(3, 12)),
			Explanation: "Amends the entered value to include an assist supplied free of charge."}
		k.ID = fmt.Sprintf("PEA-%02d-%06d", yy(filed), g.nextSerial("PEA"))
		k.Received = filed
	case cases.KindDisclosure:
		disclosed := g.today.AddDays(-g.between(0, 110))
		d := &cases.Disclosure{Disclosed: disclosed, Oral: g.pick(30), LostRevenue: duty/3 + cases.Cents(g.between(50_000, 4_000_000))}
		if d.Oral && g.pick(80) {
			d.Confirmed = disclosed.AddDays(g.between(1, 10))
		}
		if g.pick(70) {
			d.Perfected = disclosed.AddDays(g.between(5, 30))
		}
		for _, x := range []*cases.Date{&d.Confirmed, &d.Perfected} {
			if *x > g.today {
				*x = 0
			}
		}
		if g.pick(75) {
			d.Tender = d.LostRevenue
		}
		k.Disclosure = d
		k.ID = fmt.Sprintf("PD-%02d-%06d", yy(disclosed), g.nextSerial("PD"))
		k.Received = disclosed
	case cases.KindValidation:
		prog := imp.Programs[g.r.IntN(len(imp.Programs))]
		scope := "Entry validation of classification and value, fiscal year lines"
		if prog == cases.ProgramISA {
			scope = "ISA annual self-assessment review: internal controls over classification and valuation"
		} else if g.pick(50) {
			scope = "C-TPAT validation of supply chain security criteria"
		}
		k.Validation = &cases.Validation{Program: prog, Scope: scope}
		k.Received = g.today.AddDays(-g.between(0, 130))
		k.ID = fmt.Sprintf("VAL-%02d-%06d", yy(k.Received), g.nextSerial("VAL"))
	}
	g.status(k, c)
	g.lawFacts(k, c)
	return k
}

func (g *Generator) entryType() string {
	switch r := g.r.IntN(100); {
	case r < 78:
		return "01"
	case r < 84:
		return "03"
	case r < 90:
		return "06"
	case r < 95:
		return "11"
	default:
		return "21"
	}
}

var pscCodes = []string{"001", "002", "003", "008", "014", "019", "024"}

func (g *Generator) pscReasons() []string {
	n := g.between(1, 2)
	out := make([]string, 0, n)
	for len(out) < n {
		c := pscCodes[g.r.IntN(len(pscCodes))]
		if len(out) == 0 || out[0] != c {
			out = append(out, c)
		}
	}
	return out
}

func (g *Generator) lines(k *cases.Case, c *center) {
	n := g.between(1, 5)
	k.Entry.Lines = make([]cases.Line, n)
	for i := range k.Entry.Lines {
		p := c.products[g.r.IntN(len(c.products))]
		value := cases.Cents(g.between(5_000, 2_000_000)) * 100
		k.Entry.Lines[i] = cases.Line{
			Number: i + 1, HTS: p.hts, Description: p.desc, Origin: c.origins[g.r.IntN(len(c.origins))],
			Value: value, RateBP: p.rateBP, Duty: value * cases.Cents(p.rateBP) / 10000,
		}
	}
}

var reasonsText = map[cases.Outcome]string{
	cases.OutcomeDenied:       "The merchandise is properly classified as liquidated; the protestant's claimed heading does not describe the goods.",
	cases.OutcomeRejected:     "The correction changes the value without documentation of the assist.",
	cases.OutcomeNotPerfected: "The information requested was not supplied within 30 days of the disclosure.",
}

func (g *Generator) status(k *cases.Case, c *center) {
	roll := g.r.IntN(100)
	if roll < 5 {
		return // new, unassigned
	}
	rv := c.reviewers[g.r.IntN(len(c.reviewers))]
	k.Assignee = rv.Name
	k.Assigned = k.Received.AddDays(g.between(0, 5))
	if k.Assigned > g.today {
		k.Assigned = g.today
	}
	k.UpdatedBy = c.supervisor.Name
	at := g.bound(k.Assigned.Time().Add(9*time.Hour + time.Duration(g.r.IntN(8*3600))*time.Second))
	k.UpdatedAt = at
	switch {
	case roll < 45:
		k.Status = cases.StatusAssigned
	case roll < 80:
		k.Status = cases.StatusInReview
		k.UpdatedBy = rv.Name
	case roll < 87:
		k.Status = cases.StatusAwaitingInfo
		k.UpdatedBy = rv.Name
		k.Requests = []cases.InfoRequest{{By: rv.Name, At: at, Due: cases.RollForward(k.Assigned.AddDays(30)),
			Question: "Please provide the commercial invoice, packing list and mill certificate for every line."}}
	case roll < 92:
		k.Status = cases.StatusPendingApproval
		k.UpdatedBy = rv.Name
		k.Decision = g.adverse(k, rv, at, true)
		if !cases.NeedsApproval(k, *k.Decision, cases.DefaultPolicy()) {
			k.Status, k.Decision = cases.StatusInReview, nil // below the threshold it would have been final
		}
	default:
		k.Status = cases.StatusDecided
		k.UpdatedBy = rv.Name
		d := g.favourable(k, rv, at)
		k.Decision = d
	}
	if k.Kind == cases.KindProtest && k.Decision == nil && g.pick(5) {
		k.Protest.FurtherReview = true
		k.Protest.AFRFiled = g.today.AddDays(-g.between(0, 40))
		if k.Protest.AFRFiled < k.Protest.Filed {
			k.Protest.AFRFiled = k.Protest.Filed
		}
		other := c.reviewers[(indexOf(c.reviewers, rv.Name)+1)%len(c.reviewers)]
		k.Protest.OriginalDeciders = []string{other.Name}
	}
	if g.pick(20) {
		k.Notes = []cases.Note{{Author: rv.Name, At: g.bound(at.Add(time.Hour)), Text: "Called the broker; documents promised by end of week."}}
	}
}

func indexOf(us []cases.User, name string) int {
	for i, u := range us {
		if u.Name == name {
			return i
		}
	}
	return 0
}

func (g *Generator) adverse(k *cases.Case, rv cases.User, at time.Time, approval bool) *cases.Decision {
	d := &cases.Decision{By: rv.Name, On: cases.DateOf(at), At: at, Approval: approval}
	switch k.Kind {
	case cases.KindProtest:
		d.Outcome = cases.OutcomeDenied
	case cases.KindPSC, cases.KindPEA:
		d.Outcome = cases.OutcomeRejected
	case cases.KindDisclosure:
		d.Outcome = cases.OutcomeNotPerfected
	case cases.KindValidation:
		d.Outcome = cases.OutcomeNonCompliant
		d.Reasons = "Internal controls do not reconcile entered value to the general ledger."
		return d
	}
	d.Reasons = reasonsText[d.Outcome]
	return d
}

func (g *Generator) favourable(k *cases.Case, rv cases.User, at time.Time) *cases.Decision {
	d := &cases.Decision{By: rv.Name, On: cases.DateOf(at), At: at}
	switch k.Kind {
	case cases.KindProtest:
		d.Outcome = cases.OutcomeAllowed
	case cases.KindPSC, cases.KindPEA:
		d.Outcome = cases.OutcomeAccepted
	case cases.KindDisclosure:
		d.Outcome = cases.OutcomeValidated
		d.Amount = k.Disclosure.LostRevenue
	case cases.KindValidation:
		d.Outcome = cases.OutcomeCompliant
	}
	return d
}

// lawFacts records the facts the law counts from that a case came to hold after ceedesk's first caseloads:
// extensions and suspension of liquidation, the first assignment, answers to requests and notices of action, a
// protest's further review, Headquarters referral, consolidation and mailed denial, and what happens to a
// disclosure after it is made. They come from a stream of their own, drawn after the rest of the case, so a seed
// gives the cases it gave before (ids, kinds, people, statuses and most dates) with these facts added. What they
// change of the rest: an extension that could not have been given by today (or before the entry liquidated) is
// dropped, some PSCs, validations and disclosures concern an older entry so that it can have been extended, and
// half the decided protests are denied rather than allowed.
func (g *Generator) lawFacts(k *cases.Case, c *center) {
	at := k.UpdatedAt // the assignment, for an assigned case
	if k.Kind == cases.KindProtest {
		g.claimPaidDuty(k, c)
	}
	g.entryFacts(k)
	if k.Assignee != "" {
		g.assignmentFacts(k, c, at)
	}
	switch k.Kind {
	case cases.KindProtest:
		g.protestFacts(k, c, at)
	case cases.KindDisclosure:
		g.disclosureFacts(k, k.Disclosure)
	}
}

func (g *Generator) xbetween(lo, hi int) int { return lo + g.x.IntN(hi-lo+1) }

func (g *Generator) xpick(p int) bool { return g.x.IntN(100) < p }

// timeOn is a time during the working day of d, never after the bound.
func (g *Generator) timeOn(d cases.Date) time.Time {
	return g.bound(d.Time().Add(9*time.Hour + time.Duration(g.x.IntN(8*3600))*time.Second))
}

// later is the later of t and u, never after the bound.
func (g *Generator) later(t, u time.Time) time.Time {
	if u.After(t) {
		t = u
	}
	return g.bound(t)
}

// extension is the date the n-th extension of liquidation sets: a year after the one before (19 U.S.C. 1504(b)).
func extension(e *cases.EntrySummary, n int) cases.Date { return e.Liquidates.AddDays(365 * n) }

// extensionGiven is the day, at the latest, the n-th extension was given: some time before the date it moves.
func extensionGiven(e *cases.EntrySummary, n int) cases.Date { return extension(e, n-1).AddDays(-60) }

// extend records up to n extensions of liquidation, as many as could have been given by today (and, for an entry
// already liquidated, before it liquidated). Extended is the date the last one sets.
func (g *Generator) extend(e *cases.EntrySummary, n int) {
	for n > 0 && (extensionGiven(e, n) > g.today || (e.Liquidated != 0 && extensionGiven(e, n) >= e.Liquidated)) {
		n--
	}
	e.Extensions, e.Extended = nil, 0
	for i := 1; i <= n; i++ {
		e.Extensions = append(e.Extensions, extension(e, i))
	}
	if n > 0 {
		e.Extended = e.Extensions[n-1]
	}
}

// entryFacts extends the liquidation of some PSC and PEA entries not yet past their scheduled liquidation (those
// past it stay so: an action on them comes too late), most of all those a PSC was filed on after the 300 days
// (which the extension makes timely), gives some validations and disclosures an older entry extended up to three
// times, and suspends the liquidation of most AD/CVD entries (type 03) from entry, lifting some suspensions.
func (g *Generator) entryFacts(k *cases.Case) {
	e := &k.Entry
	switch {
	case len(e.Extensions) > 0:
		g.extend(e, len(e.Extensions)) // as drawn, unless given too late to be true
	case (k.Kind == cases.KindPSC || k.Kind == cases.KindPEA) && e.Liquidates <= g.today:
		// past its scheduled liquidation without an extension: it stays so (a PSC or PEA on it comes too late)
	case k.Kind == cases.KindPSC && (k.PSC.Filed > e.EntryDate.AddDays(300) || g.xpick(20)):
		if g.xpick(50) {
			// an older entry, its PSC filed after the 300 days: timely only because liquidation was extended
			// (CBP's NCAP test notice of 14 Aug 2019)
			e.EntryDate = cases.RollForward(k.PSC.Filed.AddDays(-g.xbetween(301, 640)))
			e.Liquidates = e.EntryDate.AddDays(314)
		}
		g.extend(e, g.xbetween(1, 3))
	case k.Kind == cases.KindPEA && g.xpick(8):
		g.extend(e, g.xbetween(1, 2))
	case (k.Kind == cases.KindValidation || k.Kind == cases.KindDisclosure) && g.xpick(4):
		entered := cases.RollForward(g.today.AddDays(-g.xbetween(1000, 1380)))
		if k.Kind == cases.KindDisclosure && entered >= k.Disclosure.Disclosed {
			break
		}
		e.EntryDate, e.Liquidates = entered, entered.AddDays(314)
		g.extend(e, g.xbetween(2, 3))
	}
	if e.Type != "03" || !g.xpick(60) {
		return
	}
	e.Suspended = e.EntryDate
	if g.xpick(30) {
		if u := e.EntryDate.AddDays(g.xbetween(120, 500)); u <= g.today {
			e.Unsuspended = u
		}
	}
	if liq := e.Liquidated; liq != 0 && (e.Unsuspended == 0 || e.Unsuspended >= liq) {
		// liquidated, so its suspension was lifted first
		if u := liq.AddDays(-g.xbetween(10, 60)); u > e.Suspended {
			e.Unsuspended = u
		} else {
			e.Suspended, e.Unsuspended = 0, 0
		}
	}
}

var answers = []string{
	"Commercial invoice, packing list and mill certificate received for every line.",
	"The importer sent the invoices; the mill certificate for line 2 follows by mail.",
	"Broker answered by letter: the goods are the model named on the invoice, with the technical sheet attached.",
}

var proposals = []string{
	"Rate advance: line 1 to be reclassified under the heading the ruling names, with the duty difference owed.",
	"Value advance: the assist supplied free of charge to be added to the entered value of every line.",
	"Liquidated damages claim for late filing of the entry summary documentation.",
}

// assignmentFacts records the first assignment (earlier, with the supervisor's note, for a case another reviewer
// held first), an answered request for information on some cases back in review, and notices of action on some
// corrections and amendments under review.
func (g *Generator) assignmentFacts(k *cases.Case, c *center, at time.Time) {
	k.FirstAssigned = k.Assigned
	if span := k.Received.DaysUntil(k.Assigned); span > 0 && g.xpick(10) {
		k.FirstAssigned = k.Received.AddDays(g.xbetween(0, span-1))
		i := indexOf(c.reviewers, k.Assignee)
		from := c.reviewers[(i+1+g.x.IntN(len(c.reviewers)-1))%len(c.reviewers)]
		note := cases.Note{Author: c.supervisor.Name, At: at, Text: "Reassigned from " + from.Name + ": workload balance."}
		k.Notes = append([]cases.Note{note}, k.Notes...)
	}
	if k.Status != cases.StatusInReview {
		return
	}
	if len(k.Requests) == 0 && g.xpick(25) {
		g.answered(k, at)
	}
	if (k.Kind == cases.KindPSC || k.Kind == cases.KindPEA) && g.xpick(15) {
		g.notices(k, at)
	}
}

// answered records a request for information (CBP Form 28) the importer has answered, which took the case out of
// awaiting information and back into review.
func (g *Generator) answered(k *cases.Case, at time.Time) {
	on := k.Assigned.AddDays(g.xbetween(2, 35))
	if on > g.today {
		return
	}
	rec := g.later(at.Add(time.Hour), g.timeOn(on))
	k.Requests = []cases.InfoRequest{{By: k.Assignee, At: at, Due: cases.RollForward(k.Assigned.AddDays(30)),
		Question: "Please provide the commercial invoice, packing list and mill certificate for every line.",
		Answered: on, Answer: answers[g.x.IntN(len(answers))], RecordedBy: k.Assignee, RecordedAt: rec}}
	k.UpdatedBy, k.UpdatedAt = k.Assignee, g.later(k.UpdatedAt, rec)
}

// notices sends a notice of action (CBP Form 29): a proposed action, after which the importer has 20 days to
// reply (some still within them, some replied to), and for some whose period ran out, the action then taken.
func (g *Generator) notices(k *cases.Case, at time.Time) {
	span := k.Assigned.DaysUntil(g.today)
	if span < 1 {
		return
	}
	what := proposals[g.x.IntN(len(proposals))]
	r := g.x.IntN(100)
	sent := k.Assigned.AddDays(g.xbetween(1, span))
	if r < 40 {
		sent = g.today.AddDays(-g.xbetween(0, min(19, span-1))) // still within the reply period
	}
	n := cases.ActionNotice{By: k.Assignee, At: g.later(at.Add(time.Hour), g.timeOn(sent)), Sent: sent, Proposed: true,
		Action: "Proposed: " + what, ReplyDue: cases.RollForward(sent.AddDays(20))}
	k.Notices = []cases.ActionNotice{n}
	last := n.At
	switch {
	case r < 40:
	case r < 75:
		if on := sent.AddDays(g.xbetween(2, 19)); on <= g.today {
			k.Notices[0].Replied = on
			k.Notices[0].Reply = "The importer disagrees and encloses the manufacturer's technical sheet and a prior ruling."
		}
	default:
		if on := n.ReplyDue.AddDays(g.xbetween(1, 10)); on <= g.today {
			taken := cases.ActionNotice{By: k.Assignee, At: g.later(last, g.timeOn(on)), Sent: on, Action: "Taken: " + what}
			k.Notices = append(k.Notices, taken)
			last = taken.At
		}
	}
	k.UpdatedBy, k.UpdatedAt = k.Assignee, g.later(k.UpdatedAt, last)
}

// protestFacts records what followed the filing of a protest: for some decided ones a denial (approved where the
// revenue at stake needs it) and the mailing of its notice; on an application for further review its decision
// within 30 days (19 U.S.C. 1515(a)), a request to set a denial aside (1515(c)) or a referral to Headquarters
// (19 CFR 174.26); referrals of other open protests; and consolidation of later protests with it (174.15).
func (g *Generator) protestFacts(k *cases.Case, c *center, at time.Time) {
	p := k.Protest
	if k.Status == cases.StatusDecided && g.xpick(50) {
		g.deny(k, c, at)
	}
	if k.Decision == nil && !p.FurtherReview && g.xpick(8) {
		// an application for further review filed with the protest
		p.FurtherReview, p.AFRFiled = true, p.Filed
		other := c.reviewers[(indexOf(c.reviewers, k.Assignee)+1)%len(c.reviewers)]
		p.OriginalDeciders = []string{other.Name}
	}
	if p.FurtherReview {
		if g.xpick(80) {
			if on := p.AFRFiled.AddDays(g.xbetween(3, 30)); on <= g.today {
				p.AFRDecided, p.AFRDenied = on, g.xpick(50)
			}
		}
		switch {
		case p.AFRDenied && g.xpick(80):
			if on := p.AFRDecided.AddDays(g.xbetween(3, 45)); on <= g.today {
				p.SetAsideFiled = on
			}
		case p.AFRDecided != 0 && !p.AFRDenied && g.xpick(50):
			g.refer(p, p.AFRDecided.AddDays(g.xbetween(1, 20)))
		}
	} else if k.Status.Open() && g.xpick(4) {
		g.refer(p, p.Filed.AddDays(g.xbetween(20, 200)))
	}
	if !p.Exclusion() && g.xpick(5) {
		last := min(g.today, p.Filed.AddDays(g.xbetween(1, 60)))
		// numbers from a serial range of their own, so they never name another case of the caseload
		key := "consolidated" + k.Entry.Port + fmt.Sprint(yy(last))
		for n := g.xbetween(1, 3); n > 0; n-- {
			p.Consolidated = append(p.Consolidated, fmt.Sprintf("%s-%02d-%06d", k.Entry.Port, yy(last), 500000+g.nextSerial(key)))
		}
		p.LastFiled = last
	}
}

// claimPaidDuty makes a protest claim back no more than the duty paid: its entry has duty on its first line, and
// the claim is at most the entry's duty. A decision that waited for approval only because the claim was larger
// would have been final, so the case is back in review, as status makes such a case.
func (g *Generator) claimPaidDuty(k *cases.Case, c *center) {
	if l := &k.Entry.Lines[0]; l.RateBP == 0 {
		p := c.dutiable[g.x.IntN(len(c.dutiable))]
		l.HTS, l.Description, l.RateBP = p.hts, p.desc, p.rateBP
		l.Duty = l.Value * cases.Cents(p.rateBP) / 10000
	}
	p := k.Protest
	p.Claimed = min(p.Claimed, k.Entry.TotalDuty())
	if k.Status == cases.StatusPendingApproval && !cases.NeedsApproval(k, *k.Decision, cases.DefaultPolicy()) {
		k.Status, k.Decision = cases.StatusInReview, nil
	}
}

// refer refers the protest to Headquarters on the day given, if it has come, and records some answers.
func (g *Generator) refer(p *cases.Protest, on cases.Date) {
	if on > g.today {
		return
	}
	p.HQReferred = on
	if ans := on.AddDays(g.xbetween(15, 90)); ans <= g.today && g.xpick(50) {
		p.HQAnswered = ans
	}
}

// deny makes a decided protest's decision a denial, approved by the supervisor where the revenue at stake needs
// it, with the notice of denial mailed within days of the decision becoming final.
func (g *Generator) deny(k *cases.Case, c *center, at time.Time) {
	rv := cases.User{Name: k.Decision.By}
	d := g.adverse(k, rv, at, false)
	final := at
	if cases.NeedsApproval(k, *d, cases.DefaultPolicy()) {
		day := min(g.today, cases.DateOf(at).AddDays(g.xbetween(0, 2)))
		d.Approval, d.Approver = true, c.supervisor.Name
		d.Approved = g.later(at.Add(30*time.Minute), g.timeOn(day))
		final = d.Approved
		k.UpdatedBy = c.supervisor.Name
	}
	k.Decision = d
	k.UpdatedAt = g.later(k.UpdatedAt, final)
	k.Protest.DenialMailed = min(g.today, cases.DateOf(final).AddDays(g.xbetween(0, 3)))
}

var culpabilities = []cases.Culpability{cases.CulpabilityNegligence, cases.CulpabilityNegligence, cases.CulpabilityNegligence,
	cases.CulpabilityGross, cases.CulpabilityGross, cases.CulpabilityFraud}

// disclosureFacts records what happens to a disclosure after it is made: a waived confirmation of an oral one, an
// extension of the time to perfect, CBP's calculation of the loss, the culpability found, and the liquidation of
// the entry before it was disclosed.
func (g *Generator) disclosureFacts(k *cases.Case, d *cases.Disclosure) {
	if d.Oral && d.Confirmed == 0 && g.xpick(50) {
		if w := d.Disclosed.AddDays(g.xbetween(3, 12)); w <= g.today {
			d.ConfirmWaived = w
		}
	}
	if d.Perfected == 0 && g.xpick(35) {
		d.PerfectionExtended = d.Disclosed.AddDays(30 + g.xbetween(15, 45))
	}
	if d.Perfected != 0 && g.xpick(45) {
		if x := d.Perfected.AddDays(g.xbetween(10, 40)); x <= g.today {
			d.Calculated = x
		}
	}
	if g.xpick(55) {
		d.Culpability = culpabilities[g.x.IntN(len(culpabilities))]
	}
	e := &k.Entry
	liq := e.LiquidationDate()
	lifted := e.Suspended == 0 || (e.Unsuspended != 0 && e.Unsuspended < liq)
	if liq < d.Disclosed && lifted && g.xpick(80) {
		e.Liquidated, d.Liquidated = liq, liq
	}
}
