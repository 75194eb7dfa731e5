// Package cases is the domain of a Center of Excellence and Expertise: case kinds, identifiers, legal clocks,
// statuses, outcomes and who may do what. It is pure Go with no I/O; every rule that depends on the date takes
// "today" as an argument. The store applies these rules inside the transaction that writes, so every way into
// ceedesk (workstation, SSH server, command line) obeys the same rules.
package cases

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Kind is the kind of a case.
type Kind string

const (
	KindProtest    Kind = "protest"
	KindPSC        Kind = "psc"
	KindPEA        Kind = "pea"
	KindDisclosure Kind = "disclosure"
	KindValidation Kind = "validation"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindProtest, KindPSC, KindPEA, KindDisclosure, KindValidation}

// Title is the kind's name for people.
func (k Kind) Title() string {
	switch k {
	case KindProtest:
		return "Protest"
	case KindPSC:
		return "Post-summary correction"
	case KindPEA:
		return "Post-entry amendment"
	case KindDisclosure:
		return "Prior disclosure"
	case KindValidation:
		return "Validation"
	}
	return string(k)
}

// Short is a column-width label (PROT, PSC, PEA, PD, VAL).
func (k Kind) Short() string {
	switch k {
	case KindProtest:
		return "PROT"
	case KindPSC:
		return "PSC"
	case KindPEA:
		return "PEA"
	case KindDisclosure:
		return "PD"
	case KindValidation:
		return "VAL"
	}
	return strings.ToUpper(string(k))
}

// ParseKind accepts a kind's name, short label or a common alias.
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "protest", "prot", "19":
		return KindProtest, nil
	case "psc", "post-summary correction", "correction":
		return KindPSC, nil
	case "pea", "post-entry amendment", "amendment":
		return KindPEA, nil
	case "disclosure", "pd", "prior disclosure", "prior-disclosure":
		return KindDisclosure, nil
	case "validation", "val":
		return KindValidation, nil
	}
	return "", fmt.Errorf("kind %q: want one of protest, psc, pea, disclosure, validation", s)
}

// Status is where a case stands in its life.
type Status string

const (
	StatusNew             Status = "new"
	StatusAssigned        Status = "assigned"
	StatusInReview        Status = "review"
	StatusAwaitingInfo    Status = "awaiting_info"
	StatusPendingApproval Status = "pending_approval"
	StatusDecided         Status = "decided"
)

// Statuses lists every status in life order.
var Statuses = []Status{StatusNew, StatusAssigned, StatusInReview, StatusAwaitingInfo, StatusPendingApproval, StatusDecided}

// Title is the status's name for people.
func (s Status) Title() string {
	switch s {
	case StatusNew:
		return "new"
	case StatusAssigned:
		return "assigned"
	case StatusInReview:
		return "in review"
	case StatusAwaitingInfo:
		return "awaiting info"
	case StatusPendingApproval:
		return "pending approval"
	case StatusDecided:
		return "decided"
	}
	return string(s)
}

// Open reports whether the case still needs the Center to act.
func (s Status) Open() bool { return s != StatusDecided }

// ParseStatus accepts a status name or its title.
func ParseStatus(s string) (Status, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	v = strings.ReplaceAll(v, " ", "_")
	switch v {
	case "new":
		return StatusNew, nil
	case "assigned":
		return StatusAssigned, nil
	case "review", "in_review", "inreview":
		return StatusInReview, nil
	case "awaiting_info", "awaiting", "info", "rfi":
		return StatusAwaitingInfo, nil
	case "pending_approval", "pending", "approval":
		return StatusPendingApproval, nil
	case "decided", "closed", "done":
		return StatusDecided, nil
	}
	return "", fmt.Errorf("status %q: want one of new, assigned, review, awaiting_info, pending_approval, decided", s)
}

// Program is a trusted-partner program.
type Program string

const (
	ProgramCTPAT Program = "C-TPAT"
	ProgramISA   Program = "ISA"
)

// Center is an industry Center of Excellence and Expertise.
type Center struct {
	Code string // short code used in the store and on the command line, e.g. "ELEC"
	Name string // "Electronics"
	City string // "Los Angeles"
}

// Centers are the Centers ceedesk knows by code.
var Centers = []Center{
	{Code: "ELEC", Name: "Electronics", City: "Los Angeles"},
	{Code: "PHARMA", Name: "Pharmaceuticals, Health & Chemicals", City: "New York"},
	{Code: "AUTO", Name: "Automotive & Aerospace", City: "Detroit"},
	{Code: "MACH", Name: "Machinery", City: "Chicago"},
	{Code: "PETRO", Name: "Petroleum, Natural Gas & Minerals", City: "Houston"},
	{Code: "AGRI", Name: "Agriculture & Prepared Products", City: "Miami"},
	{Code: "APPAREL", Name: "Apparel, Footwear & Textiles", City: "San Francisco"},
	{Code: "BASEMET", Name: "Base Metals", City: "Chicago"},
	{Code: "CONSUMER", Name: "Consumer Products & Mass Merchandising", City: "Atlanta"},
	{Code: "INDMFG", Name: "Industrial & Manufacturing Materials", City: "Buffalo"},
}

// LookupCenter finds a Center by code (case-insensitive).
func LookupCenter(code string) (Center, error) {
	for _, c := range Centers {
		if strings.EqualFold(c.Code, code) {
			return c, nil
		}
	}
	codes := make([]string, len(Centers))
	for i, c := range Centers {
		codes[i] = c.Code
	}
	return Center{}, fmt.Errorf("center %q: unknown; want one of %s", code, strings.Join(codes, ", "))
}

// Importer is the importer of record.
type Importer struct {
	Number   string    `json:"number"` // EIN, SSN or CBP-assigned number, as written in domain.md
	Name     string    `json:"name"`
	Programs []Program `json:"programs,omitempty"`
}

// Line is one line of an entry summary.
type Line struct {
	Number      int    `json:"number"`
	HTS         string `json:"hts"` // 10 digits, no dots
	Description string `json:"description"`
	Origin      string `json:"origin"`  // ISO 3166 alpha-2 country of origin
	Value       Cents  `json:"value"`   // entered value
	RateBP      int    `json:"rate_bp"` // ad valorem duty rate in basis points (250 = 2.50%)
	Duty        Cents  `json:"duty"`
}

// EntrySummary is the entry (CBP Form 7501) a case concerns.
type EntrySummary struct {
	Number     string `json:"number"` // XXX-NNNNNNN-N
	Type       string `json:"type"`   // 2 digits
	Port       string `json:"port"`   // 4 digits
	EntryDate  Date   `json:"entry_date"`
	Liquidates Date   `json:"liquidates"`           // scheduled liquidation date
	Extended   Date   `json:"extended,omitempty"`   // extended liquidation date, if extended
	Liquidated Date   `json:"liquidated,omitempty"` // date of liquidation, if liquidated
	// Extensions are the notices extending liquidation, oldest first: each one year (19 U.S.C. 1504(b)), three
	// at most, four years from entry in all. Extended is the date the last one sets.
	Extensions []Date `json:"extensions,omitempty"`
	// Suspended is the date liquidation was suspended by statute or court order (AD/CVD, 19 U.S.C. 1504(c)); an
	// entry suspended is never deemed liquidated while it stays so. Unsuspended ends the suspension.
	Suspended   Date   `json:"suspended,omitempty"`
	Unsuspended Date   `json:"unsuspended,omitempty"`
	Lines       []Line `json:"lines"`
}

// LiquidationDate is the date liquidation is scheduled for, the extended date where liquidation was extended.
func (e EntrySummary) LiquidationDate() Date {
	if !e.Extended.IsZero() {
		return e.Extended
	}
	return e.Liquidates
}

// TotalDuty sums the duty of every line.
func (e EntrySummary) TotalDuty() Cents {
	var t Cents
	for _, l := range e.Lines {
		t += l.Duty
	}
	return t
}

// TotalValue sums the entered value of every line.
func (e EntrySummary) TotalValue() Cents {
	var t Cents
	for _, l := range e.Lines {
		t += l.Value
	}
	return t
}

// Ground is a ground of protest under 19 U.S.C. 1514(a).
type Ground string

const (
	GroundValue          Ground = "value"          // appraised value
	GroundClassification Ground = "classification" // classification and rate
	GroundCharges        Ground = "charges"        // charges or exactions
	GroundExclusion      Ground = "exclusion"      // exclusion or redelivery
	GroundLiquidation    Ground = "liquidation"    // liquidation or reliquidation
	GroundDrawback       Ground = "drawback"       // refusal to pay a drawback claim
	GroundRefusal1520d   Ground = "refusal_1520d"  // refusal to reliquidate under 1520(d)
	GroundClerical       Ground = "clerical"       // clerical error, mistake of fact, inadvertence
)

// Grounds lists the grounds of protest.
var Grounds = []Ground{GroundValue, GroundClassification, GroundCharges, GroundExclusion, GroundLiquidation, GroundDrawback, GroundRefusal1520d, GroundClerical}

// Protest is a protest (CBP Form 19).
type Protest struct {
	Number        string   `json:"number"`                   // PPPP-YY-NNNNNN
	Filed         Date     `json:"filed"`                    // filing date
	Protested     Date     `json:"protested"`                // date of liquidation or of the protested decision
	Grounds       []Ground `json:"grounds"`                  // at least one
	Claimed       Cents    `json:"claimed"`                  // refund the protestant claims
	AccelMailed   Date     `json:"accel_mailed,omitempty"`   // accelerated disposition request mailed (certified)
	FurtherReview bool     `json:"further_review,omitempty"` // application for further review filed
	AFRFiled      Date     `json:"afr_filed,omitempty"`      // date the AFR was filed (the protest filing date if filed with it)
	// AFRDecided is the date the application for further review was allowed or denied (19 U.S.C. 1515(a): within
	// 30 days of its filing); AFRDenied says it was denied, which opens the 60-day request to set the denial
	// aside (1515(c)), filed on SetAsideFiled.
	AFRDecided    Date `json:"afr_decided,omitempty"`
	AFRDenied     bool `json:"afr_denied,omitempty"`
	SetAsideFiled Date `json:"set_aside_filed,omitempty"`
	// HQReferred is the date the protest was referred to Headquarters for further review; HQAnswered the date
	// Headquarters answered (19 CFR 174.26).
	HQReferred Date `json:"hq_referred,omitempty"`
	HQAnswered Date `json:"hq_answered,omitempty"`
	// Consolidated lists the protests consolidated with this one (19 CFR 174.15); LastFiled is the filing date of
	// the last of them, from which the 2 years to decide run.
	Consolidated []string `json:"consolidated,omitempty"`
	LastFiled    Date     `json:"last_filed,omitempty"`
	// DenialMailed is the date of mailing of the notice of denial (in whole or part), from which the 180 days to
	// contest in the Court of International Trade run (28 U.S.C. 2636(a); 19 CFR 174.31).
	DenialMailed Date `json:"denial_mailed,omitempty"`
	// OriginalDeciders are the people who took part in the original decision; none of them may decide the
	// further review (19 CFR 174.26).
	OriginalDeciders []string `json:"original_deciders,omitempty"`
}

// Exclusion reports whether this is a protest of an exclusion (30-day clock).
func (p *Protest) Exclusion() bool {
	for _, g := range p.Grounds {
		if g == GroundExclusion {
			return true
		}
	}
	return false
}

// PSC is a post-summary correction.
type PSC struct {
	Filed       Date     `json:"filed"`
	Version     int      `json:"version"`      // summary version this PSC creates (2 = first correction)
	ReasonCodes []string `json:"reason_codes"` // ACE PSC reason codes
	DutyDiff    Cents    `json:"duty_diff"`    // duty difference the correction claims (negative = refund)
	Explanation string   `json:"explanation"`
}

// PEA is a post-entry amendment (paper).
type PEA struct {
	Filed       Date   `json:"filed"`
	DutyDiff    Cents  `json:"duty_diff"`
	Explanation string `json:"explanation"`
}

// Disclosure is a prior disclosure under 19 U.S.C. 1592(c)(4).
type Disclosure struct {
	Disclosed   Date  `json:"disclosed"`
	Oral        bool  `json:"oral,omitempty"`
	Confirmed   Date  `json:"confirmed,omitempty"` // written confirmation of an oral disclosure
	Perfected   Date  `json:"perfected,omitempty"` // missing information supplied
	LostRevenue Cents `json:"lost_revenue"`        // lost duties, taxes and fees disclosed
	Tender      Cents `json:"tender"`              // amount tendered
	// ConfirmWaived is the date the Fines, Penalties and Forfeitures officer waived the written confirmation of
	// an oral disclosure for good cause (19 CFR 162.74(a)(2)).
	ConfirmWaived Date `json:"confirm_waived,omitempty"`
	// PerfectionExtended is the date an extension of the 30 days to perfect runs to (19 CFR 162.74(b)(4)).
	PerfectionExtended Date `json:"perfection_extended,omitempty"`
	// Calculated is the date CBP notified the importer of its calculation of the actual loss of revenue; payment
	// is due 30 days after it (19 CFR 162.74(c)).
	Calculated Date `json:"calculated,omitempty"`
	// Culpability is the degree of culpability the validation finds (fraud, gross negligence, negligence), which
	// sets the 1592(c)(4) cap: fraud, the loss itself; negligence or gross negligence, the interest on it.
	Culpability Culpability `json:"culpability,omitempty"`
	// Liquidated is the date the entries liquidated, from which interest on the loss runs (19 U.S.C. 1505(c));
	// when zero, interest runs from the date of entry.
	Liquidated Date `json:"liquidated,omitempty"`
}

// Culpability is a degree of culpability under 19 U.S.C. 1592.
type Culpability string

const (
	CulpabilityNone       Culpability = ""
	CulpabilityNegligence Culpability = "negligence"
	CulpabilityGross      Culpability = "gross_negligence"
	CulpabilityFraud      Culpability = "fraud"
)

// Validation is a trusted-partner or entry validation.
type Validation struct {
	Program Program `json:"program"`
	Scope   string  `json:"scope"`
	Due     Date    `json:"due,omitempty"` // set by the supervisor; otherwise policy days from the first assignment
}

// Note is a reviewer's or supervisor's note on a case.
type Note struct {
	Author string    `json:"author"`
	At     time.Time `json:"at"`
	Text   string    `json:"text"`
}

// InfoRequest is a request for information (CBP Form 28).
type InfoRequest struct {
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Due      Date      `json:"due"`
	Question string    `json:"question"`
	// Answered is the date the importer's answer arrived, Answer its text; RecordedBy and RecordedAt say who
	// recorded it and when.
	Answered   Date      `json:"answered,omitempty"`
	Answer     string    `json:"answer,omitempty"`
	RecordedBy string    `json:"recorded_by,omitempty"`
	RecordedAt time.Time `json:"recorded_at,omitzero"`
}

// ActionNotice is a notice of action (CBP Form 29): a proposed action, after which the importer has 20 days to
// reply before CBP acts, or an action taken.
type ActionNotice struct {
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Sent     Date      `json:"sent"`
	Proposed bool      `json:"proposed"`            // proposed action (20-day reply period); false: action taken
	Action   string    `json:"action"`              // what CBP proposes to do, or did
	ReplyDue Date      `json:"reply_due,omitempty"` // for a proposed action: the end of the reply period
	Replied  Date      `json:"replied,omitempty"`   // the date the importer's reply arrived
	Reply    string    `json:"reply,omitempty"`
}

// Outcome is a decision's result.
type Outcome string

const (
	// protest
	OutcomeAllowed      Outcome = "allowed"
	OutcomeDenied       Outcome = "denied"
	OutcomeDeniedInPart Outcome = "denied_in_part"
	OutcomeRejectedProt Outcome = "rejected_untimely"
	OutcomeAFRAllowed   Outcome = "afr_allowed"
	OutcomeAFRDenied    Outcome = "afr_denied"
	OutcomeReferredHQ   Outcome = "referred_hq"
	// psc / pea
	OutcomeAccepted       Outcome = "accepted"
	OutcomeRejected       Outcome = "rejected"
	OutcomeNoticeOfAction Outcome = "notice_of_action"
	// disclosure
	OutcomeValidated    Outcome = "validated"
	OutcomeNotPerfected Outcome = "not_perfected"
	OutcomeReferredFPF  Outcome = "referred_fpf"
	// validation
	OutcomeCompliant    Outcome = "compliant"
	OutcomeNonCompliant Outcome = "non_compliant"
	OutcomeReferred     Outcome = "referred"
)

// Decision is the outcome a reviewer records, with what it requires.
type Decision struct {
	Outcome  Outcome   `json:"outcome"`
	Reasons  string    `json:"reasons,omitempty"`
	Amount   Cents     `json:"amount,omitempty"` // amount allowed, lost revenue computed, or duty difference accepted
	Lines    []int     `json:"lines,omitempty"`  // entry lines the decision allows
	By       string    `json:"by"`
	On       Date      `json:"on"`
	At       time.Time `json:"at"`
	Approval bool      `json:"approval,omitempty"` // waits for a second person
	Approver string    `json:"approver,omitempty"`
	Approved time.Time `json:"approved,omitempty"`
	Returned string    `json:"returned,omitempty"` // last return comment
	// LateAck is the reviewer's acknowledgement, recorded with the decision, of what the law makes of deciding
	// after a deadline (a PSC or PEA after liquidation, a protest already deemed denied, a short tender); empty
	// when the decision was in time.
	LateAck string `json:"late_ack,omitempty"`
}

// Case is one piece of Center work with a legal clock. Exactly one of the kind-specific parts is set, the one
// that matches Kind.
type Case struct {
	ID       string       `json:"id"`
	Kind     Kind         `json:"kind"`
	Center   string       `json:"center"`
	Importer Importer     `json:"importer"`
	Entry    EntrySummary `json:"entry"`
	Received Date         `json:"received"` // the day the case reached the Center
	Assignee string       `json:"assignee,omitempty"`
	Assigned Date         `json:"assigned,omitempty"`
	Status   Status       `json:"status"`

	Protest    *Protest    `json:"protest,omitempty"`
	PSC        *PSC        `json:"psc,omitempty"`
	PEA        *PEA        `json:"pea,omitempty"`
	Disclosure *Disclosure `json:"disclosure,omitempty"`
	Validation *Validation `json:"validation,omitempty"`

	// FirstAssigned is the date the case was first assigned to the Center team: policy clocks run from it, and a
	// reassignment never moves it.
	FirstAssigned Date `json:"first_assigned,omitempty"`

	Notes    []Note         `json:"notes,omitempty"`
	Requests []InfoRequest  `json:"requests,omitempty"`
	Notices  []ActionNotice `json:"notices,omitempty"` // notices of action (CBP Form 29)
	Decision *Decision      `json:"decision,omitempty"`

	Version   uint64    `json:"version"`
	UpdatedBy string    `json:"updated_by,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitempty"`

	// Lease is the case's checkout to a desk, when it has one. The store keeps leases apart from the case record
	// and fills this in when it reads a case for someone; it is never encoded with the case, exported or imported.
	Lease *Lease `json:"-"`
}

// Revenue is the revenue at stake: what the Center's decision moves.
func (c *Case) Revenue() Cents {
	abs := func(v Cents) Cents {
		if v < 0 {
			return -v
		}
		return v
	}
	switch c.Kind {
	case KindProtest:
		if c.Protest != nil {
			return abs(c.Protest.Claimed)
		}
	case KindPSC:
		if c.PSC != nil {
			return abs(c.PSC.DutyDiff)
		}
	case KindPEA:
		if c.PEA != nil {
			return abs(c.PEA.DutyDiff)
		}
	case KindDisclosure:
		if c.Disclosure != nil {
			return abs(c.Disclosure.LostRevenue)
		}
	case KindValidation:
		return c.Entry.TotalDuty()
	}
	return 0
}

// Clone returns a deep copy, so a rule can change the copy and the caller keep the original.
func (c *Case) Clone() *Case {
	n := *c
	n.Importer.Programs = append([]Program(nil), c.Importer.Programs...)
	n.Entry.Lines = append([]Line(nil), c.Entry.Lines...)
	n.Entry.Extensions = append([]Date(nil), c.Entry.Extensions...)
	if c.Protest != nil {
		p := *c.Protest
		p.Grounds = append([]Ground(nil), p.Grounds...)
		p.OriginalDeciders = append([]string(nil), p.OriginalDeciders...)
		p.Consolidated = append([]string(nil), p.Consolidated...)
		n.Protest = &p
	}
	if c.PSC != nil {
		p := *c.PSC
		p.ReasonCodes = append([]string(nil), p.ReasonCodes...)
		n.PSC = &p
	}
	if c.PEA != nil {
		p := *c.PEA
		n.PEA = &p
	}
	if c.Disclosure != nil {
		p := *c.Disclosure
		n.Disclosure = &p
	}
	if c.Validation != nil {
		p := *c.Validation
		n.Validation = &p
	}
	n.Notes = append([]Note(nil), c.Notes...)
	n.Requests = append([]InfoRequest(nil), c.Requests...)
	n.Notices = append([]ActionNotice(nil), c.Notices...)
	if c.Decision != nil {
		d := *c.Decision
		d.Lines = append([]int(nil), d.Lines...)
		n.Decision = &d
	}
	return &n
}

// userName is the form of a user name: a lower-case letter, then up to 31 of a-z 0-9 . _ -.
var userName = regexp.MustCompile(`^[a-z][a-z0-9._-]{0,31}$`)

// ValidUserName reports whether name has the form of a ceedesk user name (a lower-case letter, then up to 31 of
// a-z 0-9 . _ -): the names the store accepts, and so the names a config may give.
func ValidUserName(name string) bool { return userName.MatchString(name) }

// Role is what a user may do.
type Role string

const (
	RoleReviewer   Role = "reviewer"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// ParseRole reads reviewer, supervisor or admin.
func ParseRole(s string) (Role, error) {
	switch Role(strings.ToLower(strings.TrimSpace(s))) {
	case RoleReviewer:
		return RoleReviewer, nil
	case RoleSupervisor:
		return RoleSupervisor, nil
	case RoleAdmin:
		return RoleAdmin, nil
	}
	return "", fmt.Errorf("role %q: want reviewer, supervisor or admin", s)
}

// User is a person who signs in to ceedesk.
type User struct {
	Name     string    `json:"name"` // login name, lower case
	Display  string    `json:"display,omitempty"`
	Role     Role      `json:"role"`
	Center   string    `json:"center"`
	Created  time.Time `json:"created"`
	Disabled bool      `json:"disabled,omitempty"`
}

// Policy holds the local-policy settings of domain.md, with their defaults from DefaultPolicy.
type Policy struct {
	ApprovalThreshold    Cents `json:"approval_threshold" toml:"approval_threshold"`
	ValidationDays       int   `json:"validation_days" toml:"validation_days"`
	DisclosureReviewDays int   `json:"disclosure_review_days" toml:"disclosure_review_days"`
	ScheduledLiquidation int   `json:"scheduled_liquidation_days" toml:"scheduled_liquidation_days"`
	InfoRequestDays      int   `json:"info_request_days" toml:"info_request_days"`
	// Interest is the table of quarterly interest rates ([interest] in config.toml), nil for the built-in one
	// (see InterestRates). It moves no clock, so it is not part of the policy a store indexes under.
	Interest *InterestRates `json:"-" toml:"-"`
	// Approvers names the admins who may approve a decision waiting for a second person, beside the supervisors
	// of the case's Center ([policy] approvers = ["NAME", ...] in config.toml): a Center with one supervisor needs
	// someone to approve that supervisor's own decisions. A name that is not an enabled admin approves nothing,
	// and the decider never approves. It is a pointer so that a Policy stays comparable; nil names nobody. Like
	// Interest it moves no clock, so it is not part of the policy a store indexes under.
	Approvers *[]string `json:"-" toml:"-"`
}

// ApproverNames lists the names in Approvers (nil for none).
func (p Policy) ApproverNames() []string {
	if p.Approvers == nil {
		return nil
	}
	return *p.Approvers
}

// NamesApprover reports whether Approvers names the user.
func (p Policy) NamesApprover(name string) bool {
	for _, n := range p.ApproverNames() {
		if n == name && n != "" {
			return true
		}
	}
	return false
}

// DefaultPolicy is domain.md's local-policy defaults.
func DefaultPolicy() Policy {
	return Policy{
		ApprovalThreshold:    10_000_00,
		ValidationDays:       90,
		DisclosureReviewDays: 90,
		ScheduledLiquidation: 314,
		InfoRequestDays:      30,
	}
}

// QueueRow is the compact projection of a case that a queue shows; the store keeps it beside its indexes so a
// page of a queue decodes only its rows.
type QueueRow struct {
	ID       string `json:"id"`
	Kind     Kind   `json:"kind"`
	Status   Status `json:"status"`
	Center   string `json:"center"`
	Assignee string `json:"assignee,omitempty"`
	Due      Date   `json:"due"`
	Received Date   `json:"received"`
	Importer string `json:"importer"`
	Entry    string `json:"entry"`
	Revenue  Cents  `json:"revenue"`
	Version  uint64 `json:"version"`
	// Lease is the case's checkout to a desk, when it has one: the store fills it in from its lease records on
	// reading a page (it is not part of the row's stored projection).
	Lease *Lease `json:"lease,omitempty"`
}

// Row projects the case for a queue. Its due date is computed from the law and policy, never typed.
func (c *Case) Row(p Policy) QueueRow {
	return QueueRow{
		ID: c.ID, Kind: c.Kind, Status: c.Status, Center: c.Center, Assignee: c.Assignee,
		Due: DueDate(c, p), Received: c.Received, Importer: c.Importer.Name, Entry: c.Entry.Number,
		Revenue: c.Revenue(), Version: c.Version,
	}
}

// Event is one entry of the append-only audit log.
type Event struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Case   string    `json:"case,omitempty"`
	Action string    `json:"action"` // import, assign, decide, approve, return, note, request_info, user_add, ...
	Change string    `json:"change"` // what changed, field: before -> after
	Reason string    `json:"reason,omitempty"`
	// Offline is when a change checked in from a desk file was made there (At is when it was checked in); zero
	// for a change made at the Center.
	Offline time.Time `json:"offline,omitempty"`
	Prev    string    `json:"prev"` // hex SHA-256 of the previous event
	Hash    string    `json:"hash"` // hex SHA-256 of this event's content and Prev
}
