package xlsx

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/towndesk/towndesk"
)

// book writes a workbook with excelize; edit shapes each sheet after its
// cells (cell "清单!B2" → value) are set. The first of names is Sheet1.
func book(t *testing.T, names []string, cells map[string]any, edit func(*excelize.File) error) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range names {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
	}
	for ref, v := range cells {
		sheet, cell, _ := strings.Cut(ref, "!")
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		if err := edit(f); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadAsSeen: a sheet reads as a person sees it in Excel: merged
// cells filled, an empty row kept between rows and dropped at the end,
// hidden rows, columns and sheets marked, long numbers told apart.
func TestReadAsSeen(t *testing.T) {
	data := book(t, []string{"清单", "旧版"}, map[string]any{
		"清单!A1": "事项编码", "清单!B1": "实施主体", "清单!C1": "调整前",
		"清单!A2": float64(1202250401), "清单!B2": "某镇人民政府", "清单!C2": "某县",
		"清单!A3": float64(120225000000004001),
		"清单!A5": "注", "旧版!A1": "事项名称",
	}, func(f *excelize.File) error {
		return errors.Join(f.MergeCell("清单", "B2", "B3"), f.SetColVisible("清单", "C", false),
			f.SetRowVisible("清单", 5, false), f.SetRowHeight("清单", 9, 30), f.SetSheetVisible("旧版", false))
	})
	wb, err := Open(context.Background(), "f.xlsx", data)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer wb.Close()
	wantSheets := []Sheet{{Name: "清单", Label: "f.xlsx[清单]"}, {Name: "旧版", Label: "f.xlsx[旧版]", Hidden: true}}
	if diff := cmp.Diff(wantSheets, wb.Sheets()); diff != "" {
		t.Errorf("Sheets() (-want +got):\n%s", diff)
	}
	g, err := wb.Read(context.Background(), wb.Sheets()[0])
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	wantRows := [][]string{{"事项编码", "实施主体", "调整前"}, {"1202250401", "某镇人民政府", "某县"},
		{"120225000000004000", "某镇人民政府"}, nil, {"注"}}
	if diff := cmp.Diff(wantRows, g.Rows); diff != "" {
		t.Errorf("Rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[int]bool{4: true}, g.HiddenRows); diff != "" {
		t.Errorf("HiddenRows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[int]bool{2: true}, g.HiddenCols); diff != "" {
		t.Errorf("HiddenCols (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		row, col int
		want     bool
	}{{2, 0, true}, {1, 0, false}, {2, 1, false}, {0, 0, false}} {
		if got := g.LongNumber(c.row, c.col); got != c.want {
			t.Errorf("LongNumber(%d, %d) = %v, want %v", c.row, c.col, got, c.want)
		}
	}
}

// TestOneSheetLabel: a workbook of one sheet names it by the file alone.
func TestOneSheetLabel(t *testing.T) {
	wb, err := Open(context.Background(), "f.xlsx", book(t, []string{"清单"}, map[string]any{"清单!A1": "x"}, nil))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer wb.Close()
	if got := wb.Sheets(); len(got) != 1 || got[0].Label != "f.xlsx" {
		t.Errorf("Sheets() = %+v, want one labelled f.xlsx", got)
	}
}

// TestRefused: what cannot be read is refused with an EINVALID error
// naming the file (and the sheet and row where one is to blame).
func TestRefused(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	wide := book(t, []string{"清单"}, map[string]any{"清单!A1": "x", "清单!IW2": "y"}, nil)
	tests := []struct {
		name string
		ctx  context.Context
		data []byte
		want string
	}{
		{"not a zip", context.Background(), []byte("事项名称,实施主体\n"), "f.xlsx: 不是有效的 xlsx 文件"},
		{"canceled", canceled, wide, "f.xlsx: 读取已中断"},
		{"column 257", context.Background(), wide, "f.xlsx:2: 第 257 列有内容，清单最多 256 列"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := read(tt.ctx, tt.data)
			if towndesk.ErrorCode(err) != towndesk.EINVALID || !strings.Contains(towndesk.ErrorMessage(err), tt.want) {
				t.Errorf("reading = %v, want EINVALID %q", err, tt.want)
			}
			if tt.ctx.Err() != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("reading canceled = %v, want it to wrap context.Canceled", err)
			}
		})
	}
}

// read opens data and reads its first sheet.
func read(ctx context.Context, data []byte) error {
	wb, err := Open(ctx, "f.xlsx", data)
	if err != nil {
		return err
	}
	defer wb.Close()
	_, err = wb.Read(ctx, wb.Sheets()[0])
	return err
}

// TestCloseLeavesNoFile: Close removes the temporary directory Open made.
func TestCloseLeavesNoFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if err := read(context.Background(), book(t, []string{"清单"}, map[string]any{"清单!A1": "x"}, nil)); err != nil {
		t.Fatalf("read: %v", err)
	}
	if left, err := os.ReadDir(tmp); err != nil || len(left) > 0 {
		t.Errorf("TMPDIR after Close holds %v (%v), want nothing", left, err)
	}
}
