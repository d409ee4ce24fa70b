// Package segment cuts Chinese text into words, the way jieba does without
// its HMM: every dictionary word found at every position forms a graph of
// possible cuts, and the cut with the highest probability (the product of
// its words' relative frequencies) wins. "今天天气" becomes 今天/天气, never
// 今/天天/气, because 今天·天气 is far more probable than its alternatives.
//
// The general dictionary (about 300,000 words with frequencies, from jieba,
// MIT licence) is embedded sorted and searched in place, by binary search
// over its bytes: nothing of it is parsed or indexed at start-up, so a cold
// process touches only the lines its words need. Callers add their own words
// (place names, the colloquial and official words of a domain) with New;
// such a word is always preferred to cutting it apart.
//
// Runs of ASCII letters and digits are one token each; punctuation and
// spaces separate tokens and are not returned.
package segment

import (
	_ "embed"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// base is the embedded dictionary: lines "word freq", sorted by word, after
// a header line. It is searched in place, line by line: no index of it is
// built, so a process touches only the parts of it its words need.
type base struct {
	text     string // the lines after the header
	logTotal float64
	// spans[r-cjkFirst] caches where the lines starting with r lie,
	// found on first use: from<<32 | to+1, 0 when not yet known.
	spans []atomic.Uint64
}

// The basic block of CJK characters, where nearly every word starts.
const cjkFirst, cjkLast = 0x4E00, 0x9FFF

var loadBase = sync.OnceValue(loadBaseUncached)

func loadBaseUncached() *base {
	// First line: "# total N; …".
	header, text, _ := strings.Cut(dictText, "\n")
	total := 0
	if f := strings.Fields(strings.TrimPrefix(header, "# total ")); len(f) > 0 {
		total, _ = strconv.Atoi(strings.TrimSuffix(f[0], ";"))
	}
	return &base{text: text, logTotal: math.Log(float64(max(total, 1))), spans: make([]atomic.Uint64, cjkLast-cjkFirst+1)}
}

// line returns the word and frequency of the line starting at offset at,
// and the offset of the next line.
func (b *base) line(at int) (word string, freq, next int) {
	line := b.text[at:]
	if nl := strings.IndexByte(line, '\n'); nl >= 0 {
		line, next = line[:nl], at+nl+1
	} else {
		next = len(b.text)
	}
	word, f, _ := strings.Cut(line, " ")
	freq, _ = strconv.Atoi(f)
	return word, freq, next
}

// word returns the word of the line starting at offset at, and the offset
// of the next line.
func (b *base) word(at int) (word string, next int) {
	word, next = b.text[at:], len(b.text)
	if nl := strings.IndexByte(word, '\n'); nl >= 0 {
		word, next = word[:nl], at+nl+1
	}
	if sp := strings.IndexByte(word, ' '); sp >= 0 {
		word = word[:sp]
	}
	return word, next
}

// search returns the start of the first line in [lo, hi) whose word is
// ≥ w, or hi; lo and hi are line starts.
func (b *base) search(lo, hi int, w string) int {
	for lo < hi {
		// The start of the line holding the middle byte: in [lo, hi).
		m := max(lo, strings.LastIndexByte(b.text[:lo+(hi-lo)/2], '\n')+1)
		if word, next := b.word(m); word < w {
			lo = next
		} else {
			hi = m
		}
	}
	return lo
}

// span returns where the lines starting with first (the rune r) lie.
func (b *base) span(r rune, first string) (lo, hi int) {
	var cached *atomic.Uint64
	if r >= cjkFirst && r <= cjkLast {
		cached = &b.spans[r-cjkFirst]
		if v := cached.Load(); v != 0 {
			return int(v >> 32), int(uint32(v)) - 1
		}
	}
	lo, hi = b.search(0, len(b.text), first), len(b.text)
	if last := len(first) - 1; first[last] < 0xff {
		// They end where the lines ≥ first with its last byte one higher
		// begin.
		var next [utf8.UTFMax]byte
		copy(next[:], first)
		next[last]++
		hi = b.search(lo, hi, string(next[:len(first)]))
	}
	if cached != nil {
		cached.Store(uint64(lo)<<32 | uint64(hi+1))
	}
	return lo, hi
}

// prefixes calls fn for every word of the dictionary that text starts
// with, shortest first, with its length in bytes and its frequency. The
// search starts in the lines of text's first character.
func (b *base) prefixes(text string, fn func(n, freq int)) {
	r, size := utf8.DecodeRuneInString(text)
	if size == 0 {
		return
	}
	lo, hi := b.span(r, text[:size])
	for n, runes := size, 1; runes <= MaxWordRunes; runes++ {
		w := text[:n]
		lo = b.search(lo, hi, w)
		if lo == hi {
			return
		}
		if e, _ := b.word(lo); e == w {
			_, f, _ := b.line(lo)
			fn(n, f)
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
	// A layer added by WithSorted has no maps: its words, sorted, all of
	// frequency sortedFreq.
	sorted     []string
	sortedFreq int
}

// lookup returns the frequency of w in l, 0 if it is none of l's words,
// and whether a longer word of l starts with w.
func (l *layer) lookup(w string) (freq int, prefix bool) {
	if l.sorted == nil {
		return l.freq[w], l.prefix[w]
	}
	i, found := slices.BinarySearch(l.sorted, w)
	if found {
		freq = l.sortedFreq
		i++
	}
	return freq, i < len(l.sorted) && strings.HasPrefix(l.sorted[i], w)
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
	l := &layer{freq: make(map[string]int, len(words)), prefix: make(map[string]bool, 2*len(words))}
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

// WithSorted returns a segmenter that knows s's words and the given ones,
// each with frequency freq (> 0), as With does; words must be sorted by
// their bytes, without repeats, and are not copied: the caller must not
// change them. It builds nothing, so a long list that is sorted anyway
// (every county's name) costs a segmenter no maps.
func (s *Segmenter) WithSorted(words []string, freq int) *Segmenter {
	keep := words
	for i, w := range words {
		if n := utf8.RuneCountInString(w); n == 0 || n > MaxWordRunes {
			// Ignored, as With ignores them: copy the rest.
			keep = slices.Clone(words[:i])
			for _, w := range words[i:] {
				if n := utf8.RuneCountInString(w); n > 0 && n <= MaxWordRunes {
					keep = append(keep, w)
				}
			}
			break
		}
	}
	l := &layer{sorted: keep, sortedFreq: freq}
	return &Segmenter{base: s.base, layers: append(s.layers[:len(s.layers):len(s.layers)], l)}
}

// Known reports whether w is a word of s's dictionaries.
func (s *Segmenter) Known(w string) bool {
	for _, l := range s.layers {
		if f, _ := l.lookup(w); f > 0 {
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
				f, prefix := l.lookup(w)
				if f > 0 {
					consider(len(w), f)
				}
				if !prefix {
					break
				}
			}
		}
	}
	return starts, next, logp[0]
}
