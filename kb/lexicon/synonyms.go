package lexicon

import (
	"io"
	"slices"
	"strings"

	"github.com/towndesk/towndesk"
)

// Synonyms maps the words people use to the words power lists use.
type Synonyms struct {
	// base is the compiled shipped dictionary (see compiled.go), whose
	// groups come first; nil for a dictionary read by ParseSynonyms.
	base    *table
	groups  [][]string       // official terms of each group after base's
	outside []bool           // whether each of those groups is a matter outside power lists
	byTerm  map[string][]int // any word of those groups → its groups (numbered after base's)
}

// DefaultSynonyms returns the dictionary shipped with towndesk
// (synonyms.txt, compiled into lexicon.bin). It panics if lexicon.bin is
// malformed, which the tests rule out.
func DefaultSynonyms() *Synonyms {
	return &Synonyms{base: compiled(), byTerm: map[string][]int{}}
}

// ParseSynonyms reads a dictionary: one group per line, "official terms =
// colloquial words", words separated by spaces, # comments. A line that
// starts with ! (or ！) is a matter outside power lists (wages, household
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
	g := s.Groups()
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
	words := make([][]string, o.Groups()) // words of each group of o
	o.eachWord(func(w string, gs []int) {
		for _, g := range gs {
			words[g] = append(words[g], w)
		}
	})
	for g := range words {
		s.add(o.official(g), words[g], o.isOutside(g))
	}
}

// Groups returns the number of groups, for reporting.
func (s *Synonyms) Groups() int {
	if s.base != nil {
		return s.base.groups + len(s.groups)
	}
	return len(s.groups)
}

// official returns the official terms of group g.
func (s *Synonyms) official(g int) []string {
	if s.base != nil {
		if g < s.base.groups {
			return s.base.official(g)
		}
		g -= s.base.groups
	}
	return s.groups[g]
}

// eachWord calls fn with every word of the dictionary and its groups.
func (s *Synonyms) eachWord(fn func(w string, groups []int)) {
	if s.base != nil {
		s.base.synonymWords(func(w string, gs []int) {
			fn(w, append(gs, s.byTerm[w]...))
		})
	}
	for w, gs := range s.byTerm {
		if s.base != nil && len(s.base.groupsOf(w, nil)) > 0 {
			continue // reported with base's groups above
		}
		fn(w, gs)
	}
}

// Words returns every word of the dictionary, colloquial and official.
func (s *Synonyms) Words() []string {
	var out []string
	s.eachWord(func(w string, _ []int) { out = append(out, w) })
	return out
}

// groupsOf returns the groups of w in order, nil if w is no word of s.
func (s *Synonyms) groupsOf(w string) []int {
	var gs []int
	if s.base != nil {
		gs = s.base.groupsOf(w, gs)
	}
	return append(gs, s.byTerm[w]...)
}

// isOutside reports whether group g is a matter outside power lists.
func (s *Synonyms) isOutside(g int) bool {
	if s.base != nil {
		if g < s.base.groups {
			return s.base.outside(g)
		}
		g -= s.base.groups
	}
	return s.outside[g]
}

// Outside reports whether w names only matters outside power lists (groups
// marked !): when no imported list uses their official terms either, a
// question about it is about something no list holds.
func (s *Synonyms) Outside(w string) bool {
	gs := s.groupsOf(w)
	for _, g := range gs {
		if !s.isOutside(g) {
			return false
		}
	}
	return len(gs) > 0
}

// firstOfficial returns the first official term of group g.
func (s *Synonyms) firstOfficial(g int) string {
	if s.base != nil && g < s.base.groups {
		return s.base.firstOfficial(g)
	}
	return s.official(g)[0]
}

// Expand returns the official terms for a word, and whether it is known.
//
// A word that is a group's first official term is read through that group
// only: it names that group's matter, and another group that also lists
// it (伪造 变造 检疫证明 = 假检疫证明 …) is about something more specific
// that the word alone does not say.
func (s *Synonyms) Expand(w string) ([]string, bool) {
	gs := s.groupsOf(w)
	if len(gs) == 0 {
		return nil, false
	}
	var own []int
	for _, g := range gs {
		if s.firstOfficial(g) == w {
			own = append(own, g)
		}
	}
	if len(own) > 0 {
		gs = own
	}
	var out []string
	for _, g := range gs {
		for _, t := range s.official(g) {
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
