package bot

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/bot/signature"
	"github.com/towndesk/towndesk/storage"
)

func TestHTTPMentionAnswersInThread(t *testing.T) {
	h := newHarness(t, "", nil)
	resp := h.mention("Ev0MDYHUEL", chBangjun, "W021FGA1Z", "1515449483.000108", "", "谁管烧秸秆？")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /slack/events = %d, want 200", resp.StatusCode)
	}
	c := h.slack.wait("chat.postMessage")
	if got := c.Form.Get("thread_ts"); got != "1515449483.000108" {
		t.Errorf("answer thread_ts = %q, want the question's ts (never the channel root)", got)
	}
	if got := c.Form.Get("channel"); got != chBangjun {
		t.Errorf("answer channel = %q, want %q", got, chBangjun)
	}
	text := c.text()
	for _, want := range []string{"邦均镇", "承接方式", "依据原文", "有用", "没用", "td_useful"} {
		if !strings.Contains(text, want) {
			t.Errorf("answer lacks %q:\n%s", want, text)
		}
	}
	// A follow-up in the thread keeps 邦均镇, even from a channel without a place.
	qs, _ := h.db.Questions(context.Background(), storage.QuestionFilter{})
	if len(qs) != 1 || qs[0].Place.Town != "邦均镇" || qs[0].Channel != chBangjun || qs[0].Thread != "1515449483.000108" {
		t.Fatalf("question log = %+v, want one question about 邦均镇 in its thread", qs)
	}
}

func TestHTTPThreadFollowUpKeepsPlace(t *testing.T) {
	h := newHarness(t, "", nil)
	h.mention("Ev1", chPlain, "U1", "100.000001", "", "滕州市滨湖镇有人乱搭乱建归谁管")
	first := h.slack.wait("chat.postMessage")
	if !strings.Contains(first.text(), "滨湖镇") {
		t.Fatalf("first answer lacks 滨湖镇: %s", first.text())
	}
	h.mention("Ev2", chPlain, "U1", "100.000009", "100.000001", "那烧秸秆呢")
	c := h.slack.wait("chat.postMessage")
	if got := c.Form.Get("thread_ts"); got != "100.000001" {
		t.Errorf("follow-up answer thread_ts = %q, want 100.000001", got)
	}
	if !strings.Contains(c.text(), "滨湖镇") {
		t.Errorf("follow-up answer is not about 滨湖镇:\n%s", c.text())
	}
}

func TestHTTPRejectsBadSignatures(t *testing.T) {
	h := newHarness(t, "", nil)
	body := `{"token":"x","type":"event_callback","event_id":"EvBAD","event":{"type":"app_mention","user":"U1","text":"<@U0> 谁管烧秸秆","ts":"1.1","channel":"` + chBangjun + `"}}`
	now := time.Now().Unix()
	tests := []struct {
		name    string
		ts, sig string
	}{
		{"bad signature", itoa(now), signature.Sign("wrong-secret", itoa(now), []byte(body))},
		{"stale timestamp", itoa(now - 301), signature.Sign(testSecret, itoa(now-301), []byte(body))},
		{"no signature", itoa(now), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/slack/events", "/slack/commands", "/slack/interactive"} {
				resp := h.postSigned(path, "application/json", body, tt.ts, tt.sig)
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("POST %s with %s = %d, want 401", path, tt.name, resp.StatusCode)
				}
			}
		})
	}
	h.slack.quiet(300 * time.Millisecond)
	if fresh, _ := h.db.ClaimEvent(context.Background(), "EvBAD"); !fresh {
		t.Errorf("a rejected event's ID was recorded; want no side effect")
	}
	if qs, _ := h.db.Questions(context.Background(), storage.QuestionFilter{}); len(qs) != 0 {
		t.Errorf("rejected requests logged %d questions, want 0", len(qs))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestHTTPRetriedEventAnsweredOnce(t *testing.T) {
	dir := t.TempDir()
	f := newFakeSlack(t)
	h := newHarness(t, dir, f)
	h.mention("EvRETRY", chBangjun, "U1", "200.000001", "", "谁管烧秸秆")
	h.slack.wait("chat.postMessage")
	// Slack redelivers (x-slack-retry-num: 1) …
	h.mention("EvRETRY", chBangjun, "U1", "200.000001", "", "谁管烧秸秆")
	h.slack.quiet(500 * time.Millisecond)
	// … also after a restart on the same database file.
	h.stop()
	h2 := newHarness(t, dir, f)
	h2.mention("EvRETRY", chBangjun, "U1", "200.000001", "", "谁管烧秸秆")
	h2.slack.quiet(500 * time.Millisecond)
	h2.mention("EvNEW", chBangjun, "U1", "200.000002", "", "谁管烧秸秆")
	h2.slack.wait("chat.postMessage")
}

func TestHTTPURLVerification(t *testing.T) {
	h := newHarness(t, "", nil)
	body := `{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	resp, err := http.DefaultClient.Do(signedRequest(h.srv.URL+"/slack/events", "application/json", body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 512)
	n, _ := resp.Body.Read(buf)
	b.Write(buf[:n])
	if b.String() != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("url_verification answer = %q, want the challenge", b.String())
	}
	if r, _ := http.Get(h.srv.URL + "/healthz"); r == nil || r.StatusCode != 200 {
		t.Errorf("GET /healthz = %v, want 200", r)
	}
}

func TestHTTPSlashCommandAndButtons(t *testing.T) {
	h := newHarness(t, "", nil)
	ctx := context.Background()
	if resp := h.command(chBangjun, "U2147483697", "谁管烧秸秆"); resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /slack/commands = %d", resp.StatusCode)
	}
	c := h.slack.wait("hook")
	if c.JSON["response_type"] != "ephemeral" {
		t.Errorf("slash answer response_type = %v, want ephemeral", c.JSON["response_type"])
	}
	qid := blockValue(t, c, actShare)
	if !strings.Contains(c.text(), "发到频道") || !strings.Contains(c.text(), "邦均镇") {
		t.Errorf("slash answer lacks 发到频道 or 邦均镇:\n%s", c.text())
	}

	// 发到频道 posts the answer to the channel, once however often it is clicked.
	h.interact(h.click(chBangjun, "U2147483697", "300.000001", "", actShare, qid, true))
	share := h.slack.wait("chat.postMessage")
	if share.Form.Get("channel") != chBangjun || !strings.Contains(share.text(), "邦均镇") {
		t.Errorf("shared answer = %s to %s", share.text(), share.Form.Get("channel"))
	}
	h.interact(h.click(chBangjun, "U2147483697", "300.000001", "", actShare, qid, true))
	h.slack.quiet(300 * time.Millisecond)

	// 没用 is stored with the question.
	h.interact(h.click(chBangjun, "U5", share.Form.Get("ts"), "", actUseless, qid, false))
	fb := h.slack.wait("hook")
	if !strings.Contains(fb.text(), "已记录") {
		t.Errorf("feedback reply = %s", fb.text())
	}
	bad, _ := h.db.Questions(ctx, storage.QuestionFilter{NotUseful: true})
	if len(bad) != 1 || itoa(bad[0].ID) != qid {
		t.Errorf("questions marked 没用 = %+v, want question %s", bad, qid)
	}

	// help is generated from the command table.
	h.command(chPlain, "U1", "help")
	help := h.slack.wait("hook")
	if !strings.Contains(help.text(), "问题") || !strings.Contains(help.text(), "也可写 ask") {
		t.Errorf("help = %s", help.text())
	}
}

// TestHTTPBlockActionsRunsOnlyTheFirst: a click is one action. A payload
// with 1,000 actions runs the first and is acked; it must not run many and
// then answer 503, which would have Slack's retry run them again.
func TestHTTPBlockActionsRunsOnlyTheFirst(t *testing.T) {
	h := newHarness(t, "", nil)
	h.command(chBangjun, "U2147483697", "谁管烧秸秆")
	qid := blockValue(t, h.slack.wait("hook"), actShare)
	p := h.click(chBangjun, "U5", "300.000001", "", actUseless, qid, false)
	one := p["actions"].([]map[string]any)[0]
	var many []map[string]any
	for i := 0; i < 1000; i++ {
		a := map[string]any{}
		for k, v := range one {
			a[k] = v
		}
		if i > 0 {
			a["action_id"] = actUseful
		}
		many = append(many, a)
	}
	p["actions"] = many
	if resp := h.interact(p); resp.StatusCode != http.StatusOK {
		t.Errorf("block_actions with 1,000 actions = %d, want 200", resp.StatusCode)
	}
	fb := h.slack.wait("hook")
	if !strings.Contains(fb.text(), "已记录") {
		t.Errorf("reply to the first action = %s", fb.text())
	}
	h.slack.quiet(500 * time.Millisecond)
	q, err := h.db.Question(context.Background(), mustInt(t, qid))
	if err != nil {
		t.Fatal(err)
	}
	if q.Useful != 0 || q.NotUseful != 1 {
		t.Errorf("votes after the payload = %d 有用, %d 没用; want only the first action's 没用", q.Useful, q.NotUseful)
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestHTTPAmbiguousPlacePick(t *testing.T) {
	h := newHarness(t, "", nil)
	h.mention("EvAMB", chPlain, "U1", "400.000001", "", "柴胡店镇放鞭炮谁管")
	c := h.slack.wait("chat.postMessage")
	if !strings.Contains(c.text(), "宁津县") || !strings.Contains(c.text(), "滕州市") {
		t.Fatalf("ambiguous answer lacks the candidates:\n%s", c.text())
	}
	var value string
	for _, v := range strings.Split(c.text(), `"value":"`)[1:] {
		v = v[:strings.Index(v, `"`)]
		if strings.Contains(v, "宁津县") {
			value = v
		}
	}
	if value == "" {
		t.Fatalf("no 宁津县 button in %s", c.text())
	}
	h.interact(h.click(chPlain, "U1", "1700000000.000001", "400.000001", actPlace, value, false))
	upd := h.slack.wait("chat.update")
	if !strings.Contains(upd.text(), "宁津县") {
		t.Errorf("choice message update = %s", upd.text())
	}
	ans := h.slack.wait("chat.postMessage")
	if ans.Form.Get("thread_ts") != "400.000001" || !strings.Contains(ans.text(), "宁津县") {
		t.Errorf("answer after the pick = %s in thread %s, want 宁津县 in 400.000001", ans.text(), ans.Form.Get("thread_ts"))
	}
	qs, _ := h.db.Questions(context.Background(), storage.QuestionFilter{})
	if len(qs) != 1 || qs[0].Status != towndesk.StatusAnswered {
		t.Errorf("question log after the pick = %+v, want one answered question", qs)
	}
}

func TestHTTPRateLimitedPostIsRetried(t *testing.T) {
	h := newHarness(t, "", nil)
	h.slack.limit429 = 1
	start := time.Now()
	h.mention("Ev429", chBangjun, "U1", "500.000001", "", "谁管烧秸秆")
	h.slack.wait("429 chat.postMessage")
	c := h.slack.wait("chat.postMessage")
	if d := c.At.Sub(start); d < time.Second {
		t.Errorf("retried after %v, want Retry-After (1 s) waited out", d)
	}
}

func TestHTTPFailureStillReplies(t *testing.T) {
	h := newHarness(t, "", nil)
	// Close the index under the bot: the question cannot be answered.
	h.idx.Close()
	h.mention("EvFAIL", chBangjun, "U1", "600.000001", "", "谁管烧秸秆")
	c := h.slack.wait("chat.postMessage")
	if c.Form.Get("thread_ts") != "600.000001" || !strings.Contains(c.text(), "暂时无法回答，请稍后再试") {
		t.Errorf("reply after a failure = %q in thread %q, want the apology in the thread", c.text(), c.Form.Get("thread_ts"))
	}
	h.slack.quiet(300 * time.Millisecond)
	if n, _ := h.db.InboxSize(context.Background()); n != 0 {
		t.Errorf("%d questions still stored after the failure reply, want 0", n)
	}
}

func TestHTTPQuestionNotStoredIsNotAcked(t *testing.T) {
	h := newHarness(t, "", nil)
	// Without the database the question cannot be kept: Slack must
	// redeliver it rather than believe it taken.
	h.db.Close()
	if resp := h.mention("EvNODB", chBangjun, "U1", "610.000001", "", "谁管烧秸秆"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("mention without a database = %d, want 503", resp.StatusCode)
	}
}

func TestPhoneNumbersNeverLeaveUnmasked(t *testing.T) {
	h := newHarness(t, "", nil)
	h.mention("EvPHONE", chBangjun, "U1", "700.000001", "", "村民13812345678说有人烧秸秆，身份证110101199003071234，归谁管")
	c := h.slack.wait("chat.postMessage")
	h.command(chBangjun, "U1", "13812345678 飞碟降落归谁管")
	hook := h.slack.wait("hook")
	time.Sleep(100 * time.Millisecond)
	for _, s := range []string{"13812345678", "110101199003071234"} {
		if strings.Contains(h.logs.String(), s) {
			t.Errorf("log output contains %s:\n%s", s, h.logs.String())
		}
		for _, call := range []string{c.text(), hook.text()} {
			if strings.Contains(call, s) {
				t.Errorf("posted message contains %s:\n%s", s, call)
			}
		}
	}
	if !strings.Contains(h.logs.String(), "138****5678") {
		t.Errorf("log output lacks the masked question:\n%s", h.logs.String())
	}
	qs, _ := h.db.Questions(context.Background(), storage.QuestionFilter{})
	for _, q := range qs {
		if strings.Contains(q.Text, "13812345678") {
			t.Errorf("question log holds %q", q.Text)
		}
	}
}

// TestSpacedNumbersNeverEchoed: a number written in groups (139、8765、4322)
// is masked in the reply, the logs and the stored question, including
// what was searched for.
func TestSpacedNumbersNeverEchoed(t *testing.T) {
	h := newHarness(t, "", nil)
	h.mention("EvSPACED", chBangjun, "U1", "710.000001", "", "村民139、8765、4322说飞碟降落归谁管")
	c := h.slack.wait("chat.postMessage")
	h.slack.quiet(100 * time.Millisecond)
	for _, where := range map[string]string{"reply": c.text(), "logs": h.logs.String()} {
		if strings.Contains(where, "8765") {
			t.Errorf("number shown in full: %s", where)
		}
	}
	qs, _ := h.db.Questions(context.Background(), storage.QuestionFilter{})
	if len(qs) != 1 || strings.Contains(qs[0].Text, "8765") || strings.Contains(strings.Join(qs[0].Terms, " "), "8765") {
		t.Errorf("question log = %+v, want the number masked in the question and its terms", qs)
	}
}

// TestHTTPThreadReplies checks that the replies to the previous message
// work in a Slack thread as in the console: a place after "请问是哪个乡镇"
// answers the question (not logged as a new one), a county's name picks
// among the places offered.
func TestHTTPThreadReplies(t *testing.T) {
	h := newHarness(t, "", nil)
	h.mention("Ev1", chPlain, "U1", "200.000001", "", "乱倒垃圾归谁管")
	if c := h.slack.wait("chat.postMessage"); !strings.Contains(c.text(), "请问是哪个乡镇") {
		t.Fatalf("first answer = %s, want the place asked for", c.text())
	}
	h.mention("Ev2", chPlain, "U1", "200.000002", "200.000001", "下营镇")
	c := h.slack.wait("chat.postMessage")
	if c.Form.Get("thread_ts") != "200.000001" || !strings.Contains(c.text(), "下营镇") || strings.Contains(c.text(), "没有找到") {
		t.Errorf("reply to 下营镇 = %s, want the question answered for 下营镇 in the thread", c.text())
	}
	h.mention("Ev3", chPlain, "U1", "300.000001", "", "柴胡店镇放鞭炮谁管")
	h.slack.wait("chat.postMessage")
	h.mention("Ev4", chPlain, "U1", "300.000002", "300.000001", "宁津的")
	if c := h.slack.wait("chat.postMessage"); !strings.Contains(c.text(), "宁津县") {
		t.Errorf("reply to 宁津的 = %s, want 宁津县柴胡店镇", c.text())
	}
	qs, _ := h.db.Questions(context.Background(), storage.QuestionFilter{})
	if len(qs) != 2 || qs[0].Place.Town != "下营镇" || qs[1].Place.County != "宁津县" {
		t.Errorf("question log = %+v, want the two questions with their places, no reply logged", qs)
	}
}
