package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// keyContext is a place where the workstation reads keys, with every binding live there: a key pressed there goes
// to the first of them that has it, so two of them sharing a key would leave one dead without a word. Bindings of
// different contexts may share keys (y approves in approvals and confirms in a confirmation).
type keyContext struct {
	name     string // as a sentence ends "... is already down's key in the queue"
	bindings []*binding
	// fixed are keys the context reads itself, not through a binding, and what each does there.
	fixed map[string]string
	// typing: a text field has the keys, so a key that types a character (one rune, space included) belongs to the
	// text; a binding live here needs one that types nothing.
	typing bool
}

// contexts lists where keys are read and what is live in each, from where each binding is matched: the shell's
// Model.key reads force quit and redraw before anything else, then a confirmation's, a dialog's or the command
// line's keys, then a pane's text field, then help, then help and the command line on any other pane, then the
// pane's own keys; Model.global adds quit, the pane keys and the supervisor's views on the main panes. A pane that
// matches a new binding, or the shell a new key, adds it here too; TestKeyContextsCoverEveryPane holds the panes'
// help to this table.
func (k *keyMap) contexts() []keyContext {
	always := []*binding{k.ForceQuit, k.Redraw}
	shell := join(always, []*binding{k.Help, k.Command})
	global := []*binding{k.Quit, k.NextPane, k.PrevPane, k.Workload, k.Approvals}
	scroll := []*binding{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom}
	rescue := []*binding{k.KeepNote, k.Copy} // typed text kept or copied when the case changed under it
	return []keyContext{
		{name: "the queue", bindings: join(shell, global, scroll, []*binding{k.Open, k.Decide, k.Filter, k.Sort,
			k.SortReverse, k.Mark, k.Reassign, k.Back, k.Views, k.Importer, k.Yank})},
		{name: "the case pane", bindings: join(shell, global, scroll, []*binding{k.Notice, k.Decide, k.BeginReview,
			k.Note, k.Info, k.Answer, k.NoticeOfAction, k.Reply, k.NextCase, k.PrevCase, k.Reassign, k.Back,
			k.Importer, k.Yank, k.BreakCheckout})},
		{name: "the list of outcomes", bindings: join(shell, rescue, []*binding{k.Down, k.Up, k.Open, k.Back, k.Quit})},
		{name: "the decision's text fields", typing: true, fixed: map[string]string{"enter": "start a new line"},
			bindings: join(always, rescue, []*binding{k.Back, k.Save, k.NextField, k.PrevField})},
		{name: "the decision's entry lines", bindings: join(shell, rescue, []*binding{k.Back, k.Save, k.NextField,
			k.PrevField, k.Down, k.Up, k.Toggle})},
		{name: "the decision's review", bindings: join(shell, rescue, []*binding{k.AckLate, k.Confirm, k.Cancel})},
		// cancel goes back too, as back does
		{name: "a decision overtaken by a change", bindings: join(shell, rescue, []*binding{k.Back})},
		{name: "approvals", bindings: join(shell, global, scroll, []*binding{k.Open, k.Approve, k.Return, k.Back})},
		{name: "the workload board", bindings: join(shell, global, scroll, []*binding{k.Rebalance, k.Open, k.Back})},
		{name: "the choice of reviewer", bindings: join(shell, []*binding{k.Down, k.Up, k.Open, k.TakeSuggestion, k.Back})},
		{name: "the rebalance proposal", bindings: join(shell, scroll, []*binding{k.Toggle, k.Confirm, k.Cancel})},
		{name: "dialogs", typing: true, fixed: map[string]string{"enter": "start a new line, or save a one-line dialog"},
			bindings: join(always, rescue, []*binding{k.Back, k.Save, k.NextField, k.PrevField})},
		{name: "confirmations", bindings: join(always, []*binding{k.AckLate, k.Confirm, k.Cancel})},
		{name: "help", bindings: join(always, scroll, []*binding{k.Help, k.Back, k.Quit})},
		{name: "the command line", typing: true, fixed: map[string]string{"enter": "run the command", "esc": "close the command line"},
			bindings: join(always, []*binding{k.HistoryBack, k.HistoryForward, k.Complete, k.CompleteBack})},
		{name: "the queue's filter", typing: true, fixed: map[string]string{"enter": "finish the filter", "esc": "clear the filter"},
			bindings: always},
	}
}

func join(groups ...[]*binding) []*binding {
	var out []*binding
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// conflicts reports the first key of a remapped binding that is already another binding's key where both are live,
// that a context reads itself, or that types a character where text is typed. Remapped bindings are looked at in
// the order given, contexts in their order, so the error is the same on every start.
func (k *keyMap) conflicts(remapped []*binding) error {
	ctxs := k.contexts()
	changed := map[*binding]bool{}
	for _, b := range remapped {
		changed[b] = true
	}
	for _, b := range remapped {
		for _, c := range ctxs {
			if !c.has(b) {
				continue
			}
			for _, key := range b.Keys() {
				if what, ok := c.fixed[key]; ok {
					return &keyError{b.name, fmt.Sprintf("%s is the key to %s in %s; choose another key", quoted(key), what, c.name)}
				}
				if c.typing && utf8.RuneCountInString(key) == 1 {
					return &keyError{b.name, fmt.Sprintf("%s types a character in %s, where %s works too; choose a key that types nothing, such as one with ctrl+",
						quoted(key), c.name, b.name)}
				}
				other := c.holder(key, b)
				switch {
				case other == nil:
				case changed[other]:
					return &keyError{b.name, fmt.Sprintf("%s is also %s key (keys.%s) in %s; give one of them another key",
						quoted(key), possessive(other.name), other.name, c.name)}
				default:
					return &keyError{b.name, fmt.Sprintf("%s is already %s key in %s; choose another key or rebind %s too",
						quoted(key), possessive(other.name), c.name, other.name)}
				}
			}
		}
	}
	return nil
}

func (c keyContext) has(b *binding) bool {
	for _, x := range c.bindings {
		if x == b {
			return true
		}
	}
	return false
}

// holder is the binding of the context other than b that has key, or nil.
func (c keyContext) holder(key string, b *binding) *binding {
	for _, x := range c.bindings {
		if x == b {
			continue
		}
		for _, xk := range x.Keys() {
			if xk == key {
				return x
			}
		}
	}
	return nil
}

// possessive is "down's", "approvals'".
func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}
