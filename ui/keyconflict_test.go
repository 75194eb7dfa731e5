package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The default keys must pass the check they are held to: no two bindings live in one place share a key.
func TestDefaultKeysHaveNoConflicts(t *testing.T) {
	k := newKeyMap()
	if err := k.conflicts(k.all); err != nil {
		t.Fatalf("the default keys conflict: %v", err)
	}
}

// Every binding is live somewhere: one that no context lists is never checked for conflicts.
func TestEveryBindingIsInAContext(t *testing.T) {
	k := newKeyMap()
	for _, b := range k.all {
		found := false
		for _, c := range k.contexts() {
			found = found || c.has(b)
		}
		if !found {
			t.Errorf("binding %s is in no key context (keycontexts.go)", b.name)
		}
	}
}

// Regression: `decide = ["j"]` was accepted, and j then moved down in the queue and never decided.
func TestConfigKeyConflictIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte("theme = \"dark\"\n\n[keys]\ndecide = [\"j\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(path)
	want := path + ` line 4: keys.decide: "j" is already down's key in the queue; choose another key or rebind down too`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestKeyRemapConflicts(t *testing.T) {
	tests := []struct {
		name string
		keys map[string][]string
		want string // "" = accepted
	}{
		{"swap down and up", map[string][]string{"down": {"k", "down"}, "up": {"j", "up"}}, ""},
		{"down takes up's key", map[string][]string{"down": {"k"}}, `keys.down: "k" is already up's key in the queue; choose another key or rebind up too`},
		{"both sides remapped onto one key", map[string][]string{"down": {"x"}, "decide": {"x"}},
			`keys.decide: "x" is also down's key (keys.down) in the queue; give one of them another key`},
		{"yank on the approvals key", map[string][]string{"yank": {"a"}}, `keys.yank: "a" is already approvals' key in the queue; choose another key or rebind approvals too`},
		{"approve and confirm share y in different places", map[string][]string{"approve": {"y"}, "confirm": {"y"}}, ""},
		{"yank and approve share a key in different places", map[string][]string{"yank": {"c"}, "approve": {"c"}}, ""},
		{"quit on help's key", map[string][]string{"quit": {"?"}}, `keys.quit: "?" is already help's key in the queue; choose another key or rebind help too`},
		{"return on a free key", map[string][]string{"return": {"t"}}, ""},
		{"redraw steals a character", map[string][]string{"redraw": {"z"}},
			`keys.redraw: "z" types a character in the decision's text fields, where redraw works too; choose a key that types nothing, such as one with ctrl+`},
		{"back steals a character", map[string][]string{"back": {"h", "esc"}},
			`keys.back: "h" types a character in the decision's text fields, where back works too; choose a key that types nothing, such as one with ctrl+`},
		{"save on enter", map[string][]string{"save": {"enter"}}, `keys.save: "enter" is the key to start a new line in the decision's text fields; choose another key`},
		{"rebalance on ctrl+b", map[string][]string{"rebalance": {"ctrl+b"}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := newKeyMap().remap(tc.keys)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// A swap of keys works in the workstation itself: k moves down, j up, and help shows the new keys.
func TestSwappedKeysMoveTheQueue(t *testing.T) {
	s := newTestStore(t)
	opt := testOptions(t, s, "alice")
	opt.Config.Keys = map[string][]string{"down": {"k", "down"}, "up": {"j", "up"}}
	m := run(t, opt, 120, 40, "k", "k", "k", "j")
	if m.q.cursor != 2 || m.statusBad {
		t.Fatalf("cursor %d, status %q", m.q.cursor, m.status)
	}
	press(m, "?")
	if v := m.View(); !strings.Contains(v, "k/down       down") || !strings.Contains(v, "j/up         up") {
		t.Fatalf("help does not show the swapped keys:\n%s", v)
	}
}

// The contexts hold every key the panes offer in help: a pane that matches a new binding without adding it to
// its context here would leave a conflict with it unchecked.
func TestKeyContextsCoverEveryPane(t *testing.T) {
	s := newTestStore(t)
	checkOut(t, s, "alice", "PSC-25-000001") // the case pane offers its supervisor the break of the checkout
	states := []struct {
		who     string
		keys    []string
		context string
	}{
		{"alice", nil, "the queue"},
		{"alice", []string{"j", "j", "j", "j", "enter"}, "the case pane"},
		{"sofia", openKeys("PSC-25-000001"), "the case pane"},
		{"alice", []string{"j", "j", "j", "j", "d"}, "the list of outcomes"},
		{"alice", []string{"j", "j", "j", "j", "d", "j", "j", "enter"}, "the decision's entry lines"},
		{"alice", []string{"j", "j", "j", "j", "enter", "n"}, "dialogs"},
		{"sofia", []string{"a"}, "approvals"},
		{"sofia", []string{"w"}, "the workload board"},
		{"sofia", []string{"r"}, "the choice of reviewer"},
	}
	for _, st := range states {
		t.Run(st.context, func(t *testing.T) {
			m := newTestModel(t, s, st.who, 120, 40)
			press(m, st.keys...)
			var ctx, line *keyContext
			for _, c := range m.keys.contexts() {
				switch c.name {
				case st.context:
					ctx = &c
				case "the command line":
					line = &c // help lists its keys where the pane lists the key that opens it
				}
			}
			if ctx == nil {
				t.Fatalf("no context %q", st.context)
			}
			for _, g := range m.paneKeys(m.pane) {
				for _, b := range g {
					if !ctx.has(b) && !(ctx.has(m.keys.Command) && line.has(b)) {
						t.Errorf("%s offers %s in help, but the context %q does not list it", m.pane, b.name, st.context)
					}
				}
			}
		})
	}
}
