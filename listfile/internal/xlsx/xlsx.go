// Package xlsx opens an xlsx workbook and reads its sheets as grids of
// text, as a person reading them in Excel sees them: merged ranges filled
// from their top-left cell, hidden sheets, rows and columns marked, and
// the cells told apart that Excel stores as numbers too long to keep. It
// refuses a file that would cost far more than a real spreadsheet (a zip
// bomb, a part unlike its directory, too many parts, columns, rows or
// merged cells) before it costs that, and stops when its context ends.
//
// It knows nothing of what the sheets hold: listfile reads them as power
// lists. Only its messages speak of the file as a list (清单), as that is
// what people give it.
//
// Every error it returns is a *towndesk.Error: EINVALID, with a Chinese
// Message naming the file, the sheet (FILE[SHEET] in a workbook of several
// sheets) and the row where one is to blame; EINTERNAL when no temporary
// directory can be made.
package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/towndesk/towndesk"
)

// Workbook is an open xlsx file. Close releases it.
type Workbook struct {
	f      *excelize.File
	tmp    string            // excelize's temporary directory, removed by Close
	parts  map[string]string // each sheet's part in the archive
	sheets []Sheet
}

// Sheet is one worksheet of a workbook.
type Sheet struct {
	Name string
	// Label names the sheet in messages: the file's name, or FILE[SHEET]
	// in a workbook of several sheets.
	Label string
	// Hidden is set for a sheet Excel hides: not what a person reading
	// the workbook sees (an old edition, a working copy).
	Hidden bool
}

// Grid is a sheet's text. Rows[i] is the sheet's row i+1, its empty
// cells at the end left out; the empty rows at the sheet's end are left
// out too. A merged range's value stands in each of its cells.
type Grid struct {
	Rows [][]string
	// HiddenRows and HiddenCols are the 0-based rows and columns Excel
	// hides; nil when it hides none.
	HiddenRows map[int]bool
	HiddenCols map[int]bool

	f       *excelize.File
	part    string
	numbers map[[2]int]bool // read when LongNumber is first asked
}

// Open checks an xlsx file's archive and opens it; name is the file's
// name in messages. It refuses (EINVALID) a file that is no xlsx, whose
// parts would unpack beyond MaxUnzipSize, compress beyond MaxZipRatio or
// do not match the archive's directory, and one whose markup is far beyond
// a real spreadsheet's. The parts stay in memory (bounded by those
// checks); anything excelize writes goes to a directory Close removes.
func Open(ctx context.Context, name string, data []byte) (*Workbook, error) {
	if err := checkZip(ctx, name, data); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "towndesk-xlsx-")
	if err != nil {
		return nil, &towndesk.Error{Code: towndesk.EINTERNAL, Err: fmt.Errorf("temporary directory: %w", err)}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: MaxUnzipSize, UnzipXMLSizeLimit: MaxUnzipSize, TmpDir: tmp})
	if err != nil {
		os.RemoveAll(tmp)
		return nil, towndesk.Errorf(towndesk.EINVALID, "%s: 不是有效的 xlsx 文件（%v）", name, err)
	}
	w := &Workbook{f: f, tmp: tmp}
	if w.parts, err = sheetParts(data); err != nil {
		w.Close()
		return nil, towndesk.Errorf(towndesk.EINVALID, "%s: 不是有效的 xlsx 文件（%v）", name, err)
	}
	names := f.GetSheetList()
	for _, sheet := range names {
		label := name
		if len(names) > 1 {
			label = fmt.Sprintf("%s[%s]", name, sheet)
		}
		visible, err := f.GetSheetVisible(sheet)
		w.sheets = append(w.sheets, Sheet{Name: sheet, Label: label, Hidden: err == nil && !visible})
	}
	return w, nil
}

// Close releases the workbook and removes its temporary directory. It
// returns the first error doing so.
func (w *Workbook) Close() error {
	err := w.f.Close()
	if rerr := os.RemoveAll(w.tmp); err == nil {
		err = rerr
	}
	return err
}

// Sheets returns the workbook's sheets in its order, hidden ones too.
func (w *Workbook) Sheets() []Sheet { return w.sheets }

// Read reads a sheet of w, its rows one at a time. It refuses (EINVALID,
// naming s.Label and the row) a row with content beyond MaxColumns or
// below MaxRows, more merged ranges or merged cells than a real sheet
// holds, and a sheet it cannot read; it stops when ctx ends.
func (w *Workbook) Read(ctx context.Context, s Sheet) (*Grid, error) {
	rows, hidden, err := readSheet(ctx, w.f, s.Label, s.Name)
	if err != nil {
		return nil, err
	}
	part := w.parts[s.Name]
	if err := fillMerged(w.f, s.Label, part, rows); err != nil {
		return nil, err
	}
	return &Grid{Rows: rows, HiddenRows: hidden, HiddenCols: hiddenColumns(w.f, part), f: w.f, part: part}, nil
}

// LongNumber reports whether the cell at 0-based row and col is stored as
// a number of more than 15 characters (1.20225000000004E+17): a code kept
// as such a number has lost its digits past the fifteenth. The sheet is
// read for it when first asked, which must be before its workbook is
// closed.
func (g *Grid) LongNumber(row, col int) bool {
	if g.numbers == nil {
		g.numbers = longNumbers(g.f, g.part)
	}
	return g.numbers[[2]int{row, col}]
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
