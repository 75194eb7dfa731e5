//go:build unix

package store

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

const noFollow = syscall.O_NOFOLLOW

// keyFileIsPrivate refuses a key file that someone other than this user (or root) owns, or that others may read
// or write: a key anyone else could read or replace protects nothing.
func keyFileIsPrivate(path string, fi fs.FileInfo) error {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		if uid := os.Geteuid(); int(st.Uid) != uid && st.Uid != 0 {
			return fmt.Errorf("%s belongs to user id %d, not to the user running ceedesk (%d)", path, st.Uid, uid)
		}
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%s can be read or written by others (mode %04o); chmod 600 %s", path, perm, path)
	}
	return nil
}
