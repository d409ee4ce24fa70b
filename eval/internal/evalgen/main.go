// Command evalgen writes eval/sample-questions.jsonl: the questions of
// questions.txt, each naming by hand the power it is about, with the
// expected codes looked up in the current editions of the embedded
// sample lists by the resolution rules (the town's row unless it has none
// or only a 协助 one, then the county's), and a check that each case's
// kind matches how the data resolves it. The lists are read the way
// towndesk reads them: imported by its importer into a fresh database.
//
//	go run ./eval/internal/evalgen [-out eval/sample-questions.jsonl]
//
// Rerun it when the sample lists change; the test fails until the file is
// up to date.
package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	out := flag.String("out", filepath.Join("eval", "sample-questions.jsonl"), "file to write")
	flag.Parse()
	cases, err := generate(context.Background())
	if err == nil {
		err = os.WriteFile(*out, render(cases), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "evalgen:", err)
		os.Exit(1)
	}
	kinds := map[string]int{}
	for _, c := range cases {
		kinds[c.kind]++
	}
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		fmt.Fprintf(os.Stderr, "%-16s %3d\n", k, kinds[k])
	}
	fmt.Fprintf(os.Stderr, "%-16s %3d → %s\n", "all", len(cases), *out)
}

// generate returns the cases with their expectations.
func generate(ctx context.Context) ([]evalCase, error) {
	s, err := loadSample(ctx)
	if err != nil {
		return nil, err
	}
	return build(s)
}

// render writes one JSON object per line, keys in the set's order (q,
// kind, town, county, status, codes, note), with ", " and ": " between
// items as the set has always been written.
func render(cases []evalCase) []byte {
	var b strings.Builder
	for _, c := range cases {
		fmt.Fprintf(&b, `{"q": %s, "kind": %s`, quote(c.q), quote(c.kind))
		if c.town != "" {
			fmt.Fprintf(&b, `, "town": %s`, quote(c.town))
		}
		if c.county != "" {
			fmt.Fprintf(&b, `, "county": %s`, quote(c.county))
		}
		fmt.Fprintf(&b, `, "status": %s`, quote(c.status))
		if c.status == "answered" {
			codes := make([]string, len(c.codes))
			for i, code := range c.codes {
				codes[i] = quote(code)
			}
			fmt.Fprintf(&b, `, "codes": [%s]`, strings.Join(codes, ", "))
		}
		fmt.Fprintf(&b, `, "note": %s}`+"\n", quote(c.note))
	}
	return []byte(b.String())
}

// quote writes s as a JSON string with characters outside ASCII as they
// are (not \u escapes).
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
