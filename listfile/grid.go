package listfile

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
)

// gridSource is what parseGrid knows of a grid beyond its cells.
type gridSource struct {
	pos   func(row int) string // a 1-based row as people see it: FILE:ROW
	label string               // the file, or FILE[SHEET], for notices about the grid
	sheet string               // the sheet's name; "" for CSV
	// hiddenCols and hiddenRows are 0-based columns and grid rows Excel
	// hides: a person reading the sheet does not see them.
	hiddenCols map[int]bool
	hiddenRows map[int]bool
	// numeric reports whether a cell (0-based grid row and column) is
	// stored as a number; nil for CSV, where every cell is text.
	numeric func(row, col int) bool
	// body and bodyFrom, for a sheet of a workbook whose first titled
	// sheet gave the body: that body, and where it was read ("FILE[SHEET]
	// 的标题“…”"), for a sheet with the same header and no title.
	body, bodyFrom string
}

// gridResult is one grid read as a list.
type gridResult struct {
	rows     []Row
	problems []Problem
	notices  []Problem
	unknown  []string
	headers  []string // the cells seen when no header row was found
	ok       bool     // a header row was found
	// noBody, when !ok, refuses a header without a body column under a
	// title that names no town: the file's error, unless a workbook's
	// first titled sheet gives a body to sheets with the same header.
	noBody *Problem
	// changeLog, when !ok, says why the grid is a change log (调整说明:
	// 序号, 事项名称, 调整类型), not a list: "列 调整类型" or the title.
	changeLog string
	// header is the header row, each cell normalised (normHeader), to tell
	// sheets of one workbook with the same header.
	header []string
	// body and bodyFrom are the body a list without a body column took
	// from its own title, and the title.
	body, bodyFrom string
}

// changeLogWords are headers of a change log's columns: what changed in a
// list, not a power.
var changeLogWords = []string{"调整类型", "调整方式", "调整情况", "调整内容", "调整原因", "变更类型", "变更方式", "变更情况", "变更内容", "变更原因"}

// changeLogTitles end a change log's title or sheet name (…权责清单调整
// 情况). A list's own title may speak of changes (某镇权责清单（2024年变更
// 版）, a note 部分实施主体名称已变更, a sheet 行政许可（含变更）): only the
// ending tells.
var changeLogTitles = []string{"调整情况", "调整说明", "变更情况", "变更说明", "调整表", "变更表", "调整情况表", "变更情况表"}

// trailingParen matches what brackets close a title with: （2024年）.
var trailingParen = regexp.MustCompile(`(?:[（(][^（()）]*[)）])+$`)

// changeLogTitle reports whether a title or sheet name names a change log
// by its ending, a bracketed tail (（2024年）) aside.
func changeLogTitle(t string) bool {
	s := trailingParen.ReplaceAllString(strings.Join(strings.Fields(t), ""), "")
	for _, w := range changeLogTitles {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// changeLogColumn returns the header of row that marks a change log, when
// row also names the item (事项名称); "" otherwise.
func changeLogColumn(row []string) string {
	col, named := "", false
	for _, c := range row {
		h := normHeader(c)
		if slices.Contains(changeLogWords, h) && col == "" {
			col = strings.TrimSpace(c)
		}
		if f, _ := headerField(c); f == fieldName {
			named = true
		}
	}
	if !named {
		return ""
	}
	return col
}

// changeLogError refuses a file that is a list's change log.
func changeLogError(label, why string) error {
	return towndesk.Errorf(towndesk.EINVALID, "%s: 这是清单的调整（变更）说明（%s），不是权责清单本身，未导入；请导入调整后的清单", label, why)
}

// noBodyError is the error of a file whose list has no body column.
func noBodyError(p *Problem) error {
	return &towndesk.Error{Code: towndesk.EINVALID, Message: p.String()}
}

// rowContext carries what a row inherits from the rows around it: the
// section it sits in and what the title says about the whole list.
type rowContext struct {
	category, domain string        // from a section row, the sheet's name or the title
	mode             towndesk.Mode // from a section row ("二、县级赋权事项"); "" when none
	body             string        // from the title, for a list without a body column
	row              int           // 0-based grid row, for numeric
	numeric          func(row, col int) bool

	// listCategory is the category the sheet's name or the title gives.
	listCategory string
	// secs are what the open sections set: [0] a top-level section
	// (一、 第一部分, or an unnumbered one), [1] a sub-section (（一）).
	secs [2]sectionSet
	// catRow, modeRow and domRow are the 0-based grid rows of the section
	// rows category, mode and domain come from; -1 when they do not come
	// from one.
	catRow, modeRow, domRow int
}

// sectionSet is what section rows of one level set.
type sectionSet struct {
	category, domain string
	mode             towndesk.Mode
	catRow, modeRow  int // the section rows that set them
	domRow           int
	// last is what the last unnumbered section row of this level set
	// (lastMode, lastCategory), for the next one to end.
	last int
}

const (
	lastNone = iota
	lastCategory
	lastMode
)

// parseGrid finds the header row in the first rows of grid and turns the
// rows below it into items. A header may take two rows: a group header
// over sub-headers (实施依据 over 法律/法规/规章; 事项名称 over 主项名称/
// 子项名称). Section rows (一、行政处罚; （一）规划建设类; 二、县级赋权事项)
// give their category, domain or mode to the rows below them when the list
// has no column for it. A list without a body column takes its body from a
// title naming a town's government; without one it is refused.
func parseGrid(grid [][]string, src gridSource, opts Options) (*gridResult, error) {
	out := &gridResult{}
	hiddenNames := blankHidden(grid, src.hiddenCols)
	hi := -1
	var h headerMap
	for i := 0; i < len(grid) && i < headerScan; i++ {
		if c := changeLogColumn(grid[i]); c != "" {
			out.changeLog = "列 " + c
			return out, nil
		}
		if hm, isHeader := parseHeader(grid[i]); isHeader {
			hi, h = i, hm
			break
		}
		for _, c := range grid[i] {
			if c = strings.TrimSpace(c); c != "" && !slices.Contains(out.headers, c) {
				out.headers = append(out.headers, c)
			}
		}
	}
	if hi < 0 {
		return out, nil
	}
	out.ok = true
	notice := func(row int, format string, args ...any) {
		p := src.label
		if row > 0 {
			p = src.pos(row)
		}
		out.notices = append(out.notices, Problem{p, fmt.Sprintf(format, args...), [2]int{0, row}})
	}
	if len(hiddenNames) > 0 {
		notice(0, "隐藏的列 %s未读取（Excel 中看不到它们；如需读取，请取消隐藏后重新导入）", strings.Join(hiddenNames, "、"))
	}
	start := hi + 1
	headerCells := map[string]bool{} // the header's cells, to know it repeated
	if start < len(grid) {
		if merged, two := subHeader(grid[hi], grid[start]); two {
			if hm, isHeader := parseHeader(merged); isHeader {
				h = hm
				start++
			}
		}
	}
	for _, row := range grid[hi:start] {
		for _, c := range row {
			if c = strings.TrimSpace(c); c != "" {
				headerCells[c] = true
			}
		}
	}
	out.unknown = h.unknown
	for f := fieldCode; f < numFields; f++ {
		if f == fieldBasis || len(h.more[f]) == 0 {
			continue
		}
		notice(hi+1, "列 %s 也表示%s，未读取（读取的是列 %s）", strings.Join(h.moreNames[f], "、"), fieldInfo[f].label, h.label(f))
	}

	var titles []string
	for i := 0; i < hi; i++ {
		if t := firstValue(grid[i]); t != "" && !slices.Contains(titles, t) {
			titles = append(titles, t)
		}
	}
	for _, t := range append([]string{src.sheet}, titles...) {
		if changeLogTitle(t) {
			out.ok, out.changeLog = false, "“"+t+"”"
			return out, nil
		}
	}
	for j := range max(len(grid[hi]), h.col[fieldName]+1) {
		out.header = append(out.header, normHeader(cell(grid[hi], j)))
	}
	ctx := rowContext{numeric: src.numeric, catRow: -1, modeRow: -1, domRow: -1}
	if h.col[fieldBody] < 0 {
		for _, u := range h.unknown {
			if slices.Contains(ambiguousBody, normHeader(u)) {
				return nil, towndesk.Errorf(towndesk.EINVALID,
					"%s: 表头没有实施主体列，列 %s 可能是实施主体，也可能是主管或负责的部门，无法确定；如果它就是实施主体，请把表头改为“实施主体”后重新导入",
					src.pos(hi+1), u)
			}
		}
		body, from := titleBody(titles)
		if body != "" {
			out.body, out.bodyFrom = body, from
		} else if len(titles) == 0 && src.body != "" {
			body, from = src.body, src.bodyFrom
		}
		if body == "" {
			out.ok, out.noBody = false, &Problem{Pos: src.pos(hi + 1), Message: fmt.Sprintf(
				"表头没有实施主体列（或 %s），标题中也没有写明是哪个乡镇（街道）的清单；请加一列“实施主体”后重新导入",
				strings.Join(fieldInfo[fieldBody].headers[1:5], "、"))}
			return out, nil
		}
		if opts.Town != "" && !strings.Contains(body, opts.Town) {
			return nil, towndesk.Errorf(towndesk.EINVALID,
				"%s: 表头没有实施主体列，按%s取得的实施主体是 %s，不是导入的乡镇 %s；请核对文件和 --town，或加一列“实施主体”后重新导入",
				src.pos(hi+1), quoteFrom(from, out.body != ""), body, opts.Town)
		}
		ctx.body = body
		if out.body != "" {
			notice(hi+1, "没有实施主体列，各行的实施主体按“%s”取为 %s", from, body)
		} else {
			notice(hi+1, "没有实施主体列，本工作表也没有标题，各行的实施主体按%s取为 %s", from, body)
		}
	}
	if h.col[fieldCategory] < 0 {
		if c := canonCategory(src.sheet); isCategory(c) {
			ctx.category, ctx.listCategory = c, c
			notice(0, "没有事项类型列，各行的事项类型按工作表名取为 %s", c)
		} else if c, t := titleCategory(titles); c != "" {
			ctx.category, ctx.listCategory = c, c
			notice(hi+1, "没有事项类型列，各行的事项类型按标题“%s”取为 %s", t, c)
		}
	}

	var hidden []string
	var filled []string
	// fromSection counts, per section row and what it gave (0 the mode,
	// 1 the category, 2 the domain), the rows that took it.
	fromSection := map[[2]int]int{}
	sections := map[int]string{} // section rows' text by grid row
	var main []string            // the record of the last row that named its item
	// bare are the rows of numbered headings in the name column beside a
	// body that were read as section rows but gave the rows below nothing:
	// had one been an item, no other notice would show it left out.
	var bare []string
	// numbered are the rows of items whose name opens with a section's
	// numbering ((一)对违法建设的处罚) and that fill nothing but the name and
	// body: read as items, they may be headings.
	var numbered []string
	for i := start; i < len(grid); i++ {
		rec := grid[i]
		if src.hiddenRows[i] {
			if firstValue(rec) != "" {
				hidden = append(hidden, strconv.Itoa(i+1))
			}
			continue
		}
		// A sub-item row under a merged item (only its sub-item filled, as
		// Excel saves merged cells to CSV) holds one value, as a section
		// row does: it is told apart first.
		cont := main != nil && cell(rec, h.col[fieldName]) == "" && continuation(rec, h) && !spread(rec)
		if start > hi+1 && repeatedHeader(rec, headerCells) {
			continue // a two-row header repeated on every printed page
		}
		if skip, section := skipRow(rec, h); skip && !cont {
			if section != "" {
				ctx.section(section, i)
				sections[i] = section
				if b := cell(rec, h.col[fieldBody]); cell(rec, h.col[fieldName]) == section && b != "" && b != section &&
					ctx.catRow != i && ctx.modeRow != i && ctx.domRow != i {
					bare = append(bare, strconv.Itoa(i+1))
				}
			}
			continue
		}
		if cont {
			rec = fillFrom(rec, main, h)
			filled = append(filled, strconv.Itoa(i+1))
		} else if cell(rec, h.col[fieldName]) != "" {
			main = rec
		}
		if name := cell(rec, h.col[fieldName]); !cont && sectionHead.MatchString(name) && bareName(rec, h) {
			numbered = append(numbered, strconv.Itoa(i+1))
		}
		ctx.row = i
		item, from, probs := rowItem(rec, h, opts, ctx)
		if from == modeFromSection {
			fromSection[[2]int{ctx.modeRow, 0}]++
		}
		if ctx.catRow >= 0 && cell(rec, h.col[fieldCategory]) == "" {
			fromSection[[2]int{ctx.catRow, 1}]++
		}
		if ctx.domRow >= 0 && cell(rec, h.col[fieldDomain]) == "" {
			fromSection[[2]int{ctx.domRow, 2}]++
		}
		for _, p := range probs {
			out.problems = append(out.problems, Problem{src.pos(i + 1), p, [2]int{0, i + 1}})
		}
		out.rows = append(out.rows, Row{Item: item, Pos: src.pos(i + 1), codeGiven: item.Code != "", invalid: len(probs) > 0,
			order: [2]int{0, i + 1}, codeLabel: h.label(fieldCode), modeFrom: from, noteLabel: h.noteLabel()})
	}
	for i := start; i < len(grid); i++ {
		for k, what := range []string{"承接方式", "事项类型", "所属领域"} {
			if n := fromSection[[2]int{i, k}]; n > 0 {
				notice(i+1, "以下 %d 行的%s取自分节行“%s”", n, what, sections[i])
			}
		}
	}
	if len(bare) > 0 {
		notice(0, "第 %s 行的%s读作分节标题（没有序号、编码、依据和事项类型，也不像事项名称），未作为事项导入；如果是事项，请填上序号后重新导入",
			rowList(bare), h.label(fieldName))
	}
	if len(numbered) > 0 {
		notice(0, "第 %s 行的%s以分节编号开头（一、（一）…），除实施主体外没有填写其他列，按事项导入；如果它是分节标题而不是事项，请改正后重新导入",
			rowList(numbered), h.label(fieldName))
	}
	if len(filled) > 0 {
		notice(0, "第 %s 行只写了%s、没有%s，按上方最近写了%s的那一行的子项读取：空白的列取自那一行",
			rowList(filled), h.label(fieldSubItem), h.label(fieldName), h.label(fieldName))
	}
	if len(hidden) > 0 {
		notice(0, "第 %s 行在 Excel 中被隐藏，未导入（如需导入，请取消隐藏后重新导入）", rowList(hidden))
	}
	return out, nil
}

// quoteFrom renders where a body was read for a message: a title of the
// sheet itself quoted, another sheet's title as described.
func quoteFrom(from string, own bool) string {
	if own {
		return "“" + from + "”"
	}
	return from
}

// rowList renders row numbers for a notice, the first ten of them.
func rowList(rows []string) string {
	if len(rows) > 10 {
		return strings.Join(rows[:10], "、") + fmt.Sprintf(" 等 %d 行", len(rows))
	}
	return strings.Join(rows, "、")
}

func firstValue(rec []string) string {
	for _, c := range rec {
		if c = strings.TrimSpace(c); c != "" {
			return c
		}
	}
	return ""
}

// blankHidden empties the cells of hidden columns, as a person reading the
// sheet does not see them, and returns those columns that had content, as
// "C（实施主体（调整前））": the letter and the column's first text.
func blankHidden(grid [][]string, hidden map[int]bool) []string {
	if len(hidden) == 0 {
		return nil
	}
	first := map[int]string{}
	for _, row := range grid {
		for c := range hidden {
			if c < len(row) {
				if v := strings.TrimSpace(row[c]); v != "" {
					if _, seen := first[c]; !seen {
						first[c] = v
					}
					row[c] = ""
				}
			}
		}
	}
	var names []string
	for c := 0; len(names) < len(first); c++ {
		if v, ok := first[c]; ok {
			names = append(names, fmt.Sprintf("%s（%s）", columnLetter(c), v))
		}
	}
	return names
}

// columnLetter is Excel's name of the 0-based column c: A, B, … AA.
func columnLetter(c int) string {
	s := ""
	for c++; c > 0; c = (c - 1) / 26 {
		s = string(rune('A'+(c-1)%26)) + s
	}
	return s
}

// subHeaderLabel bounds a sub-header that names no field (法律, 法规, 规章,
// 地方性法规): a data cell under a group header is longer.
const subHeaderLabel = 8

// subHeader reads sub as the second row of a two-row header under top. It
// is one when each of its cells is empty, repeats the cell above (a merge
// filled down), names a field (子项名称), or is a short label under a group
// header spanning several columns (法律 under 实施依据); and at least one
// is not a repeat. merged is the header row to use: each column named by
// its sub-header when that names a field, else by its group header.
func subHeader(top, sub []string) (merged []string, ok bool) {
	n := max(len(top), len(sub))
	group := make([]string, n) // the top header governing each column
	cur := ""
	for j := range n {
		if t := cell(top, j); t != "" {
			cur = t
		}
		group[j] = cur
	}
	spans := func(j int) bool {
		return group[j] != "" && (j > 0 && group[j-1] == group[j] || j+1 < n && group[j+1] == group[j])
	}
	fresh := false
	merged = make([]string, n)
	for j := range n {
		s, t := cell(sub, j), cell(top, j)
		switch {
		case s == "" || s == t:
			merged[j] = t
		case matchHeader(s) != fieldNone:
			merged[j], fresh = s, true
		case spans(j) && utf8.RuneCountInString(s) <= subHeaderLabel && !strings.ContainsAny(s, "《》，。；"):
			merged[j], fresh = group[j]+"（"+s+"）", true
		default:
			return nil, false
		}
	}
	return merged, fresh
}

// titleBody finds the body of a list without a body column in the rows
// above its header: a row "实施主体：…", or "填报单位：…" naming a
// government, else a title naming a town's list ("滕州市官桥镇权责清单" is
// the list of 滕州市官桥镇人民政府; "滕州市人民政府关于公布官桥镇权责清单的
// 通知" too). A title naming no single town (宁津县乡镇权责清单通用目录)
// gives none. from is the text it was read from.
func titleBody(titles []string) (body, from string) {
	for _, t := range titles {
		m := labelledBody.FindStringSubmatch(t)
		if m == nil {
			continue
		}
		label, v := strings.Join(strings.Fields(m[1]), ""), m[2]
		for _, w := range trailingLabels {
			v = strings.TrimSuffix(v, w)
		}
		switch {
		case label == "实施主体" || label == "行使主体":
			return v, t // the body, stated
		case governmentName(v) != "":
			return governmentName(v), t // the filer, when it is a government
		}
	}
	for _, t := range titles {
		s := strings.Join(strings.Fields(t), "")
		s = leadingYear.ReplaceAllString(s, "")
		if strings.Contains(s, "通用") || strings.Contains(s, "各乡镇") {
			continue // a catalogue for every town of a county
		}
		cut := -1
		for _, w := range listWords {
			if i := strings.Index(s, w); i > 0 && (cut < 0 || i < cut) {
				cut = i
			}
		}
		if cut < 0 {
			continue
		}
		if b := titleGovernment(s[:cut]); b != "" {
			return b, t
		}
	}
	return "", ""
}

// titleGovernment is governmentName of the part of a title before the kind
// of list, also when it is a notice's (滕州市人民政府关于公布官桥镇 →
// 滕州市官桥镇人民政府); "" for the towns of a county (宁津县乡镇) or
// anything not a single government's name.
func titleGovernment(s string) string {
	if before, after, ok := strings.Cut(s, "关于"); ok {
		for _, w := range []string{"公布", "印发", "发布", "公开", "调整", "同意", "批准"} {
			after = strings.TrimPrefix(after, w)
		}
		county := strings.TrimSuffix(before, "人民政府")
		if county != "" && !strings.HasPrefix(after, county) && strings.HasSuffix(before, "人民政府") {
			after = county + after
		}
		s = after
	}
	for _, w := range []string{"乡镇", "镇街", "街镇", "乡镇街道", "乡镇（街道）", "乡镇(街道)"} {
		if strings.HasSuffix(s, w) {
			return ""
		}
	}
	b := governmentName(s)
	if strings.Count(b, "人民政府") > 1 || strings.ContainsAny(b, "、，,《》") {
		return ""
	}
	return b
}

var (
	// labelledBody matches a labelled body ("实施主体：…"), the label
	// perhaps spaced out, the value ending at white space: "实施主体：
	// 滕州市官桥镇人民政府    日期：2024年5月".
	labelledBody = regexp.MustCompile(`(实\s*施\s*主\s*体|行\s*使\s*主\s*体|填\s*报\s*单\s*位|编\s*制\s*单\s*位)\s*[:：]\s*([^（(:：\s\x{3000}]+)`)
	leadingYear  = regexp.MustCompile(`^\d{4}年(?:度)?`)
)

// trailingLabels are the labels that may follow a labelled body with no
// space between (…人民政府日期：2024年).
var trailingLabels = []string{"填报日期", "填报时间", "日期", "时间", "联系人", "联系电话", "电话"}

// listWords start the part of a title that names the kind of list.
var listWords = []string{"权责清单", "权力清单", "职权清单", "权责事项", "权力事项", "行政权力", "行政职权", "综合行政执法", "赋权事项", "执法事项", "事项目录", "事项清单", "清单", "目录"}

// governmentName returns the government named by s, the part of a title
// before the kind of list: s itself when it ends in 人民政府 or 办事处; a
// town (镇, 乡, 苏木) or sub-district (街道) completed to its government;
// "" for anything else (a county, a department), whose list needs a body
// column.
func governmentName(s string) string {
	s = strings.TrimSpace(strings.TrimSuffix(s, "关于"))
	switch {
	case strings.HasSuffix(s, "人民政府"), strings.HasSuffix(s, "街道办事处"):
		return s
	case strings.HasSuffix(s, "镇"), strings.HasSuffix(s, "乡"), strings.HasSuffix(s, "苏木"):
		return s + "人民政府"
	case strings.HasSuffix(s, "街道"):
		return s + "办事处"
	}
	return ""
}

// titleCategory finds the one category a title names ("…事项目录（行政
// 处罚）"); "" when it names none or several.
func titleCategory(titles []string) (cat, from string) {
	for _, t := range titles {
		var found []string
		for _, c := range categories {
			if strings.Contains(t, c) {
				found = append(found, c)
			}
		}
		if len(found) == 1 {
			return found[0], t
		}
		if len(found) > 1 {
			return "", ""
		}
	}
	return "", ""
}

// categories are the kinds of power, as lists and the matcher name them.
var categories = []string{"行政许可", "行政处罚", "行政强制", "行政征收", "行政征用", "行政给付", "行政检查", "行政确认", "行政奖励", "行政裁决", "其他行政权力"}

func isCategory(s string) bool { return s != "" && slices.Contains(categories, s) }

// canonCategory returns the usual name of a category cell written short or
// with a suffix (处罚, 行政许可类, 行政强制措施, 其他职权); any other text
// is returned as written, less its spaces.
func canonCategory(s string) string {
	if strings.ContainsFunc(s, unicode.IsSpace) {
		s = strings.Join(strings.Fields(s), "")
	}
	if s == "" || isCategory(s) {
		return s
	}
	t := s
	for _, suf := range []string{"事项", "类", "措施", "执行"} {
		t = strings.TrimSuffix(t, suf)
	}
	switch t {
	case "其他", "其它", "其他权力", "其他职权", "其他行政职权", "其它行政权力", "其他行政权力", "其他权", "其他行政权":
		return "其他行政权力"
	}
	if isCategory(t) {
		return t
	}
	if isCategory("行政" + t) {
		return "行政" + t
	}
	return s
}

// sectionHead matches the numbering that opens a section row: 一、
// （一） 第一部分.
var sectionHead = regexp.MustCompile(`^(?:第[一二三四五六七八九十百零〇0-9]+(?:部分|章|节|类|篇)|[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[)）])\s*`)

// sectionCount matches a count closing a section row: （共56项）.
var sectionCount = regexp.MustCompile(`[（(]?\s*(?:共|计)?\s*[0-9]+\s*项\s*[)）]?$`)

// section updates the context from a section row's text at 0-based grid
// row row: a category (一、行政处罚（共56项）), a mode (二、县级赋权事项) or,
// for a numbered sub-section or one ending in 类/领域, a domain
// (（一）规划建设类). A new top-level section (一、 第一部分) ends every
// section before it, and a new sub-section (（一）) every sub-section
// before it: what they set no longer holds, also when the new one names
// nothing the reader knows (二、公共服务, 二、乡镇法定事项 without a mode
// word). An unnumbered section row (a merged 行政处罚) sets what it names;
// one naming nothing known (乡镇自有事项) ends what the unnumbered section
// row before it at its level set (县级赋权事项).
func (c *rowContext) section(text string, row int) {
	s := strings.Join(strings.Fields(text), "")
	head := sectionHead.FindString(s)
	s = sectionCount.ReplaceAllString(strings.TrimPrefix(s, head), "")
	sub := strings.HasPrefix(head, "（") || strings.HasPrefix(head, "(")
	level := 0
	switch {
	case sub:
		level = 1
		c.secs[1] = sectionSet{}
	case head != "":
		c.secs = [2]sectionSet{}
	case c.secs[1] != (sectionSet{}):
		level = 1
	}
	defer c.inherit()
	set := &c.secs[level]
	if s == "" {
		return
	}
	if cat := sectionCategory(s); cat != "" {
		set.category, set.catRow, set.domain = cat, row, ""
		if head == "" {
			set.last = lastCategory
		}
		if level == 0 {
			c.secs[1] = sectionSet{}
		}
		return
	}
	if m, ok := sectionMode(s); ok {
		set.mode, set.modeRow = m, row
		if head == "" {
			set.last = lastMode
		}
		return
	}
	if head == "" && heading(s) {
		// An unnumbered heading naming nothing known (乡镇自有事项 after
		// 县级赋权事项) follows the last one of its level: what that one set
		// ends here.
		switch set.last {
		case lastMode:
			set.mode, set.modeRow = "", 0
		case lastCategory:
			set.category, set.catRow, set.domain = "", 0, ""
		}
		set.last = lastNone
		return
	}
	if head == "" || utf8.RuneCountInString(s) > 12 || strings.ContainsAny(s, "、，,：:；。") || department(s) {
		return
	}
	for _, suf := range []string{"类", "领域", "方面"} {
		if d, cut := strings.CutSuffix(s, suf); cut && d != "" {
			set.domain, set.domRow = d, row
			return
		}
	}
	if sub {
		set.domain, set.domRow = s, row
	}
}

// departmentEnds end the name of a department or unit ((一)县自然资源局,
// 综合行政执法队): a section row naming one groups rows by who acts, it
// names no domain.
var departmentEnds = []string{"局", "委", "办", "中心", "站", "所", "队", "办公室", "委员会", "部门", "厅", "院"}

func department(s string) bool {
	for _, w := range departmentEnds {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// heading reports a short text that may head rows, not a note speaking
// of them (委托事项须签订委托协议后实施).
func heading(s string) bool {
	if utf8.RuneCountInString(s) > 12 || strings.ContainsAny(s, "，,；;。：:") {
		return false
	}
	for _, w := range []string{"须", "需", "应", "必须", "不得"} {
		if strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// inherit sets what rows take from their sections: a sub-section's value
// over its top-level section's, the list's category under both.
func (c *rowContext) inherit() {
	c.category, c.catRow = c.listCategory, -1
	c.domain, c.domRow, c.mode, c.modeRow = "", -1, "", -1
	for _, set := range c.secs {
		if set.category != "" {
			c.category, c.catRow = set.category, set.catRow
		}
		if set.domain != "" {
			c.domain, c.domRow = set.domain, set.domRow
		}
		if set.mode != "" {
			c.mode, c.modeRow = set.mode, set.modeRow
		}
	}
}

// sectionCategory returns the category a section heading names
// (行政处罚, 行政许可事项清单), "" for none. 其他 alone (二、其他事项) is not
// 其他行政权力: a list's other matters may be services, not powers.
func sectionCategory(s string) string {
	for _, t := range []string{s, strings.TrimSuffix(s, "事项清单"), strings.TrimSuffix(s, "事项目录"), strings.TrimSuffix(s, "事项"), strings.TrimSuffix(s, "清单")} {
		cat := canonCategory(t)
		if !isCategory(cat) {
			continue
		}
		if cat == "其他行政权力" && !strings.Contains(s, "行政权力") && !strings.Contains(s, "职权") {
			return ""
		}
		return cat
	}
	return ""
}

// sectionMode returns the mode a section heading names (县级赋权事项,
// 法定职权). A heading is short and no sentence: a note row spread over the
// sheet (委托事项须签订委托协议后实施) speaks of the rows, it does not head
// them.
func sectionMode(s string) (towndesk.Mode, bool) {
	if !heading(s) {
		return "", false
	}
	return noteMode(s)
}

// continuation reports a row that names a sub-item under the item above
// without repeating the item: a merged cell saved as CSV keeps its value
// in the first row only. A numbered row (序号) is an item of its own.
func continuation(rec []string, h headerMap) bool {
	return cell(rec, h.col[fieldSubItem]) != "" && cell(rec, h.col[fieldSeq]) == ""
}

// repeatedHeader reports a row of two or more texts that are all cells of
// the header rows: the sub-header row (主项名称, 子项名称, 法律, 法规) of a
// header a paged list repeats, which alone is no header.
func repeatedHeader(rec []string, header map[string]bool) bool {
	n := 0
	for _, c := range rec {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		if !header[c] {
			return false
		}
		n++
	}
	return n >= 2
}

// spread reports a row whose one text fills several cells: a section
// title merged across the sheet, never a sub-item row.
func spread(rec []string) bool {
	first, n := "", 0
	for _, c := range rec {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		if n > 0 && c != first {
			return false
		}
		first = c
		n++
	}
	return n > 1
}

// fillFrom returns rec with its empty cells of the item's columns taken
// from main, the row above that named the item. The code and sub-item are
// the row's own.
func fillFrom(rec, main []string, h headerMap) []string {
	out := append([]string(nil), rec...)
	fill := func(c int) {
		if c < 0 || c >= len(main) {
			return
		}
		for len(out) <= c {
			out = append(out, "")
		}
		if strings.TrimSpace(out[c]) == "" {
			out[c] = main[c]
		}
	}
	for f := fieldName; f < numFields; f++ {
		if f == fieldSubItem || f == fieldSeq {
			continue
		}
		fill(h.col[f])
		for _, c := range h.more[f] {
			fill(c)
		}
	}
	for _, c := range h.notes {
		fill(c)
	}
	return out
}

// fullWidth folds full-width ASCII (３７０４８１ＣＦ) to its usual form.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			return r - 0xFEE0
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)
}

// normCode is a code as the list means it: full-width characters folded,
// spaces (also inside: "370481 CF 001") removed.
func normCode(s string) string {
	s = fullWidth(s)
	if !strings.ContainsAny(s, " \t\n\r") {
		return s
	}
	return strings.Join(strings.Fields(s), "")
}

// sciCode matches a number Excel wrote in scientific notation (1.20225E+17):
// the code's digits past the sixth or so are lost.
var sciCode = regexp.MustCompile(`^[0-9]+(?:\.[0-9]+)?[eE]\+?[0-9]+$`)

// codeProblem says what is wrong with a code that lost its digits in
// Excel: written in scientific notation, or stored as a number of more
// than 15 digits (Excel keeps 15). "" for a good code.
// numeric is asked only of a code of more than 15 digits.
func codeProblem(code, label string, numeric func() bool) string {
	const fix = "请在 Excel 中把该列设为文本格式、填回完整的编码后重新导出"
	if sciCode.MatchString(code) {
		return fmt.Sprintf("列 %s 的值“%s”是 Excel 的科学计数法，编码的后几位已经丢失（%s）", label, code, fix)
	}
	if len(code) > 15 && strings.Trim(code, "0123456789") == "" && numeric() {
		return fmt.Sprintf("列 %s 的值“%s”在 Excel 中存为数字，超过 15 位的部分已经丢失（%s）", label, code, fix)
	}
	return ""
}

// bareName reports a row that fills no code, basis, sub-item, 序号 or
// category: only its name, body and what else a heading's row may hold.
func bareName(rec []string, h headerMap) bool {
	for _, f := range []field{fieldCode, fieldBasis, fieldSubItem, fieldSeq, fieldCategory} {
		if cell(rec, h.col[f]) != "" {
			return false
		}
	}
	return true
}
