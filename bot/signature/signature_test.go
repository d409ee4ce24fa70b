package signature

import (
	"testing"
	"time"
)

// Slack's documented test vector ("Verifying requests from Slack").
const (
	vectorSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	vectorTS     = "1531420618"
	vectorBody   = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	vectorSig    = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestVerify(t *testing.T) {
	at := time.Unix(1531420618, 0)
	// slack-go's own vector.
	goBody := `{"token":"aF5ynEYQH0dFN9imlgcADxDB","team_id":"XXXXXXXXX","api_app_id":"YYYYYYYYY","event":{"type":"app_mention","user":"AAAAAAAAA","text":"<@EEEEEEEEE> hello world","client_msg_id":"477cc591-ch73-a14z-4db8-g0cd76321bec","ts":"1531431954.000073","channel":"TTTTTTTTT","event_ts":"1531431954.000073"},"type":"event_callback","event_id":"TvBP7LRED7","event_time":1531431954,"authed_users":["EEEEEEEEE"]}`
	tests := []struct {
		name                  string
		secret, ts, body, sig string
		now                   time.Time
		want                  error
	}{
		{"documented vector", vectorSecret, vectorTS, vectorBody, vectorSig, at, nil},
		{"slack-go vector", "e6b19c573432dcc6b075501d51b51bb8", "1531431954", goBody,
			"v0=adada4ed31709aef585c2580ca3267678c6a8eaeb7e0c1aca3ee57b656886b2c", time.Unix(1531431954, 0), nil},
		{"4m59s late", vectorSecret, vectorTS, vectorBody, vectorSig, at.Add(299 * time.Second), nil},
		{"5m01s late", vectorSecret, vectorTS, vectorBody, vectorSig, at.Add(301 * time.Second), errStale},
		{"from the future", vectorSecret, vectorTS, vectorBody, vectorSig, at.Add(-301 * time.Second), errStale},
		{"today", vectorSecret, vectorTS, vectorBody, vectorSig, time.Now(), errStale},
		{"body changed", vectorSecret, vectorTS, vectorBody + "x", vectorSig, at, errBadSignature},
		{"wrong secret", "0" + vectorSecret[1:], vectorTS, vectorBody, vectorSig, at, errBadSignature},
		{"no v0 prefix", vectorSecret, vectorTS, vectorBody, vectorSig[3:], at, errBadSignature},
		{"not hex", vectorSecret, vectorTS, vectorBody, "v0=zz", at, errBadSignature},
		{"no signature", vectorSecret, vectorTS, vectorBody, "", at, errNoSignature},
		{"bad timestamp", vectorSecret, "yesterday", vectorBody, vectorSig, at, errBadTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verify(tt.secret, tt.ts, []byte(tt.body), tt.sig, tt.now); got != tt.want {
				t.Errorf("verify(%s) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
	if got := Sign(vectorSecret, vectorTS, []byte(vectorBody)); got != vectorSig {
		t.Errorf("Sign(vector) = %s, want %s", got, vectorSig)
	}
}

func FuzzVerify(f *testing.F) {
	f.Add(vectorTS, vectorBody, vectorSig)
	f.Add("", "", "v0=")
	f.Fuzz(func(t *testing.T, ts, body, sig string) {
		err := verify(vectorSecret, ts, []byte(body), sig, time.Unix(1531420618, 0))
		if err == nil && sig != Sign(vectorSecret, ts, []byte(body)) {
			t.Errorf("verify accepted a forged signature %q for %q", sig, body)
		}
	})
}
