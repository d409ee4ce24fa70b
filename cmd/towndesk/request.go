package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/desk"
	"github.com/towndesk/towndesk/storage"
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
// county, --town must name both (滕州市滨湖镇). Another county's town can
// always be written with its county (昌吉市滨湖镇).
//
// --by (env TOWNDESK_USER, else USER, else "desk") is who is acting.

const requestSubcommands = "new|list|show|move|assign|note|pay|followup|extend|export"

func (m *Main) runRequest(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("请给出子命令：%s", requestSubcommands)
	}
	subs := map[string]func(context.Context, []string) error{
		"new": m.requestNew, "list": m.requestList, "show": m.requestShow, "move": m.requestMove,
		"assign": m.requestAssign, "note": m.requestNote, "pay": m.requestPay, "followup": m.requestFollowUp,
		"extend": m.requestExtend, "export": m.requestExport,
	}
	run, ok := subs[args[0]]
	if !ok {
		return usagef("未知子命令 %q；可用：%s", args[0], requestSubcommands)
	}
	return run(ctx, args[1:])
}

// deskFlags are the flags every request subcommand takes.
type deskFlags struct {
	data, by, county *string
}

func (m *Main) deskFlagSet(name string, withCounty bool) (*flag.FlagSet, deskFlags) {
	fs := m.newFlagSet("request " + name)
	f := deskFlags{data: m.dataFlag(fs)}
	by := m.env("TOWNDESK_USER", m.env("USER", "desk"))
	f.by = fs.String("by", by, "who is acting (env TOWNDESK_USER, else USER)")
	if withCounty {
		f.county = fs.String("county", m.Getenv("TOWNDESK_COUNTY"), "the desk's county, where --town is looked up (env TOWNDESK_COUNTY)")
	}
	return fs, f
}

// openDesk opens the data directory and returns the desk over it; the
// caller closes db. The gazetteer is loaded only when towns are looked up.
func (m *Main) openDesk(f deskFlags) (*desk.Desk, *storage.DB, error) {
	cal, err := readDataFile(*f.data, "holidays.txt", towndesk.ParseCalendar)
	if err != nil {
		return nil, nil, err
	}
	kinds, err := readDataFile(*f.data, "kinds.txt", towndesk.ParseKinds)
	if err != nil {
		return nil, nil, err
	}
	cfg := desk.Config{Calendar: cal, Kinds: kinds, Now: m.Now}
	if f.county != nil {
		gaz, err := m.gazetteer()
		if err != nil {
			return nil, nil, err
		}
		cfg.Places = gaz
		if *f.county != "" {
			if cfg.County, err = gaz.ResolveCounty(*f.county, ""); err != nil {
				return nil, nil, err
			}
		}
	}
	db, err := m.openDB(*f.data)
	if err != nil {
		return nil, nil, err
	}
	return desk.New(db, cfg), db, nil
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

// positional checks that exactly n positional arguments were given.
func positional(rest []string, n int, what string) error {
	if len(rest) != n {
		return usagef("需要 %s", what)
	}
	return nil
}

func (m *Main) requestNew(ctx context.Context, args []string) error {
	fs, f := m.deskFlagSet("new", true)
	var in desk.RequestNewInput
	fs.StringVar(&in.Town, "town", "", "town (滨湖镇) or county and town (滕州市滨湖镇)")
	fs.StringVar(&in.Citizen, "citizen", "", "citizen's name")
	fs.StringVar(&in.Phone, "phone", "", "citizen's phone: mobile or landline with area code")
	fs.StringVar(&in.IDNumber, "id", "", "citizen's ID number (optional)")
	fs.StringVar(&in.Village, "village", "", "village or community")
	fs.StringVar(&in.Kind, "kind", "", "kind of errand: 代办证件, 申报项目, 申请资金, 缴纳费用, 代领资金, 其他")
	fs.StringVar(&in.Matter, "matter", "", "what is to be done")
	fs.StringVar(&in.Materials, "materials", "", "materials received, comma separated")
	fs.StringVar(&in.Item, "item", "", "related power-list item code (optional)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional(rest, 0, "只用选项，不要多余的参数"); err != nil {
		return err
	}
	dk, db, err := m.openDesk(f)
	if err != nil {
		return err
	}
	defer db.Close()
	in.By = *f.by
	reply, err := dk.New(ctx, in)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, reply.Request.ID)
	fmt.Fprintln(m.Stderr, reply.Message)
	return nil
}

// filterFlags registers the list filters on fs.
func filterFlags(fs *flag.FlagSet, in *desk.RequestFilterInput) {
	fs.StringVar(&in.Status, "status", "", "status, English or Chinese (in_progress, 办理中)")
	fs.StringVar(&in.Town, "town", "", "town")
	fs.StringVar(&in.Assignee, "assignee", "", "assignee")
	fs.StringVar(&in.Kind, "kind", "", "kind of errand")
	fs.BoolVar(&in.Overdue, "overdue", false, "only requests past their due date")
	fs.StringVar(&in.Since, "since", "", "only requests logged on or after DATE (2026-03-01)")
}

func (m *Main) requestList(ctx context.Context, args []string) error {
	fs, f := m.deskFlagSet("list", true)
	var in desk.RequestListInput
	filterFlags(fs, &in.RequestFilterInput)
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional(rest, 0, "只用选项，不要多余的参数"); err != nil {
		return err
	}
	dk, db, err := m.openDesk(f)
	if err != nil {
		return err
	}
	defer db.Close()
	reply, err := dk.List(ctx, in)
	if err != nil {
		return err
	}
	if *asJSON {
		return m.printJSON(reply)
	}
	fmt.Fprint(m.Stdout, reply.Text())
	return nil
}

func (m *Main) requestShow(ctx context.Context, args []string) error {
	fs, f := m.deskFlagSet("show", false)
	reveal := fs.Bool("reveal", false, "show phone and ID numbers in full (recorded)")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional(rest, 1, "代办编号，如 request show 2026-0001"); err != nil {
		return err
	}
	dk, db, err := m.openDesk(f)
	if err != nil {
		return err
	}
	defer db.Close()
	reply, err := dk.Show(ctx, desk.RequestShowInput{ID: rest[0], By: *f.by, Reveal: *reveal})
	if err != nil {
		return err
	}
	if *asJSON {
		return m.printJSON(reply)
	}
	fmt.Fprint(m.Stdout, reply.Text())
	return nil
}

// change runs one command that changes a request and prints its message.
func (m *Main) change(f deskFlags, do func(*desk.Desk) (*desk.RequestReply, error)) error {
	dk, db, err := m.openDesk(f)
	if err != nil {
		return err
	}
	defer db.Close()
	reply, err := do(dk)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, reply.Message)
	return nil
}

func (m *Main) requestMove(ctx context.Context, args []string) error {
	fs, f := m.deskFlagSet("move", false)
	var in desk.RequestMoveInput
	fs.StringVar(&in.Note, "note", "", "remark")
	fs.StringVar(&in.Result, "result", "", "result (required for done)")
	fs.StringVar(&in.Reason, "reason", "", "reason (required for rejected and cancelled)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional(rest, 2, "代办编号和新状态，如 request move 2026-0001 accepted"); err != nil {
		return err
	}
	in.ID, in.To, in.By = rest[0], rest[1], *f.by
	return m.change(f, func(d *desk.Desk) (*desk.RequestReply, error) { return d.Move(ctx, in) })
}

func (m *Main) requestAssign(ctx context.Context, args []string) error {
	fs, f := m.deskFlagSet("assign", false)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional(rest, 2, "代办编号和承办人，如 request assign 2026-0001 李娜"); err != nil {
		return err
	}
	in := desk.RequestAssignInput{ID: rest[0], Assignee: rest[1], By: *f.by}
	return m.change(f, func(d *desk.Desk) (*desk.RequestReply, error) { return d.Assign(ctx, in) })
}

func (m *Main) requestNote(ctx context.Context, args []string) error {
	fs, f := m.deskFlagSet("note", false)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) < 2 {
		return usagef("需要代办编号和备注内容，如 request note 2026-0001 已电话联系")
	}
	in := desk.RequestNoteInput{ID: rest[0], Text: joinArgs(rest[1:]), By: *f.by}
	return m.change(f, func(d *desk.Desk) (*desk.RequestReply, error) { return d.Note(ctx, in) })
}

func (m *Main) requestPay(ctx context.Context, args []string) error {
	fs, f := m.deskFlagSet("pay", false)
	var in desk.RequestPayInput
	fs.StringVar(&in.Type, "type", "", "收取, 支付, 领取 or 交付")
	fs.StringVar(&in.Amount, "amount", "", "amount in yuan, e.g. 50.00")
	fs.StringVar(&in.Receipt, "receipt", "", "receipt number")
	fs.StringVar(&in.Note, "note", "", "remark")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional(rest, 1, "代办编号，如 request pay 2026-0001 --type 收取 --amount 50"); err != nil {
		return err
	}
	in.ID, in.By = rest[0], *f.by
	return m.change(f, func(d *desk.Desk) (*desk.RequestReply, error) { return d.Pay(ctx, in) })
}

func (m *Main) requestFollowUp(ctx context.Context, args []string) error {
	fs, f := m.deskFlagSet("followup", false)
	var in desk.RequestFollowUpInput
	fs.StringVar(&in.Result, "result", "", "满意, 基本满意 or 不满意")
	fs.StringVar(&in.Note, "note", "", "remark")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional(rest, 1, "代办编号，如 request followup 2026-0001 --result 满意"); err != nil {
		return err
	}
	in.ID, in.By = rest[0], *f.by
	return m.change(f, func(d *desk.Desk) (*desk.RequestReply, error) { return d.FollowUp(ctx, in) })
}

func (m *Main) requestExtend(ctx context.Context, args []string) error {
	fs, f := m.deskFlagSet("extend", false)
	days := fs.String("days", "", "working days to add to the due date")
	reason := fs.String("reason", "", "why (required)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional(rest, 1, "代办编号，如 request extend 2026-0001 --days 3 --reason 部门系统故障"); err != nil {
		return err
	}
	n, err := strconv.Atoi(*days)
	if err != nil {
		return towndesk.Errorf(towndesk.EINVALID, "--days 应为工作日数，如 3，不是「%s」", *days)
	}
	in := desk.RequestExtendInput{ID: rest[0], Days: n, Reason: *reason, By: *f.by}
	return m.change(f, func(d *desk.Desk) (*desk.RequestReply, error) { return d.Extend(ctx, in) })
}

func (m *Main) requestExport(ctx context.Context, args []string) error {
	fs, f := m.deskFlagSet("export", true)
	var in desk.RequestExportInput
	fs.StringVar(&in.File, "xlsx", "", "the .xlsx file to write")
	fs.BoolVar(&in.Full, "full", false, "phone and ID numbers unmasked (recorded)")
	filterFlags(fs, &in.RequestFilterInput)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional(rest, 0, "只用选项，如 request export --xlsx 台账.xlsx"); err != nil {
		return err
	}
	if in.File == "" {
		return usagef("请用 --xlsx 指定导出文件")
	}
	dk, db, err := m.openDesk(f)
	if err != nil {
		return err
	}
	defer db.Close()
	in.By = *f.by
	reply, err := dk.Export(ctx, in)
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
