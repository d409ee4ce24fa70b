package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTeachCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	env := map[string]string{"TOWNDESK_USER": "王芳"}
	run := func(code int, args ...string) string {
		t.Helper()
		out, errOut, got := runWithEnv(t, env, args...)
		if got != code {
			t.Fatalf("towndesk %s: exit %d, want %d\n%s%s", strings.Join(args, " "), got, code, out, errOut)
		}
		return out
	}
	const q = "滨湖镇小区里天天有闹腾的鸡打鸣谁管"

	out := run(0, "teach", "--data", data, "--scope", "county", q, "370481XZCF056")
	if !strings.Contains(out, "已记住（#1）") || !strings.Contains(out, "滕州市（含各乡镇）") {
		t.Errorf("teach = %q, want what was learned and for which place", out)
	}
	out = run(0, "ask", "--data", data, "--json", "滨湖镇小区有闹腾的鸡打鸣，归哪个部门")
	var a struct {
		Status  string `json:"status"`
		Answers []struct {
			Role   string          `json:"role"`
			Taught json.RawMessage `json:"taught"`
		} `json:"answers"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil || a.Status != "answered" || a.Answers[0].Role != "taught" || len(a.Answers[0].Taught) == 0 {
		t.Errorf("ask --json after teach = %s", out)
	}

	// Export, then import into another data directory, moved to 宁津县.
	out = run(0, "taught", "--data", data, "--jsonl")
	file := filepath.Join(dir, "links.jsonl")
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other")
	run(0, "teach", "--data", other, "--file", file, "--county", "宁津县")
	out = run(0, "taught", "--data", other)
	if !strings.Contains(out, "宁津县（含各乡镇）") || !strings.Contains(out, "王芳") {
		t.Errorf("taught after import = %q, want 王芳's link for 宁津县", out)
	}

	// A town link cannot move to a county without --town: the error names
	// the line, and nothing is stored.
	run(0, "teach", "--data", data, "滨湖镇有人网上卖假演唱会门票", "--none", "--note", "属公安派出所管辖")
	out = run(0, "taught", "--data", data, "--jsonl")
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	third := filepath.Join(dir, "third")
	_, errOut, code := runWithEnv(t, env, "teach", "--data", third, "--file", file, "--county", "宁津县")
	if code != 1 || !strings.Contains(errOut, "links.jsonl:2") || !strings.Contains(errOut, "--town") {
		t.Errorf("importing a town link without --town: exit %d, %q; want exit 1 naming links.jsonl:2", code, errOut)
	}
	if out := run(0, "taught", "--data", third); !strings.Contains(out, "还没有纠正") {
		t.Errorf("a failed import stored links: %q", out)
	}

	// Retract; the list says so.
	env["TOWNDESK_USER"] = "李强"
	run(0, "untaught", "--data", data, "#1", "--reason", "教错了")
	out = run(0, "taught", "--data", data)
	if !strings.Contains(out, "已撤销：李强") {
		t.Errorf("taught after untaught = %q, want the retraction", out)
	}
	run(1, "untaught", "--data", data, "1")
	run(2, "untaught", "--data", data, "abc")
	run(1, "teach", "--data", data, "小区里天天有闹腾的鸡打鸣谁管", "370481XZCF056")
	run(1, "teach", "--data", data, q, "NO-SUCH-CODE")
	run(2, "teach", "--data", data, q)
	run(2, "teach", "--data", data, q, "370481XZCF056", "--scope", "village")

	out = run(0, "review", "--data", data, "--json")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("review --json on a data dir without chat questions = %q, want []", out)
	}
}
