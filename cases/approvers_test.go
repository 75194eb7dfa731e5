package cases

import (
	"errors"
	"strings"
	"testing"
)

// pendingBy is a PSC above the threshold whose rejection by decider waits for approval.
func pendingBy(decider string) *Case {
	c := workCase(20_000_00)
	c.Status = StatusPendingApproval
	c.Decision = &Decision{Outcome: OutcomeRejected, Reasons: "r", By: decider, On: today, Approval: true}
	return c
}

func approvers(names ...string) Policy {
	p := DefaultPolicy()
	p.Approvers = &names
	return p
}

func TestCanApproveWithApprovers(t *testing.T) {
	ann := User{Name: "ann", Role: RoleAdmin}
	offAdmin := User{Name: "zed", Role: RoleAdmin, Disabled: true}
	tests := []struct {
		name    string
		actor   User
		decider string
		policy  Policy
		want    error  // nil, ErrForbidden or ErrInvalid
		says    string // part of the refusal
	}{
		{"another supervisor of the Center", samir, "sofia", policy, nil, ""},
		{"the decider, a supervisor", sofia, "sofia", policy, ErrForbidden, "never the decider"},
		{"a reviewer", bob, "alice", policy, ErrForbidden, "only a supervisor of the ELEC Center"},
		{"a supervisor of another Center", priya, "sofia", policy, ErrForbidden, "only a supervisor of the ELEC Center"},
		{"an admin not named", root, "sofia", policy, ErrForbidden, "not named there"},
		{"an admin named as approver", root, "sofia", approvers("root"), nil, ""},
		{"another admin named, not this one", ann, "sofia", approvers("root"), ErrForbidden, "not named there"},
		{"a named admin who is disabled", offAdmin, "sofia", approvers("zed"), ErrForbidden, "disabled"},
		{"a named reviewer is still a reviewer", bob, "alice", approvers("bob"), ErrForbidden, "only a supervisor"},
		{"a named supervisor of another Center is still refused", priya, "sofia", approvers("priya"), ErrForbidden, "only a supervisor of the ELEC Center"},
		{"an empty name names nobody", User{Role: RoleAdmin}, "sofia", approvers(""), ErrForbidden, "not named there"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CanApprove(tt.actor, pendingBy(tt.decider), tt.policy)
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != nil && (!errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.says)):
				t.Fatalf("got %v, want %v saying %q", err, tt.want, tt.says)
			}
		})
	}
}

func TestNamedAdminApprovesAndReturns(t *testing.T) {
	p := approvers("root")
	c := pendingBy("sofia")
	if err := Return(c, root, "cite the ruling", p, now); err != nil {
		t.Fatalf("a named admin returning: %v", err)
	}
	c = pendingBy("sofia")
	if err := Approve(c, root, "ok", "", p, today, now); err != nil || c.Decision.Approver != "root" || c.Status != StatusDecided {
		t.Fatalf("a named admin approving: %v %+v", err, c.Decision)
	}
	c = pendingBy("sofia")
	if err := Approve(c, root, "ok", "", DefaultPolicy(), today, now); !errors.Is(err, ErrForbidden) {
		t.Fatalf("an admin not named approving: %v", err)
	}
}

func TestWhoMayApprove(t *testing.T) {
	ann := User{Name: "ann", Role: RoleAdmin}
	offSup := User{Name: "olga", Role: RoleSupervisor, Center: "ELEC", Disabled: true}
	fr := func() *Case {
		c := pendingBy("alice")
		c.Kind = KindProtest
		c.Protest = &Protest{FurtherReview: true, OriginalDeciders: []string{"samir"}}
		return c
	}
	tests := []struct {
		name    string
		c       *Case
		decider string
		users   []User
		policy  Policy
		want    string // names, comma-separated
		warning string // part of the warning; "" for none
	}{
		{"two supervisors, a reviewer decided", pendingBy("alice"), "alice", []User{alice, sofia, samir, root}, policy, "samir,sofia", ""},
		{"two supervisors, one decided", pendingBy("sofia"), "sofia", []User{alice, sofia, samir}, policy, "samir", ""},
		{"the only supervisor decided", pendingBy("sofia"), "sofia", []User{alice, sofia, priya, root}, policy, "",
			"no other supervisor in ELEC can approve this, and no admin is named in approvers"},
		{"the only supervisor decided, an admin is named", pendingBy("sofia"), "sofia", []User{alice, sofia, root, ann}, approvers("root", "ann"), "ann,root",
			"no other supervisor in ELEC can approve this; an admin named in approvers can: ann, root"},
		{"a Center without supervisors", pendingBy("alice"), "alice", []User{alice, bob}, policy, "", "no supervisor in ELEC can approve this"},
		{"a disabled supervisor cannot", pendingBy("sofia"), "sofia", []User{sofia, offSup}, approvers("root"), "", "none of the approvers named in the config (root) is an enabled admin"},
		{"a named admin who is not a user", pendingBy("sofia"), "sofia", []User{sofia}, approvers("root"), "", "none of the approvers named in the config (root)"},
		{"an original decider of a further review cannot", fr(), "alice", []User{alice, sofia, samir}, policy, "sofia", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := WhoMayApprove(tt.c, tt.decider, tt.users, tt.policy)
			if got := strings.Join(a.Names(), ","); got != tt.want {
				t.Errorf("may approve: %q, want %q", got, tt.want)
			}
			w := a.Warning()
			switch {
			case tt.warning == "" && w != "":
				t.Errorf("warning %q, want none", w)
			case !strings.Contains(w, tt.warning):
				t.Errorf("warning %q, want it to say %q", w, tt.warning)
			}
			// every name it gives passes CanApprove, and nobody else in the list does
			for _, u := range tt.users {
				c := tt.c.Clone()
				c.Decision.By = tt.decider
				ok := CanApprove(u, c, tt.policy) == nil
				if listed := strings.Contains(","+tt.want+",", ","+u.Name+","); ok != listed {
					t.Errorf("%s: CanApprove says %v, WhoMayApprove %v", u.Name, ok, listed)
				}
			}
		})
	}
}
