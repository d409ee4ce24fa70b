// Package towndesk holds the vocabulary shared by every part of towndesk:
// places, power-list items and their modes, proxy-service requests, and the
// one error type that carries a Chinese message for users.
//
// It imports only the standard library. Adapters live in sub-packages: kb
// (power lists and search), storage (SQLite), the use cases under handlers
// (qa, desk, summary, chat), bot (Slack and the console).
package towndesk

import (
	"errors"
	"fmt"
)

// Error codes. They say what kind of failure happened, so front ends can
// choose an exit status or a reply without looking at the message.
const (
	EINVALID      = "invalid"      // the input is wrong; Message says how
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	ECONFLICT     = "conflict"     // someone else changed it first, or it exists already
	EUNAUTHORIZED = "unauthorized" // the user may not do this
	EINTERNAL     = "internal"     // a bug or an outside failure; never shown in detail
)

// Error is towndesk's application error. Message is the Simplified Chinese
// sentence shown to the user; Field, if set, names the input it concerns,
// so that a form can show the message next to that input; Err, if set, is
// the underlying cause for logs.
//
// Error() renders code, message and cause on one line for logs. Messages are
// Chinese because they are what users read; the code and the wrapped cause
// stay English.
type Error struct {
	Code    string
	Message string
	// Field is the input the error is about, named as the intake and desk
	// forms name their inputs: county, town, village, citizen, phone,
	// id_number, kind, matter, materials, item; type, amount, receipt,
	// note; days, reason, result, assignee, text, status, by, limit. "" when no
	// one input is at fault.
	Field string
	Err   error
}

// Error implements the error interface.
func (e *Error) Error() string {
	s := e.Code
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted Chinese message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalidf returns an EINVALID *Error about the input field, with a
// formatted Chinese message.
func Invalidf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// WithField returns the first *Error in err's chain as a copy naming
// field, or err itself when that names a field already. Other errors and
// nil are returned as they are.
func WithField(err error, field string) error {
	var e *Error
	if !errors.As(err, &e) || e.Field != "" {
		return err
	}
	c := *e
	c.Field = field
	return &c
}

// ErrorField returns the Field of the first *Error in err's chain; "" for
// any other error and for nil.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message a user should see for err: the Message of
// the first *Error in its chain, or a generic Chinese sentence for internal
// errors, whose details belong in logs only.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL && e.Message != "" {
		return e.Message
	}
	return "系统内部错误，请稍后再试或联系管理员。"
}
