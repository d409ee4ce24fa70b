package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/law"
)

// sampleDir is the committed sample, relative to this package.
const sampleDir = "../../sample"

// loadLaws loads the embedded laws the catalogue cites, failing the test
// if they do not load.
func loadLaws(t *testing.T) *law.Laws {
	t.Helper()
	laws, err := law.Load()
	if err != nil {
		t.Fatalf("law.Load: %v", err)
	}
	return laws
}

// catalogue parses the catalogue of powers against the embedded laws.
func catalogue(t *testing.T) []*power {
	t.Helper()
	cat, err := parseCatalogue(catalogueText, loadLaws(t))
	if err != nil {
		t.Fatalf("parseCatalogue: %v", err)
	}
	return cat
}

var paragraphRe = regexp.MustCompile(`^(第[一二三四五六七八九十百零]+条)(?:第([一二三四五六七八九十]+)款)?$`)

// paragraph returns paragraph n (1-based) of an article's text, its
// enumerated items （一）… counted as part of the paragraph that lists them.
func paragraph(text string, n int) (string, bool) {
	var paras []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if len(paras) > 0 && (strings.HasPrefix(line, "（") || strings.HasPrefix(line, "(")) {
			paras[len(paras)-1] += line
			continue
		}
		paras = append(paras, line)
	}
	if n < 1 || n > len(paras) {
		return "", false
	}
	return paras[n-1], true
}

var smallNumbers = map[string]int{"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

// TestLegalBasis checks that every power cites an article that exists in the
// embedded laws, under the law's real title, and that the article (or the
// cited paragraph) contains the power's proof phrase, and every sub-item's.
func TestLegalBasis(t *testing.T) {
	laws := loadLaws(t)
	for _, p := range catalogue(t) {
		m := paragraphRe.FindStringSubmatch(p.Article)
		if m == nil {
			t.Errorf("%s: article %q is not 第N条 or 第N条第M款", p.ID, p.Article)
			continue
		}
		a, err := laws.Article(p.Law, m[1])
		if err != nil {
			t.Errorf("%s: Article(%q, %q) = %v", p.ID, p.Law, m[1], err)
			continue
		}
		if a.Law != p.Title {
			t.Errorf("%s: cited title %q, the law's title is %q", p.ID, p.Title, a.Law)
		}
		text := a.Text
		if m[2] != "" {
			var ok bool
			if text, ok = paragraph(a.Text, smallNumbers[m[2]]); !ok {
				t.Errorf("%s: %s%s has no paragraph %s", p.ID, p.Law, m[1], m[2])
				continue
			}
		}
		if !strings.Contains(text, p.Proof) {
			t.Errorf("%s: %s%s does not say %q", p.ID, p.Law, p.Article, p.Proof)
		}
		for _, s := range p.Subs {
			if !strings.Contains(a.Text, s.Proof) {
				t.Errorf("%s: %s%s does not say %q (sub-item %s)", p.ID, p.Law, m[1], s.Proof, s.Name)
			}
		}
		// The basis as written in the lists must lead back to the article.
		got := laws.Cite(p.Basis())
		if len(got) != 1 || got[0].Law != a.Law || got[0].Number != a.Number {
			t.Errorf("%s: Cite(%q) = %d articles, want %s%s", p.ID, p.Basis(), len(got), a.Law, a.Label)
		}
	}
}

// TestPlacesFileErrors: a malformed line of places.txt or headers.txt stops
// the generator with the file, the line and what is wrong.
func TestPlacesFileErrors(t *testing.T) {
	const county = "county|山东省|滕州市|370481|滕州市|sd|县级|squads\n"
	tests := []struct {
		name, file, text, want string
	}{
		{"unknown kind", "places.txt", county + "village|前李村", "places.txt line 2: unknown kind \"village\""},
		{"missing field", "places.txt", county + "town|滨湖镇|370481104|BH|55|25|60|", "places.txt line 2: 8 fields, want 9"},
		{"dept first", "places.txt", "dept|zr|滕州市自然资源局", "places.txt line 1: dept before the first county"},
		{"unknown style", "places.txt", "county|山东省|滕州市|370481|滕州市|xx|县级|", "places.txt line 1: unknown style \"xx\""},
		{"bad percentage", "places.txt", county + "town|滨湖镇|370481104|BH|155|25|60||", "line 2: field 5: \"155\" is no percentage"},
		{"bad mode", "places.txt", county + "town|滨湖镇|370481104|BH|55|25|60||\nmodes|td78=法定", "line 3: \"td78=法定\": want id=mode"},
		{"modes of no town", "places.txt", county + "modes|td78=赋权", "line 2: modes of no town"},
		{"departments missing", "places.txt", county + "dept|zr|滕州市自然资源局", "滕州市 has 1 departments, want 14"},
		{"header pair", "headers.txt", "滕州市 2024版|seq=序号 code", "headers.txt line 1: \"code\": want field=header"},
		{"header twice", "headers.txt", "滕州市 2024版|seq=序号\n滕州市 2024版|seq=序号", "headers.txt line 2: want one line a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, tt.want) {
					t.Errorf("parse(%q) panics with %q, want it to say %q", tt.text, msg, tt.want)
				}
			}()
			if tt.file == "headers.txt" {
				mustParseHeaders(tt.file, tt.text)
			} else {
				mustParsePlaces(tt.file, tt.text)
			}
		})
	}
}

// TestReproducible regenerates the sample and compares it with the committed
// files: byte for byte for csv, jsonl, manifest and README; cell by cell and
// merge by merge for xlsx, whose zip entries may carry other timestamps.
func TestReproducible(t *testing.T) {
	dir := t.TempDir()
	if err := generate(dir); err != nil {
		t.Fatalf("generate: %v", err)
	}
	got, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadDir(sampleDir)
	if err != nil {
		t.Fatal(err)
	}
	names := func(des []os.DirEntry) []string {
		var ns []string
		for _, d := range des {
			ns = append(ns, d.Name())
		}
		return ns
	}
	if diff := cmp.Diff(names(want), names(got)); diff != "" {
		t.Fatalf("generated files differ from kb/sample (-committed +generated):\n%s\nrun: go run ./kb/internal/samplegen", diff)
	}
	for _, d := range got {
		name := d.Name()
		g, w := filepath.Join(dir, name), filepath.Join(sampleDir, name)
		if filepath.Ext(name) == ".xlsx" {
			if diff := cmp.Diff(readWorkbook(t, w), readWorkbook(t, g)); diff != "" {
				t.Errorf("%s differs (-committed +generated):\n%s", name, diff)
			}
			continue
		}
		gb, _ := os.ReadFile(g)
		wb, _ := os.ReadFile(w)
		if !bytes.Equal(gb, wb) {
			t.Errorf("%s differs from a fresh run; run: go run ./kb/internal/samplegen", name)
		}
	}
}

// workbook is what a reader of an xlsx sees: cells and merged ranges per sheet.
type workbook map[string]struct {
	Rows   [][]string
	Merges []string
}

func readWorkbook(t *testing.T, path string) workbook {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	wb := workbook{}
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatalf("%s %s: %v", path, s, err)
		}
		mcs, err := f.GetMergeCells(s)
		if err != nil {
			t.Fatalf("%s %s: %v", path, s, err)
		}
		var ms []string
		for _, m := range mcs {
			ms = append(ms, m.GetStartAxis()+":"+m.GetEndAxis()+"="+m.GetCellValue())
		}
		e := wb[s]
		e.Rows, e.Merges = rows, ms
		wb[s] = e
	}
	return wb
}

// TestPlaces checks every place against the project's gazetteer, the
// duplicate town name the ask tests rely on, and that 滨湖镇 stays
// unambiguous among the covered places.
func TestPlaces(t *testing.T) {
	areas := readCSV(t, "../../../gazetteer/data/areas.csv")         // code,name,cityCode,provinceCode
	streets := readCSV(t, "../../../gazetteer/data/streets.csv")     // code,name,areaCode,provinceCode,cityCode
	provinces := readCSV(t, "../../../gazetteer/data/provinces.csv") // code,name
	provinceName := map[string]string{}
	for _, r := range provinces {
		provinceName[r[0]] = r[1]
	}
	areaByCode := map[string][]string{}
	for _, r := range areas {
		areaByCode[r[0]] = r
	}
	streetByCode := map[string][]string{}
	townsOf := map[string][]string{} // county code → town names
	for _, r := range streets {
		streetByCode[r[0]] = r
		townsOf[r[2]] = append(townsOf[r[2]], r[1])
	}
	for _, c := range counties {
		a, ok := areaByCode[c.Code]
		if !ok || a[1] != c.Name || provinceName[a[3]] != c.Province {
			t.Errorf("county %s%s (%s) is not in the gazetteer as such: %v", c.Province, c.Name, c.Code, a)
		}
	}
	for _, tw := range towns {
		s, ok := streetByCode[tw.Code]
		if !ok || s[1] != tw.Name || s[2] != tw.County.Code {
			t.Errorf("town %s%s (%s) is not in the gazetteer as such: %v", tw.County.Name, tw.Name, tw.Code, s)
		}
	}

	// Places covered: every town of a covered county.
	coveredIn := map[string][]string{} // town name → covered counties holding one
	for _, c := range counties {
		for _, n := range townsOf[c.Code] {
			coveredIn[n] = append(coveredIn[n], c.Name)
		}
	}
	if got := coveredIn["滨湖镇"]; len(got) != 1 || got[0] != "滕州市" {
		t.Errorf("滨湖镇 is covered in %v, want only 滕州市", got)
	}
	listed := map[string]map[string]bool{} // town name with its own list → counties
	for _, tw := range towns {
		if listed[tw.Name] == nil {
			listed[tw.Name] = map[string]bool{}
		}
		listed[tw.Name][tw.County.Name] = true
	}
	dup := false
	for _, cs := range listed {
		dup = dup || len(cs) >= 2
	}
	if !dup {
		t.Errorf("no town name has a list in two counties; the ambiguous-place questions need one")
	}
	if len(counties) < 3 || len(towns) < 8 {
		t.Errorf("%d counties and %d towns, want at least 3 and 8", len(counties), len(towns))
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read gazetteer: %v", err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return rows[1:]
}

// TestLists checks what the importer and the ask tests rely on: enough rows,
// required fields, valid modes, no repeated code within a list, the formats,
// and the contrasts the README promises.
func TestLists(t *testing.T) {
	cat := catalogue(t)
	eds := editions(cat)
	total, xlsx, gbk, emptyCodes := 0, 0, 0, 0
	for _, e := range eds {
		seen := map[string]bool{}
		for _, f := range e.Files {
			switch filepath.Ext(f.Name) {
			case ".xlsx":
				xlsx++
			case ".csv":
				if f.Sheets[0].Encoding == "gb18030" {
					gbk++
				}
			}
			for _, s := range f.Sheets {
				table, header := cells(s)
				for i, r := range s.Rows {
					code := table[header+1+i][colIndex(s, "code")]
					if code == "" {
						emptyCodes++
					} else if seen[code] {
						t.Errorf("%s: code %s repeated", e.listName(), code)
					}
					seen[code] = true
					if r.Name == "" || r.Body == "" || r.Basis == "" || r.Category == "" {
						t.Errorf("%s: row %d lacks name, body, basis or category: %+v", e.listName(), i+1, r)
					}
					if _, ok := towndesk.ParseMode(string(r.Mode)); !ok {
						t.Errorf("%s: row %d has mode %q", e.listName(), i+1, r.Mode)
					}
					if e.Town == nil && r.Mode != towndesk.ModeRetained {
						t.Errorf("%s: county row %d has mode %q", e.listName(), i+1, r.Mode)
					}
				}
			}
		}
		n := e.rowCount()
		total += n
		if e.Town != nil && (n < 50 || n > 250) {
			t.Errorf("%s has %d rows, want 50–250 like a real town list", e.listName(), n)
		}
	}
	if total < 1500 {
		t.Errorf("%d rows in all, want at least 1,500", total)
	}
	if 2*xlsx < len(eds) || gbk < 3 {
		t.Errorf("%d xlsx and %d GB18030 csv files in %d editions, want half xlsx and three csv", xlsx, gbk, len(eds))
	}
	if emptyCodes == 0 {
		t.Errorf("no row without a code; the importer's code generation needs one")
	}

	// Contrast: within one county, a matter devolved to one town and kept by
	// the county for another.
	for _, id := range []string{"td78", "cx64", "dq119a", "bz20", "sr36b", "dy98"} {
		p := find(cat, id)
		found := false
		for _, a := range towns {
			for _, b := range towns {
				ma, mb := townMode(a, p, nil), townMode(b, p, nil)
				if a.County == b.County && (ma == towndesk.ModeDevolved || ma == towndesk.ModeDelegated) && mb == "" {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s (%s): no county has it devolved to one town and kept for another", id, p.Name)
		}
	}

	// 滨湖镇 2023 → 2024: a body change, added and taken-back powers.
	binhu := townNamed(countyNamed("滕州市"), "滨湖镇")
	bh23, bh24 := townRows(binhu, cat, binhu2023), townRows(binhu, cat, nil)
	byCode := func(rows []towndesk.PowerItem) map[string]towndesk.PowerItem {
		m := map[string]towndesk.PowerItem{}
		for _, r := range rows {
			m[r.Code] = r
		}
		return m
	}
	old, cur := byCode(bh23), byCode(bh24)
	var added, removed, changed int
	for c, r := range cur {
		if o, ok := old[c]; !ok {
			added++
		} else if o.Body != r.Body || o.Mode != r.Mode {
			changed++
		}
	}
	for c := range old {
		if _, ok := cur[c]; !ok {
			removed++
		}
	}
	if added == 0 || removed == 0 || changed == 0 {
		t.Errorf("滨湖镇 2023→2024: %d added, %d removed, %d changed; want some of each", added, removed, changed)
	}
}

func colIndex(s sheet, f string) int {
	for i, c := range s.Cols {
		if c.Field == f {
			return i
		}
	}
	return -1
}

// TestEncodings reads the committed csv files back: GB18030 ones must not be
// valid UTF-8 (the importer must detect them) and must decode to the header.
func TestEncodings(t *testing.T) {
	for _, e := range editions(catalogue(t)) {
		for _, f := range e.Files {
			if filepath.Ext(f.Name) != ".csv" {
				continue
			}
			b, err := os.ReadFile(filepath.Join(sampleDir, f.Name))
			if err != nil {
				t.Fatal(err)
			}
			if utf8.Valid(b) {
				t.Errorf("%s is valid UTF-8, want GB18030", f.Name)
			}
			u, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
			if err != nil {
				t.Fatalf("decode %s: %v", f.Name, err)
			}
			rows, err := csv.NewReader(bytes.NewReader(u)).ReadAll()
			if err != nil {
				t.Fatalf("parse %s: %v", f.Name, err)
			}
			if rows[0][0] != "序号" || len(rows)-1 != e.rowCount() && len(e.Files) == 1 {
				t.Errorf("%s: header %v and %d rows, want 序号 … and %d rows", f.Name, rows[0], len(rows)-1, e.rowCount())
			}
		}
	}
}
