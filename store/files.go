package store

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// Files ceedesk writes (backups, exports, audit exports) are written whole or not at all, mode 0600, and never
// through a symbolic link: someone who can plant a link where a file will be written cannot make ceedesk write
// somewhere else.

// openFlags create a file that did not exist, and refuse to follow a symbolic link in its place.
const openFlags = os.O_WRONLY | os.O_CREATE | os.O_EXCL | syscall.O_NOFOLLOW

// WriteFile writes path whole or not at all: write fills a new temporary file beside path (created exclusively,
// never through a link), which is synced and renamed over path. A symbolic link at path is refused, not followed
// or replaced.
func WriteFile(path string, write func(w io.Writer) error) error {
	return writeFile(path, true, write)
}

// WriteNewFile is WriteFile for a path that must not exist yet: an existing file, directory or link there is
// refused and left as it is.
func WriteNewFile(path string, write func(w io.Writer) error) error {
	return writeFile(path, false, write)
}

func writeFile(path string, replace bool, write func(w io.Writer) error) error {
	if info, err := os.Lstat(path); err == nil {
		switch {
		case info.Mode()&os.ModeSymlink != 0:
			return fmt.Errorf("%s is a symbolic link; ceedesk does not write through links: name the file itself", path)
		case !replace:
			return fmt.Errorf("%s already exists; ceedesk never writes over an existing file: choose a new name", path)
		case !info.Mode().IsRegular():
			return fmt.Errorf("%s is not a regular file", path)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	var suffix [6]byte
	rand.Read(suffix[:])
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-"+hex.EncodeToString(suffix[:]))
	f, err := os.OpenFile(tmp, openFlags, 0o600)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if replace {
			err = os.Rename(tmp, path)
		} else {
			// a link fails if path has appeared meanwhile, where a rename would replace it
			if err = os.Link(tmp, path); err == nil {
				os.Remove(tmp)
			} else if errors.Is(err, os.ErrExist) {
				err = fmt.Errorf("%s already exists; ceedesk never writes over an existing file: choose a new name", path)
			}
		}
	}
	if err != nil {
		os.Remove(tmp)
		if diskFull(err) {
			return fmt.Errorf("the disk is full (%v); %s was not written and nothing was left behind: free space, then try again", err, path)
		}
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
