package listfile

import (
	"strings"
	"unicode"
)

// field is a canonical power-list column.
type field int

const (
	fieldNone field = iota
	fieldCode
	fieldName
	fieldSubItem
	fieldCategory
	fieldBasis
	fieldBody
	fieldOffice
	fieldMode
	fieldLevel
	fieldDomain
	fieldNote
	fieldSeq // 序号: recognised and ignored
	numFields
)

// fieldInfo describes a canonical column: its JSONL key, the Chinese name
// used in messages, and the header words real lists use for it.
var fieldInfo = [numFields]struct {
	key     string
	label   string
	headers []string
}{
	fieldCode:     {"code", "事项编码", []string{"事项编码", "职权编码", "权力编码", "权力事项编码", "权责事项编码", "编码", "事项代码", "职权代码", "权力代码", "基本编码", "事项编号", "职权编号", "权力编号", "权责编码", "实施编码", "目录编码"}},
	fieldName:     {"name", "事项名称", []string{"事项名称", "职权名称", "权力名称", "权力事项名称", "权责事项名称", "执法事项名称", "职权事项名称", "行政权力名称", "主项名称", "主项", "权责事项", "权力事项", "职权事项", "执法事项", "行政职权名称", "行政职权"}},
	fieldSubItem:  {"subitem", "子项名称", []string{"子项名称", "子项", "子项事项名称"}},
	fieldCategory: {"category", "事项类型", []string{"事项类型", "事项类别", "职权类型", "职权类别", "权力类别", "权力类型", "权责类别", "权责类型", "类型", "类别"}},
	fieldBasis:    {"basis", "实施依据", []string{"实施依据", "设定依据", "法定依据", "执法依据", "事项依据", "法律依据", "依据", "设定和实施依据", "设定依据及实施依据", "职权依据", "权力依据", "处罚依据", "法律法规依据"}},
	fieldBody:     {"body", "实施主体", []string{"实施主体", "实施机构", "执法主体", "行使主体", "事项主体", "实施机关", "责任主体", "实施部门", "实施单位", "执法机构", "执法单位", "行政主体", "执法机关", "执法部门"}},
	fieldOffice:   {"office", "承办机构", []string{"承办机构", "承办科室", "责任科室", "内设机构", "承办单位", "责任股室", "承办股室", "承办部门", "承办科"}},
	fieldMode:     {"mode", "承接方式", []string{"承接方式", "赋权方式", "下放方式", "行使方式", "实施方式", "承接形式", "赋权形式", "下放形式", "承接类型", "赋权类型"}},
	fieldLevel:    {"level", "管理权限", []string{"管理权限", "实施层级", "行使层级", "层级", "权限层级", "实施权限"}},
	fieldDomain:   {"domain", "所属领域", []string{"所属领域", "执法领域", "领域", "所属章节", "执法类别", "条线", "所属条线", "执法条线", "行业领域", "执法门类", "行业类别", "所属行业"}},
	fieldNote:     {"note", "备注", []string{"备注", "说明"}},
	fieldSeq:      {"seq", "序号", []string{"序号", "序"}},
}

// headerSuffixes name a field by how a header ends, for the many headers
// that qualify a usual word in front (权力事项类型, 行政主体):
// tried after an exact match and before a known word the header starts
// with, which would otherwise read 权力事项类型 as a name.
var headerSuffixes = []struct {
	suffix string
	f      field
}{
	{"编码", fieldCode}, {"代码", fieldCode},
	{"类型", fieldCategory}, {"类别", fieldCategory},
}

// basisParts are the words a basis header is made of in front of 依据
// (法律法规依据, 地方性法规依据, 行政处罚依据, 设定和实施依据): a header
// ending in 依据 is read as the basis only when made of them, so that a
// 收费依据 (不收费) or 是否收费及依据 (否) is not joined into the legal
// basis but listed as an unrecognised column.
var basisParts = []string{"地方性法规", "法律", "法规", "规章", "法定", "设定", "实施", "执法", "政策", "行政", "职权", "权力", "事项",
	"处罚", "许可", "检查", "强制", "征收", "征用", "确认", "给付", "奖励", "裁决", "和", "及", "与", "、"}

// basisHeader reports whether the normalised header h names the legal
// basis by its ending: 依据 after words of basisParts only.
func basisHeader(h string) bool {
	s, ok := strings.CutSuffix(h, "依据")
	if !ok || s == "" {
		return false
	}
	for s != "" {
		n := len(s)
		for _, w := range basisParts {
			if t, cut := strings.CutPrefix(s, w); cut {
				s = t
				break
			}
		}
		if len(s) == n {
			return false
		}
	}
	return true
}

// otherDuties start headers of columns about the duties around a power
// (追责依据, 监督方式, 责任事项), not the power itself: a 追责依据 is not
// the power's basis, whatever its ending says. Nor is a 办件类型 (how
// an application is handled) its category, a 主体类别 (what kind of
// body) its category, a 赋权依据 or 裁量基准依据 (the devolving document,
// the fine scale) its basis, or a 调整类型/变更方式 (a change log) any of
// them.
var otherDuties = []string{"追责", "问责", "监督", "责任事项", "廉政", "办件", "调整", "主体", "赋权", "裁量", "变更"}

// ambiguousBody are headers that may name the body or a department around
// it (the one responsible, the supervising one): a list whose only such
// column is one of them is refused rather than read either way.
var ambiguousBody = []string{"责任单位", "主管部门", "责任部门", "主管单位"}

// normHeader folds a header cell to compare it with the known words: it
// drops white space (including line breaks inside cells), asterisks marking
// required columns and bracketed explanations, and folds full-width forms.
func normHeader(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '（', '[', '【':
			depth++
			continue
		case ')', '）', ']', '】':
			if depth > 0 {
				depth--
			}
			continue
		case '*', '＊', ':', '：':
			continue
		}
		if depth > 0 || unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// matchHeader returns the field a header cell names: an exact match of a
// known word first, then a known ending (headerSuffixes), then the longest
// known word the header starts with ("实施依据及条款" is basis). It returns fieldNone for anything else.
func matchHeader(cell string) field {
	f, _ := headerField(cell)
	return f
}

// headerField is matchHeader, also saying whether the header is a known
// word exactly (not by its ending or start).
func headerField(cell string) (f field, exact bool) {
	h := normHeader(cell)
	if h == "" {
		return fieldNone, false
	}
	for f := fieldCode; f < numFields; f++ {
		for _, w := range fieldInfo[f].headers {
			if h == w {
				return f, true
			}
		}
	}
	for _, w := range otherDuties {
		if strings.HasPrefix(h, w) {
			return fieldNone, false
		}
	}
	if basisHeader(h) {
		return fieldBasis, false
	}
	for _, hs := range headerSuffixes {
		if len([]rune(h)) > len([]rune(hs.suffix)) && strings.HasSuffix(h, hs.suffix) {
			return hs.f, false
		}
	}
	best, bestLen := fieldNone, 0
	for f := fieldCode; f < numFields; f++ {
		for _, w := range fieldInfo[f].headers {
			if len([]rune(w)) >= 2 && strings.HasPrefix(h, w) && len(w) > bestLen {
				best, bestLen = f, len(w)
			}
		}
	}
	return best, false
}

// headerMap maps canonical fields to column indexes of one header row.
type headerMap struct {
	col     [numFields]int    // -1 when absent
	names   [numFields]string // the header as the file writes it, for messages
	unknown []string          // header cells that name no field
	// more are the further columns naming a field already mapped: a basis
	// split over several columns (设定依据 and 实施依据; 法律, 法规, 规章
	// under one 实施依据) is read from all of them; for any other field
	// only the first is read, and the import says so.
	more [numFields][]int
	// moreNames are the headers of more, as the file writes them.
	moreNames [numFields][]string
	// notes are every note column (备注, 说明 …) in order: a list may have
	// more than one, and any of them may state the mode.
	notes []int
}

// label returns the name of field f for messages: the file's own header
// (行使方式), else the canonical one (承接方式).
func (h *headerMap) label(f field) string {
	if h.names[f] != "" {
		return h.names[f]
	}
	return fieldInfo[f].label
}

// noteLabel returns the header of the first note column, or "".
func (h *headerMap) noteLabel() string {
	if len(h.notes) == 0 {
		return ""
	}
	return h.names[fieldNote]
}

// fields counts the distinct fields the header names, 序号 included.
func (h *headerMap) fields() int {
	n := 0
	for f := fieldCode; f < numFields; f++ {
		if h.col[f] >= 0 {
			n++
		}
	}
	return n
}

// parseHeader interprets row as a header row. ok is false unless the row
// names the item (事项名称 …) and either its body (实施主体 …) or two more
// fields: a town's list may leave the body to its title.
func parseHeader(row []string) (h headerMap, ok bool) {
	for i := range h.col {
		h.col[i] = -1
	}
	// A header matched by its ending or start (权力事项类型) is read only
	// when no header names the field exactly: beside 事项类型, a 审批事项类型
	// is some other classification. The basis is the exception: lists
	// split it over columns (法律依据, 地方性法规依据), all of them read.
	fields := make([]field, len(row))
	var exact [numFields]bool
	for i, cell := range row {
		var ex bool
		fields[i], ex = headerField(cell)
		exact[fields[i]] = exact[fields[i]] || ex
	}
	for i, cell := range row {
		f := fields[i]
		if _, ex := headerField(cell); !ex && exact[f] && f != fieldBasis {
			f = fieldNone
		}
		if f == fieldNone {
			if c := strings.TrimSpace(cell); c != "" {
				h.unknown = append(h.unknown, c)
			}
			continue
		}
		if f == fieldNote {
			h.notes = append(h.notes, i)
		}
		if h.col[f] == -1 {
			h.col[f] = i
			h.names[f] = normHeader(cell)
		} else if f != fieldNote && f != fieldSeq {
			h.more[f] = append(h.more[f], i)
			h.moreNames[f] = append(h.moreNames[f], normHeader(cell))
		}
	}
	return h, h.col[fieldName] >= 0 && (h.col[fieldBody] >= 0 || h.fields() >= 3)
}

// expectedHeaders lists the header words for the required columns, for
// "no header found" messages.
func expectedHeaders() string {
	return "事项名称（或 " + strings.Join(fieldInfo[fieldName].headers[1:5], "、") + "）和 实施主体（或 " +
		strings.Join(fieldInfo[fieldBody].headers[1:5], "、") + "）"
}
