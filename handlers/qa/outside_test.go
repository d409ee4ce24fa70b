package qa

import (
	"os"
	"strings"
	"testing"

	"github.com/towndesk/towndesk"
)

// TestOutsideMattersNotFound: every matter the dictionary marks as outside
// power lists (a ! group) is not found when asked about in a town of the
// sample, whose lists hold none of them, also beside a side word a row has
// (河边): its statutory words must be in no
// list, nor in the law text the lists cite (治安管理处罚 is, which made 打架
// find rows by it).
func TestOutsideMattersNotFound(t *testing.T) {
	src, err := os.ReadFile("../../kb/lexicon/synonyms.txt")
	if err != nil {
		t.Fatal(err)
	}
	l := newTestLists(t)
	n := 0
	for _, line := range strings.Split(string(src), "\n") {
		if !strings.HasPrefix(line, "!") {
			continue
		}
		_, right, _ := strings.Cut(line, "=")
		words := strings.Fields(right)
		if len(words) == 0 {
			continue
		}
		n++
		q := "滨湖镇河边有人" + words[0] + "，这个找谁？" // 河边 finds the river rows
		if r := ask(t, l, AskInput{Question: q}); r.Result.Status != towndesk.StatusNotFound {
			t.Errorf("%s: status %s, want not_found (%s)", q, r.Result.Status, strings.Fields(line)[0])
		}
	}
	if n < 10 {
		t.Fatalf("found %d ! groups in synonyms.txt, want the section of matters outside power lists", n)
	}
}

// TestOutsideMatterNamedInReply: a not-found reply about a matter outside
// power lists names the matter and says it is outside the lists searched,
// rather than asking for other words; ask --json lists it under outside.
func TestOutsideMatterNamedInReply(t *testing.T) {
	l := newTestLists(t)
	r := ask(t, l, AskInput{Question: "滨湖镇有个包工头拖欠农民工工资半年了，找谁？"})
	if r.Result.Status != towndesk.StatusNotFound {
		t.Fatalf("status %s, want not_found", r.Result.Status)
	}
	if !strings.Contains(r.Text, "“拖欠农民工工资”这类事项") || !strings.Contains(r.Text, "不在这些权力清单") || strings.Contains(r.Text, "换个说法") {
		t.Errorf("reply %q: want it to name 拖欠农民工工资 as outside the lists searched, not ask for other words", r.Text)
	}
	js, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"outside":["拖欠农民工工资"]`) {
		t.Errorf("ask --json %s: want \"outside\":[\"拖欠农民工工资\"]", js)
	}
}
