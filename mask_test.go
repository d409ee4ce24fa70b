package towndesk

import (
	"regexp"
	"strings"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"mobile", "13812345678", "13812345678", true},
		{"mobile with spaces", " 138 1234 5678 ", "13812345678", true},
		{"mobile with hyphens", "138-1234-5678", "13812345678", true},
		{"mobile 19x", "19912345678", "19912345678", true},
		{"Beijing landline", "010-12345678", "010-12345678", true},
		{"Beijing landline without hyphen", "01012345678", "010-12345678", true},
		{"county landline 7 digits", "0632-5551234", "0632-5551234", true},
		{"county landline 8 digits", "0632-55512345", "0632-55512345", true},
		{"mobile 12x not assigned", "12812345678", "", false},
		{"mobile too short", "1381234567", "", false},
		{"mobile too long", "138123456789", "", false},
		{"landline without area code", "5551234", "", false},
		{"Beijing landline 7 digits", "010-5551234", "", false},
		{"local number starting 0", "0632-0551234", "", false},
		{"Beijing landline 9 digits", "010-123456789", "", false},
		{"letters", "138abc45678", "", false},
		{"empty", "", "", false},
		{"mobile with ideographic commas", "139、8765、4322", "13987654322", true},
		{"mobile full-width", "１３９８７６５４３２２", "13987654322", true},
		{"mobile with +86", "+86 139 8765 4322", "13987654322", true},
		{"mobile with full-width +86", "＋８６－１３９８７６５４３２２", "13987654322", true},
		{"mobile with 0086", "0086 13987654322", "13987654322", true},
		{"mobile with 86", "8613987654322", "13987654322", true},
		{"landline in brackets", "(0632)5551234", "0632-5551234", true},
		{"landline in full-width brackets", "（０６３２）５５５１２３４", "0632-5551234", true},
		{"Beijing landline in brackets", "(010) 1234 5678", "010-12345678", true},
		{"landline with +86", "+86 632 5551234", "0632-5551234", true},
		{"plus in the middle", "139+87654322", "", false},
		{"86 and too few digits", "86 1398765432", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizePhone(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, %v, want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
			if err != nil && ErrorCode(err) != EINVALID {
				t.Errorf("NormalizePhone(%q) error code = %q, want %q", tt.in, ErrorCode(err), EINVALID)
			}
		})
	}
}

// TestPhoneErrorKeepsItsExamples: the phone error shows its examples as
// written, also after the masking every message to a user goes through,
// and never the number typed in full.
func TestPhoneErrorKeepsItsExamples(t *testing.T) {
	for _, in := range []string{"abc", "1381234567", "138123456789012", "12345"} {
		_, err := NormalizePhone(in)
		msg := ErrorMessage(err)
		if MaskText(msg) != msg {
			t.Errorf("NormalizePhone(%q) error %q changes when masked: %q", in, msg, MaskText(msg))
		}
		for _, ex := range []string{"0632-555xxxx", "(010) 8888xxxx", "+86"} {
			if !strings.Contains(msg, ex) {
				t.Errorf("NormalizePhone(%q) error %q lacks the example %q", in, msg, ex)
			}
		}
	}
	_, err := NormalizePhone("139 8765 4322 5")
	if msg := ErrorMessage(err); strings.Contains(msg, "8765") {
		t.Errorf("error %q shows the digits typed", msg)
	}
}

func TestNormalizeID(t *testing.T) {
	tests := []struct {
		name, in, want string
		msg            string // part of the error message, if an error is expected
	}{
		{"valid", "110101199003071233", "110101199003071233", ""},
		{"check digit X", "11010519491231002X", "11010519491231002X", ""},
		{"lowercase x", "11010519491231002x", "11010519491231002X", ""},
		{"leap day", "110101200002290018", "110101200002290018", ""},
		{"wrong check digit", "110101199003071234", "", "校验位不对"},
		{"X where a digit belongs", "11010519491231002Y", "", "最后一位"},
		{"17 characters", "11010119900307123", "", "18 位"},
		{"letter inside", "1101011990A3071233", "", "前 17 位"},
		{"no such birthday", "110101199002301236", "", "出生日期"},
		{"born before 1900", "110101189901010011", "", "出生日期"}, // the check digit is right
		{"groups with spaces", "110101 19900307 1233", "110101199003071233", ""},
		{"full-width", "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", ""},
		{"hyphens", "110105-19491231-002x", "11010519491231002X", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeID(tt.in)
			checkParsed(t, "NormalizeID", tt.in, got, err, tt.want, tt.msg)
			if strings.Contains(ErrorMessage(err), tt.in) && len(tt.in) >= 15 {
				t.Errorf("NormalizeID(%q) error %q shows the number unmasked", tt.in, ErrorMessage(err))
			}
		})
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"mobile", MaskPhone("13812345678"), "138****5678"},
		{"Beijing landline", MaskPhone("010-12345678"), "010-****5678"},
		{"county landline", MaskPhone("0632-5551234"), "0632-***1234"},
		{"empty phone", MaskPhone(""), ""},
		{"odd phone", MaskPhone("12345"), "*2345"},
		{"ID", MaskID("110101199003071233"), "110101********1233"},
		{"ID with X", MaskID("11010519491231002X"), "110105********002X"},
		{"short ID", MaskID("123"), "***"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestMaskText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"mobile in Chinese text", "联系张三13812345678，身份证110101199003071233已收", "联系张三138****5678，身份证110101********1233已收"},
		{"mobile with hyphens", "电话 138-1234-5678 晚上打", "电话 138****5678 晚上打"},
		{"mobile with spaces", "电话 138 1234 5678", "电话 138****5678"},
		{"landline", "村委会0632-5551234", "村委会0632-***1234"},
		{"Beijing landline", "打010-12345678找人", "打010-****5678找人"},
		{"ID with lowercase x", "证号11010519491231002x", "证号110105********002X"},
		{"old 15-digit ID", "旧证130503670401001", "旧证130503*****1001"},
		// A run right after 编码 is a list item's code, as answers write
		// it, and stays readable, unless it holds a mobile number.
		{"15-digit item code untouched", "（顺德区清单，编码 440606005020232）", "（顺德区清单，编码 440606005020232）"},
		{"item code that reads as a date untouched", "编码：440606011203001", "编码：440606011203001"},
		{"mobile after 编码 still masked", "编码 13812345678", "编码 138****5678"},
		{"area code glued to a mobile masked", "电话051313812345678", "电话051313*****5678"},
		{"mobile with four digits glued masked", "手机138123456781234", "手机138123*****1234"},
		{"old ID with a mistyped date masked", "130503671301001", "130503*****1001"},
		{"ID with a bad check digit is still masked", "110101199003071234", "110101********1234"},
		{"two numbers", "13812345678/13987654321", "138****5678/139****4321"},
		{"amount untouched", "收取 50.00 元，票据 2026001", "收取 50.00 元，票据 2026001"},
		{"longer digit run untouched", "流水号 1381234567890123456789", "流水号 1381234567890123456789"},
		{"date untouched", "2026-03-01 办结", "2026-03-01 办结"},
		{"empty", "", ""},
		{"country code", "回电+8613912345678", "回电+86139****5678"},
		{"country code 0086", "0086 13912345678", "0086139****5678"},
		{"full-width digits", "电话１３９１２３４５６７８", "电话139****5678"},
		{"full-width ID", "证号１１０１０１１９９００３０７１２３３", "证号110101********1233"},
		{"landline with space", "村委会 0632 5551234", "村委会 0632-***1234"},
		{"landline in brackets", "电话(0632)5551234", "电话0632-***1234"},
		{"landline in full-width brackets", "电话（0632）5551234", "电话0632-***1234"},
		// Numbers written with other separators, as people type them.
		{"ideographic commas", "回电139、8765、4322", "回电139****4322"},
		{"spaced 3-4-4", "回电 139 8765 4322 谢谢", "回电 139****4322 谢谢"},
		{"hyphens 3-4-4", "139-8765-4322", "139****4322"},
		{"spaced 4-4-3", "1398 7654 322", "139****4322"},
		{"dots", "139.8765.4322", "139****4322"},
		{"spaced hyphen", "139 - 8765 - 4322", "139****4322"},
		{"full-width hyphens", "１３９－８７６５－４３２２", "139****4322"},
		{"em dash", "139—8765—4322", "139****4322"},
		{"ideographic space", "139　8765　4322", "139****4322"},
		{"full-width commas and digits", "１３９、８７６５、４３２２", "139****4322"},
		{"country code spaced", "+86 139 8765 4322", "+86139****4322"},
		{"country code hyphens", "+86-139-8765-4322", "+86139****4322"},
		{"country code full-width plus", "＋８６ １３９８７６５４３２２", "＋86139****4322"},
		{"country code without plus", "86 139 8765 4322", "86139****4322"},
		{"country code in brackets", "(+86)13987654322", "(+86139****4322"},
		{"landline with country code", "+86 632 5551234", "+86-632-***1234"},
		{"landline hyphens 4-3-4", "0632-555-1234", "0632-***1234"},
		{"landline bracket and space", "(0632) 555 1234", "0632-***1234"},
		{"Beijing landline in brackets", "（010）8888 1234", "010-****1234"},
		{"two numbers in a list", "13812345678、13987654322", "138****5678、139****4322"},
		{"two spaced numbers", "139 8765 4322，138 1234 5678", "139****4322，138****5678"},
		{"ID in 6-8-4 groups", "证号 110101 19900307 1233", "证号 110101********1233"},
		{"ID with hyphens", "110105-19491231-002X", "110105********002X"},
		{"ID full-width X", "１１０１０５１９４９１２３１００２Ｘ", "110105********002X"},
		{"mobile then a letter X", "电话13812345678X号", "电话138****5678X号"},
		// Not numbers to mask.
		{"list of small numbers", "第13、14、15、16、17条", "第13、14、15、16、17条"},
		{"date and time", "2026-03-01 13:45 办结", "2026-03-01 13:45 办结"},
		{"address", "192.168.100.200", "192.168.100.200"},
		{"amounts", "收取 50.00 元、支付 120.50 元", "收取 50.00 元、支付 120.50 元"},
		{"12 digits spaced", "1381 2345 6789", "1381 2345 6789"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskText(tt.in); got != tt.want {
				t.Errorf("MaskText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzMaskText(f *testing.F) {
	f.Add("联系张三13812345678，身份证110101199003071233已收")
	f.Add("0632-5551234 / 010-12345678")
	f.Fuzz(func(t *testing.T, s string) {
		got := MaskText(s)
		// Masking is idempotent and never lets a valid mobile number through
		// untouched when it stands alone.
		if again := MaskText(got); again != got {
			t.Errorf("MaskText(MaskText(%q)) = %q, want %q", s, again, got)
		}
		if p, err := NormalizePhone(s); err == nil && len(p) == 11 && s == p && got == s {
			t.Errorf("MaskText(%q) left a mobile number unmasked", s)
		}
		// No mobile number is left standing as 11 digits of its own.
		if f, _ := foldWidth(got); bareMobileRe.MatchString(f) {
			t.Errorf("MaskText(%q) = %q leaves a mobile number", s, got)
		}
	})
}

var bareMobileRe = regexp.MustCompile(`(?:^|[^0-9])1[3-9][0-9]{9}(?:[^0-9]|$)`)
