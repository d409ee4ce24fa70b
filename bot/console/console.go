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
)

// maxLine bounds one line of input.
const maxLine = 1 << 20

// Session is one console conversation. Buttons become short replies: a
// number picks a place or a candidate, 有用/没用 rate the last answer,
// 原文 shows the articles it cites.
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
	thread := "console-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	req := chat.Message{Source: "console", User: c.User, Channel: "console", Thread: thread, Town: c.Town, County: c.County}
	if req.User == "" {
		req.User = "console"
	}
	out := bufio.NewWriter(c.Out)
	defer out.Flush()
	fmt.Fprintln(out, "towndesk 控制台：直接输入问题，例如“滨湖镇有人乱搭乱建归谁管？”；输入“帮助”看命令，“退出”结束。")
	out.Flush()
	var last *chat.Answer
	lines := readLines(ctx, c.In)
	for {
		var line string
		select {
		case <-ctx.Done():
			return nil
		case l, ok := <-lines:
			if !ok {
				return nil
			}
			if l.err != nil {
				return l.err
			}
			line = strings.TrimSpace(l.text)
		}
		if line == "" {
			continue
		}
		var reply *chat.Reply
		var err error
		switch {
		case line == "退出" || line == "exit" || line == "quit":
			return nil
		case last != nil && last.Status == towndesk.StatusAmbiguousPlace && isChoice(line, len(last.Places)):
			n, _ := strconv.Atoi(line)
			p := last.Places[n-1]
			reply, err = c.Chat.PickPlace(ctx, req, last.QuestionID, p.County, p.Town)
		case last != nil && last.Status == towndesk.StatusUncertain && isChoice(line, len(last.Rows)):
			n, _ := strconv.Atoi(line)
			reply, err = c.Chat.PickCandidate(ctx, req, last.QuestionID, last.Rows[n-1].Code)
		case last != nil && (line == "有用" || line == "没用"):
			reply, err = c.Chat.Feedback(ctx, req, last.QuestionID, line == "有用")
		case last != nil && (line == "原文" || line == "依据") && len(last.Rows) > 0 && last.Rows[0].HasArticles:
			reply, err = c.Chat.Basis(last.Rows[0].Basis)
		default:
			req.Text = line
			reply, err = c.Chat.Handle(ctx, req)
		}
		text := chat.FailureText(err)
		if err == nil {
			text = consoleText(reply)
			if reply.Answer != nil {
				last = reply.Answer
			}
		}
		fmt.Fprintln(out, towndesk.EscapeControls(towndesk.MaskText(text)))
		fmt.Fprintln(out)
		if err := out.Flush(); err != nil {
			return err
		}
	}
}

type line struct {
	text string
	err  error
}

// readLines reads r line by line in the background, so that Run can stop
// while no line comes; the channel closes at the end of the input.
func readLines(ctx context.Context, r io.Reader) <-chan line {
	out := make(chan line)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), maxLine)
		for sc.Scan() {
			select {
			case out <- line{text: sc.Text()}:
			case <-ctx.Done():
				return
			}
		}
		if err := sc.Err(); err != nil {
			select {
			case out <- line{err: fmt.Errorf("read console input: %w", err)}:
			case <-ctx.Done():
			}
		}
	}()
	return out
}

func isChoice(s string, n int) bool {
	k, err := strconv.Atoi(s)
	return err == nil && k >= 1 && k <= n
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
		b.WriteString("\n请输入序号选择：")
		for i, p := range a.Places {
			fmt.Fprintf(&b, "\n  %d. %s", i+1, p.String())
		}
	case towndesk.StatusAnswered:
		b.WriteString("\n（输入“有用”或“没用”评价这个回答")
		if len(a.Rows) > 0 && a.Rows[0].HasArticles {
			b.WriteString("；输入“原文”查看依据条文")
		}
		b.WriteString("）")
	case towndesk.StatusNotFound:
		b.WriteString("\n（这个问题已记入“未能回答”清单。）")
	}
	return b.String()
}
