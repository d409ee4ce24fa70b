package qa

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
)

func TestAskRefusesLongQuestionsBeforeReadingThem(t *testing.T) {
	l := newTestLists(t)
	long := strings.Repeat("滨湖镇有人乱搭乱建还烧秸秆", 800) // 10,400 characters
	for _, q := range []string{long, long + long + long + long} {
		_, err := l.Ask(context.Background(), AskInput{Question: q})
		if towndesk.ErrorCode(err) != towndesk.EINVALID || !strings.Contains(towndesk.ErrorMessage(err), "最多 300 个字") {
			t.Errorf("Ask(%d characters) = %v, want EINVALID saying the limit", len([]rune(q)), err)
		}
	}
	// Nothing was read: the sample lists were not even loaded.
	if lists, err := l.db.Lists(context.Background()); err != nil || len(lists) != 0 {
		t.Errorf("a refused question loaded %d lists (%v)", len(lists), err)
	}
	if _, err := l.Teach(context.Background(), TeachInput{Question: long, Code: "X", By: "王芳"}); towndesk.ErrorField(err) != "question" {
		t.Errorf("Teach(long) = %v, want an error on question", err)
	}
	if _, err := l.Search(context.Background(), AskInput{Question: long, County: "滕州市"}); towndesk.ErrorField(err) != "question" {
		t.Errorf("Search(long) = %v, want an error on question", err)
	}
	// The limit itself is accepted.
	atLimit := []rune(strings.Repeat("滨湖镇有人乱搭乱建归谁管", 30))[:towndesk.MaxQuestion]
	if _, err := l.Ask(context.Background(), AskInput{Question: string(atLimit)}); err != nil {
		t.Errorf("Ask(%d characters) = %v, want an answer", towndesk.MaxQuestion, err)
	}
}

func TestMatchDeadline(t *testing.T) {
	b := &budget{total: 30 * time.Millisecond, left: 30 * time.Millisecond}
	slow := func(ctx context.Context) (int, error) { <-ctx.Done(); return 0, ctx.Err() }
	_, err := match(context.Background(), b, slow)
	if !IsMatchTimeout(err) || towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Fatalf("match(slow) = %v, want the matcher timeout", err)
	}
	if msg := towndesk.ErrorMessage(err); !strings.Contains(msg, "没能在 30 毫秒内查完") || !strings.Contains(msg, "写短一些") {
		t.Errorf("timeout message %q does not say what happened and what to do", msg)
	}
	// The budget is for all of a question's searches together.
	if b.left > 0 {
		t.Errorf("budget left after timing out: %v", b.left)
	}
	calls := 0
	if _, err := match(context.Background(), b, func(context.Context) (int, error) { calls++; return 1, nil }); !IsMatchTimeout(err) || calls != 0 {
		t.Errorf("match on a spent budget = %v after %d calls, want the timeout without a call", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	if _, err := match(ctx, &budget{total: time.Minute, left: time.Minute}, slow); err == nil || IsMatchTimeout(err) || !strings.Contains(towndesk.ErrorMessage(err), "已停止") {
		t.Errorf("match stopped by its caller = %v, want stopped", err)
	}
}

func TestAskStopsWithItsContext(t *testing.T) {
	l := newTestLists(t)
	ask(t, l, AskInput{Question: "滨湖镇谁管烧秸秆"}) // load the sample
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Ask(ctx, AskInput{Question: "滨湖镇有人乱搭乱建归谁管？"}); err == nil || IsMatchTimeout(err) || !strings.Contains(towndesk.ErrorMessage(err), "已停止") {
		t.Errorf("Ask with a cancelled context = %v, want stopped", err)
	}
}

func TestReadEvalCasesRefusesLongQuestions(t *testing.T) {
	in := `{"q":"滨湖镇谁管烧秸秆","status":"answered","codes":["X"]}` + "\n" +
		`{"q":"` + strings.Repeat("烧", 301) + `","status":"not_found"}` + "\n"
	_, err := ReadEvalCases(strings.NewReader(in), "set.jsonl")
	if towndesk.ErrorCode(err) != towndesk.EINVALID || !strings.HasPrefix(towndesk.ErrorMessage(err), "set.jsonl:2: 问题太长") {
		t.Errorf("ReadEvalCases = %v, want the line and the limit", err)
	}
}
