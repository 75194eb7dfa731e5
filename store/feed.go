package store

import (
	"sync"

	"ceedesk/cases"
)

// feed fans committed changes out to subscribers without ever blocking the committer: each subscriber has a
// pending list that a forwarding goroutine drains into the subscriber's channel. When a subscriber falls far
// behind, its pending changes are coalesced into one (a change means "refresh"; the union of case ids is kept).
type feed struct {
	mu     sync.Mutex
	subs   map[*subscriber]struct{}
	closed bool
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
