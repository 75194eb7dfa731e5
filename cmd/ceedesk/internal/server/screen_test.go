package server

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// lockedBuffer is a screen's output, read while the screen may write.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// take is what was written since the last take.
func (b *lockedBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

// testScreen is a screen of w×h whose frames are an hour apart unless due is called: what it draws at once
// and what it leaves for the next frame do not depend on the machine's speed.
func testScreen(w, h int) (*screen, *lockedBuffer) {
	out := &lockedBuffer{}
	s := newScreen(out)
	s.frame = time.Hour
	s.handle(tea.WindowSizeMsg{Width: w, Height: h})
	return s, out
}

const el, home = ansi.EraseLineRight, ansi.CursorHomePosition

// A view is drawn the moment the program has it when no frame was drawn in the last frame interval; views
// that come sooner wait for the next frame, and only the latest is drawn then. The view that answers a key is
// drawn at once whenever it comes.
func TestScreenDrawsAKeystrokeAtOnce(t *testing.T) {
	s, out := testScreen(10, 3)
	s.show("one\ntwo")
	if got, want := out.take(), home+"\rone"+el+"\r\ntwo"+el+ansi.CursorPosition(0, 2); got != want {
		t.Fatalf("first frame %q, want %q", got, want)
	}
	s.show("one\nthree")
	s.show("one\nfour")
	if got := out.take(); got != "" {
		t.Fatalf("a view within a frame of the last was drawn at once: %q", got)
	}
	s.due()
	if got, want := out.take(), home+"\n"+"four"+el+ansi.CursorPosition(0, 2); got != want {
		t.Fatalf("next frame %q, want %q (only the changed line, of the latest view)", got, want)
	}
	s.due()
	s.show("one\nfour")
	if got := out.take(); got != "" {
		t.Fatalf("an unchanged view was drawn again: %q", got)
	}

	s.show("changed\nfour") // another session's change, within a frame of the last: waits
	s.handle(tea.KeyMsg{Type: tea.KeyDown})
	s.show("changed\nmoved")
	if got, want := out.take(), home+"changed"+el+"\r\nmoved"+el+ansi.CursorPosition(0, 2); got != want {
		t.Fatalf("a key's view within a frame of the last: %q, want %q at once", got, want)
	}
	s.due() // the change's frame: already on the screen
	s.show("changed\nmoved")
	if got := out.take(); got != "" {
		t.Fatalf("drawn twice: %q", got)
	}
	s.show("later\nmoved") // the key's view counts as the last frame
	if got := out.take(); got != "" {
		t.Fatalf("a change within a frame of a key's view was drawn at once: %q", got)
	}
}

// A frame is what Bubble Tea's standard renderer writes on the alternate screen: lines cut to the width (a
// wrapped line would move the ones below), the bottom of a view taller than the terminal, what is left of a
// longer previous frame erased; a new size or ctrl+l (tea.ClearScreen) draws every line again.
func TestScreenFrames(t *testing.T) {
	s, out := testScreen(5, 2)
	s.show("abcdefgh\nx\ny")
	if got, want := out.take(), home+"\rx"+el+"\r\ny"+el+ansi.CursorPosition(0, 2); got != want {
		t.Errorf("taller than the terminal: %q, want %q", got, want)
	}
	s.handle(tea.WindowSizeMsg{Width: 5, Height: 4})
	s.due()
	s.show("abcdefgh\nx\ny")
	if got, want := out.take(), home+"\rabcde\r\nx"+el+"\r\ny"+el+ansi.CursorPosition(0, 3); got != want {
		t.Errorf("after a resize: %q, want %q", got, want)
	}
	s.due()
	s.show("abcdefgh")
	s.due()
	if got, want := out.take(), home+ansi.EraseScreenBelow+ansi.CursorPosition(0, 1); got != want {
		t.Errorf("shorter frame: %q, want %q", got, want)
	}
	s.handle(tea.ClearScreen())
	s.show("abcdefgh")
	s.due()
	if got, want := out.take(), ansi.EraseEntireScreen+home+home+"\rabcde"+ansi.CursorPosition(0, 1); got != want {
		t.Errorf("ctrl+l: %q, want %q", got, want)
	}
}

// The screen sets the terminal up and gives it back as a Bubble Tea program on the alternate screen does; the
// last view is drawn when the program quits, and nothing is drawn after the end.
func TestScreenBeginAndEnd(t *testing.T) {
	s, out := testScreen(10, 3)
	s.begin()
	if got := out.take(); !strings.HasPrefix(got, ansi.HideCursor+ansi.SetAltScreenSaveCursorMode) ||
		!strings.HasSuffix(got, ansi.SetBracketedPasteMode) {
		t.Errorf("set-up %q", got)
	}
	s.show("quitting")
	if got := out.take(); got != "" {
		t.Errorf("the first frame was drawn before the terminal's size could reach the program: %q", got)
	}
	s.end(true)
	got := out.take()
	if !strings.HasPrefix(got, home+"\rquitting") || !strings.HasSuffix(got, ansi.ResetAltScreenSaveCursorMode+ansi.ShowCursor) ||
		!strings.Contains(got, ansi.ResetBracketedPasteMode) {
		t.Errorf("end %q", got)
	}
	s.show("after")
	s.due()
	if got := out.take(); got != "" {
		t.Errorf("drawn after the end: %q", got)
	}

	killed, out := testScreen(10, 3)
	killed.show("a")
	killed.due()
	out.take()
	killed.show("b")
	killed.end(false)
	if got := out.take(); strings.Contains(got, "b") {
		t.Errorf("a killed program's last view was drawn: %q", got)
	}
}
