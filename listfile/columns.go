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
	fieldCode:     {"code", "事项编码", []string{"事项编码", "职权编码", "权力编码", "权力事项编码", "权责事项编码", "编码", "事项代码", "职权代码", "权力代码", "基本编码"}},
	fieldName:     {"name", "事项名称", []string{"事项名称", "职权名称", "权力名称", "权力事项名称", "权责事项名称", "执法事项名称", "职权事项名称", "行政权力名称", "主项名称", "主项"}},
	fieldSubItem:  {"subitem", "子项名称", []string{"子项名称", "子项", "子项事项名称"}},
	fieldCategory: {"category", "事项类型", []string{"事项类型", "事项类别", "职权类型", "职权类别", "权力类别", "权力类型", "权责类别", "权责类型", "类型", "类别"}},
	fieldBasis:    {"basis", "实施依据", []string{"实施依据", "设定依据", "法定依据", "执法依据", "事项依据", "法律依据", "依据", "设定和实施依据", "设定依据及实施依据"}},
	fieldBody:     {"body", "实施主体", []string{"实施主体", "实施机构", "执法主体", "行使主体", "事项主体", "实施机关", "责任主体", "实施部门"}},
	fieldOffice:   {"office", "承办机构", []string{"承办机构", "承办科室", "责任科室", "内设机构", "承办单位", "责任股室"}},
	fieldMode:     {"mode", "承接方式", []string{"承接方式", "赋权方式", "下放方式", "行使方式", "实施方式"}},
	fieldLevel:    {"level", "管理权限", []string{"管理权限", "实施层级", "行使层级", "层级"}},
	fieldDomain:   {"domain", "所属领域", []string{"所属领域", "执法领域", "领域", "所属章节", "执法类别"}},
	fieldNote:     {"note", "备注", []string{"备注", "说明"}},
	fieldSeq:      {"seq", "序号", []string{"序号", "序"}},
}

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
// known word first, then the longest known word the header starts with
// ("实施依据及条款" is basis). It returns fieldNone for anything else.
func matchHeader(cell string) field {
	h := normHeader(cell)
	if h == "" {
		return fieldNone
	}
	for f := fieldCode; f < numFields; f++ {
		for _, w := range fieldInfo[f].headers {
			if h == w {
				return f
			}
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
	return best
}

// headerMap maps canonical fields to column indexes of one header row.
type headerMap struct {
	col     [numFields]int    // -1 when absent
	names   [numFields]string // the header as the file writes it, for messages
	unknown []string          // header cells that name no field
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

// parseHeader interprets row as a header row. ok is false unless the row
// names at least the required columns (name and body).
func parseHeader(row []string) (h headerMap, ok bool) {
	for i := range h.col {
		h.col[i] = -1
	}
	for i, cell := range row {
		f := matchHeader(cell)
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
		}
	}
	return h, h.col[fieldName] >= 0 && h.col[fieldBody] >= 0
}

// expectedHeaders lists the header words for the required columns, for
// "no header found" messages.
func expectedHeaders() string {
	return "事项名称（或 " + strings.Join(fieldInfo[fieldName].headers[1:5], "、") + "）和 实施主体（或 " +
		strings.Join(fieldInfo[fieldBody].headers[1:5], "、") + "）"
}
