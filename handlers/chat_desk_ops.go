package handlers

import (
	"context"
	"strconv"
	"strings"

	"github.com/towndesk/towndesk"
)

// DeskOp is a change to a request other than a status move: the desk
// operations a request card offers next to its moves.
type DeskOp string

// The desk operations, in the order a card shows them.
const (
	OpAssign DeskOp = "assign" // 指派
	OpNote   DeskOp = "note"   // 备注
	OpPay    DeskOp = "pay"    // 收付
	OpExtend DeskOp = "extend" // 延期
)

var deskOpChinese = map[DeskOp]string{OpAssign: "指派", OpNote: "备注", OpPay: "收付", OpExtend: "延期"}

// Chinese returns the operation's name as a button shows it (指派); the
// English name for an unknown operation.
func (o DeskOp) Chinese() string {
	if c, ok := deskOpChinese[o]; ok {
		return c
	}
	return string(o)
}

// DeskOps returns the operations Desk accepts on r now, in card order:
// assign until the request has ended (Desk.Assign), a note always
// (Desk.Note), money until it is done (Desk.Pay), an extension while it
// has a running due date (Desk.Extend).
func DeskOps(r *towndesk.Request) []DeskOp {
	var ops []DeskOp
	if !r.Status.Final() {
		ops = append(ops, OpAssign)
	}
	ops = append(ops, OpNote)
	if r.Status != towndesk.StatusDone && !r.Status.Final() {
		ops = append(ops, OpPay)
	}
	if r.Status.Active() && !r.Due.IsZero() {
		ops = append(ops, OpExtend)
	}
	return ops
}

// change runs a desk change for user acting in channel: refused with
// EUNAUTHORIZED (nothing changes) for a user who may not change requests.
func (c *Chat) change(req ChatRequest, do func(by string) (*RequestReply, error)) (*RequestReply, error) {
	if !c.Desk.CanChange(req.User, req.Channel) {
		return nil, refusal()
	}
	return do(req.User)
}

// AssignRequest makes in.Assignee (in Slack, the chosen user's ID, which
// `代办 列表 我的` matches) responsible for the request, for user acting in
// channel. It returns EUNAUTHORIZED for a user who may not change requests
// (nothing changes), and Desk.Assign's errors.
func (c *Chat) AssignRequest(ctx context.Context, req ChatRequest, in RequestAssignInput) (*ChatReply, error) {
	r, err := c.change(req, func(by string) (*RequestReply, error) {
		in.By = by
		return c.Desk.desk.Assign(ctx, in)
	})
	if err != nil {
		return nil, err
	}
	return &ChatReply{Text: r.Message, Desk: &DeskReply{Changed: r}}, nil
}

// NoteRequest records a remark in the request's history; the reply
// quotes it, phone and ID numbers masked. The same rules as AssignRequest,
// and Desk.Note's errors.
func (c *Chat) NoteRequest(ctx context.Context, req ChatRequest, in RequestNoteInput) (*ChatReply, error) {
	r, err := c.change(req, func(by string) (*RequestReply, error) {
		in.By = by
		return c.Desk.desk.Note(ctx, in)
	})
	if err != nil {
		return nil, err
	}
	text := r.Message + "：" + towndesk.MaskText(strings.TrimSpace(in.Text))
	return &ChatReply{Text: text, Desk: &DeskReply{Changed: r}}, nil
}

// PayRequest records money received, paid, collected or handed over; the
// reply gives the new balance. The same rules as AssignRequest, and
// Desk.Pay's errors (see ValidatePay for a form's fields).
func (c *Chat) PayRequest(ctx context.Context, req ChatRequest, in RequestPayInput) (*ChatReply, error) {
	r, err := c.change(req, func(by string) (*RequestReply, error) {
		in.By = by
		return c.Desk.desk.Pay(ctx, in)
	})
	if err != nil {
		return nil, err
	}
	return &ChatReply{Text: r.Message, Desk: &DeskReply{Changed: r}}, nil
}

// ExtendRequest moves the request's due date back; the reply quotes the
// reason, phone and ID numbers masked. The same rules as AssignRequest,
// and Desk.Extend's errors.
func (c *Chat) ExtendRequest(ctx context.Context, req ChatRequest, in RequestExtendInput) (*ChatReply, error) {
	r, err := c.change(req, func(by string) (*RequestReply, error) {
		in.By = by
		return c.Desk.desk.Extend(ctx, in)
	})
	if err != nil {
		return nil, err
	}
	text := r.Message + "（理由：" + towndesk.MaskText(strings.TrimSpace(in.Reason)) + "）"
	return &ChatReply{Text: text, Desk: &DeskReply{Changed: r}}, nil
}

// ValidatePay checks a pay form's type and amount with the parsers
// Desk.Pay uses, both at once (Desk.Pay stops at the first). It returns
// the problems by field name ("type", "amount"); empty when the form may
// be submitted.
func ValidatePay(in RequestPayInput) map[string]string {
	p := map[string]string{}
	if _, err := towndesk.ParseEntryType(in.Type); err != nil {
		p["type"] = towndesk.ErrorMessage(err)
	}
	if _, err := towndesk.ParseMoney(in.Amount); err != nil {
		p["amount"] = towndesk.ErrorMessage(err)
	}
	return p
}

// ValidateExtend checks an extension form: days must be a whole number
// (Desk.Extend checks its range) and the reason given. It returns the
// days and the problems by field name ("days", "reason"); empty when the
// form may be submitted.
func ValidateExtend(days, reason string) (int, map[string]string) {
	p := map[string]string{}
	n, err := strconv.Atoi(strings.TrimSpace(days))
	if err != nil {
		p["days"] = "请填写延期的工作日数（整数）"
	}
	if strings.TrimSpace(reason) == "" {
		p["reason"] = "延期须写明理由"
	}
	return n, p
}
