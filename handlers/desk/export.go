package desk

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage"
)

// RequestExportInput exports the ledger book (台账) to an Excel file.
type RequestExportInput struct {
	RequestFilterInput
	By string
	// File is the .xlsx file to write; an existing file is replaced.
	File string
	// Full writes phone and ID numbers unmasked; every request exported
	// so is recorded as revealed.
	Full bool
}

// RequestExportReply says what was exported.
type RequestExportReply struct {
	File     string `json:"file"`
	Requests int    `json:"requests"`
	Entries  int    `json:"entries"`
	Events   int    `json:"events"`
	Full     bool   `json:"full"`
}

// Export writes the requests the filters select, their money entries and
// their history to three sheets of an .xlsx file (代办事项, 收支明细,
// 流转记录), phone and ID numbers masked unless in.Full. Text is always
// written as text, never as a formula. The file appears whole or not at
// all: it is written under a temporary name and renamed. It returns
// EINVALID for a bad file name or filter, and EINTERNAL if the file cannot
// be written.
func (d *Desk) Export(ctx context.Context, in RequestExportInput) (*RequestExportReply, error) {
	if !strings.EqualFold(filepath.Ext(in.File), ".xlsx") {
		return nil, towndesk.Errorf(towndesk.EINVALID, "导出文件名应以 .xlsx 结尾：「%s」", in.File)
	}
	by, err := checkBy(in.By)
	if err != nil {
		return nil, err
	}
	f, err := d.filter(in.RequestFilterInput)
	if err != nil {
		return nil, err
	}
	book, err := d.db.RequestBook(ctx, f)
	if err != nil {
		return nil, err
	}
	if in.Full {
		// Recorded before the file exists: a reveal that is logged but
		// failed beats one that happened unlogged.
		events := make([]towndesk.Event, len(book.Requests))
		now := d.now()
		for i, r := range book.Requests {
			events[i] = towndesk.Event{RequestID: r.ID, At: now, By: by, Type: towndesk.EventRevealed, Note: "导出含完整联系电话和身份证号的台账"}
		}
		if err := d.db.AppendEvents(ctx, events...); err != nil {
			return nil, err
		}
	} else {
		for i, r := range book.Requests {
			book.Requests[i] = maskRequest(r)
		}
		book.Entries = maskEntries(book.Entries)
		book.Events = maskEvents(book.Events)
	}
	x, err := d.workbook(book)
	if err != nil {
		return nil, &towndesk.Error{Code: towndesk.EINTERNAL, Err: fmt.Errorf("build workbook: %w", err)}
	}
	defer x.Close()
	if err := writeFileAtomic(in.File, func(w io.Writer) error { return x.Write(w) }); err != nil {
		return nil, &towndesk.Error{Code: towndesk.EINTERNAL, Message: fmt.Sprintf("无法写入文件 %s", in.File), Err: err}
	}
	return &RequestExportReply{File: in.File, Requests: len(book.Requests), Entries: len(book.Entries),
		Events: len(book.Events), Full: in.Full}, nil
}

// Sheet names of the exported ledger book.
const (
	SheetRequests = "代办事项"
	SheetMoney    = "收支明细"
	SheetEvents   = "流转记录"
)

// workbook lays out book in three sheets. Every text cell is an inline
// string with the text number format (@), so Excel neither evaluates one
// that starts with = + - @ nor turns it into a formula when edited, and
// with control characters escaped (towndesk.EscapeControls): text stored
// before they were refused may hold them, and most are not even allowed
// in the sheet's XML.
func (d *Desk) workbook(book *storage.RequestBook) (*excelize.File, error) {
	x := excelize.NewFile()
	textStyle, err := x.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, err
	}
	headStyle, err := x.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	moneyStyle, err := x.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
	if err != nil {
		return nil, err
	}
	cell := func(v any) any {
		switch v := v.(type) {
		case string:
			return excelize.Cell{StyleID: textStyle, Value: towndesk.EscapeControls(v)}
		case towndesk.Money:
			return excelize.Cell{StyleID: moneyStyle, Value: v.Yuan()}
		}
		return v
	}
	sheet := func(name string, widths []float64, head []string, rows func(add func(...any) error) error) error {
		if _, err := x.NewSheet(name); err != nil {
			return err
		}
		sw, err := x.NewStreamWriter(name)
		if err != nil {
			return err
		}
		for i, w := range widths {
			if err := sw.SetColWidth(i+1, i+1, w); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		n := 1
		add := func(vals ...any) error {
			row := make([]any, len(vals))
			for i, v := range vals {
				row[i] = cell(v)
			}
			axis, _ := excelize.CoordinatesToCellName(1, n)
			n++
			return sw.SetRow(axis, row)
		}
		hs := make([]any, len(head))
		for i, h := range head {
			hs[i] = excelize.Cell{StyleID: headStyle, Value: h}
		}
		if err := sw.SetRow("A1", hs); err != nil {
			return err
		}
		n++
		if err := rows(add); err != nil {
			return err
		}
		return sw.Flush()
	}

	today := towndesk.DateOf(d.now())
	err = sheet(SheetRequests,
		[]float64{11, 10, 10, 12, 10, 8, 14, 20, 10, 30, 20, 16, 8, 8, 11, 8, 8, 16, 16, 16, 24, 16, 8, 16, 16, 6},
		[]string{"编号", "状态", "县（市、区）", "乡镇（街道）", "村（社区）", "群众姓名", "联系电话", "身份证号", "代办类型",
			"办理事项", "收到材料", "关联事项编码", "承办人", "承诺工作日", "办理时限", "超期工作日", "登记人", "登记时间",
			"受理时间", "办结时间", "办理结果", "不予受理或撤销理由", "回访结果", "回访说明", "回访时间", "重办次数"},
		func(add func(...any) error) error {
			for _, r := range book.Requests {
				if err := add(r.ID, r.Status.Chinese(), r.Town.County, r.Town.Town, r.Village, r.Citizen, r.Phone,
					r.IDNumber, r.Kind, r.Matter, strings.Join(r.Materials, "、"), r.ItemCode, r.Assignee,
					r.PromisedDays, string(r.Due), r.DaysLate(d.cal, today), r.CreatedBy, localTime(r.CreatedAt),
					localTime(r.AcceptedAt), localTime(r.DoneAt), r.Result, r.Reason, string(r.FollowUp),
					r.FollowUpNote, localTime(r.FollowedUpAt), r.Reopened); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	// A reversal (冲正) is a row of its own with a negative amount, so that
	// a column sum per type is the balance; both rows say what happened.
	reversedBy := map[int64]int64{}
	for _, e := range book.Entries {
		if e.Reverses != 0 {
			reversedBy[e.Reverses] = e.ID
		}
	}
	err = sheet(SheetMoney, []float64{11, 9, 8, 12, 16, 24, 10, 16, 14},
		[]string{"代办编号", "收支编号", "类型", "金额（元）", "票据号", "备注或冲正理由", "经办人", "时间", "冲正"},
		func(add func(...any) error) error {
			for _, e := range book.Entries {
				mark := ""
				switch {
				case e.Reverses != 0:
					mark = fmt.Sprintf("冲正 #%d", e.Reverses)
				case reversedBy[e.ID] != 0:
					mark = fmt.Sprintf("已由 #%d 冲正", reversedBy[e.ID])
				}
				if err := add(e.RequestID, e.ID, string(e.Type), e.Signed(), e.Receipt, e.Note, e.By, localTime(e.At), mark); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = sheet(SheetEvents, []float64{11, 16, 10, 12, 14, 14, 40},
		[]string{"代办编号", "时间", "操作人", "类型", "原值", "新值", "说明"},
		func(add func(...any) error) error {
			for _, e := range book.Events {
				from, to := e.From, e.To
				if e.Type == towndesk.EventMoved || e.Type == towndesk.EventCreated {
					from, to = statusName(from), statusName(to)
				}
				if err := add(e.RequestID, localTime(e.At), e.By, e.Type.Chinese(), from, to, e.Note); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	if err := x.DeleteSheet("Sheet1"); err != nil {
		return nil, err
	}
	x.SetActiveSheet(0)
	return x, nil
}

// writeFileAtomic writes a file through write under a temporary name in
// the same directory, syncs it and renames it into place, so that readers
// and a crash see the old file or the whole new one, never a part. The
// file is readable by its owner only: it holds personal data.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
