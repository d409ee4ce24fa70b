package listfile

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/towndesk/towndesk"
)

// Limits on an xlsx file beyond its size. An xlsx is a zip archive, and a
// zip entry can unpack to a thousand times its size: the archive's
// directory is checked before anything is unpacked. A real power list
// unpacks to a few megabytes, compresses about tenfold, has a dozen
// columns and a few thousand rows.
const (
	MaxUnzipSize = 64 << 20 // bytes, all the archive's parts unpacked
	MaxZipRatio  = 100      // unpacked:packed, for a part over zipRatioFrom
	MaxColumns   = 256      // columns with content, per row
	MaxRows      = 100000   // rows with content, per sheet

	zipRatioFrom  = 1 << 20 // small parts may compress better than MaxZipRatio
	maxZipEntries = 10000
	// maxMarkup bounds the XML tags of the parts excelize parses whole
	// into objects (all but the worksheets, which are streamed): a
	// shared-string table of tiny strings costs some 25 bytes of memory
	// per byte of XML. A real list's parts hold a few hundred thousand.
	maxMarkup    = 2000000
	maxMerges    = 20000   // merged ranges per sheet
	maxMergeFill = 4000000 // cells filled from merged ranges per sheet
)

// checkZip refuses an xlsx whose zip directory promises too much: too
// many parts, too much unpacked, or a part compressed beyond any real
// spreadsheet (a zip bomb). Then it unpacks every part once, without
// keeping it, to refuse one that does not match the directory: archive/zip
// stops a part at the size the directory states, and excelize would take
// the truncated part for the whole.
func checkZip(ctx context.Context, name string, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return towndesk.Errorf(towndesk.EINVALID, "%s: 不是有效的 xlsx 文件（%v）", name, err)
	}
	if len(zr.File) > maxZipEntries {
		return towndesk.Errorf(towndesk.EINVALID, "%s: xlsx 内含 %d 个部件，上限 %d 个，不像是一份清单", name, len(zr.File), maxZipEntries)
	}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > zipRatioFrom {
			if f.CompressedSize64 == 0 || f.UncompressedSize64/f.CompressedSize64 > MaxZipRatio {
				ratio := f.UncompressedSize64 / max(f.CompressedSize64, 1)
				return towndesk.Errorf(towndesk.EINVALID, "%s: xlsx 中的 %s 压缩比异常（%d:1，上限 %d:1），可能是压缩炸弹，已拒绝",
					name, f.Name, ratio, MaxZipRatio)
			}
		}
		total += f.UncompressedSize64
		if total > MaxUnzipSize || f.UncompressedSize64 > MaxUnzipSize {
			return towndesk.Errorf(towndesk.EINVALID, "%s: xlsx 解压后超过 %d MB 的上限，不像是一份清单（请删去无关的工作表和内容，或另存为 CSV）",
				name, MaxUnzipSize>>20)
		}
	}
	markup := 0
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return canceled(name, err)
		}
		tags, err := unpack(f)
		switch {
		case errors.Is(err, zip.ErrFormat):
			return towndesk.Errorf(towndesk.EINVALID, "%s: 不是有效的 xlsx 文件（%s 解压后比目录记载的大）", name, f.Name)
		case errors.Is(err, zip.ErrChecksum):
			return towndesk.Errorf(towndesk.EINVALID, "%s: 不是有效的 xlsx 文件（%s 校验和不符）", name, f.Name)
		case err != nil:
			return towndesk.Errorf(towndesk.EINVALID, "%s: 不是有效的 xlsx 文件（%s 已损坏：%v）", name, f.Name, err)
		}
		if !strings.Contains(strings.ToLower(f.Name), "worksheets/") {
			if markup += tags; markup > maxMarkup {
				return towndesk.Errorf(towndesk.EINVALID, "%s: xlsx 中的 %s 等部件过于复杂（超过 %d 个 XML 标记），不像是一份清单", name, f.Name, maxMarkup)
			}
		}
	}
	return nil
}

// unpack reads a zip part to its end, keeping nothing, and counts its XML
// tags. It returns archive/zip's error if the part is longer than the
// directory says (zip.ErrFormat) or its checksum does not match.
func unpack(f *zip.File) (tags int, err error) {
	if f.FileInfo().IsDir() {
		return 0, nil
	}
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	var c tagCounter
	_, err = io.Copy(&c, rc)
	return int(c), err
}

// tagCounter counts the '<' written to it.
type tagCounter int

func (c *tagCounter) Write(p []byte) (int, error) {
	*c += tagCounter(bytes.Count(p, []byte("<")))
	return len(p), nil
}

// parseXLSX reads every sheet that has a header row. Merged cells are
// filled from their top-left value, as a person reading the sheet sees them.
// Rows are read one at a time and checked as they come; excelize keeps
// every part in memory (bounded by checkZip), so it writes no temporary
// file, and any it might write go to a directory removed on return.
func parseXLSX(ctx context.Context, name string, data []byte, opts Options) (*fileRows, error) {
	if err := checkZip(ctx, name, data); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "towndesk-xlsx-")
	if err != nil {
		return nil, &towndesk.Error{Code: towndesk.EINTERNAL, Err: fmt.Errorf("temporary directory: %w", err)}
	}
	defer os.RemoveAll(tmp)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: MaxUnzipSize, UnzipXMLSizeLimit: MaxUnzipSize, TmpDir: tmp})
	if err != nil {
		return nil, towndesk.Errorf(towndesk.EINVALID, "%s: 不是有效的 xlsx 文件（%v）", name, err)
	}
	defer f.Close()
	parts, err := sheetParts(data)
	if err != nil {
		return nil, towndesk.Errorf(towndesk.EINVALID, "%s: 不是有效的 xlsx 文件（%v）", name, err)
	}
	// A sheet without a body column and without a title of its own (a
	// workbook with a sheet per category) takes the body of the first
	// sheet whose title gave one, when their headers are the same; it is
	// read again once that is known. Any other sheet without a body
	// refuses the file: a list sheet is never left out with only a notice.
	type sheetRead struct {
		g    *gridResult
		grid [][]string
		src  gridSource
	}
	var read []sheetRead
	var titled *gridResult
	titledFrom := ""
	var hiddenSheets []string // labels of hidden sheets, not read
	sheets := f.GetSheetList()
	for _, sheet := range sheets {
		if err := ctx.Err(); err != nil {
			return nil, canceled(name, err)
		}
		label := name
		if len(sheets) > 1 {
			label = fmt.Sprintf("%s[%s]", name, sheet)
		}
		// A hidden sheet is not what a person reading the workbook sees
		// (an old edition, a working copy): it is left out, and said so.
		if visible, err := f.GetSheetVisible(sheet); err == nil && !visible {
			hiddenSheets = append(hiddenSheets, label)
			continue
		}
		pos := func(row int) string { return fmt.Sprintf("%s:%d", label, row) }
		grid, hiddenRows, err := readSheet(ctx, f, label, sheet)
		if err != nil {
			return nil, err
		}
		if err := fillMerged(f, label, parts[sheet], grid); err != nil {
			return nil, err
		}
		hiddenCols := hiddenColumns(f, parts[sheet])
		var numbers map[[2]int]bool // computed when first asked
		numeric := func(row, col int) bool {
			if numbers == nil {
				numbers = longNumbers(f, parts[sheet])
			}
			return numbers[[2]int{row, col}]
		}
		src := gridSource{pos: pos, label: label, sheet: sheet,
			hiddenCols: hiddenCols, hiddenRows: hiddenRows, numeric: numeric}
		g, err := parseGrid(grid, src, opts)
		if err != nil {
			return nil, err
		}
		if g.body != "" && titled == nil {
			titled, titledFrom = g, fmt.Sprintf("工作表“%s”的标题“%s”", sheet, g.bodyFrom)
		}
		sr := sheetRead{g: g, src: src}
		if g.noBody != nil {
			sr.grid = grid // read again below
		}
		read = append(read, sr)
	}
	out := &fileRows{}
	var seenHeaders []string
	var changeLogs [][2]string // the sheet's label, why it is a change log
	found := false
	for _, sr := range read {
		g := sr.g
		if g.noBody != nil {
			if titled == nil || !slices.Equal(g.header, titled.header) {
				return nil, noBodyError(g.noBody)
			}
			src := sr.src
			src.body, src.bodyFrom = titled.body, titledFrom
			var err error
			if g, err = parseGrid(sr.grid, src, opts); err != nil {
				return nil, err
			}
			if g.noBody != nil { // it has a title of its own after all
				return nil, noBodyError(g.noBody)
			}
		}
		if g.changeLog != "" {
			changeLogs = append(changeLogs, [2]string{sr.src.label, g.changeLog})
			continue
		}
		if !g.ok {
			seenHeaders = append(seenHeaders, g.headers...)
			continue
		}
		found = true
		out.rows = append(out.rows, g.rows...)
		out.problems = append(out.problems, g.problems...)
		out.notices = append(out.notices, g.notices...)
		out.unknown = append(out.unknown, g.unknown...)
	}
	if !found && len(changeLogs) > 0 {
		return nil, changeLogError(changeLogs[0][0], changeLogs[0][1])
	}
	if !found && len(hiddenSheets) > 0 {
		return nil, towndesk.Errorf(towndesk.EINVALID, "%s: 可见的工作表中没有清单；隐藏的工作表 %s 未读取（如需导入，请在 Excel 中取消隐藏后重新导入）",
			name, strings.Join(hiddenSheets, "、"))
	}
	if !found {
		return nil, noHeaderError(name, seenHeaders)
	}
	for _, l := range hiddenSheets {
		out.notices = append(out.notices, Problem{l, "工作表在 Excel 中被隐藏，未导入（如需导入，请取消隐藏后重新导入）", [2]int{}})
	}
	for _, c := range changeLogs {
		out.notices = append(out.notices, Problem{c[0], fmt.Sprintf("这是清单的调整（变更）说明（%s），不是权责清单，此工作表未导入", c[1]), [2]int{}})
	}
	return out, nil
}

// readSheet streams a sheet's rows into a grid, refusing a row with
// content beyond MaxColumns or below MaxRows. label names the sheet in
// messages. hidden holds the grid rows Excel hides.
func readSheet(ctx context.Context, f *excelize.File, label, sheet string) (grid [][]string, hidden map[int]bool, err error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, towndesk.Errorf(towndesk.EINVALID, "%s: 无法读取工作表（%v）", label, err)
	}
	defer rows.Close()
	blank := 0 // empty rows not yet added: trailing ones never are
	for n := 1; rows.Next(); n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, canceled(label, err)
			}
		}
		cols, err := rows.Columns()
		if err != nil {
			return nil, nil, towndesk.Errorf(towndesk.EINVALID, "%s:%d: 无法读取（%v）", label, n, err)
		}
		for len(cols) > 0 && cols[len(cols)-1] == "" {
			cols = cols[:len(cols)-1]
		}
		if len(cols) == 0 {
			blank++
			continue
		}
		if len(cols) > MaxColumns {
			return nil, nil, towndesk.Errorf(towndesk.EINVALID, "%s:%d: 第 %d 列有内容，清单最多 %d 列（请删去表格右侧无关的内容）", label, n, len(cols), MaxColumns)
		}
		if n > MaxRows {
			return nil, nil, towndesk.Errorf(towndesk.EINVALID, "%s:%d: 超过每个工作表 %d 行的上限", label, n, MaxRows)
		}
		for ; blank > 0; blank-- {
			grid = append(grid, nil)
		}
		if rows.GetRowOpts().Hidden {
			if hidden == nil {
				hidden = map[int]bool{}
			}
			hidden[len(grid)] = true
		}
		grid = append(grid, cols)
	}
	if err := rows.Error(); err != nil {
		return nil, nil, towndesk.Errorf(towndesk.EINVALID, "%s: 无法读取工作表（%v）", label, err)
	}
	return grid, hidden, nil
}

// partXML returns the raw XML of a sheet's part as excelize read it from
// the file; nil for "" or a part it does not hold.
func partXML(f *excelize.File, part string) []byte {
	if part == "" {
		return nil
	}
	v, _ := f.Pkg.Load(part)
	raw, _ := v.([]byte)
	return raw
}

// fillMerged copies each merged range's top-left value into every cell of
// the range (within the grid and MaxColumns), growing grid rows as needed.
// The ranges are read from the sheet's part as a stream: excelize would
// parse the whole sheet into memory to list them.
func fillMerged(f *excelize.File, label, part string, grid [][]string) error {
	raw := partXML(f, part)
	if !bytes.Contains(raw, []byte("mergeCell")) {
		return nil
	}
	bad := func(err error) error {
		return towndesk.Errorf(towndesk.EINVALID, "%s: 无法读取合并单元格（%v）", label, err)
	}
	d := xml.NewDecoder(bytes.NewReader(raw))
	merges, filled := 0, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return bad(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "mergeCell" {
			continue
		}
		var ref string
		for _, a := range se.Attr {
			if a.Name.Local == "ref" {
				ref = a.Value
			}
		}
		start, end, _ := strings.Cut(ref, ":")
		c1, r1, err := excelize.CellNameToCoordinates(start)
		if err != nil {
			return bad(err)
		}
		c2, r2 := c1, r1
		if end != "" {
			if c2, r2, err = excelize.CellNameToCoordinates(end); err != nil {
				return bad(err)
			}
		}
		if merges++; merges > maxMerges {
			return towndesk.Errorf(towndesk.EINVALID, "%s: 合并单元格超过 %d 处的上限", label, maxMerges)
		}
		if r1 > len(grid) || c1 > MaxColumns {
			continue
		}
		val := ""
		if row := grid[r1-1]; c1 <= len(row) {
			val = row[c1-1]
		}
		c2, r2 = min(c2, MaxColumns), min(r2, len(grid))
		if filled += max(0, r2-r1+1) * max(0, c2-c1+1); filled > maxMergeFill {
			return towndesk.Errorf(towndesk.EINVALID, "%s: 合并单元格覆盖的范围过大（超过 %d 个单元格）", label, maxMergeFill)
		}
		for r := r1; r <= r2; r++ {
			row := grid[r-1]
			for len(row) < c2 {
				row = append(row, "")
			}
			for c := c1; c <= c2; c++ {
				row[c-1] = val
			}
			grid[r-1] = row
		}
	}
}

// hiddenColumns returns the 0-based columns a sheet hides (within
// MaxColumns), read from the <cols> element that precedes the sheet's data;
// excelize would parse the whole sheet to tell.
func hiddenColumns(f *excelize.File, part string) map[int]bool {
	raw := partXML(f, part)
	data := bytes.Index(raw, []byte("<sheetData"))
	if data < 0 {
		data = bytes.Index(raw, []byte(":sheetData"))
	}
	if data < 0 || !bytes.Contains(raw[:data], []byte("hidden")) {
		return nil
	}
	d := xml.NewDecoder(bytes.NewReader(raw[:data]))
	var hidden map[int]bool
	for {
		tok, err := d.RawToken()
		if err != nil {
			// The cut before <sheetData> leaves the document unclosed:
			// every <col> has been seen by then.
			return hidden
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "col" {
			continue
		}
		var lo, hi int
		isHidden := false
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "min":
				lo, _ = strconv.Atoi(a.Value)
			case "max":
				hi, _ = strconv.Atoi(a.Value)
			case "hidden":
				isHidden = a.Value == "1" || a.Value == "true"
			}
		}
		if !isHidden || lo < 1 {
			continue
		}
		if hidden == nil {
			hidden = map[int]bool{}
		}
		for c := lo; c <= min(hi, MaxColumns); c++ {
			hidden[c-1] = true
		}
	}
}

// longNumbers returns the 0-based cells of a sheet part that Excel stores
// as numbers of more than 15 characters (1.20225000000004E+17): a code kept
// as such a number has lost its digits past the fifteenth. The part is
// streamed; excelize would parse the whole sheet to tell a cell's type.
// A malformed part yields what was found before the fault: excelize has
// read the same part already.
func longNumbers(f *excelize.File, part string) map[[2]int]bool {
	out := map[[2]int]bool{}
	raw := partXML(f, part)
	d := xml.NewDecoder(bytes.NewReader(raw))
	var at [2]int
	number, inValue := false, false
	for {
		tok, err := d.RawToken()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "c":
				number, at = true, [2]int{-1, -1}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "t":
						number = a.Value == "n"
					case "r":
						if c, r, err := excelize.CellNameToCoordinates(a.Value); err == nil {
							at = [2]int{r - 1, c - 1}
						}
					}
				}
			case "v":
				inValue = number && at[0] >= 0
			}
		case xml.EndElement:
			if t.Name.Local == "v" {
				inValue = false
			}
		case xml.CharData:
			if inValue && len(bytes.TrimSpace(t)) > 15 {
				out[at] = true
			}
		}
	}
}

// sheetParts maps each sheet's name to its part in the archive, from the
// workbook and its relationships, as excelize finds them.
func sheetParts(data []byte) (map[string]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = f
	}
	readXML := func(name string, v any) error {
		f, ok := files[strings.ToLower(name)]
		if !ok {
			return fmt.Errorf("missing %s", name)
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		return xml.NewDecoder(rc).Decode(v)
	}
	type rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	workbook := "xl/workbook.xml"
	var root rels
	if readXML("_rels/.rels", &root) == nil {
		for _, r := range root.Rel {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				workbook = strings.TrimPrefix(r.Target, "/")
			}
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := readXML(workbook, &wb); err != nil {
		return nil, err
	}
	dir := path.Dir(workbook)
	var wbRels rels
	if err := readXML(path.Join(dir, "_rels", path.Base(workbook)+".rels"), &wbRels); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		for _, r := range wbRels.Rel {
			if r.ID != s.RID {
				continue
			}
			target := r.Target
			if strings.HasPrefix(target, "/") {
				target = strings.TrimPrefix(target, "/")
			} else {
				target = path.Join(dir, target)
			}
			if f, ok := files[strings.ToLower(target)]; ok {
				out[s.Name] = strings.ReplaceAll(f.Name, "\\", "/") // as excelize keys it
			}
		}
	}
	return out, nil
}

// canceled is the error of a read stopped by ctx (a signal): the caller
// stores nothing.
func canceled(name string, err error) error {
	return &towndesk.Error{Code: towndesk.EINVALID, Message: fmt.Sprintf("%s: 读取已中断", name), Err: err}
}
