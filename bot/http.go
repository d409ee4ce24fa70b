package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/towndesk/towndesk/bot/signature"
)

// maxBody bounds request bodies: Slack's payloads are a few kilobytes.
const maxBody = 1 << 20

// Handler returns the HTTP-mode endpoints: POST /slack/events,
// POST /slack/commands, POST /slack/interactive and GET /healthz. Every
// Slack request must carry a valid signature (401 otherwise, with no
// side effect) and is acknowledged at once; the work runs in the
// background.
func (b *Bot) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/events", b.serveEvents)
	mux.HandleFunc("POST /slack/commands", b.serveCommands)
	mux.HandleFunc("POST /slack/interactive", b.serveInteractive)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if b.draining.Load() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok\n")
	})
	return mux
}

// readVerified reads the body and checks its signature; on failure it has
// answered the request and returns false.
func (b *Bot) readVerified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return nil, false
	}
	if err := signature.Verify(b.secret, r.Header, body, b.now()); err != nil {
		b.log.Warn("rejected request", "path", r.URL.Path, "reason", err.Error(), "remote", r.RemoteAddr)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	if b.draining.Load() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return nil, false
	}
	return body, true
}

func (b *Bot) serveEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := b.readVerified(w, r)
	if !ok {
		return
	}
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		b.log.Warn("unparsable event", "err", err)
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	switch ev.Type {
	case slackevents.URLVerification:
		var c slackevents.ChallengeResponse
		if err := json.Unmarshal(body, &c); err != nil {
			http.Error(w, "bad challenge", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, c.Challenge)
	case slackevents.CallbackEvent:
		cb, _ := ev.Data.(*slackevents.EventsAPICallbackEvent)
		id := ""
		if cb != nil {
			id = cb.EventID
		}
		if err := b.acceptEvent(r.Context(), id, ev.InnerEvent); err != nil {
			// Slack redelivers; the event ID keeps it from being answered twice.
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

func (b *Bot) serveCommands(w http.ResponseWriter, r *http.Request) {
	body, ok := b.readVerified(w, r)
	if !ok {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	sc, err := slack.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "bad command", http.StatusBadRequest)
		return
	}
	if busy := b.command(sc); busy != nil {
		writeJSON(w, busy)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// command queues slash command sc for the pool and returns what Slack is
// answered at once: nil (an empty ack) once it is queued, or an ephemeral
// message saying towndesk is busy when the pool is full.
func (b *Bot) command(sc slack.SlashCommand) any {
	if !b.submit(userKey(sc.UserID), "command", func(ctx context.Context) { b.handleCommand(ctx, sc) }) {
		return map[string]string{"response_type": "ephemeral", "text": "towndesk 正忙，请稍后再试。"}
	}
	return nil
}

func (b *Bot) serveInteractive(w http.ResponseWriter, r *http.Request) {
	body, ok := b.readVerified(w, r)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	ack, err := b.interaction(r.Context(), cb)
	if err != nil {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	if ack == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	writeJSON(w, ack)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// errBusy means the background queue is full or the bot is closing.
var errBusy = errors.New("bot busy")

// interaction handles an interaction payload from either front end and
// returns what to put in the ack: nil for an empty ack. Button clicks run
// in the background; modal submissions are validated before the ack, so
// that invalid fields are shown in the modal.
//
// A click is one action: only the first of a payload's actions is run.
// (Slack sends one per click; running many, then answering busy for the
// rest, would have Slack's retry run the first ones again.)
func (b *Bot) interaction(ctx context.Context, cb slack.InteractionCallback) (any, error) {
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		actions := cb.ActionCallback.BlockActions
		if len(actions) == 0 {
			return nil, nil
		}
		if len(actions) > 1 {
			b.log.Warn("block_actions with several actions; only the first is run", "actions", len(actions))
		}
		a := actions[0]
		cb.ActionCallback.BlockActions = actions[:1]
		if !b.submit(userKey(cb.User.ID), "action", func(ctx context.Context) { b.handleAction(ctx, cb, a) }) {
			return nil, errBusy
		}
		return nil, nil
	case slack.InteractionTypeViewSubmission:
		return b.viewSubmission(ctx, cb), nil
	}
	return nil, nil
}

// RunHTTP serves the HTTP-mode endpoints on ln until ctx ends; then it
// stops accepting requests and waits (at most 5 s) for those being
// answered. The caller then Closes the bot so the background work
// finishes. It returns the server's error if it fails otherwise.
func (b *Bot) RunHTTP(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: b.Handler(), ReadHeaderTimeout: 5 * time.Second,
		ErrorLog: slog.NewLogLogger(b.log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	b.start()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	b.draining.Store(true)
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down HTTP server: %w", err)
	}
	return nil
}
