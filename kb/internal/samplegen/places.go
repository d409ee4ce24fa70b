package main

import "fmt"

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

var (
	tengzhou = &county{
		Province: "山东省", Name: "滕州市", Code: "370481", Full: "滕州市", Style: "sd", Level: "县级", Squads: true,
		Depts: map[string]string{
			"zr": "滕州市自然资源局", "zj": "滕州市住房和城乡建设局", "zf": "滕州市综合行政执法局",
			"hb": "枣庄市生态环境局滕州分局", "ny": "滕州市农业农村局", "sl": "滕州市水利局",
			"yj": "滕州市应急管理局", "sj": "滕州市市场监督管理局", "ga": "滕州市公安局",
			"jt": "滕州市交通运输局", "mz": "滕州市民政局", "ly": "滕州市自然资源局",
			"wl": "滕州市文化和旅游局", "xf": "滕州市消防救援大队",
		},
	}
	jizhou = &county{
		Province: "天津市", Name: "蓟州区", Code: "120119", Full: "天津市蓟州区", Style: "tj", Level: "区级",
		Depts: map[string]string{
			"zr": "天津市规划和自然资源局蓟州分局", "zj": "天津市蓟州区住房和建设委员会", "zf": "天津市蓟州区城市管理委员会",
			"hb": "天津市蓟州区生态环境局", "ny": "天津市蓟州区农业农村委员会", "sl": "天津市蓟州区水务局",
			"yj": "天津市蓟州区应急管理局", "sj": "天津市蓟州区市场监督管理局", "ga": "天津市公安局蓟州分局",
			"jt": "天津市蓟州区交通运输委员会", "mz": "天津市蓟州区民政局", "ly": "天津市规划和自然资源局蓟州分局",
			"wl": "天津市蓟州区文化和旅游局", "xf": "天津市蓟州区消防救援支队",
		},
	}
	yiwu = &county{
		Province: "浙江省", Name: "义乌市", Code: "330782", Full: "义乌市", Style: "zj", Level: "县级", Squads: true,
		Depts: map[string]string{
			"zr": "义乌市自然资源和规划局", "zj": "义乌市住房和城乡建设局", "zf": "义乌市综合行政执法局",
			"hb": "金华市生态环境局义乌分局", "ny": "义乌市农业农村局", "sl": "义乌市水务局",
			"yj": "义乌市应急管理局", "sj": "义乌市市场监督管理局", "ga": "义乌市公安局",
			"jt": "义乌市交通运输局", "mz": "义乌市民政局", "ly": "义乌市自然资源和规划局",
			"wl": "义乌市文化和广电旅游体育局", "xf": "义乌市消防救援大队",
		},
	}
	ningjin = &county{
		Province: "山东省", Name: "宁津县", Code: "371422", Full: "宁津县", Style: "sd", Level: "县级", Squads: true,
		Depts: map[string]string{
			"zr": "宁津县自然资源局", "zj": "宁津县住房和城乡建设局", "zf": "宁津县综合行政执法局",
			"hb": "德州市生态环境局宁津分局", "ny": "宁津县农业农村局", "sl": "宁津县水利局",
			"yj": "宁津县应急管理局", "sj": "宁津县市场监督管理局", "ga": "宁津县公安局",
			"jt": "宁津县交通运输局", "mz": "宁津县民政局", "ly": "宁津县自然资源局",
			"wl": "宁津县文化和旅游局", "xf": "宁津县消防救援大队",
		},
	}
	// The later places: provinces whose lists word items their own way.
	muchuan = &county{
		Province: "四川省", Name: "沐川县", Code: "511129", Full: "沐川县", Style: "sc", Level: "县级",
		Depts: map[string]string{
			"zr": "沐川县自然资源和规划局", "zj": "沐川县住房和城乡建设局", "zf": "沐川县综合行政执法局",
			"hb": "乐山市沐川生态环境局", "ny": "沐川县农业农村局", "sl": "沐川县水务局",
			"yj": "沐川县应急管理局", "sj": "沐川县市场监督管理局", "ga": "沐川县公安局",
			"jt": "沐川县交通运输局", "mz": "沐川县民政局", "ly": "沐川县林业局",
			"wl": "沐川县文化广播电视和旅游局", "xf": "沐川县消防救援大队",
		},
	}
	shunde = &county{
		Province: "广东省", Name: "顺德区", Code: "440606", Full: "佛山市顺德区", Style: "gd", Level: "区级",
		Depts: map[string]string{
			"zr": "佛山市自然资源局顺德分局", "zj": "佛山市顺德区住房城乡建设和水利局", "zf": "佛山市顺德区城市管理和综合执法局",
			"hb": "佛山市生态环境局顺德分局", "ny": "佛山市顺德区农业农村局", "sl": "佛山市顺德区住房城乡建设和水利局",
			"yj": "佛山市顺德区应急管理局", "sj": "佛山市顺德区市场监督管理局", "ga": "佛山市公安局顺德分局",
			"jt": "佛山市顺德区交通运输局", "mz": "佛山市顺德区民政局", "ly": "佛山市自然资源局顺德分局",
			"wl": "佛山市顺德区文化广电旅游体育局", "xf": "佛山市顺德区消防救援大队",
		},
	}
	xiwu = &county{
		Province: "内蒙古自治区", Name: "西乌珠穆沁旗", Code: "152526", Full: "西乌珠穆沁旗", Style: "nm", Level: "旗县级", Squads: true,
		Depts: map[string]string{
			"zr": "西乌珠穆沁旗自然资源局", "zj": "西乌珠穆沁旗住房和城乡建设局", "zf": "西乌珠穆沁旗综合行政执法局",
			"hb": "锡林郭勒盟生态环境局西乌珠穆沁旗分局", "ny": "西乌珠穆沁旗农牧和科技局", "sl": "西乌珠穆沁旗水利局",
			"yj": "西乌珠穆沁旗应急管理局", "sj": "西乌珠穆沁旗市场监督管理局", "ga": "西乌珠穆沁旗公安局",
			"jt": "西乌珠穆沁旗交通运输局", "mz": "西乌珠穆沁旗民政局", "ly": "西乌珠穆沁旗林业和草原局",
			"wl": "西乌珠穆沁旗文化旅游体育局", "xf": "西乌珠穆沁旗消防救援大队",
		},
	}
	counties = []*county{tengzhou, jizhou, yiwu, ningjin, muchuan, shunde, xiwu}
)

// The towns, and the contrast pairs the README describes. Overrides name the
// mode a power has in the town ("" = not in the town's list: the county's
// department holds it).
var (
	binhu = &town{County: tengzhou, Name: "滨湖镇", Code: "370481104", Abbr: "BH", Devolve: 55, Entrust: 25, Assist: 60,
		Override: map[string]string{
			"td78": "赋权", "cx64": "赋权", "dq119a": "赋权", "bz20": "赋权", "sr36b": "派驻",
			"sr34b": "派驻", "gf111a": "赋权", "dy98": "赋权", "hd44s": "赋权", "sl76b": "赋权",
			"sp127": "委托", "yh42b": "协助", "dq119c": "派驻", "zs82": "派驻",
			// 赋权收回 in the 2024 edition (see binhu2023 in lists.go).
			"jz64": "", "sp122": "", "aq102": "", "sl73": "",
		}}
	guanqiao = &town{County: tengzhou, Name: "官桥镇", Code: "370481110", Abbr: "GQ", Devolve: 30, Entrust: 20, Assist: 50,
		Override: map[string]string{
			"td78": "", "cx64": "派驻", "dq119a": "赋权", "bz20": "", "sr36b": "派驻", "gf111a": "派驻",
			"dy98": "委托", "hd44s": "", "sl76b": "",
		}}
	chaihudianTZ = &town{County: tengzhou, Name: "柴胡店镇", Code: "370481111", Abbr: "CHD", Devolve: 12, Entrust: 30, Assist: 50,
		Override: map[string]string{
			"td78": "委托", "cx64": "", "dq119a": "", "bz20": "委托", "sr36b": "派驻", "gf111a": "派驻",
			"dy98": "", "hd44s": "",
		}}
	bangjun = &town{County: jizhou, Name: "邦均镇", Code: "120119105", Abbr: "BJ", Devolve: 50, Entrust: 20, Assist: 60,
		Override: map[string]string{
			"td78": "下放", "cx64": "", "dq119a": "下放", "bz20": "下放", "sr36b": "下放", "gf111a": "下放",
			"dy98": "下放", "sl76b": "", "cz37": "下放",
		}}
	xiaying = &town{County: jizhou, Name: "下营镇", Code: "120119104", Abbr: "XY", Devolve: 35, Entrust: 20, Assist: 60,
		Override: map[string]string{
			"td78": "", "cx64": "", "dq119a": "下放", "bz20": "", "sr36b": "", "gf111a": "下放",
			"sl76a": "下放", "sl76b": "下放", "sl74": "下放", "ww83b": "下放", "ww83": "协助", "yd49": "协助",
		}}
	fotang = &town{County: yiwu, Name: "佛堂镇", Code: "330782100", Abbr: "FT", Devolve: 60, Entrust: 20, Assist: 60,
		Override: map[string]string{
			"td78": "赋权", "cx64": "赋权", "dq119a": "赋权", "bz20": "赋权", "sr36b": "赋权", "gf111a": "赋权",
			"dy98": "赋权", "ww83b": "赋权",
		}}
	suxi = &town{County: yiwu, Name: "苏溪镇", Code: "330782105", Abbr: "SX", Devolve: 25, Entrust: 20, Assist: 50,
		Override: map[string]string{
			"td78": "", "cx64": "派驻", "dq119a": "赋权", "bz20": "", "sr36b": "", "gf111a": "派驻",
			"dy98": "",
		}}
	chaihudianNJ = &town{County: ningjin, Name: "柴胡店镇", Code: "371422101", Abbr: "CHD", Devolve: 40, Entrust: 20, Assist: 55,
		Override: map[string]string{
			"td78": "赋权", "cx64": "派驻", "dq119a": "赋权", "bz20": "赋权", "sr36b": "派驻", "gf111a": "赋权",
			"dy98": "赋权", "xq37": "赋权",
		}}
	// 四川: 沐溪镇 (the county seat) words its mode in a column; 茨竹乡's
	// list has none and says the mode in its notes.
	muxi = &town{County: muchuan, Name: "沐溪镇", Code: "511129100", Abbr: "MX", Devolve: 45, Entrust: 20, Assist: 50,
		CodeOf: sichuanCode,
		Override: map[string]string{
			"td78": "赋权", "cx64": "", "dq119a": "赋权", "bz20": "赋权", "sr36b": "赋权", "gf111a": "赋权",
			"dy98": "委托", "yh42b": "协助", "cx41": "赋权", "yh19": "赋权", "yd19": "赋权", "sl29": "委托",
			"dy49": "派驻", "sl57t": "委托", "sr14": "赋权",
		}}
	cizhu = &town{County: muchuan, Name: "茨竹乡", Code: "511129208", Abbr: "CZ", Devolve: 30, Entrust: 25, Assist: 55,
		CodeOf: sichuanCode, NotesMode: true,
		Override: map[string]string{
			"td78": "委托", "cx64": "", "dq119a": "赋权", "bz20": "", "sr36b": "", "gf111a": "赋权",
			"dy98": "赋权", "yh42b": "协助", "cx41": "赋权", "yh19": "", "yd19": "赋权", "sl29": "委托",
			"sl57t": "委托", "sl76b": "赋权", "sl74": "赋权",
		}}
	// 广东: a 街道 (sub-district: only the statutory powers whose law names
	// the 街道办事处) and a 镇.
	daliang = &town{County: shunde, Name: "大良街道", Code: "440606005", Abbr: "DL", Devolve: 65, Entrust: 15, Assist: 50,
		CodeOf: guangdongCode,
		Override: map[string]string{
			"cx64": "下放", "td78": "下放", "dq119a": "", "bz20": "下放", "sr36b": "下放", "gf111a": "下放",
			"dy98": "", "yh42b": "协助", "yh19": "下放", "sr34b": "下放", "dq118a": "下放", "dq118c": "下放",
			"zs81": "下放", "zs82": "下放", "gf111h": "下放",
		}}
	xingtan = &town{County: shunde, Name: "杏坛镇", Code: "440606105", Abbr: "XT", Devolve: 50, Entrust: 15, Assist: 55,
		CodeOf: guangdongCode,
		Override: map[string]string{
			"cx64": "下放", "td78": "下放", "dq119a": "下放", "bz20": "下放", "sr36b": "下放", "gf111a": "下放",
			"dy98": "下放", "yh42b": "协助", "cx41": "下放", "yh19": "", "yd19": "", "dy49": "派驻",
			"xq37": "下放", "xq42": "下放",
		}}
	// 内蒙古: 巴彦胡舒苏木 names the stationed squad as a numbered 大队 in
	// its body column; 吉仁高勒镇's list has no mode column.
	bayanhushu = &town{County: xiwu, Name: "巴彦胡舒苏木", Code: "152526200", Abbr: "BYHS", Devolve: 30, Entrust: 20, Assist: 60,
		CodeOf: innerMongoliaCode, Squad: "西乌珠穆沁旗综合行政执法局第三大队",
		Override: map[string]string{
			"cy66": "下放", "cy67": "下放", "cy68": "派驻", "cy70": "委托", "yd19": "下放", "cy48": "委托",
			"dq119a": "下放", "cx64": "派驻", "td78": "", "bz20": "", "sr36b": "派驻", "gf111a": "派驻",
			"dy98": "下放", "yh42b": "协助", "dy49": "派驻",
		}}
	jirengaole = &town{County: xiwu, Name: "吉仁高勒镇", Code: "152526102", Abbr: "JRGL", Devolve: 35, Entrust: 20, Assist: 55,
		CodeOf: innerMongoliaCode, Squad: "西乌珠穆沁旗综合行政执法局第二大队", NotesMode: true,
		Override: map[string]string{
			"cy66": "", "cy67": "下放", "cy68": "下放", "yd19": "下放", "cy48": "委托", "cx64": "派驻",
			"td78": "下放", "bz20": "下放", "sr36b": "派驻", "gf111a": "下放", "dy98": "委托", "yh42b": "协助",
			"dq119a": "下放", "dy49": "派驻",
		}}
	towns = []*town{binhu, guanqiao, chaihudianTZ, bangjun, xiaying, fotang, suxi, chaihudianNJ,
		muxi, cizhu, daliang, xingtan, bayanhushu, jirengaole}
)

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
