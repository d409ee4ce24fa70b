package law

import "strings"

// Chinese numerals as they are written in article numbers (第一百零三条).
// 〇 and 两 appear in dates and speech; they are read but never written.
var cnDigits = map[rune]int{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

var cnUnits = map[rune]int{'十': 10, '百': 100, '千': 1000}

// ParseChineseNumber reads a non-negative integer written in Chinese
// numerals ("六十五", "一百零三", "十", "一千零二", "三万零五十") or in
// ASCII or full-width digits ("65", "６５"). It returns false for anything
// else, including the empty string, colloquial forms whose value is unclear
// ("一百三" may mean 130 or 103), and numbers above 99999999.
func ParseChineseNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if n, ok := cnParseDigits(s); ok {
		return n, true
	}
	if hi, lo, found := strings.Cut(s, "万"); found {
		h, ok := cnParseBelow10k(hi, true)
		if !ok || h == 0 {
			return 0, false
		}
		if lo == "" {
			return h * 10000, true
		}
		// A gap below 万 is written with 零 (一万零五); 一万五 is
		// colloquial for 15000 and is refused like 一百三.
		l, ok := cnParseBelow10k(strings.TrimPrefix(lo, "零"), false)
		if !ok || (l < 1000 && !strings.HasPrefix(lo, "零")) || (l >= 1000 && strings.HasPrefix(lo, "零")) {
			return 0, false
		}
		return h*10000 + l, true
	}
	return cnParseBelow10k(s, true)
}

// cnParseDigits reads ASCII or full-width decimal digits.
func cnParseDigits(s string) (int, bool) {
	n, count := 0, 0
	for _, r := range s {
		var d int
		switch {
		case r >= '0' && r <= '9':
			d = int(r - '0')
		case r >= '０' && r <= '９':
			d = int(r - '０')
		default:
			return 0, false
		}
		count++
		if count > 8 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, count > 0
}

// cnParseBelow10k reads 0..9999 in Chinese numerals. leading says
// whether s starts the whole number, where a bare 十 means 一十 (十五 = 15).
func cnParseBelow10k(s string, leading bool) (int, bool) {
	if s == "" {
		return 0, false
	}
	if s == "零" || s == "〇" {
		return 0, true
	}
	total := 0
	lastUnit := 10000 // units must descend: 千, 百, 十
	digit := -1       // a digit waiting for its unit
	zero := false     // a 零 was written since the last unit
	first := true
	for _, r := range s {
		if d, ok := cnDigits[r]; ok {
			if digit >= 0 {
				return 0, false // two digits in a row: 一二
			}
			if d == 0 {
				if zero || first || lastUnit == 10 {
					return 0, false // 零零, a leading 零, or 一十零
				}
				zero = true
			} else {
				digit = d
			}
			first = false
			continue
		}
		u, ok := cnUnits[r]
		if !ok || u >= lastUnit {
			return 0, false
		}
		switch {
		case digit >= 0:
			total += digit * u
		case u == 10 && first && leading:
			total += 10 // 十五
		default:
			return 0, false // 百 without a digit, or 零十
		}
		if zero && u*10 == lastUnit {
			return 0, false // 一百零二十: 零 marks a gap, and there is none
		}
		lastUnit, digit, zero, first = u, -1, false, false
	}
	if zero && digit < 0 {
		return 0, false // trailing 零: 一百零
	}
	if digit >= 0 {
		// The ones digit: after 百 or 千 it needs a 零 before it (一百零三),
		// otherwise it reads as a shortened tens or hundreds (一百三 = 130).
		if lastUnit > 10 && lastUnit != 10000 && !zero {
			return 0, false
		}
		total += digit
	}
	return total, true
}

// FormatChineseNumber writes n in Chinese numerals the way laws number their
// articles: 65 → 六十五, 103 → 一百零三, 10 → 十, 110 → 一百一十. It writes
// 零 for 0, prefixes 负 for negative numbers, and uses 万 above 9999; it
// never fails. Numbers above 99999999 are written in 万 with a multi-digit
// count of 万 (一万万) and are not read back by ParseChineseNumber.
func FormatChineseNumber(n int) string {
	switch {
	case n == 0:
		return "零"
	case n < 0:
		return "负" + FormatChineseNumber(-n)
	case n >= 10000:
		s := FormatChineseNumber(n/10000) + "万"
		if r := n % 10000; r > 0 {
			if r < 1000 {
				s += "零"
			}
			s += cnFormatBelow10k(r, false)
		}
		return s
	}
	return cnFormatBelow10k(n, true)
}

// cnFormatBelow10k writes 1..9999; leading drops the 一 of 一十 at the
// start of a whole number (十五, not 一十五).
func cnFormatBelow10k(n int, leading bool) string {
	const digits = "零一二三四五六七八九"
	digit := func(d int) string { return string([]rune(digits)[d]) }
	var b strings.Builder
	units := []struct {
		value int
		name  string
	}{{1000, "千"}, {100, "百"}, {10, "十"}, {1, ""}}
	pendingZero := false
	for _, u := range units {
		d := n / u.value % 10
		if d == 0 {
			if b.Len() > 0 {
				pendingZero = true
			}
			continue
		}
		if pendingZero {
			b.WriteString("零")
			pendingZero = false
		}
		if !(u.value == 10 && d == 1 && b.Len() == 0 && leading) {
			b.WriteString(digit(d))
		}
		b.WriteString(u.name)
	}
	return b.String()
}
