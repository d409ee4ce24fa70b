package main

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
)

const summaryConfig = `{
  "channels": {"C0BINHU01": {"county": "滕州市", "town": "滨湖镇"}},
  "summaries": [
    // Mondays 09:00 Shanghai: the defaults.
    {"channel": "C0BINHU01", "schedule": "0 9 * * 1", "scope": "town"}
  ]
}`

// summaryCLI boots Main on a data directory seeded through the request
// command, with a fake Slack on loopback (fakeSlackEnv).
type summaryCLI struct {
	desk  *deskCLI
	cfg   string
	mu    sync.Mutex
	posts []url.Values
}

func newSummaryCLI(t *testing.T) *summaryCLI {
	c := &summaryCLI{desk: newDeskCLI(t)}
	maps.Copy(c.desk.env, fakeSlackEnv(t, func(v url.Values) {
		c.mu.Lock()
		c.posts = append(c.posts, v)
		c.mu.Unlock()
	}))
	c.cfg = writeFile(t, c.desk.dir, "towndesk.json", summaryConfig)
	// A holiday on Wednesday 2026-03-04 and a make-up Saturday 03-07.
	writeFile(t, c.desk.dir, "holidays.txt", "2026-03-04 休 测试假日\n2026-03-07 班 测试调休\n")

	// Week 2026-W10: one request taken Monday, promised 2 working days
	// (due Thursday 03-05, the holiday skipped), still open on Monday 03-09.
	c.desk.ok("new", "--town", "滨湖", "--citizen", "张三", "--phone", "13812345678", "--id", "110101199003071233",
		"--village", "前李村", "--kind", "缴纳费用", "--matter", "代缴医保费，联系 13987654321")
	c.desk.ok("move", "2026-0001", "accepted")
	c.desk.ok("assign", "2026-0001", "李娜")
	return c
}

func (c *summaryCLI) run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return c.desk.env[k] }, Now: func() time.Time { return c.desk.now }}
	code = m.Run(context.Background(), append([]string{"summary", "--data", c.desk.dir, "--config", c.cfg}, args...))
	return code, out.String(), errb.String()
}

func TestSummaryCLI(t *testing.T) {
	c := newSummaryCLI(t)
	c.desk.now = time.Date(2026, 3, 9, 9, 0, 0, 0, towndesk.ChinaTime) // Monday of the next week

	code, dry, errs := c.run("--channel", "C0BINHU01", "--dry-run")
	if code != 0 {
		t.Fatalf("summary --dry-run: exit %d\n%s", code, errs)
	}
	for _, want := range []string{
		"滕州市滨湖镇周报 · 2026-W10（3月2日—3月8日）\n",
		"新登记 1 件（环比 +1）\n",
		"2026-0001 缴纳费用 · 前李村 · 李娜 · 逾期 3 个工作日\n", // due 03-05: late 03-06, the make-up 03-07, 03-09
		"【回访】\n无\n",
	} {
		if !strings.Contains(dry, want) {
			t.Errorf("--dry-run lacks %q:\n%s", want, dry)
		}
	}
	if m := regexp.MustCompile(`1[3-9][0-9]{9}|[0-9]{17}[0-9Xx]`).FindString(dry + errs); m != "" {
		t.Errorf("--dry-run shows %s", m)
	}
	if len(c.posts) != 0 {
		t.Errorf("--dry-run posted %d messages", len(c.posts))
	}
	// Without --week it says which week it shows and how to see this one.
	if want := "以下是上周 2026-W10（3月2日—3月8日）的周报。本周（3月9日—3月15日）至今的情况请加 --week 本周（或 --week 2026-W11）。"; !strings.Contains(errs, want) {
		t.Errorf("summary --dry-run said on stderr %q, want %q", errs, want)
	}
	c.desk.now = time.Date(2026, 3, 11, 9, 0, 0, 0, towndesk.ChinaTime)
	c.desk.ok("new", "--town", "滨湖镇", "--citizen", "李四", "--phone", "13812345679", "--kind", "其他", "--matter", "咨询")
	for _, week := range []string{"本周", "this", "2026-W11"} {
		code, out, errs := c.run("--channel", "C0BINHU01", "--week", week, "--dry-run")
		if code != 0 || !strings.Contains(out, "2026-W11（3月9日—3月15日）") || !strings.Contains(out, "新登记 1 件（环比持平）") || errs != "" {
			t.Errorf("summary --week %s --dry-run: exit %d, stderr %q:\n%s\nwant this week so far, without the note", week, code, errs, out)
		}
	}
	c.desk.now = time.Date(2026, 3, 9, 9, 0, 0, 0, towndesk.ChinaTime)
	// The same by scope and week.
	if code, out, errs := c.run("--scope", "滕州市/滨湖镇", "--week", "2026-W10", "--dry-run"); code != 0 || out != dry {
		t.Errorf("summary --scope 滕州市/滨湖镇 --week 2026-W10 --dry-run: exit %d %s\n%s\nwant the same as by channel:\n%s", code, errs, out, dry)
	}
	if _, out, _ := c.run("--scope", "滕州市", "--week", "2026-W09", "--dry-run"); !strings.Contains(out, "滕州市周报 · 2026-W09") || !strings.Contains(out, "新登记 0 件（环比持平）") {
		t.Errorf("county summary of W09:\n%s", out)
	}

	// Posting: exactly the dry-run text, once.
	code, out, errs := c.run("--channel", "C0BINHU01")
	if code != 0 || !strings.Contains(out, "已发送频道 C0BINHU01 的 2026-W10 周报") {
		t.Fatalf("summary --channel: exit %d %q %s", code, out, errs)
	}
	if len(c.posts) != 1 || c.posts[0].Get("text") != dry || c.posts[0].Get("channel") != "C0BINHU01" {
		t.Fatalf("posts = %d, text:\n%s\nwant the --dry-run text", len(c.posts), c.posts[0].Get("text"))
	}
	code, out, _ = c.run("--channel", "C0BINHU01")
	if code != 0 || !strings.Contains(out, "已于 2026-03-09 09:00 发送，不再重复发送") || len(c.posts) != 1 {
		t.Errorf("second summary --channel: exit %d %q, %d posts; want no second post", code, out, len(c.posts))
	}
}

func TestSummaryCLIErrors(t *testing.T) {
	c := newSummaryCLI(t)
	badCron := writeFile(t, c.desk.dir, "bad-cron.json", `{"channels": {"C0BINHU01": {"county": "滕州市", "town": "滨湖镇"}},
		"summaries": [{"channel": "C0BINHU01", "schedule": "0 9 * * 1", "scope": "town"},
		{"channel": "C0OTHER01", "schedule": "CRON_TZ=Asia/Shanghai", "scope": "all"}]}`)
	badZone := writeFile(t, c.desk.dir, "bad-zone.json", `{"summaries": [{"channel": "C0OTHER01", "schedule": "0 9 * * 1", "timezone": "Asia/Beijing", "scope": "all"}]}`)
	badScope := writeFile(t, c.desk.dir, "bad-scope.json", `{"summaries": [{"channel": "C0OTHER01", "scope": "滕州市/不存在镇", "schedule": "0 9 * * 1"}]}`)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"nothing to summarize", []string{"--dry-run"}, 2, "--channel"},
		{"unconfigured channel", []string{"--channel", "C0NONE001", "--dry-run"}, 1, "没有配置周报"},
		{"bad week", []string{"--channel", "C0BINHU01", "--week", "2026-W60", "--dry-run"}, 1, "没有「2026-W60」"},
		{"post without channel", []string{"--scope", "all"}, 2, "--channel"},
		{"unknown place", []string{"--scope", "滕州市/不存在镇", "--dry-run"}, 1, "不存在镇"},
		{"bad cron names the entry", []string{"--channel", "C0BINHU01", "--dry-run", "--config", badCron}, 1, "summaries[1].schedule"},
		{"bad zone names the entry", []string{"--scope", "all", "--dry-run", "--config", badZone}, 1, "summaries[0].timezone"},
		{"bad scope names the entry", []string{"--scope", "all", "--dry-run", "--config", badScope}, 1, "summaries[0].scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := c.run(tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.want) {
				t.Errorf("summary %s = exit %d, %q %q; want %d naming %s", strings.Join(tt.args, " "), code, out, errs, tt.code, tt.want)
			}
		})
	}
}

// TestServeStopsOnBadSummary: an invalid cron expression stops serve at
// start-up with the entry named.
func TestServeStopsOnBadSummary(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "towndesk.json", `{"summaries": [{"channel": "C0OTHER01", "schedule": "CRON_TZ=Asia/Shanghai", "scope": "all"}]}`)
	env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "TOWNDESK_CONFIG": cfg}
	var errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb,
		Getenv: func(k string) string { return env[k] }, Now: time.Now}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := m.Run(ctx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0"})
	if code != 1 || !strings.Contains(errb.String(), "summaries[0].schedule") {
		t.Errorf("serve with a bad schedule = exit %d, %q; want 1 naming summaries[0].schedule", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "towndesk.db")); err != nil {
		t.Logf("no database created: %v", err)
	}
}

// TestServePostsMissedSummary: serve, started on the Wednesday after a
// Monday 09:00 it missed, posts last week's summary to the channel once.
func TestServePostsMissedSummary(t *testing.T) {
	c := newSummaryCLI(t)
	c.desk.now = time.Date(2026, 3, 11, 10, 0, 0, 0, towndesk.ChinaTime)
	c.desk.env["TOWNDESK_CONFIG"] = c.cfg
	stderr, stop := startServe(t, c.desk.env, func() time.Time { return c.desk.now }, "--data", c.desk.dir)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		n := len(c.posts)
		c.mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d:\n%s", code, stderr.String())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.posts) != 1 || !strings.HasPrefix(c.posts[0].Get("text"), "滕州市滨湖镇周报 · 2026-W10") || c.posts[0].Get("channel") != "C0BINHU01" {
		t.Fatalf("serve posted %d messages (%v), want the 2026-W10 summary in C0BINHU01:\n%s", len(c.posts), c.posts, stderr.String())
	}
	if !strings.Contains(stderr.String(), "weekly summary posted") {
		t.Errorf("serve log lacks the post:\n%s", stderr.String())
	}
}
