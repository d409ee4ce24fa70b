package kb

import (
	"testing"

	"github.com/towndesk/towndesk"
)

// plausible returns a row of list that passes every candidate test but
// the score.
func plausible(list towndesk.List, code, name, category string, mode towndesk.Mode, score float64) scoredRow {
	return scoredRow{item: towndesk.PowerItem{Code: code, Name: name, Category: category, Mode: mode}, list: list,
		rowScore: rowScore{score: score, sure: 1, rcov: 1, known: true, worded: true}}
}

// candidateCodes returns the codes of the candidates k picks from rows.
func candidateCodes(k *KB, res *towndesk.AskResult, rows []scoredRow, town *towndesk.List) []string {
	k.candidates(res, rows, town)
	var codes []string
	for _, m := range res.Matches {
		codes = append(codes, m.Item.Code)
	}
	return codes
}

// TestCandidatesCountyReplacesAssist: the town's assist row of a power is
// shown as the county's row of that power (the county department acts),
// also when the county's row ranks below three other candidates.
func TestCandidatesCountyReplacesAssist(t *testing.T) {
	k := &KB{params: DefaultParams()}
	town := towndesk.List{ID: 1, EditionID: 1}
	county := towndesk.List{ID: 2, EditionID: 2}
	row := func(list towndesk.List, code, name string, mode towndesk.Mode, score float64) scoredRow {
		return plausible(list, code, name, "行政处罚", mode, score)
	}
	rows := []scoredRow{
		row(town, "T-EAT", "对食用保护野生动物的处罚", towndesk.ModeAssist, 0.79),
		row(county, "C-HUNT", "对猎捕保护野生动物的处罚", towndesk.ModeRetained, 0.78),
		row(county, "C-FREE", "对放生野生动物的处罚", towndesk.ModeRetained, 0.77),
		row(county, "C-EAT", "对食用保护野生动物的处罚", towndesk.ModeRetained, 0.76),
	}
	codes := candidateCodes(k, &towndesk.AskResult{}, rows, &town)
	if len(codes) != 3 || codes[0] != "C-EAT" || codes[1] != "C-HUNT" || codes[2] != "C-FREE" {
		t.Errorf("candidates = %v, want [C-EAT C-HUNT C-FREE]: the county's row in place of the town's assist row", codes)
	}
}

// TestCandidatesGrantsFirstWhenApplying: asked where to apply, the rows
// that grant come before the rows that enforce, though these score higher
// (the penalty for lacking a certificate names the certificate exactly).
func TestCandidatesGrantsFirstWhenApplying(t *testing.T) {
	k := &KB{params: DefaultParams()}
	county := towndesk.List{ID: 2, EditionID: 2}
	row := func(code, name, category string, wrongKind bool, score float64) scoredRow {
		r := plausible(county, code, name, category, towndesk.ModeRetained, score)
		r.wrongKind = wrongKind
		return r
	}
	rows := []scoredRow{
		row("C-NOCERT", "对动物及动物产品无检疫证明的处罚", "行政处罚", true, 0.61),
		row("C-FAKE", "对伪造检疫证明的处罚", "行政处罚", true, 0.60),
		row("C-QUAR", "动物及动物产品产地检疫", "行政确认", false, 0.58),
	}
	codes := candidateCodes(k, &towndesk.AskResult{}, rows, nil)
	if len(codes) != 3 || codes[0] != "C-QUAR" || codes[1] != "C-NOCERT" || codes[2] != "C-FAKE" {
		t.Errorf("candidates = %v, want [C-QUAR C-NOCERT C-FAKE]: the row that grants first, the others in score order", codes)
	}
}

// TestCandidatesTownFirstWhenAskedWhetherItMay: asked whether the town may
// act, the town's own candidate comes first when nearly as plausible as
// the county's best; a town row far behind does not.
func TestCandidatesTownFirstWhenAskedWhetherItMay(t *testing.T) {
	k := &KB{params: DefaultParams()}
	town := towndesk.List{ID: 1, EditionID: 1}
	county := towndesk.List{ID: 2, EditionID: 2}
	row := func(list towndesk.List, code string, score float64) scoredRow {
		return plausible(list, code, "对"+code+"的处罚", "行政处罚", towndesk.ModeDevolved, score)
	}
	for _, tt := range []struct {
		intent towndesk.Intent
		townAt float64
		first  string
	}{
		{towndesk.IntentCan, 0.58, "T"},
		{towndesk.IntentCan, 0.40, "C1"}, // far behind
		{towndesk.IntentWho, 0.58, "C1"}, // not asked whether the town may
	} {
		rows := []scoredRow{row(county, "C1", 0.60), row(county, "C2", 0.59), row(town, "T", tt.townAt)}
		if got := candidateCodes(k, &towndesk.AskResult{Intent: tt.intent}, rows, &town)[0]; got != tt.first {
			t.Errorf("intent %q, town row at %.2f: first candidate %s, want %s", tt.intent, tt.townAt, got, tt.first)
		}
	}
}
