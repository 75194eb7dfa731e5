package ui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// binding is a key.Binding with the name the config uses for it and, when it is disabled for this session, the
// reason shown in help and in the status line when the key is pressed anyway.
type binding struct {
	key.Binding
	name string
	why  string // non-empty: disabled, and why
}

// keyMap declares every key of the workstation once; the panes match keys against these bindings and help shows
// them from the same declarations.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom             *binding
	Open, NextPane, PrevPane, Back, Quit, ForceQuit     *binding
	Filter, Sort, Mark                                  *binding
	Decide, Note, Info, NextCase, PrevCase, BeginReview *binding
	Answer, NoticeOfAction, Reply, AckLate, Notice      *binding
	Reassign, Approvals, Workload, Rebalance            *binding
	Approve, Return, KeepNote, Copy                     *binding
	Command, Help, Redraw                               *binding
	SortReverse, Views, Importer, Yank                  *binding
	TakeSuggestion, BreakCheckout                       *binding
	HistoryBack, HistoryForward, Complete, CompleteBack *binding
	Save, Confirm, Cancel, NextField, PrevField, Toggle *binding
	all                                                 []*binding
}

func newKeyMap() *keyMap {
	k := &keyMap{}
	def := func(name string, keys []string, helpKey, desc string) *binding {
		b := &binding{Binding: key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc)), name: name}
		k.all = append(k.all, b)
		return b
	}
	k.Up = def("up", []string{"k", "up"}, "k/↑", "up")
	k.Down = def("down", []string{"j", "down"}, "j/↓", "down")
	k.PageUp = def("page_up", []string{"pgup", "ctrl+u"}, "pgup", "page up")
	k.PageDown = def("page_down", []string{"pgdown", "ctrl+d"}, "pgdn", "page down")
	k.Top = def("top", []string{"g", "home"}, "g", "first")
	k.Bottom = def("bottom", []string{"G", "end"}, "G", "last")
	k.Open = def("open", []string{"enter"}, "enter", "open")
	k.NextPane = def("next_pane", []string{"tab"}, "tab", "next pane")
	k.PrevPane = def("prev_pane", []string{"shift+tab"}, "shift+tab", "previous pane")
	k.Back = def("back", []string{"esc"}, "esc", "back")
	k.Quit = def("quit", []string{"q"}, "q", "quit")
	k.ForceQuit = def("force_quit", []string{"ctrl+c"}, "ctrl+c", "quit now")
	k.Filter = def("filter", []string{"/"}, "/", "filter")
	k.Sort = def("sort", []string{"s"}, "s", "sort")
	k.Mark = def("mark", []string{" "}, "space", "mark")
	k.Decide = def("decide", []string{"d"}, "d", "decide")
	k.Note = def("note", []string{"n"}, "n", "note")
	k.Info = def("info", []string{"i"}, "i", "request information (CBP Form 28)")
	k.BeginReview = def("begin_review", []string{"e"}, "e", "begin review (assigned → in review)")
	k.Answer = def("answer", []string{"A"}, "A", "record the importer's answer (CBP Form 28)")
	k.NoticeOfAction = def("notice_of_action", []string{"o"}, "o", "notice of action, proposed or taken (CBP Form 29)")
	k.Reply = def("reply", []string{"R"}, "R", "record the importer's reply to a notice of action")
	k.Notice = def("notice", []string{"P"}, "P", "notice preview")
	k.NextCase = def("next_case", []string{"]", "ctrl+n"}, "]", "next case")
	k.PrevCase = def("prev_case", []string{"[", "ctrl+p"}, "[", "previous case")
	k.Reassign = def("reassign", []string{"r"}, "r", "reassign")
	k.Approvals = def("approvals", []string{"a"}, "a", "approvals")
	k.Workload = def("workload", []string{"w"}, "w", "workload board")
	k.Rebalance = def("rebalance", []string{"b"}, "b", "rebalance due-this-week load")
	k.Approve = def("approve", []string{"y"}, "y", "approve decision")
	k.Return = def("return", []string{"x"}, "x", "return decision to reviewer")
	k.Command = def("command", []string{":"}, ":", "command")
	k.Help = def("help", []string{"?"}, "?", "help")
	k.Redraw = def("redraw", []string{"ctrl+l"}, "ctrl+l", "redraw")
	k.Save = def("save", []string{"ctrl+s"}, "ctrl+s", "save / continue")
	k.Confirm = def("confirm", []string{"y", "enter"}, "y/enter", "confirm")
	k.Cancel = def("cancel", []string{"esc", "n"}, "esc/n", "cancel")
	k.NextField = def("next_field", []string{"tab"}, "tab", "next field")
	k.PrevField = def("prev_field", []string{"shift+tab"}, "shift+tab", "previous field")
	k.AckLate = def("acknowledge_late", []string{"L"}, "L", "acknowledge what the law makes of a late decision")
	k.Toggle = def("toggle", []string{" ", "x"}, "space/x", "toggle line")
	// keys that work while text is typed: control keys the text fields do not use
	k.KeepNote = def("keep_as_note", []string{"ctrl+o"}, "ctrl+o", "keep the text typed as a note on the case")
	k.Copy = def("copy_text", []string{"ctrl+y"}, "ctrl+y", "copy the text typed to the clipboard (OSC 52)")
	k.SortReverse = def("sort_reverse", []string{"S"}, "S", "reverse the sort")
	k.Views = def("views", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, "1–9", "saved views")
	k.Importer = def("importer", []string{"I"}, "I", "the importer's cases")
	k.Yank = def("yank", []string{"y"}, "y", "copy the case id and entry number (OSC 52)")
	// the command line's own keys: its text is typed, so they type nothing
	k.HistoryBack = def("history_back", []string{"up"}, "↑", "command line: the command before")
	k.HistoryForward = def("history_forward", []string{"down"}, "↓", "command line: the command after, then what was typed")
	k.Complete = def("complete", []string{"tab"}, "tab", "command line: complete a command or case id; again for the next")
	k.CompleteBack = def("complete_back", []string{"shift+tab"}, "shift+tab", "command line: the completion before")
	k.TakeSuggestion = def("take_suggestion", []string{"y"}, "y", "take the suggested reviewers")
	k.BreakCheckout = def("break_checkout", []string{"B"}, "B", "break the case's checkout to a desk, with a reason (supervisor)")
	return k
}

// keyNames lists the names a config's [keys] table may use.
func keyNames() []string {
	var out []string
	for _, b := range newKeyMap().all {
		out = append(out, b.name)
	}
	sort.Strings(out)
	return out
}

func (k *keyMap) byName(name string) *binding {
	for _, b := range k.all {
		if b.name == name {
			return b
		}
	}
	return nil
}

// keyError is what is wrong with one binding of a config's [keys] table.
type keyError struct {
	name string // the binding, as the config names it
	msg  string
}

func (e *keyError) Error() string { return "keys." + e.name + ": " + e.msg }

// remap applies a config's [keys] table. An unknown name, an empty key list, or a key that another binding live
// in the same place already has (see contexts) is an error naming the binding (a *keyError); the key map is then
// left part remapped and must not be used. The check is of the whole key map after the remapping, so bindings
// that trade keys (down = ["k"], up = ["j"]) are accepted.
func (k *keyMap) remap(keys map[string][]string) error {
	names := make([]string, 0, len(keys))
	for n := range keys {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b := k.byName(n)
		if b == nil {
			return &keyError{n, "unknown binding; want one of " + strings.Join(keyNames(), ", ")}
		}
		ks := keys[n]
		if len(ks) == 0 {
			return &keyError{n, "needs at least one key"}
		}
		b.SetKeys(ks...)
		show := make([]string, len(ks))
		for i, s := range ks {
			if s == " " {
				s = "space"
			}
			show[i] = s
		}
		b.SetHelp(strings.Join(show, "/"), b.Help().Desc)
	}
	remapped := make([]*binding, len(names))
	for i, n := range names {
		remapped[i] = k.byName(n)
	}
	return k.conflicts(remapped)
}

// disable turns a binding off for this session, saying why.
func (b *binding) disable(why string) {
	b.why = why
	b.SetEnabled(false)
}

// pressed reports whether msg is one of the binding's keys, enabled or not.
func (b *binding) pressed(msg fmt.Stringer) bool {
	s := msg.String()
	for _, k := range b.Keys() {
		if k == s {
			return true
		}
	}
	return false
}
