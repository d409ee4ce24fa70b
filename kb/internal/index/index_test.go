package index_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/internal/testenv"
	"github.com/towndesk/towndesk/kb/internal/index"
	"github.com/towndesk/towndesk/storage"
)

const airLaw = "《中华人民共和国大气污染防治法》第一百一十九条"

// lists imports a county list and a town list into a fresh database and
// opens an on-disk index over it. It returns the ids of the two lists.
func lists(t *testing.T) (*storage.DB, *index.Index, int64, int64) {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	db := testenv.DB(t, dir)
	gaz := testenv.Gazetteer(t)
	county := testenv.Place(t, gaz, "滕州市", "")
	town := testenv.Place(t, gaz, "滕州市", "滨湖镇")
	row := func(code, name, basis string) towndesk.PowerItem {
		return towndesk.PowerItem{Code: code, Name: name, Basis: basis, Body: "某部门", Mode: towndesk.ModeRetained, Category: "行政处罚"}
	}
	countyList, err := db.ImportEdition(ctx, storage.EditionInput{Place: county, Edition: "1", Items: []towndesk.PowerItem{
		row("C-1", "对露天焚烧秸秆的处罚", airLaw),
		row("C-2", "河道采砂许可", ""),
		row("C-3", "对随意倾倒生活垃圾的处罚", ""),
	}})
	if err != nil {
		t.Fatal(err)
	}
	townList, err := db.ImportEdition(ctx, storage.EditionInput{Place: town, Edition: "1", Items: []towndesk.PowerItem{
		row("T-1", "渔船登记", ""),
	}})
	if err != nil {
		t.Fatal(err)
	}
	x, err := index.Open(ctx, filepath.Join(dir, "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return db, x, countyList.ID, townList.ID
}

// codes returns the codes of the rows hit, in the order found.
func codes(t *testing.T, db *storage.DB, hits []index.Hit) []string {
	t.Helper()
	var out []string
	for _, h := range hits {
		items, err := db.EditionItems(t.Context(), h.Edition)
		if err != nil {
			t.Fatal(err)
		}
		if h.Seq < 0 || h.Seq >= len(items) {
			t.Fatalf("hit %+v: edition has %d rows", h, len(items))
		}
		out = append(out, items[h.Seq].Code)
	}
	return out
}

func TestSearch(t *testing.T) {
	db, x, county, town := lists(t)
	tests := []struct {
		name  string
		terms []index.Term
		lists []int64
		want  []string
	}{
		{"a word of an item name", []index.Term{{Text: "秸秆", Boost: 1}}, []int64{county}, []string{"C-1"}},
		{"one character, by the unigram field", []index.Term{{Text: "砂", Boost: 1}}, []int64{county}, []string{"C-2"}},
		{"a word only in the cited article", []index.Term{{Text: "沥青", Boost: 1}}, []int64{county}, []string{"C-1"}},
		{"only the lists asked for", []index.Term{{Text: "渔船", Boost: 1}}, []int64{county}, nil},
		{"the other list", []index.Term{{Text: "渔船", Boost: 1}}, []int64{town}, []string{"T-1"}},
		{"an exact term needs all its pairs", []index.Term{{Text: "焚烧垃圾", Boost: 1, Exact: true}}, []int64{county}, nil},
		{"a partial term needs one pair", []index.Term{{Text: "焚烧垃圾", Boost: 1}}, []int64{county, town}, []string{"C-1", "C-3"}},
		{"query syntax is text, not operators", []index.Term{{Text: "name:渔船 OR *", Boost: 1}}, []int64{county}, nil},
		{"no terms", nil, []int64{county}, nil},
		{"no lists", []index.Term{{Text: "秸秆", Boost: 1}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := x.Search(t.Context(), tt.terms, tt.lists, 10)
			if err != nil {
				t.Fatal(err)
			}
			got := codes(t, db, hits)
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%+v) = %v, want %v", tt.terms, got, tt.want)
			}
		})
	}
}

func TestStats(t *testing.T) {
	ctx := t.Context()
	db, x, _, _ := lists(t)
	docs, st, err := x.Stats(ctx, []string{"秸秆", "沥青", "砂", "处罚", "秸秆", "Ab"})
	if err != nil {
		t.Fatal(err)
	}
	if docs != 4 {
		t.Errorf("Stats: %d rows, want 4", docs)
	}
	want := map[string]index.TermStats{
		"秸秆": {Name: 1, Text: 1}, // the name, and the article its basis cites
		"沥青": {Name: 0, Text: 1}, // only the cited article
		"砂":  {Name: 1},          // one character: names only
		"处罚": {Name: 2, Text: 4}, // the category 行政处罚 is text
		"Ab": {},
	}
	for term, w := range want {
		if st[term] != w {
			t.Errorf("Stats(%q) = %+v, want %+v", term, st[term], w)
		}
	}

	// A new edition replaces the old rows, and the remembered stats with them.
	county := testenv.Place(t, testenv.Gazetteer(t), "滕州市", "")
	if _, err := db.ImportEdition(ctx, storage.EditionInput{Place: county, Edition: "2", Items: []towndesk.PowerItem{
		{Code: "C-9", Name: "对违法建设的处罚", Body: "某部门", Mode: towndesk.ModeRetained, Category: "行政处罚"},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := x.Refresh(ctx, db); err != nil {
		t.Fatal(err)
	}
	docs, st, err = x.Stats(ctx, []string{"秸秆", "违法"})
	if err != nil {
		t.Fatal(err)
	}
	if docs != 2 || st["秸秆"] != (index.TermStats{}) || st["违法"].Name != 1 {
		t.Errorf("after a new edition, Stats = %d rows, 秸秆 %+v, 违法 %+v; want 2 rows, 秸秆 {0 0}, 违法 in 1 name",
			docs, st["秸秆"], st["违法"])
	}
}

func TestArticles(t *testing.T) {
	a := index.NewArticles()
	if got := a.Text(airLaw); !strings.Contains(got, "露天焚烧秸秆") {
		t.Errorf("Text(%q) = %q, want the article on burning straw", airLaw, got)
	}
	if got := a.Text("《本地某某办法》第三条"); got != "" {
		t.Errorf("Text of a law towndesk does not hold = %q, want \"\"", got)
	}
	if got := a.Text(""); got != "" {
		t.Errorf("Text(\"\") = %q, want \"\"", got)
	}
}
