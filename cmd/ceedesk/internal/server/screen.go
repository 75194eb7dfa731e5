package server

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// A workstation's screen is drawn by the server, not by Bubble Tea's standard renderer. That renderer draws
// only on the tick of a 60 fps ticker, which makes every keystroke wait up to a frame for its screen (8 ms on
// average, 17 ms at worst, on top of the work) and wakes every open session 60 times a second while nobody
// types, which is nearly all the CPU an idle server uses. A screen draws the view that answers a keystroke (or a
// click) as soon as the program has it. Any other view (a change another session made, a resize) is drawn at
// once too unless a frame was drawn less than a frame interval ago; then the latest view is drawn one frame
// after the last, so a burst of changes costs at most 60 frames a second. Between frames nothing runs.
//
// What it writes is what the standard renderer writes for a program on the alternate screen: the same set-up
// and restore sequences, and each frame as the lines that changed since the last, cut to the terminal's width
// and its height.

// frameInterval is the least time between two frames of one screen, as the standard renderer's 60 fps.
const frameInterval = time.Second / 60

// screen draws one session's workstation on its client's terminal.
type screen struct {
	out   io.Writer
	frame time.Duration

	mu        sync.Mutex
	width     int
	height    int
	view      string    // the program's latest view
	drawn     string    // the view on the screen; "" after a repaint is asked for
	lines     []string  // drawn, by line
	rows      int       // how many lines the last frame had
	last      time.Time // when the last frame was drawn (or the screen was set up)
	scheduled bool      // a frame is due at last+frame
	answer    bool      // the next view answers the user's input: drawn at once
	timer     *time.Timer
	ended     bool
}

func newScreen(out io.Writer) *screen {
	s := &screen{out: out, frame: frameInterval}
	s.timer = time.AfterFunc(time.Hour, s.due)
	s.timer.Stop()
	return s
}

// begin sets the terminal up for the workstation (cursor hidden, alternate screen, bracketed paste), as a
// Bubble Tea program on the alternate screen does when it starts. The first frame follows a frame later, once
// the terminal's size has reached the program.
func (s *screen) begin() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = time.Now()
	s.write(ansi.HideCursor + ansi.SetAltScreenSaveCursorMode + ansi.EraseEntireScreen + ansi.CursorHomePosition +
		ansi.HideCursor + ansi.SetBracketedPasteMode)
}

// end stops drawing and gives the terminal back as a Bubble Tea program does when it ends: the last view is
// drawn first when final is set (the program quit), not when it was killed.
func (s *screen) end(final bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return
	}
	s.ended = true
	s.timer.Stop()
	if final {
		s.draw()
	}
	s.write(ansi.EraseEntireLine + "\r" + ansi.ResetBracketedPasteMode + ansi.ShowCursor +
		ansi.ResetButtonEventMouseMode + ansi.ResetAnyEventMouseMode + ansi.ResetSgrExtMouseMode +
		ansi.ResetAltScreenSaveCursorMode + ansi.ShowCursor)
}

// show takes the program's view after an update: drawn now when it answers input or no frame was drawn in the
// last frame interval, else at the next frame.
func (s *screen) show(view string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	answer := s.answer
	s.answer = false
	if s.ended {
		return
	}
	if view == "" {
		view = " " // as the standard renderer: an empty view clears the screen
	}
	s.view = view
	if view == s.drawn || s.scheduled && !answer {
		return
	}
	if wait := s.frame - time.Since(s.last); wait > 0 && !answer {
		s.scheduled = true
		s.timer.Reset(wait)
		return
	}
	s.draw()
}

func (s *screen) due() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scheduled = false
	if !s.ended {
		s.draw()
	}
}

// handle applies what an update message means for the screen itself, before the model sees it: the view after
// a key or a click is drawn at once, a new size is drawn whole, and tea.ClearScreen clears the terminal. The
// other commands for Bubble Tea's renderer (alternate screen, mouse, window title) have no effect on a session:
// the server chooses those.
func (s *screen) handle(msg tea.Msg) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch msg := msg.(type) {
	case tea.KeyMsg, tea.MouseMsg:
		s.answer = true
	case tea.WindowSizeMsg:
		s.width, s.height = msg.Width, msg.Height
		s.repaint()
	default:
		if msg == tea.ClearScreen() {
			s.write(ansi.EraseEntireScreen + ansi.CursorHomePosition)
			s.repaint()
		}
	}
}

func (s *screen) repaint() {
	s.drawn, s.lines = "", nil
}

// draw writes the lines of the latest view that differ from the screen's, in one write, so that a client
// never shows half a frame for want of the rest.
func (s *screen) draw() {
	if s.view == "" || s.view == s.drawn {
		return
	}
	lines := strings.Split(s.view, "\n")
	if s.height > 0 && len(lines) > s.height {
		lines = lines[len(lines)-s.height:] // the bottom of a view taller than the terminal, as Bubble Tea
	}
	var buf bytes.Buffer
	buf.WriteString(ansi.CursorHomePosition)
	for i, line := range lines {
		if i < len(s.lines) && s.lines[i] == line {
			if i < len(lines)-1 {
				buf.WriteByte('\n')
			}
			continue
		}
		if i == 0 && s.drawn == "" {
			buf.WriteByte('\r')
		}
		w := ansi.StringWidth(line)
		if s.width > 0 && w > s.width {
			line = ansi.Truncate(line, s.width, "") // a wrapped line would move every line below it
			w = ansi.StringWidth(line)
		}
		buf.WriteString(line)
		if w < s.width {
			buf.WriteString(ansi.EraseLineRight)
		}
		if i < len(lines)-1 {
			buf.WriteString("\r\n")
		}
	}
	if s.rows > len(lines) {
		buf.WriteString(ansi.EraseScreenBelow)
	}
	s.rows = len(lines)
	buf.WriteString(ansi.CursorPosition(0, len(lines)))
	s.write(buf.String())
	s.drawn, s.lines, s.last = s.view, lines, time.Now()
	if s.scheduled { // drawn ahead of its frame (a key's view): the frames that follow count from this one
		s.timer.Stop()
		s.scheduled = false
	}
}

func (s *screen) write(seq string) { _, _ = io.WriteString(s.out, seq) }

// drawnModel is a workstation model whose views go to its screen; the program it runs in renders nothing
// itself (tea.WithoutRenderer). Bubble Tea asks for the view once when the program starts and after every
// update, which is when the standard renderer takes it too.
type drawnModel struct {
	tea.Model
	screen *screen
}

func (m drawnModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.screen.handle(msg)
	next, cmd := m.Model.Update(msg)
	return drawnModel{Model: next, screen: m.screen}, cmd
}

func (m drawnModel) View() string {
	v := m.Model.View()
	m.screen.show(v)
	return v
}
