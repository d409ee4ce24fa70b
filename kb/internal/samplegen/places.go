package main

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/towndesk/towndesk"
)

// county is a county-level place covered by the sample, with the names of
// its departments as that place organises them.
type county struct {
	Province string
	Name     string // as in the gazetteer: 滕州市
	Code     string // gazetteer code: 370481
	Full     string // prefix of bodies: 滕州市, 天津市蓟州区
	// Style says how the place's lists are worded and its towns organised:
	// sd (Shandong), tj (Tianjin), zj (Zhejiang) use the catalogue's names;
	// sc (Sichuan), gd (Guangdong), nm (Inner Mongolia) their own (styles.go).
	Style string
	Level string // 县级, 区级
	Depts map[string]string
	// Squads: the comprehensive enforcement bureau stations a squad
	// (执法中队) in every town.
	Squads bool
}

// town is a township covered by the sample, with the policy that decides
// how each power of the catalogue reaches it.
type town struct {
	County *county
	Name   string // 滨湖镇
	Code   string // gazetteer code
	Abbr   string // pinyin initials used in item codes
	// Percentages, applied per power by a stable hash, for the powers the
	// overrides below do not fix.
	Devolve, Entrust, Assist int
	// Override fixes a power's mode in this town: a mode name, or "" to
	// keep the power out of the town's list (the county holds it).
	Override map[string]string

	// For the towns of the later provinces (styles.go):
	// Squad is the county enforcement bureau's unit stationed in the town
	// ("" = the bureau's 中队 named after the town).
	Squad string
	// NotesMode: the town's list has no mode column; its notes state the
	// mode in words.
	NotesMode bool
	// CodeOf returns the item code of p in the town's list.
	CodeOf func(t *town, p *power) string
}

func (t *town) short() string { // 滨湖镇 → 滨湖
	r := []rune(t.Name)
	return string(r[:len(r)-1])
}

// Gov returns the township government: 滕州市滨湖镇人民政府, or for a
// sub-district its office: 佛山市顺德区大良街道办事处.
func (t *town) Gov() string {
	if t.street() {
		return t.County.Full + t.Name + "办事处"
	}
	return t.County.Full + t.Name + "人民政府"
}

// devolveWord is how the county's province names devolution: Tianjin lists
// say 下放, Shandong and Zhejiang lists say 赋权, a later province as its
// style says.
func (c *county) devolveWord() string {
	if s := styleOf(c); s != nil {
		return string(s.Devolve)
	}
	if c.Style == "tj" {
		return "下放"
	}
	return "赋权"
}

// townUnits names the units of a style's towns. A power goes to the
// enforcement unit if enforcing is what it does, else to the service
// counter if it is an application and the style has one, else to the
// office of its domain, else to the general office. An empty name means the
// style's towns have no such unit and the next rule decides.
type townUnits struct {
	Enforce string
	Counter string // 行政许可, 行政确认, 行政给付
	Land    string // 自然资源, where it is not Build's
	Build   string // 规划建设, 交通运输 and (without Land) 自然资源
	Civil   string // 民政
	Safety  string // 安全生产, 消防安全
	Farm    string // 农林水利, 环境保护
	Other   string
}

// unitsOf holds the town units of each county style (county.Style).
var unitsOf = map[string]townUnits{
	"sd": {Enforce: "综合行政执法办公室", Land: "便民服务中心", Build: "村镇规划建设办公室",
		Civil: "社会事务办公室", Safety: "应急管理办公室", Other: "经济发展办公室"},
	"tj": {Enforce: "综合执法大队", Build: "村镇建设办公室",
		Civil: "社会事务办公室", Safety: "安全生产办公室", Other: "农业服务中心"},
	"zj": {Enforce: "综合行政执法队", Build: "规划建设办公室",
		Civil: "社会事务办公室", Safety: "应急管理办公室", Other: "农业农村办公室"},
	// 四川: the standard 乡镇 offices and centres.
	"sc": {Enforce: "综合行政执法队", Counter: "便民服务中心", Build: "经济发展办公室", Civil: "社会事务办公室",
		Safety: "社会治安和应急管理办公室", Farm: "农业综合服务中心", Other: "党政办公室"},
	// 广东: 镇街 offices.
	"gd": {Enforce: "综合行政执法办公室", Counter: "行政服务中心", Build: "规划建设办公室", Civil: "社会工作办公室",
		Safety: "应急管理办公室", Farm: "农业农村办公室", Other: "党政综合办公室"},
	// 内蒙古: 苏木镇 offices.
	"nm": {Enforce: "综合执法办公室", Counter: "便民服务中心", Build: "经济发展办公室", Civil: "社会事务办公室",
		Safety: "平安建设办公室", Farm: "农牧业综合服务中心", Other: "党政综合办公室"},
}

// unit returns the unit that handles a power of domain d and category cat.
func (u townUnits) unit(d, cat string) string {
	switch {
	case cat == "行政处罚" || cat == "行政强制" || cat == "行政检查":
		return u.Enforce
	case u.Counter != "" && (cat == "行政许可" || cat == "行政确认" || cat == "行政给付"):
		return u.Counter
	case u.Land != "" && d == "自然资源":
		return u.Land
	case d == "规划建设" || d == "自然资源" || d == "交通运输":
		return u.Build
	case d == "民政":
		return u.Civil
	case d == "安全生产" || d == "消防安全":
		return u.Safety
	case u.Farm != "" && (d == "农林水利" || d == "环境保护"):
		return u.Farm
	}
	return u.Other
}

// office returns the town unit that handles a power of domain d and
// category cat. Counties of a style unitsOf lacks organise their towns as
// Shandong's do.
func (t *town) office(d, cat string) string {
	u, ok := unitsOf[t.County.Style]
	if !ok {
		u = unitsOf["sd"]
	}
	return t.Name + u.unit(d, cat)
}

// assistOffice is the unit that reports and assists for a power the county
// enforces.
func (t *town) assistOffice(d string) string {
	switch d {
	case "安全生产", "消防安全":
		return t.office(d, "其他行政权力")
	}
	return t.office(d, "行政检查")
}

//go:embed places.txt
var placesText string

// counties and towns are the places of places.txt, in its order.
var counties, towns = mustParsePlaces("places.txt", placesText)

// countyNamed returns the county of places.txt named name; a name missing
// from the embedded file is a programming error.
func countyNamed(name string) *county {
	for _, c := range counties {
		if c.Name == name {
			return c
		}
	}
	panic("samplegen: no county " + name + " in places.txt")
}

// townNamed returns c's town named name, likewise.
func townNamed(c *county, name string) *town {
	for _, t := range towns {
		if t.County == c && t.Name == name {
			return t
		}
	}
	panic("samplegen: no town " + c.Name + name + " in places.txt")
}

// townCodes numbers the items of the later towns' lists, one scheme per
// style; towns of the other styles number them with townCode.
var townCodes = map[string]func(t *town, p *power) string{
	"sc": sichuanCode, "gd": guangdongCode, "nm": innerMongoliaCode,
}

// mustParsePlaces reads the places file (its format is described at its
// top). The file is embedded, so a malformed one is a programming error.
func mustParsePlaces(file, text string) ([]*county, []*town) {
	var cs []*county
	var ts []*town
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fail := func(format string, args ...any) {
			panic(fmt.Sprintf("samplegen: %s line %d: ", file, n+1) + fmt.Sprintf(format, args...))
		}
		f := strings.Split(line, "|")
		want := map[string]int{"county": 8, "dept": 3, "town": 9, "modes": 2}[f[0]]
		if want == 0 {
			fail("unknown kind %q, want county, dept, town or modes", f[0])
		}
		if len(f) != want {
			fail("%d fields, want %d", len(f), want)
		}
		if f[0] == "county" {
			if _, ok := unitsOf[f[5]]; !ok {
				fail("unknown style %q", f[5])
			}
			cs = append(cs, &county{Province: f[1], Name: f[2], Code: f[3], Full: f[4], Style: f[5], Level: f[6],
				Squads: f[7] == "squads", Depts: map[string]string{}})
			continue
		}
		if len(cs) == 0 {
			fail("%s before the first county", f[0])
		}
		c := cs[len(cs)-1]
		switch f[0] {
		case "dept":
			if !slices.Contains(deptOrder, f[1]) || f[2] == "" {
				fail("want dept|key|name with a key of %v", deptOrder)
			}
			c.Depts[f[1]] = f[2]
		case "town":
			t := &town{County: c, Name: f[1], Code: f[2], Abbr: f[3], Squad: f[7], NotesMode: f[8] == "notes",
				CodeOf: townCodes[c.Style], Override: map[string]string{}}
			for i, p := range []*int{&t.Devolve, &t.Entrust, &t.Assist} {
				v, err := strconv.Atoi(f[4+i])
				if err != nil || v < 0 || v > 100 {
					fail("field %d: %q is no percentage", 5+i, f[4+i])
				}
				*p = v
			}
			ts = append(ts, t)
		case "modes":
			if len(ts) == 0 || ts[len(ts)-1].County != c {
				fail("modes of no town")
			}
			t := ts[len(ts)-1]
			for _, kv := range strings.Fields(f[1]) {
				id, m, ok := strings.Cut(kv, "=")
				if !ok || !validModes[towndesk.Mode(m)] {
					fail("%q: want id=mode (a mode of a town list) or id=", kv)
				}
				t.Override[id] = m
			}
		}
	}
	for _, c := range cs {
		if len(c.Depts) != len(deptOrder) {
			panic(fmt.Sprintf("samplegen: %s: %s has %d departments, want %d", file, c.Name, len(c.Depts), len(deptOrder)))
		}
	}
	return cs, ts
}

// validModes are the modes a town's list may give a power ("" keeps it out).
var validModes = map[towndesk.Mode]bool{"": true, towndesk.ModeDevolved: true, towndesk.ModeDelegated: true,
	towndesk.ModeEntrusted: true, towndesk.ModeDispatched: true, towndesk.ModeAssist: true}

// Item codes of the later towns, one scheme per province; each depends only
// on the town and the power.
func sichuanCode(t *town, p *power) string { // 511129100-CF123
	return fmt.Sprintf("%s-%s%03d", t.Code, categoryCode[p.Category], p.Ordinal)
}

func guangdongCode(t *town, p *power) string { // 440606005020123
	return fmt.Sprintf("%s%02d%04d", t.Code, categoryNumber[p.Category], p.Ordinal)
}

func innerMongoliaCode(t *town, p *power) string { // 行政处罚-BYHS-0123
	return fmt.Sprintf("%s-%s-%04d", p.Category, t.Abbr, p.Ordinal)
}
