package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
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
