package server

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// identity is a test user's key pair and the name it logs in as.
type identity struct {
	name   string // the user the store holds the key for; "" for a key the store does not know
	signer gossh.Signer
	fp     string
	line   string // authorized_keys line
}

func newIdentity(t testing.TB) identity {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return identity{signer: signer, fp: gossh.FingerprintSHA256(signer.PublicKey()),
		line: strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))}
}

// connLifetime bounds every test connection: when it has passed, the connection is closed under whatever is
// still waiting on it (a session to open, a request's reply, a command's output), so no test waits on the
// server for ever. It is far longer than any test needs.
const connLifetime = 3 * time.Minute

// dial connects to addr as user with the given auth methods; the handshake is bounded in time, and the
// connection lives at most connLifetime.
func dial(t testing.TB, addr, user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return dialFor(t, connLifetime, addr, user, auth...)
}

func dialFor(t testing.TB, lifetime time.Duration, addr, user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, &gossh.ClientConfig{
		User:            user,
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	expire := time.AfterFunc(lifetime, func() { conn.Close() })
	t.Cleanup(func() { expire.Stop() })
	return gossh.NewClient(c, chans, reqs), nil
}

// mustDial logs in as the identity's user with its key.
func mustDial(t testing.TB, addr string, id identity) *gossh.Client {
	t.Helper()
	c, err := dial(t, addr, id.name, gossh.PublicKeys(id.signer))
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// terminal is the client end of a PTY session: it keeps everything the server drew and answers the terminal
// queries a real terminal answers (background colour, device attributes), as bm.MakeRenderer asks them.
type terminal struct {
	t     testing.TB
	sess  *gossh.Session
	stdin io.WriteCloser

	mu      sync.Mutex
	changed *sync.Cond
	raw     bytes.Buffer
	closed  bool
	done    chan struct{}
	exitErr error
}

func openTerminal(t testing.TB, c *gossh.Client, w, h int) *terminal {
	t.Helper()
	term, err := startTerminal(t, c, w, h, "xterm-256color", nil)
	if err != nil {
		t.Fatal(err)
	}
	return term
}

// startTerminal opens a PTY session of the given TERM, with env sent as the client's environment (as ssh's
// SendEnv does) before the shell starts. Unlike openTerminal it may be called from any goroutine.
func startTerminal(t testing.TB, c *gossh.Client, w, h int, termName string, env []string) (*terminal, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	t.Cleanup(func() { sess.Close() })
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if err := sess.Setenv(k, v); err != nil {
			return nil, fmt.Errorf("setenv %s: %w", k, err)
		}
	}
	if err := sess.RequestPty(termName, h, w, gossh.TerminalModes{}); err != nil {
		return nil, fmt.Errorf("pty: %w", err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	term := &terminal{t: t, sess: sess, stdin: stdin, done: make(chan struct{})}
	term.changed = sync.NewCond(&term.mu)
	sess.Stderr = terminalStderr{term} // a terminal shows both streams, as ssh does
	if err := sess.Shell(); err != nil {
		return nil, fmt.Errorf("shell: %w", err)
	}
	go term.read(stdout)
	return term, nil
}

func (term *terminal) read(r io.Reader) {
	buf := make([]byte, 32*1024)
	query := []byte("\x1b[c")
	for {
		n, err := r.Read(buf)
		term.mu.Lock()
		// Answer each device-attributes query once, as a terminal does (the background query precedes it). Only
		// what arrived now is searched, with the end of what came before, where a query may have begun: a
		// session's whole output, searched on every read, would cost the load test's clients more than their
		// server's frames.
		from := max(0, term.raw.Len()-(len(query)-1))
		term.raw.Write(buf[:n])
		reply := bytes.Contains(term.raw.Bytes()[from:], query)
		term.changed.Broadcast()
		term.mu.Unlock()
		if reply {
			term.stdin.Write([]byte("\x1b]11;rgb:1c1c/1c1c/1c1c\x07\x1b[?62;22c"))
		}
		if err != nil {
			// Wait returns once the error output has been copied too: the session is over only then.
			exitErr := term.sess.Wait()
			term.mu.Lock()
			term.exitErr = exitErr
			term.closed = true
			term.changed.Broadcast()
			term.mu.Unlock()
			close(term.done)
			return
		}
	}
}

// terminalStderr puts the session's error output on the terminal's screen.
type terminalStderr struct{ term *terminal }

func (w terminalStderr) Write(p []byte) (int, error) {
	w.term.mu.Lock()
	defer w.term.mu.Unlock()
	w.term.raw.Write(p)
	w.term.changed.Broadcast()
	return len(p), nil
}

// settle waits until no output has arrived for quiet (at most 10 seconds).
func (term *terminal) settle(quiet time.Duration) {
	deadline := time.Now().Add(10 * time.Second)
	last := term.mark()
	for time.Now().Before(deadline) {
		time.Sleep(quiet)
		n := term.mark()
		if n == last {
			return
		}
		last = n
	}
}

// mark is a position in the output; waitFor looks only at what arrived after it.
func (term *terminal) mark() int {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.raw.Len()
}

// screen is the text drawn since mark, without escape sequences.
func (term *terminal) screen(from int) string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return ansi.Strip(string(term.raw.Bytes()[from:]))
}

// waitFor waits until every want appears in the output after mark, the session ends, or timeout passes.
func (term *terminal) waitFor(from int, timeout time.Duration, want ...string) bool {
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		term.mu.Lock()
		term.changed.Broadcast()
		term.mu.Unlock()
	})
	defer timer.Stop()
	term.mu.Lock()
	defer term.mu.Unlock()
	for {
		text := ansi.Strip(string(term.raw.Bytes()[from:]))
		all := true
		for _, w := range want {
			if !strings.Contains(text, w) {
				all = false
				break
			}
		}
		if all {
			return true
		}
		if term.closed || time.Now().After(deadline) {
			return false
		}
		term.changed.Wait()
	}
}

func (term *terminal) mustSee(from int, want ...string) {
	term.t.Helper()
	if !term.waitFor(from, 5*time.Second, want...) {
		term.t.Fatalf("screen never showed %q; it shows:\n%s", want, tail(term.screen(from), 3000))
	}
}

// waitOutput waits until something arrives after mark, the session ends, or timeout passes.
func (term *terminal) waitOutput(from int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		term.mu.Lock()
		term.changed.Broadcast()
		term.mu.Unlock()
	})
	defer timer.Stop()
	term.mu.Lock()
	defer term.mu.Unlock()
	for term.raw.Len() <= from {
		if term.closed || time.Now().After(deadline) {
			return false
		}
		term.changed.Wait()
	}
	return true
}

// command runs a `:` command line in the workstation. The ":" goes alone, as a person types it: a terminal
// read holding several characters reaches the program as one key message.
func (term *terminal) command(line string) {
	term.t.Helper()
	m := term.mark()
	term.send(":")
	if !term.waitOutput(m, 5*time.Second) {
		term.t.Fatal("no command line after ':'")
	}
	term.send(line)
	term.send("\r")
}

func (term *terminal) send(keys string) {
	term.t.Helper()
	if err := term.write(keys); err != nil {
		term.t.Fatal(err)
	}
}

// write sends keys; unlike send it may be called from any goroutine.
func (term *terminal) write(keys string) error {
	if _, err := term.stdin.Write([]byte(keys)); err != nil {
		return fmt.Errorf("send %q: %w", keys, err)
	}
	return nil
}

// raw is everything the server sent since mark, escape sequences included.
func (term *terminal) rawSince(from int) string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return string(term.raw.Bytes()[from:])
}

// ended waits for the session to end and returns its exit error (nil for status 0).
func (term *terminal) ended(timeout time.Duration) (error, bool) {
	select {
	case <-term.done:
		return term.exitErr, true
	case <-time.After(timeout):
		return nil, false
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// run runs a command without a PTY and returns its output and exit status.
func run(t testing.TB, c *gossh.Client, cmd string, stdin string) (stdout, stderr string, status int) {
	t.Helper()
	stdout, stderr, status, err := runCommand(c, cmd, stdin, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return stdout, stderr, status
}

// runCommand runs a command in a new session of c and returns its output and exit status. A command that has
// not ended after timeout has its session closed and is an error. It may be called from any goroutine.
func runCommand(c *gossh.Client, cmd, stdin string, timeout time.Duration) (stdout, stderr string, status int, err error) {
	sess, err := c.NewSession()
	if err != nil {
		return "", "", 0, fmt.Errorf("run %q: new session: %w", cmd, err)
	}
	defer sess.Close()
	expired := time.AfterFunc(timeout, func() { sess.Close() })
	defer expired.Stop()
	var out, errb bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errb
	sess.Stdin = strings.NewReader(stdin)
	err = sess.Run(cmd)
	if !expired.Stop() {
		return out.String(), errb.String(), 0, fmt.Errorf("run %q: no exit after %v", cmd, timeout)
	}
	switch e := err.(type) {
	case nil:
	case *gossh.ExitError:
		status = e.ExitStatus()
	default:
		return out.String(), errb.String(), 0, fmt.Errorf("run %q: %v (stderr %q)", cmd, err, errb.String())
	}
	return out.String(), errb.String(), status, nil
}

// impostor offers another user's public key, which the server accepts when asked whether it would, but cannot
// sign for it: it answers with a signature of an algorithm that does not match the key. x/crypto refuses that
// attempt without dropping the connection, so the client goes on to its next key in the same connection: the
// shape of soft-serve GHSA-pchf-49fh-w34r (offer someone else's key, prove your own).
type impostor struct {
	claimed gossh.PublicKey
	own     gossh.Signer
}

func (i impostor) PublicKey() gossh.PublicKey { return i.claimed }
func (i impostor) Sign(r io.Reader, data []byte) (*gossh.Signature, error) {
	sig, err := i.own.Sign(r, data)
	if err != nil {
		return nil, err
	}
	return &gossh.Signature{Format: gossh.KeyAlgoRSASHA256, Blob: sig.Blob}, nil
}

func listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func publicKey(id identity) gossh.AuthMethod { return gossh.PublicKeys(id.signer) }
