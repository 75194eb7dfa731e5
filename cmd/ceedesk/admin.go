package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"ceedesk/cmd/ceedesk/internal/cli"
	"ceedesk/store"
)

// newFlagSet is a command's flag set with the global flags registered too, so they may follow the command.
func newFlagSet(name string, g *globals) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	g.register(fs)
	return fs
}

// parseInterleaved parses flags that may come before or after the positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// runSeed adds demo users and a deterministic synthetic caseload to the store.
func runSeed(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("seed", g)
	n := fs.Int("cases", 0, "how many cases")
	seed := fs.Int64("seed", 1, "seed: the same seed and --today give the same cases")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *n <= 0 {
		fmt.Fprintln(stderr, "usage: ceedesk seed --cases N [--seed S] [--db PATH] [--today YYYY-MM-DD]")
		return cli.ExitUsage
	}
	st, today, _, code := g.open(stderr, "seed", args)
	if code != cli.ExitOK {
		return code
	}
	defer st.Close()
	start := time.Now()
	done, err := seedStore(st, *n, *seed, today, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk seed: %v\n", err)
		return cli.ExitFail
	}
	where := st.Path()
	if fi, err := os.Stat(st.Path()); err == nil {
		where += fmt.Sprintf(" (%.1f MB)", float64(fi.Size())/1e6)
	}
	fmt.Fprintf(stdout, "seeded %d cases in %s into %s; demo users: alice, bob, carol, dave (reviewers) and sofia (supervisor) in ELEC; erin, frank, grace, henry and priya in PHARMA; admin\n",
		done, time.Since(start).Round(time.Millisecond), where)
	return cli.ExitOK
}

// runRestore replaces the store file with a backup, after checking the backup, and never while the store is open.
func runRestore(g *globals, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("restore", g)
	force := fs.Bool("force", false, "replace an existing store (it is kept as PATH.before-restore)")
	pos, err := parseInterleaved(fs, args)
	if err != nil || len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: ceedesk restore FILE [--db PATH] [--force]")
		return cli.ExitUsage
	}
	if g.onEtcd() {
		fmt.Fprintln(stderr, "ceedesk restore: a store on etcd is not a file to replace; copy the backup into an empty prefix instead: ceedesk migrate --db BACKUP --etcd URLS --etcd-prefix NEW/")
		return cli.ExitUsage
	}
	cfg, err := loadConfig(g)
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk restore: %v\n", err)
		return cli.ExitFail
	}
	// The backup's copy and the store it replaces find their audit key as every other command does.
	opt := store.Options{Timeout: time.Second}
	opt.AuditKey, opt.AuditKeyDefault = auditKeyPaths(g, cfg, g.dbPath())
	if err := restore(pos[0], g.dbPath(), *force, opt); err != nil {
		fmt.Fprintf(stderr, "ceedesk restore: %v\n", err)
		return cli.ExitFail
	}
	fmt.Fprintf(stdout, "restored %s from %s\n", g.dbPath(), pos[0])
	return cli.ExitOK
}

// restore copies the backup beside the store, opens the copy (which migrates a backup of an older schema, never
// the backup itself), checks that it passes the consistency check and that its audit chain verifies and explains
// every case, and only then puts it in place of the store, holding the store's lock meanwhile so that no other
// ceedesk can have it open. opt says where the audit key is.
func restore(src, dst string, force bool, opt store.Options) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("backup %s: %w", src, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		if !force {
			return fmt.Errorf("%s exists; pass --force to replace it (the old store is kept as %s.before-restore)", dst, dst)
		}
		// Holding the live store open takes its lock: a running server or desk makes this fail with ErrLocked.
		cur, err := store.Open(dst, opt)
		if err != nil {
			if errors.Is(err, store.ErrLocked) {
				return fmt.Errorf("%s is in use by a running ceedesk; stop it (the server too) before restoring", dst)
			}
			// An unreadable store may still be replaced: that is what restore is for.
			fmt.Fprintf(os.Stderr, "ceedesk restore: replacing a store that does not open: %v\n", err)
		} else {
			defer cur.Close()
		}
		if err := copyFile(dst, dst+".before-restore"); err != nil {
			return err
		}
	}
	tmp := dst + ".restore-tmp"
	if err := copyFile(src, tmp); err != nil {
		return err
	}
	err := checkStore(tmp, opt)
	// Opening a backup of an older schema migrated the copy and kept a copy of the copy: not worth keeping.
	if extra, _ := filepath.Glob(tmp + ".schema-*.bak"); len(extra) > 0 {
		for _, f := range extra {
			os.Remove(f)
		}
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup %s: %w; nothing was restored", src, err)
	}
	return os.Rename(tmp, dst)
}

// checkStore opens a store file and runs every check ceedesk has on it.
func checkStore(path string, opt store.Options) error {
	b, err := store.Open(path, opt)
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.Check(); err != nil {
		return fmt.Errorf("fails its consistency check: %w", err)
	}
	if _, err := b.VerifyAudit(); err != nil {
		return fmt.Errorf("audit log does not verify: %w", err)
	}
	if _, err := b.VerifyHistory(); err != nil {
		return fmt.Errorf("audit log does not explain the cases: %w", err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
