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
// and local number (010-12345678, 0632-5551234). Spaces, and hyphens inside a
// mobile number, are dropped. It returns an EINVALID error when s is neither.
func NormalizePhone(s string) (string, error) {
	t := strings.Join(strings.Fields(s), "")
	if m := strings.ReplaceAll(t, "-", ""); mobileRe.MatchString(m) {
		return m, nil
	}
	if m := landlineRe.FindStringSubmatch(t); m != nil {
		area, local := m[1], m[2]
		// Beijing, Shanghai, Guangzhou … (3-digit area codes) have 8-digit
		// local numbers; elsewhere they have 7 or 8.
		if len(area) == 4 || len(local) == 8 {
			return area + "-" + local, nil
		}
	}
	if t == "" {
		return "", Errorf(EINVALID, "请填写联系电话")
	}
	return "", Errorf(EINVALID, "电话号码「%s」不对：手机号应为 1 开头的 11 位数字，固定电话应带区号，如 010-12345678 或 0632-5551234", MaskText(s))
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

// NormalizeID returns the citizen ID number s with surrounding spaces removed
// and a lowercase x made uppercase. It returns an EINVALID error unless s is
// 18 characters, 17 digits and a check character (a digit or X) that matches
// GB 11643, with a real date of birth in it.
func NormalizeID(s string) (string, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
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

// sensitiveRe finds candidates for MaskText: an 18-character ID, an old
// 15-digit ID, a mobile number (also written 138-1234-5678 or 138 1234 5678)
// and a landline with area code. Candidates inside longer digit runs are
// left alone by MaskText: they are some other number.
//
// A mobile number may carry the country code (+86, 0086, 86); a landline
// may have its area code in brackets or set off by a space. Full-width
// digits (as Chinese input methods type them) are folded first.
var sensitiveRe = regexp.MustCompile(`[0-9]{17}[0-9Xx]|[0-9]{15}|(?:(?:\+|00)?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}|\(?0[0-9]{2,3}\)?[- ]?[1-9][0-9]{6,7}`)

// foldWidth turns full-width digits, plus, hyphen, brackets and the
// ideographic space into their ASCII forms, so that numbers typed with a
// Chinese input method are recognised. at maps each byte offset of the
// folded text (and its end) to the offset in s it came from.
func foldWidth(s string) (folded string, at []int) {
	var b strings.Builder
	at = make([]int, 0, len(s)+1)
	for i, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '＋':
			r = '+'
		case r == '－':
			r = '-'
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		case r == '　':
			r = ' '
		}
		n, _ := b.WriteRune(r)
		for k := 0; k < n; k++ {
			at = append(at, i)
		}
	}
	return b.String(), append(at, len(s))
}

// MaskText returns s with every phone and ID number in it masked, for free
// text (matters, notes, results) and log lines.
//
// Numbers are found in a width-folded copy; the rest of the text is kept as
// written.
func MaskText(s string) string {
	f, at := foldWidth(s)
	locs := sensitiveRe.FindAllStringIndex(f, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, loc := range locs {
		i, j := loc[0], loc[1]
		if (i > 0 && isDigit(f[i-1])) || (j < len(f) && isDigit(f[j])) {
			continue
		}
		b.WriteString(s[last:at[i]])
		b.WriteString(maskNumber(f[i:j]))
		last = at[j]
	}
	b.WriteString(s[last:])
	return b.String()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func maskNumber(m string) string {
	switch {
	case len(m) == 18 && !strings.ContainsAny(m, "- "):
		return MaskID(strings.ToUpper(m))
	case len(m) == 15 && !strings.ContainsAny(m, "- "):
		return m[:6] + "*****" + m[11:]
	case m[0] == '1':
		d := strings.NewReplacer("-", "", " ", "").Replace(m)
		return MaskPhone(d)
	case m[0] == '+' || strings.HasPrefix(m, "86") || strings.HasPrefix(m, "0086"):
		// A mobile number with its country code: keep the code.
		d := strings.NewReplacer("-", "", " ", "").Replace(m)
		code := d[:len(d)-11]
		return code + MaskPhone(d[len(d)-11:])
	}
	if strings.HasPrefix(m, "(") || strings.Contains(m, " ") {
		// (0632)5551234, 0632 5551234: read as area-local.
		d := strings.NewReplacer("(", "", ")", "-", " ", "-").Replace(m)
		d = strings.ReplaceAll(d, "--", "-")
		if l := landlineRe.FindStringSubmatch(d); l != nil {
			return MaskPhone(l[1] + "-" + l[2])
		}
	}
	// A landline, perhaps with a local number too short for its area code:
	// masked all the same. (No NormalizePhone here: its error message masks
	// its input with MaskText.)
	if l := landlineRe.FindStringSubmatch(m); l != nil {
		return MaskPhone(l[1] + "-" + l[2])
	}
	return maskAllBut(m, 0, 4)
}
