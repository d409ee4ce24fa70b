package towndesk

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where a proxy-service request (代办) stands in its lifecycle.
type Status string

// The statuses of a request. Their Chinese names are what users read; the
// English names are what is stored.
const (
	StatusReceived       Status = "received"        // 已登记
	StatusAccepted       Status = "accepted"        // 已受理
	StatusInProgress     Status = "in_progress"     // 办理中
	StatusWaitingCitizen Status = "waiting_citizen" // 待补材料
	StatusWaitingDept    Status = "waiting_dept"    // 待部门办理
	StatusDone           Status = "done"            // 已办结
	StatusClosed         Status = "closed"          // 已回访归档
	StatusRejected       Status = "rejected"        // 不予受理
	StatusCancelled      Status = "cancelled"       // 已撤销
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{
	StatusReceived, StatusAccepted, StatusInProgress, StatusWaitingCitizen, StatusWaitingDept,
	StatusDone, StatusClosed, StatusRejected, StatusCancelled,
}

var statusChinese = map[Status]string{
	StatusReceived:       "已登记",
	StatusAccepted:       "已受理",
	StatusInProgress:     "办理中",
	StatusWaitingCitizen: "待补材料",
	StatusWaitingDept:    "待部门办理",
	StatusDone:           "已办结",
	StatusClosed:         "已回访归档",
	StatusRejected:       "不予受理",
	StatusCancelled:      "已撤销",
}

// Chinese returns the status's Chinese name (已受理); the English name for an
// unknown status.
func (s Status) Chinese() string {
	if c, ok := statusChinese[s]; ok {
		return c
	}
	return string(s)
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	_, ok := statusChinese[s]
	return ok
}

// Waiting reports whether s is a waiting status, during which the promised
// time does not run.
func (s Status) Waiting() bool { return s == StatusWaitingCitizen || s == StatusWaitingDept }

// Active reports whether the request has been accepted and is not yet done:
// it has a due date and can be overdue.
func (s Status) Active() bool {
	return s == StatusAccepted || s == StatusInProgress || s.Waiting()
}

// Final reports whether no move can leave s.
func (s Status) Final() bool { return s == StatusClosed || s == StatusRejected || s == StatusCancelled }

// ActiveStatuses lists the statuses for which Active is true.
var ActiveStatuses = []Status{StatusAccepted, StatusInProgress, StatusWaitingCitizen, StatusWaitingDept}

// ParseStatus returns the status named by s, in English (in_progress, also
// in-progress) or Chinese (办理中). It returns an EINVALID error listing the
// valid names otherwise.
func ParseStatus(s string) (Status, error) {
	t := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")
	for _, st := range Statuses {
		if t == string(st) || t == statusChinese[st] {
			return st, nil
		}
	}
	var names []string
	for _, st := range Statuses {
		names = append(names, string(st), statusChinese[st])
	}
	hint := ""
	if sug := Suggest(t, names); sug != "" {
		st, _ := ParseStatus(sug)
		hint = fmt.Sprintf("是不是：%s（%s）？", st.Chinese(), st)
	}
	return "", Invalidf("status", "未知状态「%s」；%s可用：%s", s, hint, statusList(Statuses))
}

// statusList renders statuses as "已受理（accepted）、办理中（in_progress）".
func statusList(ss []Status) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = fmt.Sprintf("%s（%s）", s.Chinese(), s)
	}
	return strings.Join(parts, "、")
}

// Kind is a kind of errand with its promised time in working days (承诺时限).
type Kind struct {
	Name string `json:"name"`
	Days int    `json:"days"`
}

// DefaultKinds returns the kinds used when the desk configures none:
// 代办证件 5, 申报项目 10, 申请资金 10, 缴纳费用 2, 代领资金 5, 其他 5 working days.
func DefaultKinds() []Kind {
	return []Kind{
		{"代办证件", 5}, {"申报项目", 10}, {"申请资金", 10},
		{"缴纳费用", 2}, {"代领资金", 5}, {"其他", 5},
	}
}

// FindKind returns the kind named name among kinds, or an EINVALID error
// listing the kinds there are.
func FindKind(kinds []Kind, name string) (Kind, error) {
	name = strings.TrimSpace(name)
	names := make([]string, len(kinds))
	for i, k := range kinds {
		if k.Name == name {
			return k, nil
		}
		names[i] = k.Name
	}
	if name == "" {
		return Kind{}, Invalidf("kind", "请填写代办类型；可选：%s", strings.Join(names, "、"))
	}
	return Kind{}, Invalidf("kind", "未知的代办类型「%s」；可选：%s", name, strings.Join(names, "、"))
}

// ParseKinds reads a kinds file: one kind per line, its name and its promised
// time in working days ("代办证件 5"); blank lines and text after # are
// ignored. It returns an EINVALID error naming the first bad line, a line
// over MaxLineBytes, or a read error.
func ParseKinds(r io.Reader) ([]Kind, error) {
	var kinds []Kind
	seen := map[string]bool{}
	err := readLines(r, "代办类型文件", func(f []string) error {
		if len(f) != 2 {
			return Errorf(EINVALID, "应为「类型名称 承诺工作日数」，如「代办证件 5」")
		}
		days, err := strconv.Atoi(f[1])
		if err != nil || days < 1 || days > MaxPromisedDays {
			return Errorf(EINVALID, "承诺时限应为 1 到 %d 之间的工作日数", MaxPromisedDays)
		}
		if seen[f[0]] {
			return Errorf(EINVALID, "类型重复")
		}
		seen[f[0]] = true
		kinds = append(kinds, Kind{Name: f[0], Days: days})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(kinds) == 0 {
		return nil, Errorf(EINVALID, "代办类型文件中没有任何类型")
	}
	return kinds, nil
}

// Money is an amount in fen (分), the unit money is stored in.
type Money int64

// MaxMoney is the largest amount a single ledger entry may carry
// (9,999,999.99 元); anything larger is surely a typing mistake.
const MaxMoney Money = 999_999_999

// ParseMoney parses an amount in yuan with at most two decimals: "50",
// "50.5", "50.00". It returns an EINVALID error with a Chinese message for
// zero, negative, non-numeric or oversized amounts, and for more than two
// decimals.
func ParseMoney(s string) (Money, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(t, "元")
	if t == "" {
		return 0, Invalidf("amount", "请填写金额（元），如 50 或 50.00")
	}
	if t[0] == '-' {
		return 0, Invalidf("amount", "金额「%s」不能为负数", s)
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" || !allDigits(whole) || (hasDot && (frac == "" || !allDigits(frac))) {
		return 0, Invalidf("amount", "金额「%s」不是数字；请写成 50 或 50.00 这样的元数", s)
	}
	if len(frac) > 2 {
		return 0, Invalidf("amount", "金额「%s」最多两位小数（精确到分）", s)
	}
	if len(whole) > 1 && whole[0] == '0' {
		return 0, Invalidf("amount", "金额「%s」有多余的前导零", s)
	}
	if len(whole) > 7 {
		return 0, Invalidf("amount", "金额「%s」过大，单笔不能超过 %s 元", s, MaxMoney)
	}
	yuan, _ := strconv.ParseInt(whole, 10, 64)
	fen := yuan * 100
	if frac != "" {
		f, _ := strconv.ParseInt((frac + "0")[:2], 10, 64)
		fen += f
	}
	switch {
	case fen == 0:
		return 0, Invalidf("amount", "金额不能为零")
	case Money(fen) > MaxMoney:
		return 0, Invalidf("amount", "金额「%s」过大，单笔不能超过 %s 元", s, MaxMoney)
	}
	return Money(fen), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// String returns the amount in yuan with two decimals: "50.00", "-20.50".
func (m Money) String() string {
	sign, u := "", uint64(m)
	if m < 0 {
		sign, u = "-", uint64(-m) // also right for math.MinInt64
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

// Yuan returns the amount in yuan as a float, for spreadsheets only.
func (m Money) Yuan() float64 { return float64(m) / 100 }

// EntryType is the kind of a money ledger entry.
type EntryType string

// The four ledger entry types. Money flows citizen → desk → office (收取,
// 支付) or office → desk → citizen (领取, 交付); a request's ledger balances
// when each flow went all the way through.
const (
	EntryReceived  EntryType = "收取" // received from the citizen
	EntryPaid      EntryType = "支付" // paid to an office
	EntryCollected EntryType = "领取" // collected from an office for the citizen
	EntryHanded    EntryType = "交付" // handed to the citizen
)

// EntryTypes lists the ledger entry types.
var EntryTypes = []EntryType{EntryReceived, EntryPaid, EntryCollected, EntryHanded}

// ParseEntryType returns the entry type named by s (收取 or receive, 支付 or
// pay, 领取 or collect, 交付 or hand), or an EINVALID error.
func ParseEntryType(s string) (EntryType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "收取", "receive":
		return EntryReceived, nil
	case "支付", "pay":
		return EntryPaid, nil
	case "领取", "collect":
		return EntryCollected, nil
	case "交付", "hand":
		return EntryHanded, nil
	}
	return "", Invalidf("type", "未知收支类型「%s」；可用：收取（向群众收取）、支付（向部门支付）、领取（从部门代领）、交付（交给群众）", s)
}

// LedgerEntry is one movement of money on a request.
type LedgerEntry struct {
	ID        int64     `json:"id"`
	RequestID string    `json:"request_id"`
	Type      EntryType `json:"type"`
	Amount    Money     `json:"amount_fen"`
	Receipt   string    `json:"receipt,omitempty"`
	Note      string    `json:"note,omitempty"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	// Reverses is the ID of the entry this one cancels (冲正), 0 for an
	// ordinary entry. A reversing entry has the type and amount of the
	// entry it cancels, its Note is the reason, and it counts against
	// that type in the balance. See Request.Reverse.
	Reverses int64 `json:"reverses,omitempty"`
}

// Signed returns the amount as it counts in the balance: negative for a
// reversing entry.
func (e *LedgerEntry) Signed() Money {
	if e.Reverses != 0 {
		return -e.Amount
	}
	return e.Amount
}

// Validate returns an EINVALID error describing the first thing wrong with e.
func (e *LedgerEntry) Validate() error {
	switch {
	case e.Type != EntryReceived && e.Type != EntryPaid && e.Type != EntryCollected && e.Type != EntryHanded:
		_, err := ParseEntryType(string(e.Type))
		return err
	case e.Amount <= 0:
		return Invalidf("amount", "金额必须大于零")
	case e.Amount > MaxMoney:
		return Invalidf("amount", "金额过大，单笔不能超过 %s 元", MaxMoney)
	case utf8.RuneCountInString(e.Receipt) > MaxReceipt:
		return Invalidf("receipt", "票据号过长（最多 %d 字）", MaxReceipt)
	case utf8.RuneCountInString(e.Note) > MaxText:
		return Invalidf("note", "备注过长（最多 %d 字）", MaxText)
	case strings.TrimSpace(e.By) == "":
		return Invalidf("by", "请注明经办人")
	case e.Reverses < 0:
		return Invalidf("reverse", "冲正的收支编号无效")
	case e.Reverses != 0 && strings.TrimSpace(e.Note) == "":
		return Invalidf("reason", "冲正须写明理由")
	}
	if err := CheckControls("receipt", "票据号", e.Receipt, false); err != nil {
		return err
	}
	return CheckControls("note", "备注", e.Note, true)
}

// Balance sums a request's ledger by entry type.
type Balance struct {
	Received  Money `json:"received_fen"`
	Paid      Money `json:"paid_fen"`
	Collected Money `json:"collected_fen"`
	Handed    Money `json:"handed_fen"`
}

// BalanceOf sums entries; a reversing entry takes away what the entry it
// cancels added.
func BalanceOf(entries []LedgerEntry) Balance {
	var b Balance
	for _, e := range entries {
		b.Add(e.Type, e.Signed())
	}
	return b
}

// Add adds an amount of type t to b.
func (b *Balance) Add(t EntryType, m Money) {
	switch t {
	case EntryReceived:
		b.Received += m
	case EntryPaid:
		b.Paid += m
	case EntryCollected:
		b.Collected += m
	case EntryHanded:
		b.Handed += m
	}
}

// Balanced reports whether everything received was paid on and everything
// collected was handed over: 收取 = 支付 and 领取 = 交付.
func (b Balance) Balanced() bool { return b.Received == b.Paid && b.Collected == b.Handed }

// String renders b for people: "收取 50.00 元，支付 30.00 元，差额 20.00 元；领取 0.00 元，交付 0.00 元，差额 0.00 元".
func (b Balance) String() string {
	return fmt.Sprintf("收取 %s 元，支付 %s 元，差额 %s 元；领取 %s 元，交付 %s 元，差额 %s 元",
		b.Received, b.Paid, b.Received-b.Paid, b.Collected, b.Handed, b.Collected-b.Handed)
}

// Satisfaction is the citizen's answer in the follow-up call (回访).
type Satisfaction string

// The follow-up results. 满意 and 基本满意 close the request; 不满意 reopens it.
const (
	Satisfied       Satisfaction = "满意"
	MostlySatisfied Satisfaction = "基本满意"
	Dissatisfied    Satisfaction = "不满意"
)

// ParseSatisfaction returns the follow-up result named by s, or an
// EINVALID error listing the valid ones.
func ParseSatisfaction(s string) (Satisfaction, error) {
	switch t := Satisfaction(strings.TrimSpace(s)); t {
	case Satisfied, MostlySatisfied, Dissatisfied:
		return t, nil
	}
	return "", Invalidf("result", "回访结果「%s」无效；可用：满意、基本满意、不满意", s)
}

// EventType is the kind of change an event records.
type EventType string

// The event types. Every change to a request, and every time someone saw
// its personal data unmasked, is recorded as an event.
const (
	EventCreated    EventType = "created"     // 登记
	EventMoved      EventType = "moved"       // 状态流转; From and To are statuses
	EventAssigned   EventType = "assigned"    // 指派; From and To are users
	EventNoted      EventType = "noted"       // 备注
	EventPaid       EventType = "paid"        // 收支; To is "收取 50.00"
	EventReversed   EventType = "reversed"    // 冲正; From is the entry cancelled ("#12 收取 50.00 元")
	EventFollowedUp EventType = "followed_up" // 回访; To is the result
	EventDue        EventType = "due"         // 办理时限; From and To are dates
	EventRevealed   EventType = "revealed"    // 查看完整个人信息
)

var eventChinese = map[EventType]string{
	EventCreated: "登记", EventMoved: "流转", EventAssigned: "指派", EventNoted: "备注",
	EventPaid: "收支", EventReversed: "冲正", EventFollowedUp: "回访", EventDue: "时限", EventRevealed: "查看完整信息",
}

// Chinese returns the event type's Chinese name; the English one if unknown.
func (t EventType) Chinese() string {
	if c, ok := eventChinese[t]; ok {
		return c
	}
	return string(t)
}

// Event is one entry in a request's history. Events are append-only.
type Event struct {
	ID        int64     `json:"id"`
	RequestID string    `json:"request_id"`
	At        time.Time `json:"at"`
	By        string    `json:"by"`
	Type      EventType `json:"type"`
	From      string    `json:"from,omitempty"`
	To        string    `json:"to,omitempty"`
	Note      string    `json:"note,omitempty"`
}

// Request is a citizen's proxy-service request (代办事项).
type Request struct {
	// ID is YYYY-NNNN, numbered without gaps within the year of creation.
	ID string `json:"id"`
	// Version increases with every change; a change made against an older
	// version is refused so that no one overwrites what they have not seen.
	Version int `json:"version"`

	Town         Place    `json:"town"`
	Village      string   `json:"village,omitempty"`
	Citizen      string   `json:"citizen"`
	Phone        string   `json:"phone"`
	IDNumber     string   `json:"id_number,omitempty"`
	Kind         string   `json:"kind"`
	PromisedDays int      `json:"promised_days"`
	Matter       string   `json:"matter"`
	Materials    []string `json:"materials,omitempty"`
	ItemCode     string   `json:"item_code,omitempty"`
	Assignee     string   `json:"assignee,omitempty"`
	Status       Status   `json:"status"`
	// Due is the promised completion date, set on acceptance and pushed
	// back by the working days spent waiting and by extensions.
	Due Date `json:"due,omitempty"`
	// WaitingSince is when the request entered its current waiting status.
	WaitingSince time.Time `json:"waiting_since,omitzero"`

	Result       string       `json:"result,omitempty"`
	Reason       string       `json:"reason,omitempty"` // why rejected or cancelled
	FollowUp     Satisfaction `json:"follow_up,omitempty"`
	FollowUpNote string       `json:"follow_up_note,omitempty"`
	Reopened     int          `json:"reopened,omitempty"` // times reopened after 不满意

	CreatedBy    string    `json:"created_by"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	AcceptedAt   time.Time `json:"accepted_at,omitzero"`
	DoneAt       time.Time `json:"done_at,omitzero"`
	FollowedUpAt time.Time `json:"followed_up_at,omitzero"`
	EndedAt      time.Time `json:"ended_at,omitzero"` // closed, rejected or cancelled
}

// Validate returns an EINVALID error, its Field set, for the first thing
// wrong with a new request (see Problems). Phone and ID must already be
// normalized (NormalizePhone, NormalizeID).
func (r *Request) Validate() error {
	if ps := r.Problems(); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// Problems returns everything wrong with a new request, in the order of
// the intake form, each an EINVALID *Error whose Field names the input:
// no town, a missing or overlong citizen or matter, a bad phone or ID
// number, no kind or a promised time out of range, too many or bad
// materials, no creator. Phone and ID must already be normalized
// (NormalizePhone, NormalizeID).
func (r *Request) Problems() []error {
	var ps []error
	add := func(field, format string, args ...any) { ps = append(ps, Invalidf(field, format, args...)) }
	if r.Town.TownCode == "" {
		add("town", "请填写乡镇（街道）")
	}
	text := func(field, value string, max int, missing, name string) {
		if err := checkText(field, value, max, missing, name); err != nil {
			ps = append(ps, err)
		}
	}
	text("village", r.Village, MaxName, "", "村（社区）名称")
	text("citizen", r.Citizen, MaxName, "请填写群众姓名", "群众姓名")
	if p, err := NormalizePhone(r.Phone); err != nil {
		ps = append(ps, WithField(err, "phone"))
	} else if p != r.Phone {
		add("phone", "电话号码格式未规范化")
	}
	if r.IDNumber != "" {
		if id, err := NormalizeID(r.IDNumber); err != nil {
			ps = append(ps, WithField(err, "id_number"))
		} else if id != r.IDNumber {
			add("id_number", "身份证号格式未规范化")
		}
	}
	switch {
	case strings.TrimSpace(r.Kind) == "":
		add("kind", "请填写代办类型")
	case r.PromisedDays < 1 || r.PromisedDays > MaxPromisedDays:
		add("kind", "承诺时限应为 1 到 %d 个工作日", MaxPromisedDays)
	}
	text("matter", r.Matter, MaxText, "请填写办理事项", "办理事项")
	if len(r.Materials) > MaxMaterials {
		add("materials", "材料最多 %d 项", MaxMaterials)
	}
	for _, m := range r.Materials {
		if strings.TrimSpace(m) == "" {
			add("materials", "材料名称不能为空")
			break
		}
		if utf8.RuneCountInString(m) > MaxMaterial {
			add("materials", "材料名称「%s」过长（最多 %d 字）", m, MaxMaterial)
			break
		}
		if err := CheckControls("materials", "已收材料", m, false); err != nil {
			ps = append(ps, err)
			break
		}
	}
	if strings.TrimSpace(r.CreatedBy) == "" {
		add("by", "请注明登记人")
	} else if err := checkText("by", r.CreatedBy, MaxName, "", "登记人"); err != nil {
		ps = append(ps, err)
	}
	return ps
}

// LateDue returns the due date against which r counts as overdue: its due
// date while it is accepted or in progress; while it waits, its clock is
// stopped, so only if it was already late when it started waiting; ""
// otherwise (not accepted yet, finished, or waiting on time).
func (r *Request) LateDue() Date {
	if !r.Status.Active() || r.Due.IsZero() {
		return ""
	}
	if r.Status.Waiting() && !r.WaitingSince.IsZero() && r.Due >= DateOf(r.WaitingSince) {
		return ""
	}
	return r.Due
}

// Overdue reports whether r is past its due date on day today (see LateDue).
func (r *Request) Overdue(today Date) bool {
	d := r.LateDue()
	return d != "" && d < today
}

// DaysLate returns how many working days r is past its due date on day
// today (0 if it is not overdue), by calendar c.
func (r *Request) DaysLate(c *Calendar, today Date) int {
	if !r.Overdue(today) {
		return 0
	}
	if r.Status.Waiting() && !r.WaitingSince.IsZero() {
		today = DateOf(r.WaitingSince)
	}
	return c.WorkingDaysBetween(r.Due, today)
}

// RequestFilter selects requests; nil fields do not filter.
type RequestFilter struct {
	Status     *Status
	TownCode   *string
	CountyCode *string
	Assignee   *string
	Kind       *string
	// OverdueOn selects the requests that are overdue on that day (see
	// Request.Overdue).
	OverdueOn *Date
	// Since and Until select requests created at or after Since and
	// before Until.
	Since *time.Time
	Until *time.Time

	// Limit caps the number of requests returned (0: no cap); Offset
	// skips the first ones. Requests come newest first.
	Limit  int
	Offset int
}

// Validate returns an EINVALID error if f cannot be used.
func (f *RequestFilter) Validate() error {
	switch {
	case f.Status != nil && !f.Status.Valid():
		_, err := ParseStatus(string(*f.Status))
		return err
	case f.Limit < 0 || f.Offset < 0:
		return Errorf(EINVALID, "条数和偏移不能为负数")
	case f.Since != nil && f.Until != nil && !f.Until.After(*f.Since):
		return Errorf(EINVALID, "结束时间应晚于开始时间")
	}
	return nil
}
