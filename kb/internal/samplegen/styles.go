package main

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/towndesk/towndesk"
)

// listStyle is how the lists of one of the later provinces (四川, 广东,
// 内蒙古) word and organise their rows. The first places (山东, 天津, 浙江)
// use the catalogue's own names; these provinces word every item their own
// way, as real published lists do, from a names file written for the
// province (names_KEY.txt), never derived from the catalogue's name.
type listStyle struct {
	Key      string // sc, gd, nm: also the county's Style
	Province string
	// Devolve is the province's word for devolution: 赋权 or 下放.
	Devolve towndesk.Mode
	// TownLevel and CountyLevel fill the level column (管理权限).
	TownLevel, CountyLevel string
	// Fold: the province's lists fold a power's sub-items into one long
	// name instead of one row per sub-item.
	Fold bool
	// Wording says, for the README, how the province words its items.
	Wording string
	names   map[string]string // power id → name; "id/N" → sub-item N
}

var (
	//go:embed names_sc.txt
	namesSC string
	//go:embed names_gd.txt
	namesGD string
	//go:embed names_nm.txt
	namesNM string
)

var styles = map[string]*listStyle{
	"sc": {Key: "sc", Province: "四川省", Devolve: towndesk.ModeDevolved, TownLevel: "乡镇级", CountyLevel: "县级",
		Wording: "“对……行为的处罚”, sub-items as rows of their own (子项名称)", names: mustParseNames("names_sc.txt", namesSC)},
	"gd": {Key: "gd", Province: "广东省", Devolve: towndesk.ModeDelegated, TownLevel: "镇街级", CountyLevel: "区级", Fold: true,
		Wording: "“对……的行政处罚”, sub-items folded into one long name", names: mustParseNames("names_gd.txt", namesGD)},
	"nm": {Key: "nm", Province: "内蒙古自治区", Devolve: towndesk.ModeDelegated, TownLevel: "苏木镇级", CountyLevel: "旗县级", Fold: true,
		Wording: "the illegal act first (“未经批准……的处罚”), many with the penalty (“责令……，处以罚款”), sub-items folded",
		names:   mustParseNames("names_nm.txt", namesNM)},
}

// styleOf returns the style of c's lists, or nil for the first places,
// whose lists use the catalogue's names.
func styleOf(c *county) *listStyle { return styles[c.Style] }

// mustParseNames reads a names file: "id|name" lines, "id/N|name" for
// sub-item N, # comments. The files are embedded, so a malformed one is a
// programming error; the tests check that every power has a name.
func mustParseNames(file, text string) map[string]string {
	m := map[string]string{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, name, ok := strings.Cut(line, "|")
		id, name = strings.TrimSpace(id), strings.TrimSpace(name)
		if !ok || id == "" || name == "" || strings.Contains(name, "|") {
			panic(fmt.Sprintf("samplegen: %s line %d: want id|name", file, n+1))
		}
		if _, dup := m[id]; dup {
			panic(fmt.Sprintf("samplegen: %s line %d: repeated id %s", file, n+1, id))
		}
		m[id] = name
	}
	return m
}

// name returns the style's name of p ("" when the names file lacks it,
// which checkNames reports).
func (s *listStyle) name(p *power) string { return s.names[p.ID] }

// subName returns the style's name of sub-item i (0-based) of p.
func (s *listStyle) subName(p *power, i int) string { return s.names[fmt.Sprintf("%s/%d", p.ID, i+1)] }

// checkNames reports powers of the style's scope without a name in its
// names file, sub-items without one where the style lists sub-items, and
// names for powers the catalogue does not have.
func (s *listStyle) checkNames(cat []*power) error {
	var missing []string
	want := map[string]bool{}
	for _, p := range scoped(cat, s.Key) {
		want[p.ID] = true
		if s.name(p) == "" {
			missing = append(missing, p.ID)
		}
		for i := range p.Subs {
			want[fmt.Sprintf("%s/%d", p.ID, i+1)] = !s.Fold
			if !s.Fold && s.subName(p, i) == "" {
				missing = append(missing, fmt.Sprintf("%s/%d", p.ID, i+1))
			}
		}
	}
	var extra []string
	for id := range s.names {
		if !want[id] {
			extra = append(extra, id)
		}
	}
	if len(missing) > 0 || len(extra) > 0 {
		return fmt.Errorf("names_%s.txt: no name for %v; names for no power in scope: %v", s.Key, missing, extra)
	}
	return nil
}

// lawKind is how 四川 lists tag a citation: 法律 or 行政法规.
func lawKind(p *power) string {
	if strings.HasSuffix(p.Title, "条例") {
		return "行政法规"
	}
	return "法律"
}

// basis is the legal basis as the province's lists write it. All cite the
// catalogue's article; 广东 quotes the phrase of the article that shows it,
// and adds 行政处罚法 第二十四条 (the devolution clause) for penalties a town
// received.
func (s *listStyle) basis(p *power, devolved bool) string {
	switch s.Key {
	case "sc":
		return "【" + lawKind(p) + "】" + p.Basis()
	case "gd":
		b := p.Basis() + "：“……" + p.Proof + "……”"
		if devolved && p.Category == "行政处罚" {
			return "1." + b + "；2.《中华人民共和国行政处罚法》第二十四条"
		}
		return b
	}
	return "《" + strings.TrimPrefix(p.Title, "中华人民共和国") + "》" + p.Article
}

// applies reports whether a town-level unit can hold p: a 街道 holds only the
// statutory powers whose law names the 街道办事处 (the catalogue's proof
// phrase says so); 乡, 镇 and 苏木 hold every one.
func (t *town) applies(p *power) bool {
	if p.Role != 'F' || !t.street() {
		return true
	}
	return strings.Contains(p.Proof, "街道办事处")
}

func (t *town) street() bool { return strings.HasSuffix(t.Name, "街道") }

// stationed is the body of a dispatched row: the unit the county department
// stations in the town.
func (t *town) stationed(p *power) string {
	dept := t.County.Depts[p.Dept]
	switch {
	case p.Dept == "zf" && t.Squad != "":
		return t.Squad
	case p.Dept == "ny":
		return dept + t.Name + "畜牧兽医站"
	}
	return dept + t.short() + "中队"
}

// townRow returns the row of power p in a town of the style under mode m.
func (s *listStyle) townRow(t *town, p *power, m towndesk.Mode) towndesk.PowerItem {
	dept := t.County.Depts[p.Dept]
	devolved := m == towndesk.ModeDevolved || m == towndesk.ModeDelegated
	it := towndesk.PowerItem{
		Code:     t.CodeOf(t, p),
		Name:     s.name(p),
		Category: p.Category,
		Basis:    s.basis(p, devolved),
		Mode:     m,
		Domain:   p.Domain,
	}
	switch m {
	case towndesk.ModeStatutory, towndesk.ModeDevolved, towndesk.ModeDelegated:
		it.Body, it.Office, it.Level = t.Gov(), t.office(p.Domain, p.Category), s.TownLevel
	case towndesk.ModeEntrusted:
		it.Body, it.Office, it.Level = dept, t.office(p.Domain, p.Category), s.CountyLevel
	case towndesk.ModeDispatched:
		it.Body, it.Office, it.Level = t.stationed(p), t.office(p.Domain, "其他行政权力"), s.CountyLevel
	case towndesk.ModeAssist:
		it.Body, it.Office, it.Level = dept, t.assistOffice(p.Domain), s.CountyLevel
	}
	if t.NotesMode {
		it.Note = s.modeNote(t, p, m)
	} else {
		it.Note = s.townNote(t, p, m)
	}
	return it
}

// townNote is the 备注 of a list with a mode column.
func (s *listStyle) townNote(t *town, p *power, m towndesk.Mode) string {
	dept := t.County.Depts[p.Dept]
	switch s.Key {
	case "sc":
		switch m {
		case towndesk.ModeDevolved:
			return "原由" + dept + "实施"
		case towndesk.ModeEntrusted:
			return "以" + dept + "名义实施，法律责任由" + dept + "承担"
		case towndesk.ModeDispatched:
			return "由" + dept + "派驻人员以" + dept + "名义实施"
		case towndesk.ModeAssist:
			return "由" + dept + "实施，" + t.Name + "负责巡查发现、及时报告"
		}
	case "gd":
		switch m {
		case towndesk.ModeDelegated:
			return "原由" + dept + "行使，调整由" + t.Name + "以自身名义实施"
		case towndesk.ModeEntrusted:
			return "以" + dept + "名义实施"
		case towndesk.ModeDispatched:
			return "由" + t.stationed(p) + "实施，" + t.Name + "统筹协调"
		case towndesk.ModeAssist:
			return t.Name + "负责日常巡查、发现报告，由" + dept + "依法查处"
		}
	case "nm":
		switch m {
		case towndesk.ModeDelegated:
			return "原由" + dept + "行使"
		case towndesk.ModeEntrusted:
			return "以" + dept + "名义执法"
		case towndesk.ModeDispatched:
			return "以" + dept + "名义执法，" + t.Name + "协调配合"
		case towndesk.ModeAssist:
			return "由" + dept + "执法，" + t.Name + "负责发现报告、配合查处"
		}
	}
	return ""
}

// modeNote is the 备注 (说明) of a list without a mode column: it states the
// mode in words, as such lists do ("县级赋权事项", "委托乡镇实施", "派驻执法"),
// except on statutory rows, whose note says nothing about the mode.
func (s *listStyle) modeNote(t *town, p *power, m towndesk.Mode) string {
	dept := t.County.Depts[p.Dept]
	unit := "乡镇"
	if s.Key == "nm" {
		unit = "苏木镇"
	}
	switch m {
	case towndesk.ModeDevolved:
		return "县级赋权事项"
	case towndesk.ModeDelegated:
		return "下放" + unit + "实施"
	case towndesk.ModeEntrusted:
		return "委托" + unit + "实施，以" + dept + "名义执法"
	case towndesk.ModeDispatched:
		return "派驻执法，由" + t.stationed(p) + "以" + dept + "名义实施"
	case towndesk.ModeAssist:
		if s.Key == "nm" {
			return "配合" + dept + "执法"
		}
		return "协助" + dept + "实施，负责巡查发现、及时报告"
	}
	// Statutory: applications name the counter, the rest say nothing.
	switch p.Category {
	case "行政许可", "行政确认", "行政给付":
		return "由" + t.office(p.Domain, p.Category) + "受理"
	case "其他行政权力":
		return "属地管理事项"
	}
	return ""
}

// countyOffice is the section of a county department of the style that
// handles p.
func (s *listStyle) countyOffice(p *power) string {
	unit := map[string]string{"sc": "股", "gd": "科", "nm": "股"}[s.Key]
	switch p.Category {
	case "行政处罚", "行政强制":
		switch p.Dept {
		case "zf":
			if s.Key == "gd" {
				return "综合执法科"
			}
			return "执法大队"
		case "ga":
			return "治安管理大队"
		case "xf":
			return "防火监督" + unit
		}
		return "政策法规" + unit
	case "行政许可":
		return "行政审批" + unit
	case "行政检查":
		return "监督管理" + unit
	case "行政确认":
		return "登记" + unit
	case "行政给付":
		return "计划财务" + unit
	}
	return "办公室"
}

// countyRows builds a county list of the style: every power of its scope a
// county department holds, one row per power (Fold) or per sub-item, in
// the department order of the first places' lists.
func (s *listStyle) countyRows(c *county, cat []*power, codeOf codeFunc) []towndesk.PowerItem {
	w := countyWording{
		Name:    s.name,
		Basis:   func(p *power) string { return s.basis(p, false) },
		Office:  s.countyOffice,
		Note:    func(p *power) string { return s.countyNote(c, p) },
		SubName: s.subName,
		Level:   s.CountyLevel,
	}
	if s.Fold {
		w.SubName = nil
	}
	return countyList(c, cat, codeOf, w)
}

// countyNote names the covered towns of c that received p. It opens with 已,
// as county lists write it: the row itself stays with the county.
func (s *listStyle) countyNote(c *county, p *power) string {
	got, entrusted := takers(c, p)
	var parts []string
	if len(got) > 0 {
		parts = append(parts, "已"+string(s.Devolve)+strings.Join(got, "、")+"实施")
	}
	if len(entrusted) > 0 {
		parts = append(parts, "已委托"+strings.Join(entrusted, "、")+"实施")
	}
	return strings.Join(parts, "；")
}

// categoryNumber numbers the categories in the national order (许可, 处罚,
// 强制, 征收, 给付, 检查, 确认, 奖励, 裁决, 其他), for numeric codes.
var categoryNumber = map[string]int{
	"行政许可": 1, "行政处罚": 2, "行政强制": 3, "行政征收": 4, "行政给付": 5,
	"行政检查": 6, "行政确认": 7, "行政奖励": 8, "行政裁决": 9, "其他行政权力": 10,
}

// categoryOrder is the order of 权责清单 sheets split by category.
var categoryOrder = []string{"行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查", "行政确认", "行政奖励", "行政裁决", "其他行政权力"}

// The columns of a 权责清单 that towndesk does not import: what the body
// must do at each step, when it is held to account, and who supervises.
// Real lists fill them with the same text for every row of a category.
func dutyText(r towndesk.PowerItem) string {
	switch r.Category {
	case "行政处罚":
		return "1.立案责任：对发现的违法行为予以审查，决定是否立案。2.调查责任：全面、客观、公正地调查，收集证据。3.审查责任：对案件违法事实、证据、调查取证程序、法律适用、处罚种类和幅度进行审查。4.告知责任：作出处罚决定前，告知当事人拟作出处罚的事实、理由、依据及其依法享有的陈述、申辩、要求听证等权利。5.决定责任：依法作出处罚决定。6.送达责任：依法送达行政处罚决定书。7.执行责任：监督当事人履行处罚决定。"
	case "行政许可":
		return "1.受理责任：公示应当提交的材料，一次性告知补正材料，依法受理或不予受理。2.审查责任：对申请材料进行审查。3.决定责任：作出准予或不予许可决定，不予许可的说明理由。4.送达责任：制作并送达许可文书。5.事后监管责任：对被许可人从事许可事项的活动进行监督检查。"
	case "行政强制":
		return "1.决定责任：依法作出行政强制决定。2.审批责任：实施前向行政机关负责人报告并经批准。3.告知责任：告知当事人采取行政强制措施的理由、依据以及依法享有的权利、救济途径。4.执行责任：依法实施并制作现场笔录。5.事后监管责任：依法解除或者处理。"
	case "行政检查":
		return "1.检查责任：依法开展检查，出示执法证件。2.处置责任：对检查中发现的问题依法处置。3.信息公开责任：依法公开检查结果。"
	}
	return "1.受理责任：依法受理申请。2.审查责任：对申请材料进行审查核实。3.决定责任：依法作出决定并告知申请人。4.其他法律法规规章文件规定应履行的责任。"
}

func blameText(r towndesk.PowerItem) string {
	return "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：1.没有法律和事实依据实施" + r.Category +
		"的；2.违反法定程序实施的；3.玩忽职守、滥用职权的；4.索取或者收受他人财物、谋取其他利益的；5.其他违反法律法规规章规定的行为。"
}

func superviseText(towndesk.PowerItem) string {
	return "区人民政府、上级主管部门监督；纪检监察机关监督；社会监督（12345政务服务便民热线）"
}
