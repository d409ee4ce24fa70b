package main

import (
	"fmt"
	"strings"

	"github.com/towndesk/towndesk"
)

// col is one column of a file: the row field it shows and its header.
type col struct{ Field, Header string }

func cols(pairs ...string) []col {
	var cs []col
	for i := 0; i+1 < len(pairs); i += 2 {
		cs = append(cs, col{pairs[i], pairs[i+1]})
	}
	return cs
}

// sheet is one table: a worksheet of an xlsx file, or a whole csv or jsonl file.
type sheet struct {
	Name     string // worksheet name
	Title    string // merged title row above the header ("" = none)
	Sub      string // a 单位/日期 row under the title ("" = none)
	Blank    bool   // a blank row before the header
	Cols     []col
	Rows     []towndesk.PowerItem
	Merge    []string // fields whose repeated values are merged vertically
	Notes    []string // trailing 注/备注 rows
	NoCode   func(towndesk.PowerItem) bool
	Encoding string // csv: "gb18030" (as Chinese Excel saves) or "utf-8"
}

// file is one file of an edition.
type file struct {
	Name   string
	Sheets []sheet
}

// edition is one edition of one list: the manifest entry and its files.
type edition struct {
	County  *county
	Town    *town // nil for a county list
	Edition string
	Files   []file
}

// The header sets: real lists word their headers differently.
var (
	hdrTengzhou = cols("seq", "序号", "code", "职权编码", "name", "职权名称", "subitem", "子项名称", "category", "职权类型",
		"basis", "实施依据", "body", "实施主体", "office", "承办科室", "mode", "行使方式", "level", "行使层级", "domain", "所属领域", "note", "备注")
	hdrJizhou = cols("seq", "序号", "code", "权力编码", "name", "权力名称", "subitem", "子项", "category", "权力类型",
		"basis", "实施依据", "body", "实施主体", "office", "承办机构", "level", "管理权限", "domain", "所属领域", "note", "备注")
	hdrYiwu = cols("seq", "序号", "code", "权力事项编码", "name", "权力事项名称", "subitem", "子项名称", "category", "权力类别",
		"basis", "设定依据", "body", "实施机构", "office", "内设机构", "mode", "行使方式", "level", "行使层级", "domain", "所属领域", "note", "备注")
	hdrNingjin = cols("seq", "序号", "code", "事项编码", "name", "事项名称", "subitem", "子项名称", "category", "事项类型",
		"basis", "实施依据", "body", "实施主体", "office", "承办机构", "mode", "行使方式", "level", "实施层级", "domain", "所属领域", "note", "备注")
	hdrBinhu2024 = cols("seq", "序号", "code", "事项编码", "name", "事项名称", "category", "事项类型", "basis", "设定依据",
		"body", "实施主体", "office", "承办机构", "mode", "承接方式", "level", "管理权限", "domain", "所属领域", "note", "备注")
	hdrBinhu2023 = cols("seq", "序号", "code", "权力编码", "name", "权力名称", "category", "权力类别", "basis", "法律依据",
		"body", "行使主体", "office", "内设机构", "mode", "赋权方式", "level", "实施层级", "domain", "执法领域", "note", "备注")
	hdrGuanqiao = cols("seq", "序号", "code", "事项代码", "name", "执法事项名称", "category", "事项类别", "basis", "执法依据",
		"body", "执法主体", "office", "责任科室", "mode", "承接方式", "level", "实施层级", "domain", "执法领域", "note", "备注")
	hdrChaihudianTZ = cols("seq", "序号", "code", "编码", "name", "权责事项名称", "category", "类型", "basis", "依据",
		"body", "实施机关", "office", "承办机构", "mode", "下放方式", "level", "管理权限", "domain", "领域", "note", "备注")
	hdrBangjun = cols("seq", "序号", "code", "事项编码", "name", "事项名称", "category", "事项类型", "basis", "实施依据",
		"body", "实施主体", "office", "承办机构", "mode", "承接方式", "level", "管理权限", "domain", "所属领域", "note", "备注")
	hdrXiaying = cols("seq", "序号", "code", "职权编码", "name", "职权名称", "category", "职权类别", "basis", "事项依据",
		"body", "事项主体", "office", "承办科室", "mode", "承接方式", "level", "行使层级", "domain", "所属章节", "note", "备注")
	hdrFotang = cols("seq", "序号", "code", "权力编码", "name", "权力名称", "category", "权力类型", "basis", "法定依据",
		"body", "实施主体", "office", "承办机构", "mode", "承接方式", "level", "行使层级", "domain", "执法领域", "note", "备注")
	hdrChaihudianNJ = cols("seq", "序号", "code", "事项编码", "name", "权力事项名称", "category", "事项类别", "basis", "实施依据",
		"body", "实施机关", "office", "承办机构", "mode", "赋权方式", "level", "实施层级", "domain", "所属领域", "note", "备注")
	hdrJSONL = cols("code", "code", "name", "name", "subitem", "subitem", "category", "category", "basis", "basis",
		"body", "body", "office", "office", "mode", "mode", "level", "level", "domain", "domain", "note", "note")
)

// binhu2023 is how the 2023 edition of 滨湖镇's list differed from 2024:
// 2024 devolved 土地管理法第七十八条 (2023: entrusted by the agriculture
// bureau), added newer powers, and took four powers back (赋权收回).
var binhu2023 = map[string]string{
	"td78": "委托",
	// added in 2024
	"gf111h": "", "zs82": "", "dq118c": "", "sl76b": "", "xm86": "", "ps49": "", "hd44s": "",
	// taken back in 2024
	"jz64": "赋权", "sp122": "赋权", "aq102": "赋权", "sl73": "赋权",
}

func filter(rows []towndesk.PowerItem, keep func(towndesk.PowerItem) bool) []towndesk.PowerItem {
	var out []towndesk.PowerItem
	for _, r := range rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func statutory(r towndesk.PowerItem) bool { return r.Mode == towndesk.ModeStatutory }
func received(r towndesk.PowerItem) bool  { return r.Mode != towndesk.ModeStatutory }

// editions builds every edition of the sample, in import order.
func editions(cat []*power) []edition {
	// County item codes, one scheme per county as real lists differ.
	tzCode := func(p *power, seq, sub int) string {
		c := fmt.Sprintf("370481XZ%s%03d", categoryCode[p.Category], seq)
		if sub > 0 {
			c += fmt.Sprintf("-%02d", sub)
		}
		return c
	}
	jzCode := func(p *power, seq, sub int) string {
		return fmt.Sprintf("120119%s%02d%03d%02d", categoryCode[p.Category], domainOrder[p.Domain], seq, sub)
	}
	ywCode := func(p *power, seq, sub int) string {
		return fmt.Sprintf("33078200%s%05d%03d", categoryCode[p.Category], seq, sub)
	}
	njCode := func(p *power, seq, sub int) string {
		c := fmt.Sprintf("371422-%s-%04d", categoryCode[p.Category], seq)
		if sub > 0 {
			c += fmt.Sprintf("-%d", sub)
		}
		return c
	}
	countyNotes := func(c *county) []string {
		return []string{
			"注：1.本清单依据现行法律、行政法规梳理，法律法规修改的，按修改后的规定执行。",
			"2.备注栏注明“已" + map[bool]string{true: "下放", false: "赋权"}[c.Style == "tj"] + "”的事项，在相应镇由镇人民政府以自己名义实施，其他镇仍由" + c.Name + "有关部门实施。",
		}
	}
	townNotes := []string{
		"注：1.承接方式为“委托”的事项，镇以委托部门名义实施，法律责任由委托部门承担。",
		"2.承接方式为“协助”的事项，由县级部门实施，镇负责巡查发现、劝阻制止和报告。",
	}

	tz := countyRows(tengzhou, cat, tzCode)
	jz := countyRows(jizhou, cat, jzCode)
	yw := countyRows(yiwu, cat, ywCode)
	nj := countyRows(ningjin, cat, njCode)
	ywPenalty := filter(yw, func(r towndesk.PowerItem) bool { return r.Category == "行政处罚" })
	ywOther := filter(yw, func(r towndesk.PowerItem) bool { return r.Category != "行政处罚" })

	bh24 := townRows(binhu, cat, nil)
	bh23 := townRows(binhu, cat, binhu2023)
	ft := townRows(fotang, cat, nil)
	njc := townRows(chaihudianNJ, cat, nil)

	return []edition{
		{County: tengzhou, Edition: "2024版", Files: []file{{Name: "滕州市行政权力清单_2024年版.xlsx", Sheets: []sheet{{
			Name: "行政权力清单", Title: "滕州市行政权力清单（2024年版）", Sub: "编制单位：滕州市人民政府办公室　　　　更新日期：2024年3月",
			Cols: hdrTengzhou, Rows: tz, Merge: []string{"body"}, Notes: countyNotes(tengzhou),
		}}}}},
		{County: tengzhou, Town: binhu, Edition: "2023版", Files: []file{{Name: "滕州市滨湖镇赋权事项清单_2023年版.csv", Sheets: []sheet{{
			Cols: hdrBinhu2023, Rows: bh23, Encoding: "gb18030",
		}}}}},
		{County: tengzhou, Town: binhu, Edition: "2024版", Files: []file{{Name: "滕州市滨湖镇行政权力事项目录_2024年版.xlsx", Sheets: []sheet{
			{Name: "法定事项", Title: "滕州市滨湖镇法定行政权力事项目录（2024年版）", Blank: true,
				Cols: hdrBinhu2024, Rows: filter(bh24, statutory), Merge: []string{"body", "domain"}},
			{Name: "赋权事项", Title: "滕州市滨湖镇综合行政执法事项目录（2024年版）", Sub: "单位：滕州市滨湖镇人民政府　　日期：2024年1月",
				Cols: hdrBinhu2024, Rows: filter(bh24, received), Merge: []string{"domain"}, Notes: townNotes},
		}}}},
		{County: tengzhou, Town: guanqiao, Edition: "2024版", Files: []file{{Name: "滕州市官桥镇综合行政执法事项目录.xlsx", Sheets: []sheet{{
			Name: "Sheet1", Title: "滕州市官桥镇综合行政执法事项目录（2024年版）",
			Cols: hdrGuanqiao, Rows: townRows(guanqiao, cat, nil), Merge: []string{"mode"},
			Notes: []string{"备注：本目录自公布之日起施行，未列入本目录的事项由滕州市有关部门依法实施。"},
		}}}}},
		{County: tengzhou, Town: chaihudianTZ, Edition: "2024版", Files: []file{{Name: "滕州市柴胡店镇权责清单.csv", Sheets: []sheet{{
			Cols: hdrChaihudianTZ, Rows: townRows(chaihudianTZ, cat, nil), Encoding: "gb18030",
		}}}}},
		{County: jizhou, Edition: "2023版", Files: []file{{Name: "天津市蓟州区权力清单.xlsx", Sheets: []sheet{{
			Name: "权力清单", Title: "天津市蓟州区区级行政权力事项清单", Sub: "天津市蓟州区人民政府　2023年12月",
			Cols: hdrJizhou, Rows: jz, Merge: []string{"body"}, Notes: countyNotes(jizhou),
		}}}}},
		{County: jizhou, Town: bangjun, Edition: "2024版", Files: []file{{Name: "蓟州区邦均镇综合执法事项清单.xlsx", Sheets: []sheet{{
			Name: "邦均镇", Title: "天津市蓟州区邦均镇综合执法事项清单",
			Cols: hdrBangjun, Rows: townRows(bangjun, cat, nil), Merge: []string{"body"}, Notes: townNotes,
		}}}}},
		{County: jizhou, Town: xiaying, Edition: "2024版", Files: []file{{Name: "蓟州区下营镇权责清单.csv", Sheets: []sheet{{
			Cols: hdrXiaying, Rows: townRows(xiaying, cat, nil), Encoding: "gb18030",
		}}}}},
		{County: yiwu, Edition: "2024版", Files: []file{{Name: "义乌市行政权力事项目录.xlsx", Sheets: []sheet{
			{Name: "行政处罚", Title: "义乌市行政处罚事项目录（2024年版）", Cols: hdrYiwu, Rows: ywPenalty, Merge: []string{"body", "domain"}},
			{Name: "其他行政权力", Title: "义乌市行政许可、行政强制、行政检查等事项目录（2024年版）", Blank: true,
				Cols: hdrYiwu, Rows: ywOther, Merge: []string{"body"}, Notes: countyNotes(yiwu)},
		}}}},
		{County: yiwu, Town: fotang, Edition: "2024版", Files: []file{
			{Name: "义乌市佛堂镇综合行政执法事项目录_2024年版.xlsx", Sheets: []sheet{{
				Name: "执法事项", Title: "义乌市佛堂镇综合行政执法事项目录（2024年版）", Sub: "义乌市佛堂镇人民政府　2024年2月",
				Cols: hdrFotang, Rows: filter(ft, received), Merge: []string{"domain"}, Notes: townNotes,
			}}},
			{Name: "义乌市佛堂镇法定职权清单.csv", Sheets: []sheet{{Cols: hdrFotang, Rows: filter(ft, statutory), Encoding: "gb18030"}}},
		}},
		{County: yiwu, Town: suxi, Edition: "2024版", Files: []file{{Name: "义乌市苏溪镇权力清单.jsonl", Sheets: []sheet{{
			Cols: hdrJSONL, Rows: townRows(suxi, cat, nil),
		}}}}},
		{County: ningjin, Edition: "2024版", Files: []file{{Name: "宁津县行政权力清单.csv", Sheets: []sheet{{
			Cols: hdrNingjin, Rows: nj, Encoding: "gb18030",
		}}}}},
		{County: ningjin, Town: chaihudianNJ, Edition: "2024版", Files: []file{{Name: "宁津县柴胡店镇行政执法事项目录.xlsx", Sheets: []sheet{{
			Name: "Sheet1", Title: "宁津县柴胡店镇行政执法事项目录（2024年版）", Blank: true,
			Cols: hdrChaihudianNJ, Rows: njc, Merge: []string{"body"},
			// Assist rows carry no code in this list, as in many real lists;
			// the importer generates one.
			NoCode: func(r towndesk.PowerItem) bool { return r.Mode == towndesk.ModeAssist },
			Notes:  []string{"备注：协助类事项不编码，由县级主管部门统一编码。"},
		}}}}},
	}
}

// field returns the value of one field of r (seq is filled by the writer).
func field(r towndesk.PowerItem, f string) string {
	switch f {
	case "code":
		return r.Code
	case "name":
		return r.Name
	case "subitem":
		return r.SubItem
	case "category":
		return r.Category
	case "basis":
		return r.Basis
	case "body":
		return r.Body
	case "office":
		return r.Office
	case "mode":
		return string(r.Mode)
	case "level":
		return r.Level
	case "domain":
		return r.Domain
	case "note":
		return r.Note
	}
	return ""
}

// listName is how an edition is named in messages.
func (e edition) listName() string {
	if e.Town == nil {
		return e.County.Name + " " + e.Edition
	}
	return e.County.Name + e.Town.Name + " " + e.Edition
}

func (e edition) rowCount() int {
	n := 0
	for _, f := range e.Files {
		for _, s := range f.Sheets {
			n += len(s.Rows)
		}
	}
	return n
}

func (e edition) formats() string {
	var fs []string
	for _, f := range e.Files {
		ext := f.Name[strings.LastIndex(f.Name, ".")+1:]
		if ext == "csv" {
			ext = "csv (GB18030)"
		}
		if ext == "xlsx" && len(f.Sheets) > 1 {
			ext = fmt.Sprintf("xlsx (%d sheets)", len(f.Sheets))
		}
		fs = append(fs, ext)
	}
	return strings.Join(fs, " + ")
}
