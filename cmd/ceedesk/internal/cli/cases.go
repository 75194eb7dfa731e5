package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"ceedesk/cases"
)

func cmdQueue(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("queue")
	center := fs.String("center", "", "a whole Center's cases instead of one reviewer's")
	filter := fs.String("filter", "", "filter query, e.g. 'kind:protest OR kind:psc -status:decided due:<2026-12-31'")
	sortBy := fs.String("sort", "due", "due, received, amount, importer, kind, case, status, assignee or entry")
	reverse := fs.Bool("reverse", false, "the sort in reverse order")
	limit := fs.Int("limit", 50, "rows to show")
	offset := fs.Int("offset", 0, "rows to skip")
	all := fs.Bool("all", false, "include decided cases (a filter that names a status does too)")
	idsOnly := fs.Bool("ids", false, "print only the case ids, one a line (for scripts)")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("one USER at most, got %d arguments", len(pos))
	}
	q := cases.QueueQuery{Center: strings.ToUpper(*center), Reverse: *reverse, Offset: *offset, Limit: *limit, Today: env.Today}
	if q.Sort, err = cases.ParseSortKey(*sortBy); err != nil {
		return usagef("%v", err)
	}
	if q.Filter, err = cases.ParseFilter(*filter); err != nil {
		return usagef("%v", err)
	}
	q.OpenOnly = !*all && !q.Filter.NamesStatus()
	if *limit < 1 || *limit > 10000 || *offset < 0 {
		return usagef("--limit wants 1 to 10000 and --offset 0 or more")
	}
	if len(pos) == 1 {
		q.Assignee = pos[0]
	}
	if q.Assignee == "" && q.Center == "" {
		u, err := actor(env, "show your queue (or name a USER or --center)")
		if err != nil {
			return err
		}
		if u.Role == cases.RoleSupervisor {
			q.Center = u.Center
		} else {
			q.Assignee = u.Name
		}
	}
	page, err := env.Store.Queue(who(env), q)
	if err != nil {
		return err
	}
	if *idsOnly {
		for _, r := range page.Rows {
			fmt.Fprintln(env.Stdout, cases.CleanLine(r.ID))
		}
		return nil
	}
	counts, err := env.Store.Counts(who(env), q)
	if err != nil {
		return err
	}
	scope := q.Assignee
	if scope == "" {
		scope = "Center " + q.Center
	}
	fmt.Fprintf(env.Stdout, "%s: %d open, %d overdue, %d due this week, %s at stake; showing %d-%d of %d\n",
		scope, counts.Open, counts.Overdue, counts.DueWeek, counts.Revenue, min(page.Offset+1, page.Total), page.Offset+len(page.Rows), page.Total)
	leased := slices.ContainsFunc(page.Rows, func(r cases.QueueRow) bool { return r.Lease != nil })
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	head := "DUE\tLEFT\t\tKIND\tCASE\tIMPORTER\tENTRY\tSTATUS\tASSIGNEE\tAT STAKE"
	if leased {
		head += "\tCHECKED OUT"
	}
	fmt.Fprintln(tw, head)
	for _, r := range page.Rows {
		left := env.Today.DaysUntil(r.Due)
		fmt.Fprintf(tw, "%s\t%dd\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", r.Due, left, Mark(r.Status, left),
			r.Kind.Short(), cases.CleanLine(r.ID), truncate(cases.CleanLine(r.Importer), 32), r.Entry, r.Status.Title(), r.Assignee, r.Revenue)
		if r.Lease != nil {
			fmt.Fprintf(tw, "\t%s", strings.TrimPrefix(r.Lease.Label(env.Today), "checked out "))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// Mark is the symbol that says a row's urgency without colour: ! overdue, • due within 7 days.
func Mark(s cases.Status, left int) string {
	if !s.Open() {
		return " "
	}
	switch {
	case left < 0:
		return "!"
	case left <= 7:
		return "•"
	}
	return " "
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func cmdCase(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("case")
	asJSON := fs.Bool("json", false, "print the case as JSON")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("one case ID is needed")
	}
	c, err := env.Store.Case(who(env), pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(cases.JSONEscaper(env.Stdout))
		enc.SetIndent("", "  ")
		return enc.Encode(newCaseJSON(c, env.Store.Policy(), env.Today))
	}
	hist, err := env.Store.History(who(env), c.ID)
	if err != nil {
		return err
	}
	WriteCase(env.Stdout, c, hist, env.Store.Policy(), env.Today)
	return nil
}

// caseJSON is what case --json prints: the case as the store encodes it, with what the rules compute from it as
// of a day added beside its fields: as_of (that day), due_date (the queue's date), every clock and every finding,
// so that a script or an auditor sees what the detail pane sees. A reader of cases.Case ignores the added keys.
type caseJSON struct {
	*cases.Case
	AsOf     cases.Date      `json:"as_of"`
	DueDate  cases.Date      `json:"due_date"`
	Clocks   []clockJSON     `json:"clocks"`
	Findings []cases.Finding `json:"findings"`
}

// clockJSON is a clock with how it stands as of the day: status "met", "open" or "passed", and the days left to
// its last day to act (negative once past).
type clockJSON struct {
	cases.Clock
	Status   string `json:"status"`
	DaysLeft int    `json:"days_left"`
}

func newCaseJSON(c *cases.Case, p cases.Policy, today cases.Date) caseJSON {
	out := caseJSON{Case: c, AsOf: today, DueDate: cases.DueDate(c, p), Clocks: []clockJSON{}, Findings: cases.Findings(c, p, today)}
	for _, k := range cases.Clocks(c, p) {
		out.Clocks = append(out.Clocks, clockJSON{Clock: k, Status: k.Status(today), DaysLeft: today.DaysUntil(k.Due)})
	}
	if out.Findings == nil {
		out.Findings = []cases.Finding{}
	}
	return out
}

// WriteCase prints a case for people: everything needed to decide, as plain text with outside text cleaned.
func WriteCase(w io.Writer, c *cases.Case, hist []cases.Event, p cases.Policy, today cases.Date) {
	cl := cases.CleanLine
	due := cases.DueDate(c, p)
	fmt.Fprintf(w, "%s %s  (%s, version %d)\n", c.Kind.Title(), cl(c.ID), c.Status.Title(), c.Version)
	fmt.Fprintf(w, "Center %s   assignee %s   received %s   due %s (%d days left)\n", c.Center, orDash(c.Assignee), c.Received, due, today.DaysUntil(due))
	if l := c.Lease; l != nil {
		fmt.Fprintf(w, "Checked out: %s (checkout %s, since %s)\n", l.Label(today), l.Checkout, l.At.Local().Format("2006-01-02 15:04"))
	}
	fmt.Fprintf(w, "Importer %s %s", cl(c.Importer.Number), cl(c.Importer.Name))
	if len(c.Importer.Programs) > 0 {
		var ps []string
		for _, p := range c.Importer.Programs {
			ps = append(ps, string(p))
		}
		fmt.Fprintf(w, " [%s]", strings.Join(ps, ", "))
	}
	fmt.Fprintln(w)
	e := c.Entry
	fmt.Fprintf(w, "Entry %s type %s %s, port %s %s, entered %s, liquidates %s", e.Number, e.Type, cases.EntryTypeName(e.Type), e.Port, cases.PortName(e.Port), e.EntryDate, e.Liquidates)
	if !e.Extended.IsZero() {
		fmt.Fprintf(w, " (extended to %s)", e.Extended)
	}
	if !e.Liquidated.IsZero() {
		fmt.Fprintf(w, ", liquidated %s", e.Liquidated)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  LINE\tHTSUS\tORIGIN\tVALUE\tRATE\tDUTY\tDESCRIPTION")
	for _, l := range e.Lines {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%d.%02d%%\t%s\t%s\n", l.Number, cases.FormatHTS(l.HTS), cl(l.Origin), l.Value, l.RateBP/100, l.RateBP%100, l.Duty, truncate(cl(l.Description), 60))
	}
	tw.Flush()
	writeKindPart(w, c)
	fmt.Fprintf(w, "Revenue at stake %s\n", c.Revenue())
	fmt.Fprintln(w, "Clocks (act by, kind of date, status, how counted and basis):")
	for _, k := range cases.Clocks(c, p) {
		state := fmt.Sprintf("%d days left", today.DaysUntil(k.Due))
		if k.Met {
			state = "met"
		} else if today.DaysUntil(k.Due) < 0 {
			state = fmt.Sprintf("passed %d days ago", -today.DaysUntil(k.Due))
		}
		name := k.Name
		if k.Action {
			name += " (action)"
		}
		how := k.Rule
		if k.Kind == cases.DateDeemed {
			how = fmt.Sprintf("%s on %s; %s", k.Event, k.Deemed, how)
		}
		fmt.Fprintf(w, "  %-45s %s  %-8s  %-20s %s [%s]\n", name, k.Due, k.Kind, state, how, k.Basis)
	}
	if pr := c.Protest; pr != nil && !pr.HQReferred.IsZero() {
		fmt.Fprintf(w, "  %-45s %s  answered %s [19 CFR 174.26]\n", "Referred to Headquarters", pr.HQReferred, orDash(pr.HQAnswered.String()))
	}
	if fs := cases.Findings(c, p, today); len(fs) > 0 {
		fmt.Fprintln(w, "Findings:")
		for _, f := range fs {
			fmt.Fprintf(w, "  ! %s (%s)\n", cl(f.Text), f.Basis)
		}
	}
	if d := c.Decision; d != nil {
		fmt.Fprintf(w, "Decision: %s by %s on %s", d.Outcome, d.By, d.On)
		if d.Amount != 0 {
			fmt.Fprintf(w, ", amount %s", d.Amount)
		}
		if len(d.Lines) > 0 {
			fmt.Fprintf(w, ", lines %v", d.Lines)
		}
		switch {
		case d.Approver != "":
			fmt.Fprintf(w, ", approved by %s", d.Approver)
		case d.Approval:
			fmt.Fprint(w, ", waiting for approval")
		}
		fmt.Fprintln(w)
		if d.Reasons != "" {
			fmt.Fprintf(w, "  Reasons: %s\n", cl(d.Reasons))
		}
		if d.LateAck != "" {
			fmt.Fprintf(w, "  Late: %s\n", cl(d.LateAck))
		}
	}
	for _, r := range c.Requests {
		fmt.Fprintf(w, "Request for information (CBP Form 28) by %s %s, due %s: %s\n", r.By, r.At.Format("2006-01-02"), r.Due, cl(r.Question))
		if r.Answered != 0 {
			fmt.Fprintf(w, "  Answered %s (recorded by %s): %s\n", r.Answered, r.RecordedBy, cl(r.Answer))
		}
	}
	for _, n := range c.Notices {
		if n.Proposed {
			fmt.Fprintf(w, "Notice of proposed action (CBP Form 29) by %s, sent %s, reply due %s: %s\n", n.By, n.Sent, n.ReplyDue, cl(n.Action))
		} else {
			fmt.Fprintf(w, "Notice of action taken (CBP Form 29) by %s, sent %s: %s\n", n.By, n.Sent, cl(n.Action))
		}
		if n.Replied != 0 {
			fmt.Fprintf(w, "  Replied %s: %s\n", n.Replied, cl(n.Reply))
		}
	}
	if len(c.Notes) > 0 {
		fmt.Fprintln(w, "Notes:")
		for _, n := range c.Notes {
			fmt.Fprintf(w, "  %s %s: %s\n", n.At.Format("2006-01-02 15:04"), n.Author, cl(n.Text))
		}
	}
	if len(hist) > 0 {
		fmt.Fprintln(w, "History:")
		for _, ev := range hist {
			fmt.Fprintf(w, "  %s %-10s %-12s %s", ev.At.Format("2006-01-02 15:04"), ev.Actor, ev.Action, cl(ev.Change))
			if ev.Reason != "" {
				fmt.Fprintf(w, " (reason: %s)", cl(ev.Reason))
			}
			if !ev.Offline.IsZero() {
				fmt.Fprintf(w, " [made offline %s, checked in %s]", ev.Offline.In(ev.At.Location()).Format("2006-01-02 15:04"), ev.At.Format("2006-01-02 15:04"))
			}
			fmt.Fprintln(w)
		}
	}
}

func writeKindPart(w io.Writer, c *cases.Case) {
	cl := cases.CleanLine
	switch {
	case c.Protest != nil:
		p := c.Protest
		var gs []string
		for _, g := range p.Grounds {
			gs = append(gs, string(g))
		}
		fmt.Fprintf(w, "Protest %s filed %s against the decision of %s; grounds: %s; claimed %s\n", p.Number, p.Filed, p.Protested, strings.Join(gs, ", "), p.Claimed)
		if !p.AccelMailed.IsZero() {
			fmt.Fprintf(w, "  Accelerated disposition requested by certified mail %s\n", p.AccelMailed)
		}
		if p.FurtherReview {
			fmt.Fprintf(w, "  Application for further review filed %s; original decision by %s\n", p.AFRFiled, strings.Join(p.OriginalDeciders, ", "))
		}
	case c.PSC != nil:
		p := c.PSC
		fmt.Fprintf(w, "Post-summary correction filed %s, summary version %d, reason codes %s, duty difference %s\n  %s\n", p.Filed, p.Version, strings.Join(p.ReasonCodes, ","), p.DutyDiff, cl(p.Explanation))
	case c.PEA != nil:
		fmt.Fprintf(w, "Post-entry amendment filed %s, duty difference %s\n  %s\n", c.PEA.Filed, c.PEA.DutyDiff, cl(c.PEA.Explanation))
	case c.Disclosure != nil:
		d := c.Disclosure
		how := "written"
		if d.Oral {
			how = "oral"
		}
		fmt.Fprintf(w, "Prior disclosure (%s) made %s; confirmed in writing %s; perfected %s; lost revenue %s; tendered %s\n", how, d.Disclosed, orDash(d.Confirmed.String()), orDash(d.Perfected.String()), d.LostRevenue, d.Tender)
	case c.Validation != nil:
		fmt.Fprintf(w, "Validation (%s): %s\n", c.Validation.Program, cl(c.Validation.Scope))
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func splitIDs(s string) []string {
	var ids []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

func cmdAssign(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("assign")
	reason := fs.String("reason", "", "why (required when reassigning)")
	version := fs.String("version", "", "the version of each case you saw (as case shows it), comma-separated in the order of CASE; a case changed since is a conflict")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("CASE and USER are needed")
	}
	u, err := actor(env, "assign cases (a supervisor)")
	if err != nil {
		return err
	}
	ids := splitIDs(pos[0])
	var versions []uint64
	if *version != "" {
		for _, s := range splitIDs(*version) {
			v, err := strconv.ParseUint(s, 10, 64)
			if err != nil || v == 0 {
				return usagef("--version: %q is not a case version (a whole number from 1)", s)
			}
			versions = append(versions, v)
		}
		if len(versions) != len(ids) {
			return usagef("--version gives %d versions for %d cases; give one for each case, in the same order", len(versions), len(ids))
		}
	}
	done, err := env.Store.Assign(u.Name, ids, versions, pos[1], *reason, env.Today)
	if err != nil {
		return err
	}
	for _, c := range done {
		fmt.Fprintf(env.Stdout, "%s assigned to %s (version %d)\n", c.ID, c.Assignee, c.Version)
	}
	return nil
}

func cmdDecide(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("decide")
	outcome := fs.String("outcome", "", "the outcome; the case's kind says which are allowed")
	reason := fs.String("reason", "", "reasons (required for denials and rejections)")
	amount := fs.String("amount", "", "amount in USD, where the outcome needs one")
	lines := fs.String("lines", "", "entry lines allowed, e.g. 1,3")
	version := fs.Uint64("version", 0, "the version you decided on; a newer one is a conflict (0 = current)")
	ackLate := fs.Bool("acknowledge-late", false, "record the decision although it comes after a deadline the law does not move, acknowledging what the law makes of it")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("one CASE is needed")
	}
	if *outcome == "" {
		return usagef("--outcome is needed")
	}
	u, err := actor(env, "decide a case")
	if err != nil {
		return err
	}
	c, err := env.Store.Case(u.Name, pos[0])
	if err != nil {
		return err
	}
	o, err := cases.ParseOutcome(c, *outcome)
	if err != nil {
		return err
	}
	d := cases.Decision{Outcome: o, Reasons: *reason}
	if *amount != "" {
		if d.Amount, err = cases.ParseUSD(*amount); err != nil {
			return usagef("--amount: %v", err)
		}
	}
	for _, s := range splitIDs(*lines) {
		n, err := strconv.Atoi(s)
		if err != nil {
			return usagef("--lines: %q is not a line number", s)
		}
		d.Lines = append(d.Lines, n)
	}
	v := *version
	if v == 0 {
		v = c.Version
	}
	// The store checks lateness again against the case it writes; a case changed since it was read here is a
	// conflict, so the acknowledgement is always of what the reviewer was told.
	if warning, late := cases.LateDecision(c, d, env.Store.Policy(), env.Today); late && *ackLate {
		d.LateAck = cases.AckLate(warning, u.Name)
	}
	id := c.ID
	c, err = env.Store.Decide(u.Name, id, v, d, env.Today)
	var le *cases.LateError
	if errors.As(err, &le) && le.Given == "" {
		return fmt.Errorf("case %s: this decision comes too late: %s; nothing was written. To record it with that acknowledged (the acknowledgement is kept with the decision), run it again with --acknowledge-late", id, le.Warning)
	}
	if err != nil {
		return err
	}
	if c.Status == cases.StatusPendingApproval {
		fmt.Fprintf(env.Stdout, "%s: %s recorded by %s; waits for a supervisor's approval (version %d)\n", c.ID, o, u.Name, c.Version)
		// A decision that no supervisor of the Center may approve would wait unseen: say so, and who can.
		if a, err := env.Store.Approvers(u.Name, c.ID); err == nil && a.Warning() != "" {
			fmt.Fprintf(env.Stdout, "Warning: %s\n", cases.CleanLine(a.Warning()))
		}
	} else {
		fmt.Fprintf(env.Stdout, "%s: %s by %s (version %d)\n", c.ID, o, u.Name, c.Version)
	}
	if c.Decision != nil && c.Decision.LateAck != "" {
		fmt.Fprintf(env.Stdout, "Late: %s\n", cases.CleanLine(c.Decision.LateAck))
	}
	if c.Status == cases.StatusPendingApproval {
		return nil
	}
	if spec, _ := cases.Spec(o); spec.Notice != "" {
		fmt.Fprintf(env.Stdout, "Notice: %s\n", spec.Notice)
	}
	return nil
}

func approveOrReturn(env *Env, args []string, name string, ret bool) error {
	fs := newFlags(name)
	comment := fs.String("comment", "", "comment for the reviewer")
	var ackLate *bool
	if !ret {
		ackLate = fs.Bool("acknowledge-late", false, "approve although the approval, which makes the decision final, comes after a deadline the law does not move, acknowledging what the law makes of it")
	}
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("one CASE is needed")
	}
	u, err := actor(env, name+" a decision (a supervisor)")
	if err != nil {
		return err
	}
	c, err := env.Store.Case(u.Name, pos[0])
	if err != nil {
		return err
	}
	if ret {
		c, err = env.Store.Return(u.Name, c.ID, c.Version, *comment)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: decision returned to %s for review (version %d)\n", c.ID, c.Assignee, c.Version)
		return nil
	}
	// The approval date is the decision's date: a decision made in time may be late when it becomes final.
	var ack string
	if d := c.Decision; d != nil && d.LateAck == "" && *ackLate {
		if warning, late := cases.LateDecision(c, *d, env.Store.Policy(), env.Today); late {
			ack = cases.AckLate(warning, u.Name)
		}
	}
	id := c.ID
	c, err = env.Store.Approve(u.Name, id, c.Version, *comment, ack, env.Today)
	var le *cases.LateError
	if errors.As(err, &le) && le.Given == "" {
		return fmt.Errorf("case %s: this approval makes the decision final too late: %s; nothing was written. To approve it with that acknowledged (the acknowledgement is kept with the decision), run it again with --acknowledge-late", id, le.Warning)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s approved by %s (version %d)\n", c.ID, c.Decision.Outcome, u.Name, c.Version)
	return nil
}

func cmdApprove(ctx context.Context, env *Env, args []string) error {
	return approveOrReturn(env, args, "approve", false)
}

func cmdReturn(ctx context.Context, env *Env, args []string) error {
	return approveOrReturn(env, args, "return", true)
}

func textCommand(env *Env, args []string, name, what string, apply func(actor string, c *cases.Case, text string) (*cases.Case, error)) error {
	fs := newFlags(name)
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("CASE and TEXT are needed")
	}
	u, err := actor(env, what)
	if err != nil {
		return err
	}
	c, err := env.Store.Case(u.Name, pos[0])
	if err != nil {
		return err
	}
	c, err = apply(u.Name, c, strings.Join(pos[1:], " "))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s (version %d)\n", c.ID, what, c.Version)
	return nil
}

func cmdNote(ctx context.Context, env *Env, args []string) error {
	return textCommand(env, args, "note", "note added", func(a string, c *cases.Case, t string) (*cases.Case, error) {
		return env.Store.AddNote(a, c.ID, c.Version, t)
	})
}

func cmdRequestInfo(ctx context.Context, env *Env, args []string) error {
	return textCommand(env, args, "request-info", "information requested (CBP Form 28)", func(a string, c *cases.Case, t string) (*cases.Case, error) {
		return env.Store.RequestInfo(a, c.ID, c.Version, t, env.Today)
	})
}

// dateVar declares a date flag (--on, --sent): YYYY-MM-DD, today when not given. A date that does not parse is
// bad usage.
func dateVar(env *Env, fs *flag.FlagSet, name, usage string) *cases.Date {
	d := env.Today
	fs.Func(name, usage+", YYYY-MM-DD (default today)", func(v string) error {
		var err error
		d, err = cases.ParseDate(v)
		return err
	})
	return &d
}

// caseAndText parses CASE TEXT... after the flags fs declares, and reads the case as the actor.
func caseAndText(env *Env, fs *flag.FlagSet, args []string, what string) (cases.User, *cases.Case, string, error) {
	pos, err := flags(fs, args)
	if err != nil {
		return cases.User{}, nil, "", err
	}
	if len(pos) < 2 {
		return cases.User{}, nil, "", usagef("CASE and TEXT are needed")
	}
	u, err := actor(env, what)
	if err != nil {
		return cases.User{}, nil, "", err
	}
	c, err := env.Store.Case(u.Name, pos[0])
	if err != nil {
		return cases.User{}, nil, "", err
	}
	return u, c, strings.Join(pos[1:], " "), nil
}

func cmdAnswer(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("answer")
	on := dateVar(env, fs, "on", "the date the answer was received")
	n := fs.Int("request", 0, "the request it answers, 1 the first (default: the latest one still open)")
	u, c, text, err := caseAndText(env, fs, args, "record an answer")
	if err != nil {
		return err
	}
	answered := *on
	if *n < 0 {
		return usagef("--request wants a request number from 1")
	}
	i := *n - 1
	if *n == 0 {
		i = cases.OpenRequest(c)
	}
	got, err := env.Store.AnswerRequestNo(u.Name, c.ID, c.Version, *n, answered, text, env.Today)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: answer to request for information %d recorded, received %s; %s (version %d)\n",
		got.ID, i+1, answered, awaiting(got), got.Version)
	return nil
}

// awaiting says where a case stands after an answer.
func awaiting(c *cases.Case) string {
	switch {
	case c.Status == cases.StatusAwaitingInfo:
		return fmt.Sprintf("request %d is still open", cases.OpenRequest(c)+1)
	case c.Status == cases.StatusInReview:
		return "the case is back in review"
	}
	return "the case is " + c.Status.Title()
}

func cmdNoticeOfAction(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("notice-of-action")
	proposed := fs.Bool("proposed", false, "a proposed action: the importer has 20 days to reply before CBP acts")
	taken := fs.Bool("taken", false, "an action taken")
	action := fs.String("action", "", "what CBP proposes to do, or did")
	sent := dateVar(env, fs, "sent", "the date the notice was sent")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("one CASE is needed")
	}
	if *proposed == *taken {
		return usagef("one of --proposed and --taken is needed")
	}
	if *action == "" {
		return usagef("--action is needed")
	}
	on := *sent
	u, err := actor(env, "record a notice of action")
	if err != nil {
		return err
	}
	c, err := env.Store.Case(u.Name, pos[0])
	if err != nil {
		return err
	}
	got, err := env.Store.NoticeOfAction(u.Name, c.ID, c.Version, *proposed, *action, on, env.Today)
	if err != nil {
		return err
	}
	if *proposed {
		due := got.Notices[len(got.Notices)-1].ReplyDue
		fmt.Fprintf(env.Stdout, "%s: notice of proposed action (CBP Form 29) sent %s recorded; the importer's reply is due %s (version %d)\n", got.ID, on, due, got.Version)
	} else {
		fmt.Fprintf(env.Stdout, "%s: notice of action taken (CBP Form 29) sent %s recorded (version %d)\n", got.ID, on, got.Version)
	}
	return nil
}

func cmdReply(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("reply")
	on := dateVar(env, fs, "on", "the date the reply was received")
	u, c, text, err := caseAndText(env, fs, args, "record a reply")
	if err != nil {
		return err
	}
	replied := *on
	got, err := env.Store.RecordReply(u.Name, c.ID, c.Version, replied, text, env.Today)
	if err != nil {
		return err
	}
	sent := ""
	if i := cases.OpenNotice(c); i >= 0 {
		sent = " of " + c.Notices[i].Sent.String()
	}
	fmt.Fprintf(env.Stdout, "%s: reply to the notice of action%s recorded, received %s (version %d)\n", got.ID, sent, replied, got.Version)
	return nil
}

// centerArg parses a command that takes only --center, defaulting to the actor's own Center.
func centerArg(env *Env, name string, args []string) (string, error) {
	fs := newFlags(name)
	center := fs.String("center", "", "the Center (default: yours)")
	pos, err := flags(fs, args)
	if err != nil {
		return "", err
	}
	if len(pos) > 0 {
		return "", usagef("unexpected argument %q", pos[0])
	}
	if *center != "" {
		return strings.ToUpper(*center), nil
	}
	u, err := actor(env, "know your Center (or pass --center)")
	if err != nil {
		return "", err
	}
	return u.Center, nil
}

func cmdApprovals(ctx context.Context, env *Env, args []string) error {
	center, err := centerArg(env, "approvals", args)
	if err != nil {
		return err
	}
	// The decider is on the case, not its queue row: the assignee may have changed since the decision.
	rows, err := env.Store.ApprovalRows(who(env), center)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d decisions waiting for approval in %s\n", len(rows), center)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DUE\tKIND\tCASE\tIMPORTER\tDECIDED BY\tASSIGNEE\tAT STAKE\tYOU MAY APPROVE")
	for _, r := range rows {
		may := "yes"
		if !r.CanApprove {
			may = "no: " + cases.CleanLine(r.Why)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Due, r.Kind.Short(), cases.CleanLine(r.ID), truncate(cases.CleanLine(r.Importer), 32), orDash(r.Decider), orDash(r.Assignee), r.Revenue, may)
	}
	return tw.Flush()
}

func cmdWorkload(ctx context.Context, env *Env, args []string) error {
	center, err := centerArg(env, "workload", args)
	if err != nil {
		return err
	}
	loads, err := env.Store.Workload(who(env), center, env.Today)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "REVIEWER\tOPEN\tOVERDUE\tDUE THIS WEEK\tPENDING\tAT STAKE\tOLDEST CLOCK\t")
	for _, l := range loads {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t\n", cases.HolderName(l.User), l.Counts.Open, l.Counts.Overdue, l.Counts.DueWeek, l.Counts.Pending, l.Counts.Revenue, orDash(l.Oldest.String()))
	}
	return tw.Flush()
}
