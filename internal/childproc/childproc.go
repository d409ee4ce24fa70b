// Package childproc runs a test binary again as a child process, for tests
// that measure a whole process: its wall time and its peak memory. It is
// imported by tests only.
package childproc

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Command returns a command that runs the current test binary's test
// named test alone, with env added to its environment.
func Command(test string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// Result is a finished child process.
type Result struct {
	Stdout, Stderr string
	Code           int // the exit code
	Wall           time.Duration
}

// Run runs cmd to its end with stdin as its input. A child that cannot be
// run fails tb; one that exits non-zero does not (see Result.Code).
func Run(tb testing.TB, cmd *exec.Cmd, stdin string) Result {
	tb.Helper()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := Result{Stdout: out.String(), Stderr: errb.String(), Wall: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.Code = ee.ExitCode()
	} else if err != nil {
		tb.Fatal(err)
	}
	return r
}

// PeakKB returns this process's peak resident memory in kB (VmHWM; 0 if
// unknown).
func PeakKB() int {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return kb
		}
	}
	return 0
}

// Text returns n characters of words, every step-th word in turn: a long
// question in the words people use.
func Text(words []string, step, n int) string {
	var b strings.Builder
	for i := 0; b.Len() < 4*n; i++ {
		b.WriteString(words[(i*step)%len(words)])
	}
	return string([]rune(b.String())[:n])
}
