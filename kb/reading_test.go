package kb_test

import (
	"testing"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/internal/testenv"
	"github.com/towndesk/towndesk/kb"
)

// TestHintOfTheAskingClause: a word that hints at a kind of power (罚, 批,
// 收费, 抽检) says what is asked only in the clause that asks; in a clause
// that tells what happened (被罚过, 批了, 挖了…收费) it describes the case.
// The asking clause's hint goes first.
func TestHintOfTheAskingClause(t *testing.T) {
	k := ruleLists(t)
	tests := []struct {
		question, category string
	}{
		{"滕州市有家店门口乱贴广告，上个月被罚过，现在想正规设广告牌，需要找哪个部门批", "行政许可"},
		{"滕州市有人的采伐许可只批了十棵，他砍了一整片，归谁处罚", "行政处罚"},
		{"滕州市有家物业把楼下空地围了起来收费，居民不满意，这个谁管", ""},
		{"滕州市饭店的菜被抽检出来不合格，找谁", ""},
		{"滕州市要在河道管理范围内采砂，审批找谁", "行政许可"},
		{"滕州市想在河道里采砂要审批找谁，去年被罚过一次", "行政许可"},
		{"滕州市村里有人烧了秸秆要罚款，谁管", "行政处罚"},
		{"滕州市建设工程规划许可证要不要审批，找谁", "行政许可"},
		{"滕州市土地违法的监督检查是镇里去搞，还是市里来人搞", "行政检查"},
	}
	for _, tt := range tests {
		res, err := k.Ask(t.Context(), kb.Query{Question: tt.question})
		if err != nil {
			t.Fatal(err)
		}
		if res.Category != tt.category {
			t.Errorf("%s: category %q, want %q", tt.question, res.Category, tt.category)
		}
	}
}

// TestWhetherTheTownGrants: asked whether a licence is got at the town
// (采伐证能在镇上办吗), a question stays a yes/no question, about the grant:
// not about punishing the matter the licence is for.
func TestWhetherTheTownGrants(t *testing.T) {
	res, err := ruleLists(t).Ask(t.Context(), kb.Query{Question: "滨湖镇要建厂房，建设工程规划许可证能在镇上办吗"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Intent != towndesk.IntentCan || res.Category != "行政许可" || len(res.Matches) == 0 || res.Matches[0].Item.Code != "C-XK" {
		t.Errorf("intent %q, category %q, matches %v; want a yes/no question about the grant, C-XK first", res.Intent, res.Category, res.Matches)
	}
}

// TestRuralSetting: a question set in a village (村里有人乱搭乱建) asks, of
// the rows of its matter, the one about the countryside (乡村建设规划许可证);
// the same question in town asks the general one.
func TestRuralSetting(t *testing.T) {
	db := testenv.DB(t, "")
	const zf, cf, rt = "滕州市综合行政执法局", "行政处罚", towndesk.ModeRetained
	importList(t, db, "", "1",
		towndesk.PowerItem{Code: "C-WJ", Name: "对未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的处罚", Category: cf, Body: zf, Mode: rt},
		towndesk.PowerItem{Code: "C-XC", Name: "对在乡、村庄规划区内未依法取得乡村建设规划许可证或者未按照乡村建设规划许可证的规定进行建设的处罚", Category: cf, Body: zf, Mode: rt},
		towndesk.PowerItem{Code: "C-LJ", Name: "对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚", Category: cf, Body: zf, Mode: rt},
		towndesk.PowerItem{Code: "C-JG", Name: "对露天焚烧秸秆、落叶等产生烟尘污染的物质的处罚", Category: cf, Body: zf, Mode: rt},
	)
	k := openKB(t, db)
	wantFirst(t, k, map[string]string{
		"滕州市村里有人乱搭乱建，谁管":  "C-XC",
		"滕州市我们村有人乱搭乱建，谁管": "C-XC",
		"滕州市街上有人乱搭乱建，谁管":  "C-WJ",
	})
}

// TestSubItemsToldApartByTheirOwnWords: the sub-items of one item share its
// name, so the question's words in that name match them all alike; the
// sub-item whose own words the question covers comes first.
func TestSubItemsToldApartByTheirOwnWords(t *testing.T) {
	db := testenv.DB(t, "")
	const name = "对擅自改变物业管理区域内公共建筑和共用设施用途、擅自占用挖掘物业管理区域内道路场地、擅自利用物业共用部位经营的处罚"
	sub := func(code, s string) towndesk.PowerItem {
		return towndesk.PowerItem{Code: code, Name: name, SubItem: s, Category: "行政处罚", Body: "滕州市住房和城乡建设局", Mode: towndesk.ModeRetained}
	}
	importList(t, db, "", "1",
		sub("S-1", "擅自改变公共建筑和共用设施用途"),
		sub("S-2", "擅自占用、挖掘物业管理区域内道路、场地"),
		sub("S-3", "擅自利用物业共用部位、共用设施设备进行经营"),
		towndesk.PowerItem{Code: "C-YF", Name: "对物业服务企业擅自改变物业管理用房用途的处罚", Category: "行政处罚", Body: "滕州市住房和城乡建设局", Mode: towndesk.ModeRetained},
		towndesk.PowerItem{Code: "C-LJ", Name: "对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚", Category: "行政处罚", Body: "滕州市综合行政执法局", Mode: towndesk.ModeRetained},
	)
	k := openKB(t, db)
	wantFirst(t, k, map[string]string{
		"滕州市小区物业把大家共用的架空层租给别人开棋牌室，谁来罚": "S-3",
		"滕州市小区物业把小区里的道路挖开了，谁来罚":        "S-2",
	})
}

// wantFirst asks k each question and wants the row of the given code first.
func wantFirst(t *testing.T, k *kb.KB, want map[string]string) {
	t.Helper()
	for q, code := range want {
		res, err := k.Ask(t.Context(), kb.Query{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Matches) == 0 || res.Matches[0].Item.Code != code {
			t.Errorf("%s: %s %v, want %s first", q, res.Status, res.Matches, code)
		}
	}
}
