// Package segment cuts Chinese text into words, the way jieba does without
// its HMM: every dictionary word found at every position forms a graph of
// possible cuts, and the cut with the highest probability (the product of
// its words' relative frequencies) wins. "今天天气" becomes 今天/天气, never
// 今/天天/气, because 今天·天气 is far more probable than its alternatives.
//
// The general dictionary (about 300,000 words with frequencies, from jieba,
// MIT licence) is embedded sorted and searched in place: nothing is parsed at
// start-up but an index of line offsets, so a cold process segments its
// first question within a few milliseconds. Callers add their own words
// (place names, the colloquial and official words of a domain) with New;
// such a word is always preferred to cutting it apart.
//
// Runs of ASCII letters and digits are one token each; punctuation and
// spaces separate tokens and are not returned.
package segment

import (
	_ "embed"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed dict.txt
var dictText string

// MaxWordRunes is the longest word the segmenter looks for.
const MaxWordRunes = 16

// ExtraFreq is the frequency given to a caller's word that the general
// dictionary does not know or knows as rarer. At this frequency a word of
// two or more characters beats every cut of it into dictionary words except
// cuts into the very commonest characters (的, 了, 是 …), which no domain
// word is made of.
const ExtraFreq = 2000

// base is the embedded dictionary: lines "word freq", sorted by word, with
// the range of lines of each first character of the basic CJK block.
type base struct {
	text     string
	offs     []int32 // start of each line
	logTotal float64
	// from[r-cjkFirst], to[r-cjkFirst]: lines [from, to) start with r.
	from, to []int32
}

// The basic block of CJK characters, where nearly every word starts.
const cjkFirst, cjkLast = 0x4E00, 0x9FFF

var loadBase = sync.OnceValue(loadBaseUncached)

// Preload starts reading the embedded dictionary's index in the
// background, so that a cold process overlaps it with its other start-up
// work; a later New waits only for what is left of it.
func Preload() { go loadBase() }

func loadBaseUncached() *base {
	text := dictText
	b := &base{text: text, from: make([]int32, cjkLast-cjkFirst+1), to: make([]int32, cjkLast-cjkFirst+1)}
	// First line: "# total N; …".
	nl := strings.IndexByte(text, '\n')
	total := 0
	if f := strings.Fields(strings.TrimPrefix(text[:nl], "# total ")); len(f) > 0 {
		total, _ = strconv.Atoi(strings.TrimSuffix(f[0], ";"))
	}
	b.logTotal = math.Log(float64(max(total, 1)))
	b.offs = make([]int32, 0, 310000)
	for i := nl + 1; i < len(text); {
		k := int32(len(b.offs))
		b.offs = append(b.offs, int32(i))
		if r, _ := utf8.DecodeRuneInString(text[i:]); r >= cjkFirst && r <= cjkLast {
			if b.to[r-cjkFirst] == 0 {
				b.from[r-cjkFirst] = k
			}
			b.to[r-cjkFirst] = k + 1
		}
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return b
}

// word returns the word of line k.
func (b *base) word(k int32) string {
	line := b.text[b.offs[k]:]
	return line[:strings.IndexByte(line, ' ')]
}

// freq returns the frequency of line k.
func (b *base) freq(k int32) int {
	line := b.text[b.offs[k]:]
	line = line[strings.IndexByte(line, ' ')+1:]
	if nl := strings.IndexByte(line, '\n'); nl >= 0 {
		line = line[:nl]
	}
	f, _ := strconv.Atoi(line)
	return f
}

// search returns the first line in [lo, hi) whose word is ≥ w.
func (b *base) search(lo, hi int32, w string) int32 {
	for lo < hi {
		m := int32(uint32(lo+hi) >> 1)
		if b.word(m) < w {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// prefixes calls fn for every word of the dictionary that text starts
// with, shortest first, with its length in bytes and its frequency. The
// search starts in the lines of text's first character.
func (b *base) prefixes(text string, fn func(n, freq int)) {
	lo, hi := int32(0), int32(len(b.offs))
	r, size := utf8.DecodeRuneInString(text)
	if r >= cjkFirst && r <= cjkLast {
		lo, hi = b.from[r-cjkFirst], b.to[r-cjkFirst]
	}
	for n, runes := size, 1; runes <= MaxWordRunes; runes++ {
		w := text[:n]
		lo = b.search(lo, hi, w)
		if lo == hi {
			return
		}
		if e := b.word(lo); e == w {
			fn(n, b.freq(lo))
		} else if !strings.HasPrefix(e, w) {
			return // no word starts with w
		}
		if n == len(text) {
			return
		}
		_, size := utf8.DecodeRuneInString(text[n:])
		n += size
	}
}

// lookup returns the frequency of w, 0 if it is not a word.
func (b *base) lookup(w string) int {
	f := 0
	b.prefixes(w, func(n, freq int) {
		if n == len(w) {
			f = freq
		}
	})
	return f
}

// Segmenter cuts text into words. It is safe for concurrent use.
type Segmenter struct {
	base   *base
	layers []*layer // callers' words, in the order added
}

// layer is a set of a caller's words.
type layer struct {
	freq   map[string]int  // word → frequency
	prefix map[string]bool // proper prefixes of the words
}

// New returns a segmenter over the general dictionary and the given words.
// A word's frequency may be 0, meaning ExtraFreq or, if the general
// dictionary knows the word as more frequent, that frequency. Words longer
// than MaxWordRunes are ignored.
func New(words map[string]int) *Segmenter {
	return (&Segmenter{base: loadBase()}).With(words)
}

// With returns a segmenter that knows s's words and the given ones (as in
// New). s is unchanged, and the two share s's words, so a small layer (the
// place names of the current lists) costs only its own words.
func (s *Segmenter) With(words map[string]int) *Segmenter {
	l := &layer{freq: make(map[string]int, len(words)), prefix: map[string]bool{}}
	for w, f := range words {
		n := utf8.RuneCountInString(w)
		if n == 0 || n > MaxWordRunes {
			continue
		}
		if f <= 0 {
			// The default frequency, or the general dictionary's if it
			// knows the word as more frequent.
			f = max(ExtraFreq, s.base.lookup(w))
		}
		l.freq[w] = max(l.freq[w], f)
		for i := range w {
			if i > 0 {
				l.prefix[w[:i]] = true
			}
		}
	}
	return &Segmenter{base: s.base, layers: append(s.layers[:len(s.layers):len(s.layers)], l)}
}

// Known reports whether w is a word of s's dictionaries.
func (s *Segmenter) Known(w string) bool {
	for _, l := range s.layers {
		if l.freq[w] > 0 {
			return true
		}
	}
	return s.base.lookup(w) > 0
}

// Cut returns the words of text in order. Han text is cut by the
// dictionaries; each run of ASCII letters and digits is one word; anything
// else (punctuation, spaces, symbols) separates words and is dropped.
func (s *Segmenter) Cut(text string) []string {
	var out []string
	for len(text) > 0 {
		r, size := utf8.DecodeRuneInString(text)
		switch {
		case unicode.Is(unicode.Han, r):
			end := runEnd(text, func(r rune) bool { return unicode.Is(unicode.Han, r) })
			out = s.cutHan(text[:end], out)
			text = text[end:]
		case isAlnum(r):
			end := runEnd(text, isAlnum)
			out = append(out, text[:end])
			text = text[end:]
		default:
			text = text[size:]
		}
	}
	return out
}

func isAlnum(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) || unicode.IsDigit(r)
}

// runEnd returns the byte length of the prefix of text whose runes all
// satisfy in.
func runEnd(text string, in func(rune) bool) int {
	for i, r := range text {
		if !in(r) {
			return i
		}
	}
	return len(text)
}

// Parts returns the most probable cut of word into two or more words, or
// nil if word is a single character or not all Han. It reads a compound
// the dictionary knows as one word ("乱倒垃圾") as the words it is made of.
func (s *Segmenter) Parts(word string) []string {
	if utf8.RuneCountInString(word) < 2 || runEnd(word, func(r rune) bool { return unicode.Is(unicode.Han, r) }) != len(word) {
		return nil
	}
	return s.cut(word, nil, true)
}

// cutHan appends the most probable cut of a run of Han characters.
func (s *Segmenter) cutHan(text string, out []string) []string {
	return s.cut(text, out, false)
}

// LogProb returns the log probability of the most probable cut of a run
// of Han characters: how likely the text is as words. A slip of the
// keyboard (垃级桶 for 垃圾桶) makes text less likely than the words meant.
func (s *Segmenter) LogProb(text string) float64 {
	_, _, logp := s.best(text, false)
	return logp
}

// cut appends the most probable cut of a run of Han characters; split
// rules out the cut that keeps the whole run as one word.
func (s *Segmenter) cut(text string, out []string, split bool) []string {
	starts, next, _ := s.best(text, split)
	for i := 0; i < len(next)-1; i = next[i] {
		out = append(out, text[starts[i]:starts[next[i]]])
	}
	return out
}

// best finds the most probable cut of a run of Han characters: the byte
// offset of each rune (and len(text)), the end of the word starting at
// each rune, and the cut's log probability.
func (s *Segmenter) best(text string, split bool) (starts, next []int, logp0 float64) {
	// starts[i] is the byte offset of rune i; starts[n] = len(text).
	starts = make([]int, 0, len(text)/3+1)
	for i := range text {
		starts = append(starts, i)
	}
	n := len(starts)
	starts = append(starts, len(text))
	// logp[i] is the log probability of the best cut of runes i..n, and
	// next[i] the end (in runes) of its first word.
	logp := make([]float64, n+1)
	next = make([]int, n+1)
	// runeAt maps a byte offset in text to its rune index.
	runeAt := make([]int32, len(text)+1)
	for i, b := range starts {
		runeAt[b] = int32(i)
	}
	lt := s.base.logTotal
	for i := n - 1; i >= 0; i-- {
		// A single character is always a word; an unknown one counts as
		// frequency 1.
		logp[i] = -lt + logp[i+1]
		next[i] = i + 1
		consider := func(nb, f int) {
			j := int(runeAt[starts[i]+nb])
			if split && i == 0 && j == n {
				return
			}
			if p := math.Log(float64(f)) - lt + logp[j]; p > logp[i] {
				logp[i], next[i] = p, j
			}
		}
		s.base.prefixes(text[starts[i]:], consider)
		for _, l := range s.layers {
			for j := i + 1; j <= n && j-i <= MaxWordRunes; j++ {
				w := text[starts[i]:starts[j]]
				if f := l.freq[w]; f > 0 {
					consider(len(w), f)
				}
				if !l.prefix[w] {
					break
				}
			}
		}
	}
	return starts, next, logp[0]
}
