package main

import (
	"context"
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
	}
	if *idle == 0 {
		*idle = cfg.IdleTimeout
	}
	logger := log.NewWithOptions(stderr, log.Options{ReportTimestamp: true, Prefix: "ceedesk"})
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
