package main

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/towndesk/towndesk/law"
)

//go:embed catalogue.txt
var catalogueText string

// power is one administrative power the sample lists are built from: one
// line of catalogue.txt.
type power struct {
	ID       string
	Law      string // short name: 城乡规划法
	Title    string // the law's title as cited: 中华人民共和国城乡规划法
	Article  string // 第六十五条 or 第一百一十九条第一款
	Proof    string // phrase of the article that shows it says so
	Category string // 行政处罚 …
	Domain   string // 规划建设 …
	Dept     string // county department key; "" when only the town holds it
	Role     byte   // F, D, E, A or C (see catalogue.txt)
	Name     string
	Subs     []subitem
	Ordinal  int // 1-based position in the catalogue
	// Scope lists the styles (province keys) whose lists may hold the
	// power; empty means every place's.
	Scope []string
}

// inScope reports whether lists of style may hold p.
func (p *power) inScope(style string) bool {
	if len(p.Scope) == 0 {
		return true
	}
	for _, s := range p.Scope {
		if s == style {
			return true
		}
	}
	return false
}

// scoped returns the powers of cat that lists of style may hold, in
// catalogue order.
func scoped(cat []*power, style string) []*power {
	var out []*power
	for _, p := range cat {
		if p.inScope(style) {
			out = append(out, p)
		}
	}
	return out
}

type subitem struct {
	Proof string
	Name  string
}

var categories = map[string]string{
	"CF": "行政处罚", "XK": "行政许可", "QZ": "行政强制", "JC": "行政检查", "QR": "行政确认",
	"ZS": "行政征收", "JF": "行政给付", "JL": "行政奖励", "CJ": "行政裁决", "QT": "其他行政权力",
}

// categoryCode is the inverse of categories, for item codes.
var categoryCode = func() map[string]string {
	m := map[string]string{}
	for k, v := range categories {
		m[v] = k
	}
	return m
}()

var domains = map[string]string{
	"GH": "规划建设", "CG": "城市管理", "HB": "环境保护", "NL": "农林水利", "AQ": "安全生产",
	"SC": "市场监管", "JT": "交通运输", "WL": "文化旅游", "ZR": "自然资源", "MZ": "民政",
	"XF": "消防安全", "GA": "公共安全",
}

// domainOrder numbers the domains for codes and ordering.
var domainOrder = map[string]int{
	"规划建设": 1, "城市管理": 2, "环境保护": 3, "自然资源": 4, "农林水利": 5, "安全生产": 6,
	"消防安全": 7, "市场监管": 8, "交通运输": 9, "民政": 10, "文化旅游": 11, "公共安全": 12,
}

// Basis returns the citation as lists write it: 《中华人民共和国城乡规划法》第六十五条.
func (p *power) Basis() string {
	return "《" + p.Title + "》" + p.Article
}

// parseCatalogue reads catalogue.txt. It fails on a malformed line, an
// unknown code or law, or a repeated id.
func parseCatalogue(text string, laws *law.Laws) ([]*power, error) {
	var out []*power
	seen := map[string]bool{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, ">") {
			f := strings.Split(strings.TrimPrefix(line, ">"), "|")
			if len(f) != 2 || len(out) == 0 {
				return nil, fmt.Errorf("catalogue line %d: malformed sub-item", n+1)
			}
			p := out[len(out)-1]
			p.Subs = append(p.Subs, subitem{Proof: strings.TrimSpace(f[0]), Name: strings.TrimSpace(f[1])})
			continue
		}
		f := strings.Split(line, "|")
		if len(f) != 9 && len(f) != 10 {
			return nil, fmt.Errorf("catalogue line %d: %d fields, want 9 or 10", n+1, len(f))
		}
		p := &power{ID: f[0], Law: f[1], Article: f[2], Proof: f[3], Dept: f[6], Name: f[8], Ordinal: len(out) + 1}
		var ok bool
		if p.Category, ok = categories[f[4]]; !ok {
			return nil, fmt.Errorf("catalogue line %d: unknown category %q", n+1, f[4])
		}
		if p.Domain, ok = domains[f[5]]; !ok {
			return nil, fmt.Errorf("catalogue line %d: unknown domain %q", n+1, f[5])
		}
		if p.Title, ok = laws.Title(p.Law); !ok {
			return nil, fmt.Errorf("catalogue line %d: unknown law %q", n+1, p.Law)
		}
		if len(f[7]) != 1 || !strings.Contains("FDEAC", f[7]) {
			return nil, fmt.Errorf("catalogue line %d: unknown role %q", n+1, f[7])
		}
		p.Role = f[7][0]
		if len(f) == 10 {
			for _, k := range strings.Split(f[9], ",") {
				if _, ok := styles[k]; !ok {
					return nil, fmt.Errorf("catalogue line %d: unknown style %q", n+1, k)
				}
				p.Scope = append(p.Scope, k)
			}
		}
		if (p.Role == 'F') != (p.Dept == "") {
			return nil, fmt.Errorf("catalogue line %d: role F goes with an empty dept and only with it", n+1)
		}
		if seen[p.ID] {
			return nil, fmt.Errorf("catalogue line %d: repeated id %q", n+1, p.ID)
		}
		seen[p.ID] = true
		out = append(out, p)
	}
	return out, nil
}
