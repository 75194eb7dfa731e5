package ui

import (
	"strings"
	"testing"
)

// The detail pane shows each clock's last day to act and its kind of date. The exclusion protest filed
// 2026-02-05 is deemed denied on its 30th day, Saturday 2026-03-07, which never rolls to Monday: the Center
// acts by Friday 03-06 (19 U.S.C. 1499(c)(5); 19 CFR 174.21(b)).
func TestDetailShowsKindsOfDate(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	m := run(t, testOptions(t, newTestStore(t), "alice"), 160, 48, "j", "enter")
	view := m.View()
	for _, want := range []string{
		"2709-26-100045",
		"CLOCK                              ACT BY      KIND      STATUS",
		"File protest                       2026-08-03  deadline  met",
		"Decide exclusion protest (action)  2026-03-06  deemed    4 days left       deemed denied on 2026-03-07 · 19 U.S.C. 1499(c)(5); 19 CFR 174.21(b)",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("the detail pane lacks %q:\n%s", want, view)
		}
	}
}
