// Package themes holds the workstation's colour themes as data, and turns a theme into lipgloss styles for one
// renderer. Styles are always built from the renderer they will be written with (renderer.NewStyle), never from
// the global lipgloss renderer, so that each SSH session renders with its own terminal's colour profile.
package themes

import (
	"fmt"
	"os"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Theme is a palette and a border: data only. A colour may be a lipgloss.AdaptiveColor (chosen by the terminal's
// background), a lipgloss.Color or lipgloss.NoColor.
type Theme struct {
	Name string

	Text      lipgloss.TerminalColor // ordinary text
	Muted     lipgloss.TerminalColor // labels, hints, secondary columns
	Accent    lipgloss.TerminalColor // titles, headings, key names
	HeaderFg  lipgloss.TerminalColor // the top bar
	HeaderBg  lipgloss.TerminalColor
	CursorFg  lipgloss.TerminalColor // the row under the cursor
	CursorBg  lipgloss.TerminalColor
	Marked    lipgloss.TerminalColor // rows marked with space
	Overdue   lipgloss.TerminalColor // past its clock (always also marked "!")
	DueSoon   lipgloss.TerminalColor // due within 7 days (always also marked "•")
	Good      lipgloss.TerminalColor // met clocks, success messages
	Bad       lipgloss.TerminalColor // errors, refusals
	Warn      lipgloss.TerminalColor // findings, approval notices
	BorderFg  lipgloss.TerminalColor
	Border    lipgloss.Border
	BoldTitle bool // headings in bold (monochrome and high-contrast rely on it)
}

var themes = []Theme{
	{
		Name:      "default",
		Text:      lipgloss.AdaptiveColor{Light: "#1c1c1c", Dark: "#e4e4e4"},
		Muted:     lipgloss.AdaptiveColor{Light: "#6c6c6c", Dark: "#8a8a8a"},
		Accent:    lipgloss.AdaptiveColor{Light: "#005f87", Dark: "#5fafd7"},
		HeaderFg:  lipgloss.AdaptiveColor{Light: "#ffffff", Dark: "#ffffff"},
		HeaderBg:  lipgloss.AdaptiveColor{Light: "#005f87", Dark: "#1f3a5f"},
		CursorFg:  lipgloss.AdaptiveColor{Light: "#000000", Dark: "#ffffff"},
		CursorBg:  lipgloss.AdaptiveColor{Light: "#d0e4f5", Dark: "#303a4a"},
		Marked:    lipgloss.AdaptiveColor{Light: "#875f00", Dark: "#d7af5f"},
		Overdue:   lipgloss.AdaptiveColor{Light: "#af0000", Dark: "#ff5f5f"},
		DueSoon:   lipgloss.AdaptiveColor{Light: "#875f00", Dark: "#ffaf00"},
		Good:      lipgloss.AdaptiveColor{Light: "#005f00", Dark: "#87d787"},
		Bad:       lipgloss.AdaptiveColor{Light: "#af0000", Dark: "#ff5f5f"},
		Warn:      lipgloss.AdaptiveColor{Light: "#875f00", Dark: "#ffaf00"},
		BorderFg:  lipgloss.AdaptiveColor{Light: "#8a8a8a", Dark: "#585858"},
		Border:    lipgloss.RoundedBorder(),
		BoldTitle: true,
	},
	{
		Name:      "dark",
		Text:      lipgloss.Color("#e4e4e4"),
		Muted:     lipgloss.Color("#8a8a8a"),
		Accent:    lipgloss.Color("#5fafd7"),
		HeaderFg:  lipgloss.Color("#ffffff"),
		HeaderBg:  lipgloss.Color("#1f3a5f"),
		CursorFg:  lipgloss.Color("#ffffff"),
		CursorBg:  lipgloss.Color("#303a4a"),
		Marked:    lipgloss.Color("#d7af5f"),
		Overdue:   lipgloss.Color("#ff5f5f"),
		DueSoon:   lipgloss.Color("#ffaf00"),
		Good:      lipgloss.Color("#87d787"),
		Bad:       lipgloss.Color("#ff5f5f"),
		Warn:      lipgloss.Color("#ffaf00"),
		BorderFg:  lipgloss.Color("#585858"),
		Border:    lipgloss.RoundedBorder(),
		BoldTitle: true,
	},
	{
		Name:      "light",
		Text:      lipgloss.Color("#1c1c1c"),
		Muted:     lipgloss.Color("#6c6c6c"),
		Accent:    lipgloss.Color("#005f87"),
		HeaderFg:  lipgloss.Color("#ffffff"),
		HeaderBg:  lipgloss.Color("#005f87"),
		CursorFg:  lipgloss.Color("#000000"),
		CursorBg:  lipgloss.Color("#d0e4f5"),
		Marked:    lipgloss.Color("#875f00"),
		Overdue:   lipgloss.Color("#af0000"),
		DueSoon:   lipgloss.Color("#875f00"),
		Good:      lipgloss.Color("#005f00"),
		Bad:       lipgloss.Color("#af0000"),
		Warn:      lipgloss.Color("#875f00"),
		BorderFg:  lipgloss.Color("#8a8a8a"),
		Border:    lipgloss.RoundedBorder(),
		BoldTitle: true,
	},
	{
		// Pure ANSI colours the terminal itself chooses, at full intensity, with thick borders.
		Name:      "high-contrast",
		Text:      lipgloss.ANSIColor(15),
		Muted:     lipgloss.ANSIColor(15),
		Accent:    lipgloss.ANSIColor(14),
		HeaderFg:  lipgloss.ANSIColor(0),
		HeaderBg:  lipgloss.ANSIColor(15),
		CursorFg:  lipgloss.ANSIColor(0),
		CursorBg:  lipgloss.ANSIColor(11),
		Marked:    lipgloss.ANSIColor(13),
		Overdue:   lipgloss.ANSIColor(9),
		DueSoon:   lipgloss.ANSIColor(11),
		Good:      lipgloss.ANSIColor(10),
		Bad:       lipgloss.ANSIColor(9),
		Warn:      lipgloss.ANSIColor(11),
		BorderFg:  lipgloss.ANSIColor(15),
		Border:    lipgloss.ThickBorder(),
		BoldTitle: true,
	},
	{
		Name:      "monochrome",
		Text:      lipgloss.NoColor{},
		Muted:     lipgloss.NoColor{},
		Accent:    lipgloss.NoColor{},
		HeaderFg:  lipgloss.NoColor{},
		HeaderBg:  lipgloss.NoColor{},
		CursorFg:  lipgloss.NoColor{},
		CursorBg:  lipgloss.NoColor{},
		Marked:    lipgloss.NoColor{},
		Overdue:   lipgloss.NoColor{},
		DueSoon:   lipgloss.NoColor{},
		Good:      lipgloss.NoColor{},
		Bad:       lipgloss.NoColor{},
		Warn:      lipgloss.NoColor{},
		BorderFg:  lipgloss.NoColor{},
		Border:    lipgloss.NormalBorder(),
		BoldTitle: true,
	},
}

// Names lists the theme names in the order they are offered.
func Names() []string {
	out := make([]string, len(themes))
	for i, t := range themes {
		out[i] = t.Name
	}
	return out
}

// Lookup finds a theme by name (case-insensitive); an unknown name is an error listing the known ones.
func Lookup(name string) (Theme, error) {
	for _, t := range themes {
		if strings.EqualFold(t.Name, strings.TrimSpace(name)) {
			return t, nil
		}
	}
	return Theme{}, fmt.Errorf("theme %q: unknown; want one of %s", name, strings.Join(Names(), ", "))
}

// NoColor reports whether the NO_COLOR convention (https://no-color.org) asks for no colour: the variable is set
// and not empty.
func NoColor() bool { return os.Getenv("NO_COLOR") != "" }

// Colourless is t without any colour, as NO_COLOR asks: the monochrome palette and emphasis (bold, underline and
// reverse video) with t's border. Styles applies it by itself when the process's NO_COLOR is set; a session whose
// own terminal asked for no colour (over SSH, the client's NO_COLOR) applies it to whatever theme it shows.
func (t Theme) Colourless() Theme {
	mono, _ := Lookup("monochrome")
	mono.Border = t.Border
	return mono
}

// Styles are a theme's lipgloss styles, bound to one renderer.
type Styles struct {
	Theme string // name of the theme the styles come from

	Text, Muted, Title, Section, Label, Key  lipgloss.Style
	Header, HeaderMuted                      lipgloss.Style
	Cursor, Marked                           lipgloss.Style
	Overdue, DueSoon                         lipgloss.Style
	Good, Bad, Warn                          lipgloss.Style
	Pane, Dialog                             lipgloss.Style // bordered boxes
	ColumnHead                               lipgloss.Style // column headings of lists
	Border                                   lipgloss.Border
	InputPrompt, InputText, InputPlaceholder lipgloss.Style
	Disabled                                 lipgloss.Style // keys that do nothing for this user
}

// Styles builds the theme's styles for r. With the monochrome theme, or when NO_COLOR is set, no style carries a
// colour; emphasis is then bold, underline and reverse only, and no state is ever shown by colour alone anyway.
func (t Theme) Styles(r *lipgloss.Renderer) Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	if NoColor() && t.Name != "monochrome" {
		t = t.Colourless()
	}
	mono := t.Name == "monochrome"
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return r.NewStyle().Foreground(c) }
	s := Styles{
		Theme:            t.Name,
		Text:             fg(t.Text),
		Muted:            fg(t.Muted),
		Title:            fg(t.Accent).Bold(t.BoldTitle),
		Section:          fg(t.Accent).Bold(t.BoldTitle).Underline(mono),
		Label:            fg(t.Muted),
		Key:              fg(t.Accent).Bold(true),
		Header:           r.NewStyle().Foreground(t.HeaderFg).Background(t.HeaderBg).Bold(true),
		HeaderMuted:      r.NewStyle().Foreground(t.HeaderFg).Background(t.HeaderBg),
		Cursor:           r.NewStyle().Foreground(t.CursorFg).Background(t.CursorBg).Bold(true),
		Marked:           fg(t.Marked).Bold(true),
		Overdue:          fg(t.Overdue).Bold(true),
		DueSoon:          fg(t.DueSoon),
		Good:             fg(t.Good),
		Bad:              fg(t.Bad).Bold(true),
		Warn:             fg(t.Warn),
		Pane:             r.NewStyle().Border(t.Border).BorderForeground(t.BorderFg),
		Dialog:           r.NewStyle().Border(t.Border).BorderForeground(t.Accent).Padding(0, 1),
		ColumnHead:       fg(t.Muted).Bold(true),
		Border:           t.Border,
		InputPrompt:      fg(t.Accent),
		InputText:        fg(t.Text),
		InputPlaceholder: fg(t.Muted),
		Disabled:         fg(t.Muted).Faint(!mono),
	}
	if mono {
		s.Header = s.Header.Reverse(true)
		s.HeaderMuted = s.HeaderMuted.Reverse(true)
		s.Cursor = s.Cursor.Reverse(true)
	}
	return s
}
