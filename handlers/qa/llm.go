package qa

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/kb"
)

// An optional language model helps with questions; the rows always come
// from the index:
//
//   - Understanding is a fallback. Only a question the rule-based reading
//     could not answer (not found, or no place where the model found one in
//     the question) is asked again with the model's hints, and the second
//     result is kept only if it is an answer or has candidates.
//   - Re-ranking: the best kb.PoolSize rows of the town's and the county's
//     lists go to the model, which picks one code or none. A pick among
//     them is the answer (the town's own row of that power, if it has one);
//     an uncertain reply becomes an answer only so. A pick outside them,
//     or none, leaves the rules' reply as it is; a question the rules
//     found nothing plausible for is not offered.
//   - Phrasing: the model's text is shown only if every code and every body
//     it names is in the rows of the answer and it cites the top row's code;
//     otherwise the template answer is shown.
//
// Any failure of the model (timeout, refusal, budget, malformed output)
// is logged and the answer is given without it.

// Model is a language model; *llm.Client implements it.
type Model interface {
	// Understand reads a question into search terms, category and place.
	Understand(ctx context.Context, question string) (towndesk.Reading, error)
	// Choose returns the code of the candidate that fits the question best.
	Choose(ctx context.Context, question string, candidates []towndesk.Match) (string, error)
	// Phrase writes a reply to the question from the result's rows.
	Phrase(ctx context.Context, question string, res *towndesk.AskResult, reference string) (string, error)
}

// modelState is the optional model of a Lists and where its failures are
// logged.
type modelState struct {
	m   Model
	log *slog.Logger
}

// SetModel makes Ask use m to understand questions the rules cannot, to
// break near-ties and to phrase answers; nil turns the model off. Failures
// of the model are logged to log (nil means slog.Default()), with phone and
// ID numbers masked. Call it before serving questions.
func (l *Lists) SetModel(m Model, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	l.model = modelState{m: m, log: log}
}

// refine improves a rule-based reply with the model, if there is one. It
// never fails: whatever goes wrong, the reply is as good as without it.
func (l *Lists) refine(ctx context.Context, in AskInput, reply *AskReply, b *budget) *AskReply {
	if l.model.m == nil || reply == nil || reply.Result == nil {
		return reply
	}
	res, used := reply.Result, false
	q := kb.Query{Question: in.Question, Town: in.Town, County: in.County, Limit: in.Limit}
	if better, hinted := l.understood(ctx, in, res, b); better != nil {
		res, q, used = better, hinted, true
	}
	if picked := l.pick(ctx, q, res, b); picked != nil {
		res, used = picked, true
	}
	text := AnswerText(res)
	if phrased, ok := l.phrase(ctx, in.Question, res, text); ok {
		text, used = phrased, true
	}
	return &AskReply{Result: res, Text: text, LLM: used}
}

func (l *Lists) logFailure(step, question string, err error) {
	l.model.log.Warn("language model not used", "step", step, "question", towndesk.MaskText(question),
		"err", towndesk.MaskText(err.Error()))
}

// understood asks the question again with the model's reading when the
// rules found nothing, or found no place where the model reads one in the
// question. It returns the new result, and the query that gave it, if it
// is an answer or has candidates; else nil.
func (l *Lists) understood(ctx context.Context, in AskInput, res *towndesk.AskResult, b *budget) (*towndesk.AskResult, kb.Query) {
	needPlace := res.Status == towndesk.StatusNeedPlace
	if !needPlace && (res.Status != towndesk.StatusNotFound || len(res.Searched) == 0) {
		return nil, kb.Query{}
	}
	r, err := l.model.m.Understand(ctx, in.Question)
	if err != nil {
		l.logFailure("understand", in.Question, err)
		return nil, kb.Query{}
	}
	terms := matterTerms(r.Terms)
	place := ""
	if needPlace {
		if !placeInQuestion(r.Place, in.Question) {
			return nil, kb.Query{}
		}
		place = r.Place
	} else if len(terms) == 0 {
		return nil, kb.Query{}
	}
	q := kb.Query{Question: in.Question, Town: in.Town, County: in.County, Limit: in.Limit,
		HintTerms: terms, HintCategory: r.Category, HintPlace: place}
	again, err := match(ctx, b, func(ctx context.Context) (*towndesk.AskResult, error) { return l.kb.Ask(ctx, q) })
	if err != nil {
		l.logFailure("ask with hints", in.Question, err)
		return nil, kb.Query{}
	}
	if again.Status != towndesk.StatusAnswered && again.Status != towndesk.StatusUncertain {
		return nil, kb.Query{}
	}
	return again, q
}

// matterTerms keeps the terms that describe a matter. A term naming an
// organisation (公安局, 镇政府) is dropped: the lists are searched by what
// happened, and a question must not be able to steer the search to the
// body it would like to hear.
func matterTerms(terms []string) []string {
	var out []string
	for _, t := range terms {
		if t = strings.TrimSpace(t); t != "" && len(bodyMentions(t)) == 0 {
			out = append(out, t)
		}
	}
	return out
}

// placeSuffixes are dropped from a place name before looking for it in
// the question ("滨湖镇" is found in "滨湖那边").
var placeSuffixes = []string{"街道", "苏木", "自治县", "镇", "乡", "县", "市", "区", "旗"}

// placeInQuestion reports whether the place the model read is written in
// the question: the model may read a place, never supply one.
func placeInQuestion(place, question string) bool {
	place = strings.TrimSpace(place)
	for _, s := range placeSuffixes {
		if p := strings.TrimSuffix(place, s); p != place {
			place = p
			break
		}
	}
	return utf8.RuneCountInString(place) >= 2 && strings.Contains(question, place)
}

// pick lets the model choose the answer among the question's pool. It
// returns the answer for a pick among them, else nil (the reply stays as
// the rules made it).
func (l *Lists) pick(ctx context.Context, q kb.Query, res *towndesk.AskResult, b *budget) *towndesk.AskResult {
	if res.Status != towndesk.StatusAnswered && res.Status != towndesk.StatusUncertain {
		return nil // nothing plausible, or a place to ask about first
	}
	pool, err := match(ctx, b, func(ctx context.Context) ([]towndesk.Match, error) { return l.kb.Pool(ctx, q) })
	if err != nil {
		l.logFailure("pool", q.Question, err)
		return nil
	}
	if len(pool) == 0 {
		return nil
	}
	code, err := l.model.m.Choose(ctx, q.Question, pool)
	if err != nil {
		l.logFailure("choose", q.Question, err)
		return nil
	}
	if code == "" || res.Status == towndesk.StatusAnswered && res.Matches[0].Item.Code == code {
		return nil // no pick, or the rules' own answer
	}
	in := false
	for _, m := range pool {
		in = in || m.Item.Code == code
	}
	if !in {
		l.model.log.Info("language model chose outside the candidates; ignored", "question", towndesk.MaskText(q.Question), "code", towndesk.MaskText(code))
		return nil
	}
	q.Pick = code
	picked, err := match(ctx, b, func(ctx context.Context) (*towndesk.AskResult, error) { return l.kb.Ask(ctx, q) })
	if err != nil {
		l.logFailure("ask with the pick", q.Question, err)
		return nil
	}
	if !picked.Picked {
		return nil
	}
	return picked
}

// phrase asks the model for the reply text and keeps it only if it is
// grounded in the rows.
func (l *Lists) phrase(ctx context.Context, question string, res *towndesk.AskResult, reference string) (string, bool) {
	if res.Status != towndesk.StatusAnswered || len(res.Matches) == 0 {
		return "", false
	}
	text, err := l.model.m.Phrase(ctx, question, res, reference)
	if err != nil {
		l.logFailure("phrase", question, err)
		return "", false
	}
	text = strings.TrimSpace(text)
	if err := grounded(text, res); err != nil {
		l.logFailure("phrase", question, fmt.Errorf("text discarded: %w", err))
		return "", false
	}
	return text, true
}

// maxPhrased caps the model's reply; the prompt asks for 150 characters.
const maxPhrased = 400

// codeToken finds what could be a code, a phone number or another
// identifier: runs of ASCII letters, digits and hyphens of 5 or more
// characters with a digit in them.
var codeToken = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9_\-]*[A-Za-z0-9]`)

func codeTokens(s string) []string {
	var out []string
	for _, t := range codeToken.FindAllString(s, -1) {
		if len(t) >= 5 && strings.ContainsAny(t, "0123456789") {
			out = append(out, t)
		}
	}
	return out
}

// orgEnding matches the endings of organisation names: 局, 委员会, 办公室,
// 人民政府, 派出所, 中队, 中心, 站 …
var orgEnding = regexp.MustCompile(`委员会|办公室|人民政府|政府|派出所|中队|大队|支队|中心|[局委办所站队]`)

// notOrg are ordinary words that contain an organisation ending.
var notOrg = []string{
	"办理", "办结", "办事", "代办", "怎么办", "咋办", "举办", "承办", "主办", "协办", "督办", "交办", "转办", "办法", "兴办", "开办", "创办", "查办",
	"所在", "所属", "所有", "所以", "所需", "所得", "所说", "所列", "所述", "所谓", "场所", "处所", "住所", "厕所", "所涉",
	"委托", "委派", "站点", "网站", "队伍", "排队", "团队", "局部", "局面", "格局", "结局",
}

// bodyMentions returns the organisation endings left in s after removing
// ordinary words: each is a mention of some body.
func bodyMentions(s string) []string {
	for _, w := range notOrg {
		s = strings.ReplaceAll(s, w, " ")
	}
	return orgEnding.FindAllString(s, -1)
}

// grounded checks a model's reply against the rows of res: it must cite
// the top row's code, mention no code-like token that is not in the rows,
// and name no body that is not a body or office of the rows (written in
// full, or without its province, city or county). It returns what is
// wrong.
func grounded(text string, res *towndesk.AskResult) error {
	if text == "" {
		return fmt.Errorf("empty text")
	}
	if n := utf8.RuneCountInString(text); n > maxPhrased {
		return fmt.Errorf("text of %d characters, over %d", n, maxPhrased)
	}
	if !strings.Contains(text, res.Matches[0].Item.Code) {
		return fmt.Errorf("top code %s not cited", res.Matches[0].Item.Code)
	}
	var texts, bodies []string
	places := []towndesk.Place{}
	if res.Place != nil {
		places = append(places, *res.Place)
	}
	for _, m := range res.Matches {
		it := m.Item
		texts = append(texts, it.Code, it.Name, it.SubItem, it.Basis, it.Domain, it.Category, m.List.Edition)
		places = append(places, m.List.Place)
		for _, b := range []string{it.Body, it.Office} {
			if b != "" {
				bodies = append(bodies, b)
			}
		}
	}
	allowed := map[string]bool{}
	for _, s := range append(texts, bodies...) {
		for _, t := range codeTokens(s) {
			allowed[t] = true
		}
	}
	for _, t := range codeTokens(text) {
		if !allowed[t] {
			return fmt.Errorf("code %q not among the rows", t)
		}
	}
	// Remove everything the rows say, longest first, then look for names
	// of bodies in what is left.
	var known []string
	for _, b := range bodies {
		known = append(known, bodyForms(b, places)...)
	}
	known = append(known, texts...)
	for _, p := range places {
		known = append(known, p.Province, p.City, p.County, p.Town, p.Short())
	}
	sort.Slice(known, func(i, j int) bool { return len(known[i]) > len(known[j]) })
	rest := text
	for _, k := range known {
		if k != "" {
			rest = strings.ReplaceAll(rest, k, "\x00")
		}
	}
	if ms := bodyMentions(rest); len(ms) > 0 {
		return fmt.Errorf("names a body not among the rows (…%s in %q)", ms[0], strings.ReplaceAll(rest, "\x00", "□"))
	}
	return nil
}

// bodyForms returns a body's name and its shorter forms without leading
// province, city or county names (天津市蓟州区邦均镇人民政府, 蓟州区邦均镇人民政府,
// 邦均镇人民政府).
func bodyForms(body string, places []towndesk.Place) []string {
	out := []string{body}
	for changed := true; changed; {
		changed = false
		for _, p := range places {
			for _, pre := range []string{p.Province, p.City, p.County} {
				if pre != "" && strings.HasPrefix(body, pre) && len(body) > len(pre) {
					body = strings.TrimPrefix(body, pre)
					out = append(out, body)
					changed = true
				}
			}
		}
	}
	return out
}
