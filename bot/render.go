package bot

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/chat"
)

// Action IDs of towndesk's buttons.
const (
	actBasis   = "td_basis"   // value: the legal basis
	actUseful  = "td_useful"  // value: question ID
	actUseless = "td_useless" // value: question ID
	actPlace   = "td_place"   // value: question ID, county, town joined by "|"
	actShare   = "td_share"   // value: question ID
)

// Slack's limits on text in blocks.
const (
	maxSectionText = 3000
	maxFieldText   = 2000
	maxButtonValue = 2000
	maxMessageText = 3900
)

// clip masks phone and ID numbers in s, escapes control characters
// (towndesk.EscapeControls) and cuts it to n characters: every text that
// leaves towndesk goes through it.
func clip(s string, n int) string {
	s = towndesk.EscapeControls(towndesk.MaskText(s))
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, clip(escape(s), maxSectionText), false, false)
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, clip(s, 75), false, false)
}

// escape makes s safe inside mrkdwn: Slack's three control characters.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func section(text string) *slack.SectionBlock { return slack.NewSectionBlock(mrkdwn(text), nil, nil) }

func button(actionID, value, label string) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(actionID, clip(value, maxButtonValue), plain(label))
}

// message is a rendered reply: blocks plus the plain-text fallback.
type message struct {
	text   string
	blocks []slack.Block
	// failure: this is the failure reply (no second one if it fails too).
	failure bool
	// unmasked: the text is shown as it is, numbers in full (only the
	// 查看完整号码 reply to a desk worker, never stored).
	unmasked bool
}

// fallback is the message's text as sent: masked and cut, unless unmasked.
func (m message) fallback() string {
	if m.unmasked {
		return m.text
	}
	return clip(escape(m.text), maxMessageText)
}

// options returns the options that post m, in the thread of root ("" for
// the channel itself).
func (m message) options(root string) []slack.MsgOption {
	opts := []slack.MsgOption{slack.MsgOptionText(m.fallback(), false)}
	if len(m.blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(m.blocks...))
	}
	if root != "" {
		opts = append(opts, slack.MsgOptionTS(root))
	}
	return opts
}

// render turns a chat reply into a Slack message.
func render(r *chat.Reply) message {
	switch {
	case r.Answer != nil:
		blocks := answerBlocks(r.Answer, r.Private)
		if r.Teach != nil {
			blocks = append(blocks, teachButtons(r.Teach))
		}
		return message{text: r.Text, blocks: blocks}
	case r.Desk != nil && r.Desk.Show != nil && !r.Desk.Show.Revealed:
		return cardMessage(r.Desk.Show)
	case r.Desk != nil && r.Desk.List != nil:
		// Assignees set from Slack are user IDs: show them as mentions.
		text := userIDRe.ReplaceAllString(clip(escape(r.Text), maxSectionText), "<@$1>")
		return message{text: r.Text, blocks: []slack.Block{
			slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)}}
	}
	return message{text: r.Text, blocks: []slack.Block{section(r.Text)}}
}

// userIDRe finds Slack user IDs standing alone in a desk listing.
var userIDRe = regexp.MustCompile(`\b([UW][A-Z0-9]{8,})\b`)

func answerBlocks(a *chat.Answer, private bool) []slack.Block {
	var blocks []slack.Block
	qid := strconv.FormatInt(a.QuestionID, 10)
	switch a.Status {
	case towndesk.StatusAnswered:
		if a.Notice != "" {
			blocks = append(blocks, section(":warning: "+a.Notice))
		}
		top := a.Rows[0]
		head := fmt.Sprintf("*【%s】%s*\n%s", top.Category, top.Name, top.Who)
		blocks = append(blocks, section(head))
		fields := []*slack.TextBlockObject{
			field("承接方式", string(top.Mode)),
			field("实施主体", top.Body),
		}
		if top.Office != "" {
			fields = append(fields, field("承办机构", top.Office))
		}
		if top.Basis != "" {
			fields = append(fields, field("法律依据", top.Basis))
		}
		blocks = append(blocks, slack.NewSectionBlock(nil, fields, nil))
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(fmt.Sprintf("出处：%s，%s%s", top.List, towndesk.ItemCode(top.Code), top.Taught))))
		var more []string
		for _, r := range a.Rows[1:] {
			switch r.Role {
			case towndesk.RoleAssist:
				more = append(more, fmt.Sprintf("• %s可以做的：%s（%s）。发现后及时报告县级主管部门并协助处置。", placeTown(a.Place), r.Name, r.List))
			case towndesk.RoleRelated:
				more = append(more, fmt.Sprintf("• 相关：%s（%s，%s）", r.Name, r.Body, towndesk.ItemCode(r.Code)))
			}
		}
		if len(more) > 0 {
			blocks = append(blocks, section(strings.Join(more, "\n")))
		}
		var buttons []slack.BlockElement
		if top.HasArticles {
			buttons = append(buttons, button(actBasis, top.Basis, "依据原文"))
		}
		buttons = append(buttons, button(actUseful, qid, "有用"), button(actUseless, qid, "没用"))
		if private {
			b := button(actShare, qid, "发到频道")
			b.Style = slack.StylePrimary
			buttons = append(buttons, b)
		}
		blocks = append(blocks, slack.NewActionBlock("td_answer", buttons...))
	case towndesk.StatusAmbiguousPlace:
		blocks = append(blocks, section(a.Notice))
		var buttons []slack.BlockElement
		for _, p := range a.Places {
			buttons = append(buttons, button(actPlace, qid+"|"+p.County+"|"+p.Town, p.Province+p.Short()))
			if len(buttons) == 25 {
				break
			}
		}
		blocks = append(blocks, slack.NewActionBlock("td_places", buttons...))
	case towndesk.StatusUncertain:
		blocks = append(blocks, candidateBlocks(a)...)
	case towndesk.StatusNotFound:
		blocks = append(blocks, section(a.Notice),
			slack.NewContextBlock("", mrkdwn("这个问题已记入“未能回答”清单，清单维护人员会在每周汇总中看到。")))
	default:
		blocks = append(blocks, section(a.Notice))
	}
	if a.LLM {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn("（由语言模型根据清单原文整理）")))
	}
	return blocks
}

func field(name, value string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, clip("*"+name+"*\n"+escape(value), maxFieldText), false, false)
}

func placeTown(p *towndesk.Place) string {
	if p == nil || p.Town == "" {
		return "乡镇"
	}
	return p.Town
}

// failureText is what the asker sees when something broke after the ack
// (chat.FailureText), naming Slack's rate limit when that was the reason.
func failureText(err error) string {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return "暂时无法回答，请稍后再试（Slack 限流）"
	}
	return chat.FailureText(err)
}
