package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/towndesk/towndesk/handlers"
)

// openModal opens the modal a reply asks for; false if it asks for none.
func (b *Bot) openModal(ctx context.Context, triggerID, channel string, r *handlers.ChatReply) bool {
	return false
}

// deskAction handles a desk button; false if a is not one.
func (b *Bot) deskAction(ctx context.Context, cb slack.InteractionCallback, a *slack.BlockAction) bool {
	return false
}

// viewSubmission validates a submitted modal and returns the ack payload.
func (b *Bot) viewSubmission(ctx context.Context, cb slack.InteractionCallback) any {
	return nil
}
