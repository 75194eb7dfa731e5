//go:build unix

package main

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// holdsStore reports whether process pid holds the store file at path. Where the kernel lists its locks
// (/proc/locks on Linux) that is whether pid holds a lock on the file (bbolt takes flock on the whole file);
// elsewhere, whether pid is still running.
func holdsStore(pid int, path string) bool {
	if holds, known := lockedBy(pid, path); known {
		return holds
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM) // EPERM: running, as another user
}

// lockedBy reads /proc/locks, whose lines read
//
//	1: FLOCK  ADVISORY  WRITE 4711 fd:01:1234567 0 EOF
//	1: -> FLOCK  ADVISORY  WRITE 4712 fd:01:1234567 0 EOF   (a process waiting for that lock)
//
// known is false where there is no such list.
func lockedBy(pid int, path string) (holds, known bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return false, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return false, false
	}
	locks, err := os.ReadFile("/proc/locks")
	if err != nil {
		return false, false
	}
	for _, line := range strings.Split(string(locks), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 || f[1] == "->" {
			continue
		}
		dev := strings.Split(f[5], ":")
		if f[4] == strconv.Itoa(pid) && len(dev) == 3 && dev[2] == strconv.FormatUint(uint64(st.Ino), 10) {
			return true, true
		}
	}
	return false, true
}
