// Command ceedesk is the case workstation of a Center of Excellence and Expertise: the workstation at a desk, the
// same workstation for a whole Center over SSH, and the data-work commands (seed, import, export, users, keys,
// assign, decide, backup, audit).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"ceedesk/cases"
	"ceedesk/cmd/ceedesk/internal/cli"
	"ceedesk/store"
	"ceedesk/ui"
)

// globals are the flags every command accepts, before or after the command name.
type globals struct {
	db       string
	as       string
	theme    string
	today    string
	config   string
	auditKey string

	// the etcd engine, when --etcd names a cluster (etcd.go)
	etcd, etcdPrefix, etcdCACert, etcdCert, etcdKey, etcdUser, etcdMaxTxnOps, etcdMaxRequestBytes string
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.db, "db", g.db, "store file (default $XDG_DATA_HOME/ceedesk/ceedesk.db)")
	fs.StringVar(&g.as, "as", g.as, "act as this user")
	fs.StringVar(&g.theme, "theme", g.theme, "default, dark, light, high-contrast or monochrome")
	fs.StringVar(&g.today, "today", g.today, "the date the rules use, YYYY-MM-DD (default: the real date)")
	fs.StringVar(&g.config, "config", g.config, "config file (default $XDG_CONFIG_HOME/ceedesk/config.toml)")
	fs.StringVar(&g.auditKey, "audit-key", g.auditKey, "audit chain key file (default: config audit_key, else the file the store recorded, else audit.key beside the store)")
	g.registerEtcd(fs)
}

func main() {
	// A hang-up or termination ends the workstation (or the server) through its context, so deferred clean-up
	// runs: the store closes clean and a demo store is removed.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGHUP, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usageText = `ceedesk: the case workstation of a Center of Excellence and Expertise

usage:
  ceedesk [--db PATH] [--as USER] [--theme NAME]   the workstation at this desk
  ceedesk demo [--as USER] [--cases N]             the workstation on a fresh demo store (no set-up)
  ceedesk serve [--listen ADDR] [--host-key PATH]  the workstation for a whole Center over SSH
  ceedesk seed --cases N [--seed S]                deterministic synthetic caseload (and demo users)
  ceedesk restore FILE                             replace the store with a backup (not while in use)
  ceedesk migrate --etcd URLS [--etcd-prefix P]    copy the store (--db) into an empty etcd prefix, and verify it
  ceedesk COMMAND ...                              data work, below

global flags (before or after the command): --db PATH, --as USER, --today YYYY-MM-DD, --config FILE, --theme NAME,
  --audit-key FILE; a Center on etcd: --etcd URL[,URL...] [--etcd-prefix P] [--etcd-cacert FILE --etcd-cert FILE
  --etcd-key FILE] [--etcd-user NAME:PASSWORD] [--etcd-max-txn-ops N] [--etcd-max-request-bytes N]

commands:
`

func printUsage(w io.Writer) {
	fmt.Fprint(w, usageText)
	cli.Usage(w, false)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := &globals{}
	top := flag.NewFlagSet("ceedesk", flag.ContinueOnError)
	top.SetOutput(io.Discard)
	g.register(top)
	help := top.Bool("help", false, "show usage")
	top.BoolVar(help, "h", false, "show usage")
	if err := top.Parse(args); err != nil {
		fmt.Fprintf(stderr, "ceedesk: %v\n", err)
		printUsage(stderr)
		return cli.ExitUsage
	}
	if *help {
		printUsage(stdout)
		return cli.ExitOK
	}
	rest := top.Args()
	name := ""
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	switch name {
	case "":
		return runDesk(ctx, g, stderr)
	case "help":
		printUsage(stdout)
		return cli.ExitOK
	case "demo":
		return runDemo(ctx, g, rest, stdout, stderr)
	case "serve":
		return runServe(ctx, g, rest, stdout, stderr)
	case "seed":
		return runSeed(ctx, g, rest, stdout, stderr)
	case "restore":
		return runRestore(g, rest, stdout, stderr)
	case "migrate":
		return runMigrate(g, rest, stdout, stderr)
	}
	if !cli.Has(name) {
		fmt.Fprintf(stderr, "ceedesk: unknown command %q\n", name)
		printUsage(stderr)
		return cli.ExitUsage
	}
	// Global flags may also follow the command: pull them out before the command parses its own.
	rest, err := pullGlobals(g, rest)
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk %s: %v\n", name, err)
		return cli.ExitUsage
	}
	st, today, _, code := g.open(stderr, name, rest)
	if code != cli.ExitOK {
		return code
	}
	defer st.Close()
	as, err := deskUser(st, g.as)
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk %s: %v\n", name, err)
		return cli.ExitUsage
	}
	env := &cli.Env{Store: st, Stdin: stdin, Stdout: stdout, Stderr: stderr, Today: today, As: as}
	return cli.Run(ctx, env, append([]string{name}, rest...))
}

// pullGlobals removes --db, --as, --today, --config, --theme and --audit-key (with their values) from a command's
// arguments.
func pullGlobals(g *globals, args []string) ([]string, error) {
	targets := map[string]*string{"db": &g.db, "as": &g.as, "theme": &g.theme, "today": &g.today, "config": &g.config, "audit-key": &g.auditKey}
	for name, p := range g.etcdFlags() {
		targets[name] = p
	}
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...), nil
		}
		if !strings.HasPrefix(a, "-") {
			out = append(out, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		p, ok := targets[name]
		if !ok {
			out = append(out, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			val = args[i]
		}
		*p = val
	}
	return out, nil
}

// setup reads --today and the config file, which every command needs first; a non-zero code is the exit status
// after the message is written.
func (g *globals) setup(stderr io.Writer) (cases.Date, ui.Config, int) {
	today, err := g.todayDate()
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk: %v\n", err)
		return 0, ui.Config{}, cli.ExitUsage
	}
	cfg, err := loadConfig(g)
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk: %v\n", err)
		return 0, cfg, cli.ExitFail
	}
	return today, cfg, cli.ExitOK
}

// open is setup followed by opening the store; a store held by another process gets the hint to run the command
// (name with args) through the server instead.
func (g *globals) open(stderr io.Writer, name string, args []string) (*store.Store, cases.Date, ui.Config, int) {
	today, cfg, code := g.setup(stderr)
	if code != cli.ExitOK {
		return nil, 0, cfg, code
	}
	st, err := openStore(g, cfg, store.Options{})
	if err != nil {
		fmt.Fprintln(stderr, heldHint(err, g, name, args))
		return nil, 0, cfg, cli.ExitFail
	}
	return st, today, cfg, cli.ExitOK
}

func (g *globals) todayDate() (cases.Date, error) {
	if g.today == "" {
		return cases.DateOf(time.Now()), nil
	}
	d, err := cases.ParseDate(g.today)
	if err != nil {
		return 0, fmt.Errorf("--today: %v", err)
	}
	return d, nil
}

func dataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "ceedesk")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	return filepath.Join(home, ".local", "share", "ceedesk")
}

func (g *globals) dbPath() string {
	if g.db != "" {
		return g.db
	}
	return filepath.Join(dataDir(), "ceedesk.db")
}

func loadConfig(g *globals) (ui.Config, error) {
	path := g.config
	if path == "" {
		path = os.Getenv("CEEDESK_CONFIG")
	}
	if path == "" {
		path = ui.DefaultConfigPath()
	}
	cfg, err := ui.LoadConfig(path)
	if err != nil {
		return cfg, err
	}
	if g.theme != "" {
		cfg.Theme = g.theme
	}
	return cfg, nil
}

func openStore(g *globals, cfg ui.Config, opt store.Options) (*store.Store, error) {
	if g.etcd != "" {
		return openEtcd(g, cfg, opt)
	}
	path := g.dbPath()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store %s: %v", path, err)
	}
	opt.Policy = cfg.Policy
	opt.AuditKey, opt.AuditKeyDefault = auditKeyPaths(g, cfg, path)
	return store.Open(path, opt)
}

// auditKeyPaths is where the store at path finds its audit key: the file --audit-key or the config's audit_key
// names, if any; else (store.Options) the file a keyed store recorded, and for a store not keyed yet audit.key
// beside the store, created on first use.
func auditKeyPaths(g *globals, cfg ui.Config, path string) (named, beside string) {
	named = g.auditKey
	if named == "" {
		named = cfg.AuditKey
	}
	return named, filepath.Join(filepath.Dir(path), "audit.key")
}

// heldHint turns "the store is held" into what to do instead: run the command through the server, at the
// address the running server recorded beside the store (servingRecord), as the user --as names, else
// $CEEDESK_USER, else USER for the reader to fill in. Without a record it is only a guess, and says so.
func heldHint(err error, g *globals, name string, rest []string) string {
	msg := "ceedesk: " + err.Error()
	if !errors.Is(err, store.ErrLocked) {
		return msg
	}
	who := g.as
	if who == "" {
		who = os.Getenv("CEEDESK_USER")
	}
	if who == "" {
		who = "USER" // the local account (root, say) need not be a ceedesk user's name
	}
	command := strings.Join(append([]string{name}, quoteArgs(remoteArgs(name, rest))...), " ")
	if srv, ok := servingRecord(g.dbPath()); ok {
		return fmt.Sprintf("%s\n`ceedesk serve` (pid %d) holds the store; run the command through it as your SSH identity:\n  %s %s",
			msg, srv.PID, sshTo(srv.Listen, who), command)
	}
	return fmt.Sprintf("%s\nIf a server (`ceedesk serve`) holds the store, run the command through it as your SSH identity:\n  ssh -p 2222 %s@HOST %s\n"+
		"(HOST is the machine it runs on; 2222 is its port unless it was started with another --listen)", msg, who, command)
}

// sshTo is the ssh command line that reaches a server listening on addr from this machine.
func sshTo(addr, who string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "ssh " + who + "@HOST"
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && (ip.IsLoopback() || ip.IsUnspecified()) {
		host = "localhost"
	}
	if port == "22" {
		return "ssh " + who + "@" + host
	}
	return "ssh -p " + port + " " + who + "@" + host
}

// remoteArgs are a command's arguments as they go over SSH, where files travel on standard input and output:
// `checkin FILE` becomes `checkin < FILE`, `checkout --out FILE` becomes `checkout > FILE`.
func remoteArgs(name string, args []string) []string {
	var out []string
	redirect := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case name == "checkin" && !strings.HasPrefix(a, "-"):
			redirect = "< " + a
			continue
		case name == "checkout" && (a == "--out" || a == "-out") && i+1 < len(args):
			i++
			redirect = "> " + args[i]
			continue
		case name == "checkout" && (strings.HasPrefix(a, "--out=") || strings.HasPrefix(a, "-out=")):
			_, v, _ := strings.Cut(a, "=")
			redirect = "> " + v
			continue
		}
		out = append(out, a)
	}
	if redirect != "" {
		out = append(out, "\x00"+redirect)
	}
	return out
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if r, ok := strings.CutPrefix(a, "\x00"); ok { // a shell redirection from remoteArgs: "< FILE", "> FILE"
			out[i] = r[:2] + quoteArg(r[2:])
			continue
		}
		out[i] = quoteArg(a)
	}
	return out
}

func quoteArg(a string) string {
	if a == "" || strings.ContainsAny(a, " \t'\"$`\\<>|&;*?") {
		return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return a
}
