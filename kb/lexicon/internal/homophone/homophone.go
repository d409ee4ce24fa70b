// Package homophone knows which common characters a pinyin keyboard offers
// for the same syllable, tones aside: 级 (jí) and 圾 (jī), 见 (jiàn) and 建
// (jiàn). Chinese typed on a pinyin keyboard goes wrong mostly by picking
// such a character (城重墙 for 承重墙, 违章见筑 for 违章建筑).
//
// The table covers the 6,763 characters of GB 2312, the characters in
// everyday use, each with the first reading go-pinyin lists only. Its
// other readings include rare and classical ones (有 wèi, 串 guàn) that
// no keyboard offers for the character; the first is the everyday one
// for most characters, though not for all (长 is listed zhǎng, 弹 dàn),
// so a slip between such a character's other reading and a homophone of
// it is not recognised. It is
// generated from github.com/mozillazg/go-pinyin (MIT licence) by
//
//	go test ./kb/lexicon/internal/homophone -run TestTable -update
//
// and embedded as a binary table that is read in place: a process parses
// nothing at start-up.
package homophone

import _ "embed"

//go:generate go test -run TestTable -update

// table is the generated table, little-endian:
//
//	"HOM1", syllables uint16,
//	(syllables+1) × uint32: start of each syllable's characters in chars,
//	chars: uint16 each (rune - first), grouped by syllable,
//	(last-first+1) × readings × uint16: the syllables of each rune, as
//	index+1, 0 for none.
//
//go:embed table.bin
var table string

const (
	first, last = 0x4E00, 0x9FFF // the basic CJK block
	readings    = 1              // readings kept per character
)

// layout returns where the table's characters and readings start (0, 0
// for an empty table, which only the generator sees).
func layout() (charsAt, runesAt int) {
	if len(table) < 6 {
		return 0, 0
	}
	syllables := u16(4)
	charsAt = 6 + 4*(syllables+1)
	return charsAt, charsAt + 2*u32(6+4*syllables)
}

func u16(off int) int { return int(table[off]) | int(table[off+1])<<8 }

func u32(off int) int { return u16(off) | u16(off+2)<<16 }

// Each calls fn with every other character that shares a reading with r,
// until fn returns false. A character outside the table has none.
func Each(r rune, fn func(rune) bool) {
	charsAt, runesAt := layout()
	if r < first || r > last || runesAt == 0 {
		return
	}
	at := runesAt + 2*readings*int(r-first)
	for k := range readings {
		s := u16(at + 2*k)
		if s == 0 {
			return
		}
		from, to := u32(6+4*(s-1)), u32(6+4*s)
		for i := from; i < to; i++ {
			if h := rune(first + u16(charsAt+2*i)); h != r && !fn(h) {
				return
			}
		}
	}
}

// Same reports whether a and b are different characters that share a
// reading.
func Same(a, b rune) bool {
	same := false
	Each(a, func(h rune) bool {
		same = h == b
		return !same
	})
	return same
}
