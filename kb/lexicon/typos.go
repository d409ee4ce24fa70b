package lexicon

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/towndesk/towndesk/kb/lexicon/internal/homophone"
	"github.com/towndesk/towndesk/segment"
)

// Shortest and longest dictionary words Retype puts right. A slip in a
// word of two characters is not told from another word (见面 is no slip
// for 建面), and the dictionary has few words longer than six.
const minRetype, maxRetype = 3, 6

// maxRetypes bounds the words put right in one question.
const maxRetypes = 3

// Retype puts right the slips of a pinyin keyboard in the dictionary's
// words. Where three to six characters of text differ in exactly one
// character from exactly one word of the synonym dictionary, and that
// character shares a reading with the word's (城重墙 for 承重墙, 违章见筑 for
// 违章建筑), the text is read as the word. Nothing already read as a
// phrase of the book or a place (mentions, over tokens, the text's
// tokens as CutClauses cut it) is changed, nor are characters outside
// the common ones. And the text must read as more likely words with the
// word than without, by a margin (seg's probability of the run of Han
// characters around it): 大礼花 stays, though 打礼花 is a dictionary word,
// and so does 安全生产, though 安全绳 is one. It returns the text put right and
// the words it put in.
func (b *Phrasebook) Retype(seg *segment.Segmenter, text string, tokens []string, mentions []Mention) (string, []string) {
	rs := []rune(text)
	covered, single := b.covered(text, tokens, mentions)
	type fix struct {
		at, n int
		word  string
	}
	var fixes []fix
	taken := make([]bool, len(rs))
	for n := maxRetype; n >= minRetype; n-- {
		for i := 0; i+n <= len(rs) && len(fixes) < maxRetypes; i++ {
			w := rs[i : i+n]
			if !allHan(w) || b.kindOf(string(w)) != None || slices.Contains(taken[i:i+n], true) {
				continue
			}
			word, ok := b.retype(w, covered[i:i+n], single[i:i+n])
			if !ok || !likelier(seg, rs, i, word) {
				continue
			}
			fixes = append(fixes, fix{i, n, word})
			for k := i; k < i+n; k++ {
				taken[k] = true
			}
		}
	}
	if len(fixes) == 0 {
		return text, nil
	}
	var words []string
	for _, f := range fixes {
		copy(rs[f.at:], []rune(f.word))
		words = append(words, f.word)
	}
	return string(rs), words
}

// retype returns the one synonym word that w is a slip for, changing a
// character not covered; ok is false for none, or for two. A slip
// breaks the word it is in apart (城重墙 is cut 城/重/墙), so the
// character changed must stand alone in the cut: 废 of 收废品 and 袋 of
// 一袋 are parts of words, not slips.
func (b *Phrasebook) retype(w []rune, covered, single []bool) (word string, ok bool) {
	for j := range w {
		if covered[j] || !single[j] {
			continue
		}
		prefix, suffix := string(w[:j]), string(w[j+1:])
		if j > 0 && !b.isPrefix(prefix) {
			continue
		}
		var buf [4 * maxRetype]byte
		homophone.Each(w[j], func(h rune) bool {
			cand := append(utf8.AppendRune(append(buf[:0], prefix...), h), suffix...)
			if b.kindOf(string(cand)) != Synonym {
				return true
			}
			if word != "" && word != string(cand) {
				ok = false
				return false
			}
			word, ok = string(cand), true
			return true
		})
		if word != "" && !ok {
			return "", false // two words: no guess
		}
	}
	return word, ok
}

// covered marks the runes of text that are read as a phrase of the book
// or a place: a slip is never looked for there. single marks the runes
// that are a token of their own.
func (b *Phrasebook) covered(text string, tokens []string, mentions []Mention) (out, single []bool) {
	out = make([]bool, utf8.RuneCountInString(text))
	single = make([]bool, len(out))
	inPlace := make([]bool, len(tokens))
	for _, m := range mentions {
		for i := m.start; i < m.end && i < len(tokens); i++ {
			inPlace[i] = true
		}
	}
	phrase := 0     // tokens left of the current phrase
	at, pos := 0, 0 // byte and rune offset in text
	for i, t := range tokens {
		if phrase == 0 {
			phrase, _ = b.Longest(tokens[i:])
		}
		in := phrase > 0
		if phrase > 0 {
			phrase--
		}
		if t == ClauseBreak {
			continue
		}
		k := strings.Index(text[at:], t)
		if k < 0 {
			continue // not found verbatim: leave the rest as it is
		}
		pos += utf8.RuneCountInString(text[at : at+k])
		n := utf8.RuneCountInString(t)
		if in || inPlace[i] {
			for r := pos; r < pos+n; r++ {
				out[r] = true
			}
		}
		single[pos] = n == 1
		at += k + len(t)
		pos += n
	}
	return out, single
}

// likelier reports whether the run of Han characters around rs[at:]
// reads as more likely words with word at at than as it stands.
func likelier(seg *segment.Segmenter, rs []rune, at int, word string) bool {
	from, to := at, at
	for from > 0 && unicode.Is(unicode.Han, rs[from-1]) {
		from--
	}
	for to < len(rs) && unicode.Is(unicode.Han, rs[to]) {
		to++
	}
	fixed := slices.Clone(rs[from:to])
	copy(fixed[at-from:], []rune(word))
	return seg.LogProb(string(fixed)) > seg.LogProb(string(rs[from:to]))+minLikelier
}

// minLikelier is how much more likely (as a log probability) text must
// read with a word put right than without: e² ≈ 7 times. Slips make the
// text far less likely (违章见筑 13, 卫声 10, 城重墙 2.3), while a
// homophone of a real word gains little (林子头砍 → 偷砍 0.7, 收废品 →
// 收费品 1.7).
const minLikelier = 2

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}
