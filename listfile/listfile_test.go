package listfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/towndesk/towndesk"
)

func gb18030(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var townOpts = Options{DefaultMode: towndesk.ModeStatutory, CodePrefix: "370481103"}

// parseLenient parses files as a town's list under Lenient (problem rows
// left out and reported); an error fails t.
func parseLenient(t *testing.T, files ...File) *Parsed {
	t.Helper()
	opts := townOpts
	opts.Lenient = true
	got, err := Parse(files, opts)
	if err != nil {
		t.Fatalf("lenient Parse: %v", err)
	}
	return got
}

func TestParseXLSXRealShape(t *testing.T) {
	// A town list as towns publish them: a merged title row, a date row,
	// the header with line breaks and a required-mark, a merged body column,
	// a section row, and notes at the bottom; a second sheet with the
	// devolved powers.
	legal := [][]string{
		{"滕州市滨湖镇权责清单（2024年版）"},
		{"", "", "", "", "", "公布日期：2024年3月"},
		{"序号", "*事项编码", "权力事项\n名称", "权力类型", "实施依据", "实施主体", "承办机构"},
		{"一、行政处罚"},
		{"1", "BH-CF-001", "对未取得乡村建设规划许可证进行建设的处罚", "行政处罚", "《中华人民共和国城乡规划法》第六十五条", "滕州市滨湖镇人民政府", "村镇建设办公室"},
		{"2", "BH-CF-002", "对在乡村规划区内擅自建设的强制拆除", "行政强制", "《中华人民共和国城乡规划法》第六十五条", "", "村镇建设办公室"},
		{"注：本清单随法律法规修改动态调整。"},
	}
	devolved := [][]string{
		{"赋权事项"},
		{"事项编码", "事项名称", "事项类型", "执法依据", "执法主体", "承接方式"},
		{"", "对露天焚烧秸秆的处罚", "行政处罚", "《中华人民共和国大气污染防治法》第一百一十九条", "滕州市滨湖镇人民政府", "赋权"},
	}
	data := workbook(t, sheetSpec{name: "法定", rows: legal, merges: []string{"A1:G1", "F5:F6", "A4:G4", "A7:G7"}},
		sheetSpec{name: "赋权", rows: devolved})
	got, err := Parse([]File{{Name: "滨湖镇.xlsx", Data: data}}, townOpts)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(got.Items) != 3 {
		t.Fatalf("Parse gave %d items, want 3: %+v", len(got.Items), got.Items)
	}
	if got.Items[1].Body != "滕州市滨湖镇人民政府" {
		t.Errorf("merged body cell = %q, want it filled from the cell above", got.Items[1].Body)
	}
	if got.Items[0].Mode != towndesk.ModeStatutory || got.Items[2].Mode != towndesk.ModeDevolved {
		t.Errorf("modes = %s, %s, want 法定 (default) and 赋权 (column)", got.Items[0].Mode, got.Items[2].Mode)
	}
	if got.Items[2].Code == "" || !strings.HasPrefix(got.Items[2].Code, "G370481103-") {
		t.Errorf("generated code = %q, want one derived from the place", got.Items[2].Code)
	}
	again, _ := Parse([]File{{Name: "滨湖镇.xlsx", Data: data}}, townOpts)
	if again.Items[2].Code != got.Items[2].Code {
		t.Errorf("generated code changed between imports: %q then %q", got.Items[2].Code, again.Items[2].Code)
	}
}

func TestParseCSVEncodings(t *testing.T) {
	text := "序号,职权编码,职权名称,职权类型,设定依据,行使主体,行使方式,备注,联系电话\n" +
		"1,JZ-001,对燃放烟花爆竹的处罚,行政处罚,《烟花爆竹安全管理条例》第四十二条,蓟州区邦均镇人民政府,委托,,\n"
	want := towndesk.PowerItem{Code: "JZ-001", Name: "对燃放烟花爆竹的处罚", Category: "行政处罚",
		Basis: "《烟花爆竹安全管理条例》第四十二条", Body: "蓟州区邦均镇人民政府", Mode: towndesk.ModeEntrusted}
	tests := []struct {
		name string
		data []byte
	}{
		{"utf8", []byte(text)},
		{"utf8 bom", append([]byte("\xef\xbb\xbf"), text...)},
		{"gb18030", gb18030(t, text)},
		{"crlf gb18030", gb18030(t, strings.ReplaceAll(text, "\n", "\r\n"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]File{{Name: "邦均镇.csv", Data: tt.data}}, townOpts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff([]towndesk.PowerItem{want}, got.Items); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			if !cmp.Equal(got.Unknown, []string{"联系电话"}) {
				t.Errorf("unknown columns = %v, want [联系电话]", got.Unknown)
			}
		})
	}
}

func TestParseJSONL(t *testing.T) {
	data := `{"code":"A1","name":"对擅自占用城市道路的处罚","category":"行政处罚","body":"义乌市综合行政执法局","mode":"县级保留"}
{"code":"A2","name":"对乱倒生活垃圾的处罚","body":"义乌市综合行政执法局","extra":1}
`
	got, err := Parse([]File{{Name: "义乌.jsonl", Data: []byte(data)}}, Options{DefaultMode: towndesk.ModeRetained})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(got.Items) != 2 || got.Items[1].Mode != towndesk.ModeRetained {
		t.Errorf("items = %+v, want 2 with the default mode on the second", got.Items)
	}
	if !cmp.Equal(got.Unknown, []string{"extra"}) {
		t.Errorf("unknown = %v, want [extra]", got.Unknown)
	}
}

func TestParseInvalidRows(t *testing.T) {
	csv := "事项编码,事项名称,实施主体,承接方式\n" +
		"C1,对甲的处罚,某镇人民政府,法定\n" +
		"C2,对乙的处罚,,法定\n" +
		"C3,对丙的处罚,某镇人民政府,代管\n" +
		"C1,对丁的处罚,某镇人民政府,赋权\n" +
		"C5,,某镇人民政府,\n"
	files := []File{{Name: "bad.csv", Data: []byte(csv)}}
	_, err := Parse(files, townOpts)
	if towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Fatalf("strict Parse error = %v, want EINVALID", err)
	}
	msg := towndesk.ErrorMessage(err)
	for _, want := range []string{
		"bad.csv:3: 列 实施主体 为空",
		"bad.csv:4: 列 承接方式 的值“代管”无法识别",
		"bad.csv:5: 列 事项编码 重复：C1 已出现在 bad.csv:2",
		"bad.csv:6: 列 事项名称 为空",
		"bad.csv:6: 列 承接方式 为空",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error message lacks %q:\n%s", want, msg)
		}
	}

	got := parseLenient(t, files...)
	if len(got.Items) != 1 || got.Items[0].Code != "C1" {
		t.Errorf("lenient items = %+v, want only C1", got.Items)
	}
	if len(got.Skipped) != 5 {
		t.Errorf("lenient skipped %d problems, want 5: %v", len(got.Skipped), got.Skipped)
	}
}

func TestParseBadFiles(t *testing.T) {
	big := strings.Repeat("很", MaxCellSize/3+10)
	tests := []struct {
		name string
		file File
		want string
	}{
		{"empty", File{"a.csv", []byte("  \n")}, "a.csv: 文件是空的"},
		{"no header", File{"b.csv", []byte("名称,单位\n甲,乙\n")}, "b.csv: 找不到表头行。前 10 行中的表头：名称、单位、甲、乙"},
		{"binary", File{"c.csv", []byte("事项名称,实施主体\n\x00\x01\x02")}, "c.csv:2: 含有二进制内容"},
		{"undecodable", File{"d.csv", []byte("事项名称,实施主体\n\xff\xfe\xfd\x80\x80")}, "无法识别文字编码"},
		{"huge cell", File{"e.csv", []byte("事项名称,实施主体\n" + big + ",某镇\n")}, "e.csv:2: 列 事项名称 的内容过长"},
		{"not xlsx", File{"f.xlsx", []byte("PK\x03\x04 this is not a zip")}, "f.xlsx: 不是有效的 xlsx 文件"},
		{"xls", File{"g.xls", []byte("\xd0\xcf\x11\xe0")}, "不支持旧版 .xls"},
		{"unknown type", File{"h.pdf", []byte("%PDF")}, "无法识别的文件类型"},
		{"bad json", File{"i.jsonl", []byte("{\"name\":\"甲\",\"body\":\"乙\"}\n{not json\n")}, "i.jsonl:2: 不是有效的 JSON 对象"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]File{tt.file}, townOpts)
			if towndesk.ErrorCode(err) != towndesk.EINVALID {
				t.Fatalf("Parse error = %v, want EINVALID", err)
			}
			if msg := towndesk.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("Parse error = %q, want it to contain %q", msg, tt.want)
			}
		})
	}
}

func TestReadFileTooLarge(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.csv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = ReadFile(p)
	if msg := towndesk.ErrorMessage(err); !strings.Contains(msg, "huge.csv: 文件过大") {
		t.Errorf("ReadFile(huge) error = %q, want 文件过大", msg)
	}
	_, err = ReadFile(filepath.Join(t.TempDir(), "missing.csv"))
	if towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Errorf("ReadFile(missing) error = %v, want EINVALID", err)
	}
}

func TestMatchHeader(t *testing.T) {
	tests := []struct {
		cell string
		want field
	}{
		{"事项名称", fieldName},
		{"权责事项名称", fieldName},
		{" 实施\n主体 ", fieldBody},
		{"*实施依据（法律法规名称及条款）", fieldBasis},
		{"实施依据及条款", fieldBasis},
		{"下放方式", fieldMode},
		{"所属章节", fieldDomain},
		{"序 号", fieldSeq},
		{"联系电话", fieldNone},
	}
	for _, tt := range tests {
		if got := matchHeader(tt.cell); got != tt.want {
			t.Errorf("matchHeader(%q) = %v, want %v", tt.cell, got, tt.want)
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("事项名称,实施主体,承接方式\n对甲的处罚,某镇,法定\n"))
	f.Add([]byte("\xef\xbb\xbf事项名称,实施主体\n\"a\"\"b\",c\n"))
	f.Add([]byte("注：\n,,\n事项名称\n"))
	f.Add([]byte("某镇权责清单\n序号,事项名称,,实施依据,\n,主项名称,子项名称,法律,法规\n1,甲,乙,丙,丁\n,,戊,,\n一、行政处罚\n（一）规划建设类\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse([]File{{Name: "fuzz.csv", Data: data}}, townOpts)
		if err != nil {
			if towndesk.ErrorCode(err) != towndesk.EINVALID {
				t.Fatalf("Parse error code = %q, want EINVALID: %v", towndesk.ErrorCode(err), err)
			}
			return
		}
		for _, it := range got.Items {
			if it.Name == "" || it.Body == "" || it.Code == "" {
				t.Fatalf("Parse accepted an incomplete row: %+v", it)
			}
		}
	})
}

func TestParseProblemsUseTheFilesHeadersInOrder(t *testing.T) {
	csv := "职权编码,职权名称,行使主体,行使方式\n" +
		"A1,对甲的处罚,某镇人民政府,法定\n" +
		"A1,对乙的处罚,某镇人民政府,代管\n" +
		"A3,对丙的处罚,,法定\n"
	got := parseLenient(t, File{Name: "x.csv", Data: []byte(csv)})
	var lines []string
	for _, p := range got.Skipped {
		lines = append(lines, p.String())
	}
	want := []string{
		"x.csv:3: 列 行使方式 的值“代管”无法识别（应为 法定、赋权、下放、委托、派驻、协助、县级保留）",
		"x.csv:3: 列 职权编码 重复：A1 已出现在 x.csv:2",
		"x.csv:4: 列 行使主体 为空",
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
