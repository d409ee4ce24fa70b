package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/config"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/handlers/qa"
	"github.com/towndesk/towndesk/internal/linereader"
	"github.com/towndesk/towndesk/kb"
	"github.com/towndesk/towndesk/kb/lexicon"
	"github.com/towndesk/towndesk/law"
	"github.com/towndesk/towndesk/listfile"
	"github.com/towndesk/towndesk/local"
	"github.com/towndesk/towndesk/storage"
)

// listsEnv is what the power-list commands work on.
type listsEnv struct {
	db    *storage.DB
	gaz   *gazetteer.Gazetteer
	index *kb.Index
	lists *qa.Lists
}

func (e *listsEnv) Close() {
	if e.index != nil {
		e.index.Close()
	}
	e.db.Close()
}

// openLists opens the data directory for the power-list commands: the
// database, the gazetteer, the synonyms (the shipped ones plus the data
// dir's synonyms.txt) and the search index under DIR/index.
func (m *Main) openLists(ctx context.Context, dir string, noSample bool) (*listsEnv, error) {
	// The gazetteer loads in the background while the database opens: a
	// cold `ask` spends most of its time starting up.
	go m.gazetteer() // the call below returns its result, error included
	db, err := m.openDB(dir)
	if err != nil {
		return nil, err
	}
	env := &listsEnv{db: db}
	gaz, err := m.gazetteer()
	if err != nil {
		env.Close()
		return nil, err
	}
	env.gaz = gaz
	syn := lexicon.DefaultSynonyms()
	extra := filepath.Join(dir, "synonyms.txt")
	if f, err := os.Open(extra); err == nil {
		more, err := lexicon.ParseSynonyms(f, extra)
		f.Close()
		if err != nil {
			env.Close()
			return nil, err
		}
		syn.Merge(more)
	}
	env.index, err = kb.OpenIndex(ctx, filepath.Join(dir, "index"), db)
	if err != nil {
		env.Close()
		return nil, err
	}
	env.lists = qa.NewLists(db, kb.New(db, env.index, gaz, syn), env.index, gaz)
	env.lists.NoSample = noSample
	if v := m.Getenv("TOWNDESK_MATCH_TIMEOUT"); v != "" {
		d, ok := config.ParseMatchTimeout(v)
		if !ok {
			env.Close()
			return nil, towndesk.Errorf(towndesk.EINVALID, "环境变量 TOWNDESK_MATCH_TIMEOUT 应为 1ms 到 %s 之间的时长，如 1s，不是「%s」", config.MaxMatchTimeout, v)
		}
		env.lists.MatchTimeout = d
	}
	m.setModel(env.lists) // optional language model; see llm.go
	return env, nil
}

// withLists runs f on the lists of data directory dir (see openLists) and
// closes them.
func (m *Main) withLists(ctx context.Context, dir string, noSample bool, f func(*qa.Lists) error) error {
	env, err := m.openLists(ctx, dir, noSample)
	if err != nil {
		return err
	}
	defer env.Close()
	return f(env.lists)
}

// openStore opens the database with list handlers that store and compare
// lists but do not search them (no index is opened).
func (m *Main) openStore(dir string) (*storage.DB, *qa.Lists, error) {
	db, err := m.openDB(dir)
	if err != nil {
		return nil, nil, err
	}
	gaz, err := m.gazetteer()
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, qa.NewLists(db, nil, nil, gaz), nil
}

func (m *Main) noSampleFlag(fs *flagSet) *bool {
	return fs.Bool("no-sample", m.Getenv("TOWNDESK_NO_SAMPLE") == "1", "数据目录没有清单时也不载入内置示例清单（环境变量 TOWNDESK_NO_SAMPLE=1）")
}

func (m *Main) importCommand(fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	county := fs.String("county", "", "县", "清单所属的县（市、区），必填")
	town := fs.String("town", "", "乡镇", "乡镇（街道）的清单写明乡镇")
	province := fs.String("province", "", "省", "省份（或市），区分同名的县")
	edition := fs.String("edition", "", "版本", "版本名称（默认导入日期）")
	mode := fs.String("mode", "", "方式", "清单没有承接方式列时的方式：法定、赋权、下放、委托、派驻、协助、县级保留")
	lenient := fs.Bool("lenient", false, "导入有效的行，报告其余的行（默认有一行出错就全部不导入）")
	return func(ctx context.Context, files []string) (err error) {
		if len(files) == 0 {
			return usagef("请给出要导入的清单文件")
		}
		if *county == "" {
			return usagef("请用 --county 指定清单所属的县（市、区）")
		}
		in := qa.ImportInput{Province: *province, County: *county, Town: *town, Edition: *edition, Mode: *mode, Lenient: *lenient}
		for _, p := range files {
			f, err := listfile.ReadFile(p)
			if err != nil {
				return err
			}
			in.Files = append(in.Files, f)
		}
		// A failed import leaves the data directory as it was: if it did not
		// exist, it does not exist afterwards either.
		if _, serr := os.Stat(*data); os.IsNotExist(serr) {
			defer func() {
				if err != nil {
					os.RemoveAll(*data)
				}
			}()
		}
		// No index is needed to store a list: it catches up below (or, if
		// the bot holds it, before the bot's next question).
		db, lists, err := m.openStore(*data)
		if err != nil {
			return err
		}
		defer db.Close()
		in.Progress = func(n int) { fmt.Fprintf(m.Stderr, "已写入 %d 行…\n", n) }
		rep, err := lists.Import(ctx, in)
		if err != nil {
			if ctx.Err() != nil {
				// SIGINT/SIGTERM: reading stopped, or the write was rolled back.
				return towndesk.Errorf(towndesk.EINVALID, "导入已中断（收到停止信号），原有清单未改动")
			}
			return err
		}
		l := rep.List
		fmt.Fprintf(m.Stdout, "已导入 %s：版本 %s，%d 条事项（%s）\n", l.Place.String(), l.Edition, l.Rows, strings.Join(l.Files, "、"))
		if len(rep.Unknown) > 0 {
			fmt.Fprintf(m.Stdout, "未识别的列（已忽略）：%s\n", strings.Join(rep.Unknown, "、"))
		}
		for _, n := range rep.Notices {
			fmt.Fprintf(m.Stdout, "请核对：%s\n", n)
		}
		if *mode == "" {
			// Without --mode a wrong default would pass silently: say so
			// once per file.
			for _, d := range rep.Defaulted {
				rows := fmt.Sprintf("%d 行", d.Rows)
				if d.NoteColumn != "" {
					rows = fmt.Sprintf("其中 %d 行的%s也未写明承接方式，", d.Rows, d.NoteColumn)
				}
				fmt.Fprintf(m.Stdout, "注意：%s 没有承接方式列，%s已按“%s”导入；如不对，请导入时用 --mode 指定（如 --mode 委托）。\n",
					d.File, rows, d.Mode)
			}
		}
		if len(rep.Skipped) > 0 {
			fmt.Fprintf(m.Stdout, "跳过 %d 行：\n", len(rep.Skipped))
			for _, p := range rep.Skipped {
				fmt.Fprintf(m.Stdout, "  %s\n", p)
			}
		}
		if err := kb.UpdateIndex(ctx, filepath.Join(*data, "index"), db); err != nil {
			// The list is stored; the index is derived and is rebuilt on the
			// next question. Say so rather than fail the import.
			fmt.Fprintf(m.Stderr, "提示：索引暂未更新（%v），下次提问时会自动重建。\n", err)
		}
		return nil
	}
}

func (m *Main) listsCommand(fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	asJSON := fs.Bool("json", false, "输出 JSON")
	return func(ctx context.Context, rest []string) error {
		if len(rest) > 0 {
			return usagef("lists 不接受参数 %q", strings.Join(rest, " "))
		}
		db, err := m.openDB(*data)
		if err != nil {
			return err
		}
		defer db.Close()
		lists, err := db.Lists(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			if lists == nil {
				lists = []towndesk.List{} // [], not null
			}
			return json.NewEncoder(m.Stdout).Encode(lists)
		}
		if len(lists) == 0 {
			fmt.Fprintln(m.Stdout, "还没有导入任何清单（提问时会自动载入示例清单，或用 towndesk import 导入）。")
			return nil
		}
		for _, l := range lists {
			fmt.Fprintf(m.Stdout, "%s\t%s\t%d 条\t导入于 %s\n", l.Place.String(), l.Edition, l.Rows, l.ImportedAt.Local().Format("2006-01-02 15:04"))
		}
		return nil
	}
}

func (m *Main) diffCommand(fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	county := fs.String("county", "", "县", "清单所属的县（市、区），必填")
	town := fs.String("town", "", "乡镇", "乡镇（街道）的清单写明乡镇")
	province := fs.String("province", "", "省", "省份（或市），区分同名的县")
	return func(ctx context.Context, rest []string) error {
		if len(rest) > 0 {
			return usagef("diff 不接受参数 %q", strings.Join(rest, " "))
		}
		if *county == "" {
			return usagef("请用 --county 指定县（市、区）")
		}
		db, lists, err := m.openStore(*data)
		if err != nil {
			return err
		}
		defer db.Close()
		d, err := lists.Diff(ctx, *province, *county, *town)
		if err != nil {
			return err
		}
		w := m.Stdout
		fmt.Fprintf(w, "%s：%s（%d 条）→ %s（%d 条）\n", d.Place.String(), d.From.Edition, d.From.Rows, d.To.Edition, d.To.Rows)
		fmt.Fprintf(w, "新增 %d 项：\n", len(d.Added))
		for _, it := range d.Added {
			fmt.Fprintf(w, "  + %s %s（%s，%s）\n", it.Code, it.Name, it.Body, it.Mode)
		}
		fmt.Fprintf(w, "取消 %d 项：\n", len(d.Removed))
		for _, it := range d.Removed {
			fmt.Fprintf(w, "  - %s %s（%s，%s）\n", it.Code, it.Name, it.Body, it.Mode)
		}
		fmt.Fprintf(w, "变更 %d 项：\n", len(d.Changed))
		for _, c := range d.Changed {
			fmt.Fprintf(w, "  ~ %s %s\n", c.New.Code, c.New.Name)
			for _, f := range c.Fields {
				var from, to string
				switch f {
				case "实施主体":
					from, to = c.Old.Body, c.New.Body
				case "承接方式":
					from, to = string(c.Old.Mode), string(c.New.Mode)
				case "实施依据":
					from, to = c.Old.Basis, c.New.Basis
				}
				fmt.Fprintf(w, "      %s：%s → %s\n", f, from, to)
			}
		}
		return nil
	}
}

func (m *Main) askCommand(fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	town := fs.String("town", "", "乡镇", "提问人所在的乡镇（问题没写地点时用它）")
	county := fs.String("county", "", "县", "提问人所在的县（市、区）")
	asJSON := fs.Bool("json", false, "输出一个 JSON 对象")
	limit := fs.Int("limit", 5, "N", "最多列出 N 条事项")
	batch := fs.Bool("batch", false, "从标准输入每行读一个问题，每行输出一个 JSON 对象")
	noSample := m.noSampleFlag(fs)
	return func(ctx context.Context, rest []string) error {
		question := joinArgs(rest)
		if !*batch && question == "" {
			return usagef("请给出问题，例如：towndesk ask \"滨湖镇有人乱搭乱建归谁管？\"")
		}
		if !*batch {
			// Refused before the data directory is even opened.
			if err := towndesk.CheckQuestion(question); err != nil {
				return err
			}
		}
		a := &asker{m: m, data: *data, noSample: *noSample}
		defer a.Close()
		in := qa.AskInput{Town: *town, County: *county, Limit: *limit}
		if *batch {
			return m.askBatch(ctx, a, in)
		}
		in.Question = question
		reply, text, err := a.Ask(ctx, in)
		if err != nil {
			return err
		}
		if *asJSON {
			_, err := m.Stdout.Write(append(reply, '\n'))
			return err
		}
		fmt.Fprintln(m.Stdout, text)
		return nil
	}
}

// asker answers the ask command's questions: through a running towndesk
// serve when one answers on the data directory's socket (it holds the
// search index; opening it here would mean building a private copy),
// else from the data directory itself. A server that stops answering
// midway is left for the data directory, which it no longer holds.
type asker struct {
	m        *Main
	data     string
	noSample bool

	dialed bool
	remote *local.Client
	env    *listsEnv
}

// Ask answers in and returns the reply in the ask --json form and its text.
func (a *asker) Ask(ctx context.Context, in qa.AskInput) (json.RawMessage, string, error) {
	if !a.dialed {
		a.dialed = true
		if c, err := local.Dial(local.SocketPath(a.data)); err == nil {
			a.remote = c
		}
	}
	if a.remote != nil {
		reply, text, err := a.remote.Ask(ctx, local.Request{Question: in.Question, Town: in.Town, County: in.County, Limit: in.Limit})
		if !local.Unreachable(err) {
			return reply, text, err
		}
		a.remote.Close()
		a.remote = nil
	}
	if a.env == nil {
		env, err := a.m.openLists(ctx, a.data, a.noSample)
		if err != nil {
			return nil, "", err
		}
		a.env = env
	}
	reply, err := a.env.lists.Ask(ctx, in)
	if err != nil {
		return nil, "", err
	}
	b, err := json.Marshal(reply)
	if err != nil {
		return nil, "", towndesk.Errorf(towndesk.EINTERNAL, "encode reply: %v", err)
	}
	return b, reply.Text, nil
}

// Close closes what Ask opened.
func (a *asker) Close() {
	if a.remote != nil {
		a.remote.Close()
	}
	if a.env != nil {
		a.env.Close()
	}
}

// askBatch answers one question per input line with one JSON object per
// output line. A question that fails gets an object with status "error"
// and the message, so the output stays line-aligned with the input. It
// stops when ctx ends (Ctrl-C, SIGTERM), also while it waits for input.
func (m *Main) askBatch(ctx context.Context, a *asker, in qa.AskInput) error {
	out := bufio.NewWriter(m.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	lines := linereader.Read(ctx, m.Stdin)
	for {
		var l linereader.Line
		select {
		case <-ctx.Done():
			return towndesk.Errorf(towndesk.EINVALID, "已停止（收到停止信号）")
		case next, ok := <-lines:
			if !ok {
				// The reader also stops when ctx ends: both cases may be
				// ready at once, and select picks either.
				if ctx.Err() != nil {
					return towndesk.Errorf(towndesk.EINVALID, "已停止（收到停止信号）")
				}
				return nil
			}
			l = next
		}
		if l.Err != nil {
			return l.Err
		}
		in.Question = strings.TrimSpace(l.Text)
		if in.Question == "" {
			continue
		}
		reply, _, err := a.Ask(ctx, in)
		if ctx.Err() != nil {
			return towndesk.Errorf(towndesk.EINVALID, "已停止（收到停止信号）")
		}
		if err != nil {
			if towndesk.ErrorCode(err) == towndesk.EINTERNAL {
				return err
			}
			enc.Encode(map[string]string{"question": in.Question, "status": "error", "error": towndesk.ErrorMessage(err)})
		} else if _, err := out.Write(append(reply, '\n')); err != nil {
			return err
		}
		// One answer per line as it is ready: a caller may be waiting for
		// it before sending the next question.
		if err := out.Flush(); err != nil {
			return err
		}
	}
}

func (m *Main) lawCommand(fs *flagSet) runFunc {
	return func(ctx context.Context, args []string) error {
		if len(args) != 2 {
			return usagef("请给出法律名称和条号，例如：towndesk law 城乡规划法 第六十五条")
		}
		laws, err := law.Load()
		if err != nil {
			return err
		}
		a, err := laws.Article(args[0], args[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "《%s》%s\n%s\n", a.Law, a.Label, a.Text)
		return nil
	}
}

func (m *Main) evalCommand(fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	verbose := fs.Bool("v", false, "列出每个答错的问题")
	noSample := m.noSampleFlag(fs)
	return func(ctx context.Context, files []string) error {
		if len(files) != 1 {
			return usagef("请给出一个评测文件（JSONL）")
		}
		f, err := os.Open(files[0])
		if err != nil {
			return towndesk.Errorf(towndesk.EINVALID, "无法打开评测文件：%v", err)
		}
		defer f.Close()
		cases, err := qa.ReadEvalCases(f, files[0])
		if err != nil {
			return err
		}
		return m.withLists(ctx, *data, *noSample, func(lists *qa.Lists) error {
			rep, err := lists.Evaluate(ctx, cases)
			if err != nil {
				return err
			}
			rep.Format(m.Stdout)
			if *verbose {
				for _, l := range rep.Failures {
					fmt.Fprintln(m.Stdout, l)
				}
			}
			return nil
		})
	}
}
