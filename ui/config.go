package ui

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"ceedesk/cases"
	"ceedesk/themes"
)

// Config is a parsed config.toml:
//
//	theme = "dark"
//	idle_timeout = "30m"
//	[keys]
//	decide = ["d"]
//	[policy]
//	approval_threshold = "10000.00"
//	validation_days = 90
type Config struct {
	Theme       string
	Keys        map[string][]string // binding name -> keys; see the help screen for names
	Policy      cases.Policy
	IdleTimeout time.Duration
}

// DefaultConfigPath is $XDG_CONFIG_HOME/ceedesk/config.toml ($HOME/.config when XDG_CONFIG_HOME is unset).
func DefaultConfigPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "ceedesk", "config.toml")
}

type rawConfig struct {
	Theme       string              `toml:"theme"`
	IdleTimeout string              `toml:"idle_timeout"`
	Keys        map[string][]string `toml:"keys"`
	Policy      struct {
		ApprovalThreshold    any  `toml:"approval_threshold"`
		ValidationDays       *int `toml:"validation_days"`
		DisclosureReviewDays *int `toml:"disclosure_review_days"`
		ScheduledLiquidation *int `toml:"scheduled_liquidation_days"`
		InfoRequestDays      *int `toml:"info_request_days"`
	} `toml:"policy"`
}

// LoadConfig reads a config file. A missing file gives the defaults. Every error names the file, the line and the
// key: a syntax error, a key ceedesk does not know, or a value it cannot use.
func LoadConfig(path string) (Config, error) {
	cfg := Config{Theme: "default", Policy: cases.DefaultPolicy()}
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	var raw rawConfig
	md, err := toml.Decode(string(src), &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			where := ""
			if pe.LastKey != "" {
				where = " " + pe.LastKey + ":"
			}
			return cfg, fmt.Errorf("%s line %d:%s %s", path, pe.Position.Line, where, pe.Message)
		}
		return cfg, fmt.Errorf("%s: %v", path, err)
	}
	bad := func(key, format string, a ...any) error {
		return fmt.Errorf("%s line %d: %s: %s", path, keyLine(src, key), key, fmt.Sprintf(format, a...))
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0].String()
		return cfg, bad(k, "unknown key; want theme, idle_timeout, [keys] or [policy] (approval_threshold, validation_days, disclosure_review_days, scheduled_liquidation_days, info_request_days)")
	}
	if md.IsDefined("theme") {
		if _, err := themes.Lookup(raw.Theme); err != nil {
			return cfg, bad("theme", "%v", err)
		}
		cfg.Theme = raw.Theme
	}
	if md.IsDefined("idle_timeout") {
		d, err := time.ParseDuration(raw.IdleTimeout)
		if err != nil || d <= 0 {
			return cfg, bad("idle_timeout", "%q is not a duration such as \"30m\" or \"1h\"", raw.IdleTimeout)
		}
		cfg.IdleTimeout = d
	}
	if len(raw.Keys) > 0 {
		km := newKeyMap()
		for name, ks := range raw.Keys {
			if km.byName(name) == nil {
				return cfg, bad("keys."+name, "unknown binding; want one of %s", strings.Join(keyNames(), ", "))
			}
			if len(ks) == 0 {
				return cfg, bad("keys."+name, "needs at least one key")
			}
			for _, k := range ks {
				if k == "" {
					return cfg, bad("keys."+name, "a key is empty")
				}
			}
		}
		cfg.Keys = raw.Keys
	}
	p := &raw.Policy
	switch v := p.ApprovalThreshold.(type) {
	case nil:
	case string:
		c, err := cases.ParseUSD(v)
		if err != nil || c < 0 {
			return cfg, bad("policy.approval_threshold", "%q is not a dollar amount such as \"10000.00\"", v)
		}
		cfg.Policy.ApprovalThreshold = c
	case int64:
		if v < 0 || v > 90_000_000_000_000 {
			return cfg, bad("policy.approval_threshold", "%d is not a dollar amount", v)
		}
		cfg.Policy.ApprovalThreshold = cases.Cents(v * 100)
	default:
		return cfg, bad("policy.approval_threshold", "write dollars as a string, such as \"10000.00\"")
	}
	days := []struct {
		key string
		v   *int
		dst *int
	}{
		{"policy.validation_days", p.ValidationDays, &cfg.Policy.ValidationDays},
		{"policy.disclosure_review_days", p.DisclosureReviewDays, &cfg.Policy.DisclosureReviewDays},
		{"policy.scheduled_liquidation_days", p.ScheduledLiquidation, &cfg.Policy.ScheduledLiquidation},
		{"policy.info_request_days", p.InfoRequestDays, &cfg.Policy.InfoRequestDays},
	}
	for _, d := range days {
		if d.v == nil {
			continue
		}
		if *d.v < 1 || *d.v > 3650 {
			return cfg, bad(d.key, "%d days is out of range; want 1 to 3650", *d.v)
		}
		*d.dst = *d.v
	}
	return cfg, nil
}

// keyLine finds the line on which a dotted key ("policy.validation_days") is written, or 0 when it cannot tell.
func keyLine(src []byte, dotted string) int {
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			table = strings.Trim(strings.TrimSpace(strings.Trim(line, "[]")), `"`)
			if table == dotted {
				return n
			}
			continue
		}
		k, _, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k = strings.Trim(strings.TrimSpace(k), `"'`)
		full := k
		if table != "" {
			full = table + "." + k
		}
		if full == dotted {
			return n
		}
	}
	return 0
}
