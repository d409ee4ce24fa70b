package towndesk

import "strings"

// EditDistance returns the edit distance between a and b counted in
// characters (runes): how many insertions, deletions, substitutions and
// swaps of two neighbours turn one into the other (the optimal string
// alignment distance: "aks" is one edit from "ask").
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j] is the distance between ra[:i] and rb[:j]; three rows suffice.
	prev2, prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Suggest returns the name among names that word is most likely a typo
// of: the closest by EditDistance (ignoring case), if it is at most one
// edit away for words of up to three characters and two for longer ones,
// and the first such name among equals; "" when none is that close.
func Suggest(word string, names []string) string {
	w := strings.ToLower(strings.TrimSpace(word))
	n := len([]rune(w))
	if n == 0 {
		return ""
	}
	limit := 1
	if n > 3 {
		limit = 2
	}
	best, bestD := "", limit+1
	for _, name := range names {
		if d := EditDistance(w, strings.ToLower(name)); d < bestD {
			best, bestD = name, d
		}
	}
	return best
}

// DidYouMean returns "是不是：S？" for the suggestion S that Suggest finds
// for word among names, "" when it finds none: the tail of a message
// about an unknown name.
func DidYouMean(word string, names []string) string {
	if s := Suggest(word, names); s != "" {
		return "是不是：" + s + "？"
	}
	return ""
}
