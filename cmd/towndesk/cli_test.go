package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestGlobalFlagsBeforeTheCommand checks that --data works before the
// command and before a subcommand, as well as after.
func TestGlobalFlagsBeforeTheCommand(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	new := []string{"new", "--town", "滕州市滨湖镇", "--citizen", "张三", "--phone", "13812345678", "--kind", "其他", "--matter", "咨询"}
	if out, errOut, code := runMain(t, "", append([]string{"--data", data, "request"}, new...)...); code != 0 || strings.TrimSpace(out) != "2026-0001" {
		t.Fatalf("towndesk --data DIR request new: exit %d, %q %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(data, "towndesk.db")); err != nil {
		t.Errorf("--data before the command did not choose the data directory: %v", err)
	}
	for _, args := range [][]string{
		{"--data=" + data, "request", "list"},
		{"request", "--data", data, "list"},
		{"request", "list", "--data", data},
	} {
		if out, errOut, code := runMain(t, "", args...); code != 0 || !strings.Contains(out, "2026-0001") {
			t.Errorf("towndesk %s: exit %d, %q %q; want the request listed", strings.Join(args, " "), code, out, errOut)
		}
	}
	// A command that does not use the data directory takes --data too.
	if _, errOut, code := runMain(t, "", "--data", data, "law", "城乡规划法", "第六十五条"); code != 0 {
		t.Errorf("towndesk --data DIR law: exit %d, %q", code, errOut)
	}
}

// TestHelpFromTheCommandTable checks that every way of asking for a
// command's usage prints it in Chinese, from the command table, exit 0.
func TestHelpFromTheCommandTable(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"help", "ask"}, []string{"用法：towndesk ask [选项] 问题", "--limit N", "最多列出 N 条事项"}},
		{[]string{"ask", "--help"}, []string{"用法：towndesk ask [选项] 问题", "--county 县"}},
		{[]string{"ask", "-h"}, []string{"用法：towndesk ask"}},
		{[]string{"request", "--help"}, []string{"用法：towndesk request 子命令", "followup", "记录回访结果"}},
		{[]string{"request", "new", "--help"}, []string{"用法：towndesk request new [选项]", "--citizen 姓名", "群众姓名", "--by 姓名"}},
		{[]string{"help", "request", "move"}, []string{"用法：towndesk request move [选项] 代办编号 新状态", "--result 结果"}},
		{[]string{"help"}, []string{"命令:", "summary", "towndesk help 命令"}},
	} {
		out, errOut, code := runMain(t, "", tt.args...)
		if code != 0 || errOut != "" {
			t.Errorf("towndesk %s: exit %d, stderr %q; want the usage, exit 0", strings.Join(tt.args, " "), code, errOut)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("towndesk %s: output lacks %q:\n%s", strings.Join(tt.args, " "), w, out)
			}
		}
		if strings.Contains(out, "Usage") || strings.Contains(out, "flag") {
			t.Errorf("towndesk %s: English in the usage:\n%s", strings.Join(tt.args, " "), out)
		}
	}
}

// TestFlagMistakesInChinese checks that a flag mistake gets one Chinese
// error and the command's usage line, exit 2, and no English.
func TestFlagMistakesInChinese(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"ask", "--limit", "abc", "滨湖镇谁管烧秸秆"}, "错误: 选项 --limit 的值“abc”不是整数"},
		{[]string{"ask", "--limt", "3", "滨湖镇谁管烧秸秆"}, "错误: 未知选项 --limt。是不是：--limit？"},
		{[]string{"request", "show", "--json=maybe", "2026-0001"}, "错误: 选项 --json 的值“maybe”应为 true 或 false"},
		{[]string{"import", "--county"}, "错误: 选项 --county 需要一个值（县）"},
	} {
		_, errOut, code := runMain(t, "", tt.args...)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if code != 2 || !strings.HasPrefix(errOut, tt.want) || strings.Count(errOut, "错误") != 1 || len(lines) != 3 {
			t.Errorf("towndesk %s: exit %d, stderr:\n%s\nwant exit 2, one error %q and the usage", strings.Join(tt.args, " "), code, errOut, tt.want)
		}
		for _, english := range []string{"invalid", "flag provided", "Usage", "defined"} {
			if strings.Contains(errOut, english) {
				t.Errorf("towndesk %s: English %q reaches the user:\n%s", strings.Join(tt.args, " "), english, errOut)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	out, errOut, code := runMain(t, "", "--version")
	if code != 0 || errOut != "" || !strings.HasPrefix(out, "towndesk ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("towndesk --version: exit %d, %q %q; want the version and the Go it was built with", code, out, errOut)
	}
}

// TestTyposGetSuggestions checks "是不是：…？" for a mistyped command,
// subcommand and status.
func TestTyposGetSuggestions(t *testing.T) {
	data := t.TempDir()
	mustRun(t, "", "request", "new", "--data", data, "--town", "滕州市滨湖镇", "--citizen", "张三",
		"--phone", "13812345678", "--kind", "其他", "--matter", "咨询")
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"aks", "滨湖镇谁管烧秸秆"}, 2, "未知命令“aks”。是不是：ask？"},
		{[]string{"reqest", "list"}, 2, "是不是：request？"},
		{[]string{"request", "shwo", "2026-0001"}, 2, "未知子命令“shwo”。是不是：show？"},
		{[]string{"help", "request", "mvoe"}, 2, "是不是：move？"},
		{[]string{"request", "move", "2026-0001", "acepted", "--data", data}, 1, "是不是：已受理（accepted）？"},
	} {
		if _, errOut, code := runMain(t, "", tt.args...); code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("towndesk %s: exit %d, %q; want exit %d and %q", strings.Join(tt.args, " "), code, errOut, tt.code, tt.want)
		}
	}
}
