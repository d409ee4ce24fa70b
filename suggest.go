package towndesk

import "strings"

// EditDistance returns the Levenshtein distance between a and b counted
// in characters (runes): how many insertions, deletions and substitutions
// turn one into the other.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	row := make([]int, len(rb)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag, row[j] = row[j], next
		}
	}
	return row[len(rb)]
}

// Suggest returns the name among names that word is most likely a typo
// of: the closest by EditDistance (ignoring case), if it is at most one
// edit away for words of up to three characters and two for longer ones
// (a swap of two letters is two edits), and the first such name among
// equals; "" when none is that close.
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
