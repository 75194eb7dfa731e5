package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"ceedesk/cmd/ceedesk/internal/cli"
	"ceedesk/store"
	"ceedesk/ui"
)

// The etcd engine's flags name the cluster as etcd's own clients (etcdctl) do.
func (g *globals) etcdFlags() map[string]*string {
	return map[string]*string{
		"etcd":                   &g.etcd,
		"etcd-prefix":            &g.etcdPrefix,
		"etcd-cacert":            &g.etcdCACert,
		"etcd-cert":              &g.etcdCert,
		"etcd-key":               &g.etcdKey,
		"etcd-user":              &g.etcdUser,
		"etcd-max-txn-ops":       &g.etcdMaxTxnOps,
		"etcd-max-request-bytes": &g.etcdMaxRequestBytes,
	}
}

func (g *globals) registerEtcd(fs *flag.FlagSet) {
	help := map[string]string{
		"etcd":                   "keep the store in this etcd cluster: its client URLs, comma-separated (instead of --db)",
		"etcd-prefix":            "the key prefix the Center's store is kept under (default /ceedesk/)",
		"etcd-cacert":            "verify the cluster's certificates with this CA bundle (as etcdctl --cacert)",
		"etcd-cert":              "client certificate (as etcdctl --cert)",
		"etcd-key":               "client certificate's key (as etcdctl --key)",
		"etcd-user":              "NAME:PASSWORD of an etcd user (as etcdctl --user)",
		"etcd-max-txn-ops":       "the cluster's --max-txn-ops (default etcd's 128; docs/operations.md recommends 4096)",
		"etcd-max-request-bytes": "the cluster's --max-request-bytes (default etcd's 1572864)",
	}
	for name, p := range g.etcdFlags() {
		fs.StringVar(p, name, *p, help[name])
	}
}

// etcdOptions are the engine's options from the flags.
func (g *globals) etcdOptions() (store.EtcdOptions, error) {
	eo := store.EtcdOptions{Prefix: g.etcdPrefix, CACert: g.etcdCACert, Cert: g.etcdCert, Key: g.etcdKey, DialTimeout: 5 * time.Second}
	for _, u := range strings.Split(g.etcd, ",") {
		if u = strings.TrimSpace(u); u != "" {
			if !strings.Contains(u, "://") {
				u = "http://" + u
			}
			eo.Endpoints = append(eo.Endpoints, u)
		}
	}
	if len(eo.Endpoints) == 0 {
		return eo, fmt.Errorf("--etcd: no client URL given (e.g. --etcd http://127.0.0.1:2379)")
	}
	if eo.Prefix == "" {
		eo.Prefix = "/ceedesk/"
	}
	if g.etcdUser != "" {
		name, pass, ok := strings.Cut(g.etcdUser, ":")
		if !ok || name == "" {
			return eo, fmt.Errorf("--etcd-user: want NAME:PASSWORD")
		}
		eo.Username, eo.Password = name, pass
	}
	for _, f := range []struct {
		name string
		val  string
		dst  *int
	}{{"etcd-max-txn-ops", g.etcdMaxTxnOps, &eo.MaxTxnOps}, {"etcd-max-request-bytes", g.etcdMaxRequestBytes, &eo.MaxRequestBytes}} {
		if f.val == "" {
			continue
		}
		n, err := strconv.Atoi(f.val)
		if err != nil || n < 1 {
			return eo, fmt.Errorf("--%s %q: want a whole number from 1", f.name, f.val)
		}
		*f.dst = n
	}
	if (eo.Cert == "") != (eo.Key == "") {
		return eo, fmt.Errorf("--etcd-cert and --etcd-key go together: a client certificate and its key")
	}
	return eo, nil
}

// openEtcd opens the Center's store in the etcd cluster the flags name. Its audit key is found as on bbolt, with
// the data directory in place of the store's own directory: every front end of one Center needs the same key file.
func openEtcd(g *globals, cfg ui.Config, opt store.Options) (*store.Store, error) {
	if g.db != "" {
		return nil, fmt.Errorf("--db and --etcd name two stores; give one")
	}
	eo, err := g.etcdOptions()
	if err != nil {
		return nil, err
	}
	dir := dataDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory %s: %v", dir, err)
	}
	opt.Policy = cfg.Policy
	opt.AuditKey, opt.AuditKeyDefault = auditKeyPaths(g, cfg, filepath.Join(dir, "etcd"))
	return store.OpenEtcd(eo, opt)
}

// onEtcd reports whether the flags select the etcd engine.
func (g *globals) onEtcd() bool { return g.etcd != "" }

// runMigrate is `ceedesk migrate --etcd URLS [--etcd-prefix P] [--db FILE]`: the bbolt store (--db, or the default
// store) copied into an empty etcd prefix, streaming, with progress, then opened again and verified.
func runMigrate(g *globals, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("migrate", g)
	pos, err := parseInterleaved(fs, args)
	if err != nil || len(pos) != 0 {
		fmt.Fprintln(stderr, "usage: ceedesk migrate --etcd URL[,URL...] [--etcd-prefix P] [--db FILE]   (copies the bbolt store FILE into an empty etcd prefix)")
		return cli.ExitUsage
	}
	if !g.onEtcd() {
		fmt.Fprintln(stderr, "ceedesk migrate: --etcd URL[,URL...] names the cluster to copy the store into")
		return cli.ExitUsage
	}
	cfg, err := loadConfig(g)
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk migrate: %v\n", err)
		return cli.ExitFail
	}
	eo, err := g.etcdOptions()
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk migrate: %v\n", err)
		return cli.ExitUsage
	}
	path := g.dbPath()
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(stderr, "ceedesk migrate: store %s: %v\n", path, err)
		return cli.ExitFail
	}
	etcd := *g
	etcd.etcd = "" // the source is the bbolt file
	src, err := openStore(&etcd, cfg, store.Options{})
	if err != nil {
		fmt.Fprintln(stderr, heldHint(err, g, "migrate", args))
		return cli.ExitFail
	}
	defer src.Close()
	// the copy keeps the source's audit chain, so it is verified with the source's key
	dstOpt := store.Options{Policy: cfg.Policy, Migrating: true}
	if _, keyPath, err := src.AuditKey(); err == nil && keyPath != "" {
		dstOpt.AuditKey = keyPath
	}
	dst, err := store.OpenEtcd(eo, dstOpt)
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk migrate: %v\n", err)
		return cli.ExitFail
	}
	start := time.Now()
	last := time.Time{}
	progress := func(done, total int) {
		if time.Since(last) < time.Second && done < total {
			return
		}
		last = time.Now()
		fmt.Fprintf(stderr, "migrate: %d of %d keys copied (%.0f%%), %s\n", done, total, 100*float64(done)/float64(max(total, 1)), time.Since(start).Round(time.Second))
	}
	n, err := src.CopyInto(dst, progress)
	dst.Close()
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk migrate: %v\nthe prefix is marked as a cut-off copy; run the migrate again, which starts over\n", err)
		return cli.ExitFail
	}
	copied := time.Since(start)
	dstOpt.Migrating = false
	dst, err = store.OpenEtcd(eo, dstOpt)
	if err == nil {
		err = dst.VerifyCopy(n)
		dst.Close()
	}
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk migrate: the copy does not verify: %v\n", err)
		return cli.ExitFail
	}
	fmt.Fprintf(stdout, "migrated %d cases from %s into etcd %s under %s in %s; verified (indexes, audit chain, histories) in %s\n",
		n, path, strings.Join(eo.Endpoints, ","), eo.Prefix, copied.Round(time.Millisecond), (time.Since(start) - copied).Round(time.Millisecond))
	fmt.Fprintf(stdout, "serve it with: ceedesk serve --etcd %s --etcd-prefix %s\n", strings.Join(eo.Endpoints, ","), eo.Prefix)
	return cli.ExitOK
}
