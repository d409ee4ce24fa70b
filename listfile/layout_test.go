package listfile

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/towndesk/towndesk"
)

// sheetSpec is one worksheet of a test workbook as real lists lay them
// out. A cell written "#n:123" is stored as a number.
type sheetSpec struct {
	name       string
	rows       [][]string
	merges     []string // "A1:G1"
	hiddenCols []string // "C"
	hiddenRows []int    // 1-based
	hidden     bool     // the sheet itself is hidden
}

func workbook(t *testing.T, sheets ...sheetSpec) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			for c, v := range row {
				if v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				var val any = v
				if n, ok := strings.CutPrefix(v, "#n:"); ok {
					x, err := strconv.ParseFloat(n, 64)
					if err != nil {
						t.Fatal(err)
					}
					val = x
				}
				if err := f.SetCellValue(s.name, ref, val); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, m := range s.merges {
			a, b, _ := strings.Cut(m, ":")
			if err := f.MergeCell(s.name, a, b); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range s.hiddenCols {
			if err := f.SetColVisible(s.name, c, false); err != nil {
				t.Fatal(err)
			}
		}
		if s.hidden {
			if err := f.SetSheetVisible(s.name, false); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range s.hiddenRows {
			if err := f.SetRowVisible(s.name, r, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// csvFile, gbFile and xlsxFile make a test case's file when the case
// runs: rows saved as UTF-8 CSV, as GB18030 CSV, or sheets as a workbook.
func csvFile(name string, rows ...[]string) func(*testing.T) File {
	return func(*testing.T) File { return File{name, []byte(csvText(rows...))} }
}

func gbFile(name string, rows ...[]string) func(*testing.T) File {
	return func(t *testing.T) File { return File{name, gb18030(t, csvText(rows...))} }
}

func xlsxFile(name string, sheets ...sheetSpec) func(*testing.T) File {
	return func(t *testing.T) File { return File{name, workbook(t, sheets...)} }
}

// csvText joins rows as Excel saves CSV (CRLF, quoted where needed).
func csvText(rows ...[]string) string {
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(c, ",\"\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

const (
	guanqiao = "滕州市官桥镇人民政府"
	law65    = "《中华人民共和国城乡规划法》第六十五条"
	air119   = "《中华人民共和国大气污染防治法》第一百一十九条"
	sdAir85  = "《山东省大气污染防治条例》第八十五条"
	main65   = "对违反规划建设的处罚"
	sub65a   = "对未取得乡村建设规划许可证进行建设的处罚"
	sub65b   = "对未按照乡村建设规划许可证的规定进行建设的处罚"
)

// twoRowHeader is a town list whose header takes two rows: 事项名称 over
// 主项名称/子项名称 and 实施依据 over 法律/法规/规章, with a filing row
// between the title and the header.
var twoRowHeader = [][]string{
	{"滕州市官桥镇权责清单"},
	{"填报单位：滕州市官桥镇人民政府（盖章）", "", "", "", "", "填报时间：2024年5月"},
	{"序号", "事项名称", "", "事项类型", "实施依据", "", "", "实施主体", "承办机构", "备注"},
	{"", "主项名称", "子项名称", "", "法律", "法规", "规章", "", "", ""},
	{"1", main65, sub65a, "行政处罚", law65, "", "", guanqiao, "村镇建设办公室", ""},
	{"", "", sub65b, "", law65, "", "", "", "", ""},
	{"2", "对露天焚烧秸秆的处罚", "", "行政处罚", air119, sdAir85, "", guanqiao, "综合行政执法办公室", "县级赋权事项"},
}

// twoRowWant is what a person reads in twoRowHeader.
var twoRowWant = []towndesk.PowerItem{
	{Name: main65, SubItem: sub65a, Category: "行政处罚", Basis: law65, Body: guanqiao, Office: "村镇建设办公室", Mode: "法定"},
	{Name: main65, SubItem: sub65b, Category: "行政处罚", Basis: law65, Body: guanqiao, Office: "村镇建设办公室", Mode: "法定"},
	{Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Basis: air119 + "\n" + sdAir85, Body: guanqiao, Office: "综合行政执法办公室", Mode: "赋权", Note: "县级赋权事项"},
}

// TestParseRealLayouts reads list files in the layouts county and
// township governments publish, and checks every field a person would read
// in them, and the notices that tell the importer how an unusual layout
// was read.
func TestParseRealLayouts(t *testing.T) {
	bodyMerged := "滕州市滨湖镇人民政府"
	runLayouts(t, []layoutCase{
		{"two-row header, merged cells", xlsxFile("官桥镇.xlsx", sheetSpec{name: "Sheet1", rows: twoRowHeader,
			merges: []string{"A1:J1", "A3:A4", "B3:C3", "D3:D4", "E3:G3", "H3:H4", "I3:I4", "J3:J4",
				"A5:A6", "B5:B6", "D5:D6", "H5:H6", "I5:I6", "J5:J6"}}), twoRowWant, nil},
		{"two-row header saved as GB18030 CSV", gbFile("官桥镇.csv", twoRowHeader...), twoRowWant, []string{"官桥镇.csv: 第 6 行只写了子项名称、没有主项名称"}},
		{"category and domain as section rows", xlsxFile("柴胡店镇.xlsx", sheetSpec{name: "权责清单", rows: [][]string{
			{"宁津县柴胡店镇权责清单"},
			{"序 号", "事项\n名称", "实 施 依 据", "实 施 主 体", "备注"},
			{"一、行政处罚（共3项）"},
			{"（一）规划建设类"},
			{"1", sub65a, law65, "镇人民政府", ""},
			{"（二）农林水利类"},
			{"2", "对露天焚烧秸秆的处罚", air119, "镇人民政府", "县级赋权事项"},
			{"二、行政强制（共1项）"},
			{"3", "对违法建设的强制拆除", law65, "镇人民政府", ""},
		}, merges: []string{"A1:E1", "A3:E3", "A4:E4", "A6:E6", "A8:E8"}}), []towndesk.PowerItem{
			{Name: sub65a, Category: "行政处罚", Domain: "规划建设", Basis: law65, Body: "镇人民政府", Mode: "法定"},
			{Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Domain: "农林水利", Basis: air119, Body: "镇人民政府", Mode: "赋权", Note: "县级赋权事项"},
			{Name: "对违法建设的强制拆除", Category: "行政强制", Basis: law65, Body: "镇人民政府", Mode: "法定"},
		}, []string{"柴胡店镇.xlsx:3: 以下 2 行的事项类型取自分节行“一、行政处罚（共3项）”", "柴胡店镇.xlsx:8: 以下 1 行的事项类型取自分节行“二、行政强制（共1项）”"}},
		{"sections in the name column, body merged down, mode sections", xlsxFile("滨湖镇.xlsx", sheetSpec{name: "Sheet1", rows: [][]string{
			{"序号", "事项名称", "实施依据", "实施主体"},
			{"", "一、法定职权", "", bodyMerged},
			{"1", sub65a, law65, ""},
			{"", "二、县级赋权事项", "", ""},
			{"2", "对露天焚烧秸秆的处罚", air119, ""},
		}, merges: []string{"D2:D5"}}), []towndesk.PowerItem{
			{Name: sub65a, Basis: law65, Body: bodyMerged, Mode: "法定"},
			{Name: "对露天焚烧秸秆的处罚", Basis: air119, Body: bodyMerged, Mode: "赋权"},
		}, []string{"滨湖镇.xlsx:2: 以下 1 行的承接方式取自分节行“一、法定职权”", "滨湖镇.xlsx:4: 以下 1 行的承接方式取自分节行“二、县级赋权事项”"}},
		{"category sections in a CSV's first column", gbFile("邦均镇.csv",
			[]string{"事项名称", "事项编码", "实施依据", "实施主体", "承接方式"},
			[]string{"一、行政处罚", "", "", "", ""},
			[]string{"对燃放烟花爆竹的处罚", "BJ-CF-001", "《烟花爆竹安全管理条例》第四十二条", "蓟州区邦均镇人民政府", "赋权"},
			[]string{"二、行政检查", "", "", "", ""},
			[]string{"对农药经营的监督检查", "BJ-JC-001", "《农药管理条例》第四十一条", "蓟州区邦均镇人民政府", "委托"},
		), []towndesk.PowerItem{
			{Code: "BJ-CF-001", Name: "对燃放烟花爆竹的处罚", Category: "行政处罚", Basis: "《烟花爆竹安全管理条例》第四十二条", Body: "蓟州区邦均镇人民政府", Mode: "赋权"},
			{Code: "BJ-JC-001", Name: "对农药经营的监督检查", Category: "行政检查", Basis: "《农药管理条例》第四十一条", Body: "蓟州区邦均镇人民政府", Mode: "委托"},
		}, []string{"邦均镇.csv:2: 以下 1 行的事项类型取自分节行“一、行政处罚”", "邦均镇.csv:4: 以下 1 行的事项类型取自分节行“二、行政检查”"}},
		{"body only in the title, 权责事项 and 职权依据 headers", xlsxFile("佛堂镇.xlsx", sheetSpec{name: "Sheet1", rows: [][]string{
			{"义乌市佛堂镇权责清单（2024年版）"},
			{"序号", "职权编码", "权责事项", "职权类型", "职权依据", "承办科室", "备注"},
			{"1", "FT-001", "对擅自占用城市道路的处罚", "行政处罚", "《城市道路管理条例》第四十二条", "综合行政执法队", ""},
		}, merges: []string{"A1:G1"}}), []towndesk.PowerItem{
			{Code: "FT-001", Name: "对擅自占用城市道路的处罚", Category: "行政处罚", Basis: "《城市道路管理条例》第四十二条", Body: "义乌市佛堂镇人民政府", Office: "综合行政执法队", Mode: "法定"},
		}, []string{"佛堂镇.xlsx:2: 没有实施主体列，各行的实施主体按“义乌市佛堂镇权责清单（2024年版）”取为 义乌市佛堂镇人民政府"}},
		{"mode column in words", csvFile("柴胡店镇.csv",
			[]string{"序号", "事项名称", "事项类别", "实施主体", "赋权方式"},
			[]string{"1", "对露天焚烧秸秆的处罚", "行政处罚", "镇综合行政执法队", "赋权"},
			[]string{"2", "对违法饲养犬只的处罚", "行政处罚", "镇人民政府", "委托执法"},
			[]string{"3", "对无照经营的处罚", "行政处罚", "宁津县市场监督管理局柴胡店中队", "派驻"},
			[]string{"4", "对非法占用耕地的处罚", "行政处罚", "宁津县自然资源局", "县级保留、乡镇协助"},
			[]string{"5", "对违法建设的处罚", "行政处罚", "镇人民政府", "赋权（下放）"},
		), []towndesk.PowerItem{
			{Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Body: "镇综合行政执法队", Mode: "赋权"},
			{Name: "对违法饲养犬只的处罚", Category: "行政处罚", Body: "镇人民政府", Mode: "委托"},
			{Name: "对无照经营的处罚", Category: "行政处罚", Body: "宁津县市场监督管理局柴胡店中队", Mode: "派驻"},
			{Name: "对非法占用耕地的处罚", Category: "行政处罚", Body: "宁津县自然资源局", Mode: "县级保留"},
			{Name: "对违法建设的处罚", Category: "行政处罚", Body: "镇人民政府", Mode: "赋权"},
		}, nil},
		{"long basis, odd codes, empty columns, footers", func(t *testing.T) File {
			basis := "1.《城市市容和环境卫生管理条例》第三十四条：有下列行为之一者，可以并处警告、罚款：\n（一）随地吐痰、便溺，乱丢果皮、纸屑和烟头等废弃物的；\n2.《广东省城乡生活垃圾管理条例》第六十二条"
			return File{"乐从镇.xlsx", workbook(t, sheetSpec{name: "Sheet1", rows: [][]string{
				{"佛山市顺德区乐从镇权责清单"},
				{"序号", "事项编码", "事项名称", "事项类型", "实施依据", "实施主体", "", "", ""},
				{"1", "440606 CF 0001", "对随意倾倒生活垃圾的处罚", "行政处罚", basis, "佛山市顺德区乐从镇人民政府"},
				{"2", "４４０６０６ＣＦ０００２", "对擅自张贴宣传品的处罚", "处罚", "《城市市容和环境卫生管理条例》第三十四条", "佛山市顺德区乐从镇人民政府"},
				{"注：1.本清单所列事项随法律法规调整动态更新。"},
				{"制表人：张三", "", "审核人：李四", "", "", "联系电话：0757-28888888"},
			}, merges: []string{"A1:F1", "A5:F5"}})}
		}, []towndesk.PowerItem{
			{Code: "440606CF0001", Name: "对随意倾倒生活垃圾的处罚", Category: "行政处罚", Basis: "1.《城市市容和环境卫生管理条例》第三十四条：有下列行为之一者，可以并处警告、罚款：\n（一）随地吐痰、便溺，乱丢果皮、纸屑和烟头等废弃物的；\n2.《广东省城乡生活垃圾管理条例》第六十二条", Body: "佛山市顺德区乐从镇人民政府", Mode: "法定"},
			{Code: "440606CF0002", Name: "对擅自张贴宣传品的处罚", Category: "行政处罚", Basis: "《城市市容和环境卫生管理条例》第三十四条", Body: "佛山市顺德区乐从镇人民政府", Mode: "法定"},
		}, nil},
		{"a sheet per category", func(t *testing.T) File {
			hdr := []string{"序号", "事项名称", "实施依据", "实施主体"}
			return File{"沐溪镇.xlsx", workbook(t,
				sheetSpec{name: "说明", rows: [][]string{{"本清单按事项类型分表编制。"}}},
				sheetSpec{name: "行政处罚", rows: [][]string{{"行政处罚事项（1项）"}, hdr,
					{"1", "对燃放烟花爆竹的处罚", "《烟花爆竹安全管理条例》第四十二条", "沐川县沐溪镇人民政府"}}},
				sheetSpec{name: "行政强制", rows: [][]string{hdr,
					{"1", "对违法建设的强制拆除", law65, "沐川县沐溪镇人民政府"}}},
				sheetSpec{name: "其他", rows: [][]string{hdr,
					{"1", "农村五保供养审批", "《农村五保供养工作条例》第七条", "沐川县沐溪镇人民政府"}}},
			)}
		}, []towndesk.PowerItem{
			{Name: "对燃放烟花爆竹的处罚", Category: "行政处罚", Basis: "《烟花爆竹安全管理条例》第四十二条", Body: "沐川县沐溪镇人民政府", Mode: "法定"},
			{Name: "对违法建设的强制拆除", Category: "行政强制", Basis: law65, Body: "沐川县沐溪镇人民政府", Mode: "法定"},
			{Name: "农村五保供养审批", Category: "其他行政权力", Basis: "《农村五保供养工作条例》第七条", Body: "沐川县沐溪镇人民政府", Mode: "法定"},
		}, []string{"沐溪镇.xlsx[行政处罚]: 没有事项类型列，各行的事项类型按工作表名取为 行政处罚"}},
		{"a change-log sheet beside the list", xlsxFile("沐溪镇.xlsx",
			sheetSpec{name: "权责清单", rows: [][]string{{"序号", "事项名称", "实施主体"},
				{"1", "对燃放烟花爆竹的处罚", "沐川县沐溪镇人民政府"}}},
			sheetSpec{name: "调整说明", rows: [][]string{{"序号", "事项名称", "调整类型", "调整依据"},
				{"1", "对燃放烟花爆竹的处罚", "新增", "川府发〔2023〕5号"}}},
		), []towndesk.PowerItem{
			{Name: "对燃放烟花爆竹的处罚", Body: "沐川县沐溪镇人民政府", Mode: "法定"},
		}, []string{"沐溪镇.xlsx[调整说明]: 这是清单的调整（变更）说明（列 调整类型），不是权责清单，此工作表未导入"}},
		{"hidden column and row", xlsxFile("沐溪镇.xlsx", sheetSpec{name: "Sheet1", rows: [][]string{
			{"序号", "事项名称", "实施主体（调整前）", "实施主体", "事项类型"},
			{"1", "对无证收购粮食的处罚", "沐川县发展和改革局", "沐川县沐溪镇人民政府", "行政处罚"},
			{"2", "对粮食经营者未建立台账的处罚", "沐川县发展和改革局", "沐川县发展和改革局", "行政处罚"},
		}, hiddenCols: []string{"C"}, hiddenRows: []int{3}}), []towndesk.PowerItem{
			{Name: "对无证收购粮食的处罚", Category: "行政处罚", Body: "沐川县沐溪镇人民政府", Mode: "法定"},
		}, []string{"隐藏的列 C（实施主体（调整前））未读取", "沐溪镇.xlsx: 第 3 行在 Excel 中被隐藏，未导入"}},
		{"basis in two columns, a second body column", csvFile("魏善庄镇.csv",
			[]string{"序号", "事项名称", "设定依据", "实施依据", "行使主体", "责任主体", "权力类别"},
			[]string{"1", "对违法饲养犬只的处罚", "《中华人民共和国动物防疫法》第三十条", "《北京市养犬管理规定》第二十六条", "北京市大兴区魏善庄镇人民政府", "魏善庄镇综合行政执法队", "行政处罚"},
		), []towndesk.PowerItem{
			{Name: "对违法饲养犬只的处罚", Category: "行政处罚", Basis: "《中华人民共和国动物防疫法》第三十条\n《北京市养犬管理规定》第二十六条", Body: "北京市大兴区魏善庄镇人民政府", Mode: "法定"},
		}, []string{"魏善庄镇.csv:1: 列 责任主体 也表示实施主体，未读取（读取的是列 行使主体）"}},
		{"enforcement catalogue: 条线, 处罚依据, category in the title", gbFile("苏溪镇.csv",
			[]string{"义乌市苏溪镇综合行政执法事项目录（行政处罚）"},
			[]string{"序号", "事项代码", "执法事项名称", "条线", "处罚依据", "执法主体", "备注"},
			[]string{"1", "330217001000", "对未按规定分类投放生活垃圾的处罚", "城市管理", "《浙江省生活垃圾管理条例》第五十九条", "义乌市苏溪镇人民政府", ""},
		), []towndesk.PowerItem{
			{Code: "330217001000", Name: "对未按规定分类投放生活垃圾的处罚", Category: "行政处罚", Domain: "城市管理", Basis: "《浙江省生活垃圾管理条例》第五十九条", Body: "义乌市苏溪镇人民政府", Mode: "法定"},
		}, []string{"没有事项类型列，各行的事项类型按标题“义乌市苏溪镇综合行政执法事项目录（行政处罚）”取为 行政处罚"}},
		{"category written short or with a suffix", csvFile("某镇.csv",
			[]string{"事项名称", "类型", "实施主体"},
			[]string{"对擅自占用城市道路的处罚", "处罚", "某镇人民政府"},
			[]string{"农村村民宅基地审批", "行政许可类", "某镇人民政府"},
			[]string{"对违法建设的强制拆除", "行政强制措施", "某镇人民政府"},
			[]string{"退役军人优待抚恤", "其他职权", "某镇人民政府"},
			[]string{"村规民约备案", "公共服务", "某镇人民政府"},
		), []towndesk.PowerItem{
			{Name: "对擅自占用城市道路的处罚", Category: "行政处罚", Body: "某镇人民政府", Mode: "法定"},
			{Name: "农村村民宅基地审批", Category: "行政许可", Body: "某镇人民政府", Mode: "法定"},
			{Name: "对违法建设的强制拆除", Category: "行政强制", Body: "某镇人民政府", Mode: "法定"},
			{Name: "退役军人优待抚恤", Category: "其他行政权力", Body: "某镇人民政府", Mode: "法定"},
			{Name: "村规民约备案", Category: "公共服务", Body: "某镇人民政府", Mode: "法定"},
		}, nil},
	})
}

// layoutCase is a file and what a person reads in it.
type layoutCase struct {
	name    string
	file    func(t *testing.T) File
	want    []towndesk.PowerItem // generated codes are left out
	notices []string             // each must appear in one notice
}

// runLayouts checks each case's file under townOpts (checkLayout).
func runLayouts(t *testing.T, tests []layoutCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkLayout(t, tt.file(t), townOpts, tt.want, tt.notices) })
	}
}

// refusal is a file Parse must refuse, and what its message must hold.
type refusal struct {
	name string
	file func(t *testing.T) File
	want []string
}

// runRefusals checks that each file is refused (checkRefused).
func runRefusals(t *testing.T, tests []refusal) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRefused(t, tt.file(t), tt.want) })
	}
}

// checkLayout parses f under opts and checks its items (generated codes
// left out) and that each of notices appears in one notice; no notices
// means none may be printed.
func checkLayout(t *testing.T, f File, opts Options, want []towndesk.PowerItem, notices []string) {
	t.Helper()
	got, err := Parse([]File{f}, opts)
	if err != nil {
		t.Fatalf("Parse(%s): %v", f.Name, err)
	}
	items := append([]towndesk.PowerItem(nil), got.Items...)
	for i := range items {
		if strings.HasPrefix(items[i].Code, "G"+opts.CodePrefix+"-") {
			items[i].Code = ""
		}
	}
	if diff := cmp.Diff(want, items); diff != "" {
		t.Errorf("Parse(%s) items (-want +got):\n%s", f.Name, diff)
	}
	var lines []string
	for _, n := range got.Notices {
		lines = append(lines, n.String())
	}
	all := strings.Join(lines, "\n")
	for _, w := range notices {
		if !strings.Contains(all, w) {
			t.Errorf("Parse(%s) notices lack %q:\n%s", f.Name, w, all)
		}
	}
	if len(notices) == 0 && len(lines) > 0 {
		t.Errorf("Parse(%s) notices = %q, want none", f.Name, lines)
	}
}

// TestParseRefusesUnreadableLayouts: a layout that cannot be read with
// confidence is refused with the file, row and column named, not guessed.
func TestParseRefusesUnreadableLayouts(t *testing.T) {
	tests := []refusal{
		{"county list without a body column", csvFile("宁津县.csv",
			[]string{"宁津县行政权力清单"},
			[]string{"序号", "事项编码", "事项名称", "事项类型"},
			[]string{"1", "NJ-1", "对无照经营的处罚", "行政处罚"},
		), []string{"宁津县.csv:2: 表头没有实施主体列", "标题中也没有写明是哪个乡镇（街道）的清单"}},
		{"codes in scientific notation", gbFile("邦均镇.csv",
			[]string{"序号", "事项编码", "事项名称", "事项类型", "实施主体"},
			[]string{"1", "1.20225E+17", "对燃放烟花爆竹的处罚", "行政处罚", "蓟州区邦均镇人民政府"},
		), []string{"邦均镇.csv:2: 列 事项编码 的值“1.20225E+17”是 Excel 的科学计数法，编码的后几位已经丢失"}},
		{"long codes stored as numbers", xlsxFile("邦均镇.xlsx", sheetSpec{name: "Sheet1", rows: [][]string{
			{"序号", "事项编码", "事项名称", "事项类型", "实施主体"},
			{"#n:1", "#n:120225000000004001", "对燃放烟花爆竹的处罚", "行政处罚", "蓟州区邦均镇人民政府"},
			{"#n:2", "120225000000004002", "对露天焚烧秸秆的处罚", "行政处罚", "蓟州区邦均镇人民政府"},
			{"#n:3", "#n:1202250401", "对违法建设的处罚", "行政处罚", "蓟州区邦均镇人民政府"},
		}}), []string{"邦均镇.xlsx:2: 列 事项编码 的值“120225000000004000”在 Excel 中存为数字，超过 15 位的部分已经丢失"}},
		{"section heading with a basis is a row, and its body is checked", csvFile("某镇.csv",
			[]string{"事项名称", "实施依据", "实施主体"},
			[]string{"一、对甲的处罚", "《某条例》第一条", ""},
		), []string{"某镇.csv:2: 列 实施主体 为空"}},
	}
	runRefusals(t, tests)
	// The numeric code that kept its digits, and the one stored as text,
	// are read as they are.
	f := tests[2].file(t)
	got := parseLenient(t, f)
	var codes []string
	for _, it := range got.Items {
		codes = append(codes, it.Code)
	}
	if want := []string{"120225000000004002", "1202250401"}; !cmp.Equal(codes, want) {
		t.Errorf("lenient codes = %v, want %v", codes, want)
	}
}

func TestSubHeader(t *testing.T) {
	tests := []struct {
		name     string
		top, sub []string
		want     []string // nil: sub is not a second header row
	}{
		{"group and field sub-headers",
			[]string{"序号", "事项名称", "", "实施依据", "", "实施主体"},
			[]string{"", "主项名称", "子项名称", "法律", "法规", ""},
			[]string{"序号", "主项名称", "子项名称", "实施依据（法律）", "实施依据（法规）", "实施主体"}},
		{"a data row is not", []string{"序号", "事项名称", "实施依据", "实施主体"},
			[]string{"1", "对甲的处罚", "《某法》第一条", "某镇人民政府"}, nil},
		{"a long cell under a group is data",
			[]string{"事项名称", "", "实施主体"},
			[]string{"对未取得乡村建设规划许可证进行建设的处罚", "", "某镇"}, nil},
		{"a repeat of the merged header is not", []string{"事项名称", "实施主体"}, []string{"事项名称", "实施主体"}, nil},
	}
	for _, tt := range tests {
		got, ok := subHeader(tt.top, tt.sub)
		if !ok {
			got = nil
		}
		if !cmp.Equal(got, tt.want) {
			t.Errorf("%s: subHeader = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTitleBody(t *testing.T) {
	tests := []struct {
		titles []string
		want   string
	}{
		{[]string{"滕州市官桥镇权责清单"}, "滕州市官桥镇人民政府"},
		{[]string{"2024年滕州市官桥镇行政权力清单"}, "滕州市官桥镇人民政府"},
		{[]string{"顺德区大良街道综合行政执法事项目录"}, "顺德区大良街道办事处"},
		{[]string{"西乌珠穆沁旗巴彦胡舒苏木权力清单"}, "西乌珠穆沁旗巴彦胡舒苏木人民政府"},
		{[]string{"义乌市佛堂镇人民政府权责清单"}, "义乌市佛堂镇人民政府"},
		{[]string{"某县某镇权责清单", "实施主体：某县某镇综合行政执法办公室"}, "某县某镇综合行政执法办公室"},
		{[]string{"某县某镇权责清单", "填报单位：某县某镇党政办公室"}, "某县某镇人民政府"},
		{[]string{"权责清单", "填报单位：宁津县柴胡店镇人民政府（盖章）  填报时间：2024年"}, "宁津县柴胡店镇人民政府"},
		{[]string{"宁津县行政权力清单"}, ""},
		{[]string{"宁津县乡镇权责清单通用目录"}, ""},
		{[]string{"滕州市人民政府关于公布官桥镇权责清单的通知"}, "滕州市官桥镇人民政府"},
		{[]string{"权责清单", "实施主体：滕州市官桥镇人民政府    日期：2024年5月"}, "滕州市官桥镇人民政府"},
		{[]string{"权责清单", "实施主体：滕州市官桥镇人民政府日期：2024年5月"}, "滕州市官桥镇人民政府"},
		{[]string{"权责清单", "实 施 主 体： 某县某镇综合行政执法办公室"}, "某县某镇综合行政执法办公室"},
		{[]string{"宁津县农业农村局权责清单"}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got, _ := titleBody(tt.titles); got != tt.want {
			t.Errorf("titleBody(%q) = %q, want %q", tt.titles, got, tt.want)
		}
	}
}

// checkRefused checks that Parse refuses f (EINVALID) with a message
// holding each of want.
func checkRefused(t *testing.T, f File, want []string) {
	t.Helper()
	got, err := Parse([]File{f}, townOpts)
	if towndesk.ErrorCode(err) != towndesk.EINVALID {
		t.Fatalf("Parse(%s) = %v, %v; want EINVALID", f.Name, got, err)
	}
	msg := towndesk.ErrorMessage(err)
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("Parse(%s) error lacks %q:\n%s", f.Name, w, msg)
		}
	}
}
