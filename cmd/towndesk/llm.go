package main

import (
	"fmt"
	"log/slog"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/config"
	"github.com/towndesk/towndesk/handlers/qa"
	"github.com/towndesk/towndesk/llm"
)

// The language model is optional. It is configured by the llm section of
// the configuration file and by the environment:
//
//	OPENAI_BASE_URL     endpoint up to /v1 (default https://api.openai.com/v1)
//	OPENAI_API_KEY      key, if the endpoint needs one
//	TOWNDESK_LLM_MODEL  model name; without one (here or in the file) there is no model
//
// A variable that is set wins over the file's setting, so an operator can
// point a deployment at another endpoint without editing its file. The
// timeout (default 8 s per call, retries included) and the daily token
// budget (default none) come from the file only. The budget is counted in
// the process and starts again at local midnight or on restart.

// modelConfig merges the file's llm section (nil when absent) with the
// environment. ok is false when no model is named anywhere.
func (m *Main) modelConfig(file *config.LLM) (cfg llm.Config, ok bool) {
	if file != nil {
		cfg = llm.Config{BaseURL: file.BaseURL, APIKey: file.APIKey, Model: file.Model,
			Timeout: file.TimeoutDuration(), DailyTokenBudget: file.DailyTokenBudget}
	}
	for _, v := range []struct {
		name string
		dst  *string
	}{{"OPENAI_BASE_URL", &cfg.BaseURL}, {"OPENAI_API_KEY", &cfg.APIKey}, {"TOWNDESK_LLM_MODEL", &cfg.Model}} {
		if s := m.Getenv(v.name); s != "" {
			*v.dst = s
		}
	}
	return cfg, cfg.Model != ""
}

// modelLogger logs the model's failures to stderr, with phone and ID
// numbers masked.
func (m *Main) modelLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindString {
				a.Value = slog.StringValue(towndesk.MaskText(a.Value.String()))
			}
			return a
		}}))
}

// useModel gives lists the language model configured by file (the llm
// section of the configuration, nil when absent) and the environment, or
// none, and returns it (nil for none) so that other features, such as the
// weekly summary's opening, share its client and daily budget. It never
// fails: a model is optional, and an endpoint that is down shows up as
// logged failures and answers without it.
func (m *Main) useModel(lists *qa.Lists, file *config.LLM) *llm.Client {
	cfg, ok := m.modelConfig(file)
	if !ok {
		lists.SetModel(nil, nil)
		return nil
	}
	c, err := llm.New(cfg)
	if err != nil {
		fmt.Fprintf(m.Stderr, "警告：语言模型配置有误，不使用模型：%v\n", err)
		lists.SetModel(nil, nil)
		return nil
	}
	lists.SetModel(c, m.modelLogger())
	return c
}

// setModel is useModel for commands without --config: the file is the one
// TOWNDESK_CONFIG names, if any. A file that cannot be loaded is reported
// and the environment alone is used (serve and chat load the file
// themselves and stop on a bad one).
func (m *Main) setModel(lists *qa.Lists) {
	var file *config.LLM
	if path := m.Getenv("TOWNDESK_CONFIG"); path != "" {
		c, err := config.LoadFile(path, m.Getenv)
		if err != nil {
			fmt.Fprintf(m.Stderr, "警告：读取配置失败，语言模型只按环境变量设置：%v\n", err)
		} else {
			file = c.LLM
		}
	}
	m.useModel(lists, file)
}
