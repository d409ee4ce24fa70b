package kb

import "testing"

// TestMatchPartOfLongerWord: a question word that a row's name has only as
// a part of a longer word (小区 of 养殖小区) counts as found inside a word,
// not as the word itself: a row that has the word on its own ranks first.
func TestMatchPartOfLongerWord(t *testing.T) {
	p := DefaultParams()
	c := concept{surface: "小区", forms: []form{{text: "小区", credit: p.Exact, idf: 3}}, weight: 3}
	weight := func(string) float64 { return 1 }
	whole := rowText{name: "对物业服务企业擅自占用小区公共场地的处罚", tokens: []string{"对", "物业服务企业", "擅自", "占用", "小区", "公共", "场地", "的", "处罚"}}
	part := rowText{name: "对在禁止养殖区域内建设畜禽养殖场、养殖小区的处罚", tokens: []string{"对", "在", "禁止", "养殖", "区域", "内", "建设", "畜禽", "养殖场", "养殖小区", "的", "处罚"},
		fine: []string{"对", "在", "禁止", "养殖", "区域", "内", "建设", "畜禽", "养殖", "场", "养殖", "小区", "的", "处罚"}}
	mw, _ := match(c, whole, weight, p)
	mp, _ := match(c, part, weight, p)
	if mw != p.Exact || mp != p.Exact*p.Inside {
		t.Errorf("match(小区) = %.2f on its own, %.2f as part of 养殖小区; want %.2f and %.2f", mw, mp, p.Exact, p.Exact*p.Inside)
	}
}
