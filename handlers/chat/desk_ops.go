package chat

import (
	"context"

	"github.com/towndesk/towndesk/handlers/desk"
)

// change runs a desk change for user acting in channel and replies with
// the desk's message: refused with EUNAUTHORIZED (nothing changes) for a
// user who may not change requests. The local console is run by someone
// with the data directory at hand, who may. Before do runs, it sets by to
// who acts, and card to the channel the request's card should follow the
// change from ("" unless the front end keeps cards: Message.Cards): the
// By and Card fields of the input do changes with.
func (c *Chat) change(req Message, by, card *string, do func() (*desk.RequestReply, error)) (*Reply, error) {
	if !req.Local() && !c.Desk.CanChange(req.User, req.Channel) {
		return nil, refusal()
	}
	*by, *card = req.User, ""
	if req.Cards {
		*card = req.Channel
	}
	r, err := do()
	if err != nil {
		return nil, err
	}
	return &Reply{Text: r.Message, Desk: &DeskReply{Changed: r}}, nil
}

// AssignRequest makes in.Assignee (in Slack, the chosen user's ID, which
// `代办 列表 我的` matches) responsible for the request, for user acting in
// channel. It returns EUNAUTHORIZED for a user who may not change requests
// (nothing changes), and Desk.Assign's errors.
func (c *Chat) AssignRequest(ctx context.Context, req Message, in desk.RequestAssignInput) (*Reply, error) {
	return c.change(req, &in.By, &in.Card, func() (*desk.RequestReply, error) { return c.Desk.desk.Assign(ctx, in) })
}

// NoteRequest records a remark in the request's history; the reply
// quotes it, phone and ID numbers masked. The same rules as AssignRequest,
// and Desk.Note's errors.
func (c *Chat) NoteRequest(ctx context.Context, req Message, in desk.RequestNoteInput) (*Reply, error) {
	return c.change(req, &in.By, &in.Card, func() (*desk.RequestReply, error) { return c.Desk.desk.Note(ctx, in) })
}

// PayRequest records money received, paid, collected or handed over; the
// reply gives the new balance. The same rules as AssignRequest, and
// Desk.Pay's errors (see desk.ValidatePay for a form's fields).
func (c *Chat) PayRequest(ctx context.Context, req Message, in desk.RequestPayInput) (*Reply, error) {
	return c.change(req, &in.By, &in.Card, func() (*desk.RequestReply, error) { return c.Desk.desk.Pay(ctx, in) })
}

// ExtendRequest moves the request's due date back; the reply quotes the
// reason, phone and ID numbers masked. The same rules as AssignRequest,
// and Desk.Extend's errors.
func (c *Chat) ExtendRequest(ctx context.Context, req Message, in desk.RequestExtendInput) (*Reply, error) {
	return c.change(req, &in.By, &in.Card, func() (*desk.RequestReply, error) { return c.Desk.desk.Extend(ctx, in) })
}

// ReverseRequest cancels a ledger entry booked by mistake (冲正) with a
// reversing entry; the reply gives the new balance. The same rules as
// AssignRequest, and Desk.Reverse's errors.
func (c *Chat) ReverseRequest(ctx context.Context, req Message, in desk.RequestReverseInput) (*Reply, error) {
	return c.change(req, &in.By, &in.Card, func() (*desk.RequestReply, error) { return c.Desk.desk.Reverse(ctx, in) })
}
