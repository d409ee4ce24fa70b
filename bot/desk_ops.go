package bot

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/chat"
	"github.com/towndesk/towndesk/handlers/desk"
)

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
	parts := strings.SplitN(v.PrivateMetadata, "|", 3)
	if len(parts) != 3 {
		return nil
	}
	id, channel := parts[0], parts[2]
	version, err := strconv.Atoi(parts[1])
	if err != nil || version < 1 || id == "" {
		// A version that does not parse must not become 0 and slip past
		// the optimistic-locking check.
		b.log.Warn("desk form with a bad version refused", "metadata", v.PrivateMetadata, "user", cb.User.ID)
		return slack.NewErrorsViewSubmissionResponse(map[string]string{opField[v.CallbackID]: staleForm})
	}
	req := chat.Message{Source: "slack", User: cb.User.ID, Channel: channel, Cards: true}
	switch v.CallbackID {
	case viewAssign:
		in := desk.RequestAssignInput{ID: id, Assignee: value(v, "assignee"), Version: version}
		return b.submitChange(ctx, req, opKey(v.CallbackID, id, version, in.Assignee), id, "assignee", func() (*chat.Reply, error) {
			return b.chat.AssignRequest(ctx, req, in)
		})
	case viewNote:
		in := desk.RequestNoteInput{ID: id, Text: value(v, "text"), Version: version}
		return b.submitChange(ctx, req, opKey(v.CallbackID, id, version, in.Text), id, "text", func() (*chat.Reply, error) {
			return b.chat.NoteRequest(ctx, req, in)
		})
	case viewPay:
		in := desk.RequestPayInput{ID: id, Type: value(v, "type"), Amount: value(v, "amount"),
			Receipt: value(v, "receipt"), Note: value(v, "note"), Version: version}
		if entry := value(v, "reverse"); entry != "" {
			if p := desk.ValidateReverse(entry, in.Note, in.Type, in.Amount); len(p) > 0 {
				return slack.NewErrorsViewSubmissionResponse(maskAll(p))
			}
			rin := desk.RequestReverseInput{ID: id, Entry: entry, Reason: in.Note, Version: version}
			key := opKey(v.CallbackID, id, version, "reverse", entry, in.Note)
			return b.submitChange(ctx, req, key, id, "reverse", func() (*chat.Reply, error) {
				return b.chat.ReverseRequest(ctx, req, rin)
			})
		}
		if p := desk.ValidatePay(in); len(p) > 0 {
			return slack.NewErrorsViewSubmissionResponse(maskAll(p))
		}
		key := opKey(v.CallbackID, id, version, in.Type, in.Amount, in.Receipt, in.Note)
		return b.submitChange(ctx, req, key, id, "amount", func() (*chat.Reply, error) {
			return b.chat.PayRequest(ctx, req, in)
		})
	case viewExtend:
		days, p := desk.ValidateExtend(value(v, "days"), value(v, "reason"))
		if len(p) > 0 {
			return slack.NewErrorsViewSubmissionResponse(maskAll(p))
		}
		in := desk.RequestExtendInput{ID: id, Days: days, Reason: value(v, "reason"), Version: version}
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
