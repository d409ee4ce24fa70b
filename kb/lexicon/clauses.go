package lexicon

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/towndesk/towndesk/segment"
)

// ClauseBreak is the token put between the clauses of a question.
const ClauseBreak = "，"

// CutClauses cuts text into tokens clause by clause, with ClauseBreak
// between clauses. A clause ends at a comma, a full stop, a semicolon, a
// question or exclamation mark or a line break.
func CutClauses(seg *segment.Segmenter, text string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune("，。；！？,.;!?\n、…", r) }) {
		if len(out) > 0 {
			out = append(out, ClauseBreak)
		}
		out = append(out, seg.Cut(c)...)
	}
	return out
}

// AsksWhetherMay reports whether a question asks if someone may act, when
// no frame said so: it has 能不能, 可不可以, 能否, 有没有权 …, or ends in
// 吗 (么) after 能, 可以 or 有权.
func AsksWhetherMay(tokens []string) bool {
	may := false
	for i, t := range tokens {
		switch t {
		case "能不能", "可不可以", "能否", "可否", "有没有权", "有没有权力", "有没有权限", "有无权":
			return true
		case "能", "可以", "有权", "有权力", "不能":
			may = true
		case "吗", "么", "嘛":
			if may && (i == len(tokens)-1 || tokens[i+1] == ClauseBreak) {
				return true
			}
		}
	}
	return false
}

// exceededApproval matches a question saying an approval was exceeded or
// not followed, which is a violation too: 比批的多盖了两层, 超出批准的面积,
// 不按许可证规定, 超过了许可的范围.
var exceededApproval = regexp.MustCompile(`超范围|超经营范围|超出经营范围|` +
	`比[^，。,.;；！？!?]{0,12}(批|许可|证)[^，。,.;；！？!?]{0,8}(多|超|大)|` +
	`(超出|超过|超了|超)[^，。,.;；！？!?]{0,6}(批准|批的|许可|审批|证上)|` +
	`(不按|没按|未按|不照)[^，。,.;；！？!?]{0,8}(批准|批的|许可|证上|审批)`)

// MissingApproval reports whether q says something was done without the
// approval it needed: a negation followed closely by an approval word (or
// preceded by one: 许可证没办), 擅自 or 私自 (没批就盖), as opposed to beyond one (没按
// 审批的面积建 says an approval was had).
func MissingApproval(q string) bool { return negatedApproval(q, true) && !ExceededApproval(q) }

// ExceededApproval reports whether q says an approval was exceeded or not
// followed (超出许可范围, 比批的多盖了两层).
func ExceededApproval(q string) bool { return exceededApproval.MatchString(q) }

// overStandard matches a question saying a standard or a rule's limit was
// exceeded (修的坟比规定的大多了, 超标好几倍); overStandardName an item name
// about that (墓穴占地面积超过规定标准, 超标排放).
var (
	overStandard     = regexp.MustCompile(`超标|超过(规定|标准)|超出(规定|标准)|比规定的?(还|更|要)?(大|多|高|宽|长)`)
	overStandardName = regexp.MustCompile(`超标|超过[^，。；]{0,6}(标准|规定)`)
)

// OverStandard reports whether a question says a standard was exceeded,
// not that it was not (没超标, 是不是超标).
func OverStandard(q string) bool {
	for _, m := range overStandard.FindAllStringIndex(q, -1) {
		before := q[:m[0]]
		if !slices.ContainsFunc(notSaid, func(n string) bool { return strings.HasSuffix(before, n) }) {
			return true
		}
	}
	return false
}

// notSaid are the words before a statement that deny or doubt it.
var notSaid = []string{"没", "不", "未", "冇", "有没有", "是不是", "是否"}

// NamesOverStandard reports whether an item's name is about exceeding a
// standard.
func NamesOverStandard(name string) bool { return overStandardName.MatchString(name) }

// exceedsApproval matches an item name about going beyond an approval:
// 超范围生产, 超过批准的期限, 未按照许可证核定的种类.
var exceedsApproval = regexp.MustCompile(`超范围|(超出|超越|超过)[^，。；]{0,8}(批准|许可|核定|范围)|` +
	`(未按照|未按|不按)[^，。；]{0,10}(批准|许可|核定)`)

// ExceedsApproval reports whether an item's name is about going beyond an
// approval rather than lacking it. 未按照规定取得…许可 is lacking one.
func ExceedsApproval(name string) bool {
	return exceedsApproval.MatchString(lackingWords.Replace(name))
}

// lackingWords blank out 未按(照)规定取得, which says an approval was lacked.
var lackingWords = strings.NewReplacer("未按照规定取得", "", "未按规定取得", "")

// LacksApproval reports whether an item's name is about doing without an
// approval (未取得…许可, 无…证, 未经批准): a negation followed closely by an
// approval word. 擅自 alone does not count: most penalties say it.
func LacksApproval(name string) bool { return negatedApproval(name, false) }

func negatedApproval(q string, bare bool) bool {
	rs := []rune(q)
	for i := range rs {
		for _, n := range negations {
			if !strings.HasPrefix(string(rs[i:]), n) {
				continue
			}
			// The approval word may come a few words later ("没办乡村建设
			// 规划许可证"), but within the same clause.
			window := clauseAfter(rs[i+len([]rune(n)):], 14)
			for _, a := range approvals {
				if strings.Contains(window, a) {
					return true
				}
			}
			if bare && (n == "擅自" || n == "私自") {
				return true
			}
		}
		// Or the approval comes first and its lack right after it:
		// 许可证没办, 宅基地批文也没有, 手续还冇.
		for _, a := range approvals {
			if bare && strings.HasPrefix(string(rs[i:]), a) && strings.ContainsAny(clauseAfter(rs[i+len([]rune(a)):], 3), "没未冇无") {
				return true
			}
		}
	}
	return false
}

// clauseAfter returns up to n characters of rest, ending where its clause
// ends.
func clauseAfter(rest []rune, n int) string {
	end := min(len(rest), n)
	for k := 0; k < end; k++ {
		if strings.ContainsRune("，。,.;；！？!?", rest[k]) {
			end = k
			break
		}
	}
	return string(rest[:end])
}

// NamesBody reports whether a word names a body: 县公安局, 镇政府, 派出所.
func NamesBody(w string) bool {
	if len([]rune(w)) < 2 {
		return false
	}
	for _, suf := range bodySuffixes {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// IsNumber reports whether a token is a number of five or more digits: a
// phone, ID or case number, never the matter (and personal data to keep
// out of the normalised form).
func IsNumber(s string) bool {
	digits := 0
	for _, r := range s {
		if !unicode.IsDigit(r) && r != 'x' && r != 'X' {
			return false
		}
		digits++
	}
	return digits >= 5
}

// HasWordRune reports whether s has a Han character, a letter or a digit.
func HasWordRune(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// NamesInstitution reports whether a compound names an institution: a
// body (NamesBody) or a 院 (卫生院, 法院, 养老院). Such a compound is not
// read as its parts: 卫生院 is a clinic, not 卫生.
func NamesInstitution(w string) bool {
	return NamesBody(w) || utf8.RuneCountInString(w) > 1 && strings.HasSuffix(w, "院")
}

// numerals and measures make up quantities: 三, 十几, 两层, 20株, 半年.
const (
	numerals = "0123456789０１２３４５６７８９.一二三四五六七八九十百千万两几半零〇多来"
	measures = "年月日天号点米斤个次回遍家户棵株根只头条辆间层亩方吨元块分秒周车"
)

// IsQuantity reports whether a token is a quantity (三, 十几, 两层, 20株,
// 米): numerals and at most one measure word at the end, or a measure
// word alone. How much or how many is never the matter asked about.
func IsQuantity(s string) bool {
	rs := []rune(s)
	if len(rs) == 0 {
		return false
	}
	last := rs[len(rs)-1]
	if strings.ContainsRune(measures, last) {
		rs = rs[:len(rs)-1]
	}
	for _, r := range rs {
		if !strings.ContainsRune(numerals, r) {
			return false
		}
	}
	return true
}

// settings are words naming where something happens: venues and the places
// of a village or a town. A question naming only a setting and an act no
// list knows (超市缺斤短两, 网吧让小孩上网) asks about the act.
var settings = setOf(`车站 汽车站 火车站 客运站 公交站 站台 超市 商场 商店 小卖部 便利店 门市 门面 铺面 店里 店门口
		网吧 歌厅 舞厅 酒吧 茶楼 饭店 餐馆 饭馆 餐厅 食堂 学校 校门口 幼儿园 医院 诊所 药店 小区 楼道 楼里 楼下 院子 家里 屋里
		村里 村口 村头 镇上 街上 路边 路上 马路上 河里 河边 湖里 湖边 山上 山里 林子里 地里 田里 公园 集市 菜市场 工地上 工厂 厂里
		门口 景区 宾馆 酒店 旅馆 加油站 码头 银行 单位 办公室 车上 广场上 市场里
		棋牌室 麻将馆 游戏厅 台球室 电影院 影院 足浴店 洗浴中心 浴室 KTV 茶馆 民宿 电竞馆 健身房`)

// IsSetting reports whether a word names only where something happens
// (网吧, 河边, 超市), not what happens there.
func IsSetting(w string) bool { return settings()[w] }

// parties are words for who is involved: people and the places they work,
// not what they did.
var parties = setOf(`工人 员工 工友 农民工 民工 职工 老板 包工头 工头 老板娘 厂长 经理 业主 住户 邻居 村民 牧民 农户 老乡
	工地 厂子 工厂 车间 公司 企业 单位 施工队 小作坊 作坊`)

// IsParty reports whether a word names who is involved (工人, 老板, 工地),
// not what happened.
func IsParty(w string) bool { return parties()[w] }

// NamesPlaces reports whether an official term names a kind of place
// rather than a matter: 人员密集场所, the lists' word for where many people
// gather.
func NamesPlaces(term string) bool { return term == "人员密集场所" || term == "公共场所" }

// consequence opens the part of an item name that states the penalty
// rather than the act: 非法开垦草原的，责令停止违法行为…, 露天焚烧秸秆的，可以处罚款.
var consequence = regexp.MustCompile(`的[，,](责令|处以|处|没收|可以|予以|给予|并处|依法|由|追回|限期)`)

// ActName returns an item name up to the act it names, without the
// penalty some lists write after it (…的，责令改正，处以罚款): "露天焚烧秸秆、落叶的".
// A name without such a clause is returned as it is.
func ActName(name string) string {
	if loc := consequence.FindStringIndex(name); loc != nil {
		return name[:loc[0]+len("的")]
	}
	return name
}

// obstructs matches keeping inspectors out: 不让 (不给, 不准, 不许), maybe
// who was kept out, and going in or inspecting (不让安监进门检查, 不让查,
// 不给执法人员进厂, 就是不让进。, 不让进嘛); or a fixed phrase (被拦在门外,
// 锁门不让). A bare 进 going on (进行, 进货) or a 查 further on
// (拒不改正检查发现的问题) is not enough.
var (
	obstructs = regexp.MustCompile(`(不让|不给|不准|不许)(人|我们|他们|安监|执法人员|执法队|检查组|工作人员|检查人员|环保|应急局)?` +
		`(进门|进厂|进场|进院|进来|进去|入内|进车间|进厂区|查|检查|看|进(?:[啊嘛呀哦啦吧咯噻]|[，。,.!?！？；;\s]|$|谁|找|归|哪|该|怎么|咋|能|可以))|` +
		`拦在门外|挡在门外|拦着不让|锁着门不让|锁门不让|拦住不让`)
	inspecting = regexp.MustCompile(`检查|巡查|安监|执法人员|执法队|检查组|检查人员|来查|去查|查看`)
)

// ObstructsInspection reports whether a question says someone kept
// inspectors out: it asks about the penalty for refusing or obstructing an
// inspection (拒绝、阻碍监督检查), not about the inspection.
func ObstructsInspection(text string) bool {
	return obstructs.MatchString(text) && inspecting.MatchString(text)
}

// occupies matches taking land in words of one's own (占了村里的集体地, 占了
// 一大片地, 占了二十来亩荒坡): 占 and, within the clause, a word for land in
// general; a kind of land with rows of its own (林地, 护堤地, 草原) is not.
var occupies = regexp.MustCompile(`占(了|用了?|着|住了?)?[^，。,.;；!！?？占]{0,10}?(土地|耕地|农田|荒坡|荒地|山坡|亩|集体地|的地|块地|片地)`)

// notLand are the characters after 地 that make it no land: 地方, 地面,
// 地下, 地址, 地摊, 地上.
var notLand = []string{"方", "面", "下", "址", "摊", "上"}

// OccupiesLand reports whether a question says someone took land (占了…地),
// the matter of 非法占用土地 however it is worded. Space (占地方), a green,
// a site or a yard (占了绿地, 场地, 空地) is not land taken.
func OccupiesLand(text string) bool {
	for _, m := range occupies.FindAllStringSubmatchIndex(text, -1) {
		end := text[m[1]:]
		if strings.HasSuffix(text[m[4]:m[5]], "地") && slices.ContainsFunc(notLand, func(w string) bool { return strings.HasPrefix(end, w) }) {
			continue
		}
		return true
	}
	return false
}

// coercion matches asking about sealing off a site or tearing down a
// building: the words of the measure (查封, 强拆, 强制拆除), or who is to
// pull it down (谁来拆, 哪个来拆).
var coercion = regexp.MustCompile(`查封|强拆|强制拆除|强行拆除|强行清除|强制清除|代为清除|扣押|扣留|` +
	`扣下来?(吗|嘛|不|没|呢|啊|[，。？?！!,\s]|$)|能扣下?(他的|他们的|她的)?(车|三轮车|摩托车|电动车|船|货|设备|东西)|` +
	`(谁|哪个|边个|啥人|哪个部门|什么部门|归谁)(来|去|负责|能)?扣(押|留|车|船|货|下)?(吗|嘛|不|呢|啊|[，。？?！!,\s]|$)|(谁|哪个|边个|啥人|哪个部门|什么部门|谁能|归谁)(来|去|负责|能)拆([^迁]|$)|` +
	`(谁|哪个|边个|啥人|哪个部门|什么部门|归谁)拆([^迁的了]|$)`)

// AsksCoercion reports whether a question asks about a coercive measure
// (查封, 强制拆除, 扣押) rather than a penalty: it names the measure or asks who
// pulls down or seizes (谁扣, 能扣下来不), and says nothing of a fine. What
// was withheld (工资被扣下了, 扣分, 谁扣的钱) is no seizure.
func AsksCoercion(text string) bool {
	return coercion.MatchString(text) && !strings.Contains(text, "罚") && !withheld.MatchString(text)
}

// withheld matches money or papers someone keeps back (扣工资, 扣押金,
// 扣身份证): no coercive measure of a list.
var withheld = regexp.MustCompile(`工资|工钱|押金|补贴|补助|补偿|低保|养老金|身份证|钱|扣分`)

// whereToApply matches asking where or from whom to get something done,
// in wordings the frames do not list: going somewhere to apply (到啥地方去办,
// 上哪个部门去申请), a body to apply to (找哪个部门审批, 边度批), a
// certificate to be issued (卖牛要开检疫证明), whether it is done at the
// town (系咪喺镇度办, 是在镇上办不), a licence to get (要办规划证), or
// whom a licence is asked of (建设工程规划许可证找哪个部门, 采伐证找谁呀), or
// whether the town can grant it (镇里能办采伐证吗). Misusing a licence
// (伪造采伐证找谁) is no such question.
var whereToApply = regexp.MustCompile(`(到|去|上|在)(哪里|哪儿|哪块|哪搭|啥地方|什么地方|哪个地方|边度|阿里)(去|来)?(办|申请|审批|报批|办证|办手续|盖章|领证)|` +
	`(哪个部门|啥部门|什么部门|边个部门|边度|找谁|找哪个|问谁)(去|来)?(申请|审批|报批|办证|办手续|办理手续|盖章|领证|批)|` +
	`(要|想|得|需要|去)开(个|张|一张|份|一份)?(动物检疫|检疫|产地检疫|健康|合格|无犯罪|居住|收入)?证明|` +
	`(在|喺|去|到)(镇|镇上|镇里|乡里|乡上|街道|县里|区里|市里|旗里|苏木)(度|里)?(办理|申请|审批|办)(吗|嘛|不|没|冇|呢|吧|啊|得了|唔|[，。,.;；！？!?]|$)|` +
	`(要|想|得|需要|准备|打算)办(个|张|一张)?[^，。,.;；！？!?没无法了]{0,6}(证|许可证|执照)|` +
	`(证|执照|牌照)\s*(要|该|应该|得|需要)?(找|问|去|到|上)(谁|哪个部门|哪个单位|什么部门|啥部门|哪里|哪儿|边个|边度)(办理|办|申请|批|领)?([吗呢啊呀嘛哦哈啦？?。，,！!\s]|$)|` +
	`(证|许可证|执照)(是|系)?(哪个|谁|边个|哪个部门|什么部门|啥部门|哪里|哪儿|边度)(来)?(审批|审|批|发|核发|签发|开)|` +
	`(嘛地方|啥地方|什么地方|哪个地方)(去)?(办理|办|申请)|` +
	`(要|得|需要|找)(谁|啥人|什么人|哪个|哪个部门|什么部门|边个)(来)?(同意|批准|点头)|` +
	`(镇|镇上|镇里|乡里|乡上|街道|苏木)(能|可以|能不能|可不可以)(办理|办|申请|审批)[^，。,.;；！？!?]{0,8}(证|许可证|执照|许可)?(吗|嘛|不|没|冇|呢|吧|啊|[，。,.;；！？!?]|$)`)

// licence matches a question naming a licence or an approval.
var licence = regexp.MustCompile(`证|执照|牌照|许可|审批|批`)

// NamesLicence reports whether a question names a licence or an approval
// (采伐证, 规划许可, 审批), not another thing applied for (备案, 调解).
func NamesLicence(text string) bool { return licence.MatchString(text) }

// misuse matches what is done wrong with a licence (伪造, 倒卖, 假证): a
// question about it is about the penalty, not where to apply.
var misuse = regexp.MustCompile(`伪造|变造|涂改|倒卖|买卖|出借|租借|冒用|盗用|假证|假的|假冒`)

// AsksWhereToApply reports whether a question asks where to apply (or whom
// to ask for an approval) when no frame said so. Asking who approved
// something (是哪个部门批的) is not asking where to apply.
func AsksWhereToApply(text string) bool {
	if misuse.MatchString(text) {
		return false
	}
	for _, m := range whereToApply.FindAllStringIndex(text, -1) {
		if !strings.HasPrefix(text[m[1]:], "的") {
			return true
		}
	}
	return false
}

// rural matches a question set in the countryside: a village (村里, 村口,
// 我们村, 嘎查), villagers, or 农村 itself.
var rural = regexp.MustCompile(`村里|村上|村头|村口|村子|村边|村道|村民|村入面|村里面|村度|村委|村干部|村支书|农村|农民|农户|乡下|乡村|嘎查|屯里|屯子|寨子|` +
	`(我们|咱们|咱|本|我)村|村(有人|有个|有户|有家)`)

// notVillage are words with 村 or 农村 in them that set nothing in a village.
var notVillage = strings.NewReplacer("城中村", "", "度假村", "", "农村信用社", "", "农村商业银行", "", "村镇银行", "")

// Rural reports whether a question is set in the countryside.
func Rural(q string) bool { return rural.MatchString(notVillage.Replace(q)) }

// urban matches a question set in a town proper or a city (镇区, 县城, 城区).
var urban = regexp.MustCompile(`镇区([^域边周附]|$)|城区|县城|市区|城里|城镇|镇上的街|主街|工业区|开发区|工业园|产业园`)

// Urban reports whether a question is set in a town proper or a city.
func Urban(q string) bool { return urban.MatchString(q) }

// ruralNames are the words of an item name about the countryside (乡村建设,
// 村庄规划区, 农村村民), not of one that names 农村 in passing (公墓和农村的
// 公益性墓地以外). Item names are read for every row scored: plain
// substrings, not a regular expression.
var ruralNames = []string{"乡村建设", "乡村违法建设", "村庄规划区", "村庄、集镇", "村庄和集镇", "农村村民", "农村居民"}

// business matches a question about a firm (老板, 公司, 厂).
var business = regexp.MustCompile(`老板|公司|企业|厂|单位|商户|开发商|料场|商家`)

// AboutFirm reports whether a question is about a firm (老板, 公司, 厂).
func AboutFirm(q string) bool { return business.MatchString(q) }

// NamesRural reports whether an item's name is about the countryside, for a
// question set there: a row about villagers (农村村民…建住宅) is not one
// about a firm that took village land (老板占了村里的地建厂房).
func NamesRural(name string, firm bool) bool {
	if firm && (strings.Contains(name, "村民") || strings.Contains(name, "农村居民")) {
		return false // a row about villagers (农村村民…建住宅)
	}
	return slices.ContainsFunc(ruralNames, func(w string) bool { return strings.Contains(name, w) })
}

// denied matches what a question says it is not about: 不是乡村那种, 不是农村
// 盖房的, 而不是罚款. Not a rhetorical question (这不是违建吗): that says
// it is.
var denied = regexp.MustCompile(`(而不是|并不是|不是|并非)[^，。,；;！？!?()（）吗嘛]{1,10}?(那种|那类|那样|的)`)

// notDenying are the characters before 不是 that make no denial of it:
// 是不是, 还不是, 要不是, 可不是.
var notDenying = []string{"是", "还", "要", "可"}

// DropDenied removes from a question what it says it is not about, unless
// the clause ends in 吗 or 嘛 (a rhetorical question).
func DropDenied(text string) string {
	ms := denied.FindAllStringIndex(text, -1)
	if ms == nil {
		return text
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		if before := text[:m[0]]; slices.ContainsFunc(notDenying, func(w string) bool { return strings.HasSuffix(before, w) }) {
			continue // 是不是要审批的: a yes/no question, not a denial
		}
		rest := text[m[1]:]
		if i := strings.IndexAny(rest, "，。,；;！？!?"); i >= 0 {
			rest = rest[:i]
		}
		if strings.ContainsAny(rest, "吗嘛") {
			continue
		}
		b.WriteString(text[last:m[0]])
		last = m[1]
	}
	b.WriteString(text[last:])
	return b.String()
}

// small matches a question saying the amount was small: 不到半方, 不足两方,
// 量不大, 数量不多.
var small = regexp.MustCompile(`(不到|不足|没到|不够|不超过|没超过)[^，。,；;！？!?]{0,6}(方|立方|株|棵)|量不大|数量不多|数量不大`)

// BelowThreshold reports whether a question says the amount was small.
func BelowThreshold(q string) bool { return small.MatchString(q) }

// smallName matches an item name about a small amount (盗伐…不足0.5立方米或者
// 幼树不足20株).
var smallName = regexp.MustCompile(`不足[^，、；]{0,6}(立方米|株)`)

// NamesBelowThreshold reports whether an item's name is about a small
// amount.
func NamesBelowThreshold(name string) bool { return smallName.MatchString(name) }

// duty matches asking what the town itself must do (预案是镇里自己编吗, 镇上
// 要配合干啥, 镇上有没有责任组织收集处理, 谁负责收集处理): a duty of the
// town's (其他行政权力), not a penalty.
var duty = regexp.MustCompile(`(镇里|镇上|镇政府|乡里|乡上|乡政府|街道办|苏木)(自己)?` +
	`((要|得|负责|有没有责任|有冇责任|有责任|会不会|会唔会|是不是|统一|自己)(编|定|制定|配合|组织|指导)|要?(配合)?(干|做)(啥|什么)|负责(啥|什么))|` +
	`谁负责(收集|组织|指导|收走)|是不是镇上统一`)

// AsksDuty reports whether a question asks what the town itself must do.
func AsksDuty(text string) bool { return duty.MatchString(text) }

// otherMeaning lists, for an everyday word, the words of the lists that
// hold it with another meaning: a residential compound (小区) is no
// breeding compound (养殖小区).
var otherMeaning = map[string][]string{
	"小区": {"养殖小区"},
}

// OnlyInOther reports whether every occurrence of w in name is inside a
// word of another meaning (小区 in 对畜禽养殖场、养殖小区…的处罚).
func OnlyInOther(w, name string) bool {
	others := otherMeaning[w]
	if others == nil || !strings.Contains(name, w) {
		return false
	}
	for _, o := range others {
		name = strings.ReplaceAll(name, o, "")
	}
	return !strings.Contains(name, w)
}

// tooBig matches saying something was built too large (修得老大, 占地太大).
var tooBig = regexp.MustCompile(`(修|建|造|弄|搞|盖|垒)得?(老大|太大|特别大|很大|好大|那么大)|占地(太|老|特别|很|好)大`)

// GraveTooBig reports whether a question says a grave was made too large
// (修坟修得老大, 建坟占地太大): it exceeds the grave-size standard.
func GraveTooBig(text string) bool {
	return strings.ContainsAny(text, "坟墓") && tooBig.MatchString(text)
}

// NamesVillagePermit reports whether an item's name is about the village
// planning permit (乡村建设规划许可证核发, …申请受理), which a planning permit
// named without a village (规划证去哪办) is not taken to mean: the town's
// permit is (DOMAIN.md's reading of 违建 without rural context).
func NamesVillagePermit(name string) bool { return strings.Contains(name, "乡村建设规划许可") }

// destroysSign matches pulling out, knocking down or smashing a sign or a
// marker (标志牌拔了, 界桩遭人拔了, 拔咗护林宣传牌), not a vegetable or a wall.
var destroysSign = regexp.MustCompile(`(标志|牌|桩|碑|界石)[^，。,；;！？!?]{0,3}(拔|推倒|砸|毁)|(拔|推倒|砸|毁)(了|掉|走|咗|烂|坏)?[^，。,；;！？!?]{0,8}(标志|牌|桩|碑|界石)`)

// DestroysSign reports whether a question says a sign or a marker was
// destroyed: the matter is destroying it (破坏, 毁坏), not setting it up.
func DestroysSign(text string) bool { return destroysSign.MatchString(text) }
