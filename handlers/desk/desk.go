// Package desk is the proxy-service desk (代办台账): it logs citizens'
// requests and moves them through their lifecycle, with money, history,
// follow-up, listings and the Excel export, and renders its replies as
// plain text for the console and the command line. Every method returns
// a *towndesk.Error on failure, and a failed command writes nothing.
package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage"
)

// placeResolver finds real places by name; *gazetteer.Gazetteer is one.
type placeResolver interface {
	ResolveCounty(name, province string) (towndesk.Place, error)
	ResolveTown(county towndesk.Place, name string) (towndesk.Place, error)
}

// itemLookup tells whether a power-list item code exists; *storage.DB is one.
type itemLookup interface {
	ItemExists(ctx context.Context, code string) (bool, error)
}

// Config configures a Desk.
type Config struct {
	// County is the desk's own county: a town name is looked up in it
	// first. When it is zero, towns must be named with their county
	// (滕州市滨湖镇) or the county given with each request.
	County towndesk.Place
	// Places resolves county and town names (the gazetteer). Required.
	Places placeResolver
	// Items checks related power-list item codes; nil means the database.
	Items itemLookup
	// Kinds are the kinds of errand and their promised times; nil means
	// towndesk.DefaultKinds().
	Kinds []towndesk.Kind
	// Calendar tells working days; nil means weekends only.
	Calendar *towndesk.Calendar
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Desk is the proxy-service desk (代办台账): it logs citizens' requests and
// moves them through their lifecycle, with money, history and follow-up.
// Every method returns a *towndesk.Error on failure, and a failed command
// writes nothing.
type Desk struct {
	db     *storage.DB
	county towndesk.Place
	places placeResolver
	items  itemLookup
	kinds  []towndesk.Kind
	cal    *towndesk.Calendar
	now    func() time.Time
}

// New returns a desk over db configured by cfg.
func New(db *storage.DB, cfg Config) *Desk {
	d := &Desk{db: db, county: cfg.County, places: cfg.Places, items: cfg.Items,
		kinds: cfg.Kinds, cal: cfg.Calendar, now: cfg.Now}
	if d.items == nil {
		d.items = db
	}
	if d.kinds == nil {
		d.kinds = towndesk.DefaultKinds()
	}
	if d.now == nil {
		d.now = time.Now
	}
	return d
}

// Kinds returns the kinds of errand the desk knows.
func (d *Desk) Kinds() []towndesk.Kind { return append([]towndesk.Kind(nil), d.kinds...) }

// RequestReply is the reply to a command that changed a request.
type RequestReply struct {
	// Message says what happened, in one Chinese sentence.
	Message string `json:"message"`
	// Request is the request after the change, phone and ID masked.
	Request *towndesk.Request `json:"request"`
	// Balance is the request's money ledger summed up (after pay).
	Balance *towndesk.Balance `json:"balance,omitempty"`
}

// RequestNewInput logs a new request. Fields are as the user typed them.
type RequestNewInput struct {
	By string
	// Town is a town name (滨湖镇, 滨湖) or a county and town (滕州市滨湖镇).
	// County, if set, names the town's county instead of the desk's.
	Town, County string
	Village      string
	Citizen      string
	Phone        string
	IDNumber     string
	Kind         string
	Matter       string
	// Materials lists the materials received, separated by commas (, ，、).
	Materials string
	// Item is the code of the related power-list item, if any.
	Item string
}

// New logs a new request and returns it with its new id. It returns
// EINVALID for a bad phone or ID number, unknown kind, missing field or
// unknown item code, and ENOTFOUND or EINVALID from the gazetteer for a town
// that is not a real place (or is ambiguous).
func (d *Desk) New(ctx context.Context, in RequestNewInput) (*RequestReply, error) {
	by, err := checkBy(in.By)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Citizen) == "" {
		return nil, towndesk.Errorf(towndesk.EINVALID, "请填写群众姓名")
	}
	phone, err := towndesk.NormalizePhone(in.Phone)
	if err != nil {
		return nil, err
	}
	var id string
	if strings.TrimSpace(in.IDNumber) != "" {
		if id, err = towndesk.NormalizeID(in.IDNumber); err != nil {
			return nil, err
		}
	}
	kind, err := towndesk.FindKind(d.kinds, in.Kind)
	if err != nil {
		return nil, err
	}
	item := strings.TrimSpace(in.Item)
	if item != "" {
		ok, err := d.items.ItemExists(ctx, item)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, towndesk.Errorf(towndesk.EINVALID, "权力清单（现行版本）中没有编码为 %s 的事项，请核对编码", item)
		}
	}
	town, err := d.resolveTown(in.County, in.Town)
	if err != nil {
		return nil, err
	}
	r := &towndesk.Request{
		Town:         town,
		Village:      strings.TrimSpace(in.Village),
		Citizen:      strings.TrimSpace(in.Citizen),
		Phone:        phone,
		IDNumber:     id,
		Kind:         kind.Name,
		PromisedDays: kind.Days,
		Matter:       strings.TrimSpace(in.Matter),
		Materials:    splitList(in.Materials),
		ItemCode:     item,
		CreatedBy:    by,
	}
	if err := d.db.CreateRequest(ctx, r); err != nil {
		return nil, err
	}
	return &RequestReply{
		Message: fmt.Sprintf("已登记代办 %s：%s%s %s，%s（承诺 %d 个工作日）", r.ID, r.Town.Short(), r.Village, r.Citizen, r.Kind, r.PromisedDays),
		Request: maskRequest(r),
	}, nil
}

// splitList splits "a,b，c、d" into its non-empty trimmed parts.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func checkBy(by string) (string, error) {
	by = strings.TrimSpace(by)
	switch {
	case by == "":
		return "", towndesk.Errorf(towndesk.EINVALID, "请注明操作人")
	case utf8.RuneCountInString(by) > 50:
		return "", towndesk.Errorf(towndesk.EINVALID, "操作人名称过长（最多 50 字）")
	}
	return by, nil
}

// resolveTown finds the town named name: in county if given, else in the
// desk's county, else in the county its name starts with (滕州市滨湖镇).
func (d *Desk) resolveTown(county, name string) (towndesk.Place, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return towndesk.Place{}, towndesk.Errorf(towndesk.EINVALID, "请填写乡镇（街道），如「滨湖镇」或「滕州市滨湖镇」")
	}
	if d.places == nil {
		return towndesk.Place{}, towndesk.Errorf(towndesk.EINTERNAL, "desk has no gazetteer")
	}
	if county = strings.TrimSpace(county); county != "" {
		c, err := d.places.ResolveCounty(county, "")
		if err != nil {
			return towndesk.Place{}, err
		}
		return d.places.ResolveTown(c, name)
	}
	var firstErr error
	if d.county.CountyCode != "" {
		t, err := d.places.ResolveTown(d.county, name)
		if err == nil || towndesk.ErrorCode(err) != towndesk.ENOTFOUND {
			return t, err
		}
		firstErr = err
	}
	// 滕州市滨湖镇, 昌吉滨湖: split the name into a county and a town. Every
	// split is tried; more than one real answer is ambiguous.
	var found []towndesk.Place
	for i := range name {
		if i == 0 {
			continue
		}
		c, err := d.places.ResolveCounty(name[:i], "")
		if err != nil {
			continue
		}
		t, err := d.places.ResolveTown(c, name[i:])
		if err != nil {
			continue
		}
		if !slices.Contains(found, t) {
			found = append(found, t)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		names := make([]string, len(found))
		for i, p := range found {
			names[i] = p.String()
		}
		return towndesk.Place{}, towndesk.Errorf(towndesk.EINVALID, "「%s」可能是：%s，请写明县（市、区）", name, strings.Join(names, "、"))
	case firstErr != nil:
		return towndesk.Place{}, firstErr
	}
	return towndesk.Place{}, towndesk.Errorf(towndesk.ENOTFOUND, "没有找到乡镇（街道）「%s」；请连同县（市、区）一起写，如「滕州市滨湖镇」", name)
}

// RequestMoveInput moves a request to another status.
type RequestMoveInput struct {
	ID, By string
	// To is the new status, in English (in_progress) or Chinese (办理中).
	To string
	// Note is an optional remark; Result is required for done, Reason for
	// rejected and cancelled.
	Note, Result, Reason string
	// Version, if not 0, is the version the user saw; the move is refused
	// with ECONFLICT if the request changed since.
	Version int
}

// Move moves a request along its lifecycle. Accepting sets the due date
// from the kind's promised working days; leaving a waiting status pushes the
// due date back by the working days spent waiting. It returns EINVALID for
// a move the lifecycle does not allow (naming the current status and the
// allowed next steps), for done without a result or with an unbalanced
// ledger (showing the balance), and for rejected or cancelled without a
// reason; ENOTFOUND for an unknown id; ECONFLICT if someone changed the
// request first.
func (d *Desk) Move(ctx context.Context, in RequestMoveInput) (*RequestReply, error) {
	by, err := checkBy(in.By)
	if err != nil {
		return nil, err
	}
	to, err := towndesk.ParseStatus(in.To)
	if err != nil {
		return nil, err
	}
	cur, err := d.load(ctx, in.ID, in.Version)
	if err != nil {
		return nil, err
	}
	if err := towndesk.CheckMove(cur.Status, to); err != nil {
		return nil, err
	}
	note, result, reason := strings.TrimSpace(in.Note), strings.TrimSpace(in.Result), strings.TrimSpace(in.Reason)
	if err := checkText("备注", note); err != nil {
		return nil, err
	}
	now := d.now()
	next := *cur
	next.Status = to
	var events []towndesk.Event
	moved := towndesk.Event{At: now, By: by, Type: towndesk.EventMoved, From: string(cur.Status), To: string(to), Note: note}
	msg := fmt.Sprintf("代办 %s：%s → %s", cur.ID, cur.Status.Chinese(), to.Chinese())

	switch to {
	case towndesk.StatusRejected, towndesk.StatusCancelled:
		if reason == "" {
			return nil, towndesk.Errorf(towndesk.EINVALID, "「%s」须写明理由", to.Chinese())
		}
		if err := checkText("理由", reason); err != nil {
			return nil, err
		}
		next.Reason, next.EndedAt, next.WaitingSince = reason, now, time.Time{}
		moved.Note = joinNotes("理由："+reason, note)
	case towndesk.StatusDone:
		if result == "" {
			return nil, towndesk.Errorf(towndesk.EINVALID, "办结须填写办理结果")
		}
		if err := checkText("办理结果", result); err != nil {
			return nil, err
		}
		entries, err := d.db.Ledger(ctx, cur.ID)
		if err != nil {
			return nil, err
		}
		if bal := towndesk.BalanceOf(entries); !bal.Balanced() {
			return nil, towndesk.Errorf(towndesk.EINVALID, "收支未平，不能办结：%s", bal)
		}
		next.Result, next.DoneAt = result, now
		moved.Note = joinNotes("结果："+result, note)
	}
	events = append(events, moved)

	if to == towndesk.StatusAccepted {
		next.AcceptedAt = now
		next.Due = d.cal.AddWorkingDays(towndesk.DateOf(now), cur.PromisedDays)
		events = append(events, towndesk.Event{At: now, By: by, Type: towndesk.EventDue, To: string(next.Due),
			Note: fmt.Sprintf("%s承诺 %d 个工作日", cur.Kind, cur.PromisedDays)})
		msg += fmt.Sprintf("，办理时限 %s（%d 个工作日）", next.Due, cur.PromisedDays)
	}
	if cur.Status.Waiting() && to == towndesk.StatusInProgress {
		next.WaitingSince = time.Time{}
		spent := d.cal.WorkingDaysBetween(towndesk.DateOf(cur.WaitingSince), towndesk.DateOf(now))
		if spent > 0 && !cur.Due.IsZero() {
			next.Due = d.cal.AddWorkingDays(cur.Due, spent)
			events = append(events, towndesk.Event{At: now, By: by, Type: towndesk.EventDue, From: string(cur.Due), To: string(next.Due),
				Note: fmt.Sprintf("%s %d 个工作日不计入时限", cur.Status.Chinese(), spent)})
			msg += fmt.Sprintf("，%s %d 个工作日不计入，时限顺延至 %s", cur.Status.Chinese(), spent, next.Due)
		}
	}
	if to.Waiting() {
		next.WaitingSince = now
	}
	if err := d.save(ctx, cur, &next, events, nil); err != nil {
		return nil, err
	}
	return &RequestReply{Message: msg, Request: maskRequest(&next)}, nil
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

func checkText(what, s string) error {
	if utf8.RuneCountInString(s) > 2000 {
		return towndesk.Errorf(towndesk.EINVALID, "%s过长（最多 2000 字）", what)
	}
	return nil
}

// load reads request id; version, if not 0, must be its current version.
func (d *Desk) load(ctx context.Context, id string, version int) (*towndesk.Request, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, towndesk.Errorf(towndesk.EINVALID, "请写明代办编号，如 2026-0001")
	}
	r, err := d.db.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if version != 0 && version != r.Version {
		return nil, towndesk.Errorf(towndesk.ECONFLICT, "该代办已被他人修改，请刷新后重试")
	}
	return r, nil
}

// save stores next, changed from cur, with its events and ledger entries.
func (d *Desk) save(ctx context.Context, cur, next *towndesk.Request, events []towndesk.Event, entries []towndesk.LedgerEntry) error {
	return d.db.UpdateRequest(ctx, storage.RequestChange{Request: next, Was: cur, Events: events, Entries: entries})
}

// RequestAssignInput assigns a request to a desk worker.
type RequestAssignInput struct {
	ID, By   string
	Assignee string
	Version  int
}

// Assign makes in.Assignee the worker responsible for the request. It
// returns EINVALID for an empty name, the current assignee, or a request
// that has ended; ENOTFOUND; ECONFLICT.
func (d *Desk) Assign(ctx context.Context, in RequestAssignInput) (*RequestReply, error) {
	by, err := checkBy(in.By)
	if err != nil {
		return nil, err
	}
	who := strings.TrimSpace(in.Assignee)
	switch {
	case who == "":
		return nil, towndesk.Errorf(towndesk.EINVALID, "请写明承办人")
	case utf8.RuneCountInString(who) > 50:
		return nil, towndesk.Errorf(towndesk.EINVALID, "承办人名称过长（最多 50 字）")
	}
	cur, err := d.load(ctx, in.ID, in.Version)
	if err != nil {
		return nil, err
	}
	if cur.Status.Final() {
		return nil, towndesk.Errorf(towndesk.EINVALID, "代办 %s 已结束（%s），不能再指派", cur.ID, cur.Status.Chinese())
	}
	if cur.Assignee == who {
		return nil, towndesk.Errorf(towndesk.EINVALID, "代办 %s 已由 %s 承办", cur.ID, who)
	}
	next := *cur
	next.Assignee = who
	ev := towndesk.Event{At: d.now(), By: by, Type: towndesk.EventAssigned, From: cur.Assignee, To: who}
	if err := d.save(ctx, cur, &next, []towndesk.Event{ev}, nil); err != nil {
		return nil, err
	}
	return &RequestReply{Message: fmt.Sprintf("代办 %s 改由 %s 承办", cur.ID, who), Request: maskRequest(&next)}, nil
}

// RequestNoteInput adds a remark to a request's history.
type RequestNoteInput struct {
	ID, By  string
	Text    string
	Version int
}

// Note records a remark in the request's history. It returns EINVALID for
// an empty or overlong text; ENOTFOUND; ECONFLICT.
func (d *Desk) Note(ctx context.Context, in RequestNoteInput) (*RequestReply, error) {
	by, err := checkBy(in.By)
	if err != nil {
		return nil, err
	}
	text := strings.TrimSpace(in.Text)
	if text == "" {
		return nil, towndesk.Errorf(towndesk.EINVALID, "备注内容不能为空")
	}
	if err := checkText("备注", text); err != nil {
		return nil, err
	}
	cur, err := d.load(ctx, in.ID, in.Version)
	if err != nil {
		return nil, err
	}
	next := *cur
	ev := towndesk.Event{At: d.now(), By: by, Type: towndesk.EventNoted, Note: text}
	if err := d.save(ctx, cur, &next, []towndesk.Event{ev}, nil); err != nil {
		return nil, err
	}
	return &RequestReply{Message: fmt.Sprintf("已为代办 %s 添加备注", cur.ID), Request: maskRequest(&next)}, nil
}

// RequestPayInput records money received, paid, collected or handed over.
type RequestPayInput struct {
	ID, By string
	// Type is 收取, 支付, 领取 or 交付.
	Type string
	// Amount is in yuan, as typed: "50", "50.5", "50.00".
	Amount  string
	Receipt string
	Note    string
	Version int
}

// Pay adds a ledger entry to the request and returns the new balance. It
// returns EINVALID for an unknown type, a bad amount (zero, negative, not a
// number, more than two decimals, too large), or a request that is done or
// has ended; ENOTFOUND; ECONFLICT.
func (d *Desk) Pay(ctx context.Context, in RequestPayInput) (*RequestReply, error) {
	by, err := checkBy(in.By)
	if err != nil {
		return nil, err
	}
	typ, err := towndesk.ParseEntryType(in.Type)
	if err != nil {
		return nil, err
	}
	amount, err := towndesk.ParseMoney(in.Amount)
	if err != nil {
		return nil, err
	}
	e := towndesk.LedgerEntry{Type: typ, Amount: amount, Receipt: strings.TrimSpace(in.Receipt),
		Note: strings.TrimSpace(in.Note), By: by, At: d.now()}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	cur, err := d.load(ctx, in.ID, in.Version)
	if err != nil {
		return nil, err
	}
	if cur.Status == towndesk.StatusDone || cur.Status.Final() {
		return nil, towndesk.Errorf(towndesk.EINVALID, "代办 %s 已%s，不能再登记收支", cur.ID, strings.TrimPrefix(cur.Status.Chinese(), "已"))
	}
	entries, err := d.db.Ledger(ctx, cur.ID)
	if err != nil {
		return nil, err
	}
	next := *cur
	ev := towndesk.Event{At: e.At, By: by, Type: towndesk.EventPaid, To: fmt.Sprintf("%s %s 元", typ, amount),
		Note: joinNotes(prefixed("票据号：", e.Receipt), e.Note)}
	if err := d.save(ctx, cur, &next, []towndesk.Event{ev}, []towndesk.LedgerEntry{e}); err != nil {
		return nil, err
	}
	bal := towndesk.BalanceOf(append(entries, e))
	return &RequestReply{
		Message: fmt.Sprintf("代办 %s：%s %s 元。%s", cur.ID, typ, amount, bal),
		Request: maskRequest(&next),
		Balance: &bal,
	}, nil
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// RequestFollowUpInput records the follow-up call (回访).
type RequestFollowUpInput struct {
	ID, By string
	// Result is 满意, 基本满意 or 不满意.
	Result  string
	Note    string
	Version int
}

// FollowUp records the citizen's answer in the follow-up call of a done
// request: 满意 or 基本满意 close it, 不满意 reopens it (in progress again,
// counted in Reopened). It returns EINVALID for an unknown result or a
// request that is not done; ENOTFOUND; ECONFLICT.
func (d *Desk) FollowUp(ctx context.Context, in RequestFollowUpInput) (*RequestReply, error) {
	by, err := checkBy(in.By)
	if err != nil {
		return nil, err
	}
	sat, err := towndesk.ParseSatisfaction(in.Result)
	if err != nil {
		return nil, err
	}
	note := strings.TrimSpace(in.Note)
	if err := checkText("回访说明", note); err != nil {
		return nil, err
	}
	cur, err := d.load(ctx, in.ID, in.Version)
	if err != nil {
		return nil, err
	}
	if cur.Status != towndesk.StatusDone {
		return nil, towndesk.Errorf(towndesk.EINVALID, "只有「%s」的代办才能回访；代办 %s 当前状态为「%s」", towndesk.StatusDone.Chinese(), cur.ID, cur.Status.Chinese())
	}
	now := d.now()
	next := *cur
	next.FollowUp, next.FollowUpNote, next.FollowedUpAt = sat, note, now
	var msg string
	if sat == towndesk.Dissatisfied {
		next.Status = towndesk.StatusInProgress
		next.Reopened++
		msg = fmt.Sprintf("代办 %s 回访不满意，退回「%s」重新办理（第 %d 次）", cur.ID, next.Status.Chinese(), next.Reopened)
	} else {
		next.Status = towndesk.StatusClosed
		next.EndedAt = now
		msg = fmt.Sprintf("代办 %s 回访%s，已归档", cur.ID, sat)
	}
	events := []towndesk.Event{
		{At: now, By: by, Type: towndesk.EventFollowedUp, To: string(sat), Note: note},
		{At: now, By: by, Type: towndesk.EventMoved, From: string(cur.Status), To: string(next.Status), Note: "回访" + string(sat)},
	}
	if err := d.save(ctx, cur, &next, events, nil); err != nil {
		return nil, err
	}
	return &RequestReply{Message: msg, Request: maskRequest(&next)}, nil
}

// RequestExtendInput extends a request's due date.
type RequestExtendInput struct {
	ID, By string
	// Days is the number of working days to add to the due date.
	Days    int
	Reason  string
	Version int
}

// Extend moves the due date of an accepted, unfinished request back by
// in.Days working days. It returns EINVALID without a reason, for days
// outside 1..250, or for a request without a running due date; ENOTFOUND;
// ECONFLICT.
func (d *Desk) Extend(ctx context.Context, in RequestExtendInput) (*RequestReply, error) {
	by, err := checkBy(in.By)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(in.Reason)
	switch {
	case in.Days < 1 || in.Days > 250:
		return nil, towndesk.Errorf(towndesk.EINVALID, "延期天数应为 1 到 250 个工作日")
	case reason == "":
		return nil, towndesk.Errorf(towndesk.EINVALID, "延期须写明理由")
	}
	if err := checkText("理由", reason); err != nil {
		return nil, err
	}
	cur, err := d.load(ctx, in.ID, in.Version)
	if err != nil {
		return nil, err
	}
	if !cur.Status.Active() || cur.Due.IsZero() {
		return nil, towndesk.Errorf(towndesk.EINVALID, "只有已受理、尚未办结的代办才能延期；代办 %s 当前状态为「%s」", cur.ID, cur.Status.Chinese())
	}
	next := *cur
	next.Due = d.cal.AddWorkingDays(cur.Due, in.Days)
	ev := towndesk.Event{At: d.now(), By: by, Type: towndesk.EventDue, From: string(cur.Due), To: string(next.Due),
		Note: fmt.Sprintf("延期 %d 个工作日：%s", in.Days, reason)}
	if err := d.save(ctx, cur, &next, []towndesk.Event{ev}, nil); err != nil {
		return nil, err
	}
	return &RequestReply{Message: fmt.Sprintf("代办 %s 办理时限由 %s 延至 %s", cur.ID, cur.Due, next.Due), Request: maskRequest(&next)}, nil
}

// RequestShowInput asks for one request with its money and history.
type RequestShowInput struct {
	ID, By string
	// Reveal shows phone and ID numbers in full; it is recorded.
	Reveal bool
}

// RequestShowReply is one request with its money and history.
type RequestShowReply struct {
	Request *towndesk.Request      `json:"request"`
	Entries []towndesk.LedgerEntry `json:"entries"`
	Balance towndesk.Balance       `json:"balance"`
	Events  []towndesk.Event       `json:"events"`
	// Next lists the statuses the request may move to.
	Next []towndesk.Status `json:"next"`
	// DaysLate is how many working days it is overdue today (0: not).
	DaysLate int  `json:"days_late"`
	Revealed bool `json:"revealed"`
}

// Show returns the request, masked unless in.Reveal, in which case the
// viewing is recorded first. It returns ENOTFOUND for an unknown id.
func (d *Desk) Show(ctx context.Context, in RequestShowInput) (*RequestShowReply, error) {
	by, err := checkBy(in.By)
	if err != nil {
		return nil, err
	}
	r, err := d.load(ctx, in.ID, 0)
	if err != nil {
		return nil, err
	}
	if in.Reveal {
		ev := towndesk.Event{RequestID: r.ID, At: d.now(), By: by, Type: towndesk.EventRevealed, Note: "查看完整联系电话和身份证号"}
		if err := d.db.AppendEvents(ctx, ev); err != nil {
			return nil, err
		}
	}
	entries, err := d.db.Ledger(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	events, err := d.db.Events(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	reply := &RequestShowReply{
		Request:  r,
		Entries:  entries,
		Balance:  towndesk.BalanceOf(entries),
		Events:   events,
		Next:     nextSteps(r.Status),
		DaysLate: r.DaysLate(d.cal, towndesk.DateOf(d.now())),
		Revealed: in.Reveal,
	}
	if !in.Reveal {
		reply.Request = maskRequest(r)
		reply.Entries = maskEntries(entries)
		reply.Events = maskEvents(events)
	}
	return reply, nil
}

// nextSteps returns the statuses an ordinary move may take s to (none out
// of done: that is the follow-up's business).
func nextSteps(s towndesk.Status) []towndesk.Status {
	if s == towndesk.StatusDone {
		return []towndesk.Status{}
	}
	return append([]towndesk.Status{}, s.Next()...)
}

// RequestFilterInput selects requests, as the user typed the filters.
type RequestFilterInput struct {
	// Status in English or Chinese; Town as for RequestNewInput.
	Status, Town, Assignee, Kind string
	// Overdue selects the requests past their due date today.
	Overdue bool
	// Since selects requests created on or after this date (2026-03-01).
	Since string
}

// filter turns in into a storage filter.
func (d *Desk) filter(in RequestFilterInput) (towndesk.RequestFilter, error) {
	var f towndesk.RequestFilter
	if s := strings.TrimSpace(in.Status); s != "" {
		st, err := towndesk.ParseStatus(s)
		if err != nil {
			return f, err
		}
		f.Status = &st
	}
	if in.Town != "" {
		t, err := d.resolveTown("", in.Town)
		if err != nil {
			return f, err
		}
		f.TownCode = &t.TownCode
	}
	if a := strings.TrimSpace(in.Assignee); a != "" {
		f.Assignee = &a
	}
	if k := strings.TrimSpace(in.Kind); k != "" {
		kind, err := towndesk.FindKind(d.kinds, k)
		if err != nil {
			return f, err
		}
		f.Kind = &kind.Name
	}
	if in.Overdue {
		today := towndesk.DateOf(d.now())
		f.OverdueOn = &today
	}
	if s := strings.TrimSpace(in.Since); s != "" {
		day, err := towndesk.ParseDate(s)
		if err != nil {
			return f, err
		}
		t := day.Time()
		f.Since = &t
	}
	return f, nil
}

// RequestListInput lists requests, newest first.
type RequestListInput struct {
	RequestFilterInput
	// Limit caps the rows returned: 0 means 100, at most 1000.
	Limit int
}

// RequestRow is one request in a listing, phone and ID masked.
type RequestRow struct {
	*towndesk.Request
	// DaysLate is how many working days it is overdue today (0: not).
	DaysLate int `json:"days_late"`
}

// RequestListReply is a page of requests.
type RequestListReply struct {
	Rows []RequestRow `json:"rows"`
	// Total is how many requests the filters select in all.
	Total int `json:"total"`
}

// List returns the newest requests the filters select. It returns
// EINVALID for a bad status, kind or date, and the gazetteer's error for a
// town that is not a real place.
func (d *Desk) List(ctx context.Context, in RequestListInput) (*RequestListReply, error) {
	f, err := d.filter(in.RequestFilterInput)
	if err != nil {
		return nil, err
	}
	switch {
	case in.Limit < 0 || in.Limit > 1000:
		return nil, towndesk.Errorf(towndesk.EINVALID, "条数应为 1 到 1000")
	case in.Limit == 0:
		f.Limit = 100
	default:
		f.Limit = in.Limit
	}
	rs, total, err := d.db.Requests(ctx, f)
	if err != nil {
		return nil, err
	}
	today := towndesk.DateOf(d.now())
	reply := &RequestListReply{Rows: make([]RequestRow, len(rs)), Total: total}
	for i, r := range rs {
		reply.Rows[i] = RequestRow{Request: maskRequest(r), DaysLate: r.DaysLate(d.cal, today)}
	}
	return reply, nil
}

// maskRequest returns a copy of r with phone and ID numbers masked, also
// inside its free text.
func maskRequest(r *towndesk.Request) *towndesk.Request {
	m := *r
	m.Phone = towndesk.MaskPhone(r.Phone)
	if r.IDNumber != "" {
		m.IDNumber = towndesk.MaskID(r.IDNumber)
	}
	m.Citizen = towndesk.MaskText(r.Citizen)
	m.Village = towndesk.MaskText(r.Village)
	m.Matter = towndesk.MaskText(r.Matter)
	m.Result = towndesk.MaskText(r.Result)
	m.Reason = towndesk.MaskText(r.Reason)
	m.FollowUpNote = towndesk.MaskText(r.FollowUpNote)
	if r.Materials != nil {
		m.Materials = make([]string, len(r.Materials))
		for i, s := range r.Materials {
			m.Materials[i] = towndesk.MaskText(s)
		}
	}
	return &m
}

func maskEntries(es []towndesk.LedgerEntry) []towndesk.LedgerEntry {
	out := make([]towndesk.LedgerEntry, len(es))
	for i, e := range es {
		e.Note, e.Receipt = towndesk.MaskText(e.Note), towndesk.MaskText(e.Receipt)
		out[i] = e
	}
	return out
}

func maskEvents(es []towndesk.Event) []towndesk.Event {
	out := make([]towndesk.Event, len(es))
	for i, e := range es {
		e.From, e.To, e.Note = towndesk.MaskText(e.From), towndesk.MaskText(e.To), towndesk.MaskText(e.Note)
		out[i] = e
	}
	return out
}
