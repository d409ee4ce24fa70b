package lexicon

import "testing"

func TestIsQuantity(t *testing.T) {
	for s, want := range map[string]bool{
		"三": true, "十几": true, "几十根": true, "两层": true, "20株": true, "半年": true, "米": true, "３亩": true,
		"秸秆": false, "三无": false, "米线": false, "层层": false, "": false, "几十根树": false,
	} {
		if got := IsQuantity(s); got != want {
			t.Errorf("IsQuantity(%q) = %v, want %v", s, got, want)
		}
	}
}
