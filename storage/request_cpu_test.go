//go:build unix

package storage

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time this process has used (user and system).
// On a shared machine wall-clock rates depend on the neighbours; CPU time
// per operation does not, so the benchmarks report both.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
