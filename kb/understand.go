package kb

import (
	"slices"
	"strings"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/kb/lexicon"
	"github.com/towndesk/towndesk/segment"
)

// concept is one thing a question talks about: a word of the question and
// the list words it stands for.
type concept struct {
	surface string // as written in the question (one or more tokens)
	forms   []form // the surface, then the official terms of its synonym groups
	known   bool   // found in the synonym dictionary
	weight  float64
	clause  int // which clause of the question it is in
	// compound numbers the word of the question it is a part of, when a
	// compound was read as its parts (交通事故 as 交通 and 事故); 0 otherwise.
	compound int
	// outside is true for a dictionary word of a matter outside power
	// lists (lexicon.Synonyms.Outside).
	outside bool
	// act is true for what a frame says is to be done (备案 of 去哪备案):
	// it ranks rows but is not part of how sure a row is.
	act bool
}

// form is one wording of a concept that a row can contain.
type form struct {
	text   string
	parts  []string // its words, for partial matches (nil: one word)
	credit float64  // Params.Exact for the question's own word, Params.Synonym for an official term
	idf    float64  // inverse document frequency in the lists; 0 if no list uses it
}

// parsed is a question reduced to what the search needs.
type parsed struct {
	concepts []concept
	category string          // 行政处罚 …, or "" when the question gives no hint
	intent   towndesk.Intent // what kind of reply is asked for
	// matter is the question's matter as words: what is left after the
	// place, the frame, fillers and hints are dropped. It is the question's
	// normalised form.
	matter []string
	// missing is true when the question says something was done without
	// the approval it needed (没批就盖, 冇牌照, 无证经营), exceeded when it
	// says an approval was gone beyond (超出许可范围, 比批的多盖了两层).
	missing, exceeded bool
	// overStandard is true when the question says a standard was
	// exceeded (比规定的大多了, 超标), belowThreshold when it says the
	// amount was small (不到半方, 量不大).
	overStandard, belowThreshold bool
	// rural is true when the question is set in the countryside (村里,
	// 农村, 村民), firm when it is about a business (老板, 公司, 厂).
	rural, firm bool
	// said are the hint words that named the question's kind of power
	// (监督检查, 审批): they cover those words of a row's name.
	said []string
	// urban is true when it is set in a town proper or a city (镇区,
	// 县城) and not in a village.
	urban bool
	// rareWeight is the weight of a word only one indexed row uses.
	rareWeight float64
	// outside marks the clauses that name a matter outside power lists
	// which no list holds, and absent is those matters' weight in how
	// sure a row is (Params.Absent); weigh sets both.
	outside map[int]bool
	absent  float64
}

// negated reports whether the question says something was done without
// the approval it needed or beyond it: either is a violation.
func (p *parsed) negated() bool { return p.missing || p.exceeded }

// obstructionWord is the dictionary word that stands for obstructing an
// inspection when a question says so in words of its own.
const obstructionWord = "阻碍检查"

// landWord is the dictionary word that stands for taking land when a
// question says so in words of its own.
const landWord = "占地"

// signWord stands for destroying a sign or a marker (DestroysSign).
const signWord = "毁坏标志"

// graveWord is the dictionary word of the grave-size standard (墓穴占地面积
// 超过规定标准).
const graveWord = "墓穴"

// understand reduces the tokens of a question (with the place names
// already dropped) to concepts, a category hint and an intent. text is the
// question itself, read for "doing without an approval", keeping
// inspectors out and asking where to apply.
func (k *KB) understand(text string, tokens []string) parsed {
	var out parsed
	frameCat := ""
	type unit struct {
		words    []string
		known    bool
		clause   int
		compound int  // which compound read as its parts it came from; 0 for none
		act      bool // what a frame says is to be done (lexicon.FramedAct)
	}
	compounds := 0
	var units []unit
	clause := 0
	// A hint (罚, 批, 收费, 抽检) says what is asked in the clause that
	// asks: the one with the frame, or the last one. In a clause that tells
	// what happened (之前被罚过, 只批了十棵, 挖了改停车场收费) it describes
	// the case, unless what is to be done follows (烧了秸秆要罚款); elsewhere
	// it counts after the asking clause's. Clauses are cut at punctuation:
	// a question written without any (上次被罚了这次想办采伐证找谁) is one
	// clause.
	frameClause := -1
	type hinted struct {
		category string
		clause   int
		phrase   string
	}
	var hintsSeen []hinted
	lastClause, told := 0, map[int]bool{}
	for i, t := range tokens {
		switch t {
		case lexicon.ClauseBreak:
			if i < len(tokens)-1 {
				lastClause++
			}
		case "了", "过", "被":
			told[lastClause] = true
		case "要", "该", "能", "想", "需要", "得":
			told[lastClause] = false // 烧了秸秆要罚款: what is to be done is asked
		}
	}
	var read func(tokens []string, compound int)
	read = func(tokens []string, compound int) {
		for i := 0; i < len(tokens); {
			if tokens[i] == lexicon.ClauseBreak {
				clause++
				i++
				continue
			}
			n, kind := k.book().Longest(tokens[i:])
			if n > 0 {
				phrase := strings.Join(tokens[i:i+n], "")
				switch kind {
				case lexicon.Frame:
					cat, intent := lexicon.FrameOf(phrase)
					if frameClause < 0 {
						frameClause = clause
					}
					if frameCat == "" {
						frameCat = cat
					}
					if out.intent == "" {
						out.intent = intent
					}
					// 去哪备案, 找谁登记: what is to be done ranks the
					// rows of the matter (业主委员会备案 before 成立
					// 业委会), but alone makes no row the answer.
					if w := lexicon.FramedAct(phrase); w != "" {
						units = append(units, unit{words: []string{w}, clause: clause, compound: compound, act: true})
					}
				case lexicon.Hint:
					// 批的是一层, 批的宅基地: what was approved
					// describes the case; it does not ask for a grant.
					// A sentence-final 的 (建房要审批的，找谁) does not
					// describe anything.
					described := lexicon.HintOf(phrase) == "行政许可" && i+n+1 < len(tokens) && tokens[i+n] == "的" &&
						tokens[i+n+1] != lexicon.ClauseBreak
					if !described {
						hintsSeen = append(hintsSeen, hinted{lexicon.HintOf(phrase), clause, phrase})
					}
				case lexicon.Synonym:
					units = append(units, unit{tokens[i : i+n], true, clause, compound, false})
					if cat, intent, ok := lexicon.TrailingFrame(phrase); ok {
						if frameCat == "" {
							frameCat = cat
						}
						if out.intent == "" {
							out.intent = intent
						}
					}
				}
				i += n
				continue
			}
			t := tokens[i]
			i++
			if !lexicon.HasWordRune(t) || lexicon.NamesBody(t) || lexicon.IsNumber(t) || lexicon.IsQuantity(t) {
				continue
			}
			// A compound the general dictionary knows as one word
			// ("烧秸秆" in some texts) is read as its parts when one of
			// them is a phrase.
			// An institution's name is not (卫生院).
			if parts := k.lex.Parts(t); compound == 0 && len([]rune(t)) >= 3 && k.anyPhrase(parts) && !lexicon.NamesInstitution(t) {
				compounds++
				read(parts, compounds)
				continue
			}
			units = append(units, unit{[]string{t}, false, clause, compound, false})
		}
	}
	read(tokens, 0)
	// The last clause asks unless it tells what happened after a frame
	// elsewhere asked (想办采伐证找谁，去年被罚过一次).
	asks := func(cl int) bool {
		return cl == frameClause || cl == lastClause && (frameClause < 0 || !told[cl])
	}
	for _, pass := range []func(cl int) bool{asks, func(cl int) bool { return !asks(cl) && !told[cl] }} {
		for _, h := range hintsSeen {
			if out.category == "" && h.category != "" && pass(h.clause) {
				out.category = h.category
			}
		}
	}
	if out.intent == "" && lexicon.AsksWhetherMay(tokens) {
		out.intent = towndesk.IntentCan
	}
	for _, u := range units {
		out.matter = append(out.matter, strings.Join(u.words, ""))
	}
	// The frame says what kind of power is asked about ("谁批" asks who
	// approves); it outranks hints in the matter. Doing without an approval
	// ("没批就盖", "无证经营", "未经许可") is a violation: the question is
	// about a penalty, not about the approval, even when asked "谁检查".
	out.missing, out.exceeded = lexicon.MissingApproval(text), lexicon.ExceededApproval(text)
	out.overStandard = lexicon.OverStandard(text) || lexicon.GraveTooBig(text)
	out.belowThreshold = lexicon.BelowThreshold(text)
	out.rural, out.firm = lexicon.Rural(text), lexicon.AboutFirm(text)
	out.urban = !out.rural && lexicon.Urban(text)
	switch {
	case out.negated() && frameCat != "行政许可":
		out.category = "行政处罚"
		if out.intent == towndesk.IntentApply {
			out.intent = towndesk.IntentWho
		}
	case frameCat != "":
		out.category = frameCat
	}
	// Asking what the town itself must do (应急预案是镇里自己编吗, 谁负责
	// 收集处理) asks about its duty, not a penalty.
	if out.category == "" && out.intent != towndesk.IntentApply && lexicon.AsksDuty(strings.Join(tokens, "")) {
		out.category = "其他行政权力"
	}
	// Asking who seals off a site or pulls a building down (谁来查封强拆,
	// 哪个来拆) asks about the coercive measure, also when the building
	// lacked a permit, which alone would ask about the penalty.
	if out.category != "行政许可" && lexicon.AsksCoercion(text) {
		out.category = "行政强制"
	}
	// Asking where to apply in words no frame lists (到啥地方去办) asks
	// where to apply, unless the question is about a violation or names
	// another kind of power. Asked as whether the town may (采伐证能在镇上
	// 办吗), it stays a yes/no question about the grant.
	if !out.negated() && (out.category == "" || out.category == "行政许可") && lexicon.AsksWhereToApply(text) {
		switch out.intent {
		case "":
			out.intent = towndesk.IntentApply
		case towndesk.IntentCan:
			if lexicon.NamesLicence(text) {
				out.category = "行政许可"
			}
		}
	}
	if out.intent == towndesk.IntentApply && out.category == "" {
		out.category = "行政许可"
	}
	// Keeping inspectors out (不让安监进门检查) is the violation asked
	// about: the penalty for obstructing an inspection, however the
	// question words it.
	if lexicon.ObstructsInspection(text) && !out.has(obstructionWord) {
		out.concepts = append(out.concepts, k.implied(obstructionWord, nil))
		if out.category != "行政许可" {
			out.category = "行政处罚"
		}
	}
	for _, u := range units {
		surface := strings.Join(u.words, "")
		if out.has(surface) {
			continue
		}
		var official []string
		if u.known {
			official, _ = k.syn.Expand(surface)
		}
		c := k.newConcept(surface, official)
		c.clause, c.compound = u.clause, u.compound
		c.outside = u.known && k.syn.Outside(surface)
		c.act = u.act
		out.concepts = append(out.concepts, c)
	}
	// A grave said to be larger than allowed (修坟…比规定的大多了) is the
	// matter of the grave-size standard, however the grave is named.
	if out.overStandard && strings.ContainsAny(text, "坟墓") && !out.has(graveWord) {
		out.concepts = append(out.concepts, k.implied(graveWord, nil))
	}
	// A sign or a marker pulled out (保护标志牌拔了) was destroyed: the
	// penalty for destroying it, not the duty of setting it up.
	if lexicon.DestroysSign(text) && !out.has(signWord) {
		out.concepts = append(out.concepts, k.implied(signWord, []string{"破坏", "毁坏", "损毁"}))
	}
	// Taking land in words of one's own (占了村里的集体地) is what
	// 非法占用土地 means, as 占地 says it, unless a word of the question
	// already says so.
	if lexicon.OccupiesLand(text) {
		c := k.implied(landWord, nil)
		term := c.forms[1].text // 非法占用土地, the first official term (forms[0] is 占地 itself)
		said := slices.ContainsFunc(out.concepts, func(o concept) bool {
			return slices.ContainsFunc(o.forms, func(f form) bool { return f.text == term })
		})
		if !said {
			for _, o := range out.concepts {
				if strings.HasPrefix(o.surface, "占") {
					c.clause = o.clause // where it was said
					break
				}
			}
			out.concepts = append(out.concepts, c)
		}
	}

	// The words that named the kind of power asked about are part of what
	// the question says of a row (监督检查 of 森林资源保护情况监督检查).
	for _, h := range hintsSeen {
		if h.category != "" && h.category == out.category {
			out.said = append(out.said, h.phrase)
		}
	}
	return out
}

// anyPhrase reports whether some run of the tokens is a phrase of the book.
func (k *KB) anyPhrase(tokens []string) bool {
	for i := range tokens {
		if n, _ := k.book().Longest(tokens[i:]); n > 0 {
			return true
		}
	}
	return false
}

// implied returns the concept of a dictionary word a question does not
// write but says in words of its own (不让进 for 阻碍检查, 占了…地 for 占地):
// known, standing for official, or for the word's official terms when
// official is nil.
func (k *KB) implied(word string, official []string) concept {
	if official == nil {
		official, _ = k.syn.Expand(word)
	}
	c := k.newConcept(word, official)
	c.known = true
	return c
}

// newConcept returns the concept of a question word: the word itself and,
// for a dictionary word, the official terms of its groups.
func (k *KB) newConcept(surface string, official []string) concept {
	c := concept{surface: surface, known: official != nil}
	c.forms = append(c.forms, newForm(surface, k.params.Exact, k.lex))
	for _, o := range official {
		if o != surface {
			c.forms = append(c.forms, newForm(o, k.params.Synonym, k.lex))
		}
	}
	return c
}

func newForm(text string, credit float64, seg *segment.Segmenter) form {
	f := form{text: text, credit: credit}
	if ws := seg.Cut(text); len(ws) > 1 {
		f.parts = ws
	}
	return f
}

// addHints merges a language model's reading into p: each term becomes a
// concept (expanded through the dictionary when it knows the word), unless
// the question already has a concept with that surface; the category is
// taken only when the question gave none.
func (k *KB) addHints(p *parsed, terms []string, category string) {
	for _, t := range terms {
		t = strings.TrimSpace(lexicon.NormText(t))
		if t == "" || p.has(t) {
			continue
		}
		official, _ := k.syn.Expand(t)
		c := k.newConcept(t, official)
		c.known = true
		p.concepts = append(p.concepts, c)
	}
	if p.category == "" {
		p.category = category
	}
}

func (p *parsed) has(surface string) bool {
	for _, c := range p.concepts {
		if c.surface == surface {
			return true
		}
	}
	return false
}
