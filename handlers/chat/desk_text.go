package chat

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/desk"
)

// The desk by text, for a front end without request cards (the console):
// everything the Slack card's buttons and forms do, as commands.
//
//	代办 登记 镇=滨湖镇 姓名=张三 电话=13812345678 类型=代办证件 事项=代办残疾证 [村=…] [材料=…] [身份证=…]
//	代办 2026-0001 转为 已受理 | 办理中 | 已办结 结果… | 已撤销 理由…   (or just: 代办 2026-0001 已受理)
//	代办 2026-0001 回访 满意 | 基本满意 | 不满意 [说明…]
//	代办 2026-0001 指派 李娜
//	代办 2026-0001 备注 已电话联系
//	代办 2026-0001 收付 收取 50 [票据号=R1] [备注…]
//	代办 2026-0001 冲正 #3 金额录错
//	代办 2026-0001 延期 3 部门系统故障
//	代办 2026-0001 完整号码
//
// In Slack the card is the one place requests change (it is updated in
// place after every change), so there these commands point to it.

// intakeUsage is the 代办 登记 line, for help and errors.
const intakeUsage = "镇=乡镇 姓名=群众姓名 电话=联系电话 类型=代办类型 事项=办理事项 [村=村（社区）] [材料=材料1,材料2] [身份证=身份证号] [县=县（市、区）] [编码=关联事项编码]"

// deskOps are the operations on one request, by the word that names them.
var deskOps = map[string]string{
	"转为": "move", "流转": "move", "move": "move",
	"回访": "followup", "followup": "followup",
	"指派": "assign", "assign": "assign",
	"备注": "note", "note": "note",
	"收付": "pay", "收支": "pay", "pay": "pay",
	"冲正": "reverse", "reverse": "reverse",
	"延期": "extend", "extend": "extend",
	"完整号码": "reveal", "查看完整号码": "reveal", "reveal": "reveal",
}

// deskOpUsage says how to write each operation.
var deskOpUsage = map[string]string{
	"move":     "代办 %s 转为 新状态 [办理结果或理由]，如：代办 %s 转为 已受理",
	"followup": "代办 %s 回访 满意|基本满意|不满意 [说明]",
	"assign":   "代办 %s 指派 承办人",
	"note":     "代办 %s 备注 内容",
	"pay":      "代办 %s 收付 收取|支付|领取|交付 金额 [票据号=…] [备注]，如：代办 %s 收付 收取 50",
	"reverse":  "代办 %s 冲正 收支编号 理由，如：代办 %s 冲正 #3 金额录错（编号见：代办 %s）",
	"extend":   "代办 %s 延期 工作日数 理由，如：代办 %s 延期 3 部门系统故障",
	"reveal":   "代办 %s 完整号码（显示完整的电话和身份证号，并记入流转记录）",
}

func usageOf(op, id string) string {
	u := deskOpUsage[op]
	return fmt.Sprintf(u, slices.Repeat([]any{id}, strings.Count(u, "%s"))...)
}

// byText refuses a desk change by text where requests have cards.
func byText(req Message, c *Chat) error {
	if req.Local() {
		return nil
	}
	return towndesk.Errorf(towndesk.EINVALID, "在 Slack 中请用代办卡片上的按钮办理（卡片会随之更新）：%s 代办 编号 可调出卡片，%s 代办 打开登记表。", c.Command, c.Command)
}

// runDeskOp runs the operation args name on request id.
func runDeskOp(ctx context.Context, c *Chat, req Message, id string, args []string) (*Reply, error) {
	word := args[0]
	op, ok := deskOps[strings.ToLower(word)]
	if !ok {
		if st, err := towndesk.ParseStatus(word); err == nil {
			op, args = "move", append([]string{"转为", string(st)}, args[1:]...)
		} else {
			names := []string{"转为", "回访", "指派", "备注", "收付", "冲正", "延期", "完整号码"}
			return nil, towndesk.Errorf(towndesk.EINVALID, "不认识“%s”。代办 %s 后面可写：%s（或直接写新状态）。%s", word, id,
				strings.Join(names, "、"), towndesk.DidYouMean(word, names))
		}
	}
	if err := byText(req, c); err != nil {
		return nil, err
	}
	rest := args[1:]
	text := strings.Join(rest, " ")
	bad := func() error {
		return towndesk.Errorf(towndesk.EINVALID, "用法：%s", usageOf(op, id))
	}
	switch op {
	case "move":
		if len(rest) == 0 {
			return nil, bad()
		}
		to, err := towndesk.ParseStatus(rest[0])
		if err != nil {
			return nil, err
		}
		return c.MoveRequest(ctx, req, id, 0, to, strings.Join(rest[1:], " "))
	case "followup":
		if len(rest) == 0 {
			return nil, bad()
		}
		return c.FollowUpRequest(ctx, req, id, 0, rest[0], strings.Join(rest[1:], " "))
	case "assign":
		if len(rest) != 1 {
			return nil, bad()
		}
		return c.AssignRequest(ctx, req, desk.RequestAssignInput{Ref: desk.Ref{ID: id}, Assignee: rest[0]})
	case "note":
		if text == "" {
			return nil, bad()
		}
		return c.NoteRequest(ctx, req, desk.RequestNoteInput{Ref: desk.Ref{ID: id}, Text: text})
	case "pay":
		if len(rest) < 2 {
			return nil, bad()
		}
		in := desk.RequestPayInput{Ref: desk.Ref{ID: id}, Type: rest[0], Amount: rest[1]}
		var note []string
		for _, w := range rest[2:] {
			if k, v, ok := cutField(w); ok && (k == "票据号" || k == "票据" || k == "receipt") {
				in.Receipt = v
				continue
			}
			note = append(note, w)
		}
		in.Note = strings.Join(note, " ")
		return c.PayRequest(ctx, req, in)
	case "reverse":
		if len(rest) < 2 {
			return nil, bad()
		}
		return c.ReverseRequest(ctx, req, desk.RequestReverseInput{Ref: desk.Ref{ID: id}, Entry: rest[0], Reason: strings.Join(rest[1:], " ")})
	case "reveal":
		if len(rest) != 0 {
			return nil, bad()
		}
		return c.ShowRequest(ctx, req, id, true)
	case "extend":
		if len(rest) < 2 {
			return nil, bad()
		}
		days, err := strconv.Atoi(rest[0])
		if err != nil {
			return nil, towndesk.Errorf(towndesk.EINVALID, "延期天数应为工作日数，如 3，不是“%s”。用法：%s", rest[0], usageOf(op, id))
		}
		return c.ExtendRequest(ctx, req, desk.RequestExtendInput{Ref: desk.Ref{ID: id}, Days: days, Reason: strings.Join(rest[1:], " ")})
	}
	return nil, bad()
}

// intakeFields maps the words of 代办 登记 to the intake's fields.
var intakeFields = map[string]string{
	"镇": "town", "乡镇": "town", "街道": "town", "town": "town",
	"县": "county", "county": "county",
	"村": "village", "社区": "village", "village": "village",
	"姓名": "citizen", "群众": "citizen", "citizen": "citizen",
	"电话": "phone", "手机": "phone", "phone": "phone",
	"身份证": "id_number", "身份证号": "id_number", "id": "id_number",
	"类型": "kind", "kind": "kind",
	"事项": "matter", "matter": "matter",
	"材料": "materials", "materials": "materials",
	"编码": "item", "事项编码": "item", "item": "item",
}

// intakeOrder is the order of the intake form, for its problems.
var intakeOrder = []string{"town", "county", "village", "citizen", "phone", "id_number", "kind", "matter", "materials", "item"}

// cutField splits "键=值" (also ＝, ：, :).
func cutField(w string) (key, value string, ok bool) {
	for _, sep := range []string{"=", "＝", "：", ":"} {
		if k, v, found := strings.Cut(w, sep); found && k != "" {
			return strings.TrimSpace(k), strings.TrimSpace(v), true
		}
	}
	return "", "", false
}

func runDeskNew(ctx context.Context, c *Chat, req Message, args []string) (*Reply, error) {
	if err := byText(req, c); err != nil {
		return nil, err
	}
	if len(args) == 0 {
		return nil, towndesk.Errorf(towndesk.EINVALID, "用法：代办 登记 %s\n代办类型：%s", intakeUsage, kindNames(c.Desk.desk.Kinds()))
	}
	values := map[string]string{}
	last := ""
	for _, w := range args {
		k, v, ok := cutField(w)
		field := intakeFields[strings.ToLower(k)]
		switch {
		case ok && field != "":
			values[field], last = v, field
		case ok:
			return nil, towndesk.Errorf(towndesk.EINVALID, "不认识“%s”。登记时可写：%s", k, intakeUsage)
		case last != "":
			values[last] += " " + w // a value with a space in it
		default:
			return nil, towndesk.Errorf(towndesk.EINVALID, "“%s”前面缺少字段名，如 姓名=%s。用法：代办 登记 %s", w, w, intakeUsage)
		}
	}
	in := desk.RequestNewInput{Town: values["town"], County: cmp.Or(values["county"], req.County), Village: values["village"],
		Citizen: values["citizen"], Phone: values["phone"], IDNumber: values["id_number"], Kind: values["kind"],
		Matter: values["matter"], Materials: values["materials"], Item: values["item"]}
	if in.Town == "" {
		in.Town = req.Town
	}
	if p := c.Desk.desk.ValidateIntake(in); len(p) > 0 {
		var msgs []string
		for _, f := range intakeOrder {
			if m, ok := p[f]; ok {
				msgs = append(msgs, m)
			}
		}
		return nil, towndesk.Errorf(towndesk.EINVALID, "未登记：%s。\n用法：代办 登记 %s", strings.Join(msgs, "；"), intakeUsage)
	}
	return c.NewRequest(ctx, req, in)
}

func kindNames(kinds []towndesk.Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return strings.Join(names, "、")
}
