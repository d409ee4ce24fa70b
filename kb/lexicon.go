package kb

import (
	"slices"
	"strings"

	"github.com/towndesk/towndesk"
)

// The words of a question that are not its matter. Each is matched on the
// question's tokens and dropped as whole tokens: never cut out of the
// middle of another word.

// frame is a question frame ("归谁管", "去哪办", "能罚吗"): the part of a
// question that asks who, where or whether. Some name the kind of power
// they ask about, or what kind of reply is wanted.
type frame struct {
	phrase   string
	category string          // the kind of power the frame names, or ""
	intent   towndesk.Intent // the reply the frame asks for, or ""
}

var frames = func() map[string]frame {
	fs := map[string]frame{}
	add := func(category string, intent towndesk.Intent, phrases string) {
		for _, p := range strings.Fields(phrases) {
			fs[p] = frame{p, category, intent}
		}
	}
	// Who manages, who is responsible, which department.
	add("", "", `谁管 归谁管 由谁管 谁来管 归谁 找谁 问谁 谁负责 谁来负责 谁处理 谁来处理 谁能管 谁管理 归谁管理
		由谁管理 谁来 谁去 谁做 谁弄 谁出面 应该归谁管 到底归谁管 该归谁管 该谁管 归哪管 归哪个部门管 由哪个部门管 归哪个单位管 找哪个部门
		哪个部门管 哪个部门负责 哪个部门处理 哪个单位管 哪个部门 哪个单位 什么部门 哪个科室 哪家单位 哪里管
		哪儿管 该找谁 应该找谁 该找哪个部门 应该找哪个部门 找哪里 找哪儿 向谁反映 跟谁反映 找谁反映 向谁举报
		找谁举报 向谁报告 报给谁 谁来查 谁查 谁来执法 谁执法 谁的事 谁的责任 谁牵头 谁主管 主管部门 怎么办
		怎么处理 如何处理 咋办 咋整 咋弄 咋处理 咋个办 怎么弄 怎么搞 怎么整 如何 怎么 该怎么办 要怎么办`)
	add("行政处罚", "", `谁查处 谁来查处 谁来罚 谁罚 谁处罚 谁来处罚 罚款找谁 谁罚款 谁来罚款 怎么处罚 怎么罚 如何处罚`)
	add("行政检查", "", `谁来检查 谁检查`)
	// Where to apply: licence and certificate questions.
	add("行政许可", towndesk.IntentApply, `谁审批 谁来批 谁批 找谁批 要谁批 去哪批 去哪办 到哪办 在哪办 去哪里办 到哪里办
		在哪里办 哪里办 去哪儿办 找谁办 谁办 谁来办 怎么申请 如何申请 去哪申请 到哪申请 在哪申请 向谁申请 找谁申请
		办什么证 要办什么证 需要办什么证 办啥证 要办啥证 什么证 啥证 什么手续 啥手续 要什么手续 需要什么手续
		办什么手续 办哪些手续 怎么办理 如何办理 去哪办理 在哪办理 到哪办理 找谁办理 怎么审批 哪里批 谁发证 找谁办证
		去哪办证 在哪办证 怎么办证 谁发 谁发的 谁核发 哪里发 在哪发 去哪领 在哪领 交给谁 交到哪 交到哪里 报给哪
		找哪办`)
	// Whether the town may act.
	add("", towndesk.IntentCan, `能罚吗 能不能罚 能管吗 能不能管 管不管 管得了吗 有没有权 有权管吗 有权罚吗 能处罚吗 可以罚吗
		可以管吗 可不可以管 可不可以罚 该不该管 能不能处罚 有没有权力 有没有权限 有这个权吗 能查吗 能不能查
		可以查吗 能执法吗 能不能执法 有执法权吗 有没有执法权`)
	return fs
}()

// fillers carry no matter: greetings, politeness, discourse words, dialect
// fillers, pronouns and the generic words for "someone", "this matter".
var fillers = setOf(`请问 你好 您好 麻烦问一下 麻烦问下 麻烦 问一下 问下 想问 想问一下 我想问 我想问一下 我想咨询
	我想咨询下 我想咨询一下 咨询下 咨询一下 咨询 打听 打听一下 打听下 一下 下 老师 领导 同志 谢谢 谢了 急 在线等 求助
	请教 请教一下 介算嘛事儿 算嘛事 嘛事儿 啥情况 咋回事 怎么回事 咋个 啥子 啥 什么 哪 哪里 哪儿 哪个 谁 吗 呢 么
	俺们 俺 咱们 咱 我 我们 你 你们 他 她 他们 她们 它 人家 别人 大家 大伙 老乡 有人 有个人 有户人家 有户 有家
	有个 有一户 有位 有些人 有的人 一些人 某人 一个 一些 几个 这 那 这个 那个 这种 那种 这些 那些 这边 那边
	这里 那里 这儿 那儿 这事 这事儿 这种事 这种情况 这个事 这件事 此事 该事 情况 问题 事情 事 事儿 东西 之类
	有点儿 有点 一点 老是 贼 特别 非常 挺 真是 真的 好像 据说 说是 反正 其实 就是 然后 那啥 这啥 还 又 也 都 就
	已经 正在 一直 还在 又在 刚才 刚刚 现在 目前 经常 总是 应该 可以 能否 是否 是不是 需要 还是 到底 能 要 会
	想 该 得 要是 如果 的话 因为 所以 但是 可是 而且 或者 是 有 没 在 把 被 给 让 叫 由 对 向 从 跟 和 与 及 等
	的 了 着 过 地 吧 啊 呀 哦 啦 嘛 呗 咧 噻 哈 嗯 哎 唉 哇 喔 嘞 哩 伐 个 位 户 家 种 件 次 回 下子 一下子
	发现 看到 看见 听说 知道 告诉 问问 反映 举报 投诉 报告 上报 报给 报到 处理 负责 管 管理 部门 单位 政府
	乡镇 镇 乡 村 县 镇上 镇里 村里 村上 县里 本镇 本村 我们镇 我们县 我们村 我们这边 我们这里 咱们村 咱村 村子
	附近 旁边 周边 门口 家里 自家 老百姓 百姓 群众 居民 村民 市民 住户 邻居 大爷 大妈 老人 小孩
	来 去 做 弄 搞 整 干 找 问 说 看 用 拿 办 里 上 中 内 外 边`)

// hints map words to the kind of power they point at. A hint is not the
// matter: it is dropped once it has given its hint.
var hints = map[string]string{
	"行政处罚": "行政处罚", "处罚": "行政处罚", "罚款": "行政处罚", "罚钱": "行政处罚", "罚": "行政处罚", "查处": "行政处罚",
	"行政许可": "行政许可", "审批": "行政许可", "批准": "行政许可", "许可": "行政许可", "办证": "行政许可", "批": "行政许可",
	"行政检查": "行政检查", "检查": "行政检查", "巡查": "行政检查", "查": "行政检查",
	"行政强制": "行政强制", "查封": "行政强制", "扣押": "行政强制", "强制": "行政强制",
	"征收": "行政征收", "收费": "行政征收",
	"补贴": "行政给付", "补助": "行政给付", "救助": "行政给付",
	"奖励": "行政奖励", "表彰": "行政奖励",
	"确认": "行政确认", "认定": "行政确认",
	"裁决": "行政裁决",
}

// Words of "doing without an approval": a negation followed, within the
// clause, by an approval word.
var (
	negations = []string{"没有", "没", "未经", "未", "无", "不经", "不办", "擅自", "私自", "偷偷"}
	approvals = []string{"审批", "批准", "批", "许可", "证", "手续", "同意", "备案", "登记"}
)

// bodySuffixes end the names of bodies (县公安局, 镇政府, 派出所). Bodies are
// what an answer says, not the matter asked about: "是不是县公安局管" must
// not search for 公安局 (nor let a question steer the answer towards one).
var bodySuffixes = []string{"局", "委", "办", "政府", "所", "队", "中心", "站", "委员会", "部门"}

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// phrasebook knows the multi-word phrases of a question that are read as
// one: frames, fillers, hints and the words of the synonym dictionary. A
// phrase is matched on whole tokens of the general segmentation (归/谁/管,
// 乱/搭/乱/建), never on part of a token, so that a dictionary word neither
// distorts how a question is cut nor is found inside another word.
type phrasebook struct {
	kind   map[string]phraseKind
	sorted []string // every phrase, sorted, for prefix look-ups
}

type phraseKind uint8

const (
	phraseNone phraseKind = iota
	phraseSynonym
	phraseHint
	phraseFiller
	phraseFrame // a frame wins over a filler of the same spelling
)

// maxPhraseTokens is the most tokens a phrase is read from.
const maxPhraseTokens = 6

func newPhrasebook(syn *Synonyms) *phrasebook {
	b := &phrasebook{kind: map[string]phraseKind{}}
	add := func(w string, k phraseKind) {
		if k > b.kind[w] {
			b.kind[w] = k
		}
	}
	for _, w := range syn.words() {
		add(w, phraseSynonym)
	}
	for w := range hints {
		add(w, phraseHint)
	}
	for w := range fillers {
		add(w, phraseFiller)
	}
	for w := range frames {
		add(w, phraseFrame)
	}
	b.sorted = make([]string, 0, len(b.kind))
	for w := range b.kind {
		b.sorted = append(b.sorted, w)
	}
	slices.Sort(b.sorted)
	return b
}

// isPrefix reports whether some phrase is longer than s and starts with it.
func (b *phrasebook) isPrefix(s string) bool {
	i, found := slices.BinarySearch(b.sorted, s)
	if found {
		i++
	}
	return i < len(b.sorted) && strings.HasPrefix(b.sorted[i], s)
}

// longest returns the number of tokens of the longest phrase the tokens
// start with, and its kind; 0 if they start with none.
func (b *phrasebook) longest(tokens []string) (int, phraseKind) {
	n, kind := 0, phraseNone
	joined := ""
	for k := 0; k < len(tokens) && k < maxPhraseTokens; k++ {
		joined += tokens[k]
		if pk := b.kind[joined]; pk != phraseNone {
			n, kind = k+1, pk
		}
		if !b.isPrefix(joined) {
			break
		}
	}
	return n, kind
}
