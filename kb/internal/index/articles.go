package index

import (
	"strings"
	"sync"

	"github.com/towndesk/towndesk/law"
)

// Articles turns legal bases into the text of the articles they cite,
// remembering each basis (lists repeat a few bases many times). The laws
// are loaded on first use. It is safe for concurrent use.
//
// Its home is here, not in kb, because a row's document holds this text
// (see itemDoc) and kb's scorer must read the very same text as the row's
// other words: one type serves both, and only kb imports this package.
type Articles struct {
	mu   sync.Mutex
	laws *law.Laws
	err  error
	memo map[string]string
}

// maxArticlesMemo bounds the remembered bases.
const maxArticlesMemo = 10000

// NewArticles returns an empty Articles.
func NewArticles() *Articles { return &Articles{memo: map[string]string{}} }

// Text returns the text of the articles basis cites, one per line, or ""
// if towndesk has none of them or the laws cannot be loaded: cited text
// only adds words to match, so a missing law is never an error.
func (a *Articles) Text(basis string) string {
	if basis == "" {
		return ""
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if t, ok := a.memo[basis]; ok {
		return t
	}
	if a.laws == nil && a.err == nil {
		a.laws, a.err = law.Load()
	}
	if a.err != nil {
		return ""
	}
	var texts []string
	for _, art := range a.laws.Cite(basis) {
		texts = append(texts, art.Text)
	}
	t := strings.Join(texts, "\n")
	if len(a.memo) < maxArticlesMemo {
		a.memo[basis] = t
	}
	return t
}
