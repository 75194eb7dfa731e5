package cli

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/crypto/ssh"

	"ceedesk/cases"
	"ceedesk/store"
)

// MaxKeyFile bounds an authorized_keys-style public key file.
const MaxKeyFile = 64 << 10

// open opens a named input: over SSH always standard input (the server's files are not the caller's), locally the
// file, or standard input for "-".
func open(env *Env, name string) (io.ReadCloser, error) {
	if env.Remote() || name == "-" {
		return io.NopCloser(env.Stdin), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ParsePublicKey reads one public key in authorized_keys format and returns its SHA256 fingerprint and the
// normalised line.
func ParsePublicKey(name string, b []byte) (fingerprint, line string, err error) {
	if len(b) > MaxKeyFile {
		return "", "", fmt.Errorf("%s: %d bytes is too large for a public key file", name, len(b))
	}
	pk, comment, _, _, err := ssh.ParseAuthorizedKey(b)
	if err != nil {
		if strings.Contains(string(b), "PRIVATE KEY") {
			return "", "", fmt.Errorf("%s: this is a private key; give the public key (the .pub file)", name)
		}
		return "", "", fmt.Errorf("%s: not an SSH public key (%v)", name, err)
	}
	line = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk)))
	if comment != "" {
		line += " " + cases.CleanLine(comment)
	}
	return ssh.FingerprintSHA256(pk), line, nil
}

func readKey(env *Env, name string) (fp, line string, err error) {
	r, err := open(env, name)
	if err != nil {
		return "", "", err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, MaxKeyFile+1))
	if err != nil {
		return "", "", err
	}
	return ParsePublicKey(name, b)
}

func cmdUser(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("user add|list|disable|enable")
	}
	switch args[0] {
	case "add":
		fs := newFlags("user add")
		role := fs.String("role", "reviewer", "reviewer, supervisor or admin")
		center := fs.String("center", "", "the user's Center code, e.g. ELEC")
		display := fs.String("display", "", "full name")
		key := fs.String("key", "", "public key file (authorized_keys format; over SSH: - and the key on standard input)")
		pos, err := flags(fs, args[1:])
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usagef("one NAME is needed")
		}
		r, err := cases.ParseRole(*role)
		if err != nil {
			return usagef("%v", err)
		}
		if *center == "" {
			return usagef("--center is needed")
		}
		c, err := cases.LookupCenter(*center)
		if err != nil {
			return usagef("%v", err)
		}
		var fp, line string
		if *key != "" {
			if fp, line, err = readKey(env, *key); err != nil {
				return err
			}
		}
		u := cases.User{Name: pos[0], Display: *display, Role: r, Center: c.Code}
		if err := env.Store.AddUser(who(env), u); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "user %s added: %s of the %s Center\n", u.Name, u.Role, c.Code)
		if fp != "" {
			if err := env.Store.AddKey(who(env), u.Name, fp, line); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "key %s added for %s\n", fp, u.Name)
		}
		return nil
	case "list":
		fs := newFlags("user list")
		center := fs.String("center", "", "only this Center")
		if _, err := flags(fs, args[1:]); err != nil {
			return err
		}
		us, err := env.Store.Users(who(env), strings.ToUpper(*center))
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tCENTER\tKEYS\tSTATE\tDISPLAY")
		for _, u := range us {
			keys, err := env.Store.Keys(who(env), u.Name)
			if err != nil {
				return err
			}
			live := 0
			for _, k := range keys {
				if !k.Revoked {
					live++
				}
			}
			state := "active"
			if u.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", u.Name, u.Role, u.Center, live, state, cases.CleanLine(u.Display))
		}
		return tw.Flush()
	case "disable", "enable":
		if len(args) != 2 {
			return usagef("user %s NAME", args[0])
		}
		if err := env.Store.SetDisabled(who(env), args[1], args[0] == "disable"); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "user %s %sd\n", args[1], args[0])
		return nil
	}
	return usagef("unknown user subcommand %q; want add, list, disable or enable", args[0])
}

func cmdKey(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("key add|revoke|list")
	}
	switch args[0] {
	case "add":
		if len(args) != 3 {
			return usagef("key add USER FILE (over SSH: FILE is - and the key comes on standard input)")
		}
		fp, line, err := readKey(env, args[2])
		if err != nil {
			return err
		}
		if err := env.Store.AddKey(who(env), args[1], fp, line); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "key %s added for %s\n", fp, args[1])
		return nil
	case "revoke":
		if len(args) != 2 {
			return usagef("key revoke FINGERPRINT")
		}
		if err := env.Store.RevokeKey(who(env), args[1]); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "key %s revoked\n", args[1])
		return nil
	case "list":
		names := args[1:]
		if len(names) == 0 {
			names = []string{""} // every key the actor may see
		}
		var keys []store.Key
		for _, n := range names {
			ks, err := env.Store.Keys(who(env), n)
			if err != nil {
				return err
			}
			keys = append(keys, ks...)
		}
		slices.SortStableFunc(keys, func(a, b store.Key) int { return strings.Compare(a.User, b.User) })
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USER\tFINGERPRINT\tADDED\tSTATE")
		for _, k := range keys {
			state := "active"
			if k.Revoked {
				state = "revoked"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.User, k.Fingerprint, k.Added.Format("2006-01-02"), state)
		}
		return tw.Flush()
	}
	return usagef("unknown key subcommand %q; want add, revoke or list", args[0])
}

func cmdImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("import")
	abandon := fs.Bool("abandon", false, "forget an import that stopped before its end; the cases it imported stay")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if *abandon {
		if len(pos) != 0 {
			return usagef("--abandon takes no FILE")
		}
		return abandonImport(env)
	}
	if len(pos) != 1 {
		return usagef("one FILE is needed (.jsonl or .csv; over SSH the file comes on standard input and FILE names its format), or --abandon")
	}
	if err := env.Store.CanAdmin(who(env)); err != nil {
		return err
	}
	base := filepath.Base(pos[0])
	before, err := env.Store.UnfinishedImport()
	if err != nil {
		return err
	}
	r, err := open(env, pos[0])
	if err != nil {
		return err
	}
	defer r.Close()
	in := withProgress(env, r, pos[0], "importing "+base)
	var opt store.ImportOptions
	pr, shown := in.(*progressReader)
	if shown {
		opt.Progress = pr.phase
	}
	n, err := env.Store.ImportWith(bufio.NewReaderSize(in, 1<<20), base, who(env), opt)
	if shown {
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		return err
	}
	if before != nil && before.File == base {
		fmt.Fprintf(env.Stdout, "imported %d cases from %s, the rest of the import that stopped after %d; all %d of its cases are in\n",
			n, cases.CleanLine(base), before.Written, before.Cases)
		return nil
	}
	fmt.Fprintf(env.Stdout, "imported %d cases from %s\n", n, cases.CleanLine(base))
	return nil
}

// abandonImport forgets the store's unfinished import, if it has one.
func abandonImport(env *Env) error {
	j, err := env.Store.AbandonImport(who(env))
	if err != nil {
		return err
	}
	if j == nil {
		fmt.Fprintln(env.Stdout, "no import is unfinished")
		return nil
	}
	fmt.Fprintf(env.Stdout, "abandoned the import of %s: %d of its %d cases were imported and stay\n", cases.CleanLine(j.File), j.Written, j.Cases)
	return nil
}

// phase shows how far the writing of an import has gone, after the reading (and checking) that Read shows.
func (p *progressReader) phase(ip store.ImportProgress) {
	if ip.Phase == "checking" || (time.Since(p.last) < 200*time.Millisecond && ip.Done < ip.Total) {
		return
	}
	p.last = time.Now()
	switch ip.Phase {
	case "writing":
		fmt.Fprintf(p.w, "\r%s: writing: %d of %d cases (%.0f%%)          ", p.what, ip.Done, ip.Total, 100*float64(ip.Done)/float64(max(ip.Total, 1)))
	default:
		fmt.Fprintf(p.w, "\r%s: %s: %.0f%%                              ", p.what, ip.Phase, 100*float64(ip.Done)/float64(max(ip.Total, 1)))
	}
}

// create opens an output: over SSH always standard output, locally the file (written whole or not at all, never
// through a symbolic link: store.WriteFile), or standard output for "" and "-".
func create(env *Env, name string, write func(io.Writer) error) error {
	if env.Remote() || name == "" || name == "-" {
		return write(env.Stdout)
	}
	return store.WriteFile(name, write)
}

func cmdExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("export")
	format := fs.String("format", "", "jsonl or csv (default: from --out's extension, else jsonl)")
	out := fs.String("out", "", "file to write (default: standard output)")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	f := *format
	if f == "" {
		f = "jsonl"
		if strings.HasSuffix(strings.ToLower(*out), ".csv") {
			f = "csv"
		}
	}
	if f != "jsonl" && f != "csv" {
		return usagef("--format %q: want jsonl or csv", f)
	}
	var n int
	err = create(env, *out, func(w io.Writer) error {
		var err error
		n, err = env.Store.Export(who(env), w, f)
		return err
	})
	if err != nil {
		return err
	}
	if *out != "" && !env.Remote() {
		fmt.Fprintf(env.Stdout, "exported %d cases to %s\n", n, *out)
	}
	return nil
}

func cmdBackup(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("backup")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		if env.Remote() {
			return usagef("one NAME is needed: the backup is written as NAME in the server's backup directory")
		}
		return usagef("one FILE is needed")
	}
	if err := env.Store.CanAdmin(who(env)); err != nil {
		return err
	}
	if !env.Remote() {
		n, err := env.Store.BackupFile(pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "backup written to %s (%d bytes); it opens and verifies with: ceedesk --db %s audit verify\n", pos[0], n, pos[0])
		return nil
	}
	path, err := backupPath(env, pos[0])
	if err != nil {
		return err
	}
	n, err := env.Store.BackupNewFile(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backup %s written on the server in %s (%d bytes)\n", pos[0], filepath.Dir(path), n)
	return nil
}

// MaxBackupName bounds the name of a backup written over SSH.
const MaxBackupName = 128

// backupPath is where an SSH backup NAME goes: a plain name (letters, digits, '.', '_', '-'; not starting with a
// dot) in the backup directory, which is created 0700 if need be; never a protected file.
func backupPath(env *Env, name string) (string, error) {
	if name == "" || len(name) > MaxBackupName || name[0] == '.' || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != "" {
		return "", fmt.Errorf("%w: backup name %q: over SSH a backup is a plain name (letters, digits, . _ -, up to %d, not starting with a dot), written in the server's backup directory; it is never a path", cases.ErrInvalid, cases.CleanLine(shortText(name, 80)), MaxBackupName)
	}
	dir := env.BackupDir
	if dir == "" {
		dir = filepath.Join(filepath.Dir(env.Store.Path()), "backups")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup directory %s: %w", dir, err)
	}
	path, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		return "", err
	}
	for _, p := range append([]string{env.Store.Path(), env.Store.Path() + ".lock"}, env.Protected...) {
		if q, err := filepath.Abs(p); err == nil && q == path {
			return "", fmt.Errorf("%w: backup %s would be a file the server keeps (%s); choose another name", cases.ErrForbidden, name, filepath.Base(p))
		}
	}
	return path, nil
}

func shortText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func cmdAudit(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("audit verify [--head SEQ:HASH] | export [--out FILE]")
	}
	switch args[0] {
	case "verify":
		fs := newFlags("audit verify")
		head := fs.String("head", "", "also check that the log still extends this head, printed by an earlier verify (SEQ:HASH)")
		pos, err := flags(fs, args[1:])
		if err != nil {
			return err
		}
		if len(pos) != 0 {
			return usagef("unexpected argument %q", pos[0])
		}
		var seq uint64
		var hash string
		if *head != "" {
			if seq, hash, err = parseHead(*head); err != nil {
				return usagef("--head %s: %v", cases.CleanLine(*head), err)
			}
		}
		n, last, err := env.Store.VerifyAuditExtends(seq, hash)
		if err != nil {
			return fmt.Errorf("audit log does not verify: %w", err)
		}
		m, err := env.Store.VerifyHistory()
		if err != nil {
			return fmt.Errorf("audit chain is intact (%d events) but does not explain the cases: %w", n, err)
		}
		from, key, err := env.Store.AuditKey()
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "audit log verified: %d events, chain intact; it explains all %d cases\n", n, m)
		fmt.Fprintln(env.Stdout, keyedLine(from, key))
		if seq != 0 {
			fmt.Fprintf(env.Stdout, "it extends the head recorded earlier, %d:%s\n", seq, hash)
		}
		fmt.Fprintf(env.Stdout, "head %d:%s\n", n, last)
		return nil
	case "export":
		fs := newFlags("audit export")
		out := fs.String("out", "", "file to write (default: standard output)")
		if _, err := flags(fs, args[1:]); err != nil {
			return err
		}
		n := 0
		err := create(env, *out, func(w io.Writer) error {
			enc := json.NewEncoder(cases.JSONEscaper(w))
			return env.Store.Events(who(env), func(ev cases.Event) error {
				n++
				return enc.Encode(ev)
			})
		})
		if err != nil {
			return err
		}
		if *out != "" && !env.Remote() {
			fmt.Fprintf(env.Stdout, "exported %d audit events to %s\n", n, *out)
		}
		return nil
	}
	return usagef("unknown audit subcommand %q; want verify or export", args[0])
}

// parseHead reads a head as `audit verify` prints it: the event number, a colon and its 64-digit hex hash.
func parseHead(s string) (uint64, string, error) {
	n, h, ok := strings.Cut(s, ":")
	seq, err := strconv.ParseUint(n, 10, 64)
	if !ok || err != nil || seq == 0 {
		return 0, "", errors.New("want SEQ:HASH, an event number and its hash as `audit verify` prints them after \"head\"")
	}
	if _, err := hex.DecodeString(h); err != nil || len(h) != 64 {
		return 0, "", errors.New("the hash after the colon is 64 hexadecimal digits")
	}
	return seq, strings.ToLower(h), nil
}

// keyedLine says from which event a verified log is keyed (0: none yet) and with which key file.
func keyedLine(from uint64, key string) string {
	key = cases.CleanLine(key)
	switch {
	case from == 0 && key == "":
		return "not keyed: every event has a plain SHA-256 hash, which anyone who can write the store file can recompute (docs/operations.md, Audit)"
	case from == 0:
		return fmt.Sprintf("not keyed yet: every event has a plain SHA-256 hash, from before the key; the next change keys the chain with the key in %s", key)
	case from == 1:
		return fmt.Sprintf("keyed: every event (HMAC-SHA256, key %s)", key)
	}
	return fmt.Sprintf("keyed from event %d (HMAC-SHA256, key %s); events 1 to %d have plain SHA-256 hashes, from before the key", from, key, from-1)
}
