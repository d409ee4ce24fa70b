// Package desk is the proxy-service desk (代办台账): it logs citizens'
// requests and moves them through their lifecycle, with money, history,
// follow-up, listings and the Excel export, and renders its replies as
// plain text for the console and the command line. Every method returns
// a *towndesk.Error on failure, and a failed command writes nothing.
package desk

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/storage"
)

// placeResolver finds real places by name; *gazetteer.Gazetteer is one.
type placeResolver interface {
	Resolve(text string, def towndesk.Place) *gazetteer.Resolution
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
	// Repeated is true when New found the request created before under
	// the same key: nothing was created.
	Repeated bool `json:"repeated,omitempty"`
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
	// Key is the idempotency key of the submission (a form's ID); "" for
	// none. A request created under a key is never created again: a
	// repeat gets the first request back (RequestReply.Repeated).
	Key string
	// Card is the chat channel the request was made in, "" for the CLI
	// and the console. The request's card and the first line of its
	// timeline are stored in the outbox with it (storage.Notice) either
	// way, for a running chat front end to post: in the town's desk
	// channel, else in Card if that is a desk channel; a request from the
	// CLI of a town without a desk channel gets none.
	Card string
}

// New logs a new request and returns it with its new id. It returns
// EINVALID for a bad phone or ID number, unknown kind, missing field or
// unknown item code, and ENOTFOUND or EINVALID from the gazetteer for a town
// that is not a real place (or is ambiguous). Every error names its input
// in Field.
func (d *Desk) New(ctx context.Context, in RequestNewInput) (*RequestReply, error) {
	by, err := checkBy(in.By)
	if err != nil {
		return nil, err
	}
	r, problems := d.draft(in)
	if len(problems) > 0 {
		return nil, problems[0]
	}
	r.CreatedBy = by
	if r.ItemCode != "" {
		ok, err := d.items.ItemExists(ctx, r.ItemCode)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, towndesk.Invalidf("item", "权力清单（现行版本）中没有编码为 %s 的事项，请核对编码", r.ItemCode)
		}
	}
	if r.Town, err = d.resolveTown(in.County, in.Town); err != nil {
		return nil, err
	}
	intake := storage.Intake{Key: in.Key, Notice: func(r *towndesk.Request) *storage.Notice {
		return &storage.Notice{Channel: in.Card, By: by, Line: createdMessage(r)}
	}}
	created, err := d.db.CreateRequestOnce(ctx, r, intake)
	if err != nil {
		return nil, err
	}
	return &RequestReply{Message: createdMessage(r), Request: maskRequest(r), Repeated: !created}, nil
}

func createdMessage(r *towndesk.Request) string {
	return fmt.Sprintf("已登记代办 %s：%s%s %s，%s（承诺 %d 个工作日）", r.ID, r.Town.Short(), r.Village, r.Citizen, r.Kind, r.PromisedDays)
}

// ValidateIntake checks the intake form's fields all at once, as New
// does before it looks up the item code and the town (New stops at the
// first problem). It returns the problems by field (Error.Field); empty
// when the form may be submitted.
func (d *Desk) ValidateIntake(in RequestNewInput) map[string]string {
	_, problems := d.draft(in)
	p := map[string]string{}
	for _, err := range problems {
		p[towndesk.ErrorField(err)] = towndesk.ErrorMessage(err)
	}
	return p
}

// draft turns an intake into a request without its town and creator:
// phone and ID numbers normalized, the kind found. It returns every
// problem, at most one per field, in form order; a town name must be
// given but is looked up by New.
func (d *Desk) draft(in RequestNewInput) (*towndesk.Request, []error) {
	r := &towndesk.Request{
		Village:   strings.TrimSpace(in.Village),
		Citizen:   strings.TrimSpace(in.Citizen),
		Matter:    strings.TrimSpace(in.Matter),
		Materials: splitList(in.Materials),
		ItemCode:  strings.TrimSpace(in.Item),
	}
	var problems []error
	seen := map[string]bool{"by": true}
	add := func(err error) {
		if f := towndesk.ErrorField(err); !seen[f] {
			seen[f] = true
			problems = append(problems, err)
		}
	}
	// Control characters first, as typed: a phone number with a pasted
	// direction mark is told so, not that it is not a phone number.
	for _, f := range []struct {
		field, what, s string
		multi          bool
	}{
		{"county", "县（市、区）", in.County, false}, {"town", "乡镇（街道）", in.Town, false},
		{"village", "村（社区）", in.Village, false}, {"citizen", "群众姓名", in.Citizen, false},
		{"phone", "联系电话", in.Phone, false}, {"id_number", "身份证号", in.IDNumber, false},
		{"kind", "代办类型", in.Kind, false}, {"matter", "办理事项", in.Matter, true},
		{"materials", "已收材料", in.Materials, false}, {"item", "关联权力事项编码", in.Item, false},
	} {
		if err := towndesk.CheckControls(f.field, f.what, f.s, f.multi); err != nil {
			add(err)
		}
	}
	if strings.TrimSpace(in.Town) == "" {
		add(towndesk.Invalidf("town", "请填写乡镇（街道），如「滨湖镇」或「滕州市滨湖镇」"))
	}
	seen["town"] = true // looked up by New
	var err error
	if r.Phone, err = towndesk.NormalizePhone(in.Phone); err != nil {
		add(towndesk.WithField(err, "phone"))
	}
	if strings.TrimSpace(in.IDNumber) != "" {
		if r.IDNumber, err = towndesk.NormalizeID(in.IDNumber); err != nil {
			add(towndesk.WithField(err, "id_number"))
		}
	}
	if kind, err := towndesk.FindKind(d.kinds, in.Kind); err != nil {
		add(err)
	} else {
		r.Kind, r.PromisedDays = kind.Name, kind.Days
	}
	for _, err := range r.Problems() {
		add(err)
	}
	return r, problems
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
		return "", towndesk.Invalidf("by", "请注明操作人")
	case utf8.RuneCountInString(by) > towndesk.MaxName:
		return "", towndesk.Invalidf("by", "操作人名称过长（最多 %d 字）", towndesk.MaxName)
	}
	return by, towndesk.CheckControls("by", "操作人名称", by, false)
}

// resolveTown finds the town named name (gazetteer.Resolve): in county
// if given, else in the desk's county first, else in the county its name
// starts with (滕州市滨湖镇), else anywhere if it is the only town so
// called. Errors name the input at fault in Field (county or town) and
// wrap the *gazetteer.Resolution, from which front ends write their hint.
func (d *Desk) resolveTown(county, name string) (towndesk.Place, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return towndesk.Place{}, towndesk.Invalidf("town", "请填写乡镇（街道），如「滨湖镇」或「滕州市滨湖镇」")
	}
	if d.places == nil {
		return towndesk.Place{}, towndesk.Errorf(towndesk.EINTERNAL, "desk has no gazetteer")
	}
	text, def, field := name, d.county, "town"
	if county = strings.TrimSpace(county); county != "" {
		text, def = county+"/"+name, towndesk.Place{}
	}
	r := d.places.Resolve(text, def)
	if county != "" && r.Level == gazetteer.County {
		field = "county"
	}
	if err := r.Err(); err != nil {
		return towndesk.Place{}, towndesk.WithField(err, field)
	}
	if !r.Place.IsTown() {
		return towndesk.Place{}, towndesk.Invalidf(field, "「%s」是县（市、区），不是乡镇（街道）；请写出%s的乡镇（街道）", name, r.Place.County)
	}
	return r.Place, nil
}

// Ref names the request a change is made to, and who makes it; every
// change input (RequestMoveInput, RequestPayInput …) embeds it.
type Ref struct {
	ID, By string
	// Version, if not 0, is the version the user saw: the change is
	// refused with ECONFLICT if the request changed since.
	Version int
	// Card, if set, is the chat channel the change is made in: the
	// request's card and a line of its timeline are stored in the outbox
	// with the change (storage.Notice).
	Card string
}

// RequestMoveInput moves a request to another status.
type RequestMoveInput struct {
	Ref
	// To is the new status, in English (in_progress) or Chinese (办理中).
	To string
	// Note is an optional remark; Result is required for done, Reason for
	// rejected and cancelled.
	Note, Result, Reason string
}

// Move moves a request along its lifecycle (towndesk.Request.Move):
// accepting sets the due date from the kind's promised working days;
// leaving a waiting status pushes the due date back by the working days
// spent waiting. It returns EINVALID for a move the lifecycle does not
// allow (naming the current status and the allowed next steps), for done
// without a result or with an unbalanced ledger (showing the balance), and
// for rejected or cancelled without a reason; ENOTFOUND for an unknown id;
// ECONFLICT if someone changed the request first.
func (d *Desk) Move(ctx context.Context, in RequestMoveInput) (*RequestReply, error) {
	return d.change(ctx, in.Ref, func(cur *towndesk.Request, by string) (*towndesk.Change, string, error) {
		to, err := towndesk.ParseStatus(in.To)
		if err != nil {
			return nil, "", err
		}
		m := towndesk.Move{To: to, By: by, At: d.now(), Note: in.Note, Result: in.Result, Reason: in.Reason, Calendar: d.cal}
		if to == towndesk.StatusDone { // only done reads the ledger
			if m.Ledger, err = d.db.Ledger(ctx, cur.ID); err != nil {
				return nil, "", err
			}
		}
		c, err := cur.Move(m)
		if err != nil {
			return nil, "", err
		}
		msg := fmt.Sprintf("代办 %s：%s → %s", cur.ID, cur.Status.Chinese(), to.Chinese())
		if to == towndesk.StatusAccepted {
			msg += fmt.Sprintf("，办理时限 %s（%d 个工作日）", c.Request.Due, cur.PromisedDays)
		}
		if c.Paused > 0 {
			msg += fmt.Sprintf("，%s %d 个工作日不计入，时限顺延至 %s", cur.Status.Chinese(), c.Paused, c.Request.Due)
		}
		return c, msg, nil
	})
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

// RequestAssignInput assigns a request to a desk worker.
type RequestAssignInput struct {
	Ref
	Assignee string
}

// Assign makes in.Assignee the worker responsible for the request. It
// returns EINVALID for an empty name, the current assignee, or a request
// that has ended; ENOTFOUND; ECONFLICT.
func (d *Desk) Assign(ctx context.Context, in RequestAssignInput) (*RequestReply, error) {
	return d.change(ctx, in.Ref, func(cur *towndesk.Request, by string) (*towndesk.Change, string, error) {
		c, err := cur.Assign(in.Assignee, by, d.now())
		if err != nil {
			return nil, "", err
		}
		return c, fmt.Sprintf("代办 %s 改由 %s 承办", cur.ID, c.Request.Assignee), nil
	})
}

// change loads the request ref names at ref's version, makes change on it
// for ref.By and saves the result, with change's message. The request's
// chat card and its timeline follow the change through the outbox: in
// channel ref.Card when the change is made in chat, else (the CLI, the
// console) in the channel where its card was posted, if it has one; a
// running serve sends them.
func (d *Desk) change(ctx context.Context, ref Ref,
	change func(cur *towndesk.Request, by string) (*towndesk.Change, string, error)) (*RequestReply, error) {
	by, err := checkBy(ref.By)
	if err != nil {
		return nil, err
	}
	cur, err := d.load(ctx, ref.ID, ref.Version)
	if err != nil {
		return nil, err
	}
	c, msg, err := change(cur, by)
	if err != nil {
		return nil, err
	}
	// A change made outside chat (card "") follows the request's card, if
	// it has one (storage.RequestChange.Notice).
	notice := &storage.Notice{Channel: ref.Card, By: by, Line: msg}
	if err := d.db.UpdateRequest(ctx, storage.RequestChange{Request: c.Request, Was: cur, Events: c.Events, Entries: c.Entries, Notice: notice}); err != nil {
		return nil, err
	}
	return &RequestReply{Message: msg, Request: maskRequest(c.Request)}, nil
}

// RequestNoteInput adds a remark to a request's history.
type RequestNoteInput struct {
	Ref
	Text string
}

// Note records a remark in the request's history. It returns EINVALID for
// an empty or overlong text; ENOTFOUND; ECONFLICT.
func (d *Desk) Note(ctx context.Context, in RequestNoteInput) (*RequestReply, error) {
	return d.change(ctx, in.Ref, func(cur *towndesk.Request, by string) (*towndesk.Change, string, error) {
		c, err := cur.Annotate(in.Text, by, d.now())
		return c, fmt.Sprintf("已为代办 %s 添加备注：%s", cur.ID, towndesk.MaskText(strings.TrimSpace(in.Text))), err
	})
}

// RequestPayInput records money received, paid, collected or handed over.
type RequestPayInput struct {
	Ref
	// Type is 收取, 支付, 领取 or 交付.
	Type string
	// Amount is in yuan, as typed: "50", "50.5", "50.00".
	Amount  string
	Receipt string
	Note    string
}

// Pay adds a ledger entry to the request and returns the new balance. It
// returns EINVALID for an unknown type, a bad amount (zero, negative, not a
// number, more than two decimals, too large), or a request that is done or
// has ended; ENOTFOUND; ECONFLICT.
func (d *Desk) Pay(ctx context.Context, in RequestPayInput) (*RequestReply, error) {
	return d.changeMoney(ctx, in.Ref, func(cur *towndesk.Request, by string, _ []towndesk.LedgerEntry) (*towndesk.Change, string, error) {
		typ, err := towndesk.ParseEntryType(in.Type)
		if err != nil {
			return nil, "", err
		}
		amount, err := towndesk.ParseMoney(in.Amount)
		if err != nil {
			return nil, "", err
		}
		c, err := cur.Book(towndesk.LedgerEntry{Type: typ, Amount: amount, Receipt: strings.TrimSpace(in.Receipt),
			Note: strings.TrimSpace(in.Note), By: by, At: d.now()})
		return c, fmt.Sprintf("代办 %s：%s %s 元", cur.ID, typ, amount), err
	})
}

// changeMoney is change for a change to the request's ledger: fn gets the
// ledger as it is and returns the change, whose entries are added to it,
// and the reply's text, to which the new balance is added.
func (d *Desk) changeMoney(ctx context.Context, ref Ref,
	fn func(cur *towndesk.Request, by string, ledger []towndesk.LedgerEntry) (*towndesk.Change, string, error)) (*RequestReply, error) {
	var bal towndesk.Balance
	reply, err := d.change(ctx, ref, func(cur *towndesk.Request, by string) (*towndesk.Change, string, error) {
		ledger, err := d.db.Ledger(ctx, cur.ID)
		if err != nil {
			return nil, "", err
		}
		c, text, err := fn(cur, by, ledger)
		if err != nil {
			return nil, "", err
		}
		bal = towndesk.BalanceOf(append(ledger, c.Entries...))
		return c, fmt.Sprintf("%s。%s", text, bal), nil
	})
	if err != nil {
		return nil, err
	}
	reply.Balance = &bal
	return reply, nil
}

// RequestReverseInput cancels a ledger entry booked by mistake (冲正).
type RequestReverseInput struct {
	Ref
	// Entry is the entry's number as show and the export give it (#12 or
	// 12).
	Entry  string
	Reason string
}

// ParseEntryNumber reads a ledger entry's number as people write it: 12,
// #12 or ＃12. It returns an EINVALID error naming the field "reverse".
func ParseEntryNumber(s string) (int64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(strings.TrimPrefix(t, "#"), "＃")
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 1 {
		return 0, towndesk.Invalidf("reverse", "收支编号「%s」无效；请写 request show 收支明细里的编号，如 #3", s)
	}
	return n, nil
}

// Reverse cancels a ledger entry of the request with a reversing entry
// that references it (towndesk.Request.Reverse), and returns the new
// balance. It returns EINVALID for a bad entry number, a missing reason,
// an entry that was reversed already or is a reversal, or a request that
// is done or has ended; ENOTFOUND for an unknown request or entry;
// ECONFLICT.
func (d *Desk) Reverse(ctx context.Context, in RequestReverseInput) (*RequestReply, error) {
	entry, err := ParseEntryNumber(in.Entry)
	if err != nil {
		return nil, err
	}
	return d.changeMoney(ctx, in.Ref, func(cur *towndesk.Request, by string, ledger []towndesk.LedgerEntry) (*towndesk.Change, string, error) {
		c, err := cur.Reverse(ledger, towndesk.Reversal{Entry: entry, Reason: in.Reason, By: by, At: d.now()})
		if err != nil {
			return nil, "", err
		}
		e := c.Entries[0]
		return c, fmt.Sprintf("代办 %s：已冲正收支 #%d（%s %s 元）", cur.ID, entry, e.Type, e.Amount), nil
	})
}

// RequestFollowUpInput records the follow-up call (回访).
type RequestFollowUpInput struct {
	Ref
	// Result is 满意, 基本满意 or 不满意.
	Result string
	Note   string
}

// FollowUp records the citizen's answer in the follow-up call of a done
// request: 满意 or 基本满意 close it, 不满意 reopens it (in progress again,
// counted in Reopened). It returns EINVALID for an unknown result or a
// request that is not done; ENOTFOUND; ECONFLICT.
func (d *Desk) FollowUp(ctx context.Context, in RequestFollowUpInput) (*RequestReply, error) {
	if _, err := checkBy(in.By); err != nil {
		return nil, err
	}
	sat, err := towndesk.ParseSatisfaction(in.Result)
	if err != nil {
		return nil, err
	}
	return d.change(ctx, in.Ref, func(cur *towndesk.Request, by string) (*towndesk.Change, string, error) {
		c, err := cur.RecordFollowUp(towndesk.FollowUpCall{Result: sat, Note: in.Note, By: by, At: d.now()})
		if err != nil {
			return nil, "", err
		}
		if sat == towndesk.Dissatisfied {
			return c, fmt.Sprintf("代办 %s 回访不满意，退回「%s」重新办理（第 %d 次）", cur.ID, c.Request.Status.Chinese(), c.Request.Reopened), nil
		}
		return c, fmt.Sprintf("代办 %s 回访%s，已归档", cur.ID, sat), nil
	})
}

// RequestExtendInput extends a request's due date.
type RequestExtendInput struct {
	Ref
	// Days is the number of working days to add to the due date.
	Days   int
	Reason string
}

// Extend moves the due date of an accepted, unfinished request back by
// in.Days working days. It returns EINVALID without a reason, for days
// outside 1..towndesk.MaxPromisedDays, or for a request without a running
// due date; ENOTFOUND; ECONFLICT.
func (d *Desk) Extend(ctx context.Context, in RequestExtendInput) (*RequestReply, error) {
	return d.change(ctx, in.Ref, func(cur *towndesk.Request, by string) (*towndesk.Change, string, error) {
		c, err := cur.Extend(towndesk.Extension{Days: in.Days, Reason: in.Reason, By: by, At: d.now(), Calendar: d.cal})
		if err != nil {
			return nil, "", err
		}
		return c, fmt.Sprintf("代办 %s 办理时限由 %s 延至 %s（理由：%s）", cur.ID, cur.Due, c.Request.Due, towndesk.MaskText(strings.TrimSpace(in.Reason))), nil
	})
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
	// Next lists the statuses the request may move to, Ops the other
	// changes it accepts (the lifecycle table).
	Next []towndesk.Status `json:"next"`
	Ops  []towndesk.Op     `json:"ops"`
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
	reply := &RequestShowReply{
		Request:  r,
		Next:     append([]towndesk.Status{}, r.Status.Next()...),
		Ops:      append([]towndesk.Op{}, r.Ops()...),
		DaysLate: r.DaysLate(d.cal, towndesk.DateOf(d.now())),
		Revealed: in.Reveal,
	}
	if reply.Entries, err = d.db.Ledger(ctx, r.ID); err != nil {
		return nil, err
	}
	if reply.Events, err = d.db.Events(ctx, r.ID); err != nil {
		return nil, err
	}
	reply.Balance = towndesk.BalanceOf(reply.Entries)
	if !in.Reveal {
		reply.Request = maskRequest(r)
		reply.Entries = maskEntries(reply.Entries)
		reply.Events = maskEvents(reply.Events)
	}
	return reply, nil
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

// A listing's rows: DefaultListLimit when none is asked for, at most
// MaxListLimit.
const (
	DefaultListLimit = 100
	MaxListLimit     = 1000
)

// RequestListInput lists requests, newest first.
type RequestListInput struct {
	RequestFilterInput
	// Limit caps the rows returned: 0 means DefaultListLimit, at most
	// MaxListLimit.
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
	case in.Limit < 0 || in.Limit > MaxListLimit:
		return nil, towndesk.Invalidf("limit", "条数应为 1 到 %d", MaxListLimit)
	case in.Limit == 0:
		f.Limit = DefaultListLimit
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
