package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/towndesk/towndesk"
)

// chatRequest is the part of a chat completion request the tests look at.
type chatRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	Tools []struct {
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	} `json:"tools"`
	ToolChoice json.RawMessage `json:"tool_choice"`
}

// completion renders an OpenAI chat completion with content or a call of
// function fn with args.
func completion(content, fn, args string, tokens int) string {
	msg := map[string]any{"role": "assistant", "content": content}
	if fn != "" {
		msg["tool_calls"] = []any{map[string]any{"id": "call_1", "type": "function",
			"function": map[string]any{"name": fn, "arguments": args}}}
	}
	b, _ := json.Marshal(map[string]any{"id": "x", "object": "chat.completion", "model": "test",
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": "stop"}},
		"usage":   map[string]any{"prompt_tokens": tokens / 2, "completion_tokens": tokens - tokens/2, "total_tokens": tokens}})
	return string(b)
}

// server is an OpenAI-compatible endpoint on loopback answering with
// script; it counts and records the requests.
type server struct {
	*httptest.Server
	n    atomic.Int32
	last atomic.Pointer[chatRequest]
}

func newServer(t *testing.T, script func(n int, req *chatRequest, w http.ResponseWriter, r *http.Request)) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" {
			http.NotFound(w, r)
			return
		}
		var req chatRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.last.Store(&req)
		n := int(s.n.Add(1))
		w.Header().Set("Content-Type", "application/json")
		script(n, &req, w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func newClient(t *testing.T, s *server, cfg Config) *Client {
	t.Helper()
	cfg.BaseURL = s.URL + "/v1"
	cfg.Model = "qwen-test"
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func apiError(w http.ResponseWriter, status int) {
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"message":"busy","type":"server_error"}}`)
}

func TestUnderstand(t *testing.T) {
	tests := []struct {
		name    string
		content string
		fn      string
		args    string
		want    Reading
		wantErr error
	}{
		{name: "tool call", fn: "record_reading",
			args: `{"terms":["露天焚烧秸秆"," 露天焚烧秸秆 ",""],"category":"行政处罚","place":"滨湖镇"}`,
			want: Reading{Terms: []string{"露天焚烧秸秆"}, Category: "行政处罚", Place: "滨湖镇"}},
		{name: "plain JSON from a server without tools", content: "```json\n{\"terms\":[\"燃放烟花爆竹\"],\"category\":\"\",\"place\":\"\"}\n```",
			want: Reading{Terms: []string{"燃放烟花爆竹"}}},
		{name: "unknown category dropped", fn: "record_reading", args: `{"terms":["散埋乱葬"],"category":"公安处理","place":""}`,
			want: Reading{Terms: []string{"散埋乱葬"}}},
		{name: "prose instead of JSON", content: "好的，这个问题应该找镇政府。", wantErr: ErrMalformed},
		{name: "broken arguments", fn: "record_reading", args: `{"terms":["违建"`, wantErr: ErrMalformed},
		{name: "extra fields", fn: "record_reading", args: `{"terms":[],"category":"","place":"","answer":"县公安局"}`, wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(n int, req *chatRequest, w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, completion(tt.content, tt.fn, tt.args, 50))
			})
			c := newClient(t, s, Config{})
			q := "滨湖镇有人烧秸秆，举报人电话13812345678"
			got, err := c.Understand(context.Background(), q)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Understand(%q) error = %v, want %v", q, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); err == nil && diff != "" {
				t.Errorf("Understand(%q) mismatch (-want +got):\n%s", q, diff)
			}
			req := s.last.Load()
			if len(req.Messages) != 2 || req.Messages[0].Role != "system" || strings.Contains(req.Messages[0].Content, "滨湖镇有人") {
				t.Fatalf("messages = %+v, want the question only in the user message", req.Messages)
			}
			if strings.Contains(req.Messages[1].Content, "13812345678") || !strings.Contains(req.Messages[1].Content, "138****5678") {
				t.Errorf("user message %q, want the phone number masked", req.Messages[1].Content)
			}
			if req.Model != "qwen-test" || len(req.Tools) != 1 || req.Tools[0].Function.Name != "record_reading" || !strings.Contains(string(req.ToolChoice), "record_reading") {
				t.Errorf("request model %q tools %+v tool_choice %s, want record_reading forced", req.Model, req.Tools, req.ToolChoice)
			}
		})
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name     string
		timeout  time.Duration
		script   func(n int, w http.ResponseWriter)
		wantErr  bool
		wantN    int
		minDelay time.Duration
		maxDelay time.Duration
	}{
		{name: "429 honours Retry-After", script: func(n int, w http.ResponseWriter) {
			if n == 1 {
				w.Header().Set("Retry-After", "1")
				apiError(w, http.StatusTooManyRequests)
				return
			}
			fmt.Fprint(w, completion("好", "", "", 10))
		}, wantN: 2, minDelay: time.Second, maxDelay: 3 * time.Second},
		{name: "500 then success", script: func(n int, w http.ResponseWriter) {
			if n == 1 {
				apiError(w, http.StatusInternalServerError)
				return
			}
			fmt.Fprint(w, completion("好", "", "", 10))
		}, wantN: 2, minDelay: 400 * time.Millisecond, maxDelay: 3 * time.Second},
		{name: "503 every time gives up after the retries", script: func(n int, w http.ResponseWriter) {
			w.Header().Set("Retry-After", "0")
			apiError(w, http.StatusServiceUnavailable)
		}, wantErr: true, wantN: 3, maxDelay: 2 * time.Second},
		{name: "Retry-After past the deadline is not waited for", timeout: time.Second, script: func(n int, w http.ResponseWriter) {
			w.Header().Set("Retry-After", "20")
			apiError(w, http.StatusTooManyRequests)
		}, wantErr: true, wantN: 1, maxDelay: 900 * time.Millisecond},
		{name: "400 is not retried", script: func(n int, w http.ResponseWriter) {
			apiError(w, http.StatusBadRequest)
		}, wantErr: true, wantN: 1, maxDelay: time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(n int, req *chatRequest, w http.ResponseWriter, r *http.Request) { tt.script(n, w) })
			c := newClient(t, s, Config{Timeout: tt.timeout})
			start := time.Now()
			_, err := c.Phrase(context.Background(), "问", &towndesk.AskResult{}, "参考")
			d := time.Since(start)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Phrase error = %v, want error %v", err, tt.wantErr)
			}
			if got := int(s.n.Load()); got != tt.wantN {
				t.Errorf("requests = %d, want %d", got, tt.wantN)
			}
			if d < tt.minDelay || d > tt.maxDelay {
				t.Errorf("call took %v, want between %v and %v", d, tt.minDelay, tt.maxDelay)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	s := newServer(t, func(n int, req *chatRequest, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		fmt.Fprint(w, completion("太迟了", "", "", 10))
	})
	c := newClient(t, s, Config{Timeout: 300 * time.Millisecond})
	start := time.Now()
	_, err := c.Understand(context.Background(), "滨湖镇违建谁管")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Understand on a stalled server: error = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Understand on a stalled server took %v, want about 300ms", d)
	}
	if got := s.n.Load(); got != 1 {
		t.Errorf("requests = %d, want 1 (a timeout is not retried)", got)
	}
}

func TestCooldown(t *testing.T) {
	fail := atomic.Bool{}
	fail.Store(true)
	s := newServer(t, func(n int, req *chatRequest, w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			w.Header().Set("Retry-After", "0")
			apiError(w, http.StatusBadGateway)
			return
		}
		fmt.Fprint(w, completion("好", "", "", 10))
	})
	c := newClient(t, s, Config{Cooldown: 300 * time.Millisecond})
	ctx := context.Background()
	if _, err := c.Phrase(ctx, "问", &towndesk.AskResult{}, "参考"); err == nil {
		t.Fatal("Phrase on a failing endpoint: no error")
	}
	sent := s.n.Load()
	fail.Store(false)
	if _, err := c.Phrase(ctx, "问", &towndesk.AskResult{}, "参考"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Phrase right after a failure: error = %v, want ErrUnavailable", err)
	}
	if got := s.n.Load(); got != sent {
		t.Errorf("requests while cooling down = %d, want none", got-sent)
	}
	time.Sleep(350 * time.Millisecond)
	if _, err := c.Phrase(ctx, "问", &towndesk.AskResult{}, "参考"); err != nil {
		t.Errorf("Phrase after the cooldown: error = %v, want none", err)
	}
}

func TestRefusalDoesNotCoolDown(t *testing.T) {
	s := newServer(t, func(n int, req *chatRequest, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			apiError(w, http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, completion("好", "", "", 10))
	})
	c := newClient(t, s, Config{})
	ctx := context.Background()
	if _, err := c.Phrase(ctx, "问", &towndesk.AskResult{}, "参考"); err == nil {
		t.Fatal("Phrase answered 400: no error")
	}
	if _, err := c.Phrase(ctx, "问", &towndesk.AskResult{}, "参考"); err != nil {
		t.Errorf("Phrase after a 400: error = %v, want none (one bad request says nothing of the endpoint)", err)
	}
}

func TestDailyBudget(t *testing.T) {
	s := newServer(t, func(n int, req *chatRequest, w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, completion("好", "", "", 150))
	})
	now := time.Date(2025, 3, 10, 23, 0, 0, 0, time.Local)
	c := newClient(t, s, Config{DailyTokenBudget: 200, Now: func() time.Time { return now }})
	ctx := context.Background()
	for i, want := range []error{nil, nil, ErrBudget} {
		if _, err := c.Phrase(ctx, "问", &towndesk.AskResult{}, "参考"); !errors.Is(err, want) {
			t.Fatalf("call %d: error = %v, want %v", i+1, err, want)
		}
	}
	if got := s.n.Load(); got != 2 {
		t.Errorf("requests = %d, want 2 (none once the budget is spent)", got)
	}
	if got := c.TokensUsed(); got != 300 {
		t.Errorf("TokensUsed() = %d, want 300", got)
	}
	now = now.Add(2 * time.Hour) // past local midnight
	if _, err := c.Phrase(ctx, "问", &towndesk.AskResult{}, "参考"); err != nil {
		t.Errorf("first call of a new day: error = %v, want none", err)
	}
}

func TestBudgetCountsWithoutUsage(t *testing.T) {
	s := newServer(t, func(n int, req *chatRequest, w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, completion("好的", "", "", 0))
	})
	c := newClient(t, s, Config{})
	if _, err := c.Phrase(context.Background(), "问", &towndesk.AskResult{}, "参考"); err != nil {
		t.Fatal(err)
	}
	if got := c.TokensUsed(); got < 100 {
		t.Errorf("TokensUsed() = %d after a call without usage, want an estimate from the text (>= 100)", got)
	}
}

func TestChoose(t *testing.T) {
	s := newServer(t, func(n int, req *chatRequest, w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(req.Messages[1].Content, "370481BHZCF01001") {
			apiError(w, http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, completion("", "choose_row", `{"code":" 370481BHZCF01001 "}`, 40))
	})
	c := newClient(t, s, Config{})
	cands := []towndesk.Match{{Item: towndesk.PowerItem{Code: "370481BHZCF01001", Name: "对未取得建设工程规划许可证进行建设的处罚"}}}
	got, err := c.Choose(context.Background(), "滨湖镇违建", cands)
	if err != nil || got != "370481BHZCF01001" {
		t.Errorf("Choose = %q, %v, want 370481BHZCF01001", got, err)
	}
}

func TestSummaryOpening(t *testing.T) {
	figures := "本周受理 12 件，办结 9 件，按时 8 件，超期 1 件（王某，电话13812345678）；问得最多的村：东村 5 次。"
	tests := []struct {
		name    string
		reply   string
		want    string
		wantErr error
	}{
		{name: "two sentences from the figures", reply: "本周受理代办12件，办结9件。\n超期1件需要尽快跟进。",
			want: "本周受理代办12件，办结9件。超期1件需要尽快跟进。"},
		{name: "invented number", reply: "本周受理代办12件，办结10件。超期1件需要跟进。", wantErr: ErrUngrounded},
		{name: "three sentences", reply: "本周受理12件。办结9件。超期1件。", wantErr: ErrUngrounded},
		{name: "empty", reply: "  ", wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(n int, req *chatRequest, w http.ResponseWriter, r *http.Request) {
				if strings.Contains(req.Messages[1].Content, "13812345678") {
					apiError(w, http.StatusBadRequest) // personal data must not leave towndesk
					return
				}
				fmt.Fprint(w, completion(tt.reply, "", "", 80))
			})
			c := newClient(t, s, Config{})
			got, err := c.SummaryOpening(context.Background(), figures)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("SummaryOpening = %q, %v, want %q, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestNewNeedsModel(t *testing.T) {
	if _, err := New(Config{BaseURL: "http://127.0.0.1:1/v1"}); err == nil {
		t.Error("New without a model: no error, want one")
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		v    string
		want time.Duration
	}{
		{name: "seconds", v: "3", want: 3 * time.Second},
		{name: "date", v: now.Add(5 * time.Second).Format(http.TimeFormat), want: 5 * time.Second},
		{name: "date in the past", v: now.Add(-time.Minute).Format(http.TimeFormat), want: 0},
		{name: "absent", v: "", want: -1},
		{name: "garbage", v: "soon", want: -1},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.v, now); got != tt.want {
			t.Errorf("%s: retryAfter(%q) = %v, want %v", tt.name, tt.v, got, tt.want)
		}
	}
}

// TestLongQuestionNeverSent: a question over the length limit never
// reaches the model, whichever call is asked.
func TestLongQuestionNeverSent(t *testing.T) {
	s := newServer(t, func(n int, req *chatRequest, w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, completion("", "record_reading", `{"terms":[],"category":"","place":""}`, 50))
	})
	c := newClient(t, s, Config{})
	q := strings.Repeat("滨湖镇有人烧秸秆", 5000)
	ctx := context.Background()
	if _, err := c.Understand(ctx, q); towndesk.ErrorField(err) != "question" {
		t.Errorf("Understand(long) = %v, want the question refused", err)
	}
	if _, err := c.Choose(ctx, q, nil); towndesk.ErrorField(err) != "question" {
		t.Errorf("Choose(long) = %v, want the question refused", err)
	}
	if _, err := c.Phrase(ctx, q, &towndesk.AskResult{}, ""); towndesk.ErrorField(err) != "question" {
		t.Errorf("Phrase(long) = %v, want the question refused", err)
	}
	if n := s.n.Load(); n != 0 {
		t.Errorf("%d requests reached the model", n)
	}
}
