package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runMain runs towndesk with args on the given stdin and returns what it
// printed and its exit status.
func runMain(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Now: time.Now}
	code = m.Run(context.Background(), args)
	return out.String(), errb.String(), code
}

// mustRun runs towndesk with args and returns what it printed, failing the
// test if it exits non-zero.
func mustRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, errOut, code := runMain(t, stdin, args...)
	if code != 0 {
		t.Fatalf("towndesk %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

const listHeader = "序号,事项编码,事项名称,事项类型,实施依据,实施主体,承办机构,承接方式\n"

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// importNew writes content as a list file named name and imports it with
// flags into a fresh data directory. It returns the directory, the list
// file's path and what the import printed, failing the test if the import
// fails.
func importNew(t *testing.T, name, content string, flags ...string) (data, list, out string) {
	t.Helper()
	list = writeFile(t, t.TempDir(), name, content)
	data = t.TempDir()
	args := append(append([]string{"import", "--data", data}, flags...), list)
	return data, list, mustRun(t, "", args...)
}

func TestImportListsDiffAsk(t *testing.T) {
	data := t.TempDir()
	src := t.TempDir()
	v1 := writeFile(t, src, "v1.csv", listHeader+
		"1,BH-1,对露天焚烧秸秆的处罚,行政处罚,《中华人民共和国大气污染防治法》第一百一十九条,滕州市滨湖镇人民政府,综合执法办,赋权\n"+
		"2,BH-2,对燃放烟花爆竹的处罚,行政处罚,《烟花爆竹安全管理条例》第四十二条,滕州市公安局,,协助\n")
	// Before any import, --json is an empty array, not null.
	if out, _, _ := runMain(t, "", "lists", "--data", data, "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("lists --json on an empty data directory = %q, want []", out)
	}
	out := mustRun(t, "", "import", "--data", data, "--county", "滕州", "--town", "滨湖", "--edition", "2023版", v1)
	if !strings.Contains(out, "山东省滕州市滨湖镇") || !strings.Contains(out, "2 条") {
		t.Errorf("import output = %q, want the place and the row count", out)
	}
	// An import into an empty data dir never loads the sample.
	out, _, _ = runMain(t, "", "lists", "--data", data)
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, "2023版") {
		t.Errorf("lists = %q, want exactly the imported list", out)
	}

	v2 := writeFile(t, src, "v2.csv", listHeader+
		"1,BH-1,对露天焚烧秸秆的处罚,行政处罚,《中华人民共和国大气污染防治法》第一百一十九条,滕州市滨湖镇综合行政执法办公室,综合执法办,赋权\n"+
		"3,BH-3,对随意倾倒生活垃圾的处罚,行政处罚,《中华人民共和国固体废物污染环境防治法》第一百一十一条,滕州市滨湖镇人民政府,,赋权\n")
	mustRun(t, "", "import", "--data", data, "--county", "滕州市", "--town", "滨湖镇", "--edition", "2024版", v2)
	out = mustRun(t, "", "diff", "--data", data, "--county", "滕州", "--town", "滨湖镇")
	for _, want := range []string{"2023版（2 条）→ 2024版（2 条）", "+ BH-3", "- BH-2", "~ BH-1", "实施主体：滕州市滨湖镇人民政府 → 滕州市滨湖镇综合行政执法办公室"} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out)
		}
	}

	out = mustRun(t, "", "ask", "--data", data, "--json", "滨湖镇有人乱倒垃圾谁管")
	var got struct {
		Status  string
		Answers []struct{ Code, Body string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("ask --json output is not one JSON object: %v\n%s", err, out)
	}
	if got.Status != "answered" || len(got.Answers) == 0 || got.Answers[0].Code != "BH-3" {
		t.Errorf("ask --json = %s, want BH-3 answered from the new edition", out)
	}
	// The removed row is gone from the index too.
	out, _, _ = runMain(t, "", "ask", "--data", data, "--json", "--no-sample", "滨湖镇放鞭炮谁管")
	if strings.Contains(out, "BH-2") {
		t.Errorf("ask found a row of the old edition: %s", out)
	}
}

func TestImportRejectsBadInputAndKeepsData(t *testing.T) {
	data := t.TempDir()
	src := t.TempDir()
	good := writeFile(t, src, "good.csv", listHeader+"1,A-1,对露天焚烧秸秆的处罚,行政处罚,,滕州市滨湖镇人民政府,,赋权\n")
	mustRun(t, "", "import", "--data", data, "--county", "滕州", "--town", "滨湖", "--edition", "1", good)
	before, _, _ := runMain(t, "", "lists", "--data", data, "--json")

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"invalid rows", []string{"--county", "滕州", "--town", "滨湖", writeFile(t, src, "bad.csv", listHeader+"1,A-1,对甲的处罚,,,,,赋权\n2,A-2,对乙的处罚,,,某镇,,代管\n")},
			"bad.csv:2: 列 实施主体 为空"},
		{"unknown mode", []string{"--county", "滕州", "--town", "滨湖", filepath.Join(src, "bad.csv")}, "bad.csv:3: 列 承接方式 的值“代管”无法识别"},
		{"unknown county", []string{"--county", "滕洲市", good}, "滕州市"},
		{"unknown town", []string{"--county", "滕州", "--town", "滨河镇", good}, "滨湖镇"},
		{"empty file", []string{"--county", "滕州", writeFile(t, src, "empty.csv", "")}, "empty.csv: 文件是空的"},
		{"no header", []string{"--county", "滕州", writeFile(t, src, "nohdr.csv", "甲,乙\n1,2\n")}, "找不到表头行"},
		{"missing file", []string{"--county", "滕州", filepath.Join(src, "nope.csv")}, "无法读取文件"},
		{"same edition twice", []string{"--county", "滕州", "--town", "滨湖", "--edition", "1", good}, "已有版本“1”"},
		{"bad mode flag", []string{"--county", "滕州", "--mode", "随便", good}, "--mode 的值“随便”无法识别"},
		{"code in scientific notation", []string{"--county", "滕州", "--town", "滨湖", writeFile(t, src, "sci.csv", listHeader+"1,3.70481E+17,对露天焚烧秸秆的处罚,行政处罚,,滕州市滨湖镇人民政府,,赋权\n")},
			"sci.csv:2: 列 事项编码 的值“3.70481E+17”是 Excel 的科学计数法"},
		{"county list without a body column", []string{"--county", "滕州", writeFile(t, src, "nobody.csv", "滕州市行政权力清单\n序号,事项编码,事项名称,事项类型\n1,T-1,对无照经营的处罚,行政处罚\n")},
			"nobody.csv:2: 表头没有实施主体列"},
		{"title naming another town than --town", []string{"--county", "滕州", "--town", "滨湖", writeFile(t, src, "other.csv", "滕州市官桥镇权责清单\n序号,事项名称,事项类型\n1,对露天焚烧秸秆的处罚,行政处罚\n")},
			"other.csv:2: 表头没有实施主体列，按“滕州市官桥镇权责清单”取得的实施主体是 滕州市官桥镇人民政府，不是导入的乡镇 滨湖镇"},
		{"a change log", []string{"--county", "滕州", "--town", "滨湖", writeFile(t, src, "log.csv", "序号,事项名称,事项类型,调整方式,实施主体\n1,对非法占用耕地的处罚,行政处罚,取消,滕州市滨湖镇人民政府\n")},
			"log.csv: 这是清单的调整（变更）说明（列 调整方式）"},
		{"a 主管部门 column and no body column", []string{"--county", "滕州", "--town", "滨湖", writeFile(t, src, "dept.csv", "滕州市滨湖镇权责清单\n序号,事项名称,事项类型,主管部门\n1,对非法占用耕地的处罚,行政处罚,滕州市自然资源局\n")},
			"dept.csv:2: 表头没有实施主体列，列 主管部门 可能是实施主体"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runMain(t, "", append([]string{"import", "--data", data}, tt.args...)...)
			if code == 0 {
				t.Fatalf("import %v exit 0, want failure", tt.args)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("import %v stderr = %q, want it to contain %q", tt.args, errOut, tt.want)
			}
			after, _, _ := runMain(t, "", "lists", "--data", data, "--json")
			if after != before {
				t.Errorf("import %v changed the data dir:\nbefore %s\nafter  %s", tt.args, before, after)
			}
		})
	}
}

func TestAskBatchAndUsage(t *testing.T) {
	data := t.TempDir()
	in := "滨湖镇谁管烧秸秆\n\n柴胡店镇放鞭炮谁管\n谁管违建\n"
	out := mustRun(t, in, "ask", "--data", data, "--batch")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{"answered", "ambiguous_place", "need_place"}
	if len(lines) != len(want) {
		t.Fatalf("ask --batch printed %d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, l := range lines {
		var r struct{ Status string }
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.Status != want[i] {
			t.Errorf("line %d = %s, want status %s", i+1, l, want[i])
		}
	}
	if _, _, code := runMain(t, "", "ask", "--data", data); code != 2 {
		t.Errorf("ask without a question exit %d, want 2", code)
	}
	out, _, code := runMain(t, "", "law", "城乡规划法", "第六十五条")
	if code != 0 || !strings.Contains(out, "乡、镇人民政府") {
		t.Errorf("law 城乡规划法 第六十五条 = %d %q, want the article", code, out)
	}
	_, errOut, code := runMain(t, "", "law", "城乡规划法", "第九百条")
	if code != 1 || errOut == "" {
		t.Errorf("law with a missing article exit %d %q, want 1 and a message", code, errOut)
	}
}

// bigImport imports edition 1 of 滨湖镇's list (one row, K-1) into data
// and writes a list of n rows, big enough to stop an import of it midway.
// It returns the paths of the one-row list and of the big one.
func bigImport(t *testing.T, data string, n int) (small, big string) {
	t.Helper()
	src := t.TempDir()
	small = writeFile(t, src, "small.csv", listHeader+"1,K-1,对露天焚烧秸秆的处罚,行政处罚,,滕州市滨湖镇人民政府,,赋权\n")
	mustRun(t, "", "import", "--data", data, "--county", "滕州", "--town", "滨湖", "--edition", "1", small)
	var b strings.Builder
	b.WriteString(listHeader)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d,K-%d,对第%d类违法行为的处罚,行政处罚,,滕州市滨湖镇人民政府,,赋权\n", i, i, i)
	}
	return small, writeFile(t, src, "big.csv", b.String())
}

// importEdition2 is the command line that imports file as edition 2 of
// 滨湖镇's list into data.
func importEdition2(data, file string) []string {
	return []string{"import", "--data", data, "--county", "滕州", "--town", "滨湖", "--edition", "2", file}
}

// startChild runs this test binary again, only test, with args in the
// environment variable env (test then runs towndesk with them), and returns
// the child and a scanner over its stderr.
func startChild(t *testing.T, test, env string, args ...string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$")
	cmd.Env = append(os.Environ(), env+"="+strings.Join(args, "\x1f"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(stderr)
}

// TestImportKilledMidway kills an import process with SIGKILL while it is
// writing rows and checks that the previous edition is intact and usable.
func TestImportKilledMidway(t *testing.T) {
	if os.Getenv("TOWNDESK_KILL_CHILD") != "" {
		args := strings.Split(os.Getenv("TOWNDESK_KILL_CHILD"), "\x1f")
		os.Exit(NewMain().Run(context.Background(), args))
	}
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	data := t.TempDir()
	small, big := bigImport(t, data, 200000)
	cmd, sc := startChild(t, "TestImportKilledMidway", "TOWNDESK_KILL_CHILD", importEdition2(data, big)...)
	killed := false
	for sc.Scan() {
		if strings.Contains(sc.Text(), "已写入") {
			cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatal("the child finished before it could be killed; make the list bigger")
	}

	out, _, _ := runMain(t, "", "lists", "--data", data)
	if !strings.Contains(out, "\t1\t1 条") {
		t.Errorf("after the kill, lists = %q, want edition 1 with 1 row current", out)
	}
	out, errOut, code := runMain(t, "", "ask", "--data", data, "--json", "滨湖镇烧秸秆谁管")
	if code != 0 || !strings.Contains(out, `"code":"K-1"`) {
		t.Errorf("after the kill, ask = %d %s %s, want K-1", code, out, errOut)
	}
	// The interrupted edition can be imported again.
	if _, errOut, code := runMain(t, "", importEdition2(data, small)...); code != 0 {
		t.Errorf("re-import after the kill exit %d: %s", code, errOut)
	}
}

func TestFailedImportCreatesNoDataDir(t *testing.T) {
	data := filepath.Join(t.TempDir(), "new-data")
	bad := writeFile(t, t.TempDir(), "bad.csv", listHeader+"1,A-1,对甲的处罚,,,,,代管\n")
	if _, _, code := runMain(t, "", "import", "--data", data, "--county", "滕州", bad); code == 0 {
		t.Fatal("import of a bad list exit 0, want failure")
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("a failed import left %s behind (stat: %v), want no data directory", data, err)
	}
}

// TestImportSignalStopsCleanly sends SIGTERM (then SIGINT) to an import
// process, once while it reads a big list and once while it writes one:
// each time it stops soon, says so, exits 1, and the previous edition is
// intact and current.
func TestImportSignalStopsCleanly(t *testing.T) {
	if args := os.Getenv("TOWNDESK_SIGNAL_CHILD"); args != "" {
		// As main does: the signals cancel the context.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		fmt.Fprintln(os.Stderr, "child ready")
		os.Exit(NewMain().Run(ctx, strings.Split(args, "\x1f")))
	}
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	data := t.TempDir()
	_, big := bigImport(t, data, 300000)

	for _, tc := range []struct {
		name  string
		sig   syscall.Signal
		await string // the line after which the signal is sent
	}{
		{"SIGTERM while reading", syscall.SIGTERM, "child ready"},
		{"SIGINT while writing", syscall.SIGINT, "已写入"},
	} {
		cmd, sc := startChild(t, "TestImportSignalStopsCleanly", "TOWNDESK_SIGNAL_CHILD", importEdition2(data, big)...)
		var rest strings.Builder
		sent := false
		for sc.Scan() {
			if !sent && strings.Contains(sc.Text(), tc.await) {
				cmd.Process.Signal(tc.sig)
				sent = true
				continue
			}
			rest.WriteString(sc.Text() + "\n")
		}
		err := cmd.Wait()
		if !sent {
			t.Fatalf("%s: the child never printed %q:\n%s", tc.name, tc.await, rest.String())
		}
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(rest.String(), "导入已中断（收到停止信号），原有清单未改动") {
			t.Errorf("%s: child ended with %v, stderr:\n%s\nwant exit 1 and 导入已中断", tc.name, err, rest.String())
		}
		out, _, _ := runMain(t, "", "lists", "--data", data)
		if !strings.Contains(out, "\t1\t1 条") || strings.Contains(out, "\t2\t") {
			t.Errorf("%s: lists = %q, want edition 1 with 1 row current and no edition 2", tc.name, out)
		}
	}
}

// TestDataDirectoryPrivate: a new data directory is 0700 and every file
// towndesk writes in it (database, index) is readable by its owner only.
func TestDataDirectoryPrivate(t *testing.T) {
	data := filepath.Join(t.TempDir(), "a", "data")
	src := writeFile(t, t.TempDir(), "v1.csv", listHeader+
		"1,BH-1,对露天焚烧秸秆的处罚,行政处罚,,滕州市滨湖镇人民政府,综合执法办,赋权\n")
	mustRun(t, "", "import", "--data", data, "--county", "滕州", "--town", "滨湖", src)
	mustRun(t, "", "ask", "--data", data, "滨湖镇谁管烧秸秆")
	files := 0
	err := filepath.WalkDir(data, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, err := d.Info()
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		} else {
			files++
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s has mode %o, want %o", p, st.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 3 {
		t.Errorf("found %d files in the data directory, want the database and the index", files)
	}
}

// A list without a mode column: rows whose 备注 states the mode take it,
// the others the default, and the import says so in one line for the file
// (not one per row), with how to set the mode.
func TestImportWarnsOfDefaultedMode(t *testing.T) {
	data, list, out := importNew(t, "茨竹乡权责清单.csv", "序号,事项编码,事项名称,事项类型,实施依据,实施主体,备注\n"+
		"1,CZ-1,对露天焚烧秸秆行为的处罚,行政处罚,《中华人民共和国大气污染防治法》第一百一十九条,沐川县茨竹乡人民政府,县级赋权事项\n"+
		"2,CZ-2,农村村民宅基地审批,行政许可,《中华人民共和国土地管理法》第六十二条,沐川县茨竹乡人民政府,\n"+
		"3,CZ-3,乡道建设和养护,其他行政权力,《中华人民共和国公路法》第八条,沐川县茨竹乡人民政府,需报县交通运输局备案\n",
		"--county", "沐川县", "--town", "茨竹乡", "--edition", "1")
	want := "注意：茨竹乡权责清单.csv 没有承接方式列，其中 2 行的备注也未写明承接方式，已按“法定”导入；如不对，请导入时用 --mode 指定（如 --mode 委托）。"
	var warnings []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "注意：") {
			warnings = append(warnings, l)
		}
	}
	if len(warnings) != 1 || warnings[0] != want {
		t.Errorf("import warnings = %q, want exactly\n%s\noutput:\n%s", warnings, want, out)
	}
	ask := mustRun(t, "", "ask", "--data", data, "--json", "茨竹乡烧秸秆谁管")
	if !strings.Contains(ask, `"mode":"赋权"`) {
		t.Errorf("ask after import = %s, want the 赋权 row read from the note", ask)
	}

	// With --mode the person chose the mode: no warning.
	out = mustRun(t, "", "import", "--data", t.TempDir(), "--county", "沐川县", "--town", "茨竹乡", "--mode", "法定", list)
	if strings.Contains(out, "注意：") {
		t.Errorf("import --mode printed a warning:\n%s", out)
	}
}

// TestImportReportsHowLayoutWasRead: a town list whose body is only in its
// title, with categories as section rows, is stored with both, and the
// import says how it read them.
func TestImportReportsHowLayoutWasRead(t *testing.T) {
	data, _, out := importNew(t, "滨湖镇权责清单.csv", "滕州市滨湖镇权责清单\n"+
		"序号,事项名称,实施依据,备注\n"+
		"一、行政处罚（共1项）,,,\n"+
		"1,对露天焚烧秸秆的处罚,《中华人民共和国大气污染防治法》第一百一十九条,县级赋权事项\n",
		"--county", "滕州", "--town", "滨湖", "--edition", "1")
	for _, want := range []string{
		"请核对：滨湖镇权责清单.csv:2: 没有实施主体列，各行的实施主体按“滕州市滨湖镇权责清单”取为 滕州市滨湖镇人民政府",
		"请核对：滨湖镇权责清单.csv:3: 以下 1 行的事项类型取自分节行“一、行政处罚（共1项）”",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	ask := mustRun(t, "", "ask", "--data", data, "--json", "滨湖镇烧秸秆谁管")
	for _, w := range []string{`"body":"滕州市滨湖镇人民政府"`, `"category":"行政处罚"`, `"mode":"赋权"`} {
		if !strings.Contains(ask, w) {
			t.Errorf("ask after import = %s, want %s", ask, w)
		}
	}
}

// TestMatchTimeoutFromEnvironment: TOWNDESK_MATCH_TIMEOUT takes the
// duration kb.match_timeout does, and anything else stops the command with
// the variable and its range named in Chinese.
func TestMatchTimeoutFromEnvironment(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	for _, tt := range []struct {
		value string
		ok    bool
	}{{"2s", true}, {"abc", false}, {"0", false}, {"500us", false}, {"1m", false}} {
		var out, errb bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: time.Now,
			Getenv: func(k string) string {
				if k == "TOWNDESK_MATCH_TIMEOUT" {
					return tt.value
				}
				return ""
			}}
		code := m.Run(context.Background(), []string{"ask", "--data", data, "滨湖镇有人在河道里采砂谁管"})
		switch {
		case tt.ok && (code != 0 || !strings.Contains(out.String(), "滨湖镇")):
			t.Errorf("TOWNDESK_MATCH_TIMEOUT=%s: exit %d, %q %q; want an answer", tt.value, code, out.String(), errb.String())
		case !tt.ok && (code == 0 || !strings.Contains(errb.String(), "TOWNDESK_MATCH_TIMEOUT 应为 1ms 到 10s")):
			t.Errorf("TOWNDESK_MATCH_TIMEOUT=%s: exit %d, stderr %q; want the variable and its range named", tt.value, code, errb.String())
		}
	}
}
