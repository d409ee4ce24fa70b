package kb

import (
	"testing"

	"github.com/towndesk/towndesk"
)

// TestCandidatesCountyReplacesAssist: the town's assist row of a power is
// shown as the county's row of that power (the county department acts),
// also when the county's row ranks below three other candidates.
func TestCandidatesCountyReplacesAssist(t *testing.T) {
	k := &KB{params: DefaultParams()}
	town := towndesk.List{ID: 1, EditionID: 1}
	county := towndesk.List{ID: 2, EditionID: 2}
	row := func(list towndesk.List, code, name string, mode towndesk.Mode, score float64) scoredRow {
		return scoredRow{item: towndesk.PowerItem{Code: code, Name: name, Category: "行政处罚", Mode: mode}, list: list,
			rowScore: rowScore{score: score, sure: 1, rcov: 1, known: true, worded: true}}
	}
	rows := []scoredRow{
		row(town, "T-EAT", "对食用保护野生动物的处罚", towndesk.ModeAssist, 0.79),
		row(county, "C-HUNT", "对猎捕保护野生动物的处罚", towndesk.ModeRetained, 0.78),
		row(county, "C-FREE", "对放生野生动物的处罚", towndesk.ModeRetained, 0.77),
		row(county, "C-EAT", "对食用保护野生动物的处罚", towndesk.ModeRetained, 0.76),
	}
	var res towndesk.AskResult
	k.candidates(&res, rows, &town)
	var codes []string
	for _, m := range res.Matches {
		codes = append(codes, m.Item.Code)
	}
	if len(codes) != 3 || codes[0] != "C-EAT" || codes[1] != "C-HUNT" || codes[2] != "C-FREE" {
		t.Errorf("candidates = %v, want [C-EAT C-HUNT C-FREE]: the county's row in place of the town's assist row", codes)
	}
}
