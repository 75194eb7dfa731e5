package cases

import (
	"errors"
	"strings"
	"testing"
	"unicode"
)

func TestClean(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain ASCII is returned as is", "Acme Corp", "Acme Corp"},
		{"OSC title with BEL and a CSI clear screen", "ACME\x1b]0;owned\x07\x1b[2J", "ACME"},
		{"CSI colour", "\x1b[31mred\x1b[0m text", "red text"},
		{"CSI with parameters and intermediates", "a\x1b[?1049hb\x1b[1;31;42mc", "abc"},
		{"OSC ended by ST (ESC backslash)", "x\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\y", "xlinky"},
		{"OSC ended by the C1 ST", "x\x1b]2;title\u009cy", "xy"},
		{"C1 CSI", "a\u009b31mb", "ab"},
		{"C1 OSC", "a\u009d0;t\u0007b", "ab"},
		{"DCS", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"APC, PM, SOS", "a\x1b_x\x1b\\b\x1b^y\x1b\\c\x1bXz\x1b\\d", "abcd"},
		{"two-character escapes", "a\x1bcb\x1b7c\x1b8d", "abcd"},
		{"escape with an intermediate", "a\x1b(Bb", "ab"},
		{"a lone ESC at the end", "abc\x1b", "abc"},
		{"an unterminated CSI", "abc\x1b[12", "abc"},
		{"an unterminated OSC", "abc\x1b]0;title", "abc"},
		{"other C0 controls become spaces", "a\x00b\x07c\x08d\re", "a b c d e"},
		{"DEL becomes a space", "a\x7fb", "a b"},
		{"other C1 controls become spaces", "a\u0085b\u009cc", "a b c"},
		{"newline and tab are kept", "line 1\n\tline 2", "line 1\n\tline 2"},
		{"bidi overrides become spaces", "abc\u202edcba\u202c", "abc dcba "},
		{"line separator becomes a space", "a\u2028b", "a b"},
		{"unicode letters are kept", "Société Générale — 東京電子 Ölwerk", "Société Générale — 東京電子 Ölwerk"},
		{"escapes between unicode letters", "Ü\x1b[1mß\x1b[0m東", "Üß東"},
		{"invalid UTF-8 is replaced, not passed through", "a\xffb", "a\uFFFDb"},
	}
	for _, tc := range cases {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("%s: Clean(%q) = %q; want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// An OSC cut short by the ESC of the next sequence loses that sequence whole, not only its ESC.
func TestCleanOSCEndedByAnotherEscape(t *testing.T) {
	for in, want := range map[string]string{
		"\x1b]0;title\x1b[2Jok":   "ok",
		"a\x1bPdata\x1b[31mb":     "ab",
		"a\x1b]0;t\x1b":           "a",
		"a\u009d0;t\x1b]0;u\x07b": "ab",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestCleanLine(t *testing.T) {
	for in, want := range map[string]string{
		"a\nb\tc\rd":        "a b c d",
		"ACME\x1b[2J\nCorp": "ACME Corp",
		"plain":             "plain",
	} {
		if got := CleanLine(in); got != want {
			t.Errorf("CleanLine(%q) = %q; want %q", in, got, want)
		}
	}
}

// Clean's output holds no control character but newline and tab, whatever the input.
func TestCleanLeavesNoControls(t *testing.T) {
	inputs := []string{"\x1b", "\x1b[", "\x1b]", "\x9b", "\x9d\x9c", "\u009b\u009d\u0090\u009e\u009f\u0098", "\x1b\x1b\x1b[[[", "\x1b\n\x1b\t"}
	for b := 0; b < 0x100; b++ {
		inputs = append(inputs, "a"+string(rune(b))+"b", "\x1b"+string(rune(b))+"z", "\x1b["+string(rune(b))+"z")
	}
	for _, in := range inputs {
		if r, bad := controlIn(Clean(in)); bad {
			t.Errorf("Clean(%q) = %q holds %U", in, Clean(in), r)
		}
	}
}

func controlIn(s string) (rune, bool) {
	for _, r := range s {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || isControlRune(r)) {
			return r, true
		}
	}
	return 0, false
}

func TestCheckUTF8NamesFieldAndOffset(t *testing.T) {
	if err := CheckUTF8("the note", "café ✓"); err != nil {
		t.Fatalf("valid text refused: %v", err)
	}
	err := CheckUTF8("the note", "caf\xe9")
	if err == nil || !errors.Is(err, ErrInvalid) {
		t.Fatalf("invalid UTF-8 accepted or not ErrInvalid: %v", err)
	}
	for _, want := range []string{"the note", "byte 3", "0xe9"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
