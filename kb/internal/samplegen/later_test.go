package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/law"
	"github.com/towndesk/towndesk/listfile"
)

// laterStyles are the styles of the later places, in README order.
var laterStyles = []string{"sc", "gd", "nm"}

// TestLaterPlacesDoNotCollide checks that no place the later counties bring
// (the county and every town of it in the gazetteer, since a county list
// covers all its towns) shares a full or short name with a place the first
// counties cover, so that questions about the first places resolve as
// before; that every short name has two characters at least; and that no
// short name hides in the wording of an item or in the words staff use, where
// a question could name the place without meaning to.
func TestLaterPlacesDoNotCollide(t *testing.T) {
	areas := readCSV(t, "../../../gazetteer/data/areas.csv")
	streets := readCSV(t, "../../../gazetteer/data/streets.csv")
	areaName := map[string]string{}
	for _, r := range areas {
		areaName[r[0]] = r[1]
	}
	townsOf := map[string][]string{}
	for _, r := range streets {
		townsOf[r[2]] = append(townsOf[r[2]], r[1])
	}
	type place struct{ name, county string }
	names := func(c *county) []place {
		ps := []place{{c.Name, c.Name}}
		for _, n := range townsOf[c.Code] {
			ps = append(ps, place{n, c.Name})
		}
		return ps
	}
	first := map[string]string{} // full and short name → first county covering it
	var later []place
	for _, c := range counties {
		if styleOf(c) == nil {
			for _, p := range names(c) {
				first[p.name], first[gazetteer.ShortName(p.name)] = p.county, p.county
			}
			continue
		}
		later = append(later, names(c)...)
	}
	if len(later) < 3+4 {
		t.Fatalf("%d places in the later counties, want at least 3 counties and their towns", len(later))
	}

	var text []string // the wording of every item of every style, and staff words
	cat := catalogue(t)
	for _, p := range cat {
		text = append(text, p.Name)
		for _, s := range p.Subs {
			text = append(text, s.Name)
		}
	}
	for _, s := range styles {
		for _, n := range s.names {
			text = append(text, n)
		}
	}
	text = append(text, "违建", "乱搭乱建", "烧秸秆", "放鞭炮", "摆摊", "占道", "乱倒垃圾", "土葬", "乱埋", "病死猪", "小广告", "镇上能罚吗", "去哪办")
	all := strings.Join(text, "\n")

	laterSeen := map[string]string{}
	for _, p := range later {
		short := gazetteer.ShortName(p.name)
		for _, n := range []string{p.name, short} {
			if c, ok := first[n]; ok {
				t.Errorf("%s (%s) shares the name %s with a place of %s", p.name, p.county, n, c)
			}
			if c, ok := laterSeen[n]; ok && c != p.county {
				t.Errorf("%s is a place of both %s and %s", n, c, p.county)
			}
			laterSeen[n] = p.county
		}
		if utf8.RuneCountInString(short) < 2 {
			t.Errorf("%s (%s): short name %q has fewer than two characters", p.name, p.county, short)
		}
		if strings.Contains(all, short) {
			t.Errorf("%s (%s): short name %q occurs in the wording of an item or a staff word", p.name, p.county, short)
		}
	}
	for _, c := range counties {
		if styleOf(c) != nil && areaName[c.Code] != c.Name {
			t.Errorf("county %s: gazetteer code %s is %s", c.Name, c.Code, areaName[c.Code])
		}
	}
}

// TestStyleNames checks the names files: every power of a style's scope has
// a name (and every sub-item where the style lists sub-items), no name
// repeats within a style, no name is the catalogue's name, few sub-item
// names are the catalogue's, and every penalty a name states is one the
// cited article sets.
func TestStyleNames(t *testing.T) {
	cat, laws := catalogue(t), loadLaws(t)
	penalties := []string{"罚款", "没收", "警告", "拆除", "吊销", "拘留", "停业", "停产", "停工", "补种", "恢复植被", "恢复原状", "取缔", "退还", "关闭", "停止违法行为", "停止建设", "停止施工", "停止诊疗"}
	for _, k := range laterStyles {
		s := styles[k]
		if err := s.checkNames(cat); err != nil {
			t.Error(err)
		}
		seen := map[string]string{}
		var subs, subsSame int
		for _, p := range scoped(cat, k) {
			n := s.name(p)
			if n == p.Name {
				t.Errorf("%s %s: name is the catalogue's %q", k, p.ID, n)
			}
			if other, dup := seen[n]; dup {
				t.Errorf("%s: %s and %s are both named %q", k, other, p.ID, n)
			}
			seen[n] = p.ID
			for i, sub := range p.Subs {
				if s.Fold {
					break
				}
				subs++
				if s.subName(p, i) == sub.Name {
					subsSame++
				}
			}
			a, err := laws.Article(p.Law, p.Article)
			if err != nil {
				t.Fatalf("%s: %v", p.ID, err)
			}
			for _, w := range penalties {
				if strings.Contains(n, w) && !strings.Contains(a.Text, w) {
					t.Errorf("%s %s: name says %q, %s%s does not", k, p.ID, w, p.Law, p.Article)
				}
			}
		}
		if subsSame*5 > subs {
			t.Errorf("%s: %d of %d sub-item names are the catalogue's, want at most a fifth", k, subsSame, subs)
		}
	}
}

// TestEveryRowCitesItsArticle checks every row of every list: the legal
// basis as the list writes it must lead, through the same citation reader
// towndesk uses, to the article of the power the row names.
func TestEveryRowCitesItsArticle(t *testing.T) {
	cat, laws := catalogue(t), loadLaws(t)
	byName := map[string]map[string]*power{} // style ("" = catalogue) → name → power
	byName[""] = map[string]*power{}
	for _, p := range cat {
		byName[""][p.Name] = p
	}
	for _, k := range laterStyles {
		byName[k] = map[string]*power{}
		for _, p := range scoped(cat, k) {
			byName[k][styles[k].name(p)] = p
		}
	}
	rows := 0
	for _, e := range editions(cat) {
		key := ""
		if styleOf(e.County) != nil {
			key = e.County.Style
		}
		for _, f := range e.Files {
			for _, s := range f.Sheets {
				for i, r := range s.Rows {
					rows++
					p := byName[key][r.Name]
					if p == nil {
						t.Errorf("%s row %d: no power is named %q", e.listName(), i+1, r.Name)
						continue
					}
					want, err := laws.Article(p.Law, p.Article)
					if err != nil {
						t.Fatalf("%s: %v", p.ID, err)
					}
					got := laws.Cite(r.Basis)
					if len(got) == 0 || got[0].Law != want.Law || got[0].Number != want.Number {
						t.Errorf("%s row %d (%s): basis %q cites %v, want %s%s first", e.listName(), i+1, p.ID, r.Basis, labels(got), want.Law, want.Label)
					}
				}
			}
		}
	}
	if rows < 3000 {
		t.Errorf("checked %d rows, want every row of the sample", rows)
	}
}

func labels(as []law.Article) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Short+a.Label)
	}
	return out
}

// TestImportBack reads every committed list file back through the importer,
// as towndesk loads the sample, and checks that each row comes out as the
// generator built it: the mode of the notes-only lists read from their
// notes, a county's 已下放… notes not read as the county row's mode, the
// extra columns of a 权责清单 left out, every sheet read.
func TestImportBack(t *testing.T) {
	for _, e := range editions(catalogue(t)) {
		var files []listfile.File
		var want []towndesk.PowerItem
		var noCode []bool
		for _, f := range e.Files {
			data, err := os.ReadFile(filepath.Join(sampleDir, f.Name))
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, listfile.File{Name: f.Name, Data: data})
			for _, s := range f.Sheets {
				for _, r := range s.Rows {
					want = append(want, project(r, s))
					noCode = append(noCode, s.NoCode != nil && s.NoCode(r))
				}
			}
		}
		mode := towndesk.ModeRetained
		if e.Town != nil {
			mode = towndesk.ModeStatutory
		}
		got, err := listfile.Parse(files, listfile.Options{DefaultMode: mode, CodePrefix: e.County.Code})
		if err != nil {
			t.Errorf("%s: %v", e.listName(), err)
			continue
		}
		if len(got.Items) != len(want) {
			t.Errorf("%s: imported %d rows, generated %d", e.listName(), len(got.Items), len(want))
			continue
		}
		for i, g := range got.Items {
			w := want[i]
			if noCode[i] {
				w.Code = g.Code // the importer makes one up
			}
			if g != w {
				t.Errorf("%s row %d: imported\n%+v\nwant\n%+v", e.listName(), i+1, g, w)
				break
			}
		}
	}
}

// project returns r as a reader of sheet s sees it: the fields s has no
// column for are empty (the mode is always there: a list without a mode
// column states it in its notes, or the importer gives the default).
func project(r towndesk.PowerItem, s sheet) towndesk.PowerItem {
	has := func(f string) bool { return colIndex(s, f) >= 0 }
	var out towndesk.PowerItem
	for f, p := range map[string][2]*string{
		"code": {&r.Code, &out.Code}, "name": {&r.Name, &out.Name}, "subitem": {&r.SubItem, &out.SubItem},
		"category": {&r.Category, &out.Category}, "basis": {&r.Basis, &out.Basis}, "body": {&r.Body, &out.Body},
		"office": {&r.Office, &out.Office}, "level": {&r.Level, &out.Level}, "domain": {&r.Domain, &out.Domain},
		"note": {&r.Note, &out.Note},
	} {
		if has(f) {
			*p[1] = *p[0]
		}
	}
	out.Mode = r.Mode
	return out
}

// TestNotesModeLists checks the lists that have no mode column: they really
// have none, their notes state the mode of every received power in words
// the importer reads, and some of their rows' notes say nothing about the
// mode (those take the town default, 法定, which is what they are).
func TestNotesModeLists(t *testing.T) {
	cat := catalogue(t)
	found := 0
	for _, e := range editions(cat) {
		if e.Town == nil || !e.Town.NotesMode {
			continue
		}
		found++
		for _, f := range e.Files {
			for _, s := range f.Sheets {
				if colIndex(s, "mode") >= 0 {
					t.Errorf("%s: %s has a mode column", e.listName(), f.Name)
				}
				for _, c := range s.Cols {
					if strings.Contains(c.Header, "方式") {
						t.Errorf("%s: header %s looks like a mode column", e.listName(), c.Header)
					}
				}
			}
			data, err := os.ReadFile(filepath.Join(sampleDir, f.Name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := listfile.Parse([]listfile.File{{Name: f.Name, Data: data}}, listfile.Options{DefaultMode: towndesk.ModeStatutory})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Defaulted) != 1 || got.Defaulted[0].FromNotes == 0 || got.Defaulted[0].Rows == 0 {
				t.Errorf("%s: Defaulted = %+v, want rows from notes and rows defaulted", f.Name, got.Defaulted)
			}
			modes := map[towndesk.Mode]bool{}
			for _, it := range got.Items {
				modes[it.Mode] = true
				if it.Mode != towndesk.ModeStatutory && it.Note == "" {
					t.Errorf("%s: %s row %s has no note", f.Name, it.Mode, it.Code)
				}
			}
			if len(modes) < 4 {
				t.Errorf("%s: modes %v, want at least four read from the notes and the default", f.Name, modes)
			}
		}
	}
	if found < 2 {
		t.Errorf("%d lists without a mode column, want two (one per style of notes)", found)
	}
}

var squadRe = regexp.MustCompile(`综合行政执法局.+(中队|大队)$`)

// TestLaterListFeatures checks that the later places' lists have what the
// evaluation over them needs: categories people apply for (行政许可,
// 行政确认, 行政给付) beside the enforcement ones, a 权责清单 split into
// sheets by category with columns towndesk does not import, a dispatched
// squad named as the body, a GB18030 CSV, a 乡, a 街道 and a 苏木 with lists
// of their own, and county and town lists in each later province.
func TestLaterListFeatures(t *testing.T) {
	cat := catalogue(t)
	cats := map[string]int{}
	kinds := map[string]bool{}
	var byCategorySheets, extraCols, squads, gbk int
	perStyle := map[string][2]int{} // style → county lists, town lists
	for _, e := range editions(cat) {
		s := styleOf(e.County)
		if s == nil {
			continue
		}
		n := perStyle[s.Key]
		if e.Town == nil {
			n[0]++
		} else {
			n[1]++
			for _, suf := range []string{"乡", "镇", "街道", "苏木"} {
				if strings.HasSuffix(e.Town.Name, suf) {
					kinds[suf] = true
				}
			}
		}
		perStyle[s.Key] = n
		for _, f := range e.Files {
			if f.Sheets[0].Encoding == "gb18030" {
				gbk++
			}
			split := len(f.Sheets) > 1
			for _, sh := range f.Sheets {
				if sh.Extra != nil {
					extraCols++
				}
				for _, r := range sh.Rows {
					cats[r.Category]++
					split = split && r.Category == sh.Name
					if r.Mode == towndesk.ModeDispatched && strings.HasSuffix(r.Body, "大队") && squadRe.MatchString(r.Body) {
						squads++
					}
				}
			}
			if split {
				byCategorySheets++
			}
		}
	}
	for _, c := range []string{"行政许可", "行政确认", "行政给付", "行政处罚", "行政强制", "行政检查"} {
		if cats[c] == 0 {
			t.Errorf("no %s row in the later lists", c)
		}
	}
	for _, k := range []string{"乡", "镇", "街道", "苏木"} {
		if !kinds[k] {
			t.Errorf("no %s with a list of its own", k)
		}
	}
	if byCategorySheets == 0 || extraCols == 0 || squads == 0 || gbk == 0 {
		t.Errorf("%d workbooks split by category, %d sheets with extra columns, %d rows naming a squad 大队, %d GB18030 CSV; want each",
			byCategorySheets, extraCols, squads, gbk)
	}
	towns := 0
	for _, k := range laterStyles {
		n := perStyle[k]
		if n[0] < 1 || n[1] < 1 {
			t.Errorf("%s: %d county and %d town lists, want one of each at least", styles[k].Province, n[0], n[1])
		}
		towns += n[1]
	}
	if towns < 4 {
		t.Errorf("%d town lists in the later places, want at least 4", towns)
	}
}

// TestFirstPlacesUnchanged pins the first places' lists: later powers never
// reach them, so their rows (and the codes evaluation sets refer to) stay
// as published. The byte-for-byte check is TestReproducible's; this one says
// why a failure matters.
func TestFirstPlacesUnchanged(t *testing.T) {
	want := map[string]int{
		"滕州市 2024版": 296, "滕州市滨湖镇 2023版": 117, "滕州市滨湖镇 2024版": 120, "滕州市官桥镇 2024版": 106,
		"滕州市柴胡店镇 2024版": 95, "蓟州区 2023版": 296, "蓟州区邦均镇 2024版": 108, "蓟州区下营镇 2024版": 105,
		"义乌市 2024版": 296, "义乌市佛堂镇 2024版": 121, "义乌市苏溪镇 2024版": 105, "宁津县 2024版": 296,
		"宁津县柴胡店镇 2024版": 108,
	}
	got := map[string]int{}
	for _, e := range editions(catalogue(t)) {
		if styleOf(e.County) == nil {
			got[e.listName()] = e.rowCount()
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("first places' lists = %v, want %v", got, want)
	}
}
