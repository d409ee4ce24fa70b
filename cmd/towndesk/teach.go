package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/chat"
	"github.com/towndesk/towndesk/handlers/qa"
)

// The list maintainers' commands: teach, taught, untaught, review. The
// command line is their own tool: --by (env TOWNDESK_USER) names who
// teaches.

func (m *Main) byFlag(fs *flagSet) *string {
	return fs.String("by", m.env("TOWNDESK_USER", m.env("USER", "")), "姓名", "纠正人（环境变量 TOWNDESK_USER，否则 USER）")
}

func (m *Main) teachCommand(fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	county := fs.String("county", m.env("TOWNDESK_COUNTY", ""), "县", "问题所问的县（问题里没写时；环境变量 TOWNDESK_COUNTY）")
	town := fs.String("town", "", "乡镇", "问题所问的乡镇（问题里没写时）")
	scope := fs.String("scope", "", "范围", "town（本镇）、county（全县）或 all（所有清单）；默认问题是乡镇的就是本镇，否则全县")
	none := fs.Bool("none", false, "这个问题不在权力清单内（需要 --note 说明）")
	note := fs.String("note", "", "说明", "清单中没有时的说明，例如：属公安派出所管辖，不在乡镇权力清单内")
	file := fs.String("file", "", "文件", "导入 taught --jsonl 导出的纠正（保留原纠正人和时间）；与 --county/--town 一起用时移到那里")
	by := m.byFlag(fs)
	return func(ctx context.Context, args []string) error {
		return m.withLists(ctx, *data, false, func(lists *qa.Lists) error {
			if *file != "" {
				return m.teachFile(ctx, lists, args, *file, *county, *town)
			}
			return m.teachOne(ctx, lists, args, qa.TeachInput{County: *county, Town: *town, None: *none, Note: *note, By: *by}, *scope)
		})
	}
}

// teachFile imports the taught links of a taught --jsonl file, moved to
// county and town where they are given.
func (m *Main) teachFile(ctx context.Context, lists *qa.Lists, args []string, file, county, town string) error {
	if len(args) > 0 {
		return usagef("用 --file 导入时不再给问题和编码")
	}
	f, err := os.Open(file)
	if err != nil {
		return towndesk.Errorf(towndesk.EINVALID, "无法打开文件 %s：%v", file, err)
	}
	defer f.Close()
	links, err := lists.TeachFile(ctx, f, file, county, town)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "已导入 %d 条纠正。\n", len(links))
	return nil
}

// teachOne teaches the question and code (or --none) of args.
func (m *Main) teachOne(ctx context.Context, lists *qa.Lists, args []string, in qa.TeachInput, scope string) error {
	switch {
	case in.None && len(args) == 1:
		in.Question = args[0]
	case !in.None && len(args) == 2:
		in.Question, in.Code = args[0], args[1]
	case in.None:
		return usagef("用法：towndesk teach \"问题\" --none --note 说明")
	default:
		return usagef("用法：towndesk teach \"问题\" 事项编码（或 --none --note 说明）")
	}
	if scope != "" {
		s, ok := towndesk.ParseScope(scope)
		if !ok {
			return usagef("--scope 的值“%s”无法识别（应为 town、county 或 all）", scope)
		}
		in.Scope = s
	}
	rep, err := lists.Teach(ctx, in)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, chat.TaughtText(rep))
	return nil
}

func (m *Main) taughtCommand(fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	asJSON := fs.Bool("json", false, "输出一个 JSON 数组")
	asJSONL := fs.Bool("jsonl", false, "每行一条有效纠正，供 teach --file 导入到别的数据目录")
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usagef("taught 不接受参数 %q", strings.Join(args, " "))
		}
		return m.withLists(ctx, *data, false, func(lists *qa.Lists) error {
			if *asJSONL {
				_, err := lists.ExportTaught(ctx, m.Stdout)
				return err
			}
			views, err := lists.Taught(ctx)
			if err != nil {
				return err
			}
			return printList(m.Stdout, views, *asJSON, "还没有纠正。", taughtLine)
		})
	}
}

// printList prints items for people, one line each, or empty when there
// are none; with asJSON, as one JSON array ([] when there are none).
func printList[T any](w io.Writer, items []T, asJSON bool, empty string, line func(T) string) error {
	if asJSON {
		if items == nil {
			items = []T{}
		}
		return json.NewEncoder(w).Encode(items)
	}
	if len(items) == 0 {
		fmt.Fprintln(w, empty)
		return nil
	}
	for _, it := range items {
		fmt.Fprintln(w, line(it))
	}
	return nil
}

// taughtLine renders one taught link for people.
func taughtLine(v qa.TaughtView) string {
	what := v.Code + " " + v.ItemName
	if v.None {
		what = "清单中没有：" + v.Note
	}
	state := ""
	switch {
	case v.Retracted != nil:
		state = fmt.Sprintf("【已撤销：%s %s", v.Retracted.By, v.Retracted.At.In(towndesk.ChinaTime).Format("2006-01-02"))
		if v.Retracted.Reason != "" {
			state += "，" + v.Retracted.Reason
		}
		state += "】"
	case v.Stale:
		state = "【已失效：清单中已没有这个事项】"
	}
	return fmt.Sprintf("#%d\t%s\t“%s”→ %s\t%s %s%s", v.ID, chat.TaughtWhere(v.TaughtLink), v.Question, what, v.By,
		v.At.In(towndesk.ChinaTime).Format("2006-01-02"), state)
}

func (m *Main) untaughtCommand(fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	reason := fs.String("reason", "", "原因", "撤销的原因")
	by := m.byFlag(fs)
	return func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return usagef("用法：towndesk untaught 编号 [--reason 原因]")
		}
		id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "#"), 10, 64)
		if err != nil || id <= 0 {
			return usagef("纠正编号“%s”无效（taught 列出的 #编号）", args[0])
		}
		return m.withLists(ctx, *data, false, func(lists *qa.Lists) error {
			l, err := lists.Untaught(ctx, id, *by, *reason)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "已撤销纠正 #%d（“%s”）。\n", l.ID, l.Question)
			return nil
		})
	}
}

func (m *Main) reviewCommand(fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	asJSON := fs.Bool("json", false, "输出一个 JSON 数组")
	since := fs.String("since", "", "日期", "只看这一天（YYYY-MM-DD）以来的提问")
	return func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return usagef("review 不接受参数 %q", strings.Join(args, " "))
		}
		var from time.Time
		if *since != "" {
			t, err := time.ParseInLocation("2006-01-02", *since, towndesk.ChinaTime)
			if err != nil {
				return usagef("--since 的日期“%s”无效，应为 YYYY-MM-DD", *since)
			}
			from = t
		}
		return m.withLists(ctx, *data, false, func(lists *qa.Lists) error {
			items, err := lists.Review(ctx, from)
			if err != nil {
				return err
			}
			if err := printList(m.Stdout, items, *asJSON, "待纠正队列是空的。", reviewLine); err != nil {
				return err
			}
			if !*asJSON && len(items) > 0 {
				fmt.Fprintln(m.Stdout, "纠正：towndesk teach \"问题\" 事项编码，或 towndesk teach \"问题\" --none --note 说明")
			}
			return nil
		})
	}
}

// reviewLine renders one question of the review queue for people.
func reviewLine(it qa.ReviewItem) string {
	var places []string
	for _, p := range it.Places {
		places = append(places, p.Short())
	}
	line := fmt.Sprintf("%d 次\t最近 %s\t%s\t“%s”\t%s", it.Count, it.Last.In(towndesk.ChinaTime).Format("2006-01-02 15:04"),
		strings.Join(it.Statuses, "、"), it.Example, strings.Join(places, "、"))
	if len(it.Candidates) > 0 {
		line += "\t候选：" + strings.Join(it.Candidates, "、")
	}
	return line
}
