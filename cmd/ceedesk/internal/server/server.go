// Package server is `ceedesk serve`: the workstation and the ceedesk commands for a whole Center over SSH, every
// user as themselves, all on one store.
//
// A client authenticates with a public key and nothing else; the key the client proved maps to a user through
// the store (store.UserByKey), and the client must log in under that user's name. A session without a command
// gets the workstation (its own Bubble Tea program, styled for the client's terminal, refreshed by the store's
// change feed); a session with a command (ssh -p 2222 carol@desk assign CASE bob --reason leave) runs it through
// Config.Command as that user and returns its exit status. Every session reaches the store through the key it
// proved (store.Store.WithKey), and a session whose key is revoked, or whose user is disabled or given another
// role or Center, ends at once (access.go).
//
// One client cannot take the server from the others: a connection has 10s to log in and at most 64 log in at
// once (conns.go); a connection holds at most 8 sessions and a user 16; terminal sizes are clamped and window
// changes coalesced (requests.go); a session whose client stops reading is ended (output.go); and what a
// client chooses reaches the log cut short (logtext.go).
package server

import (
	"context"
	"io"
	"time"

	"ceedesk/cases"
	"ceedesk/store"
	"ceedesk/ui"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/log"
)

// Config configures a Server.
type Config struct {
	Listen      string            // address to listen on; "" = 127.0.0.1:2222 (binding elsewhere is the operator's choice)
	HostKeyPath string            // the server's ed25519 host key; created (0600) on first start and reused after
	Store       *store.Store      // the Center's store; the caller closes it after Shutdown returns
	Today       func() cases.Date // the date rules use; nil = today in the server's zone
	UI          ui.Config         // theme, keys and policy from config.toml
	IdleTimeout time.Duration     // a workstation without a keystroke for this long is signed out; 0 = UI.IdleTimeout, then 30m
	// HandshakeTimeout is how long a connection has to log in (versions, keys, proving a key) before it is
	// closed; 0 = 10s. A client that asks for a key's passphrase while logging in needs it within that time.
	HandshakeTimeout time.Duration
	// OutputTimeout ends a session whose client has taken none of its output for this long (a client that stopped
	// reading holds the session's writes, and the workstation with them); 0 = 1m.
	OutputTimeout time.Duration
	Logger        *log.Logger // structured server log; nil = stderr

	// Command runs a command (the arguments of `ssh host assign CASE bob --reason leave`) as user, with the
	// output and exit status of the local ceedesk subcommand. fingerprint is the SSH key the session proved:
	// Command must reach the store through Store.WithKey(fingerprint), so that once that key is revoked or its
	// user disabled no write of the session commits, whatever it is doing at that moment.
	Command func(ctx context.Context, user cases.User, fingerprint string, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// New prepares a server for cfg, loading or creating its host key. It does not listen yet.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errorf("no store configured (Config.Store)")
	}
	idle := cfg.IdleTimeout
	if idle <= 0 {
		idle = cfg.UI.IdleTimeout
	}
	st := cfg.Store
	exec := cfg.Command
	return newServer(settings{listen: cfg.Listen, hostKeyPath: cfg.HostKeyPath, idle: idle, logger: cfg.Logger,
		handshake: cfg.HandshakeTimeout, output: cfg.OutputTimeout}, desk{
		userByKey: st.UserByKey,
		user:      st.User,
		changes:   st.Subscribe,
		model: func(w seat) tea.Model {
			// The workstation sees the store through the key its session proved: a write it makes after that key
			// is revoked, or its user disabled, is refused in the write's own transaction.
			d := &loggedDesk{Desk: st.WithKey(w.fingerprint), log: w.log, user: w.user.Name, remote: w.remote}
			// A seat's theme is "monochrome" only when its client asked for no colour; :theme must not undo that.
			return ui.New(ui.Options{Desk: d, User: w.user, Today: cfg.Today, Renderer: w.renderer, Theme: w.theme, NoColor: w.theme == "monochrome", Config: cfg.UI})
		},
		watch: func(send func(tea.Msg)) func() { return ui.Watch(st, send) },
		exec:  exec,
	})
}
