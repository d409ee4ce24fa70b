package qa

import (
	"bufio"
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
type EvalScore struct {
	Kind                    string
	N, Top1, Top3, StatusOK int
}

// EvalReport is the outcome of an evaluation.
type EvalReport struct {
	Kinds    []EvalScore
	Total    EvalScore
	Failures []string // one line per wrong top-1, for the people improving the matcher
}

// Top1Rate returns the share of questions whose top answer (or status) was right.
func (s EvalScore) Top1Rate() float64 { return rate(s.Top1, s.N) }

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
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var c EvalCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, towndesk.Errorf(towndesk.EINVALID, "%s:%d: 不是有效的 JSON（%v）", name, n, err)
		}
		if c.Question == "" || c.Status == "" {
			return nil, towndesk.Errorf(towndesk.EINVALID, "%s:%d: 缺少 q 或 status", name, n)
		}
		if c.Status == string(towndesk.StatusAnswered) && len(c.Codes) == 0 {
			return nil, towndesk.Errorf(towndesk.EINVALID, "%s:%d: status 为 answered 时需要 codes", name, n)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// Evaluate asks every case and scores the answers: top-1 (the first
// answer's code is acceptable, or for other statuses the status is right),
// top-3 (an acceptable code among the first three) and status accuracy.
func (l *Lists) Evaluate(ctx context.Context, cases []EvalCase) (*EvalReport, error) {
	byKind := map[string]*EvalScore{}
	rep := &EvalReport{Total: EvalScore{Kind: "全部"}}
	for _, c := range cases {
		reply, err := l.Ask(ctx, AskInput{Question: c.Question, Town: c.Town, County: c.County, Limit: 5})
		if err != nil {
			return nil, fmt.Errorf("%q: %w", c.Question, err)
		}
		res := reply.Result
		s := byKind[c.Kind]
		if s == nil {
			s = &EvalScore{Kind: c.Kind}
			byKind[c.Kind] = s
		}
		statusOK := string(res.Status) == c.Status
		top1, top3 := statusOK, statusOK
		if c.Status == string(towndesk.StatusAnswered) {
			top1, top3 = false, false
			for i, m := range res.Matches {
				if slices.Contains(c.Codes, m.Item.Code) {
					top1 = top1 || i == 0
					top3 = top3 || i < 3
				}
			}
		}
		for _, t := range []*EvalScore{s, &rep.Total} {
			t.N++
			t.Top1 += b2i(top1)
			t.Top3 += b2i(top3)
			t.StatusOK += b2i(statusOK)
		}
		if !top1 {
			got := string(res.Status)
			if len(res.Matches) > 0 {
				got += " " + res.Matches[0].Item.Code + " " + res.Matches[0].Item.Name
			}
			rep.Failures = append(rep.Failures, fmt.Sprintf("[%s] %s（期望 %s %s，得到 %s）", c.Kind, c.Question, c.Status, strings.Join(c.Codes, "|"), got))
		}
	}
	for _, s := range byKind {
		rep.Kinds = append(rep.Kinds, *s)
	}
	sort.Slice(rep.Kinds, func(i, j int) bool { return rep.Kinds[i].Kind < rep.Kinds[j].Kind })
	return rep, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Format renders the report as a table.
func (r *EvalReport) Format(w io.Writer) {
	fmt.Fprintf(w, "%-16s %5s %7s %7s %7s\n", "kind", "n", "top1", "top3", "status")
	for _, s := range append(r.Kinds, r.Total) {
		fmt.Fprintf(w, "%-16s %5d %6.1f%% %6.1f%% %6.1f%%\n", s.Kind, s.N, 100*rate(s.Top1, s.N), 100*rate(s.Top3, s.N), 100*rate(s.StatusOK, s.N))
	}
}
