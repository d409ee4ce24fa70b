package main

// county is a county-level place covered by the sample, with the names of
// its departments as that place organises them.
type county struct {
	Province string
	Name     string // as in the gazetteer: 滕州市
	Code     string // gazetteer code: 370481
	Full     string // prefix of bodies: 滕州市, 天津市蓟州区
	Style    string // sd (Shandong), tj (Tianjin), zj (Zhejiang): how towns are organised
	Level    string // 县级, 区级
	Depts    map[string]string
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
}

func (t *town) short() string { // 滨湖镇 → 滨湖
	r := []rune(t.Name)
	return string(r[:len(r)-1])
}

// Gov returns the township government: 滕州市滨湖镇人民政府.
func (t *town) Gov() string { return t.County.Full + t.Name + "人民政府" }

// devolveWord is how the town's province names devolution: Tianjin lists say
// 下放, Shandong and Zhejiang lists say 赋权.
func (t *town) devolveWord() string {
	if t.County.Style == "tj" {
		return "下放"
	}
	return "赋权"
}

// office returns the town unit that handles a power of domain d and
// category cat.
func (t *town) office(d, cat string) string {
	enforce := cat == "行政处罚" || cat == "行政强制" || cat == "行政检查"
	var unit string
	switch t.County.Style {
	case "tj":
		switch {
		case enforce:
			unit = "综合执法大队"
		case d == "规划建设" || d == "自然资源" || d == "交通运输":
			unit = "村镇建设办公室"
		case d == "民政":
			unit = "社会事务办公室"
		case d == "安全生产" || d == "消防安全":
			unit = "安全生产办公室"
		default:
			unit = "农业服务中心"
		}
	case "zj":
		switch {
		case enforce:
			unit = "综合行政执法队"
		case d == "规划建设" || d == "自然资源" || d == "交通运输":
			unit = "规划建设办公室"
		case d == "民政":
			unit = "社会事务办公室"
		case d == "安全生产" || d == "消防安全":
			unit = "应急管理办公室"
		default:
			unit = "农业农村办公室"
		}
	default:
		switch {
		case enforce:
			unit = "综合行政执法办公室"
		case d == "自然资源":
			unit = "便民服务中心"
		case d == "规划建设" || d == "交通运输":
			unit = "村镇规划建设办公室"
		case d == "民政":
			unit = "社会事务办公室"
		case d == "安全生产" || d == "消防安全":
			unit = "应急管理办公室"
		default:
			unit = "经济发展办公室"
		}
	}
	return t.Name + unit
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
	counties = []*county{tengzhou, jizhou, yiwu, ningjin}
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
	towns = []*town{binhu, guanqiao, chaihudianTZ, bangjun, xiaying, fotang, suxi, chaihudianNJ}
)
