package server

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"ceedesk/cases"

	"github.com/charmbracelet/log"
)

// syncBuffer is the server log under test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fixture is a running server on 127.0.0.1 over a store in t.TempDir().
type fixture struct {
	t      testing.TB
	srv    *Server
	addr   string
	logs   *syncBuffer
	served chan error
	f      *fakeDesk
}

type fixtureOptions struct {
	idle time.Duration
	exec func(ctx context.Context, u cases.User, args []string, stdin io.Reader, stdout, stderr io.Writer) int
	desk func(d *desk) // changes to the desk before serving (probe models)
}

func start(t testing.TB, opt fixtureOptions) *fixture {
	t.Helper()
	if opt.exec == nil {
		opt.exec = echoExec
	}
	fx := &fixture{t: t, logs: &syncBuffer{}, served: make(chan error, 1),
		f: &fakeDesk{keys: map[string]cases.User{}, subs: map[chan cases.Change]struct{}{}}}
	d := fx.f.desk(opt.exec)
	if opt.desk != nil {
		opt.desk(&d)
	}
	logger := log.NewWithOptions(fx.logs, log.Options{Level: log.DebugLevel})
	srv, err := newServer(settings{hostKeyPath: t.TempDir() + "/host_ed25519", idle: opt.idle, logger: logger}, d)
	if err != nil {
		t.Fatal(err)
	}
	fx.srv = srv
	ln := listen(t)
	fx.addr = ln.Addr().String()
	go func() { fx.served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-fx.served
		if t.Failed() {
			t.Logf("server log:\n%s", fx.logs.String())
		}
	})
	return fx
}

// user adds a user with a new key and returns the key.
func (fx *fixture) user(name string, role cases.Role) identity {
	fx.t.Helper()
	id := newIdentity(fx.t)
	fx.f.mu.Lock()
	fx.f.keys[id.fp] = cases.User{Name: name, Role: role, Center: "ELEC"}
	fx.f.mu.Unlock()
	return id
}

func (fx *fixture) revoke(id identity) {
	fx.t.Helper()
	fx.f.mu.Lock()
	delete(fx.f.keys, id.fp)
	fx.f.mu.Unlock()
}

func (fx *fixture) disable(id identity) {
	fx.t.Helper()
	fx.f.mu.Lock()
	u := fx.f.keys[id.fp]
	u.Disabled = true
	fx.f.keys[id.fp] = u
	fx.f.mu.Unlock()
}

// workstation is text the workstation shows a user once it has drawn.
func (fx *fixture) workstation(name string) []string {
	return []string{"desk of " + name}
}

// logHas reports whether some line of the server log has every part.
func (fx *fixture) logHas(parts ...string) bool {
	for _, line := range strings.Split(fx.logs.String(), "\n") {
		all := true
		for _, p := range parts {
			if !strings.Contains(line, p) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}
