package server

import (
	"encoding/binary"
	"sync"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// What a session's client may ask of its terminal. A client states its terminal's size in pty-req and
// window-change requests as any 32-bit number; the workstation lays out and draws every cell it is told about,
// so a size is clamped to what a screen can be before anything sees it. A size of 0 says nothing (RFC 4254
// 6.2), so it is the classic 80x24.
const (
	maxCols, maxRows         = 500, 300
	minCols, minRows         = 20, 5
	defaultCols, defaultRows = 80, 24

	maxEnv      = 64   // environment variables a session may set
	maxEnvBytes = 4096 // the size of one, name and value together
)

func clampSize(n uint32, unknown, lo, hi uint32) uint32 {
	switch {
	case n == 0:
		return unknown
	case n < lo:
		return lo
	case n > hi:
		return hi
	}
	return n
}

func clampWindow(cols, rows uint32) (uint32, uint32) {
	return clampSize(cols, defaultCols, minCols, maxCols), clampSize(rows, defaultRows, minRows, maxRows)
}

// windowBox holds the latest window size a session's client asked for. A client may send window changes faster
// than the workstation can lay itself out again; only the latest size matters, so each one replaces the last
// and none waits for the workstation.
type windowBox struct {
	mu     sync.Mutex
	latest ssh.Window
	set    bool
	ready  chan struct{} // holds a token while a size is waiting
}

func newWindowBox() *windowBox { return &windowBox{ready: make(chan struct{}, 1)} }

func (b *windowBox) put(w ssh.Window) {
	b.mu.Lock()
	b.latest, b.set = w, true
	b.mu.Unlock()
	select {
	case b.ready <- struct{}{}:
	default:
	}
}

// take returns the waiting size, if any.
func (b *windowBox) take() (ssh.Window, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	w, ok := b.latest, b.set
	b.set = false
	return w, ok
}

// filteredChannel is a session channel whose requests pass through filterRequests on their way to
// charmbracelet/ssh's session handler.
type filteredChannel struct {
	gossh.NewChannel
	windows *windowBox
}

func (c filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	return ch, filterRequests(reqs, c.windows), nil
}

// filterRequests hands a session's requests on to charmbracelet/ssh's handler, which answers them one at a
// time, with three changes:
//
//   - window-change requests are answered here and put in windows; the handler never sees them. It would hand
//     each to a channel of one that the workstation drains, and wait while that channel is full: before the
//     workstation has started (changes sent ahead of the shell request), and behind a workstation busy laying
//     out, every later request of the session, the shell request included, waited with it.
//   - the size in a pty-req is clamped (clampWindow);
//   - a session sets at most maxEnv environment variables of at most maxEnvBytes each: the handler keeps them
//     all until the session ends.
//
// The handler then never waits on anything the client controls, so this loop never waits long on the handler,
// and x/crypto, which stops reading the whole connection while a channel's requests are not taken, keeps
// reading it.
func filterRequests(in <-chan *gossh.Request, windows *windowBox) <-chan *gossh.Request {
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		env := 0
		for req := range in {
			switch req.Type {
			case "window-change":
				w, ok := parseWindowChange(req.Payload)
				if ok {
					windows.put(w)
				}
				req.Reply(ok, nil)
				continue
			case "pty-req":
				clampPtyRequest(req.Payload)
			case "env":
				if len(req.Payload) > maxEnvBytes || env >= maxEnv {
					req.Reply(false, nil)
					continue
				}
				env++
			}
			out <- req
		}
	}()
	return out
}

// parseWindowChange reads a window-change payload (RFC 4254 6.7: columns, rows, width and height in pixels) and
// clamps its size.
func parseWindowChange(p []byte) (ssh.Window, bool) {
	if len(p) < 16 {
		return ssh.Window{}, false
	}
	cols, rows := clampWindow(binary.BigEndian.Uint32(p), binary.BigEndian.Uint32(p[4:]))
	return ssh.Window{Width: int(cols), Height: int(rows),
		WidthPixels: int(binary.BigEndian.Uint32(p[8:]) & 0xffff), HeightPixels: int(binary.BigEndian.Uint32(p[12:]) & 0xffff)}, true
}

// clampPtyRequest clamps the size in a pty-req payload (RFC 4254 6.2: TERM, columns, rows, pixels, modes) in
// place. A payload too short to hold a size is left for the handler to refuse.
func clampPtyRequest(p []byte) {
	if len(p) < 4 {
		return
	}
	n := uint64(binary.BigEndian.Uint32(p))
	if uint64(len(p)) < 4+n+8 {
		return
	}
	size := p[4+n:]
	cols, rows := clampWindow(binary.BigEndian.Uint32(size), binary.BigEndian.Uint32(size[4:]))
	binary.BigEndian.PutUint32(size, cols)
	binary.BigEndian.PutUint32(size[4:], rows)
}
