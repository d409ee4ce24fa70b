package bot

import (
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/slack-go/slack/slackevents"
)

// TestManifestMatchesCode checks the app manifests of bot/README.md
// against what the code needs: the events questionOf takes as questions,
// the scopes of the Web API methods it calls, the Messages tab (direct
// messages are questions), interactivity (buttons and forms), the slash
// command, and in HTTP mode the request URLs the handler serves.
func TestManifestMatchesCode(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(raw), -1)
	if len(blocks) != 2 {
		t.Fatalf("README.md has %d yaml manifests, want 2 (Socket Mode, HTTP)", len(blocks))
	}
	// The events the bot answers, and those it ignores.
	for _, tt := range []struct {
		event    any
		question bool
	}{
		{&slackevents.AppMentionEvent{User: "U1", Channel: "C1", TimeStamp: "1.1", Text: "<@UBOT> 谁管烧秸秆"}, true},
		{&slackevents.MessageEvent{User: "U1", Channel: "D1", ChannelType: "im", TimeStamp: "1.1", Text: "谁管烧秸秆"}, true},
		{&slackevents.MessageEvent{User: "U1", Channel: "C1", ChannelType: "channel", TimeStamp: "1.1", Text: "谁管烧秸秆"}, false},
	} {
		if _, ok := questionOf(slackevents.EventsAPIInnerEvent{Data: tt.event}); ok != tt.question {
			t.Fatalf("questionOf(%T %+v) = %v; the manifest's events below assume %v", tt.event, tt.event, ok, tt.question)
		}
	}
	need := []string{
		"messages_tab_enabled: true", "messages_tab_read_only_enabled: false",
		"app_mention", "message.im", // questionOf
		"app_mentions:read", "im:history", // those events
		"chat:write",                     // chat.postMessage, chat.update, chat.postEphemeral
		"commands", "command: /towndesk", // the slash command (config slack.command's default)
		"channels:history", "groups:history", // conversations.history in summary channels
		"interactivity:", "is_enabled: true", // block_actions and view_submission
	}
	for i, b := range blocks {
		m := b[1]
		for _, w := range need {
			if !strings.Contains(m, w) {
				t.Errorf("manifest %d lacks %q", i+1, w)
			}
		}
		for _, w := range []string{"message.channels", "users:read", "chat:write.public"} {
			if strings.Contains(m, w) {
				t.Errorf("manifest %d asks for %q, which the code does not use", i+1, w)
			}
		}
	}
	if !strings.Contains(blocks[0][1], "socket_mode_enabled: true") || strings.Contains(blocks[0][1], "https://") {
		t.Errorf("the first manifest is not the Socket Mode one:\n%s", blocks[0][1])
	}
	h := newHarness(t, "", nil)
	srv := httptest.NewServer(h.bot.Handler())
	defer srv.Close()
	paths := regexp.MustCompile(`https://YOUR-HOST(/\S+)`).FindAllStringSubmatch(blocks[1][1], -1)
	if len(paths) != 3 || !strings.Contains(blocks[1][1], "socket_mode_enabled: false") {
		t.Fatalf("the HTTP manifest has %d request URLs, want 3 and Socket Mode off", len(paths))
	}
	for _, p := range paths {
		resp, err := http.Post(srv.URL+p[1], "application/x-www-form-urlencoded", strings.NewReader(""))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed {
			t.Errorf("POST %s = %d: the manifest names a URL the bot does not serve", p[1], resp.StatusCode)
		}
	}
}
