package kb_test

import (
	"slices"
	"testing"

	"github.com/towndesk/towndesk/kb"
	"github.com/towndesk/towndesk/storage"
)

// TestTypoInDictionaryWord: a question with a slip of the pinyin keyboard
// in a dictionary word (城重墙 for 承重墙) is read as the word, and finds
// the row the word finds.
func TestTypoInDictionaryWord(t *testing.T) {
	db, err := storage.Open(t.TempDir() + "/towndesk.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	importList(t, db, "", "2024版",
		item("WALL", "对装修人擅自变动房屋建筑主体和承重结构的处罚"),
		item("CITY", "对擅自占用城市道路的处罚"),
		item("NOISE", "对室内装修造成噪声污染的处罚"))
	x, err := kb.OpenIndex(t.Context(), "", db)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, q := range []string{"滕州市有户人家装修把承重墙给砸了谁管", "滕州市有户人家装修把城重墙给砸了谁管"} {
		res := ask(t, x, db, q)
		if len(res.Matches) == 0 || res.Matches[0].Item.Code != "WALL" {
			t.Errorf("%s: first row %v, want WALL", q, res.Matches)
		}
		if !slices.Contains(res.Terms, "承重墙") {
			t.Errorf("%s: terms %v, want 承重墙 among them", q, res.Terms)
		}
	}
}
