package desk

import (
	"strconv"
	"strings"

	"github.com/towndesk/towndesk"
)

// ValidatePay checks a pay form's type and amount with the parsers
// Desk.Pay uses, both at once (Desk.Pay stops at the first). It returns
// the problems by field name ("type", "amount"); empty when the form may
// be submitted.
func ValidatePay(in RequestPayInput) map[string]string {
	p := map[string]string{}
	if strings.TrimSpace(in.Type) == "" {
		p["type"] = "请选择收支类型"
	} else if _, err := towndesk.ParseEntryType(in.Type); err != nil {
		p[towndesk.ErrorField(err)] = towndesk.ErrorMessage(err)
	}
	if _, err := towndesk.ParseMoney(in.Amount); err != nil {
		p[towndesk.ErrorField(err)] = towndesk.ErrorMessage(err)
	}
	return p
}

// ValidateReverse checks a pay form that asks to reverse an entry (冲正):
// the entry number must parse, the reason (the form's remark) be given,
// and type and amount left empty, since they are the cancelled entry's.
// It returns the problems by field name ("reverse", "note", "type",
// "amount"); empty when the form may be submitted.
func ValidateReverse(entry, reason, typ, amount string) map[string]string {
	p := map[string]string{}
	if _, err := ParseEntryNumber(entry); err != nil {
		p["reverse"] = towndesk.ErrorMessage(err)
	}
	if strings.TrimSpace(reason) == "" {
		p["note"] = "冲正须写明理由（填在备注里）"
	}
	if strings.TrimSpace(typ) != "" {
		p["type"] = "冲正时不用选类型：类型和金额取自被冲正的那笔"
	}
	if strings.TrimSpace(amount) != "" {
		p["amount"] = "冲正时不用填金额：类型和金额取自被冲正的那笔"
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
