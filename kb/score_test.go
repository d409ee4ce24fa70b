package kb

import (
	"math"
	"testing"

	"github.com/towndesk/towndesk"
)

// TestMatchPartOfLongerWord: a question word that a row's name has only as
// a part of a longer word (养殖 of 养殖场) counts as found inside a word,
// not as the word itself: a row that has the word on its own ranks first.
// Inside a word of another meaning (小区 of 养殖小区) it is not found.
func TestMatchPartOfLongerWord(t *testing.T) {
	p := DefaultParams()
	c := concept{surface: "养殖", forms: []form{{text: "养殖", credit: p.Exact, idf: 3}}, weight: 3}
	weight := func(string) float64 { return 1 }
	whole := rowText{name: "对在禁止养殖区域内建设的处罚", tokens: []string{"对", "在", "禁止", "养殖", "区域", "内", "建设", "的", "处罚"}}
	part := rowText{name: "对畜禽养殖场未建设污染防治配套设施的处罚", tokens: []string{"对", "畜禽", "养殖场", "未", "建设", "污染", "防治", "配套", "设施", "的", "处罚"},
		fine: []string{"对", "畜禽", "养殖", "场", "未", "建设", "污染", "防治", "配套", "设施", "的", "处罚"}}
	mw, _ := match(c, whole, weight, p)
	mp, _ := match(c, part, weight, p)
	if mw != p.Exact || mp != p.Exact*p.Inside {
		t.Errorf("match(养殖) = %.2f on its own, %.2f as part of 养殖场; want %.2f and %.2f", mw, mp, p.Exact, p.Exact*p.Inside)
	}
	xq := concept{surface: "小区", forms: []form{{text: "小区", credit: p.Exact, idf: 3}}, weight: 3}
	breeding := rowText{name: "对在禁止养殖区域内建设畜禽养殖场、养殖小区的处罚", tokens: []string{"对", "在", "禁止", "养殖", "区域", "内", "建设", "畜禽", "养殖场", "养殖小区", "的", "处罚"},
		fine: []string{"对", "在", "禁止", "养殖", "区域", "内", "建设", "畜禽", "养殖", "场", "养殖", "小区", "的", "处罚"}}
	if m, _ := match(xq, breeding, weight, p); m != 0 {
		t.Errorf("match(小区) = %.2f in a row on 养殖小区, want 0", m)
	}
}

// TestCandidateNeedsAWord: a row that shares only a single character with
// the question (证 of 独生子女证 in 无木材运输证) is not a candidate, however
// well it scores; a row sharing a word of two characters is.
func TestCandidateNeedsAWord(t *testing.T) {
	p := DefaultParams()
	k := &KB{params: p}
	weight := func(w string) float64 {
		switch w {
		case "对", "无", "的", "处罚":
			return 0.1
		}
		return 2
	}
	q := parsed{rareWeight: 8, concepts: []concept{
		{surface: "独生子女"}, // no list uses it
		{surface: "证", forms: []form{{text: "证", credit: p.Exact, idf: 2}}, weight: 2 * p.SingleWeight},
	}}
	row := rowText{name: "对无木材运输证运输木材的处罚", tokens: []string{"对", "无", "木材", "运输", "证", "运输", "木材", "的", "处罚"}}
	rs := score(q, row, towndesk.PowerItem{Category: "行政处罚"}, weight, p)
	if rs.worded || rs.score < p.Candidate {
		t.Fatalf("score(证 against 运输证 row) = %.2f worded %v; the case needs a score over Candidate and no word matched", rs.score, rs.worded)
	}
	var res towndesk.AskResult
	k.candidates(&res, []scoredRow{{rowScore: rs}}, nil)
	if res.Status != towndesk.StatusNotFound {
		t.Errorf("a row matching only 证 gives %s, want not found", res.Status)
	}

	q.concepts[1] = concept{surface: "木材", forms: []form{{text: "木材", credit: p.Exact, idf: 2}}, weight: 2}
	rs = score(q, row, towndesk.PowerItem{Category: "行政处罚"}, weight, p)
	res = towndesk.AskResult{}
	k.candidates(&res, []scoredRow{{rowScore: rs}}, nil)
	if !rs.worded || res.Status != towndesk.StatusUncertain {
		t.Errorf("a row matching 木材 gives %s (worded %v), want a candidate", res.Status, rs.worded)
	}
}

// TestLacksApproval: when a question says the approval was missing (没有许可证
// 就…), of two rows that match it alike the one about lacking the approval
// (未取得…许可) scores Params.LacksApproval more; without that, neither gains.
func TestLacksApproval(t *testing.T) {
	p := DefaultParams()
	weight := func(string) float64 { return 2 }
	c := concept{surface: "食品", forms: []form{{text: "食品", credit: p.Exact, idf: 2}}, weight: 2}
	lacks := rowText{name: "对未取得食品生产经营许可从事食品生产经营活动的处罚",
		tokens: []string{"对", "未", "取得", "食品", "生产", "经营", "许可", "从事", "食品", "生产", "经营", "活动", "的", "处罚"}}
	other := rowText{name: "对食品生产经营者未按规定建立并遵守进货查验记录制度的处罚",
		tokens: []string{"对", "食品", "生产", "经营者", "未", "按", "规定", "建立", "并", "遵守", "进货", "查验", "记录", "制度", "的", "处罚"}}
	item := func(r rowText) towndesk.PowerItem { return towndesk.PowerItem{Name: r.name, Category: "行政处罚"} }
	for _, negated := range []bool{false, true} {
		q := parsed{concepts: []concept{c}, missing: negated, rareWeight: 8}
		gain := score(q, lacks, item(lacks), weight, p).score - score(parsed{concepts: []concept{c}, rareWeight: 8}, lacks, item(lacks), weight, p).score
		otherGain := score(q, other, item(other), weight, p).score - score(parsed{concepts: []concept{c}, rareWeight: 8}, other, item(other), weight, p).score
		want := 0.0
		if negated {
			want = p.LacksApproval
		}
		if math.Abs(gain-want) > 1e-9 || otherGain != 0 {
			t.Errorf("negated %v: the 未取得许可 row gains %.3f (want %.3f), the other row %.3f (want 0)", negated, gain, want, otherGain)
		}
	}
}

// TestUnusedWordMatchesByParts: a question's own word that no list uses
// (承包林地) but whose parts a row has apart (个人承包集体林地) covers those
// parts of the row, beside its dictionary term: of two rows with the term,
// the one that also says 承包 covers more of itself.
func TestUnusedWordMatchesByParts(t *testing.T) {
	p := DefaultParams()
	weight := func(string) float64 { return 1 }
	c := concept{surface: "承包林地", known: true, weight: 3, forms: []form{
		{text: "承包林地", parts: []string{"承包", "林地"}, credit: p.Exact},
		{text: "林地", credit: p.Synonym, idf: 3},
	}}
	q := parsed{rareWeight: 8, concepts: []concept{c}}
	row := rowText{name: "个人承包集体林地上的林木采伐许可证核发", tokens: []string{"个人", "承包", "集体", "林地", "上", "的", "林木", "采伐", "许可证", "核发"}}
	_, found := match(c, row, weight, p)
	if len(found) != 2 {
		t.Fatalf("match(承包林地) found %+v, want the word by its parts and 林地", found)
	}
	rs := score(q, row, towndesk.PowerItem{Category: "行政许可"}, weight, p)
	if want := 2.0 / 10; math.Abs(rs.rcov-want) > 1e-9 {
		t.Errorf("row coverage %.2f, want %.2f (承包 and 林地 of ten words)", rs.rcov, want)
	}
}

// TestExceededApproval: when a question says an approval was exceeded
// (超出许可范围), the row about going beyond one (超范围生产) gains
// Params.LacksApproval and the row about lacking one (未取得许可) does not;
// when it says the approval was missing, the other way round.
func TestExceededApproval(t *testing.T) {
	p := DefaultParams()
	weight := func(string) float64 { return 2 }
	c := concept{surface: "烟花爆竹", forms: []form{{text: "烟花爆竹", credit: p.Exact, idf: 2}}, weight: 2}
	beyond := rowText{name: "对烟花爆竹生产企业超范围生产的处罚", tokens: []string{"对", "烟花爆竹", "生产", "企业", "超", "范围", "生产", "的", "处罚"}}
	lacking := rowText{name: "对未取得安全生产许可证生产烟花爆竹的处罚", tokens: []string{"对", "未", "取得", "安全", "生产", "许可证", "生产", "烟花爆竹", "的", "处罚"}}
	gain := func(q parsed, r rowText) float64 {
		it := towndesk.PowerItem{Name: r.name, Category: "行政处罚"}
		return score(q, r, it, weight, p).score - score(parsed{concepts: q.concepts, rareWeight: 8}, r, it, weight, p).score
	}
	exceeded := parsed{concepts: []concept{c}, exceeded: true, rareWeight: 8}
	missing := parsed{concepts: []concept{c}, missing: true, rareWeight: 8}
	for _, tt := range []struct {
		name   string
		q      parsed
		gb, gl float64 // gains of the beyond and the lacking row
	}{
		{"exceeded", exceeded, p.LacksApproval, 0},
		{"missing", missing, 0, p.LacksApproval},
	} {
		if b, l := gain(tt.q, beyond), gain(tt.q, lacking); math.Abs(b-tt.gb) > 1e-9 || math.Abs(l-tt.gl) > 1e-9 {
			t.Errorf("%s: the 超范围 row gains %.3f (want %.3f), the 未取得许可 row %.3f (want %.3f)", tt.name, b, tt.gb, l, tt.gl)
		}
	}
}

// TestPartsOnly: a row matching some, not all, of the parts of one compound
// of the question (事故 of 交通事故) matches a word that means something
// else there; a row matching all of them, or a word standing alone, does
// not; nor does missing a one-character part (黑 of 黑作坊).
func TestPartsOnly(t *testing.T) {
	p := DefaultParams()
	weight := func(string) float64 { return 2 }
	word := func(s string, compound int) concept {
		return concept{surface: s, compound: compound, weight: 2, forms: []form{{text: s, credit: p.Exact, idf: 2}}}
	}
	accident := rowText{name: "对造成大气污染事故的处罚", tokens: []string{"对", "造成", "大气", "污染", "事故", "的", "处罚"}}
	traffic := rowText{name: "对交通事故逃逸的处罚", tokens: []string{"对", "交通", "事故", "逃逸", "的", "处罚"}}
	workshop := rowText{name: "对食品小作坊违法行为的处罚", tokens: []string{"对", "食品", "小", "作坊", "违法", "行为", "的", "处罚"}}
	black := word("黑", 2)
	black.weight = 0
	for _, tt := range []struct {
		name string
		q    []concept
		row  rowText
		want bool
	}{
		{"one part of 交通事故", []concept{word("交通", 1), word("事故", 1)}, accident, true},
		{"all parts of 交通事故", []concept{word("交通", 1), word("事故", 1)}, traffic, false},
		{"事故 standing alone", []concept{word("事故", 0)}, accident, false},
		{"a one-character part missed", []concept{black, word("作坊", 2)}, workshop, false},
	} {
		q := parsed{concepts: tt.q, rareWeight: 8}
		if got := score(q, tt.row, towndesk.PowerItem{Category: "行政处罚"}, weight, p).partsOnly; got != tt.want {
			t.Errorf("%s: partsOnly = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestSaidHintCoversRow: the words that named the kind of power asked
// about (监督检查) are part of what the question says of a row whose name
// has them: the row covers more of itself.
func TestSaidHintCoversRow(t *testing.T) {
	p := DefaultParams()
	weight := func(string) float64 { return 1 }
	c := concept{surface: "保护", forms: []form{{text: "保护", credit: p.Exact, idf: 2}}, weight: 2}
	r := rowText{name: "森林资源保护情况监督检查", tokens: []string{"森林资源", "保护", "情况", "监督检查"}}
	it := towndesk.PowerItem{Name: r.name, Category: "行政检查"}
	q := parsed{concepts: []concept{c}, category: "行政检查", rareWeight: 8}
	without := score(q, r, it, weight, p).rcov
	q.said = []string{"监督检查"}
	if with := score(q, r, it, weight, p).rcov; with <= without {
		t.Errorf("row coverage %.2f with 监督检查 said, %.2f without: want more", with, without)
	}
}
