package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/chat"
)

// The buttons and modals of uncertain replies and of teaching the bot.
const (
	actPick      = "td_pick"       // value: question ID|code: this candidate is it
	actTeach     = "td_teach"      // value: question ID: 指定正确事项
	actTeachNone = "td_teach_none" // value: question ID: 清单中没有

	// The modals' private_metadata: question ID|channel|thread.
	viewTeach     = actTeach
	viewTeachNone = actTeachNone
)

// candidateBlocks shows the candidates of an uncertain reply, each with a
// button to pick it. None is phrased as the answer.
func candidateBlocks(a *chat.Answer) []slack.Block {
	qid := strconv.FormatInt(a.QuestionID, 10)
	blocks := []slack.Block{section(":grey_question: " + a.Notice)}
	for i, r := range a.Rows {
		text := fmt.Sprintf("%d. 【%s】%s\n%s\n_%s，%s_", i+1, r.Category, r.Name, r.Who, r.List, towndesk.ItemCode(r.Code))
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(text), nil,
			slack.NewAccessory(button(actPick, qid+"|"+r.Code, "是这个"))))
	}
	blocks = append(blocks, slack.NewContextBlock("", mrkdwn("都不对？换个说法（写出具体行为）再问，或告诉清单管理员。")))
	return blocks
}

// teachButtons offers a list maintainer to teach the answer to a question.
func teachButtons(o *chat.TeachOffer) slack.Block {
	qid := strconv.FormatInt(o.QuestionID, 10)
	return slack.NewActionBlock("td_teach_offer",
		button(actTeach, qid, "指定正确事项"), button(actTeachNone, qid, "清单中没有"))
}

// teachAction runs the uncertain reply's and the teaching buttons; it
// reports whether a.ActionID was one of them.
func (b *Bot) teachAction(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction, channel, root string) (bool, error) {
	switch a.ActionID {
	case actPick:
		qidText, code, ok := strings.Cut(a.Value, "|")
		qid, err := strconv.ParseInt(qidText, 10, 64)
		if !ok || err != nil {
			return true, towndesk.Errorf(towndesk.EINVALID, "按钮已失效")
		}
		req := chat.Message{Source: "slack", User: cb.User.ID, Channel: channel, Thread: root}
		_, err = b.once(ctx, fmt.Sprintf("pickcand:%d:%s:%s", qid, cb.User.ID, code), func() (string, error) {
			r, err := b.chat.PickCandidate(ctx, req, qid, code)
			if err != nil {
				return "", err
			}
			return "", b.ephemeral(ctx, cb.ResponseURL, channel, cb.User.ID, root, render(r))
		})
		return true, err
	case actTeach, actTeachNone:
		qid, err := strconv.ParseInt(a.Value, 10, 64)
		if err != nil {
			return true, towndesk.Errorf(towndesk.EINVALID, "按钮已失效")
		}
		req := chat.Message{Source: "slack", User: cb.User.ID, Channel: channel, Thread: root}
		if !b.chat.Maintainers.Allowed(req) {
			return true, towndesk.Errorf(towndesk.EUNAUTHORIZED, "只有清单管理员可以纠正答案。")
		}
		meta := fmt.Sprintf("%d|%s|%s", qid, channel, root)
		if a.ActionID == actTeachNone {
			return true, b.openView(ctx, cb.TriggerID, teachNoneView(meta))
		}
		cands, err := b.chat.TeachCandidates(ctx, qid)
		if err != nil {
			return true, err
		}
		return true, b.openView(ctx, cb.TriggerID, teachView(meta, cands))
	}
	return false, nil
}

func teachView(meta string, cands []chat.ItemOption) slack.ModalViewRequest {
	blocks := []slack.Block{section("指定这个问题的正确事项。以后同样或类似的问法会按它回答，并注明由你确认。")}
	if len(cands) > 0 {
		var opts []*slack.OptionBlockObject
		for _, c := range cands {
			opts = append(opts, slack.NewOptionBlockObject(c.Code, plain(c.Name), plain(c.Body+"，"+towndesk.ItemCode(c.Code))))
		}
		sel := slack.NewInputBlock("item", plain("候选事项"), nil,
			slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("选择事项"), "v", opts...))
		sel.Optional = true
		blocks = append(blocks, sel)
	}
	search := slack.NewInputBlock("search", plain("或者输入事项编码或关键词"), plain("在本地现行清单中查找；找到多个时会列出编码"),
		textInput(false, 100))
	search.Optional = true
	blocks = append(blocks, search)
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: viewTeach, PrivateMetadata: meta,
		Title: plain("指定正确事项"), Submit: plain("确认"), Close: plain("取消"), Blocks: slack.Blocks{BlockSet: blocks}}
}

func teachNoneView(meta string) slack.ModalViewRequest {
	note := slack.NewInputBlock("note", plain("说明"), plain("例如：属公安派出所管辖，不在乡镇权力清单内"),
		textInput(true, towndesk.MaxTaughtNote))
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: viewTeachNone, PrivateMetadata: meta,
		Title: plain("清单中没有"), Submit: plain("确认"), Close: plain("取消"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{section("记下这个问题不在权力清单内，以后同样的问法会这样回答。"), note}}}
}

// submitTeach teaches from a submitted teaching modal, before the ack, so
// that a bad code or a missing note shows in the modal and nothing is
// stored. It reports whether the modal was a teaching one.
func (b *Bot) submitTeach(ctx context.Context, cb slack.InteractionCallback) (any, bool) {
	v := cb.View
	if v.CallbackID != viewTeach && v.CallbackID != viewTeachNone {
		return nil, false
	}
	parts := strings.SplitN(v.PrivateMetadata, "|", 3)
	qid, err := strconv.ParseInt(parts[0], 10, 64)
	if len(parts) != 3 || err != nil {
		return formErrors(map[string]string{"search": staleForm, "note": staleForm}), true
	}
	req := chat.Message{Source: "slack", User: cb.User.ID, Channel: parts[1], Thread: parts[2]}
	var r *chat.Reply
	if v.CallbackID == viewTeachNone {
		if r, err = b.chat.TeachNone(ctx, req, qid, value(v, "note")); err != nil {
			return formError("note", failureText(err)), true
		}
	} else {
		code := value(v, "item")
		if code == "" {
			text := value(v, "search")
			if text == "" {
				return formError("search", "请选择候选事项，或输入编码或关键词"), true
			}
			found, err := b.chat.SearchItems(ctx, qid, text)
			switch {
			case err != nil:
				return formError("search", failureText(err)), true
			case len(found) == 0:
				return formError("search", "本地现行清单中没有找到，请换个关键词或输入编码"), true
			case len(found) > 1 && found[0].Code != text:
				var names []string
				for _, f := range found[:min(3, len(found))] {
					names = append(names, towndesk.ItemCode(f.Code)+" "+f.Name)
				}
				return formError("search", "找到多个事项（"+strings.Join(names, "；")+"），请输入其中一个的编码"), true
			}
			code = found[0].Code
		}
		if r, err = b.chat.Teach(ctx, req, qid, code); err != nil {
			return formError("search", failureText(err)), true
		}
	}
	if err := b.enqueue(ctx, messagePost(req.Channel, req.Thread, message{text: r.Text, blocks: []slack.Block{section(":white_check_mark: " + r.Text)}})); err != nil {
		b.log.Error("queue teaching confirmation", "channel", req.Channel, "err", err)
	}
	return nil, true
}
