package law

import "testing"

func TestParseChineseNumber(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
		ok   bool
	}{
		{"ones", "三", 3, true},
		{"ten alone", "十", 10, true},
		{"teen", "十五", 15, true},
		{"tens", "二十", 20, true},
		{"tens and ones", "六十五", 65, true},
		{"explicit one ten", "一十", 10, true},
		{"hundred with zero", "一百零三", 103, true},
		{"hundred ten", "一百一十", 110, true},
		{"hundred nineteen", "一百一十九", 119, true},
		{"round hundred", "二百", 200, true},
		{"liang", "两百", 200, true},
		{"thousand with zero", "一千零二", 1002, true},
		{"thousand zero tens", "一千零二十", 1020, true},
		{"thousand tens without zero", "一千二十", 1020, true},
		{"wan", "三万零五十", 30050, true},
		{"round wan", "十万", 100000, true},
		{"wan and thousands", "一万二千", 12000, true},
		{"zero", "零", 0, true},
		{"ling circle", "一〇", 0, false},
		{"ascii", "65", 65, true},
		{"full-width", "６５", 65, true},
		{"empty", "", 0, false},
		{"digit by digit", "一二三", 0, false},
		{"colloquial hundred", "一百三", 0, false},
		{"colloquial wan", "一万五", 0, false},
		{"ten ten", "十十", 0, false},
		{"ascending units", "十百", 0, false},
		{"bare hundred", "百", 0, false},
		{"hundred ten without one", "一百十", 0, false},
		{"zero without gap", "一百零二十", 0, false},
		{"trailing zero", "一百零", 0, false},
		{"double zero", "一千零零二", 0, false},
		{"leading zero", "零五", 0, false},
		{"mixed", "6十", 0, false},
		{"too many digits", "123456789", 0, false},
		{"words", "第六十五条", 0, false},
		{"negative", "-5", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseChineseNumber(tt.in)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("ParseChineseNumber(%q) = %d, %v, want %d, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestFormatChineseNumber(t *testing.T) {
	tests := []struct {
		name string
		in   int
		want string
	}{
		{"zero", 0, "零"},
		{"ones", 7, "七"},
		{"ten", 10, "十"},
		{"teen", 15, "十五"},
		{"tens", 65, "六十五"},
		{"round hundred", 100, "一百"},
		{"hundred with zero", 103, "一百零三"},
		{"hundred ten", 110, "一百一十"},
		{"hundred nineteen", 119, "一百一十九"},
		{"thousand with zero", 1002, "一千零二"},
		{"thousand zero tens", 1020, "一千零二十"},
		{"thousand", 2000, "二千"},
		{"wan ten", 10010, "一万零一十"},
		{"wan thousands", 12000, "一万二千"},
		{"ten wan", 100000, "十万"},
		{"negative", -3, "负三"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatChineseNumber(tt.in); got != tt.want {
				t.Errorf("FormatChineseNumber(%d) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestChineseNumberRoundTrip(t *testing.T) {
	check := func(n int) {
		s := FormatChineseNumber(n)
		if got, ok := ParseChineseNumber(s); !ok || got != n {
			t.Errorf("ParseChineseNumber(FormatChineseNumber(%d) = %q) = %d, %v, want %d, true", n, s, got, ok, n)
		}
	}
	for n := 0; n <= 20000; n++ {
		check(n)
	}
	for _, n := range []int{99999, 100001, 1000000, 1001001, 12345678, 99999999} {
		check(n)
	}
}

func FuzzParseChineseNumber(f *testing.F) {
	for _, s := range []string{"六十五", "一百零三", "十", "一千零二", "65", "一万零五", "两百", "〇", "十十", "一百三"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := ParseChineseNumber(s)
		if !ok {
			return
		}
		if n < 0 || n > 99999999 {
			t.Fatalf("ParseChineseNumber(%q) = %d, out of range", s, n)
		}
		back := FormatChineseNumber(n)
		if m, ok := ParseChineseNumber(back); !ok || m != n {
			t.Fatalf("ParseChineseNumber(%q) = %d, but ParseChineseNumber(%q) = %d, %v", s, n, back, m, ok)
		}
	})
}
