package listfile

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/listfile/internal/xlsx"
)

// parseXLSX reads every visible sheet that has a header row, as the
// xlsx package reads it: merged cells filled from their top-left value,
// hidden rows and columns marked, as a person reading the sheet sees them.
func parseXLSX(ctx context.Context, name string, data []byte, opts Options) (*fileRows, error) {
	wb, err := xlsx.Open(ctx, name, data)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
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
	for _, sheet := range wb.Sheets() {
		if err := ctx.Err(); err != nil {
			return nil, canceled(name, err)
		}
		// A hidden sheet is not what a person reading the workbook sees
		// (an old edition, a working copy): it is left out, and said so.
		if sheet.Hidden {
			hiddenSheets = append(hiddenSheets, sheet.Label)
			continue
		}
		grid, err := wb.Read(ctx, sheet)
		if err != nil {
			return nil, err
		}
		label := sheet.Label
		pos := func(row int) string { return fmt.Sprintf("%s:%d", label, row) }
		src := gridSource{pos: pos, label: label, sheet: sheet.Name,
			hiddenCols: grid.HiddenCols, hiddenRows: grid.HiddenRows, numeric: grid.LongNumber}
		g, err := parseGrid(grid.Rows, src, opts)
		if err != nil {
			return nil, err
		}
		if g.body != "" && titled == nil {
			titled, titledFrom = g, fmt.Sprintf("工作表“%s”的标题“%s”", sheet.Name, g.bodyFrom)
		}
		sr := sheetRead{g: g, src: src}
		if g.noBody != nil {
			sr.grid = grid.Rows // read again below
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

// canceled is the error of a read stopped by ctx (a signal): the caller
// stores nothing.
func canceled(name string, err error) error {
	return &towndesk.Error{Code: towndesk.EINVALID, Message: fmt.Sprintf("%s: 读取已中断", name), Err: err}
}
