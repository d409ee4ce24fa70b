// Package console is towndesk's local front end (towndesk chat): it reads
// one message per line and prints the same replies the Slack front end
// shows, as text, through the same command table (handlers/chat). It
// knows nothing of Slack.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/handlers/chat"
	"github.com/towndesk/towndesk/internal/linereader"
)

// Session is one console conversation: a reply to the previous message
// (a place after "请问是哪个乡镇", a number or a place after a list, 原文,
// 有用, 没用) is taken as such by the chat handlers, as in a Slack thread;
// buttons become the words to type. The desk is run by text commands
// (代办 登记, 代办 编号 转为 …), since the console has no request cards.
type Session struct {
	Chat *chat.Chat
	In   io.Reader
	Out  io.Writer
	// User names the person at the console; Town and County are the
	// default place (like a channel's).
	User, Town, County string
}

// Run reads messages until the input ends, "退出" or ctx ends (also while
// it waits for a line). Everything it prints has phone and ID numbers
// masked and control characters escaped. It returns an error only if
// reading or writing fails.
func (c *Session) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx) // stops the line reader when Run returns
	defer cancel()
	thread := "console-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	req := chat.Message{Source: chat.SourceConsole, User: c.User, Channel: "console", Thread: thread, Town: c.Town, County: c.County}
	if req.User == "" {
		req.User = "console"
	}
	out := bufio.NewWriter(c.Out)
	defer out.Flush()
	fmt.Fprintln(out, "towndesk 控制台：直接输入问题，例如“滨湖镇有人乱搭乱建归谁管？”；输入“帮助”看命令，“新问题”重新开始，“退出”结束。")
	out.Flush()
	lines := linereader.Read(ctx, c.In)
	for {
		var line string
		select {
		case <-ctx.Done():
			return nil
		case l, ok := <-lines:
			if !ok {
				return nil
			}
			if l.Err != nil {
				return l.Err
			}
			line = strings.TrimSpace(l.Text)
		}
		if line == "" {
			continue
		}
		if line == "退出" || line == "exit" || line == "quit" {
			return nil
		}
		req.Text = line
		reply, err := c.Chat.Handle(ctx, req)
		var text string
		switch {
		case err != nil:
			text = towndesk.MaskText(chat.FailureText(err))
		case reply.Desk != nil && reply.Desk.Show != nil && reply.Desk.Show.Revealed:
			// 完整号码: asked for, and recorded in the request's history.
			text = strings.TrimRight(reply.Text, "\n")
		default:
			text = towndesk.MaskText(consoleText(reply))
		}
		fmt.Fprintln(out, towndesk.EscapeControls(text))
		fmt.Fprintln(out)
		if err := out.Flush(); err != nil {
			return err
		}
	}
}

// consoleText is a reply as text, with the buttons as what to type.
func consoleText(r *chat.Reply) string {
	a := r.Answer
	if a == nil {
		return strings.TrimRight(r.Text, "\n")
	}
	var b strings.Builder
	b.WriteString(r.Text)
	switch a.Status {
	case towndesk.StatusAmbiguousPlace:
		b.WriteString("\n请输入序号或县名选择：")
		for i, p := range a.Places {
			fmt.Fprintf(&b, "\n  %d. %s", i+1, p.String())
		}
	case towndesk.StatusNeedPlace:
		b.WriteString("\n（直接回复乡镇名即可，如“下营镇”。）")
	case towndesk.StatusUncertain:
		b.WriteString("\n（输入序号选择。）")
	case towndesk.StatusAnswered:
		b.WriteString("\n（输入“有用”或“没用”评价这个回答")
		if len(a.Rows) > 0 && a.Rows[0].HasArticles {
			b.WriteString("；输入“原文”查看依据条文")
		}
		b.WriteString("；回复别的乡镇名，按那里再答一次）")
	case towndesk.StatusNotFound:
		b.WriteString("\n（这个问题已记入“未能回答”清单。）")
	}
	return b.String()
}
