package qa

import (
	"context"
	"strings"

	"github.com/towndesk/towndesk"
	"github.com/towndesk/towndesk/kb"
)

// What a conversation's follow-up messages need from the lists: whether a
// message is only a place ("下营镇", "宁津的"), places by their codes, and
// the row an earlier answer gave.

// PlaceReply returns the places a message names when it names nothing but
// a place, as in a reply to "请问是哪个乡镇": one place, or the candidates
// of a name several covered places share (柴胡店镇). It returns nil for a
// message with anything to search for, or none. It reads the message by
// the rules only (never the language model), and fails only when storage
// or the index do. A message that is no acceptable question
// (towndesk.CheckQuestion: too long, control characters) is no place
// reply either, and is not read: Ask refuses it.
func (l *Lists) PlaceReply(ctx context.Context, text string) ([]towndesk.Place, error) {
	if strings.TrimSpace(text) == "" || towndesk.CheckQuestion(text) != nil {
		return nil, nil
	}
	if _, err := l.LoadSample(ctx); err != nil {
		return nil, err
	}
	// Most messages are questions: their matter, read without searching,
	// rules them out before the (searching) Ask below.
	if matter, err := l.kb.Matter(ctx, text); err != nil || len(matter) > 0 {
		return nil, err
	}
	res, err := l.kb.Ask(ctx, kb.Query{Question: text})
	if err != nil {
		return nil, err
	}
	if len(res.Terms) > 0 {
		return nil, nil
	}
	switch {
	case res.Status == towndesk.StatusAmbiguousPlace:
		return res.Places, nil
	case res.Place != nil:
		return []towndesk.Place{*res.Place}, nil
	}
	return nil, nil
}

// PlaceByCode returns the town or county with the gazetteer code (9 or 6
// digits); false if there is none.
func (l *Lists) PlaceByCode(code string) (towndesk.Place, bool) {
	if len(code) > 6 {
		return l.gaz.Town(code)
	}
	return l.gaz.County(code)
}

// Item returns the item with code in place's current lists (the town's,
// then the county's), with its list. It returns ENOTFOUND when they lack
// it (a list was re-imported since).
func (l *Lists) Item(ctx context.Context, place towndesk.Place, code string) (towndesk.PowerItem, towndesk.List, error) {
	return l.findItem(ctx, place, code, "")
}
