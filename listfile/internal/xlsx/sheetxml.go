package xlsx

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/towndesk/towndesk"
)

// A sheet's merged ranges, hidden columns and cell types are read from the
// sheet's part as a stream: excelize would parse the whole sheet into
// memory to tell them.

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
