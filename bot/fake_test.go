package bot

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// call is one request the fake Slack received.
type call struct {
	Method string     // "chat.postMessage", "views.open", "hook" (a response_url)
	Form   url.Values // form-encoded arguments
	JSON   map[string]any
	At     time.Time
	TS     string // the ts chat.postMessage answered with
}

// text returns the call's message text and blocks, as one string to search.
func (c call) text() string {
	var b strings.Builder
	b.WriteString(c.Form.Get("text"))
	b.WriteString(c.Form.Get("blocks"))
	if c.JSON != nil {
		j, _ := json.Marshal(c.JSON)
		b.Write(j)
	}
	return b.String()
}

// fakeSlack is a Slack Web API (and Socket Mode) server on loopback that
// records every call, for the real slack-go client to talk to.
type fakeSlack struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	calls    []call
	posted   []posted // messages posted, for conversations.history and .replies
	ts       int
	limit429 int // answer this many chat.postMessage calls with 429 first
	fail500  int // then this many with 500
	// noHistory answers conversations.history and .replies with
	// missing_scope, as for an app without channels:history.
	noHistory bool
	// historyPage, when not 0, pages conversations.history and .replies:
	// at most this many messages per answer, with a cursor to the rest.
	historyPage int
	// postDelay delays the answer to chat.postMessage after the message
	// is posted: a client killed meanwhile never learns it was.
	postDelay time.Duration
	notify    chan call
	wsConn    *websocket.Conn
	wsAcks    chan map[string]any
	wsReady   chan struct{}
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{t: t, notify: make(chan call, 1000), wsAcks: make(chan map[string]any, 100), wsReady: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", f.api)
	mux.HandleFunc("/hooks/", f.hook)
	mux.HandleFunc("/ws", f.ws)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) apiURL() string { return f.srv.URL + "/api/" }

func (f *fakeSlack) record(c call) {
	c.At = time.Now()
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.mu.Unlock()
	select {
	case f.notify <- c:
	default: // nobody waits for calls one by one (a load test): they are in calls
	}
}

func (f *fakeSlack) api(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	body, _ := io.ReadAll(r.Body)
	c := call{Method: method}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		json.Unmarshal(body, &c.JSON)
	} else {
		c.Form, _ = url.ParseQuery(string(body))
	}
	w.Header().Set("Content-Type", "application/json")
	f.mu.Lock()
	f.ts++
	// Real time, as Slack's: a history lookup asks for messages since a time.
	ts := fmt.Sprintf("%d.%06d", time.Now().Unix(), f.ts%1000000)
	limited := method == "chat.postMessage" && f.limit429 > 0
	if limited {
		f.limit429--
	}
	failed := method == "chat.postMessage" && !limited && f.fail500 > 0
	if failed {
		f.fail500--
	}
	noHistory := f.noHistory
	f.mu.Unlock()
	switch {
	case limited:
		c.Method = "429 " + method
		f.record(c)
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"ok":false,"error":"ratelimited"}`)
		return
	case failed:
		c.Method = "500 " + method
		f.record(c)
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `{"ok":false,"error":"internal_error"}`)
		return
	}
	switch method {
	case "chat.postMessage":
		f.mu.Lock()
		f.posted = append(f.posted, posted{channel: c.Form.Get("channel"), ts: ts, thread: c.Form.Get("thread_ts"), metadata: c.Form.Get("metadata")})
		delay := f.postDelay
		f.mu.Unlock()
		c.TS = ts
		time.Sleep(delay)
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, c.Form.Get("channel"), ts)
	case "chat.update":
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, c.Form.Get("channel"), c.Form.Get("ts"))
	case "conversations.history", "conversations.replies":
		if noHistory {
			io.WriteString(w, `{"ok":false,"error":"missing_scope"}`)
			break
		}
		io.WriteString(w, f.history(method, c.Form))
	case "chat.postEphemeral":
		fmt.Fprintf(w, `{"ok":true,"message_ts":%q}`, ts)
	case "views.open", "views.update", "views.push":
		fmt.Fprintf(w, `{"ok":true,"view":{"id":"V%d"}}`, f.ts)
	case "apps.connections.open":
		fmt.Fprintf(w, `{"ok":true,"url":%q}`, "ws"+strings.TrimPrefix(f.srv.URL, "http")+"/ws")
	case "auth.test":
		io.WriteString(w, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT"}`)
	default:
		fmt.Fprintf(w, `{"ok":false,"error":"unknown_method"}`)
	}
	f.record(c)
}

// posted is a message the fake Slack accepted.
type posted struct {
	channel, ts, thread, metadata string
}

// history answers conversations.history (the channel's messages outside
// threads) and conversations.replies (a thread's), newer than oldest,
// with their metadata, newest first.
func (f *fakeSlack) history(method string, form url.Values) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var msgs []map[string]any
	for i := len(f.posted) - 1; i >= 0; i-- {
		p := f.posted[i]
		if p.channel != form.Get("channel") || p.ts < form.Get("oldest") {
			continue
		}
		if method == "conversations.history" && p.thread != "" || method == "conversations.replies" && p.thread != form.Get("ts") {
			continue
		}
		m := map[string]any{"type": "message", "ts": p.ts, "thread_ts": p.thread}
		if p.metadata != "" {
			var md map[string]any
			json.Unmarshal([]byte(p.metadata), &md)
			m["metadata"] = md
		}
		msgs = append(msgs, m)
	}
	resp := map[string]any{"ok": true, "messages": msgs, "has_more": false}
	if n := f.historyPage; n > 0 {
		from, _ := strconv.Atoi(form.Get("cursor"))
		from = min(from, len(msgs))
		to := min(from+n, len(msgs))
		resp["messages"] = msgs[from:to]
		if to < len(msgs) {
			resp["has_more"] = true
			resp["response_metadata"] = map[string]any{"next_cursor": strconv.Itoa(to)}
		}
	}
	j, _ := json.Marshal(resp)
	return string(j)
}

func (f *fakeSlack) hook(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c := call{Method: "hook"}
	json.Unmarshal(body, &c.JSON)
	io.WriteString(w, "ok")
	f.record(c)
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// ws is Socket Mode's WebSocket: it says hello, then relays what the test
// sends and collects the client's acks.
func (f *fakeSlack) ws(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	f.mu.Lock()
	f.wsConn = conn
	f.mu.Unlock()
	conn.WriteJSON(map[string]any{"type": "hello", "num_connections": 1})
	close(f.wsReady)
	for {
		var m map[string]any
		if err := conn.ReadJSON(&m); err != nil {
			return
		}
		f.wsAcks <- m
	}
}

// sendWS sends an envelope over the Socket Mode connection.
func (f *fakeSlack) sendWS(v any) {
	f.t.Helper()
	select {
	case <-f.wsReady:
	case <-time.After(60 * time.Second):
		f.t.Fatal("Socket Mode client did not connect")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.wsConn.WriteJSON(v); err != nil {
		f.t.Fatal(err)
	}
}

// wait returns the next call of method (skipping others), or fails after 10 s.
func (f *fakeSlack) wait(method string) call {
	f.t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case c := <-f.notify:
			if c.Method == method {
				return c
			}
		case <-timeout:
			f.t.Fatalf("no %s call within 60 s; calls: %v", method, f.methods())
			return call{}
		}
	}
}

// quiet asserts that no call arrives for d.
func (f *fakeSlack) quiet(d time.Duration) {
	f.t.Helper()
	select {
	case c := <-f.notify:
		f.t.Errorf("unexpected %s call: %s", c.Method, c.text())
	case <-time.After(d):
	}
}

func (f *fakeSlack) methods() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ms []string
	for _, c := range f.calls {
		ms = append(ms, c.Method)
	}
	return ms
}

// posts returns the chat.postMessage calls Slack took, in order.
func (f *fakeSlack) posts() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Method == "chat.postMessage" {
			out = append(out, c)
		}
	}
	return out
}

// postAttempts returns when chat.postMessage was called, refused calls
// (429, 500) included.
func (f *fakeSlack) postAttempts() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []time.Time
	for _, c := range f.calls {
		if strings.HasSuffix(c.Method, "chat.postMessage") {
			out = append(out, c.At)
		}
	}
	return out
}

// waitPosts waits until n messages were posted, then checks that no more
// arrive for a moment.
func (f *fakeSlack) waitPosts(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for len(f.posts()) < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if got := len(f.posts()); got != n {
		t.Fatalf("messages posted = %d, want %d", got, n)
	}
}
