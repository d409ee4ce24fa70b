package listfile

import (
	"slices"
	"strings"
	"testing"

	"github.com/towndesk/towndesk"
)

// TestParseNoSilentMisread reads the inputs a review found imported with
// exit status 0 but wrong rows: each must now be read as a person reads
// it, or the import must say how it read it.
func TestParseNoSilentMisread(t *testing.T) {
	const town = "某县某镇人民政府"
	tests := []layoutCase{
		{"an item named （一）… with 序号, category and body is not a section", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "事项类型", "实施主体"},
			[]string{"1", "（一）对未取得乡村建设规划许可证进行建设的处罚", "行政处罚", town},
		), []towndesk.PowerItem{
			{Name: "（一）对未取得乡村建设规划许可证进行建设的处罚", Category: "行政处罚", Body: town, Mode: "法定"},
		}, nil},
		{"an item named 一、… with an empty basis is not a section", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "事项类型", "实施依据", "实施主体"},
			[]string{"1", "一、农村村民宅基地审批初审", "行政许可", "", "某镇人民政府"},
		), []towndesk.PowerItem{
			{Name: "一、农村村民宅基地审批初审", Category: "行政许可", Body: "某镇人民政府", Mode: "法定"},
		}, nil},
		{"a short item named （一）… with a body is not a section", csvFile("某镇.csv",
			[]string{"事项名称", "实施主体"},
			[]string{"（一）对违法建设的处罚", "某镇人民政府"},
		), []towndesk.PowerItem{
			{Name: "（一）对违法建设的处罚", Body: "某镇人民政府", Mode: "法定"},
		}, []string{"某镇.csv: 第 2 行的事项名称以分节编号开头（一、（一）…），除实施主体外没有填写其他列，按事项导入"}},
		{"an item named 第二类… is not a section", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "事项类型", "实施主体"},
			[]string{"1", "第二类精神药品零售审批", "", "某镇人民政府"},
		), []towndesk.PowerItem{
			{Name: "第二类精神药品零售审批", Body: "某镇人民政府", Mode: "法定"},
		}, nil},
		{"a CSV sub-item row holding only its sub-item is not a section", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "子项名称", "事项类型", "实施依据", "实施主体"},
			[]string{"1", main65, sub65a, "行政处罚", "《城乡规划法》第六十五条", "某镇人民政府"},
			[]string{"", "", sub65b, "", "", ""},
		), []towndesk.PowerItem{
			{Name: main65, SubItem: sub65a, Category: "行政处罚", Basis: "《城乡规划法》第六十五条", Body: "某镇人民政府", Mode: "法定"},
			{Name: main65, SubItem: sub65b, Category: "行政处罚", Basis: "《城乡规划法》第六十五条", Body: "某镇人民政府", Mode: "法定"},
		}, []string{"某镇.csv: 第 3 行只写了子项名称、没有事项名称"}},
		{"a mode section ends where the next top-level section starts", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "实施主体"},
			[]string{"一、县级赋权事项"},
			[]string{"1", "对露天焚烧秸秆的处罚", "某镇人民政府"},
			[]string{"二、乡镇法定事项"},
			[]string{"2", sub65a, "某镇人民政府"},
		), []towndesk.PowerItem{
			{Name: "对露天焚烧秸秆的处罚", Body: "某镇人民政府", Mode: "赋权"},
			{Name: sub65a, Body: "某镇人民政府", Mode: "法定"},
		}, []string{"某镇.csv:2: 以下 1 行的承接方式取自分节行“一、县级赋权事项”"}},
		{"a mode sub-section ends with its top-level section", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "实施主体"},
			[]string{"一、行政处罚"},
			[]string{"（一）县级赋权事项"},
			[]string{"1", "对露天焚烧秸秆的处罚", "某镇人民政府"},
			[]string{"二、行政许可"},
			[]string{"2", "农村村民宅基地审批", "某镇人民政府"},
		), []towndesk.PowerItem{
			{Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Body: "某镇人民政府", Mode: "赋权"},
			{Name: "农村村民宅基地审批", Category: "行政许可", Body: "某镇人民政府", Mode: "法定"},
		}, []string{
			"某镇.csv:2: 以下 1 行的事项类型取自分节行“一、行政处罚”",
			"某镇.csv:3: 以下 1 行的承接方式取自分节行“（一）县级赋权事项”",
			"某镇.csv:5: 以下 1 行的事项类型取自分节行“二、行政许可”",
		}},
		{"a section naming no known category ends the category before it", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "实施依据", "实施主体"},
			[]string{"一、行政处罚（共1项）"},
			[]string{"1", "对露天焚烧秸秆的处罚", air119, "某镇人民政府"},
			[]string{"二、公共服务（共1项）"},
			[]string{"2", "高龄津贴发放", "", "某镇人民政府"},
			[]string{"三、其他事项"},
			[]string{"3", "村规民约备案", "", "某镇人民政府"},
		), []towndesk.PowerItem{
			{Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Basis: air119, Body: "某镇人民政府", Mode: "法定"},
			{Name: "高龄津贴发放", Body: "某镇人民政府", Mode: "法定"},
			{Name: "村规民约备案", Body: "某镇人民政府", Mode: "法定"},
		}, []string{"某镇.csv:2: 以下 1 行的事项类型取自分节行“一、行政处罚（共1项）”"}},
		{"a note row opening with a mode word is no mode section", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "实施主体"},
			[]string{"1", "对露天焚烧秸秆的处罚", "某镇人民政府"},
			[]string{"委托事项须签订委托协议后实施"},
			[]string{"2", sub65a, "某镇人民政府"},
		), []towndesk.PowerItem{
			{Name: "对露天焚烧秸秆的处罚", Body: "某镇人民政府", Mode: "法定"},
			{Name: sub65a, Body: "某镇人民政府", Mode: "法定"},
		}, nil},
		{"其他行政权力 as a section is its category", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "实施主体"},
			[]string{"一、其他行政权力"},
			[]string{"1", "村规民约备案", "某镇人民政府"},
		), []towndesk.PowerItem{
			{Name: "村规民约备案", Category: "其他行政权力", Body: "某镇人民政府", Mode: "法定"},
		}, []string{"某镇.csv:2: 以下 1 行的事项类型取自分节行“一、其他行政权力”"}},
		{"办件类型, 主体类别, 赋权依据, 裁量基准依据 are not category or basis", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "办件类型", "主体类别", "事项类型", "实施依据", "赋权依据", "裁量基准依据", "实施主体"},
			[]string{"1", "农村村民宅基地审批", "承诺件", "乡镇人民政府", "行政许可", "《中华人民共和国土地管理法》第六十二条", "鲁政字〔2020〕1号", "《某省裁量基准》", "某镇人民政府"},
		), []towndesk.PowerItem{
			{Name: "农村村民宅基地审批", Category: "行政许可", Basis: "《中华人民共和国土地管理法》第六十二条", Body: "某镇人民政府", Mode: "法定"},
		}, nil},
		{"a basis split over an exact and an ending-matched header is joined", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "法律依据", "地方性法规依据", "实施主体"},
			[]string{"1", "对露天焚烧秸秆的处罚", air119, sdAir85, "某镇人民政府"},
		), []towndesk.PowerItem{
			{Name: "对露天焚烧秸秆的处罚", Basis: air119 + "\n" + sdAir85, Body: "某镇人民政府", Mode: "法定"},
		}, nil},
		{"a header matched by its ending gives way to an exact one", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "审批事项类型", "事项类型", "实施主体"},
			[]string{"1", "农村村民宅基地审批", "即办件", "行政许可", "某镇人民政府"},
		), []towndesk.PowerItem{
			{Name: "农村村民宅基地审批", Category: "行政许可", Body: "某镇人民政府", Mode: "法定"},
		}, nil},
		{"a sheet per category takes the body of the first sheet's title", func(t *testing.T) File {
			hdr := []string{"序号", "事项名称", "实施依据"}
			return File{"官桥镇.xlsx", workbook(t,
				sheetSpec{name: "行政处罚", rows: [][]string{{"滕州市官桥镇权责清单"}, hdr,
					{"1", "对燃放烟花爆竹的处罚", "《烟花爆竹安全管理条例》第四十二条"}}},
				sheetSpec{name: "行政许可", rows: [][]string{hdr,
					{"1", "农村村民宅基地审批", "《中华人民共和国土地管理法》第六十二条"}}},
			)}
		}, []towndesk.PowerItem{
			{Name: "对燃放烟花爆竹的处罚", Category: "行政处罚", Basis: "《烟花爆竹安全管理条例》第四十二条", Body: guanqiao, Mode: "法定"},
			{Name: "农村村民宅基地审批", Category: "行政许可", Basis: "《中华人民共和国土地管理法》第六十二条", Body: guanqiao, Mode: "法定"},
		}, []string{"官桥镇.xlsx[行政许可]:1: 没有实施主体列，本工作表也没有标题，各行的实施主体按工作表“行政处罚”的标题“滕州市官桥镇权责清单”取为 滕州市官桥镇人民政府"}},
		{"a two-row header repeated on a later page", func(t *testing.T) File {
			rows := append([][]string(nil), twoRowHeader[:6]...)
			rows = append(rows, twoRowHeader[2], twoRowHeader[3], twoRowHeader[6])
			return File{"官桥镇.csv", []byte(csvText(rows...))}
		}, twoRowWant, []string{"官桥镇.csv: 第 6 行只写了子项名称、没有主项名称"}},
		{"a hidden sheet is left out, and said so", func(t *testing.T) File {
			hdr := []string{"序号", "事项名称", "实施主体"}
			return File{"官桥镇.xlsx", workbook(t,
				sheetSpec{name: "权责清单", rows: [][]string{hdr, {"1", "对燃放烟花爆竹的处罚", guanqiao}}},
				sheetSpec{name: "2022年版", hidden: true, rows: [][]string{hdr, {"1", "对违法建设的处罚", guanqiao}}},
			)}
		}, []towndesk.PowerItem{
			{Name: "对燃放烟花爆竹的处罚", Body: guanqiao, Mode: "法定"},
		}, []string{"官桥镇.xlsx[2022年版]: 工作表在 Excel 中被隐藏，未导入"}},
		{"a numbered domain heading beside a body merged down the sheet is a section", xlsxFile("某镇.xlsx", sheetSpec{name: "Sheet1", rows: [][]string{
			{"某县某镇权责清单"},
			{"序号", "事项编码", "事项名称", "事项类型", "实施主体", "实施依据"},
			{"", "", "（一）农业农村", "", town, ""},
			{"1", "NY-001", "对露天焚烧秸秆的处罚", "行政处罚", "", air119},
			{"", "", "（二）自然资源", "", "", ""},
			{"2", "ZR-001", "对非法占用耕地的处罚", "行政处罚", "", "《中华人民共和国土地管理法》第七十七条"},
		}, merges: []string{"A1:F1", "E3:E6"}}), []towndesk.PowerItem{
			{Code: "NY-001", Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Domain: "农业农村", Basis: air119, Body: town, Mode: "法定"},
			{Code: "ZR-001", Name: "对非法占用耕地的处罚", Category: "行政处罚", Domain: "自然资源", Basis: "《中华人民共和国土地管理法》第七十七条", Body: town, Mode: "法定"},
		}, []string{"某镇.xlsx:3: 以下 1 行的所属领域取自分节行“（一）农业农村”", "某镇.xlsx:5: 以下 1 行的所属领域取自分节行“（二）自然资源”"}},
		{"a numbered heading beside a body that gives nothing is said to be left out", xlsxFile("某镇.xlsx", sheetSpec{name: "Sheet1", rows: [][]string{
			{"序号", "事项名称", "事项类型", "实施主体"},
			{"", "一、农村五保供养", "", town},
			{"1", "对露天焚烧秸秆的处罚", "行政处罚", ""},
		}, merges: []string{"D2:D3"}}), []towndesk.PowerItem{
			{Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Body: town, Mode: "法定"},
		}, []string{"某镇.xlsx: 第 2 行的事项名称读作分节标题"}},
		{"a section naming a department gives no domain", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "事项类型", "实施主体"},
			[]string{"（一）县自然资源局"},
			[]string{"1", "对非法占用耕地的处罚", "行政处罚", town},
			[]string{"（二）综合行政执法队"},
			[]string{"2", "对违法建设的处罚", "行政处罚", town},
		), []towndesk.PowerItem{
			{Name: "对非法占用耕地的处罚", Category: "行政处罚", Body: town, Mode: "法定"},
			{Name: "对违法建设的处罚", Category: "行政处罚", Body: town, Mode: "法定"},
		}, nil},
		{"a section number in 序号, a totals row and a signature row under a town list without a body column", csvFile("某镇.csv",
			[]string{"某县某镇权责清单"},
			[]string{"序号", "事项名称", "事项类型", "实施依据"},
			[]string{"一", "行政处罚"},
			[]string{"1", "对露天焚烧秸秆的处罚", "", air119},
			[]string{"（一）", "农林水利", "农林水利"},
			[]string{"2", "对违法饲养犬只的处罚", "", ""},
			[]string{"合计", "共2项"},
			[]string{"", "制表人", "张三"},
			[]string{"审核人：李四"},
		), []towndesk.PowerItem{
			{Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Basis: air119, Body: town, Mode: "法定"},
			{Name: "对违法饲养犬只的处罚", Category: "行政处罚", Domain: "农林水利", Body: town, Mode: "法定"},
		}, []string{
			"某镇.csv:2: 没有实施主体列，各行的实施主体按“某县某镇权责清单”取为 某县某镇人民政府",
			"某镇.csv:3: 以下 2 行的事项类型取自分节行“一、行政处罚”",
		}},
		{"an item whose note names a person in charge is still an item", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "事项类型", "实施主体", "备注"},
			[]string{"1", "对露天焚烧秸秆的处罚", "行政处罚", town, "负责人：王五"},
		), []towndesk.PowerItem{
			{Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Body: town, Mode: "法定", Note: "负责人：王五"},
		}, nil},
		{"a section number in 序号 with the heading merged across the row", xlsxFile("某镇.xlsx", sheetSpec{name: "Sheet1", rows: [][]string{
			{"序号", "事项编码", "事项名称", "事项类型", "实施依据", "实施主体", "承办机构", "承接方式", "备注"},
			{"一", "行政处罚（共2项）"},
			{"1", "CF-001", "对露天焚烧秸秆的处罚", "", air119, town, "综合行政执法办公室", "赋权", ""},
			{"2", "CF-002", "对违法建设的处罚", "", law65, town, "村镇建设办公室", "法定", ""},
		}, merges: []string{"B2:I2"}}), []towndesk.PowerItem{
			{Code: "CF-001", Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Basis: air119, Body: town, Office: "综合行政执法办公室", Mode: "赋权"},
			{Code: "CF-002", Name: "对违法建设的处罚", Category: "行政处罚", Basis: law65, Body: town, Office: "村镇建设办公室", Mode: "法定"},
		}, []string{"某镇.xlsx:2: 以下 2 行的事项类型取自分节行“一、行政处罚（共2项）”"}},
		{"a row numbering the columns under the header", csvFile("某镇.csv",
			[]string{"某县某镇权责清单"},
			[]string{"序号", "事项编码", "事项名称", "事项类型", "实施依据", "实施主体", "承办机构", "承接方式", "备注"},
			[]string{"1", "2", "3", "4", "5", "6", "7", "8", "9"},
			[]string{"1", "CF-001", "对露天焚烧秸秆的处罚", "行政处罚", air119, town, "综合行政执法办公室", "赋权", ""},
		), []towndesk.PowerItem{
			{Code: "CF-001", Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Basis: air119, Body: town, Office: "综合行政执法办公室", Mode: "赋权"},
		}, nil},
		{"a row numbering the columns in brackets", csvFile("某镇.csv",
			[]string{"序号", "事项名称", "事项类型", "实施主体"},
			[]string{"（1）", "（2）", "（3）", "（4）"},
			[]string{"1", "对露天焚烧秸秆的处罚", "行政处罚", town},
		), []towndesk.PowerItem{
			{Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Body: town, Mode: "法定"},
		}, nil},
		{"an unnumbered section ends the mode of the unnumbered section before it", xlsxFile("某镇.xlsx", sheetSpec{name: "Sheet1", rows: [][]string{
			{"序号", "事项名称", "实施依据", "实施主体"},
			{"行政处罚"},
			{"县级赋权事项"},
			{"1", "对露天焚烧秸秆的处罚", air119, town},
			{"乡镇自有事项"},
			{"2", "对违法建设的处罚", law65, town},
		}, merges: []string{"A2:D2", "A3:D3", "A5:D5"}}), []towndesk.PowerItem{
			{Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Basis: air119, Body: town, Mode: "赋权"},
			{Name: "对违法建设的处罚", Category: "行政处罚", Basis: law65, Body: town, Mode: "法定"},
		}, []string{
			"某镇.xlsx:2: 以下 2 行的事项类型取自分节行“行政处罚”",
			"某镇.xlsx:3: 以下 1 行的承接方式取自分节行“县级赋权事项”",
		}},
	}
	for _, h := range []string{"行政主体", "执法机关", "执法部门"} {
		tests = append(tests, layoutCase{"a body column headed " + h + " is read, not the title's town", departmentColumn(h), []towndesk.PowerItem{
			{Name: "对非法占用耕地的处罚", Category: "行政处罚", Body: "滕州市自然资源局", Mode: "法定"},
		}, nil})
	}
	runLayouts(t, tests)
}

// TestParseRefusesAmbiguous: what the review found read one way where
// another was as likely is refused, naming the file, row and column.
func TestParseRefusesAmbiguous(t *testing.T) {
	tests := []refusal{
		{"a sheet without body or title whose header differs from the titled sheet's", xlsxFile("官桥镇.xlsx",
			sheetSpec{name: "行政处罚", rows: [][]string{{"滕州市官桥镇权责清单"}, {"序号", "事项名称", "实施依据"},
				{"1", "对燃放烟花爆竹的处罚", "《烟花爆竹安全管理条例》第四十二条"}}},
			sheetSpec{name: "行政许可", rows: [][]string{{"序号", "事项名称", "设定依据", "承办机构"},
				{"1", "农村村民宅基地审批", "《中华人民共和国土地管理法》第六十二条", "自然资源所"}}},
		), []string{"官桥镇.xlsx[行政许可]:1: 表头没有实施主体列"}},
		{"a county's catalogue for all its towns gives no body", csvFile("宁津县.csv",
			[]string{"宁津县乡镇权责清单通用目录"},
			[]string{"序号", "事项名称", "事项类型", "实施依据"},
			[]string{"1", "对露天焚烧秸秆的处罚", "行政处罚", air119},
		), []string{"宁津县.csv:2: 表头没有实施主体列", "标题中也没有写明是哪个乡镇"}},
		{"a workbook whose only list sheet is hidden", xlsxFile("官桥镇.xlsx",
			sheetSpec{name: "说明", rows: [][]string{{"本清单自2024年起施行。"}}},
			sheetSpec{name: "权责清单", hidden: true, rows: [][]string{{"序号", "事项名称", "实施主体"}, {"1", "对燃放烟花爆竹的处罚", guanqiao}}},
		), []string{"官桥镇.xlsx: 可见的工作表中没有清单；隐藏的工作表 官桥镇.xlsx[权责清单] 未读取"}},
		{"a change log by its column", csvFile("官桥镇.csv",
			[]string{"序号", "事项名称", "事项类型", "调整方式", "实施主体"},
			[]string{"1", "对非法占用耕地的处罚", "行政处罚", "取消", guanqiao},
		), []string{"官桥镇.csv: 这是清单的调整（变更）说明（列 调整方式），不是权责清单本身，未导入"}},
		{"a change log by its title", csvFile("官桥镇.csv",
			[]string{"滕州市官桥镇权责清单调整情况"},
			[]string{"序号", "事项名称", "事项类型", "实施主体"},
			[]string{"1", "对非法占用耕地的处罚", "取消", guanqiao},
		), []string{"官桥镇.csv: 这是清单的调整（变更）说明（“滕州市官桥镇权责清单调整情况”）"}},
		{"a change log by the ending of its title, a bracketed year aside", csvFile("官桥镇.csv",
			[]string{"滕州市官桥镇权责清单变更情况（2024年）"},
			[]string{"序号", "事项名称", "事项类型", "实施主体"},
			[]string{"1", "对非法占用耕地的处罚", "行政处罚", guanqiao},
		), []string{"官桥镇.csv: 这是清单的调整（变更）说明（“滕州市官桥镇权责清单变更情况（2024年）”）"}},
		{"a workbook whose only sheet is a change log", xlsxFile("官桥镇.xlsx",
			sheetSpec{name: "调整说明", rows: [][]string{{"序号", "事项名称", "调整类型", "调整依据"},
				{"1", "对燃放烟花爆竹的处罚", "取消", "鲁政字〔2023〕5号"}}},
		), []string{"官桥镇.xlsx: 这是清单的调整（变更）说明（列 调整类型）"}},
	}
	for _, h := range []string{"责任单位", "主管部门"} {
		tests = append(tests, refusal{h + " without a body column, under a town's title", departmentColumn(h),
			[]string{"官桥镇.csv:2: 表头没有实施主体列，列 " + h + " 可能是实施主体"}})
	}
	runRefusals(t, tests)
}

// departmentColumn is a town's list, under the town's title, whose last
// column, headed h, names a county department: TestParseNoSilentMisread
// reads the headers that mean the body, TestParseRefusesAmbiguous refuses
// those that may.
func departmentColumn(h string) func(*testing.T) File {
	return csvFile("官桥镇.csv",
		[]string{"滕州市官桥镇权责清单"},
		[]string{"序号", "事项名称", "事项类型", h},
		[]string{"1", "对非法占用耕地的处罚", "行政处罚", "滕州市自然资源局"})
}

// TestParseTitleTown: a list imported for a town (--town) whose body is
// read from its title must be that town's list.
func TestParseTitleTown(t *testing.T) {
	f := File{"官桥镇.csv", []byte(csvText(
		[]string{"滕州市人民政府关于公布官桥镇权责清单的通知"},
		[]string{"序号", "事项名称", "事项类型", "实施依据"},
		[]string{"1", "对露天焚烧秸秆的处罚", "行政处罚", air119},
	))}
	opts := townOpts
	opts.Town = "官桥镇"
	checkLayout(t, f, opts, []towndesk.PowerItem{
		{Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Basis: air119, Body: guanqiao, Mode: "法定"},
	}, []string{"官桥镇.csv:2: 没有实施主体列，各行的实施主体按“滕州市人民政府关于公布官桥镇权责清单的通知”取为 滕州市官桥镇人民政府"})

	opts.Town = "滨湖镇"
	_, err := Parse([]File{f}, opts)
	want := "官桥镇.csv:2: 表头没有实施主体列，按“滕州市人民政府关于公布官桥镇权责清单的通知”取得的实施主体是 滕州市官桥镇人民政府，不是导入的乡镇 滨湖镇"
	if towndesk.ErrorCode(err) != towndesk.EINVALID || !strings.Contains(towndesk.ErrorMessage(err), want) {
		t.Errorf("Parse(%s, Town 滨湖镇) = %v, want EINVALID with %q", f.Name, err, want)
	}
}

// TestParseBasisHeaders: only headers known to name the legal basis are
// joined into it; a 收费依据 or 是否收费及依据 column is listed as not
// recognised, its 不收费/否 kept out of the basis.
func TestParseBasisHeaders(t *testing.T) {
	f := File{"某镇.csv", []byte(csvText(
		[]string{"序号", "事项名称", "法律依据", "法规依据", "收费依据", "是否收费及依据", "实施主体"},
		[]string{"1", "对露天焚烧秸秆的处罚", air119, sdAir85, "不收费", "否", "某镇人民政府"},
	))}
	checkLayout(t, f, townOpts, []towndesk.PowerItem{
		{Name: "对露天焚烧秸秆的处罚", Basis: air119 + "\n" + sdAir85, Body: "某镇人民政府", Mode: "法定"},
	}, nil)
	got, err := Parse([]File{f}, townOpts)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"收费依据", "是否收费及依据"} {
		if !slices.Contains(got.Unknown, w) {
			t.Errorf("Parse(%s).Unknown = %q, want it to list %s", f.Name, got.Unknown, w)
		}
	}
}

// TestParseListSpeakingOfChanges: a list whose title, note or sheet name
// speaks of changes is a list, not a change log: only a change log's
// columns or a title ending in 调整情况/变更说明 … refuse it.
func TestParseListSpeakingOfChanges(t *testing.T) {
	hdr := []string{"序号", "事项名称", "事项类型", "实施主体"}
	row := []string{"1", "对非法占用耕地的处罚", "行政处罚", guanqiao}
	want := []towndesk.PowerItem{{Name: "对非法占用耕地的处罚", Category: "行政处罚", Body: guanqiao, Mode: "法定"}}
	for _, f := range []File{
		{"官桥镇.csv", []byte(csvText([]string{"某镇权责清单（2024年变更版）"}, hdr, row))},
		{"官桥镇.csv", []byte(csvText([]string{"官桥镇权责清单"}, []string{"部分实施主体名称已变更"}, hdr, row))},
		{"官桥镇.xlsx", workbook(t, sheetSpec{name: "行政许可（含变更）", rows: [][]string{hdr, row}})},
	} {
		checkLayout(t, f, townOpts, want, nil)
	}
}

// TestParsePlaceholdersAndWrappedCells: a placeholder in an optional
// column (——, ／, 无) is an empty cell, and a name or body typed over two
// lines of one cell (Alt+Enter) is one name.
func TestParsePlaceholdersAndWrappedCells(t *testing.T) {
	f := File{"官桥镇.csv", []byte(csvText(
		[]string{"序号", "事项编码", "事项名称", "子项名称", "事项类型", "实施依据", "实施主体", "备注"},
		[]string{"1", "GQ-1", "对露天焚烧秸秆\n的处罚", "——", "行政处罚", "／", "滕州市官桥镇\n人民政府", "无"},
	))}
	checkLayout(t, f, townOpts, []towndesk.PowerItem{
		{Code: "GQ-1", Name: "对露天焚烧秸秆的处罚", Category: "行政处罚", Body: "滕州市官桥镇人民政府", Mode: "法定"},
	}, nil)
}
