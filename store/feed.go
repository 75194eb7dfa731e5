package store

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"ceedesk/cases"
)

// feed fans committed changes out to subscribers without ever blocking the committer: each subscriber has a
// pending list that a forwarding goroutine drains into the subscriber's channel. When a subscriber falls far
// behind, its pending changes are coalesced into one (a change means "refresh"; the union of case ids is kept).
type feed struct {
	mu     sync.Mutex
	subs   map[*subscriber]struct{}
	closed bool
	// watched is set on an engine shared by several processes: every change, this process's own included,
	// comes from the engine's watch of the audit log (watchAudit), in commit order, and the commits' own
	// publish calls are ignored, so that no change is told twice or out of order.
	watched bool
}

type subscriber struct {
	out     chan cases.Change
	wake    chan struct{}
	done    chan struct{}
	once    sync.Once
	mu      sync.Mutex
	pending []cases.Change
}

const (
	subBuffer   = 64
	subCoalesce = 256 // pending changes beyond which they are merged into one
	maxCoalesce = 10000
)

// Subscribe returns a channel that receives a cases.Change after every committed change, and a function that
// unsubscribes and closes the channel. A slow subscriber never delays a commit; it may receive several changes
// merged into one.
func (s *Store) Subscribe() (<-chan cases.Change, func()) {
	sub := &subscriber{out: make(chan cases.Change, subBuffer), wake: make(chan struct{}, 1), done: make(chan struct{})}
	f := &s.feed
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		close(sub.out)
		return sub.out, func() {}
	}
	if f.subs == nil {
		f.subs = map[*subscriber]struct{}{}
	}
	f.subs[sub] = struct{}{}
	f.mu.Unlock()
	go sub.forward()
	return sub.out, func() {
		f.mu.Lock()
		delete(f.subs, sub)
		f.mu.Unlock()
		sub.stop()
	}
}

func (sub *subscriber) stop() { sub.once.Do(func() { close(sub.done) }) }

func (sub *subscriber) forward() {
	defer close(sub.out)
	for {
		select {
		case <-sub.done:
			return
		case <-sub.wake:
		}
		sub.mu.Lock()
		batch := sub.pending
		sub.pending = nil
		sub.mu.Unlock()
		for _, ch := range batch {
			select {
			case sub.out <- ch:
			case <-sub.done:
				return
			}
		}
	}
}

func (f *feed) publish(ch cases.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.watched {
		return
	}
	f.send(ch)
}

// publishWatched publishes a change the engine's watch reported.
func (f *feed) publishWatched(ch cases.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.send(ch)
}

func (f *feed) send(ch cases.Change) {
	for sub := range f.subs {
		sub.mu.Lock()
		sub.pending = append(sub.pending, ch)
		if len(sub.pending) > subCoalesce {
			sub.pending = []cases.Change{coalesce(sub.pending)}
		}
		sub.mu.Unlock()
		select {
		case sub.wake <- struct{}{}:
		default:
		}
	}
}

func coalesce(chs []cases.Change) cases.Change {
	last := chs[len(chs)-1]
	out := cases.Change{Seq: last.Seq, Action: "many", Actor: last.Actor, At: last.At}
	seen := map[string]bool{}
	for _, ch := range chs {
		for _, id := range ch.Cases {
			if !seen[id] && len(out.Cases) < maxCoalesce {
				seen[id] = true
				out.Cases = append(out.Cases, id)
			}
		}
	}
	return out
}

func (f *feed) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	for sub := range f.subs {
		sub.stop()
	}
	f.subs = nil
}

// watchAudit follows the audit log of a store on a shared engine and publishes one change per event, whoever
// committed it, until ctx ends; a watch that fails is opened again after a pause (a member restarting, a
// connection lost), and the events missed meanwhile are read from the log itself, so none is skipped.
func (s *Store) watchAudit(ctx context.Context, w watcher) {
	var last uint64
	if seq, _, err := s.AuditHead(); err == nil {
		last = seq
	}
	publish := func(e cases.Event) {
		if e.Seq <= last {
			return
		}
		last = e.Seq
		ch := cases.Change{Seq: e.Seq, Action: e.Action, Actor: e.Actor, At: e.At}
		if e.Case != "" {
			ch.Cases = []string{e.Case}
		}
		s.feed.publishWatched(ch)
	}
	for ctx.Err() == nil {
		err := w.watch(ctx, bAudit, func(_, v []byte) {
			var e cases.Event
			if json.Unmarshal(v, &e) == nil {
				if e.Seq > last+1 { // a gap: the watch started after events we have not told yet
					s.catchUp(last, e.Seq, publish)
				}
				publish(e)
			}
		})
		if ctx.Err() != nil || err == nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(500 * time.Millisecond):
		}
		if seq, _, err := s.AuditHead(); err == nil && seq > last {
			s.catchUp(last, seq+1, publish)
		}
	}
}

// catchUp publishes the audit events after seq from up to (not including) until, read from the log.
func (s *Store) catchUp(from, until uint64, publish func(cases.Event)) {
	s.view(func(tx kvTx) error {
		c := tx.Bucket(bAudit).Cursor()
		for k, v := c.Seek(be64(from + 1)); k != nil && binaryUint(k) < until; k, v = c.Next() {
			var e cases.Event
			if json.Unmarshal(v, &e) == nil {
				publish(e)
			}
		}
		return nil
	})
}
