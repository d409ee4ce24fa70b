package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/towndesk/towndesk"
)

// deskCLI boots Main on one data directory with a desk worker's
// environment and a settable clock.
type deskCLI struct {
	t    *testing.T
	dir  string
	env  map[string]string
	now  time.Time
	last struct{ stdout, stderr string }
}

func newDeskCLI(t *testing.T) *deskCLI {
	return &deskCLI{
		t:   t,
		dir: t.TempDir(),
		env: map[string]string{"TOWNDESK_COUNTY": "滕州市", "TOWNDESK_USER": "王芳", "USER": "root"},
		now: time.Date(2026, 3, 2, 9, 0, 0, 0, towndesk.ChinaTime), // a Monday
	}
}

// run runs "towndesk request ARGS --data DIR" and returns its exit status.
func (c *deskCLI) run(args ...string) int {
	c.t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return c.env[k] }, Now: func() time.Time { return c.now }}
	code := m.Run(context.Background(), append(append([]string{"request"}, args...), "--data", c.dir))
	c.last.stdout, c.last.stderr = out.String(), errb.String()
	return code
}

// ok runs the command and fails the test unless it succeeds.
func (c *deskCLI) ok(args ...string) string {
	c.t.Helper()
	if code := c.run(args...); code != 0 {
		c.t.Fatalf("towndesk request %s: exit %d\n%s%s", strings.Join(args, " "), code, c.last.stdout, c.last.stderr)
	}
	return c.last.stdout
}

func TestRequestCLIWholeLifecycle(t *testing.T) {
	c := newDeskCLI(t)
	if err := os.WriteFile(filepath.Join(c.dir, "holidays.txt"), []byte(towndesk.HolidaysExample), 0o644); err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(c.ok("new", "--town", "滨湖", "--citizen", "张三", "--phone", "138 1234 5678",
		"--id", "110101199003071233", "--village", "前李村", "--kind", "缴纳费用",
		"--matter", "代缴新农合医保费", "--materials", "身份证复印件,户口本"))
	if id != "2026-0001" {
		t.Fatalf("new printed %q, want 2026-0001", id)
	}
	if !strings.Contains(c.last.stderr, "已登记代办 2026-0001：滕州市滨湖镇前李村 张三") {
		t.Errorf("new said %q", c.last.stderr)
	}

	// 缴纳费用 is promised in 2 working days: accepted Monday, due Wednesday.
	if out := c.ok("move", id, "accepted"); !strings.Contains(out, "已登记 → 已受理，办理时限 2026-03-04（2 个工作日）") {
		t.Errorf("move accepted said %q", out)
	}
	c.ok("assign", id, "李娜")
	c.env["TOWNDESK_USER"] = "李娜"
	c.ok("move", id, "办理中")
	c.ok("note", id, "已电话联系", "群众本人")
	if out := c.ok("pay", id, "--type", "收取", "--amount", "380", "--receipt", "SJ-001"); !strings.Contains(out, "收取 380.00 元，支付 0.00 元，差额 380.00 元") {
		t.Errorf("pay 收取 said %q", out)
	}
	c.ok("pay", id, "--type", "支付", "--amount", "380.00", "--note", "医保局")
	c.now = c.now.Add(26 * time.Hour)
	c.ok("move", id, "done", "--result", "已缴费，收据交本人")
	c.env["TOWNDESK_USER"] = "王芳"
	if out := c.ok("followup", id, "--result", "满意"); !strings.Contains(out, "回访满意，已归档") {
		t.Errorf("followup said %q", out)
	}

	show := c.ok("show", id)
	for _, want := range []string{
		"代办 2026-0001  已回访归档", "电话：138****5678", "身份证号：110101********1233",
		"收支：收取 380.00 元，支付 380.00 元，差额 0.00 元", "票据号 SJ-001",
		"李娜  流转 办理中 → 已办结（结果：已缴费，收据交本人）", "王芳  回访 满意",
		"李娜  备注（已电话联系 群众本人）", "王芳  指派 李娜",
	} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	if strings.Contains(show, "13812345678") || strings.Contains(show, "110101199003071233") {
		t.Errorf("show prints personal data unmasked:\n%s", show)
	}
	if out := c.ok("show", id, "--reveal"); !strings.Contains(out, "电话：13812345678") || !strings.Contains(out, "查看完整信息") {
		t.Errorf("show --reveal did not reveal and record:\n%s", out)
	}

	list := c.ok("list", "--status", "closed", "--town", "滨湖镇")
	if !strings.Contains(list, "2026-0001  已回访归档  滨湖镇 前李村  张三 138****5678  缴纳费用  承办:李娜") || !strings.Contains(list, "共 1 条") {
		t.Errorf("list =\n%s", list)
	}
	var reply struct {
		Rows []struct {
			ID    string `json:"id"`
			Phone string `json:"phone"`
		} `json:"rows"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(c.ok("list", "--json")), &reply); err != nil || reply.Total != 1 || reply.Rows[0].Phone != "138****5678" {
		t.Errorf("list --json = %+v, %v; want one row with a masked phone", reply, err)
	}

	file := filepath.Join(c.dir, "台账.xlsx")
	if out := c.ok("export", "--xlsx", file); !strings.Contains(out, "已导出 1 条代办、2 笔收支") || !strings.Contains(out, "已遮挡") {
		t.Errorf("export said %q", out)
	}
	x, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got, _ := x.GetCellValue("代办事项", "G2"); got != "138****5678" {
		t.Errorf("exported phone = %q, want 138****5678", got)
	}
}

func TestRequestCLIErrors(t *testing.T) {
	c := newDeskCLI(t)
	id := strings.TrimSpace(c.ok("new", "--town", "滨湖镇", "--citizen", "张三", "--phone", "13812345678",
		"--kind", "其他", "--matter", "咨询"))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad phone", []string{"new", "--town", "滨湖镇", "--citizen", "李四", "--phone", "12345", "--kind", "其他", "--matter", "x"}, 1, "错误: 电话号码「12345」不对"},
		{"bad ID", []string{"new", "--town", "滨湖镇", "--citizen", "李四", "--phone", "13812345678", "--id", "110101199003071234", "--kind", "其他", "--matter", "x"}, 1, "身份证号校验位不对"},
		{"unknown town", []string{"new", "--town", "火星镇", "--citizen", "李四", "--phone", "13812345678", "--kind", "其他", "--matter", "x"}, 1, "火星镇"},
		{"unknown item", []string{"new", "--town", "滨湖镇", "--citizen", "李四", "--phone", "13812345678", "--kind", "其他", "--matter", "x", "--item", "NO-SUCH"}, 1, "没有编码为 NO-SUCH 的事项"},
		{"disallowed move", []string{"move", id, "done", "--result", "x"}, 1, "代办当前状态为「已登记」，不能转为「已办结」；可转为：已受理（accepted）"},
		{"rejected without reason", []string{"move", id, "不予受理"}, 1, "「不予受理」须写明理由"},
		{"bad amount", []string{"pay", id, "--type", "收取", "--amount", "50.001"}, 1, "最多两位小数"},
		{"extend without reason", []string{"extend", id, "--days", "3"}, 1, "延期须写明理由"},
		{"extend days not a number", []string{"extend", id, "--days", "三", "--reason", "x"}, 1, "--days 应为工作日数"},
		{"unknown id", []string{"show", "2026-0404"}, 1, "没有编号为 2026-0404 的代办"},
		{"missing id", []string{"show"}, 2, "需要 代办编号"},
		{"unknown subcommand", []string{"delete", id}, 2, "未知子命令"},
		{"export without file", []string{"export"}, 2, "请用 --xlsx 指定导出文件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := c.run(tt.args...); code != tt.code || !strings.Contains(c.last.stderr, tt.want) {
				t.Errorf("request %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tt.args, " "), code, c.last.stderr, tt.code, tt.want)
			}
		})
	}
	// Nothing was written by the failures: one request, one event.
	show := c.ok("show", id)
	if strings.Count(show, "\n  ") != 1 || !strings.Contains(show, "已登记（版本 1）") {
		t.Errorf("after failed commands show =\n%s", show)
	}
	if list := c.ok("list"); !strings.Contains(list, "共 1 条") {
		t.Errorf("after failed commands list =\n%s", list)
	}
}

func TestRequestCLIDataFiles(t *testing.T) {
	c := newDeskCLI(t)
	// A town named with its county needs no desk county.
	delete(c.env, "TOWNDESK_COUNTY")
	if err := os.WriteFile(filepath.Join(c.dir, "kinds.txt"), []byte("代办证件 3\n低保申请 15\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(c.ok("new", "--town", "滕州市滨湖镇", "--citizen", "张三", "--phone", "0632-5551234",
		"--kind", "低保申请", "--matter", "申请低保"))
	if out := c.ok("move", id, "accepted"); !strings.Contains(out, "（15 个工作日）") {
		t.Errorf("accepting a configured kind said %q, want 15 working days", out)
	}
	if code := c.run("new", "--town", "滨湖镇", "--citizen", "张三", "--phone", "13812345678", "--kind", "代办证件", "--matter", "x"); code != 1 {
		t.Errorf("town without county and no desk county: exit %d, want 1", code)
	}
	if code := c.run("new", "--county", "滕州", "--town", "滨湖镇", "--citizen", "李四", "--phone", "13812345678", "--kind", "代办证件", "--matter", "x"); code != 0 {
		t.Errorf("--county 滕州 --town 滨湖镇: exit %d, %s", code, c.last.stderr)
	}

	if err := os.WriteFile(filepath.Join(c.dir, "holidays.txt"), []byte("2026-01-01 休 元旦\n2026-01-05 班\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := c.run("show", id); code != 1 || !strings.Contains(c.last.stderr, "holidays.txt：节假日文件第 2 行「2026-01-05 班」：2026-01-05 是星期一") {
		t.Errorf("bad holidays.txt: exit %d, stderr %q", code, c.last.stderr)
	}
}

// TestRequestCLIReverse corrects a mistyped amount from the command line:
// pay --reverse ENTRY --reason R, shown in show; bad uses are refused.
func TestRequestCLIReverse(t *testing.T) {
	c := newDeskCLI(t)
	id := strings.TrimSpace(c.ok("new", "--town", "滨湖镇", "--citizen", "张三", "--phone", "13812345678",
		"--kind", "代办证件", "--matter", "代办残疾证"))
	c.ok("move", id, "已受理")
	c.ok("move", id, "办理中")
	c.ok("pay", id, "--type", "收取", "--amount", "200")
	c.ok("pay", id, "--type", "支付", "--amount", "20")
	if code := c.run("move", id, "done", "--result", "已办好"); code != 1 || !strings.Contains(c.last.stderr, "收支未平") {
		t.Fatalf("done with an unbalanced ledger: exit %d, %q", code, c.last.stderr)
	}
	out := c.ok("pay", id, "--reverse", "#1", "--reason", "金额录错，应为 20 元")
	if !strings.Contains(out, "已冲正收支 #1（收取 200.00 元）") {
		t.Errorf("pay --reverse said %q", out)
	}
	c.ok("pay", id, "--type", "收取", "--amount", "20")
	c.ok("move", id, "done", "--result", "已办好")
	show := c.ok("show", id)
	for _, want := range []string{"#1  2026-03-02 09:00  收取 200.00 元  王芳（已由 #3 冲正）", "#3  2026-03-02 09:00  冲正 #1：收取 -200.00 元  王芳  理由：金额录错，应为 20 元",
		"收支：收取 20.00 元，支付 20.00 元，差额 0.00 元"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"pay", id, "--reverse", "1", "--reason", "再冲一次"}, 1, "已办结，不能再登记收支"},
		{[]string{"pay", id, "--reverse", "1"}, 1, "冲正须写明理由"},
		{[]string{"pay", id, "--reverse", "1", "--reason", "x", "--amount", "20"}, 2, "冲正（--reverse）只需 --reason"},
		{[]string{"pay", id, "--type", "收取", "--amount", "1", "--reason", "x"}, 2, "--reason 只用于冲正"},
		{[]string{"pay", id, "--reverse", "第一笔", "--reason", "x"}, 1, "收支编号「第一笔」无效"},
	} {
		if code := c.run(tt.args...); code != tt.code || !strings.Contains(c.last.stderr, tt.want) {
			t.Errorf("request %s: exit %d, %q; want exit %d and %q", strings.Join(tt.args, " "), code, c.last.stderr, tt.code, tt.want)
		}
	}
}
