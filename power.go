package towndesk

import (
	"strings"
	"time"
)

// Mode says how a power reaches the body that exercises it (承接方式).
type Mode string

// The modes of a power-list row. 赋权 and 下放 are the same thing under two
// names; lists use both and towndesk keeps the word the list used.
const (
	ModeStatutory  Mode = "法定"   // the law names the township government
	ModeDevolved   Mode = "赋权"   // the province devolved a county power to the town
	ModeDelegated  Mode = "下放"   // same as ModeDevolved
	ModeEntrusted  Mode = "委托"   // the town acts in the county department's name
	ModeDispatched Mode = "派驻"   // a county department's squad acts in the town
	ModeAssist     Mode = "协助"   // the county department acts; the town reports and assists
	ModeRetained   Mode = "县级保留" // the county department acts
)

// Modes lists every valid mode in a stable order.
var Modes = []Mode{ModeStatutory, ModeDevolved, ModeDelegated, ModeEntrusted, ModeDispatched, ModeAssist, ModeRetained}

// ParseMode returns the mode named by s. It accepts the canonical names, the
// English names and the longer wordings lists use (委托执法, 县级保留事项 …).
// ok is false when s names no mode.
func ParseMode(s string) (m Mode, ok bool) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "法定", "法定职权", "法定事项", "statutory":
		return ModeStatutory, true
	case "赋权", "赋权事项", "devolved":
		return ModeDevolved, true
	case "下放", "下放事项", "delegated":
		return ModeDelegated, true
	case "委托", "委托执法", "委托实施", "entrusted":
		return ModeEntrusted, true
	case "派驻", "派驻执法", "dispatched":
		return ModeDispatched, true
	case "协助", "协助执法", "配合", "assist":
		return ModeAssist, true
	case "县级保留", "县级保留事项", "区级保留", "保留", "retained":
		return ModeRetained, true
	}
	return "", false
}

// TownActs reports whether under mode m the town itself (or its team)
// carries out the power, in its own name or another's.
func (m Mode) TownActs() bool {
	switch m {
	case ModeStatutory, ModeDevolved, ModeDelegated, ModeEntrusted:
		return true
	}
	return false
}

// squadSuffixes end the name of an enforcement squad stationed in a town.
var squadSuffixes = []string{"执法中队", "执法大队", "执法分队", "中队", "大队", "分队"}

// InNameOf returns the body in whose name the row's power is exercised. A
// dispatched squad acts in the name of the county department that
// dispatched it: for a body that names the squad (滕州市综合行政执法局官桥中队)
// that is the department (滕州市综合行政执法局), the longest part of the
// body that ends in 局, 委员会 or 委 before the squad's own name. Any other
// body acts in its own name.
func (it PowerItem) InNameOf() string {
	body := it.Body
	for _, suf := range squadSuffixes {
		if !strings.HasSuffix(body, suf) {
			continue
		}
		head := strings.TrimSuffix(body, suf)
		cut := -1
		for _, dept := range []string{"委员会", "局", "委"} {
			if i := strings.LastIndex(head, dept); i >= 0 && i+len(dept) > cut {
				cut = i + len(dept)
			}
		}
		if cut > 0 && cut < len(head) {
			return head[:cut]
		}
		return body
	}
	return body
}

// PowerItem is one row of a power list (权力清单).
type PowerItem struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	SubItem  string `json:"subitem,omitempty"`
	Category string `json:"category,omitempty"` // 行政处罚, 行政许可 …
	Basis    string `json:"basis,omitempty"`
	Body     string `json:"body"`
	Office   string `json:"office,omitempty"`
	Mode     Mode   `json:"mode"`
	Level    string `json:"level,omitempty"`
	Domain   string `json:"domain,omitempty"`
	Note     string `json:"note,omitempty"`
}

// List is one power list: the list of a county or of a town, in its current
// (or a given) edition.
type List struct {
	ID         int64     `json:"id"`
	Place      Place     `json:"place"`
	Edition    string    `json:"edition"`
	EditionID  int64     `json:"edition_id"`
	Rows       int       `json:"rows"`
	ImportedAt time.Time `json:"imported_at"`
	Files      []string  `json:"files,omitempty"`
}
