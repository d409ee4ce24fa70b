package towndesk

import "testing"

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"ask", "ask", 0}, {"aks", "ask", 1}, {"doen", "done", 1}, {"滕洲市", "滕州市", 1}, {"", "abc", 3}, {"request", "reqest", 1}, {"ca", "abc", 3}} {
		if got := EditDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if got := Suggest("aks", []string{"ask", "law", "lists"}); got != "ask" {
		t.Errorf("Suggest(aks) = %q, want ask", got)
	}
}
