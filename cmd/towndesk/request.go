package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/desk"
)

// The request command runs the proxy-service desk (代办台账).
//
// The data directory (--data) holds, besides towndesk.db:
//   - holidays.txt, optional: holidays and make-up working days (format in
//     towndesk.Calendar; docs/holidays.example.txt is an example for 2026).
//     Without it only weekends are days off.
//   - kinds.txt, optional: the kinds of errand with their promised working
//     days, one "名称 天数" per line. Without it the defaults apply
//     (代办证件 5, 申报项目 10, 申请资金 10, 缴纳费用 2, 代领资金 5, 其他 5).
//
// A desk belongs to one county: --county (env TOWNDESK_COUNTY) names it,
// and --town is then a town in it (滨湖镇, or short: 滨湖). Without a
// county, --town must name both (滕州市滨湖镇), unless it is the only town
// so called. Another county's town can always be written with its county
// (昌吉市滨湖镇).
//
// --by (env TOWNDESK_USER, else USER, else "desk") is who is acting.

// deskCommand is one subcommand of towndesk request. Every one takes
// --data and --by, opens the desk the same way and closes it after.
type deskCommand struct {
	name, help string
	// args names the positional arguments; n is how many it needs (-1:
	// at least one); example shows them, for the error when they are
	// missing.
	args    string
	n       int
	example string
	// county: it looks towns up and takes --county, the desk's county.
	county bool
	// flags registers the subcommand's own flags and returns its work on
	// the open desk, by the person acting.
	flags func(m *Main, fs *flagSet) deskRun
}

type deskRun func(ctx context.Context, d *desk.Desk, by string, args []string) error

// requestCommands returns the subcommands of towndesk request.
func requestCommands() []command {
	table := []deskCommand{
		{name: "new", help: "登记代办，打印新编号", county: true, flags: (*Main).requestNew},
		{name: "list", help: "列出代办（最新的在前）", county: true, flags: (*Main).requestList},
		{name: "show", help: "查看一件代办：收支、流转记录、下一步", args: "代办编号", n: 1, example: "request show 2026-0001", flags: (*Main).requestShow},
		{name: "move", help: "流转到新状态（已受理、办理中、待补材料、已办结…）", args: "代办编号 新状态", n: 2, example: "request move 2026-0001 accepted", flags: (*Main).requestMove},
		{name: "assign", help: "指派承办人", args: "代办编号 承办人", n: 2, example: "request assign 2026-0001 李娜", flags: (*Main).requestAssign},
		{name: "note", help: "添加备注", args: "代办编号 备注…", n: -1, example: "request note 2026-0001 已电话联系", flags: (*Main).requestNote},
		{name: "pay", help: "登记一笔收付（收取、支付、领取、交付），或冲正登记错的一笔（--reverse）", args: "代办编号", n: 1, example: "request pay 2026-0001 --type 收取 --amount 50", flags: (*Main).requestPay},
		{name: "followup", help: "记录回访结果", args: "代办编号", n: 1, example: "request followup 2026-0001 --result 满意", flags: (*Main).requestFollowUp},
		{name: "extend", help: "延长办理时限", args: "代办编号", n: 1, example: "request extend 2026-0001 --days 3 --reason 部门系统故障", flags: (*Main).requestExtend},
		{name: "export", help: "导出台账（Excel）", county: true, example: "request export --xlsx 台账.xlsx", flags: (*Main).requestExport},
	}
	cmds := make([]command, len(table))
	for i, dc := range table {
		cmds[i] = command{name: dc.name, args: dc.args, help: dc.help, setup: dc.setup}
	}
	return cmds
}

// setup registers the flags every subcommand takes and its own, and
// returns the work: check the positional arguments, open the desk, run.
func (dc deskCommand) setup(m *Main, fs *flagSet) runFunc {
	data := m.dataFlag(fs)
	by := fs.String("by", m.env("TOWNDESK_USER", m.env("USER", "desk")), "姓名", "操作人（环境变量 TOWNDESK_USER，否则 USER）")
	var county *string
	if dc.county {
		county = fs.String("county", m.Getenv("TOWNDESK_COUNTY"), "县", "代办台所在的县（市、区），--town 先在这里找（环境变量 TOWNDESK_COUNTY）")
	}
	run := dc.flags(m, fs)
	return func(ctx context.Context, args []string) error {
		switch {
		case dc.n == 0 && len(args) > 0:
			return usagef("只用选项，不要多余的参数 %q", strings.Join(args, " "))
		case dc.n > 0 && len(args) != dc.n, dc.n < 0 && len(args) < 2:
			return usagef("需要 %s，如 %s", dc.args, dc.example)
		}
		d, closeDesk, err := m.openDesk(*data, county)
		if err != nil {
			return err
		}
		defer closeDesk()
		return run(ctx, d, *by, args)
	}
}

// openDesk opens the data directory and returns the desk over it, with
// the function that closes it. county, when not nil, is the desk's
// county, where towns are looked up first.
func (m *Main) openDesk(data string, county *string) (*desk.Desk, func(), error) {
	cal, err := readDataFile(data, "holidays.txt", towndesk.ParseCalendar)
	if err != nil {
		return nil, nil, err
	}
	kinds, err := readDataFile(data, "kinds.txt", towndesk.ParseKinds)
	if err != nil {
		return nil, nil, err
	}
	cfg := desk.Config{Calendar: cal, Kinds: kinds, Now: m.Now}
	if county != nil {
		gaz, err := m.gazetteer()
		if err != nil {
			return nil, nil, err
		}
		cfg.Places = gaz
		if *county != "" {
			r := gaz.ResolveParts("", *county, "")
			if err := r.Err(); err != nil {
				return nil, nil, towndesk.WithField(err, "county")
			}
			cfg.County = r.Place
		}
	}
	db, err := m.openDB(data)
	if err != nil {
		return nil, nil, err
	}
	return desk.New(db, cfg), func() { db.Close() }, nil
}

// readDataFile parses the optional file name in the data directory with
// parse; it returns the zero value if the file does not exist, and an
// EINVALID error naming the file if it is malformed.
func readDataFile[T any](dir, name string, parse func(io.Reader) (T, error)) (T, error) {
	var zero T
	path := filepath.Join(dir, name)
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return zero, nil
	}
	if err != nil {
		return zero, towndesk.Errorf(towndesk.EINVALID, "无法读取 %s：%v", path, err)
	}
	defer file.Close()
	v, err := parse(file)
	if err != nil {
		return zero, towndesk.Errorf(towndesk.EINVALID, "%s：%s", path, towndesk.ErrorMessage(err))
	}
	return v, nil
}

// printJSON writes v as indented JSON.
func (m *Main) printJSON(v any) error {
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printReply returns the function that prints a listing or a request as
// text, or as JSON, or returns its error.
func (m *Main) printReply(asJSON bool) func(reply interface{ Text() string }, err error) error {
	return func(reply interface{ Text() string }, err error) error {
		switch {
		case err != nil:
			return err
		case asJSON:
			return m.printJSON(reply)
		}
		fmt.Fprint(m.Stdout, reply.Text())
		return nil
	}
}

// printChange prints what a change did, or returns its error.
func (m *Main) printChange(reply *desk.RequestReply, err error) error {
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, reply.Message)
	return nil
}

func (m *Main) requestNew(fs *flagSet) deskRun {
	var in desk.RequestNewInput
	for _, f := range []struct {
		p                *string
		name, arg, usage string
	}{
		{&in.Town, "town", "乡镇", "乡镇（滨湖镇），或县和乡镇（滕州市滨湖镇）"},
		{&in.Citizen, "citizen", "姓名", "群众姓名"},
		{&in.Phone, "phone", "电话", "联系电话：手机，或带区号的固定电话"},
		{&in.IDNumber, "id", "证件号", "身份证号（可选）"},
		{&in.Village, "village", "村", "村（社区）"},
		{&in.Kind, "kind", "类型", "代办类型：代办证件、申报项目、申请资金、缴纳费用、代领资金、其他（或 kinds.txt 所列）"},
		{&in.Matter, "matter", "事项", "要办的事"},
		{&in.Materials, "materials", "材料", "已收材料，用逗号或顿号分隔"},
		{&in.Item, "item", "编码", "关联的权力事项编码（可选）"},
	} {
		fs.StringVar(f.p, f.name, "", f.arg, f.usage)
	}
	return func(ctx context.Context, d *desk.Desk, by string, _ []string) error {
		in.By = by
		reply, err := d.New(ctx, in)
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, reply.Request.ID)
		fmt.Fprintln(m.Stderr, reply.Message)
		return nil
	}
}

// filterFlags registers the list filters on fs.
func filterFlags(fs *flagSet, in *desk.RequestFilterInput) {
	fs.StringVar(&in.Status, "status", "", "状态", "状态，中文或英文（办理中、in_progress）")
	fs.StringVar(&in.Town, "town", "", "乡镇", "乡镇")
	fs.StringVar(&in.Assignee, "assignee", "", "姓名", "承办人")
	fs.StringVar(&in.Kind, "kind", "", "类型", "代办类型")
	fs.BoolVar(&in.Overdue, "overdue", false, "只列已超期的")
	fs.StringVar(&in.Since, "since", "", "日期", "只列该日（2026-03-01）及以后登记的")
}

func (m *Main) requestList(fs *flagSet) deskRun {
	var in desk.RequestListInput
	filterFlags(fs, &in.RequestFilterInput)
	asJSON := fs.Bool("json", false, "输出 JSON")
	return func(ctx context.Context, d *desk.Desk, _ string, _ []string) error {
		return m.printReply(*asJSON)(d.List(ctx, in))
	}
}

func (m *Main) requestShow(fs *flagSet) deskRun {
	reveal := fs.Bool("reveal", false, "显示完整的电话和身份证号（会被记录）")
	asJSON := fs.Bool("json", false, "输出 JSON")
	return func(ctx context.Context, d *desk.Desk, by string, args []string) error {
		return m.printReply(*asJSON)(d.Show(ctx, desk.RequestShowInput{ID: args[0], By: by, Reveal: *reveal}))
	}
}

func (m *Main) requestMove(fs *flagSet) deskRun {
	var in desk.RequestMoveInput
	fs.StringVar(&in.Note, "note", "", "备注", "备注")
	fs.StringVar(&in.Result, "result", "", "结果", "办理结果（办结时必填）")
	fs.StringVar(&in.Reason, "reason", "", "理由", "理由（不予受理、撤销时必填）")
	return func(ctx context.Context, d *desk.Desk, by string, args []string) error {
		in.ID, in.To, in.By = args[0], args[1], by
		return m.printChange(d.Move(ctx, in))
	}
}

func (m *Main) requestAssign(fs *flagSet) deskRun {
	return func(ctx context.Context, d *desk.Desk, by string, args []string) error {
		return m.printChange(d.Assign(ctx, desk.RequestAssignInput{Ref: desk.Ref{ID: args[0], By: by}, Assignee: args[1]}))
	}
}

func (m *Main) requestNote(fs *flagSet) deskRun {
	return func(ctx context.Context, d *desk.Desk, by string, args []string) error {
		return m.printChange(d.Note(ctx, desk.RequestNoteInput{Ref: desk.Ref{ID: args[0], By: by}, Text: joinArgs(args[1:])}))
	}
}

func (m *Main) requestPay(fs *flagSet) deskRun {
	var in desk.RequestPayInput
	fs.StringVar(&in.Type, "type", "", "类型", "收取、支付、领取或交付")
	fs.StringVar(&in.Amount, "amount", "", "金额", "金额（元），如 50.00")
	fs.StringVar(&in.Receipt, "receipt", "", "票据号", "票据号")
	fs.StringVar(&in.Note, "note", "", "备注", "备注")
	reverse := fs.String("reverse", "", "收支编号", "冲正一笔登记错的收支（编号见 request show，如 #3），须同时给 --reason")
	reason := fs.String("reason", "", "理由", "冲正理由")
	return func(ctx context.Context, d *desk.Desk, by string, args []string) error {
		in.ID, in.By = args[0], by
		if *reverse == "" {
			if *reason != "" {
				return usagef("--reason 只用于冲正（--reverse 收支编号）；登记收付的说明请用 --note")
			}
			return m.printChange(d.Pay(ctx, in))
		}
		if in.Type != "" || in.Amount != "" || in.Receipt != "" || in.Note != "" {
			return usagef("冲正（--reverse）只需 --reason：类型和金额取自被冲正的那笔收支，不要再给 --type、--amount、--receipt 或 --note")
		}
		return m.printChange(d.Reverse(ctx, desk.RequestReverseInput{Ref: desk.Ref{ID: args[0], By: by}, Entry: *reverse, Reason: *reason}))
	}
}

func (m *Main) requestFollowUp(fs *flagSet) deskRun {
	result := fs.String("result", "", "结果", "满意、基本满意或不满意")
	note := fs.String("note", "", "说明", "回访说明")
	return func(ctx context.Context, d *desk.Desk, by string, args []string) error {
		return m.printChange(d.FollowUp(ctx, desk.RequestFollowUpInput{Ref: desk.Ref{ID: args[0], By: by}, Result: *result, Note: *note}))
	}
}

func (m *Main) requestExtend(fs *flagSet) deskRun {
	days := fs.String("days", "", "天数", "延长的工作日数")
	reason := fs.String("reason", "", "理由", "延期理由（必填）")
	return func(ctx context.Context, d *desk.Desk, by string, args []string) error {
		n, err := strconv.Atoi(*days)
		if err != nil {
			return towndesk.Invalidf("days", "--days 应为工作日数，如 3，不是「%s」", *days)
		}
		return m.printChange(d.Extend(ctx, desk.RequestExtendInput{Ref: desk.Ref{ID: args[0], By: by}, Days: n, Reason: *reason}))
	}
}

func (m *Main) requestExport(fs *flagSet) deskRun {
	var in desk.RequestExportInput
	fs.StringVar(&in.File, "xlsx", "", "文件", "要写入的 .xlsx 文件（必填）")
	fs.require("xlsx", "请用 --xlsx 指定导出文件")
	fs.BoolVar(&in.Full, "full", false, "导出完整的电话和身份证号（会被记录）")
	filterFlags(fs, &in.RequestFilterInput)
	return func(ctx context.Context, d *desk.Desk, by string, _ []string) error {
		in.By = by
		reply, err := d.Export(ctx, in)
		if err != nil {
			return err
		}
		masked := "联系电话和身份证号已遮挡"
		if reply.Full {
			masked = "含完整联系电话和身份证号，已记录"
		}
		fmt.Fprintf(m.Stdout, "已导出 %d 条代办、%d 笔收支、%d 条流转记录到 %s（%s）\n",
			reply.Requests, reply.Entries, reply.Events, reply.File, masked)
		return nil
	}
}
