package kb

// Params holds every weight and threshold of the matcher, so that what
// decides an answer can be read, tested and calibrated in one place. Each
// rule has a table test in params_test.go.
//
// Scores are in 0..1 (plus small adjustments). A row's score combines how
// much of the question's matter the row covers (question coverage) and how
// much of the row's distinctive content the question covers (row coverage);
// every word is weighted by how rare it is in the indexed lists (inverse
// document frequency), so a specific list term counts far more than an
// everyday word, and a question word no list uses weighs nothing: it
// neither matches nor penalises.
//
// The thresholds were calibrated on eval/calibration-questions.jsonl (see
// the README's answer-quality section for how), never on the blind set.
type Params struct {
	// QuestionShare is the share of a row's score that comes from question
	// coverage; the rest comes from row coverage.
	QuestionShare float64
	// BestShare is the share of question coverage that comes from the
	// concept the row matches best; the rest is the weighted mean over all
	// concepts. A question names its matter and its setting ("楼道里
	// 消防通道被堵"): the row of the matter should not lose much to a
	// row of the setting.
	BestShare float64

	// Credit for a question word found in a row, by where and how:
	// the word itself in the item name, token for token (Exact);
	// an official term of the word's synonym group there (Synonym: exact
	// list wording beats a synonym expansion);
	// either one inside a longer word of the name, or only as a part of
	// one (小区 of 养殖小区: Inside, a factor);
	// only in the legal basis, note or cited article text (Basis, a factor);
	// some of a multi-word term's words in the name (Partial, a factor on
	// the weighted share found);
	// a one-character word inside a word of the name (堵 in 堵塞, 挖 in
	// 挖掘: SingleInside, a factor).
	Exact, Synonym, Inside, Basis, Partial, SingleInside float64

	// Category adjustments: the kind of power the question names (罚, 批,
	// 查 …) matches the row's (CategoryMatch) or contradicts it
	// (CategoryClash). A question naming none is asked about enforcing
	// ("who manages X"): penalties gain PenaltyDefault, and licences,
	// confirmations and other grants lose GrantDefault.
	CategoryMatch, CategoryClash, PenaltyDefault, GrantDefault float64
	// LacksApproval is added to a row about doing without an approval
	// (未取得…许可, 无…证, 未经批准) when the question says the approval
	// was missing (没有许可证就…, 冇牌照, 没批就盖), and to a row about going
	// beyond one (超范围生产, 未按照许可证核定的) when the question says it
	// was exceeded (超出许可范围), and to a row about exceeding a standard
	// (墓穴占地面积超过规定标准) when the question says one was exceeded
	// (比规定的大多了), and to a row about a small amount (盗伐…不足0.5立方米)
	// when the question says the amount was small (不到半方, 量不大): of the
	// penalties of a matter, that one is what it asks about.
	LacksApproval float64
	// Rural is added to a row about the countryside (乡村建设, 村庄规划区,
	// 农村村民) that matches a dictionary word of a question set there
	// (村里有人乱搭乱建): of the rows of a matter, the rural one is what it
	// asks about. It is taken from such a row in a question set in a town
	// proper or a city (镇区要建个超市), and half of it from the village
	// planning permit's rows in a question set nowhere (规划证去哪办 asks
	// for the town's permit).
	Rural float64
	// SubItem orders the sub-items of one item, which share its name: each
	// loses SubItem times how much less of the question its own words cover
	// than the best of its siblings'. Rows of other items are not touched.
	SubItem float64

	// SingleWeight scales the weight of a one-character word: alone, a
	// character (烟, 打) says little of the matter.
	SingleWeight float64

	// Unknown is the weight, for deciding whether to answer, of a
	// question word of two or more characters that no list uses (户口,
	// 社保卡), as a share of the weight of a word only one row uses: it does
	// not change how rows rank, but a question mostly about something no
	// list has is not answered from the one word a row shares with it.
	Unknown float64
	// Absent is that weight for a word the dictionary marks as a matter
	// outside power lists (拖欠工资, 医保, 高空抛物) when no list holds it
	// either: not a word of little consequence but what the question is
	// about, whatever clause it is in.
	// AbsentCoverage is the share of a question with such a word that a
	// candidate must cover: a row sharing a side word with it (工人, 小区,
	// 集市) is no candidate, and such a question is not found. A row that
	// matches a word of its own, neither a setting nor who was involved, in
	// a clause without such a word (装修把承重墙砸了，业主还欠工钱) is exempt:
	// the question asks that too.
	Absent, AbsentCoverage float64

	// Answer is the score a row needs to be the answer, and AnswerCoverage
	// the share of the question's matter (counting Unknown words) it must
	// cover: a row matching one everyday word of a long question is not an
	// answer, however short its name.
	Answer, AnswerCoverage float64
	// Margin: a competing row of another power with another body that
	// scores within Margin of the answer makes the reply uncertain.
	Margin float64
	// Candidate is the score a row needs to be shown as a candidate of an
	// uncertain reply, and CandidateCoverage the share of the question's
	// matter it must cover (as AnswerCoverage); below them, a question is
	// not found.
	Candidate, CandidateCoverage float64
	// CandidateRowCoverage is the row coverage a candidate needs: a row of
	// which the question names one small part (户口迁移 for a row on
	// 擅自迁移、拆除不可移动文物) is not shown.
	CandidateRowCoverage float64
	// MaxCandidates caps the candidates of an uncertain reply.
	MaxCandidates int
	// TownMargin: the town's own row of the same power wins over the
	// county's when it scores at least this close, and passes the answer
	// threshold on its own. The same power in two lists scores about the
	// same; a clearly worse town row is another power.
	TownMargin float64
	// TownDoubt: a county answer is uncertain when the town's list has a
	// plausible row of the same power scoring within TownDoubt of it (the
	// town may hold the power; saying it does not would be a guess).
	TownDoubt float64
	// TownCan: asked whether the town may act, the town's own candidate
	// comes first when it scores within TownCan of the best.
	TownCan float64
	// Related is the score below which other rows are not shown as related.
	Related float64
	// Retrieve is how many rows the index returns for scoring.
	Retrieve int
	// TaughtSimilarity is how like a taught question (weighted Jaccard of
	// their normalised forms, see similarity) a question must be to be
	// answered as taught.
	TaughtSimilarity float64
	// TaughtUnknown is the weight, in that similarity, of a word no list
	// or dictionary uses, as a share of the weight of a word only one row
	// uses: people who ask the same thing differ most in such words (厂子,
	// 邻居, 昨天).
	TaughtUnknown float64
	// TaughtNear is the similarity from which a taught link, though not
	// like enough to answer from, adds its words to its item's rows: a
	// question sharing them finds the item, and the thresholds decide.
	TaughtNear float64
}

// DefaultParams returns the calibrated parameters.
func DefaultParams() Params {
	return Params{
		QuestionShare: 0.85,
		BestShare:     0.35,

		Exact:   1,
		Synonym: 0.85,
		Inside:  0.85,
		Basis:   0.35,
		Partial: 0.6,

		SingleInside: 0.5,

		CategoryMatch:  0.06,
		CategoryClash:  0.12,
		PenaltyDefault: 0.02,
		GrantDefault:   0.05,
		LacksApproval:  0.06,
		Rural:          0.05,
		SubItem:        0.25,

		SingleWeight:   0.5,
		Unknown:        0.45,
		Absent:         1,
		AbsentCoverage: 0.5,

		Answer:               0.65,
		AnswerCoverage:       0.6,
		Margin:               0,
		Candidate:            0.3,
		CandidateCoverage:    0,
		CandidateRowCoverage: 0.2,
		MaxCandidates:        3,
		TownMargin:           0.05,
		TownDoubt:            0.15,
		Related:              0.45,
		TownCan:              0.03,
		Retrieve:             80,
		TaughtSimilarity:     0.75,
		TaughtUnknown:        0.2,
		TaughtNear:           0.3,
	}
}
