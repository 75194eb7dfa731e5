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
	elec.importers = importers(r, elecSuffix, 40)
	pharma.importers = importers(r, pharmaSuffix, 40)
	return &Generator{r: r, today: today, centers: []*center{elec, pharma}, serial: map[string]int{}}
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
	}
	g.lines(k, c)
	duty := k.Entry.TotalDuty()
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
		p := &cases.Protest{Filed: filed, Protested: liq, Claimed: duty/2 + cases.Cents(g.between(0, 5_000_000))}
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
		if g.pick(35) {
			diff = -diff
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
