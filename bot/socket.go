package bot

import (
	"context"
	"errors"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// RunSocket connects to Slack in Socket Mode (no public URL needed) and
// serves until ctx ends; then it stops taking work and returns, leaving
// the caller to Close the bot so that in-flight work finishes. It returns
// an error if the bot has no app token or the connection cannot be kept.
func (b *Bot) RunSocket(ctx context.Context) error {
	if b.app == "" {
		return errors.New("bot: Socket Mode needs an app-level token (SLACK_APP_TOKEN)")
	}
	client := socketmode.New(b.api)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(runCtx) }()
	b.start()
	for {
		select {
		case <-ctx.Done():
			b.draining.Store(true)
			cancel()
			<-errc
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return err
		case evt := <-client.Events:
			b.socketEvent(ctx, client, evt)
		}
	}
}

func (b *Bot) socketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	var ack any // the ack's payload; a case that returns early sends no ack
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		b.log.Info("connecting to Slack (Socket Mode)")
		return
	case socketmode.EventTypeConnected:
		b.log.Info("connected to Slack (Socket Mode)")
		return
	case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError:
		b.log.Warn("Socket Mode connection problem", "event", string(evt.Type))
		return
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok || evt.Request == nil {
			return
		}
		id := ""
		if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
			id = cb.EventID
		}
		if err := b.acceptEvent(ctx, id, ev.InnerEvent); err != nil {
			// No ack: Slack redelivers, and the event ID prevents a double answer.
			return
		}
	case socketmode.EventTypeSlashCommand:
		sc, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		ack = b.command(sc)
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || evt.Request == nil {
			return
		}
		var err error
		if ack, err = b.interaction(ctx, cb); err != nil {
			return
		}
	default:
		return
	}
	b.ack(client, evt.Request, ack)
}

func (b *Bot) ack(client *socketmode.Client, req *socketmode.Request, payload any) {
	var err error
	if payload == nil {
		err = client.Ack(*req)
	} else {
		err = client.Ack(*req, payload)
	}
	if err != nil {
		b.log.Warn("Socket Mode ack failed", "envelope_id", req.EnvelopeID, "err", err)
	}
}
