package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeEndpoint is an OpenAI-compatible endpoint on loopback that phrases
// every answer faithfully from the rows it is given (or fails with status
// when it is not 0), and counts its requests.
func fakeEndpoint(t *testing.T, status int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if status != 0 {
			w.WriteHeader(status)
			fmt.Fprint(w, `{"error":{"message":"down","type":"server_error"}}`)
			return
		}
		var req struct {
			Messages []struct{ Content string } `json:"messages"`
			Tools    []struct {
				Function struct{ Name string } `json:"function"`
			} `json:"tools"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		var data struct {
			Rows []struct{ Code, Body string } `json:"rows"`
			Cand []struct{ Code string }       `json:"candidates"`
		}
		json.Unmarshal([]byte(req.Messages[len(req.Messages)-1].Content), &data)
		msg := map[string]any{"role": "assistant"}
		switch {
		case len(req.Tools) > 0 && req.Tools[0].Function.Name == "choose_row":
			msg["tool_calls"] = []any{map[string]any{"id": "1", "type": "function",
				"function": map[string]any{"name": "choose_row", "arguments": fmt.Sprintf(`{"code":%q}`, data.Cand[0].Code)}}}
		case len(req.Tools) > 0:
			msg["tool_calls"] = []any{map[string]any{"id": "1", "type": "function",
				"function": map[string]any{"name": req.Tools[0].Function.Name, "arguments": `{"terms":[],"category":"","place":""}`}}}
		default:
			msg["content"] = fmt.Sprintf("由%s负责，编码 %s。", data.Rows[0].Body, data.Rows[0].Code)
		}
		json.NewEncoder(w).Encode(map[string]any{"id": "x", "object": "chat.completion",
			"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": "stop"}}})
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func runWithEnv(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }, Now: time.Now}
	code = m.Run(context.Background(), args)
	return out.String(), errb.String(), code
}

func TestAskWithLanguageModel(t *testing.T) {
	up, upN := fakeEndpoint(t, 0)
	down, downN := fakeEndpoint(t, http.StatusInternalServerError)
	cfgDir := t.TempDir()
	fileUp := writeFile(t, cfgDir, "up.json", fmt.Sprintf(`{"llm": {"base_url": %q, "model": "qwen-file", "timeout": "5s"}}`, up.URL+"/v1"))
	fileDown := writeFile(t, cfgDir, "down.json", fmt.Sprintf(`{"llm": {"base_url": %q, "model": "qwen-file", "timeout": "5s"}}`, down.URL+"/v1"))
	tests := []struct {
		name    string
		env     map[string]string
		wantLLM bool
		wantUp  bool // the working endpoint was asked
		warns   bool // stderr warns about the model
	}{
		{name: "no model configured", env: map[string]string{"OPENAI_API_KEY": "sk-test"}},
		{name: "environment", env: map[string]string{"OPENAI_BASE_URL": up.URL + "/v1", "TOWNDESK_LLM_MODEL": "qwen"}, wantLLM: true, wantUp: true},
		{name: "configuration file", env: map[string]string{"TOWNDESK_CONFIG": fileUp}, wantLLM: true, wantUp: true},
		{name: "environment wins over the file", env: map[string]string{"TOWNDESK_CONFIG": fileDown, "OPENAI_BASE_URL": up.URL + "/v1"}, wantLLM: true, wantUp: true},
		{name: "endpoint failing", env: map[string]string{"TOWNDESK_CONFIG": fileDown}, warns: true},
		{name: "endpoint unreachable", env: map[string]string{"OPENAI_BASE_URL": "http://127.0.0.1:1/v1", "TOWNDESK_LLM_MODEL": "qwen"}, warns: true},
		{name: "unreadable configuration file", env: map[string]string{"TOWNDESK_CONFIG": filepath.Join(cfgDir, "missing.json")}, warns: true},
	}
	data := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := upN.Load()
			tt.env["TOWNDESK_DATA"] = data
			out, errOut, code := runWithEnv(t, tt.env, "ask", "--json", "滨湖镇有人烧秸秆谁管")
			if code != 0 {
				t.Fatalf("ask exit %d: %s", code, errOut)
			}
			var got struct {
				Status  string `json:"status"`
				Text    string `json:"text"`
				LLM     bool   `json:"llm"`
				Answers []struct{ Code, Body string }
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("ask --json output %q: %v", out, err)
			}
			if got.Status != "answered" || len(got.Answers) == 0 {
				t.Fatalf("ask --json = %s, want an answer", out)
			}
			if got.LLM != tt.wantLLM {
				t.Errorf("llm = %v, want %v; stderr: %s", got.LLM, tt.wantLLM, errOut)
			}
			if tt.wantLLM {
				if want := fmt.Sprintf("由%s负责，编码 %s。", got.Answers[0].Body, got.Answers[0].Code); got.Text != want {
					t.Errorf("text = %q, want %q", got.Text, want)
				}
			} else if !strings.Contains(got.Text, got.Answers[0].Code) {
				t.Errorf("text = %q, want the template answer citing %s", got.Text, got.Answers[0].Code)
			}
			if asked := upN.Load() > before; asked != tt.wantUp {
				t.Errorf("working endpoint asked = %v, want %v", asked, tt.wantUp)
			}
			if warned := errOut != ""; warned != tt.warns {
				t.Errorf("stderr = %q, want a warning: %v", errOut, tt.warns)
			}
		})
	}
	if downN.Load() == 0 {
		t.Error("the failing endpoint was never asked")
	}
}
