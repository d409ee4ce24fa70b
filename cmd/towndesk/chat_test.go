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
	out := mustRun(t, in, "chat", "--data", dir, "--town", "邦均镇", "--county", "蓟州区", "--user", "王五")
	for _, want := range []string{
		"邦均镇",           // the default place is used
		"请输入序号或县名选择",    // the ambiguous place becomes a numbered choice
		"宁津县柴胡店镇清单",     // … and the choice answers it
		"已记录：这个回答没有用",   // feedback
		"代办 列表 [我的|超期]", // help from the same command table as Slack
		"代办 登记 镇=",      // the console logs requests itself
	} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "不会读到这里") {
		t.Errorf("console went on after 退出")
	}
	if strings.Contains(out, "请在 Slack 中") {
		t.Errorf("the console sends its user to Slack:\n%s", out)
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

// TestChatConsoleFollowUpsAndDesk runs a console session as a new user
// would: a question without a place, the place as the reply, 原文, then the
// desk from intake to follow-up, all without Slack.
func TestChatConsoleFollowUpsAndDesk(t *testing.T) {
	dir := t.TempDir()
	in := strings.Join([]string{
		"乱倒垃圾归谁管", "下营镇", "原文", "新问题",
		"代办 登记 镇=滕州市滨湖镇 姓名=张三 电话=13812345678 类型=代办证件 事项=代办残疾证",
		"代办 2026-0001 已受理", "代办 2026-0001 办理中", "代办 2026-0001 收付 收取 20",
		"代办 2026-0001 收付 支付 20", "代办 2026-0001 已办结 已办好", "代办 2026-0001 回访 满意", "代办 2026-0001",
		"代办 2026-0001 完整号码",
	}, "\n") + "\n"
	out := mustRun(t, in, "chat", "--data", dir, "--user", "王五")
	for _, want := range []string{
		"请问是哪个乡镇",         // the question needs a place
		"蓟州区下营镇清单",        // … and the reply gives it
		"重新开始",            // 新问题
		"已登记代办 2026-0001", // the desk by text
		"办理中 → 已办结",
		"回访满意，已归档",
		"代办 2026-0001  已回访归档",
		"电话：13812345678", // 完整号码, recorded in the history
	} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
	db, err := (&Main{Now: time.Now}).openDB(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	qs, _ := db.Questions(context.Background(), storage.QuestionFilter{})
	if len(qs) != 1 || qs[0].Text != "乱倒垃圾归谁管" || qs[0].Place.Town != "下营镇" {
		t.Errorf("question log = %+v, want the one question, answered for 下营镇", qs)
	}
}
