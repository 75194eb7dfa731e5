package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// EtcdOptions say where a store on etcd is: the cluster, how to reach it, and the prefix its keys are under. The
// certificate and key files are those etcdctl takes as --cacert, --cert and --key.
type EtcdOptions struct {
	Endpoints             []string
	Prefix                string // e.g. /ceedesk/ELEC/; a "/" is added when it does not end in one
	CACert, Cert, Key     string
	InsecureSkipTLSVerify bool
	Username, Password    string
	DialTimeout           time.Duration // how long the cluster has to answer at Open; 0 means 5s

	// What the cluster takes in one transaction: its --max-txn-ops (0 means etcd's default, 128) and
	// --max-request-bytes (0 means etcd's default, 1.5 MiB). A change bigger than these is refused before it is sent.
	MaxTxnOps, MaxRequestBytes int
}

const (
	etcdDefaultMaxTxnOps       = 128
	etcdDefaultMaxRequestBytes = 3 << 19 // 1.5 MiB
	etcdRequestTimeout         = 10 * time.Second
	etcdMaxAttempts            = 50 // commits that lose to another process's before update gives up
	etcdMaxUnavailable         = 3  // requests in a row that the cluster does not answer, before update gives up
	etcdPrefetchMax            = 32 // top-level bucket markers read with the transaction counter
)

// OpenEtcd opens the store kept in an etcd cluster under eo.Prefix, initialising it when nothing is there yet.
// Everything else is as Open: the same store, its rules and indexes, on another engine, which any number of
// processes (of any machines) share.
func OpenEtcd(eo EtcdOptions, opt Options) (*Store, error) {
	opt.defaults()
	eng, err := openEtcd(eo)
	if err != nil {
		return nil, err
	}
	return openStore(eng, eng.name(), opt)
}

// etcdEngine keeps a store's buckets as keys under one prefix of an etcd cluster (engine_etcd_kv.go has the layout).
// A read is a Range at the revision the transaction started at; a write is one Txn that holds if the store's
// transaction counter was not changed since, and that changes it; when another process committed first, the
// transaction runs again from a fresh snapshot.
type etcdEngine struct {
	cli      *clientv3.Client
	eps      []string
	prefix   []byte
	counter  []byte
	maxOps   int
	maxBytes int

	id  string // this engine's, for the transaction ids it writes into the counter
	seq atomic.Uint64

	hotMu sync.Mutex
	hot   []string // top-level bucket markers the transactions read, prefetched at the start of each

	cache etcdCache

	sent func(ops, bytes int) // tests: told the size of each commit before it is sent
	lose func() int           // tests: loseRequest or loseAnswer makes a commit's request or answer lost
}

// What a test makes of a commit's request.
const (
	loseNothing = iota
	loseRequest // never sent
	loseAnswer  // applied, and its answer lost
)

var errLostForTest = errors.New("the connection was lost (a test said so)")

func openEtcd(eo EtcdOptions) (*etcdEngine, error) {
	if len(eo.Endpoints) == 0 {
		return nil, fmt.Errorf("etcd store: no endpoints (name the cluster's client URLs, e.g. https://etcd1:2379)")
	}
	prefix := eo.Prefix
	if prefix == "" || prefix == "/" {
		return nil, fmt.Errorf("etcd store at %s: no prefix (name the one the store's keys are under, e.g. /ceedesk/ELEC/)", strings.Join(eo.Endpoints, ","))
	}
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	e := &etcdEngine{
		eps:      slices.Clone(eo.Endpoints),
		prefix:   []byte(prefix),
		counter:  []byte(prefix + "\x00\x02txn"),
		maxOps:   eo.MaxTxnOps,
		maxBytes: eo.MaxRequestBytes,
	}
	if e.maxOps <= 0 {
		e.maxOps = etcdDefaultMaxTxnOps
	}
	if e.maxBytes <= 0 {
		e.maxBytes = etcdDefaultMaxRequestBytes
	}
	var id [8]byte
	rand.Read(id[:])
	e.id = hex.EncodeToString(id[:])

	dial := eo.DialTimeout
	if dial <= 0 {
		dial = 5 * time.Second
	}
	cfg := clientv3.Config{
		Endpoints:          e.eps,
		DialTimeout:        dial,
		Username:           eo.Username,
		Password:           eo.Password,
		Logger:             zap.NewNop(),
		MaxCallSendMsgSize: e.maxBytes + 1<<20,
	}
	tlsWanted := eo.CACert != "" || eo.Cert != "" || eo.Key != "" || eo.InsecureSkipTLSVerify
	for _, ep := range e.eps {
		tlsWanted = tlsWanted || strings.HasPrefix(ep, "https://")
	}
	if tlsWanted {
		info := transport.TLSInfo{CertFile: eo.Cert, KeyFile: eo.Key, TrustedCAFile: eo.CACert, InsecureSkipVerify: eo.InsecureSkipTLSVerify}
		if (eo.Cert == "") != (eo.Key == "") {
			return nil, fmt.Errorf("etcd store at %s: a client certificate needs both --cert and --key", e.where())
		}
		tc, err := info.ClientConfig()
		if err != nil {
			return nil, fmt.Errorf("etcd store at %s: TLS: %w", e.where(), err)
		}
		cfg.TLS = tc
	}
	cli, err := clientv3.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("etcd store at %s: %w", e.where(), err)
	}
	e.cli = cli
	ctx, cancel := context.WithTimeout(context.Background(), dial)
	defer cancel()
	if _, err := cli.Get(ctx, string(e.counter)); err != nil {
		cli.Close()
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("etcd store at %s: the cluster does not answer within %s; is it up, and are the endpoints and certificates right? (%v)", e.where(), dial, err)
		}
		return nil, fmt.Errorf("etcd store at %s: %w", e.where(), err)
	}
	return e, nil
}

func (e *etcdEngine) where() string {
	return strings.Join(e.eps, ",") + " prefix " + string(e.prefix)
}

func (e *etcdEngine) name() string { return "etcd " + e.where() }

func (e *etcdEngine) close() error { return e.cli.Close() }

func (e *etcdEngine) bulk(bool) error { return nil }

// limits are what the cluster was said to take: its --max-txn-ops and --max-request-bytes. A commit spends one
// operation of them on the store's transaction counter, and one on each range of keys a deleted bucket leaves.
func (e *etcdEngine) limits() kvLimits { return kvLimits{Ops: e.maxOps, Bytes: e.maxBytes} }

// etcdFailure is a read that the cluster did not answer; it unwinds the transaction (kvBucket's reads return no
// error) and view or update returns it.
type etcdFailure struct{ err error }

func (e *etcdEngine) fail(what string, err error) {
	if errors.Is(err, rpctypes.ErrCompacted) {
		err = fmt.Errorf("%w: the revision this transaction reads at was compacted away meanwhile; try again", err)
	}
	panic(etcdFailure{fmt.Errorf("store %s: %s: %w", e.name(), what, err)})
}

func catchFailure(err *error) {
	if r := recover(); r != nil {
		f, ok := r.(etcdFailure)
		if !ok {
			panic(r)
		}
		*err = f
	}
}

func reqCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), etcdRequestTimeout)
}

// begin starts a transaction: one read of the counter, and of the top-level bucket markers transactions use, all
// at the cluster's current revision, which the whole transaction reads at.
func (e *etcdEngine) begin(writable bool) (t *etcdTx, counter *mvccpb.KeyValue, err error) {
	e.hotMu.Lock()
	hot := slices.Clone(e.hot)
	e.hotMu.Unlock()
	ops := []clientv3.Op{clientv3.OpGet(string(e.counter))}
	for _, k := range hot {
		ops = append(ops, clientv3.OpGet(k))
	}
	ctx, cancel := reqCtx()
	defer cancel()
	resp, err := e.cli.Txn(ctx).Then(ops...).Commit()
	if err != nil {
		return nil, nil, err
	}
	t = &etcdTx{e: e, rev: resp.Header.Revision, writable: writable, cache: map[string]cachedValue{}, mod: -1}
	for i, r := range resp.Responses {
		rr := r.GetResponseRange()
		var kv *mvccpb.KeyValue
		if rr != nil && len(rr.Kvs) > 0 {
			kv = rr.Kvs[0]
		}
		if i == 0 {
			counter = kv
			t.mod = 0
			if kv != nil {
				t.mod = kv.ModRevision
			}
			continue
		}
		if kv != nil {
			t.cache[hot[i-1]] = cachedValue{nonNil(kv.Value), true}
		} else {
			t.cache[hot[i-1]] = cachedValue{nil, false}
		}
	}
	return t, counter, nil
}

// readAt is a read at a transaction's revision. The revision was current when the transaction began, so the
// member asked need not ask the leader first (a serializable read): a member that has the revision answers from it,
// one that has not applied it yet says so, and is then asked again the linearizable way.
//
// A read at a revision is the same read whenever it is made, so one the cluster did not answer (a leader being
// elected, a member killed under the connection) is asked again, a few times with a growing pause, before the
// transaction gives up: a session reading while the cluster fails over waits a moment instead of failing.
func (e *etcdEngine) readAt(key string, opts ...clientv3.OpOption) (*clientv3.GetResponse, error) {
	var resp *clientv3.GetResponse
	err := askAgain(func() (err error) {
		resp, err = e.readOnce(key, opts...)
		return err
	})
	return resp, err
}

// askAgain runs read, a read that may be made again (at a revision, or before anything is read), until it is
// answered, a few times with a growing pause; a read of a compacted revision is not asked again.
func askAgain(read func() error) error {
	var err error
	for try := 0; try < etcdReadTries; try++ {
		if try > 0 {
			backoff(try + 3)
		}
		if err = read(); err == nil || errors.Is(err, rpctypes.ErrCompacted) {
			return err
		}
	}
	return err
}

// etcdReadTries is how many times a read at a revision is asked before its transaction gives up (about 2 s of
// pauses in all, besides the requests' own time).
const etcdReadTries = 8

func (e *etcdEngine) readOnce(key string, opts ...clientv3.OpOption) (*clientv3.GetResponse, error) {
	ctx, cancel := reqCtx()
	defer cancel()
	resp, err := e.cli.Get(ctx, key, append(opts, clientv3.WithSerializable())...)
	if errors.Is(err, rpctypes.ErrFutureRev) {
		resp, err = e.cli.Get(ctx, key, opts...)
	}
	return resp, err
}

// readKey reads one key at the transaction's revision.
func (e *etcdEngine) readKey(t *etcdTx, k []byte) ([]byte, bool) {
	if e.isTopMarker(k) {
		e.hotMu.Lock()
		if len(e.hot) < etcdPrefetchMax && min(etcdPrefetchMax, e.maxOps-1) > len(e.hot) && !slices.Contains(e.hot, string(k)) {
			e.hot = append(e.hot, string(k))
		}
		e.hotMu.Unlock()
	}
	if t.mod >= 0 {
		if c, ok := e.cache.point(t.mod, string(k)); ok {
			return c.v, c.ok
		}
	}
	resp, err := e.readAt(string(k), clientv3.WithRev(t.rev))
	if err != nil {
		e.fail("read", err)
	}
	var c cachedValue
	if len(resp.Kvs) > 0 {
		c = cachedValue{nonNil(resp.Kvs[0].Value), true}
	}
	if t.mod >= 0 {
		e.cache.setPoint(t.mod, string(k), c)
	}
	return c.v, c.ok
}

// isTopMarker says whether k is the marker of a top-level bucket (P name 02).
func (e *etcdEngine) isTopMarker(k []byte) bool {
	if !bytes.HasPrefix(k, e.prefix) {
		return false
	}
	_, rest, ok := decodeName(k[len(e.prefix):])
	return ok && len(rest) == 1 && rest[0] == tBucket
}

// readRange reads up to limit keys of [start, end) at the transaction's revision, in order, from the start or
// (desc) from the end; more says whether the range has more.
func (e *etcdEngine) readRange(t *etcdTx, start, end []byte, limit int64, desc bool) ([]*mvccpb.KeyValue, bool) {
	key := etcdRangeKey{string(start), string(end), limit, desc}
	if t.mod >= 0 {
		if r, ok := e.cache.rng(t.mod, key); ok {
			return r.kvs, r.more
		}
	}
	opts := []clientv3.OpOption{clientv3.WithRange(string(end)), clientv3.WithLimit(limit), clientv3.WithRev(t.rev)}
	if desc {
		opts = append(opts, clientv3.WithSort(clientv3.SortByKey, clientv3.SortDescend))
	} else {
		opts = append(opts, clientv3.WithSort(clientv3.SortByKey, clientv3.SortAscend))
	}
	resp, err := e.readAt(string(start), opts...)
	if err != nil {
		e.fail("read", err)
	}
	kvs := resp.Kvs
	if desc {
		slices.Reverse(kvs)
	}
	if t.mod >= 0 {
		e.cache.setRange(t.mod, key, etcdRange{kvs, resp.More})
	}
	return kvs, resp.More
}

func (e *etcdEngine) countRange(t *etcdTx, start, end []byte) int {
	key := [2]string{string(start), string(end)}
	if t.mod >= 0 {
		if n, ok := e.cache.count(t.mod, key); ok {
			return n
		}
	}
	resp, err := e.readAt(string(start), clientv3.WithRange(string(end)), clientv3.WithCountOnly(), clientv3.WithRev(t.rev))
	if err != nil {
		e.fail("count", err)
	}
	if t.mod >= 0 {
		e.cache.setCount(t.mod, key, int(resp.Count))
	}
	return int(resp.Count)
}

func (e *etcdEngine) view(fn func(tx kvTx) error) (err error) {
	var t *etcdTx
	// nothing has been read yet: a cluster failing over is asked again
	if err = askAgain(func() (err error) { t, _, err = e.begin(false); return err }); err != nil {
		return fmt.Errorf("store %s: %w", e.name(), err)
	}
	defer catchFailure(&err)
	return fn(t)
}

// update runs fn in one read-write transaction, committed with one Txn that holds only if no other commit came
// between the snapshot fn read and the commit; otherwise fn runs again on a fresh snapshot. A commit whose outcome
// is not known (the connection was lost while it was sent) is settled before anything else: see settle. So a
// change lands once or not at all, and update says which.
func (e *etcdEngine) update(fn func(tx kvTx) error) error {
	unavailable := 0
	var lastErr error
	for attempt := 0; attempt < etcdMaxAttempts; attempt++ {
		if attempt > 0 {
			backoff(attempt)
		}
		t, counter, err := e.begin(true)
		if err != nil {
			lastErr = err
			if unavailable++; unavailable >= etcdMaxUnavailable {
				return e.unansweredError(err)
			}
			continue
		}
		var m int64
		if counter != nil {
			m = counter.ModRevision
		}
		ferr := func() (err error) {
			defer catchFailure(&err)
			return fn(t)
		}()
		if ferr != nil {
			if isFailure(ferr) {
				lastErr = ferr
				if unavailable++; unavailable < etcdMaxUnavailable {
					continue
				}
			}
			return ferr
		}
		ops, err := e.commitOps(t)
		if err != nil {
			lastErr = err
			if unavailable++; unavailable < etcdMaxUnavailable {
				continue
			}
			return err
		}
		if ops == nil {
			return nil // nothing written
		}
		txid := fmt.Sprintf("%s-%d", e.id, e.seq.Add(1))
		ops = append(ops, clientv3.OpPut(string(e.counter), txid))
		if err := e.checkLimits(ops); err != nil {
			return err
		}
		var resp *clientv3.TxnResponse
		lost := 0
		if e.lose != nil {
			lost = e.lose()
		}
		if lost == loseRequest {
			err = errLostForTest
		} else {
			ctx, cancel := reqCtx()
			resp, err = e.cli.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(string(e.counter)), "=", m)).Then(ops...).Commit()
			cancel()
			if err == nil && lost == loseAnswer {
				err = errLostForTest
			}
		}
		if err == nil {
			if resp.Succeeded {
				e.cache.committed(m, resp.Header.Revision, t)
				return nil
			}
			lastErr = nil
			continue // another process committed first
		}
		if rejected(err) {
			return e.rejectedError(err)
		}
		landed, serr := e.settle(txid, m)
		switch {
		case serr != nil:
			return e.unknownError(err, serr)
		case landed:
			return nil
		}
		lastErr = err
		if unavailable++; unavailable >= etcdMaxUnavailable {
			return e.unansweredError(err)
		}
	}
	if lastErr != nil {
		return fmt.Errorf("store %s: the change was tried %d times and not written: %w", e.name(), etcdMaxAttempts, lastErr)
	}
	return fmt.Errorf("store %s: the change was tried %d times and not written: other processes sharing the store kept committing first; try again", e.name(), etcdMaxAttempts)
}

// settle finds out whether the commit txid, sent guarded by the counter at revision m and not known to have
// landed, did. Only the first commit to move the counter on from m can be one guarded by m; so settle first makes
// sure the counter moves on (a commit of the counter alone, guarded by m, which fails if anything moved it
// already), then reads which commit moved it first, from the counter's history (a watch from m+1). After that,
// txid can never land if it has not.
func (e *etcdEngine) settle(txid string, m int64) (landed bool, err error) {
	for try := 0; try < etcdMaxUnavailable; try++ {
		if try > 0 {
			backoff(try + 3)
		}
		ctx, cancel := reqCtx()
		_, ferr := e.cli.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(string(e.counter)), "=", m)).
			Then(clientv3.OpPut(string(e.counter), txid+"-fence")).Commit()
		cancel()
		landed, known, oerr := e.outcome(txid, m)
		switch {
		case oerr == nil && known:
			return landed, nil
		case oerr != nil:
			err = oerr
		case ferr != nil:
			err = ferr
		default:
			err = fmt.Errorf("the counter did not move")
		}
	}
	return false, err
}

func isFailure(err error) bool {
	var f etcdFailure
	return errors.As(err, &f)
}

func (f etcdFailure) Error() string { return f.err.Error() }
func (f etcdFailure) Unwrap() error { return f.err }

func (e *etcdEngine) unansweredError(err error) error {
	return fmt.Errorf("store %s: the etcd cluster does not answer (%w); nothing was written", e.name(), err)
}

func (e *etcdEngine) unknownError(err, serr error) error {
	return fmt.Errorf("store %s: the etcd cluster stopped answering while a change was sent (%v; then %v); whether it was written is not known: look before making the change again", e.name(), err, serr)
}

func (e *etcdEngine) rejectedError(err error) error {
	switch {
	case errors.Is(err, rpctypes.ErrNoSpace):
		return fmt.Errorf("store %s: the etcd cluster is out of space (its backend quota, --quota-backend-bytes, is reached; etcd takes writes again once it is compacted, defragmented and its alarm disarmed); nothing was written: %w", e.name(), err)
	case errors.Is(err, rpctypes.ErrTooManyOps):
		return fmt.Errorf("store %s: the etcd cluster takes fewer operations per transaction than this store was told (%d); set --max-txn-ops as the store's configuration says; nothing was written: %w", e.name(), e.maxOps, err)
	case errors.Is(err, rpctypes.ErrRequestTooLarge):
		return fmt.Errorf("store %s: the etcd cluster takes smaller requests than this store was told (%d bytes); set --max-request-bytes as the store's configuration says; nothing was written: %w", e.name(), e.maxBytes, err)
	}
	return fmt.Errorf("store %s: the etcd cluster refused the change; nothing was written: %w", e.name(), err)
}

// rejected says whether the cluster refused a request for good, so that it was not applied and will not be.
func rejected(err error) bool {
	for _, r := range []error{rpctypes.ErrTooManyOps, rpctypes.ErrRequestTooLarge, rpctypes.ErrDuplicateKey, rpctypes.ErrNoSpace,
		rpctypes.ErrPermissionDenied, rpctypes.ErrAuthFailed, rpctypes.ErrInvalidAuthToken, rpctypes.ErrEmptyKey, rpctypes.ErrKeyNotFound} {
		if errors.Is(err, r) {
			return true
		}
	}
	return false
}

// outcome looks for the commit txid (guarded by the counter at revision m) in the counter's history: the commit
// that moved the counter on from m is the only one guarded by m that could land. known: the counter moved on, so
// landed says whether txid did, and if it did not, it cannot any more.
func (e *etcdEngine) outcome(txid string, m int64) (landed, known bool, err error) {
	ctx, cancel := reqCtx()
	defer cancel()
	resp, err := e.cli.Get(ctx, string(e.counter))
	if err != nil {
		return false, false, err
	}
	var cur *mvccpb.KeyValue
	if len(resp.Kvs) > 0 {
		cur = resp.Kvs[0]
	}
	if cur == nil || cur.ModRevision == m {
		return false, false, nil // not landed yet; it may still land, and a retry guarded by m excludes it
	}
	if string(cur.Value) == txid {
		return true, true, nil
	}
	wctx, wcancel := context.WithTimeout(context.Background(), etcdRequestTimeout)
	defer wcancel()
	for wr := range e.cli.Watch(wctx, string(e.counter), clientv3.WithRev(m+1)) {
		if err := wr.Err(); err != nil {
			return false, false, err
		}
		for _, ev := range wr.Events {
			return string(ev.Kv.Value) == txid, true, nil
		}
	}
	return false, false, fmt.Errorf("the counter's history from revision %d cannot be read: %w", m+1, wctx.Err())
}

func backoff(attempt int) {
	d := time.Millisecond << min(attempt, 7)
	time.Sleep(d/2 + time.Duration(mrand.Int64N(int64(d))))
}

// commitOps are the operations that write what t buffered: the deleted ranges (split around the keys written
// after them), then each key put or deleted. nil: nothing to write.
func (e *etcdEngine) commitOps(t *etcdTx) ([]clientv3.Op, error) {
	if t.ov.n == 0 && len(t.dels) == 0 {
		return nil, nil
	}
	var ops []clientv3.Op
	for _, sp := range t.dels {
		if !t.ov.any(sp.lo, sp.hi) {
			ops = append(ops, clientv3.OpDelete(sp.lo, clientv3.WithRange(sp.hi)))
			continue
		}
		// etcd refuses a Txn that puts a key inside a range it deletes: delete the runs of snapshot keys that
		// nothing is put between.
		var run []byte // first key of the run being built
		var last []byte
		on := t.ov.seekGE(sp.lo)
		flush := func() {
			if run != nil {
				ops = append(ops, clientv3.OpDelete(string(run), clientv3.WithRange(string(append(bytes.Clone(last), 0)))))
				run = nil
			}
		}
		m := mergedView{t: &etcdTx{e: e, rev: t.rev, mod: -1}, lo: []byte(sp.lo), hi: []byte(sp.hi)}
		err := func() (err error) {
			defer catchFailure(&err)
			for kv := m.snapGE([]byte(sp.lo)); kv != nil; kv = m.snapGE(append(bytes.Clone(kv.Key), 0)) {
				for on != nil && on.key < string(kv.Key) {
					if !on.e.tomb {
						flush()
					}
					on = on.next[0]
				}
				if on != nil && on.key == string(kv.Key) && !on.e.tomb {
					flush() // put over it
					continue
				}
				if run == nil {
					run = kv.Key
				}
				last = kv.Key
			}
			flush()
			return nil
		}()
		if err != nil {
			return nil, err
		}
	}
	for n := t.ov.first(); n != nil; n = n.next[0] {
		switch {
		case !n.e.tomb:
			ops = append(ops, clientv3.OpPut(n.key, string(n.e.val)))
		case t.dels.contains([]byte(n.key)):
			// the range is deleted already
		default:
			if c, ok := t.cache[n.key]; ok && !c.ok {
				continue // not there to delete
			}
			ops = append(ops, clientv3.OpDelete(n.key))
		}
	}
	if len(ops) == 0 {
		return nil, nil
	}
	return ops, nil
}

// etcdLimitError is a change bigger than the etcd cluster takes in one transaction.
type etcdLimitError struct {
	store           string
	Ops, MaxOps     int
	Bytes, MaxBytes int
}

func (l *etcdLimitError) Error() string {
	if l.Ops > l.MaxOps {
		return fmt.Sprintf("store %s: this change writes %d keys in one transaction (with the store's transaction counter: %d etcd operations); the etcd cluster takes at most %d (--max-txn-ops); nothing was written", l.store, l.Ops-1, l.Ops, l.MaxOps)
	}
	return fmt.Sprintf("store %s: this change writes %d bytes in one transaction; the etcd cluster takes at most %d (--max-request-bytes); nothing was written", l.store, l.Bytes, l.MaxBytes)
}

// checkLimits refuses a commit bigger than the cluster takes, before it is sent. The size is an upper bound of
// the request's encoding: each key and value with its field tags and lengths, and the envelope.
func (e *etcdEngine) checkLimits(ops []clientv3.Op) error {
	size := 64 + len(e.counter) + 16 // header and the compare
	for _, op := range ops {
		size += len(op.KeyBytes()) + len(op.RangeBytes()) + len(op.ValueBytes()) + 24
	}
	if e.sent != nil {
		e.sent(len(ops), size)
	}
	if len(ops) > e.maxOps || size > e.maxBytes {
		return &etcdLimitError{store: e.name(), Ops: len(ops), MaxOps: e.maxOps, Bytes: size, MaxBytes: e.maxBytes}
	}
	return nil
}

// watch calls fn with every key put directly into the top-level bucket, from the revision at the call on.
func (e *etcdEngine) watch(ctx context.Context, bucket []byte, fn func(key, value []byte)) error {
	gctx, cancel := reqCtx()
	resp, err := e.cli.Get(gctx, string(e.counter))
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("store %s: watch %s: %w", e.name(), bucket, err)
	}
	c := entryKey(e.prefix, bucket, tInside)
	wch := e.cli.Watch(clientv3.WithRequireLeader(ctx), string(c), clientv3.WithRange(string(prefixEnd(c))), clientv3.WithRev(resp.Header.Revision+1))
	for wr := range wch {
		if err := wr.Err(); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("store %s: watch %s: %w", e.name(), bucket, err)
		}
		if wr.Canceled {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("store %s: watch %s was cancelled by the cluster", e.name(), bucket)
		}
		for _, ev := range wr.Events {
			if ev.Type != mvccpb.PUT {
				continue
			}
			name, rest, ok := decodeName(ev.Kv.Key[len(c):])
			if !ok || len(rest) != 1 || rest[0] != tValue {
				continue
			}
			fn(name, nonNil(ev.Kv.Value))
		}
	}
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("store %s: watch %s ended: the client is closed", e.name(), bucket)
}
