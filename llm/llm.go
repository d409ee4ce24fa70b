// Package llm talks to an optional language model behind any
// OpenAI-compatible chat endpoint (DeepSeek, Qwen, a local vLLM or Ollama).
// It is the only importer of go-openai.
//
// towndesk never needs a model: every method here may fail (timeout, 429
// or 5xx after retries, malformed output, daily budget spent), and the
// caller then answers without one. The methods only read and phrase;
// what they return is checked by the caller against the power-list rows
// before anything reaches a person.
package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Defaults.
const (
	// DefaultTimeout bounds one call to the model, retries included.
	DefaultTimeout = 8 * time.Second
	// DefaultBaseURL is used when only a model is configured.
	DefaultBaseURL = "https://api.openai.com/v1"
	// defaultRetries is how many times a 429 or 5xx answer is retried.
	defaultRetries = 2
	// DefaultCooldown is how long the model is left alone after it failed.
	DefaultCooldown = 30 * time.Second
	// maxRetryWait caps the wait a server may ask for with Retry-After; a
	// longer wait is not worth it for a chat answer.
	maxRetryWait = 30 * time.Second
)

// Errors returned by the Client's methods (wrapped; test with errors.Is).
var (
	// ErrBudget: the daily token budget is spent; no request was sent.
	ErrBudget = errors.New("llm: daily token budget spent")
	// ErrUnavailable: the model failed recently (timeout, refused
	// connection, 429 or 5xx after retries) and is left alone for a while;
	// no request was sent.
	ErrUnavailable = errors.New("llm: model unavailable, cooling down")
	// ErrMalformed: the model answered, but not in the form asked for.
	ErrMalformed = errors.New("llm: malformed model output")
	// ErrUngrounded: the model's text states something not in its input.
	ErrUngrounded = errors.New("llm: ungrounded model output")
)

// Config is how to reach the model.
type Config struct {
	// BaseURL is the endpoint up to and including /v1; empty means
	// DefaultBaseURL.
	BaseURL string
	// APIKey may be empty for local servers that need none.
	APIKey string
	// Model is the model's name at the endpoint; required.
	Model string
	// Timeout bounds each call, retries included; 0 means DefaultTimeout.
	Timeout time.Duration
	// DailyTokenBudget caps the tokens used per local calendar day
	// (prompt and completion); 0 means no cap. The count is kept in the
	// process and starts again at local midnight or on restart.
	DailyTokenBudget int
	// Retries is how many times a 429 or 5xx answer is retried; 0 means 2,
	// a negative value means none.
	Retries int
	// Cooldown is how long no request is sent after a call failed for
	// want of an answer (timeout, refused connection, 429 or 5xx after
	// retries), so that a dead endpoint does not add its timeout to every
	// question; 0 means DefaultCooldown, a negative value means none.
	Cooldown time.Duration
	// HTTPClient sends the requests; nil means a new http.Client.
	HTTPClient *http.Client
	// Now is the clock for the budget's day; nil means time.Now.
	Now func() time.Time
}

// Client calls the model. It is safe for concurrent use.
type Client struct {
	api      *openai.Client
	model    string
	timeout  time.Duration
	budget   int
	pending  int // estimated tokens of the calls in flight
	cooldown time.Duration
	now      func() time.Time

	mu        sync.Mutex
	day       string // local date the usage counts for
	used      int
	downUntil time.Time // no requests before this (wall clock)
}

// New returns a client for cfg. It returns an error only when cfg names no
// model; it does not contact the endpoint (an unreachable one shows up as
// failed calls, never as a failure to start).
func New(cfg Config) (*Client, error) {
	if cfg.Model == "" {
		return nil, errors.New("llm: no model configured")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	retries := cfg.Retries
	switch {
	case retries == 0:
		retries = defaultRetries
	case retries < 0:
		retries = 0
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	switch {
	case cfg.Cooldown == 0:
		cfg.Cooldown = DefaultCooldown
	case cfg.Cooldown < 0:
		cfg.Cooldown = 0
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = cfg.BaseURL
	oc.HTTPClient = &retryDoer{client: hc, retries: retries}
	return &Client{api: openai.NewClientWithConfig(oc), model: cfg.Model, timeout: cfg.Timeout,
		budget: cfg.DailyTokenBudget, cooldown: cfg.Cooldown, now: cfg.Now}, nil
}

// Model returns the configured model's name.
func (c *Client) Model() string { return c.model }

// TokensUsed returns the tokens counted against today's budget.
func (c *Client) TokensUsed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rollDay()
	return c.used
}

// rollDay starts a new count at local midnight. c.mu must be held.
func (c *Client) rollDay() {
	if d := c.now().Format(time.DateOnly); d != c.day {
		c.day, c.used = d, 0
	}
}

// chat sends one chat completion, bounded by the client's timeout and
// counted against the budget. It returns ErrBudget without sending when
// today's budget is spent, and ErrUnavailable while cooling down.
func (c *Client) chat(ctx context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error) {
	// Calls in flight count against the budget with an estimate of their
	// cost, so that concurrent calls cannot all pass the check together
	// and overspend; each settles its estimate when it returns.
	reserve := estimateTokens(req)
	c.mu.Lock()
	c.rollDay()
	spent := c.budget > 0 && c.used+c.pending >= c.budget
	down := time.Now().Before(c.downUntil)
	if !spent && !down {
		c.pending += reserve
	}
	c.mu.Unlock()
	switch {
	case spent:
		return openai.ChatCompletionResponse{}, ErrBudget
	case down:
		return openai.ChatCompletionResponse{}, ErrUnavailable
	}
	settle := func(tokens int) {
		c.mu.Lock()
		c.rollDay()
		c.pending -= reserve
		c.used += tokens
		c.mu.Unlock()
	}
	req.Model = c.model
	callCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := c.api.CreateChatCompletion(callCtx, req)
	if err != nil {
		settle(0)
		if ctx.Err() == nil && unanswered(err) {
			c.mu.Lock()
			c.downUntil = time.Now().Add(c.cooldown)
			c.mu.Unlock()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return resp, fmt.Errorf("llm: no answer within %v: %w", c.timeout, err)
		}
		return resp, fmt.Errorf("llm: %w", err)
	}
	tokens := resp.Usage.TotalTokens
	if tokens <= 0 {
		// Some local servers report no usage: count characters instead,
		// which overestimates Chinese text a little. Safe for a budget.
		for _, m := range req.Messages {
			tokens += len([]rune(m.Content))
		}
		for _, ch := range resp.Choices {
			tokens += len([]rune(ch.Message.Content))
			for _, tc := range ch.Message.ToolCalls {
				tokens += len([]rune(tc.Function.Arguments))
			}
		}
	}
	settle(tokens)
	if len(resp.Choices) == 0 {
		return resp, fmt.Errorf("%w: no choices in the answer", ErrMalformed)
	}
	return resp, nil
}

// estimateTokens is what a request may cost, for calls in flight: its
// text (a character per token overestimates Chinese a little) and the
// answer's limit (500 when the request sets none).
func estimateTokens(req openai.ChatCompletionRequest) int {
	n := 0
	for _, m := range req.Messages {
		n += len([]rune(m.Content))
	}
	if req.MaxCompletionTokens > 0 {
		return n + req.MaxCompletionTokens
	}
	return n + 500
}

// retryDoer sends a request and retries it on 429 and 5xx, waiting as
// long as the server's Retry-After asks (else an exponential backoff with
// jitter), but never past the request's deadline: a retry that cannot
// finish in time is not started and the failed answer is returned.
type retryDoer struct {
	client  *http.Client
	retries int
}

func (d *retryDoer) Do(req *http.Request) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req.Body = body
		}
		resp, err := d.client.Do(req)
		if err != nil || !retryable(resp.StatusCode) || attempt >= d.retries || (req.Body != nil && req.GetBody == nil) {
			return resp, err
		}
		wait := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		if wait < 0 {
			wait = time.Duration(500<<attempt)*time.Millisecond + time.Duration(rand.Int64N(int64(200*time.Millisecond)))
		}
		ctx := req.Context()
		if dl, ok := ctx.Deadline(); (ok && time.Until(dl) < wait) || wait > maxRetryWait {
			return resp, nil
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// unanswered reports whether err means the endpoint did not answer (as
// opposed to answering "no" to this one request): a transport failure, a
// timeout, or a 429 or 5xx left after the retries.
func unanswered(err error) bool {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		return retryable(apiErr.HTTPStatusCode)
	case errors.As(err, &reqErr):
		return retryable(reqErr.HTTPStatusCode)
	}
	return true
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// retryAfter parses a Retry-After header (seconds or an HTTP date); -1
// when there is none or it cannot be read.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return -1
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now))
	}
	return -1
}
