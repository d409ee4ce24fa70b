// Command towndesk answers "who enforces X in town Y" from imported power
// lists, runs the proxy-service desk, and serves both in Slack.
//
// main only wires: it parses flags, opens the data directory, hands the
// pieces to constructors and runs them. Run "towndesk help" for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// Main is the program, with its outside world made explicit so that tests
// can boot it on a temporary data directory.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Now    func() time.Time
}

// NewMain returns a Main wired to the process's stdio and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now}
}

// command is one subcommand of towndesk.
type command struct {
	name  string
	usage string
	help  string
	run   func(m *Main, ctx context.Context, args []string) error
}

// commands returns the subcommand table; "help" is generated from it.
func commands() []command {
	return []command{
		{"ask", "ask [--town T] [--county C] [--json] [--limit N] [QUESTION | --batch]", "回答“某镇某事归谁管”", (*Main).runAsk},
		{"import", "import --county C [--town T] [--province P] [--edition E] [--mode M] [--lenient] FILE...", "导入权力清单（xlsx/csv/jsonl）", (*Main).runImport},
		{"lists", "lists [--json]", "列出已导入的清单", (*Main).runLists},
		{"diff", "diff --county C [--town T]", "比较清单最近两个版本", (*Main).runDiff},
		{"law", "law LAW ARTICLE", "显示法律条文，如 law 城乡规划法 第六十五条", (*Main).runLaw},
		{"eval", "eval [-v] FILE.jsonl", "用评测集衡量回答质量", (*Main).runEval},
		{"serve", "serve [--config FILE] [--addr :3000]", "运行 Slack 机器人（SLACK_APP_TOKEN 时用 Socket Mode，否则 HTTP）", (*Main).runServe},
		{"chat", "chat [--town T] [--county C] [--config FILE]", "本地对话控制台：不用 Slack 试用 towndesk", (*Main).runChat},
		{"request", "request new|list|show|move|assign|note|pay|followup|extend|export ...", "代办台账：登记、流转、收付、回访、导出", (*Main).runRequest},
		{"summary", "summary [--channel C | --scope S] [--week 2026-W48] [--dry-run] [--config FILE]", "频道周报：--dry-run 打印将要发送的内容，否则发送到 Slack（每个频道每周一次）", (*Main).runSummary},
	}
}

// errUsage marks a command-line mistake; the usage line is printed and the
// exit status is 2.
var errUsage = errors.New("usage")

// Run runs the command named by args[0] and returns the process exit status:
// 0 on success, 1 on failure, 2 on a usage error.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		m.printHelp(m.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(m, ctx, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			msg := strings.TrimPrefix(err.Error(), errUsage.Error()+": ")
			fmt.Fprintf(m.Stderr, "错误: %s\n用法: towndesk %s\n", msg, c.usage)
			return 2
		default:
			m.printError(err)
			return 1
		}
	}
	fmt.Fprintf(m.Stderr, "未知命令 %q\n", args[0])
	m.printHelp(m.Stderr)
	return 2
}

func (m *Main) printHelp(w io.Writer) {
	fmt.Fprintln(w, "towndesk — 乡镇权力清单问答与代办台账")
	fmt.Fprintln(w, "\n命令:")
	cmds := commands()
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n             towndesk %s\n", c.name, c.help, c.usage)
	}
	fmt.Fprintln(w, "\n所有命令都接受 --data DIR（环境变量 TOWNDESK_DATA，默认 ./towndesk-data）。")
}

// printError is the one place the CLI turns an error into text: a user's
// error shows its Chinese message; an internal one shows a generic message
// and the details for the operator.
func (m *Main) printError(err error) {
	if towndesk.ErrorCode(err) == towndesk.EINTERNAL {
		fmt.Fprintf(m.Stderr, "错误: %s\n详情: %s\n", towndesk.ErrorMessage(err), towndesk.MaskText(err.Error()))
		return
	}
	fmt.Fprintf(m.Stderr, "错误: %s\n", towndesk.ErrorMessage(err))
}

// env returns the environment variable, or def when it is unset or empty.
func (m *Main) env(name, def string) string {
	if v := m.Getenv(name); v != "" {
		return v
	}
	return def
}

// dataFlag registers --data on fs and returns the pointer to its value.
func (m *Main) dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", m.env("TOWNDESK_DATA", "towndesk-data"), "data directory (env TOWNDESK_DATA)")
}

// openDB creates the data directory if needed and opens its database.
// The directory is created 0700 (and the database 0600, by storage): it
// holds citizens' personal data.
func (m *Main) openDB(dir string) (*storage.DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, towndesk.Errorf(towndesk.EINVALID, "无法创建数据目录 %s: %v", dir, err)
	}
	db, err := storage.Open(filepath.Join(dir, "towndesk.db"))
	if err != nil {
		return nil, err
	}
	if m.Now != nil {
		db.Now = m.Now
	}
	return db, nil
}

// newFlagSet returns a FlagSet that reports errors instead of exiting.
func (m *Main) newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	return fs
}

// parseFlags parses args with flags and positional arguments in any order
// ("request move 2026-0001 done --result 已办结" as well as flags first) and
// returns the positional arguments. "--" ends flag parsing.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usagef returns a usage error with a Chinese explanation.
func usagef(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

// joinArgs joins positional words back into one question.
func joinArgs(args []string) string { return strings.TrimSpace(strings.Join(args, " ")) }
