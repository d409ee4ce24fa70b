package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/internal/childproc"
)

// A question's cost is measured in a child process (this test binary run
// as TestCLIChild, which runs towndesk as main does and then reports its
// own peak memory), so that the memory is the command's alone.

const envCLIChild = "TOWNDESK_CLI_CHILD"

// TestCLIChild runs towndesk with the arguments in TOWNDESK_CLI_CHILD
// (separated by \x1f), signals cancelling its context as in main, and
// writes its peak RSS (VmHWM) on the last line of stderr.
func TestCLIChild(t *testing.T) {
	args := os.Getenv(envCLIChild)
	if args == "" {
		t.Skip("run by the question cost tests")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := NewMain().Run(ctx, strings.Split(args, "\x1f"))
	fmt.Fprintf(os.Stderr, "\nVmHWM-kB %d\n", childproc.PeakKB())
	os.Exit(code)
}

// cliRun is one towndesk run in a child process.
type cliRun struct {
	stdout, stderr string
	code           int
	wall           time.Duration
	peakKB         int
}

func runCLIChild(tb testing.TB, stdin string, args ...string) cliRun {
	tb.Helper()
	c := childproc.Run(tb, cliChild(args...), stdin)
	r := cliRun{stdout: c.Stdout, code: c.Code, wall: c.Wall}
	r.stderr, r.peakKB = splitPeak(c.Stderr)
	return r
}

// cliChild returns the command that runs towndesk with args in a child
// process, without the sample lists.
func cliChild(args ...string) *exec.Cmd {
	return childproc.Command("TestCLIChild", envCLIChild+"="+strings.Join(args, "\x1f"), "TOWNDESK_NO_SAMPLE=1")
}

// splitPeak takes the VmHWM line off a child's stderr.
func splitPeak(s string) (string, int) {
	i := strings.LastIndex(s, "\nVmHWM-kB ")
	if i < 0 {
		return s, 0
	}
	var kb int
	fmt.Sscanf(s[i+len("\nVmHWM-kB "):], "%d", &kb)
	return s[:i], kb
}

// longQuestion returns a question of n characters in the words people
// use, many matters and places in it: the worst case for the matcher.
func longQuestion(n int) string {
	words := []string{"滨湖镇", "有人", "乱搭乱建", "烧秸秆", "放鞭炮", "河道", "采砂", "乱倒垃圾", "土葬", "病死猪",
		"小广告", "占道", "摆摊", "宅基地", "噪音", "养鸡", "污水", "归谁管", "，", "、", "滕州市", "柴胡店镇"}
	return childproc.Text(words, 7, n)
}

// preparedData returns a data directory with the sample lists loaded and
// indexed.
func preparedData(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Now: time.Now}
	if code := m.Run(context.Background(), []string{"ask", "--data", dir, "滨湖镇谁管烧秸秆"}); code != 0 {
		tb.Fatalf("preparing the data directory: %s", errb.String())
	}
	return dir
}

// questionCases are the entrances measured: the question as an argument,
// a line of ask --batch, a line of the console. (100,000 characters do not
// fit in one argument: Linux caps one at 128 kB.)
var questionCases = []struct {
	name  string
	n     int
	batch bool
	chat  bool
}{
	{"ask-300", towndesk.MaxQuestion, false, false},
	{"ask-10k", 10000, false, false},
	{"ask-40k", 40000, false, false},
	{"batch-100k", 100000, true, false},
	{"chat-10k", 10000, false, true},
	{"chat-40k", 40000, false, true},
	{"chat-100k", 100000, false, true},
}

func runQuestionCase(tb testing.TB, dir string, name string, n int, batch, chat bool) cliRun {
	q := longQuestion(n)
	switch {
	case batch:
		return runCLIChild(tb, q+"\n", "ask", "--data", dir, "--batch")
	case chat:
		return runCLIChild(tb, q+"\n退出\n", "chat", "--data", dir, "--town", "滨湖镇", "--county", "滕州市")
	}
	return runCLIChild(tb, "", "ask", "--data", dir, q)
}

// TestLongQuestionsRefusedCheaply: every entrance of the command line
// refuses a long question with the limit and how to shorten it, and the
// process stays under 300 MB; a question at the limit is answered.
func TestLongQuestionsRefusedCheaply(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	dir := preparedData(t)
	for _, tc := range questionCases {
		t.Run(tc.name, func(t *testing.T) {
			r := runQuestionCase(t, dir, tc.name, tc.n, tc.batch, tc.chat)
			all := r.stdout + r.stderr
			if tc.n <= towndesk.MaxQuestion {
				if r.code != 0 || strings.Contains(all, "问题太长") {
					t.Errorf("a question at the limit: exit %d\n%s", r.code, all)
				}
			} else {
				want := fmt.Sprintf("有 %d 个字，最多 %d 个字", tc.n, towndesk.MaxQuestion)
				if !strings.Contains(all, want) || !strings.Contains(all, "只写地点") {
					t.Errorf("exit %d, output lacks %q and how to shorten:\n%.500s", r.code, want, all)
				}
			}
			if r.peakKB == 0 || r.peakKB > 300*1024 {
				t.Errorf("peak memory %d kB, want ≤ 300 MB", r.peakKB)
			}
			t.Logf("%s: %v, peak %.0f MB", tc.name, r.wall.Round(time.Millisecond), float64(r.peakKB)/1024)
		})
	}
}

// BenchmarkQuestionCost measures a whole towndesk process given a long
// question at each entrance: wall time (ns/op) and peak memory. Targets
// (issue 11): ≤ 1 s and ≤ 300 MB, whatever the length.
func BenchmarkQuestionCost(b *testing.B) {
	dir := preparedData(b)
	for _, tc := range questionCases {
		b.Run(tc.name, func(b *testing.B) {
			peak := 0
			for i := 0; i < b.N; i++ {
				r := runQuestionCase(b, dir, tc.name, tc.n, tc.batch, tc.chat)
				peak = max(peak, r.peakKB)
			}
			b.ReportMetric(float64(peak)/1024, "peak-MB")
		})
	}
}

// TestSignalStopsAsk: SIGTERM stops ask --batch while it answers a stream
// of questions at the length limit, and while it waits for the next: it
// says so and exits 1 at once, instead of answering on.
func TestSignalStopsAsk(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	dir := preparedData(t)
	for _, waiting := range []bool{false, true} {
		cmd := cliChild("ask", "--data", dir, "--batch")
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		q := longQuestion(towndesk.MaxQuestion) + "\n"
		stop := make(chan struct{})
		go func() {
			for i := 0; ; i++ {
				if waiting && i == 3 {
					<-stop // then nothing more: it waits for input
					return
				}
				select {
				case <-stop:
					return
				default:
				}
				if _, err := io.WriteString(stdin, q); err != nil {
					return
				}
			}
		}()
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for n := 0; n < 3 && sc.Scan(); n++ {
		}
		cmd.Process.Signal(syscall.SIGTERM)
		exited := make(chan error, 1)
		go func() {
			for sc.Scan() {
			}
			exited <- cmd.Wait()
		}()
		select {
		case err := <-exited:
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			if code != 1 || !strings.Contains(errb.String(), "已停止") {
				t.Errorf("waiting %v: after SIGTERM exit %d, stderr %q; want 1 and 已停止", waiting, code, errb.String())
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Errorf("waiting %v: ask --batch still running 10 s after SIGTERM", waiting)
		}
		close(stop)
		stdin.Close()
	}
}
