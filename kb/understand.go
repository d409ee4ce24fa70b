package kb

import (
	"strings"
	"unicode"
)

// concept is one thing the question talks about: a word of the question
// and the list words it stands for.
type concept struct {
	surface string   // as written in the question
	alts    []string // the surface and, for known words, the official terms
	known   bool     // found in the synonym dictionary
	weight  float64
	// grams are the character pairs (or the single character) of a plain
	// word that occur somewhere in the lists; set by the KB before scoring.
	grams        []string
	unknownPairs int // pairs of the word that occur in no list
}

// parsed is a question reduced to what the search needs.
type parsed struct {
	concepts []concept
	category string // 行政处罚 …, or "" when the question gives no hint
}

// frames are the parts of a question that ask "who", not "what". They are
// cut out before the matter is looked for. Longer ones first.
var frames = []string{
	// Time words first, so that "今天天气" does not lose the 天天 inside.
	"今天", "昨天", "明天", "前天", "今年", "去年", "最近几天",
	"归哪个部门管", "由哪个部门管", "归哪个单位管", "该找哪个部门", "应该找哪个部门", "找哪个部门", "哪个部门管",
	"哪个部门负责", "哪个部门处理", "哪个单位管", "哪个部门", "哪个单位", "什么部门", "哪个科室", "哪家单位",
	"应该归谁管", "应该由谁管", "到底归谁管", "归谁管理", "由谁管理", "归谁管", "由谁管", "谁来管", "谁管理", "谁负责",
	"谁来负责", "谁处理", "谁来处理", "谁查处", "谁来查处", "谁来查", "谁执法", "谁来执法", "谁来罚", "谁能管",
	"归谁", "谁管", "找谁", "问谁", "谁批", "谁审批", "谁来批", "谁办", "谁来办", "谁", "管不管", "能不能管", "能管吗", "有没有权",
	"怎么办", "怎么处理", "如何处理", "怎么处罚", "怎么弄", "咋办", "咋整", "如何", "怎么",
	"请问", "你好", "您好", "麻烦问一下", "问一下", "想问", "咨询", "一下",
	// Colloquial and dialect fillers: they carry no matter.
	"介算嘛事儿", "算嘛事", "嘛事儿", "啥情况", "咋回事", "怎么回事", "咋整", "咋弄", "咋搞", "咋个", "咋", "啥子", "啥",
	"俺们", "俺", "咱们村", "咱们", "咱", "老乡", "大伙", "大家", "人家", "有点儿", "有点", "一点", "老是", "老吵", "贼",
	"特别", "非常", "挺", "真是", "真的", "好像", "据说", "说是", "反正", "其实", "就是", "然后", "那啥", "这啥",
	"整天", "一天到晚", "天天", "每天", "成天", "一直", "还在", "又在", "正在", "已经", "刚才", "刚刚", "前几天", "这几天",
	"上报", "报给", "报到", "该不该", "归不归", "算不算", "行不行", "对不对", "可不可以", "能不能", "有没有", "是谁", "谁家",
	"有人在", "有人", "有个人", "有户人家", "有村民", "有家", "有个", "有一户", "有位",
	"我们镇", "我们县", "我们这边", "我们这里", "我们村", "我们", "咱们", "本镇", "镇上", "镇里", "村里", "村上", "县里",
	"这种情况", "这种事", "这事儿", "这事", "这个", "那个", "这种", "那边", "这边", "这里", "那里",
	"应该", "可以", "能否", "是否", "是不是", "需要", "还是", "到底", "现在", "最近", "经常", "天天", "总是",
	"发现", "看到", "听说", "举报", "反映", "投诉",
}

// hints map words to the category of power they point at. The word is
// removed from the matter once it has given its hint.
var hints = []struct{ word, category string }{
	{"行政处罚", "行政处罚"}, {"处罚", "行政处罚"}, {"罚款", "行政处罚"}, {"罚钱", "行政处罚"}, {"罚", "行政处罚"},
	{"行政许可", "行政许可"}, {"审批", "行政许可"}, {"批准", "行政许可"}, {"许可", "行政许可"}, {"办证", "行政许可"}, {"批", "行政许可"},
	{"行政检查", "行政检查"}, {"检查", "行政检查"}, {"巡查", "行政检查"}, {"查", "行政检查"},
	{"行政强制", "行政强制"}, {"查封", "行政强制"}, {"扣押", "行政强制"}, {"强制", "行政强制"},
	{"征收", "行政征收"}, {"收费", "行政征收"},
	{"补贴", "行政给付"}, {"补助", "行政给付"}, {"救助", "行政给付"},
	{"奖励", "行政奖励"}, {"表彰", "行政奖励"},
	{"确认", "行政确认"}, {"认定", "行政确认"},
	{"裁决", "行政裁决"}, {"纠纷", "行政裁决"},
}

// frameHints are question frames that name the kind of power, most
// specific first.
var frameHints = []struct{ word, category string }{
	{"谁查处", "行政处罚"}, {"谁来查处", "行政处罚"}, {"谁处罚", "行政处罚"}, {"谁来罚", "行政处罚"}, {"谁罚", "行政处罚"}, {"罚款找谁", "行政处罚"},
	{"谁审批", "行政许可"}, {"谁来批", "行政许可"}, {"谁批", "行政许可"}, {"找谁批", "行政许可"}, {"要谁批", "行政许可"},
	{"去哪批", "行政许可"}, {"去哪办", "行政许可"}, {"到哪办", "行政许可"}, {"找谁办", "行政许可"}, {"在哪办", "行政许可"},
	{"谁来检查", "行政检查"}, {"谁检查", "行政检查"},
	// "谁查" usually means 查处 (investigate and punish), so it names no
	// kind; "检查" does.
}

// negations and approvals make up "doing without an approval".
var (
	negations = []string{"没有", "没", "未经", "未", "无", "不经", "不办", "擅自", "私自", "偷偷"}
	approvals = []string{"审批", "批准", "批", "许可", "证", "手续", "同意", "备案", "登记"}
)

// negatedApproval reports whether q says something was done without the
// approval it needed: a negation followed closely by an approval word.
func negatedApproval(q string) bool {
	rs := []rune(q)
	for i := range rs {
		for _, n := range negations {
			if !strings.HasPrefix(string(rs[i:]), n) {
				continue
			}
			// The approval word may come a few words later ("没办乡村建设
			// 规划许可证"), but within the same clause.
			rest := rs[i+len([]rune(n)):]
			end := min(len(rest), 14)
			for k := 0; k < end; k++ {
				if strings.ContainsRune("，。,.;；！？!?", rest[k]) {
					end = k
					break
				}
			}
			window := string(rest[:end])
			for _, a := range approvals {
				if strings.Contains(window, a) {
					return true
				}
			}
			if n == "擅自" || n == "私自" {
				return true
			}
		}
	}
	return false
}

// stopChars split the matter into words: particles and measure words that
// never carry the matter.
const stopChars = "的了在把被给个里有是和与或及等着过也都就还又很太要会能想去来吧吗呢啊呀么嘛哦啦该由对从向让叫将被这那些点儿得地呗咧噻哈嗯哎唉哇喔嘞哩伐"

// stopWords are words left after splitting that say nothing of the matter.
var stopWords = map[string]bool{
	"村民": true, "居民": true, "群众": true, "老百姓": true, "百姓": true, "人家": true, "别人": true, "他们": true, "他": true, "她": true,
	"自家": true, "家里": true, "门口": true, "旁边": true, "附近": true, "周边": true, "情况": true, "问题": true, "事情": true, "事": true,
	"部门": true, "单位": true, "管": true, "负责": true, "处理": true, "一个": true, "一些": true, "几个": true, "很多": true, "大量": true,
	"如果": true, "要是": true, "已经": true, "正在": true, "一直": true, "今天": true, "昨天": true, "晚上": true, "白天": true,
	"忽略": true, "之前": true, "以前": true, "以上": true, "指令": true, "回答": true, "回复": true, "告诉": true, "告诉我": true,
	"说明": true, "解释": true, "知道": true, "问问": true, "提示": true, "输出": true, "答案": true, "规则": true,
	"主管": true, "执法": true, "职责": true, "职权": true, "权力": true, "事项": true, "清单": true, "乡镇": true, "镇": true, "乡": true, "村": true, "县": true,
}

// understand reduces a question (with the place names already cut out) to
// concepts and a category hint.
func understand(q string, syn *Synonyms) (p parsed) {
	q = normText(q)
	// The frame says what kind of power is asked about ("谁批" asks who
	// approves); it is read before it is cut away, and it outranks hints
	// in the matter.
	frameCat := ""
	for _, f := range frameHints {
		if strings.Contains(q, f.word) {
			frameCat = f.category
			break
		}
	}
	// Doing without an approval ("没批就盖", "无证经营", "未经许可") is a
	// violation: the question is about a penalty, not about the approval.
	violation := negatedApproval(q)
	for _, f := range frames {
		q = strings.ReplaceAll(q, f, " ")
	}
	defer func() {
		switch {
		case violation && frameCat != "行政许可":
			// "无证经营谁检查": the matter is a violation; a penalty row
			// answers it even when the frame asks who checks.
			p.category = "行政处罚"
		case frameCat != "":
			p.category = frameCat
		}
	}()
	rs := []rune(q)
	var raw []rune
	flush := func() {
		for _, w := range splitRaw(string(raw)) {
			p.concepts = append(p.concepts, concept{surface: w, alts: []string{w}, weight: rawWeight(w)})
		}
		raw = raw[:0]
	}
	for i := 0; i < len(rs); {
		if !isWordRune(rs[i]) {
			flush()
			i++
			continue
		}
		// The longest dictionary word starting here, else a category hint.
		if n, alts := longestWord(rs[i:], syn); n > 0 {
			flush()
			w := string(rs[i : i+n])
			p.concepts = append(p.concepts, concept{surface: w, alts: append([]string{w}, alts...), known: true, weight: 1})
			i += n
			continue
		}
		if n, cat := hintAt(rs[i:]); n > 0 {
			flush()
			if p.category == "" {
				p.category = cat
			}
			i += n
			continue
		}
		raw = append(raw, rs[i])
		i++
	}
	flush()
	return p
}

func isWordRune(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func longestWord(rs []rune, syn *Synonyms) (int, []string) {
	max := syn.maxRune
	if max > len(rs) {
		max = len(rs)
	}
	for n := max; n >= 1; n-- {
		if alts, ok := syn.expand(string(rs[:n])); ok {
			return n, alts
		}
	}
	return 0, nil
}

func hintAt(rs []rune) (int, string) {
	for _, h := range hints {
		w := []rune(h.word)
		if len(w) <= len(rs) && string(rs[:len(w)]) == h.word {
			return len(w), h.category
		}
	}
	return 0, ""
}

// splitRaw cuts text the dictionary does not know into candidate words at
// particles, and drops words that say nothing of the matter.
func splitRaw(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(stopChars, r) }) {
		if !stopWords[w] && !namesBody(w) {
			out = append(out, w)
		}
	}
	return out
}

// bodySuffixes end the names of bodies (县公安局, 镇政府, 派出所).
var bodySuffixes = []string{"局", "委", "办", "政府", "所", "队", "中心", "站", "委员会", "部门"}

// namesBody reports whether a plain word names a body. Bodies are what an
// answer says, not the matter asked about: "是不是县公安局管" must not
// search for 公安局 (nor let a question steer the answer towards one).
func namesBody(w string) bool {
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

// rawWeight: a single character says less about the matter than a word.
func rawWeight(w string) float64 {
	if len([]rune(w)) == 1 {
		return 0.4
	}
	return 1
}

// addHints merges a language model's reading into p: each term becomes a
// concept (expanded through the dictionary when it knows the word), unless
// the question already has a concept with that surface; the category is
// taken only when the question gave none.
func (p *parsed) addHints(terms []string, category string, syn *Synonyms) {
	for _, t := range terms {
		t = strings.TrimSpace(normText(t))
		if t == "" || p.has(t) {
			continue
		}
		alts := []string{t}
		if more, ok := syn.expand(t); ok {
			alts = append(alts, more...)
		}
		p.concepts = append(p.concepts, concept{surface: t, alts: alts, known: true, weight: 1})
	}
	if p.category == "" {
		p.category = category
	}
}

func (p *parsed) hasKnown() bool {
	for _, c := range p.concepts {
		if c.known {
			return true
		}
	}
	return false
}

func (p *parsed) has(surface string) bool {
	for _, c := range p.concepts {
		if c.surface == surface {
			return true
		}
	}
	return false
}
