package listfile

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/towndesk/towndesk"
)

// TestTooLongCellReportedOnce: a cell over MaxCellSize is reported as too
// long, not also as the same column being empty.
func TestTooLongCellReportedOnce(t *testing.T) {
	big := strings.Repeat("很", MaxCellSize/3+10)
	f := File{Name: "long.csv", Data: []byte("事项名称,实施主体,承接方式\n" + big + "甲," + big + "乙," + big + "丙\n")}
	_, err := Parse([]File{f}, townOpts)
	msg := towndesk.ErrorMessage(err)
	for _, col := range []string{"事项名称", "实施主体", "承接方式"} {
		if n := strings.Count(msg, "列 "+col+" "); n != 1 {
			t.Errorf("column %s reported %d times, want once:\n%s", col, n, msg)
		}
		if !strings.Contains(msg, "long.csv:2: 列 "+col+" 的内容过长") {
			t.Errorf("error lacks column %s as too long:\n%s", col, msg)
		}
	}
}

// cancelAfter is a context whose Err turns to context.Canceled after n
// calls: a signal arriving in the middle of a read, at a known point.
type cancelAfter struct {
	context.Context
	n atomic.Int64
}

func (c *cancelAfter) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestParseStopsWhenCanceled: a read stops, midway, when its context ends
// (SIGINT/SIGTERM in the CLI), with an error that says so and wraps the
// context's.
func TestParseStopsWhenCanceled(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("事项名称,实施主体\n")
	var jsonl strings.Builder
	var grid [][]string
	grid = append(grid, []string{"事项名称", "实施主体"})
	for i := 0; i < 3000; i++ {
		csv.WriteString("对露天焚烧秸秆的处罚,某镇人民政府\n")
		jsonl.WriteString(`{"name":"对露天焚烧秸秆的处罚","body":"某镇人民政府"}` + "\n")
		grid = append(grid, []string{"对露天焚烧秸秆的处罚", "某镇人民政府"})
	}
	files := []File{
		{Name: "a.csv", Data: []byte(csv.String())},
		{Name: "b.jsonl", Data: []byte(jsonl.String())},
		{Name: "c.xlsx", Data: workbook(t, sheetSpec{name: "清单", rows: grid})},
	}
	for _, f := range files {
		ctx := &cancelAfter{Context: context.Background()}
		ctx.n.Store(3)
		_, err := ParseContext(ctx, []File{f}, townOpts)
		if !errors.Is(err, context.Canceled) || !strings.Contains(towndesk.ErrorMessage(err), f.Name+": 读取已中断") {
			t.Errorf("ParseContext(%s) canceled midway = %v, want 读取已中断 wrapping context.Canceled", f.Name, err)
		}
		if ctx.n.Load() >= 0 {
			t.Errorf("ParseContext(%s) asked the context %d times, want it to stop at the fourth", f.Name, 3-ctx.n.Load())
		}
	}
}

// rawXLSX is a one-sheet workbook whose sheet is sheetData (rows given as
// [][]string from A1, plus extraRows XML appended inside sheetData) and
// after: XML following sheetData (merged ranges). excelize would take
// minutes to write a range reaching Excel's last cell.
func rawXLSX(tb testing.TB, rows [][]string, extraRows, after string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for r, row := range rows {
		fmt.Fprintf(&b, `<row r="%d">`, r+1)
		for c, v := range row {
			if v != "" {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, cell, v)
			}
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(extraRows + `</sheetData>` + after + `</worksheet>`)
	return zipArchive(tb, append(workbookParts(), part{name: "xl/worksheets/sheet1.xml", head: []byte(b.String())}))
}

// TestMergedRangesStayInBounds: a merged range reaching Excel's last
// column and row fills only the rows the sheet has, up to xlsx.MaxColumns.
func TestMergedRangesStayInBounds(t *testing.T) {
	rows := [][]string{
		{"事项名称", "实施主体"},
		{"对露天焚烧秸秆的处罚", "某镇人民政府"},
		{"对燃放烟花爆竹的处罚", ""},
		{"注：全表右侧和下方被合并"},
	}
	data := rawXLSX(t, rows, "", `<mergeCells count="2"><mergeCell ref="B2:B3"/><mergeCell ref="A4:XFD1048576"/></mergeCells>`)
	got, err := Parse([]File{{Name: "merged.xlsx", Data: data}}, townOpts)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(got.Items) != 2 || got.Items[1].Body != "某镇人民政府" {
		t.Errorf("items = %+v, want 2 with the merged body filled down", got.Items)
	}
}

// TestRowsAndColumnsBounded: content beyond xlsx.MaxColumns or xlsx.MaxRows is
// refused, naming the row; empty rows far down (formatting) are not.
func TestRowsAndColumnsBounded(t *testing.T) {
	list := [][]string{{"事项名称", "实施主体"}, {"对露天焚烧秸秆的处罚", "某镇人民政府"}}
	formatted := `<row r="1048576" ht="30" customHeight="1"/>`
	if _, err := Parse([]File{{Name: "ok.xlsx", Data: rawXLSX(t, list, formatted, "")}}, townOpts); err != nil {
		t.Errorf("Parse with an empty formatted last row: %v", err)
	}
	tests := []struct{ name, extra, want string }{
		{"wide.xlsx", `<row r="3"><c r="IW3" t="inlineStr"><is><t>x</t></is></c></row>`, "wide.xlsx:3: 第 257 列有内容，清单最多 256 列"},
		{"far.xlsx", `<row r="100001"><c r="A100001" t="inlineStr"><is><t>x</t></is></c></row>`, "far.xlsx:100001: 超过每个工作表 100000 行的上限"},
	}
	for _, tt := range tests {
		_, err := Parse([]File{{Name: tt.name, Data: rawXLSX(t, list, tt.extra, "")}}, townOpts)
		if !strings.Contains(towndesk.ErrorMessage(err), tt.want) {
			t.Errorf("Parse(%s) = %v, want %q", tt.name, err, tt.want)
		}
	}
}
