// Package lexicon holds the words towndesk reads questions with: the
// synonym dictionary (colloquial and dialect words → the lists' wording),
// question frames ("归谁管", "去哪办"), fillers, category hints, the
// phrasebook that finds them on whole tokens, clause cutting, and the
// names people write places by. It knows nothing of the index or scoring.
package lexicon

import (
	"slices"
	"strings"
	"sync"

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

// frames, fillers and hints are the sources of the compiled table
// (lexicon.bin), which a process reads them from; the maps are built only
// for a dictionary without it (see NewPhrasebook) and by the tests.
var frames = sync.OnceValue(func() map[string]frame {
	fs := map[string]frame{}
	add := func(category string, intent towndesk.Intent, phrases string) {
		for _, p := range strings.Fields(phrases) {
			fs[p] = frame{p, category, intent}
		}
	}
	// Standard Mandarin and general northern speech.
	// Who manages, who is responsible, which department.
	add("", "", `谁管 归谁管 由谁管 谁来管 归谁 找谁 问谁 谁负责 谁来负责 谁处理 谁来处理 谁能管 谁管理 归谁管理
		由谁管理 谁来 谁去 谁做 谁弄 谁出面 应该归谁管 到底归谁管 该归谁管 该谁管 归哪管 归哪个部门管 由哪个部门管 归哪个单位管 找哪个部门
		哪个部门管 哪个部门负责 哪个部门处理 哪个单位管 哪个部门 哪个单位 什么部门 哪个科室 哪家单位 哪里管
		哪儿管 该找谁 应该找谁 该找哪个部门 应该找哪个部门 找哪里 找哪儿 向谁反映 跟谁反映 找谁反映 向谁举报
		找谁举报 向谁报告 报给谁 谁来查 谁查 谁来执法 谁执法 谁的事 谁的责任 谁牵头 谁主管 主管部门 怎么办
		怎么处理 如何处理 咋办 咋整 咋弄 咋处理 咋个办 怎么弄 怎么搞 怎么整 如何 怎么 该怎么办 要怎么办`)
	add("", "", `谁来管管 谁来管一管 谁能管管 谁管得了 谁能处理 谁可以管 谁可以处理 谁应该管 该谁负责 该谁处理
		应该谁管 应该谁负责 应该由谁管 应由谁管 应该由谁负责 应由谁负责 由谁负责 由谁处理 归谁负责 归谁处理
		属于谁管 属于谁 属于哪个部门 属于哪个部门管 属于什么部门 归哪个部门 是哪个部门的 哪个部门的事
		哪个部门的职责 哪个部门来管 哪个部门来处理 哪些部门 哪些部门管 归哪个单位 该哪个部门管 该由哪个部门管
		应由哪个部门 应该由哪个部门 找什么部门 找哪个单位 谁的职责 是谁的职责 谁的职权 谁说了算 谁有权管
		谁有权处理 有人管 有人管吗 有没有人管 没人管吗 没人管 没有人管 找谁管 找谁处理 找谁解决 谁来解决 谁解决
		怎么解决 如何解决 咋解决 怎么反映 去哪反映 向哪反映 到哪反映 向哪个部门反映 找哪个部门反映 去哪投诉
		向谁投诉 找谁投诉 到哪投诉 向哪个部门投诉 去哪举报 到哪举报 向哪举报 怎么举报 怎么投诉 打哪个电话
		打什么电话 联系谁 该联系谁 联系哪个部门 谁管辖 归谁管辖 哪个部门管辖 哪级管 哪一级管 哪级部门 归口
		归口哪个部门 归口管理 归口部门 该怎么处理 应该怎么处理 怎么处置 如何处置 该咋办 该咋整 该怎么弄 可咋办
		那怎么办 这怎么办 谁来监管 谁监管 谁监督 由谁监管 监管部门 主管单位 责任部门 责任单位 职能部门 执法部门
		哪个执法部门 哪个主管部门 主管部门是哪个`)
	add("行政处罚", "", `谁查处 谁来查处 谁来罚 谁罚 谁处罚 谁来处罚 罚款找谁 谁罚款 谁来罚款 怎么处罚 怎么罚 如何处罚`)
	add("行政处罚", "", `谁开罚单 谁来开罚单 罚单谁开 找谁罚 谁来罚钱 谁罚钱 谁能罚 谁可以罚 谁有权罚 谁有权处罚
		谁有处罚权 由谁处罚 由谁罚款 应由谁处罚 该谁罚 归谁罚 谁能处罚 怎么罚款 如何罚款 罚多少 罚多少钱 咋罚 咋处罚`)
	add("行政检查", "", `谁来检查 谁检查`)
	add("行政检查", "", `谁负责检查 谁来巡查 谁巡查 谁来抽查 谁抽查 由谁检查 归谁检查 谁有权检查 谁来监督检查 找谁检查`)
	// Where to apply: licence and certificate questions.
	add("行政许可", towndesk.IntentApply, `谁审批 谁来批 谁批 找谁批 要谁批 去哪批 去哪办 到哪办 在哪办 去哪里办 到哪里办
		在哪里办 哪里办 去哪儿办 找谁办 谁办 谁来办 怎么申请 如何申请 去哪申请 到哪申请 在哪申请 向谁申请 找谁申请
		办什么证 要办什么证 需要办什么证 办啥证 要办啥证 什么证 啥证 什么手续 啥手续 要什么手续 需要什么手续
		办什么手续 办哪些手续 怎么办理 如何办理 去哪办理 在哪办理 到哪办理 找谁办理 怎么审批 哪里批 谁发证 找谁办证
		去哪办证 在哪办证 怎么办证 谁发 谁发的 谁核发 哪里发 在哪发 去哪领 在哪领 交给谁 交到哪 交到哪里 报给哪
		找哪办 去哪开 到哪开 在哪开 哪里开 去哪里开 到哪里开 在哪里开 找谁开 找哪个开 去边度开 喺边度开 边度开
		谁来开 谁开证明 去哪开证明 找谁开证明`)
	add("行政许可", towndesk.IntentApply, `上哪办 上哪儿办 上哪儿办证 去哪儿办证 在哪儿办 在哪儿办证 到哪儿办 上哪申请 上哪儿申请 上哪批 上哪办证 上哪领 上哪儿领
		去哪报批 到哪报批 找谁报批 向谁报批 怎么报批 报批找谁 要不要办证 需不需要办证 要办证吗 需要办证吗
		用不用办证 用办证吗 需要审批吗 要审批吗 需不需要审批 要不要审批 用不用审批 要批吗 要不要批 用不用批
		需要许可吗 要不要许可 要什么证 需要什么证 要哪些证 需要哪些证 要办哪些证 需要哪些手续 要哪些手续
		要啥手续 需要啥手续 要办什么手续 要什么材料 要哪些材料 需要什么材料 需要哪些材料 要带什么材料
		办理流程 审批流程 怎么办手续 去哪办手续 在哪办手续 谁给办 谁给批
		材料往哪递 材料往哪儿递 材料先往哪递 材料先往哪儿递 材料往哪交 材料在哪交 材料在哪儿交 材料交哪 材料交到哪
		往哪递材料 往哪儿递材料 在哪交材料 去哪交材料 到哪交材料
		谁同意 要谁同意 需要谁同意 得谁同意 要哪个部门同意 需要哪个部门同意 哪个部门同意 经谁同意 找谁同意
		哪个部门发 是哪个部门发 哪个部门发证 哪个部门核发 谁发证书 找谁盖章 去哪盖章 谁盖章`)
	// Where to register or file: asks where to go, names no kind of power.
	add("", towndesk.IntentApply, `去哪登记 到哪登记 在哪登记 找谁登记 怎么登记 去哪备案 到哪备案 在哪备案 找谁备案
		向谁备案 怎么备案`)
	// Whether the town may act.
	add("", towndesk.IntentCan, `能罚吗 能不能罚 能管吗 能不能管 管不管 管得了吗 有没有权 有权管吗 有权罚吗 能处罚吗 可以罚吗
		可以管吗 可不可以管 可不可以罚 该不该管 能不能处罚 有没有权力 有没有权限 有这个权吗 能查吗 能不能查
		可以查吗 能执法吗 能不能执法 有执法权吗 有没有执法权`)
	add("", towndesk.IntentCan, `能不能罚款 能罚款吗 可以罚款吗 有权罚款吗 能不能罚钱 能罚钱吗 管得着吗 管得着 管得了
		管不了吗 能管么 能罚么 能不能管一管 能不能管管 可不可以处罚 可以处罚吗 有权处罚吗 有没有处罚权 有处罚权吗
		有没有权处罚 有没有权管 有没有权罚 有权限吗 有没有管辖权 有管辖权吗 能不能检查 能检查吗 可以检查吗
		有权检查吗 能不能查处 能查处吗 可以查处吗 能不能处理 能处理吗 可以处理吗 归镇里管 归镇上管 归乡里管
		归乡镇管 归不归镇里管 是不是归镇里管 属于镇里管 是镇里管 是不是镇里管 镇里管不管 乡镇能管吗 乡镇能罚吗
		镇里管得了吗`)

	// Cantonese (粤语): 边个 who, 边度 where, 搵 look for, 点 how, 嚟 come,
	// 有冇 whether there is, 使唔使 whether one needs, 喺/响 at.
	add("", "", `边个管 归边个管 由边个管 边个嚟管 边个负责 边个嚟负责 边个处理 边个嚟处理 边个跟进 搵边个 揾边个
		搵边个管 揾边个管 搵边个处理 搵边个跟进 搵边个部门 应该搵边个 要搵边个 问边个 边个部门 边个部门管
		边个部门负责 边个单位 边度管 归边度管 边个理 係边个管 系边个管 有冇人管 冇人管 有冇人理 冇人理 乜人管
		咩人管 咩部门 咩部门管 乜嘢部门 搵咩部门 搵边个投诉 向边个投诉 去边度投诉 搵边个反映 去边度反映
		搵边个举报 去边度举报 打边个电话 点算 点算好 点搞 点样搞 点处理 点样处理 点做 点样做 点办 点样办
		点解决 点样解决 点投诉 点举报 边个查 边个嚟查`)
	add("行政处罚", "", `边个罚 边个嚟罚 边个罚款 边个嚟罚款 边个查处 边个开罚单 搵边个罚 罚几多 罚几多钱 点罚 点样罚`)
	add("行政检查", "", `边个检查 边个嚟检查`)
	add("行政许可", towndesk.IntentApply, `边度办 去边度办 喺边度办 响边度办 边度申请 去边度申请 喺边度申请 边度批
		去边度批 边个批 搵边个批 边个审批 边个发证 边度办证 去边度办证 喺边度办证 点样申请 点申请 点样办理
		点办理 点样办证 要咩证 办咩证 要办咩证 要乜嘢证 要咩牌照 要乜牌照 要咩手续 要乜嘢手续 使唔使申请
		使唔使审批 使唔使办证 使唔使批 要唔要申请 要唔要审批 要唔要办证 去边度攞 喺边度攞 边度攞`)
	add("", towndesk.IntentApply, `去边度登记 喺边度登记 去边度备案`)
	add("", towndesk.IntentCan, `可唔可以管 可唔可以罚 可唔可以查 可唔可以处罚 管唔管得 管唔管得到 管得唔得 罚唔罚得
		罚得唔得 查唔查得 有冇权管 有冇权罚 有冇权查 有冇权 有冇权力 有冇权限 有冇执法权 能唔能管 能唔能罚
		镇里管唔管 係唔係镇里管 系唔系镇里管`)

	// Sichuan and Chongqing (西南官话): 哪个 means who, 啥子 what,
	// 咋个/啷个 how, 哪点 where, 莫得/没得 there is no, "V得到不" can V.
	add("", "", `哪个管 归哪个管 由哪个管 该哪个管 哪个来管 哪个负责 哪个来负责 哪个处理 哪个来处理 哪个管得到
		找哪个 找哪个管 找哪个处理 问哪个 哪个的事 啥子部门 啥子单位 啥子部门管 归啥子部门管 找啥子部门
		莫得人管 没得人管 有没得人管 咋个整 咋个搞 咋个弄 啷个办 啷个整 啷个搞 啷个弄 啷个处理 哪个查 哪个来查`)
	add("行政处罚", "", `哪个罚 哪个来罚 哪个罚款 哪个来罚款 哪个查处 哪个开罚单 咋个罚 啷个罚`)
	add("行政检查", "", `哪个检查 哪个来检查`)
	add("行政许可", towndesk.IntentApply, `哪个批 找哪个批 哪个审批 哪个发证 哪个发的 找哪个办 哪个办 哪点办 在哪点办
		去哪点办 到哪点办 哪点申请 去哪点申请 在哪点申请 哪点办证 啥子证 办啥子证 要办啥子证 啥子手续 要啥子手续
		需要啥子手续 办啥子手续 咋个申请 啷个申请 咋个办证 啷个办证 咋个办理 啷个办理`)
	add("", towndesk.IntentCan, `管得到不 罚得到不 查得到不 管不管得到 管得到吗 罚得到吗 有没得权 有没得权力 有没得执法权`)

	// Wu (吴语, Shanghai, Suzhou, Zhejiang): 啥人 who, 寻 look for, 哪能 how,
	// 啥地方/阿里搭 where, 伐 question particle, 阿 (Suzhou) whether, 好 may.
	add("", "", `啥人管 归啥人管 由啥人管 啥人来管 啥人负责 啥人处理 啥人来处理 寻啥人 寻啥人管 寻啥人处理 问啥人
		啥部门管 寻啥部门 啥个部门 啥个部门管 啥个单位 哪能弄 哪能办 哪能搞 哪能处理 哪能解决 阿有人管 呒没人管
		呒人管 啥人查 啥人来查`)
	add("行政处罚", "", `啥人罚 啥人来罚 啥人罚款 啥人查处 寻啥人罚 哪能罚`)
	add("行政检查", "", `啥人检查 啥人来检查`)
	add("行政许可", towndesk.IntentApply, `啥地方办 到啥地方办 去啥地方办 勒啥地方办 啥地方申请 到啥地方申请 啥地方办证
		阿里搭办 到阿里搭办 寻啥人批 啥人批 啥人审批 啥人发证 寻啥人办 哪能申请 哪能办证 哪能办理 啥个证
		要办啥个证 啥个手续 要啥个手续`)
	add("", towndesk.IntentCan, `能管伐 可以管伐 好管伐 能罚伐 可以罚伐 好罚伐 管得着伐 有权管伐 有权罚伐 阿能管
		阿好管 阿可以管 阿可以罚`)

	// Northeastern and other northern speech (东北话, 北京话, 中原官话, 晋语):
	// 咋 how, 上哪 where to, "V不" V or not, 哪搭/阿达 where.
	add("", "", `谁管这事 谁管这事儿 这事谁管 这事儿谁管 这事归谁管 这事儿归谁管 找谁去 问谁去 该找谁去 上哪找
		上哪找去 上哪儿找 上哪儿找去 找谁好使 可咋整 这可咋整 咋整好 咋整呢 咋弄嘞 咋着办 谁家管`)
	add("行政许可", towndesk.IntentApply, `上哪整 上哪儿整 上哪办去 上哪儿办去 找谁办去 去哪办去 办个证 整个证 咋办证
		咋申请 咋办理 咋审批 哪搭办 在哪搭办 去哪搭办 哪达办 去阿达办 在阿达办`)
	add("", towndesk.IntentCan, `能管不 能罚不 能查不`)

	// Min (闽语, Hokkien, Teochew): 谁人/啥人 who, 按怎/安怎 how, 佗位 where,
	// "会使…无" may … or not, 无 as a question particle.
	add("", "", `谁人管 谁人负责 找谁人 按怎办 安怎办 按怎处理 安怎处理 按怎做 有人管无 无人管`)
	add("行政许可", towndesk.IntentApply, `佗位办 去佗位办 佗位申请 按怎申请 安怎申请 谁人批`)
	add("", towndesk.IntentCan, `会使管无 会使罚无`)

	// Hakka (客家话): 么人 who, 么个 what, 样般/仰般 how.
	add("", "", `么人管 么人负责 么人处理 寻么人 找么人 么个部门 么个部门管 样般办 样般做 样般处理 仰般办 仰般做`)
	add("行政处罚", "", `么人罚`)
	add("行政许可", towndesk.IntentApply, `么人批 样般申请 仰般申请 么个证 要么个证 办么个证 么个手续`)

	// Hunan and Hubei (湘语, 武汉话): 么子/么事 what, 么样 how, 哪块/么地方
	// where, 冇得 there is no, 啵 question particle.
	add("", "", `么子部门 么子单位 找么子部门 冇得人管 么样搞 么样办 么样弄 么样处理 哪个搞 哪个来搞`)
	add("行政许可", towndesk.IntentApply, `么子证 办么子证 要办么子证 么子手续 要么子手续 么样申请 么样办证 么地方办
		去么地方办 在么地方办 哪块办 在哪块办 去哪块办 哪块申请`)
	add("", towndesk.IntentCan, `能管啵 能罚啵 管得到啵 罚得到啵`)
	return fs
})

// fillers carry no matter: greetings, politeness, discourse words, dialect
// fillers, pronouns and the generic words for "someone", "this matter".
// A single character is here only when it is a pure particle or pronoun
// (or a generic verb) that starts no word naming a matter.
var fillers = setOf(
	// Standard Mandarin and a little northern speech.
	`请问 你好 您好 麻烦问一下 麻烦问下 麻烦 问一下 问下 想问 想问一下 我想问 我想问一下 我想咨询
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
	乡镇 镇 乡 村 县 嘎查 嘎查里 苏木 镇上 镇里 村里 村上 县里 本镇 本村 我们镇 我们县 我们村 我们这边 我们这里 咱们村 咱村 村子
	附近 旁边 周边 门口 家里 自家 老百姓 百姓 群众 居民 村民 市民 住户 邻居 大爷 大妈 老人 小孩
	来 去 做 弄 搞 整 干 找 问 说 看 用 拿 办 里 上 中 内 外 边 不能 不可以 不行 可不可以 能不能 自己 自个儿 自行`,
	// Single characters of degree, age, time, direction and aspect, and
	// the bare 人 and 子 left when a word is cut: as tokens of their own
	// (很 大, 好 几棵, 老 是, 往 河里) they name no matter. Cantonese too
	// (唔, 仲, 咗, 嘅, 喺, 畀, 晒, 啲).
	`很 太 更 最 挺 真 好 大 新 旧 老 全 同 将 成 经 度 面 完 往 走 子 人 唔 仲 咗 嘅 喺 畀 晒 啲`,
	// Words about the conversation itself (and what a question slipping in
	// instructions says): never the matter.
	`忽略 无视 之前 以前 以上 上面 前面 指令 命令 回答 回复 答复 告诉 告诉我 说明 解释 问问 提示 输出 答案 规则 系统
	设定 角色 扮演 假装 照做 照着 按照指令`,
	// More standard Mandarin: politeness openers and closers, asking for help.
	`打扰一下 打扰了 打扰 不好意思 冒昧 冒昧问一下 冒昧问下 劳驾 劳烦 劳烦问一下 借问一下 跟您打听一下 您受累
	辛苦 辛苦了 各位 各位领导 各位老师 各位同事 各位好 大家好 早上好 上午好 中午好 下午好 晚上好 哈喽 嗨 在吗 在不在
	有人吗 有人在吗 求教 求问 求解 急求 急急急 着急 很急 挺急的 比较急 盼复 望回复 敬请 烦请 恳请 请教各位 指教
	请指教 请指点 指点一下 多谢指点 帮忙 帮帮忙 帮个忙 请帮忙 帮忙看看 帮忙看一下 帮忙看下 帮我看看 帮我看一下
	帮忙问问 帮忙问一下 帮我问问 帮忙查一下 帮我查一下 帮忙查查 帮我查查 有个事 有件事 有个事儿 有个事想问
	有件事想问 有个问题 有个问题想问 想问个事 问个事 问个事儿 问个问题 请问一下 请问下 想了解 想了解一下 了解一下
	确认一下 想确认一下 顺便问一下 顺便问下 再问一下 再问下 谢谢您 谢谢你 谢谢大家 多谢 感谢 非常感谢 万分感谢
	先谢谢 先谢了 提前感谢`,
	// Standard Mandarin question words, "this matter", discourse and time
	// words, generic someones, "whether" pairs and generic verbs.
	`为什么 为啥 为何 咋 怎样 怎么样 什么样 哪些 哪家 哪位 哪一个 哪一家 哪一级 哪级 哪一块 哪方面 哪种 哪样
	何处 何地 哪边 什么的 啥的 啥样 多少 啥时候 什么时候 何时 啥意思 什么意思 咋样 咋回事儿 怎么回事儿 咋说 怎么说
	这个情况 这种事儿 这类事 这类事情 这类情况 这类问题 这种问题 这个问题 这事情 这件事情 这样的事 这样的情况
	这种现象 这个现象 这情况 这问题 这码事 这档子事 这摊事 这一块 这方面 类似情况 类似的事 类似问题 此类 此类问题
	此类情况 上述情况 以上情况 该情况 该问题 那种事 那个事 那件事 这么个事 这么回事 这种事情 什么事 啥事 啥事儿
	什么情况 怎么个事 咋个事 现象 相关 有关 相关部门 有关部门 等等 之类的 这样 那样 这么 那么 这样子
	话说 对了 比如 比如说 例如 另外 按理说 按说 照理说 实际上 事实上 结果 后来 最近 近期 这几天 这两天 前几天
	前两天 昨天 今天 好几次 多次 几次 怎么说呢 那个啥
	自己 本人 人们 对方 他家 她家 他们家 某某 某户 某家 某些人 某个 某位 有人家 有家人 有个老乡 有群众 有村民
	群众反映 村民反映 有群众反映 有村民反映 有人反映 有人举报 有人投诉 接到反映 接到举报 接到投诉 有没有 能不能
	可不可以 要不要 需不需要 用不用 会不会 一般 被人 隔壁 喽 到 讲 瞅 瞧`,
	// Cantonese (粤语).
	`唔该 唔该晒 唔该问下 唔该问吓 多谢晒 唔好意思 唔知 唔清楚 想问下 想问吓 问吓 请问吓 我想问下 我想问吓
	想请教下 请教下 睇下 睇吓 帮手睇下 帮手睇吓 帮下手 帮手 早晨 你哋 我哋 佢哋 佢 哋 佢地 我地 你地 人哋 人地
	呢个 嗰个 呢种 嗰种 呢啲 嗰啲 呢度 嗰度 嗰 边度 边个 边间 边位 呢件事 呢单嘢 呢种情况 呢种嘢 咁 咁样 噉 噉样
	点解 点样 乜 乜嘢 咩 咩嘢 咩事 乜事 咩情况 乜情况 嘢 嘅 咗 啲 喺 冇 係 係咪 系咪 唔係 有冇 有啲 有啲人
	啲人 喺度 镇度 屋企 隔篱 街坊 有条友 条友 嗰个人 啱啱 而家 成日 好似 听讲 听人讲 佢话 即系 但系 定系 知唔知 係唔係 使唔使 可唔可以 咯
	喎 啫 㗎 吖 嗱 啰 啵 嚟 搵 揾 睇 攞 畀 俾`,
	// Sichuan and Chongqing (西南官话).
	`要得 要不得 得行 晓得 不晓得 晓不晓得 哪个晓得 啥子事 啥子情况 啥子东西 做啥子 搞啥子 干啥子 咋子 啷个
	勒个 嘞个 勒种 勒些 哪点 喃 嗦 哟 一哈 问一哈 问哈 请问哈 麻烦问哈 打听哈 看哈 帮忙看哈 各人 莫得 没得`,
	// Wu (吴语).
	`侬 侬好 侬们 阿拉 伊拉 倷 伲 我伲 啥个 啥事体 事体 物事 搿个 格个 迭个 搿种 迭种 搿桩事体 迭桩事体 搿搭 迭搭
	此地 啥地方 阿里搭 哪能 做啥 作啥 交关 谢谢侬 麻烦侬 请问侬 晓得伐 勿晓得 伐晓得 阿是 阿有 呒没`,
	// Northeastern and other northern speech (东北话, 中原官话, 晋语, 陕西话).
	`嘎哈 干哈 干啥 嘎啥 整啥 整啥呢 唠 唠唠 唠嗑 唠一下 寻思 寻思着 咋地 咋的 咋滴 咋着 老铁 大兄弟 老妹儿 老弟
	老哥 大哥 大姐 大叔 大婶 大娘 那嘎达 这嘎达 哪嘎达 嘎达 那疙瘩 这疙瘩 哪疙瘩 啥玩意 啥玩意儿 闹心 整明白
	整不明白 咋整的 贼拉 中不中 弄啥 弄啥嘞 恁 恁们 木有 额们 甚 做甚 甚事 甚情况 哪搭 哪达 阿达`,
	// Min (闽语).
	`按怎 安怎 是按怎 佗位 啥物 甚物 谁人 阮 歹势 拍谢 厝边 乜人 乜个 做乜 做乜个`,
	// Hakka (客家话).
	`么人 么个 做么个 样般 仰般 𠊎 𠊎兜 厓 佢兜 你兜 承蒙 恁仔细 毋知`,
	// Hunan and Hubei (湘语, 武汉话).
	`么子 么事 么斯 做么子 搞么子 搞么事 搞么斯 何解 咯个 咯只 咯些 哪只 冇得 有冇得 唦 么样 么地方 哪块`,
	// Mongolian-Chinese usage (Inner Mongolia): greetings and thanks
	// transliterated from Mongolian, family address words.
	`赛音白努 赛音拜努 赛因白努 赛因拜努 赛白努 赛拜努 巴雅尔拉 巴雅日拉 额吉 阿爸 阿妈 呢嘛 的嘛`,
)

// hints map words to the kind of power they point at. A hint is not the
// matter: it is dropped once it has given its hint.
var hints = map[string]string{
	"行政处罚": "行政处罚", "处罚": "行政处罚", "罚款": "行政处罚", "罚钱": "行政处罚", "罚": "行政处罚", "查处": "行政处罚",
	"行政许可": "行政许可", "审批": "行政许可", "批准": "行政许可", "许可": "行政许可", "办证": "行政许可", "批": "行政许可",
	"行政检查": "行政检查", "检查": "行政检查", "巡查": "行政检查", "查": "",
	"行政强制": "行政强制", "查封": "行政强制", "扣押": "行政强制", "强制": "行政强制",
	"征收": "行政征收", "收费": "行政征收",
	"补贴": "行政给付", "补助": "行政给付", "救助": "行政给付",
	"奖励": "行政奖励", "表彰": "行政奖励",
	"确认": "行政确认", "认定": "行政确认",
	"裁决": "行政裁决",

	// More standard Mandarin.
	"罚单": "行政处罚", "开罚单": "行政处罚", "罚没": "行政处罚", "没收": "行政处罚", "吊销": "行政处罚",
	"报批": "行政许可", "核准": "行政许可", "批复": "行政许可", "批文": "行政许可", "许可证": "行政许可",
	"抽查": "行政检查", "抽检": "行政检查", "督查": "行政检查", "巡检": "行政检查", "监督检查": "行政检查",
	"暂扣": "行政强制", "强制执行": "行政强制", "冻结": "行政强制",
	"征用": "行政征收",
	"救济": "行政给付", "津贴": "行政给付",
	"嘉奖": "行政奖励",
	// Northern speech: 挨罚 is to get fined.
	"挨罚": "行政处罚",
	// Sichuan and Chongqing: 遭罚 is to get fined.
	"遭罚": "行政处罚", "遭罚款": "行政处罚",
	// Cantonese: 抄牌 and 告票 are a ticket.
	"抄牌": "行政处罚", "告票": "行政处罚",
	// Wu: 铜钿 is money; 吃罚单 is to get a ticket.
	"罚铜钿": "行政处罚", "吃罚单": "行政处罚",
}

// Words of "doing without an approval": a negation followed, within the
// clause, by an approval word.
// FrameOf returns the kind of power frame phrase names and the reply it
// asks for ("" for either when it names none, or is no frame).
func FrameOf(phrase string) (category string, intent towndesk.Intent) {
	category, intent, _ = compiled().frame(phrase)
	return category, intent
}

// TrailingFrame returns the frame a longer phrase ends in, as FrameOf
// does, and whether it ends in one: a dictionary word written with its
// question ("采伐证去哪办", "狗证怎么办") still asks what its frame asks.
func TrailingFrame(phrase string) (category string, intent towndesk.Intent, ok bool) {
	rs := []rune(phrase)
	for i := 2; i < len(rs)-1; i++ { // longest frame first; at least two characters of matter before it
		if category, intent, ok := compiled().frame(string(rs[i:])); ok {
			return category, intent, true
		}
	}
	return "", "", false
}

// FramedAct returns the act a frame names that rows name too (备案 of
// 去哪备案, 登记 of 找谁登记), or "".
func FramedAct(frame string) string {
	for _, w := range []string{"备案", "登记"} {
		if strings.HasSuffix(frame, w) {
			return w
		}
	}
	return ""
}

// HintOf returns the kind of power hint word w points at, or "".
func HintOf(w string) string { return hints[w] }

var (
	negations = []string{"没有", "没", "未经", "未", "无", "不经", "不办", "擅自", "私自", "偷偷",
		// dialect: 冇 (Cantonese, Hakka), 没得/莫得 (Sichuan), 木有, 呒没 (Wu)
		"冇得", "冇", "没得", "莫得", "木有", "呒没"}
	approvals = []string{"审批", "批准", "批", "许可", "证", "手续", "同意", "备案", "登记", "牌照", "执照", "牌"}
)

// bodySuffixes end the names of bodies (县公安局, 镇政府, 派出所). Bodies are
// what an answer says, not the matter asked about: "是不是县公安局管" must
// not search for 公安局 (nor let a question steer the answer towards one).
var bodySuffixes = []string{"局", "委", "办", "政府", "所", "队", "中心", "站", "委员会", "部门"}

// setOf returns the set of the space-separated words of lists, built on
// first use: most sets are read from the compiled table instead.
func setOf(lists ...string) func() map[string]bool {
	return sync.OnceValue(func() map[string]bool {
		m := map[string]bool{}
		for _, words := range lists {
			for _, w := range strings.Fields(words) {
				m[w] = true
			}
		}
		return m
	})
}

// Phrasebook knows the multi-word phrases of a question that are read as
// one: frames, fillers, hints and the words of the synonym dictionary. A
// phrase is matched on whole tokens of the general segmentation (归/谁/管,
// 乱/搭/乱/建), never on part of a token, so that a dictionary word neither
// distorts how a question is cut nor is found inside another word.
type Phrasebook struct {
	base   *table          // the compiled phrases, or nil
	kind   map[string]Kind // the phrases base does not hold
	sorted []string        // the phrases of kind, sorted, for prefix look-ups
}

// Kind is what a phrase of the book is.
type Kind uint8

// The kinds of phrases; a higher kind wins for the same spelling.
const (
	None Kind = iota
	Synonym
	Hint
	Filler
	Frame // a frame wins over a filler of the same spelling
)

// maxPhraseTokens is the most tokens a phrase is read from.
const maxPhraseTokens = 6

// NewPhrasebook returns the book of the frames, fillers, hints and the
// words of syn. For the shipped dictionary (and words merged into it) the
// compiled table holds all but the merged words, so that only those are
// put in a map here.
func NewPhrasebook(syn *Synonyms) *Phrasebook {
	b := &Phrasebook{base: syn.base, kind: map[string]Kind{}}
	add := func(w string, k Kind) {
		if k > b.kind[w] {
			b.kind[w] = k
		}
	}
	if b.base != nil {
		for w := range syn.byTerm {
			add(w, Synonym)
		}
	} else {
		for _, w := range syn.Words() {
			add(w, Synonym)
		}
		for w := range hints {
			add(w, Hint)
		}
		for w := range fillers() {
			add(w, Filler)
		}
		for w := range frames() {
			add(w, Frame)
		}
	}
	b.sorted = make([]string, 0, len(b.kind))
	for w := range b.kind {
		b.sorted = append(b.sorted, w)
	}
	slices.Sort(b.sorted)
	return b
}

// kindOf returns the kind of phrase s, None if it is none.
func (b *Phrasebook) kindOf(s string) Kind {
	k := b.kind[s]
	if b.base != nil {
		k = max(k, b.base.kind(s))
	}
	return k
}

// isPrefix reports whether some phrase is longer than s and starts with it.
func (b *Phrasebook) isPrefix(s string) bool {
	if b.base != nil && b.base.isPrefix(s) {
		return true
	}
	i, found := slices.BinarySearch(b.sorted, s)
	if found {
		i++
	}
	return i < len(b.sorted) && strings.HasPrefix(b.sorted[i], s)
}

// Longest returns the number of tokens of the longest phrase the tokens
// start with, and its kind; 0 if they start with none.
func (b *Phrasebook) Longest(tokens []string) (int, Kind) {
	n, kind := 0, None
	joined := ""
	for k := 0; k < len(tokens) && k < maxPhraseTokens; k++ {
		joined += tokens[k]
		if pk := b.kindOf(joined); pk != None {
			n, kind = k+1, pk
		}
		if !b.isPrefix(joined) {
			break
		}
	}
	return n, kind
}
