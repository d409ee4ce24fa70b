package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk/storage"
)

func TestChatConsole(t *testing.T) {
	dir := t.TempDir()
	in := "谁管烧秸秆\n柴胡店镇放鞭炮谁管\n2\n没用\n帮助\n代办\n退出\n不会读到这里\n"
	out, errb, code := runMain(t, in, "chat", "--data", dir, "--town", "邦均镇", "--county", "蓟州区", "--user", "王五")
	if code != 0 {
		t.Fatalf("chat exit %d, stderr:\n%s", code, errb)
	}
	for _, want := range []string{
		"邦均镇",                  // the default place is used
		"请输入序号选择",              // the ambiguous place becomes a numbered choice
		"宁津县柴胡店镇清单",            // … and the choice answers it
		"已记录：这个回答没有用",          // feedback
		"代办 列表 [我的|超期]",        // help from the same command table as Slack
		"towndesk request new", // the intake form needs Slack; the console says where else
	} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "不会读到这里") {
		t.Errorf("console went on after 退出")
	}
	// The questions are in the log, as from Slack.
	db, err := (&Main{Now: time.Now}).openDB(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bad, _ := db.Questions(context.Background(), questionFilterNotUseful())
	if len(bad) != 1 || bad[0].Source != "console" || bad[0].User != "王五" {
		t.Errorf("questions marked 没用 = %+v, want the console's one", bad)
	}
}

func TestChatBadConfigNamesSetting(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "towndesk.json", `{"channels": {"C0BANGJUN1": {"county": "蓟州区", "town": "邦均"}}, "desk": {"workers": ["nobody"]}}`)
	_, errb, code := runMain(t, "", "chat", "--data", dir, "--config", cfg)
	if code != 1 || !strings.Contains(errb, "desk.workers[0]") {
		t.Errorf("chat with a bad worker ID: exit %d, stderr %q; want 1 naming desk.workers[0]", code, errb)
	}
	cfg = writeFile(t, dir, "towndesk2.json", `{"channels": {"C0BANGJUN1": {"county": "蓟州区", "town": "不存在镇"}}}`)
	_, errb, code = runMain(t, "", "chat", "--data", dir, "--config", cfg)
	if code != 1 || !strings.Contains(errb, "channels.C0BANGJUN1.town") {
		t.Errorf("chat with an unknown town: exit %d, stderr %q; want 1 naming channels.C0BANGJUN1.town", code, errb)
	}
}

func questionFilterNotUseful() storage.QuestionFilter { return storage.QuestionFilter{NotUseful: true} }
