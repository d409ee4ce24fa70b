package kb

import (
	"context"

	"github.com/towndesk/towndesk/kb/internal/index"
)

// kb's callers reach the full-text index through these names: package
// kb/internal/index cannot be imported outside kb, and kb is the one
// package that hides bleve from the rest of towndesk.

// Source is the source of truth the index is derived from; *storage.DB
// implements it.
type Source = index.Source

// Index is the full-text index over the current edition of every list.
// It is derived data: OpenIndex rebuilds or updates it from the Source
// whenever it is missing, stale or unreadable.
type Index = index.Index

// OpenIndex opens the index in dir and brings it up to date with src:
// lists whose current edition changed are re-indexed; an index that is
// missing or cannot be read is rebuilt from scratch. An empty dir gives an
// in-memory index (for tests and one-off use).
//
// If another process holds the index (towndesk serve), OpenIndex builds a
// private in-memory index instead of waiting. It returns an error only if
// the Source cannot be read or the index cannot be built at all.
func OpenIndex(ctx context.Context, dir string, src Source) (*Index, error) {
	return index.Open(ctx, dir, src)
}

// UpdateIndex brings the on-disk index in dir up to date with src and
// closes it. If another process holds the index it returns nil: that
// process refreshes the index itself before its next search.
func UpdateIndex(ctx context.Context, dir string, src Source) error {
	return index.Update(ctx, dir, src)
}
