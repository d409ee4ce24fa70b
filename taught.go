package towndesk

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Scope says for which places a taught link answers.
type Scope string

// The scopes of a taught link.
const (
	ScopeTown   Scope = "town"   // the town it was taught for
	ScopeCounty Scope = "county" // every place of the county
	ScopeAll    Scope = "all"    // every list
)

// ParseScope returns the scope s names (town, county, all, or 镇, 县, 全部);
// ok is false for anything else.
func ParseScope(s string) (Scope, bool) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "town", "镇", "乡镇", "本镇":
		return ScopeTown, true
	case "county", "县", "本县", "全县":
		return ScopeCounty, true
	case "all", "全部", "所有":
		return ScopeAll, true
	}
	return "", false
}

// Limits of a taught link.
const (
	MaxTaughtQuestion = MaxQuestion // characters of the question
	MaxTaughtNote     = 200         // characters of a "none" note
)

// TaughtLink is a correction a list maintainer taught: this wording of a
// question means this item of the lists (or no item at all). Links are
// append-only: a wrong one is retracted, never edited.
type TaughtLink struct {
	ID int64 `json:"id"`
	// Question is the question as asked (phone and ID numbers masked), and
	// Matter its normalised form: the matter's words, without the place
	// and the question frame.
	Question string   `json:"question"`
	Matter   []string `json:"matter"`
	// Scope and Place say where the link answers: the town (Place is the
	// town), its county (Place is the county), or everywhere (Place zero).
	Scope Scope `json:"scope"`
	Place Place `json:"place"`
	// Code and ItemName are the item; None means "no list has this", with
	// Note saying why (属公安派出所管辖，不在乡镇权力清单内).
	Code     string    `json:"code,omitempty"`
	ItemName string    `json:"item_name,omitempty"`
	None     bool      `json:"none,omitempty"`
	Note     string    `json:"note,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	// QuestionID is the logged chat question it was taught from; 0 if
	// taught on the command line or imported.
	QuestionID int64 `json:"-"`
	// Retracted is set once the link was withdrawn.
	Retracted *Retraction `json:"retracted,omitempty"`
}

// Retraction is who withdrew a taught link, when and why.
type Retraction struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

// Active reports whether the link answers questions (it is not retracted).
func (l *TaughtLink) Active() bool { return l.Retracted == nil }

// Covers reports whether the link answers a question about place p.
func (l *TaughtLink) Covers(p Place) bool {
	switch l.Scope {
	case ScopeAll:
		return true
	case ScopeCounty:
		return p.CountyCode != "" && p.CountyCode == l.Place.CountyCode
	case ScopeTown:
		return p.IsTown() && p.TownCode == l.Place.TownCode
	}
	return false
}

// Validate returns an EINVALID *Error naming the first field that is wrong.
func (l *TaughtLink) Validate() error {
	switch {
	case strings.TrimSpace(l.Question) == "":
		return Invalidf("question", "请给出要纠正的问法")
	case utf8.RuneCountInString(l.Question) > MaxTaughtQuestion:
		return Invalidf("question", "问法太长（最多 %d 个字）", MaxTaughtQuestion)
	case len(l.Matter) == 0:
		return Invalidf("question", "这个问法去掉地名和“归谁管”之类的话后没有剩下内容，无法记住")
	case strings.TrimSpace(l.By) == "":
		return Invalidf("by", "请用 --by 或 TOWNDESK_USER 说明是谁纠正的")
	}
	switch l.Scope {
	case ScopeTown:
		if !l.Place.IsTown() {
			return Invalidf("scope", "范围为本镇时需要指定乡镇")
		}
	case ScopeCounty:
		if l.Place.CountyCode == "" {
			return Invalidf("scope", "范围为本县时需要指定县")
		}
	case ScopeAll:
	default:
		return Invalidf("scope", "范围“%s”无法识别（应为 town、county 或 all）", l.Scope)
	}
	switch {
	case l.None && l.Code != "":
		return Invalidf("code", "“清单中没有”和事项编码不能同时给出")
	case l.None && strings.TrimSpace(l.Note) == "":
		return Invalidf("note", "请说明清单中为什么没有（例如：属公安派出所管辖，不在乡镇权力清单内）")
	case l.None && utf8.RuneCountInString(l.Note) > MaxTaughtNote:
		return Invalidf("note", "说明太长（最多 %d 个字）", MaxTaughtNote)
	case !l.None && strings.TrimSpace(l.Code) == "":
		return Invalidf("code", "请给出正确事项的编码，或说明清单中没有")
	}
	for _, f := range []struct {
		field, what, s string
		multi          bool
	}{{"question", "问法", l.Question, true}, {"note", "说明", l.Note, true}, {"by", "纠正人", l.By, false}, {"code", "事项编码", l.Code, false}} {
		if err := CheckControls(f.field, f.what, f.s, f.multi); err != nil {
			return err
		}
	}
	return nil
}

// TaughtRef names the taught link an answer comes from. Similar is set
// when the question was only like the taught one, and the engine's own
// reading agreed with it.
type TaughtRef struct {
	ID      int64     `json:"id"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	Similar bool      `json:"similar,omitempty"`
}
