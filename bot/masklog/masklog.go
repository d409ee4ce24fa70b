// Package masklog is the slog handler every towndesk log goes through:
// it masks citizens' phone and ID numbers and escapes control characters
// in whatever a log call puts in a record.
package masklog

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/towndesk/towndesk"
)

// Handler is a slog.Handler that masks phone and ID numbers
// (towndesk.MaskText) and escapes control characters
// (towndesk.EscapeControls) in the message and in every string, error and
// Stringer attribute before passing the record on: logs must never hold
// citizens' numbers in full, whatever a log call puts in them, and a
// question's escape sequences must not reach the operator's terminal.
type Handler struct{ next slog.Handler }

// New returns a handler that masks records and passes them to next.
func New(next slog.Handler) *Handler { return &Handler{next: next} }

// Enabled implements slog.Handler.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

// Handle implements slog.Handler.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, clean(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(maskAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(as))
	for i, a := range as {
		masked[i] = maskAttr(a)
	}
	return &Handler{next: h.next.WithAttrs(masked)}
}

// WithGroup implements slog.Handler.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name)}
}

func maskAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, clean(v.String()))
	case slog.KindGroup:
		g := v.Group()
		out := make([]any, len(g))
		for i, x := range g {
			out[i] = maskAttr(x)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, clean(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, clean(x.String()))
		case []byte:
			return slog.String(a.Key, clean(string(x)))
		default:
			return slog.String(a.Key, clean(fmt.Sprint(x)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// clean is what a log keeps of a text: numbers masked, controls escaped.
func clean(s string) string { return towndesk.EscapeControls(towndesk.MaskText(s)) }
