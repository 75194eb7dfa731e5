package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// hostKey loads the server's ed25519 host key from path, creating it (mode 0600, parent directory 0700) when the
// file does not exist. An existing key is always reused, so clients that trusted the server on first connection
// keep trusting it. A key file that others may read is refused, as OpenSSH refuses one.
func hostKey(path string) (signer gossh.Signer, created bool, err error) {
	if path == "" {
		return nil, false, errors.New("host key: no path given")
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		data, err = createHostKey(path)
		if errors.Is(err, fs.ErrExist) { // another server created it first: use theirs
			data, err = os.ReadFile(path)
		} else if err == nil {
			created = true
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	if !created {
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			return nil, false, fmt.Errorf("host key %s: mode %v lets others read the server's private key; run chmod 600 %s",
				path, fi.Mode().Perm(), path)
		}
	}
	signer, err = gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, created, nil
}

// createHostKey writes a new OpenSSH-format ed25519 private key to path; it fails with fs.ErrExist rather than
// replace a key that appeared meanwhile.
func createHostKey(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "ceedesk host key")
	if err != nil {
		return nil, err
	}
	data := pem.EncodeToMemory(block)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hostkey-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	// Link, unlike rename, never replaces an existing file.
	if err := os.Link(tmp.Name(), path); err != nil {
		return nil, err
	}
	return data, nil
}
