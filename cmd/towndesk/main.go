// Command towndesk answers "who enforces X in town Y" from imported power
// lists, runs the proxy-service desk, and serves both in Slack.
//
// main only wires: it parses flags, opens the data directory, hands the
// pieces to constructors and runs them. Run "towndesk help" for the commands.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/handlers/qa"
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
	// LoadGazetteer parses the national gazetteer; nil means
	// gazetteer.Load. It is called at most once per Main: every part of
	// a run shares the one gazetteer (see gazetteer).
	LoadGazetteer func() (*gazetteer.Gazetteer, error)

	// data is the --data given before the command's name.
	data string

	gazOnce sync.Once
	gaz     *gazetteer.Gazetteer
	gazErr  error
}

// NewMain returns a Main wired to the process's stdio and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now}
}

// commands returns the command table: usage, help and dispatch all come
// from it.
func commands() []command {
	return []command{
		{name: "ask", args: "问题", help: "回答“某镇某事归谁管”", setup: (*Main).askCommand,
			note: fmt.Sprintf("例如：towndesk ask \"滨湖镇有人乱搭乱建归谁管？\"；--batch 时从标准输入每行读一个问题。问题最多 %d 个字；每个问题最多查找 %s（环境变量 TOWNDESK_MATCH_TIMEOUT 可改）。",
				towndesk.MaxQuestion, qa.DefaultMatchTimeout)},
		{name: "import", args: "清单文件…", help: "导入权力清单（xlsx/csv/jsonl）", setup: (*Main).importCommand},
		{name: "lists", help: "列出已导入的清单", setup: (*Main).listsCommand},
		{name: "diff", help: "比较清单最近两个版本", setup: (*Main).diffCommand},
		{name: "law", args: "法律 条号", help: "显示法律条文，如 law 城乡规划法 第六十五条", setup: (*Main).lawCommand},
		{name: "eval", args: "评测集.jsonl", help: "用评测集衡量回答质量", setup: (*Main).evalCommand},
		{name: "teach", args: "问题 事项编码", help: "清单管理员：把一种问法记为某个事项（或 --none 清单中没有）", setup: (*Main).teachCommand,
			note: "例如：towndesk teach --by 王芳 \"滨湖镇小区里养鸡打鸣谁管\" 370481XZCF056；--file 导入 taught --jsonl 导出的纠正。"},
		{name: "taught", help: "列出所有纠正（已撤销、已失效的会注明）", setup: (*Main).taughtCommand},
		{name: "untaught", args: "编号", help: "撤销一条纠正", setup: (*Main).untaughtCommand},
		{name: "review", help: "待纠正队列：没找到、不确定或被点“没用”的提问，按问法归并", setup: (*Main).reviewCommand},
		{name: "serve", help: "运行 Slack 机器人（有 SLACK_APP_TOKEN 时用 Socket Mode，否则 HTTP）", setup: (*Main).serveCommand},
		{name: "chat", help: "本地对话控制台：不用 Slack 试用 towndesk", setup: (*Main).chatCommand},
		{name: "request", help: "代办台账：登记、流转、收付、回访、导出", subs: requestCommands()},
		{name: "summary", help: "频道周报：--dry-run 打印将要发送的内容，否则发送到 Slack（每个频道每周一次）", setup: (*Main).summaryCommand},
	}
}

// Run runs the command named by args and returns the process exit status:
// 0 on success, 1 on failure, 2 on a usage error. Global flags (--data,
// --help, --version) may come before the command as well as after it.
func (m *Main) Run(ctx context.Context, args []string) int {
	// Whatever is printed goes through an escaper: stored text may hold
	// control characters from before they were refused at input.
	stdout, stderr := m.Stdout, m.Stderr
	out, errw := newEscaper(stdout), newEscaper(stderr)
	m.Stdout, m.Stderr = out, errw
	defer func() {
		out.Flush()
		errw.Flush()
		m.Stdout, m.Stderr = stdout, stderr
	}()
	return m.dispatch(ctx, args)
}

func (m *Main) dispatch(ctx context.Context, args []string) int {
	args, action, err := m.leadingFlags(args)
	switch {
	case err != nil:
		return m.usageError(err, "", command{})
	case action == "version":
		m.printVersion(m.Stdout)
		return 0
	case action == "help":
		m.printHelp(m.Stdout)
		return 0
	case len(args) == 0:
		m.printHelp(m.Stdout)
		return 2
	case args[0] == "help":
		return m.help(args[1:])
	}
	return m.run(ctx, commands(), "", args)
}

// leadingFlags reads the global flags before a command's or subcommand's
// name: --data (kept for the command), -h or --help, --version. It returns
// the arguments from the name on, and "help" or "version" when one of
// those was asked for.
func (m *Main) leadingFlags(args []string) (rest []string, action string, err error) {
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		a := args[0]
		args = args[1:]
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case a == "--":
			return args, action, nil
		case name == "h" || name == "help":
			action = "help"
		case name == "version":
			action = "version"
		case name == "data" && hasVal:
			m.data = val
		case name == "data" && len(args) > 0:
			m.data, args = args[0], args[1:]
		case name == "data":
			return nil, "", usagef("选项 --data 需要一个值（目录）")
		default:
			return nil, "", usagef("未知选项 %s。%s", a, towndesk.DidYouMean("--"+name, []string{"--data", "--help", "--version"}))
		}
	}
	return args, action, nil
}

// help prints the usage of the command (and subcommand) args name: towndesk
// help request new. It returns the exit status.
func (m *Main) help(args []string) int {
	if len(args) == 0 {
		m.printHelp(m.Stdout)
		return 0
	}
	cmds, path := commands(), ""
	for i, name := range args {
		what := "命令"
		if path != "" {
			what = "子命令"
		}
		c, err := findCommand(cmds, name, what)
		if err != nil {
			return m.usageError(err, path, command{name: path, subs: cmds})
		}
		path = strings.TrimSpace(path + " " + c.name)
		if len(c.subs) == 0 || i == len(args)-1 {
			m.writeCommandUsage(m.Stdout, path, c)
			return 0
		}
		cmds = c.subs
	}
	return 0
}

// printVersion writes towndesk's version and how it was built.
func (m *Main) printVersion(w io.Writer) {
	version, goVersion, platform := "(devel)", runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH
	var rev, at string
	modified := false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		goVersion = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	fmt.Fprintf(w, "towndesk %s\n构建：%s，%s\n", version, goVersion, platform)
	if rev != "" {
		fmt.Fprintf(w, "提交：%s（%s）", rev, at)
		if modified {
			fmt.Fprint(w, "，含未提交的修改")
		}
		fmt.Fprintln(w)
	}
}

// run runs the command of cmds that args name, under parent (the path of
// the command cmds belong to, "" at the top).
func (m *Main) run(ctx context.Context, cmds []command, parent string, args []string) int {
	what := "命令"
	if parent != "" {
		what = "子命令"
	}
	c, err := findCommand(cmds, args[0], what)
	if err != nil {
		return m.usageError(err, parent, command{name: parent, subs: cmds})
	}
	path := strings.TrimSpace(parent + " " + c.name)
	rest := args[1:]
	if len(c.subs) > 0 {
		rest, action, err := m.leadingFlags(rest)
		switch {
		case err != nil:
			return m.usageError(err, path, c)
		case action == "version":
			m.printVersion(m.Stdout)
			return 0
		case action == "help":
			m.writeCommandUsage(m.Stdout, path, c)
			return 0
		case len(rest) == 0:
			return m.usageError(usagef("请给出子命令"), path, c)
		}
		return m.run(ctx, c.subs, path, rest)
	}
	fs := &flagSet{}
	work := c.setup(m, fs)
	if fs.lookup("data") == nil { // a global flag: every command takes it
		m.dataFlag(fs)
	}
	pos, err := fs.parse(rest)
	if err == nil {
		err = work(ctx, pos)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		m.writeCommandUsage(m.Stdout, path, c)
		return 0
	case errors.Is(err, errUsage):
		return m.usageError(err, path, c)
	}
	m.printError(err)
	return 1
}

// usageError prints a command-line mistake and the usage of the command
// at path, and returns exit status 2.
func (m *Main) usageError(err error, path string, c command) int {
	msg := strings.TrimPrefix(err.Error(), errUsage.Error()+": ")
	if path == "" {
		fmt.Fprintf(m.Stderr, "错误: %s\n“towndesk help”列出所有命令。\n", msg)
		return 2
	}
	fmt.Fprintf(m.Stderr, "错误: %s\n用法: %s\n“towndesk help %s”显示详细说明。\n", msg, usageLine(path, c), path)
	return 2
}

func (m *Main) printHelp(w io.Writer) {
	fmt.Fprintln(w, "towndesk — 乡镇权力清单问答与代办台账")
	fmt.Fprintln(w, "\n命令:")
	writeCommandList(w, commands())
	fmt.Fprintln(w, "\n所有命令都接受 --data 目录（环境变量 TOWNDESK_DATA，默认 ./towndesk-data），写在命令前后都可以。")
	fmt.Fprintln(w, "“towndesk help 命令”或“towndesk 命令 --help”显示该命令的用法；“towndesk --version”显示版本。")
}

// printError is the one place the CLI turns an error into text: a user's
// error shows its Chinese message; an internal one shows a generic message
// and the details for the operator.
func (m *Main) printError(err error) {
	if towndesk.ErrorCode(err) == towndesk.EINTERNAL {
		fmt.Fprintf(m.Stderr, "错误: %s\n详情: %s\n", towndesk.ErrorMessage(err), towndesk.MaskText(err.Error()))
		return
	}
	fmt.Fprintf(m.Stderr, "错误: %s%s\n", towndesk.ErrorMessage(err), placeHint(err))
}

// placeHint is the command line's advice for a place name that could not
// be pinned down (a *gazetteer.Resolution in err): which flag to add. ""
// for other errors.
func placeHint(err error) string {
	var r *gazetteer.Resolution
	if !errors.As(err, &r) {
		return ""
	}
	switch {
	case r.Reason == gazetteer.Ambiguous && r.Level == gazetteer.County && r.Within.Province == "":
		return "请用 --province 指定省份（或市）。"
	case r.Reason == gazetteer.Ambiguous && r.Level == gazetteer.Town && r.Within.CountyCode == "",
		r.Reason == gazetteer.NotFound && r.Level == gazetteer.Town && r.Within.CountyCode == "":
		return "请用 --county 指定县（市、区），或连同县名一起写，如“滕州市滨湖镇”。"
	}
	return ""
}

// gazetteer returns the national gazetteer, parsed on first use (about
// 20 ms) and then shared by the lists, the search, the desk and the
// summaries of this run.
func (m *Main) gazetteer() (*gazetteer.Gazetteer, error) {
	m.gazOnce.Do(func() {
		load := m.LoadGazetteer
		if load == nil {
			load = gazetteer.Load
		}
		m.gaz, m.gazErr = load()
	})
	return m.gaz, m.gazErr
}

// env returns the environment variable, or def when it is unset or empty.
func (m *Main) env(name, def string) string {
	if v := m.Getenv(name); v != "" {
		return v
	}
	return def
}

// dataFlag registers --data on fs and returns the pointer to its value.
func (m *Main) dataFlag(fs *flagSet) *string {
	return fs.String("data", cmp.Or(m.data, m.env("TOWNDESK_DATA", "towndesk-data")), "目录", "数据目录（环境变量 TOWNDESK_DATA）")
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

// joinArgs joins positional words back into one question.
func joinArgs(args []string) string { return strings.TrimSpace(strings.Join(args, " ")) }
