package store

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"syscall"
)

// bbolt trusts the pages of its file: a damaged page makes it panic (an impossible page type, a page that names
// another page id) or follow a page number outside the mapped file, which is a memory fault. Every transaction of
// this package runs through guard, which turns both into an error naming the file, so a damaged store is a message
// and never a crash of the server that every session shares.

// damagedError is a read or write that stopped on a damaged page.
type damagedError struct {
	path string
	what any
}

func (e *damagedError) Error() string {
	return fmt.Sprintf("store %s is damaged (%v); restore it from a backup (ceedesk restore FILE)", e.path, e.what)
}

// guard runs fn, turning a panic or memory fault inside it into a *damagedError. bbolt rolls back the transaction
// a panic leaves, so the store stays usable for whatever does not touch the damaged page.
func (s *Store) guard(fn func() error) error { return guard(s.path, fn) }

func guard(path string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &damagedError{path: path, what: r}
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return fn()
}

// view runs fn in one guarded read transaction.
func (s *Store) view(fn func(tx kvTx) error) error {
	return s.guard(func() error { return s.eng.view(fn) })
}

// boltUpdate runs fn in one guarded write transaction, without the read-only check and writer lock of update. A
// full disk is said as such: bbolt rolled the transaction back, so nothing of it was written.
func (s *Store) boltUpdate(fn func(tx kvTx) error) error {
	err := s.guard(func() error { return s.eng.update(fn) })
	if diskFull(err) {
		return fmt.Errorf("store %s: the disk is full (%v); nothing of this change was written: free space on the disk that holds the store, then try again", s.path, err)
	}
	return err
}

// diskFull reports whether err is a write refused for want of space (or of quota). bbolt passes some of these on
// as text only (a failed resize of the file), so the text is checked too.
func diskFull(err error) bool {
	return err != nil && (errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) ||
		strings.Contains(err.Error(), syscall.ENOSPC.Error()))
}

// damagedRecord adds the store file and what to do to an error that stopped on a damaged record (a case whose
// checksum fails, a row that does not decode); other errors pass unchanged.
func (s *Store) damagedRecord(err error) error {
	if errors.Is(err, errChecksum) || errors.Is(err, errCase) || errors.Is(err, errRow) {
		return fmt.Errorf("store %s is damaged: %w; restore it from a backup (ceedesk restore FILE)", s.path, err)
	}
	return err
}
