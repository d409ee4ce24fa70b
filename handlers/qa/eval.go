package qa

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/towndesk/towndesk"
)

// EvalCase is one line of an evaluation set (JSONL).
type EvalCase struct {
	Question string   `json:"q"`
	Town     string   `json:"town,omitempty"`   // asker's default place
	County   string   `json:"county,omitempty"` // asker's default county
	Kind     string   `json:"kind"`             // town, county_fallback, contrast, county_only, ambiguous, need_place, not_found …
	Status   string   `json:"status"`           // expected status
	Codes    []string `json:"codes,omitempty"`  // acceptable codes of the top answer (answered only)
	Note     string   `json:"note,omitempty"`
}

// EvalScore counts results for one kind of question.
//
//   - Top1: the first row shown (the answer, or the first candidate of an
//     uncertain reply) is an expected one; for a question with no answer,
//     the status is right.
//   - Top3: an expected row is among the first three shown.
//   - StatusOK: the status is the expected one (uncertain is never
//     expected, so it counts as wrong here).
//   - AnsweredRight: answered, and the answer is an expected row.
//   - ConfidentWrong: answered where no answer was due, or answered with a
//     row that has neither an expected code nor an expected body.
//   - Uncertain, UncertainHit: uncertain replies, and those among them
//     whose candidates include an expected row.
//   - PlaceGuessed: a question that should have asked for the place
//     (need_place, ambiguous_place) got anything else.
type EvalScore struct {
	Kind                                                   string
	N, Top1, Top3, StatusOK, AnsweredRight, ConfidentWrong int
	Uncertain, UncertainHit, PlaceGuessed                  int
}

// EvalReport is the outcome of an evaluation.
type EvalReport struct {
	Kinds    []EvalScore
	Total    EvalScore
	Failures []string // one line per wrong top-1, for the people improving the matcher
	// Timeouts counts the questions the matcher could not answer within
	// its deadline (Lists.MatchTimeout); each counts as wrong.
	Timeouts int
}

// Top1Rate returns the share of questions whose first row (or status) was right.
func (s EvalScore) Top1Rate() float64 { return rate(s.Top1, s.N) }

// ConfidentWrongRate returns the share of all questions answered confidently wrong.
func (s EvalScore) ConfidentWrongRate() float64 { return rate(s.ConfidentWrong, s.N) }

// UncertainHitRate returns the share of uncertain replies whose candidates
// include an expected row.
func (s EvalScore) UncertainHitRate() float64 { return rate(s.UncertainHit, s.Uncertain) }

func rate(a, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(a) / float64(n)
}

// ReadEvalCases reads an evaluation set. It returns EINVALID naming the line
// of any malformed case.
func ReadEvalCases(r io.Reader, name string) ([]EvalCase, error) {
	var out []EvalCase
	err := towndesk.EachLine(r, name, func(n int, line string) error {
		var c EvalCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return towndesk.Errorf(towndesk.EINVALID, "%s:%d: 不是有效的 JSON（%v）", name, n, err)
		}
		if c.Question == "" || c.Status == "" {
			return towndesk.Errorf(towndesk.EINVALID, "%s:%d: 缺少 q 或 status", name, n)
		}
		if err := towndesk.CheckQuestion(c.Question); err != nil {
			return towndesk.Errorf(towndesk.EINVALID, "%s:%d: %s", name, n, towndesk.ErrorMessage(err))
		}
		if c.Status == string(towndesk.StatusAnswered) && len(c.Codes) == 0 {
			return towndesk.Errorf(towndesk.EINVALID, "%s:%d: status 为 answered 时需要 codes", name, n)
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Evaluate asks every case and scores the answers (see EvalScore). The
// expected bodies are those of the expected codes in the current lists.
func (l *Lists) Evaluate(ctx context.Context, cases []EvalCase) (*EvalReport, error) {
	if _, err := l.LoadSample(ctx); err != nil {
		return nil, err
	}
	bodies, err := l.codeBodies(ctx)
	if err != nil {
		return nil, err
	}
	byKind := map[string]*EvalScore{}
	rep := &EvalReport{Total: EvalScore{Kind: "全部"}}
	for _, c := range cases {
		reply, err := l.Ask(ctx, AskInput{Question: c.Question, Town: c.Town, County: c.County, Limit: 5})
		s := byKind[c.Kind]
		if s == nil {
			s = &EvalScore{Kind: c.Kind}
			byKind[c.Kind] = s
		}
		if IsMatchTimeout(err) {
			// Counted, and wrong: an answer too slow to give is no answer.
			s.add(EvalScore{})
			rep.Total.add(EvalScore{})
			rep.Timeouts++
			rep.Failures = append(rep.Failures, fmt.Sprintf("超时 [%s] %s", c.Kind, c.Question))
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%q: %w", c.Question, err)
		}
		res := reply.Result
		var o EvalScore
		o.StatusOK = b2i(string(res.Status) == c.Status)
		answered := res.Status == towndesk.StatusAnswered
		wantAnswer := c.Status == string(towndesk.StatusAnswered)
		o.Top1, o.Top3 = o.StatusOK, o.StatusOK
		hit := false
		if wantAnswer {
			o.Top1, o.Top3 = 0, 0
			for i, m := range res.Matches {
				if slices.Contains(c.Codes, m.Item.Code) {
					hit = true
					o.Top1 |= b2i(i == 0)
					o.Top3 |= b2i(i < 3)
				}
			}
		}
		o.AnsweredRight = b2i(answered && o.Top1 == 1 && wantAnswer)
		if answered {
			top := res.Matches[0].Item
			right := slices.Contains(c.Codes, top.Code)
			for _, code := range c.Codes {
				right = right || slices.Contains(bodies[code], top.Body)
			}
			o.ConfidentWrong = b2i(!wantAnswer || !right)
		}
		if res.Status == towndesk.StatusUncertain {
			o.Uncertain, o.UncertainHit = 1, b2i(hit)
		}
		placeDue := c.Status == string(towndesk.StatusNeedPlace) || c.Status == string(towndesk.StatusAmbiguousPlace)
		o.PlaceGuessed = b2i(placeDue && o.StatusOK == 0)
		for _, t := range []*EvalScore{s, &rep.Total} {
			t.add(o)
		}
		if o.Top1 == 0 || o.ConfidentWrong == 1 {
			got := string(res.Status)
			if len(res.Matches) > 0 {
				got += " " + res.Matches[0].Item.Code + " " + res.Matches[0].Item.Name
			}
			mark := ""
			if o.ConfidentWrong == 1 {
				mark = "错答 "
			}
			rep.Failures = append(rep.Failures, fmt.Sprintf("%s[%s] %s（期望 %s %s，得到 %s）", mark, c.Kind, c.Question, c.Status, strings.Join(c.Codes, "|"), got))
		}
	}
	for _, s := range byKind {
		rep.Kinds = append(rep.Kinds, *s)
	}
	sort.Slice(rep.Kinds, func(i, j int) bool { return rep.Kinds[i].Kind < rep.Kinds[j].Kind })
	return rep, nil
}

func (s *EvalScore) add(o EvalScore) {
	s.N++
	s.Top1 += o.Top1
	s.Top3 += o.Top3
	s.StatusOK += o.StatusOK
	s.AnsweredRight += o.AnsweredRight
	s.ConfidentWrong += o.ConfidentWrong
	s.Uncertain += o.Uncertain
	s.UncertainHit += o.UncertainHit
	s.PlaceGuessed += o.PlaceGuessed
}

// codeBodies maps every code of the current lists to the bodies of its rows.
func (l *Lists) codeBodies(ctx context.Context) (map[string][]string, error) {
	lists, err := l.db.Lists(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, li := range lists {
		items, err := l.db.EditionItems(ctx, li.EditionID)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if !slices.Contains(out[it.Code], it.Body) {
				out[it.Code] = append(out[it.Code], it.Body)
			}
		}
	}
	return out, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Format renders the report as a table: per kind and overall, top-1,
// top-3, status, answered right, confident wrong (all as shares of the
// questions), and the uncertain replies with the share of them whose
// candidates include the right row.
func (r *EvalReport) Format(w io.Writer) {
	fmt.Fprintf(w, "%-16s %5s %7s %7s %7s %7s %7s %9s %7s\n", "kind", "n", "top1", "top3", "status", "ans-ok", "conf-x", "uncertain", "unc-hit")
	for _, s := range append(r.Kinds, r.Total) {
		fmt.Fprintf(w, "%-16s %5d %6.1f%% %6.1f%% %6.1f%% %6.1f%% %6.1f%% %8.1f%% %6.1f%%\n", s.Kind, s.N,
			100*rate(s.Top1, s.N), 100*rate(s.Top3, s.N), 100*rate(s.StatusOK, s.N), 100*rate(s.AnsweredRight, s.N),
			100*rate(s.ConfidentWrong, s.N), 100*rate(s.Uncertain, s.N), 100*rate(s.UncertainHit, s.Uncertain))
	}
	if r.Timeouts > 0 {
		fmt.Fprintf(w, "超时（未在时限内答完，计为答错）：%d 题\n", r.Timeouts)
	}
}
