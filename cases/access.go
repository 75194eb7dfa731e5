package cases

// Who may see what. These are rules like who may change what (rules.go), and the store applies them to every read
// it offers, in the transaction that reads, so the workstation, the local command line and every command over SSH
// see the same record:
//
//   - a reviewer: their own queue and the cases of their own Center (read-only unless assigned); nothing of
//     another Center; no bulk export or audit export; in user and key lists only themselves;
//   - a supervisor: everything of their own Center (queues, approvals, workload, export and audit export of its
//     cases, its users and their keys);
//   - an admin: everything.
//
// Each refusal wraps ErrForbidden and says what the user may do instead.

// CanViewQueue reports whether u may see the queue of the user of.
func CanViewQueue(u, of User) error {
	if u.Disabled {
		return forbidden("%s is disabled", u.Name)
	}
	switch {
	case u.Role == RoleAdmin, u.Name == of.Name:
		return nil
	case u.Role == RoleSupervisor && u.Center == of.Center:
		return nil
	case u.Role == RoleSupervisor:
		return forbidden("%s is in the %s Center and you supervise %s; your Center's queues: ceedesk queue USER or ceedesk queue --center %s", of.Name, orNobody(of.Center), u.Center, u.Center)
	}
	return forbidden("a reviewer sees only their own queue, not %s's; yours: ceedesk queue", of.Name)
}

// CanViewCenter reports whether u may see the queue of a whole Center: its supervisors and reviewers (who may see
// every case of their own Center), and admins.
func CanViewCenter(u User, center string) error {
	if u.Disabled {
		return forbidden("%s is disabled", u.Name)
	}
	if u.Role == RoleAdmin || (u.Center == center && (u.Role == RoleSupervisor || u.Role == RoleReviewer)) {
		return nil
	}
	return forbidden("%s is in the %s Center, not %s; your Center's queue: ceedesk queue --center %s", u.Name, orNobody(u.Center), center, orNobody(u.Center))
}

// CanOversee reports whether u may see a Center's supervisor views (decisions waiting for approval, each
// reviewer's load): a supervisor of that Center, or an admin.
func CanOversee(u User, center string) error {
	if u.Disabled {
		return forbidden("%s is disabled", u.Name)
	}
	switch {
	case u.Role == RoleAdmin, u.Role == RoleSupervisor && u.Center == center:
		return nil
	case u.Role == RoleSupervisor:
		return forbidden("%s supervises the %s Center, not %s; yours: --center %s", u.Name, u.Center, center, u.Center)
	}
	return forbidden("approvals, workload and the Center's report are a supervisor's views; your own queue: ceedesk queue")
}

// ViewScope says the cases of which Centers u may see, for reads that gather cases across a store (an importer's
// view, related cases): an admin every Center's (center ""), anyone else their own Center's, as CanView does.
func ViewScope(u User) (center string, err error) {
	if u.Disabled {
		return "", forbidden("%s is disabled", u.Name)
	}
	if u.Role == RoleAdmin {
		return "", nil
	}
	if u.Center == "" {
		return "", forbidden("%s belongs to no Center and sees no cases", u.Name)
	}
	return u.Center, nil
}

// BulkScope says how much of the record u may take away in bulk (export, audit export): an admin everything
// (center ""), a supervisor their own Center; a reviewer nothing.
func BulkScope(u User, what string) (center string, err error) {
	if u.Disabled {
		return "", forbidden("%s is disabled", u.Name)
	}
	switch u.Role {
	case RoleAdmin:
		return "", nil
	case RoleSupervisor:
		return u.Center, nil
	}
	return "", forbidden("a reviewer cannot %s; one case of your Center at a time: ceedesk case ID (--json)", what)
}

// DirectoryScope says which users (and their keys) u may list: an admin everyone, a supervisor the users of their
// Center, a reviewer only themselves (self set).
func DirectoryScope(u User) (center, self string, err error) {
	if u.Disabled {
		return "", "", forbidden("%s is disabled", u.Name)
	}
	switch u.Role {
	case RoleAdmin:
		return "", "", nil
	case RoleSupervisor:
		return u.Center, "", nil
	}
	return u.Center, u.Name, nil
}

// CanListUser reports whether a directory scope (DirectoryScope) includes the user of.
func CanListUser(center, self string, of User) bool {
	return (center == "" || of.Center == center) && (self == "" || of.Name == self)
}
