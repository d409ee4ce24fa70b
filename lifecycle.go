package towndesk

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of what people type into a request, in characters (runes), and
// of its times. Forms enforce them as people type; the desk and Validate
// refuse anything beyond them.
const (
	// MaxName bounds names: a citizen's, a village's, a worker's.
	MaxName = 50
	// MaxText bounds free text: the matter, a note, a result, a reason.
	MaxText = 2000
	// MaxReceipt bounds a receipt number.
	MaxReceipt = 64
	// MaxMaterials bounds the materials of a request, MaxMaterial the
	// name of one.
	MaxMaterials = 50
	MaxMaterial  = 100
	// MaxPromisedDays bounds promised times and extensions: a year of
	// working days.
	MaxPromisedDays = 250
)

// Op is a change to a request besides a move to another status: the desk
// operations a request card offers next to its moves.
type Op string

// The desk operations, in the order a card shows them.
const (
	OpAssign Op = "assign" // 指派
	OpNote   Op = "note"   // 备注
	OpPay    Op = "pay"    // 收付
	OpExtend Op = "extend" // 延期
)

var opChinese = map[Op]string{OpAssign: "指派", OpNote: "备注", OpPay: "收付", OpExtend: "延期"}

// Chinese returns the operation's name as a button shows it (指派); the
// English name for an unknown operation.
func (o Op) Chinese() string {
	if c, ok := opChinese[o]; ok {
		return c
	}
	return string(o)
}

// stage is one status's row of the lifecycle table: what can be done to
// a request in it.
type stage struct {
	// moves are the statuses an ordinary move may take it to.
	moves []Status
	// followUp: the follow-up call (回访) is due; its result closes
	// (满意, 基本满意) or reopens (不满意) the request.
	followUp bool
	// ops are the other changes it accepts, in card order.
	ops []Op
}

// lifecycle is the lifecycle table. Closed, rejected and cancelled are
// final: no move leaves them, only a note can be added. Money can be
// booked until the request is done; assignment until it has ended; an
// extension while its due date runs (accepted, not yet done).
var lifecycle = map[Status]stage{
	StatusReceived:       {moves: []Status{StatusAccepted, StatusRejected, StatusCancelled}, ops: []Op{OpAssign, OpNote, OpPay}},
	StatusAccepted:       {moves: []Status{StatusInProgress, StatusCancelled}, ops: []Op{OpAssign, OpNote, OpPay, OpExtend}},
	StatusInProgress:     {moves: []Status{StatusWaitingCitizen, StatusWaitingDept, StatusDone, StatusCancelled}, ops: []Op{OpAssign, OpNote, OpPay, OpExtend}},
	StatusWaitingCitizen: {moves: []Status{StatusInProgress, StatusCancelled}, ops: []Op{OpAssign, OpNote, OpPay, OpExtend}},
	StatusWaitingDept:    {moves: []Status{StatusInProgress}, ops: []Op{OpAssign, OpNote, OpPay, OpExtend}},
	StatusDone:           {followUp: true, ops: []Op{OpAssign, OpNote}},
	StatusClosed:         {ops: []Op{OpNote}},
	StatusRejected:       {ops: []Op{OpNote}},
	StatusCancelled:      {ops: []Op{OpNote}},
}

// Next returns the statuses an ordinary move may take s to, in table
// order; nil for done (the follow-up decides) and for a final status.
func (s Status) Next() []Status { return lifecycle[s].moves }

// CanMoveTo reports whether the lifecycle table allows an ordinary move
// from s to t.
func (s Status) CanMoveTo(t Status) bool { return slices.Contains(lifecycle[s].moves, t) }

// AwaitsFollowUp reports whether a request in s is waiting for its
// follow-up call (回访): it is done.
func (s Status) AwaitsFollowUp() bool { return lifecycle[s].followUp }

// Needs says what a move to s must be given in words, as the form names
// the field: 办理结果 for done, 理由 for rejected and cancelled; "" when a
// note is optional.
func (s Status) Needs() string {
	switch s {
	case StatusDone:
		return "办理结果"
	case StatusRejected, StatusCancelled:
		return "理由"
	}
	return ""
}

// CheckMove returns nil if a request in status from may be moved to status
// to with an ordinary move, and otherwise an EINVALID error naming the
// current status and the allowed next steps. Leaving 已办结 is not an
// ordinary move: it follows from the follow-up result.
func CheckMove(from, to Status) error {
	switch {
	case from.AwaitsFollowUp():
		return Invalidf("status", "代办当前状态为「%s」，下一步是回访：回访满意或基本满意则归档为「%s」，不满意则退回「%s」重新办理",
			from.Chinese(), StatusClosed.Chinese(), StatusInProgress.Chinese())
	case from.Final():
		return Invalidf("status", "代办当前状态为「%s」，已经结束，不能再转为「%s」", from.Chinese(), to.Chinese())
	case from == to:
		return Invalidf("status", "代办当前状态已是「%s」；可转为：%s", from.Chinese(), statusList(from.Next()))
	case !from.CanMoveTo(to):
		return Invalidf("status", "代办当前状态为「%s」，不能转为「%s」；可转为：%s", from.Chinese(), to.Chinese(), statusList(from.Next()))
	}
	return nil
}

// Ops returns the operations r accepts now, in card order: those of its
// status in the lifecycle table, an extension only while a due date runs.
func (r *Request) Ops() []Op {
	var ops []Op
	for _, op := range lifecycle[r.Status].ops {
		if op != OpExtend || !r.Due.IsZero() {
			ops = append(ops, op)
		}
	}
	return ops
}

// CheckOp returns nil if r accepts op now (see Ops), and otherwise an
// EINVALID error saying why not.
func (r *Request) CheckOp(op Op) error {
	if slices.Contains(r.Ops(), op) {
		return nil
	}
	switch op {
	case OpAssign:
		return Errorf(EINVALID, "代办 %s 已结束（%s），不能再指派", r.ID, r.Status.Chinese())
	case OpPay:
		return Errorf(EINVALID, "代办 %s 已%s，不能再登记收支", r.ID, strings.TrimPrefix(r.Status.Chinese(), "已"))
	case OpExtend:
		return Errorf(EINVALID, "只有已受理、尚未办结的代办才能延期；代办 %s 当前状态为「%s」", r.ID, r.Status.Chinese())
	}
	return Errorf(EINVALID, "代办 %s 当前状态为「%s」，不能%s", r.ID, r.Status.Chinese(), op.Chinese())
}

// Change is a request after a change, the events that record it and the
// ledger entries it books.
type Change struct {
	Request *Request
	Events  []Event
	Entries []LedgerEntry
	// Paused is the number of working days spent waiting that did not
	// count against the promised time and pushed the due date back (a
	// move out of a waiting status).
	Paused int
}

// Move is an ordinary move of a request to another status.
type Move struct {
	To Status
	// By is who moves it, At when.
	By string
	At time.Time
	// Note is an optional remark; Result is required for done, Reason
	// for rejected and cancelled (see Status.Needs).
	Note, Result, Reason string
	// Ledger is the request's money entries: done needs them balanced.
	// Only a move to done reads it.
	Ledger []LedgerEntry
	// Calendar tells working days for the due date; nil means weekends
	// only.
	Calendar *Calendar
}

// Move returns r moved by m, and the events that record it; r itself is
// not changed. Accepting sets the due date from the promised working
// days; leaving a waiting status pushes the due date back by the working
// days spent waiting. It returns EINVALID for a move the lifecycle does
// not allow (naming the current status and the allowed next steps), for
// done without a result or with an unbalanced ledger (showing the
// balance), for rejected or cancelled without a reason, and for overlong
// text.
func (r *Request) Move(m Move) (*Change, error) {
	if err := CheckMove(r.Status, m.To); err != nil {
		return nil, err
	}
	note, result, reason := strings.TrimSpace(m.Note), strings.TrimSpace(m.Result), strings.TrimSpace(m.Reason)
	if err := checkText("note", note, MaxText, "", "备注"); err != nil {
		return nil, err
	}
	next := *r
	next.Status = m.To
	moved := Event{At: m.At, By: m.By, Type: EventMoved, From: string(r.Status), To: string(m.To), Note: note}
	switch m.To {
	case StatusRejected, StatusCancelled:
		if err := checkText("reason", reason, MaxText, "「"+m.To.Chinese()+"」须写明理由", "理由"); err != nil {
			return nil, err
		}
		next.Reason, next.EndedAt, next.WaitingSince = reason, m.At, time.Time{}
		moved.Note = joinNotes("理由："+reason, note)
	case StatusDone:
		if err := checkText("result", result, MaxText, "办结须填写办理结果", "办理结果"); err != nil {
			return nil, err
		}
		if bal := BalanceOf(m.Ledger); !bal.Balanced() {
			return nil, Errorf(EINVALID, "收支未平，不能办结：%s", bal)
		}
		next.Result, next.DoneAt = result, m.At
		moved.Note = joinNotes("结果："+result, note)
	}
	c := &Change{Request: &next, Events: []Event{moved}}
	if m.To == StatusAccepted {
		next.AcceptedAt = m.At
		next.Due = m.Calendar.AddWorkingDays(DateOf(m.At), r.PromisedDays)
		c.Events = append(c.Events, Event{At: m.At, By: m.By, Type: EventDue, To: string(next.Due),
			Note: fmt.Sprintf("%s承诺 %d 个工作日", r.Kind, r.PromisedDays)})
	}
	if r.Status.Waiting() && m.To == StatusInProgress {
		next.WaitingSince = time.Time{}
		spent := m.Calendar.WorkingDaysBetween(DateOf(r.WaitingSince), DateOf(m.At))
		if spent > 0 && !r.Due.IsZero() {
			next.Due = m.Calendar.AddWorkingDays(r.Due, spent)
			c.Paused = spent
			c.Events = append(c.Events, Event{At: m.At, By: m.By, Type: EventDue, From: string(r.Due), To: string(next.Due),
				Note: fmt.Sprintf("%s %d 个工作日不计入时限", r.Status.Chinese(), spent)})
		}
	}
	if m.To.Waiting() {
		next.WaitingSince = m.At
	}
	return c, nil
}

// FollowUpCall is the citizen's answer in the follow-up call (回访).
type FollowUpCall struct {
	Result Satisfaction
	Note   string
	By     string
	At     time.Time
}

// RecordFollowUp returns r after its follow-up call, and the events that
// record it; r itself is not changed. 满意 and 基本满意 close the request,
// 不满意 reopens it (in progress again, counted in Reopened). It returns
// EINVALID for a request that is not done and for an overlong note.
func (r *Request) RecordFollowUp(f FollowUpCall) (*Change, error) {
	note := strings.TrimSpace(f.Note)
	if err := checkText("note", note, MaxText, "", "回访说明"); err != nil {
		return nil, err
	}
	if !r.Status.AwaitsFollowUp() {
		return nil, Errorf(EINVALID, "只有「%s」的代办才能回访；代办 %s 当前状态为「%s」", StatusDone.Chinese(), r.ID, r.Status.Chinese())
	}
	next := *r
	next.FollowUp, next.FollowUpNote, next.FollowedUpAt = f.Result, note, f.At
	if f.Result == Dissatisfied {
		next.Status = StatusInProgress
		next.Reopened++
	} else {
		next.Status = StatusClosed
		next.EndedAt = f.At
	}
	return &Change{Request: &next, Events: []Event{
		{At: f.At, By: f.By, Type: EventFollowedUp, To: string(f.Result), Note: note},
		{At: f.At, By: f.By, Type: EventMoved, From: string(r.Status), To: string(next.Status), Note: "回访" + string(f.Result)},
	}}, nil
}

// Extension moves a request's due date back.
type Extension struct {
	// Days is the number of working days to add to the due date.
	Days   int
	Reason string
	By     string
	At     time.Time
	// Calendar tells working days; nil means weekends only.
	Calendar *Calendar
}

// Extend returns r with its due date moved back by e.Days working days,
// and the event that records it; r itself is not changed. It returns
// EINVALID for days outside 1..MaxPromisedDays, a missing or overlong
// reason, or a request without a running due date.
func (r *Request) Extend(e Extension) (*Change, error) {
	reason := strings.TrimSpace(e.Reason)
	if e.Days < 1 || e.Days > MaxPromisedDays {
		return nil, Invalidf("days", "延期天数应为 1 到 %d 个工作日", MaxPromisedDays)
	}
	if err := cmp.Or(checkText("reason", reason, MaxText, "延期须写明理由", "理由"), r.CheckOp(OpExtend)); err != nil {
		return nil, err
	}
	next := *r
	next.Due = e.Calendar.AddWorkingDays(r.Due, e.Days)
	return r.changed(next, Event{At: e.At, By: e.By, Type: EventDue, From: string(r.Due), To: string(next.Due),
		Note: fmt.Sprintf("延期 %d 个工作日：%s", e.Days, reason)}), nil
}

// Assign returns r assigned to who, and the event that records it; r
// itself is not changed. It returns EINVALID for an empty or overlong
// name, the current assignee, or a request that has ended.
func (r *Request) Assign(who, by string, at time.Time) (*Change, error) {
	who = strings.TrimSpace(who)
	if err := cmp.Or(checkText("assignee", who, MaxName, "请写明承办人", "承办人名称"), r.CheckOp(OpAssign)); err != nil {
		return nil, err
	}
	if r.Assignee == who {
		return nil, Invalidf("assignee", "代办 %s 已由 %s 承办", r.ID, who)
	}
	next := *r
	next.Assignee = who
	return r.changed(next, Event{At: at, By: by, Type: EventAssigned, From: r.Assignee, To: who}), nil
}

// Annotate returns r with a remark in its history, and the event that
// records it. It returns EINVALID for an empty or overlong text.
func (r *Request) Annotate(text, by string, at time.Time) (*Change, error) {
	text = strings.TrimSpace(text)
	if err := cmp.Or(checkText("text", text, MaxText, "备注内容不能为空", "备注"), r.CheckOp(OpNote)); err != nil {
		return nil, err
	}
	return r.changed(*r, Event{At: at, By: by, Type: EventNoted, Note: text}), nil
}

// Book returns r with the ledger entry e booked, and the event that
// records it (e goes to the ledger as it is). It returns e.Validate's
// errors, and EINVALID for a request that is done or has ended.
func (r *Request) Book(e LedgerEntry) (*Change, error) {
	if e.Reverses != 0 {
		return nil, Invalidf("reverse", "冲正须指明要冲正的收支（Reverse），不能直接登记")
	}
	if err := cmp.Or(e.Validate(), r.CheckOp(OpPay)); err != nil {
		return nil, err
	}
	note := e.Note
	if e.Receipt != "" {
		note = joinNotes("票据号："+e.Receipt, e.Note)
	}
	c := r.changed(*r, Event{At: e.At, By: e.By, Type: EventPaid, To: fmt.Sprintf("%s %s 元", e.Type, e.Amount), Note: note})
	c.Entries = []LedgerEntry{e}
	return c, nil
}

// Reversal cancels a ledger entry that was booked by mistake (冲正): the
// ledger stays append-only, and a reversing entry takes the mistaken one
// out of the balance.
type Reversal struct {
	// Entry is the ID of the entry to cancel (收支编号, as show and the
	// export number them).
	Entry  int64
	Reason string
	By     string
	At     time.Time
}

// Reverse returns r with the entry v.Entry of its ledger cancelled by a
// reversing entry of the same type and amount that references it, and the
// event that records it; r itself is not changed. ledger is the request's
// whole ledger. It returns ENOTFOUND for an entry that is not in ledger,
// and EINVALID for a missing or overlong reason, an entry that is itself
// a reversal, an entry reversed already, and a request that no longer
// books money (done or ended, as for Book).
func (r *Request) Reverse(ledger []LedgerEntry, v Reversal) (*Change, error) {
	reason := strings.TrimSpace(v.Reason)
	if err := cmp.Or(checkText("reason", reason, MaxText, "冲正须写明理由", "冲正理由"), r.CheckOp(OpPay)); err != nil {
		return nil, err
	}
	var target *LedgerEntry
	for i := range ledger {
		if ledger[i].ID == v.Entry {
			target = &ledger[i]
		}
	}
	switch {
	case target == nil:
		return nil, Errorf(ENOTFOUND, "代办 %s 没有编号为 #%d 的收支；编号见 request show 的收支明细", r.ID, v.Entry)
	case target.Reverses != 0:
		return nil, Invalidf("reverse", "收支 #%d 本身是冲正记录，不能再冲正；如有差错，请重新登记一笔收支", v.Entry)
	}
	if by := ReversalOf(ledger, v.Entry); by != nil {
		return nil, Invalidf("reverse", "收支 #%d 已于 %s 由 %s 冲正（#%d），不能重复冲正", v.Entry,
			by.At.In(ChinaTime).Format("2006-01-02 15:04"), by.By, by.ID)
	}
	e := LedgerEntry{RequestID: r.ID, Type: target.Type, Amount: target.Amount, Note: reason, By: v.By, At: v.At, Reverses: target.ID}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	c := r.changed(*r, Event{At: v.At, By: v.By, Type: EventReversed,
		From: fmt.Sprintf("#%d %s %s 元", target.ID, target.Type, target.Amount),
		To:   fmt.Sprintf("%s -%s 元", target.Type, target.Amount), Note: "理由：" + reason})
	c.Entries = []LedgerEntry{e}
	return c, nil
}

// ReversalOf returns the entry of ledger that reverses the entry with ID
// id, or nil if it was not reversed.
func ReversalOf(ledger []LedgerEntry, id int64) *LedgerEntry {
	for i := range ledger {
		if ledger[i].Reverses == id {
			return &ledger[i]
		}
	}
	return nil
}

// changed returns the change of r into next that ev records.
func (r *Request) changed(next Request, ev Event) *Change {
	return &Change{Request: &next, Events: []Event{ev}}
}

// checkText returns an EINVALID error on field when s is empty and
// missing is what to say then ("" when s may be empty), when s is longer
// than max characters, naming it what, or when it holds a control
// character (CheckControls). Free text (max MaxText: a matter, a note, a
// result, a reason) may span lines; a name may not.
func checkText(field, s string, max int, missing, what string) error {
	switch {
	case missing != "" && strings.TrimSpace(s) == "":
		return Invalidf(field, "%s", missing)
	case utf8.RuneCountInString(s) > max:
		return Invalidf(field, "%s过长（最多 %d 字）", what, max)
	}
	return CheckControls(field, what, s, max >= MaxText)
}

func joinNotes(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "；")
}
