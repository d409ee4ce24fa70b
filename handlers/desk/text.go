package desk

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/towndesk/towndesk"
)

// Plain-text renderings of the desk's replies, for the console and the
// command line. They print what the reply holds: masked unless revealed.

const textTime = "2006-01-02 15:04"

func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(towndesk.ChinaTime).Format(textTime)
}

// Text renders the request, its money and its timeline.
func (r *RequestShowReply) Text() string {
	q := r.Request
	var b strings.Builder
	fmt.Fprintf(&b, "代办 %s  %s（版本 %d）\n", q.ID, q.Status.Chinese(), q.Version)
	fmt.Fprintf(&b, "地点：%s%s\n", q.Town.Short(), q.Village)
	fmt.Fprintf(&b, "群众：%s  电话：%s", q.Citizen, q.Phone)
	if q.IDNumber != "" {
		fmt.Fprintf(&b, "  身份证号：%s", q.IDNumber)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "类型：%s（承诺 %d 个工作日）", q.Kind, q.PromisedDays)
	if q.ItemCode != "" {
		fmt.Fprintf(&b, "  关联事项：%s", q.ItemCode)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "事项：%s\n", q.Matter)
	if len(q.Materials) > 0 {
		fmt.Fprintf(&b, "材料：%s\n", strings.Join(q.Materials, "、"))
	}
	fmt.Fprintf(&b, "承办人：%s\n", cmp.Or(q.Assignee, "（未指派）"))
	if !q.Due.IsZero() {
		fmt.Fprintf(&b, "办理时限：%s%s\n", q.Due, lateText(r.DaysLate))
	}
	if q.Result != "" {
		fmt.Fprintf(&b, "办理结果：%s\n", q.Result)
	}
	if q.Reason != "" {
		fmt.Fprintf(&b, "理由：%s\n", q.Reason)
	}
	if q.FollowUp != "" {
		fmt.Fprintf(&b, "回访：%s %s%s\n", q.FollowUp, localTime(q.FollowedUpAt), prefixed("  ", q.FollowUpNote))
	}
	if q.Reopened > 0 {
		fmt.Fprintf(&b, "重新办理：%d 次\n", q.Reopened)
	}
	if len(r.Entries) > 0 {
		fmt.Fprintf(&b, "收支：%s\n", r.Balance)
		for _, e := range r.Entries {
			fmt.Fprintf(&b, "  %s\n", EntryText(e, r.Entries))
		}
	}
	if len(r.Next) > 0 {
		names := make([]string, len(r.Next))
		for i, s := range r.Next {
			names[i] = fmt.Sprintf("%s（%s）", s.Chinese(), s)
		}
		fmt.Fprintf(&b, "可转为：%s\n", strings.Join(names, "、"))
	} else if q.Status.AwaitsFollowUp() {
		b.WriteString("下一步：回访（满意、基本满意、不满意）\n")
	}
	if len(r.Ops) > 0 {
		names := make([]string, len(r.Ops))
		for i, op := range r.Ops {
			names[i] = fmt.Sprintf("%s（%s）", op.Chinese(), op)
		}
		fmt.Fprintf(&b, "还可以：%s\n", strings.Join(names, "、"))
	}
	b.WriteString("流转记录：\n")
	for _, e := range r.Events {
		fmt.Fprintf(&b, "  %s  %s  %s\n", localTime(e.At), e.By, EventText(e))
	}
	return b.String()
}

// EntryText renders one ledger entry of ledger with its number (收支编号,
// what a reversal names): "#7  2026-03-02 09:00  收取 200.00 元  王芳（已由 #9 冲正）",
// and for a reversal "#9  … 冲正 #7：收取 -200.00 元  李娜  理由：金额录错".
func EntryText(e towndesk.LedgerEntry, ledger []towndesk.LedgerEntry) string {
	if e.Reverses != 0 {
		return fmt.Sprintf("#%d  %s  冲正 #%d：%s %s 元  %s%s", e.ID, localTime(e.At), e.Reverses, e.Type, e.Signed(), e.By,
			prefixed("  理由：", e.Note))
	}
	s := fmt.Sprintf("#%d  %s  %s %s 元  %s%s%s", e.ID, localTime(e.At), e.Type, e.Amount, e.By,
		prefixed("  票据号 ", e.Receipt), prefixed("  ", e.Note))
	if rev := towndesk.ReversalOf(ledger, e.ID); rev != nil {
		s += fmt.Sprintf("（已由 #%d 冲正）", rev.ID)
	}
	return s
}

// EventText renders one event without its time and person: "流转 已登记 → 已受理（备注）".
func EventText(e towndesk.Event) string {
	from, to := e.From, e.To
	if e.Type == towndesk.EventMoved || e.Type == towndesk.EventCreated {
		from, to = statusName(from), statusName(to)
	}
	s := e.Type.Chinese()
	switch {
	case from != "" && to != "":
		s += " " + from + " → " + to
	case to != "":
		s += " " + to
	}
	if e.Note != "" {
		s += "（" + e.Note + "）"
	}
	return s
}

func statusName(s string) string {
	if s == "" {
		return ""
	}
	return towndesk.Status(s).Chinese()
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

func lateText(days int) string {
	if days <= 0 {
		return ""
	}
	return fmt.Sprintf("（超期 %d 个工作日）", days)
}

// Text renders the page of requests, one line each, and the count.
func (r *RequestListReply) Text() string {
	if len(r.Rows) == 0 {
		return "没有符合条件的代办。\n"
	}
	var b strings.Builder
	for _, row := range r.Rows {
		q := row.Request
		fmt.Fprintf(&b, "%s  %s  %s%s  %s %s  %s  承办:%s", q.ID, q.Status.Chinese(), q.Town.Town,
			prefixed(" ", q.Village), q.Citizen, q.Phone, q.Kind, cmp.Or(q.Assignee, "-"))
		if !q.Due.IsZero() && q.Status.Active() {
			fmt.Fprintf(&b, "  时限:%s%s", q.Due, lateText(row.DaysLate))
		}
		fmt.Fprintf(&b, "  %s\n", oneLine(q.Matter, 30))
	}
	if r.Total > len(r.Rows) {
		fmt.Fprintf(&b, "共 %d 条，显示最新 %d 条。\n", r.Total, len(r.Rows))
	} else {
		fmt.Fprintf(&b, "共 %d 条。\n", r.Total)
	}
	return b.String()
}

// oneLine shortens s to at most n characters on one line.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
