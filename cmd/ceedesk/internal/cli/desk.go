package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"ceedesk/cases"
	"ceedesk/store"
)

// MaxDeskFile bounds a desk file sent to the server for check-in (standard input over SSH).
const MaxDeskFile = 1 << 30

// cmdCheckout is `checkout [--filter Q] [--cases ID,...] [--days N] [--out FILE]`, and its subcommands `break`,
// `release` and `list`.
func cmdCheckout(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "break":
			return cmdCheckoutBreak(env, args[1:])
		case "release":
			return cmdCheckoutRelease(env, args[1:])
		case "list":
			return cmdCheckoutList(env, args[1:])
		}
	}
	fs := newFlags("checkout")
	filter := fs.String("filter", "", "check out the open cases of your queue (a supervisor's: the Center's) that match this filter")
	ids := fs.String("cases", "", "check out these cases, comma-separated")
	days := fs.Int("days", 0, fmt.Sprintf("the lease, in days (1 to %d; default %d)", cases.MaxLeaseDays, cases.DefaultLeaseDays))
	out := fs.String("out", "", "the desk file to write (default: standard output, when it is not a terminal)")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("unexpected argument %q (checkout takes --filter and --cases; its subcommands are break, release and list)", pos[0])
	}
	u, err := actor(env, "check cases out (the reviewer they go with)")
	if err != nil {
		return err
	}
	req := store.CheckoutRequest{IDs: splitIDs(*ids), Days: *days, Today: env.Today}
	if *filter != "" {
		f, err := cases.ParseFilter(*filter)
		if err != nil {
			return usagef("--filter: %v", err)
		}
		req.Filter = &f
	}
	toStdout := env.Remote() || *out == "" || *out == "-"
	if toStdout && !env.Remote() && terminal(env.Stdout) {
		return usagef("the desk file is binary: name it with --out FILE, or redirect standard output to a file")
	}
	path := *out
	if toStdout {
		dir, err := os.MkdirTemp("", "ceedesk-checkout-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "checkout.desk")
	}
	rec, err := env.Store.Checkout(u.Name, req, path)
	if err != nil {
		return err
	}
	summary := fmt.Sprintf("checked out %d cases to %s until %s (checkout %s)", len(rec.Cases), rec.User, rec.Until, rec.ID)
	if !toStdout {
		fmt.Fprintf(env.Stdout, "%s: %s\nwork on it with: ceedesk --db %s\ncheck it in with: ceedesk checkin %s\n", summary, *out, *out, *out)
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(env.Stdout, f); err != nil {
		return fmt.Errorf("%s, but the desk file did not reach you (%v); release the cases (ceedesk checkout release CASE,...) or check them out again after that", summary, err)
	}
	fmt.Fprintln(env.Stderr, summary)
	return nil
}

func cmdCheckoutBreak(env *Env, args []string) error {
	fs := newFlags("checkout break")
	reason := fs.String("reason", "", "why the checkout is broken (required; the audit log keeps it)")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("checkout break CASE --reason TEXT: one case is needed")
	}
	u, err := actor(env, "break a checkout (a supervisor)")
	if err != nil {
		return err
	}
	l, err := env.Store.BreakLease(u.Name, pos[0], *reason)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: checkout to %s broken (it ran until %s); %s's changes to it conflict at check-in once it changes here\n", pos[0], l.User, l.Until, l.User)
	return nil
}

func cmdCheckoutRelease(env *Env, args []string) error {
	fs := newFlags("checkout release")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("checkout release CASE[,CASE...]: the cases are needed")
	}
	u, err := actor(env, "release a checkout")
	if err != nil {
		return err
	}
	var failed []error
	for _, id := range splitIDs(pos[0]) {
		l, err := env.Store.ReleaseLease(u.Name, id)
		if err != nil {
			failed = append(failed, err)
			continue
		}
		fmt.Fprintf(env.Stdout, "%s: released from %s's checkout %s\n", id, l.User, l.Checkout)
	}
	return errors.Join(failed...)
}

func cmdCheckoutList(env *Env, args []string) error {
	fs := newFlags("checkout list")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	rows, err := env.Store.Leases(who(env))
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		fmt.Fprintln(env.Stdout, "no case you may see is checked out")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tKIND\tDUE\tCHECKED OUT TO\tUNTIL\tCHECKOUT\tSINCE")
	for _, r := range rows {
		l := r.Lease
		until := l.Until.String()
		if !l.Active(env.Today) {
			until += " (ended)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Kind, r.Due, l.User, until, l.Checkout, l.At.Local().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

// cmdCheckin is `checkin FILE`, over SSH `checkin < FILE`.
func cmdCheckin(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("checkin")
	updated := fs.Bool("updated", false, "over SSH: send back the desk file with the outcomes recorded, on standard output (the table goes to standard error): ssh ... checkin --updated < FILE > FILE.new")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	path := ""
	switch {
	case env.Remote() && len(pos) <= 1:
		f, err := os.CreateTemp("", "ceedesk-checkin-*.desk")
		if err != nil {
			return err
		}
		path = f.Name()
		defer os.Remove(path)
		n, err := io.Copy(f, io.LimitReader(env.Stdin, MaxDeskFile+1))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("reading the desk file from standard input: %v", err)
		}
		if n == 0 {
			return usagef("send the desk file on standard input: ssh ... checkin < FILE")
		}
		if n > MaxDeskFile {
			return fmt.Errorf("the desk file is larger than %d MB, more than any checkout writes", MaxDeskFile>>20)
		}
	case len(pos) == 1:
		path = pos[0]
	default:
		return usagef("one desk FILE is needed")
	}
	var progress func(done, total int)
	if !env.Remote() && terminal(env.Stderr) {
		last := time.Time{}
		progress = func(done, total int) {
			if time.Since(last) > 200*time.Millisecond || done == total {
				last = time.Now()
				fmt.Fprintf(env.Stderr, "\rchecking in: %d of %d changes   ", done, total)
				if done == total {
					fmt.Fprintln(env.Stderr)
				}
			}
		}
	}
	table := env.Stdout
	if *updated {
		if !env.Remote() {
			return usagef("--updated is for a check-in over SSH; a local check-in records the outcomes in FILE itself")
		}
		table = env.Stderr
	}
	rep, err := env.Store.Checkin(who(env), path, env.Today, progress)
	if err != nil && env.Remote() {
		// the server's temporary copy means nothing to the client
		err = errors.New(strings.ReplaceAll(err.Error(), path, "the desk file sent on standard input"))
	}
	if rep != nil && len(rep.Rows) > 0 {
		WriteCheckin(table, rep)
	}
	if rep != nil && *updated {
		f, oerr := os.Open(path)
		if oerr == nil {
			_, oerr = io.Copy(env.Stdout, f)
			f.Close()
		}
		if oerr != nil && err == nil {
			err = fmt.Errorf("the check-in is done, but the updated desk file could not be sent back: %v", oerr)
		}
	}
	if err != nil {
		return err
	}
	if len(rep.Rows) == 0 {
		fmt.Fprintf(table, "checkout %s (%s, %d cases): no changes to check in; %d leases released\n", rep.Checkout.ID, rep.Checkout.User, len(rep.Checkout.Cases), len(rep.Released))
		return nil
	}
	if !rep.OK() {
		return fmt.Errorf("%d of %d changes did not land (see the table); they stay in the desk file (ceedesk --db FILE pending), and their cases stay checked out "+
			"unless a supervisor broke the checkout: redo at the Center what still applies, then release those cases (ceedesk checkout release CASE,...)", rep.Conflict+rep.Refused, len(rep.Rows))
	}
	return nil
}

// WriteCheckin prints a check-in's outcome: one row per change, then the totals.
func WriteCheckin(w io.Writer, rep *store.CheckinReport) {
	rec := rep.Checkout
	fmt.Fprintf(w, "check-in of checkout %s: %s, %d cases checked out %s\n", rec.ID, rec.User, len(rec.Cases), rec.At.Local().Format("2006-01-02 15:04"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tCASE\tCHANGE\tMADE OFFLINE\tOUTCOME\tDETAIL")
	for _, r := range rep.Rows {
		state := r.State
		if r.Earlier {
			state = "landed before"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.Seq, r.Case, strings.ReplaceAll(r.Action, "_", " "), r.Made.Local().Format("2006-01-02 15:04"), state, cases.CleanLine(r.Detail))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d landed, %d conflict%s, %d refused, %d landed at an earlier check-in; %d lease%s released\n",
		rep.Landed, rep.Conflict, plural(rep.Conflict), rep.Refused, rep.Earlier, len(rep.Released), plural(len(rep.Released)))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// cmdPending is `pending`, on a desk file: the changes it holds and what the last check-in made of them.
func cmdPending(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("pending")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	info, ok := env.Store.Offline()
	if !ok {
		return fmt.Errorf("%s is not a desk file; pending lists a desk file's changes (ceedesk --db FILE pending)", env.Store.Path())
	}
	changes, err := env.Store.DeskChanges()
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, info.Banner(env.Today))
	if len(changes) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tCASE\tCHANGE\tMADE\tCHECK-IN\tDETAIL")
	for _, c := range changes {
		state := c.State
		if state == "" {
			state = "pending"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", c.Seq, c.Op.Case, strings.ReplaceAll(c.Op.Action, "_", " "), c.Made.Local().Format("2006-01-02 15:04"), state, cases.CleanLine(c.Detail))
	}
	return tw.Flush()
}
