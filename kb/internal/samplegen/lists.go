package main

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/towndesk/towndesk"
)

// col is one column of a file: the row field it shows and its header.
type col struct{ Field, Header string }

// headersText holds each list's header (format at its top).
//
//go:embed headers.txt
var headersText string

// mustParseHeaders reads the headers file into the header of each list,
// by list name. The file is embedded, so a malformed one is a programming
// error.
func mustParseHeaders(file, text string) map[string][]col {
	m := map[string][]col{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		list, pairs, _ := strings.Cut(line, "|")
		var cs []col
		for _, kv := range strings.Fields(pairs) {
			f, h, ok := strings.Cut(kv, "=")
			if !ok || f == "" || h == "" {
				panic(fmt.Sprintf("samplegen: %s line %d: %q: want field=header", file, n+1, kv))
			}
			cs = append(cs, col{f, h})
		}
		if len(cs) == 0 || m[list] != nil {
			panic(fmt.Sprintf("samplegen: %s line %d: want one line a list: list|field=header …", file, n+1))
		}
		m[list] = cs
	}
	return m
}

// withHeaders gives every sheet of each edition its list's header. Every
// list has one, and every header heads a list.
func withHeaders(eds []edition, file, text string) []edition {
	headers := mustParseHeaders(file, text)
	for _, e := range eds {
		h, ok := headers[e.listName()]
		if !ok {
			panic(fmt.Sprintf("samplegen: %s has no header for %s", file, e.listName()))
		}
		delete(headers, e.listName())
		for _, f := range e.Files {
			for i := range f.Sheets {
				f.Sheets[i].Cols = h
			}
		}
	}
	for list := range headers {
		panic(fmt.Sprintf("samplegen: %s: header of %s, which is no list", file, list))
	}
	return eds
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
	// Extra fills columns that are no field of a row (a 权责清单's 责任事项,
	// 追责情形, 监督方式), by field name.
	Extra map[string]func(towndesk.PowerItem) string
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
	// Features describes, for the README, how the list is laid out where
	// the later places' lists differ from the first ones.
	Features string
}

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
	all := cat
	tengzhou, jizhou, yiwu, ningjin := countyNamed("滕州市"), countyNamed("蓟州区"), countyNamed("义乌市"), countyNamed("宁津县")
	binhu, guanqiao, chaihudianTZ := townNamed(tengzhou, "滨湖镇"), townNamed(tengzhou, "官桥镇"), townNamed(tengzhou, "柴胡店镇")
	bangjun, xiaying := townNamed(jizhou, "邦均镇"), townNamed(jizhou, "下营镇")
	fotang, suxi, chaihudianNJ := townNamed(yiwu, "佛堂镇"), townNamed(yiwu, "苏溪镇"), townNamed(ningjin, "柴胡店镇")
	// County item codes, one scheme per county as real lists differ.
	tzCode := func(p *power, seq, sub int) string {
		return withSub(fmt.Sprintf("370481XZ%s%03d", categoryCode[p.Category], seq), "-%02d", sub)
	}
	jzCode := func(p *power, seq, sub int) string {
		return fmt.Sprintf("120119%s%02d%03d%02d", categoryCode[p.Category], domainOrder[p.Domain], seq, sub)
	}
	ywCode := func(p *power, seq, sub int) string {
		return fmt.Sprintf("33078200%s%05d%03d", categoryCode[p.Category], seq, sub)
	}
	njCode := func(p *power, seq, sub int) string {
		return withSub(fmt.Sprintf("371422-%s-%04d", categoryCode[p.Category], seq), "-%d", sub)
	}
	countyNotes := func(c *county) []string {
		return []string{
			"注：1.本清单依据现行法律、行政法规梳理，法律法规修改的，按修改后的规定执行。",
			"2.备注栏注明“已" + c.devolveWord() + "”的事项，在相应镇由镇人民政府以自己名义实施，其他镇仍由" + c.Name + "有关部门实施。",
		}
	}
	townNotes := []string{
		"注：1.承接方式为“委托”的事项，镇以委托部门名义实施，法律责任由委托部门承担。",
		"2.承接方式为“协助”的事项，由县级部门实施，镇负责巡查发现、劝阻制止和报告。",
	}

	// The first places' lists hold only the powers every place's list may
	// hold; later powers are scoped to the later provinces.
	first := scoped(cat, "")
	tz := countyRows(tengzhou, first, tzCode)
	jz := countyRows(jizhou, first, jzCode)
	yw := countyRows(yiwu, first, ywCode)
	nj := countyRows(ningjin, first, njCode)
	ywPenalty := filter(yw, func(r towndesk.PowerItem) bool { return r.Category == "行政处罚" })
	ywOther := filter(yw, func(r towndesk.PowerItem) bool { return r.Category != "行政处罚" })

	bh24 := townRows(binhu, first, nil)
	bh23 := townRows(binhu, first, binhu2023)
	ft := townRows(fotang, first, nil)
	njc := townRows(chaihudianNJ, first, nil)
	cat = first

	eds := []edition{
		{County: tengzhou, Edition: "2024版", Files: []file{{Name: "滕州市行政权力清单_2024年版.xlsx", Sheets: []sheet{{
			Name: "行政权力清单", Title: "滕州市行政权力清单（2024年版）", Sub: "编制单位：滕州市人民政府办公室　　　　更新日期：2024年3月",
			Rows: tz, Merge: []string{"body"}, Notes: countyNotes(tengzhou),
		}}}}},
		{County: tengzhou, Town: binhu, Edition: "2023版", Files: []file{{Name: "滕州市滨湖镇赋权事项清单_2023年版.csv", Sheets: []sheet{{
			Rows: bh23, Encoding: "gb18030",
		}}}}},
		{County: tengzhou, Town: binhu, Edition: "2024版", Files: []file{{Name: "滕州市滨湖镇行政权力事项目录_2024年版.xlsx", Sheets: []sheet{
			{Name: "法定事项", Title: "滕州市滨湖镇法定行政权力事项目录（2024年版）", Blank: true,
				Rows: filter(bh24, statutory), Merge: []string{"body", "domain"}},
			{Name: "赋权事项", Title: "滕州市滨湖镇综合行政执法事项目录（2024年版）", Sub: "单位：滕州市滨湖镇人民政府　　日期：2024年1月",
				Rows: filter(bh24, received), Merge: []string{"domain"}, Notes: townNotes},
		}}}},
		{County: tengzhou, Town: guanqiao, Edition: "2024版", Files: []file{{Name: "滕州市官桥镇综合行政执法事项目录.xlsx", Sheets: []sheet{{
			Name: "Sheet1", Title: "滕州市官桥镇综合行政执法事项目录（2024年版）",
			Rows: townRows(guanqiao, cat, nil), Merge: []string{"mode"},
			Notes: []string{"备注：本目录自公布之日起施行，未列入本目录的事项由滕州市有关部门依法实施。"},
		}}}}},
		{County: tengzhou, Town: chaihudianTZ, Edition: "2024版", Files: []file{{Name: "滕州市柴胡店镇权责清单.csv", Sheets: []sheet{{
			Rows: townRows(chaihudianTZ, cat, nil), Encoding: "gb18030",
		}}}}},
		{County: jizhou, Edition: "2023版", Files: []file{{Name: "天津市蓟州区权力清单.xlsx", Sheets: []sheet{{
			Name: "权力清单", Title: "天津市蓟州区区级行政权力事项清单", Sub: "天津市蓟州区人民政府　2023年12月",
			Rows: jz, Merge: []string{"body"}, Notes: countyNotes(jizhou),
		}}}}},
		{County: jizhou, Town: bangjun, Edition: "2024版", Files: []file{{Name: "蓟州区邦均镇综合执法事项清单.xlsx", Sheets: []sheet{{
			Name: "邦均镇", Title: "天津市蓟州区邦均镇综合执法事项清单",
			Rows: townRows(bangjun, cat, nil), Merge: []string{"body"}, Notes: townNotes,
		}}}}},
		{County: jizhou, Town: xiaying, Edition: "2024版", Files: []file{{Name: "蓟州区下营镇权责清单.csv", Sheets: []sheet{{
			Rows: townRows(xiaying, cat, nil), Encoding: "gb18030",
		}}}}},
		{County: yiwu, Edition: "2024版", Files: []file{{Name: "义乌市行政权力事项目录.xlsx", Sheets: []sheet{
			{Name: "行政处罚", Title: "义乌市行政处罚事项目录（2024年版）", Rows: ywPenalty, Merge: []string{"body", "domain"}},
			{Name: "其他行政权力", Title: "义乌市行政许可、行政强制、行政检查等事项目录（2024年版）", Blank: true,
				Rows: ywOther, Merge: []string{"body"}, Notes: countyNotes(yiwu)},
		}}}},
		{County: yiwu, Town: fotang, Edition: "2024版", Files: []file{
			{Name: "义乌市佛堂镇综合行政执法事项目录_2024年版.xlsx", Sheets: []sheet{{
				Name: "执法事项", Title: "义乌市佛堂镇综合行政执法事项目录（2024年版）", Sub: "义乌市佛堂镇人民政府　2024年2月",
				Rows: filter(ft, received), Merge: []string{"domain"}, Notes: townNotes,
			}}},
			{Name: "义乌市佛堂镇法定职权清单.csv", Sheets: []sheet{{Rows: filter(ft, statutory), Encoding: "gb18030"}}},
		}},
		{County: yiwu, Town: suxi, Edition: "2024版", Files: []file{{Name: "义乌市苏溪镇权力清单.jsonl", Sheets: []sheet{{
			Rows: townRows(suxi, cat, nil),
		}}}}},
		{County: ningjin, Edition: "2024版", Files: []file{{Name: "宁津县行政权力清单.csv", Sheets: []sheet{{
			Rows: nj, Encoding: "gb18030",
		}}}}},
		{County: ningjin, Town: chaihudianNJ, Edition: "2024版", Files: []file{{Name: "宁津县柴胡店镇行政执法事项目录.xlsx", Sheets: []sheet{{
			Name: "Sheet1", Title: "宁津县柴胡店镇行政执法事项目录（2024年版）", Blank: true,
			Rows: njc, Merge: []string{"body"},
			// Assist rows carry no code in this list, as in many real lists;
			// the importer generates one.
			NoCode: func(r towndesk.PowerItem) bool { return r.Mode == towndesk.ModeAssist },
			Notes:  []string{"备注：协助类事项不编码，由县级主管部门统一编码。"},
		}}}}},
	}
	return withHeaders(append(eds, laterEditions(all)...), "headers.txt", headersText)
}

// laterEditions builds the lists of the later places (四川, 广东, 内蒙古),
// each worded in its province's style.
func laterEditions(cat []*power) []edition {
	muchuan, shunde, xiwu := countyNamed("沐川县"), countyNamed("顺德区"), countyNamed("西乌珠穆沁旗")
	muxi, cizhu := townNamed(muchuan, "沐溪镇"), townNamed(muchuan, "茨竹乡")
	daliang, xingtan := townNamed(shunde, "大良街道"), townNamed(shunde, "杏坛镇")
	bayanhushu, jirengaole := townNamed(xiwu, "巴彦胡舒苏木"), townNamed(xiwu, "吉仁高勒镇")
	sc, gd, nm := styles["sc"], styles["gd"], styles["nm"]
	scCat, gdCat, nmCat := scoped(cat, "sc"), scoped(cat, "gd"), scoped(cat, "nm")

	mcCode := func(p *power, seq, sub int) string { // CF-511129-0012-01
		return withSub(fmt.Sprintf("%s-511129-%04d", categoryCode[p.Category], seq), "-%02d", sub)
	}
	sdCode := func(p *power, seq, sub int) string { // 24 digits: place, category, domain, number
		return fmt.Sprintf("440606%02d%02d%05d%03d000000", categoryNumber[p.Category], domainOrder[p.Domain], seq, sub)
	}
	xwCode := func(p *power, seq, sub int) string { // 行政处罚-00123-000
		return fmt.Sprintf("%s-%05d-%03d", p.Category, seq, sub)
	}

	mc := sc.countyRows(muchuan, scCat, mcCode)
	sd := gd.countyRows(shunde, gdCat, sdCode)
	xw := nm.countyRows(xiwu, nmCat, xwCode)

	// The 权责清单 of 顺德区: one sheet per category.
	extra := map[string]func(towndesk.PowerItem) string{"duty": dutyText, "blame": blameText, "supervise": superviseText}
	var sdSheets []sheet
	for _, c := range categoryOrder {
		rows := filter(sd, func(r towndesk.PowerItem) bool { return r.Category == c })
		if len(rows) == 0 {
			continue
		}
		sdSheets = append(sdSheets, sheet{Name: c, Title: "佛山市顺德区" + c + "权责清单（2024年版）",
			Rows: rows, Merge: []string{"body"}, Extra: extra})
	}
	sdSheets[len(sdSheets)-1].Notes = []string{"说明：本清单中“备注”栏注明已下放的事项，在相应镇街由镇人民政府（街道办事处）以自身名义实施，其他镇街仍由区有关部门实施。"}

	sichuanNotes := []string{
		"说明：1.“县级赋权事项”由乡人民政府以自己名义实施，法律责任由乡人民政府承担。",
		"2.“委托乡镇实施”的事项，乡人民政府以委托部门名义实施；“协助”事项由县级部门实施，乡人民政府负责巡查发现、及时报告。",
	}
	return []edition{
		{County: muchuan, Edition: "2024版", Files: []file{{Name: "沐川县行政权力清单_2024年版.csv", Sheets: []sheet{{
			Rows: mc, Encoding: "gb18030",
		}}}}, Features: "GB18030 CSV, headers 职权代码/职权名称/子项名称/职权类别/设定依据/实施部门/责任股室/层级/执法类别; one row per sub-item; no mode column (县级保留); basis tagged 【法律】/【行政法规】; codes CF-511129-0093-01"},
		{County: muchuan, Town: muxi, Edition: "2024版", Files: []file{{Name: "沐川县沐溪镇权责清单.xlsx", Sheets: []sheet{{
			Name: "沐溪镇", Title: "沐川县沐溪镇权责清单（2024年版）", Sub: "沐川县沐溪镇人民政府　2024年4月",
			Rows: townRows(muxi, scCat, nil), Merge: []string{"body", "mode"},
			Notes: []string{"备注：承接方式为“赋权”的事项由镇人民政府以自己名义实施；“委托”事项以委托部门名义实施；“派驻”事项由县级部门派驻机构实施。"},
		}}}}, Features: "承接方式 column; 行政许可 (乡村建设规划许可, 烟花爆竹零售许可 …), 行政确认 (动物检疫, 派驻: 沐川县农业农村局沐溪镇畜牧兽医站), 行政给付 (野生动物致害补偿, 公益林补偿); codes 511129100-CF123"},
		{County: muchuan, Town: cizhu, Edition: "2024版", Files: []file{{Name: "沐川县茨竹乡行政权力事项目录.xlsx", Sheets: []sheet{{
			Name: "茨竹乡", Title: "沐川县茨竹乡行政权力事项目录", Blank: true,
			Rows: townRows(cizhu, scCat, nil), Merge: []string{"body"}, Notes: sichuanNotes,
		}}}}, Features: "**no mode column**: the 说明 column states it (县级赋权事项, 委托乡镇实施，以…名义执法, 协助…实施); statutory rows' 说明 is empty or says nothing about the mode (由…便民服务中心受理, 属地管理事项), so they take the town default 法定"},
		{County: shunde, Edition: "2024版", Files: []file{{Name: "佛山市顺德区权责清单_2024年版.xlsx", Sheets: sdSheets}},
			Features: fmt.Sprintf("权责清单: %d sheets by category (%s); extra columns 责任事项, 追责情形, 监督方式 (not imported); sub-items folded into the name; 24-digit codes (440606020100032000000000); basis quotes the article (《…》第六十四条：“……”); no mode column (县级保留)", len(sdSheets), sheetNames(sdSheets))},
		{County: shunde, Town: daliang, Edition: "2024版", Files: []file{{Name: "顺德区大良街道综合行政执法事项目录.xlsx", Sheets: []sheet{{
			Name: "大良街道", Title: "佛山市顺德区大良街道综合行政执法事项目录（2024年版）", Sub: "佛山市顺德区大良街道办事处　2024年1月",
			Rows: townRows(daliang, gdCat, nil), Merge: []string{"domain"},
			Notes: []string{"注：实施方式为“下放”的事项，由街道办事处以自身名义实施；“委托”事项以委托部门名义实施。"},
		}}}}, Features: "a 街道: body 佛山市顺德区大良街道办事处, and only the statutory powers whose law names the 街道办事处; mode column 实施方式 (下放); devolved penalties cite 行政处罚法 第二十四条 too; codes 440606005020087"},
		{County: shunde, Town: xingtan, Edition: "2024版", Files: []file{{Name: "顺德区杏坛镇权责事项清单.csv", Sheets: []sheet{{
			Rows: townRows(xingtan, gdCat, nil), Encoding: "gb18030",
		}}}}, Features: "GB18030 CSV, headers 编码/职权事项名称/职权类型/依据/行使主体/承办单位/承接方式/行使层级/执法领域; 派驻 行政确认 row (动物检疫: 佛山市顺德区农业农村局杏坛镇畜牧兽医站)"},
		{County: xiwu, Edition: "2024版", Files: []file{{Name: "西乌珠穆沁旗行政权力清单.xlsx", Sheets: []sheet{{
			Name: "权力清单", Title: "西乌珠穆沁旗旗级行政权力清单（2024年版）", Sub: "西乌珠穆沁旗人民政府　2024年5月",
			Rows: xw, Merge: []string{"body", "domain"},
			Notes: []string{"注：备注栏注明“已下放”的事项，在相应苏木镇由苏木镇人民政府以自己名义实施，其他苏木镇仍由旗有关部门实施。"},
		}}}}, Features: "sub-items folded into the name; codes 行政处罚-00123-000; basis without 中华人民共和国 (《城乡规划法》第四十条); 草原法 powers (非法开垦草原, 采挖植物, 机动车辆离开道路在草原上行驶 …) and 草原 行政确认/行政许可/行政给付; no mode column (县级保留)"},
		{County: xiwu, Town: bayanhushu, Edition: "2024版", Files: []file{{Name: "西乌珠穆沁旗巴彦胡舒苏木综合行政执法事项清单.xlsx", Sheets: []sheet{{
			Name: "Sheet1", Title: "西乌珠穆沁旗巴彦胡舒苏木综合行政执法事项清单",
			Rows: townRows(bayanhushu, nmCat, nil), Merge: []string{"mode", "body"},
			Notes: []string{"注：“派驻”事项由旗综合行政执法局派驻第三大队以旗综合行政执法局名义实施，苏木人民政府协调配合。"},
		}}}}, Features: "a 苏木; 派驻 rows name the stationed unit as the body: 西乌珠穆沁旗综合行政执法局第三大队 (not named after the town); merged 承接方式 and 执法主体 cells; codes 行政处罚-BYHS-0123"},
		{County: xiwu, Town: jirengaole, Edition: "2024版", Files: []file{{Name: "西乌珠穆沁旗吉仁高勒镇权力清单.csv", Sheets: []sheet{{
			Rows: townRows(jirengaole, nmCat, nil), Encoding: "gb18030",
		}}}}, Features: "GB18030 CSV with **no mode column**: the 备注 states it (下放苏木镇实施, 委托苏木镇实施，以…名义执法, 派驻执法，由西乌珠穆沁旗综合行政执法局第二大队…, 配合…执法); statutory rows' 备注 says nothing about the mode"},
	}
}

func sheetNames(ss []sheet) string {
	var names []string
	for _, s := range ss {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
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
