//go:build unix

package store

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used so far. Unlike wall time, other processes on a busy machine do not
// inflate it, so benchmarks report it beside ns/op.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
