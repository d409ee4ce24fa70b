package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towndesk/towndesk/bot/masklog"
	"github.com/towndesk/towndesk/bot/signature"
	"github.com/towndesk/towndesk/config"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/handlers/chat"
	"github.com/towndesk/towndesk/handlers/desk"
	"github.com/towndesk/towndesk/handlers/qa"
	"github.com/towndesk/towndesk/kb"
	"github.com/towndesk/towndesk/kb/lexicon"
	"github.com/towndesk/towndesk/storage"
)

const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// Test channels: the 邦均镇 channel has a default place, the other none.
const (
	chBangjun = "C0BANGJUN1"
	chPlain   = "C0PLAIN001"
	chDesk    = "C0DESKBJ01" // the 邦均镇 desk channel
	uWorker   = "U0WORKER01"
)

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness is a towndesk bot on a temp data directory talking to a fake
// Slack, served over HTTP on loopback.
type harness struct {
	t     testing.TB
	dir   string
	db    *storage.DB
	idx   *kb.Index
	chat  *chat.Chat
	bot   *Bot
	slack *fakeSlack
	srv   *httptest.Server
	logs  *syncBuffer
	cfg   config.Config
}

func testConfig() config.Config {
	c := config.Default()
	c.Channels = map[string]config.Place{chBangjun: {County: "蓟州区", Town: "邦均镇"}}
	c.Desk.Channels = map[string]config.Place{chDesk: {County: "蓟州区", Town: "邦均镇"}}
	c.Desk.Workers = []string{uWorker}
	return c
}

// newHarness boots the bot on dir ("" for a new temp dir) with fake Slack f
// (nil for a new one).
func newHarness(t testing.TB, dir string, f *fakeSlack, opts ...func(*Options)) *harness {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	if f == nil {
		f = newFakeSlack(t)
	}
	h := &harness{t: t, dir: dir, slack: f, logs: &syncBuffer{}, cfg: testConfig()}
	db, err := storage.Open(filepath.Join(dir, "towndesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	h.db = db
	gaz, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := kb.OpenIndex(context.Background(), filepath.Join(dir, "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	h.idx = idx
	lists := qa.NewLists(db, kb.New(db, idx, gaz, lexicon.DefaultSynonyms()), idx, gaz)
	h.chat = chat.New(lists, db)
	desk := desk.New(db, desk.Config{Places: gaz})
	h.chat.Desk = chat.NewDesk(desk, h.cfg.Desk.Workers, []string{chDesk})
	o := Options{WebAPI: WebAPI{BotToken: "xoxb-test", APIURL: f.apiURL()}, SigningSecret: testSecret, Config: h.cfg,
		Chat: h.chat, Store: db, Logger: slog.New(masklog.New(slog.NewTextHandler(h.logs, nil))),
		ChannelInterval: -1}
	for _, fn := range opts {
		fn(&o)
	}
	h.bot, err = New(o)
	if err != nil {
		t.Fatal(err)
	}
	h.bot.start()
	h.srv = httptest.NewServer(h.bot.Handler())
	t.Cleanup(func() { h.stop() })
	return h
}

// stop shuts the harness down (idempotent), as a restart would.
func (h *harness) stop() {
	if h.srv == nil {
		return
	}
	h.srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h.bot.Close(ctx)
	// The index's background merges write into the data directory: close
	// it before the directory is removed (or opened again by a restart).
	h.idx.Close()
	h.db.Close()
	h.srv = nil
}

// post sends a signed request; ts is the timestamp to sign with (0: now).
func (h *harness) post(path, contentType, body string, ts int64) *http.Response {
	h.t.Helper()
	if ts == 0 {
		ts = time.Now().Unix()
	}
	tss := strconv.FormatInt(ts, 10)
	return h.postSigned(path, contentType, body, tss, signature.Sign(testSecret, tss, []byte(body)))
}

// signedRequest returns a POST of body to url, signed with testSecret now
// as Slack signs its requests.
func signedRequest(url, contentType, body string) *http.Request {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", signature.Sign(testSecret, ts, []byte(body)))
	return req
}

func (h *harness) postSigned(path, contentType, body, ts, sig string) *http.Response {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// mention posts an app_mention event shaped like Slack's documented envelope.
func (h *harness) mention(eventID, channel, user, ts, threadTS, text string) *http.Response {
	h.t.Helper()
	inner := map[string]any{"type": "app_mention", "user": user, "text": "<@U0LAN0Z89> " + text, "ts": ts,
		"channel": channel, "event_ts": ts}
	if threadTS != "" {
		inner["thread_ts"] = threadTS
	}
	env := map[string]any{"token": "ZZZZZZWSxiZZZ2yIvs3peJ", "team_id": "T061EG9R6", "api_app_id": "A0MDYCDME",
		"event": inner, "type": "event_callback", "event_id": eventID, "event_time": 1515449483,
		"authed_users": []string{"U0LAN0Z89"}}
	b, _ := json.Marshal(env)
	return h.post("/slack/events", "application/json", string(b), 0)
}

// command posts a slash command form shaped like Slack's documented one.
func (h *harness) command(channel, user, text string) *http.Response {
	h.t.Helper()
	v := url.Values{
		"token": {"gIkuvaNzQIHg97ATvDxqgjtO"}, "team_id": {"T0001"}, "team_domain": {"example"},
		"channel_id": {channel}, "channel_name": {"test"}, "user_id": {user}, "user_name": {"Steve"},
		"command": {"/towndesk"}, "text": {text}, "response_url": {h.slack.srv.URL + "/hooks/commands/1234/5678"},
		"trigger_id": {"13345224609.738474920.8088930838d88f008e0"}, "api_app_id": {"A123456"},
	}
	return h.post("/slack/commands", "application/x-www-form-urlencoded", v.Encode(), 0)
}

// interact posts an interaction payload (block_actions, view_submission).
func (h *harness) interact(payload map[string]any) *http.Response {
	h.t.Helper()
	b, _ := json.Marshal(payload)
	body := url.Values{"payload": {string(b)}}.Encode()
	return h.post("/slack/interactive", "application/x-www-form-urlencoded", body, 0)
}

// click builds a block_actions payload shaped like Slack's documented one.
func (h *harness) click(channel, user, messageTS, threadTS, actionID, value string, ephemeral bool) map[string]any {
	msg := map[string]any{"bot_id": "BAH5CA16Z", "type": "message", "text": "…", "user": "UAJ2RU415", "ts": messageTS}
	if threadTS != "" {
		msg["thread_ts"] = threadTS
	}
	return map[string]any{
		"type": "block_actions", "team": map[string]any{"id": "T9TK3CUKW", "domain": "example"},
		"user":       map[string]any{"id": user, "username": "jtorrance", "team_id": "T9TK3CUKW"},
		"api_app_id": "AABA1ABCD", "token": "9s8d9as89d8as9d8as989",
		"container": map[string]any{"type": "message", "message_ts": messageTS, "channel_id": channel,
			"is_ephemeral": ephemeral, "is_app_unfurl": false},
		"trigger_id":   "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
		"channel":      map[string]any{"id": channel, "name": "review-updates"},
		"message":      msg,
		"response_url": h.slack.srv.URL + "/hooks/actions/AABA1ABCD/1232321423432/D09sSasdasdAS9091209",
		"actions": []map[string]any{{"action_id": actionID, "block_id": "=qXel", "value": value, "type": "button",
			"text": map[string]any{"type": "plain_text", "text": "View", "emoji": true}, "action_ts": "1548426417.840180"}},
	}
}

// blockValue finds the value of the first button with actionID in a call's blocks.
func blockValue(t testing.TB, c call, actionID string) string {
	t.Helper()
	var blocks []map[string]any
	if s := c.Form.Get("blocks"); s != "" {
		json.Unmarshal([]byte(s), &blocks)
	} else if c.JSON != nil {
		b, _ := json.Marshal(c.JSON["blocks"])
		json.Unmarshal(b, &blocks)
	}
	for _, b := range blocks {
		els, _ := b["elements"].([]any)
		if acc, ok := b["accessory"]; ok {
			els = append(els, acc)
		}
		for _, e := range els {
			m, _ := e.(map[string]any)
			if m["action_id"] == actionID {
				return fmt.Sprint(m["value"])
			}
		}
	}
	t.Fatalf("no %s button in %s", actionID, c.text())
	return ""
}
