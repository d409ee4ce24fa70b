package qa

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/towndesk/towndesk"
)

// AskReply is the reply to a question: the structured result, which always
// comes from the index, and the text shown to people.
type AskReply struct {
	Result *towndesk.AskResult
	Text   string
	// LLM is true when a language model was used for this answer (its
	// reading of the question, its choice among close rows, or its text).
	LLM bool
}

type jsonPlace struct {
	Province string  `json:"province"`
	County   string  `json:"county"`
	Town     *string `json:"town"`
}

type jsonList struct {
	County  string  `json:"county"`
	Town    *string `json:"town"`
	Edition string  `json:"edition"`
}

type jsonTaught struct {
	ID      int64  `json:"id"`
	By      string `json:"by"`
	At      string `json:"at"`
	Similar bool   `json:"similar,omitempty"`
}

func taughtJSON(ref *towndesk.TaughtRef) *jsonTaught {
	if ref == nil {
		return nil
	}
	return &jsonTaught{ID: ref.ID, By: ref.By, At: ref.At.UTC().Format(time.RFC3339), Similar: ref.Similar}
}

type jsonAnswer struct {
	Code     string      `json:"code"`
	Name     string      `json:"name"`
	SubItem  string      `json:"subitem,omitempty"`
	Category string      `json:"category"`
	Body     string      `json:"body"`
	InNameOf string      `json:"in_name_of"`
	Mode     string      `json:"mode"`
	Office   string      `json:"office"`
	Basis    string      `json:"basis"`
	Domain   string      `json:"domain"`
	List     jsonList    `json:"list"`
	Score    float64     `json:"score"`
	Role     string      `json:"role"`
	Taught   *jsonTaught `json:"taught,omitempty"`
}

func placeJSON(p towndesk.Place) jsonPlace {
	jp := jsonPlace{Province: p.Province, County: p.County}
	if p.Town != "" {
		t := p.Town
		jp.Town = &t
	}
	return jp
}

// MarshalJSON renders the reply in the documented `ask --json` schema:
// question, status, place (null when unknown), places, answers (best
// first), text, llm, plus the terms searched and the lists searched.
func (r *AskReply) MarshalJSON() ([]byte, error) {
	res := r.Result
	out := struct {
		Question       string       `json:"question"`
		Status         string       `json:"status"`
		Place          *jsonPlace   `json:"place"`
		Places         []jsonPlace  `json:"places"`
		Answers        []jsonAnswer `json:"answers"`
		Text           string       `json:"text"`
		LLM            bool         `json:"llm"`
		TownLacksPower bool         `json:"town_lacks_power,omitempty"`
		Terms          []string     `json:"terms"`
		Outside        []string     `json:"outside,omitempty"`
		Category       string       `json:"category,omitempty"`
		Intent         string       `json:"intent,omitempty"`
		Searched       []jsonList   `json:"searched"`
		Taught         *jsonTaught  `json:"taught,omitempty"`
		TaughtNote     string       `json:"taught_note,omitempty"`
	}{Question: res.Question, Status: string(res.Status), Places: []jsonPlace{}, Answers: []jsonAnswer{},
		Text: r.Text, LLM: r.LLM, TownLacksPower: res.TownLacksPower, Terms: append([]string{}, res.Terms...), Outside: res.Outside,
		Category: res.Category, Intent: string(res.Intent), Searched: []jsonList{},
		Taught: taughtJSON(res.Taught), TaughtNote: res.TaughtNote}
	if res.Place != nil {
		p := placeJSON(*res.Place)
		out.Place = &p
	}
	for _, p := range res.Places {
		out.Places = append(out.Places, placeJSON(p))
	}
	for _, m := range res.Matches {
		it := m.Item
		out.Answers = append(out.Answers, jsonAnswer{Code: it.Code, Name: it.Name, SubItem: it.SubItem, Category: it.Category,
			Body: it.Body, InNameOf: it.InNameOf(), Mode: string(it.Mode), Office: it.Office, Basis: it.Basis, Domain: it.Domain,
			List: listJSON(m.List), Score: float64(int(m.Score*1000+0.5)) / 1000, Role: string(m.Role),
			Taught: taughtJSON(m.Taught)})
	}
	for _, l := range res.Searched {
		out.Searched = append(out.Searched, listJSON(l))
	}
	return json.Marshal(out)
}

func listJSON(l towndesk.List) jsonList {
	jl := jsonList{County: l.Place.County, Edition: l.Edition}
	if l.Place.Town != "" {
		t := l.Place.Town
		jl.Town = &t
	}
	return jl
}

// ListName names a list and its edition: 滕州市滨湖镇清单（2024版）.
func ListName(l towndesk.List) string {
	return fmt.Sprintf("%s清单（%s）", l.Place.Short(), l.Edition)
}

// WhoActs says in one Chinese sentence who exercises a row's power and in
// whose name, according to its mode. place is the place asked about.
func WhoActs(m towndesk.Match, place towndesk.Place) string {
	it := m.Item
	town := place.Town
	if town == "" {
		town = m.List.Place.Town
	}
	switch it.Mode {
	case towndesk.ModeStatutory:
		if m.List.Place.IsTown() {
			return fmt.Sprintf("由%s依法以自己的名义实施（法定职权）。", it.Body)
		}
		return fmt.Sprintf("由%s依法实施。", it.Body)
	case towndesk.ModeDevolved, towndesk.ModeDelegated:
		return fmt.Sprintf("由%s以自己的名义实施（县级事项%s给乡镇）。", it.Body, it.Mode)
	case towndesk.ModeEntrusted:
		return fmt.Sprintf("由%s受%s委托实施，以%s的名义执法，法律责任由%s承担。", orDefault(town, "乡镇"), it.Body, it.Body, it.Body)
	case towndesk.ModeDispatched:
		// A dispatched squad acts in the name of the department that
		// dispatched it, also when the list names the squad as the body.
		dept := it.InNameOf()
		if dept != it.Body {
			return fmt.Sprintf("由%s派驻%s的执法队伍（%s）以%s的名义实施，镇里负责协调配合。", dept, orDefault(town, "乡镇"), it.Body, dept)
		}
		return fmt.Sprintf("由%s派驻%s的执法队伍以%s的名义实施，镇里负责协调配合。", dept, orDefault(town, "乡镇"), dept)
	case towndesk.ModeAssist:
		return fmt.Sprintf("由%s执法，%s负责协助（发现线索及时报告、配合调查处置）。", it.Body, orDefault(town, "乡镇"))
	case towndesk.ModeRetained:
		return fmt.Sprintf("由%s实施（县级保留事项）。", it.Body)
	}
	return fmt.Sprintf("由%s实施。", it.Body)
}

// WhereToApply says in one Chinese sentence to whom to apply for a row's
// licence, confirmation or grant: the body that decides it, and, when a
// town receives the applications for it, the town.
func WhereToApply(m towndesk.Match, place towndesk.Place) string {
	it := m.Item
	if m.List.Place.IsTown() && it.Mode.TownActs() {
		return fmt.Sprintf("向%s申请（%s）。", it.Body, orDefault(it.Office, "可到便民服务中心咨询办理"))
	}
	if place.IsTown() {
		return fmt.Sprintf("向%s申请；%s便民服务中心可以代办或指引。", it.InNameOf(), place.Town)
	}
	return fmt.Sprintf("向%s申请。", it.InNameOf())
}

// grant reports whether a row grants something people apply for: a
// licence, a confirmation, a payment or an award, or it receives
// applications.
func grant(it towndesk.PowerItem) bool {
	switch it.Category {
	case "行政许可", "行政确认", "行政给付", "行政奖励":
		return true
	}
	return strings.Contains(it.Name, "受理") || strings.Contains(it.Name, "申请")
}

// TownMay says whether the town itself may act on the answer's power, for
// a question that asks so ("镇上能罚吗"): 能 when the town (or its team)
// acts, in its own name or on entrustment; 不能 when the county's
// department acts (retained, assisted, or a dispatched squad). ok is false
// when the answer is not about a town.
func TownMay(res *towndesk.AskResult) (may, ok bool) {
	if res.Status != towndesk.StatusAnswered || res.Place == nil || !res.Place.IsTown() || len(res.Matches) == 0 {
		return false, false
	}
	first := res.Matches[0]
	return !res.TownLacksPower && first.List.Place.IsTown() && first.Item.Mode.TownActs(), true
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// AnswerText renders a result as the short Chinese reply shown to people.
// It is the template answer; a language model may only rephrase it from
// the same rows.
func AnswerText(res *towndesk.AskResult) string {
	var b strings.Builder
	switch res.Status {
	case towndesk.StatusNeedPlace:
		b.WriteString("请问是哪个乡镇（街道）？请在问题里写上地名，例如“滨湖镇有人乱搭乱建归谁管？”。")
	case towndesk.StatusAmbiguousPlace:
		var names []string
		for _, p := range res.Places {
			names = append(names, p.Province+p.Short())
		}
		fmt.Fprintf(&b, "有%d个地方符合：%s。请说明是哪一个，例如在问题里写“%s”。", len(res.Places), strings.Join(names, "、"), res.Places[0].Short())
	case towndesk.StatusNotFound:
		b.WriteString(notFoundText(res))
	case towndesk.StatusUncertain:
		uncertainText(&b, res)
	case towndesk.StatusAnswered:
		answeredText(&b, res)
	}
	return towndesk.MaskText(b.String())
}

// TaughtBy says who confirmed a taught answer and when, in brackets.
func TaughtBy(ref *towndesk.TaughtRef) string {
	what := "此问法"
	if ref.Similar {
		what = "类似问法"
	}
	return fmt.Sprintf("（%s由%s于%s确认）", what, ref.By, ref.At.In(towndesk.ChinaTime).Format("2006-01-02"))
}

func notFoundText(res *towndesk.AskResult) string {
	where := ""
	if res.Place != nil {
		where = res.Place.Short()
	}
	if res.Taught != nil {
		return fmt.Sprintf("%s的权力清单中没有这个事项：%s%s", where, res.TaughtNote, TaughtBy(res.Taught))
	}
	if res.Place == nil {
		// Nothing was asked that a list could hold, nor a place named.
		return "没有看出要问的事项。请写出具体的事和地方，例如“滨湖镇有人乱搭乱建归谁管？”。"
	}
	if len(res.Searched) == 0 {
		return fmt.Sprintf("%s还没有导入权力清单，无法回答。请联系清单管理员导入。", where)
	}
	var lists []string
	for _, l := range res.Searched {
		lists = append(lists, ListName(l))
	}
	if len(res.Outside) > 0 {
		return fmt.Sprintf("没有找到：%s中没有“%s”这类事项，它不在这些权力清单所列的行政职权之内。请向主管部门咨询，或联系清单管理员。",
			strings.Join(lists, "、"), strings.Join(res.Outside, "、"))
	}
	terms := "这个问题"
	if len(res.Terms) > 0 {
		terms = "“" + strings.Join(res.Terms, "、") + "”"
	}
	return fmt.Sprintf("没有找到：在%s中没有与%s相符的事项。请换个说法（例如写出具体行为），或联系清单管理员。", strings.Join(lists, "、"), terms)
}

// uncertainText lists the candidates of an uncertain reply. None of them
// is phrased as the answer: each says what it is and who acts on it.
func uncertainText(b *strings.Builder, res *towndesk.AskResult) {
	b.WriteString("不确定，可能是以下事项之一：")
	for i, m := range res.Matches {
		it := m.Item
		name := it.Name
		if it.SubItem != "" {
			name += "（" + it.SubItem + "）"
		}
		fmt.Fprintf(b, "\n%d. 【%s】%s——%s（%s，%s）", i+1, it.Category, name, it.InNameOf(), ListName(m.List), towndesk.ItemCode(it.Code))
	}
	b.WriteString("\n请核对后选择，或换个说法（写出具体行为）再问。")
}

func answeredText(b *strings.Builder, res *towndesk.AskResult) {
	place := *res.Place
	first := res.Matches[0]
	it := first.Item
	apply := (res.Intent == towndesk.IntentApply || res.Category == "行政许可" || res.Category == "行政确认") && grant(it)
	if may, ok := TownMay(res); ok && res.Intent == towndesk.IntentCan {
		own := townRow(res)
		switch {
		case may:
			fmt.Fprintf(b, "能。%s可以实施该事项。\n", place.Town)
		case licence(it) && own != nil:
			fmt.Fprintf(b, "不能。该证由县级部门核发；%s的清单有相关事项：%s。\n", place.Town, own.Item.Name)
		case licence(it):
			fmt.Fprintf(b, "不能。%s的清单没有这项权力，不由%s办理。\n", place.Town, place.Town)
		default:
			fmt.Fprintf(b, "不能。%s不是该事项的执法主体。\n", place.Town)
		}
	}
	switch {
	case res.TownLacksPower && apply && res.Intent != towndesk.IntentCan:
		fmt.Fprintf(b, "%s的清单没有这项权力，不由%s办理。\n", place.Town, place.Town)
	case res.TownLacksPower && res.Intent != towndesk.IntentCan:
		fmt.Fprintf(b, "%s不是该事项的执法主体，%s的清单没有这项权力；由县级部门负责。\n", place.Town, place.Town)
	case place.IsTown() && !first.List.Place.IsTown() && !searchedTown(res):
		fmt.Fprintf(b, "%s没有导入本镇清单，以下是%s清单中的事项（乡镇是否承接请以本镇清单为准）。\n", place.Town, place.County)
	}
	writeRow(b, first, place, apply)
	if first.Taught != nil {
		b.WriteString(TaughtBy(first.Taught))
	}
	for _, m := range res.Matches[1:] {
		if m.Role == towndesk.RoleAssist {
			fmt.Fprintf(b, "\n%s可以做的：%s（%s）。发现后及时报告县级主管部门并协助处置。", place.Town, m.Item.Name, ListName(m.List))
		}
	}
	if res.TownLacksPower && !apply && !hasRole(res.Matches, towndesk.RoleAssist) {
		fmt.Fprintf(b, "\n%s可以做的：发现后告知%s（告知→回执→回复），并做好记录。", place.Town, it.InNameOf())
	}
	var related []string
	for _, m := range res.Matches[1:] {
		if m.Role == towndesk.RoleRelated {
			related = append(related, fmt.Sprintf("%s（%s，%s）", m.Item.Name, m.Item.InNameOf(), towndesk.ItemCode(m.Item.Code)))
		}
	}
	if len(related) > 0 {
		fmt.Fprintf(b, "\n相关事项：%s", strings.Join(related, "；"))
	}
}

// licence reports whether a row grants a licence or confirms a right.
func licence(it towndesk.PowerItem) bool {
	return it.Category == "行政许可" || it.Category == "行政确认"
}

// townRow returns the first row of the town's own list among the matches,
// or nil.
func townRow(res *towndesk.AskResult) *towndesk.Match {
	for i := range res.Matches {
		if res.Matches[i].List.Place.IsTown() {
			return &res.Matches[i]
		}
	}
	return nil
}

// searchedTown reports whether the lists searched include a town's own.
func searchedTown(res *towndesk.AskResult) bool {
	for _, l := range res.Searched {
		if l.Place.IsTown() {
			return true
		}
	}
	return false
}

// writeRow writes row m as an answer shows it, for place: its kind and
// name, who acts and in whose name (where to apply, if apply), the
// handling unit, the basis and the list it is from.
func writeRow(b *strings.Builder, m towndesk.Match, place towndesk.Place, apply bool) {
	it := m.Item
	fmt.Fprintf(b, "【%s】%s", it.Category, it.Name)
	if it.SubItem != "" {
		fmt.Fprintf(b, "（%s）", it.SubItem)
	}
	b.WriteString("\n")
	if apply {
		b.WriteString(WhereToApply(m, place))
	} else {
		b.WriteString(WhoActs(m, place))
	}
	b.WriteString("\n")
	if it.Office != "" {
		fmt.Fprintf(b, "承办机构：%s\n", it.Office)
	}
	if it.Basis != "" {
		fmt.Fprintf(b, "依据：%s\n", it.Basis)
	}
	fmt.Fprintf(b, "出处：%s，%s", ListName(m.List), towndesk.ItemCode(it.Code))
}

func hasRole(ms []towndesk.Match, r towndesk.Role) bool {
	for _, m := range ms {
		if m.Role == r {
			return true
		}
	}
	return false
}
