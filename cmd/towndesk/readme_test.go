package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
)

// TestREADMEDeskWalkthrough runs the README's desk walkthrough (the shell
// block after <!-- readme-test: desk -->) command by command, in a fresh
// directory, through the same command table as the binary: every command
// must succeed, and every 「text」 in a command's comment must be in what
// it printed. So the README cannot drift from what towndesk does.
//
// It understands the little shell the block uses: export NAME=VALUE…,
// NAME=$(towndesk …), towndesk …, "…" and '…' quoting, $NAME and ${NAME},
// trailing \ continuations and # comments. Anything else fails the test:
// a README example must stay that simple, or this test must learn more.
func TestREADMEDeskWalkthrough(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := readmeBlock(t, string(raw), "desk")
	t.Chdir(t.TempDir()) // towndesk-data and 台账.xlsx are created here, as for a reader
	env := map[string]string{}
	ran := 0
	for _, line := range shellLines(block) {
		code, comment := splitComment(line)
		capture := ""
		if m := captureRe.FindStringSubmatch(code); m != nil {
			capture, code = m[1], m[2]
		}
		words, err := shellWords(code, env)
		if err != nil {
			t.Fatalf("README line %q: %v", line, err)
		}
		if len(words) == 0 {
			continue
		}
		if words[0] == "export" && capture == "" {
			for _, w := range words[1:] {
				name, value, ok := strings.Cut(w, "=")
				if !ok {
					t.Fatalf("README line %q: export of %q without a value", line, w)
				}
				env[name] = value
			}
			continue
		}
		if words[0] != "towndesk" {
			t.Fatalf("README line %q: only towndesk commands, export and NAME=$(towndesk …) are understood", line)
		}
		var stdout, stderr bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Getenv: func(k string) string { return env[k] }, Now: time.Now}
		if code := m.Run(context.Background(), words[1:]); code != 0 {
			t.Fatalf("README: %s\nexit %d\n%s%s", strings.Join(words, " "), code, stdout.String(), stderr.String())
		}
		ran++
		out := stdout.String() + stderr.String()
		for _, want := range quotedRe.FindAllStringSubmatch(comment, -1) {
			if !strings.Contains(out, want[1]) {
				t.Errorf("README: %s\nprinted:\n%s\nwithout %q, which its comment promises", strings.Join(words, " "), out, want[1])
			}
		}
		if capture != "" {
			env[capture] = strings.TrimSpace(stdout.String())
		}
	}
	if ran < 10 {
		t.Errorf("ran %d commands of the README's desk walkthrough; the block looks truncated:\n%s", ran, block)
	}
	if _, err := os.Stat(filepath.Join("towndesk-data", "towndesk.db")); err != nil {
		t.Errorf("the walkthrough used no ./towndesk-data: %v", err)
	}
}

var (
	captureRe = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)=\$\((.*)\)\s*$`)
	quotedRe  = regexp.MustCompile(`「([^」]+)」`)
	varRe     = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)`)
)

// readmeBlock returns the fenced block that follows <!-- readme-test: name -->.
func readmeBlock(t *testing.T, readme, name string) string {
	t.Helper()
	marker := "<!-- readme-test: " + name + " -->"
	_, rest, ok := strings.Cut(readme, marker)
	if !ok {
		t.Fatalf("README.md has no %s", marker)
	}
	rest = strings.TrimLeft(rest, "\n")
	if !strings.HasPrefix(rest, "```") {
		t.Fatalf("%s is not followed by a fenced block", marker)
	}
	_, rest, _ = strings.Cut(rest, "\n")
	block, _, ok := strings.Cut(rest, "\n```")
	if !ok {
		t.Fatalf("the block after %s does not end", marker)
	}
	return block
}

// shellLines joins lines continued with a trailing backslash.
func shellLines(block string) []string {
	var out []string
	cur := ""
	for _, l := range strings.Split(block, "\n") {
		if c, ok := strings.CutSuffix(strings.TrimRight(l, " \t"), `\`); ok {
			cur += c + " "
			continue
		}
		out = append(out, cur+l)
		cur = ""
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// splitComment cuts a line at its first # outside quotes that starts a word.
func splitComment(line string) (code, comment string) {
	var quote rune
	prev := ' '
	for i, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '#' && unicode.IsSpace(prev):
			return line[:i], line[i:]
		}
		prev = r
	}
	return line, ""
}

// shellWords splits a command into words as sh would for the simple
// forms the README uses, expanding $NAME from env (unset is an error).
func shellWords(s string, env map[string]string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	expand := func(text string) (string, error) {
		var missing string
		out := varRe.ReplaceAllStringFunc(text, func(m string) string {
			sub := varRe.FindStringSubmatch(m)
			name := sub[1] + sub[2]
			v, ok := env[name]
			if !ok && missing == "" {
				missing = name
			}
			return v
		})
		if missing != "" {
			return "", fmt.Errorf("$%s is not set", missing)
		}
		return out, nil
	}
	var seg strings.Builder
	flush := func(q rune) error {
		text := seg.String()
		seg.Reset()
		if q != '\'' {
			var err error
			if text, err = expand(text); err != nil {
				return err
			}
		}
		cur.WriteString(text)
		return nil
	}
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			if err := flush(quote); err != nil {
				return nil, err
			}
			quote = 0
		case quote != 0:
			seg.WriteRune(r)
		case r == '"' || r == '\'':
			if err := flush(0); err != nil {
				return nil, err
			}
			quote, inWord = r, true
		case strings.ContainsRune("|&;<>`()*?", r):
			return nil, fmt.Errorf("shell syntax %q is not understood", r)
		case unicode.IsSpace(r):
			if err := flush(0); err != nil {
				return nil, err
			}
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			seg.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated quote")
	}
	if err := flush(0); err != nil {
		return nil, err
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
