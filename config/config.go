// Package config reads towndesk's configuration file: which channel means
// which place, where the proxy-service desk works and who may change
// requests, the slash command, scheduled summaries
// and the language model.
//
// The file is JSON with two conveniences for people: lines whose first
// non-blank characters are // are comments, and ${NAME} is replaced by the
// environment variable NAME before parsing (so secrets stay out of the
// file). A Config is a value handed to constructors; there is no global.
package config

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // summaries name IANA time zones; don't depend on the host's zoneinfo
)

// Config is the whole configuration file.
type Config struct {
	// Slack holds the front-end settings.
	Slack Slack `json:"slack"`
	// Channels maps a Slack channel ID to the place its questions are about
	// by default ("谁管烧秸秆" asked in the 邦均镇 channel means 邦均镇).
	Channels map[string]Place `json:"channels"`
	// Desk is the proxy-service desk.
	Desk Desk `json:"desk"`
	// KB configures the knowledge base: who maintains the lists.
	KB KB `json:"kb"`
	// Summaries are the scheduled weekly summaries.
	Summaries []Summary `json:"summaries"`
	// LLM is the optional language model: it reads questions the rules
	// cannot, breaks near-ties among rows and phrases answers from them
	// (see handlers/qa), and writes the opening of weekly summaries; nil
	// when the section is absent.
	LLM *LLM `json:"llm"`
}

// Slack holds the Slack front-end settings.
type Slack struct {
	// Command is the slash command's name, default "/towndesk".
	Command string `json:"command"`
}

// Place names a town (with its county) or a county, as written by people:
// {"county": "蓟州区", "town": "邦均镇"}. Province is needed only where a
// county's name is not unique in the country.
type Place struct {
	Province string `json:"province,omitempty"`
	County   string `json:"county"`
	Town     string `json:"town,omitempty"`
}

// KB configures the power lists' side of the bot.
type KB struct {
	// Maintainers are the list maintainers, who may teach the bot the
	// right answer to a question (see handlers/qa): Slack user IDs, and
	// channel IDs whose members all count.
	Maintainers []string `json:"maintainers"`
	// MatchTimeout bounds the matcher's work on one question, a Go
	// duration ("1s", the default; at most "10s"): a question it cannot
	// answer in time is refused with the advice to shorten it.
	MatchTimeout string `json:"match_timeout,omitempty"`
}

// MaxMatchTimeout is the longest kb.match_timeout accepted.
const MaxMatchTimeout = 10 * time.Second

// MatchTimeoutDuration returns MatchTimeout parsed; 0 when it is not set
// or not a valid one (Validate rejects that).
func (k KB) MatchTimeoutDuration() time.Duration {
	d, _ := ParseMatchTimeout(k.MatchTimeout)
	return d
}

// ParseMatchTimeout parses a matcher deadline as kb.match_timeout and
// TOWNDESK_MATCH_TIMEOUT give it: a Go duration from 1ms to
// MaxMatchTimeout. ok is false for anything else (d is then 0).
func ParseMatchTimeout(s string) (d time.Duration, ok bool) {
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Millisecond || d > MaxMatchTimeout {
		return 0, false
	}
	return d, true
}

// MaintainerUsers and MaintainerChannels split KB.Maintainers into user
// and channel IDs.
func (k KB) MaintainerUsers() []string { return k.split(true) }

// MaintainerChannels returns the channel IDs of KB.Maintainers.
func (k KB) MaintainerChannels() []string { return k.split(false) }

func (k KB) split(users bool) []string {
	var out []string
	for _, id := range k.Maintainers {
		if userID.MatchString(id) == users {
			out = append(out, id)
		}
	}
	return out
}

// Desk configures the proxy-service desk in Slack.
type Desk struct {
	// Channels are the desk channels: request cards are posted there, and
	// their members may change requests. Each maps to the town whose
	// requests it handles.
	Channels map[string]Place `json:"channels"`
	// Workers are the Slack user IDs of desk workers: they may change
	// requests anywhere and see full phone and ID numbers.
	Workers []string `json:"workers"`
}

// Summary is one scheduled channel summary.
type Summary struct {
	Channel  string `json:"channel"`
	Schedule string `json:"schedule"` // cron expression, e.g. "0 8 * * MON"; default DefaultSchedule
	Timezone string `json:"timezone"` // IANA name, default Asia/Shanghai
	Scope    string `json:"scope"`    // what the summary covers, e.g. "town" or "county"
}

// LLM configures the optional language model.
type LLM struct {
	BaseURL          string `json:"base_url"`
	APIKey           string `json:"api_key"`
	Model            string `json:"model"`
	Timeout          string `json:"timeout"` // a Go duration such as "8s"; see TimeoutDuration
	DailyTokenBudget int    `json:"daily_token_budget"`
}

// TimeoutDuration returns Timeout parsed; 0 if it is not a valid duration
// (Validate rejects that).
func (l *LLM) TimeoutDuration() time.Duration {
	d, err := time.ParseDuration(l.Timeout)
	if err != nil {
		return 0
	}
	return d
}

// Defaults.
const (
	DefaultCommand  = "/towndesk"
	DefaultTimezone = "Asia/Shanghai"
	DefaultTimeout  = "8s"
)

// Default returns the configuration used when there is no file: no
// channel places, no desk, the default slash command.
func Default() Config {
	c := Config{}
	c.applyDefaults()
	return c
}

func (c *Config) applyDefaults() {
	if c.Slack.Command == "" {
		c.Slack.Command = DefaultCommand
	}
	for i := range c.Summaries {
		if c.Summaries[i].Timezone == "" {
			c.Summaries[i].Timezone = DefaultTimezone
		}
	}
	if c.LLM != nil && c.LLM.Timeout == "" {
		c.LLM.Timeout = DefaultTimeout
	}
}

// Error is a bad setting: Setting names it as a path in the file
// ("desk.workers[1]", "channels.C0123.county").
type Error struct {
	Setting string
	Problem string
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("config: %s: %s", e.Setting, e.Problem) }

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// Load reads a configuration from r, expanding ${NAME} with getenv (nil
// means os.Getenv), applies defaults and validates it. It returns an
// *Error naming the setting for a bad or missing value (including a
// reference to an unset variable), or a parse error with its line.
func Load(r io.Reader, getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return Config{}, fmt.Errorf("config: read: %w", err)
	}
	body, err := preprocess(raw, getenv)
	if err != nil {
		return Config{}, err
	}
	var c Config
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, describe(body, err)
	}
	if dec.More() {
		return Config{}, fmt.Errorf("config: unexpected text after the closing }")
	}
	c.applyDefaults()
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// LoadFile is Load on the named file. A missing file is an error naming it.
func LoadFile(path string, getenv func(string) string) (Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	c, err := Load(f, getenv)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// preprocess blanks comment lines (keeping line numbers for errors) and
// expands ${NAME}. An unset variable is an error: an empty token or
// channel would fail later in a more confusing way. Values are JSON-escaped
// so a secret containing a quote cannot break the file.
func preprocess(raw []byte, getenv func(string) string) ([]byte, error) {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			out.WriteByte('\n')
			continue
		}
		var missing string
		line = envRef.ReplaceAllStringFunc(line, func(m string) string {
			name := envRef.FindStringSubmatch(m)[1]
			v := getenv(name)
			if v == "" && missing == "" {
				missing = name
			}
			q, _ := json.Marshal(v)
			return string(q[1 : len(q)-1])
		})
		if missing != "" {
			return nil, &Error{Setting: fmt.Sprintf("line %d", n), Problem: fmt.Sprintf("environment variable %s is not set", missing)}
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("config: read: %w", err)
	}
	return out.Bytes(), nil
}

// describe turns a JSON decoding error into one that names the setting or
// the line.
func describe(body []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("config: line %d: %v", lineOf(body, se.Offset), se)
	case errors.As(err, &te):
		return &Error{Setting: te.Field, Problem: fmt.Sprintf("want %s, got JSON %s", te.Type, te.Value)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return &Error{Setting: strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), Problem: "unknown setting"}
	}
	return fmt.Errorf("config: %w", err)
}

func lineOf(body []byte, off int64) int {
	if off > int64(len(body)) {
		off = int64(len(body))
	}
	return bytes.Count(body[:off], []byte("\n")) + 1
}

var (
	channelID = regexp.MustCompile(`^[CGD][A-Z0-9]{2,}$`)
	userID    = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)
	cmdName   = regexp.MustCompile(`^/[a-z0-9_\-]{1,31}$`)
)

// Validate returns an *Error naming the first bad setting: a malformed
// channel or user ID, a place without a county, a channel used twice, a
// summary without channel, with a bad schedule, zone or scope, an LLM
// without a model. Places are checked against the gazetteer by
// the program at start-up, not here.
func (c *Config) Validate() error {
	if !cmdName.MatchString(c.Slack.Command) {
		return &Error{"slack.command", fmt.Sprintf("%q is not a slash command name such as /towndesk", c.Slack.Command)}
	}
	if err := validatePlaces("channels", c.Channels); err != nil {
		return err
	}
	if err := validatePlaces("desk.channels", c.Desk.Channels); err != nil {
		return err
	}
	for i, u := range c.Desk.Workers {
		if !userID.MatchString(u) {
			return &Error{fmt.Sprintf("desk.workers[%d]", i), fmt.Sprintf("%q is not a Slack user ID such as U012AB3CD", u)}
		}
	}
	for i, id := range c.KB.Maintainers {
		if !userID.MatchString(id) && !channelID.MatchString(id) {
			return &Error{fmt.Sprintf("kb.maintainers[%d]", i), fmt.Sprintf("%q is neither a Slack user ID (U012AB3CD) nor a channel ID (C012AB3CD)", id)}
		}
	}
	if c.KB.MatchTimeout != "" {
		if _, ok := ParseMatchTimeout(c.KB.MatchTimeout); !ok {
			return &Error{"kb.match_timeout", fmt.Sprintf("%q is not a duration between 1ms and %s such as \"1s\"", c.KB.MatchTimeout, MaxMatchTimeout)}
		}
	}
	for i, s := range c.Summaries {
		at := fmt.Sprintf("summaries[%d]", i)
		switch {
		case !channelID.MatchString(s.Channel):
			return &Error{at + ".channel", fmt.Sprintf("%q is not a Slack channel ID such as C012AB3CD", s.Channel)}
		}
	}
	// Schedules (default DefaultSchedule), zones and scopes.
	if err := c.ValidateSummaries(); err != nil {
		return err
	}
	if l := c.LLM; l != nil {
		// base_url may be left out: the client then uses OpenAI's, or
		// OPENAI_BASE_URL.
		switch {
		case strings.TrimSpace(l.Model) == "":
			return &Error{"llm.model", "missing"}
		case l.TimeoutDuration() <= 0:
			return &Error{"llm.timeout", fmt.Sprintf("%q is not a positive duration such as \"8s\"", l.Timeout)}
		case l.DailyTokenBudget < 0:
			return &Error{"llm.daily_token_budget", "must not be negative"}
		}
	}
	return nil
}

func validatePlaces(section string, m map[string]Place) error {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		at := section + "." + id
		if !channelID.MatchString(id) {
			return &Error{at, fmt.Sprintf("%q is not a Slack channel ID such as C012AB3CD", id)}
		}
		if strings.TrimSpace(m[id].County) == "" {
			return &Error{at + ".county", "missing (the county, 县/市/区, the channel's place is in)"}
		}
	}
	return nil
}

// ChannelPlace returns the default place of a channel: its desk town for
// a desk channel, else its configured place. ok is false for a channel
// with no place.
func (c *Config) ChannelPlace(channel string) (p Place, ok bool) {
	if p, ok = c.Channels[channel]; ok {
		return p, true
	}
	p, ok = c.Desk.Channels[channel]
	return p, ok
}

// IsWorker reports whether user is a configured desk worker.
func (c *Config) IsWorker(user string) bool {
	for _, u := range c.Desk.Workers {
		if u == user {
			return true
		}
	}
	return false
}

// IsDeskChannel reports whether channel is a desk channel.
func (c *Config) IsDeskChannel(channel string) bool {
	_, ok := c.Desk.Channels[channel]
	return ok
}
