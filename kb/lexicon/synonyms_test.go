package lexicon

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/towndesk/towndesk"
)

func TestDefaultSynonymsParse(t *testing.T) {
	s := DefaultSynonyms()
	if s.Groups() < 100 {
		t.Errorf("DefaultSynonyms has %d groups, want the shipped dictionary (≥ 100)", s.Groups())
	}
	for _, tt := range []struct{ word, official string }{
		{"烧秸秆", "秸秆"}, {"乱搭乱建", "违法建设"}, {"放鞭炮", "燃放烟花爆竹"}, {"摆摊", "街道两侧"},
		{"乱倒垃圾", "生活垃圾"}, {"土葬", "火化"}, {"病死猪", "病死动物"}, {"小广告", "张贴宣传品"},
	} {
		got, ok := s.Expand(tt.word)
		if !ok || !slices.Contains(got, tt.official) {
			t.Errorf("expand(%q) = %v, %v; want it to include %q", tt.word, got, ok, tt.official)
		}
	}
}

func TestParseSynonymsErrorsAndMerge(t *testing.T) {
	_, err := ParseSynonyms(strings.NewReader("# 注释\n好行 = 口语\n没有等号的一行\n"), "synonyms.txt")
	if towndesk.ErrorCode(err) != towndesk.EINVALID || !strings.Contains(towndesk.ErrorMessage(err), "synonyms.txt:3") {
		t.Errorf("ParseSynonyms(bad) error = %v, want EINVALID naming line 3", err)
	}
	extra, err := ParseSynonyms(strings.NewReader("马路市场管理 = 早市摊\n"), "data/synonyms.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := DefaultSynonyms()
	s.Merge(extra)
	if got, ok := s.Expand("早市摊"); !ok || !slices.Contains(got, "马路市场管理") {
		t.Errorf("after Merge, expand(早市摊) = %v, %v; want 马路市场管理", got, ok)
	}
	if _, ok := s.Expand("烧秸秆"); !ok {
		t.Errorf("Merge lost the shipped groups")
	}
}

// TestTrailingFrame: a dictionary word written with its question still
// asks what the question asks; a word that is only a frame, or has none,
// names no frame.
func TestTrailingFrame(t *testing.T) {
	tests := []struct {
		phrase string
		intent towndesk.Intent
		ok     bool
	}{
		{"采伐证去哪办", towndesk.IntentApply, true},
		{"狗证怎么办", "", true},
		{"去哪办", "", false},
		{"砍树", "", false},
	}
	for _, tt := range tests {
		_, intent, ok := TrailingFrame(tt.phrase)
		if intent != tt.intent || ok != tt.ok {
			t.Errorf("TrailingFrame(%q) = %q, %v; want %q, %v", tt.phrase, intent, ok, tt.intent, tt.ok)
		}
	}
}

// TestShippedGroupsOnce: no group of the shipped dictionary is written
// twice (a copy pasted twice weighs nothing but hides which one to edit).
func TestShippedGroupsOnce(t *testing.T) {
	src, err := os.ReadFile("synonyms.txt")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for n, line := range strings.Split(string(src), "\n") {
		left, _, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		key := strings.Join(strings.Fields(left), " ")
		if first, dup := seen[key]; dup {
			t.Errorf("synonyms.txt:%d repeats the group of line %d (%s)", n+1, first, key)
		}
		seen[key] = n + 1
	}
}

// TestOutside: a word of a group marked ! names a matter outside power
// lists; a word that is also in an ordinary group does not.
func TestOutside(t *testing.T) {
	s, err := ParseSynonyms(strings.NewReader("!拖欠劳动者工资 = 欠薪 工钱\n施工 = 包工头 工钱\n"), "t.txt")
	if err != nil {
		t.Fatal(err)
	}
	for w, want := range map[string]bool{"欠薪": true, "拖欠劳动者工资": true, "工钱": false, "包工头": false, "没有的词": false} {
		if got := s.Outside(w); got != want {
			t.Errorf("Outside(%q) = %v, want %v", w, got, want)
		}
	}
	shipped := DefaultSynonyms() // read from the compiled table
	if !shipped.Outside("欠薪") || shipped.Outside("违建") {
		t.Errorf("shipped Outside(欠薪) = %v, Outside(违建) = %v; want true, false", shipped.Outside("欠薪"), shipped.Outside("违建"))
	}
	// A data directory's own groups merged on top of the compiled table.
	extra, err := ParseSynonyms(strings.NewReader("！红白理事会章程 = 理事会章程\n秸秆 = 苞米杆子\n"), "data/synonyms.txt")
	if err != nil {
		t.Fatal(err)
	}
	shipped.Merge(extra)
	if !shipped.Outside("理事会章程") || shipped.Outside("苞米杆子") || !shipped.Outside("欠薪") {
		t.Errorf("after Merge: Outside(理事会章程) = %v, Outside(苞米杆子) = %v, Outside(欠薪) = %v; want true, false, true",
			shipped.Outside("理事会章程"), shipped.Outside("苞米杆子"), shipped.Outside("欠薪"))
	}
	if got, _ := s.Expand("欠薪"); !slices.Equal(got, []string{"拖欠劳动者工资"}) {
		t.Errorf("Expand(欠薪) = %v, want [拖欠劳动者工资] (the ! is no part of the term)", got)
	}
}
