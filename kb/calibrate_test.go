package kb

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"testing"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/storage"
)

// TestCalibrate is the calibration tool of the matcher's thresholds, not a
// check: it runs only when TOWNDESK_CALIBRATE names a labelled set (the
// format of eval/*.jsonl) and TOWNDESK_CALIBRATE_DATA a data directory
// with the lists it was written for. For every combination of the decision
// thresholds of Params it prints top-1, answered right and confident wrong
// (as in `towndesk eval`), best first among the combinations whose
// confident-wrong rate is at most TOWNDESK_CALIBRATE_MAXWRONG (default
// 0.015). Rows are scored once per question with the scoring parameters
// of DefaultParams; only the decision is replayed.
//
//	TOWNDESK_CALIBRATE=eval/calibration-questions.jsonl TOWNDESK_CALIBRATE_DATA=/tmp/caldata \
//	    go test ./kb -run TestCalibrate -v
func TestCalibrate(t *testing.T) {
	set, dir := os.Getenv("TOWNDESK_CALIBRATE"), os.Getenv("TOWNDESK_CALIBRATE_DATA")
	if set == "" || dir == "" {
		t.Skip("TOWNDESK_CALIBRATE and TOWNDESK_CALIBRATE_DATA are not set")
	}
	maxWrong := 0.015
	if v := os.Getenv("TOWNDESK_CALIBRATE_MAXWRONG"); v != "" {
		fmt.Sscan(v, &maxWrong)
	}
	ctx := context.Background()
	db, err := storage.Open(dir + "/towndesk.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	x, err := OpenIndex(ctx, "", db)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	gaz, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	k := New(db, x, gaz, DefaultSynonyms())
	bodies := map[string][]string{}
	lists, err := db.Lists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lists {
		items, err := db.EditionItems(ctx, l.EditionID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			bodies[it.Code] = append(bodies[it.Code], it.Body)
		}
	}
	type gathered struct {
		res      towndesk.AskResult
		rows     []scoredRow
		townList *towndesk.List
		status   string
		codes    []string
	}
	var cases []gathered
	f, err := os.Open(set)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c struct {
			Q, Town, County, Status string
			Codes                   []string
		}
		if json.Unmarshal(sc.Bytes(), &c) != nil || c.Q == "" {
			continue
		}
		res, rows, tl, err := k.gather(ctx, Query{Question: c.Q, Town: c.Town, County: c.County})
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, gathered{*res, rows, tl, c.Status, c.Codes})
	}
	type result struct {
		p                             Params
		top1, right, wrong, unc, uhit float64
	}
	var results []result
	base := DefaultParams()
	for _, answer := range []float64{0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75} {
		for _, cover := range []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8} {
			for _, margin := range []float64{0, 0.02, 0.04, 0.06, 0.08, 0.1} {
				for _, cand := range []float64{0.3, 0.35, 0.4, 0.45, 0.5} {
					for _, candCover := range []float64{0, 0.2, 0.3, 0.4, 0.5} {
						p := base
						p.Answer, p.AnswerCoverage, p.Margin, p.Candidate, p.CandidateCoverage = answer, cover, margin, cand, candCover
						k.params = p
						var r result
						r.p = p
						for _, c := range cases {
							res := c.res
							res.Matches = nil
							if res.Status == "" {
								k.decide(&res, c.rows, c.townList, 5)
							}
							want := c.status == string(towndesk.StatusAnswered)
							hit, first := false, false
							for i, m := range res.Matches {
								if slices.Contains(c.codes, m.Item.Code) {
									hit, first = true, first || i == 0
								}
							}
							if !want {
								first = string(res.Status) == c.status
							}
							r.top1 += b2f(first)
							if res.Status == towndesk.StatusAnswered {
								top := res.Matches[0].Item
								ok := slices.Contains(c.codes, top.Code)
								for _, code := range c.codes {
									ok = ok || slices.Contains(bodies[code], top.Body)
								}
								r.wrong += b2f(!want || !ok)
								r.right += b2f(want && first)
							}
							if res.Status == towndesk.StatusUncertain {
								r.unc++
								r.uhit += b2f(hit)
							}
						}
						n := float64(len(cases))
						r.top1, r.right, r.wrong = r.top1/n, r.right/n, r.wrong/n
						if r.unc > 0 {
							r.uhit /= r.unc
						}
						r.unc /= n
						results = append(results, r)
					}
				}
			}
		}
	}
	k.params = base
	sort.Slice(results, func(i, j int) bool {
		a, b := results[i], results[j]
		if (a.wrong <= maxWrong) != (b.wrong <= maxWrong) {
			return a.wrong <= maxWrong
		}
		if a.top1 != b.top1 {
			return a.top1 > b.top1
		}
		return a.right > b.right
	})
	fmt.Printf("%d questions; confident wrong at most %.1f%%\n", len(cases), 100*maxWrong)
	fmt.Println("answer cover margin cand c-cov   top1  ans-ok conf-x  uncert unc-hit")
	for _, r := range results[:min(25, len(results))] {
		fmt.Printf("%5.2f %5.2f %5.2f %5.2f %5.2f %6.1f%% %6.1f%% %5.1f%% %6.1f%% %6.1f%%\n", r.p.Answer, r.p.AnswerCoverage, r.p.Margin, r.p.Candidate, r.p.CandidateCoverage,
			100*r.top1, 100*r.right, 100*r.wrong, 100*r.unc, 100*r.uhit)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
