package server

import (
	"io"
	"sync"
	"time"
)

// A session's output goes to its client through the SSH channel, which takes no more than the client has room
// for: a client that stops reading (or sends no window adjustments) leaves every write to its session blocked,
// and a blocked write cannot be interrupted except by closing the connection. outputWatch notices a write that
// has made no progress for settings.output and then has the session's connection closed.

// outputChunk is how much of a write must go through to count as progress: one SSH packet.
const outputChunk = 32 << 10

// outputWatch watches every write to one session's output and error output.
type outputWatch struct {
	limit   time.Duration
	blocked func() // called once a write has made no progress for limit

	mu       sync.Mutex
	writing  int       // writes in progress
	progress time.Time // when output last went through, or the first write began, while writes are in progress
	timer    *time.Timer
	stopped  bool
}

func newOutputWatch(limit time.Duration, blocked func()) *outputWatch {
	o := &outputWatch{limit: limit, blocked: blocked}
	o.timer = time.AfterFunc(time.Hour, o.expired)
	o.timer.Stop()
	return o
}

// wrap is w with its writes watched.
func (o *outputWatch) wrap(w io.Writer) io.Writer { return watchedWriter{o: o, w: w} }

func (o *outputWatch) begin() {
	o.mu.Lock()
	if o.writing++; o.writing == 1 && !o.stopped {
		o.progress = time.Now()
		o.timer.Reset(o.limit)
	}
	o.mu.Unlock()
}

// finish ends one write; output went through, so the time starts again for the writes still waiting.
func (o *outputWatch) finish() {
	o.mu.Lock()
	if o.writing--; o.writing == 0 || o.stopped {
		o.timer.Stop()
	} else {
		o.progress = time.Now()
		o.timer.Reset(o.limit)
	}
	o.mu.Unlock()
}

func (o *outputWatch) expired() {
	o.mu.Lock()
	stuck := o.writing > 0 && !o.stopped
	o.mu.Unlock()
	if stuck {
		o.blocked()
	}
}

// blockedFor is how long the writes in progress have made no progress; 0 when none is in progress.
func (o *outputWatch) blockedFor() time.Duration {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.writing <= 0 {
		return 0
	}
	return time.Since(o.progress)
}

// stop stops watching; a write still blocked then is left to the connection's end.
func (o *outputWatch) stop() {
	o.mu.Lock()
	o.stopped = true
	o.timer.Stop()
	o.mu.Unlock()
}

type watchedWriter struct {
	o *outputWatch
	w io.Writer
}

func (w watchedWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), outputChunk)]
		w.o.begin()
		m, err := w.w.Write(chunk)
		w.o.finish()
		n += m
		if err != nil {
			return n, err
		}
		p = p[len(chunk):]
	}
	return n, nil
}
