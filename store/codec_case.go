package store

import (
	"encoding/binary"
	"errors"
	"time"

	"ceedesk/cases"
)

// The compact case encoding: about a third of the size of JSON and several times faster both ways, which is what
// lets a million cases load in under a minute and fit well under 2 GB. Fields are written in a fixed order;
// strings and lists are length-prefixed, numbers and dates are varints, optional parts and lists carry a presence
// byte. TestCaseCodecCoversEveryField fills every field of cases.Case by reflection and fails when a field is added
// that this codec does not carry.
//
// Two layouts exist. Layout 1 (formats caseBinary and caseChecked) is what stores hold from before a case carried
// the dates the law counts from; layout 2 (format caseChecked2, the one written) adds, each in its place, the
// entry's extensions and suspension, the first assignment, the protest's further-review, Headquarters,
// consolidation and denial-mailing facts, the disclosure's waiver, extension, calculation, culpability and
// liquidation, the answers to requests, the notices of action and a decision's late acknowledgement. A layout-1
// record reads with all of them zero, which is what it knew; it is rewritten in layout 2 when its case next
// changes. TestOldLayoutRecordsStillRead holds records written by the layout-1 encoder.
const (
	layout1 = 1
	layout2 = 2
)

// caseBinary is layout 1 without a checksum, from before caseChecked; read only.
const caseBinary = 'B'

type encoder struct{ b []byte }

func (e *encoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}
func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) date(d cases.Date) {
	e.b = binary.AppendVarint(e.b, int64(d))
}
func (e *encoder) boolean(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// time: 0 = zero time; 1 = UTC, seconds and nanoseconds; 2 = any other zone, time.MarshalBinary.
func (e *encoder) time(t time.Time) {
	switch {
	case t.IsZero() && t.Location() == time.UTC:
		e.b = append(e.b, 0)
	case t.Location() == time.UTC:
		e.b = append(e.b, 1)
		e.varint(t.Unix())
		e.uvarint(uint64(t.Nanosecond()))
	default:
		m, _ := t.MarshalBinary()
		e.b = append(e.b, 2)
		e.str(string(m))
	}
}

func (e *encoder) dates(ds []cases.Date) {
	e.present(ds != nil)
	if ds == nil {
		return
	}
	e.uvarint(uint64(len(ds)))
	for _, d := range ds {
		e.date(d)
	}
}

func (e *encoder) strs(ss []string) {
	e.present(ss != nil)
	if ss == nil {
		return
	}
	e.uvarint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *encoder) present(ok bool) { e.boolean(ok) }

func toStrings[T ~string](xs []T) []string {
	if xs == nil {
		return nil
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func fromStrings[T ~string](ss []string) []T {
	if ss == nil {
		return nil
	}
	out := make([]T, len(ss))
	for i, s := range ss {
		out[i] = T(s)
	}
	return out
}

// encodeCaseLayout2 writes c in layout 2 after a format byte caseChecked2; encodeCase appends the checksum.
func encodeCaseLayout2(c *cases.Case) []byte {
	e := &encoder{b: make([]byte, 0, 512)}
	e.b = append(e.b, caseChecked2)
	e.str(c.ID)
	e.str(string(c.Kind))
	e.str(c.Center)
	e.str(c.Importer.Number)
	e.str(c.Importer.Name)
	e.strs(toStrings(c.Importer.Programs))
	en := &c.Entry
	e.str(en.Number)
	e.str(en.Type)
	e.str(en.Port)
	e.date(en.EntryDate)
	e.date(en.Liquidates)
	e.date(en.Extended)
	e.date(en.Liquidated)
	e.dates(en.Extensions)
	e.date(en.Suspended)
	e.date(en.Unsuspended)
	e.present(en.Lines != nil)
	e.uvarint(uint64(len(en.Lines)))
	for _, l := range en.Lines {
		e.varint(int64(l.Number))
		e.str(l.HTS)
		e.str(l.Description)
		e.str(l.Origin)
		e.varint(int64(l.Value))
		e.varint(int64(l.RateBP))
		e.varint(int64(l.Duty))
	}
	e.date(c.Received)
	e.str(c.Assignee)
	e.date(c.Assigned)
	e.date(c.FirstAssigned)
	e.str(string(c.Status))

	e.present(c.Protest != nil)
	if p := c.Protest; p != nil {
		e.str(p.Number)
		e.date(p.Filed)
		e.date(p.Protested)
		e.strs(toStrings(p.Grounds))
		e.varint(int64(p.Claimed))
		e.date(p.AccelMailed)
		e.boolean(p.FurtherReview)
		e.date(p.AFRFiled)
		e.strs(p.OriginalDeciders)
		e.date(p.AFRDecided)
		e.boolean(p.AFRDenied)
		e.date(p.SetAsideFiled)
		e.date(p.HQReferred)
		e.date(p.HQAnswered)
		e.strs(p.Consolidated)
		e.date(p.LastFiled)
		e.date(p.DenialMailed)
	}
	e.present(c.PSC != nil)
	if p := c.PSC; p != nil {
		e.date(p.Filed)
		e.varint(int64(p.Version))
		e.strs(p.ReasonCodes)
		e.varint(int64(p.DutyDiff))
		e.str(p.Explanation)
	}
	e.present(c.PEA != nil)
	if p := c.PEA; p != nil {
		e.date(p.Filed)
		e.varint(int64(p.DutyDiff))
		e.str(p.Explanation)
	}
	e.present(c.Disclosure != nil)
	if p := c.Disclosure; p != nil {
		e.date(p.Disclosed)
		e.boolean(p.Oral)
		e.date(p.Confirmed)
		e.date(p.Perfected)
		e.varint(int64(p.LostRevenue))
		e.varint(int64(p.Tender))
		e.date(p.ConfirmWaived)
		e.date(p.PerfectionExtended)
		e.date(p.Calculated)
		e.str(string(p.Culpability))
		e.date(p.Liquidated)
	}
	e.present(c.Validation != nil)
	if p := c.Validation; p != nil {
		e.str(string(p.Program))
		e.str(p.Scope)
		e.date(p.Due)
	}

	e.present(c.Notes != nil)
	e.uvarint(uint64(len(c.Notes)))
	for _, n := range c.Notes {
		e.str(n.Author)
		e.time(n.At)
		e.str(n.Text)
	}
	e.present(c.Requests != nil)
	e.uvarint(uint64(len(c.Requests)))
	for _, r := range c.Requests {
		e.str(r.By)
		e.time(r.At)
		e.date(r.Due)
		e.str(r.Question)
		e.date(r.Answered)
		e.str(r.Answer)
		e.str(r.RecordedBy)
		e.time(r.RecordedAt)
	}
	e.present(c.Notices != nil)
	e.uvarint(uint64(len(c.Notices)))
	for _, n := range c.Notices {
		e.str(n.By)
		e.time(n.At)
		e.date(n.Sent)
		e.boolean(n.Proposed)
		e.str(n.Action)
		e.date(n.ReplyDue)
		e.date(n.Replied)
		e.str(n.Reply)
	}
	e.present(c.Decision != nil)
	if d := c.Decision; d != nil {
		e.str(string(d.Outcome))
		e.str(d.Reasons)
		e.varint(int64(d.Amount))
		e.present(d.Lines != nil)
		e.uvarint(uint64(len(d.Lines)))
		for _, n := range d.Lines {
			e.varint(int64(n))
		}
		e.str(d.By)
		e.date(d.On)
		e.time(d.At)
		e.boolean(d.Approval)
		e.str(d.Approver)
		e.time(d.Approved)
		e.str(d.Returned)
		e.str(d.LateAck)
	}
	e.uvarint(c.Version)
	e.str(c.UpdatedBy)
	e.time(c.UpdatedAt)
	return e.b
}

func (d *decoder) date() cases.Date { return cases.Date(d.varint()) }
func (d *decoder) boolean() bool    { return d.byte() == 1 }
func (d *decoder) present() bool    { return d.byte() == 1 }

func (d *decoder) time() time.Time {
	switch d.byte() {
	case 0:
		return time.Time{}
	case 1:
		sec := d.varint()
		nsec := d.uvarint()
		return time.Unix(sec, int64(nsec)).UTC()
	case 2:
		var t time.Time
		if err := t.UnmarshalBinary([]byte(d.str())); err != nil {
			d.err = true
		}
		return t
	}
	d.err = true
	return time.Time{}
}

func (d *decoder) dates() []cases.Date {
	if !d.present() {
		return nil
	}
	n := d.count()
	out := make([]cases.Date, n)
	for i := range out {
		out[i] = d.date()
	}
	return out
}

func (d *decoder) strs() []string {
	if !d.present() {
		return nil
	}
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = true
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

// count reads a list length, guarding against lengths the remaining bytes cannot hold.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err = true
		return 0
	}
	return int(n)
}

var errCase = errors.New("damaged case record")

// decodeCaseBinary reads a case written in the given layout (the bytes after the format byte, without a checksum).
// What layout 1 does not hold stays zero.
func decodeCaseBinary(b []byte, layout int) (*cases.Case, error) {
	d := &decoder{b: b}
	v2 := layout >= layout2
	c := &cases.Case{}
	c.ID = d.str()
	c.Kind = cases.Kind(d.str())
	c.Center = d.str()
	c.Importer.Number = d.str()
	c.Importer.Name = d.str()
	c.Importer.Programs = fromStrings[cases.Program](d.strs())
	en := &c.Entry
	en.Number = d.str()
	en.Type = d.str()
	en.Port = d.str()
	en.EntryDate = d.date()
	en.Liquidates = d.date()
	en.Extended = d.date()
	en.Liquidated = d.date()
	if v2 {
		en.Extensions = d.dates()
		en.Suspended = d.date()
		en.Unsuspended = d.date()
	}
	hasLines := d.present()
	if n := d.count(); hasLines {
		en.Lines = make([]cases.Line, n)
		for i := range en.Lines {
			l := &en.Lines[i]
			l.Number = int(d.varint())
			l.HTS = d.str()
			l.Description = d.str()
			l.Origin = d.str()
			l.Value = cases.Cents(d.varint())
			l.RateBP = int(d.varint())
			l.Duty = cases.Cents(d.varint())
		}
	}
	c.Received = d.date()
	c.Assignee = d.str()
	c.Assigned = d.date()
	if v2 {
		c.FirstAssigned = d.date()
	}
	c.Status = cases.Status(d.str())

	if d.present() {
		p := &cases.Protest{}
		p.Number = d.str()
		p.Filed = d.date()
		p.Protested = d.date()
		p.Grounds = fromStrings[cases.Ground](d.strs())
		p.Claimed = cases.Cents(d.varint())
		p.AccelMailed = d.date()
		p.FurtherReview = d.boolean()
		p.AFRFiled = d.date()
		p.OriginalDeciders = d.strs()
		if v2 {
			p.AFRDecided = d.date()
			p.AFRDenied = d.boolean()
			p.SetAsideFiled = d.date()
			p.HQReferred = d.date()
			p.HQAnswered = d.date()
			p.Consolidated = d.strs()
			p.LastFiled = d.date()
			p.DenialMailed = d.date()
		}
		c.Protest = p
	}
	if d.present() {
		p := &cases.PSC{}
		p.Filed = d.date()
		p.Version = int(d.varint())
		p.ReasonCodes = d.strs()
		p.DutyDiff = cases.Cents(d.varint())
		p.Explanation = d.str()
		c.PSC = p
	}
	if d.present() {
		p := &cases.PEA{}
		p.Filed = d.date()
		p.DutyDiff = cases.Cents(d.varint())
		p.Explanation = d.str()
		c.PEA = p
	}
	if d.present() {
		p := &cases.Disclosure{}
		p.Disclosed = d.date()
		p.Oral = d.boolean()
		p.Confirmed = d.date()
		p.Perfected = d.date()
		p.LostRevenue = cases.Cents(d.varint())
		p.Tender = cases.Cents(d.varint())
		if v2 {
			p.ConfirmWaived = d.date()
			p.PerfectionExtended = d.date()
			p.Calculated = d.date()
			p.Culpability = cases.Culpability(d.str())
			p.Liquidated = d.date()
		}
		c.Disclosure = p
	}
	if d.present() {
		p := &cases.Validation{}
		p.Program = cases.Program(d.str())
		p.Scope = d.str()
		p.Due = d.date()
		c.Validation = p
	}

	hasNotes := d.present()
	if n := d.count(); hasNotes {
		c.Notes = make([]cases.Note, n)
		for i := range c.Notes {
			c.Notes[i] = cases.Note{Author: d.str(), At: d.time(), Text: d.str()}
		}
	}
	hasRequests := d.present()
	if n := d.count(); hasRequests {
		c.Requests = make([]cases.InfoRequest, n)
		for i := range c.Requests {
			r := &c.Requests[i]
			r.By, r.At, r.Due, r.Question = d.str(), d.time(), d.date(), d.str()
			if v2 {
				r.Answered, r.Answer, r.RecordedBy, r.RecordedAt = d.date(), d.str(), d.str(), d.time()
			}
		}
	}
	if v2 {
		hasNotices := d.present()
		if n := d.count(); hasNotices {
			c.Notices = make([]cases.ActionNotice, n)
			for i := range c.Notices {
				x := &c.Notices[i]
				x.By, x.At, x.Sent, x.Proposed = d.str(), d.time(), d.date(), d.boolean()
				x.Action, x.ReplyDue, x.Replied, x.Reply = d.str(), d.date(), d.date(), d.str()
			}
		}
	}
	if d.present() {
		x := &cases.Decision{}
		x.Outcome = cases.Outcome(d.str())
		x.Reasons = d.str()
		x.Amount = cases.Cents(d.varint())
		hasLines := d.present()
		if n := d.count(); hasLines {
			x.Lines = make([]int, n)
			for i := range x.Lines {
				x.Lines[i] = int(d.varint())
			}
		}
		x.By = d.str()
		x.On = d.date()
		x.At = d.time()
		x.Approval = d.boolean()
		x.Approver = d.str()
		x.Approved = d.time()
		x.Returned = d.str()
		if v2 {
			x.LateAck = d.str()
		}
		c.Decision = x
	}
	c.Version = d.uvarint()
	c.UpdatedBy = d.str()
	c.UpdatedAt = d.time()
	if d.err || len(d.b) != 0 {
		return nil, errCase
	}
	return c, nil
}
