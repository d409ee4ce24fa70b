package index

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TermStats says how many indexed rows use a term: in their name or
// sub-item (Name), and in their other text (Text: basis, domain, note,
// cited articles).
type TermStats struct{ Name, Text int }

// maxStatsCache bounds the remembered stats; past it the memory is cleared.
const maxStatsCache = 200000

// Stats returns the number of indexed rows and the stats of each term. A
// term of two or more Han characters counts by its rarest character pair
// (the index holds pairs), which bounds the rows that contain the whole
// term; a single character counts by the names that have it. Stats are
// remembered until the index changes. It fails if the index cannot be
// read or ctx ends.
func (x *Index) Stats(ctx context.Context, terms []string) (int, map[string]TermStats, error) {
	out := make(map[string]TermStats, len(terms))
	x.statsMu.Lock()
	docs := x.docs
	var missing []string
	for _, t := range terms {
		if st, ok := x.statsCache[t]; ok {
			out[t] = st
		} else if _, dup := out[t]; !dup {
			missing = append(missing, t)
			out[t] = TermStats{}
		}
	}
	x.statsMu.Unlock()
	if len(missing) == 0 && docs > 0 {
		return docs, out, nil
	}
	adv, err := x.bi.Advanced()
	if err != nil {
		return 0, nil, fmt.Errorf("index reader: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return 0, nil, fmt.Errorf("index reader: %w", err)
	}
	defer r.Close()
	if docs == 0 {
		n, err := r.DocCount()
		if err != nil {
			return 0, nil, fmt.Errorf("index doc count: %w", err)
		}
		docs = int(n)
	}
	count := func(term, field string) (int, error) {
		tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			return 0, fmt.Errorf("index term %q: %w", term, err)
		}
		defer tfr.Close()
		return int(tfr.Count()), nil
	}
	for _, t := range missing {
		if err := ctx.Err(); err != nil {
			return 0, nil, err
		}
		var st TermStats
		grams, field := indexTerms(t)
		for i, g := range grams {
			n, err := count(g, field)
			if err != nil {
				return 0, nil, err
			}
			if i == 0 || n < st.Name {
				st.Name = n
			}
			if field == "name_uni" {
				continue
			}
			if n, err = count(g, "text"); err != nil {
				return 0, nil, err
			}
			if i == 0 || n < st.Text {
				st.Text = n
			}
		}
		out[t] = st
	}
	x.statsMu.Lock()
	if len(x.statsCache) > maxStatsCache {
		clear(x.statsCache)
	}
	x.docs = docs
	for _, t := range missing {
		x.statsCache[t] = out[t]
	}
	x.statsMu.Unlock()
	return docs, out, nil
}

// indexTerms returns what the index holds of a term, and in which name
// field: the character pairs of a Han word, its one character, or a word
// of letters and digits lowercased.
func indexTerms(t string) ([]string, string) {
	rs := []rune(strings.ToLower(t))
	han := true
	for _, r := range rs {
		han = han && unicode.Is(unicode.Han, r)
	}
	switch {
	case !han:
		return []string{string(rs)}, "name"
	case len(rs) == 1:
		return []string{string(rs)}, "name_uni"
	}
	return pairs(string(rs)), "name"
}

// pairs returns a word's character pairs, or the word itself if it has
// one character.
func pairs(w string) []string {
	rs := []rune(w)
	if len(rs) < 2 {
		return []string{w}
	}
	out := make([]string, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

// Term is one search term with its weight. An exact term must match all
// its character pairs (official wording); others match any (partial recall).
type Term struct {
	Text  string
	Boost float64
	Exact bool
}

// Hit is one retrieved row: the edition, the row's sequence number in it,
// and bleve's score.
type Hit struct {
	Edition int64
	Seq     int
	Score   float64
}

// Search retrieves up to size rows of the given lists that match any of
// the terms, best first. Terms are analysed, never parsed as query syntax,
// so chat text cannot inject operators. It returns nothing for no terms or
// no lists, and fails if the search fails or takes over 5 seconds.
func (x *Index) Search(ctx context.Context, terms []Term, lists []int64, size int) ([]Hit, error) {
	if len(terms) == 0 || len(lists) == 0 {
		return nil, nil
	}
	var should []query.Query
	for _, t := range terms {
		n := len([]rune(t.Text))
		if n >= 2 {
			mq := bleve.NewMatchQuery(t.Text)
			mq.SetField("name")
			mq.SetBoost(2 * t.Boost)
			tq := bleve.NewMatchQuery(t.Text)
			tq.SetField("text")
			tq.SetBoost(0.5 * t.Boost)
			if t.Exact {
				mq.Operator = query.MatchQueryOperatorAnd
				tq.Operator = query.MatchQueryOperatorAnd
			}
			should = append(should, mq, tq)
		}
		if n == 1 {
			// Only one-character terms need the unigram field; for longer
			// ones the bigrams are more precise, and unigrams of common
			// characters would match most of a large list.
			uq := bleve.NewMatchQuery(t.Text)
			uq.SetField("name_uni")
			uq.SetBoost(t.Boost)
			should = append(should, uq)
		}
	}
	var listQ []query.Query
	for _, id := range lists {
		tq := bleve.NewTermQuery(strconv.FormatInt(id, 10))
		tq.SetField("list")
		listQ = append(listQ, tq)
	}
	q := bleve.NewConjunctionQuery(bleve.NewDisjunctionQuery(should...), bleve.NewDisjunctionQuery(listQ...))
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := x.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		e, s, ok := parseDocID(h.ID)
		if !ok {
			continue
		}
		out = append(out, Hit{Edition: e, Seq: s, Score: h.Score})
	}
	return out, nil
}
