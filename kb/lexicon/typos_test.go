package lexicon

import (
	"slices"
	"strings"
	"testing"

	"github.com/towndesk/towndesk/segment"
)

func TestRetype(t *testing.T) {
	book := NewPhrasebook(DefaultSynonyms())
	seg := segment.New(nil)
	for _, c := range []struct {
		text, want string
		words      []string
	}{
		// Slips of a pinyin keyboard in dictionary words.
		{"村里有人盖违章见筑", "村里有人盖违章建筑", []string{"违章建筑"}},
		{"装修把城重墙给砸了", "装修把承重墙给砸了", []string{"承重墙"}},
		{"油烟静化器不开", "油烟净化器不开", []string{"油烟净化器"}},
		{"不符合市荣标准", "不符合市容标准", []string{"市容标准"}},
		// Text that reads as words stays: 大礼花 is no slip for 打礼花,
		// 安全生产 none for 安全绳, 地上 none for 堤上.
		{"在卖那种要专业人员才能放的大礼花", "", nil},
		{"企业安全生产状况谁来检查", "", nil},
		{"还在护堤地上放羊", "", nil},
		{"院子里打口井取水用", "", nil},
		{"有人在村里收废品", "", nil},       // 废 of 废品 (收费 is a word)
		{"林子头砍竹子，哪个管", "", nil},     // Sichuanese 林子头, not 偷砍
		{"有人搭公交车带住一袋烟花爆竹", "", nil}, // 一袋, not 带烟花
		// A slip that could be either of two words is not guessed; one
		// in a word of two characters is not looked for.
		{"有人违见", "", nil},
	} {
		tokens := CutClauses(seg, c.text)
		got, words := book.Retype(seg, c.text, tokens, nil)
		want := c.want
		if want == "" {
			want = c.text
		}
		if got != want || !slices.Equal(words, c.words) {
			t.Errorf("Retype(%q) = %q %v, want %q %v (tokens %s)", c.text, got, words, want, c.words, strings.Join(tokens, "/"))
		}
	}
}

// BenchmarkRetype measures the cost of looking for slips in a long
// question with none.
func BenchmarkRetype(b *testing.B) {
	book := NewPhrasebook(DefaultSynonyms())
	seg := segment.New(nil)
	text := "麻烦问一下，滨湖镇有家化工厂半夜往荒地里倒工业废渣，第二天一大片都是黑的，村里人拍了视频，这个是镇上处理还是得报哪个局？"
	tokens := CutClauses(seg, text)
	for b.Loop() {
		book.Retype(seg, text, tokens, nil)
	}
}
