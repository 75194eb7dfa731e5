package ui

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"ceedesk/cases"
	"ceedesk/themes"
)

// Config is a parsed config.toml:
//
//	theme = "dark"
//	idle_timeout = "30m"
//	audit_key = "/etc/ceedesk/audit.key"
//	[keys]
//	decide = ["d"]
//	[policy]
//	approval_threshold = "10000.00"
//	validation_days = 90
//	[interest]
//	"2026-04-01" = 6
//	[[views]]
//	name = "Big protests"
//	filter = "kind:protest amount:>100000"
//	sort = "amount"
//	reverse = true
//
// Each [[views]] table is a saved view, a tab of the queue after the default ones (View); a view named as a default
// one takes its place. [interest] sets the quarterly underpayment rate (whole percent a year) of the quarter beginning on each date,
// adding to or replacing the built-in table of cases.DefaultInterestRates; it becomes Policy.Interest.
type Config struct {
	Theme       string
	Keys        map[string][]string // binding name -> keys; see the help screen for names
	Policy      cases.Policy
	IdleTimeout time.Duration
	BackupDir   string // where the server writes `backup NAME`; "" = "backups" beside the store
	AuditKey    string // file of the audit chain's key, absolute or relative to the config file; "" = ceedesk's default
	Views       []View // the [[views]] tables, in order
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
	BackupDir   string              `toml:"backup_dir"`
	AuditKey    string              `toml:"audit_key"`
	Keys        map[string][]string `toml:"keys"`
	Policy      struct {
		ApprovalThreshold    any      `toml:"approval_threshold"`
		ValidationDays       *int     `toml:"validation_days"`
		DisclosureReviewDays *int     `toml:"disclosure_review_days"`
		ScheduledLiquidation *int     `toml:"scheduled_liquidation_days"`
		InfoRequestDays      *int     `toml:"info_request_days"`
		Approvers            []string `toml:"approvers"`
	} `toml:"policy"`
	Interest map[string]any `toml:"interest"`
	Views    []rawView      `toml:"views"`
}

type rawView struct {
	Name    *string `toml:"name"`
	Filter  *string `toml:"filter"`
	Sort    *string `toml:"sort"`
	Reverse bool    `toml:"reverse"`
}

// maxConfigSize is the largest config file LoadConfig reads: a config is a few hundred bytes, and a bigger file
// is a mistake (the wrong path, a log, a device) that should not be read into memory.
const maxConfigSize = 1 << 20

// LoadConfig reads a config file. A missing file gives the defaults. Every error names the file, and where it
// can the line and the key: a file over 1 MiB (refused without reading the rest), a syntax error, a key ceedesk
// does not know, or a value it cannot use. An error quotes at most a few dozen characters of what the file says,
// with control characters escaped, so it is safe to print on a terminal.
func LoadConfig(path string) (Config, error) {
	cfg := Config{Theme: "default", Policy: cases.DefaultPolicy()}
	name := one(path)
	src, err := readConfig(path)
	if errors.Is(err, os.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is said once, below
		}
		return cfg, fmt.Errorf("config %s: %v", name, err)
	}
	if err := checkNesting(src); err != nil {
		return cfg, fmt.Errorf("%s %v", name, err)
	}
	var raw rawConfig
	md, err := toml.Decode(string(src), &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			where := ""
			if pe.LastKey != "" {
				where = " " + clip(pe.LastKey) + ":"
			}
			return cfg, fmt.Errorf("%s line %d:%s %s", name, pe.Position.Line, where, clip(pe.Message))
		}
		return cfg, fmt.Errorf("%s: %s", name, clip(err.Error()))
	}
	bad := func(key, format string, a ...any) error {
		at := ""
		if n := keyLine(src, key); n > 0 {
			at = fmt.Sprintf(" line %d", n)
		}
		return fmt.Errorf("%s%s: %s: %s", name, at, clip(key), fmt.Sprintf(format, a...))
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0].String()
		if strings.HasPrefix(k, "views.") {
			return cfg, badView(src, name, und[0], "unknown key; a view has name, filter, sort and reverse")
		}
		return cfg, bad(k, "unknown key; want theme, idle_timeout, backup_dir, audit_key, [keys], [policy] (approval_threshold, validation_days, disclosure_review_days, scheduled_liquidation_days, info_request_days, approvers), [interest] or [[views]]")
	}
	if md.IsDefined("theme") {
		if _, err := themes.Lookup(raw.Theme); err != nil {
			return cfg, bad("theme", "%s is not a theme; want one of %s", quoted(raw.Theme), strings.Join(themes.Names(), ", "))
		}
		cfg.Theme = raw.Theme
	}
	if md.IsDefined("idle_timeout") {
		d, err := time.ParseDuration(raw.IdleTimeout)
		if err != nil || d < minIdle || d > maxIdle {
			return cfg, bad("idle_timeout", "%s is not a duration from 1m to 720h, such as \"30m\" or \"1h\"", quoted(raw.IdleTimeout))
		}
		cfg.IdleTimeout = d
	}
	if md.IsDefined("backup_dir") {
		d := raw.BackupDir
		if !filepath.IsAbs(d) || len(d) > 4096 || strings.ContainsFunc(d, unicode.IsControl) {
			return cfg, bad("backup_dir", "%s is not an absolute directory path, such as \"/var/lib/ceedesk/backups\"", quoted(d))
		}
		cfg.BackupDir = filepath.Clean(d)
	}
	if md.IsDefined("audit_key") {
		k := raw.AuditKey
		if k == "" || !utf8.ValidString(k) || strings.ContainsFunc(k, unicode.IsControl) {
			return cfg, bad("audit_key", "%s is not a file name; want the path of the audit key file, such as \"/etc/ceedesk/audit.key\"", quoted(k))
		}
		if !filepath.IsAbs(k) {
			k = filepath.Join(filepath.Dir(path), k)
		}
		cfg.AuditKey = k
	}
	if len(raw.Keys) > 0 {
		km := newKeyMap()
		names := make([]string, 0, len(raw.Keys))
		for name := range raw.Keys {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			ks := raw.Keys[name]
			key := "keys." + name
			if km.byName(name) == nil {
				return cfg, bad(key, "unknown binding; want one of %s", strings.Join(keyNames(), ", "))
			}
			if len(ks) == 0 {
				return cfg, bad(key, "needs at least one key")
			}
			for _, k := range ks {
				if err := checkKey(k); err != nil {
					return cfg, bad(key, "%v", err)
				}
			}
		}
		// a key another binding already has where both work is refused here, so that the workstation does not
		// start with one of them dead
		var ke *keyError
		if err := km.remap(raw.Keys); errors.As(err, &ke) {
			return cfg, bad("keys."+ke.name, "%s", ke.msg)
		}
		cfg.Keys = raw.Keys
	}
	p := &raw.Policy
	switch v := p.ApprovalThreshold.(type) {
	case nil:
	case string:
		c, err := cases.ParseUSD(v)
		if err != nil || c < 0 || c > maxThreshold {
			return cfg, bad("policy.approval_threshold", "%s is not a dollar amount such as \"10000.00\"", quoted(v))
		}
		cfg.Policy.ApprovalThreshold = c
	case int64:
		if v < 0 || v > int64(maxThreshold/100) {
			return cfg, bad("policy.approval_threshold", "%d is not a dollar amount such as \"10000.00\"", v)
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
	if p.Approvers != nil {
		names, err := approverNames(p.Approvers)
		if err != nil {
			return cfg, bad("policy.approvers", "%v", err)
		}
		cfg.Policy.Approvers = &names
	}
	if len(raw.Interest) > 0 {
		rates, err := interestRates(raw.Interest, bad)
		if err != nil {
			return cfg, err
		}
		cfg.Policy.Interest = &rates
	}
	views, err := configViews(src, name, raw.Views)
	if err != nil {
		return cfg, err
	}
	cfg.Views = views
	return cfg, nil
}

// configViews checks the [[views]] tables: each has a name (unique, at most maxViewName characters, no control
// characters), a filter that parses (it may be empty: the whole queue) and a sort ceedesk knows (due when none);
// with the default views they make at most maxViews tabs. An error names the file, the line, the view and the
// field.
func configViews(src []byte, file string, raw []rawView) ([]View, error) {
	var out []View
	added := 0
	seen := map[string]bool{}
	for i, rv := range raw {
		bad := func(field, format string, a ...any) error {
			return badViewAt(src, file, i, field, rv.Name, fmt.Sprintf(format, a...))
		}
		if rv.Name == nil || strings.TrimSpace(*rv.Name) == "" {
			return nil, bad("name", "a view needs a name, such as name = \"Big protests\"")
		}
		n := *rv.Name
		switch {
		case !utf8.ValidString(n) || strings.ContainsFunc(n, unicode.IsControl):
			return nil, bad("name", "%s has a control character", quoted(n))
		case utf8.RuneCountInString(n) > maxViewName:
			return nil, bad("name", "%s is longer than %d characters, too long for its tab", quoted(n), maxViewName)
		case seen[strings.ToLower(n)]:
			return nil, bad("name", "another view is named %s", quoted(n))
		}
		seen[strings.ToLower(n)] = true
		v := View{Name: strings.TrimSpace(n), Reverse: rv.Reverse, Sort: cases.SortDue}
		if rv.Filter != nil {
			if _, err := cases.ParseFilter(*rv.Filter); err != nil {
				// the error quotes the term that is wrong, and a filter is held to cases.MaxFilter
				return nil, bad("filter", "%s", one(err.Error()))
			}
			v.Filter = *rv.Filter
		}
		if rv.Sort != nil {
			k, err := cases.ParseSortKey(*rv.Sort)
			if err != nil {
				return nil, bad("sort", "%s: want due, received, amount, importer, kind, case, status, assignee or entry", quoted(*rv.Sort))
			}
			v.Sort = k
		}
		if !isDefaultView(v.Name) {
			if added++; len(defaultViews)+added > maxViews {
				return nil, bad("name", "the queue has %d tabs at most (keys 1 to 9): %d default views and %d of the config's", maxViews, len(defaultViews), maxViews-len(defaultViews))
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// badViewAt is an error about a field of the i-th [[views]] table, with the line it is on (or the table's own
// line when the field is missing): "config.toml line 9: views[2] \"Big protests\".filter: …".
func badViewAt(src []byte, file string, i int, field string, name *string, msg string) error {
	at := ""
	if n := viewLine(src, i, field); n > 0 {
		at = fmt.Sprintf(" line %d", n)
	}
	which := fmt.Sprintf("views[%d]", i+1)
	if name != nil && *name != "" {
		which += " " + quoted(*name)
	}
	return fmt.Errorf("%s%s: %s.%s: %s", file, at, which, clip(field), msg)
}

// badView is an error about an unknown key of a [[views]] table; the decoder does not say which table, so the
// line is the first on which the key is written in one.
func badView(src []byte, file string, key toml.Key, msg string) error {
	field := key[len(key)-1]
	for i := 0; ; i++ {
		n, ok := viewTable(src, i)
		if !ok {
			break
		}
		if l := viewLine(src, i, field); l > 0 && l != n {
			return badViewAt(src, file, i, field, nil, msg)
		}
	}
	return fmt.Errorf("%s: %s: %s", file, clip(key.String()), msg)
}

// viewLine is the line of field in the i-th [[views]] table, that table's own line when the field is not written
// in it, or 0 when there is no such table.
func viewLine(src []byte, i int, field string) int {
	start, ok := viewTable(src, i)
	if !ok {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(nil, maxConfigSize+1)
	for n := 1; sc.Scan(); n++ {
		if n <= start {
			continue
		}
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			break
		}
		if k, _, ok := strings.Cut(line, "="); ok && strings.Trim(strings.TrimSpace(k), `"'`) == field {
			return n
		}
	}
	return start
}

// viewTable is the line of the i-th [[views]] header.
func viewTable(src []byte, i int) (int, bool) {
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(nil, maxConfigSize+1)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "[[") {
			continue
		}
		if strings.TrimSpace(strings.Trim(strings.TrimSpace(strings.SplitN(line, "#", 2)[0]), "[]")) == "views" {
			if i == 0 {
				return n, true
			}
			i--
		}
	}
	return 0, false
}

// approverNames checks the admins the policy names as approvers: user names, each once. Whether each is an
// enabled admin is the store's to judge when a decision is approved; a name that is not gives no one approval.
func approverNames(names []string) ([]string, error) {
	seen := map[string]bool{}
	out := make([]string, 0, len(names))
	for i, n := range names {
		if !cases.ValidUserName(n) {
			return nil, fmt.Errorf("entry %d, %s, is not a user name (a lower-case letter then up to 31 of a-z 0-9 . _ -)", i+1, quoted(n))
		}
		if seen[n] {
			return nil, fmt.Errorf("%s is named twice", quoted(n))
		}
		seen[n] = true
		out = append(out, n)
	}
	return out, nil
}

// interestRates reads the [interest] table: each key the first day of a calendar quarter ("2026-04-01"), each
// value that quarter's annual underpayment rate in whole percent (26 U.S.C. 6621 rounds to a full percent). The
// result is the built-in table with these quarters added or replaced.
func interestRates(table map[string]any, bad func(key, format string, a ...any) error) (cases.InterestRates, error) {
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var over cases.InterestRates
	for _, k := range keys {
		key := "interest." + k
		from, err := cases.ParseDate(k)
		y, m, day := from.YMD()
		if err != nil || day != 1 || (m-1)%3 != 0 || y < 1990 || y > 2199 {
			return nil, bad(key, "%s is not the first day of a calendar quarter; write the quarter as \"2026-04-01\" = 6", quoted(k))
		}
		pct, ok := table[k].(int64)
		if !ok || pct < 0 || pct > 100 {
			return nil, bad(key, "the rate is a whole percent a year from 0 to 100, such as 6")
		}
		over = append(over, cases.InterestRate{From: from, Percent: int(pct)})
	}
	return cases.DefaultInterestRates().Merge(over), nil
}

const (
	minIdle, maxIdle = time.Minute, 720 * time.Hour
	// maxThreshold is the largest approval threshold: $90 trillion, far above any revenue at stake, and far from
	// overflowing cents.
	maxThreshold = cases.Cents(90_000_000_000_000_00)
)

// readConfig reads at most maxConfigSize bytes; a longer file is an error, even one (a device, a pipe) whose size
// the file system does not know.
func readConfig(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, errors.New("is a directory, not a file")
	}
	src, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, err
	}
	if len(src) > maxConfigSize {
		size := "more than 1 MiB"
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fmt.Sprintf("%d bytes", fi.Size())
		}
		return nil, fmt.Errorf("the file is %s; a config file is at most 1 MiB (%d bytes)", size, maxConfigSize)
	}
	return src, nil
}

// maxNesting bounds how deep a config nests arrays, tables and dotted keys. ceedesk's own keys go two deep; the
// TOML decoder takes time and memory that grow with the square of the depth, so a deeply nested file of a few
// hundred kilobytes would take minutes and gigabytes to refuse.
const maxNesting = 16

// checkNesting refuses, before decoding, a file that nests brackets or braces, or dots the parts of a key, more
// than maxNesting deep. It reads strings and comments as TOML does, so text in them counts for nothing.
func checkNesting(src []byte) error {
	const (
		normal = iota
		comment
		basic     // "..."
		literal   // '...'
		mlBasic   // """..."""
		mlLiteral // '''...'''
	)
	state, line, depth, dots := normal, 1, 0, 0
	triple := func(i int, q byte) bool { return i+2 < len(src) && src[i+1] == q && src[i+2] == q }
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\n' {
			line++
			dots = 0
			if state != mlBasic && state != mlLiteral {
				state = normal
			}
			continue
		}
		switch state {
		case normal:
			switch c {
			case '#':
				state = comment
			case '"':
				if triple(i, '"') {
					state, i = mlBasic, i+2
				} else {
					state = basic
				}
			case '\'':
				if triple(i, '\'') {
					state, i = mlLiteral, i+2
				} else {
					state = literal
				}
			case '[', '{':
				if depth++; depth > maxNesting {
					return fmt.Errorf("line %d: nested more than %d deep; a ceedesk config nests two deep at most", line, maxNesting)
				}
			case ']', '}':
				depth = max(depth-1, 0)
			case '.':
				if dots++; dots > maxNesting {
					return fmt.Errorf("line %d: a key of more than %d dotted parts; ceedesk's keys have two at most", line, maxNesting)
				}
			}
		case basic:
			switch c {
			case '\\':
				if i+1 < len(src) && src[i+1] != '\n' {
					i++
				}
			case '"':
				state = normal
			}
		case literal:
			if c == '\'' {
				state = normal
			}
		case mlBasic:
			switch {
			case c == '\\' && i+1 < len(src) && src[i+1] != '\n':
				i++
			case c == '"' && triple(i, '"'):
				state, i = normal, i+2
			}
		case mlLiteral:
			if c == '\'' && triple(i, '\'') {
				state, i = normal, i+2
			}
		}
	}
	return nil
}

// checkKey says what is wrong with a key name of the [keys] table: keys are short names such as "d", "ctrl+s",
// "shift+tab" or " " (space), with no control characters.
func checkKey(k string) error {
	switch {
	case k == "":
		return errors.New("a key is empty")
	case utf8.RuneCountInString(k) > 32:
		return fmt.Errorf("key %s is too long for a key name", quoted(k))
	case !utf8.ValidString(k):
		return fmt.Errorf("key %s is not valid UTF-8", quoted(k))
	case k != " " && strings.TrimSpace(k) != k:
		return fmt.Errorf("key %s has spaces around it", quoted(k))
	}
	for _, r := range k {
		if unicode.IsControl(r) || r != ' ' && unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' {
			return fmt.Errorf("key %s has a control character; write keys such as \"d\", \"ctrl+s\" or \" \"", quoted(k))
		}
	}
	return nil
}

// quoted quotes a value read from a config for an error: control characters escaped, at most 48 characters of it.
func quoted(s string) string {
	const most = 48
	if utf8.RuneCountInString(s) <= most {
		return strconv.Quote(s)
	}
	return strconv.Quote(string([]rune(s)[:most])) + "…"
}

// clip makes text that came from a config (a key, a parser message quoting it) safe and short for an error.
func clip(s string) string {
	const most = 120
	s = one(s)
	if utf8.RuneCountInString(s) > most {
		s = string([]rune(s)[:most]) + "…"
	}
	return s
}

// keyLine finds the line on which a dotted key ("policy.validation_days") is written, or 0 when it cannot tell.
func keyLine(src []byte, dotted string) int {
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(nil, maxConfigSize+1)
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
