package towndesk

// AskStatus is the outcome of a question.
type AskStatus string

// The outcomes of a question. towndesk never guesses: a place it cannot
// pin down gets a question back, a matter it is unsure of gets candidates
// marked as such, a matter it cannot find an honest "not found".
const (
	StatusAnswered       AskStatus = "answered"
	StatusUncertain      AskStatus = "uncertain"
	StatusAmbiguousPlace AskStatus = "ambiguous_place"
	StatusNeedPlace      AskStatus = "need_place"
	StatusNotFound       AskStatus = "not_found"
)

// Intent is the kind of reply a question asks for.
type Intent string

// The intents of a question.
const (
	// IntentWho: who enforces or manages the matter (the default).
	IntentWho Intent = ""
	// IntentApply: where and to whom to apply for a licence, a
	// certificate or an approval ("要办什么证，去哪办"): the reply says
	// "向…申请", and licence and confirmation rows are preferred.
	IntentApply Intent = "apply"
	// IntentCan: whether the town may act ("镇上能罚吗"): the reply starts
	// with 能 or 不能.
	IntentCan Intent = "can"
)

// Role says why a matched row is in an answer.
type Role string

const (
	// RoleTown: the town's own list holds the power.
	RoleTown Role = "town"
	// RoleCounty: the county holds the power (the town's list does not, or
	// the question was about the county).
	RoleCounty Role = "county"
	// RoleAssist: the town's list has an assist row: what the town can do
	// while the county department enforces.
	RoleAssist Role = "assist"
	// RoleRelated: another row that also matched, for the asker to check.
	RoleRelated Role = "related"
	// RoleCandidate: a row of an uncertain reply: plausible, never
	// phrased as the answer.
	RoleCandidate Role = "candidate"
	// RoleTaught: the answer comes from a link a list maintainer taught.
	RoleTaught Role = "taught"
)

// Match is one power-list row in an answer, with the list it comes from.
type Match struct {
	Item  PowerItem `json:"item"`
	List  List      `json:"list"`
	Score float64   `json:"score"` // 0..1, how well the row matches the question
	Role  Role      `json:"role"`
	// Taught names the taught link the row comes from (RoleTaught only).
	Taught *TaughtRef `json:"taught,omitempty"`
}

// AskResult is the structured answer to a question. Matches are best first
// and empty unless Status is StatusAnswered (the answer, then assist and
// related rows) or StatusUncertain (up to 3 candidates).
type AskResult struct {
	Question string    `json:"question"`
	Status   AskStatus `json:"status"`
	// Place is the place the question was answered for; nil if unknown.
	Place *Place `json:"place"`
	// Places are the candidates when Status is StatusAmbiguousPlace.
	Places []Place `json:"places"`
	// Alternatives are the same-named places the asker's default place
	// ruled out: the question named a town several covered counties have,
	// and the default county chose Place among them. Empty otherwise.
	Alternatives []Place `json:"alternatives,omitempty"`
	Matches      []Match `json:"matches"`
	// TownLacksPower is true when the question was about a town but the
	// answer comes from its county's list.
	TownLacksPower bool `json:"town_lacks_power,omitempty"`
	// Searched lists the lists that were searched (for "not found" replies).
	Searched []List `json:"searched,omitempty"`
	// Terms are the search terms the question was understood as.
	Terms []string `json:"terms,omitempty"`
	// Outside are the question's words for matters outside power lists
	// (拖欠工资, 医保) that no searched list holds: a not-found reply names
	// them.
	Outside []string `json:"outside,omitempty"`
	// Category is the kind of power the question hinted at (行政处罚 …), if any.
	Category string `json:"category,omitempty"`
	// Intent is the kind of reply the question asks for.
	Intent Intent `json:"intent,omitempty"`
	// Taught is the taught link a "none" answer comes from (status
	// not_found), and TaughtNote its teacher's note; nil for others.
	Taught     *TaughtRef `json:"taught,omitempty"`
	TaughtNote string     `json:"taught_note,omitempty"`
	// Picked is true when the answer is a row a language model picked
	// among the candidates (never shown in JSON: the reply's llm says it).
	Picked bool `json:"-"`
	// Matter is the question's normalised form: its matter as words,
	// without the place, the question frame and fillers. Wordings that
	// differ only in those have the same Matter.
	Matter []string `json:"matter,omitempty"`
}

// Reading is a language model's reading of a question: search terms in the
// official wording of power lists, a category hint and a place as written.
// It only adds to the rule-based reading; answers still come from the lists.
type Reading struct {
	// Terms are search terms in the official wording of power lists
	// (露天焚烧秸秆 for 烧秸秆), at most 4.
	Terms []string `json:"terms"`
	// Category is a kind of power (行政处罚 …), or "" when the question
	// gives no hint.
	Category string `json:"category"`
	// Place is a town or county named in the question, as written; "" if none.
	Place string `json:"place"`
}
