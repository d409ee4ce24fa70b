package kb

import (
	"strings"
	"unicode"

	"github.com/towndesk/towndesk"
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
	// rareWeight is the weight of a word only one indexed row uses.
	rareWeight float64
}

// understand reduces the tokens of a question (with the place names
// already dropped) to concepts, a category hint and an intent. text is the
// question itself, read for "doing without an approval".
func (k *KB) understand(text string, tokens []string) parsed {
	var out parsed
	frameCat := ""
	type unit struct {
		words  []string
		known  bool
		clause int
	}
	var units []unit
	clause := 0
	var read func(tokens []string, inner bool)
	read = func(tokens []string, inner bool) {
		for i := 0; i < len(tokens); {
			if tokens[i] == clauseBreak {
				clause++
				i++
				continue
			}
			n, kind := k.book.longest(tokens[i:])
			if n > 0 {
				phrase := strings.Join(tokens[i:i+n], "")
				switch kind {
				case phraseFrame:
					f := frames[phrase]
					if frameCat == "" {
						frameCat = f.category
					}
					if out.intent == "" {
						out.intent = f.intent
					}
				case phraseHint:
					if out.category == "" {
						out.category = hints[phrase]
					}
				case phraseSynonym:
					units = append(units, unit{tokens[i : i+n], true, clause})
				}
				i += n
				continue
			}
			t := tokens[i]
			i++
			if !hasWordRune(t) || namesBody(t) || isNumber(t) {
				continue
			}
			// A compound the general dictionary knows as one word
			// ("烧秸秆" in some texts) is read as its parts when one of
			// them is a phrase.
			if parts := k.lex.Parts(t); !inner && len([]rune(t)) >= 3 && k.anyPhrase(parts) {
				read(parts, true)
				continue
			}
			units = append(units, unit{[]string{t}, false, clause})
		}
	}
	read(tokens, false)
	if out.intent == "" && asksWhetherMay(tokens) {
		out.intent = towndesk.IntentCan
	}
	for _, u := range units {
		out.matter = append(out.matter, strings.Join(u.words, ""))
	}
	// The frame says what kind of power is asked about ("谁批" asks who
	// approves); it outranks hints in the matter. Doing without an approval
	// ("没批就盖", "无证经营", "未经许可") is a violation: the question is
	// about a penalty, not about the approval, even when asked "谁检查".
	violation := negatedApproval(text)
	switch {
	case violation && frameCat != "行政许可":
		out.category = "行政处罚"
		if out.intent == towndesk.IntentApply {
			out.intent = towndesk.IntentWho
		}
	case frameCat != "":
		out.category = frameCat
	}
	if out.intent == towndesk.IntentApply && out.category == "" {
		out.category = "行政许可"
	}
	for _, u := range units {
		surface := strings.Join(u.words, "")
		if out.has(surface) {
			continue
		}
		var official []string
		if u.known {
			official, _ = k.syn.expand(surface)
		}
		c := k.newConcept(surface, official)
		c.clause = u.clause
		out.concepts = append(out.concepts, c)
	}
	return out
}

// clauseBreak is the token put between the clauses of a question.
const clauseBreak = "，"

// cutClauses cuts text into tokens clause by clause, with clauseBreak
// between clauses. A clause ends at a comma, a full stop, a semicolon, a
// question or exclamation mark or a line break.
func cutClauses(seg *segment.Segmenter, text string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune("，。；！？,.;!?\n、…", r) }) {
		if len(out) > 0 {
			out = append(out, clauseBreak)
		}
		out = append(out, seg.Cut(c)...)
	}
	return out
}

// asksWhetherMay reports whether a question asks if someone may act, when
// no frame said so: it has 能不能, 可不可以, 能否, 有没有权 …, or ends in
// 吗 (么) after 能, 可以 or 有权.
func asksWhetherMay(tokens []string) bool {
	may := false
	for i, t := range tokens {
		switch t {
		case "能不能", "可不可以", "能否", "可否", "有没有权", "有没有权力", "有没有权限", "有无权":
			return true
		case "能", "可以", "有权", "有权力", "不能":
			may = true
		case "吗", "么", "嘛":
			if may && (i == len(tokens)-1 || tokens[i+1] == clauseBreak) {
				return true
			}
		}
	}
	return false
}

// anyPhrase reports whether some run of the tokens is a phrase of the book.
func (k *KB) anyPhrase(tokens []string) bool {
	for i := range tokens {
		if n, _ := k.book.longest(tokens[i:]); n > 0 {
			return true
		}
	}
	return false
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

// namesBody reports whether a word names a body: 县公安局, 镇政府, 派出所.
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

// isNumber reports whether a token is a number of five or more digits: a
// phone, ID or case number, never the matter (and personal data to keep
// out of the normalised form).
func isNumber(s string) bool {
	digits := 0
	for _, r := range s {
		if !unicode.IsDigit(r) && r != 'x' && r != 'X' {
			return false
		}
		digits++
	}
	return digits >= 5
}

func hasWordRune(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// addHints merges a language model's reading into p: each term becomes a
// concept (expanded through the dictionary when it knows the word), unless
// the question already has a concept with that surface; the category is
// taken only when the question gave none.
func (k *KB) addHints(p *parsed, terms []string, category string) {
	for _, t := range terms {
		t = strings.TrimSpace(normText(t))
		if t == "" || p.has(t) {
			continue
		}
		official, _ := k.syn.expand(t)
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
