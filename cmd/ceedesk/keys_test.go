package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A config whose [keys] give one key to two bindings that work in the same place is refused at start, like any
// other config error: the workstation, the demo and the server do not start, and the message names both
// bindings. Before, the workstation started and one of the two keys did nothing.
func TestKeyConflictRefusesToStart(t *testing.T) {
	db := seeded(t, "20")
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("[keys]\ndecide = [\"j\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	want := `keys.decide: "j" is already down's key in the queue; choose another key or rebind down too`
	for _, args := range [][]string{
		{"--as", "alice"},
		{"demo", "--cases", "5"},
		{"serve", "--listen", "127.0.0.1:0"},
	} {
		t.Run(args[0], func(t *testing.T) {
			var out, errb bytes.Buffer
			full := append([]string{"--db", db, "--today", today, "--config", cfg}, args...)
			code := run(context.Background(), full, strings.NewReader(""), &out, &errb)
			if code != 1 || !strings.Contains(errb.String(), cfg+" line 2: "+want) {
				t.Fatalf("exit %d, stderr %q; want 1 and %q", code, errb.String(), want)
			}
			if out.Len() > 0 {
				t.Fatalf("wrote to the terminal before refusing: %q", out.String())
			}
		})
	}
}
