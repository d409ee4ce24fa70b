package main

import (
	"io"
	"sync"
	"unicode/utf8"

	"github.com/towndesk/towndesk"
)

// escaper writes through to w with control characters escaped
// (towndesk.EscapeControls): everything the command line prints passes
// through one, so no stored text, whenever it was stored, reaches the
// terminal raw. A character split across two writes is held back until
// its end arrives; Flush writes what is held back.
type escaper struct {
	mu   sync.Mutex
	w    io.Writer
	tail []byte // the start of a character whose end has not been written yet
}

func newEscaper(w io.Writer) *escaper { return &escaper{w: w} }

// Write implements io.Writer; it reports len(p) once what p completes is
// written.
func (e *escaper) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	buf := append(e.tail, p...)
	e.tail = nil
	// Hold back an incomplete character at the end (at most 3 bytes).
	cut := len(buf)
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-3; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	e.tail = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(e.w, towndesk.EscapeControls(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what is held back, escaped.
func (e *escaper) Flush() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.tail) == 0 {
		return nil
	}
	_, err := io.WriteString(e.w, towndesk.EscapeControls(string(e.tail)))
	e.tail = nil
	return err
}
