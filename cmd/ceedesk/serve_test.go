package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"ceedesk/store"
)

// lockedBuffer is the server's log while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeLogsTheAuditHeadAtStartAndStop checks that `ceedesk serve` writes the audit log's head to its log when
// it starts and when it stops, and that the head it logs is one `audit verify --head` accepts.
func TestServeLogsTheAuditHeadAtStartAndStop(t *testing.T) {
	db := seeded(t, "20")
	ctx, cancel := context.WithCancel(context.Background())
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--db", db, "--today", today, "--config", filepath.Join(t.TempDir(), "none.toml"),
			"serve", "--listen", "127.0.0.1:0", "--host-key", filepath.Join(t.TempDir(), "hk")}, strings.NewReader(""), &logs, &logs)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logs.String(), "audit head at start") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no audit head at start in the log:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d:\n%s", code, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	heads := regexp.MustCompile(`audit head (at start|at stop) head=(\d+:[0-9a-f]{64})`).FindAllStringSubmatch(logs.String(), -1)
	if len(heads) != 2 || heads[0][1] != "at start" || heads[1][1] != "at stop" || heads[0][2] != heads[1][2] {
		t.Fatalf("want the same head logged at start and at stop, got %q in:\n%s", heads, logs.String())
	}
	if r := ceedesk(t, db, "", "audit", "verify", "--head", heads[1][2]); r.code != 0 {
		t.Fatalf("audit verify --head %s: %d %s", heads[1][2], r.code, r.stderr)
	}
}

// serveInBackground runs `ceedesk serve` on the store at db, on a port of its choosing on loopback, until the
// returned stop is called; addr is the address it logged.
func serveInBackground(t *testing.T, db string) (addr string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--db", db, "--today", today, "--config", filepath.Join(t.TempDir(), "none.toml"),
			"serve", "--listen", "127.0.0.1:0", "--host-key", filepath.Join(t.TempDir(), "hk")}, strings.NewReader(""), &logs, &logs)
	}()
	serving := regexp.MustCompile(`serving addr=(\S+)`)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := serving.FindStringSubmatch(logs.String()); m != nil {
			addr = m[1]
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d:\n%s", code, logs.String())
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	}
	t.Cleanup(stop)
	return addr, stop
}

// A command run here while `ceedesk serve` holds the store is told the server's real address and the user to
// connect as: --as, else $CEEDESK_USER, else USER to fill in, never the local account's name (root on a server).
// The server's record of its address goes when it stops.
func TestHeldStoreHintNamesTheRunningServer(t *testing.T) {
	db := seeded(t, "5")
	addr, stop := serveInBackground(t, db)
	_, port, _ := strings.Cut(addr, ":")
	for _, tc := range []struct {
		env  string // CEEDESK_USER
		args []string
		want string
	}{
		{"", []string{"assign", "X", "bob", "--as", "sofia", "--reason", "on leave"}, "ssh -p " + port + " sofia@localhost assign X bob --reason 'on leave'"},
		{"carol", []string{"--as", "sofia", "export"}, "ssh -p " + port + " sofia@localhost export"},
		{"carol", []string{"export"}, "ssh -p " + port + " carol@localhost export"},
		{"", []string{"export", "--format", "csv"}, "ssh -p " + port + " USER@localhost export --format csv"},
	} {
		t.Setenv("CEEDESK_USER", tc.env)
		r := ceedesk(t, db, "", tc.args...)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "holds the store") ||
			strings.Contains(r.stderr, "2222") || strings.Contains(r.stderr, "root@") {
			t.Errorf("CEEDESK_USER=%q ceedesk %v: %d, want %q in:\n%s", tc.env, tc.args, r.code, tc.want, r.stderr)
		}
	}
	stop()
	if _, err := os.Stat(db + ".serve"); !os.IsNotExist(err) {
		t.Errorf("the server's record is still there after it stopped: %v", err)
	}
}

// A record left by a server that was killed does not name the address of whatever holds the store now: the hint
// says it does not know, with placeholders.
func TestHeldStoreHintDistrustsAStaleRecord(t *testing.T) {
	t.Setenv("CEEDESK_USER", "")
	db := seeded(t, "5")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pids := []int{1 << 30} // no such process
	if _, err := os.Stat("/proc/locks"); err == nil {
		pids = append(pids, 1) // running, but not the process holding the store
	}
	for _, pid := range pids {
		b, _ := json.Marshal(serving{Listen: "127.0.0.1:4444", PID: pid})
		if err := os.WriteFile(db+".serve", b, 0o644); err != nil {
			t.Fatal(err)
		}
		r := ceedesk(t, db, "", "export")
		if r.code != 1 || strings.Contains(r.stderr, "4444") || !strings.Contains(r.stderr, "If a server") ||
			!strings.Contains(r.stderr, "ssh -p 2222 USER@HOST export") {
			t.Errorf("record of pid %d: %d\n%s", pid, r.code, r.stderr)
		}
	}
}
