package kb

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/kb/internal/index"
	"github.com/towndesk/towndesk/kb/lexicon"
)

// Scoring: how well a retrieved row matches what a question talks about.
// The index finds candidates; these functions rate them on the row's own
// text, so that the thresholds of Params mean the same for every list.

// idf turns the stats of a term into its weight: the rarer in the lists,
// the heavier; 0 for a term no list uses.
func idf(st index.TermStats, docs int) float64 {
	df := max(st.Name, st.Text)
	if df == 0 {
		return 0
	}
	return max(0, math.Log((float64(docs)+1)/(float64(df)+0.5)))
}

// rowText is what scoring reads of a row.
type rowText struct {
	name   string   // item name and sub-item
	tokens []string // the name's words
	fine   []string // the same with compounds cut into their parts
	rest   string   // basis, domain, note and cited article text
	// taught are the words of taught links nearly like the question whose
	// item this row is (see nearLinks); nil for most rows.
	taught taughtWords
}

// rowScore is how well a row matches a question.
type rowScore struct {
	score float64
	qcov  float64 // share of the question's matter the row covers (for ranking)
	rcov  float64 // weighted share of the row's name the question covers
	// clash is true when the row's kind of power contradicts the one the
	// question names, or is a grant when the question names none.
	clash bool
	// wrongKind is true for a row that enforces (a penalty, a coercive
	// measure, an inspection) when the question asks where to apply (要办
	// 什么证, 去哪办): the rules make it a candidate, never the answer. Only
	// a maintainer's link taught for this very wording (an exact taught
	// question) can still answer with it.
	wrongKind bool
	// known is true when the row contains an official term of one of the
	// question's dictionary words: evidence of the matter beyond a shared
	// everyday word.
	known bool
	// worded is true when the row contains a word of two or more
	// characters of the question (or one of its official terms): a row
	// sharing only single characters with it (证, 卡) is not evidence of
	// its matter.
	worded bool
	// sure is the weighted share of the question's matter the row covers,
	// counting the question's words no list uses at Params.Unknown each:
	// a row that explains one word of a question mostly about something
	// else is no answer, however well it ranks.
	sure float64
	// partsOnly is true when all the row matches of the question is some,
	// not all, of the parts of one compound (事故 of 交通事故): the
	// question's word means something else, and the row is no candidate.
	partsOnly bool
	// absent is true when the question names a matter the dictionary
	// marks as outside power lists and no list holds (Params.Absent);
	// apart is true when the row matches a word, not a setting, in a
	// clause that does not name it.
	absent, apart bool
}

// score rates row r against question q. weight gives the weight of a word
// of a row's name.
func score(q parsed, r rowText, it towndesk.PowerItem, weight func(string) float64, p Params) rowScore {
	var rs rowScore
	var sum, total, best float64
	// Taught words do not carry a question over to a row of another kind
	// of power than it asks about (谁罚 and a licence).
	adj := categoryAdjust(q, it, p)
	clash := adj < 0
	// For sure: the weight of the clauses the row touches. A question
	// may add a clause of its own (举报人电话…, 忽略之前的指令): what the row
	// does not touch of it is no evidence against the row.
	clauseTotal := map[int]float64{}
	touched := map[int]bool{}
	covered := map[string]bool{} // the name's words the question covers
	// For partsOnly: per compound, whether some part matched and whether
	// some part did not; whether a word standing alone matched.
	partHit, partMiss := map[int]bool{}, map[int]bool{}
	aloneHit := false
	var sureSum float64 // sum without what a frame says is to be done
	rs.absent = q.absent > 0
	for _, c := range q.concepts {
		if c.weight == 0 {
			// No list uses the word: it neither matches nor penalises a
			// row, but it is part of what the question is about.
			// A matter outside the lists, which no imported list holds
			// either, is what is asked whatever clause it is in: it
			// counts in q.absent.
			if isHanWord(c.surface) {
				if !c.outside {
					clauseTotal[c.clause] += p.Unknown * q.rareWeight
				}
				if c.compound > 0 {
					partMiss[c.compound] = true // a part no list uses: no row has it
				}
			}
			continue
		}
		m, fs := match(c, r, weight, p)
		switch {
		case c.compound == 0:
			aloneHit = aloneHit || m > 0
		case m > 0:
			partHit[c.compound] = true
		case isHanWord(c.surface):
			partMiss[c.compound] = true
		}
		if r.taught != nil && !clash && taughtMatch(c, r.taught, p) > m {
			// A maintainer linked such wording to this row: the row's
			// whole name is what the word means.
			m = taughtMatch(c, r.taught, p)
			fs = append(fs, form{text: r.name})
			rs.known = true
		}
		if c.known && m >= p.Synonym*p.Inside {
			rs.known = true
		}
		sum += c.weight * m
		total += c.weight
		// A matter of its own in a clause apart from the one outside the
		// lists (装修把承重墙砸了，还欠工钱): the question asks it too. Where
		// it happened, or who (工人, 工地), is no matter of its own.
		if m > 0 && !c.act && !q.outside[c.clause] && !lexicon.IsSetting(c.surface) && !lexicon.IsParty(c.surface) {
			rs.apart = true
		}
		// What a frame says is to be done ranks the rows, but does not
		// make a row sure (nor worded: 备案 alone is no matter).
		if !c.act {
			sureSum += c.weight * m
			clauseTotal[c.clause] += c.weight
			if m > 0 {
				touched[c.clause] = true
				for _, f := range fs {
					rs.worded = rs.worded || utf8.RuneCountInString(f.text) > 1
				}
			}
		}
		best = max(best, m)
		for _, f := range fs {
			for _, t := range r.tokens {
				if strings.Contains(f.text, t) || slices.Contains(f.parts, t) {
					covered[t] = true
				}
			}
		}
	}
	if total > 0 {
		rs.qcov = p.BestShare*best + (1-p.BestShare)*sum/total
	}
	sureTotal := q.absent
	for cl := range touched {
		sureTotal += clauseTotal[cl]
	}
	if sureTotal > 0 {
		rs.sure = sureSum / sureTotal
	}
	for _, h := range q.said {
		for _, t := range r.tokens {
			if t == h || utf8.RuneCountInString(t) > 1 && strings.Contains(h, t) {
				covered[t] = true
			}
		}
	}
	// Row coverage: the name's words weighted by rarity, so that the words
	// every row has (对, 的, 处罚, 规定) count for nothing and the row's own
	// subject counts for most.
	var have, all float64
	seen := map[string]bool{}
	for _, t := range r.tokens {
		if seen[t] {
			continue
		}
		seen[t] = true
		w := weight(t)
		all += w
		if covered[t] {
			have += w
		}
	}
	if all > 0 {
		rs.rcov = have / all
	}
	rs.clash = clash
	if !aloneHit && len(partHit) > 0 {
		rs.partsOnly = true
		for g := range partHit {
			rs.partsOnly = rs.partsOnly && partMiss[g]
		}
	}
	rs.wrongKind = q.intent == towndesk.IntentApply && enforces(it)
	rs.score = p.QuestionShare*rs.qcov + (1-p.QuestionShare)*rs.rcov + adj
	name := it.Name + it.SubItem
	if !clash && (q.missing && lexicon.LacksApproval(name) || q.exceeded && lexicon.ExceedsApproval(name) ||
		q.overStandard && lexicon.NamesOverStandard(name) || q.belowThreshold && lexicon.NamesBelowThreshold(name)) {
		rs.score += p.LacksApproval
	}
	switch {
	case q.rural && rs.known && lexicon.NamesRural(name, q.firm):
		rs.score += p.Rural
	case q.urban && lexicon.NamesRural(name, false):
		rs.score -= p.Rural // 镇区要建个超市: not a village's row
	case !q.rural && !q.urban && lexicon.NamesVillagePermit(name):
		rs.score -= p.Rural / 2 // 规划证去哪办: the town's permit, unless set in a village
	}
	return rs
}

// taughtMatch rates a concept against the words taught for a row: the
// credit of a dictionary word when the word, or the group it stands for,
// is among them.
func taughtMatch(c concept, words taughtWords, p Params) float64 {
	for _, f := range c.forms {
		if words[f.text] {
			return p.Synonym
		}
	}
	return 0
}

// isHanWord reports whether w is a word of two or more Han characters.
func isHanWord(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
		n++
	}
	return n > 1
}

// match rates one concept against a row in 0..1 and returns the forms that
// the row contains.
func match(c concept, r rowText, weight func(string) float64, p Params) (float64, []form) {
	best := 0.0
	var found []form
	for i, f := range c.forms {
		if f.idf == 0 && len(c.forms) > 1 && (i > 0 || len(f.parts) < 2) {
			// A wording no list uses; the question's own word (forms[0])
			// may still match by its parts (承包林地 in 个人承包集体林地).
			continue
		}
		m := 0.0
		multi := utf8.RuneCountInString(f.text) > 1
		if i == 0 && lexicon.OnlyInOther(f.text, r.name) {
			// The question's own word stands in the row only inside a word
			// of another meaning (小区 in 养殖小区).
			continue
		}
		switch {
		case hasRun(r.tokens, f):
			m = f.credit
		case hasRun(r.fine, f):
			// Only a part of a longer word of the name (小区 of 养殖小区).
			m = f.credit * p.Inside
		case multi && strings.Contains(r.name, f.text):
			m = f.credit * p.Inside
		case multi && strings.Contains(r.rest, f.text):
			m = f.credit * p.Basis
		case !multi:
			for _, t := range r.tokens {
				if strings.Contains(t, f.text) {
					m = f.credit * p.SingleInside
					break
				}
			}
		case len(f.parts) > 1:
			var have, all float64
			for _, part := range f.parts {
				w := weight(part)
				all += w
				if slices.Contains(r.tokens, part) || slices.Contains(r.fine, part) {
					have += w
				}
			}
			if all > 0 {
				m = f.credit * p.Partial * have / all
			}
		}
		if m > 0 {
			found = append(found, f)
			best = max(best, m)
		}
	}
	return best, found
}

// hasRun reports whether the name's words contain the form as a whole word
// or as a run of its words.
func hasRun(tokens []string, f form) bool {
	if f.parts == nil {
		return slices.Contains(tokens, f.text)
	}
	for i := 0; i+len(f.parts) <= len(tokens); i++ {
		if slices.Equal(tokens[i:i+len(f.parts)], f.parts) {
			return true
		}
	}
	return false
}

// enforces reports whether a row is a power used on others (a penalty, a
// coercive measure, an inspection), not one that people apply for.
func enforces(it towndesk.PowerItem) bool {
	switch it.Category {
	case "行政处罚", "行政强制", "行政检查":
		return true
	}
	return false
}

// categoryAdjust: a hinted kind of power that matches the row's helps; one
// that contradicts it hurts. A licence question accepts licences and
// confirmations alike. With no hint, "who manages X" is about enforcing.
func categoryAdjust(q parsed, it towndesk.PowerItem, p Params) float64 {
	grant := it.Category == "行政许可" || it.Category == "行政确认" || it.Category == "行政给付" || it.Category == "行政奖励"
	// Where to apply is answered by the row that receives applications,
	// whatever its kind (乡村建设规划许可申请受理).
	// Asked whether the town grants it (采伐证能在镇上办吗), the town's row
	// that receives and checks applications (设置审核, 申请受理及审核上报)
	// answers as well.
	receives := !enforces(it) && (strings.Contains(it.Name, "受理") || strings.Contains(it.Name, "申请") ||
		strings.Contains(it.Name, "审核上报") || strings.Contains(it.Name, "初审") || strings.Contains(it.Name, "设置审核"))
	applying := q.intent == towndesk.IntentApply || q.intent == towndesk.IntentCan && q.category == "行政许可"
	switch {
	case applying && (grant || receives):
		return p.CategoryMatch
	case it.Category == "":
		return 0
	case q.category != "" && it.Category == q.category:
		return p.CategoryMatch
	case q.category != "":
		return -p.CategoryClash
	case it.Category == "行政处罚":
		return p.PenaltyDefault
	case grant || it.Category == "行政强制":
		// Nor is it about a coercive measure (强行清除, 查封) unless it
		// names one (AsksCoercion).
		return -p.GrantDefault
	}
	return 0
}
