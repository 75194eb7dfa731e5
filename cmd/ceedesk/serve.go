package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/charmbracelet/log"

	"ceedesk/cases"
	"ceedesk/cmd/ceedesk/internal/cli"
	"ceedesk/cmd/ceedesk/internal/server"
	"ceedesk/store"
)

// runServe serves the workstation for a whole Center over SSH until SIGINT or SIGTERM.
func runServe(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", g)
	listen := fs.String("listen", "127.0.0.1:2222", "address to listen on (binding beyond loopback is your explicit choice)")
	hostKey := fs.String("host-key", "", "host key file, created on first start (default: beside the store)")
	idle := fs.Duration("idle-timeout", 0, "end sessions idle this long (default: config idle_timeout, else 30m)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: ceedesk serve [--listen ADDR] [--host-key PATH] [--idle-timeout D] [--db PATH] [--config FILE]")
		return cli.ExitUsage
	}
	fixed, cfg, code := g.setup(stderr)
	if code != cli.ExitOK {
		return code
	}
	if g.today == "" {
		fixed = 0 // follow the real date across midnight
	}
	today := func() cases.Date {
		if fixed != 0 {
			return fixed
		}
		return cases.DateOf(time.Now())
	}
	st, err := openStore(g, cfg, store.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk serve: %v\n", err)
		return cli.ExitFail
	}
	defer st.Close()
	if *hostKey == "" {
		*hostKey = filepath.Join(filepath.Dir(st.Path()), "host_ed25519")
		if g.onEtcd() {
			// every front end of a Center on etcd is its own SSH host; give them one key (--host-key) so that
			// reviewers' clients know them all as one
			*hostKey = filepath.Join(dataDir(), "host_ed25519")
		}
	}
	if *idle == 0 {
		*idle = cfg.IdleTimeout
	}
	logger := log.NewWithOptions(stderr, log.Options{ReportTimestamp: true, Prefix: "ceedesk"})
	for _, warning := range approverWarnings(st, cfg.Policy) {
		logger.Warn(warning)
	}
	protected := []string{*hostKey}
	if _, keyPath, err := st.AuditKey(); err == nil && keyPath != "" {
		protected = append(protected, keyPath)
	}
	srv, err := server.New(server.Config{
		Listen: *listen, HostKeyPath: *hostKey, Store: st, Today: today, UI: cfg, IdleTimeout: *idle, Logger: logger,
		// A command sees the store through the key its session proved, so that none of its writes commits once
		// that key is revoked or its user disabled.
		Command: func(ctx context.Context, u cases.User, fingerprint string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
			env := &cli.Env{Store: st.WithKey(fingerprint), Stdin: stdin, Stdout: stdout, Stderr: stderr, Today: today(), User: &u,
				BackupDir: cfg.BackupDir, Protected: protected}
			return cli.Run(ctx, env, args)
		},
	})
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk serve: %v\n", err)
		return cli.ExitFail
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk serve: listen on %s: %v\n", *listen, err)
		return cli.ExitFail
	}
	if g.onEtcd() {
		// no lock to hold: other front ends and commands share the store
	} else if unrecord, err := recordServing(st.Path(), ln.Addr().String()); err != nil {
		logger.Warn("commands run here while the server holds the store will not be told its address", "err", err)
	} else {
		defer unrecord()
	}
	logger.Info("serving", "addr", ln.Addr().String(), "store", st.Path(), "host_key", *hostKey)
	logHead(logger, st, "at start")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case s := <-sig:
		logger.Info("stopping", "signal", s.String())
	case <-ctx.Done():
	case err := <-done:
		if err != nil && !errors.Is(err, net.ErrClosed) {
			logger.Error("server stopped", "err", err)
			return cli.ExitFail
		}
		return cli.ExitOK
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		logger.Error("shutdown", "err", err)
	}
	<-done
	logHead(logger, st, "at stop")
	if err := st.Close(); err != nil {
		logger.Error("closing the store", "store", st.Path(), "err", err)
		return cli.ExitFail
	}
	logger.Info("store closed clean", "store", st.Path())
	return cli.ExitOK
}

// logHead writes the head of the audit log (its last event's sequence number and hash) to the server log, so the
// journal holds an anchor outside the store: `ceedesk audit verify --head SEQ:HASH` later proves the log still
// extends it, which no rewrite of the store file can fake.
func logHead(logger *log.Logger, st *store.Store, when string) {
	seq, hash, err := st.AuditHead()
	if err != nil {
		logger.Error("audit head "+when, "store", st.Path(), "err", err)
		return
	}
	logger.Info("audit head "+when, "head", fmt.Sprintf("%d:%s", seq, hash), "verify_with", fmt.Sprintf("ceedesk audit verify --head %d:%s", seq, hash))
}

// serving is what a running `ceedesk serve` records beside its store (servingPath), so that a command run on the
// same machine while the server holds the store can say how to reach it (heldHint) instead of guessing.
type serving struct {
	Listen string `json:"listen"` // the address the server listens on, with its real port (--listen :0 too)
	PID    int    `json:"pid"`
}

// servingPath is the record's file: beside the store file itself, whichever link names it.
func servingPath(storePath string) string {
	if real, err := filepath.EvalSymlinks(storePath); err == nil {
		storePath = real
	}
	return storePath + ".serve"
}

// recordServing writes the record for a server of the store at storePath listening on addr; remove deletes it
// when the server stops. A server that is killed leaves its record behind: servingRecord does not believe a
// record whose process is gone or does not hold the store.
func recordServing(storePath, addr string) (remove func(), err error) {
	rec := serving{Listen: addr, PID: os.Getpid()}
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	path := servingPath(storePath)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil { // a reader sees the old record or the new one, never half of one
		os.Remove(tmp)
		return nil, err
	}
	return func() {
		if got, err := readServing(path); err == nil && got == rec {
			os.Remove(path)
		}
	}, nil
}

func readServing(path string) (serving, error) {
	var rec serving
	b, err := os.ReadFile(path)
	if err != nil {
		return rec, err
	}
	err = json.Unmarshal(b, &rec)
	return rec, err
}

// servingRecord is the record of the server that holds the store at storePath now, if there is one; ok is false
// when there is no record, or when its process has ended or (where the system says who holds a lock) is not the
// one holding the store.
func servingRecord(storePath string) (rec serving, ok bool) {
	rec, err := readServing(servingPath(storePath))
	if err != nil || rec.PID <= 0 || rec.Listen == "" {
		return rec, false
	}
	return rec, holdsStore(rec.PID, storePath)
}

// approverWarnings names the approvers the policy lists who cannot approve anything: no such user, not an admin,
// or disabled. The store ignores them; the operator learns of it at start rather than when a decision waits.
func approverWarnings(st *store.Store, p cases.Policy) []string {
	var out []string
	for _, name := range p.ApproverNames() {
		u, err := st.User(name)
		switch {
		case err != nil:
			out = append(out, fmt.Sprintf("config [policy] approvers: %s is not a user of this store; it approves nothing", name))
		case u.Role != cases.RoleAdmin:
			out = append(out, fmt.Sprintf("config [policy] approvers: %s is a %s, not an admin; it approves nothing as an approver", name, u.Role))
		case u.Disabled:
			out = append(out, fmt.Sprintf("config [policy] approvers: %s is disabled; it approves nothing until enabled", name))
		}
	}
	return out
}
