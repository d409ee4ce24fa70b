package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/handlers/qa"
	"github.com/towndesk/towndesk/kb"
	"github.com/towndesk/towndesk/listfile"
	"github.com/towndesk/towndesk/local"
	"github.com/towndesk/towndesk/storage"
)

// bigListCSV generates an n-row county list in the sample's vocabulary:
// every sample row recurs with variations, among rows of random wording,
// so searches meet realistic term frequencies at 100,000 rows.
func bigListCSV(tb testing.TB, n int) []byte {
	tb.Helper()
	sample, files, err := kb.SampleLists()
	if err != nil {
		tb.Fatal(err)
	}
	var base []string
	for _, s := range sample {
		if s.Town != "" {
			continue
		}
		var fs []listfile.File
		for _, f := range s.Files {
			fs = append(fs, files[f])
		}
		p, err := listfile.Parse(fs, listfile.Options{DefaultMode: "县级保留"})
		if err != nil {
			tb.Fatal(err)
		}
		for _, it := range p.Items {
			base = append(base, it.Name)
		}
	}
	const pool = "建设规划土地环境保护森林草原河道水利动物防疫食品安全生产消防交通公路文物广告市容卫生垃圾噪声大气污染农业畜牧养殖渔业矿产资源燃气电力通信价格计量标准统计审计税务教育医疗药品民政殡葬宗教档案气象地震人防"
	pr := []rune(pool)
	rng := rand.New(rand.NewSource(1))
	depts := []string{"滕州市自然资源局", "滕州市住房和城乡建设局", "滕州市综合行政执法局", "滕州市农业农村局", "滕州市水利局", "滕州市应急管理局", "滕州市市场监督管理局"}
	var b strings.Builder
	b.WriteString("序号,事项编码,事项名称,事项类型,实施依据,实施主体,承接方式\n")
	for i := 0; i < n; i++ {
		var name string
		if i%2 == 0 {
			name = fmt.Sprintf("%s（情形%d）", base[rng.Intn(len(base))], i)
		} else {
			var w []rune
			for k := 0; k < 12+rng.Intn(20); k++ {
				w = append(w, pr[rng.Intn(len(pr))])
			}
			name = "对" + string(w) + "的处罚"
		}
		fmt.Fprintf(&b, "%d,B%06d,%s,行政处罚,《中华人民共和国行政处罚法》第二十四条,%s,县级保留\n", i+1, i, name, depts[i%len(depts)])
	}
	return []byte(b.String())
}

// BenchmarkImport100k measures import (parse, SQLite, index) of a
// 100,000-row list into a fresh data directory. Target: ≥ 5,000 rows/s.
func BenchmarkImport100k(b *testing.B) {
	const n = 100000
	data := bigListCSV(b, n)
	gaz, err := gazetteer.Load()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		db, err := storage.Open(filepath.Join(dir, "towndesk.db"))
		if err != nil {
			b.Fatal(err)
		}
		l := qa.NewLists(db, nil, nil, gaz)
		if _, err := l.Import(context.Background(), qa.ImportInput{County: "滕州市", Files: []listfile.File{{Name: "big.csv", Data: data}}}); err != nil {
			b.Fatal(err)
		}
		if err := kb.UpdateIndex(context.Background(), filepath.Join(dir, "index"), db); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

var (
	bigDirOnce sync.Once
	bigDir     string
	bigDirErr  error
)

// bigDataDir returns a data directory with the sample lists, 滕州市's county
// list replaced by a 100,000-row one, and its index built.
func bigDataDir(b *testing.B) string {
	bigDirOnce.Do(func() {
		bigDir, bigDirErr = os.MkdirTemp("", "towndesk-bench-")
		if bigDirErr != nil {
			return
		}
		f := filepath.Join(bigDir, "big.csv")
		if bigDirErr = os.WriteFile(f, bigListCSV(b, 100000), 0o644); bigDirErr != nil {
			return
		}
		var errb strings.Builder
		m := &Main{Stdin: strings.NewReader(""), Stdout: &strings.Builder{}, Stderr: &errb, Getenv: func(string) string { return "" }, Now: time.Now}
		if code := m.Run(context.Background(), []string{"lists", "--data", bigDir}); code != 0 {
			bigDirErr = fmt.Errorf("lists: %s", errb.String())
			return
		}
		// Load the sample (first question), then replace the county list.
		if code := m.Run(context.Background(), []string{"ask", "--data", bigDir, "滨湖镇谁管烧秸秆"}); code != 0 {
			bigDirErr = fmt.Errorf("ask: %s", errb.String())
			return
		}
		if code := m.Run(context.Background(), []string{"import", "--data", bigDir, "--county", "滕州市", "--edition", "100k", f}); code != 0 {
			bigDirErr = fmt.Errorf("import: %s", errb.String())
		}
	})
	if bigDirErr != nil {
		b.Fatal(bigDirErr)
	}
	return bigDir
}

var benchQuestions = []string{
	"滨湖镇有人乱搭乱建归谁管？", "滨湖镇谁管烧秸秆", "官桥镇放鞭炮谁管", "滕州市柴胡店镇有人土葬", "滨湖镇病死猪乱扔找谁",
	"滕州市谁管河道采砂", "滨湖镇宅基地谁批", "官桥镇小广告谁管", "滨湖镇户口迁移找谁", "滕州市龙阳镇乱砍树",
	"滨湖镇 砂", "官桥镇有人在河里倒垃圾", "滕州市无证经营餐饮谁查", "滨湖镇工地夜间施工噪音扰民", "谁管违建",
}

// BenchmarkAsk100k measures answering in one process (as --batch does)
// with a 100,000-row county list. Target: p95 ≤ 20 ms.
func BenchmarkAsk100k(b *testing.B) {
	dir := bigDataDir(b)
	m := NewMain()
	env, err := m.openLists(context.Background(), dir, true)
	if err != nil {
		b.Fatal(err)
	}
	defer env.Close()
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := benchQuestions[i%len(benchQuestions)]
		t0 := time.Now()
		if _, err := env.lists.Ask(context.Background(), qa.AskInput{Question: q}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkAskColdProcess measures a whole `towndesk ask` process on an
// existing data directory with a 100,000-row list: start, open, answer,
// exit. Target: ≤ 300 ms. It also reports the peak RSS of `ask --batch`
// over all benchmark questions (target ≤ 300 MB).
func BenchmarkAskColdProcess(b *testing.B) {
	dir := bigDataDir(b)
	bin := filepath.Join(b.TempDir(), "towndesk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		out, err := exec.Command(bin, "ask", "--data", dir, "--json", benchQuestions[i%len(benchQuestions)]).CombinedOutput()
		if err != nil {
			b.Fatalf("ask: %v\n%s", err, out)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	reportPercentiles(b, lat)

	// Peak RSS of --batch: read the process's own high-water mark
	// (VmHWM) after it has answered everything, while it still waits for
	// input. (The rusage of a child forked from this large test process
	// would include the parent's memory at exec.)
	cmd := exec.Command(bin, "ask", "--data", dir, "--batch")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	const rounds = 20
	go func() {
		for k := 0; k < rounds; k++ {
			io.WriteString(stdin, strings.Join(benchQuestions, "\n")+"\n")
		}
	}()
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 0; n < rounds*len(benchQuestions) && sc.Scan(); n++ {
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	stdin.Close()
	cmd.Wait()
	if err != nil {
		b.Skipf("cannot read the peak RSS: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), "%f", &kb)
			b.ReportMetric(kb/1024, "batch-peak-RSS-MB")
		}
	}
}

// TestMain removes the benchmarks' shared data directory when the tests end.
func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

// BenchmarkAskBesideServe measures a whole `towndesk ask` process on the
// 100,000-row data directory while another process holds its index, as
// serve does: through serve's socket, and (once, reported as
// private-index-s) without the socket, when ask must build a private copy
// of the index. Target: the socket's p95 as a cold ask's, ≤ 300 ms.
func BenchmarkAskBesideServe(b *testing.B) {
	dir := bigDataDir(b)
	bin := filepath.Join(b.TempDir(), "towndesk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	m := NewMain()
	env, err := m.openLists(context.Background(), dir, true) // holds the index, as serve does
	if err != nil {
		b.Fatal(err)
	}
	defer env.Close()
	ask := func() time.Duration {
		t0 := time.Now()
		if out, err := exec.Command(bin, "ask", "--data", dir, "--json", benchQuestions[0]).CombinedOutput(); err != nil {
			b.Fatalf("ask: %v\n%s", err, out)
		}
		return time.Since(t0)
	}
	private := ask() // no socket yet: a private index

	sock, err := local.Listen(local.SocketPath(dir), env.lists, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	go sock.Serve(context.Background())
	defer sock.Close()
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lat = append(lat, ask())
	}
	b.StopTimer()
	reportPercentiles(b, lat)
	b.ReportMetric(private.Seconds(), "private-index-s")
}
