package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfig(t *testing.T) {
	p := writeConfig(t, `# my desk
theme = "dark"
idle_timeout = "45m"
backup_dir = "/var/lib/ceedesk/backups/"

[keys]
decide = ["D", "ctrl+e"]

[policy]
approval_threshold = "25,000.50"
validation_days = 60
`)
	cfg, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	want := cases.DefaultPolicy()
	want.ApprovalThreshold = 25_000_50
	want.ValidationDays = 60
	if cfg.Theme != "dark" || cfg.IdleTimeout != 45*time.Minute || cfg.BackupDir != "/var/lib/ceedesk/backups" || cfg.Policy != want || strings.Join(cfg.Keys["decide"], ",") != "D,ctrl+e" {
		t.Fatalf("got %+v", cfg)
	}
}

func TestLoadConfigMissingFileIsDefaults(t *testing.T) {
	cfg, err := LoadConfig(filepath.Join(t.TempDir(), "none.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Theme != "default" || cfg.Policy != cases.DefaultPolicy() || cfg.Keys != nil {
		t.Fatalf("got %+v", cfg)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // each must appear in the error
	}{
		{"syntax", "theme = \"dark\"\nvalidation_days = = 3\n", []string{"line 2"}},
		{"unknown top-level key", "theme = \"dark\"\ncolour = \"red\"\n", []string{"line 2", "colour", "unknown key"}},
		{"unknown policy key", "[policy]\nvalidation_days = 30\nmagic = 1\n", []string{"line 3", "policy.magic"}},
		{"unknown binding", "[keys]\ndecide = [\"d\"]\nteleport = [\"t\"]\n", []string{"line 3", "keys.teleport", "unknown binding"}},
		{"empty binding", "[keys]\n\nquit = []\n", []string{"line 3", "keys.quit", "at least one key"}},
		{"bad theme", "\n\ntheme = \"neon\"\n", []string{"line 3", "theme", "neon"}},
		{"bad duration", "idle_timeout = \"soon\"\n", []string{"line 1", "idle_timeout", "soon"}},
		{"relative backup directory", "backup_dir = \"backups\"\n", []string{"line 1", "backup_dir", "absolute"}},
		{"bad amount", "[policy]\napproval_threshold = \"10,000.001\"\n", []string{"line 2", "policy.approval_threshold"}},
		{"amount as float", "[policy]\napproval_threshold = 10000.5\n", []string{"line 2", "policy.approval_threshold", "string"}},
		{"days out of range", "[policy]\n\nvalidation_days = 0\n", []string{"line 3", "policy.validation_days"}},
		{"wrong type", "[policy]\nvalidation_days = \"ninety\"\n", []string{"line 2", "validation_days"}},
		{"approver not a user name", "[policy]\napprovers = [\"root\", \"Dana Smith\"]\n", []string{"line 2", "policy.approvers", "entry 2", "not a user name"}},
		{"approver twice", "[policy]\napprovers = [\"root\", \"root\"]\n", []string{"line 2", "policy.approvers", "twice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeConfig(t, tt.text)
			_, err := LoadConfig(p)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, p) {
				t.Errorf("error does not name the file: %s", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
		})
	}
}

func TestConfigKeysRemap(t *testing.T) {
	km := newKeyMap()
	if err := km.remap(map[string][]string{"decide": {"D"}}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(km.Decide.Keys(), ","); got != "D" || km.Decide.Help().Key != "D" {
		t.Fatalf("decide keys %s, help %q", got, km.Decide.Help().Key)
	}
	if err := km.remap(map[string][]string{"nope": {"x"}}); err == nil {
		t.Fatal("unknown binding accepted")
	}
}

func TestConfigAuditKey(t *testing.T) {
	p := writeConfig(t, "audit_key = \"/etc/ceedesk/audit.key\"\n")
	if cfg, err := LoadConfig(p); err != nil || cfg.AuditKey != "/etc/ceedesk/audit.key" {
		t.Fatalf("absolute audit_key: %q, %v", cfg.AuditKey, err)
	}
	p = writeConfig(t, "audit_key = \"keys/audit.key\"\n")
	if cfg, err := LoadConfig(p); err != nil || cfg.AuditKey != filepath.Join(filepath.Dir(p), "keys", "audit.key") {
		t.Fatalf("relative audit_key: %q, %v; want it beside the config file", cfg.AuditKey, err)
	}
	if cfg, err := LoadConfig(writeConfig(t, "theme = \"dark\"\n")); err != nil || cfg.AuditKey != "" {
		t.Fatalf("no audit_key: %q, %v", cfg.AuditKey, err)
	}
	for _, text := range []string{"audit_key = \"\"\n", "audit_key = \"a\\u0007b\"\n", "audit_key = 3\n"} {
		p := writeConfig(t, text)
		if _, err := LoadConfig(p); err == nil || !strings.Contains(err.Error(), "audit_key") || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: %v; want an error naming line 1 and audit_key", text, err)
		}
	}
}

// [interest] adds quarters to, or replaces quarters of, the built-in table of underpayment rates (19 U.S.C.
// 1505(c); 26 U.S.C. 6621), and reaches the Policy the disclosure cap is computed with.
func TestConfigInterest(t *testing.T) {
	p := writeConfig(t, "[interest]\n\"2026-04-01\" = 6\n\"2025-01-01\" = 9\n")
	cfg, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Policy.Interest == nil {
		t.Fatal("no interest table in the policy")
	}
	rates := cfg.Policy.InterestRates()
	if n := len(cases.DefaultInterestRates()) + 1; len(rates) != n {
		t.Errorf("%d quarters; want %d", len(rates), n)
	}
	got, err := cases.Interest(10_000_00, cases.NewDate(2026, 3, 1), cases.NewDate(2026, 5, 1), rates)
	if err != nil || got != 109_35 {
		t.Errorf("interest through 2026 Q2 at 6%%: %s, %v", got, err)
	}
	if got, _ := cases.Interest(10_000_00, cases.NewDate(2025, 1, 1), cases.NewDate(2025, 4, 1), rates); got == 0 {
		t.Errorf("2025 Q1 replaced: %s", got)
	}
	if cfg, _ := LoadConfig(writeConfig(t, "theme = \"dark\"\n")); cfg.Policy.Interest != nil || cfg.Policy != cases.DefaultPolicy() {
		t.Errorf("no [interest]: the built-in table")
	}
	for text, want := range map[string][]string{
		"[interest]\n\"2026-05-01\" = 6\n":     {"line 2", "interest.2026-05-01", "first day of a calendar quarter"},
		"[interest]\n\"soon\" = 6\n":           {"line 2", "interest.soon"},
		"[interest]\n\"2026-04-01\" = 6.5\n":   {"line 2", "whole percent"},
		"[interest]\n\"2026-04-01\" = -1\n":    {"line 2", "whole percent"},
		"[interest]\n\"2026-04-01\" = \"6\"\n": {"line 2", "whole percent"},
	} {
		_, err := LoadConfig(writeConfig(t, text))
		for _, w := range want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%q: %v; want it to say %q", text, err, w)
			}
		}
	}
}

// The admins the policy names as approvers reach the policy the store applies.
func TestConfigNamesApprovers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte("[policy]\napprovers = [\"root\", \"dana\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Policy.ApproverNames(); len(got) != 2 || got[0] != "root" || got[1] != "dana" || !cfg.Policy.NamesApprover("dana") {
		t.Fatalf("approvers %v", got)
	}
	if cfg, _ := LoadConfig(filepath.Join(t.TempDir(), "none.toml")); cfg.Policy.Approvers != nil {
		t.Fatalf("no config names approvers: %v", cfg.Policy.ApproverNames())
	}
}
