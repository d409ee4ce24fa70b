package lexicon

import (
	_ "embed"
	"io"
	"slices"
	"strings"

	"github.com/towndesk/towndesk"
)

//go:embed synonyms.txt
var defaultSynonyms string

// Synonyms maps the words people use to the words power lists use.
type Synonyms struct {
	groups  [][]string       // official terms of each group
	outside []bool           // whether each group is a matter outside power lists
	byTerm  map[string][]int // any word of a group → its groups
}

// DefaultSynonyms returns the dictionary shipped with towndesk.
func DefaultSynonyms() *Synonyms {
	s, err := ParseSynonyms(strings.NewReader(defaultSynonyms), "synonyms.txt")
	if err != nil {
		panic(err) // the embedded file is checked by tests
	}
	return s
}

// ParseSynonyms reads a dictionary: one group per line, "official terms =
// colloquial words", words separated by spaces, # comments. A line that
// starts with ! is a matter outside power lists (wages, household
// registration, public order): see Outside. name is used in error
// messages. It returns EINVALID naming the line of any malformed group.
func ParseSynonyms(r io.Reader, name string) (*Synonyms, error) {
	s := &Synonyms{byTerm: map[string][]int{}}
	err := towndesk.EachLine(r, name, func(n int, line string) error {
		left, right, ok := strings.Cut(line, "=")
		left, outside := strings.CutPrefix(strings.TrimSpace(NormText(left)), "!") // also ！
		official := strings.Fields(left)
		if !ok || len(official) == 0 {
			return towndesk.Errorf(towndesk.EINVALID, "%s:%d: 同义词行应为“清单用语 = 口语说法”", name, n)
		}
		s.add(official, strings.Fields(NormText(right)), outside)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Synonyms) add(official, colloquial []string, outside bool) {
	g := len(s.groups)
	s.groups = append(s.groups, official)
	s.outside = append(s.outside, outside)
	for _, w := range append(append([]string{}, official...), colloquial...) {
		if !slices.Contains(s.byTerm[w], g) {
			s.byTerm[w] = append(s.byTerm[w], g)
		}
	}
}

// Merge adds the groups of o to s.
func (s *Synonyms) Merge(o *Synonyms) {
	for g, official := range o.groups {
		var coll []string
		for w, gs := range o.byTerm {
			if slices.Contains(gs, g) {
				coll = append(coll, w)
			}
		}
		s.add(official, coll, o.outside[g])
	}
}

// Outside reports whether w names only matters outside power lists (a
// group marked !): when no imported list uses the group's official terms
// either, a question about it is about something no list holds.
func (s *Synonyms) Outside(w string) bool {
	gs := s.byTerm[w]
	for _, g := range gs {
		if !s.outside[g] {
			return false
		}
	}
	return len(gs) > 0
}

// Groups returns the number of groups, for reporting.
func (s *Synonyms) Groups() int { return len(s.groups) }

// Words returns every word of the dictionary, colloquial and official.
func (s *Synonyms) Words() []string {
	out := make([]string, 0, len(s.byTerm))
	for w := range s.byTerm {
		out = append(out, w)
	}
	return out
}

// Expand returns the official terms for a word, and whether it is known.
//
// A word that is a group's first official term is read through that group
// only: it names that group's matter, and another group that also lists
// it (伪造 变造 检疫证明 = 假检疫证明 …) is about something more specific
// that the word alone does not say.
func (s *Synonyms) Expand(w string) ([]string, bool) {
	gs, ok := s.byTerm[w]
	if !ok {
		return nil, false
	}
	var own []int
	for _, g := range gs {
		if s.groups[g][0] == w {
			own = append(own, g)
		}
	}
	if len(own) > 0 {
		gs = own
	}
	var out []string
	for _, g := range gs {
		for _, t := range s.groups[g] {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out, true
}

// NormText folds full-width ASCII and the ideographic space to their
// narrow forms, so "ＡＢ　１" and "AB 1" compare equal.
func NormText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000':
			return ' '
		case r >= '！' && r <= '～':
			return r - '！' + '!'
		}
		return r
	}, s)
}
