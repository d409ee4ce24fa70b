package kb_test

import (
	"reflect"
	"testing"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/internal/testenv"
	"github.com/towndesk/towndesk/kb"
)

// ruleLists is a small county list and one town list, enough rows of
// ordinary list wording that term weights behave as in a real list: the
// words every row has (对, 的, 处罚, 规定) weigh little, a matter's own words
// much.
func ruleLists(t *testing.T) *kb.KB {
	t.Helper()
	db := testenv.DB(t, "")
	row := func(code, name, category, body string, mode towndesk.Mode) towndesk.PowerItem {
		return towndesk.PowerItem{Code: code, Name: name, Category: category, Body: body, Mode: mode}
	}
	const (
		zf = "滕州市综合行政执法局"
		zr = "滕州市自然资源局"
		ny = "滕州市农业农村局"
		sl = "滕州市水利局"
		yj = "滕州市应急管理局"
		sj = "滕州市市场监督管理局"
		cg = "滕州市城市管理局"
		cf = "行政处罚"
		rt = towndesk.ModeRetained
	)
	importList(t, db, "", "1",
		row("C-WJ", "对未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的处罚", cf, zf, rt),
		row("C-ZD1", "对未经批准擅自在街道两侧和公共场地堆放物料，搭建建筑物、构筑物或者其他设施的处罚", cf, zf, rt),
		row("C-ZD2", "对擅自占用城市道路摆摊设点、店外经营等占道经营行为的处罚", cf, cg, rt),
		row("C-JG", "对露天焚烧秸秆、落叶等产生烟尘污染的物质的处罚", cf, zf, rt),
		row("C-LJ", "对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚", cf, zf, rt),
		row("C-XK", "建设工程规划许可证核发", "行政许可", zr, rt),
		row("C-HD", "对违反河道管理规定行为的处罚", cf, sl, rt),
		row("C-AQ", "对生产经营单位未采取措施消除事故隐患的处罚", cf, yj, rt),
		row("C-SP", "对食品生产经营者未按规定建立并遵守进货查验记录制度等行为的处罚", cf, sj, rt),
		row("C-BS", "对未按照规定处理或者随意弃置病死动物、病害动物产品的处罚", cf, ny, rt),
		row("C-GG", "对未经同意擅自设置大型户外广告，影响市容的处罚", cf, zf, rt),
		row("C-YH", "对在城市人民政府禁止的时段和区域内燃放烟花爆竹的处罚", cf, zf, rt),
		row("C-SY", "对未经批准在河道管理范围内采砂、取土的处罚", cf, sl, rt),
		row("C-YZ", "指导业主成立业主大会、选举业主委员会", "其他行政权力", "滕州市住房和城乡建设局", rt),
		row("C-BA", "业主委员会备案", "其他行政权力", "滕州市住房和城乡建设局", rt),
		row("C-QZ", "违法建设施工现场查封及强制拆除", "行政强制", zf, rt),
		towndesk.PowerItem{Code: "C-MR-1", Name: "对违反城市市容和环境卫生管理规定行为的处罚", SubItem: "随地吐痰、便溺，乱扔果皮、纸屑和烟头",
			Category: cf, Body: zf, Mode: rt},
		towndesk.PowerItem{Code: "C-MR-2", Name: "对违反城市市容和环境卫生管理规定行为的处罚", SubItem: "在临街建筑物的阳台外堆放、吊挂有碍市容的物品",
			Category: cf, Body: zf, Mode: rt},
	)
	const gov = "滕州市滨湖镇人民政府"
	importList(t, db, "滨湖镇", "1",
		row("T-JG", "对露天焚烧秸秆、落叶等产生烟尘污染的物质的处罚", cf, gov, towndesk.ModeDevolved),
		row("T-LJ", "对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚", cf, zf, towndesk.ModeAssist),
		row("T-MR", "对违反城市市容和环境卫生管理规定行为的处罚", cf, gov, towndesk.ModeDevolved),
		row("T-HD", "对违反河道管理规定行为的处罚", cf, gov, towndesk.ModeDevolved),
		row("T-AQ", "对生产经营单位未采取措施消除事故隐患的处罚", cf, yj, towndesk.ModeAssist),
	)
	return openKB(t, db)
}

// TestDefaultParamsSet checks that DefaultParams sets every parameter: a
// field left out is 0, which silently turns its rule off.
func TestDefaultParamsSet(t *testing.T) {
	// Parameters calibrated to 0 on purpose.
	zero := map[string]bool{"Margin": true, "CandidateCoverage": true}
	v := reflect.ValueOf(kb.DefaultParams())
	for i := 0; i < v.NumField(); i++ {
		name := v.Type().Field(i).Name
		if v.Field(i).IsZero() && !zero[name] {
			t.Errorf("DefaultParams().%s is not set", name)
		}
	}
}

// TestMatcherRules has one case per rule of the matcher (see Params).
func TestMatcherRules(t *testing.T) {
	k := ruleLists(t)
	tests := []struct {
		rule     string
		question string
		status   towndesk.AskStatus // "" accepts answered or uncertain
		top      string             // code of the first row shown
		role     towndesk.Role
		lacks    bool
		intent   towndesk.Intent
	}{
		{rule: "exact list wording beats a synonym expansion",
			question: "滕州市有人在街上摆摊占道经营归谁管", top: "C-ZD2"},
		{rule: "question words no list uses neither match nor penalise",
			question: "滕州市有户人家把楼顶加盖了一层，邻居有意见，谁来查？", top: "C-WJ"},
		{rule: "a specific list term outweighs everyday words",
			question: "滕州市村口有人一大早在地里烧秸秆，烟很大", top: "C-JG"},
		{rule: "a category word prefers rows of that kind",
			question: "滕州市建设工程规划许可证的审批找谁", top: "C-XK"},
		{rule: "a licence question prefers licences and is phrased as where to apply",
			question: "滕州市要办建设工程规划许可证，去哪办", top: "C-XK", intent: towndesk.IntentApply},
		{rule: "a licence question is never answered with a row that enforces",
			question: "滕州市有人想在地里烧秸秆，要办什么证，去哪办", status: towndesk.StatusUncertain, top: "C-JG", intent: towndesk.IntentApply},
		{rule: "a dictionary word that ends in a question frame still asks what the frame asks",
			question: "滕州市的规划证在哪办", top: "C-XK", intent: towndesk.IntentApply},
		{rule: "asking where to apply in words no frame lists (到啥地方去办) asks where to apply",
			question: "滕州市有个企业要建厂房，建设工程规划许可证要到啥地方去办", top: "C-XK", intent: towndesk.IntentApply},
		{rule: "asking whose consent is needed (要哪个部门同意) asks where to apply",
			question: "滕州市要盖厂房，要哪个部门同意", top: "C-XK", intent: towndesk.IntentApply},
		{rule: "what a frame says is to be done (去哪备案) is part of the matter",
			question: "滕州市新成立的业委会去哪备案", top: "C-BA", intent: towndesk.IntentApply},
		{rule: "asking who seals off or pulls down (谁来查封强拆) asks about the coercive measure, though the building lacked a permit",
			question: "滕州市有栋没规划证的违建楼，限拆通知下了还不拆，谁来查封强拆", top: "C-QZ"},
		{rule: "a sentence-final 的 after an approval word (需要审批的，找谁) still asks for the grant",
			question: "滕州市有个企业要盖厂房，建设工程规划许可证是需要审批的，找谁", top: "C-XK"},
		{rule: "what was approved (批的是一层) describes the case and does not ask for a grant",
			question: "滕州市有户人家批的是一层，结果盖了三层还往外扩，谁管", top: "C-WJ"},
		{rule: "a fine asked about stays a penalty question",
			question: "滕州市有栋没规划证的违建楼，谁来罚，能不能强拆", top: "C-WJ"},
		{rule: "without a category word, who manages X is about enforcing",
			question: "滕州市建设工程规划许可证的事归谁管", top: "C-WJ"},
		{rule: "a matter no list has is not found",
			question: "滕州市户口迁移找谁", status: towndesk.StatusNotFound},
		{rule: "a matter the dictionary knows and no list holds is not found, though a side word matches a row",
			question: "滕州市有个老板拖欠工人工资半年了，工人都跑到河边去闹，讨薪找谁", status: towndesk.StatusNotFound},
		{rule: "a matter outside the lists said beside a list matter does not hide it",
			question: "滕州市有人在地里烧秸秆，烟很大，他还欠着工人的工钱没给", top: "C-JG"},
		{rule: "an institution's name is not read as its parts (卫生院 is not 卫生)",
			question: "滕州市卫生院看病怎么报销", status: towndesk.StatusNotFound},
		{rule: "a quantity is not the matter: how much was burnt does not make the question less sure",
			question: "滕州市有人在地里烧了几十亩秸秆，烧了三天，谁管", status: towndesk.StatusAnswered, top: "C-JG"},
		{rule: "a bare 查 asks who enforces (查处 as much as 检查), not who grants",
			question: "滕州市建设工程规划许可证的事哪个部门来查", top: "C-WJ"},
		{rule: "a row matching one part of a compound that means something else (事故 of 交通事故) is no candidate",
			question: "滕州市两辆车撞了，交通事故谁处理", status: towndesk.StatusNotFound},
		{rule: "chatter is not found",
			question: "滕州市今天天气怎么样", status: towndesk.StatusNotFound},
		{rule: "the town's own row answers for the town",
			question: "滨湖镇有人在地里烧秸秆谁管", status: towndesk.StatusAnswered, top: "T-JG", role: towndesk.RoleTown},
		{rule: "a town that only assists: the county's row answers, and the town lacks the power",
			question: "滨湖镇有人随意倾倒生活垃圾谁管", status: towndesk.StatusAnswered, top: "C-LJ", role: towndesk.RoleCounty, lacks: true},
		{rule: "a town row inherits the county's sub-items of the same item",
			question: "滨湖镇有人随地吐痰乱扔烟头谁罚", status: towndesk.StatusAnswered, top: "T-MR", role: towndesk.RoleTown},
		{rule: "a yes/no question is read as such",
			question: "滨湖镇有人烧秸秆，镇上能罚吗", status: towndesk.StatusAnswered, top: "T-JG", intent: towndesk.IntentCan},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			res, err := k.Ask(t.Context(), kb.Query{Question: tt.question})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.status != "" && res.Status != tt.status:
				t.Fatalf("Ask(%q) status = %s, want %s (%+v)", tt.question, res.Status, tt.status, res.Matches)
			case tt.status == "" && res.Status != towndesk.StatusAnswered && res.Status != towndesk.StatusUncertain:
				t.Fatalf("Ask(%q) status = %s, want answered or uncertain", tt.question, res.Status)
			}
			if tt.top != "" && res.Matches[0].Item.Code != tt.top {
				t.Errorf("Ask(%q) first row = %s %s, want %s", tt.question, res.Matches[0].Item.Code, res.Matches[0].Item.Name, tt.top)
			}
			if tt.role != "" && res.Matches[0].Role != tt.role {
				t.Errorf("Ask(%q) role = %s, want %s", tt.question, res.Matches[0].Role, tt.role)
			}
			if res.TownLacksPower != tt.lacks {
				t.Errorf("Ask(%q) TownLacksPower = %v, want %v", tt.question, res.TownLacksPower, tt.lacks)
			}
			if res.Intent != tt.intent {
				t.Errorf("Ask(%q) intent = %q, want %q", tt.question, res.Intent, tt.intent)
			}
		})
	}
}

// TestDecisionRules checks the rules that decide between answered,
// uncertain and not found, each by moving one threshold of Params.
func TestDecisionRules(t *testing.T) {
	ctx := t.Context()
	const q = "滕州市有人烧秸秆谁管"
	tests := []struct {
		rule     string
		question string
		params   func(p *kb.Params)
		want     towndesk.AskStatus
	}{
		{rule: "a row over both answer thresholds answers", params: func(p *kb.Params) {}, want: towndesk.StatusAnswered},
		{rule: "a row below the answer score is only a candidate", params: func(p *kb.Params) { p.Answer = 1.5 }, want: towndesk.StatusUncertain},
		{rule: "a row covering too little of the question is only a candidate", params: func(p *kb.Params) { p.AnswerCoverage = 1.01 },
			want: towndesk.StatusUncertain},
		{rule: "a row below the candidate score is not found", params: func(p *kb.Params) { p.Answer, p.Candidate = 1.5, 1.5 },
			want: towndesk.StatusNotFound},
		{rule: "a row of another power and body scoring within the margin makes it uncertain",
			question: "滕州市有人摆摊", params: func(p *kb.Params) { p.Margin = 1 }, want: towndesk.StatusUncertain},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			p := kb.DefaultParams()
			tt.params(&p)
			q := q
			if tt.question != "" {
				q = tt.question
			}
			res, err := ruleLists(t).WithParams(p).Ask(ctx, kb.Query{Question: q})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.want {
				t.Errorf("Ask(%q) status = %s, want %s (%+v)", q, res.Status, tt.want, res.Matches)
			}
			if res.Status == towndesk.StatusUncertain {
				for _, m := range res.Matches {
					if m.Role != towndesk.RoleCandidate {
						t.Errorf("an uncertain reply has a %s row %s; every row must be a candidate", m.Role, m.Item.Code)
					}
				}
			}
		})
	}
}

// TestNoPromotion: the town's row is never made the answer when it does
// not pass the thresholds on its own, however the county's row scores.
func TestNoPromotion(t *testing.T) {
	k := ruleLists(t)
	// The town's 河道 row is another matter than 采砂: the county's 采砂 row
	// answers, and the town is said to lack the power.
	res, err := k.Ask(t.Context(), kb.Query{Question: "滨湖镇河道里有人偷偷采砂谁管"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status == towndesk.StatusAnswered && res.Matches[0].Item.Code == "T-HD" {
		t.Errorf("Ask(采砂) answered with the town's 河道 row %s (score %.2f): a row that fails on its own was promoted",
			res.Matches[0].Item.Code, res.Matches[0].Score)
	}
}

// TestWordsThatAreNotMatter: words said around the matter that name no
// matter do not make a row look less like the answer: the question scores
// as it does without them.
func TestWordsThatAreNotMatter(t *testing.T) {
	k := ruleLists(t)
	ctx := t.Context()
	tests := []struct{ rule, plain, said, top string }{
		{"single characters of degree, age and direction (老, 往, 好, 大, 很)",
			"滕州市有人往地里倒生活垃圾，一堆，臭，谁管", "滕州市老有人往地里倒生活垃圾，好大一堆，很臭，谁管", "C-LJ"},
		{"嘎查 is Inner Mongolia's village, not 查 asking who inspects",
			"滕州市村里有人在地里烧秸秆谁管", "滕州市嘎查里有人在地里烧秸秆谁管", "C-JG"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			plain, err := k.Ask(ctx, kb.Query{Question: tt.plain})
			if err != nil {
				t.Fatal(err)
			}
			said, err := k.Ask(ctx, kb.Query{Question: tt.said})
			if err != nil {
				t.Fatal(err)
			}
			if len(plain.Matches) == 0 || len(said.Matches) == 0 || said.Matches[0].Item.Code != tt.top {
				t.Fatalf("answers: %+v and %+v; want %s first in both", plain.Matches, said.Matches, tt.top)
			}
			if d := plain.Matches[0].Score - said.Matches[0].Score; d > 0.01 {
				t.Errorf("%q scores %.3f, %q %.3f: the added words count as matter", tt.said, said.Matches[0].Score, tt.plain, plain.Matches[0].Score)
			}
		})
	}
}

// TestSettingOnly: a question whose only list words say where something
// happens (网吧, the lists' 人员密集场所), beside an act no list knows (赌钱),
// asks about that act: it is not found, and rows sharing only the place
// are not offered. With an act the lists know, with nothing but the place,
// or with a setting that is itself a matter (KTV is noise, 河边 the river
// course), rows are offered.
func TestSettingOnly(t *testing.T) {
	ctx := t.Context()
	db := testenv.DB(t, "")
	row := func(code, name, body string) towndesk.PowerItem {
		return towndesk.PowerItem{Code: code, Name: name, Category: "行政处罚", Body: body, Mode: towndesk.ModeRetained}
	}
	importList(t, db, "", "1",
		row("C-XF", "对人员密集场所使用不合格的消防产品的处罚", "滕州市消防救援大队"),
		row("C-HD", "对在河道管理范围内倾倒垃圾、渣土的处罚", "滕州市水利局"),
		row("C-ZS", "对超过噪声排放标准排放社会生活噪声的处罚", "滕州市综合行政执法局"),
		row("C-JG", "对露天焚烧秸秆、落叶等产生烟尘污染的物质的处罚", "滕州市综合行政执法局"),
	)
	k := openKB(t, db)
	tests := []struct {
		question string
		notFound bool
	}{
		{"滕州市网吧里有人天天赌钱谁管", true},
		{"滕州市网吧的消防器材不合格谁管", false},
		{"滕州市网吧谁管", false},
		{"滕州市KTV半夜鬼哭狼嚎谁管", false},
		{"滕州市河边有人天天卖唱要钱谁管", false},
	}
	for _, tt := range tests {
		res, err := k.Ask(ctx, kb.Query{Question: tt.question})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Status == towndesk.StatusNotFound; got != tt.notFound {
			t.Errorf("Ask(%q) = %s %v (terms %v); not found: want %v", tt.question, res.Status, res.Matches, res.Terms, tt.notFound)
		}
	}
}

// TestObstructedInspection: a question saying inspectors were kept out
// (不让安监进门检查) asks who penalises obstructing an inspection, not who
// inspects, though it says 检查.
func TestObstructedInspection(t *testing.T) {
	ctx := t.Context()
	db := testenv.DB(t, "")
	const yj = "滕州市应急管理局"
	importList(t, db, "", "1",
		towndesk.PowerItem{Code: "C-JC", Name: "对生产经营单位执行安全生产法律法规情况的监督检查", Category: "行政检查", Body: yj, Mode: towndesk.ModeRetained},
		towndesk.PowerItem{Code: "C-ZA", Name: "对生产经营单位拒绝、阻碍依法实施安全生产监督检查的处罚", Category: "行政处罚", Body: yj, Mode: towndesk.ModeRetained},
		towndesk.PowerItem{Code: "C-AQ", Name: "对生产经营单位未采取措施消除事故隐患的处罚", Category: "行政处罚", Body: yj, Mode: towndesk.ModeRetained},
		towndesk.PowerItem{Code: "C-JG", Name: "对露天焚烧秸秆、落叶等产生烟尘污染的物质的处罚", Category: "行政处罚", Body: "滕州市综合行政执法局", Mode: towndesk.ModeRetained},
	)
	k := openKB(t, db)
	for _, q := range []string{"滕州市有企业不让安监进门检查，谁处理", "滕州市安监来检查，厂里老板锁门不让进，谁罚"} {
		res, err := k.Ask(ctx, kb.Query{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Matches) == 0 || res.Matches[0].Item.Code != "C-ZA" {
			t.Errorf("Ask(%q) = %s %+v; want C-ZA (obstructing an inspection) first", q, res.Status, res.Matches)
		}
	}
}
