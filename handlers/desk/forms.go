package desk

import (
	"strconv"
	"strings"

	"github.com/towndesk/towndesk"
)

// Op is a change to a request other than a status move: the desk
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

// Ops returns the operations Desk accepts on r now, in card order:
// assign until the request has ended (Desk.Assign), a note always
// (Desk.Note), money until it is done (Desk.Pay), an extension while it
// has a running due date (Desk.Extend).
func Ops(r *towndesk.Request) []Op {
	var ops []Op
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

// NeedsText says what a move to status to must be given in words, in the
// field name the form shows: 办理结果 for done, 理由 for rejected and
// cancelled; "" when a note is optional.
func NeedsText(to towndesk.Status) string {
	switch to {
	case towndesk.StatusDone:
		return "办理结果"
	case towndesk.StatusRejected, towndesk.StatusCancelled:
		return "理由"
	}
	return ""
}

// IntakeProblem maps a failed intake to the form field it concerns, so
// the form can show the message next to it: one of town, citizen, phone,
// id_number, kind, matter, materials, item; "" when no field fits.
func IntakeProblem(err error) string {
	msg := towndesk.ErrorMessage(err)
	switch {
	case strings.Contains(msg, "电话"):
		return "phone"
	case strings.Contains(msg, "身份证"):
		return "id_number"
	case strings.Contains(msg, "代办类型"):
		return "kind"
	case strings.Contains(msg, "群众姓名"):
		return "citizen"
	case strings.Contains(msg, "办理事项"):
		return "matter"
	case strings.Contains(msg, "材料"):
		return "materials"
	case strings.Contains(msg, "编码"):
		return "item"
	case strings.Contains(msg, "村"):
		return "village"
	case strings.Contains(msg, "乡镇"), strings.Contains(msg, "县"), strings.Contains(msg, "镇"):
		return "town"
	}
	return ""
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
