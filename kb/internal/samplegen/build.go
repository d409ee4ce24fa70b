package main

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"github.com/towndesk/towndesk"
)

// roll returns a stable number in [0, 100) for a town and a power, so that
// the percentages of a town's policy pick the same powers on every run.
func roll(t *town, p *power, salt string) int {
	h := fnv.New32a()
	h.Write([]byte(t.County.Code + t.Name + "/" + p.ID + "/" + salt))
	return int(h.Sum32() % 100)
}

// townMode decides the mode power p has in town t, or "" when p is not in
// the town's list. override, when it has p, wins over the town's own policy.
func townMode(t *town, p *power, override map[string]string) towndesk.Mode {
	if !t.applies(p) {
		return ""
	}
	if m, ok := override[p.ID]; ok {
		return towndesk.Mode(m)
	}
	if m, ok := t.Override[p.ID]; ok {
		return towndesk.Mode(m)
	}
	switch p.Role {
	case 'F':
		return towndesk.ModeStatutory
	case 'D':
		if roll(t, p, "devolve") < t.Devolve {
			return towndesk.Mode(t.County.devolveWord())
		}
		if p.Dept == "zf" && t.County.Squads && roll(t, p, "dispatch") < 60 {
			return towndesk.ModeDispatched
		}
		if p.Category == "行政处罚" && roll(t, p, "entrust") < t.Entrust {
			return towndesk.ModeEntrusted
		}
		if roll(t, p, "assist") < t.Assist/3 {
			return towndesk.ModeAssist
		}
	case 'E':
		if roll(t, p, "entrust") < t.Entrust+30 {
			return towndesk.ModeEntrusted
		}
	case 'A':
		if roll(t, p, "assist") < t.Assist {
			return towndesk.ModeAssist
		}
	}
	return ""
}

// townRow returns the row of power p in town t's list under mode m.
func townRow(t *town, p *power, m towndesk.Mode) towndesk.PowerItem {
	if s := styleOf(t.County); s != nil {
		return s.townRow(t, p, m)
	}
	c := t.County
	it := towndesk.PowerItem{
		Code:     townCode(t, p),
		Name:     p.Name,
		Category: p.Category,
		Basis:    p.Basis(),
		Mode:     m,
		Domain:   p.Domain,
	}
	dept := c.Depts[p.Dept]
	townLevel, countyLevel := "乡镇级", c.Level
	if c.Style == "tj" {
		townLevel, countyLevel = "镇级权限", "区级权限"
	}
	switch m {
	case towndesk.ModeStatutory, towndesk.ModeDevolved, towndesk.ModeDelegated:
		it.Body = t.Gov()
		it.Office = t.office(p.Domain, p.Category)
		it.Level = townLevel
	case towndesk.ModeEntrusted:
		it.Body = dept
		it.Office = t.office(p.Domain, p.Category)
		it.Level = countyLevel
		it.Note = "委托" + t.Name + "以" + dept + "名义实施"
	case towndesk.ModeDispatched:
		it.Body = dept + t.short() + "中队"
		it.Office = t.office(p.Domain, "其他行政权力")
		it.Level = countyLevel
		it.Note = "派驻中队以" + dept + "名义实施，镇负责协调配合"
	case towndesk.ModeAssist:
		it.Body = dept
		it.Office = t.assistOffice(p.Domain)
		it.Level = countyLevel
		it.Note = "由" + dept + "实施，" + t.Name + "负责巡查发现、劝阻制止、及时报告并配合查处"
	}
	if m == towndesk.ModeDevolved || m == towndesk.ModeDelegated {
		it.Note = "原由" + dept + "实施"
	}
	return it
}

// townCode is modelled on Tianjin's 120225BJZCF28004: county code, town
// initials, Z, category, domain number and catalogue number. It depends only
// on the town and the power, so editions of one list share codes.
func townCode(t *town, p *power) string {
	cc := t.County.Code
	if t.County.Style == "tj" {
		cc = "120225" // Tianjin lists still carry the code of the former 蓟县
	}
	return fmt.Sprintf("%s%sZ%s%02d%03d", cc, t.Abbr, categoryCode[p.Category], domainOrder[p.Domain], p.Ordinal)
}

// townRows builds a town's list: its statutory powers and the powers it
// received, ordered by mode and domain as lists usually are.
func townRows(t *town, cat []*power, override map[string]string) []towndesk.PowerItem {
	var rows []towndesk.PowerItem
	for _, p := range cat {
		if m := townMode(t, p, override); m != "" {
			rows = append(rows, townRow(t, p, m))
		}
	}
	rank := map[towndesk.Mode]int{towndesk.ModeStatutory: 0, towndesk.ModeDevolved: 1, towndesk.ModeDelegated: 1,
		towndesk.ModeEntrusted: 2, towndesk.ModeDispatched: 3, towndesk.ModeAssist: 4}
	sort.SliceStable(rows, func(i, j int) bool {
		if rank[rows[i].Mode] != rank[rows[j].Mode] {
			return rank[rows[i].Mode] < rank[rows[j].Mode]
		}
		return domainOrder[rows[i].Domain] < domainOrder[rows[j].Domain]
	})
	return rows
}

// codeFunc numbers the row of power p in a county list: seq is the power's
// place in the list, sub the sub-item's number (0 for the power's own row).
type codeFunc func(p *power, seq, sub int) string

// withSub appends sub-item number sub to code in format (as "-%02d"); a
// power's own row (sub 0) keeps the bare code.
func withSub(code, format string, sub int) string {
	if sub > 0 {
		code += fmt.Sprintf(format, sub)
	}
	return code
}

// countyWording is how a county list words a row: the parts in which the
// first places' lists and those of a later province's style differ.
type countyWording struct {
	Name, Basis, Office, Note func(*power) string
	// SubName names sub-item i (0-based) of a power; nil when the list folds
	// sub-items into the name (one row per power).
	SubName func(p *power, i int) string
	Level   string
}

// deptOrder is the order of departments in a county list.
var deptOrder = []string{"zr", "zj", "zf", "hb", "ny", "ly", "sl", "yj", "xf", "sj", "jt", "mz", "wl", "ga"}

// countyList builds a county's list: every power of cat a county department
// holds, grouped by department, worded by w, one row per sub-item unless w
// folds them.
func countyList(c *county, cat []*power, codeOf codeFunc, w countyWording) []towndesk.PowerItem {
	var rows []towndesk.PowerItem
	seq := 0
	for _, d := range deptOrder {
		for _, p := range cat {
			if p.Dept != d {
				continue
			}
			seq++
			base := towndesk.PowerItem{
				Name:     w.Name(p),
				Category: p.Category,
				Basis:    w.Basis(p),
				Body:     c.Depts[d],
				Office:   w.Office(p),
				Mode:     towndesk.ModeRetained,
				Level:    w.Level,
				Domain:   p.Domain,
				Note:     w.Note(p),
			}
			if len(p.Subs) == 0 || w.SubName == nil {
				base.Code = codeOf(p, seq, 0)
				rows = append(rows, base)
				continue
			}
			for i := range p.Subs {
				r := base
				r.Code = codeOf(p, seq, i+1)
				r.SubItem = w.SubName(p, i)
				rows = append(rows, r)
			}
		}
	}
	return rows
}

// countyRows builds a county list of the first places, in the catalogue's
// words. A power some covered towns received says so in its note.
func countyRows(c *county, cat []*power, codeOf codeFunc) []towndesk.PowerItem {
	return countyList(c, cat, codeOf, countyWording{
		Name:    func(p *power) string { return p.Name },
		Basis:   (*power).Basis,
		Office:  countyOffice,
		Note:    func(p *power) string { return countyNote(c, p) },
		SubName: func(p *power, i int) string { return p.Subs[i].Name },
		Level:   c.Level,
	})
}

// countyOffice is the section of the department that handles p.
func countyOffice(p *power) string {
	switch p.Category {
	case "行政处罚", "行政强制":
		if p.Dept == "zf" {
			return "执法大队"
		}
		if p.Dept == "xf" {
			return "防火监督科"
		}
		if p.Dept == "ga" {
			return "治安管理大队"
		}
		return "综合执法科"
	case "行政许可":
		return "行政审批科"
	case "行政检查":
		return "监督检查科"
	}
	return "业务科室"
}

// countyNote names the covered towns of c that received p.
func countyNote(c *county, p *power) string {
	got, _ := takers(c, p)
	if len(got) == 0 {
		return ""
	}
	return "已" + c.devolveWord() + strings.Join(got, "、") + "实施"
}

// takers returns the covered towns of c that received p (devolved or
// delegated to them) and those it is entrusted to.
func takers(c *county, p *power) (received, entrusted []string) {
	for _, t := range towns {
		if t.County != c {
			continue
		}
		switch townMode(t, p, nil) {
		case towndesk.ModeDevolved, towndesk.ModeDelegated:
			received = append(received, t.Name)
		case towndesk.ModeEntrusted:
			entrusted = append(entrusted, t.Name)
		}
	}
	return received, entrusted
}
