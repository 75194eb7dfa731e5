package main

import (
	"path/filepath"
	"strings"
	"testing"

	"ceedesk/cases"
	"ceedesk/store"
)

// An approver the config names who can approve nothing is named when the server starts.
func TestApproverWarnings(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, u := range []cases.User{
		{Name: "dana", Role: cases.RoleAdmin, Center: "ELEC"},
		{Name: "olga", Role: cases.RoleAdmin, Center: "ELEC"},
		{Name: "sofia", Role: cases.RoleSupervisor, Center: "ELEC"},
	} {
		if err := st.AddUser(store.Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetDisabled(store.Operator, "olga", true); err != nil {
		t.Fatal(err)
	}
	names := []string{"dana", "olga", "sofia", "nobody"}
	got := strings.Join(approverWarnings(st, cases.Policy{Approvers: &names}), "\n")
	for _, want := range []string{"olga is disabled", "sofia is a supervisor, not an admin", "nobody is not a user"} {
		if !strings.Contains(got, want) {
			t.Errorf("no warning %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "dana") {
		t.Errorf("dana is an enabled admin:\n%s", got)
	}
}
