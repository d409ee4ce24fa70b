package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
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
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		v, _ := url.ParseQuery(string(body))
		if strings.HasSuffix(r.URL.Path, "/chat.postMessage") {
			posted <- v
		}
		io.WriteString(w, `{"ok":true,"ts":"1.2"}`)
	}))
	defer fake.Close()
	dir := t.TempDir()
	cfg := writeFile(t, dir, "towndesk.json", `{"channels": {"C0BANGJUN1": {"county": "蓟州区", "town": "邦均镇"}}}`)
	env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret",
		"SLACK_API_URL": fake.URL + "/api", "TOWNDESK_CONFIG": cfg}
	var stderr lockedBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }, Now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- m.Run(ctx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}) }()

	addrRe := regexp.MustCompile(`"addr":"([0-9.:]+)"`)
	var addr string
	for i := 0; i < 200 && addr == ""; i++ {
		if m := addrRe.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
		}
		time.Sleep(50 * time.Millisecond)
	}
	if addr == "" {
		t.Fatalf("serve did not start:\n%s", stderr.String())
	}
	body := `{"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention","user":"U1","text":"<@UBOT> 谁管烧秸秆","ts":"10.1","channel":"C0BANGJUN1","event_ts":"10.1"}}`
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write([]byte("v0:" + ts + ":" + body))
	req, _ := http.NewRequest("POST", "http://"+addr+"/slack/events", strings.NewReader(body))
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
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
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d after shutdown, want 0:\n%s", code, stderr.String())
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("shutdown took %v, want ≤ 10 s", d)
		}
	case <-time.After(12 * time.Second):
		t.Fatal("serve did not stop within 12 s")
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
