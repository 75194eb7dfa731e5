// Package cli is ceedesk's data-work commands (queue, case, assign, decide, user, key, import, export, backup,
// audit ...). The same functions serve the local command line and the SSH server, so a command run as
// `ssh -p 2222 carol@desk assign ...` has the same rules and output as `ceedesk assign ... --as carol`.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"ceedesk/cases"
	"ceedesk/store"
)

// Exit statuses (design.md): 0 success, 1 a failure the user can fix, 2 bad usage.
const (
	ExitOK    = 0
	ExitFail  = 1
	ExitUsage = 2
)

// Env is where a command runs.
type Env struct {
	Store  *store.Store
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Today  cases.Date
	// User is the authenticated SSH user; nil on the local command line, where the actor is named by --as and
	// the operator (who holds the store file) manages users and keys.
	User *cases.User
	// As is the local --as name (ignored over SSH, where you are who your key says).
	As string
	// BackupDir is where `backup NAME` writes over SSH: a plain name in this directory, never a path. "" is a
	// directory "backups" beside the store.
	BackupDir string
	// Protected are files a command never writes, whatever it is asked (the host key, the audit key); the store,
	// its lock and every existing file are never written by a backup anyway.
	Protected []string
}

// Remote reports whether the command came over SSH.
func (e *Env) Remote() bool { return e.User != nil }

// UsageError is bad usage (exit 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, a ...any) error { return &UsageError{Msg: fmt.Sprintf(format, a...)} }

type command struct {
	name    string
	args    string
	summary string
	remote  bool // also runs over SSH
	run     func(ctx context.Context, env *Env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"queue", "[USER] [--center C] [--filter Q] [--sort due|received|amount|importer] [--limit N] [--offset N] [--all] [--ids]", "list a queue, ordered by due date", true, cmdQueue},
		{"case", "ID [--json]", "show a case: entry, clocks, findings, notes, history", true, cmdCase},
		{"assign", "CASE[,CASE...] USER --reason TEXT [--version N[,N...]]", "assign or reassign cases (supervisor)", true, cmdAssign},
		{"decide", "CASE --outcome O [--reason TEXT] [--amount USD] [--lines 1,2] [--acknowledge-late]", "record a decision", true, cmdDecide},
		{"approve", "CASE [--comment TEXT] [--acknowledge-late]", "approve a decision waiting for a second person (supervisor)", true, cmdApprove},
		{"return", "CASE --comment TEXT", "return a decision to its reviewer (supervisor)", true, cmdReturn},
		{"note", "CASE TEXT", "add a note", true, cmdNote},
		{"request-info", "CASE TEXT", "request information from the importer (CBP Form 28)", true, cmdRequestInfo},
		{"answer", "CASE TEXT [--on YYYY-MM-DD] [--request N]", "record the importer's answer to a request for information (CBP Form 28)", true, cmdAnswer},
		{"notice-of-action", "CASE --proposed|--taken --action TEXT [--sent YYYY-MM-DD]", "record a notice of action sent to the importer (CBP Form 29)", true, cmdNoticeOfAction},
		{"reply", "CASE TEXT [--on YYYY-MM-DD]", "record the importer's reply to a notice of action (CBP Form 29)", true, cmdReply},
		{"approvals", "[--center C]", "decisions waiting for approval", true, cmdApprovals},
		{"workload", "[--center C]", "each reviewer's open, overdue and due-this-week counts", true, cmdWorkload},
		{"report", "[--center C] [--format text|csv] [--width N]", "a Center at a glance: load by holder, aging, decisions per week, clocks met (supervisor)", true, cmdReport},
		{"importer", "NUMBER [--format text|json]", "every case of one importer you may see, by entry, with totals at stake", true, cmdImporter},
		{"user", "add NAME --role R --center C [--display NAME] [--key FILE] | list [--center C] | disable NAME | enable NAME", "manage users (admin)", true, cmdUser},
		{"key", "add USER FILE | revoke FINGERPRINT | list [USER]", "manage SSH keys (admin)", true, cmdKey},
		{"import", "FILE", "import cases from .jsonl or .csv; all or nothing", true, cmdImport},
		{"export", "[--format jsonl|csv] [--out FILE]", "export every case", true, cmdExport},
		{"notice", "CASE [--format text|pdf] [--out FILE] [--which decision|cf28[:N]|cf29[:N]]", "print the notice the Center sends about a case", true, cmdNotice},
		{"backup", "FILE", "consistent copy of the store while others work (admin)", true, cmdBackup},
		{"audit", "verify [--head SEQ:HASH] | export [--out FILE]", "check or export the tamper-evident audit log", true, cmdAudit},
		{"checkout", "[--filter Q] [--cases ID,...] [--days N] [--out FILE] | break CASE --reason TEXT | release CASE[,CASE...] | list", "check cases out to a desk file for work with no network (leases them at the Center); break, release or list checkouts", true, cmdCheckout},
		{"checkin", "FILE (over SSH: checkin < FILE)", "check a desk file's work in at the Center: each change lands, conflicts or is refused", true, cmdCheckin},
		{"pending", "", "on a desk file (--db FILE): the changes it holds for check-in and what the last check-in made of them", false, cmdPending},
		{"batch", "[--keep-going] < COMMANDS", "run one command per line from standard input (# comments); each line's output follows its commit", true, cmdBatch},
	}
}

// Names lists the commands this package runs.
func Names() []string {
	var out []string
	for _, c := range commands {
		out = append(out, c.name)
	}
	return out
}

// Has reports whether name is one of this package's commands.
func Has(name string) bool {
	for _, c := range commands {
		if c.name == name {
			return true
		}
	}
	return false
}

// Usage writes the command reference.
func Usage(w io.Writer, remote bool) {
	for _, c := range commands {
		if remote && !c.remote {
			continue
		}
		fmt.Fprintf(w, "  %-13s %s\n  %13s %s\n", c.name, c.summary, "", c.args)
	}
}

// Run runs one command and returns its exit status; errors are written to env.Stderr.
func Run(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "ceedesk: a command is needed; commands:")
		Usage(env.Stderr, env.Remote())
		return ExitUsage
	}
	name := args[0]
	if name == "help" || name == "--help" || name == "-h" {
		Usage(env.Stdout, env.Remote())
		return ExitOK
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		if env.Remote() && !c.remote {
			fmt.Fprintf(env.Stderr, "ceedesk: %s is not available over SSH\n", name)
			return ExitUsage
		}
		err := c.run(ctx, env, args[1:])
		return report(env.Stderr, name, c.args, err)
	}
	fmt.Fprintf(env.Stderr, "ceedesk: unknown command %q; commands: %s\n", cases.CleanLine(name), strings.Join(Names(), ", "))
	return ExitUsage
}

func report(w io.Writer, name, args string, err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *UsageError
	if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(w, "ceedesk %s: %s\n", name, cases.CleanLine(ue.Msg))
		}
		fmt.Fprintf(w, "usage: ceedesk %s %s\n", name, args)
		return ExitUsage
	}
	fmt.Fprintf(w, "ceedesk %s: %s\n", name, cases.Clean(err.Error()))
	return ExitFail
}

// flags parses interleaved flags and positional arguments (`assign CASE USER --reason leave`).
func flags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func newFlags(name string) *flag.FlagSet { return flag.NewFlagSet(name, flag.ContinueOnError) }

// actor resolves who is acting: the SSH user, or the local --as user. need says what for, for the message.
func actor(env *Env, need string) (cases.User, error) {
	if env.User != nil {
		return *env.User, nil
	}
	if env.As == "" {
		return cases.User{}, usagef("--as USER is needed to %s", need)
	}
	u, err := env.Store.User(env.As)
	if err != nil {
		return cases.User{}, fmt.Errorf("--as %s: %w", env.As, err)
	}
	return u, nil
}

// who is the actor name every store call is made as: the SSH user, the local --as user, or else the local operator
// who holds the store file. The store applies the rules of who may see and change what to that name.
func who(env *Env) string {
	if env.User != nil {
		return env.User.Name
	}
	if env.As != "" {
		return env.As
	}
	return store.Operator
}
