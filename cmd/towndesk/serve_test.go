package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towndesk/towndesk/bot/signature"
)

// lockedBuffer collects what serve logs while the test reads it.
type lockedBuffer struct {
	mu   sync.Mutex
	text string
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.text += string(p)
	l.mu.Unlock()
	return len(p), nil
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.text
}

func TestServeHTTPModeEndToEnd(t *testing.T) {
	posted := make(chan url.Values, 10)
	dir := t.TempDir()
	env := fakeSlackEnv(t, func(v url.Values) { posted <- v })
	env["TOWNDESK_CONFIG"] = writeFile(t, dir, "towndesk.json", `{"channels": {"C0BANGJUN1": {"county": "蓟州区", "town": "邦均镇"}}}`)
	stderr, stop := startServe(t, env, time.Now, "--data", dir)

	addr := regexp.MustCompile(`"addr":"([0-9.:]+)"`).FindStringSubmatch(stderr.String())
	if addr == nil {
		t.Fatalf("serve logged no address:\n%s", stderr.String())
	}
	body := `{"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention","user":"U1","text":"<@UBOT> 谁管烧秸秆","ts":"10.1","channel":"C0BANGJUN1","event_ts":"10.1"}}`
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest("POST", "http://"+addr[1]+"/slack/events", strings.NewReader(body))
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", signature.Sign("s3cret", ts, []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST /slack/events = %v, %v", resp, err)
	}
	select {
	case v := <-posted:
		if v.Get("thread_ts") != "10.1" || !strings.Contains(v.Get("text"), "邦均镇") {
			t.Errorf("answer = %q in thread %q, want 邦均镇 in 10.1", v.Get("text"), v.Get("thread_ts"))
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no answer posted:\n%s", stderr.String())
	}
	// SIGTERM: stop within 10 s, exit 0.
	start := time.Now()
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d after shutdown, want 0:\n%s", code, stderr.String())
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("shutdown took %v, want ≤ 10 s", d)
	}
}

func TestServeMissingSettings(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no bot token", map[string]string{"SLACK_SIGNING_SECRET": "x"}, "SLACK_BOT_TOKEN"},
		{"HTTP without secret", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errb bytes.Buffer
			m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb,
				Getenv: func(k string) string { return tt.env[k] }, Now: time.Now}
			code := m.Run(context.Background(), []string{"serve", "--data", t.TempDir()})
			if code != 1 || !strings.Contains(errb.String(), tt.want) {
				t.Errorf("serve (%s) = exit %d, %q; want 1 naming %s", tt.name, code, errb.String(), tt.want)
			}
		})
	}
}

// fakeSlackEnv returns the Slack settings of serve (HTTP mode, signing
// secret "s3cret") and of summary for a fake Slack Web API on loopback:
// each chat.postMessage is handed to posted (if not nil) and gets a new
// ts; every other call succeeds.
func fakeSlackEnv(t *testing.T, posted func(url.Values)) map[string]string {
	t.Helper()
	var mu sync.Mutex
	n := 0
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !strings.HasSuffix(r.URL.Path, "/chat.postMessage") {
			io.WriteString(w, `{"ok":true}`)
			return
		}
		body, _ := io.ReadAll(r.Body)
		v, _ := url.ParseQuery(string(body))
		if posted != nil {
			posted(v)
		}
		mu.Lock()
		n++
		ts := fmt.Sprintf("1700000000.%06d", n)
		mu.Unlock()
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, v.Get("channel"), ts)
	}))
	t.Cleanup(fake.Close)
	return map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret", "SLACK_API_URL": fake.URL + "/api/"}
}

// startServe runs towndesk serve in HTTP mode with the environment env,
// the clock now and args after the command (--data, --config), on a free
// loopback port, and waits until it listens. stop cancels it and returns
// its exit status.
func startServe(t *testing.T, env map[string]string, now func() time.Time, args ...string) (log *lockedBuffer, stop func() int) {
	t.Helper()
	log = &lockedBuffer{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: log,
		Getenv: func(k string) string { return env[k] }, Now: now}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	args = append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)
	go func() { done <- m.Run(ctx, args) }()
	for i := 0; i < 400 && !strings.Contains(log.String(), "listening (HTTP mode)"); i++ {
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited %d:\n%s", code, log.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	if !strings.Contains(log.String(), "listening (HTTP mode)") {
		cancel()
		t.Fatalf("serve did not start:\n%s", log.String())
	}
	stopped := false
	stop = func() int {
		if stopped {
			return 0
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(12 * time.Second):
			t.Fatal("serve did not stop within 12 s")
		}
		return -1
	}
	t.Cleanup(func() { stop() })
	return log, stop
}

// TestAskBesideServe checks that towndesk ask asks a running serve, which
// holds the index, over the data directory's socket; and answers by itself
// when the server is gone or left a stale socket behind.
func TestAskBesideServe(t *testing.T) {
	dir := t.TempDir()
	log, stop := startServe(t, fakeSlackEnv(t, nil), time.Now, "--data", dir)
	sock := filepath.Join(dir, "towndesk.sock")
	if fi, err := os.Stat(sock); err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("serve's socket %s: %v; want a socket, 0600", sock, err)
	}
	ask := func(stdin string, args ...string) string {
		t.Helper()
		out := mustRun(t, stdin, append([]string{"ask", "--data", dir}, args...)...)
		return out
	}
	out := ask("", "--json", "滨湖镇有人乱搭乱建归谁管？")
	var reply struct {
		Status string                `json:"status"`
		Place  struct{ Town string } `json:"place"`
	}
	if err := json.Unmarshal([]byte(out), &reply); err != nil || reply.Status != "answered" || reply.Place.Town != "滨湖镇" {
		t.Errorf("ask --json beside serve = %s (%v), want answered for 滨湖镇", out, err)
	}
	if n := strings.Count(log.String(), "answered a local question"); n != 1 {
		t.Errorf("serve answered %d questions over its socket, want 1:\n%s", n, log.String())
	}
	if out := ask("", "--town", "下营镇", "--county", "蓟州区", "谁管烧秸秆"); !strings.Contains(out, "下营镇") {
		t.Errorf("ask with a default place beside serve = %q", out)
	}
	if _, errb, code := runMain(t, "", "ask", "--data", dir, "--town", "火星镇", "谁管烧秸秆"); code != 1 || !strings.Contains(errb, "火星镇") {
		t.Errorf("ask with an unknown default town beside serve: exit %d, %q; want 1 naming it", code, errb)
	}
	lines := strings.Split(strings.TrimSpace(ask("滨湖镇谁管烧秸秆\n柴胡店镇放鞭炮谁管\n", "--batch")), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"status":"answered"`) || !strings.Contains(lines[1], `"status":"ambiguous_place"`) {
		t.Errorf("ask --batch beside serve = %q", lines)
	}
	if n := strings.Count(log.String(), "answered a local question"); n != 4 { // the error is not an answer
		t.Errorf("serve answered %d questions over its socket, want 4", n)
	}

	// Serve stops: the socket goes, and ask answers from the data directory.
	if code := stop(); code != 0 {
		t.Fatalf("serve exit %d:\n%s", code, log.String())
	}
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Errorf("socket after serve stopped: %v, want removed", err)
	}
	if out := ask("", "--json", "滨湖镇有人乱搭乱建归谁管？"); !strings.Contains(out, `"status":"answered"`) {
		t.Errorf("ask after serve stopped = %s", out)
	}

	// A socket file left by a killed serve: nobody answers, ask goes on.
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if out := ask("", "--json", "滨湖镇有人乱搭乱建归谁管？"); !strings.Contains(out, `"status":"answered"`) {
		t.Errorf("ask beside a stale socket = %s", out)
	}
}

// TestExampleConfigStarts starts serve and the console with
// config/towndesk.example.json as it is, with no language model key set.
func TestExampleConfigStarts(t *testing.T) {
	example := filepath.Join("..", "..", "config", "towndesk.example.json")
	dir := t.TempDir()
	log, stop := startServe(t, fakeSlackEnv(t, nil), time.Now, "--data", dir, "--config", example)
	if code := stop(); code != 0 {
		t.Errorf("serve --config example: exit %d:\n%s", code, log.String())
	}
	if strings.Contains(log.String(), "TOWNDESK_LLM_KEY") {
		t.Errorf("serve with the example asks for an LLM key:\n%s", log.String())
	}
	out, errb, code := runMain(t, "谁管烧秸秆\n", "chat", "--data", dir, "--config", example)
	if code != 0 || !strings.Contains(out, "towndesk 控制台") {
		t.Errorf("chat --config example: exit %d, %s\n%s", code, errb, out)
	}
}
