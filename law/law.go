// Package law holds the text of the national laws and regulations that power
// lists cite (embedded, one article per line), finds the articles a legal
// basis such as "《城乡规划法》第六十五条" cites, and reads and writes Chinese
// numerals (第一百一十九条).
package law

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
)

// The full text of the national laws and regulations that power lists cite,
// one markdown file per law: a "# title" line, metadata up to
// "<!-- INFO END -->", then chapter headings and articles (第N条 …).
//
//go:embed data/*.md
var lawFiles embed.FS

// Article is one article of a law, as quoted to users.
type Article struct {
	Law    string // full title, as in the file's first line: 中华人民共和国城乡规划法
	Short  string // title without 中华人民共和国: 城乡规划法
	Number int    // 65
	Label  string // 第六十五条
	Text   string // the whole article: its first line and following paragraphs, joined with "\n"
}

// Laws is the text of the embedded laws, looked up by law and article. It is
// read-only after Load and safe for concurrent use.
type Laws struct {
	laws   []*lawDoc          // sorted by short name
	byName map[string]int     // short name and full title → index in laws
	forms  map[rune][]lawForm // names by first rune, longest first, for Cite
}

// lawDoc is one law. Its text is read and its articles parsed on first
// use: a process that quotes two laws does not read thirty-eight (1.2 MB).
type lawDoc struct {
	title, short string
	body         string // the text after the title line, if read with it
	file         string // else the embedded file to read it from

	once     sync.Once
	articles []Article // ascending Number
}

// arts returns the law's articles, reading them on first use.
func (d *lawDoc) arts() []Article {
	d.once.Do(func() {
		body := d.body
		if d.file != "" {
			// Read by Load's ReadDir, so it is there: a failure would
			// leave the law without articles, which TestLoad rules out.
			text, _ := readEmbedded(d.file)
			_, body = splitTitle(text)
		}
		d.articles = parseArticles(d.title, d.short, body)
	})
	return d.articles
}

// readEmbedded returns the text of an embedded law file.
func readEmbedded(name string) (string, error) {
	f, err := lawFiles.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	if st, err := f.Stat(); err == nil {
		b.Grow(int(st.Size()))
	}
	_, err = io.Copy(&b, f)
	return b.String(), err
}

// readTitleLine returns the first line of an embedded law file, reading
// no more of it than that.
func readTitleLine(name string) (string, error) {
	f, err := lawFiles.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var line []byte
	buf := make([]byte, 256)
	for {
		n, err := f.Read(buf)
		line = append(line, buf[:n]...)
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			return string(line[:i]), nil
		}
		if err == io.EOF {
			return string(line), nil
		}
		if err != nil {
			return "", err
		}
	}
}

// lawForm is one way a law is written in running text: its full title or
// its short name.
type lawForm struct {
	text string
	law  int
}

// Load parses the embedded law texts. Each call returns a new,
// independent Laws. It fails only if the embedded data is malformed (a file
// without a title or without articles), which the tests rule out.
func Load() (*Laws, error) {
	entries, err := lawFiles.ReadDir("data")
	if err != nil {
		return nil, fmt.Errorf("read embedded laws: %w", err)
	}
	l := &Laws{byName: make(map[string]int, 2*len(entries)), forms: make(map[rune][]lawForm)}
	for _, e := range entries {
		name := path.Join("data", e.Name())
		first, err := readTitleLine(name)
		if err != nil {
			return nil, fmt.Errorf("read embedded law %s: %w", name, err)
		}
		doc, err := parseTitle(first)
		if err != nil {
			return nil, fmt.Errorf("parse law %s: %w", e.Name(), err)
		}
		doc.file = name
		l.laws = append(l.laws, doc)
	}
	sort.Slice(l.laws, func(i, j int) bool { return l.laws[i].short < l.laws[j].short })
	for i, d := range l.laws {
		if _, dup := l.byName[d.short]; dup {
			return nil, fmt.Errorf("two embedded laws are both named %s", d.short)
		}
		l.byName[d.short], l.byName[d.title] = i, i
		names := []string{d.short}
		if d.title != d.short {
			names = append(names, d.title)
		}
		for _, f := range names {
			r, _ := utf8.DecodeRuneInString(f)
			l.forms[r] = append(l.forms[r], lawForm{f, i})
		}
	}
	for _, forms := range l.forms {
		sort.SliceStable(forms, func(i, j int) bool { return len(forms[i].text) > len(forms[j].text) })
	}
	return l, nil
}

// parseTitle reads the title of one law file and keeps the rest for
// parseArticles.
func parseTitle(text string) (*lawDoc, error) {
	first, body := splitTitle(text)
	title, ok := strings.CutPrefix(strings.TrimSpace(first), "# ")
	if !ok || strings.TrimSpace(title) == "" {
		return nil, fmt.Errorf("first line %q is not a \"# title\"", first)
	}
	title = strings.TrimSpace(title)
	return &lawDoc{title: title, short: strings.TrimPrefix(title, "中华人民共和国"), body: body}, nil
}

// splitTitle splits a law file into its first line and its body after
// the metadata (up to "<!-- INFO END -->", if it has that marker).
func splitTitle(text string) (first, body string) {
	first, body, _ = strings.Cut(text, "\n")
	if _, after, found := strings.Cut(body, "<!-- INFO END -->"); found {
		body = after
	}
	return first, body
}

// parseArticles reads the articles of a law. Lines starting 第N条 followed
// by a space (or a full-width space, or nothing) start an article when N is
// beyond the last one, which keeps paragraphs like "第一款规定的…" inside
// their article; other non-heading lines are paragraphs (款) of the current
// article. Every embedded law has articles (the tests check it).
func parseArticles(title, short, body string) []Article {
	var articles []Article
	var paras []string // of the current article
	flush := func() {
		if len(paras) > 0 {
			articles[len(articles)-1].Text = strings.Join(paras, "\n")
			paras = nil
		}
	}
	open := false // whether paragraphs belong to an article now
	for body != "" {
		var line string
		line, body, _ = strings.Cut(body, "\n")
		line = strings.TrimSpace(line) // also full-width indentation
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			flush()
			open = false
			continue
		}
		if n, size := lawArticleHead(line); size > 0 && (len(articles) == 0 || n > articles[len(articles)-1].Number) {
			flush()
			articles = append(articles, Article{
				Law: title, Short: short, Number: n, Label: "第" + FormatChineseNumber(n) + "条",
			})
			paras = append(paras, line)
			open = true
			continue
		}
		if open {
			paras = append(paras, line)
		}
	}
	flush()
	return articles
}

// lawArticleHead reads the 第N条 that starts an article line and returns N
// and the byte length of 第N条, or size 0 if line does not start an article.
func lawArticleHead(line string) (n, size int) {
	rest, ok := strings.CutPrefix(line, "第")
	if !ok {
		return 0, 0
	}
	num, after, ok := strings.Cut(rest, "条")
	if !ok || num == "" || len(num) > 3*8 {
		return 0, 0
	}
	if r, _ := utf8.DecodeRuneInString(after); after != "" && r != ' ' && r != '\u3000' && r != '\t' {
		return 0, 0
	}
	n, ok = ParseChineseNumber(num)
	if !ok || n < 1 {
		return 0, 0
	}
	return n, len("第") + len(num) + len("条")
}

// Names returns the short names of the embedded laws (城乡规划法, 村庄和集镇
// 规划建设管理条例, …), sorted.
func (l *Laws) Names() []string {
	out := make([]string, len(l.laws))
	for i, d := range l.laws {
		out[i] = d.short
	}
	return out
}

// Title returns the full title of an embedded law (中华人民共和国城乡规划法,
// 村庄和集镇规划建设管理条例) given its short name or title, as Article
// accepts it; ok is false for a law that is not embedded.
func (l *Laws) Title(name string) (title string, ok bool) {
	i := l.lawIndex(name)
	if i < 0 {
		return "", false
	}
	return l.laws[i].title, true
}

// lawIndex returns the index of the law name means, or -1. name may be the
// full title or the short name, in 《》 or not, with a trailing note in
// brackets (2019年修正).
func (l *Laws) lawIndex(name string) int {
	name = strings.TrimSpace(name)
	for {
		trimmed := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(name, "《"), "》"))
		for _, p := range [][2]string{{"（", "）"}, {"(", ")"}} {
			if strings.HasSuffix(trimmed, p[1]) {
				if i := strings.LastIndex(trimmed, p[0]); i > 0 {
					trimmed = strings.TrimSpace(trimmed[:i])
				}
			}
		}
		if trimmed == name {
			break
		}
		name = trimmed
	}
	if i, ok := l.byName[strings.TrimPrefix(name, "中华人民共和国")]; ok {
		return i
	}
	return -1
}

// Article returns one article of a law. law is its full title or short name,
// with or without 《》 (城乡规划法, 《中华人民共和国城乡规划法》); article is
// 第六十五条, 六十五, 65 or 第65条, optionally followed by a paragraph or
// item (第六十五条第一款), which is ignored: the whole article is returned.
//
// It returns a *towndesk.Error: ENOTFOUND if the law is not embedded (the
// message lists those that are) or has no such article (the message gives
// its range); EINVALID if article is not an article number.
func (l *Laws) Article(law, article string) (Article, error) {
	i := l.lawIndex(law)
	if i < 0 {
		return Article{}, towndesk.Errorf(towndesk.ENOTFOUND, "没有收录“%s”。已收录的法律法规：%s。",
			strings.TrimSpace(law), strings.Join(l.Names(), "、"))
	}
	n, ok := lawArticleNumber(article)
	if !ok {
		return Article{}, towndesk.Errorf(towndesk.EINVALID, "看不懂条号“%s”，请写成“第六十五条”或“65”。", strings.TrimSpace(article))
	}
	d := l.laws[i]
	if a, ok := d.article(n); ok {
		return a, nil
	}
	arts := d.arts()
	return Article{}, towndesk.Errorf(towndesk.ENOTFOUND, "《%s》只有第一条至%s，没有第%s条。",
		d.title, arts[len(arts)-1].Label, FormatChineseNumber(n))
}

func (d *lawDoc) article(n int) (Article, bool) {
	arts := d.arts()
	k := sort.Search(len(arts), func(k int) bool { return arts[k].Number >= n })
	if k < len(arts) && arts[k].Number == n {
		return arts[k], true
	}
	return Article{}, false
}

// lawArticleNumber reads 第六十五条, 六十五, 65, 第65条 or 第六十五条第一款.
func lawArticleNumber(s string) (int, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimPrefix(s, "第"))
	if num, rest, found := strings.Cut(s, "条"); found {
		rest = strings.TrimSpace(rest)
		if rest != "" && !strings.HasPrefix(rest, "第") && !strings.HasPrefix(rest, "（") && !strings.HasPrefix(rest, "(") {
			return 0, false
		}
		s = strings.TrimSpace(num)
	}
	n, ok := ParseChineseNumber(s)
	return n, ok && n > 0
}

// Cite returns the articles cited in a legal basis as written in power lists,
// in order of first citation and without repeats. It understands
//
//	《中华人民共和国土地管理法》第七十八条、第八十三条
//	《村庄和集镇规划建设管理条例》第三十七条第一款
//	城乡规划法第六十四条至第六十六条
//	1.《中华人民共和国行政处罚法》第二十四条 2.《…》…
//
// where articles after a law, separated by 、 和 ， or ；, belong to it.
// Citations of laws that are not embedded (a province's regulations) and of
// articles a law does not have are skipped; a text that cites nothing known
// yields nil. Cite never fails.
func (l *Laws) Cite(basis string) []Article {
	var out []Article
	type key struct{ law, n int }
	seen := make(map[key]bool)
	cur := -1    // the law being cited, -1 for none or one not embedded
	lastEnd := 0 // end of the last law or article token
	prev := 0    // number of the last article token since the last law, 0 if none
	add := func(n int) {
		if cur < 0 || seen[key{cur, n}] {
			return
		}
		if a, ok := l.laws[cur].article(n); ok {
			seen[key{cur, n}] = true
			out = append(out, a)
		}
	}
	for i := 0; i < len(basis); {
		r, size := utf8.DecodeRuneInString(basis[i:])
		if r == '《' {
			if j := strings.Index(basis[i+size:], "》"); j >= 0 {
				cur = l.lawIndex(basis[i+size : i+size+j])
				i += size + j + len("》")
				lastEnd, prev = i, 0
				continue
			}
		}
		if law, n := l.bareLaw(basis, i); n > 0 {
			cur = law
			i += n
			lastEnd, prev = i, 0
			continue
		}
		gap := basis[lastEnd:i]
		if num, n := citeArticle(basis[i:], prev > 0 && citeConnector(gap)); n > 0 {
			if citeNamesLaw(gap, prev == 0 && lastEnd > 0) {
				cur = -1 // 《…》第五条；某省某某条例第四十条: not ours
			}
			if prev > 0 && citeRange(gap) && num > prev && num-prev <= 50 {
				for m := prev + 1; m < num; m++ {
					add(m)
				}
			}
			add(num)
			prev = num
			i += n
			lastEnd = i
			continue
		}
		i += size
	}
	return out
}

// bareLaw reports whether a law name not in 《》 starts at s[i:], returning
// the law and the name's byte length. A name glued to a preceding word is a
// different law (山东省水法实施办法), unless the word is one that introduces a
// law (依据, 违反, 和, …).
func (l *Laws) bareLaw(s string, i int) (law, size int) {
	r, _ := utf8.DecodeRuneInString(s[i:])
	for _, f := range l.forms[r] {
		if !strings.HasPrefix(s[i:], f.text) {
			continue
		}
		if p, _ := utf8.DecodeLastRuneInString(s[:i]); i > 0 && unicode.Is(unicode.Han, p) {
			ok := false
			for _, w := range []string{"依据", "根据", "依照", "按照", "违反", "适用", "参照", "及", "和", "与", "或"} {
				ok = ok || strings.HasSuffix(s[:i], w)
			}
			if !ok {
				return -1, 0
			}
		}
		return f.law, len(f.text)
	}
	return -1, 0
}

// citeArticle reads an article reference at the start of s: 第N条, or N条
// when bare is true (the 八十三条 of 第七十八条、八十三条). It returns the
// number and the reference's byte length, or length 0.
func citeArticle(s string, bare bool) (n, size int) {
	rest, ok := strings.CutPrefix(s, "第")
	if !ok && !bare {
		return 0, 0
	}
	end := 0
	for end < len(rest) {
		r, sz := utf8.DecodeRuneInString(rest[end:])
		_, digit := cnDigits[r]
		_, unit := cnUnits[r]
		if !digit && !unit && r != '万' && !(r >= '0' && r <= '9') && !(r >= '０' && r <= '９') {
			break
		}
		end += sz
	}
	if end == 0 || end > 3*8 || !strings.HasPrefix(rest[end:], "条") || strings.HasPrefix(rest[end:], "条例") {
		return 0, 0
	}
	n, ok = ParseChineseNumber(rest[:end])
	if !ok || n < 1 {
		return 0, 0
	}
	return n, len(s) - len(rest) + end + len("条")
}

// citeConnector reports whether gap only separates two articles of one law.
func citeConnector(gap string) bool {
	switch strings.TrimSpace(gap) {
	case "、", "，", ",", "和", "及", "与", "或", "以及", "；", ";":
		return true
	}
	return false
}

// citeRange reports whether gap joins the ends of a range: 第五条至第八条.
func citeRange(gap string) bool {
	switch strings.TrimSpace(gap) {
	case "至", "到", "-", "－", "—", "——", "~", "～":
		return true
	}
	return false
}

// citeNamesLaw reports whether the text between two citations ends with the
// name of another law (；某省大气污染防治条例), so that the next article is
// that law's, not the current one's. afterLaw says gap follows a law's name,
// where even a short word names a different law (the 办法 of
// 山东省实施《土地管理法》办法).
func citeNamesLaw(gap string, afterLaw bool) bool {
	notHan := func(r rune) bool { return !unicode.Is(unicode.Han, r) }
	trimmed := strings.TrimRightFunc(gap, notHan)
	start := len(trimmed)
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(trimmed[:start])
		if notHan(r) {
			break
		}
		start -= size
	}
	run := trimmed[start:]
	named := false
	for _, suf := range []string{"法", "条例", "规定", "办法", "细则", "规则", "决定", "规程", "意见", "通知", "解释", "标准"} {
		named = named || strings.HasSuffix(run, suf)
	}
	switch {
	case !named:
		return false
	case afterLaw && start == 0:
		return true
	}
	// Prose such as 的规定 or 本法 is not a name.
	first, _ := utf8.DecodeRuneInString(run)
	return utf8.RuneCountInString(run) >= 3 && !strings.ContainsRune("的之等本该", first)
}
