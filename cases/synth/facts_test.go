package synth

import (
	"fmt"
	"sort"
	"testing"

	"ceedesk/cases"
)

// caseloadFacts counts, in a caseload, the cases that show each fact of the law a reviewer meets.
func caseloadFacts(cs []*cases.Case, today cases.Date) map[string]int {
	f := map[string]int{}
	for _, c := range cs {
		e := c.Entry
		if n := len(e.Extensions); n > 0 {
			f[fmt.Sprintf("entry extended %d times", n)]++
			if c.Kind == cases.KindPSC {
				f["PSC on an extended entry"]++
				if c.PSC.Filed > e.EntryDate.AddDays(300) && c.PSC.Filed <= e.Extended.AddDays(-15) {
					f["PSC after 300 days, timely by the extension"]++
				}
			}
		}
		if e.Suspended != 0 {
			f["entry suspended (AD/CVD)"]++
			if e.Unsuspended != 0 {
				f["suspension lifted"]++
			}
		}
		if c.FirstAssigned != 0 && c.FirstAssigned < c.Assigned {
			f["reassigned (first assignment earlier)"]++
		}
		if p := c.Protest; p != nil {
			if p.Exclusion() && c.Status.Open() && today > p.Filed.AddDays(30) {
				f["exclusion protest past day 30, undecided (deemed denied)"]++
			}
			if p.AccelMailed != 0 {
				if p.AccelMailed <= p.Filed.AddDays(90) {
					f["accelerated disposition, premature"]++
				} else {
					f["accelerated disposition, valid"]++
				}
			}
			if len(p.Consolidated) > 0 {
				f["consolidated protest"]++
			}
			if p.FurtherReview {
				f["further review applied for"]++
			}
			if p.AFRDecided != 0 {
				f["further review decided"]++
			}
			if p.AFRDenied {
				f["further review denied"]++
			}
			if p.SetAsideFiled != 0 {
				f["set-aside requested"]++
			}
			if p.HQReferred != 0 {
				f["referred to Headquarters"]++
			}
			if p.HQAnswered != 0 {
				f["Headquarters answered"]++
			}
			if p.DenialMailed != 0 {
				f["denied protest, notice of denial mailed"]++
			}
		}
		for _, r := range c.Requests {
			switch {
			case r.Answered != 0:
				f["CF-28 answered"]++
			case today > r.Due:
				f["CF-28 unanswered past due"]++
			}
		}
		for _, n := range c.Notices {
			switch {
			case n.Proposed && n.Replied != 0:
				f["CF-29 proposed, replied"]++
			case n.Proposed && today <= n.ReplyDue:
				f["CF-29 proposed, within the reply period"]++
			case n.Proposed:
				f["CF-29 proposed, reply period over"]++
			default:
				f["CF-29 action taken"]++
			}
		}
		if d := c.Disclosure; d != nil {
			if d.ConfirmWaived != 0 {
				f["disclosure confirmation waived"]++
			}
			if d.PerfectionExtended != 0 {
				f["disclosure perfection extended"]++
			}
			if d.Calculated != 0 {
				f["disclosure loss calculated"]++
			}
			if d.Culpability != "" {
				f["disclosure culpability "+string(d.Culpability)]++
			}
			if d.Liquidated != 0 {
				f["disclosure of liquidated entries"]++
			}
		}
	}
	return f
}

// A 3000-case caseload, the size of a demo, shows a reviewer every fact of the law the record can hold, and
// stays plausible: no protest claims back more duty than its entry paid, and every assigned case says when it
// was first assigned.
func TestCaseloadShowsEveryFact(t *testing.T) {
	g := New(1, today)
	var cs []*cases.Case
	for i := 0; i < 3000; i++ {
		c := g.Next()
		cs = append(cs, c)
		if p := c.Protest; p != nil {
			if duty := c.Entry.TotalDuty(); p.Claimed > duty || p.Claimed == 0 {
				t.Errorf("%s claims %s on entry %s, whose duty is %s", c.ID, p.Claimed, c.Entry.Number, duty)
			}
		}
		if c.Assignee != "" && (c.FirstAssigned == 0 || c.FirstAssigned > c.Assigned) {
			t.Errorf("%s assigned %s, first assigned %s", c.ID, c.Assigned, c.FirstAssigned)
		}
		if c.Entry.Suspended != 0 && c.Entry.Type != "03" {
			t.Errorf("%s: entry type %s suspended; the caseload suspends AD/CVD entries", c.ID, c.Entry.Type)
		}
	}
	f := caseloadFacts(cs, today)
	for _, want := range []string{
		"entry extended 1 times", "entry extended 2 times", "entry extended 3 times", "PSC after 300 days, timely by the extension",
		"entry suspended (AD/CVD)", "suspension lifted", "reassigned (first assignment earlier)",
		"exclusion protest past day 30, undecided (deemed denied)", "accelerated disposition, premature",
		"accelerated disposition, valid", "consolidated protest", "further review decided", "further review denied",
		"set-aside requested", "referred to Headquarters", "Headquarters answered", "denied protest, notice of denial mailed",
		"CF-28 answered", "CF-28 unanswered past due", "CF-29 proposed, within the reply period", "CF-29 proposed, replied",
		"CF-29 action taken", "disclosure confirmation waived", "disclosure perfection extended", "disclosure loss calculated",
		"disclosure culpability negligence", "disclosure culpability gross_negligence", "disclosure culpability fraud",
		"disclosure of liquidated entries",
	} {
		if f[want] == 0 {
			t.Errorf("no case in 3000 shows: %s", want)
		}
	}
	if testing.Verbose() {
		var ks []string
		for k := range f {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for _, k := range ks {
			t.Logf("%5d %s", f[k], k)
		}
	}
}
