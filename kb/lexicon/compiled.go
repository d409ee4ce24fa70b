package lexicon

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/towndesk/towndesk"
)

// The shipped dictionary (synonyms.txt) and the phrasebook's own words
// (frames, fillers, hints) compiled into one sorted table, which a process
// searches in place: building the maps of ~20,000 words took a cold
// `towndesk ask` about 40 ms of CPU before it could read its question.
// compile_test.go writes it from the sources and fails when it is stale.
//
//go:generate go test -run ^TestCompiledLexicon$ -update
//go:embed lexicon.bin
var compiledData string

// compiledMagic starts lexicon.bin; the digit is the layout's version.
const compiledMagic = "towndesk lexicon 2\n"

// table is the compiled lexicon. Every section is an array of
// little-endian uint32 (info and refs: uint16) at an offset of data:
//
//	wordEnd[i]  end of word i in text (it starts where word i-1 ends)
//	info[i]     kind of word i | frame meaning+1 << 8 (0: not a frame), uint16
//	refEnd[i]   end of word i's groups in refs
//	refs        group numbers (uint16), ascending for each word
//	offEnd[g]   end of group g's official terms in offs
//	flags[g]    group g's flags (1: a matter outside power lists), uint16
//	offs        word numbers of each group's official terms, in order
//	strEnd[k]   end of string k in strs: the frames' categories and intents
//
// The words are sorted by their bytes.
type table struct {
	data                                       string
	words, groups, nstr                        int
	wordEnd, info, refEnd, refs                int
	offEnd, flags, offs, strEnd, strText, text int
	frameStrings                               []string // category, intent of each frame meaning
}

// compiled returns the embedded table. It panics if lexicon.bin is
// malformed, which TestCompiledLexicon rules out.
var compiled = sync.OnceValue(func() *table {
	t, err := readTable(compiledData)
	if err != nil {
		panic("lexicon.bin: " + err.Error())
	}
	return t
})

type tableError string

func (e tableError) Error() string { return string(e) }

// readTable checks the header and section bounds of a compiled table.
func readTable(data string) (*table, error) {
	if !strings.HasPrefix(data, compiledMagic) || len(data) < len(compiledMagic)+12 {
		return nil, tableError("not a compiled lexicon of this version (run go generate ./kb/lexicon)")
	}
	t := &table{data: data}
	h := len(compiledMagic)
	t.words, t.groups, t.nstr = int(u32(data, h)), int(u32(data, h+4)), int(u32(data, h+8))
	off := h + 12
	next := func(n, size int) int {
		at := off
		off += n * size
		return at
	}
	// sized lays out a section of size-byte elements, as many as the last
	// of the n ends at ends says, once the ends are known to be inside the
	// table. After an error it reads nothing more; err is checked once the
	// layout is done.
	var err error
	sized := func(ends, n, size int) int {
		switch {
		case err != nil:
			return 0
		case off > len(data):
			err = tableError("truncated")
			return 0
		case n == 0:
			return next(0, size)
		}
		return next(int(u32(data, ends+4*(n-1))), size)
	}
	t.wordEnd = next(t.words, 4)
	t.info = next(t.words, 2)
	t.refEnd = next(t.words, 4)
	t.refs = sized(t.refEnd, t.words, 2)
	t.offEnd = next(t.groups, 4)
	t.flags = next(t.groups, 2)
	t.offs = sized(t.offEnd, t.groups, 4)
	t.strEnd = next(t.nstr, 4)
	t.strText = sized(t.strEnd, t.nstr, 1)
	t.text = sized(t.wordEnd, t.words, 1)
	if err != nil {
		return nil, err
	}
	if off != len(data) || t.nstr%2 != 0 {
		return nil, tableError("sections do not add up to its size")
	}
	for k := 0; k < t.nstr; k++ {
		t.frameStrings = append(t.frameStrings, t.str(k))
	}
	return t, nil
}

func u32(s string, at int) uint32 {
	return uint32(s[at]) | uint32(s[at+1])<<8 | uint32(s[at+2])<<16 | uint32(s[at+3])<<24
}

func u16(s string, at int) uint16 { return uint16(s[at]) | uint16(s[at+1])<<8 }

// span returns the [from, to) range of entry i of an array of ends.
func (t *table) span(ends, i int) (from, to int) {
	if i > 0 {
		from = int(u32(t.data, ends+4*(i-1)))
	}
	return from, int(u32(t.data, ends+4*i))
}

func (t *table) str(k int) string {
	from, to := t.span(t.strEnd, k)
	return t.data[t.strText+from : t.strText+to]
}

// word returns word i.
func (t *table) word(i int) string {
	from, to := t.span(t.wordEnd, i)
	return t.data[t.text+from : t.text+to]
}

// search returns the first word ≥ w and whether it is w.
func (t *table) search(w string) (int, bool) {
	lo, hi := 0, t.words
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.word(m) < w {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < t.words && t.word(lo) == w
}

// kind returns the phrasebook kind of w, None if it is no word of the table.
func (t *table) kind(w string) Kind {
	if i, ok := t.search(w); ok {
		return Kind(u16(t.data, t.info+2*i) & 0xff)
	}
	return None
}

// frame returns what frame w names, and whether w is a frame.
func (t *table) frame(w string) (category string, intent towndesk.Intent, ok bool) {
	i, found := t.search(w)
	if !found {
		return "", "", false
	}
	m := int(u16(t.data, t.info+2*i) >> 8)
	if m == 0 {
		return "", "", false
	}
	return t.frameStrings[2*(m-1)], towndesk.Intent(t.frameStrings[2*(m-1)+1]), true
}

// isPrefix reports whether some word is longer than s and starts with it.
func (t *table) isPrefix(s string) bool {
	i, found := t.search(s)
	if found {
		i++
	}
	return i < t.words && strings.HasPrefix(t.word(i), s)
}

// groupsOf appends the groups of word w (ascending) to gs.
func (t *table) groupsOf(w string, gs []int) []int {
	i, ok := t.search(w)
	if !ok {
		return gs
	}
	from, to := t.span(t.refEnd, i)
	for r := from; r < to; r++ {
		gs = append(gs, int(u16(t.data, t.refs+2*r)))
	}
	return gs
}

// official returns the official terms of group g, in order.
func (t *table) official(g int) []string {
	from, to := t.span(t.offEnd, g)
	out := make([]string, 0, to-from)
	for r := from; r < to; r++ {
		out = append(out, t.word(int(u32(t.data, t.offs+4*r))))
	}
	return out
}

// outside reports whether group g is a matter outside power lists.
func (t *table) outside(g int) bool { return u16(t.data, t.flags+2*g)&1 != 0 }

// firstOfficial returns the first official term of group g.
func (t *table) firstOfficial(g int) string {
	from, _ := t.span(t.offEnd, g)
	return t.word(int(u32(t.data, t.offs+4*from)))
}

// synonymWords calls fn with every word of the table that belongs to a
// synonym group, and its groups.
func (t *table) synonymWords(fn func(w string, groups []int)) {
	var gs []int
	for i := 0; i < t.words; i++ {
		from, to := t.span(t.refEnd, i)
		if from == to {
			continue
		}
		gs = gs[:0]
		for r := from; r < to; r++ {
			gs = append(gs, int(u16(t.data, t.refs+2*r)))
		}
		fn(t.word(i), gs)
	}
}
