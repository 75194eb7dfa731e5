package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"ceedesk/themes"
)

// configSeeds are config files worth starting from: valid ones, bad TOML, unknown keys, bad values and huge
// values. The files in testdata/fuzz/FuzzLoadConfig are replayed by plain go test as well.
var configSeeds = []string{
	"",
	"# nothing but a comment\n",
	"theme = \"dark\"\nidle_timeout = \"45m\"\n\n[keys]\ndecide = [\"D\", \"ctrl+d\"]\nmark = [\" \"]\n\n[policy]\napproval_threshold = \"25,000.50\"\nvalidation_days = 60\n",
	"[policy]\napproval_threshold = 10000\ninfo_request_days = 14\n",
	"theme = \"dark\"\nvalidation_days = = 3\n",
	"[keys\ndecide = [\"d\"]\n",
	"theme = \"\"\"\nmulti\nline\"\"\"\n",
	"x = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
	"theme = \"dark\"\ncolour = \"red\"\n",
	"[policy]\nmagic = 1\n",
	"[keys]\nteleport = [\"t\"]\n",
	"\"\x1b[2J\x1b]0;owned\x07\" = 1\n",
	"[keys]\nquit = [\"\x1b[31m\"]\n",
	`[keys]` + "\n" + `quit = ["\u001b[31m", "\u0000"]` + "\n",
	`"\u001b]0;owned\u0007" = 1` + "\n",
	"[keys]\nquit = []\n",
	"theme = \"neon\"\n",
	"idle_timeout = \"1ns\"\n",
	"idle_timeout = \"9999999999h\"\n",
	"[policy]\napproval_threshold = \"-5.00\"\n",
	"[policy]\napproval_threshold = 10000.5\n",
	"[policy]\nvalidation_days = \"ninety\"\n",
	"[policy]\nvalidation_days = 9223372036854775807\n",
	"[policy]\nvalidation_days = 99999999999999999999999\n",
	"[policy]\napproval_threshold = \"99999999999999999999999999.99\"\n",
	"[policy]\napproval_threshold = 9223372036854775807\n",
	"theme = \"" + strings.Repeat("dark", 5000) + "\"\n",
	strings.Repeat("[keys]\n", 3),
	"keys = 5\npolicy = \"x\"\n",
	"\xff\xfe = \"\xc3\x28\"\n",
}

// FuzzLoadConfig: LoadConfig never panics on any file; its errors name the file, are valid UTF-8 without control
// characters and short; a config it accepts is one the workstation can use as it is.
func FuzzLoadConfig(f *testing.F) {
	for _, s := range configSeeds {
		f.Add([]byte(s))
	}
	path := filepath.Join(f.TempDir(), "config.toml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(path)
		if err != nil {
			checkConfigError(t, path, err)
			return
		}
		if _, err := themes.Lookup(cfg.Theme); err != nil {
			t.Fatalf("accepted theme %q: %v", cfg.Theme, err)
		}
		if cfg.IdleTimeout != 0 && (cfg.IdleTimeout < time.Minute || cfg.IdleTimeout > 720*time.Hour) {
			t.Fatalf("accepted idle timeout %s", cfg.IdleTimeout)
		}
		p := cfg.Policy
		if p.ApprovalThreshold < 0 {
			t.Fatalf("accepted threshold %s", p.ApprovalThreshold)
		}
		for _, d := range []int{p.ValidationDays, p.DisclosureReviewDays, p.ScheduledLiquidation, p.InfoRequestDays} {
			if d < 1 || d > 3650 {
				t.Fatalf("accepted policy %+v", p)
			}
		}
		if err := newKeyMap().remap(cfg.Keys); err != nil {
			t.Fatalf("accepted keys the workstation refuses: %v", err)
		}
		for _, ks := range cfg.Keys {
			for _, k := range ks {
				if err := checkKey(k); err != nil {
					t.Fatalf("accepted key %q: %v", k, err)
				}
			}
		}
	})
}

// checkConfigError fails when a config error does not name the file or is not fit for a terminal.
func checkConfigError(t *testing.T, path string, err error) {
	t.Helper()
	msg := err.Error()
	if !strings.Contains(msg, path) {
		t.Fatalf("error does not name the file: %q", msg)
	}
	if !utf8.ValidString(msg) {
		t.Fatalf("error is not valid UTF-8: %q", msg)
	}
	for _, r := range msg {
		if r < 0x20 || r >= 0x7f && r < 0xa0 || r == '\u2028' || r == '\u2029' {
			t.Fatalf("error carries control character %U: %q", r, msg)
		}
	}
	if n := len(msg) - len(path); n > 600 {
		t.Fatalf("error is %d bytes besides the path: %q", n, msg)
	}
}

func TestLoadConfigRefusesAHugeFile(t *testing.T) {
	valid := []byte("theme = \"dark\"\n")
	for _, tt := range []struct {
		size int
		ok   bool
	}{{1 << 20, true}, {1<<20 + 1, false}, {8 << 20, false}} {
		data := append(bytes.Repeat([]byte("#"), tt.size-len(valid)-1), '\n')
		data = append(data, valid...)
		p := writeConfig(t, string(data))
		cfg, err := LoadConfig(p)
		if tt.ok {
			if err != nil || cfg.Theme != "dark" {
				t.Fatalf("%d bytes: %v", tt.size, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "at most 1 MiB") || !strings.Contains(err.Error(), "bytes") {
			t.Fatalf("%d bytes: %v", tt.size, err)
		}
		checkConfigError(t, p, err)
	}
}

func TestLoadConfigOfADirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadConfig(dir)
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("got %v", err)
	}
}

// The TOML decoder's time and memory grow with the square of the nesting depth: a config nested deeper than any
// ceedesk config needs is refused before it is decoded, so a file of a few hundred kilobytes cannot take minutes
// and gigabytes to refuse. Brackets and dots inside strings and comments count for nothing.
func TestLoadConfigRefusesDeepNesting(t *testing.T) {
	tests := []struct {
		name, text string
		want       string
	}{
		{"inline tables", "x = " + strings.Repeat("{a=", 100_000) + "\n", "line 1: nested more than 16 deep"},
		{"arrays", "\n[keys]\nquit = " + strings.Repeat("[", 100_000) + "\n", "line 3: nested more than 16 deep"},
		{"dotted key", strings.Repeat("a.", 100_000) + "b = 1\n", "line 1: a key of more than 16 dotted parts"},
		{"table header", "[" + strings.Repeat("policy.", 20) + "x]\n", "line 1: a key of more than 16 dotted parts"},
		{"text in strings and comments", "theme = \"[[[[[[[[[[[[[[[[[[[[....................\" # {{{{{{{{{{{{{{{{{{{{{{{{\n" +
			"idle_timeout = '''\n[[[[[[[[[[[[[[[[[[[[[[\n.....................'''\n", `theme: "[[[[[[[[[[[[[[[[[[[[....................`},
		{"escaped quote in a string", `theme = "\"[[[[[[[[[[[[[[[[[[[[[["` + "\n", `theme: "\"[[[[`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeConfig(t, tt.text)
			_, err := LoadConfig(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			checkConfigError(t, p, err)
		})
	}
}
