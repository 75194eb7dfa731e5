package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// sshIdentity is a demo user's SSH key pair, as a reviewer's laptop holds it.
type sshIdentity struct {
	user   string
	signer gossh.Signer
	pub    string // the public key's file, for `ceedesk key add`
}

func newSSHIdentity(t *testing.T, user string) sshIdentity {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(t.TempDir(), user+".pub")
	if err := os.WriteFile(pub, gossh.MarshalAuthorizedKey(signer.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	return sshIdentity{user: user, signer: signer, pub: pub}
}

// remoteOutcome is what became of a command sent to a front end, as its client can know it.
type remoteOutcome int

const (
	// notRun: the connection, the handshake or the session was refused before the command was sent; it did not run.
	notRun remoteOutcome = iota
	// exited: the command ran and its exit status came back.
	exited
	// cut: the connection ended after the command was sent and before its exit status came back; it may have run.
	cut
)

// remoteRun is one command run over SSH.
type remoteRun struct {
	outcome remoteOutcome
	code    int
	stdout  string
	stderr  string
	err     error // why it did not run, or was cut
}

// dialSSH connects as id to addr within a few seconds; the connection lives at most lifetime.
func (id sshIdentity) dialSSH(addr string, lifetime time.Duration) (*gossh.Client, net.Conn, error) {
	conn, err := net.DialTimeout("tcp", addr, 3*time.Second)
	if err != nil {
		return nil, nil, err
	}
	conn.SetDeadline(time.Now().Add(15 * time.Second))
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, &gossh.ClientConfig{
		User: id.user, Auth: []gossh.AuthMethod{gossh.PublicKeys(id.signer)}, HostKeyCallback: gossh.InsecureIgnoreHostKey(),
	})
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	conn.SetDeadline(time.Now().Add(lifetime))
	return gossh.NewClient(c, chans, reqs), conn, nil
}

// run runs command as id's user on the front end at addr, as `ssh -p PORT user@127.0.0.1 command` does, within
// lifetime, and says what became of it.
func (id sshIdentity) run(addr, command string, lifetime time.Duration) remoteRun {
	client, conn, err := id.dialSSH(addr, lifetime)
	if err != nil {
		return remoteRun{outcome: notRun, err: err}
	}
	defer conn.Close()
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		return remoteRun{outcome: notRun, err: err}
	}
	defer sess.Close()
	var out, errb bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errb
	err = sess.Run(command) // from here on the command may have run
	var exit *gossh.ExitError
	switch {
	case err == nil:
		return remoteRun{outcome: exited, code: 0, stdout: out.String(), stderr: errb.String()}
	case errors.As(err, &exit):
		return remoteRun{outcome: exited, code: exit.ExitStatus(), stdout: out.String(), stderr: errb.String()}
	}
	return remoteRun{outcome: cut, stdout: out.String(), stderr: errb.String(), err: err}
}

// pty is the client end of a workstation session (a PTY over SSH): everything the front end drew, and the
// answers a real terminal gives to the queries the workstation's renderer asks.
type pty struct {
	sess  *gossh.Session
	stdin io.WriteCloser
	conn  net.Conn

	mu      sync.Mutex
	changed *sync.Cond
	raw     bytes.Buffer
	closed  bool
	exitErr error
}

// openPTY opens the workstation as id on the front end at addr in a terminal of w×h.
func (id sshIdentity) openPTY(addr string, w, h int, lifetime time.Duration) (*pty, error) {
	client, conn, err := id.dialSSH(addr, lifetime)
	if err != nil {
		return nil, err
	}
	sess, err := client.NewSession()
	if err != nil {
		conn.Close()
		return nil, err
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		conn.Close()
		return nil, err
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		conn.Close()
		return nil, err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		conn.Close()
		return nil, err
	}
	p := &pty{sess: sess, stdin: stdin, conn: conn}
	p.changed = sync.NewCond(&p.mu)
	sess.Stderr = ptyStderr{p}
	if err := sess.Shell(); err != nil {
		conn.Close()
		return nil, err
	}
	go p.read(stdout)
	return p, nil
}

func (p *pty) read(r io.Reader) {
	buf := make([]byte, 32*1024)
	query := []byte("\x1b[c")
	for {
		n, err := r.Read(buf)
		p.mu.Lock()
		from := max(0, p.raw.Len()-(len(query)-1))
		p.raw.Write(buf[:n])
		reply := bytes.Contains(p.raw.Bytes()[from:], query)
		p.changed.Broadcast()
		p.mu.Unlock()
		if reply { // the background colour and the device attributes, as a terminal answers them
			p.stdin.Write([]byte("\x1b]11;rgb:1c1c/1c1c/1c1c\x07\x1b[?62;22c"))
		}
		if err != nil {
			exitErr := p.sess.Wait()
			p.mu.Lock()
			p.exitErr, p.closed = exitErr, true
			p.changed.Broadcast()
			p.mu.Unlock()
			return
		}
	}
}

type ptyStderr struct{ p *pty }

func (w ptyStderr) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	w.p.raw.Write(b)
	w.p.changed.Broadcast()
	return len(b), nil
}

func (p *pty) close() { p.conn.Close() }

// mark is a position in the output.
func (p *pty) mark() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.raw.Len()
}

// screen is the text drawn since mark, without escape sequences.
func (p *pty) screen(from int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return ansi.Strip(string(p.raw.Bytes()[from:]))
}

func (p *pty) send(keys string) error {
	_, err := p.stdin.Write([]byte(keys))
	return err
}

// waitFor waits until ok holds of the text drawn since mark, the session ends, or timeout passes.
func (p *pty) waitFor(from int, timeout time.Duration, ok func(text string) bool) bool {
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		p.mu.Lock()
		p.changed.Broadcast()
		p.mu.Unlock()
	})
	defer timer.Stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		if ok(ansi.Strip(string(p.raw.Bytes()[from:]))) {
			return true
		}
		if p.closed || time.Now().After(deadline) {
			return false
		}
		p.changed.Wait()
	}
}

// waitSee waits until every want is drawn after mark.
func (p *pty) waitSee(from int, timeout time.Duration, want ...string) bool {
	return p.waitFor(from, timeout, func(text string) bool {
		for _, w := range want {
			if !strings.Contains(text, w) {
				return false
			}
		}
		return true
	})
}

// waitOutput waits until anything arrives after mark.
func (p *pty) waitOutput(from int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		p.mu.Lock()
		p.changed.Broadcast()
		p.mu.Unlock()
	})
	defer timer.Stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.raw.Len() <= from {
		if p.closed || time.Now().After(deadline) {
			return false
		}
		p.changed.Wait()
	}
	return true
}

// ended says whether the session is over, and how.
func (p *pty) ended() (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed, p.exitErr
}

func (r remoteRun) String() string {
	switch r.outcome {
	case notRun:
		return fmt.Sprintf("not run (%v)", r.err)
	case cut:
		return fmt.Sprintf("cut (%v; stdout %q, stderr %q)", r.err, r.stdout, r.stderr)
	}
	return fmt.Sprintf("exit %d (stdout %q, stderr %q)", r.code, r.stdout, r.stderr)
}
