// Package listfile reads power-list files as governments publish them (xlsx
// with title rows and merged cells, CSV in UTF-8 or GB18030, JSON lines) into
// canonical rows: it finds the header row (also one over two rows), maps
// each header to a field by its many synonyms, carries section rows'
// category, domain and mode down to their rows, takes a town list's body
// from its title when it has no body column, and validates every row,
// reporting each problem by file, row and the file's own column header.
// What it read from anything but a plain cell it reports in
// Parsed.Notices; what it cannot read with confidence (a county list
// without a body column, a code Excel turned into 1.2E+17) it refuses.
package listfile

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/towndesk/towndesk"
)

// Limits on imported files. A power list is a few thousand rows; anything
// far larger is a mistake (a wrong file), not a list.
const (
	MaxFileSize = 50 << 20 // bytes per file
	MaxCellSize = 64 << 10 // bytes per cell
	headerScan  = 10       // rows searched for the header row
)

// Row is one parsed data row with its position in the source file.
type Row struct {
	Item towndesk.PowerItem
	Pos  string // FILE:ROW or FILE[SHEET]:ROW, as people see it in Excel
	// codeGiven is false when the list left the code empty.
	codeGiven bool
	// invalid rows are kept only so that a code they repeat is reported.
	invalid   bool
	order     [2]int // file, row
	codeLabel string // the code column as the file names it
	modeFrom  int    // modeFromColumn, modeFromNote or modeFromDefault
	noteLabel string // the note column as the file names it
}

// Problem is one invalid row or cell, positioned for the person fixing
// the file. Its String form is "FILE:ROW: 列 实施主体 为空".
type Problem struct {
	Pos     string
	Message string
	order   [2]int // file, row: problems are listed in file order
}

func (p Problem) String() string { return p.Pos + ": " + p.Message }

// Options controls how files become one edition of a list.
type Options struct {
	// DefaultMode is used for rows of a list without a mode column whose
	// notes (备注, 说明) do not state a mode either; Parsed.Defaulted counts
	// them.
	DefaultMode towndesk.Mode
	// Lenient imports the valid rows and reports the others as skipped,
	// instead of failing the whole import.
	Lenient bool
	// CodePrefix seeds generated codes (the place code), so a row without a
	// code gets the same code every time its list is imported.
	CodePrefix string
	// Town is the town (街道) the list is imported for (官桥镇), "" for a
	// county's list. A body read from a title must name it.
	Town string
}

// Parsed is the result of reading the files of one edition.
type Parsed struct {
	Items   []towndesk.PowerItem
	Skipped []Problem // rows left out under Lenient
	Unknown []string  // unknown column headers, each reported once
	// Notices tell, in file order, how the reader read a layout that is
	// not a plain table, so the person importing can check it: a body
	// taken from the title, a category from the sheet's name, hidden
	// columns and rows left out, sub-item rows completed from their item,
	// a second column of a field not read.
	Notices []Problem
	// Defaulted lists, in file order, the files where imported rows took
	// Options.DefaultMode; files whose every row states its mode are absent.
	Defaulted []Defaulted
}

// File is one list file read into memory.
type File struct {
	Name string // shown in messages: the base name of the path
	Data []byte
}

// ReadFile reads a list file from disk. It refuses directories and files
// over MaxFileSize before reading them, with an EINVALID error naming the file.
func ReadFile(path string) (File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return File{}, towndesk.Errorf(towndesk.EINVALID, "无法读取文件 %s：%v", path, errors.Unwrap(err))
	}
	if st.IsDir() {
		return File{}, towndesk.Errorf(towndesk.EINVALID, "%s: 是目录，不是清单文件", path)
	}
	if st.Size() > MaxFileSize {
		return File{}, towndesk.Errorf(towndesk.EINVALID, "%s: 文件过大（%d MB），上限 %d MB", filepath.Base(path), st.Size()>>20, MaxFileSize>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return File{}, towndesk.Errorf(towndesk.EINVALID, "无法读取文件 %s：%v", path, err)
	}
	return File{Name: filepath.Base(path), Data: data}, nil
}

// Parse reads the files of one edition and validates every row.
//
// It returns a *towndesk.Error (EINVALID) naming the file when a file cannot
// be read as a list (too large, empty, binary, undecodable, no header, an
// xlsx beyond the limits of internal/xlsx: unpacked size, compression
// ratio, columns, rows, merged cells), and one listing every
// invalid row ("FILE:ROW: 列 实施主体 为空") unless opts.Lenient is set, in
// which case invalid rows are returned in Skipped.
func Parse(files []File, opts Options) (*Parsed, error) {
	return ParseContext(context.Background(), files, opts)
}

// ParseContext is Parse, stopped when ctx ends (a signal): it then returns
// an error wrapping ctx's.
func ParseContext(ctx context.Context, files []File, opts Options) (*Parsed, error) {
	var rows []Row
	var problems []Problem
	unknown := map[string]bool{}
	var names []string
	out := &Parsed{}
	for n, f := range files {
		names = append(names, f.Name)
		fr, err := parseData(ctx, f.Name, f.Data, opts)
		if err != nil {
			return nil, err
		}
		for i := range fr.rows {
			fr.rows[i].order[0] = n
		}
		for i := range fr.problems {
			fr.problems[i].order[0] = n
		}
		out.Notices = append(out.Notices, fr.notices...)
		rows = append(rows, fr.rows...)
		problems = append(problems, fr.problems...)
		for _, u := range fr.unknown {
			unknown[u] = true
		}
	}
	for u := range unknown {
		out.Unknown = append(out.Unknown, u)
	}
	sort.Strings(out.Unknown)

	// Codes must be unique within the edition, across its files. Generated
	// codes are derived from the row's content, so they are stable.
	seen := map[string]string{}
	next := map[string]int{} // per generated base, the suffix to try next
	bad := map[int]bool{}
	for i := range rows {
		r := &rows[i]
		if !r.codeGiven {
			if r.invalid {
				continue
			}
			r.Item.Code = generatedCode(opts.CodePrefix, r.Item, seen, next)
		}
		code := r.Item.Code
		if first, dup := seen[code]; dup {
			problems = append(problems, Problem{r.Pos, fmt.Sprintf("列 %s 重复：%s 已出现在 %s", r.codeLabel, code, first), r.order})
			bad[i] = true
			continue
		}
		seen[code] = r.Pos
	}
	sort.SliceStable(problems, func(i, j int) bool {
		a, b := problems[i].order, problems[j].order
		return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1])
	})
	if len(problems) > 0 && !opts.Lenient {
		return nil, problemsError(problems)
	}
	out.Skipped = problems
	defaulted := make([]Defaulted, len(files))
	for i, r := range rows {
		if bad[i] || r.invalid {
			continue
		}
		out.Items = append(out.Items, r.Item)
		d := &defaulted[r.order[0]]
		switch r.modeFrom {
		case modeFromDefault:
			d.Rows++
		case modeFromNote:
			d.FromNotes++
		}
		if d.NoteColumn == "" {
			d.NoteColumn = r.noteLabel
		}
	}
	for n, d := range defaulted {
		if d.Rows > 0 {
			d.File, d.Mode = files[n].Name, opts.DefaultMode
			out.Defaulted = append(out.Defaulted, d)
		}
	}
	if len(out.Items) == 0 {
		return nil, towndesk.Errorf(towndesk.EINVALID, "没有可导入的有效行（%s）", strings.Join(names, "、"))
	}
	return out, nil
}

// problemsError renders every problem, one per line.
func problemsError(ps []Problem) error {
	var b strings.Builder
	fmt.Fprintf(&b, "清单有 %d 处错误，未导入任何内容（可用 --lenient 只导入有效行）：", len(ps))
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return &towndesk.Error{Code: towndesk.EINVALID, Message: b.String()}
}

// generatedCode derives a code from the row's content so that re-importing
// the same list gives the same code. Identical rows get -2, -3 … suffixes.
// next remembers, per base, the suffix after the last one handed out, so
// that n identical rows cost n steps, not n²/2.
func generatedCode(prefix string, it towndesk.PowerItem, seen map[string]string, next map[string]int) string {
	sum := sha1.Sum([]byte(it.Name + "\x00" + it.SubItem + "\x00" + it.Category + "\x00" + it.Body))
	base := "G" + prefix + "-" + strings.ToUpper(hex.EncodeToString(sum[:5]))
	code := base
	n := next[base] // 0 while the base itself has not been handed out
	for {
		if n >= 2 {
			code = base + "-" + strconv.Itoa(n)
		}
		if _, dup := seen[code]; !dup {
			next[base] = max(n+1, 2)
			return code
		}
		n = max(n+1, 2)
	}
}

type fileRows struct {
	rows     []Row
	problems []Problem
	notices  []Problem
	unknown  []string
}

// parseData parses one file's bytes; name is used for the format and in messages.
func parseData(ctx context.Context, name string, data []byte, opts Options) (*fileRows, error) {
	if err := ctx.Err(); err != nil {
		return nil, canceled(name, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, towndesk.Errorf(towndesk.EINVALID, "%s: 文件是空的", name)
	}
	if len(data) > MaxFileSize {
		return nil, towndesk.Errorf(towndesk.EINVALID, "%s: 文件过大（%d MB），上限 %d MB", name, len(data)>>20, MaxFileSize>>20)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return parseXLSX(ctx, name, data, opts)
	case ".csv", ".txt":
		return parseCSV(ctx, name, data, opts)
	case ".jsonl", ".ndjson":
		return parseJSONL(ctx, name, data, opts)
	case ".xls":
		return nil, towndesk.Errorf(towndesk.EINVALID, "%s: 不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV", name)
	}
	return nil, towndesk.Errorf(towndesk.EINVALID, "%s: 无法识别的文件类型，支持 .xlsx、.csv、.jsonl", name)
}

func noHeaderError(name string, seen []string) error {
	found := "（前 10 行中没有任何文字）"
	if len(seen) > 0 {
		if len(seen) > 20 {
			seen = append(seen[:20], "…")
		}
		found = strings.Join(seen, "、")
	}
	return towndesk.Errorf(towndesk.EINVALID, "%s: 找不到表头行。前 %d 行中的表头：%s；至少需要：%s",
		name, headerScan, found, expectedHeaders())
}

// parseCSV decodes UTF-8 (with or without BOM) or GB18030 and reads the
// records as a grid.
func parseCSV(ctx context.Context, name string, data []byte, opts Options) (*fileRows, error) {
	text, err := decodeText(name, data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var grid [][]string
	for {
		if len(grid)%256 == 255 && ctx.Err() != nil {
			return nil, canceled(name, ctx.Err())
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, towndesk.Errorf(towndesk.EINVALID, "%s:%d: CSV 格式错误（%v）", name, pe.StartLine, pe.Err)
			}
			return nil, towndesk.Errorf(towndesk.EINVALID, "%s: CSV 格式错误（%v）", name, err)
		}
		grid = append(grid, rec)
	}
	pos := func(row int) string { return fmt.Sprintf("%s:%d", name, row) }
	g, err := parseGrid(grid, gridSource{pos: pos, label: name}, opts)
	if err != nil {
		return nil, err
	}
	if g.changeLog != "" {
		return nil, changeLogError(name, g.changeLog)
	}
	if g.noBody != nil {
		return nil, noBodyError(g.noBody)
	}
	if !g.ok {
		return nil, noHeaderError(name, g.headers)
	}
	return &fileRows{g.rows, g.problems, g.notices, g.unknown}, nil
}

// decodeText turns file bytes into text: UTF-8 with or without a BOM, or
// GB18030 (which covers GBK and GB2312) as Chinese Excel saves CSV. Binary
// files and bytes valid in neither encoding are errors naming the line.
func decodeText(name string, data []byte) (string, error) {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return "", towndesk.Errorf(towndesk.EINVALID, "%s:%d: 含有二进制内容，不是文本文件（请导出为 CSV 或 xlsx）", name, lineOf(data, i))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data), nil
	}
	dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", towndesk.Errorf(towndesk.EINVALID, "%s: 无法识别文字编码（既不是 UTF-8 也不是 GB18030/GBK）", name)
	}
	if i := bytes.IndexRune(dec, utf8.RuneError); i >= 0 {
		return "", towndesk.Errorf(towndesk.EINVALID, "%s:%d: 无法识别文字编码（既不是 UTF-8 也不是 GB18030/GBK）", name, lineOf(dec, i))
	}
	// Control characters other than tab and line breaks mean binary junk
	// that happened to decode.
	for i, r := range string(dec) {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return "", towndesk.Errorf(towndesk.EINVALID, "%s:%d: 含有二进制内容，不是文本文件", name, lineOf(dec, i))
		}
	}
	return string(dec), nil
}

func lineOf(data []byte, off int) int { return bytes.Count(data[:off], []byte("\n")) + 1 }

// skipRow reports rows that carry no item: blank rows, a repeated header
// (lists printed over several pages), notes and signature rows (注：…,
// 制表人：…), and section rows — one text spread over the row (a merged
// "一、行政处罚"), or a numbered heading in the name column with no code
// and no basis ("二、行政检查" above a body merged down the sheet).
// section is the text of a section row, for the rows below it.
func skipRow(rec []string, h headerMap) (skip bool, section string) {
	var vals []string
	for _, c := range rec {
		if c = strings.TrimSpace(c); c != "" {
			vals = append(vals, c)
		}
	}
	if len(vals) == 0 {
		return true, ""
	}
	name := cell(rec, h.col[fieldName])
	// A repeated header row (lists printed over several pages): cheap test
	// first, since this runs for every row.
	if matchHeader(name) == fieldName {
		if _, isHeader := parseHeader(rec); isHeader {
			return true, ""
		}
	}
	first := vals[0]
	for _, p := range []string{"注：", "注:", "注1", "注 ", "备注：", "备注:", "说明：", "说明:", "填报说明", "注释"} {
		if strings.HasPrefix(first, p) {
			return true, ""
		}
	}
	if first == "注" || signature(first) || totals(vals) {
		return true, ""
	}
	// A signature anywhere in a row with no item's name: 制表人 | 张三.
	if name == "" || signatureLabel(name) {
		for _, v := range vals {
			if signatureLabel(v) {
				return true, ""
			}
		}
	}
	if text, ok := seqSection(rec, h); ok {
		return true, text
	}
	if columnNumbers(vals) {
		return true, ""
	}
	same := true
	for _, v := range vals[1:] {
		if v != first {
			same = false
			break
		}
	}
	// One value across the whole row, but not a real row whose only filled
	// cell happens to be the name: a section title or a merged note.
	if same && (len(vals) > 1 || name == "") {
		return true, first
	}
	if name != "" && sectionHead.MatchString(name) && namedSection(rec, h, name) {
		return true, name
	}
	return false, ""
}

// namedSection reports whether a numbered text in the name column is a
// section heading and not an item whose name happens to open with a
// numbering (（一）对未取得…的处罚, 第二类精神药品零售审批): a heading fills no
// code, basis, sub-item, 序号 or category. A body cell may be filled, as a
// body merged down the sheet starts on the heading's row, but only under a
// heading that names what a section row gives (一、法定职权, 二、行政处罚,
// （一）规划建设类) or a short one that does not read as a power (（一）农业
// 农村): an item's name (（一）对违建的处罚) does not.
func namedSection(rec []string, h headerMap, name string) bool {
	if !bareName(rec, h) {
		return false
	}
	if cell(rec, h.col[fieldBody]) == "" {
		return true
	}
	s := strings.Join(strings.Fields(name), "")
	s = sectionCount.ReplaceAllString(strings.TrimPrefix(s, sectionHead.FindString(s)), "")
	if _, ok := sectionMode(s); ok || sectionCategory(s) != "" {
		return true
	}
	for _, suf := range []string{"类", "领域", "方面"} {
		if strings.HasSuffix(s, suf) && utf8.RuneCountInString(s) <= 12 {
			return true
		}
	}
	// A short heading that does not read as a power (（一）农业农村 over a
	// body merged down the sheet) heads the rows below it.
	return utf8.RuneCountInString(s) <= 12 && !strings.ContainsAny(s, "、，,：:；;。") && !powerName(s)
}

// powerWords are the acts a power's name states (对…的处罚, …审批): a
// numbered name holding one is an item, never a section heading.
var powerWords = []string{"处罚", "审批", "许可", "检查", "征收", "征用", "确认", "强制", "给付", "奖励", "裁决",
	"备案", "登记", "核准", "核发", "认定", "审核", "初审", "审查", "批准", "查封", "扣押", "责令", "没收", "罚款",
	"吊销", "注销", "撤销", "拆除", "收缴", "鉴定", "验收", "受理", "发放", "办理", "调解", "救助", "补助", "补贴",
	"监督", "评定", "考核", "证明", "申请"}

// powerName reports whether s reads as the name of a power: 对…的…, or
// naming an act of powerWords.
func powerName(s string) bool {
	if strings.HasPrefix(s, "对") && strings.Contains(s, "的") {
		return true
	}
	for _, w := range powerWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// sectionNumeral matches a 序号 cell holding a section's number, not an
// item's: 一, 二、, （一）, 第一部分.
var sectionNumeral = regexp.MustCompile(`^(?:[一二三四五六七八九十]+[、.．]?|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+(?:部分|章|节|篇))$`)

// seqSection reads a section row whose number stands in the 序号 column
// and whose heading fills the rest of the row, in one cell or merged
// across it (一 | 行政处罚（共2项） merged over B:I): every other filled
// cell holds the same text. text is the heading with its number (一、行政
// 处罚), as section reads it.
func seqSection(rec []string, h headerMap) (text string, ok bool) {
	seq := cell(rec, h.col[fieldSeq])
	if seq == "" || !sectionNumeral.MatchString(seq) {
		return "", false
	}
	rest := ""
	for j := range rec {
		c := cell(rec, j)
		if j == h.col[fieldSeq] || c == "" {
			continue
		}
		if rest != "" && c != rest {
			return "", false
		}
		rest = c
	}
	if !sectionHead.MatchString(seq) {
		seq += "、"
	}
	return seq + rest, true
}

// columnNumber matches a column's number in the row under a header that
// numbers the columns: 1, （1）, (1).
var columnNumber = regexp.MustCompile(`^[（(]?([0-9]+)[)）]?$`)

// columnNumbers reports a row numbering the columns under the header
// (1 | 2 | 3 …, （1）|（2）…): three or more numbers counting up by one.
func columnNumbers(vals []string) bool {
	if len(vals) < 3 {
		return false
	}
	prev := 0
	for i, v := range vals {
		m := columnNumber.FindStringSubmatch(strings.TrimSpace(fullWidth(v)))
		if m == nil {
			return false
		}
		n, err := strconv.Atoi(m[1])
		if err != nil || i > 0 && n != prev+1 {
			return false
		}
		prev = n
	}
	return true
}

// totalWords open a totals row under a list or a section: 合计 | 共56项.
var totalWords = []string{"合计", "总计", "小计", "总数"}

// itemCount matches a count of items: 共56项, （共 56 项）, 56项.
var itemCount = regexp.MustCompile(`^[（(]?\s*(?:共|计|合计)?\s*[0-9]+\s*(?:项|个|条)\s*[)）]?$`)

// totals reports a totals row: one opening with 合计/总计/小计, or holding
// only counts (共1项) and numbers.
func totals(vals []string) bool {
	first := strings.Join(strings.Fields(vals[0]), "")
	for _, w := range totalWords {
		if first == w || strings.HasPrefix(first, w+"：") || strings.HasPrefix(first, w+":") {
			return true
		}
	}
	counted := false
	for _, v := range vals {
		switch {
		case itemCount.MatchString(v):
			counted = true
		case strings.Trim(v, "0123456789") == "":
		default:
			return false
		}
	}
	return counted
}

// signatureLabels are the cells where a list's makers sign, the name in
// the next cell (制表人 | 张三) or after a colon (审核人：李四).
var signatureLabels = []string{"制表人", "填表人", "填报人", "审核人", "审批人", "负责人", "单位负责人", "经办人",
	"联系人", "联系电话", "分管领导", "主要领导", "制表单位", "填报单位", "制表日期", "填报日期", "制表时间", "填报时间"}

// signatureLabel reports a signature cell anywhere in a row: a label
// alone (制表人, 制表人：) or a label with a short name after a colon.
func signatureLabel(v string) bool {
	s := strings.TrimRight(strings.Join(strings.Fields(v), ""), ":：")
	if slices.Contains(signatureLabels, s) {
		return true
	}
	label, _, ok := strings.Cut(strings.ReplaceAll(s, ":", "："), "：")
	return ok && slices.Contains(signatureLabels, label) && utf8.RuneCountInString(s) <= 30
}

// signatureWords open the rows under a list where its makers sign.
var signatureWords = []string{"制表", "填表", "填报", "审核", "审批人", "负责人", "单位负责人", "联系人", "联系电话", "经办人", "分管领导"}

// signature reports a signature cell: "制表人：张三", "填报单位（盖章）：".
func signature(s string) bool {
	if !strings.ContainsAny(s, ":：") {
		return false
	}
	for _, w := range signatureWords {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

func cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// lineBreaks removes the line breaks typed inside a cell.
var lineBreaks = strings.NewReplacer("\r\n", "", "\n", "", "\r", "")

// placeholders are what lists write in an optional cell that has nothing.
var placeholders = map[string]bool{"—": true, "——": true, "-": true, "--": true, "－": true, "/": true, "／": true,
	"\\": true, "无": true, "暂无": true, "无子项": true, "空": true}

// rowItem builds the item of one record and lists what is wrong with it.
// from says where the item's mode came from: the mode column; for a list
// without one, a note that states it (noteMode); else opts.DefaultMode.
func rowItem(rec []string, h headerMap, opts Options, ctx rowContext) (it towndesk.PowerItem, from int, probs []string) {
	long := map[field]bool{} // too long: reported once, not also as empty
	get := func(f field) string {
		v := cell(rec, h.col[f])
		if f == fieldBasis && len(h.more[f]) > 0 {
			v = joined(rec, h.col[f], h.more[f])
		}
		if len(v) > MaxCellSize {
			probs = append(probs, fmt.Sprintf("列 %s 的内容过长（%d 字节，上限 %d KB）", h.label(f), len(v), MaxCellSize>>10))
			long[f] = true
			return ""
		}
		return v
	}
	it = towndesk.PowerItem{
		Code:     get(fieldCode),
		Name:     get(fieldName),
		SubItem:  get(fieldSubItem),
		Category: get(fieldCategory),
		Basis:    get(fieldBasis),
		Body:     get(fieldBody),
		Office:   get(fieldOffice),
		Level:    get(fieldLevel),
		Domain:   get(fieldDomain),
		Note:     get(fieldNote),
	}
	// A cell kept from a wrapped line (Alt+Enter in Excel) joins up again
	// in names, and a placeholder (——, ／, 无) in an optional column means
	// the column is empty.
	for _, v := range []*string{&it.Name, &it.SubItem, &it.Body, &it.Office} {
		*v = lineBreaks.Replace(*v)
	}
	for _, v := range []*string{&it.SubItem, &it.Basis, &it.Office, &it.Level, &it.Domain, &it.Note} {
		if placeholders[*v] {
			*v = ""
		}
	}
	if it.Code != "" && !long[fieldCode] {
		it.Code = normCode(it.Code)
		numeric := func() bool { return ctx.numeric != nil && ctx.numeric(ctx.row, h.col[fieldCode]) }
		if p := codeProblem(it.Code, h.label(fieldCode), numeric); p != "" {
			probs = append(probs, p)
		}
	}
	it.Category = canonCategory(it.Category)
	if it.Category == "" {
		it.Category = ctx.category
	}
	if it.Domain == "" {
		it.Domain = ctx.domain
	}
	if h.col[fieldBody] < 0 {
		it.Body = ctx.body
	}
	// The sub-item column of many lists repeats the name or says 无.
	if it.SubItem == it.Name || it.SubItem == "无" || it.SubItem == "/" || it.SubItem == "-" {
		it.SubItem = ""
	}
	if it.Name == "" && !long[fieldName] {
		probs = append(probs, "列 "+h.label(fieldName)+" 为空")
	}
	if it.Body == "" && !long[fieldBody] {
		probs = append(probs, "列 "+h.label(fieldBody)+" 为空")
	}
	if h.col[fieldMode] >= 0 {
		raw := get(fieldMode)
		m, ok := towndesk.ParseMode(raw)
		if !ok {
			// Some lists write the mode column in words: 委托乡镇实施.
			m, ok = noteMode(raw)
		}
		switch {
		case raw == "" && long[fieldMode]:
		case raw == "":
			probs = append(probs, "列 "+h.label(fieldMode)+" 为空")
		case !ok:
			probs = append(probs, fmt.Sprintf("列 %s 的值“%s”无法识别（应为 %s）", h.label(fieldMode), raw, modeNames()))
		default:
			it.Mode = m
		}
		return it, modeFromColumn, probs
	}
	for _, c := range h.notes {
		if m, ok := noteMode(cell(rec, c)); ok {
			it.Mode = m
			return it, modeFromNote, probs
		}
	}
	if ctx.mode != "" {
		it.Mode = ctx.mode
		return it, modeFromSection, probs
	}
	it.Mode = opts.DefaultMode
	return it, modeFromDefault, probs
}

// joined is the text of a field split over several columns (设定依据 and
// 实施依据), each distinct value once, in column order.
func joined(rec []string, first int, more []int) string {
	var vals []string
	for _, c := range append([]int{first}, more...) {
		if v := cell(rec, c); v != "" && !slices.Contains(vals, v) {
			vals = append(vals, v)
		}
	}
	return strings.Join(vals, "\n")
}

func modeNames() string {
	s := make([]string, len(towndesk.Modes))
	for i, m := range towndesk.Modes {
		s[i] = string(m)
	}
	return strings.Join(s, "、")
}

// parseJSONL reads one JSON object per line with the canonical English
// field names (code, name, subitem, category, basis, body, office, mode,
// level, domain, note).
func parseJSONL(ctx context.Context, name string, data []byte, opts Options) (*fileRows, error) {
	text, err := decodeText(name, data)
	if err != nil {
		return nil, err
	}
	out := &fileRows{}
	unknown := map[string]bool{}
	h := headerMap{notes: []int{int(fieldNote)}}
	for f := range h.col {
		h.col[f] = f // record index = field number
	}
	for i, line := range strings.Split(text, "\n") {
		if i%256 == 255 && ctx.Err() != nil {
			return nil, canceled(name, ctx.Err())
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		pos := fmt.Sprintf("%s:%d", name, i+1)
		var obj map[string]any
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&obj); err != nil {
			out.problems = append(out.problems, Problem{pos, fmt.Sprintf("不是有效的 JSON 对象（%v）", err), [2]int{0, i + 1}})
			continue
		}
		rec := make([]string, numFields)
		rh := h
		if _, ok := obj["mode"]; !ok {
			rh.col[fieldMode] = -1 // like a list without a mode column
		}
		for k, v := range obj {
			f := fieldByKey(k)
			if f == fieldNone {
				unknown[k] = true
				continue
			}
			switch v := v.(type) {
			case string:
				rec[f] = v
			case json.Number:
				rec[f] = v.String()
			case nil:
			default:
				out.problems = append(out.problems, Problem{pos, fmt.Sprintf("字段 %s 应为文字", k), [2]int{0, i + 1}})
			}
		}
		item, from, probs := rowItem(rec, rh, opts, rowContext{})
		for _, p := range probs {
			out.problems = append(out.problems, Problem{pos, p, [2]int{0, i + 1}})
		}
		out.rows = append(out.rows, Row{Item: item, Pos: pos, codeGiven: item.Code != "", invalid: len(probs) > 0,
			order: [2]int{0, i + 1}, codeLabel: "code", modeFrom: from, noteLabel: "note"})
	}
	for k := range unknown {
		out.unknown = append(out.unknown, k)
	}
	return out, nil
}

func fieldByKey(k string) field {
	for f := fieldCode; f < numFields; f++ {
		if fieldInfo[f].key == k {
			return f
		}
	}
	return fieldNone
}
