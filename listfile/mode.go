package listfile

import (
	"slices"
	"strings"

	"github.com/towndesk/towndesk"
)

// Where a row's mode came from.
const (
	modeFromColumn  = iota // the list's mode column (承接方式, 行使方式 …)
	modeFromNote           // a 备注/说明 cell of a list without a mode column
	modeFromSection        // a section row above it: 二、县级赋权事项
	modeFromDefault        // Options.DefaultMode: nothing in the row names a mode
)

// Defaulted reports a file without a mode column (承接方式) where some rows
// took Options.DefaultMode because no note of theirs names a mode. Front
// ends tell the person importing, once per file, so that a wrong default
// does not pass unnoticed.
type Defaulted struct {
	File string        // the file's name, as in Pos
	Rows int           // rows that took Mode
	Mode towndesk.Mode // the default they took
	// FromNotes counts the rows of the file whose mode was read from a note
	// column instead; NoteColumn is that column's header as the file writes
	// it ("" when the file has no note column).
	FromNotes  int
	NoteColumn string
}

// levelWords are the level qualifiers a note may put before the mode
// (县级赋权事项, 区级下放事项).
var levelWords = []string{"县（市、区）级", "旗县级", "县区级", "县级", "区级", "旗级", "市级"}

// noteModes are the words a note starts with to state its row's mode.
var noteModes = []struct {
	prefix string
	mode   towndesk.Mode
}{
	{"赋权", towndesk.ModeDevolved},
	{"赋予", towndesk.ModeDevolved},
	{"下放", towndesk.ModeDelegated},
	{"委托", towndesk.ModeEntrusted},
	{"派驻", towndesk.ModeDispatched},
	{"协助", towndesk.ModeAssist},
	{"配合", towndesk.ModeAssist},
	{"法定", towndesk.ModeStatutory},
}

// noteMode reads the mode a note states about its own row, as lists without
// a mode column write it in 备注 or 说明: "县级赋权事项", "委托乡镇实施",
// "派驻执法", "下放乡镇实施", "配合县农业农村局查处", "县级保留事项". The mode
// must open the note, after at most a level word (县级, 区级 …): a note that
// names a mode further in speaks of other places or of the past — a county
// list's "已下放邦均镇实施" says which towns received the power, while the
// row itself stays with the county department. A label may open the note
// (注：委托乡镇实施, 备注：1.县级赋权事项), and a mode word that goes on into
// another word (法定时限, 委托书, 配合单位：) states no mode. ok is false when
// the note states no mode.
func noteMode(note string) (m towndesk.Mode, ok bool) {
	const numbering = "0123456789.．、 "
	s := strings.TrimLeft(strings.TrimSpace(note), numbering)
	for _, label := range []string{"备注：", "备注:", "说明：", "说明:", "注：", "注:"} {
		if rest, cut := strings.CutPrefix(s, label); cut {
			s = strings.TrimLeft(strings.TrimSpace(rest), numbering)
			break
		}
	}
	if s == "" {
		return "", false
	}
	if m, ok := towndesk.ParseMode(s); ok {
		return m, true
	}
	for _, w := range []string{"县级保留", "区级保留", "旗县级保留", "旗级保留", "市级保留", "保留"} {
		if strings.HasPrefix(s, w) {
			return towndesk.ModeRetained, true
		}
	}
	for _, w := range levelWords {
		if rest, cut := strings.CutPrefix(s, w); cut {
			s = rest
			break
		}
	}
	for _, nm := range noteModes {
		if rest, cut := strings.CutPrefix(s, nm.prefix); cut && !notModeWord(nm.prefix, rest) {
			return nm.mode, true
		}
	}
	return "", false
}

// notModeWords continue a mode word into another word: 法定时限 is a
// deadline, 委托书 a document, 配合单位： heads a list of who else takes part,
// none of them the row's own mode. 配合部门开展执法 and 派驻人员执法 do state
// one.
var notModeWords = map[string][]string{
	"法定": {"时限", "期限", "代表人", "节假日", "程序", "依据", "办结"},
	"委托": {"书", "代理", "人：", "人:", "人签字", "合同", "协议"},
	"配合": {"单位：", "单位:", "部门：", "部门:", "单位为", "部门为"},
	"协助": {"单位：", "单位:", "部门：", "部门:", "单位为", "部门为"},
}

// notModeWord reports whether what follows the mode word prefix makes it
// part of another word.
func notModeWord(prefix, rest string) bool {
	return slices.ContainsFunc(notModeWords[prefix], func(w string) bool { return strings.HasPrefix(rest, w) })
}
