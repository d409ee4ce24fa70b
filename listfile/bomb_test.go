package listfile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
)

// Bomb files are generated here, never committed: an xlsx is a zip, and a
// zip entry can unpack to a thousand times its size.

// part is one entry of a generated archive: head, then body repeat times,
// then tail. declared, if set, is the uncompressed size the archive's
// directory claims instead of the real one.
type part struct {
	name             string
	head, body, tail []byte
	repeat           int64
	declared         int64
}

// deflateSegment compresses b as a run of deflate blocks that ends on a
// byte boundary (a sync flush), so that segments compressed on their own
// can be concatenated into one stream; last closes the stream.
func deflateSegment(tb testing.TB, b []byte, last bool) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		tb.Fatal(err)
	}
	w.Write(b)
	if last {
		w.Close()
	} else {
		w.Flush()
	}
	return buf.Bytes()
}

// zipArchive builds a zip of parts. A repeated body is compressed once and
// its compressed bytes repeated, so a 2 GB entry takes a second to make.
func zipArchive(tb testing.TB, parts []part) []byte {
	tb.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, p := range parts {
		crc := crc32.NewIEEE()
		var comp bytes.Buffer
		comp.Write(deflateSegment(tb, p.head, false))
		crc.Write(p.head)
		size := int64(len(p.head))
		if p.repeat > 0 {
			seg := deflateSegment(tb, p.body, false)
			for i := int64(0); i < p.repeat; i++ {
				comp.Write(seg)
				crc.Write(p.body)
			}
			size += p.repeat * int64(len(p.body))
		}
		comp.Write(deflateSegment(tb, p.tail, true))
		crc.Write(p.tail)
		size += int64(len(p.tail))
		if p.declared > 0 {
			size = p.declared
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(size)})
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

// workbookParts are the parts of a one-sheet workbook besides the sheet.
func workbookParts() []part {
	return []part{
		{name: "[Content_Types].xml", head: []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)},
		{name: "_rels/.rels", head: []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{name: "xl/workbook.xml", head: []byte(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="清单" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{name: "xl/_rels/workbook.xml.rels", head: []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)},
	}
}

const (
	sheetHead = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>事项名称</t></is></c><c r="B1" t="inlineStr"><is><t>实施主体</t></is></c></row>`
	sheetTail = `</sheetData></worksheet>`
)

// bigCellXLSX is a list whose second row's name cell holds n bytes of
// 'a', compressed about a thousandfold.
func bigCellXLSX(tb testing.TB, n int64) []byte {
	return zipArchive(tb, append(workbookParts(), bigCellSheet(n)))
}

// lyingXLSX is bigCellXLSX whose directory claims the sheet unpacks to
// 100 KB when it unpacks to n bytes.
func lyingXLSX(tb testing.TB, n int64) []byte {
	sheet := bigCellSheet(n)
	sheet.declared = 100 << 10
	return zipArchive(tb, append(workbookParts(), sheet))
}

// bigCellSheet is the sheet of bigCellXLSX.
func bigCellSheet(n int64) part {
	const chunk = 1 << 20
	return part{name: "xl/worksheets/sheet1.xml",
		head:   []byte(sheetHead + `<row r="2"><c r="A2" t="inlineStr"><is><t>`),
		body:   bytes.Repeat([]byte("a"), chunk),
		repeat: n / chunk,
		tail:   []byte(strings.Repeat("a", int(n%chunk)) + `</t></is></c><c r="B2" t="inlineStr"><is><t>某镇人民政府</t></is></c></row>` + sheetTail)}
}

// wideXLSX has a cell in Excel's last column, XFD: a reader that makes a
// slice per row up to its last cell makes 16,384 cells for it.
func wideXLSX(tb testing.TB) []byte {
	sheet := part{name: "xl/worksheets/sheet1.xml",
		head: []byte(sheetHead + `<row r="2"><c r="A2" t="inlineStr"><is><t>对某事的处罚</t></is></c><c r="B2" t="inlineStr"><is><t>某镇</t></is></c>` +
			`<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>` + sheetTail)}
	return zipArchive(tb, append(workbookParts(), sheet))
}

// noisyCellXLSX is a list whose name cell holds n bytes of random letters:
// it barely compresses, so only the cell limit stops it.
func noisyCellXLSX(tb testing.TB, n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, n)
	for i := range noise {
		noise[i] = 'a' + byte(r.IntN(26))
	}
	sheet := part{name: "xl/worksheets/sheet1.xml",
		head: []byte(sheetHead + `<row r="2"><c r="A2" t="inlineStr"><is><t>` + string(noise) +
			`</t></is></c><c r="B2" t="inlineStr"><is><t>某镇人民政府</t></is></c></row>` + sheetTail)}
	return zipArchive(tb, append(workbookParts(), sheet))
}

// manyRowsXLSX is a list of rows valid rows of ten columns, as large as
// the limits allow: reading it must stay within the memory bound too.
func manyRowsXLSX(tb testing.TB, rows int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`)
	for c, h := range []string{"事项编码", "事项名称", "事项类型", "实施依据", "实施主体", "承办机构", "所属领域", "管理权限", "子项名称", "备注"} {
		fmt.Fprintf(&b, `<c r="%c1" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+c, h)
	}
	b.WriteString(`</row>`)
	r := rand.New(rand.NewPCG(3, 4))
	for i := 2; i <= rows; i++ {
		fmt.Fprintf(&b, `<row r="%d">`, i)
		vals := []string{fmt.Sprintf("X%07d", i), fmt.Sprintf("对第%d项违法行为的处罚", r.IntN(1e6)), "行政处罚",
			fmt.Sprintf("《某某条例》第%d条", r.IntN(200)), "某镇人民政府", "综合执法办", "城市管理", "乡镇权限", "", fmt.Sprintf("%x", r.Uint64())}
		for c, v := range vals {
			if v != "" {
				fmt.Fprintf(&b, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+c, i, v)
			}
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(sheetTail)
	sheet := part{name: "xl/worksheets/sheet1.xml", head: []byte(b.String())}
	return zipArchive(tb, append(workbookParts(), sheet))
}

// sharedStringsXLSX has a shared-string table of about size bytes of
// random two-letter strings: the densest way to make excelize build
// many objects from few bytes.
func sharedStringsXLSX(tb testing.TB, size int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	r := rand.New(rand.NewPCG(5, 6))
	for b.Len() < size {
		fmt.Fprintf(&b, `<si><t>%c%c</t></si>`, 'a'+r.IntN(26), 'a'+r.IntN(26))
	}
	b.WriteString(`</sst>`)
	sheet := part{name: "xl/worksheets/sheet1.xml", head: []byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>事项名称</t></is></c><c r="B1" t="inlineStr"><is><t>实施主体</t></is></c></row>` +
		`<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>` + sheetTail)}
	sst := part{name: "xl/sharedStrings.xml", head: []byte(b.String())}
	return zipArchive(tb, append(workbookParts(), sheet, sst))
}

// mergeAllXLSX is a list of rows rows with one merged range over all of
// them, out to Excel's last column: filled cell by cell, 16,384 cells a row.
func mergeAllXLSX(tb testing.TB, rows int) []byte {
	var b strings.Builder
	b.WriteString(sheetHead)
	for i := 2; i <= rows; i++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>对第%d项的处罚</t></is></c><c r="B%d" t="inlineStr"><is><t>某镇</t></is></c></row>`, i, i, i, i)
	}
	fmt.Fprintf(&b, `</sheetData><mergeCells count="1"><mergeCell ref="A2:XFD%d"/></mergeCells></worksheet>`, rows)
	return zipArchive(tb, append(workbookParts(), part{name: "xl/worksheets/sheet1.xml", head: []byte(b.String())}))
}

// bomb is one generated hostile file and what refusing it must say.
type bomb struct {
	name string
	make func(testing.TB) []byte
	want string
}

var bombs = []bomb{
	{"cell-2g", func(tb testing.TB) []byte { return bigCellXLSX(tb, 2<<30) }, "压缩比"},
	{"cell-200m", func(tb testing.TB) []byte { return bigCellXLSX(tb, 200<<20) }, "压缩比"},
	{"lying-directory", func(tb testing.TB) []byte { return lyingXLSX(tb, 500<<20) }, "比目录记载的大"},
	{"shared-strings", func(tb testing.TB) []byte { return sharedStringsXLSX(tb, 12<<20) }, "过于复杂"},
	{"column-xfd", wideXLSX, "列"},
	{"merge-everything", func(tb testing.TB) []byte { return mergeAllXLSX(tb, 50000) }, "合并单元格覆盖的范围过大"},
	{"noisy-cell-40m", func(tb testing.TB) []byte { return noisyCellXLSX(tb, 40<<20) }, "内容过长"},
}

// childResult is what a child process that parsed one file reports.
type childResult struct {
	peakKB  int64 // VmHWM: the process's peak resident memory
	elapsed time.Duration
	err     string
	leftTmp []string // files left in the child's TMPDIR
}

// parseInChild parses the file at path in a fresh process (this test
// binary, running TestParseChild) with its own TMPDIR, and returns its
// peak memory, the time the parse took and its error.
func parseInChild(tb testing.TB, path string) childResult {
	tb.Helper()
	tmp := tb.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestParseChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "LISTFILE_CHILD="+path, "TMPDIR="+tmp)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("child: %v\n%s", err, out)
	}
	var r childResult
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		switch k {
		case "peak_kb":
			r.peakKB, _ = strconv.ParseInt(v, 10, 64)
		case "elapsed_ns":
			ns, _ := strconv.ParseInt(v, 10, 64)
			r.elapsed = time.Duration(ns)
		case "err":
			r.err = v
		}
	}
	if r.peakKB == 0 {
		tb.Fatalf("child reported no peak memory:\n%s", out)
	}
	filepath.WalkDir(tmp, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != tmp {
			r.leftTmp = append(r.leftTmp, p)
		}
		return nil
	})
	return r
}

// TestParseChild is the child process of parseInChild; it does nothing
// in a normal test run.
func TestParseChild(t *testing.T) {
	path := os.Getenv("LISTFILE_CHILD")
	if path == "" {
		t.Skip("only run as parseInChild's child process")
	}
	start := time.Now()
	f, err := ReadFile(path)
	if err == nil {
		_, err = Parse([]File{f}, townOpts)
	}
	elapsed := time.Since(start)
	fmt.Printf("elapsed_ns=%d\n", elapsed.Nanoseconds())
	if err != nil {
		fmt.Printf("err=%s\n", strings.ReplaceAll(towndesk.ErrorMessage(err), "\n", " | "))
	}
	status, rerr := os.ReadFile("/proc/self/status")
	if rerr != nil {
		t.Fatal(rerr)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fmt.Printf("peak_kb=%s\n", strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
}

// writeBomb generates b into a file in dir and returns its path and size.
func writeBomb(tb testing.TB, dir string, b bomb) (string, int) {
	tb.Helper()
	data := b.make(tb)
	p := filepath.Join(dir, b.name+".xlsx")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return p, len(data)
}

// TestBombsRefused: every bomb is refused with a message naming the file
// and the reason, costs at most 1 GB of memory, and leaves no temporary
// file behind.
func TestBombsRefused(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc to measure peak memory")
	}
	dir := t.TempDir()
	for _, b := range bombs {
		t.Run(b.name, func(t *testing.T) {
			path, size := writeBomb(t, dir, b)
			r := parseInChild(t, path)
			if !strings.Contains(r.err, b.name+".xlsx") || !strings.Contains(r.err, b.want) {
				t.Errorf("parsing %s (%d KB): error %q, want one naming the file and %q", b.name, size>>10, r.err, b.want)
			}
			if r.peakKB > 1<<20 {
				t.Errorf("parsing %s peaked at %d MB, want at most 1 GB", b.name, r.peakKB>>10)
			}
			if len(r.leftTmp) > 0 {
				t.Errorf("parsing %s left temporary files: %v", b.name, r.leftTmp)
			}
			t.Logf("%s: %d KB file refused, peak %d MB: %s", b.name, size>>10, r.peakKB>>10, r.err)
		})
	}
}

// BenchmarkRefuseBombs measures refusing each bomb in a child process:
// the time to the refusal (ms) and the process's peak memory (peak-MB).
// Targets: ≤ 5 s and ≤ 1 GB each.
//
//	go test ./listfile -run '^$' -bench RefuseBombs -benchtime 1x
func BenchmarkRefuseBombs(b *testing.B) {
	dir := b.TempDir()
	for _, bm := range bombs {
		path, _ := writeBomb(b, dir, bm)
		b.Run(bm.name, func(b *testing.B) {
			var worstMS float64
			var peak int64
			for i := 0; i < b.N; i++ {
				r := parseInChild(b, path)
				if r.err == "" {
					b.Fatalf("%s was not refused", bm.name)
				}
				worstMS = max(worstMS, float64(r.elapsed.Microseconds())/1000)
				peak = max(peak, r.peakKB)
			}
			b.ReportMetric(worstMS, "ms")
			b.ReportMetric(float64(peak>>10), "peak-MB")
		})
	}
}

// BenchmarkParseLargestList measures reading a valid list near the limits
// (99,000 rows of ten columns, 45 MB unpacked) in a child process: the
// time (ms) and the process's peak memory (peak-MB). Target: ≤ 1 GB.
func BenchmarkParseLargestList(b *testing.B) {
	path, size := writeBomb(b, b.TempDir(), bomb{name: "largest", make: func(tb testing.TB) []byte { return manyRowsXLSX(tb, 99000) }})
	var worstMS float64
	var peak int64
	for i := 0; i < b.N; i++ {
		r := parseInChild(b, path)
		if r.err != "" {
			b.Fatalf("largest list (%d KB) refused: %s", size>>10, r.err)
		}
		worstMS = max(worstMS, float64(r.elapsed.Microseconds())/1000)
		peak = max(peak, r.peakKB)
	}
	b.ReportMetric(worstMS, "ms")
	b.ReportMetric(float64(peak>>10), "peak-MB")
}
