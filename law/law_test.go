package law

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/towndesk/towndesk"
)

// loadLaws loads the embedded law texts, failing the test if it cannot.
func loadLaws(t testing.TB) *Laws {
	t.Helper()
	l, err := Load()
	if err == nil {
		return l
	}
	t.Fatalf("Load() error: %v", err)
	return nil
}

func TestLoad(t *testing.T) {
	l := loadLaws(t)
	names := l.Names()
	if len(names) != 38 {
		t.Errorf("len(Names()) = %d, want 38", len(names))
	}
	if !slices.IsSorted(names) {
		t.Errorf("Names() = %v, not sorted", names)
	}
	for _, want := range []string{"城乡规划法", "村庄和集镇规划建设管理条例", "土地管理法实施条例", "河道管理条例"} {
		if !slices.Contains(names, want) {
			t.Errorf("Names() = %v, want it to contain %s", names, want)
		}
	}
	// Every law numbers its articles 1..N with nothing missing, and every
	// article starts with its label.
	for _, d := range l.laws {
		if len(d.arts()) == 0 {
			t.Errorf("%s has no articles", d.short)
		}
		for k, a := range d.arts() {
			if a.Number != k+1 {
				t.Errorf("%s: article %d is numbered %d", d.short, k+1, a.Number)
				break
			}
			if !strings.HasPrefix(a.Text, a.Label) || a.Law != d.title || a.Short != d.short {
				t.Errorf("%s %s = %+v, want text starting with its label", d.short, a.Label, a)
			}
			if strings.Contains(a.Text, "#") || strings.Contains(a.Text, "\n\n") {
				t.Errorf("%s %s text %q holds a heading or blank line", d.short, a.Label, a.Text)
			}
		}
	}
}

// The embedded files are regular; this checks the variations law texts
// found elsewhere have: full-width spaces, indentation, no metadata marker,
// a paragraph that starts like an article.
func TestParseLawVariations(t *testing.T) {
	text := "# 某某条例\n\n" +
		"## 第一章 总则\n\n" +
		"第一条　为了测试，制定本条例。\n\n" +
		"　　第二条 第一款。\n\n" +
		"第一款规定的事项，适用本条例。\n\n" +
		"### 第一节 细则\n\n" +
		"第三条\n\n" +
		"第四条规定以外的事项。\n"
	d, err := parseTitle(text)
	if err != nil {
		t.Fatalf("parseTitle() error: %v", err)
	}
	if d.title != "某某条例" || d.short != "某某条例" {
		t.Errorf("parseTitle() = %q, %q; want 某某条例 twice", d.title, d.short)
	}
	want := []Article{
		{Law: "某某条例", Short: "某某条例", Number: 1, Label: "第一条", Text: "第一条　为了测试，制定本条例。"},
		{Law: "某某条例", Short: "某某条例", Number: 2, Label: "第二条", Text: "第二条 第一款。\n第一款规定的事项，适用本条例。"},
		{Law: "某某条例", Short: "某某条例", Number: 3, Label: "第三条", Text: "第三条\n第四条规定以外的事项。"},
	}
	if diff := cmp.Diff(want, d.arts()); diff != "" {
		t.Errorf("articles mismatch (-want +got):\n%s", diff)
	}
	if _, err := parseTitle("没有标题\n第一条 内容"); err == nil {
		t.Errorf("parseTitle(no title) error = nil, want an error")
	}
	if d, err := parseTitle("# 只有标题\n\n正文"); err != nil || len(d.arts()) != 0 {
		t.Errorf("a law without articles: %v, %d articles; want none", err, len(d.arts()))
	}
}

func TestLoadIndependent(t *testing.T) {
	l1, l2 := loadLaws(t), loadLaws(t)
	delete(l1.byName, "城乡规划法")
	l1.laws[0].arts()[0].Text = "改掉"
	if _, err := l2.Article("城乡规划法", "1"); err != nil {
		t.Errorf("second Laws Article(城乡规划法, 1) after changing the first: %v", err)
	}
	if l2.laws[0].arts()[0].Text == "改掉" {
		t.Errorf("second Laws shares article text with the first")
	}
}

func TestArticle(t *testing.T) {
	l := loadLaws(t)
	tests := []struct {
		name        string
		law, art    string
		wantLaw     string
		wantNumber  int
		wantLabel   string
		textContain string
	}{
		{"short name, label", "城乡规划法", "第六十五条", "中华人民共和国城乡规划法", 65, "第六十五条", "乡、镇人民政府"},
		{"full title in brackets", "《中华人民共和国城乡规划法》", "六十五", "中华人民共和国城乡规划法", 65, "第六十五条", "乡、镇人民政府"},
		{"digits", "土地管理法", "78", "中华人民共和国土地管理法", 78, "第七十八条", "多占的土地以非法占用土地论处"},
		{"digits in label", "土地管理法", "第78条", "中华人民共和国土地管理法", 78, "第七十八条", "农业农村主管部门"},
		{"paragraph ignored", "村庄和集镇规划建设管理条例", "第三十七条第一款", "村庄和集镇规划建设管理条例", 37, "第三十七条", "乡级人民政府可以依照前款规定处罚"},
		{"regulation with national prefix", "河道管理条例", "1", "中华人民共和国河道管理条例", 1, "第一条", ""},
		{"longer name wins", "土地管理法实施条例", "一", "中华人民共和国土地管理法实施条例", 1, "第一条", ""},
		{"hundreds", "大气污染防治法", "第一百一十九条", "中华人民共和国大气污染防治法", 119, "第一百一十九条", "露天焚烧秸秆"},
		{"edition note", "《中华人民共和国城乡规划法（2019年修正）》", "65", "中华人民共和国城乡规划法", 65, "第六十五条", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := l.Article(tt.law, tt.art)
			if err != nil {
				t.Fatalf("Article(%q, %q) error: %v", tt.law, tt.art, err)
			}
			if got.Law != tt.wantLaw || got.Number != tt.wantNumber || got.Label != tt.wantLabel {
				t.Errorf("Article(%q, %q) = %s %d %s, want %s %d %s", tt.law, tt.art, got.Law, got.Number, got.Label, tt.wantLaw, tt.wantNumber, tt.wantLabel)
			}
			if !strings.Contains(got.Text, tt.textContain) {
				t.Errorf("Article(%q, %q).Text = %q, want it to contain %q", tt.law, tt.art, got.Text, tt.textContain)
			}
		})
	}
}

func TestArticleWholeText(t *testing.T) {
	l := loadLaws(t)
	got, err := l.Article("土地管理法", "78")
	if err != nil {
		t.Fatalf("Article(土地管理法, 78) error: %v", err)
	}
	want := "第七十八条 农村村民未经批准或者采取欺骗手段骗取批准，非法占用土地建住宅的，由县级以上人民政府农业农村主管部门责令退还非法占用的土地，限期拆除在非法占用的土地上新建的房屋。\n" +
		"超过省、自治区、直辖市规定的标准，多占的土地以非法占用土地论处。"
	if got.Text != want {
		t.Errorf("Article(土地管理法, 78).Text = %q, want %q", got.Text, want)
	}
}

func TestArticleErrors(t *testing.T) {
	l := loadLaws(t)
	tests := []struct {
		name     string
		law, art string
		code     string
		parts    []string
	}{
		{"unknown law", "山东省大气污染防治条例", "第四十条", towndesk.ENOTFOUND, []string{"山东省大气污染防治条例", "城乡规划法", "土地管理法", "村庄和集镇规划建设管理条例"}},
		{"no such article", "城乡规划法", "第七十一条", towndesk.ENOTFOUND, []string{"第一条至第七十条", "第七十一条"}},
		{"article zero", "城乡规划法", "0", towndesk.EINVALID, []string{"0"}},
		{"not a number", "城乡规划法", "第几条", towndesk.EINVALID, []string{"第几条"}},
		{"trailing words", "城乡规划法", "第六十五条规定", towndesk.EINVALID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := l.Article(tt.law, tt.art)
			if err == nil {
				t.Fatalf("Article(%q, %q) = %v, want error %s", tt.law, tt.art, got, tt.code)
			}
			if code := towndesk.ErrorCode(err); code != tt.code {
				t.Errorf("Article(%q, %q) error = %v, want code %s", tt.law, tt.art, err, tt.code)
			}
			for _, p := range tt.parts {
				if msg := towndesk.ErrorMessage(err); !strings.Contains(msg, p) {
					t.Errorf("Article(%q, %q) message = %q, want it to contain %q", tt.law, tt.art, msg, p)
				}
			}
		})
	}
}

func TestCite(t *testing.T) {
	l := loadLaws(t)
	tests := []struct {
		name  string
		basis string
		want  []string // short name + label
	}{
		{"one article", "《中华人民共和国城乡规划法》第六十五条", []string{"城乡规划法第六十五条"}},
		{"paragraph", "《村庄和集镇规划建设管理条例》第三十七条第一款", []string{"村庄和集镇规划建设管理条例第三十七条"}},
		{"two articles", "《中华人民共和国土地管理法》第七十八条、第八十三条", []string{"土地管理法第七十八条", "土地管理法第八十三条"}},
		{"provincial law skipped", "《中华人民共和国大气污染防治法》第七十七条、第一百一十九条第一款；《XX省大气污染防治条例》第四十条",
			[]string{"大气污染防治法第七十七条", "大气污染防治法第一百一十九条"}},
		{"bare provincial law skipped", "《中华人民共和国大气污染防治法》第七十七条；山东省大气污染防治条例第四十条",
			[]string{"大气污染防治法第七十七条"}},
		{"numbered list", "1.《中华人民共和国行政处罚法》第二十四条 2.《中华人民共和国城乡规划法》第六十五条",
			[]string{"行政处罚法第二十四条", "城乡规划法第六十五条"}},
		{"and", "《中华人民共和国城乡规划法》第六十四条和第六十五条", []string{"城乡规划法第六十四条", "城乡规划法第六十五条"}},
		{"comma and paragraph", "《中华人民共和国城乡规划法》第六十四条第一款，第六十五条", []string{"城乡规划法第六十四条", "城乡规划法第六十五条"}},
		{"bare numeral after 、", "《中华人民共和国土地管理法》第七十八条、八十三条", []string{"土地管理法第七十八条", "土地管理法第八十三条"}},
		{"bare name", "城乡规划法第六十五条", []string{"城乡规划法第六十五条"}},
		{"bare full title", "依据中华人民共和国城乡规划法第六十五条", []string{"城乡规划法第六十五条"}},
		{"bare names with space", "土地管理法 第七十八条；城乡规划法 第六十五条", []string{"土地管理法第七十八条", "城乡规划法第六十五条"}},
		{"longer bare name", "土地管理法实施条例第五十五条", []string{"土地管理法实施条例第五十五条"}},
		{"range", "城乡规划法第六十四条至第六十六条", []string{"城乡规划法第六十四条", "城乡规划法第六十五条", "城乡规划法第六十六条"}},
		{"digits", "《城乡规划法》第65条", []string{"城乡规划法第六十五条"}},
		{"duplicates", "《城乡规划法》第六十五条；《中华人民共和国城乡规划法》第六十五条", []string{"城乡规划法第六十五条"}},
		{"missing article skipped", "《城乡规划法》第九十九条、第六十五条", []string{"城乡规划法第六十五条"}},
		{"edition note", "《中华人民共和国城乡规划法（2019年修正）》第六十五条", []string{"城乡规划法第六十五条"}},
		{"provincial implementing rules", "《山东省实施〈中华人民共和国土地管理法〉办法》第五十条", nil},
		{"name glued to a province", "山东省水法实施办法第十条", nil},
		{"articles before any law", "第六十五条", nil},
		{"nothing", "无", nil},
		{"unclosed bracket", "《城乡规划法第六十五条", []string{"城乡规划法第六十五条"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, a := range l.Cite(tt.basis) {
				got = append(got, a.Short+a.Label)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Cite(%q) mismatch (-want +got):\n%s", tt.basis, diff)
			}
		})
	}
}

func FuzzCite(f *testing.F) {
	for _, s := range []string{
		"《中华人民共和国城乡规划法》第六十五条",
		"《中华人民共和国土地管理法》第七十八条、第八十三条",
		"《中华人民共和国大气污染防治法》第七十七条、第一百一十九条第一款；《XX省大气污染防治条例》第四十条",
		"1.《中华人民共和国行政处罚法》第二十四条 2.城乡规划法第64条至第66条",
		"《", "第", "条", "城乡规划法第条", "、八十三条",
	} {
		f.Add(s)
	}
	l, err := Load()
	if err != nil {
		f.Fatalf("Load() error: %v", err)
	}
	f.Fuzz(func(t *testing.T, basis string) {
		seen := map[string]bool{}
		for _, a := range l.Cite(basis) {
			got, err := l.Article(a.Short, a.Label)
			if err != nil || got != a {
				t.Fatalf("Cite(%q) returned %s%s, which Article gives as %v, %v", basis, a.Short, a.Label, got, err)
			}
			if seen[a.Short+a.Label] {
				t.Fatalf("Cite(%q) returned %s%s twice", basis, a.Short, a.Label)
			}
			seen[a.Short+a.Label] = true
		}
	})
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCite(b *testing.B) {
	l := loadLaws(b)
	for b.Loop() {
		l.Cite("《中华人民共和国大气污染防治法》第七十七条、第一百一十九条第一款；《XX省大气污染防治条例》第四十条")
	}
}

// TestTitle: a law's title as cited comes from its text (the State
// Council's 河道管理条例 carries 中华人民共和国, most regulations do not).
func TestTitle(t *testing.T) {
	l := loadLaws(t)
	for name, want := range map[string]string{
		"城乡规划法": "中华人民共和国城乡规划法",
		"《中华人民共和国城乡规划法》": "中华人民共和国城乡规划法",
		"河道管理条例":         "中华人民共和国河道管理条例",
		"城市市容和环境卫生管理条例":  "城市市容和环境卫生管理条例",
		"土地管理法实施条例":      "中华人民共和国土地管理法实施条例",
	} {
		if got, ok := l.Title(name); !ok || got != want {
			t.Errorf("Title(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	if got, ok := l.Title("婚姻法"); ok {
		t.Errorf("Title(婚姻法) = %q; no such law is embedded", got)
	}
}
