package listfile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/towndesk/towndesk"
)

func TestNoteMode(t *testing.T) {
	tests := []struct {
		name, note string
		want       towndesk.Mode // "" = the note states no mode
	}{
		{"county devolution", "县级赋权事项", towndesk.ModeDevolved},
		{"devolved", "赋权乡镇实施", towndesk.ModeDevolved},
		{"granted", "赋予乡镇（街道）实施", towndesk.ModeDevolved},
		{"district devolution", "区级下放事项", towndesk.ModeDelegated},
		{"delegated", "下放乡镇实施", towndesk.ModeDelegated},
		{"entrusted", "委托乡镇实施，以县农业农村局名义执法", towndesk.ModeEntrusted},
		{"dispatched", "派驻执法", towndesk.ModeDispatched},
		{"assist", "协助县自然资源局查处", towndesk.ModeAssist},
		{"cooperate", "配合旗直部门执法", towndesk.ModeAssist},
		{"retained", "县级保留事项", towndesk.ModeRetained},
		{"retained district", "区级保留", towndesk.ModeRetained},
		{"statutory", "法定职责", towndesk.ModeStatutory},
		{"numbered", "1.县级赋权事项", towndesk.ModeDevolved},
		{"canonical word", "委托", towndesk.ModeEntrusted},
		{"spaces", "  派驻执法  ", towndesk.ModeDispatched},
		// A county list names the towns that received a power: the row
		// itself stays with the county.
		{"other towns", "已下放邦均镇、下营镇实施", ""},
		{"past", "原由沐川县住房和城乡建设局实施", ""},
		{"mode further in", "由县综合行政执法局派驻中队实施", ""},
		{"unrelated", "需报县级主管部门备案", ""},
		{"empty", "", ""},
		{"level word only", "县级", ""},
		// A mode word continued into another word is not a mode.
		{"deadline", "法定时限20个工作日", ""},
		{"time limit", "法定期限：60日", ""},
		{"legal representative", "法定代表人须到场", ""},
		{"letter of entrustment", "委托书原件", ""},
		{"cooperating units", "配合单位：县公安局", ""},
		{"assisting department", "协助部门：县市场监管局", ""},
		// A label may come before the mode.
		{"label 注", "注：委托乡镇实施", towndesk.ModeEntrusted},
		{"label 备注", "备注:县级赋权事项", towndesk.ModeDevolved},
		{"label 说明", "说明：派驻执法", towndesk.ModeDispatched},
		{"other label", "注意事项：需现场核查", ""},
		{"entrusted to the town government", "委托乡镇人民政府实施", towndesk.ModeEntrusted},
		{"label then numbering", "注：1.委托乡镇实施", towndesk.ModeEntrusted},
		{"cooperating departments", "配合部门开展执法", towndesk.ModeAssist},
		{"assisting departments", "协助部门查处", towndesk.ModeAssist},
		{"dispatched staff", "派驻人员执法", towndesk.ModeDispatched},
		{"delegated to an office", "下放人社所实施", towndesk.ModeDelegated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := noteMode(tt.note)
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("noteMode(%q) = %q, %v; want %q", tt.note, got, ok, tt.want)
			}
		})
	}
}

// A list without a mode column states the mode of some rows in its notes:
// those rows take it, the others the default, and the result says how many
// did per file. A county list's note naming the towns that received a
// power does not make the county row devolved; rows left out under
// Lenient are not counted.
func TestParseModeFromNotes(t *testing.T) {
	noMode := "序号,事项编码,事项名称,事项类别,实施主体,说明\n" +
		"1,A1,对甲的处罚,行政处罚,某乡人民政府,县级赋权事项\n" +
		"2,A2,对乙的处罚,行政处罚,某县农业农村局,委托乡镇实施\n" +
		"3,A3,对丙的处罚,行政处罚,某县综合行政执法局第三中队,派驻执法\n" +
		"4,A4,乙事项审核,其他行政权力,某乡人民政府,\n" +
		"5,A5,对丁的处罚,行政处罚,某县自然资源局,配合县自然资源局查处\n" +
		"6,A6,对戊的处罚,行政处罚,某乡人民政府,下放乡镇实施\n" +
		"7,A7,丙事项审核,其他行政权力,某乡人民政府,需报县级备案\n"
	twoNotes := "事项名称,实施主体,备注,说明\n" +
		"对己的处罚,某县民政局,以某县民政局名义实施,委托乡镇实施\n" +
		"对庚的处罚,某县民政局,,\n"
	withMode := "事项名称,实施主体,承接方式,备注\n" +
		"对辛的处罚,某乡人民政府,赋权,委托乡镇实施\n" + // the column wins over the note
		"对壬的处罚,某县农业农村局,委托乡镇实施,\n" // the column in words
	jsonl := `{"name":"对癸的处罚","body":"某乡人民政府","note":"县级赋权事项"}
{"name":"对子的处罚","body":"某乡人民政府"}
{"name":"对丑的处罚","body":"某乡人民政府","mode":"协助","note":"县级赋权事项"}
`
	county := "权力编码,权力名称,实施主体,备注\n" +
		"C1,对甲的处罚,某区城市管理委员会,已下放邦均镇实施\n" +
		"C2,对乙的处罚,某区城市管理委员会,\n"
	oneLeftOut := "事项名称,实施主体,备注\n" +
		"对甲的处罚,某镇人民政府,\n" +
		"对乙的处罚,,\n" +
		"对丙的处罚,某镇人民政府,委托乡镇实施\n"
	lenient := townOpts
	lenient.Lenient = true
	tests := []struct {
		name      string
		files     []File
		opts      Options
		modes     []towndesk.Mode
		skipped   []string // each in the one row left out at its place
		defaulted []Defaulted
	}{
		{"notes column", []File{{"乡.csv", gb18030(t, noMode)}}, townOpts,
			[]towndesk.Mode{"赋权", "委托", "派驻", "法定", "协助", "下放", "法定"}, nil,
			[]Defaulted{{File: "乡.csv", Rows: 2, Mode: "法定", FromNotes: 5, NoteColumn: "说明"}}},
		{"second note column", []File{{"两列.csv", []byte(twoNotes)}}, townOpts,
			[]towndesk.Mode{"委托", "法定"}, nil,
			[]Defaulted{{File: "两列.csv", Rows: 1, Mode: "法定", FromNotes: 1, NoteColumn: "备注"}}},
		{"mode column", []File{{"有列.csv", []byte(withMode)}}, townOpts,
			[]towndesk.Mode{"赋权", "委托"}, nil, nil},
		{"jsonl", []File{{"乡.jsonl", []byte(jsonl)}}, townOpts,
			[]towndesk.Mode{"赋权", "法定", "协助"}, nil,
			[]Defaulted{{File: "乡.jsonl", Rows: 1, Mode: "法定", FromNotes: 1, NoteColumn: "note"}}},
		{"per file", []File{{"有列.csv", []byte(withMode)}, {"两列.csv", []byte(twoNotes)}}, townOpts,
			[]towndesk.Mode{"赋权", "委托", "委托", "法定"}, nil,
			[]Defaulted{{File: "两列.csv", Rows: 1, Mode: "法定", FromNotes: 1, NoteColumn: "备注"}}},
		{"a county's note naming towns keeps the default", []File{{"区.csv", []byte(county)}}, Options{DefaultMode: towndesk.ModeRetained},
			[]towndesk.Mode{towndesk.ModeRetained, towndesk.ModeRetained}, nil,
			[]Defaulted{{File: "区.csv", Rows: 2, Mode: towndesk.ModeRetained, NoteColumn: "备注"}}},
		{"rows left out are not counted", []File{{"镇.csv", []byte(oneLeftOut)}}, lenient,
			[]towndesk.Mode{"法定", "委托"}, []string{"镇.csv:3"},
			[]Defaulted{{File: "镇.csv", Rows: 1, Mode: towndesk.ModeStatutory, FromNotes: 1, NoteColumn: "备注"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.files, tt.opts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var modes []towndesk.Mode
			for _, it := range got.Items {
				modes = append(modes, it.Mode)
			}
			if diff := cmp.Diff(tt.modes, modes); diff != "" {
				t.Errorf("modes (-want +got):\n%s", diff)
			}
			if len(got.Skipped) != len(tt.skipped) {
				t.Errorf("skipped = %v, want rows %v", got.Skipped, tt.skipped)
			}
			for i, p := range got.Skipped {
				if i < len(tt.skipped) && !strings.Contains(p.String(), tt.skipped[i]) {
					t.Errorf("skipped[%d] = %v, want row %s", i, p, tt.skipped[i])
				}
			}
			if diff := cmp.Diff(tt.defaulted, got.Defaulted); diff != "" {
				t.Errorf("Defaulted (-want +got):\n%s", diff)
			}
		})
	}
}
