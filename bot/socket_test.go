package bot

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestSocketModeEndToEnd(t *testing.T) {
	h := newHarness(t, "", nil, func(o *Options) { o.AppToken = "xapp-test"; o.SigningSecret = "" })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.bot.RunSocket(ctx) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("RunSocket did not return after cancel")
		}
	}()
	h.slack.wait("apps.connections.open")

	// An app_mention arrives over the WebSocket: acked, answered in its thread.
	var inner map[string]any
	json.Unmarshal([]byte(`{"type":"app_mention","user":"W021FGA1Z","text":"<@U0LAN0Z89> 谁管烧秸秆","ts":"1515449483.000108","channel":"`+chBangjun+`","event_ts":"1515449483000108"}`), &inner)
	h.slack.sendWS(map[string]any{"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": false,
		"payload": map[string]any{"token": "ZZZZZZWSxiZZZ2yIvs3peJ", "team_id": "T061EG9R6", "api_app_id": "A0MDYCDME",
			"event": inner, "type": "event_callback", "event_id": "Ev0MDYHUEL", "event_time": 1515449483}})
	if ack := h.nextAck(t); ack["envelope_id"] != "env-1" {
		t.Errorf("ack = %v, want envelope env-1", ack)
	}
	c := h.slack.wait("chat.postMessage")
	if c.Form.Get("thread_ts") != "1515449483.000108" || !strings.Contains(c.text(), "邦均镇") {
		t.Errorf("Socket Mode answer = %s in thread %q", c.text(), c.Form.Get("thread_ts"))
	}

	// A slash command, shaped like the documented Socket Mode envelope.
	h.slack.sendWS(map[string]any{"envelope_id": "env-2", "type": "slash_commands", "accepts_response_payload": true,
		"payload": map[string]any{"token": "bHKJ2n9AW6Ju3MjciOHfbA1b", "team_id": "T123ABC456", "channel_id": chBangjun,
			"user_id": "U123ABC456", "command": "/towndesk", "text": "谁管烧秸秆",
			"response_url": h.slack.srv.URL + "/hooks/commands/T0SNL8S4S/37053613554/YMB2ZESDLNjNLqSFZ1quhNAh",
			"trigger_id":   "37053613634.26768298162.440952c06ef4de2653466a48fe495f93"}})
	if ack := h.nextAck(t); ack["envelope_id"] != "env-2" {
		t.Errorf("ack = %v, want envelope env-2", ack)
	}
	if hook := h.slack.wait("hook"); !strings.Contains(hook.text(), "发到频道") {
		t.Errorf("slash answer over Socket Mode = %s", hook.text())
	}

	// An invalid intake form: the ack carries the field errors.
	h.slack.sendWS(map[string]any{"envelope_id": "env-3", "type": "interactive", "accepts_response_payload": true,
		"payload": map[string]any{"type": "view_submission", "user": map[string]any{"id": uWorker},
			"view": map[string]any{"id": "VSOCK", "type": "modal", "callback_id": viewIntake, "private_metadata": chDesk,
				"state": map[string]any{"values": map[string]any{
					"town":  map[string]any{"v": map[string]any{"type": "plain_text_input", "value": "邦均镇"}},
					"phone": map[string]any{"v": map[string]any{"type": "plain_text_input", "value": "123"}}}}}}})
	ack := h.nextAck(t)
	b, _ := json.Marshal(ack["payload"])
	if ack["envelope_id"] != "env-3" || !strings.Contains(string(b), `"response_action":"errors"`) || !strings.Contains(string(b), "phone") {
		t.Errorf("intake ack = %v, want response_action errors naming phone", ack)
	}
}

func (h *harness) nextAck(t *testing.T) map[string]any {
	t.Helper()
	select {
	case a := <-h.slack.wsAcks:
		return a
	case <-time.After(60 * time.Second):
		t.Fatal("no Socket Mode ack within 60 s")
		return nil
	}
}
