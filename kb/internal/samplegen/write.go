package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/towndesk/towndesk"
)

// cells returns the table of s as it appears in the file: optional title,
// sub-title and blank rows, the header, the rows with 序号, and the notes.
// header is the index of the header row.
func cells(s sheet) (table [][]string, header int) {
	width := len(s.Cols)
	line := func(first string) []string {
		r := make([]string, width)
		r[0] = first
		return r
	}
	if s.Title != "" {
		table = append(table, line(s.Title))
	}
	if s.Sub != "" {
		table = append(table, line(s.Sub))
	}
	if s.Blank {
		table = append(table, line(""))
	}
	header = len(table)
	var h []string
	for _, c := range s.Cols {
		h = append(h, c.Header)
	}
	table = append(table, h)
	for i, r := range s.Rows {
		var out []string
		for _, c := range s.Cols {
			switch {
			case c.Field == "seq":
				out = append(out, strconv.Itoa(i+1))
			case c.Field == "code" && s.NoCode != nil && s.NoCode(r):
				out = append(out, "")
			case s.Extra[c.Field] != nil:
				out = append(out, s.Extra[c.Field](r))
			default:
				out = append(out, field(r, c.Field))
			}
		}
		table = append(table, out)
	}
	for _, n := range s.Notes {
		table = append(table, line(n))
	}
	return table, header
}

// fixedTime is stamped into the xlsx document properties so that the
// generator's output does not depend on when it ran.
var fixedTime = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC).Format(time.RFC3339)

// writeXLSX renders the sheets of f as a workbook: title rows merged across
// the columns, repeated values of the Merge fields merged vertically (the
// value kept in the top cell only, as Excel does), notes rows merged across.
func writeXLSX(f file) ([]byte, error) {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetDocProps(&excelize.DocProperties{Created: fixedTime, Modified: fixedTime, Creator: "towndesk samplegen"}); err != nil {
		return nil, err
	}
	for i, s := range f.Sheets {
		if i == 0 {
			if err := x.SetSheetName("Sheet1", s.Name); err != nil {
				return nil, err
			}
		} else if _, err := x.NewSheet(s.Name); err != nil {
			return nil, err
		}
		if err := fillSheet(x, s); err != nil {
			return nil, fmt.Errorf("sheet %s: %w", s.Name, err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func fillSheet(x *excelize.File, s sheet) error {
	table, header := cells(s)
	width := len(s.Cols)
	last, _ := excelize.ColumnNumberToName(width)
	merged := map[[2]int]bool{} // cells left empty under a vertical merge
	for _, name := range s.Merge {
		c := -1
		for i, col := range s.Cols {
			if col.Field == name {
				c = i
			}
		}
		if c < 0 {
			return fmt.Errorf("merge field %s is not a column", name)
		}
		start := header + 1
		for r := header + 1; r <= header+len(s.Rows); r++ {
			if r < header+len(s.Rows) && table[r+1][c] == table[start][c] {
				continue
			}
			if r > start && table[start][c] != "" {
				col, _ := excelize.ColumnNumberToName(c + 1)
				if err := x.MergeCell(s.Name, fmt.Sprintf("%s%d", col, start+1), fmt.Sprintf("%s%d", col, r+1)); err != nil {
					return err
				}
				for k := start + 1; k <= r; k++ {
					merged[[2]int{k, c}] = true
				}
			}
			start = r + 1
		}
	}
	for r, row := range table {
		for c, v := range row {
			if v == "" || merged[[2]int{r, c}] {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var err error
			if n, convErr := strconv.Atoi(v); convErr == nil && s.Cols[c].Field == "seq" && r > header {
				err = x.SetCellInt(s.Name, cell, int64(n))
			} else {
				err = x.SetCellStr(s.Name, cell, v)
			}
			if err != nil {
				return err
			}
		}
	}
	// Title, sub-title and notes rows span the table.
	for r := range table {
		if r < header && table[r][0] != "" || r > header+len(s.Rows) {
			if err := x.MergeCell(s.Name, fmt.Sprintf("A%d", r+1), fmt.Sprintf("%s%d", last, r+1)); err != nil {
				return err
			}
		}
	}
	for i, c := range s.Cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		w := 12.0
		switch c.Field {
		case "seq":
			w = 6
		case "name", "basis":
			w = 40
		case "body", "subitem", "note":
			w = 24
		}
		if err := x.SetColWidth(s.Name, name, name, w); err != nil {
			return err
		}
	}
	return nil
}

// writeCSV renders a sheet as Chinese Excel saves "CSV (逗号分隔)": CRLF
// line ends and, for gb18030, GB18030 bytes.
func writeCSV(s sheet) ([]byte, error) {
	table, _ := cells(s)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.WriteAll(table); err != nil {
		return nil, err
	}
	if s.Encoding == "gb18030" {
		return simplifiedchinese.GB18030.NewEncoder().Bytes(buf.Bytes())
	}
	return buf.Bytes(), nil
}

// writeJSONL renders rows with the canonical field names, one object a line.
func writeJSONL(s sheet) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, r := range s.Rows {
		if err := enc.Encode(jsonRow(r)); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// jsonRow fixes the key order of a jsonl line.
type jsonLine struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	SubItem  string `json:"subitem,omitempty"`
	Category string `json:"category"`
	Basis    string `json:"basis"`
	Body     string `json:"body"`
	Office   string `json:"office,omitempty"`
	Mode     string `json:"mode"`
	Level    string `json:"level,omitempty"`
	Domain   string `json:"domain,omitempty"`
	Note     string `json:"note,omitempty"`
}

func jsonRow(r towndesk.PowerItem) jsonLine {
	return jsonLine{r.Code, r.Name, r.SubItem, r.Category, r.Basis, r.Body, r.Office, string(r.Mode), r.Level, r.Domain, r.Note}
}

// render returns the bytes of one file of the sample.
func render(f file) ([]byte, error) {
	switch {
	case strings.HasSuffix(f.Name, ".xlsx"):
		return writeXLSX(f)
	case strings.HasSuffix(f.Name, ".csv"):
		return writeCSV(f.Sheets[0])
	case strings.HasSuffix(f.Name, ".jsonl"):
		return writeJSONL(f.Sheets[0])
	}
	return nil, fmt.Errorf("%s: unknown format", f.Name)
}

type manifestEntry struct {
	Province string   `json:"province"`
	County   string   `json:"county"`
	Town     string   `json:"town"`
	Edition  string   `json:"edition"`
	Files    []string `json:"files"`
}

// manifest returns kb/sample/manifest.json: the editions in import order.
func manifest(eds []edition) ([]byte, error) {
	var m struct {
		Lists []manifestEntry `json:"lists"`
	}
	for _, e := range eds {
		me := manifestEntry{Province: e.County.Province, County: e.County.Name, Edition: e.Edition}
		if e.Town != nil {
			me.Town = e.Town.Name
		}
		for _, f := range e.Files {
			me.Files = append(me.Files, f.Name)
		}
		m.Lists = append(m.Lists, me)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
