package qa

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/storage"
)

// A wording the sample lists do not cover: nothing and nobody reads 闹腾的鸡
// as 饲养家禽 until a maintainer teaches it.
const (
	untaughtQ = "滨湖镇小区里天天有闹腾的鸡打鸣谁管"
	similarQ  = "滨湖镇小区有闹腾的鸡打鸣，归哪个部门"
)

// poultryCode returns the code of the row of 滨湖镇's current lists (the
// town's, else 滕州市's) about keeping poultry in the city.
func poultryCode(t *testing.T, l *Lists) (code, name string) {
	t.Helper()
	ctx := context.Background()
	if _, err := l.LoadSample(ctx); err != nil {
		t.Fatal(err)
	}
	lists, err := l.db.Lists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, list := range lists {
		if list.Place.County != "滕州市" || list.Place.Town != "" && list.Place.Town != "滨湖镇" {
			continue
		}
		items, err := l.db.EditionItems(ctx, list.EditionID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if strings.Contains(it.Name, "家禽") {
				return it.Code, it.Name
			}
		}
	}
	t.Fatal("no row about 家禽 in 滕州市's lists")
	return "", ""
}

func TestTeachAndUse(t *testing.T) {
	l := newTestLists(t)
	ctx := context.Background()
	if r := ask(t, l, AskInput{Question: untaughtQ}); r.Result.Status == towndesk.StatusAnswered {
		t.Fatalf("Ask(%q) before teaching = answered %s; the test needs a question the rules do not answer", untaughtQ, r.Result.Matches[0].Item.Code)
	}
	code, name := poultryCode(t, l)
	rep, err := l.Teach(ctx, TeachInput{Question: untaughtQ, Code: code, By: "王芳"})
	if err != nil {
		t.Fatalf("Teach: %v", err)
	}
	if rep.Link.Scope != towndesk.ScopeTown || rep.Link.Place.Town != "滨湖镇" || rep.Link.ItemName != name || rep.Link.ID == 0 {
		t.Errorf("Teach = %+v, want a town link for 滨湖镇 to %s", rep.Link, name)
	}

	for _, q := range []string{untaughtQ, similarQ} {
		r := ask(t, l, AskInput{Question: q})
		res := r.Result
		if res.Status != towndesk.StatusAnswered || res.Matches[0].Role != towndesk.RoleTaught || res.Matches[0].Item.Name != name {
			t.Fatalf("Ask(%q) after teaching = %s %+v, want the taught row", q, res.Status, res.Matches)
		}
		if !strings.Contains(r.Text, "（此问法由王芳于") || !strings.Contains(r.Text, "确认）") {
			t.Errorf("Ask(%q) text does not say who confirmed it:\n%s", q, r.Text)
		}
		var j struct {
			Answers []struct {
				Role   string `json:"role"`
				Taught struct {
					ID     int64
					By, At string
				} `json:"taught"`
			} `json:"answers"`
		}
		if b := decodeJSON(t, r, &j); j.Answers[0].Role != "taught" || j.Answers[0].Taught.ID != rep.Link.ID ||
			j.Answers[0].Taught.By != "王芳" || j.Answers[0].Taught.At == "" {
			t.Errorf("ask --json = %s, want role taught with taught {id, by, at}", b)
		}
	}

	// Scope: a town link does not answer for another town.
	if r := ask(t, l, AskInput{Question: strings.Replace(untaughtQ, "滨湖镇", "官桥镇", 1)}); r.Result.Status == towndesk.StatusAnswered &&
		r.Result.Matches[0].Role == towndesk.RoleTaught {
		t.Errorf("a link taught for 滨湖镇 answered for 官桥镇")
	}
	// Nor before the place is known.
	for _, q := range []string{"小区里天天有闹腾的鸡打鸣谁管", "柴胡店镇小区里天天有闹腾的鸡打鸣谁管"} {
		if r := ask(t, l, AskInput{Question: q}); r.Result.Status == towndesk.StatusAnswered {
			t.Errorf("Ask(%q) = answered; a taught link must never answer a question whose place is unknown or ambiguous", q)
		}
	}

	// Retraction: the link stops answering and is listed as retracted.
	if _, err := l.Untaught(ctx, rep.Link.ID, "李强", "教错了"); err != nil {
		t.Fatal(err)
	}
	if r := ask(t, l, AskInput{Question: untaughtQ}); r.Result.Status == towndesk.StatusAnswered && r.Result.Matches[0].Role == towndesk.RoleTaught {
		t.Errorf("a retracted link still answers")
	}
	if _, err := l.Untaught(ctx, rep.Link.ID, "李强", ""); towndesk.ErrorCode(err) != towndesk.ECONFLICT {
		t.Errorf("second Untaught = %v, want ECONFLICT", err)
	}
	views, err := l.Taught(ctx)
	if err != nil || len(views) != 1 || views[0].Retracted == nil || views[0].Retracted.By != "李强" {
		t.Errorf("Taught() = %+v, %v; want the link, retracted by 李强", views, err)
	}
}

func TestTeachScopeNoneAndErrors(t *testing.T) {
	l := newTestLists(t)
	ctx := context.Background()
	code, _ := poultryCode(t, l)

	// A county link answers in every town of the county, from the town's
	// own lists.
	if _, err := l.Teach(ctx, TeachInput{Question: untaughtQ, Code: code, Scope: towndesk.ScopeCounty, By: "王芳"}); err != nil {
		t.Fatal(err)
	}
	for _, town := range []string{"官桥镇", "滕州市柴胡店镇", "滕州市龙阳镇"} {
		q := strings.Replace(untaughtQ, "滨湖镇", town, 1)
		r := ask(t, l, AskInput{Question: q})
		if r.Result.Status != towndesk.StatusAnswered || r.Result.Matches[0].Role != towndesk.RoleTaught {
			t.Errorf("Ask(%q) with a county link = %s, want the taught row", q, r.Result.Status)
		}
	}
	// ... and not in another county.
	if r := ask(t, l, AskInput{Question: strings.Replace(untaughtQ, "滨湖镇", "宁津县柴胡店镇", 1)}); r.Result.Status == towndesk.StatusAnswered &&
		r.Result.Matches[0].Role == towndesk.RoleTaught {
		t.Errorf("a link taught for 滕州市 answered in 宁津县")
	}

	// "None": not found, with the teacher's note.
	const none = "滨湖镇有人在网上卖假的演唱会门票谁管"
	if _, err := l.Teach(ctx, TeachInput{Question: none, None: true, Note: "属公安派出所管辖，不在乡镇权力清单内", By: "王芳"}); err != nil {
		t.Fatal(err)
	}
	r := ask(t, l, AskInput{Question: none})
	if r.Result.Status != towndesk.StatusNotFound || r.Result.Taught == nil || !strings.Contains(r.Text, "属公安派出所管辖") {
		t.Errorf("Ask(%q) after teaching none = %s %q, want not_found with the note", none, r.Result.Status, r.Text)
	}

	// Errors name the problem; nothing is stored.
	before, _ := l.db.TaughtLinks(ctx)
	for _, tt := range []struct {
		name  string
		in    TeachInput
		code  string
		field string
	}{
		{"code not in the place's lists", TeachInput{Question: untaughtQ, Code: "330782FTZCF02061", By: "王芳"}, towndesk.ENOTFOUND, "code"},
		{"no place", TeachInput{Question: "小区里天天有闹腾的鸡打鸣谁管", Code: code, By: "王芳"}, towndesk.EINVALID, "place"},
		{"no teacher", TeachInput{Question: untaughtQ, Code: code}, towndesk.EINVALID, "by"},
		{"none without a note", TeachInput{Question: none, None: true, By: "王芳"}, towndesk.EINVALID, "note"},
		{"town scope for a county question", TeachInput{Question: "滕州市小区里天天有闹腾的鸡打鸣谁管", Code: code, Scope: towndesk.ScopeTown, By: "王芳"},
			towndesk.EINVALID, "scope"},
	} {
		_, err := l.Teach(ctx, tt.in)
		if towndesk.ErrorCode(err) != tt.code || towndesk.ErrorField(err) != tt.field {
			t.Errorf("%s: Teach error = %v (field %q), want %s on %s", tt.name, err, towndesk.ErrorField(err), tt.code, tt.field)
		}
	}
	after, _ := l.db.TaughtLinks(ctx)
	if len(after) != len(before) {
		t.Errorf("failed Teach calls stored %d links", len(after)-len(before))
	}
}

func TestTaughtExportImportAndStale(t *testing.T) {
	l := newTestLists(t)
	ctx := context.Background()
	code, name := poultryCode(t, l)
	taught, err := l.Teach(ctx, TeachInput{Question: untaughtQ, Code: code, Scope: towndesk.ScopeCounty, By: "王芳"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if n, err := l.ExportTaught(ctx, &buf); err != nil || n != 1 {
		t.Fatalf("ExportTaught = %d, %v; want 1 link", n, err)
	}

	// Into another county: the same item, found by name in its lists. A
	// maintainer's # comment line in the file is no link.
	other := newTestLists(t)
	links, err := other.TeachFile(ctx, strings.NewReader("# 从滕州市导出\n"+buf.String()), "links.jsonl", "宁津县", "")
	if err != nil {
		t.Fatalf("TeachFile: %v", err)
	}
	if len(links) != 1 || links[0].By != "王芳" || !links[0].At.Equal(taught.Link.At) || links[0].Place.County != "宁津县" || links[0].ItemName != name {
		t.Errorf("imported %+v, want 王芳's link at %v moved to 宁津县", links, taught.Link.At)
	}
	q := strings.Replace(untaughtQ, "滨湖镇", "宁津县柴胡店镇", 1)
	if r := ask(t, other, AskInput{Question: q}); r.Result.Status != towndesk.StatusAnswered || r.Result.Matches[0].Role != towndesk.RoleTaught {
		t.Errorf("Ask(%q) after importing the link = %s, want the taught row", q, r.Result.Status)
	}
	// A bad file stores nothing and names the line.
	bad := buf.String() + "{not json\n"
	if _, err := other.TeachFile(ctx, strings.NewReader(bad), "links.jsonl", "宁津县", ""); err == nil ||
		!strings.Contains(towndesk.ErrorMessage(err), "links.jsonl:2") {
		t.Errorf("TeachFile(bad) = %v, want an error naming links.jsonl:2", err)
	}
	if all, _ := other.db.TaughtLinks(ctx); len(all) != 1 {
		t.Errorf("after a failed import there are %d links, want 1", len(all))
	}

	// A re-import that drops the item makes the link stale and unused.
	lists, _ := l.db.Lists(ctx)
	for _, list := range lists {
		if list.Place.County != "滕州市" {
			continue
		}
		items, _ := l.db.EditionItems(ctx, list.EditionID)
		var kept []towndesk.PowerItem
		for _, it := range items {
			if it.Name != name {
				kept = append(kept, it)
			}
		}
		if len(kept) == len(items) {
			continue
		}
		if _, err := l.db.ImportEdition(ctx, storage.EditionInput{Place: list.Place, Edition: "去掉家禽", Items: kept}); err != nil {
			t.Fatal(err)
		}
	}
	views, err := l.Taught(ctx)
	if err != nil || len(views) != 1 || !views[0].Stale {
		t.Errorf("Taught() after the item was removed = %+v, %v; want the link marked stale", views, err)
	}
	if r := ask(t, l, AskInput{Question: untaughtQ}); r.Result.Status == towndesk.StatusAnswered && r.Result.Matches[0].Role == towndesk.RoleTaught {
		t.Errorf("a stale link still answers")
	}
}

func TestTeachingFiguresAndReview(t *testing.T) {
	l := newTestLists(t)
	ctx := context.Background()
	code, _ := poultryCode(t, l)
	// Two questions the bot could not answer, one of them asked twice.
	for _, q := range []string{untaughtQ, untaughtQ, "滨湖镇有人在网上卖假的演唱会门票谁管"} {
		r := ask(t, l, AskInput{Question: q})
		lq := &storage.Question{Source: "slack", User: "U1", Channel: "C1", Text: q, Status: r.Result.Status,
			Place: *r.Result.Place, Matter: r.Result.Matter}
		if err := l.db.LogQuestion(ctx, lq); err != nil {
			t.Fatal(err)
		}
	}
	queue, err := l.Review(ctx, time.Time{})
	if err != nil || len(queue) != 2 || queue[0].Count != 2 {
		t.Fatalf("Review = %+v, %v; want 2 forms, the first asked twice", queue, err)
	}
	binhu := *ask(t, l, AskInput{Question: untaughtQ}).Result.Place
	if _, err := l.Teach(ctx, TeachInput{Question: untaughtQ, Code: code, By: "王芳"}); err != nil {
		t.Fatal(err)
	}
	if queue, err := l.Review(ctx, time.Time{}); err != nil || len(queue) != 1 {
		t.Errorf("after teaching one form, the queue has %d forms, want 1", len(queue))
	}
	now := time.Now()
	f, err := l.TeachingFigures(ctx, binhu, now.Add(-time.Hour), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if f.Queue != 1 || len(f.Taught) != 1 || f.Taught[0].By != "王芳" || f.Taught[0].Count != 1 || f.Stale != 0 {
		t.Errorf("TeachingFigures(滨湖镇) = %+v, want queue 1, 王芳 1, none stale", f)
	}
	other := towndesk.Place{Province: "浙江省", County: "义乌市", CountyCode: "330782"}
	if f, _ := l.TeachingFigures(ctx, other, now.Add(-time.Hour), now.Add(time.Hour)); f.Queue != 0 || len(f.Taught) != 0 {
		t.Errorf("TeachingFigures(义乌市) = %+v, want nothing from 滨湖镇", f)
	}
}
