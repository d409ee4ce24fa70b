package config

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestLoadExample loads the example as it is, with nothing set in the
// environment: it needs no language model key. Its commented-out llm
// section, once uncommented as its comment says, is valid too.
func TestLoadExample(t *testing.T) {
	raw, err := os.ReadFile("towndesk.example.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(strings.NewReader(string(raw)), env(nil))
	if err != nil {
		t.Fatalf("Load(example) without any environment = %v", err)
	}
	if c.LLM != nil {
		t.Errorf("the example configures a language model: %+v; want none until its section is uncommented", c.LLM)
	}
	var lines []string
	uncommented := 0
	for _, line := range strings.Split(string(raw), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "// ") && (strings.HasPrefix(trimmed, "// , \"llm\"") || uncommented > 0 && uncommented < 7) {
			line = strings.Replace(line, "// ", "", 1)
			uncommented++
		}
		lines = append(lines, line)
	}
	if uncommented != 7 {
		t.Fatalf("found %d lines of the llm section to uncomment, want 7", uncommented)
	}
	c, err = Load(strings.NewReader(strings.Join(lines, "\n")), env(map[string]string{"TOWNDESK_LLM_KEY": `se"cret`}))
	if err != nil {
		t.Fatalf("Load(example with its llm section uncommented) = %v", err)
	}
	if got, want := c.Slack.Command, "/towndesk"; got != want {
		t.Errorf("Slack.Command = %q, want %q", got, want)
	}
	if got, want := c.Channels["C0BANGJUN1"], (Place{County: "蓟州区", Town: "邦均镇"}); got != want {
		t.Errorf("Channels[C0BANGJUN1] = %+v, want %+v", got, want)
	}
	if got, want := c.LLM.APIKey, `se"cret`; got != want {
		t.Errorf("LLM.APIKey = %q, want %q (expanded from the environment)", got, want)
	}
	if got, want := c.LLM.TimeoutDuration(), 8*time.Second; got != want {
		t.Errorf("LLM.Timeout = %v, want %v", got, want)
	}
	if !c.IsWorker("U0WORKER02") || c.IsWorker("U0STRANGER") {
		t.Errorf("IsWorker: workers are %v", c.Desk.Workers)
	}
	if p, ok := c.ChannelPlace("C0DESKBJ01"); !ok || p.Town != "邦均镇" {
		t.Errorf("ChannelPlace(desk channel) = %+v, %v; want 邦均镇", p, ok)
	}
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(strings.NewReader(`{"summaries":[{"channel":"C01","scope":"all"}]}`), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Slack: Slack{Command: DefaultCommand},
		Summaries: []Summary{{Channel: "C01", Timezone: DefaultTimezone, Scope: "all"}}}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("Load(minimal) mismatch (-want +got):\n%s", diff)
	}
	if got := c.Summaries[0].ScheduleSpec(); got != DefaultSchedule {
		t.Errorf("ScheduleSpec() without a schedule = %q, want %q", got, DefaultSchedule)
	}
	if d := Default(); d.Slack.Command != DefaultCommand {
		t.Errorf("Default().Slack.Command = %q, want %q", d.Slack.Command, DefaultCommand)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		setting string // the setting the error must name
	}{
		{"unset variable", "{\n\"llm\": {\"api_key\": \"${NOPE}\"}}", "line 2"},
		{"unknown setting", `{"chanels": {}}`, "chanels"},
		{"wrong type", `{"desk": {"workers": "U01"}}`, "desk.workers"},
		{"bad channel id", `{"channels": {"#general": {"county": "蓟州区"}}}`, "channels.#general"},
		{"missing county", `{"channels": {"C012": {"town": "邦均镇"}}}`, "channels.C012.county"},
		{"bad desk channel", `{"desk": {"channels": {"C0X": {"town": "邦均镇"}}}}`, "desk.channels.C0X.county"},
		{"bad worker", `{"desk": {"workers": ["U01", "zhang"]}}`, "desk.workers[1]"},
		{"bad maintainer", `{"kb": {"maintainers": ["U0LISTADM1", "C0LISTS01", "王芳"]}}`, "kb.maintainers[2]"},
		{"bad command", `{"slack": {"command": "towndesk"}}`, "slack.command"},
		{"bad timezone", `{"summaries": [{"channel": "C01", "schedule": "0 8 * * 1", "scope": "town", "timezone": "Mars/Base"}]}`, "summaries[0].timezone"},
		{"bad schedule", `{"summaries": [{"channel": "C01", "scope": "all", "schedule": "CRON_TZ=Asia/Shanghai"}]}`, "summaries[0].schedule"},
		{"town scope without a town", `{"summaries": [{"channel": "C01", "scope": "town"}]}`, "summaries[0].scope"},
		{"no summary channel", `{"summaries": [{"schedule": "0 8 * * 1", "scope": "town"}]}`, "summaries[0].channel"},
		{"llm without model", `{"llm": {"base_url": "http://127.0.0.1:8000/v1"}}`, "llm.model"},
		{"llm bad timeout", `{"llm": {"base_url": "http://x", "model": "m", "timeout": "soon"}}`, "llm.timeout"},
		{"bad match timeout", `{"kb": {"match_timeout": "1 second"}}`, "kb.match_timeout"},
		{"match timeout too long", `{"kb": {"match_timeout": "1m"}}`, "kb.match_timeout"},
		{"match timeout too short", `{"kb": {"match_timeout": "500us"}}`, "kb.match_timeout"},
		{"syntax", "{\n\"channels\": {,}}", "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.in), env(nil))
			if err == nil {
				t.Fatalf("Load(%q) = nil error, want one naming %s", tt.in, tt.setting)
			}
			if !strings.Contains(err.Error(), tt.setting) {
				t.Errorf("Load(%q) = %v, want an error naming %s", tt.in, err, tt.setting)
			}
			var ce *Error
			if tt.name != "syntax" && !errors.As(err, &ce) {
				t.Errorf("Load(%q) = %T, want *config.Error", tt.in, err)
			}
		})
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile("/nonexistent/towndesk.json", nil)
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/towndesk.json") {
		t.Errorf("LoadFile(missing) = %v, want an error naming the file", err)
	}
}
