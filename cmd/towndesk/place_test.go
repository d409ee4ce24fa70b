package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/towndesk/towndesk/gazetteer"
)

// TestCLIPlaceHints checks the command line's side of place names: a
// town unique in the country needs no county, and a name it cannot pin
// down gets advice naming the flag to add.
func TestCLIPlaceHints(t *testing.T) {
	c := newDeskCLI(t)
	delete(c.env, "TOWNDESK_COUNTY")
	new := []string{"new", "--citizen", "张三", "--phone", "13812345678", "--kind", "其他", "--matter", "咨询"}
	if c.ok(append(new, "--town", "佛堂镇")...); !strings.Contains(c.last.stderr, "义乌市佛堂镇") {
		t.Errorf("request new --town 佛堂镇 said %q, want the town with its county", c.last.stderr)
	}
	if code := c.run(append(new, "--town", "滨湖镇")...); code != 1 ||
		!strings.Contains(c.last.stderr, "滕州市滨湖镇") || !strings.Contains(c.last.stderr, "昌吉市滨湖镇") || !strings.Contains(c.last.stderr, "--county") {
		t.Errorf("request new --town 滨湖镇 without a county: exit %d, %q; want both 滨湖镇 and --county", code, c.last.stderr)
	}
	src := t.TempDir()
	list := writeFile(t, src, "list.csv", listHeader+"1,A-1,对甲的处罚,行政处罚,某法,某局,,县级保留\n")
	if _, errOut, code := runMain(t, "", "import", "--data", t.TempDir(), "--county", "鼓楼区", list); code != 1 || !strings.Contains(errOut, "--province") {
		t.Errorf("import --county 鼓楼区: exit %d, %q; want advice to use --province", code, errOut)
	}
}

// TestServeParsesGazetteerOnce boots serve with a weekly summary
// configured: the lists, the desk, the configured places and the summary
// scopes all use one gazetteer.
func TestServeParsesGazetteerOnce(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "towndesk.json", `{"channels": {"C0BANGJUN1": {"county": "蓟州区", "town": "邦均镇"}},
		"summaries": [{"channel": "C0BANGJUN1", "scope": "town"}]}`)
	env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret", "SLACK_API_URL": "http://127.0.0.1:1/api"}
	var loads atomic.Int32
	var stderr lockedBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }, Now: time.Now,
		LoadGazetteer: func() (*gazetteer.Gazetteer, error) { loads.Add(1); return gazetteer.Load() }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--data", filepath.Join(dir, "data"), "--config", cfg, "--addr", "127.0.0.1:0"})
	}()
	for i := 0; i < 200 && !strings.Contains(stderr.String(), "listening"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if !strings.Contains(stderr.String(), "listening") || loads.Load() != 1 {
		t.Errorf("serve parsed the gazetteer %d times (log:\n%s), want once", loads.Load(), stderr.String())
	}
}

// TestConfigPlacesNamedBySetting checks the one wiring point: a place or
// summary scope that is no real place stops the command, naming the
// setting as the file writes it.
func TestConfigPlacesNamedBySetting(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, file, want string }{
		{"misspelt desk town", `{"desk": {"channels": {"C0DESK0001": {"county": "蓟州区", "town": "邦钧镇"}}}}`, "desk.channels.C0DESK0001.town"},
		{"ambiguous channel county", `{"channels": {"C0CHAN0001": {"county": "鼓楼区"}}}`, "channels.C0CHAN0001.county"},
		{"summary scope", `{"summaries": [{"channel": "C0CHAN0001", "scope": "滕州市/不存在镇"}]}`, "summaries[0].scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeFile(t, dir, "towndesk.json", tt.file)
			if _, errOut, code := runMain(t, "", "chat", "--data", filepath.Join(dir, "data"), "--config", cfg); code != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("chat with %s: exit %d, %q; want 1 naming %s", tt.file, code, errOut, tt.want)
			}
		})
	}
}
