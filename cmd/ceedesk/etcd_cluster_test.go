package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// A Center on etcd, on this machine, for the tests: real etcd members and real `ceedesk serve` front ends, each
// its own process, on loopback ports, that a test kills with SIGKILL and starts again as an operator would.

// etcdBuild is the etcd server built once per test binary from the module go.mod pins (go.etcd.io/etcd/server/v3),
// into the directory of the ceedesk binary, which TestMain removes.
var etcdBuild struct {
	sync.Once
	path string
	err  error
}

func etcdBinary(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("the etcd harness kills processes with SIGKILL: it needs a Unix")
	}
	dir := filepath.Dir(ceedeskBinary(t))
	etcdBuild.Do(func() {
		etcdBuild.path = filepath.Join(dir, "etcd")
		out, err := exec.Command("go", "build", "-o", etcdBuild.path, "go.etcd.io/etcd/server/v3").CombinedOutput()
		if err != nil {
			etcdBuild.err = fmt.Errorf("go build go.etcd.io/etcd/server/v3: %v\n%s", err, out)
		}
	})
	if etcdBuild.err != nil {
		t.Fatal(etcdBuild.err)
	}
	return etcdBuild.path
}

// freePorts finds n distinct free TCP ports on 127.0.0.1, holding each until all are found.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	var ports []int
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// process is one child process the harness starts, kills and starts again with the same command line, its
// output appended to one log file across its lives.
type process struct {
	name string
	bin  string
	args []string
	env  []string
	log  string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	starts int
}

// start runs the process; its log records each start, so that what a life printed can be told from the others.
func (p *process) start() (logOffset int64, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		return 0, fmt.Errorf("%s is running", p.name)
	}
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	p.starts++
	fmt.Fprintf(f, "\n==== %s start %d at %s\n", p.name, p.starts, time.Now().Format(time.RFC3339Nano))
	off, _ := f.Seek(0, 2)
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	p.cmd, p.exited = cmd, exited
	return off, nil
}

// kill sends SIGKILL and waits for the process to be gone; it reports whether it was running.
func (p *process) kill() bool {
	p.mu.Lock()
	cmd, exited := p.cmd, p.exited
	p.cmd = nil
	p.mu.Unlock()
	if cmd == nil {
		return false
	}
	running := true
	select {
	case <-exited:
		running = false
	default:
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	return running
}

// alive reports whether the process is running (it was started and has not exited).
func (p *process) alive() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return false
	}
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// logTail is the end of the process's log.
func (p *process) logTail(n int) string {
	b, _ := os.ReadFile(p.log)
	return tailString(string(b), n)
}

func tailString(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// etcdCluster is a cluster of etcd members on loopback, each a process with its own data directory.
type etcdCluster struct {
	t       *testing.T
	members []*etcdMember
}

type etcdMember struct {
	*process
	client, peer int
}

func (m *etcdMember) url() string { return fmt.Sprintf("http://127.0.0.1:%d", m.client) }

// startEtcdCluster starts n members with the limits a Center's cluster runs with (docs/operations.md) and waits
// until each answers; the test's end kills them.
func startEtcdCluster(t *testing.T, n int) *etcdCluster {
	t.Helper()
	bin := etcdBinary(t)
	dir := t.TempDir()
	ports := freePorts(t, 2*n)
	c := &etcdCluster{t: t}
	var initial []string
	for i := range n {
		m := &etcdMember{client: ports[2*i], peer: ports[2*i+1]}
		name := fmt.Sprintf("m%d", i+1)
		m.process = &process{name: "etcd " + name, bin: bin, log: filepath.Join(dir, name+".log")}
		initial = append(initial, fmt.Sprintf("%s=http://127.0.0.1:%d", name, m.peer))
		c.members = append(c.members, m)
	}
	token := fmt.Sprintf("ceedesk-test-%d", ports[0])
	for i, m := range c.members {
		name := fmt.Sprintf("m%d", i+1)
		m.args = []string{"--name", name, "--data-dir", filepath.Join(dir, name+".data"),
			"--listen-client-urls", m.url(), "--advertise-client-urls", m.url(),
			"--listen-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", m.peer),
			"--initial-advertise-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", m.peer),
			"--initial-cluster", strings.Join(initial, ","), "--initial-cluster-state", "new", "--initial-cluster-token", token,
			"--max-txn-ops", "4096", "--max-request-bytes", "8388608", "--quota-backend-bytes", "8589934592",
			"--log-level", "warn"}
		if _, err := m.start(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for _, m := range c.members {
			m.kill()
		}
		if t.Failed() {
			for _, m := range c.members {
				t.Logf("%s log:\n%s", m.name, m.logTail(3000))
			}
		}
	})
	for i := range c.members {
		if err := c.waitMember(i, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// endpoints are the members' client URLs, comma-separated, as --etcd takes them.
func (c *etcdCluster) endpoints() string {
	var eps []string
	for _, m := range c.members {
		eps = append(eps, m.url())
	}
	return strings.Join(eps, ",")
}

func (c *etcdCluster) endpointList() []string { return strings.Split(c.endpoints(), ",") }

// restart starts a killed member again on its data directory, as a member of the existing cluster.
func (c *etcdCluster) restart(i int) error {
	m := c.members[i]
	for j, a := range m.args {
		if a == "--initial-cluster-state" {
			m.args[j+1] = "existing"
		}
	}
	_, err := m.start()
	return err
}

// waitMember waits until member i answers a linearizable read through its own endpoint alone: it is up, and in
// a cluster with a leader.
func (c *etcdCluster) waitMember(i int, timeout time.Duration) error {
	m := c.members[i]
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{m.url()}, DialTimeout: 2 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		return err
	}
	defer cli.Close()
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := cli.Get(ctx, "/ceedesk-test-health")
		cancel()
		if err == nil {
			return nil
		}
		if !m.alive() {
			return fmt.Errorf("%s exited:\n%s", m.name, m.logTail(3000))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s does not answer after %s: %v\n%s", m.name, timeout, err, m.logTail(3000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// etcdFlags are the global flags that put a ceedesk command on the cluster under prefix.
func (c *etcdCluster) etcdFlags(prefix string) []string {
	return []string{"--etcd", c.endpoints(), "--etcd-prefix", prefix, "--etcd-max-txn-ops", "4096", "--etcd-max-request-bytes", "8388608"}
}

// centerEnv is the environment every ceedesk process of a test's Center runs in: its own data and config
// directories, so nothing of the machine's is read or written.
func centerEnv(dir string) []string {
	return []string{"XDG_DATA_HOME=" + filepath.Join(dir, "data"), "XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "CEEDESK_CONFIG=", "CEEDESK_USER="}
}

// ceedeskProc runs the built ceedesk binary to completion in env and returns its exit status and output.
func ceedeskProc(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(ceedeskBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("ceedesk %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

// frontEnd is a `ceedesk serve --etcd` process listening on a fixed loopback port, so that it comes back where
// the clients know it after a kill.
type frontEnd struct {
	*process
	addr string
}

var servingRE = regexp.MustCompile(`serving addr=(\S+)`)

// newFrontEnd makes (does not start) a front end of the Center whose global flags are globals, listening on a
// free port, with host key hostKey (every front end of one Center shares it).
func newFrontEnd(t *testing.T, name, dir string, env, globals []string, hostKey string) *frontEnd {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePorts(t, 1)[0])
	args := append(append([]string{}, globals...), "serve", "--listen", addr, "--host-key", hostKey)
	fe := &frontEnd{process: &process{name: name, bin: ceedeskBinary(t), args: args, env: env, log: filepath.Join(dir, name+".log")}, addr: addr}
	t.Cleanup(func() {
		fe.kill()
		if t.Failed() {
			t.Logf("%s log:\n%s", fe.name, fe.logTail(4000))
		}
	})
	return fe
}

// serve starts the front end and waits until it logs that it serves (on its address), or exits, or timeout.
func (fe *frontEnd) serve(timeout time.Duration) error {
	off, err := fe.start()
	if err != nil {
		return err
	}
	deadline := time.Now().Add(timeout)
	for {
		if line, ok := fe.logLineSince(off, servingRE); ok {
			if m := servingRE.FindStringSubmatch(line); m[1] != fe.addr {
				return fmt.Errorf("%s serves on %s, not %s", fe.name, m[1], fe.addr)
			}
			return nil
		}
		if !fe.alive() {
			return fmt.Errorf("%s exited before serving:\n%s", fe.name, fe.logTail(3000))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s does not serve after %s:\n%s", fe.name, timeout, fe.logTail(3000))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// logLines are the lines of the log (of every life) that re matches.
func (p *process) logLines(re *regexp.Regexp) []string {
	b, _ := os.ReadFile(p.log)
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if re.MatchString(line) {
			out = append(out, line)
		}
	}
	return out
}

// logLineSince is the first line of the log after offset that re matches.
func (p *process) logLineSince(off int64, re *regexp.Regexp) (string, bool) {
	f, err := os.Open(p.log)
	if err != nil {
		return "", false
	}
	defer f.Close()
	if _, err := f.Seek(off, 0); err != nil {
		return "", false
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if re.MatchString(sc.Text()) {
			return sc.Text(), true
		}
	}
	return "", false
}
