package kb

import (
	"strings"

	"github.com/towndesk/towndesk"
)

// Scoring: how well a retrieved row matches what a question talks about.
// The index finds candidates; these functions rate them on the row's own
// text, so that the thresholds of Ask mean the same for every list.

// score rates how well a row matches the question, in 0..1 (plus small
// bonuses), and the share of dictionary concepts it matches.
func score(p parsed, it towndesk.PowerItem, articles string) (float64, float64) {
	name := it.Name + " " + it.SubItem
	rest := strings.Join([]string{it.Basis, it.Domain, it.Note, articles}, " ")
	// Every concept counts: dictionary words fully, plain words the lists
	// use and words no list uses at unknownWeight each (they match nothing,
	// so they pull every row down alike: a question mostly about something
	// the lists lack is not answered by a row matching its one familiar word).
	//
	// Dictionary words: a question often has one word for the matter and
	// others for its setting (楼道 消防通道, 地里 烧秸秆), so a row is rated
	// half by its best dictionary word and half by their mean.
	var knownSum, knownMax, knownN, sum, n float64
	for _, c := range p.concepts {
		switch {
		case c.unknownPairs > 0:
			n += unknownWeight
		case c.known:
			m := conceptMatch(c, name, rest)
			knownSum += m
			knownMax = max(knownMax, m)
			knownN++
			n++
		default:
			sum += c.weight * plainWeight * plainMatch(c, name, rest)
			n += c.weight * plainWeight
		}
	}
	known := 0.0
	if knownN > 0 {
		known = 0.5*knownMax + 0.5*knownSum/knownN
		sum += knownN * known
	}
	s := 0.0
	if n > 0 {
		s = sum / n
	}
	if knownN == 0 {
		known = s
	}
	// Category: a hint that matches helps; one that contradicts hurts. With
	// no hint, "who manages X" is about enforcing: prefer penalties.
	switch {
	case p.category != "" && it.Category == p.category:
		s += 0.08
	case p.category != "" && it.Category != "":
		s -= 0.12
	case p.category == "" && it.Category == "行政处罚":
		s += 0.03
	case p.category == "" && it.Category == "行政强制":
		s += 0.01
	}
	// Among equals, the shorter name is the more specific match.
	s -= float64(len([]rune(name))) / 20000
	return s, known
}

// conceptMatch rates a dictionary word against a row, in 0..1: 0.75 when
// the name contains the question's word or one of its official terms, plus
// up to 0.25 for how much of all of them the name has (the question's own
// word counts double): the more of them, the more specific the row. A word
// found only in the basis, domain, note or cited article text counts 0.5;
// partial words count less.
func conceptMatch(c concept, name, rest string) float64 {
	full, credit, inRest := 0, 0.0, false
	for i, a := range c.alts {
		switch {
		case strings.Contains(name, a):
			full++
			credit++
			if i == 0 {
				credit++ // the question's own word
			}
		case strings.Contains(rest, a):
			inRest = true
		default:
			credit += 0.5 * pairShare(a, name)
		}
	}
	switch {
	case full > 0:
		return 0.75 + 0.25*credit/float64(len(c.alts)+1)
	case inRest:
		return 0.5
	}
	return 0.7 * credit / float64(len(c.alts)+1)
}

// plainMatch rates a plain word (a run of pairs the lists use) against a
// row: 1 when the name contains it, else the share of its pairs found in
// the name (0.8 a pair) or anywhere in the row (0.5 a pair).
func plainMatch(c concept, name, rest string) float64 {
	if strings.Contains(name, c.surface) {
		return 1
	}
	inName, inRest := 0, 0
	for _, g := range c.grams {
		switch {
		case strings.Contains(name, g):
			inName++
		case strings.Contains(rest, g):
			inRest++
		}
	}
	n := float64(max(len(c.grams), 1))
	return max(0.8*float64(inName)/n, 0.5*float64(inName+inRest)/n)
}

// pairShare is the share of a word's character pairs found in s.
func pairShare(w, s string) float64 {
	rs := []rune(w)
	if len(rs) < 3 {
		return 0
	}
	found := 0
	for i := 0; i+1 < len(rs); i++ {
		if strings.Contains(s, string(rs[i:i+2])) {
			found++
		}
	}
	return float64(found) / float64(len(rs)-1)
}

// weighPlainWords reads the question's plain words against the lists'
// vocabulary. Each word is cut into runs of consecutive character pairs
// that occur somewhere in the lists ("吐痰乱扔烟头" → 吐痰, 乱扔, 烟头);
// each run is matched on its own, and the pairs between runs, which no
// list uses, are kept as a count: they weigh against a match only when the
// question has no dictionary word at all. A single character is kept only
// when the question has nothing else to go by ("滨湖 砂").
func (k *KB) weighPlainWords(p *parsed) error {
	var terms []string
	for _, c := range p.concepts {
		if !c.known {
			terms = append(terms, pairs(c.surface)...)
		}
	}
	if len(terms) == 0 {
		return nil
	}
	vocab, err := k.index.vocabulary(terms)
	if err != nil {
		return err
	}
	var out []concept
	for _, c := range p.concepts {
		if c.known {
			out = append(out, c)
			continue
		}
		rs := []rune(c.surface)
		if len(rs) == 1 {
			if vocab[c.surface] {
				c.grams = []string{c.surface}
				out = append(out, c)
			}
			continue
		}
		unknown := 0
		start := -1 // first rune of the current run
		for i := 0; i+1 < len(rs); i++ {
			known := vocab[string(rs[i:i+2])]
			if known && start < 0 {
				start = i
			}
			if !known {
				unknown++
				if start >= 0 {
					out = append(out, plainRun(rs[start:i+1]))
					start = -1
				}
			}
		}
		if start >= 0 {
			out = append(out, plainRun(rs[start:]))
		}
		if unknown > 0 {
			// The unknown pairs of the word, as one concept that nothing
			// matches: it weighs 0.5 a pair where it counts at all.
			out = append(out, concept{surface: c.surface, weight: 1, unknownPairs: unknown})
		}
	}
	// A single character is the matter only when it is all the question
	// has ("滨湖 砂"); several stray characters are debris of a question
	// the lists do not speak to.
	lone := len(p.concepts) == 1
	p.concepts = p.concepts[:0]
	for _, c := range out {
		if !c.known && c.unknownPairs == 0 && len([]rune(c.surface)) == 1 && !lone {
			continue
		}
		p.concepts = append(p.concepts, c)
	}
	return nil
}

// Weights of plain words relative to a dictionary word.
const (
	plainWeight   = 0.4  // a run of pairs the lists use
	unknownWeight = 0.45 // a word none of whose pairs any list uses
)

func plainRun(rs []rune) concept {
	w := string(rs)
	return concept{surface: w, alts: []string{w}, weight: 1, grams: pairs(w)}
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
