package main

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

// questionsText holds the questions, section by section (format in its
// opening comment).
//
//go:embed questions.txt
var questionsText string

// namedMatters are the matters several questions share.
var namedMatters = map[string]matters{
	"fire":    groups(r(90), r(293)), // 放鞭炮: 大气法119(3) (综合执法) and 烟花爆竹条例42(2) (公安)
	"trash":   r(76, 60, 65),         // 乱倒垃圾: 固废法111(1) and 市容条例34 (umbrella sub-item and its own row)
	"ads":     r(58, 64),             // 小广告: 市容条例34 (umbrella sub-item and its own row)
	"sand":    r(185, 182),           // 河道采砂: 河道管理条例44 (own row and umbrella sub-item)
	"balcony": r(59, 66),
}

// questions adds every case of questionsText, in order.
func (g *gen) questions() {
	kind := ""
	for n, line := range strings.Split(questionsText, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			kind = line[1 : len(line)-1]
			continue
		}
		if err := g.question(kind, line); err != nil {
			g.fail("questions.txt:%d: %v", n+1, err)
			return
		}
	}
}

// question adds the case of one line: question | place | matters |
// options, or question | status | options.
func (g *gen) question(kind, line string) error {
	f := strings.Split(line, " | ")
	if kind == "" || len(f) < 2 {
		return fmt.Errorf("want a [kind] line first, then question | place | matters or question | status")
	}
	q, where := f[0], f[1]
	if _, ok := places[where]; !ok {
		opts, err := options(f[2:])
		if err != nil {
			return err
		}
		g.S(q, kind, where, opts...)
		return nil
	}
	if len(f) < 3 {
		return fmt.Errorf("%s: no matters", q)
	}
	ms, err := parseMatters(f[2])
	if err != nil {
		return err
	}
	opts, err := options(f[3:])
	if err != nil {
		return err
	}
	g.A(q, kind, where, ms, opts...)
	return nil
}

// parseMatters reads groups separated by ;, each of numbers, S:text and
// named sets separated by spaces.
func parseMatters(s string) (matters, error) {
	var out matters
	for _, part := range strings.Split(s, ";") {
		var grp group
		for _, w := range strings.Fields(part) {
			if n, err := strconv.Atoi(w); err == nil {
				grp = append(grp, n)
				continue
			}
			if strings.HasPrefix(w, "S:") {
				grp = append(grp, w)
				continue
			}
			named, ok := namedMatters[w]
			switch {
			case !ok:
				return nil, fmt.Errorf("matter %q is not a row number, S:text or a named set", w)
			case len(named) > 1 && len(strings.Fields(part)) > 1:
				return nil, fmt.Errorf("%s holds several groups: write it alone", w)
			case len(named) > 1:
				out = append(out, named...)
			default:
				grp = append(grp, named[0]...)
			}
		}
		if len(grp) > 0 {
			out = append(out, grp)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no matters")
	}
	return out, nil
}

// options reads town=, county=, note= and also= fields.
func options(fields []string) ([]option, error) {
	var town, county string
	var opts []option
	for _, f := range fields {
		key, val, ok := strings.Cut(f, "=")
		switch key {
		case "town":
			town = val
		case "county":
			county = val
		case "note":
			opts = append(opts, note(val))
		case "also":
			var seqs []int
			for _, w := range strings.Fields(val) {
				n, err := strconv.Atoi(w)
				if err != nil {
					return nil, fmt.Errorf("also=%s: not row numbers", val)
				}
				seqs = append(seqs, n)
			}
			opts = append(opts, also(seqs...))
		default:
			ok = false
		}
		if !ok {
			return nil, fmt.Errorf("option %q is not town=, county=, note= or also=", f)
		}
	}
	if town != "" || county != "" {
		opts = append(opts, asker(town, county))
	}
	return opts, nil
}
