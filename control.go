package towndesk

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Control characters in what people type are refused, and never printed
// raw: an ESC in a citizen's name would otherwise reach the terminal of
// whoever runs `request show` (clearing the screen, setting the window
// title), and a right-to-left override would make a stored name read
// differently from what it is.
//
// Refused are: the C0 controls (U+0000–U+001F) except tab and newline in
// text that may span lines; DEL (U+007F); the C1 controls
// (U+0080–U+009F); and the invisible bidirectional formatting characters:
// the embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069,
// and the marks U+200E, U+200F and U+061C. The marks cannot reorder text
// on their own, but they are as invisible, have no use in Chinese or
// ASCII text, and commonly arrive with a pasted phone number; one rule
// for all of them is easier to explain than a list of exceptions.
// Carriage returns are refused too, also in multi-line text: they move
// the cursor back over what was printed. Ordinary Chinese and ASCII
// punctuation, full-width forms and emoji are all kept.

// isControl reports whether r is refused in text; tab and newline only
// when the text is one line.
func isControl(r rune, multiline bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return !multiline
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case isBidi(r):
		return true
	}
	return false
}

// isBidi reports whether r is an invisible bidirectional formatting
// character: an embedding or override, an isolate, or a mark.
func isBidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// ControlIn returns the first character of s that text may not hold (see
// the rules above; tab and newline are allowed when multiline); ok is
// false when there is none.
func ControlIn(s string, multiline bool) (r rune, ok bool) {
	for _, r := range s {
		if isControl(r, multiline) {
			return r, true
		}
	}
	return 0, false
}

// CheckControls returns an EINVALID error on field, naming it as what
// (联系电话, 办理事项 …) and the character found, when s holds a character
// text may not hold; nil otherwise.
func CheckControls(field, what, s string, multiline bool) error {
	r, ok := ControlIn(s, multiline)
	if !ok {
		return nil
	}
	return Invalidf(field, "%s含有不可见的控制字符（%s），可能是从别处复制带来的；请删除后重新输入", what, controlName(r))
}

// controlName names a refused character for people: its code point and
// what it is.
func controlName(r rune) string {
	name := "控制字符"
	switch {
	case r == 0x1b:
		name = "ESC 转义符"
	case r == '\n':
		name = "换行"
	case r == '\t':
		name = "制表符"
	case r == '\r':
		name = "回车符"
	case isBidi(r):
		name = "文字方向控制符"
	}
	return fmt.Sprintf("%s U+%04X", name, r)
}

// EscapeControls returns s with every character text may not hold
// written out as \uXXXX (tab and newline are kept), and every byte that
// is not UTF-8 as \xXX: what is printed of stored text, which may predate
// the rule, can then never drive a terminal. The \uXXXX form is also
// JSON's, so escaped JSON stays valid and means the same.
func EscapeControls(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case isControl(r, true):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			i++ // ASCII: the common case
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || isControl(r, true) {
			return true
		}
		i += n
	}
	return false
}

// MaxQuestion bounds a question, in characters. A question names a place
// and a matter ("滕州市滨湖镇有人在河道里非法采砂，归谁管？" has 22); the
// matcher's work grows with the length, so a pasted document must be
// refused before it is read, not after.
const MaxQuestion = 300

// CheckQuestion returns an EINVALID error on field "question" for a
// question over MaxQuestion characters (the message says how long it is,
// the limit and how to shorten it) or holding a control character (tabs
// and newlines are allowed); nil otherwise. Counting is linear and cheap
// (a megabyte in about a millisecond), so front ends call it before
// anything else reads the question.
func CheckQuestion(q string) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(q)); n > MaxQuestion {
		return QuestionTooLong(n)
	}
	return CheckControls("question", "问题", q, true)
}

// QuestionTooLong is the error of a question of n characters, over
// MaxQuestion. Front ends may phrase the same rule their own way; this
// message says the length, the limit and how to shorten.
func QuestionTooLong(n int) *Error {
	return Invalidf("question", "问题太长：有 %d 个字，最多 %d 个字。请只写地点和要问的事，例如“邦均镇有人烧秸秆归谁管？”；情况说明、材料原文不必贴进来。", n, MaxQuestion)
}
