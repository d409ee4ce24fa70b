package listfile

import (
	"testing"

	"github.com/towndesk/towndesk"
)

// TestParseNoSilentMisread reads the inputs a review found imported with
// exit status 0 but wrong rows: each must now be read as a person reads
// it, or the import must say how it read it.
func TestParseNoSilentMisread(t *testing.T) {
	const town = "某县某镇人民政府"
	tests := []struct {
		name    string
		file    func(t *testing.T) File
		want    []towndesk.PowerItem
		notices []string
	}{
		{"an item named （一）… with 序号, category and body is not a section", func(t *testing.T) File {
			return File{"某镇.csv", []byte(csvText(
				[]string{"序号", "事项名称", "事项类型", "实施主体"},
				[]string{"1", "（一）对未取得乡村建设规划许可证进行建设的处罚", "行政处罚", town},
			))}
		}, []towndesk.PowerItem{
			{Name: "（一）对未取得乡村建设规划许可证进行建设的处罚", Category: "行政处罚", Body: town, Mode: "法定"},
		}, nil},
		{"an item named 一、… with an empty basis is not a section", func(t *testing.T) File {
			return File{"某镇.csv", []byte(csvText(
				[]string{"序号", "事项名称", "事项类型", "实施依据", "实施主体"},
				[]string{"1", "一、农村村民宅基地审批初审", "行政许可", "", "某镇人民政府"},
			))}
		}, []towndesk.PowerItem{
			{Name: "一、农村村民宅基地审批初审", Category: "行政许可", Body: "某镇人民政府", Mode: "法定"},
		}, nil},
		{"an item named 第二类… is not a section", func(t *testing.T) File {
			return File{"某镇.csv", []byte(csvText(
				[]string{"序号", "事项名称", "事项类型", "实施主体"},
				[]string{"1", "第二类精神药品零售审批", "", "某镇人民政府"},
			))}
		}, []towndesk.PowerItem{
			{Name: "第二类精神药品零售审批", Body: "某镇人民政府", Mode: "法定"},
		}, nil},
		{"a CSV sub-item row holding only its sub-item is not a section", func(t *testing.T) File {
			return File{"某镇.csv", []byte(csvText(
				[]string{"序号", "事项名称", "子项名称", "事项类型", "实施依据", "实施主体"},
				[]string{"1", main65, sub65a, "行政处罚", "《城乡规划法》第六十五条", "某镇人民政府"},
				[]string{"", "", sub65b, "", "", ""},
			))}
		}, []towndesk.PowerItem{
			{Name: main65, SubItem: sub65a, Category: "行政处罚", Basis: "《城乡规划法》第六十五条", Body: "某镇人民政府", Mode: "法定"},
			{Name: main65, SubItem: sub65b, Category: "行政处罚", Basis: "《城乡规划法》第六十五条", Body: "某镇人民政府", Mode: "法定"},
		}, []string{"某镇.csv: 第 3 行只写了子项名称、没有事项名称"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLayout(t, tt.file(t), townOpts, tt.want, tt.notices)
		})
	}
}
