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
	if _, err := towndesk.ParseEntryType(in.Type); err != nil {
		p[towndesk.ErrorField(err)] = towndesk.ErrorMessage(err)
	}
	if _, err := towndesk.ParseMoney(in.Amount); err != nil {
		p[towndesk.ErrorField(err)] = towndesk.ErrorMessage(err)
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
