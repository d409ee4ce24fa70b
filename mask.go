package towndesk

import (
	"regexp"
	"strings"
	"time"
)

// Citizens' phone and ID numbers are personal information (个人信息保护法):
// towndesk stores them in full and shows them masked everywhere else.

var (
	mobileRe   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landlineRe = regexp.MustCompile(`^(010|02[0-9]|0[3-9][0-9]{2})-?([1-9][0-9]{6,7})$`)
)

// NormalizePhone returns the phone number s in the form towndesk stores:
// a mobile number as 11 digits (13812345678), a landline as area code, hyphen
// and local number (010-12345678, 0632-5551234). It reads numbers the way
// MaskText finds them: full-width digits, separators between digit groups
// (spaces, hyphens, 、, dots …), a country code (+86, 0086, or 86 before a
// mobile number) and an area code in brackets. It returns an EINVALID
// error when s is neither a mobile nor a landline number.
func NormalizePhone(s string) (string, error) {
	f, _ := foldWidth(strings.TrimSpace(s))
	if f == "" {
		return "", Errorf(EINVALID, "请填写联系电话")
	}
	if d, plus, ok := phoneDigits(f); ok {
		cc := ""
		switch {
		case strings.HasPrefix(d, "0086"):
			cc, d = "0086", d[4:]
		case strings.HasPrefix(d, "86") && (plus || len(d) == 13):
			cc, d = "86", d[2:]
		}
		if mobileRe.MatchString(d) {
			return d, nil
		}
		if cc != "" || plus {
			d = "0" + d // a landline after a country code drops the trunk 0
		}
		if area, local, ok := landline(d); ok {
			return area + "-" + local, nil
		}
	}
	return "", Errorf(EINVALID, "电话号码「%s」不对：手机号应为 1 开头的 11 位数字（可带 +86）；固定电话应带区号，如 0632-555xxxx 或 (010) 8888xxxx", MaskText(s))
}

// phoneDigits returns the digits of a phone number written with
// separators, a leading + and brackets; ok is false if f holds anything
// else (letters, a + elsewhere) or no digit.
func phoneDigits(f string) (digits string, plus bool, ok bool) {
	var b strings.Builder
	for i, r := range f {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			plus = true
		case r == '(' || r == ')' || isSep(r):
		default:
			return "", false, false
		}
	}
	return b.String(), plus, b.Len() > 0
}

// landline splits a landline number written as digits only into area code
// and local number: Beijing, Shanghai, Guangzhou … (3-digit area codes)
// have 8-digit local numbers; elsewhere they have 7 or 8.
func landline(d string) (area, local string, ok bool) {
	m := landlineRe.FindStringSubmatch(d)
	if m == nil || (len(m[1]) == 3 && len(m[2]) != 8) {
		return "", "", false
	}
	return m[1], m[2], true
}

// idWeights are the GB 11643-1999 weights of the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckDigit returns the GB 11643 check character for the first 17 digits.
func idCheckDigit(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

// NormalizeID returns the citizen ID number s with full-width characters
// folded, separators between digit groups (as MaskText finds them) removed
// and a lowercase x made uppercase. It returns an EINVALID error unless s is
// 18 characters, 17 digits and a check character (a digit or X) that matches
// GB 11643, with a real date of birth in it.
func NormalizeID(s string) (string, error) {
	f, _ := foldWidth(strings.TrimSpace(s))
	t := strings.ToUpper(strings.Map(func(r rune) rune {
		if isSep(r) {
			return -1
		}
		return r
	}, f))
	if len(t) != 18 {
		return "", Errorf(EINVALID, "身份证号应为 18 位，「%s」是 %d 位", MaskID(t), len([]rune(t)))
	}
	for i := 0; i < 17; i++ {
		if t[i] < '0' || t[i] > '9' {
			return "", Errorf(EINVALID, "身份证号前 17 位应全是数字：「%s」", MaskID(t))
		}
	}
	if c := t[17]; (c < '0' || c > '9') && c != 'X' {
		return "", Errorf(EINVALID, "身份证号最后一位应是数字或 X：「%s」", MaskID(t))
	}
	birth, err := time.Parse("20060102", t[6:14])
	if err != nil || birth.Year() < 1900 {
		return "", Errorf(EINVALID, "身份证号中的出生日期不对：「%s」", MaskID(t))
	}
	if idCheckDigit(t) != t[17] {
		return "", Errorf(EINVALID, "身份证号校验位不对，请核对：「%s」", MaskID(t))
	}
	return t, nil
}

// MaskPhone returns the phone number with its middle hidden: 138****5678 for
// a mobile, 0632-***1234 for a landline (area code and the last four digits
// stay). Anything else keeps at most its last four characters visible.
func MaskPhone(s string) string {
	if s == "" {
		return ""
	}
	if mobileRe.MatchString(s) {
		return s[:3] + "****" + s[7:]
	}
	if area, local, ok := strings.Cut(s, "-"); ok && len(local) > 4 {
		return area + "-" + strings.Repeat("*", len(local)-4) + local[len(local)-4:]
	}
	return maskAllBut(s, 0, 4)
}

// MaskID returns the ID number with the date of birth and sequence hidden:
// 110101********1234. Anything not 18 characters long keeps at most its
// last four characters visible.
func MaskID(s string) string {
	if len(s) == 18 {
		return s[:6] + "********" + s[14:]
	}
	return maskAllBut(s, 0, 4)
}

// maskAllBut replaces every byte of s by * except the first head and the
// last tail bytes; short strings are masked entirely.
func maskAllBut(s string, head, tail int) string {
	if len(s) <= head+tail {
		return strings.Repeat("*", len(s))
	}
	return s[:head] + strings.Repeat("*", len(s)-head-tail) + s[len(s)-tail:]
}

// isSep reports the characters people put between the digit groups of a
// phone or ID number (after foldWidth): spaces, hyphens and dashes, the
// ideographic comma, dots, slashes, underscores, tildes and commas.
func isSep(r rune) bool {
	switch r {
	case ' ', '\t', '-', '‐', '‑', '‒', '–', '—', '―', '−', '、', '.', '·', '・', '/', '_', '~', ',':
		return true
	}
	return false
}

// maxSep is the most separator characters between two digit groups of one
// number ("139 - 8765 - 4322").
const maxSep = 3

// foldWidth turns full-width digits, letters X, plus, hyphen, brackets,
// punctuation and the ideographic space into their ASCII forms, so that
// numbers typed with a Chinese input method are recognised. at maps each
// byte offset of the folded text (and its end) to the offset in s it came
// from.
func foldWidth(s string) (folded string, at []int) {
	var b strings.Builder
	at = make([]int, 0, len(s)+1)
	for i, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == 'Ｘ' || r == 'ｘ':
			r = 'X'
		case r == '　':
			r = ' '
		case r == '＋', r == '－', r == '（', r == '）', r == '．', r == '／', r == '＿', r == '～', r == '，':
			r = r - '＋' + '+' // the full-width forms are ASCII + 0xFEE0
		case r == '﹣':
			r = '-'
		}
		n, _ := b.WriteRune(r)
		for k := 0; k < n; k++ {
			at = append(at, i)
		}
	}
	return b.String(), append(at, len(s))
}

// digitGroup is a run of digits in folded text, [start, end) in bytes;
// x is set when an X (an ID number's check character) ends it.
type digitGroup struct {
	start, end int
	digits     string
	x          bool
	// joined: only separators (at most maxSep) lie between the group
	// before and this one, so both may be parts of one number.
	joined bool
	// head and tail: the visible start or end of a number masked already
	// (138****5678, 0632-***1234). They are no part of another number,
	// so that masking twice changes nothing.
	head, tail bool
}

// digitGroups returns the digit runs of f in order.
func digitGroups(f string) []digitGroup {
	var gs []digitGroup
	for i := 0; i < len(f); {
		if !isDigit(f[i]) {
			i++
			continue
		}
		j := i
		for j < len(f) && isDigit(f[j]) {
			j++
		}
		g := digitGroup{start: i, end: j, digits: f[i:j]}
		g.tail = i > 0 && f[i-1] == '*' && j-i <= 4
		g.head = j-i <= 7 && (strings.HasPrefix(f[j:], "*") || (j+1 < len(f) && isSep(rune(f[j])) && f[j+1] == '*'))
		if j < len(f) && (f[j] == 'X' || f[j] == 'x') && (j+1 == len(f) || !isLetter(f[j+1])) {
			g.x, g.end = true, j+1
		}
		if n := len(gs); n > 0 && !gs[n-1].x {
			g.joined = onlySeps(f[gs[n-1].end:i])
		}
		gs = append(gs, g)
		i = g.end
	}
	return gs
}

func isLetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

// onlySeps reports whether s is 1 to maxSep separators (brackets count:
// "(0632)5551234").
func onlySeps(s string) bool {
	n := 0
	for _, r := range s {
		if n++; n > maxSep || !(isSep(r) || r == '(' || r == ')') {
			return false
		}
	}
	return n > 0
}

// plausibleGroups reports whether digit groups, n digits in all, are
// split as people split a number: an ID number (18 or 15 digits) after
// its 6-digit area code, anything else in groups of at least 3 digits but
// for a leading country code 86.
func plausibleGroups(gs []digitGroup, n int) bool {
	id := n == 18 || n == 15 || (n == 17 && gs[len(gs)-1].x)
	if id && len(gs[0].digits) == 6 {
		return true
	}
	if id && !(n == 15 && gs[0].digits == "0086") {
		return false
	}
	for k, g := range gs {
		if len(g.digits) < 3 && !(k == 0 && g.digits == "86") {
			return false
		}
	}
	return true
}

// maskDigits returns the masked form of a number whose digits (and X) are
// d, if d is a phone or ID number; plus is set when a + precedes it.
func maskDigits(d string, x, plus bool) (string, bool) {
	if x {
		if len(d) == 17 {
			return MaskID(d + "X"), true
		}
		return "", false
	}
	for _, cc := range []string{"0086", "86"} {
		rest, ok := strings.CutPrefix(d, cc)
		if !ok || (cc == "86" && !plus && len(d) != 13) {
			continue
		}
		if mobileRe.MatchString(rest) {
			return cc + MaskPhone(rest), true
		}
		if area, local, ok := landline("0" + rest); ok && (plus || cc == "0086") {
			return cc + "-" + area[1:] + "-" + maskAllBut(local, 0, 4), true
		}
	}
	switch {
	case len(d) == 18:
		return MaskID(d), true
	case len(d) == 15:
		return d[:6] + "*****" + d[11:], true
	case mobileRe.MatchString(d):
		return MaskPhone(d), true
	}
	if area, local, ok := landline(d); ok {
		return MaskPhone(area + "-" + local), true
	}
	// A landline whose local number is too short for its area code: masked
	// all the same.
	if m := landlineRe.FindStringSubmatch(d); m != nil {
		return MaskPhone(m[1] + "-" + m[2]), true
	}
	return "", false
}

// maxNumber is the most digits a phone or ID number has (0086 and a
// mobile number: 15; an ID: 18).
const maxNumber = 18

// MaskText returns s with every phone and ID number in it masked, for free
// text (matters, notes, results) and log lines.
//
// Numbers are found in a width-folded copy, as runs of digit groups joined
// by a few separators (139 8765 4322, 139-8765-4322, 139、8765、4322,
// 110101 19900307 123X), with a country code (+86, 0086, 86) or an area
// code in brackets. Every stretch of whole groups in a run that reads as a
// number is masked: alone, in its own form (139****4322); where two
// readings overlap (1381234 0632 5551234), together, all but the last four
// digits. A group inside a longer digit run is some other number and left
// alone. The rest of the text is kept as written.
func MaskText(s string) string {
	f, at := foldWidth(s)
	gs := digitGroups(f)
	type reading struct {
		i, j, end int // groups i..j; end: byte offset where it ends
		masked    string
	}
	var rs []reading
	for i := range gs {
		if gs[i].tail || isItemCode(f, gs[i]) {
			continue
		}
		plus := gs[i].start > 0 && f[gs[i].start-1] == '+'
		d := ""
		for j := i; j < len(gs) && (j == i || gs[j].joined) && !gs[j].head; j++ {
			if d += gs[j].digits; len(d) > maxNumber {
				break
			}
			if j > i && !plausibleGroups(gs[i:j+1], len(d)) {
				continue
			}
			m, ok := maskDigits(d, gs[j].x, plus)
			e := gs[j].end
			if !ok && gs[j].x { // an X that is not an ID's check character
				m, ok = maskDigits(d, false, plus)
				e--
			}
			if ok {
				rs = append(rs, reading{i, j, e, m})
			}
		}
	}
	if len(rs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for k := 0; k < len(rs); {
		// The widest reading from this group, and the readings it
		// contains (139 8765 4322 in +86 139 8765 4322) or that overlap it
		// (in order of their first group).
		r, n, overlap := rs[k], 1, false
		for ; k+n < len(rs) && rs[k+n].i == r.i; n++ {
			r = rs[k+n]
		}
		for ; k+n < len(rs) && rs[k+n].i <= r.j; n++ {
			if rs[k+n].j > r.j {
				overlap, r.j, r.end = true, rs[k+n].j, max(r.end, rs[k+n].end)
			}
		}
		start, masked := gs[r.i].start, r.masked
		if overlap {
			var d strings.Builder
			for g := r.i; g <= r.j; g++ {
				d.WriteString(gs[g].digits)
			}
			masked = maskAllBut(d.String(), 0, 4)
		} else if start > 0 && f[start-1] == '(' && strings.Contains(f[start:r.end], ")") {
			start-- // (0632)5551234: the bracket goes with its area code
		}
		b.WriteString(s[last:at[start]])
		b.WriteString(masked)
		last = at[r.end]
		k += n
	}
	b.WriteString(s[last:])
	return b.String()
}

// codeLabel introduces a power-list item's code wherever one is shown.
const codeLabel = "编码"

// ItemCode is how every reply shows a power-list item's code: "编码
// 440606005020232". MaskText leaves a code shown so readable (isItemCode);
// one of 15 or 18 digits written any other way reads as an ID number.
func ItemCode(code string) string { return codeLabel + " " + code }

// isItemCode reports whether digit group g of f is a power-list item's
// code as ItemCode writes it: a run right after 编码 that holds no mobile
// number.
func isItemCode(f string, g digitGroup) bool {
	before := strings.TrimRight(f[:g.start], " :：")
	if !strings.HasSuffix(before, codeLabel) {
		return false
	}
	d := g.digits
	for k := 0; k+11 <= len(d); k++ {
		if mobileRe.MatchString(d[k : k+11]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
