package bot

import (
	"context"
	"crypto/sha256"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/chat"
	"github.com/towndesk/towndesk/handlers/desk"
)

// Desk action and view IDs.
const (
	actMove     = "td_move"     // value: id|version|status
	actFollowUp = "td_followup" // value: id|version|满意
	actReveal   = "td_reveal"   // value: id

	viewIntake = "td_intake" // private_metadata: the channel the form was opened from
	viewMove   = "td_move"   // private_metadata: id|version|status|channel
)

// staleForm is shown in a modal whose hidden state does not parse.
const staleForm = "表单已失效，请关闭后从消息卡片重新打开。"

// deskRefusal is what someone who may not change requests is told.
func deskRefusal() error {
	return towndesk.Errorf(towndesk.EUNAUTHORIZED, "只有代办员（或代办频道的成员）可以办理代办，本次操作未生效。")
}

// intakeField is one input of the intake form: its block ID (the field
// name of towndesk.Error.Field), with one element "v".
type intakeField struct {
	id, label, hint string
	optional, multi bool
}

// intakeFields are the intake form's inputs, in order.
var intakeFields = []intakeField{
	{"county", "县（市、区）", "如 蓟州区", true, false},
	{"town", "乡镇（街道）", "如 邦均镇", false, false},
	{"village", "村（社区）", "", true, false},
	{"citizen", "群众姓名", "", false, false},
	{"phone", "联系电话", "手机号或带区号的固定电话", false, false},
	{"id_number", "身份证号", "需要时填写", true, false},
	{"kind", "代办类型", "", false, false},
	{"matter", "办理事项", "要办什么、办到什么程度", false, true},
	{"materials", "已收材料", "用逗号或顿号分隔", true, false},
	{"item", "关联权力事项编码", "", true, false},
}

// openModal opens the modal a reply asks for (the intake form); false if
// it asks for none. views.open comes first: the trigger expires in 3 s.
func (b *Bot) openModal(ctx context.Context, triggerID, channel string, r *chat.Reply) bool {
	if r.Desk == nil || r.Desk.Intake == nil || triggerID == "" {
		return false
	}
	return b.openView(ctx, triggerID, intakeView(r.Desk.Intake, channel)) == nil
}

// openView opens a modal, waiting out rate limits; failures are logged.
func (b *Bot) openView(ctx context.Context, triggerID string, view slack.ModalViewRequest) error {
	err := withRetry(ctx, func() error {
		_, err := b.api.OpenViewContext(ctx, triggerID, view)
		return err
	})
	if err != nil {
		b.log.Error("views.open failed", "callback_id", view.CallbackID, "err", err)
	}
	return err
}

func intakeView(f *chat.IntakeForm, channel string) slack.ModalViewRequest {
	var blocks []slack.Block
	for _, fd := range intakeFields {
		var el slack.BlockElement
		if fd.id == "kind" {
			var opts []*slack.OptionBlockObject
			for _, k := range f.Kinds {
				opts = append(opts, slack.NewOptionBlockObject(k.Name, plain(fmt.Sprintf("%s（%d 个工作日）", k.Name, k.Days)), nil))
			}
			el = slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("选择类型"), "v", opts...)
		} else {
			in := slack.NewPlainTextInputBlockElement(nil, "v")
			in.Multiline = fd.multi
			switch fd.id {
			case "town":
				in.InitialValue = f.Town
			case "county":
				in.InitialValue = f.County
			}
			el = in
		}
		var hint *slack.TextBlockObject
		if fd.hint != "" {
			hint = plain(fd.hint)
		}
		ib := slack.NewInputBlock(fd.id, plain(fd.label), hint, el)
		ib.Optional = fd.optional
		blocks = append(blocks, ib)
	}
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: viewIntake, PrivateMetadata: channel,
		Title: plain("登记代办"), Submit: plain("登记"), Close: plain("取消"), Blocks: slack.Blocks{BlockSet: blocks}}
}

// value returns the submitted value of field id ("" if absent).
func value(v slack.View, id string) string {
	a, ok := v.State.Values[id]["v"]
	if !ok {
		return ""
	}
	if a.SelectedOption.Value != "" {
		return a.SelectedOption.Value
	}
	if a.SelectedUser != "" {
		return a.SelectedUser
	}
	return strings.TrimSpace(a.Value)
}

// viewSubmission validates a submitted modal before the ack and returns
// the ack payload: field errors keep the modal open and store nothing.
func (b *Bot) viewSubmission(ctx context.Context, cb slack.InteractionCallback) any {
	if resp, ok := b.submitTeach(ctx, cb); ok {
		return resp
	}
	if b.chat.Desk == nil {
		return nil
	}
	switch cb.View.CallbackID {
	case viewIntake:
		return b.submitIntake(ctx, cb)
	case viewMove:
		return b.submitMove(ctx, cb)
	case viewAssign, viewNote, viewPay, viewExtend:
		return b.submitOp(ctx, cb)
	}
	return nil
}

func (b *Bot) submitIntake(ctx context.Context, cb slack.InteractionCallback) any {
	v := cb.View
	channel := v.PrivateMetadata
	in := desk.RequestNewInput{County: value(v, "county"), Town: value(v, "town"), Village: value(v, "village"),
		Citizen: value(v, "citizen"), Phone: value(v, "phone"), IDNumber: value(v, "id_number"), Kind: value(v, "kind"),
		Matter: value(v, "matter"), Materials: value(v, "materials"), Item: value(v, "item")}
	if p := b.chat.Desk.Desk().ValidateIntake(in); len(p) > 0 {
		return formErrors(p)
	}
	// The request, the form's key and the card's posts are stored in one
	// transaction: a crash leaves all or nothing, and a resubmission of
	// the same form finds the request.
	in.Key = "intake:" + v.ID
	req := chat.Message{Source: "slack", User: cb.User.ID, Channel: channel, Cards: true}
	reply, err := b.chat.NewRequest(ctx, req, in)
	if err != nil {
		field := towndesk.ErrorField(err)
		if towndesk.ErrorCode(err) == towndesk.EUNAUTHORIZED || !slices.ContainsFunc(intakeFields, func(f intakeField) bool { return f.id == field }) {
			field = "matter" // the form has no input for it
		}
		if towndesk.ErrorCode(err) == towndesk.EINTERNAL {
			b.log.Error("intake failed", "user", cb.User.ID, "err", err)
		}
		return formError(field, failureText(err))
	}
	r := reply.Desk.Changed.Request
	if reply.Desk.Changed.Repeated {
		b.log.Info("repeated intake form; request exists", "id", r.ID, "user", cb.User.ID)
		return nil
	}
	b.log.Info("request created", "id", r.ID, "user", cb.User.ID, "town", r.Town.Short())
	b.outbox.Wake()
	return nil
}

// formErrors is the ack that shows errors at a modal's fields (block IDs)
// and keeps it open; each is masked and cut to what Slack shows.
func formErrors(m map[string]string) *slack.ViewSubmissionResponse {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = clip(v, 150)
	}
	return slack.NewErrorsViewSubmissionResponse(out)
}

// formError is formErrors for one field.
func formError(field, text string) *slack.ViewSubmissionResponse {
	return formErrors(map[string]string{field: text})
}

// parseRef parses the "id|version|…" that the card's buttons and the desk's
// modals carry, split into at most n fields: the request ID, the version
// the change is made against, and the n-2 fields after them ("" where
// absent). ok is false without an ID or a version of at least 1: a version
// that does not parse must not become 0 and slip past the
// optimistic-locking check.
func parseRef(s string, n int) (id string, version int, rest []string, ok bool) {
	parts := strings.SplitN(s, "|", n)
	if len(parts) < 2 {
		return "", 0, nil, false
	}
	version, err := strconv.Atoi(parts[1])
	if err != nil || version < 1 || parts[0] == "" {
		return "", 0, nil, false
	}
	return parts[0], version, append(parts[2:], make([]string, n-len(parts))...), true
}

// parseForm is parseRef for a modal's private metadata, which we always
// write with all n fields: one missing is a stale or forged form, never
// a field left empty.
func parseForm(s string, n int) (id string, version int, rest []string, ok bool) {
	if strings.Count(s, "|") < n-1 {
		return "", 0, nil, false
	}
	return parseRef(s, n)
}

// deskChannel returns the desk channel for a town: the one configured for
// it, else the channel the form came from if it is a desk channel, else ""
// (no card; the creator is told in private).
func (b *Bot) deskChannel(town towndesk.Place, from string) string {
	for ch, p := range b.cfg.Desk.Channels {
		if p.Town == town.Town && p.County == town.County {
			return ch
		}
	}
	if b.cfg.IsDeskChannel(from) {
		return from
	}
	return ""
}

// slackUserRe matches a Slack user ID (as config checks desk workers).
var slackUserRe = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)

// mention renders a person for mrkdwn: a Slack user ID as a mention, a
// name escaped and masked, nobody as a dash.
func mention(who string) string {
	switch {
	case who == "":
		return "—"
	case slackUserRe.MatchString(who):
		return "<@" + who + ">"
	}
	return clip(escape(who), 100)
}

// timeline renders a line of a request's timeline for the card's thread:
// who made the change and what happened, the request's assignee shown as
// a mention. The notification fallback is the change alone (mentions
// there would show as code).
func timeline(by, line, assignee string) message {
	text := clip(escape(line), maxSectionText-200)
	if slackUserRe.MatchString(assignee) {
		text = regexp.MustCompile(`\b`+assignee+`\b`).ReplaceAllLiteralString(text, "<@"+assignee+">")
	}
	text = mention(by) + " " + text
	return message{text: line, blocks: []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)}}
}

// cardMessage renders a request's card: its state, and buttons for exactly
// the moves its lifecycle allows now and the other changes the desk
// accepts now (towndesk.Request.Ops).
func cardMessage(s *desk.RequestShowReply) message {
	r := s.Request
	title := fmt.Sprintf("代办 %s · %s", r.ID, r.Status.Chinese())
	blocks := []slack.Block{section("*" + title + "*")}
	fields := []*slack.TextBlockObject{
		field("群众", r.Citizen), field("联系电话", r.Phone),
		field("地点", r.Town.Short()+r.Village), field("类型", fmt.Sprintf("%s（承诺 %d 个工作日）", r.Kind, r.PromisedDays)),
		slack.NewTextBlockObject(slack.MarkdownType, "*承办人*\n"+mention(r.Assignee), false, false),
	}
	if !r.Due.IsZero() {
		due := string(r.Due)
		if s.DaysLate > 0 {
			due += fmt.Sprintf("（超期 %d 个工作日）", s.DaysLate)
		}
		fields = append(fields, field("办理时限", due))
	}
	if r.IDNumber != "" {
		fields = append(fields, field("身份证号", r.IDNumber))
	}
	if len(s.Entries) > 0 {
		fields = append(fields, field("收支", s.Balance.String()))
	}
	blocks = append(blocks, slack.NewSectionBlock(nil, fields, nil))
	detail := "*办理事项*\n" + escape(r.Matter)
	if len(r.Materials) > 0 {
		detail += "\n*已收材料* " + escape(strings.Join(r.Materials, "、"))
	}
	if r.Result != "" {
		detail += "\n*办理结果* " + escape(r.Result)
	}
	if r.Reason != "" {
		detail += "\n*理由* " + escape(r.Reason)
	}
	blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, clip(detail, maxSectionText), false, false), nil, nil))
	var buttons []slack.BlockElement
	ver := strconv.Itoa(r.Version)
	for _, to := range s.Next {
		btn := button(actMove, r.ID+"|"+ver+"|"+string(to), "转为"+to.Chinese())
		switch to {
		case towndesk.StatusRejected, towndesk.StatusCancelled:
			btn.Style = slack.StyleDanger
		case towndesk.StatusAccepted, towndesk.StatusDone:
			btn.Style = slack.StylePrimary
		}
		buttons = append(buttons, btn)
	}
	if r.Status.AwaitsFollowUp() {
		for _, sat := range []towndesk.Satisfaction{towndesk.Satisfied, towndesk.MostlySatisfied, towndesk.Dissatisfied} {
			buttons = append(buttons, button(actFollowUp, r.ID+"|"+ver+"|"+string(sat), "回访："+string(sat)))
		}
	}
	buttons = append(buttons, opButtons(r)...)
	buttons = append(buttons, button(actReveal, r.ID, "查看完整号码"))
	blocks = append(blocks, slack.NewActionBlock("td_card", buttons...))
	blocks = append(blocks, slack.NewContextBlock("", mrkdwn(fmt.Sprintf("版本 %d · 流转记录见本消息的话题", r.Version))))
	return message{text: title + "：" + r.Citizen + "，" + r.Kind, blocks: blocks}
}

// deskAction handles a desk button clicked in channel; false if a is not
// one.
func (b *Bot) deskAction(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction, channel string) bool {
	if b.chat.Desk == nil {
		return false
	}
	user := cb.User.ID
	req := chat.Message{Source: "slack", User: user, Channel: channel, Cards: true}
	refuse := func(err error) {
		b.log.Info("desk action refused", "action_id", a.ActionID, "user", user, "reason", towndesk.ErrorMessage(err))
		b.ephemeral(ctx, cb.ResponseURL, channel, user, "", message{text: failureText(err)})
	}
	switch a.ActionID {
	case actReveal:
		r, err := b.chat.ShowRequest(ctx, req, a.Value, true)
		if err != nil {
			refuse(err)
			return true
		}
		b.log.Info("full numbers shown", "id", a.Value, "user", user)
		q := r.Desk.Show.Request
		text := fmt.Sprintf("代办 %s：%s 电话 %s", q.ID, q.Citizen, q.Phone)
		if q.IDNumber != "" {
			text += "，身份证号 " + q.IDNumber
		}
		text += "（仅你可见，已记录本次查看）"
		// Not through render/clip: this one message is meant to show the numbers.
		b.ephemeral(ctx, cb.ResponseURL, channel, user, "", message{text: towndesk.EscapeControls(text), unmasked: true})
		return true
	case actMove, actFollowUp, actAssign, actNote, actPay, actExtend:
		// value: id|version|the target, or for 指派 the current assignee.
		id, version, rest, ok := parseRef(a.Value, 3)
		move := a.ActionID == actMove || a.ActionID == actFollowUp
		if !ok || move && rest[0] == "" {
			refuse(towndesk.Errorf(towndesk.EINVALID, "按钮已失效"))
			return true
		}
		if !b.chat.Desk.CanChange(user, channel) {
			refuse(deskRefusal())
			return true
		}
		switch {
		case !move:
			b.openView(ctx, cb.TriggerID, opView(a.ActionID, id, version, channel, rest[0], b.opLedger(ctx, a.ActionID, id, user, channel)))
		case a.ActionID == actMove && towndesk.Status(rest[0]).Needs() != "":
			b.openMoveModal(ctx, cb.TriggerID, id, version, towndesk.Status(rest[0]), channel)
		default:
			b.applyMove(ctx, req, cb.ResponseURL, a.ActionID, id, version, rest[0], "")
		}
		return true
	}
	return false
}

// applyMove makes a change once per (request, version, target): a double
// click or a redelivery does nothing the second time. The card's update
// and the timeline line are stored with the change (req.Cards).
func (b *Bot) applyMove(ctx context.Context, req chat.Message, responseURL, kind, id string, version int, to, text string) error {
	done, err := b.changeOnce(ctx, fmt.Sprintf("%s:%s:%d:%s", kind, id, version, to), func() (*chat.Reply, error) {
		if kind == actFollowUp {
			return b.chat.FollowUpRequest(ctx, req, id, version, to, "")
		}
		return b.chat.MoveRequest(ctx, req, id, version, towndesk.Status(to), text)
	})
	if err != nil {
		b.log.Info("desk change refused", "id", id, "to", to, "user", req.User, "reason", err)
		b.ephemeral(ctx, responseURL, req.Channel, req.User, "", message{text: failureText(err)})
		if towndesk.ErrorCode(err) == towndesk.ECONFLICT {
			b.refreshCard(ctx, id, req.Channel)
		}
		return err
	}
	if done {
		b.log.Info("request changed", "id", id, "to", to, "user", req.User)
		b.outbox.Wake()
	}
	return nil
}

// refreshCard brings request id's card up to date through the outbox
// (someone changed the request since the card was drawn).
func (b *Bot) refreshCard(ctx context.Context, id, channel string) {
	if err := b.enqueue(ctx, cardPost(id, channel)); err != nil {
		b.log.Error("queue card refresh", "id", id, "err", err)
	}
}

// changeOnce makes a change under its business key: a double click or a
// redelivery of the same change does nothing the second time (done false).
func (b *Bot) changeOnce(ctx context.Context, key string, change func() (*chat.Reply, error)) (done bool, err error) {
	return b.once(ctx, key, func() (string, error) {
		reply, err := change()
		if err != nil {
			return "", err
		}
		return strconv.Itoa(reply.Desk.Changed.Request.Version), nil
	})
}

func (b *Bot) openMoveModal(ctx context.Context, triggerID, id string, version int, to towndesk.Status, channel string) {
	label := to.Needs()
	in := slack.NewPlainTextInputBlockElement(nil, "v")
	in.Multiline = true
	view := slack.ModalViewRequest{Type: slack.VTModal, CallbackID: viewMove,
		PrivateMetadata: fmt.Sprintf("%s|%d|%s|%s", id, version, to, channel),
		Title:           plain("代办 " + id), Submit: plain("转为" + to.Chinese()), Close: plain("取消"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			section(fmt.Sprintf("将代办 %s 转为「%s」，请填写%s。", id, to.Chinese(), label)),
			slack.NewInputBlock("text", plain(label), nil, in),
		}}}
	b.openView(ctx, triggerID, view)
}

// submitMove applies a move that needed words, before the ack, so that a
// refusal shows in the modal; the card is updated in the background.
func (b *Bot) submitMove(ctx context.Context, cb slack.InteractionCallback) any {
	id, version, rest, ok := parseForm(cb.View.PrivateMetadata, 4)
	if !ok || rest[0] == "" {
		b.log.Warn("move form with bad metadata refused", "metadata", cb.View.PrivateMetadata, "user", cb.User.ID)
		return formError("text", staleForm)
	}
	to, channel := towndesk.Status(rest[0]), rest[1]
	text := value(cb.View, "text")
	if text == "" {
		return formError("text", "请填写"+to.Needs())
	}
	req := chat.Message{Source: "slack", User: cb.User.ID, Channel: channel, Cards: true}
	return b.submitChange(ctx, req, fmt.Sprintf("%s:%s:%d:%s", actMove, id, version, to), id, "text", func() (*chat.Reply, error) {
		return b.chat.MoveRequest(ctx, req, id, version, to, text)
	})
}

// submitChange makes a change submitted in a modal, before the ack, once
// under its business key: a refusal is shown next to field in the modal
// and nothing changes; a change stores the card's update and its timeline
// line with itself (req.Cards), for the outbox to send.
func (b *Bot) submitChange(ctx context.Context, req chat.Message, key, id, field string, change func() (*chat.Reply, error)) any {
	done, err := b.changeOnce(ctx, key, change)
	if err != nil {
		switch towndesk.ErrorCode(err) {
		case towndesk.EINTERNAL:
			b.log.Error("desk change failed", "key", key, "user", req.User, "err", err)
		case towndesk.ECONFLICT:
			b.refreshCard(ctx, id, req.Channel)
		default:
			b.log.Info("desk change refused", "key", key, "user", req.User, "reason", err)
		}
		return formError(field, failureText(err))
	}
	if done {
		b.log.Info("request changed", "key", key, "user", req.User)
		b.outbox.Wake()
	}
	return nil
}

// The card's buttons for the desk operations besides moves
// (towndesk.Request.Ops), and their modals: each button's action ID is also
// its modal's callback ID.
const (
	actAssign = "td_assign" // value: id|version|current assignee
	actNote   = "td_note"   // value: id|version
	actPay    = "td_pay"    // value: id|version
	actExtend = "td_extend" // value: id|version

	// The modals' private_metadata: id|version|channel.
	viewAssign = actAssign
	viewNote   = actNote
	viewPay    = actPay
	viewExtend = actExtend
)

// opField is the input of each operation's modal that errors are shown at.
var opField = map[string]string{viewAssign: "assignee", viewNote: "text", viewPay: "amount", viewExtend: "days"}

var opAction = map[towndesk.Op]string{
	towndesk.OpAssign: actAssign, towndesk.OpNote: actNote, towndesk.OpPay: actPay, towndesk.OpExtend: actExtend,
}

// payTypes are the pay form's choices, with what each means at the desk.
var payTypes = []struct {
	typ   towndesk.EntryType
	label string
}{
	{towndesk.EntryReceived, "收取（向群众收取）"},
	{towndesk.EntryPaid, "支付（向部门支付）"},
	{towndesk.EntryCollected, "领取（从部门代领）"},
	{towndesk.EntryHanded, "交付（交给群众）"},
}

// opButtons returns the card's buttons for the operations the desk
// accepts on r now.
func opButtons(r *towndesk.Request) []slack.BlockElement {
	ver := strconv.Itoa(r.Version)
	var out []slack.BlockElement
	for _, op := range r.Ops() {
		value := r.ID + "|" + ver
		if op == towndesk.OpAssign {
			value += "|" + r.Assignee
		}
		out = append(out, button(opAction[op], value, op.Chinese()))
	}
	return out
}

// maxReverseOptions is how many entries the pay form offers to reverse:
// a static select takes at most 100 options.
const maxReverseOptions = 100

// opLedger returns the ledger of request id (masked) for the pay form,
// which lists it and offers to reverse an entry; nil for other operations.
// If it cannot be read the form still opens, without the list.
func (b *Bot) opLedger(ctx context.Context, action, id, user, channel string) []towndesk.LedgerEntry {
	if action != actPay {
		return nil
	}
	r, err := b.chat.ShowRequest(ctx, chat.Message{Source: "slack", User: user, Channel: channel}, id, false)
	if err != nil || r.Desk == nil || r.Desk.Show == nil {
		b.log.Warn("pay form opens without the ledger", "id", id, "err", err)
		return nil
	}
	return r.Desk.Show.Entries
}

// opView returns the modal of the operation whose button is action, on
// version of request id, from the card in channel. ledger is the
// request's ledger, for the pay form.
func opView(action, id string, version int, channel, assignee string, ledger []towndesk.LedgerEntry) slack.ModalViewRequest {
	view := slack.ModalViewRequest{Type: slack.VTModal, CallbackID: action,
		PrivateMetadata: fmt.Sprintf("%s|%d|%s", id, version, channel),
		Title:           plain("代办 " + id), Close: plain("取消")}
	var blocks []slack.Block
	switch action {
	case actAssign:
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain("选择承办人"), "v")
		if slackUserRe.MatchString(assignee) {
			sel.InitialUser = assignee
		}
		intro := fmt.Sprintf("指派代办 %s 的承办人（现为 %s）。承办人可以用 `/towndesk 代办 列表 我的` 查到它。", id, mention(assignee))
		blocks = []slack.Block{
			slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, intro, false, false), nil, nil),
			slack.NewInputBlock("assignee", plain("承办人"), nil, sel),
		}
		view.Submit = plain("指派")
	case actNote:
		blocks = []slack.Block{
			section(fmt.Sprintf("为代办 %s 添加备注，记入流转记录。", id)),
			slack.NewInputBlock("text", plain("备注"), nil, textInput(true, towndesk.MaxText)),
		}
		view.Submit = plain("添加")
	case actPay:
		var opts []*slack.OptionBlockObject
		for _, p := range payTypes {
			opts = append(opts, slack.NewOptionBlockObject(string(p.typ), plain(p.label), nil))
		}
		// Type and amount are optional for Slack: a reversal takes them
		// from the entry it cancels. The form checks them (ValidatePay).
		typ := slack.NewInputBlock("type", plain("收支类型"), nil,
			slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("选择类型"), "v", opts...))
		amount := slack.NewInputBlock("amount", plain("金额（元）"), plain("如 50 或 50.00"), textInput(false, 0))
		receipt := slack.NewInputBlock("receipt", plain("票据号"), nil, textInput(false, towndesk.MaxReceipt))
		note := slack.NewInputBlock("note", plain("备注（冲正时写明理由）"), nil, textInput(true, towndesk.MaxText))
		typ.Optional, amount.Optional, receipt.Optional, note.Optional = true, true, true, true
		blocks = []slack.Block{
			section(fmt.Sprintf("登记代办 %s 的一笔收付。收取应等于支付、领取应等于交付，收支平了才能办结。", id)),
		}
		if len(ledger) > 0 {
			lines := []string{"已登记的收支："}
			var rev []*slack.OptionBlockObject
			for _, e := range ledger {
				lines = append(lines, desk.EntryText(e, ledger))
				if e.Reverses == 0 && towndesk.ReversalOf(ledger, e.ID) == nil {
					label := fmt.Sprintf("#%d %s %s 元", e.ID, e.Type, e.Amount)
					rev = append(rev, slack.NewOptionBlockObject(strconv.FormatInt(e.ID, 10), plain(label), nil))
				}
			}
			blocks = append(blocks, section(strings.Join(lines, "\n")))
			if len(rev) > maxReverseOptions {
				rev = rev[len(rev)-maxReverseOptions:]
			}
			if len(rev) > 0 {
				sel := slack.NewInputBlock("reverse", plain("冲正登记错的一笔"), plain("选了要冲正的一笔，就不填类型和金额，在备注里写明理由；原记录保留，冲正另记一笔。"),
					slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("选择要冲正的收支"), "v", rev...))
				sel.Optional = true
				blocks = append(blocks, sel)
			}
		}
		blocks = append(blocks, typ, amount, receipt, note)
		view.Submit = plain("登记")
	case actExtend:
		blocks = []slack.Block{
			section(fmt.Sprintf("延长代办 %s 的办理时限。", id)),
			slack.NewInputBlock("days", plain("延期（工作日）"), nil, slack.NewNumberInputBlockElement(plain("如 3"), "v", false)),
			slack.NewInputBlock("reason", plain("理由"), nil, textInput(true, towndesk.MaxText)),
		}
		view.Submit = plain("延期")
	}
	view.Blocks = slack.Blocks{BlockSet: blocks}
	return view
}

func textInput(multiline bool, maxLength int) *slack.PlainTextInputBlockElement {
	in := slack.NewPlainTextInputBlockElement(nil, "v")
	in.Multiline, in.MaxLength = multiline, maxLength
	return in
}

// submitOp makes the change a desk operation's modal asks for, before the
// ack, so that the desk's refusal (a bad amount, a request that has ended,
// a user who may not) shows in the modal and nothing is stored.
func (b *Bot) submitOp(ctx context.Context, cb slack.InteractionCallback) any {
	v := cb.View
	id, version, rest, ok := parseForm(v.PrivateMetadata, 3)
	if !ok {
		b.log.Warn("desk form with bad metadata refused", "metadata", v.PrivateMetadata, "user", cb.User.ID)
		return formError(opField[v.CallbackID], staleForm)
	}
	channel := rest[0]
	req := chat.Message{Source: "slack", User: cb.User.ID, Channel: channel, Cards: true}
	switch v.CallbackID {
	case viewAssign:
		in := desk.RequestAssignInput{Ref: desk.Ref{ID: id, Version: version}, Assignee: value(v, "assignee")}
		return b.submitChange(ctx, req, opKey(v.CallbackID, id, version, in.Assignee), id, "assignee", func() (*chat.Reply, error) {
			return b.chat.AssignRequest(ctx, req, in)
		})
	case viewNote:
		in := desk.RequestNoteInput{Ref: desk.Ref{ID: id, Version: version}, Text: value(v, "text")}
		return b.submitChange(ctx, req, opKey(v.CallbackID, id, version, in.Text), id, "text", func() (*chat.Reply, error) {
			return b.chat.NoteRequest(ctx, req, in)
		})
	case viewPay:
		in := desk.RequestPayInput{Ref: desk.Ref{ID: id, Version: version}, Type: value(v, "type"), Amount: value(v, "amount"),
			Receipt: value(v, "receipt"), Note: value(v, "note")}
		if entry := value(v, "reverse"); entry != "" {
			if p := desk.ValidateReverse(entry, in.Note, in.Type, in.Amount); len(p) > 0 {
				return formErrors(p)
			}
			rin := desk.RequestReverseInput{Ref: desk.Ref{ID: id, Version: version}, Entry: entry, Reason: in.Note}
			key := opKey(v.CallbackID, id, version, "reverse", entry, in.Note)
			return b.submitChange(ctx, req, key, id, "reverse", func() (*chat.Reply, error) {
				return b.chat.ReverseRequest(ctx, req, rin)
			})
		}
		if p := desk.ValidatePay(in); len(p) > 0 {
			return formErrors(p)
		}
		key := opKey(v.CallbackID, id, version, in.Type, in.Amount, in.Receipt, in.Note)
		return b.submitChange(ctx, req, key, id, "amount", func() (*chat.Reply, error) {
			return b.chat.PayRequest(ctx, req, in)
		})
	case viewExtend:
		days, p := desk.ValidateExtend(value(v, "days"), value(v, "reason"))
		if len(p) > 0 {
			return formErrors(p)
		}
		in := desk.RequestExtendInput{Ref: desk.Ref{ID: id, Version: version}, Days: days, Reason: value(v, "reason")}
		return b.submitChange(ctx, req, opKey(v.CallbackID, id, version, strconv.Itoa(days), in.Reason), id, "days", func() (*chat.Reply, error) {
			return b.chat.ExtendRequest(ctx, req, in)
		})
	}
	return nil
}

// opKey is the business key of a change: the operation, the request and
// the version it was made against, and what was submitted. A repeated
// submission of the same change does nothing; a different change against
// the same version is the desk's to refuse (ECONFLICT), not silently
// dropped. What was submitted is hashed: notes may hold phone numbers,
// and keys are stored.
func opKey(op, id string, version int, fields ...string) string {
	h := sha256.Sum256([]byte(strings.Join(fields, "\x00")))
	return fmt.Sprintf("%s:%s:%d:%x", op, id, version, h[:12])
}
