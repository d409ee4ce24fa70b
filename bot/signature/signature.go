// Package signature checks the signatures Slack puts on the requests it
// sends (its signing-secret scheme: HMAC-SHA256 over version, timestamp
// and body, within a 5-minute window). It needs no Slack client.
package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxSkew is how far a request's timestamp may be from now: Slack's
// documented replay window.
const maxSkew = 5 * time.Minute

// Errors of signature verification.
var (
	errNoSignature  = errors.New("missing X-Slack-Signature or X-Slack-Request-Timestamp")
	errBadTimestamp = errors.New("bad X-Slack-Request-Timestamp")
	errStale        = errors.New("request timestamp outside the 5-minute window")
	errBadSignature = errors.New("signature mismatch")
)

// Verify checks the Slack signature of an HTTP request whose body has
// been read into body, against the clock now. It returns an error saying
// what is wrong (missing headers, a timestamp outside the window, a
// signature that does not match), for logs.
func Verify(secret string, h http.Header, body []byte, now time.Time) error {
	return verify(secret, h.Get("X-Slack-Request-Timestamp"), body, h.Get("X-Slack-Signature"), now)
}

// verify checks a Slack request signature: sig must be "v0=" and the hex
// HMAC-SHA256, keyed with the signing secret, of "v0:" + ts + ":" + body,
// and ts (Unix seconds) must be within five minutes of now. The comparison
// is constant-time. The clock is a parameter so that Slack's documented
// test vector (from 2018) can be checked.
func verify(secret, ts string, body []byte, sig string, now time.Time) error {
	if ts == "" || sig == "" {
		return errNoSignature
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errBadTimestamp
	}
	if d := now.Sub(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
		return errStale
	}
	want, ok := strings.CutPrefix(sig, "v0=")
	if !ok {
		return errBadSignature
	}
	got, err := hex.DecodeString(want)
	if err != nil {
		return errBadSignature
	}
	if !hmac.Equal(mac(secret, ts, body), got) {
		return errBadSignature
	}
	return nil
}

// Sign returns the signature Slack puts on a request whose body it sends
// at ts (Unix seconds), under secret: what Verify accepts. Tests sign the
// requests they send as Slack with it.
func Sign(secret, ts string, body []byte) string {
	return "v0=" + hex.EncodeToString(mac(secret, ts, body))
}

// mac is the HMAC-SHA256, keyed with the signing secret, of
// "v0:" + ts + ":" + body.
func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	return m.Sum(nil)
}
