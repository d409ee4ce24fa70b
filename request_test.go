package towndesk

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// invalidWith reports whether err is an EINVALID error whose message, the
// sentence a user sees, contains part.
func invalidWith(err error, part string) bool {
	return ErrorCode(err) == EINVALID && strings.Contains(ErrorMessage(err), part)
}

// checkParsed checks one row of a parser's table, where the parser fn was
// given in and returned got and err: with msg "" it wants want and no
// error, else an EINVALID error whose message contains msg.
func checkParsed[T comparable](t *testing.T, fn, in string, got T, err error, want T, msg string) {
	t.Helper()
	if msg == "" {
		if err != nil || got != want {
			t.Errorf("%s(%q) = %#v, %v, want %#v", fn, in, got, err, want)
		}
		return
	}
	if !invalidWith(err, msg) {
		t.Errorf("%s(%q) = %#v, %v, want EINVALID containing %q", fn, in, got, err, msg)
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		name, in string
		want     Status
	}{
		{"English", "in_progress", StatusInProgress},
		{"English with hyphen and capitals", "In-Progress", StatusInProgress},
		{"Chinese", "待部门办理", StatusWaitingDept},
		{"Chinese with spaces", " 已办结 ", StatusDone},
	}
	for _, tt := range tests {
		if got, err := ParseStatus(tt.in); err != nil || got != tt.want {
			t.Errorf("%s: ParseStatus(%q) = %q, %v, want %q", tt.name, tt.in, got, err, tt.want)
		}
	}
	if _, err := ParseStatus("finished"); !invalidWith(err, "已办结（done）") {
		t.Errorf("ParseStatus(finished) = %v, want EINVALID listing the statuses", err)
	}
}

func TestCheckMove(t *testing.T) {
	tests := []struct {
		name     string
		from, to Status
		want     string // "" for allowed; else part of the message
	}{
		{"accept", StatusReceived, StatusAccepted, ""},
		{"reject", StatusReceived, StatusRejected, ""},
		{"start", StatusAccepted, StatusInProgress, ""},
		{"wait for department", StatusInProgress, StatusWaitingDept, ""},
		{"resume", StatusWaitingDept, StatusInProgress, ""},
		{"finish", StatusInProgress, StatusDone, ""},
		{"skip acceptance", StatusReceived, StatusDone,
			"代办当前状态为「已登记」，不能转为「已办结」；可转为：已受理（accepted）、不予受理（rejected）、已撤销（cancelled）"},
		{"cancel while waiting for department", StatusWaitingDept, StatusCancelled, "可转为：办理中（in_progress）"},
		{"same status", StatusInProgress, StatusInProgress, "当前状态已是「办理中」"},
		{"close without follow-up", StatusDone, StatusClosed, "下一步是回访"},
		{"final", StatusCancelled, StatusInProgress, "「已撤销」，已经结束"},
	}
	for _, tt := range tests {
		err := CheckMove(tt.from, tt.to)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: CheckMove(%s, %s) = %v, want nil", tt.name, tt.from, tt.to, err)
			}
			continue
		}
		if !invalidWith(err, tt.want) {
			t.Errorf("%s: CheckMove(%s, %s) = %v, want message containing %q", tt.name, tt.from, tt.to, err, tt.want)
		}
	}
	// The table is complete: every status has a Chinese name, and every
	// target is a known status.
	for _, s := range Statuses {
		if s.Chinese() == string(s) {
			t.Errorf("status %s has no Chinese name", s)
		}
		for _, n := range s.Next() {
			if !n.Valid() {
				t.Errorf("status %s moves to unknown %s", s, n)
			}
		}
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		name, in string
		want     Money
		msg      string
	}{
		{"whole yuan", "50", 5000, ""},
		{"one decimal", "50.5", 5050, ""},
		{"two decimals", "50.00", 5000, ""},
		{"fen", "0.01", 1, ""},
		{"with 元", "12.30元", 1230, ""},
		{"largest", "9999999.99", 999999999, ""},
		{"zero", "0", 0, "不能为零"},
		{"zero with decimals", "0.00", 0, "不能为零"},
		{"negative", "-5", 0, "负数"},
		{"three decimals", "50.001", 0, "最多两位小数"},
		{"letters", "五十", 0, "不是数字"},
		{"comma", "1,000", 0, "不是数字"},
		{"trailing dot", "50.", 0, "不是数字"},
		{"leading dot", ".5", 0, "不是数字"},
		{"exponent", "1e3", 0, "不是数字"},
		{"plus sign", "+5", 0, "不是数字"},
		{"leading zero", "050", 0, "前导零"},
		{"too large", "10000000", 0, "过大"},
		{"absurd", "99999999999999999999999", 0, "过大"},
		{"empty", " ", 0, "请填写金额"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMoney(tt.in)
			checkParsed(t, "ParseMoney", tt.in, got, err, tt.want, tt.msg)
		})
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"50", "50.5", "0.01", "-1", "1e3", "9999999.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			return
		}
		if m <= 0 || m > MaxMoney {
			t.Fatalf("ParseMoney(%q) = %d, outside (0, MaxMoney]", s, m)
		}
		if back, err := ParseMoney(m.String()); err != nil || back != m {
			t.Errorf("ParseMoney(%q) = %d; ParseMoney(%q) = %d, %v", s, m, m.String(), back, err)
		}
	})
}

func TestBalance(t *testing.T) {
	b := BalanceOf([]LedgerEntry{
		{Type: EntryReceived, Amount: 5000},
		{Type: EntryPaid, Amount: 3000},
		{Type: EntryCollected, Amount: 12050},
		{Type: EntryHanded, Amount: 12050},
	})
	if diff := cmp.Diff(Balance{Received: 5000, Paid: 3000, Collected: 12050, Handed: 12050}, b); diff != "" {
		t.Errorf("BalanceOf mismatch (-want +got):\n%s", diff)
	}
	if b.Balanced() {
		t.Errorf("Balanced() = true with 收取 50 and 支付 30")
	}
	want := "收取 50.00 元，支付 30.00 元，差额 20.00 元；领取 120.50 元，交付 120.50 元，差额 0.00 元"
	if got := b.String(); got != want {
		t.Errorf("Balance.String() = %q, want %q", got, want)
	}
	b.Add(EntryPaid, 2000)
	if !b.Balanced() {
		t.Errorf("Balanced() = false after paying the rest: %s", b)
	}
	if got := Money(-2050).String(); got != "-20.50" {
		t.Errorf("Money(-2050).String() = %q, want -20.50", got)
	}
}

func TestParseKinds(t *testing.T) {
	got, err := ParseKinds(strings.NewReader("# 类型\n代办证件 5\n申请资金 10 # 补贴\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Kind{{"代办证件", 5}, {"申请资金", 10}}, got); diff != "" {
		t.Errorf("ParseKinds mismatch (-want +got):\n%s", diff)
	}
	for _, in := range []string{"代办证件", "代办证件 0", "代办证件 5\n代办证件 6", "", "a b c"} {
		if _, err := ParseKinds(strings.NewReader(in)); ErrorCode(err) != EINVALID {
			t.Errorf("ParseKinds(%q) = %v, want EINVALID", in, err)
		}
	}
	if _, err := FindKind(DefaultKinds(), "办证"); err == nil || !strings.Contains(ErrorMessage(err), "代办证件、申报项目") {
		t.Errorf("FindKind(办证) = %v, want error listing the kinds", err)
	}
	if k, err := FindKind(DefaultKinds(), "缴纳费用"); err != nil || k.Days != 2 {
		t.Errorf("FindKind(缴纳费用) = %v, %v, want 2 days", k, err)
	}
}

func validRequest() Request {
	return Request{
		Town:         Place{Province: "山东省", County: "滕州市", CountyCode: "370481", Town: "滨湖镇", TownCode: "370481113"},
		Citizen:      "张三",
		Phone:        "13812345678",
		IDNumber:     "110101199003071233",
		Kind:         "代办证件",
		PromisedDays: 5,
		Matter:       "补办身份证",
		CreatedBy:    "王芳",
	}
}

func TestRequestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *Request)
		want   string
	}{
		{"no town", func(r *Request) { r.Town = Place{} }, "请填写乡镇"},
		{"no citizen", func(r *Request) { r.Citizen = " " }, "请填写群众姓名"},
		{"bad phone", func(r *Request) { r.Phone = "1381234567" }, "电话号码"},
		{"bad ID", func(r *Request) { r.IDNumber = "110101199003071234" }, "校验位"},
		{"no matter", func(r *Request) { r.Matter = "" }, "请填写办理事项"},
		{"empty material", func(r *Request) { r.Materials = []string{"户口本", ""} }, "材料名称不能为空"},
		{"no creator", func(r *Request) { r.CreatedBy = "" }, "登记人"},
	}
	r := validRequest()
	if err := r.Validate(); err != nil {
		t.Fatalf("Validate() = %v for a valid request", err)
	}
	for _, tt := range tests {
		r := validRequest()
		tt.change(&r)
		if err := r.Validate(); !invalidWith(err, tt.want) {
			t.Errorf("%s: Validate() = %v, want EINVALID containing %q", tt.name, err, tt.want)
		}
	}
}

func TestRequestOverdue(t *testing.T) {
	waitStart := time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC) // 2026-03-03 in China
	tests := []struct {
		name     string
		r        Request
		today    Date
		overdue  bool
		daysLate int
	}{
		{"on time", Request{Status: StatusInProgress, Due: "2026-03-06"}, "2026-03-06", false, 0},
		{"late over a weekend", Request{Status: StatusInProgress, Due: "2026-03-06"}, "2026-03-10", true, 2},
		{"done is never overdue", Request{Status: StatusDone, Due: "2026-03-06"}, "2026-03-10", false, 0},
		{"waiting stops the clock", Request{Status: StatusWaitingDept, Due: "2026-03-04", WaitingSince: waitStart}, "2026-03-20", false, 0},
		{"late before waiting", Request{Status: StatusWaitingCitizen, Due: "2026-03-02", WaitingSince: waitStart}, "2026-03-20", true, 1},
		{"not accepted yet", Request{Status: StatusReceived}, "2026-03-20", false, 0},
	}
	for _, tt := range tests {
		if got := tt.r.Overdue(tt.today); got != tt.overdue {
			t.Errorf("%s: Overdue(%s) = %v, want %v", tt.name, tt.today, got, tt.overdue)
		}
		if got := tt.r.DaysLate(nil, tt.today); got != tt.daysLate {
			t.Errorf("%s: DaysLate(%s) = %d, want %d", tt.name, tt.today, got, tt.daysLate)
		}
	}
}
