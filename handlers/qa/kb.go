package qa

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/gazetteer"
	"github.com/towndesk/towndesk/kb"
	"github.com/towndesk/towndesk/law"
	"github.com/towndesk/towndesk/listfile"
	"github.com/towndesk/towndesk/storage"
)

// Lists answers questions from the power lists and manages the lists:
// import, listing, diff, law text.
type Lists struct {
	db    *storage.DB
	kb    *kb.KB
	index *kb.Index
	gaz   *gazetteer.Gazetteer

	// NoSample turns off loading the embedded sample lists into an empty
	// data directory on the first question.
	NoSample bool
	// MatchTimeout bounds the matcher's work on one question (0:
	// DefaultMatchTimeout); see budget.go.
	MatchTimeout time.Duration

	lawsOnce sync.Once
	laws     *law.Laws
	lawsErr  error

	sampleMu  sync.Mutex
	haveLists atomic.Bool // the database has lists: LoadSample has nothing to do

	model modelState // optional language model; see llm.go
}

// NewLists returns the list handlers over db, searching with k (built on
// index) and placing names with gaz. It makes k answer from the links
// taught in db (see Teach).
func NewLists(db *storage.DB, k *kb.KB, index *kb.Index, gaz *gazetteer.Gazetteer) *Lists {
	if k != nil {
		k.WithTaught(db)
	}
	return &Lists{db: db, kb: k, index: index, gaz: gaz}
}

// ImportInput is one import command.
type ImportInput struct {
	Province, County, Town string
	Edition                string
	Mode                   string // mode for lists without a mode column
	Lenient                bool
	Files                  []listfile.File
	Progress               func(written int)
}

// ImportReply says what an import stored.
type ImportReply struct {
	List    towndesk.List
	Skipped []listfile.Problem
	Unknown []string
	// Defaulted names the files without a mode column where rows took the
	// default mode (法定 for a town, 县级保留 for a county, or ImportInput.Mode).
	Defaulted []listfile.Defaulted
	// Notices say how a layout that is not a plain table was read (a body
	// from the title, hidden columns left out …), for the importer to check.
	Notices []listfile.Problem
}

// Import stores files as the new current edition of a place's list. The
// place must be a real county (and town in it). It returns EINVALID for an
// unknown place, a bad file or invalid rows (all listed), ECONFLICT for an
// edition name the list already has; on any error nothing is stored.
func (l *Lists) Import(ctx context.Context, in ImportInput) (*ImportReply, error) {
	place, err := l.resolve(in.Province, in.County, in.Town)
	if err != nil {
		return nil, err
	}
	mode := towndesk.ModeRetained
	if place.IsTown() {
		mode = towndesk.ModeStatutory
	}
	if in.Mode != "" {
		m, ok := towndesk.ParseMode(in.Mode)
		if !ok {
			return nil, towndesk.Errorf(towndesk.EINVALID, "--mode 的值“%s”无法识别（应为 法定、赋权、下放、委托、派驻、协助、县级保留）", in.Mode)
		}
		mode = m
	}
	parsed, err := listfile.ParseContext(ctx, in.Files, listfile.Options{DefaultMode: mode, Lenient: in.Lenient, CodePrefix: place.Code(), Town: place.Town})
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range in.Files {
		names = append(names, f.Name)
	}
	list, err := l.db.ImportEdition(ctx, storage.EditionInput{Place: place, Edition: in.Edition, Files: names,
		Items: parsed.Items, Progress: in.Progress})
	if err != nil {
		return nil, err
	}
	return &ImportReply{List: list, Skipped: parsed.Skipped, Unknown: parsed.Unknown, Defaulted: parsed.Defaulted, Notices: parsed.Notices}, nil
}

func (l *Lists) resolve(province, county, town string) (towndesk.Place, error) {
	if county == "" {
		return towndesk.Place{}, towndesk.Invalidf("county", "请写明清单所属的县（市、区）")
	}
	r := l.gaz.ResolveParts(province, county, town)
	return r.Place, r.Err()
}

// LoadSample imports the embedded sample lists if the database has no list
// at all (and NoSample is off). It reports whether it loaded them.
func (l *Lists) LoadSample(ctx context.Context) (bool, error) {
	if l.NoSample {
		return false, nil
	}
	if l.haveLists.Load() { // lists are never deleted: no need to look again
		return false, nil
	}
	l.sampleMu.Lock()
	defer l.sampleMu.Unlock()
	lists, err := l.db.Lists(ctx)
	if err != nil {
		return false, err
	}
	if len(lists) > 0 {
		l.haveLists.Store(true)
		return false, nil
	}
	sample, files, err := kb.SampleLists()
	if err != nil {
		return false, &towndesk.Error{Code: towndesk.EINTERNAL, Err: err}
	}
	for _, s := range sample {
		in := ImportInput{Province: s.Province, County: s.County, Town: s.Town, Edition: s.Edition, Mode: s.Mode}
		for _, f := range s.Files {
			in.Files = append(in.Files, files[f])
		}
		if _, err := l.Import(ctx, in); err != nil {
			return false, fmt.Errorf("load sample list %s%s %s: %w", s.County, s.Town, s.Edition, err)
		}
	}
	l.haveLists.Store(true)
	return true, nil
}

// AskInput is a question with the asker's default place.
type AskInput struct {
	Question     string
	Town, County string
	Limit        int
}

// Ask answers a question. The embedded sample is loaded first when the
// data directory has no lists. It returns EINVALID for an empty question,
// one over towndesk.MaxQuestion characters or with control characters
// (towndesk.CheckQuestion, before the question is read), and for one the
// matcher could not answer within MatchTimeout (IsMatchTimeout) or whose
// ctx ended; otherwise an error only for a bad default place or a
// storage/index failure. Everything else about the question is in the
// reply's status.
func (l *Lists) Ask(ctx context.Context, in AskInput) (*AskReply, error) {
	if strings.TrimSpace(in.Question) == "" {
		return nil, towndesk.Errorf(towndesk.EINVALID, "请输入问题，例如“滨湖镇有人乱搭乱建归谁管？”")
	}
	if err := towndesk.CheckQuestion(in.Question); err != nil {
		return nil, err
	}
	if err := l.ready(ctx); err != nil {
		return nil, err
	}
	b := l.newBudget()
	res, err := match(ctx, b, func(ctx context.Context) (*towndesk.AskResult, error) {
		return l.kb.Ask(ctx, kb.Query{Question: in.Question, Town: in.Town, County: in.County, Limit: in.Limit})
	})
	if err != nil {
		return nil, err
	}
	reply := &AskReply{Result: res, Text: AnswerText(res)}
	return l.refine(ctx, in, reply, b), nil // no-op without a model; see llm.go
}

// Laws returns the embedded law texts, loaded on first use.
func (l *Lists) Laws() (*law.Laws, error) {
	l.lawsOnce.Do(func() { l.laws, l.lawsErr = law.Load() })
	return l.laws, l.lawsErr
}

// Law returns one article of a law. It returns ENOTFOUND naming what exists
// when the law or article is unknown.
func (l *Lists) Law(name, article string) (law.Article, error) {
	laws, err := l.Laws()
	if err != nil {
		return law.Article{}, err
	}
	return laws.Article(name, article)
}

// BasisArticles returns the texts of the articles a legal basis cites that
// towndesk has.
func (l *Lists) BasisArticles(basis string) []law.Article {
	laws, err := l.Laws()
	if err != nil {
		return nil
	}
	return laws.Cite(basis)
}

// AllLists returns every list with its current edition.
func (l *Lists) AllLists(ctx context.Context) ([]towndesk.List, error) {
	return l.db.Lists(ctx)
}

// Change is one changed row between two editions.
type Change struct {
	Old, New towndesk.PowerItem
	Fields   []string // 实施主体, 承接方式, 实施依据
}

// DiffReply compares the last two editions of a list.
type DiffReply struct {
	Place    towndesk.Place
	From, To towndesk.List
	Added    []towndesk.PowerItem
	Removed  []towndesk.PowerItem
	Changed  []Change
}

// Diff compares the last two editions of the list of a place. Rows are
// matched by code, then by name and sub-item (generated codes change with
// the body). It returns ENOTFOUND for a place without a list and EINVALID
// for a list with one edition only.
func (l *Lists) Diff(ctx context.Context, province, county, town string) (*DiffReply, error) {
	place, err := l.resolve(province, county, town)
	if err != nil {
		return nil, err
	}
	eds, err := l.db.Editions(ctx, place)
	if err != nil {
		return nil, err
	}
	if len(eds) < 2 {
		return nil, towndesk.Errorf(towndesk.EINVALID, "%s 的清单只有一个版本（%s），没有可比较的", place.Short(), eds[0].Edition)
	}
	from, to := eds[len(eds)-2], eds[len(eds)-1]
	oldItems, err := l.db.EditionItems(ctx, from.EditionID)
	if err != nil {
		return nil, err
	}
	newItems, err := l.db.EditionItems(ctx, to.EditionID)
	if err != nil {
		return nil, err
	}
	d := &DiffReply{Place: place, From: from, To: to}
	d.Added, d.Removed, d.Changed = diffItems(oldItems, newItems)
	return d, nil
}

func diffItems(oldItems, newItems []towndesk.PowerItem) (added, removed []towndesk.PowerItem, changed []Change) {
	nameKey := func(it towndesk.PowerItem) string { return it.Name + "\x00" + it.SubItem }
	oldByCode, oldByName := map[string]int{}, map[string]int{}
	for i, it := range oldItems {
		oldByCode[it.Code] = i
		oldByName[nameKey(it)] = i
	}
	used := make([]bool, len(oldItems))
	for _, it := range newItems {
		i, ok := oldByCode[it.Code]
		if !ok || used[i] {
			i, ok = oldByName[nameKey(it)]
		}
		if !ok || used[i] {
			added = append(added, it)
			continue
		}
		used[i] = true
		o := oldItems[i]
		var fields []string
		if o.Body != it.Body {
			fields = append(fields, "实施主体")
		}
		if o.Mode != it.Mode {
			fields = append(fields, "承接方式")
		}
		if o.Basis != it.Basis {
			fields = append(fields, "实施依据")
		}
		if len(fields) > 0 {
			changed = append(changed, Change{Old: o, New: it, Fields: fields})
		}
	}
	for i, it := range oldItems {
		if !used[i] {
			removed = append(removed, it)
		}
	}
	sort.SliceStable(added, func(i, j int) bool { return added[i].Code < added[j].Code })
	sort.SliceStable(removed, func(i, j int) bool { return removed[i].Code < removed[j].Code })
	return added, removed, changed
}
