package masklog

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// stringer is a value that logs itself with a citizen's number in it.
type stringer struct{ s string }

func (s stringer) String() string { return s.s }

// TestMasksEveryKindOfValue: wherever a log call puts a citizen's phone or
// ID number (the message, a string, an error, a Stringer, bytes, a group,
// an attribute bound with With), the log line holds only its masked form,
// and an escape sequence in a question reaches the log as text.
func TestMasksEveryKindOfValue(t *testing.T) {
	const (
		phone = "13812345678"
		id    = "370481199001011234"
	)
	var buf bytes.Buffer
	log := slog.New(New(slog.NewTextHandler(&buf, nil)))
	log = log.With("caller", "群众电话 "+phone).WithGroup("req")
	log.Info("登记代办 "+phone,
		"citizen_id", id,
		"err", errors.New("号码 "+phone+" 已存在"),
		"who", stringer{"身份证 " + id},
		"raw", []byte("电话"+phone),
		slog.Group("contact", "phone", phone, "n", 3),
		"question", "滨湖镇\x1b]0;owned\x07谁管",
		"other", struct{ Phone string }{phone},
	)
	out := buf.String()
	for _, full := range []string{phone, id} {
		if strings.Contains(out, full) {
			t.Errorf("log holds %s in full:\n%s", full, out)
		}
	}
	if strings.ContainsRune(out, 0x1b) || strings.ContainsRune(out, 0x07) {
		t.Errorf("log holds raw control characters:\n%q", out)
	}
	for _, want := range []string{"138****5678", "req.contact.n=3", `\u001b`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

// TestLevelsPassThrough: masking does not change which records are kept.
func TestLevelsPassThrough(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})))
	log.Info("不该出现")
	log.Warn("应该出现")
	if out := buf.String(); strings.Contains(out, "不该出现") || !strings.Contains(out, "应该出现") {
		t.Errorf("level filter changed by masking:\n%s", out)
	}
}
