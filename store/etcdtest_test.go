package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	"go.etcd.io/etcd/server/v3/embed"
)

// The tests' etcd: real members of go.etcd.io/etcd/server/v3/embed, on loopback ports, with data in temporary
// directories. One member is shared by the whole test binary, started the first time a test needs it; each store
// on it has a prefix of its own. startEtcdCluster starts a cluster of its own for a test that stops and restarts
// members. A member that does not start fails the test, saying why.

const (
	testEtcdMaxTxnOps       = 4096
	testEtcdMaxRequestBytes = 8 << 20
)

// testEngine is the engine the store tests run on: CEEDESK_TEST_ENGINE, bbolt (the default) or etcd.
func testEngine() string {
	switch e := os.Getenv("CEEDESK_TEST_ENGINE"); e {
	case "", "bbolt":
		return "bbolt"
	case "etcd":
		return "etcd"
	default:
		panic(fmt.Sprintf("CEEDESK_TEST_ENGINE=%q: the store tests run on bbolt or etcd", e))
	}
}

func onEtcd() bool { return testEngine() == "etcd" }

// bboltOnly skips a test that is about the bbolt file itself when the tests run on etcd, saying why.
func bboltOnly(t testing.TB, why string) {
	t.Helper()
	if onEtcd() {
		t.Skip("bbolt file format: " + why)
	}
}

// etcdTooLarge skips, on etcd, a test whose store work is one transaction larger than the test cluster takes.
func etcdTooLarge(t testing.TB, why string) {
	t.Helper()
	if onEtcd() {
		t.Skip("too large for one etcd transaction (--max-txn-ops " + fmt.Sprint(testEtcdMaxTxnOps) + "): " + why)
	}
}

type etcdMember struct {
	name              string
	dir               string
	client, peer      url.URL
	initial           string // the initial cluster, name=peer,...
	state             string // new or existing
	e                 *embed.Etcd
	maxOps, maxReqLen uint
}

func freeLoopbackURL() (url.URL, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return url.URL{}, err
	}
	defer l.Close()
	return url.URL{Scheme: "http", Host: l.Addr().String()}, nil
}

func newEtcdMember(dir, name string) (*etcdMember, error) {
	c, err := freeLoopbackURL()
	if err != nil {
		return nil, err
	}
	p, err := freeLoopbackURL()
	if err != nil {
		return nil, err
	}
	return &etcdMember{name: name, dir: filepath.Join(dir, name), client: c, peer: p, state: "new",
		maxOps: testEtcdMaxTxnOps, maxReqLen: testEtcdMaxRequestBytes}, nil
}

func (m *etcdMember) start() error {
	cfg := embed.NewConfig()
	cfg.Name = m.name
	cfg.Dir = m.dir
	cfg.ListenClientUrls = []url.URL{m.client}
	cfg.AdvertiseClientUrls = []url.URL{m.client}
	cfg.ListenPeerUrls = []url.URL{m.peer}
	cfg.AdvertisePeerUrls = []url.URL{m.peer}
	cfg.ListenMetricsUrls = nil
	cfg.InitialCluster = m.initial
	if cfg.InitialCluster == "" {
		cfg.InitialCluster = m.name + "=" + m.peer.String()
	}
	cfg.ClusterState = m.state
	cfg.InitialClusterToken = "ceedesk-test"
	cfg.MaxTxnOps = m.maxOps
	cfg.MaxRequestBytes = m.maxReqLen
	cfg.UnsafeNoFsync = true
	cfg.Logger = "zap"
	cfg.LogLevel = "error"
	if err := os.MkdirAll(m.dir, 0o700); err != nil {
		return err
	}
	cfg.LogOutputs = []string{filepath.Join(filepath.Dir(m.dir), m.name+".log")}
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return fmt.Errorf("etcd member %s (client %s, peer %s, data %s): %w", m.name, m.client.Host, m.peer.Host, m.dir, err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return fmt.Errorf("etcd member %s (client %s): %w", m.name, m.client.Host, err)
	case <-time.After(60 * time.Second):
		e.Server.Stop()
		e.Close()
		return fmt.Errorf("etcd member %s (client %s) was not ready in 60s; its log: %s", m.name, m.client.Host, cfg.LogOutputs[0])
	}
	m.e = e
	m.state = "existing"
	return nil
}

func (m *etcdMember) stop() {
	if m.e != nil {
		m.e.Close()
		m.e = nil
	}
}

// The member the test binary shares.
var sharedEtcd struct {
	once sync.Once
	dir  string
	m    *etcdMember
	err  error
}

// testEtcdEndpoints are the client URLs of the shared member, which is started at the first call.
func testEtcdEndpoints(t testing.TB) []string {
	t.Helper()
	sharedEtcd.once.Do(func() {
		dir, err := os.MkdirTemp("", "ceedesk-etcd-test-")
		if err != nil {
			sharedEtcd.err = err
			return
		}
		sharedEtcd.dir = dir
		var m *etcdMember
		for try := 0; try < 3; try++ { // a port taken between finding it free and listening on it
			if m, err = newEtcdMember(dir, "shared"); err == nil {
				if err = m.start(); err == nil {
					break
				}
				os.RemoveAll(m.dir)
			}
		}
		sharedEtcd.m, sharedEtcd.err = m, err
	})
	if sharedEtcd.err != nil {
		t.Fatalf("the test etcd member does not start (the etcd engine's tests need it): %v", sharedEtcd.err)
	}
	return []string{sharedEtcd.m.client.String()}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedEtcd.m != nil {
		sharedEtcd.m.stop()
	}
	if sharedEtcd.dir != "" {
		os.RemoveAll(sharedEtcd.dir)
	}
	os.Exit(code)
}

// testPrefix is a prefix of the shared member for the store a test opens at path: the same path gives the same
// prefix (a test that reopens its store finds it again), a new path a new one. The path may be an etcd store's
// Path(), which names its prefix.
func testPrefix(path string) string {
	if _, p, ok := strings.Cut(path, " prefix "); ok && strings.HasPrefix(path, "etcd ") {
		return p
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	sum := sha256.Sum256([]byte(path))
	return "/ceedesk-test/" + hex.EncodeToString(sum[:8]) + "/"
}

func testEtcdOptions(t testing.TB, prefix string) EtcdOptions {
	return EtcdOptions{Endpoints: testEtcdEndpoints(t), Prefix: prefix, MaxTxnOps: testEtcdMaxTxnOps,
		MaxRequestBytes: testEtcdMaxRequestBytes, DialTimeout: 10 * time.Second}
}

// openTestEngine opens a store at path on the engine the tests run on: the bbolt file, or the prefix of the
// shared etcd member that the path names.
func openTestEngine(t testing.TB, path string, opt Options) (*Store, error) {
	t.Helper()
	if !onEtcd() {
		return Open(path, opt)
	}
	return OpenEtcd(testEtcdOptions(t, testPrefix(path)), opt)
}

// rawEdit runs fn in one transaction of the engine the store at path is on, bypassing the store (a test's
// tampering): the bbolt file (always, for a file that exists: a desk file or a backup is one whatever the engine),
// or the etcd prefix.
func rawEdit(t testing.TB, path string, fn func(tx kvTx) error) {
	t.Helper()
	if _, err := os.Stat(path); !onEtcd() || err == nil {
		db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Update(func(tx *bolt.Tx) error { return fn(boltTx{tx}) }); err != nil {
			t.Fatal(err)
		}
		return
	}
	e, err := openEtcd(testEtcdOptions(t, testPrefix(path)))
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	if err := e.update(fn); err != nil {
		t.Fatal(err)
	}
}

// storeDump lists every bucket, key and value of the store, nested buckets too, in order.
func storeDump(t testing.TB, s *Store) []byte {
	t.Helper()
	var out bytes.Buffer
	var walk func(b kvBucket, depth int)
	walk = func(b kvBucket, depth int) {
		b.ForEach(func(k, v []byte) error {
			fmt.Fprintf(&out, "%*s%q", depth, "", k)
			if v == nil {
				out.WriteString(" {\n")
				walk(b.Bucket(k), depth+1)
				fmt.Fprintf(&out, "%*s}\n", depth, "")
				return nil
			}
			fmt.Fprintf(&out, " %q\n", v)
			return nil
		})
	}
	err := s.view(func(tx kvTx) error {
		return tx.ForEach(func(name []byte, b kvBucket) error {
			fmt.Fprintf(&out, "%q {\n", name)
			walk(b, 1)
			out.WriteString("}\n")
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// etcdCluster is a cluster of members of its own, for the tests that stop and restart members.
type etcdCluster struct {
	t       testing.TB
	members []*etcdMember
}

func startEtcdCluster(t testing.TB, n int) *etcdCluster {
	t.Helper()
	dir := t.TempDir()
	c := &etcdCluster{t: t}
	var initial []string
	for i := range n {
		m, err := newEtcdMember(dir, fmt.Sprintf("m%d", i))
		if err != nil {
			t.Fatalf("etcd cluster: %v", err)
		}
		c.members = append(c.members, m)
		initial = append(initial, m.name+"="+m.peer.String())
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, m := range c.members {
		m.initial = strings.Join(initial, ",")
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = m.start() }()
	}
	wg.Wait()
	t.Cleanup(func() {
		for _, m := range c.members {
			m.stop()
		}
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("the test etcd cluster of %d members does not start: %v", n, err)
	}
	return c
}

func (c *etcdCluster) endpoints() []string {
	var eps []string
	for _, m := range c.members {
		eps = append(eps, m.client.String())
	}
	return eps
}

// stop stops member i (its data stays, for restart).
func (c *etcdCluster) stop(i int) { c.members[i].stop() }

// restart starts member i again, on its data and ports.
func (c *etcdCluster) restart(i int) {
	c.t.Helper()
	if err := c.members[i].start(); err != nil {
		c.t.Fatalf("restart: %v", err)
	}
}
